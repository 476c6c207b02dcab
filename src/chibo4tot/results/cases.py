"""Run a framework's test case: score its unit, compare with what it expects, name the rule. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from chibo4tot.errors import Loc
from chibo4tot.i18n import _
from chibo4tot.models.cases import BuiltCase
from chibo4tot.models.framework import Framework
from chibo4tot.results.explain import gate_line, lost_points
from chibo4tot.scoring import RecordRef, UnitRecords, UnitResult, score_unit
from chibo4tot.scoring.text import fmt_points, fmt_score
from chibo4tot.scoring.verdict import recognise


def _nowhere(_path: Path | None, _loc: Loc) -> str:
    return ""  # a case's records are built in memory: there is no file line to point at


@dataclass(frozen=True)
class Mismatch:
    """One expected figure that the framework does not give, and the rule that gave what it gives."""

    what: str
    expected: str
    computed: str
    rules: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class CaseOutcome:
    case: BuiltCase
    result: UnitResult
    mismatches: list[Mismatch]

    @property
    def passed(self) -> bool:
        return not self.mismatches


def score_case(fw: Framework, case: BuiltCase) -> UnitResult:
    """The unit's year as ``score`` rates it, quotas aside: a quota ranks several units."""
    months = {m: RecordRef(rec) for m, rec in case.months.items()}
    year = RecordRef(case.year_record) if case.year_record is not None else None
    share = Fraction(case.sub_units_share) if case.sub_units_share is not None else None
    result = score_unit(fw, UnitRecords(case.unit, months, year), case.year, 12, share)
    recognise(fw, result)
    return result


def run_case(fw: Framework, case: BuiltCase) -> CaseOutcome:
    result = score_case(fw, case)
    return CaseOutcome(case, result, compare(fw, case, result))


def _verdict(recognised: bool) -> str:
    return _("công nhận") if recognised else _("không công nhận")


def compare(fw: Framework, case: BuiltCase, r: UnitResult) -> list[Mismatch]:
    """Every expected figure the result does not match, in the order a reader checks them."""
    want = case.expect
    out: list[Mismatch] = []
    if want.recognised != r.recognised:
        out.append(
            Mismatch(_("kết luận"), _verdict(want.recognised), _verdict(r.recognised), _verdict_rules(fw, r))
        )
    verdict_shown = bool(out)  # the verdict's rules already list every reason
    if (
        want.reasons is not None
        and set(want.reasons) != set(r.reason_rules)
        and not (verdict_shown and want.recognised)
    ):
        out.append(
            Mismatch(
                _("lý do không công nhận"),
                ", ".join(sorted(set(want.reasons))) or _("không có"),
                ", ".join(sorted(set(r.reason_rules))) or _("không có"),
                [f"{rule}: {text}" for rule, text in zip(r.reason_rules, r.reasons, strict=True)],
            )
        )
    if want.rating is not None and want.rating != r.rating:
        out.append(Mismatch(_("xếp loại"), want.rating, r.rating or "—", _rating_rules(r)))
    for c in r.criteria:
        expected = want.criteria.get(c.id)
        if expected is not None and expected != c.points:
            out.append(
                Mismatch(
                    _("tiêu chí {id}").format(id=c.id),
                    fmt_score(expected),
                    fmt_score(c.points),
                    lost_points(c, _nowhere),
                )
            )
    if want.bonus is not None and want.bonus != r.bonus:
        out.append(Mismatch(_("điểm thưởng"), fmt_score(want.bonus), fmt_score(r.bonus), _bonus_rules(fw, r)))
    if want.deductions is not None:
        got = {line.id: line.points for line in r.deductions}
        for ident in sorted(set(want.deductions) | set(got)):
            expected, computed = want.deductions.get(ident, Decimal(0)), got.get(ident, Decimal(0))
            if expected != computed:
                out.append(
                    Mismatch(
                        _("điểm trừ {id}").format(id=ident),
                        fmt_score(expected),
                        fmt_score(computed),
                        _deduction_rules(r),
                    )
                )
    if want.total is not None and want.total != r.total:
        out.append(Mismatch(_("tổng điểm"), fmt_score(want.total), fmt_score(r.total), [_sum_line(r)]))
    return out


def _verdict_rules(fw: Framework, r: UnitResult) -> list[str]:
    if not r.recognised:
        return list(r.reasons)
    rule = fw.recognition
    parts = [
        _("tổng điểm {total}, từ {min} trở lên").format(
            total=fmt_score(r.total), min=fmt_points(rule.min_total)
        )
    ]
    if rule.every_criterion_min:
        parts.append(_("mọi tiêu chí đạt mức tối thiểu"))
    if rule.gates_must_pass:
        parts.append(_("không vướng điều kiện loại trừ nào"))
    return [_("đủ điều kiện công nhận “{title}”: {parts}").format(title=rule.title, parts="; ".join(parts))]


def _rating_rules(r: UnitResult) -> list[str]:
    """The band rule, and what may have capped it: failed gates, criteria under their minimum."""
    lines = [r.rating_rule]
    lines += [gate_line(g, _nowhere) for g in r.gates if g.status == "failed"]
    lines += [
        _("tiêu chí {id}: {points} điểm, dưới mức tối thiểu {min}").format(
            id=c.id, points=fmt_score(c.points), min=fmt_points(c.min_points)
        )
        for c in r.criteria
        if c.min_points is not None and not c.passed
    ]
    return lines


def _bonus_rules(fw: Framework, r: UnitResult) -> list[str]:
    lines = [
        _("{id}. {name}: {n} lần → {points}").format(
            id=item.id, name=item.name, n=item.count, points=fmt_score(item.points)
        )
        for item in r.bonus_items
    ]
    if fw.bonus is not None:
        lines.append(_("tối đa {max} điểm thưởng").format(max=fmt_points(fw.bonus.max_points)))
    return lines or [_("không có khoản thưởng nào")]


def _deduction_rules(r: UnitResult) -> list[str]:
    lines = []
    for item in r.deductions:
        target = _("tiêu chí {id}").format(id=item.criterion) if item.criterion else _("tổng điểm")
        lines.append(
            _("{id}. {name}: {n} lần → −{points} ({target})").format(
                id=item.id, name=item.name, n=item.count, points=fmt_score(item.points), target=target
            )
        )
    return lines or [_("không có khoản trừ nào")]


def _sum_line(r: UnitResult) -> str:
    """TC1 + … + thưởng − trừ = tổng: every row adds up."""
    off_total = sum((line.points for line in r.deductions if not line.criterion), Decimal(0))
    terms = " + ".join(fmt_score(c.points) for c in r.criteria)
    return _("{criteria} + thưởng {bonus} − trừ {off} = {total}").format(
        criteria=terms, bonus=fmt_score(r.bonus), off=fmt_score(off_total), total=fmt_score(r.total)
    )


def render_outcome(outcome: CaseOutcome) -> list[str]:
    """One line for the case, then each mismatch: expected, computed, and the rule."""
    case = outcome.case
    mark = _("đạt") if outcome.passed else _("hỏng")
    lines = [f"  {mark:<4}  {case.name}: {case.description}"]
    for m in outcome.mismatches:
        lines.append(
            "        "
            + _("{what}: mong đợi {expected}, tính được {computed}").format(
                what=m.what, expected=m.expected, computed=m.computed
            )
        )
        lines.extend(f"          {text}" for rule in m.rules for text in rule.splitlines())
    return lines
