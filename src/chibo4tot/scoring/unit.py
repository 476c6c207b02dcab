"""One unit's year: criteria (rescaled when indicators do not apply), bonus, deductions, gates, rating."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from chibo4tot.errors import Loc
from chibo4tot.formatting import months_text
from chibo4tot.i18n import _
from chibo4tot.models.framework import (
    ClassificationGate,
    Criterion,
    DisciplineGate,
    Framework,
    Gate,
    IndicatorGate,
    MemberShareGate,
    MissingMonthsGate,
    RegistrationGate,
    SubUnitShareGate,
)
from chibo4tot.models.scales import Band
from chibo4tot.models.types import CLASSIFICATION_LABELS, Classification
from chibo4tot.scoring.facts import AT_LEAST, UnitRecords, discipline_cases, excused_streaks, member_share
from chibo4tot.scoring.indicators import pick_band, score_indicator
from chibo4tot.scoring.lines import score_bonus, score_deductions
from chibo4tot.scoring.numbers import exact, exact_sum, round_half_up, round_ratio
from chibo4tot.scoring.packing import scored_unit
from chibo4tot.scoring.periods import Context
from chibo4tot.scoring.plan import Plan, plan_for
from chibo4tot.scoring.results import (
    CriterionResult,
    GateResult,
    GateStatus,
    IndicatorResult,
    UnitResult,
)
from chibo4tot.scoring.text import fmt_score, fmt_share


def score_unit(
    fw: Framework,
    data: UnitRecords,
    year: int,
    as_of: int,
    sub_units_share: Fraction | None = None,
) -> UnitResult:
    """Everything about one unit's year except what depends on other units (quotas, streaks)."""
    plan = plan_for(fw)
    ctx = Context(
        data,
        year,
        fw.review.gap_warning_points,
        excused_streaks(data.months),
        sub_units_share,
        plan=plan,
        kind=data.unit.kind.value,
    )
    places = fw.decimal_places
    results = {c.id: [score_indicator(ind, fw, ctx, as_of) for ind in c.indicators] for c in fw.criteria}
    deductions = score_deductions(fw, data, places)
    by_criterion: dict[str, Decimal] = {}
    for line in deductions:
        if line.criterion:
            by_criterion[line.criterion] = by_criterion.get(line.criterion, Decimal(0)) + line.points
    criteria = [_criterion(c, results[c.id], by_criterion.get(c.id, Decimal(0)), places) for c in fw.criteria]
    bonus, bonus_items = score_bonus(fw, data, places)
    off_total = sum((line.points for line in deductions if not line.criterion), Decimal(0))
    total = max(Decimal(0), sum((c.points for c in criteria), Decimal(0)) + bonus - off_total)
    best_total = max(Decimal(0), sum((c.best for c in criteria), Decimal(0)) + bonus - off_total)
    months_recorded = sorted(m for m in data.months if m <= as_of)
    missing = [m for m in range(1, as_of + 1) if m not in data.months] if plan.takes_months else []
    methods = {i.id: i.rollup.method if i.rollup else None for c in fw.criteria for i in c.indicators}
    gates = [_gate(g, data, year, as_of, missing, results, sub_units_share, methods) for g in fw.gates]
    result = scored_unit(
        _monthly_rows(plan, places),
        unit=data.unit,
        framework_id=fw.id,
        framework_title=fw.title,
        year=year,
        as_of=as_of,
        months_recorded=months_recorded,
        months_missing=missing,
        criteria=criteria,
        bonus=bonus,
        bonus_items=bonus_items,
        deductions=deductions,
        total=total,
        best_total=best_total,
        max_total=sum((c.max_points for c in fw.criteria), Decimal(0)),
        min_total=fw.recognition.min_total,
        rating=None,
        rating_rule="",
        gates=gates,
        review_gaps=ctx.gaps,
        warnings=ctx.warnings,
        year_path=data.year.path if data.year else None,
        takes_months=plan.takes_months,
    )
    rate(fw, result)
    return result


def _criterion(
    c: Criterion, indicators: list[IndicatorResult], deduction: Decimal, places: int
) -> CriterionResult:
    counted = [i for i in indicators if not i.not_applicable]
    applicable = exact_sum([exact(i.max_points) for i in counted])
    raw = exact_sum([i.points for i in counted])
    # Once the year is over every indicator's best is its points (the same object).
    best_raw = raw if all(i.best is i.points for i in counted) else exact_sum([i.best for i in counted])
    full = exact(c.max_points)
    # Not applicable indicators leave the maximum; what remains is rescaled to the criterion's maximum
    # so its minimum keeps its meaning: x × full / applicable, rounded in integers.
    if applicable:
        sn, sd = full.numerator * applicable.denominator, full.denominator * applicable.numerator
    else:
        sn, sd = 0, 1
    points = max(Decimal(0), round_ratio(raw.numerator * sn, raw.denominator * sd, places) - deduction)
    best = max(
        Decimal(0), round_ratio(best_raw.numerator * sn, best_raw.denominator * sd, places) - deduction
    )
    passed = c.min_points is None or points >= c.min_points
    return CriterionResult(
        c.id,
        c.name,
        c.max_points,
        c.min_points,
        Decimal(str(applicable)) if applicable.denominator == 1 else round_half_up(applicable, 4),
        raw,
        deduction,
        points,
        best,
        passed,
        indicators,
    )


