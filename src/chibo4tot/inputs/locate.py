"""Files in: read a YAML file into raw data or a model, and give every problem its line:col."""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from chibo4tot.errors import Problem
from chibo4tot.fsio import ReadRefused, outside_reason, read_regular_bytes
from chibo4tot.i18n import _
from chibo4tot.inputs.decoding import MAX_FILE_BYTES, YamlProblem, decode
from chibo4tot.inputs.messages import problems_from_validation
from chibo4tot.inputs.positions import PositionTree, locate, position_tree
from chibo4tot.inputs.where import describe_loc, file_kind
from chibo4tot.inputs.yamlio import YamlErrors, fast_load, slip_in_scalar_file
from chibo4tot.runtime import interrupt_held

M = TypeVar("M", bound=BaseModel)
# A file that was not read (not a regular file, too large, a link out of the workspace): it is
# about the whole file, and re-reading it to find a line would read what was refused.
FILE_REFUSED = "file"


def read_bytes(path: Path, within: Path | None = None) -> bytes:
    """The bytes of one input file: a regular file within the size cap and, when ``within`` is
    given, whose real path stays inside that folder (the workspace). ReadRefused otherwise."""
    if within is not None and (reason := outside_reason(path, within)) is not None:
        raise ReadRefused(reason)
    return read_regular_bytes(path, MAX_FILE_BYTES)


def folder_refusal(folder: Path, root: Path) -> str | None:
    """Why an input folder of the workspace (records/, criteria/) cannot be walked: a symlink loop,
    a dangling link, a link out of the workspace, or not a folder at all. None: walk it (or it is
    simply absent)."""
    if not os.path.lexists(folder):
        return None
    if folder.is_symlink() and (reason := outside_reason(folder, root)) is not None:
        return reason
    if not folder.is_dir():
        return _("“{name}” phải là một thư mục").format(name=folder.name)
    return None


def read_raw(path: Path, problems: list[Problem], *, within: Path | None = None) -> dict[str, Any] | None:
    """Read and parse one file; YAML-level problems are appended, already located."""
    try:
        raw = read_bytes(path, within)
    except ReadRefused as exc:
        problems.append(Problem(path, exc.message, code=FILE_REFUSED))
        return None
    return parse_raw(path, raw, problems)


def parse_raw(path: Path, raw: bytes, problems: list[Problem]) -> dict[str, Any] | None:
    """Decode and parse bytes read as ``path`` (from disk, or from git as ``REV:path``)."""
    try:
        text = decode(raw)
        data = fast_load(text)
    except YamlProblem as exc:
        problems.append(Problem(path, exc.message, line=exc.line, col=exc.col, code="yaml"))
        return None
    except YamlErrors as exc:
        problems.extend(Problem(path, p.message, line=p.line, col=p.col, code="yaml") for p in exc.problems)
        return None
    if not isinstance(data, dict):
        slip = slip_in_scalar_file(text)
        problems.append(
            Problem(
                path,
                slip.message if slip else _("nội dung tệp phải là một bảng các dòng “khóa: giá trị”"),
                line=slip.line if slip else 1,
                col=slip.col if slip else 1,
                code="yaml",
            )
        )
        return None
    return data


def parse_model(
    path: Path, model: type[M], problems: list[Problem], *, within: Path | None = None
) -> M | None:
    """Read one file and validate it as ``model``; schema problems carry their ``loc``."""
    data = read_raw(path, problems, within=within)
    if data is None:
        return None
    return validate_data(path, data, model, problems)


def validate_data(path: Path, data: Any, model: type[M], problems: list[Problem]) -> M | None:
    try:
        with interrupt_held():
            return model.model_validate(data)
    except ValidationError as exc:
        problems.extend(
            Problem(path, message, loc) for loc, message in problems_from_validation(exc, model, data)
        )
        return None


def _plain(text: str) -> Any:
    try:
        return fast_load(text)
    except YamlErrors:
        return None


def locate_problems(problems: list[Problem], sources: Mapping[Path, bytes] | None = None) -> list[Problem]:
    """Fill line:col from ``loc``, re-reading each affected file once into positioned nodes.

    ``sources`` holds the bytes of files that are not on disk (read from git as ``REV:path``).
    """
    pending: dict[Path, list[int]] = defaultdict(list)
    for i, problem in enumerate(problems):
        if problem.line is None and problem.path is not None and problem.code != FILE_REFUSED:
            pending[problem.path].append(i)
    out = list(problems)
    for path, indexes in pending.items():
        try:
            raw = sources[path] if sources and path in sources else read_bytes(path)
            text = decode(raw)
            tree = position_tree(text)
        except (ReadRefused, YamlProblem):
            text, tree = "", None
        data = _plain(text) if tree is not None else None  # names and ids for the position's words
        kind = file_kind(path, data)
        for i in indexes:
            problem = out[i]
            where = describe_loc(kind, problem.loc, data)
            if tree is None:
                out[i] = problem.located(1, 1, where) if problem.loc else problem
                continue
            line, col, _found = locate(tree, problem.loc)
            out[i] = problem.located(line or 1, col or 1, where)
    return out


class LineFinder:
    """``(path, loc)`` → line:col for the few files a command shows (explain), each re-read once."""

    def __init__(self) -> None:
        self._trees: dict[Path, PositionTree | None] = {}

    def find(self, path: Path | None, loc: tuple[str | int, ...]) -> tuple[int | None, int | None]:
        if path is None:
            return None, None
        if path not in self._trees:
            try:
                self._trees[path] = position_tree(decode(read_bytes(path)))
            except (ReadRefused, YamlProblem):
                self._trees[path] = None
        tree = self._trees[path]
        if tree is None:
            return None, None
        line, col, _found = locate(tree, loc)
        return line, col
