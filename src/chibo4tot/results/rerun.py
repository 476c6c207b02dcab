"""A whole run kept for the next one, and the next one done from it when only records changed.

After one record is edited, a province's results differ in one cell, perhaps in the cells whose
quota it shares (their đảng bộ's "Xuất sắc" allowance) and in its đảng bộ's verdict (the share
of its cells recognised); the rest stays as it was. :class:`~.kept.KeptRun` holds the last run of a
request: every unit's final result (pickled, in shards), what the organisation did with it (its
:class:`~chibo4tot.results.evaluate.Trace`), what the summary counts of it, its JSON entry, where
each unit's own gaps are, and the snapshot's lines of ``records/``. :func:`rerun` then reads
again only the files whose stat changed, and only when no problem of the last run names them
and each still says the same of itself (the same unit, month, year and framework, the same
problems and checks: then nothing else of the workspace's problems and gaps changes). A record
added or removed must be clean (no problem, check or stray date), in its unit's folder of the
year scored, and of a month whose coming or going cannot move the months scored through; its
unit's own gaps are told again. The units are scored again, the organisation is done again over
the quota groups they are in and the đảng bộ above them, and every other unit's result is kept
as it was. Anything else (a framework, units.yaml, chibo4tot.yaml, an earlier year's record, a
file whose problems changed or that a problem names) is a whole run; the cache's tests compare
both ways with ``--no-cache`` after random and chosen edits (tests/test_cache*.py).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from chibo4tot.inputs.memo import FileKey, Miss, RecordMemo
from chibo4tot.inputs.parse_many import FileChecks, parse_and_check
from chibo4tot.inputs.record_file import RecordFile
from chibo4tot.inputs.snapshot import Changes, Snapshot
from chibo4tot.results.kept import Fetch, KeptRun
from chibo4tot.results.reorganise import Reorganisation

# Beyond this many changed files a whole run is as quick (each one is parsed and checked here,
# in this process) and the changes are rarely a few records edited by hand.
RERUN_MAX_FILES = 200


def rerun(
    kept: KeptRun,
    memo: RecordMemo,
    changes: Changes,
    snap: Snapshot,
    fetch: Fetch,
    *,
    texts: bool,
    steady: int,
    year_over: bool,
) -> tuple[KeptRun, set[int]] | None:
    """The run of ``kept`` after ``changes`` to its records, and the shards whose results changed;
    None when that takes a whole run. ``fetch`` loads shards of ``kept``; ``texts``: make the JSON
    entries of the units done again. A record of a month up to ``steady`` may come or go (the
    months scored through stay the same: see ``cli.evaluation.default_as_of``); ``year_over``:
    year.yaml is due (see ``inputs.completeness.unit_gaps``)."""
    ev = kept.evaluation
    ws = ev.workspace
    year = ev.results.year
    count = len(changes.edited) + len(changes.added) + len(changes.removed)
    if not kept.tidy or ws.checks is None or count > RERUN_MAX_FILES:
        return None
    if (changes.added or changes.removed) and ev.gap_layout is None:
        return None
    base = os.path.join(os.path.abspath(ws.root), "records")
    # Files the kept run's problems name: each problem is located (line, column, words) in its
    # file as it was then, and some span files (two records of one month), so a whole run; but
    # for a unit's own gaps (a missing year.yaml), told again for the units whose records come or go.
    own = {id(p) for _unit, gaps in ev.gap_layout.units for p in gaps} if ev.gap_layout else set()
    named = {os.path.abspath(p.path) for p in ev.problems.items if p.path is not None and id(p) not in own}
    again: dict[Path, RecordFile] = {}
    redo: set[str] = set()
    present: set[str] = set()  # units with a record come or gone: their own gaps change
    for name in sorted({*changes.edited, *changes.added, *changes.removed}):
        where = _record_place(name, base)
        if where is None:
            continue  # not a record, and never read: only its name counts
        if where is False:
            return None  # a YAML file out of place: its warning comes or goes
        folder_year, unit_id = where
        if folder_year < year or (folder_year != year and name not in changes.edited):
            return None  # an earlier year's records make the streaks; a later one's, the years
        if name in named:
            return None
        path = Path(name)
        if name in changes.removed:
            if not _clean_gone(memo, path, changes.removed[name], steady):
                return None
        else:
            item = (path, folder_year, unit_id)
            rf = _read_again(memo, path, changes.edited.get(name), item, ws.checks, steady)
            if rf is None:
                return None
            again[path] = rf
        if folder_year == year:
            redo.add(unit_id)
        if name not in changes.edited:
            present.add(unit_id)
    return Reorganisation(kept, memo, snap, again, fetch, texts).redo(redo, present, year_over)


def _record_place(name: str, base: str) -> tuple[int, str] | Literal[False] | None:
    """Where a file under records/ is as a record (its folder's year and unit), or None when it is
    not one (loading reads only YAML files), or False when it is one a rerun cannot take."""
    if os.path.splitext(name)[1] not in (".yaml", ".yml"):
        return None
    parts = os.path.relpath(name, base).split(os.sep)
    if len(parts) != 3 or not parts[0].isdigit():
        return False
    return int(parts[0]), parts[1]


def _read_again(
    memo: RecordMemo,
    path: Path,
    old_key: FileKey | None,
    item: tuple[Path, int, str],
    checks: FileChecks,
    steady: int,
) -> RecordFile | None:
    """The changed or new record at ``path``, parsed and checked, if it says the same of itself as
    the version the cache knew (``old_key``): the same header, the same problems and checks; a new
    one when it has none, lies in its own unit's and year's folder and is of a ``steady`` month."""
    before = memo.previous(path)
    miss = memo.lookup(path)
    if not isinstance(miss, Miss):
        return None
    if old_key is not None and (before is None or before.key != old_key):
        return None
    [(record, problems, derived)] = parse_and_check([item], checks, workers=1)
    if record is None:
        return None
    if before is not None and old_key is not None:
        if record.fields() != before.fields() or problems != before.problems:
            return None
        if any(memo.derived(before, tag) != value for tag, value in derived.items()):
            return None
    elif problems or any(derived.values()) or not _steady(record.fields(), item, steady):
        return None
    memo.remember(miss, record, problems)
    for tag, value in derived.items():
        memo.seed(record, tag, value)
    return record


def _clean_gone(memo: RecordMemo, path: Path, old_key: FileKey, steady: int) -> bool:
    """Whether the record removed from ``path`` was one whose going changes only its unit: known to
    the cache as it was, with no problem, no check or stray date, of a ``steady`` month."""
    before = memo.previous(path)
    if before is None or before.key != old_key or before.problems:
        return False
    fields = before.fields()
    if fields is None or not _steady(fields, (path, fields[0], path.parent.name), steady):
        return False
    return all(memo.derived(before, tag) == [] for tag in ("check", "strays"))


def _steady(fields: tuple[object, ...], item: tuple[Path, object, str], steady: int) -> bool:
    """A record that lies in its own unit's and year's folder, of the year or of a month up to ``steady``."""
    folder_year, folder_unit, _stem, unit, month, year, _framework = fields
    if unit != item[2] or year != item[1] or folder_year != year or folder_unit != unit:
        return False
    return month is None or int(str(month)[5:]) <= steady
