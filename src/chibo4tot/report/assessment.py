"""Section II of the year-end report: strengths and shortcomings drawn from the cells' results."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from chibo4tot.formatting import vn_number
from chibo4tot.i18n import _
from chibo4tot.report.context import unpacked_briefly
from chibo4tot.scoring.results import CriterionResult, UnitResult
from chibo4tot.scoring.text import generic_reason


@dataclass(frozen=True)
class CriterionStats:
    sample: CriterionResult  # for the id, name and maximum
    failed: int  # cells below the criterion's minimum
    mean: Fraction  # mean points over the cells

    @property
    def share(self) -> Fraction:
        return self.mean / Fraction(self.sample.max_points) if self.sample.max_points else Fraction(0)

    @property
    def label(self) -> str:
        return _("tiêu chí {id} ({name})").format(id=self.sample.id, name=self.sample.name)

    def mean_text(self) -> str:
        return f"{vn_number(self.mean)}/{vn_number(self.sample.max_points)}"


def criteria_stats(cells: list[UnitResult]) -> list[CriterionStats]:
    """Per criterion, in the framework's order."""
    first: dict[str, CriterionResult] = {}
    failed: Counter[str] = Counter()
    sums: dict[str, Fraction] = {}
    counts: Counter[str] = Counter()
    for r in cells:
        for c in r.criteria:
            first.setdefault(c.id, c)
            failed[c.id] += not c.passed
            sums[c.id] = sums.get(c.id, Fraction(0)) + Fraction(c.points)
            counts[c.id] += 1
    return [CriterionStats(c, failed[cid], sums[cid] / counts[cid]) for cid, c in first.items()]


def strengths(cells: list[UnitResult], stats: list[CriterionStats]) -> list[str]:
    out = [
        _("Cả {total} chi bộ đạt mức tối thiểu của {criterion}; điểm bình quân {mean}.").format(
            total=len(cells), criterion=s.label, mean=s.mean_text()
        )
        for s in stats
        if s.failed == 0
    ]
    if stats and not out:
        # max() keeps the first of equals: the earlier criterion wins a tie.
        top = max(stats, key=lambda s: s.share)
        out.append(
            _("Điểm bình quân cao nhất ở {criterion}: {mean}.").format(
                criterion=top.label, mean=top.mean_text()
            )
        )
    if cells:
        best = max(cells, key=lambda r: r.total)
        out.append(
            _("Chi bộ có tổng điểm cao nhất: {name} ({points} điểm).").format(
                name=best.unit.name, points=vn_number(best.total, 2, fixed=True)
            )
        )
        complete = sum(1 for r in cells if not r.months_missing)
        if complete:
            out.append(
                _("{n}/{total} chi bộ có đủ hồ sơ tự đánh giá hằng tháng.").format(
                    n=complete, total=len(cells)
                )
            )
    return out


def shortcomings(cells: list[UnitResult], stats: list[CriterionStats]) -> list[str]:
    """Criteria and conditions that failed most first (a stable sort keeps the framework's order)."""
    out = [
        _("{n} chi bộ chưa đạt mức tối thiểu của {criterion}.").format(n=s.failed, criterion=s.label)
        for s in sorted(stats, key=lambda s: -s.failed)
        if s.failed
    ]
    gates: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for r in cells:
        for g in unpacked_briefly(r).gates:
            if g.status == "failed":
                gates[g.id] += 1
                labels.setdefault(g.id, g.title or generic_reason(g.reason).rstrip(" ."))
    for gid, n in gates.most_common():
        out.append(_("Không đạt điều kiện “{label}”: {n} chi bộ.").format(label=labels[gid], n=n))
    if not out:
        out.append(_("Không có chi bộ nào chưa đạt tiêu chí hoặc điều kiện công nhận."))
    if len(stats) > 1:
        low = min(stats, key=lambda s: s.share)
        out.append(
            _("Điểm bình quân thấp nhất ở {criterion}: {mean}.").format(
                criterion=low.label, mean=low.mean_text()
            )
        )
    return out
