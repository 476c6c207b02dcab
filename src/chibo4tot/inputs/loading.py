"""Load a whole workspace: config, units, frameworks and records, with every problem located."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from chibo4tot import progress
from chibo4tot.errors import Problem, ProblemList, Severity
from chibo4tot.fsio import os_error_reason, outside_reason
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import check_config, check_records, check_units, check_units_under_root
from chibo4tot.inputs.completeness import (
    check_document_data,
    check_years_have_frameworks,
    scored_units,
    stray_dates,
    year_completeness,
)
from chibo4tot.inputs.frameworks import LoadedFramework, build_framework, discover
from chibo4tot.inputs.locate import FILE_REFUSED, folder_refusal, locate_problems, parse_model
from chibo4tot.inputs.memo import Miss, RecordMemo
from chibo4tot.inputs.parse_many import FileChecks, Parsed, parse_and_check
from chibo4tot.inputs.places import UNITS_FILE, WORKSPACE_FILE, shipped_criteria_dir
from chibo4tot.inputs.record_file import Derive, RecordFile, Remembered, direct
from chibo4tot.models.framework import Framework
from chibo4tot.models.workspace import Unit, UnitsFile, WorkspaceConfig
from chibo4tot.runtime import no_gc


class NotKept(list[RecordFile]):
    """The records of a workspace whose results came from the cache: they were not read this time,
    and code that reads them anyway fails loudly instead of seeing an empty workspace."""

    def _refuse(self, *_args: object) -> None:
        raise RuntimeError("records are not kept with cached results")

    __iter__ = __len__ = __getitem__ = __contains__ = __bool__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple[type[NotKept], tuple[()]]:
        return NotKept, ()


@dataclass
class Workspace:
    """Everything read from a workspace folder."""

    root: Path
    config: WorkspaceConfig | None = None
    units: list[Unit] = field(default_factory=list)
    frameworks: dict[str, LoadedFramework] = field(default_factory=dict)
    records: list[RecordFile] = field(default_factory=list)
    problems: ProblemList = field(default_factory=ProblemList)
    derive: Derive = direct  # what was derived from each record while loading, to ask again
    checks: FileChecks | None = None  # what each record file is checked against (see parse_many)

    @property
    def month_records(self) -> list[RecordFile]:
        return [r for r in self.records if r.is_month]

    @property
    def year_records(self) -> list[RecordFile]:
        return [r for r in self.records if not r.is_month]


# A folder's entry as a Path without parsing the joined string again (pathlib's own walk does
# so; 5× faster, and a province has 63,000 entries). Not in every Python: then as ``folder / name``.
_CHILD = getattr(Path, "_make_child_relpath", None)


def child_path(folder: Path, name: str) -> Path:
    """``folder / name`` for a plain entry name (no separator), as pathlib's directory walk makes it."""
    if _CHILD is not None:
        child: Path = _CHILD(folder, name)
        return child
    return folder / name


def _walk(
    folder: Path,
    root: Path,
    seen: set[str],
    problems: list[Problem],
    parts: tuple[str, ...] = (),
    real_folder: str | None = None,
) -> Iterator[tuple[Path, tuple[str, ...]]]:
    """Every non-folder entry below ``folder``, with its path's parts below ``folder``. Symlinks
    are followed only while their real path stays inside the workspace, and a folder reached
    twice (a link to an ancestor) is a loop. Directory entries answer "link? folder?" from the
    listing itself, so 60,000 files cost no stat call each; and a folder that is not a link is
    its parent's real path plus its name, so only links cost a realpath."""
    if real_folder is None:
        real_folder = os.path.realpath(folder)
    try:
        with os.scandir(folder) as listing:
            # In the order of their paths (as Path sorts them: case-folded where the system is),
            # compared as names: comparing 60,000 Path objects costs more than the walk itself.
            ordered = sorted(listing, key=lambda entry: os.path.normcase(entry.name))
        entries = [(child_path(folder, entry.name), entry) for entry in ordered]
    except OSError as exc:
        problems.append(
            Problem(folder, _("không đọc được thư mục: {error}").format(error=os_error_reason(exc)))
        )
        return
    for path, entry in entries:
        linked = entry.is_symlink()
        if linked and (reason := outside_reason(path, root)) is not None:
            problems.append(Problem(path, reason, code=FILE_REFUSED))
            continue
        if not entry.is_dir():
            yield path, (*parts, entry.name)
            continue
        real = os.path.realpath(path) if linked else os.path.join(real_folder, entry.name)
        if real in seen:
            problems.append(
                Problem(
                    path,
                    _("liên kết tượng trưng (symlink) trỏ về một thư mục cha, tạo thành vòng lặp; bị bỏ qua"),
                    code=FILE_REFUSED,
                )
            )
            continue
        yield from _walk(path, root, seen | {real}, problems, (*parts, entry.name), real)


