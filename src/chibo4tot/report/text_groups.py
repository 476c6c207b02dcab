"""The year-end report at scale: when the per-cell lists go to appendices, and the cells by đảng bộ.

A đảng ủy xã with a dozen chi bộ reads every name in the body of its report. A district or a
province (hundreds to thousands of cells under many đảng bộ cơ sở) reads a summary by đảng bộ
in the body, and the lists of cells, grouped by đảng bộ, in appendices after the signature.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from chibo4tot.report.context import ReportContext
from chibo4tot.results.views import parent_of
from chibo4tot.scoring.results import UnitResult

# Above this many cells the lists go to appendices even under a single đảng bộ: a hundred names
# with their reasons already run to ten pages in the body.
APPENDIX_FROM_CELLS = 100
TOP_FAILING = 2  # criteria named per đảng bộ in the summary table


def uses_appendix(ctx: ReportContext) -> bool:
    """Whether the per-cell lists leave the body: cells under more than one đảng bộ, or too many."""
    cells = ctx.cells
    return len(cells) > APPENDIX_FROM_CELLS or len({parent_of(r, ctx.root_id) for r in cells}) > 1


def parent_names(ctx: ReportContext) -> dict[str, str]:
    """Unit id → name for every unit that can be a parent, the workspace's own đảng bộ included."""
    names = {r.unit.id: r.unit.name for r in ctx.results.units} | ctx.other_names
    names[ctx.root_id] = ctx.config.name
    names.update({u.id: u.name for u, _why in ctx.results.unscored})
    return names


def by_parent(ctx: ReportContext, results: Iterable[UnitResult]) -> list[tuple[str, list[UnitResult]]]:
    """``results`` grouped by đảng bộ (their order kept inside a group), the đảng bộ in the summary's
    order (that of units.yaml), each named."""
    groups: dict[str, list[UnitResult]] = {}
    for r in results:
        groups.setdefault(parent_of(r, ctx.root_id), []).append(r)
    order = {pid: i for i, pid in enumerate(ctx.results.summary.by_parent)}
    names = parent_names(ctx)
    ranked = sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))
    return [(names.get(pid, pid), members) for pid, members in ranked]


def failing_criteria(results: Iterable[UnitResult]) -> str:
    """The criteria most cells of a group fell short of, with how many: "4 (12); 3 (9)" (the column's
    header names them: a criterion's number, then the cells in brackets)."""
    counts: Counter[str] = Counter()
    order: dict[str, int] = {}
    for r in results:
        for c in r.criteria:
            order.setdefault(c.id, len(order))
            if not c.passed:
                counts[c.id] += 1
    top = sorted(counts.items(), key=lambda kv: (-kv[1], order[kv[0]]))[:TOP_FAILING]
    return "; ".join(f"{cid} ({n})" for cid, n in top)
