"""What every report reads: the year's results, the workspace header, the problems and the report date."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from chibo4tot.errors import Problem
from chibo4tot.models.framework import Framework
from chibo4tot.models.workspace import WorkspaceConfig
from chibo4tot.results.evaluate import Evaluation, NotScored, export_document
from chibo4tot.results.export import Seal, previous_digest, seal_of
from chibo4tot.results.views import relative
from chibo4tot.scoring.organisation import CELL_KINDS
from chibo4tot.scoring.results import UnitResult, YearResults

T = TypeVar("T")


def unpacked_briefly(result: T) -> T:
    """``result`` for reading its packed fields (a criterion's indicators, a unit's monthly rows and
    gates) without keeping them unpacked afterwards.

    Results read from the cache carry those fields as compressed bytes, unpacked on first read and
    kept: reading every cell's periods for the workbook would unpack them all at once, half a
    gigabyte at 5,000 cells. A result still packed is copied instead (the copy shares its bytes);
    what the copy unpacks goes with it. Results scored in this run are already whole: no copy.
    """
    if getattr(result, "_blob", None) is None:  # scoring.results: None once unpacked, absent if never packed
        return result
    return copy.copy(result)


@dataclass(frozen=True)
class ReportContext:
    """Everything a report shows; built once, read by the Excel, Markdown and Word writers.

    ``date`` is passed in (never read from the clock here) so two runs with the same inputs
    and date give the same reports.
    """

    results: YearResults
    config: WorkspaceConfig
    date: dt.date
    problems: list[Problem] = field(default_factory=list)
    gaps: list[Problem] = field(default_factory=list)  # completeness gaps the report must state
    not_scored: list[NotScored] = field(default_factory=list)
    root: Path | None = None  # the workspace: paths in a report are shown relative to it
    framework: Framework | None = None  # the year's main framework: its bands and tie-break order lists
    seal: Seal | None = None  # the fingerprint of these results, which every report carries
    other_names: dict[str, str] = field(default_factory=dict)  # names of a roll-up's đảng bộ

    def show(self, path: Path | None) -> str:
        """A path as the report prints it: relative to the workspace, never a path of this machine."""
        return relative(path, self.root) or ""

    @property
    def year(self) -> int:
        return self.results.year

    @property
    def root_id(self) -> str:
        return self.config.id

    @property
    def cells(self) -> list[UnitResult]:
        """Units rated for the "Chi bộ 4 tốt" title (chi bộ), in the order of units.yaml."""
        return [r for r in self.results.units if r.unit.kind in CELL_KINDS]

    @property
    def recognised(self) -> list[UnitResult]:
        return [r for r in self.cells if r.recognised]

    @property
    def not_recognised(self) -> list[UnitResult]:
        return [r for r in self.cells if not r.recognised]

    @property
    def dang_bo(self) -> list[UnitResult]:
        """Đảng bộ cơ sở rated for the "Đảng bộ cơ sở 4 tốt" title."""
        return [r for r in self.results.units if r.unit.kind not in CELL_KINDS]

    def bands(self, results: list[UnitResult]) -> list[str]:
        """Rating bands, best first: the framework's own; without it, ordered by the lowest total that
        earned them (a quota moves high totals down a band, never low totals up)."""
        fw = self.framework
        if fw is not None and fw.rating is not None:
            return [b.name for b in fw.rating.bands]
        low: dict[str, Decimal] = {}
        for r in results:
            if r.rating:
                low[r.rating] = min(low.get(r.rating, r.total), r.total)
        return sorted(low, key=lambda band: (-low[band], band))

    def ranked(self, results: list[UnitResult]) -> list[UnitResult]:
        """Best band first, then by the tie-break the framework's quota declares (total by default),
        then name and id: the order in which the quota itself ranked the cells, so a list never
        shows a demoted cell above the one that kept the band."""
        return sorted(results, key=_rank_key(self, results))


def _rank_key(ctx: ReportContext, results: list[UnitResult]) -> Callable[[UnitResult], tuple[object, ...]]:
    bands = ctx.bands(results)
    band_rank = {band: i for i, band in enumerate(bands)}
    fw = ctx.framework
    tie_break = fw.quotas[0].tie_break if fw is not None and fw.quotas else ["total"]

    def key(r: UnitResult) -> tuple[object, ...]:
        out: list[object] = [band_rank.get(r.rating or "", len(bands))]
        for item in [*tie_break, "name", "id"]:
            if item == "total":
                out.append(-r.total)
            elif item == "name":
                out.append(vn_name_key(r.unit.name))
            elif item == "id":
                out.append(r.unit.id)
            else:
                cid = item.split(":", 1)[1]
                out.append(-next((c.points for c in r.criteria if c.id == cid), Decimal(0)))
        return tuple(out)

    return key


# Vietnamese alphabetical order: a ă â b c d đ e ê … o ô ơ … u ư …, tones (none, huyền, hỏi, ngã, sắc,
# nặng) only breaking ties, and numbers by value ("số 2" before "số 10"). Code points would put "Ă",
# "Đ" and "Ư" after "Z".
_LETTER_MARKS = {"\u0306": 1, "\u0302": 2, "\u031b": 3}  # breve, circumflex, horn
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_NUMBER = "\x00"  # a number sorts before any letter, as a digit does


def vn_name_key(name: str) -> tuple[tuple[tuple[str, int], ...], tuple[int, ...]]:
    """A sort key that orders names as a Vietnamese reader expects."""
    letters: list[tuple[str, int]] = []
    tones: list[int] = []
    for part in re.split(r"(\d+)", unicodedata.normalize("NFD", name.casefold())):
        if part.isdigit():
            letters.append((_NUMBER, int(part)))
            tones.append(0)
            continue
        for ch in part:
            if ch in _TONES:
                tones[-1:] = [_TONES[ch]]
            elif ch in _LETTER_MARKS and letters:
                letters[-1] = (letters[-1][0], _LETTER_MARKS[ch])
            else:
                letters.append(("d", 1) if ch == "đ" else (ch, 0))
                tones.append(0)
    return tuple(letters), tuple(tones)


def build_context(ev: Evaluation, date: dt.date) -> ReportContext:
    """The context the report writers read (results only), for the given report date."""
    if ev.workspace.config is None:
        raise ValueError("workspace without chibo4tot.yaml")
    main = ev.workspace.frameworks.get(ev.results.framework_id)
    framework = main.framework if main is not None else None
    return ReportContext(
        ev.results,
        ev.workspace.config,
        date,
        ev.problems.sorted(),
        sorted(set(ev.gaps), key=Problem.sort_key),
        ev.not_scored(),
        ev.workspace.root,
        framework,
        dataclasses.replace(seal_of(export_document(ev)), previous=previous_digest(ev.results)),
    )
