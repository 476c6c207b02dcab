"""How a run is kept for the next one: each unit's final result (in shards), what the
organisation did with it, what the summary counts of it and its JSON entry, beside the rest of
the evaluation (see :mod:`chibo4tot.results.rerun` for the next run done from it)."""

from __future__ import annotations

import dataclasses
import pickle
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from chibo4tot.inputs.loading import NotKept
from chibo4tot.inputs.record_file import direct
from chibo4tot.inputs.snapshot import Snapshot
from chibo4tot.results.evaluate import Evaluation, Trace
from chibo4tot.runtime import no_gc
from chibo4tot.scoring.organisation import SummaryFacts, summary_facts
from chibo4tot.scoring.results import UnitResult

# A kept run's results are kept apart from the rest, in this many entries, a unit's fixed by its
# đảng bộ (so a quota group's are together): done again for one record, a run reads and writes
# one or two of them, not every unit's result.
SHARDS = 16
Fetch = Callable[[set[int]], bool]  # loads the results of these shards into the run; False: cannot


def shard_of(parent: str | None) -> int:
    return zlib.crc32((parent or "").encode("utf-8", "surrogatepass")) % SHARDS


# A unit's final result as a kept run keeps it: pickled whole, or (at once after a whole run) its
# own result before the organisation as the record cache pickled it already, with what the
# organisation (quotas, recognition, streaks, last year) set on it: nothing pickled a second time.
Kept = bytes | tuple[bytes, tuple[object, ...]]
ORGANISED = (
    *("rating", "demoted_by", "rating_rule", "status", "reasons", "reason_rules", "needed", "streak"),
    "previous",
)


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
    # Each unit's final result as it is kept, as far as its shard was loaded (or made): apart.
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
