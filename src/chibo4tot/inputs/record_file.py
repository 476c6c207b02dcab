"""A record file as loading found it, and what is derived from it alone (memoised or not). Pure."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from chibo4tot.errors import Problem

if TYPE_CHECKING:
    from chibo4tot.models.records import MonthRecord, YearRecord


class RecordFile:
    """A record as found on disk: where it is, what its folder says, what it holds.

    The few fields every stage reads of every record (unit, month or year, framework) are kept
    apart from the record itself, which a cached record keeps serialised until it is first read:
    at province scale most records are never read again once their results are cached.
    """

    __slots__ = (
        "_blob",
        "_record",
        "folder_unit",
        "folder_year",
        "framework",
        "key",
        "month",
        "path",
        "stem",
        "unit",
        "year",
    )

    def __init__(
        self,
        path: Path,
        folder_year: int | None,
        folder_unit: str,
        stem: str,
        record: MonthRecord | YearRecord,
        *,
        key: object = None,
    ) -> None:
        # Here, not at the top: the workspace's cache (inputs.memo) holds record files, and a
        # command answered from it loads no model (nor pydantic). Made only from a validated
        # record, where the models are loaded already (under a microsecond a record).
        from chibo4tot.models.records import MonthRecord

        self.path = path
        self.folder_year = folder_year
        self.folder_unit = folder_unit
        self.stem = stem
        self.unit = record.unit
        self.month: str | None = record.month if isinstance(record, MonthRecord) else None
        self.year: int = int(record.month[:4]) if isinstance(record, MonthRecord) else record.year
        self.framework = record.framework
        self.key = key  # what the cache knows the file by (its stat), when it came through the cache
        self._record: MonthRecord | YearRecord | None = record
        self._blob: bytes | None = None

    @property
    def is_month(self) -> bool:
        return self.month is not None

    @property
    def record(self) -> MonthRecord | YearRecord:
        if self._record is None:
            assert self._blob is not None
            self._record = pickle.loads(self._blob)
        return self._record

    def release(self) -> None:
        """Keep the record serialised only, until it is read again: a province's records do not all
        stay in memory at once (each is read by its checks, its unit's scoring and its gaps)."""
        if self._record is not None:
            if self._blob is None:
                self._blob = pickle.dumps(self._record, pickle.HIGHEST_PROTOCOL)
            self._record = None

    def _identity(self) -> tuple[object, ...]:
        return (self.path, self.folder_year, self.folder_unit, self.stem, self.record)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RecordFile) and self._identity() == other._identity()

    def __hash__(self) -> int:
        return hash((self.path, self.stem))

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Pickled with the record serialised on its own (kept as bytes until read), and restored
        # without __init__: a province's cache holds 60,000 of these.
        return _restore_record_file, (self.path, *self.header(), self.key)

    def header(self) -> tuple[object, ...]:
        """All but the path and the cache's key, for :func:`from_header` (the cache's packs know
        both: rebuilding 60,000 Path objects from a pickle costs more than the rest of it)."""
        blob = self._blob if self._blob is not None else pickle.dumps(self._record, pickle.HIGHEST_PROTOCOL)
        return (*self.fields(), blob)

    def fields(self) -> tuple[object, ...]:
        """What its folder and its record say it is: the header without the record."""
        return (
            self.folder_year,
            self.folder_unit,
            self.stem,
            self.unit,
            self.month,
            self.year,
            self.framework,
        )


def from_header(path: Path, header: tuple[object, ...], key: object) -> RecordFile:
    """The record file at ``path`` whose :meth:`RecordFile.header` is ``header``."""
    return _restore_record_file(path, *header, key)


def _restore_record_file(*fields: object) -> RecordFile:
    rf = RecordFile.__new__(RecordFile)
    (
        rf.path,
        rf.folder_year,
        rf.folder_unit,
        rf.stem,
        rf.unit,
        rf.month,
        rf.year,
        rf.framework,
        rf._blob,
        rf.key,
    ) = fields  # type: ignore[assignment]
    rf._record = None
    return rf


# What is derived from one record file alone (its checks, its stray dates) may be reused while
# the file and what the derivation reads are unchanged: ``derive(rf, tag, compute)`` answers
# ``compute()``, or what it answered before. ``tag`` names the derivation and what it depends on.
Derive = Callable[[RecordFile, str, Callable[[], list[Problem]]], list[Problem]]


def direct(_rf: RecordFile, _tag: str, compute: Callable[[], list[Problem]]) -> list[Problem]:
    return compute()


class Remembered:
    """A :data:`Derive` that remembers for one run, in memory: what is derived from a record
    while it is read for its checks is not read again for its gaps."""

    def __init__(self) -> None:
        self.found: dict[tuple[int, str], tuple[RecordFile, list[Problem]]] = {}

    def seed(self, rf: RecordFile, tag: str, problems: list[Problem]) -> None:
        """What ``tag`` derives from ``rf``, derived already (where it was parsed)."""
        self.found[(id(rf), tag)] = (rf, problems)

    def __call__(self, rf: RecordFile, tag: str, compute: Callable[[], list[Problem]]) -> list[Problem]:
        known = self.found.get((id(rf), tag))
        if known is not None and known[0] is rf:
            return known[1]
        problems = compute()
        self.found[(id(rf), tag)] = (rf, problems)
        return problems
