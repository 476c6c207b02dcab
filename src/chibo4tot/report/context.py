"""What every report reads: the year's results, the workspace header, the problems and the report date."""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from chibo4tot.errors import Problem
from chibo4tot.models.workspace import WorkspaceConfig
from chibo4tot.results.evaluate import Evaluation, NotScored
from chibo4tot.scoring.organisation import CELL_KINDS
from chibo4tot.scoring.results import UnitResult, YearResults


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

    def show(self, path: Path | None) -> str:
        """A path as the report prints it: relative to the workspace, never a path of this machine."""
        if path is None:
            return ""
        if self.root is not None and path.is_absolute():
            try:
                rel = os.path.relpath(path, self.root)
            except ValueError:  # another drive on Windows
                return path.name
            return rel.replace(os.sep, "/") if not rel.startswith("..") else path.name
        return path.as_posix() if not path.is_absolute() else path.name

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


def build_context(ev: Evaluation, date: dt.date) -> ReportContext:
    """The context the report writers read (results only), for the given report date."""
    if ev.workspace.config is None:
        raise ValueError("workspace without chibo4tot.yaml")
    return ReportContext(
        ev.results,
        ev.workspace.config,
        date,
        ev.problems.sorted(),
        sorted(set(ev.gaps), key=Problem.sort_key),
        ev.not_scored(),
        ev.workspace.root,
    )
