"""Parse and validate many record files: one file at a time, or in a pool of processes when it pays."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel

from chibo4tot import workers as workers_module
from chibo4tot.errors import Problem, Severity
from chibo4tot.fsio import ReadRefused
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import MONTH_STEM, ValueRules, check_record
from chibo4tot.inputs.completeness import stray_dates
from chibo4tot.inputs.locate import FILE_REFUSED, locate_problems, parse_raw, read_bytes, validate_data
from chibo4tot.inputs.record_file import RecordFile
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import WorkspaceConfig
from chibo4tot.runtime import no_gc

Item = tuple[Path, int | None, str]  # a record file, the year and the unit its folders name
Parsed = tuple[RecordFile | None, list[Problem]]

# Below this many files one process is as fast: a helper (a fresh interpreter importing the
# models) costs about 0.5 s of CPU to start, what parsing 1,500 files does, and its results come
# back pickled (0.07 ms a file to send, 0.04 ms to receive). Measured on 2 cores: 2,000 files
# took 0.9 s of CPU alone and 0.9 s in each process with a helper (no gain), 4,000 files 2.0 s
# alone and 1.4 s each (a gain of about a third), 8,000 files 3.7 s alone, 2.7 s each.
POOL_MIN_FILES = 4000
# Files per task sent to a worker: large enough that the per-task cost (pickling, the queue)
# is small, small enough that two workers stay evenly busy and results stream back steadily.
CHUNK_FILES = 200


def parse_one(path: Path, folder_year: int | None, folder_unit: str) -> Parsed:
    """One record file → its RecordFile (a month, or year.yaml) and its problems, located."""
    # record_paths already refused every link that leaves the workspace, so the per-file real
    # path check (a dozen lstat calls, for 60,000 files) is not repeated here.
    try:
        raw = read_bytes(path)
    except ReadRefused as exc:
        problems = _name_problems(path)
        problems.append(Problem(path, exc.message, code=FILE_REFUSED))
        return None, problems
    return parse_bytes(path, raw, folder_year, folder_unit)


def parse_bytes(path: Path, raw: bytes, folder_year: int | None, folder_unit: str) -> Parsed:
    """What :func:`parse_one` gives for a file of these bytes: a function of the bytes, the path
    and the language of the messages alone, so a cache keyed by them may stand in front of it."""
    problems = _name_problems(path)
    model: type[MonthRecord] | type[YearRecord] = YearRecord if path.stem == "year" else MonthRecord
    data = parse_raw(path, raw, problems)
    record = validate_data(path, data, model, problems) if data is not None else None
    found = None
    if record is not None:
        share_field_sets(record)
        found = RecordFile(path, folder_year, folder_unit, path.stem, record)
    return found, locate_problems(problems, {path: raw}) if problems else problems


def _name_problems(path: Path) -> list[Problem]:
    if path.stem == "year" or MONTH_STEM.match(path.stem):
        return []
    return [
        Problem(
            path,
            _("tên tệp hồ sơ tháng phải có dạng 2024-03.yaml (hoặc year.yaml)"),
            severity=Severity.WARNING,
        )
    ]


# One set per distinct combination of fields given: pydantic keeps a set of the fields each
# model was given (about 270 bytes; a third of a record's memory, 60,000 records × 18 models).
_FIELD_SETS: dict[frozenset[str], set[str]] = {}


def share_field_sets(model: BaseModel) -> None:
    """Let ``model`` and the models inside it share equal ``model_fields_set`` sets.

    Safe for our frozen models: nothing changes that set in place once validated (a copy, even
    ``model_copy(update=...)``, gets a set of its own first), and equal sets answer alike.
    """
    given = model.__pydantic_fields_set__
    shared = _FIELD_SETS.setdefault(frozenset(given), given)
    if shared is not given:
        object.__setattr__(model, "__pydantic_fields_set__", shared)
    for value in model.__dict__.values():
        if isinstance(value, BaseModel):
            share_field_sets(value)
        elif isinstance(value, dict | list):
            for inner in value.values() if isinstance(value, dict) else value:
                if isinstance(inner, BaseModel):
                    share_field_sets(inner)


def _parse_chunk(items: Sequence[Item]) -> list[Parsed]:
    with no_gc():
        return [parse_one(*item) for item in items]


@dataclass(frozen=True)
class FileChecks:
    """What is derived from one record file alone, given the workspace's units (their kinds;
    None when units.yaml is broken), config and frameworks (``known``: every framework id that
    exists, built or not): its checks (tag "check") and its stray dates (tag "strays"). Made
    where the record is parsed, so a record parsed by a helper process is never read here."""

    unit_kinds: dict[str, str] | None
    config: WorkspaceConfig | None
    frameworks: dict[str, Framework]
    known: set[str]

    def derive(self, rf: RecordFile, rules: dict[str, ValueRules]) -> dict[str, list[Problem]]:
        check = check_record(rf, self.unit_kinds, self.config, self.frameworks, self.known, rules)
        return {"check": check, "strays": stray_dates(rf)}


Checked = tuple[RecordFile | None, list[Problem], dict[str, list[Problem]]]


def _check_chunk(piece: tuple[Sequence[Item], FileChecks | None]) -> list[Checked]:
    items, checks = piece
    if checks is None:
        return [(rf, problems, {}) for rf, problems in _parse_chunk(items)]
    rules: dict[str, ValueRules] = {}
    out: list[Checked] = []
    with no_gc():
        for item in items:
            rf, problems = parse_one(*item)
            derived = checks.derive(rf, rules) if rf is not None else {}
            if rf is not None:
                rf.release()  # checked: serialised until its unit is scored
            out.append((rf, problems, derived))
    return out


def chunks(items: Sequence[Item], size: int | None = None) -> list[list[Item]]:
    """``items`` in order, cut into pieces of about ``size`` files (CHUNK_FILES), whole unit
    folders at a time where a folder is smaller than a piece."""
    size = size or CHUNK_FILES
    out: list[list[Item]] = []
    current: list[Item] = []
    for item in items:
        if len(current) >= size and current[-1][0].parent != item[0].parent:
            out.append(current)
            current = []
        current.append(item)
        if len(current) >= 2 * size:  # one huge folder still gets cut
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


def parse_records(
    items: Iterable[Item], *, workers: int | None = None, advance: Callable[[int], None] | None = None
) -> list[Parsed]:
    """Every item parsed, in input order, with its located problems: as :func:`parse_one` gives,
    whether in one process or in several (see :func:`parse_and_check`)."""
    done = parse_and_check(items, None, workers=workers, advance=advance)
    return [(rf, problems) for rf, problems, _derived in done]


def parse_and_check(
    items: Iterable[Item],
    checks: FileChecks | None,
    *,
    workers: int | None = None,
    advance: Callable[[int], None] | None = None,
) -> list[Checked]:
    """Every item parsed, in input order, with its located problems and, with ``checks``, what
    they derive from each record: the same whether in one process or in several. ``workers``
    None: as many processes as this one may use (one below POOL_MIN_FILES files), in the pool
    of the enclosing :func:`chibo4tot.workers.shared` block if there is one; ``workers=1``: one
    process. ``advance(n)`` is told each time n more files are done (for a progress bar).
    """
    todo = list(items)
    pieces = [(piece, checks) for piece in chunks(todo)]

    def tell(piece: tuple[list[Item], FileChecks | None]) -> None:
        if advance is not None:
            advance(len(piece[0]))

    if workers is None and len(todo) < POOL_MIN_FILES:
        workers = 1
    pool = workers_module.current() if workers is None else None
    if pool is not None:
        done = pool.run(_check_chunk, pieces, tell)
    else:
        with workers_module.shared(workers) as own:
            done = own.run(_check_chunk, pieces, tell)
    return [checked for piece in done for checked in piece]
