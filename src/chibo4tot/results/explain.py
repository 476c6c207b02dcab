"""``explain``: every criterion, indicator, period, bonus, gate and band of one unit, with file:line."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from chibo4tot.errors import Loc
from chibo4tot.formatting import vn_number
from chibo4tot.i18n import _
from chibo4tot.results.views import previous_verdict, status_label
from chibo4tot.scoring.results import CriterionResult, GateResult, IndicatorResult, PeriodScore, UnitResult
from chibo4tot.scoring.text import render_reason

Where = Callable[[Path | None, Loc], str]


def where_finder(
    find: Callable[[Path | None, Loc], tuple[int | None, int | None]], show: Callable[[Path], str]
) -> Where:
    """``path:line`` (the path as ``show`` writes it), or "" when there is no file behind a value."""

    def where(path: Path | None, loc: Loc) -> str:
        if path is None:
            return ""
        line, _col = find(path, loc)
        return f"{show(path)}:{line}" if line else show(path)

    return where


def _pts(value: Fraction | Decimal | None) -> str:
    return "—" if value is None else vn_number(value, 2)


def _period_line(p: PeriodScore, top: Decimal, where: Where, indent: str) -> list[str]:
    got = None if p.fraction is None else p.fraction * Fraction(top)
    src = where(p.path, p.loc)
    line = f"{indent}{p.label}: {p.value} — {p.rule} → {_pts(got)}/{vn_number(top, 2)}"
    if p.fraction is None:
        line = f"{indent}{p.label}: {p.value} — {p.rule}"
    out = [line + (f"  [{src}]" if src else "")]
    for child in p.children:
        csrc = where(child.score.path, child.score.loc)
        out.append(
            f"{indent}    {child.id}: {child.score.value} — {child.score.rule} → "
            f"{_pts(child.points)}/{vn_number(child.max_points, 2)}" + (f"  [{csrc}]" if csrc else "")
        )
    return out


def _indicator_lines(ind: IndicatorResult, where: Where) -> list[str]:
    head = f"  {ind.id}. {ind.name}"
    if ind.not_applicable:
        return [head, "    " + _("không áp dụng: không tính vào điểm tối đa ({rule})").format(rule=ind.rule)]
    lines = [
        head,
        "    "
        + _("{points}/{max} điểm — {rule}").format(
            points=_pts(ind.points), max=vn_number(ind.max_points, 2), rule=ind.rule
        ),
    ]
    for p in ind.periods:
        if not p.remaining:
            lines.extend(_period_line(p, ind.period_max or ind.max_points, where, "      "))
    return lines


def lost_points(c: CriterionResult, where: Where) -> list[str]:
    """How a criterion got its points, short: every indicator with its points and roll-up, and
    for those below their maximum the periods that lost points (what a reviewer looks for)."""
    lines: list[str] = []
    if c.applicable_max != c.max_points:
        lines.append(
            _("quy đổi: {raw}/{applicable} × {max}").format(
                raw=_pts(c.raw), applicable=vn_number(c.applicable_max, 2), max=vn_number(c.max_points, 2)
            )
        )
    if c.deduction:
        lines.append(_("trừ {points} điểm (xem điểm trừ)").format(points=_pts(c.deduction)))
    for ind in c.indicators:
        if ind.not_applicable:
            lines.append(f"{ind.id}: " + _("không áp dụng ({rule})").format(rule=ind.rule))
            continue
        lines.append(
            f"{ind.id}: "
            + _("{points}/{max} điểm — {rule}").format(
                points=_pts(ind.points), max=vn_number(ind.max_points, 2), rule=ind.rule
            )
        )
        if ind.points == Fraction(ind.max_points):
            continue
        top = ind.period_max or ind.max_points
        for p in ind.periods:
            if not p.remaining and p.fraction is not None and p.fraction < 1:
                # Of a graded meeting, only the sub-indicators that lost points.
                lost = tuple(c for c in p.children if c.points is not None and c.points < c.max_points)
                lines.extend(_period_line(replace(p, children=lost), top, where, "    "))
    return lines


def _gate_line(g: GateResult, where: Where) -> str:
    mark = {"passed": _("đạt"), "failed": _("KHÔNG ĐẠT"), "pending": _("chưa xét")}[g.status]
    src = where(g.path, g.loc)
    return (
        f"  [{mark}] {g.id}: {g.detail}"
        + (f"  [{src}]" if src else "")
        + (f"\n      → {render_reason(g.reason, g.detail, g.fields)}" if g.status == "failed" else "")
    )


def gate_line(g: GateResult, where: Where) -> str:
    """One gate: passed, failed (with the reason the framework gives) or not yet decided."""
    return _gate_line(g, where).strip()


def render_explain(r: UnitResult, where: Where) -> list[str]:
    lines = [
        _("{name} ({id}) — năm {year}, khung tiêu chí {fw}").format(
            name=r.unit.name, id=r.unit.id, year=r.year, fw=r.framework_id
        ),
        (
            _("Hồ sơ tháng: {got}/{as_of}").format(got=len(r.months_recorded), as_of=r.as_of)
            if r.takes_months
            else _("Đánh giá một lần vào cuối năm, không có hồ sơ tháng")
        )
        + (
            "; " + _("thiếu tháng {months}").format(months=", ".join(f"{m:02d}" for m in r.months_missing))
            if r.months_missing
            else ""
        )
        + ("; " + _("hồ sơ cuối năm") + ": " + where(r.year_path, ()) if r.year_path else ""),
        "",
    ]
    for c in r.criteria:
        title = _("Tiêu chí {id}. {name}: {points}/{max} điểm").format(
            id=c.id, name=c.name, points=_pts(c.points), max=vn_number(c.max_points, 2)
        )
        if c.min_points is not None:
            title += " " + _("(tối thiểu {min}: {ok})").format(
                min=vn_number(c.min_points, 2), ok=_("đạt") if c.passed else _("không đạt")
            )
        lines.append(title)
        if c.applicable_max != c.max_points:
            lines.append(
                "  "
                + _("quy đổi: {raw}/{applicable} × {max}").format(
                    raw=_pts(c.raw), applicable=vn_number(c.applicable_max, 2), max=vn_number(c.max_points, 2)
                )
            )
        if c.deduction:
            lines.append("  " + _("trừ {points} điểm (xem điểm trừ)").format(points=_pts(c.deduction)))
        for ind in c.indicators:
            lines.extend(_indicator_lines(ind, where))
        lines.append("")
    lines.append(_("Điểm thưởng: {points}").format(points=_pts(r.bonus)))
    for item in r.bonus_items:
        src = ", ".join(filter(None, (where(p, loc) for p, loc in item.sources)))
        lines.append(
            f"  {item.id}. {item.name}: {item.count} × → {_pts(item.points)}" + (f"  [{src}]" if src else "")
        )
    lines.append(_("Điểm trừ:"))
    for item in r.deductions:
        src = ", ".join(filter(None, (where(p, loc) for p, loc in item.sources)))
        target = _("tiêu chí {id}").format(id=item.criterion) if item.criterion else _("tổng điểm")
        lines.append(
            f"  {item.id}. {item.name}: {item.count} → −{_pts(item.points)} ({target})"
            + (f"  [{src}]" if src else "")
        )
    if not r.deductions:
        lines.append("  " + _("không có"))
    lines.append(_("Điều kiện loại trừ:"))
    lines.extend(_gate_line(g, where) for g in r.gates)
    lines.append(
        _("Tổng điểm: {total}/{max}; xếp loại: {rating}").format(
            total=_pts(r.total), max=vn_number(r.max_total, 2), rating=r.rating or "—"
        )
        + (f" — {r.rating_rule}" if r.rating_rule else "")
    )
    for gap in r.review_gaps:
        lines.append(
            _("Chênh lệch thẩm định ở chỉ tiêu {id} ({label}): tự chấm {own}, sau thẩm định {final}").format(
                id=gap.indicator, label=gap.label, own=_pts(gap.self_points), final=_pts(gap.final_points)
            )
            + f"  [{where(gap.path, gap.loc)}]"
        )
    lines.append("")
    lines.append(_("Kết luận: {verdict}").format(verdict=status_label(r)))
    lines.extend(f"  - {reason}" for reason in r.reasons)
    if r.needed:
        lines.append(_("Cần có: {needed}.").format(needed="; ".join(r.needed)))
    if r.streak > 1:
        lines.append(_("{n} năm liền đạt “Chi bộ 4 tốt”.").format(n=r.streak))
    last = r.previous
    if last is not None:
        lines.append(
            _("Năm {year}: {total} điểm, xếp loại {rating}, {verdict}.").format(
                year=last.year,
                total=_pts(last.total),
                rating=last.rating or "—",
                verdict=previous_verdict(last).lower(),
            )
        )
    return lines
