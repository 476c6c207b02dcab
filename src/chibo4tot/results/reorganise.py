"""The organisation of a kept run done again for a few units: their own results scored again,
quotas and recognition over their quota groups, the đảng bộ above them when its share of cells
recognised moved, and their own gaps told again (see :mod:`chibo4tot.results.rerun`)."""

from __future__ import annotations

import dataclasses
import os
from collections import defaultdict
from fractions import Fraction
from pathlib import Path

from chibo4tot.errors import ProblemList
from chibo4tot.inputs.completeness import unit_gaps
from chibo4tot.inputs.loading import GapLayout
from chibo4tot.inputs.locate import locate_problems
from chibo4tot.inputs.memo import Miss, RecordMemo
from chibo4tot.inputs.record_file import RecordFile
from chibo4tot.inputs.snapshot import Snapshot
from chibo4tot.results.evaluate import (
    Evaluation,
    Trace,
    UnitFiles,
    framework_chooser,
    group_files,
    record_folder,
    score_files,
)
from chibo4tot.results.kept import Fetch, KeptRun, KeptUnit, kept_result, kept_value
from chibo4tot.results.views import unit_json_text
from chibo4tot.scoring.organisation import (
    by_unit,
    depths,
    grouping,
    summarise_facts,
    summary_facts,
)
from chibo4tot.scoring.results import UnitResult
from chibo4tot.scoring.verdict import apply_quota, recognise


class Reorganisation:
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
                fw = self.choose(unit)
                fresh = unit_gaps(
                    self.ws.root,
                    unit,
                    months,
                    has_year,
                    self.year,
                    self.as_of,
                    year_over=year_over,
                    takes_months=fw is None or fw.takes_months(),
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
            trace = dataclasses.replace(
                was.trace,
                share=share,
                rating=result.rating,
                demoted_by=result.demoted_by,
                rating_rule=result.rating_rule,
            )
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
            result.previous = trace.previous
            was = self.current(unit_id)
            facts = summary_facts(result, self.root_id)
            text = unit_json_text(result, self.root_id) if self.texts or was.text is not None else None
            self.kept.blobs[unit_id] = kept_value(result, self.own.get(unit_id))
            self.done[unit_id] = KeptUnit(unit_id, was.shard, trace, facts, text)
            parent = self.units[unit_id].parent
            if facts[3] != was.facts[3] and parent is not None and parent in self.index:
                parents.add(parent)
        return parents