def _monthly_rows(plan: Plan, places: int) -> Callable[[UnitResult], dict[int, dict[str, Decimal]]]:
    def rows(result: UnitResult) -> dict[int, dict[str, Decimal]]:
        return _monthly(plan, result, places)

    return rows


def _monthly(plan: Plan, result: UnitResult, places: int) -> dict[int, dict[str, Decimal]]:
    """Points per criterion for each recorded month, from the monthly indicators, on the criterion's scale."""
    months = result.months_recorded
    rows: dict[int, dict[str, Decimal]] = {m: {} for m in months}
    for (cid, sn, sd, spec), criterion in zip(plan.monthly, result.criteria, strict=True):
        indicators = criterion.indicators
        monthly = [
            (pn, pd, indicators[place].periods)
            for place, pn, pd in spec
            if not indicators[place].not_applicable
        ]
        for month in months:
            # The points got and the points at stake, in integers over one denominator.
            gn, gd, tn, td = 0, 1, 0, 1
            for pn, pd, periods in monthly:
                fraction = periods[month - 1].fraction
                if fraction is None:
                    continue
                fn = fraction.numerator
                if fn:
                    fn, fd = fn * pn, fraction.denominator * pd
                    gn, gd = (gn + fn, gd) if fd == gd else (gn * fd + fn * gd, gd * fd)
                tn, td = (tn + pn, td) if pd == td else (tn * pd + pn * td, td * pd)
            if tn:
                rows[month][cid] = round_ratio(gn * sn * td, gd * sd * tn, places)
    return rows


def rate(fw: Framework, result: UnitResult) -> None:
    """The rating band over the total, capped when the band's conditions fail.

    Before the year is over the band is provisional (tạm tính): the points of the periods that
    have passed, projected to the whole year at the same rate, with the band's conditions read
    as "still reachable". Future months at zero would rate every cell Kém in June.
    """
    if fw.rating is None:
        return
    failed_gates = any(g.status == "failed" for g in result.gates)
    provisional = result.as_of < 12
    points = exact(result.total)
    if provisional:
        remaining = sum((c.best - c.points for c in result.criteria), Decimal(0))
        stake = exact(result.max_total - remaining)
        if stake <= 0:
            result.provisional = True
            result.rating_rule = _("chưa có kỳ đánh giá nào kết thúc: chưa tạm tính được xếp loại")
            return
        points = points * exact(result.max_total) / stake
        result.provisional = True
        result.projected_total = round_half_up(points, fw.decimal_places)
    criteria_ok = all(
        c.passed or (provisional and c.min_points is not None and c.best >= c.min_points)
        for c in result.criteria
    )
    at_max: set[str] | None = None  # worked out only for a band that names indicators

    def conditions_met(band: Band) -> bool:
        nonlocal at_max
        cond = band.conditions
        if cond is None:
            return True
        if cond.indicators_at_max:
            if at_max is None:
                at_max = {
                    i.id
                    for c in result.criteria
                    for i in c.indicators
                    if i.not_applicable or (i.best if provisional else i.points) == exact(i.max_points)
                }
            if not all(i in at_max for i in cond.indicators_at_max):
                return False
        return (not cond.criteria_min_met or criteria_ok) and (not cond.no_failed_gates or not failed_gates)

    band, capped = pick_band(fw.rating.bands, points, conditions_met)
    result.rating = band.name
    if provisional and result.projected_total is not None:
        result.rating_rule = _(
            "tạm tính: {total} điểm đến hết tháng {month} trên {stake} điểm của các kỳ đã qua, "
            "quy ra cả năm {projected} điểm → {band}"
        ).format(
            total=fmt_score(result.total),
            month=result.as_of,
            stake=fmt_score(round_half_up(stake, fw.decimal_places)),
            projected=fmt_score(result.projected_total),
            band=band.name,
        )
    else:
        result.rating_rule = _("{total} điểm → {band}").format(total=fmt_score(result.total), band=band.name)
    if capped:
        result.rating_rule += " " + _("(đủ điểm mức {name} nhưng chưa đủ điều kiện kèm theo)").format(
            name=capped
        )


def _no_year() -> str:
    return _("chưa có hồ sơ cuối năm, tệp year.yaml")


