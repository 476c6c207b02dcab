"""Located problems, the error types and the exit codes: the one vocabulary for failure."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

Loc = tuple[str | int, ...]


class ExitCode(enum.IntEnum):
    OK = 0
    INPUT = 1
    USAGE = 2
    INTERNAL = 3
    INTERRUPTED = 130


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know.

    ``loc`` is the path of keys and list indexes inside the file; ``line``/``col`` are
    1-based and filled in from ``loc`` by the locator when the file is re-read, and with them
    ``where``: the same place in the user's words ("chỉ tiêu 2.1.6, ngưỡng (target)"). Outputs
    for people show ``where``; outputs for programs keep ``loc``.
    """

    path: Path | None
    message: str
    loc: Loc = ()
    line: int | None = None
    col: int | None = None
    severity: Severity = Severity.ERROR
    code: str = "input"
    where: str | None = None

    def located(self, line: int | None, col: int | None, where: str | None = None) -> Problem:
        return replace(self, line=line, col=col, where=self.where if where is None else where)

    def place(self) -> str:
        """Where in the file, for a person: ``where`` once located, else the raw ``loc``."""
        if self.where is not None:
            return self.where
        return render_loc(tuple(p for p in self.loc if p != "[key]"))

    def sort_key(self) -> tuple[str, int, int, tuple[str | int, ...]]:
        """By file, line and column; then by message with its numbers as numbers, so that a
        workbook's cells come in order (D9 before D10) as do months (tháng 2 before tháng 10)."""
        return (str(self.path or ""), self.line or 0, self.col or 0, _natural(self.message))


_DIGITS = re.compile(r"(\d+)")


def _natural(text: str) -> tuple[str | int, ...]:
    # Split on runs of digits: text and numbers alternate, so two keys compare position by position.
    return tuple(int(part) if i % 2 else part for i, part in enumerate(_DIGITS.split(text)))


def render_loc(loc: Loc) -> str:
    """``('criteria', 1, 'name')`` → ``criteria[1].name``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass
class ProblemList:
    """Collects problems from every stage so all of them are reported in one pass."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: list[Problem] | ProblemList) -> None:
        self.items.extend(problems.items if isinstance(problems, ProblemList) else problems)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items), key=Problem.sort_key)

    def __len__(self) -> int:
        return len(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


class ChiboError(Exception):
    """A failure the user can act on; carries the problems that explain it."""

    exit_code = ExitCode.INPUT

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class UsageError(ChiboError):
    """The command was called wrongly (missing workspace, bad option value)."""

    exit_code = ExitCode.USAGE


class InputError(ChiboError):
    """The input files have problems; ``problems`` lists them."""

    exit_code = ExitCode.INPUT
