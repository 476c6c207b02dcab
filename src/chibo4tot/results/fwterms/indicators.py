"""An indicator (and its sub-indicators) in words: kind, source, threshold, scale, period, roll-up. Pure.

A setting the engine does not use where it is written (a roll-up on a yearly indicator, a period on
a sub-indicator) is still shown, marked as unused: the framework's text is never silently dropped.
"""

from __future__ import annotations

from decimal import Decimal

from chibo4tot.formatting import vn_number
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.items import PERIODS_IN_YEAR, period_max
from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import (
    CompositeIndicator,
    CountIndicator,
    DurationIndicator,
    LevelIndicator,
    PointsIndicator,
    ThresholdIndicator,
)
from chibo4tot.models.scales import Level, Rollup
from chibo4tot.results.fwterms.model import Item, Term, term
from chibo4tot.results.fwterms.rules import band_terms, kinds_text
from chibo4tot.results.fwterms.words import (
    comparison,
    every,
    fact_unit,
    number,
    of_org,
    percent,
    period_name,
    points,
    source_text,
)

KINDS = {
    "pass_fail": N_("đạt / không đạt"),
    "points": N_("chấm điểm"),
    "level": N_("xếp mức"),
    "threshold": N_("so với ngưỡng"),
    "count": N_("đếm số lần"),
    "duration": N_("thời lượng"),
    "composite": N_("tổng hợp từ các chỉ tiêu con"),
}
_WHEN = {
    "thematic_combined": N_("Ngưỡng khi lồng ghép sinh hoạt chuyên đề"),
    "thematic_held": N_("Ngưỡng khi có sinh hoạt chuyên đề"),
}


def levels_text(levels: list[Level]) -> str:
    """ "Tốt: 8 điểm; Khá: 6 điểm; Trung bình (còn ghi: TB): 4 điểm, không đạt"."""
    parts = []
    for level in levels:
        name = level.name
        if level.aliases:
            name += _(" (còn ghi: {aliases})").format(aliases=", ".join(level.aliases))
        text = f"{name}: {points(level.points)}"
        if not level.passed:
            text += _(", không đạt")
        parts.append(text)
    return "; ".join(parts)


def rollup_text(rollup: Rollup | None, period: str) -> str:
    """How the periods add up to the year, in the period's own word (tháng, quý)."""
    p = period_name(period)
    if rollup is None:
        return _("bình quân các {period} (mặc định)").format(period=p)
    method = rollup.method
    if method == "sum":
        text = _("cộng điểm các {period}").format(period=p)
    elif method == "mean":
        text = _("bình quân các {period}").format(period=p)
    elif method == "min":
        text = _("lấy {period} thấp nhất").format(period=p)
    elif method == "all":
        text = _("đủ điểm khi mọi {period} đều đạt, không thì 0 điểm").format(period=p)
    elif method == "at_least":
        text = _("đủ điểm khi ít nhất {n} {period} đạt, không thì 0 điểm").format(n=rollup.count, period=p)
    else:
        text = _("đủ điểm khi từ {share} số {period} trở lên đạt, không thì 0 điểm").format(
            share=percent(rollup.share or Decimal(0)), period=p
        )
    if rollup.count is not None and method != "at_least":
        text += _(" (số kỳ {n} không dùng với cách cộng này)").format(n=rollup.count)
    if rollup.share is not None and method != "share":
        text += _(" (tỉ lệ {share} không dùng với cách cộng này)").format(share=percent(rollup.share))
    if rollup.missing == "zero":
        text += _("; tháng thiếu hồ sơ tính 0 điểm")
    elif rollup.missing == "exclude":
        text += _("; tháng thiếu hồ sơ không tính vào kỳ")
    return text


def _points_term(ind: AnyIndicator, parent: CompositeIndicator | None) -> Term:
    text = points(ind.points)
    if parent is not None:
        scale = sum((child.points for child in parent.indicators), Decimal(0))
        text = _("{points} trên thang {scale} điểm của chỉ tiêu {parent}").format(
            points=text, scale=number(scale), parent=parent.id
        )
    elif ind.period != "year" and ind.rollup is not None and ind.rollup.method == "sum":
        text = _("{points} (mỗi {period} tối đa {each})").format(
            points=text, period=period_name(ind.period), each=_each(ind)
        )
    return term("points", _("Điểm"), text)


def _each(ind: AnyIndicator) -> str:
    """A period's share of a summed indicator: 3 points over 12 months → "0,25 điểm"."""
    share = ind.points / PERIODS_IN_YEAR[ind.period]
    if share == round(share, 4):
        return points(share)
    return _("khoảng {n} điểm").format(n=vn_number(share, 2))