def _gate(
    gate: Gate,
    data: UnitRecords,
    year: int,
    as_of: int,
    missing: list[int],
    results: dict[str, list[IndicatorResult]],
    sub_units_share: Fraction | None,
    methods: Mapping[str, str | None],
) -> GateResult:
    year_ref = data.year
    pending = as_of < 12

    def out(
        ok: bool | None,
        detail: str,
        path: Path | None = None,
        loc: Loc = (),
        *,
        reason: str | None = None,  # in place of the framework's, whose particulars are unknown
        **fields: str,
    ) -> GateResult:
        status: GateStatus = "pending" if ok is None else ("passed" if ok else "failed")
        known = dict.fromkeys(gate.REASON_FIELDS, "—") | fields
        said = gate.reason if reason is None else reason
        return GateResult(gate.id, gate.kind, status, said, detail, path, loc, known, gate.title)

    if isinstance(gate, DisciplineGate):
        cases = discipline_cases(year_ref, data.months, except_self_remedied=gate.except_self_remedied)
        if not cases:
            return out(True, _("không có vụ kỷ luật nào bị tính"))
        _label, loc, path = cases[0]
        listed = "; ".join(c[0] for c in cases)
        detail = _("{n} vụ: {cases}").format(n=len(cases), cases=listed)
        return out(len(cases) <= gate.max_cases, detail, path, loc, n=str(len(cases)), cases=listed)
    if isinstance(gate, ClassificationGate):
        if year_ref is None or year_ref.record.annual_classification is None:
            return out(None if pending else False, _no_year() if year_ref is None else _("chưa ghi xếp loại"))
        got: Classification = year_ref.record.annual_classification
        label = _(CLASSIFICATION_LABELS[got])
        detail = _("xếp loại: {label}").format(label=label)
        return out(
            AT_LEAST[got, gate.at_least],
            detail,
            year_ref.path,
            ("annual_classification",),
            classification=label,
        )
    if isinstance(gate, MissingMonthsGate):
        months = months_text(missing)
        detail = _("thiếu hồ sơ tháng {months}").format(months=months) if missing else _("đủ hồ sơ các tháng")
        return out(len(missing) <= gate.max_missing, detail, n=str(len(missing)), months=months)
    if isinstance(gate, RegistrationGate):
        ok = year in data.unit.registered
        detail = _("đã đăng ký năm {year}") if ok else _("không đăng ký năm {year}")
        return out(ok, detail.format(year=year), year=str(year))
    if isinstance(gate, IndicatorGate):
        found = next((i for rs in results.values() for i in rs if i.id == gate.indicator), None)
        if found is None:
            return out(True, _("chỉ tiêu không áp dụng"))
        failed = [p for p in found.periods if not p.passed and not p.remaining and p.fraction is not None]
        held = [p.label for p in failed if not p.missing]
        absent = [p.label for p in failed if p.missing]
        parts = [", ".join(held)] if held else []
        if absent:  # a period without a record is not known to have failed: say which it is
            parts.append(_("{periods} (chưa có hồ sơ)").format(periods=", ".join(absent)))
        periods = "; ".join(parts)
        detail = (
            _("chỉ tiêu {id} không đạt: {periods}").format(id=gate.indicator, periods=periods)
            if failed
            else _("chỉ tiêu {id}").format(id=gate.indicator)
        )
        verdict: bool | None = found.passed or found.not_applicable
        if pending and not verdict:
            # Mid-year a failed period is final only when every period must pass.
            verdict = False if failed and methods.get(gate.indicator) in ("all", "min") else None
        return out(verdict, detail, indicator=gate.indicator, periods=periods or _("một số kỳ"))
    if isinstance(gate, MemberShareGate):
        share = member_share(year_ref.record, gate.at_least) if year_ref else None
        if share is None:
            return out(
                None if pending else False,
                _no_year() if year_ref is None else _("chưa ghi xếp loại đảng viên"),
            )
        detail = _("{share} đảng viên đạt mức yêu cầu").format(share=fmt_share(share))
        return out(
            share >= exact(gate.min_share),
            detail,
            year_ref.path if year_ref else None,
            ("member_classification",),
            share=fmt_share(share),
        )
    assert isinstance(gate, SubUnitShareGate)
    if pending:  # no cell is recognised before the year is over: its share is not known yet
        return out(None, _("tỉ lệ chi bộ trực thuộc được công nhận chỉ có khi hết năm"))
    if sub_units_share is None:  # the framework's reason would say "Chỉ có — chi bộ trực thuộc…"
        none = _("Không tính được tỉ lệ chi bộ trực thuộc được công nhận.")  # detail in brackets
        return out(False, _("không có chi bộ trực thuộc được chấm"), reason=none)
    detail = _("{share} chi bộ trực thuộc được công nhận").format(share=fmt_share(sub_units_share))
    return out(sub_units_share >= exact(gate.min_share), detail, share=fmt_share(sub_units_share))
