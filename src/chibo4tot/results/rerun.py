"""A whole run kept for the next one, and the next one done from it when only records changed.

After one record is edited, a province's results differ in one cell, perhaps in the cells whose
quota it shares (their đảng bộ's "Xuất sắc" allowance) and in its đảng bộ's verdict (the share
of its cells recognised); the rest stays as it was. :class:`KeptRun` holds the last run of a
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

import dataclasses
import os
import pickle
import zlib
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Literal

from chibo4tot.errors import ProblemList
from chibo4tot.inputs.completeness import unit_gaps
from chibo4tot.inputs.loading import GapLayout, NotKept
from chibo4tot.inputs.locate import locate_problems
from chibo4tot.inputs.memo import FileKey, Miss, RecordMemo
from chibo4tot.inputs.parse_many import FileChecks, parse_and_check
from chibo4tot.inputs.record_file import RecordFile, direct
from chibo4tot.inputs.snapshot import Changes, Snapshot
from chibo4tot.results.evaluate import (
    Evaluation,
    Trace,
    UnitFiles,
    framework_chooser,
    group_files,
    record_folder,
    score_files,
)
from chibo4tot.results.views import unit_json_text
from chibo4tot.runtime import no_gc
from chibo4tot.scoring.organisation import (
    SummaryFacts,
    by_unit,
    depths,
    grouping,
    summarise_facts,
    summary_facts,
)
from chibo4tot.scoring.results import UnitResult
from chibo4tot.scoring.verdict import apply_quota, recognise

# Beyond this many changed files a whole run is as quick (each one is parsed and checked here,
# in this process) and the changes are rarely a few records edited by hand.
RERUN_MAX_FILES = 200


# A kept run's results are kept apart from the rest, in this many entries, a unit's fixed by its
# đảng bộ (so a quota group's are together): done again for one record, a run reads and writes
# one or two of them, not every unit's result.
SHARDS = 16
Fetch = Callable[[set[int]], bool]  # loads the results of these shards into the run; False: cannot


def shard_of(parent: str | None) -> int:
    return zlib.crc32((parent or "").encode("utf-8", "surrogatepass")) % SHARDS


@dataclass
class KeptUnit:
    """One unit of a kept run: the shard that keeps its final result, its trace, what the summary
    counts of it, and its entry in ``score --format json`` when that was printed."""

    id: str
    shard: int
    trace: Trace
    facts: SummaryFacts
    text: str | None = None


@dataclass
class KeptRun:
    """A request's last run over the inputs of one snapshot (see the module's text)."""

    digest: bytes  # the snapshot's digest: the inputs these results are true of
    context: bytes  # the snapshot's context (config, units, frameworks)
    lines: list[str]  # the snapshot's lines of records/
    racy: tuple[tuple[str, str], ...]  # records that could change unseen, by their content then
    evaluation: Evaluation  # without its units (see ``units``) nor its workspace's records
    units: list[KeptUnit]
    tidy: bool  # every record lies in its own unit's and year's folder
    shards: dict[int, bytes] = field(default_factory=dict)  # shard → the key of its entry
    # Each unit's final result, pickled, as far as its shard was loaded (or made): kept apart.
    blobs: dict[str, Kept] = field(default_factory=dict)
    loaded: set[int] = field(default_factory=set)

    def __getstate__(self) -> dict[str, object]:
        return {**self.__dict__, "blobs": {}, "loaded": set()}

    def shard_blobs(self, shard: int) -> dict[str, Kept]:
        """The results the entry of ``shard`` keeps (each loaded or made already)."""
        return {k.id: self.blobs[k.id] for k in self.units if k.shard == shard}

    def evaluation_now(self, fetch: Fetch, *, lazy: bool = False) -> Evaluation | None:
        """The evaluation these results make, each unit's result unpickled afresh; with ``lazy``
        (the request prints the units' JSON entries and reads no result) and every entry known,
        only once something reads the units. None when a shard cannot be loaded."""
        ev = self.evaluation
        texts = [k.text for k in self.units]
        known = [t for t in texts if t is not None]
        everything = set(self.shards)
        units: list[UnitResult]
        if lazy and len(known) == len(texts):

            def load() -> list[Kept]:
                if not fetch(everything):
                    raise RuntimeError("the results of a kept run are gone")  # never read: the JSON is made
                return [self.blobs[k.id] for k in self.units]

            units = _Unpickled(load)
        elif fetch(everything):
            units = _unpickle([self.blobs[k.id] for k in self.units])
        else:
            return None
        return dataclasses.replace(
            ev,
            results=dataclasses.replace(ev.results, units=units),
            inputs_key=self.digest,
            unit_texts=known if len(known) == len(texts) else None,
        )


# A unit's final result as a kept run keeps it: pickled whole, or (at once after a whole run) its
# own result before the organisation as the record cache pickled it already, with what the
# organisation (quotas, recognition, streaks) set on it: nothing pickled a second time.
Kept = bytes | tuple[bytes, tuple[object, ...]]
ORGANISED = ("rating", "demoted_by", "rating_rule", "status", "reasons", "reason_rules", "needed", "streak")


def kept_value(result: UnitResult, own: bytes | None) -> Kept:
    """How a kept run keeps ``result``, given its own result pickled before the organisation."""
    if own is None:
        return pickle.dumps(result, pickle.HIGHEST_PROTOCOL)
    return own, tuple(getattr(result, name) for name in ORGANISED)


def kept_result(value: Kept) -> UnitResult:
    """The result a kept run keeps as ``value`` (see :func:`kept_value`), afresh."""
    if isinstance(value, bytes):
        result: UnitResult = pickle.loads(value)
        return result
    own, organised = value
    result = pickle.loads(own)
    for name, field_value in zip(ORGANISED, organised, strict=True):
        setattr(result, name, field_value)
    return result


def _unpickle(values: list[Kept]) -> list[UnitResult]:
    with no_gc():
        return [kept_result(value) for value in values]


class _Unpickled(list[UnitResult]):
    """Units unpickled when first read: printed JSON made of the kept entries reads none of them
    (5,000 results, a quarter of a second). Every way of reading or changing the list reads them
    first; it pickles as the plain list it then is."""

    def __init__(self, blobs: Callable[[], list[Kept]]) -> None:
        super().__init__()
        self._blobs: Callable[[], list[Kept]] | None = blobs

    def _load(self) -> None:
        if self._blobs is not None:
            blobs, self._blobs = self._blobs, None
            list.extend(self, _unpickle(blobs()))

    def __reduce__(self) -> tuple[type[list[UnitResult]], tuple[list[UnitResult]]]:
        self._load()
        return list, (list(iter(self)),)


def _loading(name: str) -> Callable[..., object]:
    method = getattr(list, name)

    def first_loaded(self: _Unpickled, *args: object, **kwargs: object) -> object:
        self._load()
        return method(self, *args, **kwargs)

    return first_loaded


for _name in (
    *("__iter__", "__len__", "__getitem__", "__contains__", "__reversed__", "__repr__"),
    *("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__add__", "__mul__", "__rmul__"),
    *("__setitem__", "__delitem__", "__iadd__", "__imul__", "index", "count", "copy"),
    *("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse"),
):
    setattr(_Unpickled, _name, _loading(_name))


def keep(ev: Evaluation, snap: Snapshot, racy: tuple[tuple[str, str], ...]) -> KeptRun:
    """The run to keep of a whole evaluation of the inputs of ``snap``."""
    ws = ev.workspace
    tidy = all(rf.unit == rf.folder_unit and rf.year == rf.folder_year for rf in ws.records)
    root_id = ws.config.id if ws.config is not None else ""
    texts: list[str | None] = (
        list(ev.unit_texts) if ev.unit_texts is not None else [None] * len(ev.results.units)
    )
    units = [
        KeptUnit(r.unit.id, shard_of(r.unit.parent), ev.traces[r.unit.id], summary_facts(r, root_id), text)
        for r, text in zip(ev.results.units, texts, strict=True)
    ]
    blobs = {r.unit.id: kept_value(r, ev.own_blobs.get(r.unit.id)) for r in ev.results.units}
    kept_ws = dataclasses.replace(ws, records=NotKept(), derive=direct)
    skeleton = dataclasses.replace(
        ev,
        workspace=kept_ws,
        results=dataclasses.replace(ev.results, units=[]),
        traces={},
        own_blobs={},
        unit_texts=None,
        inputs_key=None,
    )
    shards = {k.shard for k in units}
    return KeptRun(snap.digest, snap.context, snap.lines, racy, skeleton, units, tidy, {}, blobs, shards)


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
    return _Organisation(kept, memo, snap, again, fetch, texts).redo(redo, present, year_over)


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


class _Organisation:
    """The organisation of a kept run done again for a few units (see :func:`rerun`)."""

    def __init__(
        self,
        kept: KeptRun,
        memo: RecordMemo,
        snap: Snapshot,
        again: dict[Path, RecordFile],
        fetch: Fetch,
        texts: bool,
    ) -> None:
        self.kept, self.memo, self.snap, self.again, self.texts = kept, memo, snap, again, texts
        self.fetch = fetch
        ev = kept.evaluation
        self.ws, self.year, self.as_of = ev.workspace, ev.results.year, ev.results.as_of
        self.root_id = self.ws.config.id if self.ws.config is not None else ""
        self.units = {u.id: u for u in self.ws.units}
        self.choose = framework_chooser(self.ws, self.year)
        # The levels of the whole run, which leaves out the units with broken files: the cells
        # of a đảng bộ left out are then at the top level (and in its quota groups).
        self.depth = depths([u for u in self.ws.units if u.id not in ev.blocked])
        self.index = {k.id: i for i, k in enumerate(kept.units)}
        self.children: dict[str, list[str]] = defaultdict(list)
        for u in self.ws.units:
            if u.parent is not None and u.id in self.index:
                self.children[u.parent].append(u.id)
        self.done: dict[str, KeptUnit] = {}  # units done again
        self.present: dict[str, tuple[set[int], bool]] = {}  # unit → its months with a record, year.yaml
        self.own: dict[str, bytes] = {}  # unit → its own result pickled before the organisation

    def current(self, unit_id: str) -> KeptUnit:
        return self.done.get(unit_id) or self.kept.units[self.index[unit_id]]

    def redo(
        self, changed_units: set[str], present: set[str], year_over: bool
    ) -> tuple[KeptRun, set[int]] | None:
        pending: dict[str, tuple[UnitResult, Fraction | None]] = {}  # results before organisation
        for unit_id in changed_units:
            if unit_id not in self.index:  # not scored (no framework; a broken file): still not
                if unit_id in present:
                    return None  # its gaps change: the whole run tells them
                continue
            share = self.current(unit_id).trace.share
            result = self._score(unit_id, share)
            if result is None:
                return None
            pending[unit_id] = (result, share)
        if any(self.present[u] == (set(), False) for u in present):
            return None  # a unit's last record of the year gone: maybe the year's (see choose_year)
        for level in sorted(set(self.depth.values()), reverse=True):
            at_level = {u: p for u, p in pending.items() if self.depth[u] == level}
            if not at_level:
                continue
            parents = self._organise(at_level)
            if parents is None:
                return None
            for parent in parents:
                share = self._share(parent)
                if share == self.current(parent).trace.share and parent not in pending:
                    continue
                result = self._score(parent, share)
                if result is None:
                    return None
                pending[parent] = (result, share)
        units = [self.current(k.id) for k in self.kept.units]
        kept = self.kept
        ev = kept.evaluation
        results = dataclasses.replace(ev.results, summary=summarise_facts(k.facts for k in units))
        evaluation = dataclasses.replace(ev, results=results)
        if present:
            evaluation = self._regap(evaluation, present, year_over)
        snap = self.snap
        again = KeptRun(snap.digest, snap.context, snap.lines, (), evaluation, units, True, dict(kept.shards))
        again.blobs, again.loaded = kept.blobs, kept.loaded  # the done units' are in them now
        return again, {k.shard for k in self.done.values()}

    def _regap(self, ev: Evaluation, present: set[str], year_over: bool) -> Evaluation:
        """``ev`` with the own gaps of the units in ``present`` told again (see GapLayout)."""
        layout = ev.gap_layout
        assert layout is not None
        units = []
        for unit_id, gaps in layout.units:
            if unit_id in present:
                months, has_year = self.present[unit_id]
                unit = self.units[unit_id]
                fresh = unit_gaps(
                    self.ws.root, unit, months, has_year, self.year, self.as_of, year_over=year_over
                )
                gaps = locate_problems(fresh)
            units.append((unit_id, gaps))
        old = ev.gaps
        head, tail = old[: layout.strays], old[len(old) - layout.tail :]
        gaps = head + [p for _unit, own in units for p in own] + tail
        items = ev.problems.items
        problems = ProblemList(items[: len(items) - len(old)] + gaps)
        return dataclasses.replace(
            ev, gaps=gaps, problems=problems, gap_layout=GapLayout(layout.strays, units, layout.tail)
        )

    def _score(self, unit_id: str, share: Fraction | None) -> UnitResult | None:
        """The unit's own result (before the organisation), its files read through the cache."""
        unit = self.units[unit_id]
        fw = self.choose(unit)
        if fw is None:
            return None
        folder = record_folder(self.ws.root, self.year, unit_id)
        prefix = os.path.join(os.path.abspath(folder), "")
        names = [p for p in self.snap.stats if p.startswith(prefix) and os.sep not in p[len(prefix) :]]
        records: list[RecordFile] = []
        for name in sorted(names, key=lambda p: os.path.normcase(os.path.basename(p))):
            if os.path.splitext(name)[1] not in (".yaml", ".yml"):
                continue
            path = Path(name)
            rf = self.again.get(path)
            if rf is None:
                found = self.memo.lookup(path)
                if isinstance(found, Miss) or found[0] is None:
                    return None  # not known to the cache, or not a record: a whole run says why
                rf = found[0]
            records.append(rf)
        months = [int(rf.month[5:]) for rf in records if rf.month is not None]
        years = len(records) - len(months)
        if len(set(months)) != len(months) or years > 1:
            return None  # two records of one month: a whole run says so
        self.present[unit_id] = (set(months), years == 1)
        files = group_files(records, self.year, set()).get(unit_id, UnitFiles())
        key = self.memo.score_key((unit_id, fw.id, self.year, self.as_of, share), files.files())
        if key is None:
            return None
        score, own = self.memo.score(
            folder, key, lambda: score_files(fw, unit, files, self.year, self.as_of, share)
        )
        assert isinstance(score, UnitResult)
        self.own[unit_id] = own
        return score

    def _share(self, parent: str) -> Fraction | None:
        # Its cells scored before it, as in the whole run: those of the levels below its own (a
        # unit of its level said to be under it, through a cycle in units.yaml, is not yet).
        kids = [k for k in self.children.get(parent, []) if self.depth[k] > self.depth[parent]]
        if not kids:
            return None
        return Fraction(sum(1 for k in kids if self.current(k).facts[3]), len(kids))

    def _organise(self, pending: dict[str, tuple[UnitResult, Fraction | None]]) -> set[str] | None:
        """Quotas and recognition again over every quota group of the ``pending`` units (one
        level); the đảng bộ whose share of cells recognised may have changed. None when a shard
        of kept results cannot be loaded."""
        level = self.depth[next(iter(pending))]
        peers = [k.id for k in self.kept.units if self.depth[k.id] == level]
        framework_of = {u: self.choose(self.units[u]) for u in peers}
        members = set(pending)
        while True:  # every group of every quota of the members' frameworks, until none is added
            grown = set(members)
            for fw in {id(f): f for u in members if (f := framework_of[u]) is not None}.values():
                for quota in fw.quotas:
                    key = grouping(quota.scope, self.root_id)
                    groups = {key(self.units[u]) for u in members if framework_of[u] is fw}
                    grown |= {u for u in peers if framework_of[u] is fw and key(self.units[u]) in groups}
            if grown == members:
                break
            members = grown
        if not self.fetch({self.current(u).shard for u in members}):  # also what gets written again
            return None
        batch: list[tuple[str, UnitResult, Trace]] = []
        for unit_id in sorted(members, key=self.index.__getitem__):
            was = self.current(unit_id)
            if unit_id in pending:
                result, share = pending[unit_id]
            else:  # its own result as it was before the organisation
                value = self.kept.blobs[unit_id]
                result, share = kept_result(value), was.trace.share
                if not isinstance(value, bytes):
                    self.own[unit_id] = value[0]
                result.rating, result.demoted_by = was.trace.rating, was.trace.demoted_by
                result.rating_rule = was.trace.rating_rule
            trace = Trace(share, result.rating, result.demoted_by, result.rating_rule, was.trace.prior)
            batch.append((unit_id, result, trace))
        for fw in {id(f): f for u in members if (f := framework_of[u]) is not None}.values():
            same = [r for u, r, _t in batch if framework_of[u] is fw]
            for quota in fw.quotas:
                apply_quota(quota, same, by_unit(grouping(quota.scope, self.root_id)))
        parents: set[str] = set()
        for unit_id, result, trace in batch:
            own = framework_of[unit_id]
            assert own is not None
            recognise(own, result)
            result.streak = trace.prior + 1 if result.recognised else 0
            was = self.current(unit_id)
            facts = summary_facts(result, self.root_id)
            text = unit_json_text(result, self.root_id) if self.texts or was.text is not None else None
            self.kept.blobs[unit_id] = kept_value(result, self.own.get(unit_id))
            self.done[unit_id] = KeptUnit(unit_id, was.shard, trace, facts, text)
            parent = self.units[unit_id].parent
            if facts[3] != was.facts[3] and parent is not None and parent in self.index:
                parents.add(parent)
        return parents