def record_paths(root: Path, problems: list[Problem]) -> list[tuple[Path, int | None, str]]:
    """records/<year>/<unit>/<file>.yaml, with the year and unit their folders name."""
    base = root / "records"
    found: list[tuple[Path, int | None, str]] = []
    if (reason := folder_refusal(base, root)) is not None:
        problems.append(Problem(base, reason, code=FILE_REFUSED))
        return found
    if not base.is_dir():
        return found
    for path, parts in _walk(base, root, {os.path.realpath(base)}, problems):
        if path.suffix not in (".yaml", ".yml"):
            continue
        if len(parts) != 3:
            problems.append(
                Problem(
                    path,
                    _("tệp hồ sơ phải nằm ở records/<năm>/<mã chi bộ>/<tệp>.yaml; tệp này bị bỏ qua"),
                    severity=Severity.WARNING,
                )
            )
            continue
        year = int(parts[0]) if parts[0].isdigit() else None
        if year is None:
            problems.append(
                Problem(
                    path,
                    _("thư mục “{name}” không phải là một năm").format(name=parts[0]),
                    severity=Severity.WARNING,
                )
            )
        found.append((path, year, parts[1]))
    return found


def read_records(
    paths: list[tuple[Path, int | None, str]],
    memo: RecordMemo | None = None,
    workers: int | None = None,
    checks: FileChecks | None = None,
    derive: RecordMemo | Remembered | None = None,
) -> tuple[list[RecordFile], list[Problem]]:
    """The records at ``paths``, in that order, and their located problems: unchanged files from
    ``memo``, the others parsed (in a pool of processes when there are many). With ``checks``,
    what each parsed record derives is derived where it is parsed and given to ``derive``."""
    found: list[Parsed | None] = [None] * len(paths)
    misses: list[tuple[int, Miss | None]] = []
    with no_gc():  # the packs unpickle many long-lived objects, as parsing builds them
        for i, (path, _year, _unit) in enumerate(paths):
            hit = memo.lookup(path) if memo is not None else None
            if hit is None or isinstance(hit, Miss):
                misses.append((i, hit))
            else:
                found[i] = hit
    label = _("Đang đọc {n} hồ sơ").format(n=len(misses))
    with progress.step(label, len(misses)) as advance:
        parsed = parse_and_check([paths[i] for i, _miss in misses], checks, workers=workers, advance=advance)
    for (i, miss), (record, located, derived) in zip(misses, parsed, strict=True):
        found[i] = (record, located)
        if memo is not None and miss is not None:
            memo.remember(miss, record, located)
        if record is not None and derive is not None:
            for tag, value in derived.items():
                derive.seed(record, tag, value)
    records: list[RecordFile] = []
    problems: list[Problem] = []
    for item in found:
        assert item is not None
        record, located = item
        problems.extend(located)
        if record is not None:
            records.append(record)
    return records, problems


def load_frameworks(
    root: Path | None,
    problems: list[Problem],
    *,
    used: set[str] | None = None,
    shipped_dir: Path | None = None,
    broken: set[str] | None = None,
) -> dict[str, LoadedFramework]:
    """Frameworks of the workspace (all of them) and the shipped ones it uses (``None``: all).

    The ids of frameworks that exist but could not be built (their problems are reported) are
    added to ``broken``, so that what refers to them is not also told they do not exist.
    """
    dirs = [(shipped_dir or shipped_criteria_dir(), True)]
    if root is not None:
        dirs.insert(0, (root / "criteria", False))
    raws = discover(dirs, problems)
    wanted = {fid for fid, raw in raws.items() if not raw.shipped or used is None}
    wanted |= {fid for fid in used or () if fid in raws}
    out: dict[str, LoadedFramework] = {}
    for fid in sorted(wanted):
        loaded = build_framework(raws, fid, problems)
        if loaded is not None:
            out[fid] = loaded
        elif broken is not None:
            broken.add(fid)
    return out


