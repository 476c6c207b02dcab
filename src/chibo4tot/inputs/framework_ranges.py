"""Plausible ranges of a framework's thresholds, judged by the quantity each one is compared with. Pure."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chibo4tot.errors import Loc, Severity
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.checks_framework import FrameworkIssue
from chibo4tot.inputs.items import PERIODS_IN_YEAR, period_max
from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import (
    CompositeIndicator,
    CountIndicator,
    DurationIndicator,
    Framework,
    Gate,
    MemberShareGate,
    MissingMonthsGate,
    PointsIndicator,
    SubUnitShareGate,
    ThresholdIndicator,
)
from chibo4tot.models.scales import Band, Op, Period
from chibo4tot.models.types import plain_number

ERROR, WARNING = Severity.ERROR, Severity.WARNING
ZERO, ONE = Decimal(0), Decimal(1)
MONTHS_IN_PERIOD: dict[str, int] = {"month": 1, "quarter": 3, "year": 12}
# One monthly meeting: Hướng dẫn 12-HD/BTCTW asks for 90 minutes, 120 with a thematic part;
# outside these bounds the number was most likely written in hours, or mistyped.
SHORTEST_MEETING, LONGEST_MEETING = Decimal(15), Decimal(600)

_SHARES = {
    "attendance_rate": N_("tỉ lệ dự họp"),
    "members_good_share": N_("tỉ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên"),
    "members_excellent_share": N_("tỉ lệ đảng viên hoàn thành xuất sắc nhiệm vụ"),
    "sub_units_recognised_share": N_("tỉ lệ tổ chức đảng trực thuộc được công nhận"),
}
# Yes/no facts of a month: over a quarter they add up to at most one per month.
_EVENTS = {
    "meeting_held": N_("số lần sinh hoạt định kỳ"),
    "chi_uy_met_before": N_("số lần chi ủy họp trước"),
    "draft_resolution": N_("số lần có dự thảo nghị quyết"),
    "minutes_recorded": N_("số lần có biên bản"),
    "thematic_held": N_("số lần sinh hoạt chuyên đề"),
}
_COUNTS = {
    "unexcused_absences": N_("số lượt vắng không lý do"),
    "excused_absences": N_("số lượt vắng có lý do"),
    "discipline_cases": N_("số vụ kỷ luật"),
    "new_members": N_("số đảng viên mới kết nạp"),
}
_LEVELS = frozenset({"meeting_quality", "annual_classification"})
_PERIOD_NAMES = {"month": N_("tháng"), "quarter": N_("quý"), "year": N_("năm")}

NEVER = N_("ngưỡng {target} cho {what} không thể đạt ({scale})")
ALWAYS = N_("ngưỡng {target} cho {what} luôn đạt ({scale})")
_LEVEL_SOURCE = N_(
    "số liệu “{source}” là một mức xếp loại, không so sánh với một ngưỡng số được; hãy dùng kind: level"
)
_DURATION_SOURCE = N_(
    "chỉ tiêu thời lượng (kind: duration) lấy số liệu duration_minutes hoặc self, không phải “{source}”"
)
_TOO_SHORT = N_(
    "ngưỡng {target} phút cho {what} quá ngắn; thời lượng tính bằng phút: "
    "nếu là {target} giờ hãy ghi {minutes}"
)
_TOO_LONG = N_("ngưỡng {target} phút (hơn {hours} giờ) cho {what} quá dài; thời lượng tính bằng phút")
_TOO_LOW = N_(
    "ngưỡng {target} điểm cho {what} quá thấp so với tối đa {max} điểm; nếu là {percent}% hãy ghi {points}"
)
_ABOVE_PERIOD_MAX = N_(
    "ngưỡng {target} điểm cho {what} lớn hơn điểm tối đa mỗi kỳ ({max}); chỉ đạt khi chấm đủ điểm tối đa"
)


@dataclass(frozen=True, slots=True)
class Quantity:
    """What a threshold is compared with: its name, the kind of number, its scale (0 up to ``high``)."""

    what: str
    kind: Literal["share", "minutes", "count"]
    scale: str
    high: Decimal | None = None


def check_ranges(fw: Framework) -> list[FrameworkIssue]:
    """Thresholds that can never be met (errors) or read like a slip of unit (warnings)."""
    issues: list[FrameworkIssue] = []
    for ci, criterion in enumerate(fw.criteria):
        low = criterion.min_points
        if low is not None and low <= criterion.max_points:  # above it: checks_framework says so
            what = _("điểm tối thiểu của tiêu chí “{id}”").format(id=criterion.id)
            related = (("criteria", ci, "max_points"),)
            issues.extend(_points(what, low, criterion.max_points, ("criteria", ci, "min_points"), related))
        for ii, indicator in enumerate(criterion.indicators):
            issues.extend(_indicator(indicator, ("criteria", ci, "indicators", ii), None))
    top = sum((c.max_points for c in fw.criteria), ZERO) + (fw.bonus.max_points if fw.bonus else ZERO)
    issues.extend(_points(_("tổng điểm"), fw.recognition.min_total, top, ("recognition", "min_total")))
    if fw.rating:
        issues.extend(_bands(fw.rating.bands, top, ("rating", "bands")))
    for gi, gate in enumerate(fw.gates):
        issues.extend(_gate(gate, ("gates", gi)))
    return issues


def _gate(gate: Gate, loc: Loc) -> list[FrameworkIssue]:
    if isinstance(gate, MemberShareGate | SubUnitShareGate) and gate.min_share == 0:
        member = isinstance(gate, MemberShareGate)
        what = _("tỉ lệ đảng viên được xếp loại") if member else _(_SHARES["sub_units_recognised_share"])
        return [_always(gate.min_share, what, _("tỉ lệ từ 0 đến 1"), (*loc, "min_share"), ())]
    if isinstance(gate, MissingMonthsGate) and gate.max_missing >= 12:
        what, scale = _("số tháng thiếu hồ sơ"), _("một năm có 12 tháng")
        return [_always(Decimal(gate.max_missing), what, scale, (*loc, "max_missing"), ())]
    return []


def _indicator(ind: AnyIndicator, loc: Loc, parent: CompositeIndicator | None) -> list[FrameworkIssue]:
    issues: list[FrameworkIssue] = []
    period: Period = parent.period if parent is not None else ind.period
    related: Loc = (*loc, "source")
    if isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator):
        context = ((*loc, "source"), (*loc, "op"), (*loc, "kind"), (*loc, "period"))
        if ind.source in _LEVELS:
            message = _(_LEVEL_SOURCE).format(source=ind.source)
            issues.append(FrameworkIssue(related, message, ERROR, ((*loc, "kind"),)))
        elif isinstance(ind, DurationIndicator) and ind.source not in ("self", "duration_minutes"):
            message = _(_DURATION_SOURCE).format(source=ind.source)
            issues.append(FrameworkIssue(related, message, ERROR, ((*loc, "kind"),)))
        elif (quantity := _quantity(ind, period)) is not None:
            targets = [((*loc, "target"), Decimal(ind.target))]
            targets += [
                ((*loc, "overrides", oi, "target"), o.target)
                for oi, o in enumerate(getattr(ind, "overrides", []))
            ]
            for where, target in targets:
                issues.extend(_target(quantity, ind.op, target, period, where, context))
    if isinstance(ind, PointsIndicator) and ind.pass_at is not None:
        issues.extend(_pass_at(ind, parent, loc))
    if ind.rollup is not None and parent is None:
        issues.extend(_rollup(ind, loc))
    if isinstance(ind, CompositeIndicator):
        full = sum((child.points for child in ind.indicators), ZERO)
        issues.extend(_bands(ind.bands, full, (*loc, "bands"), ((*loc, "indicators"),)))
        for ci, child in enumerate(ind.indicators):
            issues.extend(_indicator(child, (*loc, "indicators", ci), ind))
    return issues


def _quantity(
    ind: ThresholdIndicator | CountIndicator | DurationIndicator, period: Period
) -> Quantity | None:
    months = MONTHS_IN_PERIOD[period]
    source = ind.source
    if isinstance(ind, DurationIndicator) or source == "duration_minutes":
        return Quantity(_("thời lượng sinh hoạt"), "minutes", _("số phút không âm"))
    if source in _SHARES:
        return Quantity(_(_SHARES[source]), "share", _("tỉ lệ từ 0 đến 1"), ONE)
    if source in _EVENTS:
        period_name = _(_PERIOD_NAMES[period])
        scale = _("nhiều nhất {high} lần trong một {period}").format(high=months, period=period_name)
        return Quantity(_(_EVENTS[source]), "count", scale, Decimal(months))
    if source == "max_excused_streak":
        scale = _("nhiều nhất 12 tháng liên tiếp trong một năm")
        return Quantity(_("số lần vắng có lý do liên tiếp"), "count", scale, Decimal(12))
    if source in _COUNTS or isinstance(ind, CountIndicator):
        what = _(_COUNTS[source]) if source in _COUNTS else _("số lần")
        return Quantity(what, "count", _("số nguyên không âm"))
    return None  # a self-assessed number: its scale is the author's


def _target(
    q: Quantity, op: Op, target: Decimal, period: Period, loc: Loc, related: tuple[Loc, ...]
) -> list[FrameworkIssue]:
    verdict = _verdict(q, op, target)
    shown = plain_number(target)
    if verdict is not None:
        template = NEVER if verdict == "never" else ALWAYS
        message = _(template).format(target=shown, what=q.what, scale=q.scale)
        percent = q.kind == "share" and target > ONE
        if percent:
            # Shares are written 0..1 everywhere (a record refuses "85%" too), so 90 meant 90%.
            message += _("; nếu là {percent}% hãy ghi {fraction}").format(
                percent=shown, fraction=plain_number(target / 100)
            )
        return [FrameworkIssue(loc, message, ERROR if verdict == "never" or percent else WARNING, related)]
    if q.kind == "minutes" and ZERO < target < SHORTEST_MEETING:
        message = _(_TOO_SHORT)
        return [
            FrameworkIssue(
                loc,
                message.format(target=shown, what=q.what, minutes=plain_number(target * 60)),
                WARNING,
                related,
            )
        ]
    if q.kind == "minutes" and target > LONGEST_MEETING * MONTHS_IN_PERIOD[period]:
        message = _(_TOO_LONG)
        hours = plain_number(Decimal(int(target // 60)))
        return [FrameworkIssue(loc, message.format(target=shown, hours=hours, what=q.what), WARNING, related)]
    return []


def _verdict(q: Quantity, op: Op, t: Decimal) -> Literal["never", "always"] | None:
    """Whether ``value op t`` can never, or will always, hold for a value of ``q`` (0 up to ``high``)."""
    high = q.high
    whole = q.kind != "share"
    if op == ">=":
        never, always = high is not None and t > high, t <= ZERO
    elif op == ">":
        never, always = high is not None and t >= high, t < ZERO
    elif op == "<=":
        never, always = t < ZERO, high is not None and t >= high
    elif op == "<":
        never, always = t <= ZERO, high is not None and t > high
    else:
        never = t < ZERO or (high is not None and t > high) or (whole and t != t.to_integral_value())
        always = False
    return "never" if never else "always" if always else None


def _always(target: Decimal, what: str, scale: str, loc: Loc, related: tuple[Loc, ...]) -> FrameworkIssue:
    message = _(ALWAYS).format(target=plain_number(target), what=what, scale=scale)
    return FrameworkIssue(loc, message, WARNING, related)


def _points(
    what: str, target: Decimal, top: Decimal, loc: Loc, related: tuple[Loc, ...] = ()
) -> list[FrameworkIssue]:
    shown = plain_number(target)
    if target > top:
        scale = _("tối đa {max} điểm").format(max=plain_number(top))
        return [FrameworkIssue(loc, _(NEVER).format(target=shown, what=what, scale=scale), ERROR, related)]
    if ZERO < target <= ONE < top:
        message = _(_TOO_LOW)
        values = {"percent": plain_number(target * 100), "points": plain_number(target * top)}
        message = message.format(target=shown, what=what, max=plain_number(top), **values)
        return [FrameworkIssue(loc, message, WARNING, related)]
    return []


def _pass_at(ind: PointsIndicator, parent: CompositeIndicator | None, loc: Loc) -> list[FrameworkIssue]:
    assert ind.pass_at is not None
    top = period_max(ind, parent)
    where, related = (*loc, "pass_at"), ((*loc, "points"), (*loc, "rollup"))
    what = _("điểm đạt của chỉ tiêu “{id}”").format(id=ind.id)
    if ind.pass_at > top:
        # Scoring caps pass_at at the maximum: not impossible, but the author meant something else.
        message = _(_ABOVE_PERIOD_MAX)
        message = message.format(target=plain_number(ind.pass_at), what=what, max=plain_number(top))
        return [FrameworkIssue(where, message, WARNING, related)]
    return _points(what, ind.pass_at, top, where, related)


def _rollup(ind: AnyIndicator, loc: Loc) -> list[FrameworkIssue]:
    rollup = ind.rollup
    assert rollup is not None
    related = ((*loc, "rollup", "method"), (*loc, "period"))
    if rollup.method == "at_least" and rollup.count is not None:
        periods = PERIODS_IN_YEAR[ind.period]
        count, where = Decimal(rollup.count), (*loc, "rollup", "count")
        scale = _("cả năm có {n} kỳ").format(n=periods)
        if count > periods:
            message = _(NEVER).format(target=rollup.count, what=_("số kỳ phải đạt"), scale=scale)
            return [FrameworkIssue(where, message, ERROR, related)]
        if count == 0:
            return [_always(count, _("số kỳ phải đạt"), scale, where, related)]
    if rollup.method == "share" and rollup.share == 0:
        where = (*loc, "rollup", "share")
        return [_always(rollup.share, _("tỉ lệ kỳ phải đạt"), _("tỉ lệ từ 0 đến 1"), where, related)]
    return []


def _bands(bands: list[Band], top: Decimal, loc: Loc, related: tuple[Loc, ...] = ()) -> list[FrameworkIssue]:
    issues: list[FrameworkIssue] = []
    for bi, band in enumerate(bands):
        where: Loc = (*loc, bi, "min")
        if band.min > top:
            message = _("mức “{name}” không thể đạt: cần từ {min} điểm, tối đa chỉ có {max} điểm")
            message = message.format(name=band.name, min=plain_number(band.min), max=plain_number(top))
            issues.append(FrameworkIssue(where, message, ERROR, related))
        else:
            what = _("mức “{name}”").format(name=band.name)
            issues.extend(_points(what, band.min, top, where, related))
    return issues
