"""Internal consistency of one (merged) criteria framework. Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import get_args

from chibo4tot.errors import Loc, Severity
from chibo4tot.i18n import _
from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import (
    CompositeIndicator,
    Framework,
    IndicatorGate,
    MemberShareGate,
    SubUnitShareGate,
)
from chibo4tot.models.scales import Band, MonthFact, YearFact

ERROR, WARNING = Severity.ERROR, Severity.WARNING
_MONTH_FACTS = frozenset(get_args(MonthFact))
_YEAR_FACTS = frozenset(get_args(YearFact))
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s?%")


@dataclass(frozen=True, slots=True)
class FrameworkIssue:
    """One problem of a framework at ``loc``, and the other values (``related``) it depends on.

    The problem is shown in the most derived file among them: when a child framework changed
    any of those values, the child introduced the problem.
    """

    loc: Loc
    message: str
    severity: Severity = ERROR
    related: tuple[Loc, ...] = ()


def check_framework(fw: Framework) -> list[FrameworkIssue]:
    """Internal consistency of one (merged) framework."""
    issues: list[FrameworkIssue] = []
    first: dict[str, Loc] = {}
    ids = fw.indicator_ids() | {c.id for c in fw.criteria}
    removed: dict[str, Loc] = {ident: ("remove", i) for i, ident in reversed(list(enumerate(fw.remove)))}
    for ci, criterion in enumerate(fw.criteria):
        cloc: Loc = ("criteria", ci)
        issues.extend(_duplicate(criterion.id, (*cloc, "id"), first))
        total = sum((ind.points for ind in criterion.indicators), Decimal(0))
        if total != criterion.max_points:
            # A child that changes one indicator's points (or removes one) broke the sum, not the parent.
            parts = tuple((*cloc, "indicators", ii, "points") for ii in range(len(criterion.indicators)))
            message = _("tổng điểm các chỉ tiêu của tiêu chí “{id}” là {total}, khác điểm tối đa {max}")
            issues.append(
                FrameworkIssue(
                    (*cloc, "max_points"),
                    message.format(id=criterion.id, total=total, max=criterion.max_points),
                    ERROR,
                    (*parts, (*cloc, "indicators")),
                )
            )
        if criterion.min_points is not None and criterion.min_points > criterion.max_points:
            issues.append(
                FrameworkIssue(
                    (*cloc, "min_points"),
                    _("điểm tối thiểu lớn hơn điểm tối đa"),
                    ERROR,
                    ((*cloc, "max_points"),),
                )
            )
        for ii, indicator in enumerate(criterion.indicators):
            issues.extend(_check_indicator(indicator, (*cloc, "indicators", ii), first, ids, removed))
    band_names = {b.name for b in fw.rating.bands} if fw.rating else set()
    if fw.rating:
        issues.extend(_check_bands(fw.rating.bands, ("rating", "bands"), ids, removed))
    if fw.recognition.min_rating and fw.recognition.min_rating not in band_names:
        issues.append(
            FrameworkIssue(
                ("recognition", "min_rating"),
                _("mức “{name}” không có trong rating").format(name=fw.recognition.min_rating),
                ERROR,
                (("rating", "bands"),),
            )
        )
    for gi, gate in enumerate(fw.gates):
        if isinstance(gate, IndicatorGate) and gate.indicator not in ids:
            issues.append(_unknown(gate.indicator, ("gates", gi, "indicator"), removed))
        if isinstance(gate, MemberShareGate | SubUnitShareGate):
            issues.extend(_share_in_words(gate, ("gates", gi)))
    for di, deduction in enumerate(fw.deductions):
        if deduction.criterion and deduction.criterion not in {c.id for c in fw.criteria}:
            issues.append(_unknown(deduction.criterion, ("deductions", di, "criterion"), removed))
    for qi, quota in enumerate(fw.quotas):
        for field_name, names in (
            ("band", [quota.band]),
            ("base_bands", quota.base_bands),
            ("demote_to", [quota.demote_to]),
        ):
            for name in names:
                if name not in band_names:
                    issues.append(
                        FrameworkIssue(
                            ("quotas", qi, field_name),
                            _("mức “{name}” không có trong rating").format(name=name),
                            ERROR,
                            (("rating", "bands"),),
                        )
                    )
    return issues


def unknown_id(ident: str) -> str:
    return _("không có tiêu chí/chỉ tiêu “{id}” trong khung").format(id=ident)


def _unknown(ident: str, loc: Loc, removed: dict[str, Loc]) -> FrameworkIssue:
    # A reference the parent wrote to an indicator the child removed: the child's ``remove`` broke it.
    related = (removed[ident],) if ident in removed else ()
    return FrameworkIssue(loc, unknown_id(ident), ERROR, related)


def _duplicate(ident: str, loc: Loc, first: dict[str, Loc]) -> list[FrameworkIssue]:
    if ident not in first:
        first[ident] = loc
        return []
    return [FrameworkIssue(loc, _("trùng mã “{id}”").format(id=ident), ERROR, (first[ident],))]


def _check_indicator(
    indicator: AnyIndicator,
    loc: Loc,
    first: dict[str, Loc],
    ids: set[str],
    removed: dict[str, Loc],
    in_composite: bool = False,
) -> list[FrameworkIssue]:
    ind = indicator
    issues = _duplicate(ind.id, (*loc, "id"), first)
    source, period = ind.source, ind.period
    if source in _MONTH_FACTS and period == "year":
        issues.append(
            FrameworkIssue(
                (*loc, "source"),
                _("số liệu “{source}” là số liệu tháng, không dùng cho kỳ năm").format(source=source),
                ERROR,
                ((*loc, "period"),),
            )
        )
    if source in _YEAR_FACTS and period != "year":
        issues.append(
            FrameworkIssue(
                (*loc, "source"),
                _("số liệu “{source}” là số liệu năm, chỉ dùng với period: year").format(source=source),
                ERROR,
                ((*loc, "period"),),
            )
        )
    if period != "year" and ind.rollup is None and not in_composite:
        issues.append(
            FrameworkIssue(
                (*loc, "period"),
                _("chỉ tiêu theo tháng/quý cần khai báo rollup"),
                WARNING,
                ((*loc, "rollup"),),
            )
        )
    if isinstance(ind, CompositeIndicator):
        issues.extend(_check_bands(ind.bands, (*loc, "bands"), ids, removed))
        for ci, child in enumerate(ind.indicators):
            issues.extend(_check_indicator(child, (*loc, "indicators", ci), first, ids, removed, True))
    return issues


def _check_bands(bands: list[Band], loc: Loc, ids: set[str], removed: dict[str, Loc]) -> list[FrameworkIssue]:
    issues: list[FrameworkIssue] = []
    for bi, band in enumerate(bands):
        for ci, ident in enumerate(band.conditions.indicators_at_max if band.conditions else []):
            if ident not in ids:
                issues.append(_unknown(ident, (*loc, bi, "conditions", "indicators_at_max", ci), removed))
    return issues


def _share_in_words(gate: MemberShareGate | SubUnitShareGate, loc: Loc) -> list[FrameworkIssue]:
    """A share gate whose title or reason names a percentage other than its ``min_share``: a
    framework that extends another and changes the share alone keeps the parent's words ("dưới
    mức 70%"), which would then give a verdict on one share with the reason of another."""
    wanted = Decimal(gate.min_share) * 100
    shown = f"{wanted.normalize():f}".replace(".", ",")
    issues = []
    for field, label in (("title", _("tên ngắn (title)")), ("reason", _("câu lý do (reason)"))):
        found = [m.group(1) for m in _PERCENT.finditer(getattr(gate, field) or "")]
        if found and all(Decimal(f.replace(",", ".")) != wanted for f in found):
            message = _("{field} ghi {found}%, khác tỉ lệ tối thiểu {share}%: hãy ghi lại {field} cho khớp")
            message = message.format(field=label, found=found[0], share=shown)
            issues.append(FrameworkIssue((*loc, field), message, WARNING, ((*loc, "min_share"),)))
    return issues