def load_workspace(
    root: Path,
    *,
    year: int | None = None,
    shipped_dir: Path | None = None,
    workers: int | None = None,
    memo: RecordMemo | None = None,
) -> Workspace:
    """Read and check a whole workspace; never raises for bad input, collects problems.

    ``workers``: processes parsing the records (None: as the machine allows, see parse_records).
    With ``memo``, what was derived from an unchanged record file before is reused.
    """
    ws = Workspace(root)
    problems: list[Problem] = []
    ws.config = parse_model(root / WORKSPACE_FILE, WorkspaceConfig, problems, within=root)
    units_path = root / UNITS_FILE
    if os.path.lexists(units_path):  # a FIFO or a device is reported as such by parse_model
        units_file = parse_model(units_path, UnitsFile, problems, within=root)
        if units_file is not None:
            ws.units = list(units_file.units)
            problems.extend(check_units(units_path, units_file))
            if ws.config is not None:
                problems.extend(check_units_under_root(units_path, units_file, ws.config.id))
    else:
        problems.append(Problem(units_path, _("thiếu tệp units.yaml (danh sách chi bộ)")))

    used = {a.framework for a in ws.config.frameworks} if ws.config is not None else set()
    broken: set[str] = set()
    ws.frameworks = load_frameworks(root, problems, used=used, shipped_dir=shipped_dir, broken=broken)
    plain: dict[str, Framework] = {fid: lf.framework for fid, lf in ws.frameworks.items()}
    if ws.config is not None:
        problems.extend(check_config(root / WORKSPACE_FILE, ws.config, plain, broken))

    units_ok = units_path.is_file() and not any(
        p.path == units_path for p in problems if p.severity is Severity.ERROR
    )
    if memo is not None:
        memo.walked_all = year is None
    wanted = [
        item for item in record_paths(root, problems) if year is None or item[1] is None or item[1] == year
    ]
    # Each record's problems come back located: the problems found before them are located
    # here and those found after them below, so every message keeps the place it always had.
    ws.problems.extend(locate_problems(problems))
    kinds = {u.id: u.kind.value for u in ws.units} if units_ok else None
    checks = ws.checks = FileChecks(kinds, ws.config, plain, set(plain) | broken)
    memory = memo if memo is not None else Remembered()
    records, found = read_records(wanted, memo, workers, checks, memory)
    ws.records.extend(records)
    ws.problems.extend(found)
    derive = ws.derive = memory.derive if isinstance(memory, RecordMemo) else memory
    checked = check_records(
        ws.records,
        kinds,
        ws.config,
        plain,
        known=checks.known,
        derive=derive,
        also=lambda rf: derive(rf, "strays", partial(stray_dates, rf)),
    )
    ws.problems.extend(locate_problems(checked))
    return ws


def years_with_records(ws: Workspace) -> set[int]:
    out: set[int] = set()
    for rf in ws.records:
        out.add(rf.year)
    return out


def assigned_years(ws: Workspace) -> set[int]:
    """Years chibo4tot.yaml gives a framework."""
    return {y for a in ws.config.frameworks for y in a.years} if ws.config is not None else set()


def year_gaps(
    ws: Workspace, year: int, as_of: int, *, year_over: bool, document: bool, derive: Derive | None = None
) -> list[Problem]:
    """The completeness gaps of one year (and, for a report, of the data the document prints)."""
    return year_gaps_laid_out(ws, year, as_of, year_over=year_over, document=document, derive=derive)[0]


@dataclass(frozen=True)
class GapLayout:
    """Where each unit's own gaps sit in a year's gaps: after ``strays`` stray dates, unit by unit
    in the order of the units (see :func:`unit_gaps`), then ``tail`` more (the document's data)."""

    strays: int
    units: list[tuple[str, list[Problem]]]
    tail: int


def year_gaps_laid_out(
    ws: Workspace, year: int, as_of: int, *, year_over: bool, document: bool, derive: Derive | None = None
) -> tuple[list[Problem], GapLayout]:
    """:func:`year_gaps`, and where each unit's own gaps are among them."""
    plain = {fid: lf.framework for fid, lf in ws.frameworks.items()}
    units = scored_units(ws.units, ws.config, plain, year)
    broken = {p.path for p in ws.problems.errors if p.path is not None and "records" in p.path.parts}
    strays, per_unit = year_completeness(
        ws.root,
        units,
        ws.records,
        year,
        as_of,
        year_over=year_over,
        unreadable=broken,
        derive=derive or ws.derive,
    )
    tail = (
        check_document_data(ws.root / WORKSPACE_FILE, ws.config) if document and ws.config is not None else []
    )
    located = locate_problems(strays + [p for _unit, gaps in per_unit for p in gaps] + tail)
    at, laid_out = len(strays), []
    for unit_id, gaps in per_unit:
        laid_out.append((unit_id, located[at : at + len(gaps)]))
        at += len(gaps)
    return located, GapLayout(len(strays), laid_out, len(tail))


def workspace_gaps(
    ws: Workspace, today_year: int, today_month: int, derive: Derive | None = None
) -> list[Problem]:
    """Every gap of every year the workspace can score, up to last month of the current year."""
    problems = locate_problems(check_years_have_frameworks(ws.root, ws.records, ws.config))
    for year in sorted(years_with_records(ws) & assigned_years(ws)):
        if year > today_year:
            continue
        as_of = 12 if year < today_year else today_month - 1
        problems += year_gaps(ws, year, as_of, year_over=year < today_year, document=False, derive=derive)
    if ws.config is not None:
        problems += locate_problems(check_document_data(ws.root / WORKSPACE_FILE, ws.config))
    return problems