def _scoring_terms(ind: AnyIndicator, parent: CompositeIndicator | None) -> list[Term]:
    """The kind-specific lines: thresholds, scale, levels, or the composite's bands."""
    period = parent.period if parent is not None else ind.period
    if isinstance(ind, ThresholdIndicator | CountIndicator | DurationIndicator):
        unit = "minutes" if isinstance(ind, DurationIndicator) else fact_unit(ind.source)
        if isinstance(ind, CountIndicator) and ind.source == "self":
            unit = "times"
        out = [term("threshold", _("Ngưỡng đạt"), comparison(ind.op, ind.target, unit))]
        for i, override in enumerate(getattr(ind, "overrides", [])):
            out.append(
                term(
                    f"override:{i}:{override.when}",
                    _(_WHEN[override.when]),
                    comparison(ind.op, override.target, unit),
                )
            )
        return out
    if isinstance(ind, PointsIndicator):
        top = number(period_max(ind, parent))
        each = _("mỗi {period}").format(period=period_name(period)) if period != "year" else _("trong năm")
        passing = (
            _("đạt từ {n} điểm").format(n=number(ind.pass_at))
            if ind.pass_at is not None
            else _("đạt khi đủ điểm tối đa")
        )
        return [
            term(
                "scale",
                _("Thang điểm"),
                _("từ 0 đến {top} điểm {each}; {passing}").format(top=top, each=each, passing=passing),
            )
        ]
    if isinstance(ind, LevelIndicator):
        return [term("levels", _("Các mức"), levels_text(ind.levels))]
    if isinstance(ind, CompositeIndicator):
        scale = sum((child.points for child in ind.indicators), Decimal(0))
        out = [
            term(
                "scale",
                _("Thang chấm"),
                _(
                    "cộng điểm {n} chỉ tiêu con (tối đa {scale} điểm), xếp loại theo tổng đó rồi quy ra "
                    "điểm của chỉ tiêu"
                ).format(n=len(ind.indicators), scale=number(scale)),
            )
        ]
        out += band_terms(ind.bands, "band", _("Xếp loại {name}"))
        out.append(term("levels", _("Điểm theo xếp loại"), levels_text(ind.levels)))
        return out
    return []


def _period_terms(ind: AnyIndicator, parent: CompositeIndicator | None) -> list[Term]:
    if parent is not None:
        out = []
        if ind.period != parent.period:
            out.append(
                term(
                    "period",
                    _("Kỳ chấm"),
                    _("{every} (không dùng: chỉ tiêu con chấm theo kỳ của chỉ tiêu {parent})").format(
                        every=every(ind.period), parent=parent.id
                    ),
                )
            )
        if ind.rollup is not None:
            out.append(
                term(
                    "rollup",
                    _("Cả năm"),
                    _("{rollup} (không dùng: chỉ tiêu con được tổng hợp trong chỉ tiêu {parent})").format(
                        rollup=rollup_text(ind.rollup, parent.period), parent=parent.id
                    ),
                )
            )
        return out
    out = [term("period", _("Kỳ chấm"), every(ind.period))]
    if ind.period != "year":
        out.append(term("rollup", _("Cả năm"), rollup_text(ind.rollup, ind.period)))
    elif ind.rollup is not None:
        out.append(
            term(
                "rollup",
                _("Cả năm"),
                _("{rollup} (không dùng: chấm một lần trong năm)").format(
                    rollup=rollup_text(ind.rollup, "month")
                ),
            )
        )
    return out


def _source_term(ind: AnyIndicator) -> list[Term]:
    if isinstance(ind, CompositeIndicator):
        if ind.source == "self":
            return []
        text = _("{source} (không dùng: điểm tính từ các chỉ tiêu con)").format(
            source=source_text(ind.source)
        )
        return [term("source", _("Số liệu"), text)]
    return [term("source", _("Số liệu"), source_text(ind.source))]


def indicator_items(
    ind: AnyIndicator, parent: CompositeIndicator | None = None, depth: int = 1
) -> list[Item]:
    """The indicator's item, followed by those of its sub-indicators."""
    terms = [
        term("name", _("Nội dung"), ind.name),
        _points_term(ind, parent),
        term("kind", _("Loại"), _(KINDS[ind.kind])),
        *_source_term(ind),
        *_scoring_terms(ind, parent),
        *_period_terms(ind, parent),
    ]
    if ind.applies_to is not None:
        terms.append(term("applies_to", _("Chỉ áp dụng cho"), kinds_text(ind.applies_to)))
    if ind.optional:
        terms.append(
            term(
                "optional",
                _("Không áp dụng"),
                of_org(
                    N_("chi bộ được ghi “không áp dụng”; khi đó chỉ tiêu không tính vào điểm tối đa"),
                    N_("đảng bộ được ghi “không áp dụng”; khi đó chỉ tiêu không tính vào điểm tối đa"),
                ),
            )
        )
    if ind.guidance:
        terms.append(term("guidance", _("Hướng dẫn chấm"), ind.guidance))
    item = Item(
        f"indicator:{ind.id}",
        "indicator",
        _("Chỉ tiêu"),
        ind.id,
        ind.name,
        tuple(terms),
        depth=depth,
        points=ind.points,
        sub_points=parent is not None,
    )
    out = [item]
    if isinstance(ind, CompositeIndicator):
        for child in ind.indicators:
            out.extend(indicator_items(child, ind, depth + 1))
    return out
