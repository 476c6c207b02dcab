"""Internal consistency of one (merged) criteria framework. Pure."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import get_args

from chibo4tot.errors import Loc, Severity
from chibo4tot.i18n import _
from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import CompositeIndicator, Framework, IndicatorGate
from chibo4tot.models.scales import Band, MonthFact, YearFact

ERROR, WARNING = Severity.ERROR, Severity.WARNING
FrameworkIssue = tuple[Loc, str, Severity]
_MONTH_FACTS = frozenset(get_args(MonthFact))
_YEAR_FACTS = frozenset(get_args(YearFact))


def check_framework(fw: Framework) -> list[FrameworkIssue]:
    """Internal consistency of one (merged) framework."""
    issues: list[FrameworkIssue] = []
    seen: Counter[str] = Counter()
    ids = fw.indicator_ids() | {c.id for c in fw.criteria}
    for ci, criterion in enumerate(fw.criteria):
        cloc: Loc = ("criteria", ci)
        seen[criterion.id] += 1
        if seen[criterion.id] > 1:
            issues.append(((*cloc, "id"), _("trùng mã “{id}”").format(id=criterion.id), ERROR))
        total = sum((ind.points for ind in criterion.indicators), Decimal(0))
        if total != criterion.max_points:
            issues.append(
                (
                    (*cloc, "max_points"),
                    _("tổng điểm các chỉ tiêu của tiêu chí “{id}” là {total}, khác điểm tối đa {max}").format(
                        id=criterion.id, total=total, max=criterion.max_points
                    ),
                    ERROR,
                )
            )
        if criterion.min_points is not None and criterion.min_points > criterion.max_points:
            issues.append(((*cloc, "min_points"), _("điểm tối thiểu lớn hơn điểm tối đa"), ERROR))
        for ii, indicator in enumerate(criterion.indicators):
            issues.extend(_check_indicator(indicator, (*cloc, "indicators", ii), seen, ids))
    band_names = {b.name for b in fw.rating.bands} if fw.rating else set()
    if fw.rating:
        issues.extend(_check_bands(fw.rating.bands, ("rating", "bands"), ids))
    if fw.recognition.min_rating and fw.recognition.min_rating not in band_names:
        issues.append(
            (
                ("recognition", "min_rating"),
                _("mức “{name}” không có trong rating").format(name=fw.recognition.min_rating),
                ERROR,
            )
        )
    for gi, gate in enumerate(fw.gates):
        if isinstance(gate, IndicatorGate) and gate.indicator not in ids:
            issues.append((("gates", gi, "indicator"), unknown_id(gate.indicator), ERROR))
    for di, deduction in enumerate(fw.deductions):
        if deduction.criterion and deduction.criterion not in {c.id for c in fw.criteria}:
            issues.append((("deductions", di, "criterion"), unknown_id(deduction.criterion), ERROR))
    for qi, quota in enumerate(fw.quotas):
        for field_name, names in (
            ("band", [quota.band]),
            ("base_bands", quota.base_bands),
            ("demote_to", [quota.demote_to]),
        ):
            for name in names:
                if name not in band_names:
                    issues.append(
                        (
                            ("quotas", qi, field_name),
                            _("mức “{name}” không có trong rating").format(name=name),
                            ERROR,
                        )
                    )
    return issues


def unknown_id(ident: str) -> str:
    return _("không có tiêu chí/chỉ tiêu “{id}” trong khung").format(id=ident)


def _check_indicator(
    indicator: AnyIndicator, loc: Loc, seen: Counter[str], ids: set[str], in_composite: bool = False
) -> list[FrameworkIssue]:
    issues: list[FrameworkIssue] = []
    ind = indicator
    seen[ind.id] += 1
    if seen[ind.id] > 1:
        issues.append(((*loc, "id"), _("trùng mã “{id}”").format(id=ind.id), ERROR))
    source, period = ind.source, ind.period
    if source in _MONTH_FACTS and period == "year":
        issues.append(
            (
                (*loc, "source"),
                _("số liệu “{source}” là số liệu tháng, không dùng cho kỳ năm").format(source=source),
                ERROR,
            )
        )
    if source in _YEAR_FACTS and period != "year":
        issues.append(
            (
                (*loc, "source"),
                _("số liệu “{source}” là số liệu năm, chỉ dùng với period: year").format(source=source),
                ERROR,
            )
        )
    if period != "year" and ind.rollup is None and not in_composite:
        issues.append(((*loc, "period"), _("chỉ tiêu theo tháng/quý cần khai báo rollup"), WARNING))
    if isinstance(ind, CompositeIndicator):
        issues.extend(_check_bands(ind.bands, (*loc, "bands"), ids))
        for ci, child in enumerate(ind.indicators):
            issues.extend(_check_indicator(child, (*loc, "indicators", ci), seen, ids, True))
    return issues


def _check_bands(bands: list[Band], loc: Loc, ids: set[str]) -> list[FrameworkIssue]:
    issues: list[FrameworkIssue] = []
    for bi, band in enumerate(bands):
        for ci, ident in enumerate(band.conditions.indicators_at_max if band.conditions else []):
            if ident not in ids:
                issues.append(((*loc, bi, "conditions", "indicators_at_max", ci), unknown_id(ident), ERROR))
    return issues
