"""Hand-computed tables for each rule kind of the scoring engine."""

from __future__ import annotations

import copy
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from pydantic import ValidationError

from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit
from chibo4tot.scoring import RecordRef, UnitRecords, score_unit, score_year
from chibo4tot.scoring.results import UnitResult
from chibo4tot.scoring.verdict import recognise

UNIT = Unit.model_validate(
    {"id": "cb", "name": "Chi bộ thử", "kind": "chi_bo_truc_thuoc", "members": 20, "registered": [2024]}
)


def ind(ident: str, kind: str, points: int, **extra: Any) -> dict[str, Any]:
    return {"id": ident, "name": f"Chỉ tiêu {ident}", "kind": kind, "points": points, **extra}


def framework(indicators: list[dict[str, Any]], **extra: Any) -> Framework:
    total = sum(i["points"] for i in indicators)
    data: dict[str, Any] = {
        "id": "thu",
        "title": "Khung thử",
        "issuer": "Thử",
        "documents": [{"number": "21-NQ/TW", "title": "Nghị quyết 21"}],
        "years": [2024],
        "applies_to": ["chi_bo_truc_thuoc", "chi_bo_co_so"],
        "criteria": [{"id": "1", "name": "Tiêu chí một", "max_points": total, "indicators": indicators}],
        "recognition": {"min_total": 0},
    }
    data.update(extra)
    return Framework.model_validate(data)


def month(m: int, assessment: dict[str, Any] | None = None, **meeting: Any) -> RecordRef[MonthRecord]:
    base: dict[str, Any] = {"members": 20, "present": 20, "duration_minutes": 95}
    base.update(meeting)
    thematic = base.pop("thematic", None)
    data: dict[str, Any] = {
        "unit": "cb",
        "month": f"2024-{m:02d}",
        "meeting": base,
        "assessment": assessment or {},
    }
    if thematic is not None:
        data["thematic"] = thematic
    return RecordRef(MonthRecord.model_validate(data))


def year_record(**extra: Any) -> RecordRef[YearRecord]:
    data: dict[str, Any] = {"unit": "cb", "year": 2024}
    data.update(extra)
    return RecordRef(YearRecord.model_validate(data))


def run(
    fw: Framework,
    months: dict[int, RecordRef[MonthRecord]],
    year: RecordRef[YearRecord] | None = None,
    as_of: int = 12,
    unit: Unit = UNIT,
) -> UnitResult:
    return score_unit(fw, UnitRecords(unit, months, year), 2024, as_of)


def points(result: UnitResult, ident: str) -> Fraction:
    return next(i.points for c in result.criteria for i in c.indicators if i.id == ident)


def twelve(**meeting: Any) -> dict[int, RecordRef[MonthRecord]]:
    return {m: month(m, **meeting) for m in range(1, 13)}


@pytest.mark.parametrize(("op", "present", "expected"), [(">", 17, 0), (">=", 17, 10), (">", 18, 10)])
def test_attendance_threshold_operator(op: str, present: int, expected: int) -> None:
    """17 of 20 is exactly 85%: "trên 85%" fails it, "từ 85% trở lên" passes it."""
    fw = framework(
        [
            ind(
                "1.1",
                "threshold",
                10,
                source="attendance_rate",
                op=op,
                target="0,85",
                rollup={"method": "mean"},
            )
        ]
    )
    result = run(fw, twelve(present=present, excused=20 - present))
    assert points(result, "1.1") == expected


def test_attendance_leaves_out_exempt_members() -> None:
    fw = framework([ind("1.1", "threshold", 10, source="attendance_rate", op=">", target=0.85, rollup={})])
    # 16 present of 20 members, 2 exempt: 16/18 = 88.9% > 85%.
    result = run(fw, twelve(exempt=2, present=16, excused=2))
    assert points(result, "1.1") == 10


@pytest.mark.parametrize(
    ("combined", "duration", "expected"), [(False, 100, 6), (True, 100, 0), (True, 120, 6)]
)
def test_duration_needs_120_minutes_with_a_combined_thematic_meeting(
    combined: bool, duration: int, expected: int
) -> None:
    fw = framework(
        [
            ind(
                "1.1",
                "duration",
                6,
                source="duration_minutes",
                target=90,
                overrides=[{"when": "thematic_combined", "target": 120}],
                rollup={"method": "mean"},
            )
        ]
    )
    thematic = {"held": True, "combined_with_regular": combined}
    result = run(fw, twelve(duration_minutes=duration, thematic=thematic))
    assert points(result, "1.1") == expected


LEVELS = [
    {"name": "Tốt", "points": 30},
    {"name": "Khá", "points": 20},
    {"name": "Kém", "points": 0, "passed": False},
]


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("mean", Fraction(30 * 6 + 20 * 4 + 0 * 2, 12)),  # 260/12 = 21.67
        ("min", Fraction(0)),
    ],
)
def test_level_to_points_and_rollups(method: str, expected: Fraction) -> None:
    fw = framework([ind("1.1", "level", 30, levels=LEVELS, rollup={"method": method})])
    values = ["Tốt"] * 6 + ["Khá"] * 4 + ["Kém"] * 2
    result = run(fw, {m: month(m, {"1.1": v}) for m, v in zip(range(1, 13), values, strict=True)})
    assert points(result, "1.1") == expected
    assert result.criteria[0].points == round(Decimal(expected.numerator) / expected.denominator, 2)


@pytest.mark.parametrize(
    ("rollup", "passes", "expected"),
    [
        ({"method": "all"}, 12, 4),
        ({"method": "all"}, 11, 0),
        ({"method": "at_least", "count": 10}, 10, 4),
        ({"method": "at_least", "count": 10}, 9, 0),
        ({"method": "share", "share": 0.9}, 11, 4),  # 11/12 = 91.7%
        ({"method": "share", "share": 0.9}, 10, 0),  # 10/12 = 83.3%
    ],
)
def test_pass_fail_rollups(rollup: dict[str, Any], passes: int, expected: int) -> None:
    fw = framework([ind("1.1", "pass_fail", 4, rollup=rollup)])
    months = {m: month(m, {"1.1": "Đạt" if m <= passes else "Không đạt"}) for m in range(1, 13)}
    assert points(run(fw, months), "1.1") == expected


def test_sum_rollup_adds_monthly_points() -> None:
    fw = framework([ind("1.1", "points", 3, rollup={"method": "sum"})])
    months = {m: month(m, {"1.1": "0,25" if m <= 8 else 0}) for m in range(1, 13)}
    assert points(run(fw, months), "1.1") == 2  # 8 × 0.25


def test_quarterly_count_of_thematic_meetings() -> None:
    fw = framework(
        [ind("1.1", "count", 5, source="thematic_held", period="quarter", target=1, rollup={"method": "all"})]
    )
    held = {m: month(m, thematic={"held": m in (2, 5, 8, 11)}) for m in range(1, 13)}
    assert points(run(fw, held), "1.1") == 5
    three = {m: month(m, thematic={"held": m in (2, 5, 8)}) for m in range(1, 13)}
    assert points(run(fw, three), "1.1") == 0


@pytest.mark.parametrize(("policy", "expected"), [("zero", Fraction(9 * 10, 12)), ("exclude", Fraction(10))])
def test_missing_month_policy(policy: str, expected: Fraction) -> None:
    fw = framework([ind("1.1", "pass_fail", 10, rollup={"method": "mean"})], missing_month=policy)
    months = {m: month(m, {"1.1": "Đạt"}) for m in range(1, 13) if m not in (6, 7, 8)}
    result = run(fw, months)
    assert points(result, "1.1") == expected
    assert result.months_missing == [6, 7, 8]
    missing = [p for p in result.criteria[0].indicators[0].periods if p.missing]
    assert [p.label for p in missing] == ["06/2024", "07/2024", "08/2024"]


def test_not_applicable_leaves_the_maximum_and_rescales() -> None:
    fw = framework(
        [
            ind("1.1", "pass_fail", 6, rollup={"method": "mean"}),
            ind("1.2", "pass_fail", 4, optional=True, rollup={"method": "mean"}),
        ]
    )
    months = {
        m: month(m, {"1.1": "Đạt" if m <= 9 else "Không đạt", "1.2": "không áp dụng"}) for m in range(1, 13)
    }
    result = run(fw, months)
    c = result.criteria[0]
    assert c.applicable_max == 6
    assert c.raw == Fraction(9 * 6, 12)  # 4.5 of the 6 applicable points
    assert c.points == Decimal("7.50")  # rescaled: 4.5 / 6 × 10


def test_bonus_is_capped_and_deductions_count_each_time() -> None:
    fw = framework(
        [ind("1.1", "pass_fail", 10, rollup={"method": "mean"})],
        bonus={"max_points": 3, "items": [{"id": "t1", "name": "Mô hình hay", "points": 2}]},
        deductions=[
            {
                "id": "k1",
                "name": "Vắng không lý do",
                "points_each": 0.5,
                "source": "unexcused_absences",
                "max_points": 2,
                "criterion": "1",
            }
        ],
    )
    months = {
        m: month(m, {"1.1": "Đạt"}, present=19 if m <= 3 else 20, unexcused=1 if m <= 3 else 0)
        for m in range(1, 13)
    }
    months[5] = month(5, {"1.1": "Đạt", "t1": 1})
    result = run(fw, months, year_record(assessment={"t1": 1}))
    assert result.bonus == Decimal("3.00")  # 2 × 2 = 4, capped at 3
    assert [(d.id, d.count, d.points) for d in result.deductions] == [("k1", 3, Decimal("1.50"))]
    assert result.criteria[0].points == Decimal("8.50")
    assert result.total == Decimal("11.50")


DISCIPLINE_GATE = [{"id": "ky-luat", "kind": "discipline", "reason": "Có đảng viên bị kỷ luật."}]


@pytest.mark.parametrize(
    ("cases", "failed"),
    [
        ([], False),
        ([{"form": "Khiển trách", "self_detected_remedied": True}], False),
        ([{"form": "Khiển trách"}], True),
    ],
)
def test_discipline_gate_spares_self_remedied_cases(cases: list[dict[str, Any]], failed: bool) -> None:
    fw = framework([ind("1.1", "pass_fail", 10, rollup={"method": "mean"})], gates=DISCIPLINE_GATE)
    result = run(fw, twelve(), year_record(discipline=cases))
    gate = result.gates[0]
    assert (gate.status == "failed") is failed
    recognise(fw, result)
    assert result.recognised is not failed
    if failed:
        # A reason without fields gets what was found in brackets: the member and the form.
        assert result.reasons == ["Có đảng viên bị kỷ luật (1 vụ: Khiển trách)."]


def test_one_violation_counts_once() -> None:
    fw = framework(
        [ind("1.1", "threshold", 6, source="discipline_cases", period="year", op="==", target=0)],
        gates=[{**DISCIPLINE_GATE[0], "max_cases": 1}],
    )
    cases = [
        {"member": "A", "form": "Khiển trách", "violation": "vu-1"},
        {"member": "B", "form": "Cảnh cáo", "violation": "vu-1"},
    ]
    result = run(fw, twelve(), year_record(discipline=cases))
    assert result.gates[0].status == "passed"  # one case, one allowed
    assert points(result, "1.1") == 0


@pytest.mark.parametrize(
    ("gate", "unit_extra", "year", "status"),
    [
        ({"kind": "registration"}, {"registered": [2023]}, {}, "failed"),
        ({"kind": "registration"}, {}, {}, "passed"),
        (
            {"kind": "annual_classification", "at_least": "httnv"},
            {},
            {"annual_classification": "htnv"},
            "failed",
        ),
        (
            {"kind": "annual_classification", "at_least": "httnv"},
            {},
            {"annual_classification": "HTXSNV"},
            "passed",
        ),
        (
            {"kind": "member_share", "at_least": "httnv", "min_share": 0.8},
            {},
            {"member_classification": {"htxsnv": 2, "httnv": 5, "htnv": 3, "not_rated": 4}},
            "failed",  # 7 of the 10 rated = 70%; the 4 not rated are left out
        ),
        (
            {"kind": "member_share", "at_least": "httnv", "min_share": 0.7},
            {},
            {"member_classification": {"htxsnv": 2, "httnv": 5, "htnv": 3, "not_rated": 4}},
            "passed",
        ),
    ],
)
def test_gates(gate: dict[str, Any], unit_extra: dict[str, Any], year: dict[str, Any], status: str) -> None:
    fw = framework(
        [ind("1.1", "pass_fail", 10, rollup={"method": "mean"})],
        gates=[{"id": "g", "reason": "Lý do.", **gate}],
    )
    unit = Unit.model_validate({**UNIT.model_dump(mode="json"), **unit_extra})
    assert run(fw, twelve(), year_record(**year), unit=unit).gates[0].status == status


def test_missing_months_gate_names_the_months() -> None:
    fw = framework(
        [ind("1.1", "pass_fail", 10, rollup={"method": "mean"})],
        gates=[{"id": "du", "kind": "missing_months", "reason": "Thiếu hồ sơ tháng."}],
    )
    months = {m: month(m) for m in range(1, 13) if m != 7}
    gate = run(fw, months).gates[0]
    assert gate.status == "failed" and gate.detail == "thiếu hồ sơ tháng 7"


@pytest.mark.parametrize(
    ("reason", "expected"),
    [
        ("Chi bộ thiếu hồ sơ tháng {months} ({n} tháng).", "Chi bộ thiếu hồ sơ tháng 7, 8 (2 tháng)."),
        ("Chi bộ thiếu hồ sơ: {detail}.", "Chi bộ thiếu hồ sơ: thiếu hồ sơ tháng 7, 8."),
        ("Chi bộ thiếu hồ sơ.", "Chi bộ thiếu hồ sơ (thiếu hồ sơ tháng 7, 8)."),  # no field: detail added
    ],
)
def test_a_reason_names_the_particulars(reason: str, expected: str) -> None:
    fw = framework(
        [ind("1.1", "pass_fail", 10, rollup={"method": "mean"})],
        gates=[{"id": "du", "kind": "missing_months", "reason": reason}],
    )
    result = run(fw, {m: month(m) for m in range(1, 13) if m not in (7, 8)})
    recognise(fw, result)
    assert result.reasons == [expected]


def test_a_quarter_without_thematic_meeting_is_named() -> None:
    fw = framework(
        [
            ind(
                "2.2",
                "count",
                5,
                source="thematic_held",
                period="quarter",
                op=">=",
                target=1,
                rollup={"method": "all"},
            )
        ],
        gates=[
            {
                "id": "cd",
                "kind": "indicator",
                "indicator": "2.2",
                "reason": "Không sinh hoạt chuyên đề trong {periods}.",
            }
        ],
    )
    thematic = {"held": True}
    months = {m: month(m, thematic=thematic if m in (2, 5, 11) else None) for m in range(1, 13)}
    year_end = run(fw, months)
    recognise(fw, year_end)
    assert year_end.reasons == ["Không sinh hoạt chuyên đề trong Quý III/2024."]
    # Mid-year the quarter that has passed without one already decides; the others are pending.
    early = {m: months[m] for m in range(1, 4)}
    assert run(fw, {**early, 1: month(1), 2: month(2)}, as_of=3).gates[0].status == "failed"
    assert run(fw, early, as_of=3).gates[0].status == "pending"


def test_a_reason_with_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        framework(
            [ind("1.1", "pass_fail", 10)], gates=[{"id": "du", "kind": "missing_months", "reason": "{thang}"}]
        )
    assert info.value.errors()[0]["type"] == "reason_fields"


def test_thematic_quality_is_a_fact_frameworks_can_use() -> None:
    levels = [
        {"name": "Tốt", "points": 4},
        {"name": "Khá", "points": 2},
        {"name": "Kém", "points": 0, "passed": False},
    ]
    fw = framework(
        [
            ind(
                "2.5",
                "level",
                4,
                source="thematic_quality",
                period="quarter",
                levels=levels,
                rollup={"method": "mean"},
            )
        ]
    )
    thematic = {"held": True, "quality": "Khá"}
    months = {m: month(m, thematic=thematic if m % 3 == 0 else None) for m in range(1, 13)}
    assert points(run(fw, months), "2.5") == 2


COMPOSITE = ind(
    "1.1",
    "composite",
    12,
    rollup={"method": "mean"},
    indicators=[
        ind("1.1.1", "threshold", 50, source="attendance_rate", op=">", target=0.85),
        ind("1.1.2", "points", 50),
    ],
    bands=[
        {"name": "Tốt", "min": 90, "conditions": {"indicators_at_max": ["1.1.1"]}, "otherwise": "Khá"},
        {"name": "Khá", "min": 70},
        {"name": "Kém", "min": 0},
    ],
    levels=[
        {"name": "Tốt", "points": 12},
        {"name": "Khá", "points": 9},
        {"name": "Kém", "points": 0, "passed": False},
    ],
)


@pytest.mark.parametrize(
    ("present", "self_points", "grade"),
    [(20, 45, "Tốt"), (20, 30, "Khá"), (17, 50, "Kém"), (18, 40, "Tốt")],
)
def test_composite_grade_from_sub_indicators(present: int, self_points: int, grade: str) -> None:
    fw = framework([COMPOSITE])
    months = {
        m: month(m, {"1.1.2": self_points}, present=present, excused=20 - present) for m in range(1, 13)
    }
    period = run(fw, months).criteria[0].indicators[0].periods[0]
    assert period.band == grade


def test_band_condition_caps_the_grade() -> None:
    capped = copy.deepcopy(COMPOSITE)
    capped["bands"][0]["conditions"] = {"indicators_at_max": ["1.1.2"]}
    fw = framework([capped])
    # 100% attendance (50) + 45 self points = 95 ≥ 90, but 1.1.2 is not at its maximum: capped at Khá.
    months = {m: month(m, {"1.1.2": 45}) for m in range(1, 13)}
    result = run(fw, months)
    period = result.criteria[0].indicators[0].periods[0]
    assert period.band == "Khá"
    assert "Tốt" in period.rule
    assert points(result, "1.1") == 9


def test_review_layer_decides_and_large_gaps_are_reported() -> None:
    fw = framework([ind("1.1", "points", 10, rollup={"method": "mean"})])
    months = twelve()
    months = {m: month(m, {"1.1": 10}) for m in range(1, 13)}
    reviewed = MonthRecord.model_validate(
        {
            **months[3].record.model_dump(mode="json"),
            "vote": {"values": {"1.1": 9}},
            "review": {"values": {"1.1": 6}},
        }
    )
    months[3] = RecordRef(reviewed)
    result = run(fw, months)
    assert points(result, "1.1") == Fraction(10 * 11 + 6, 12)
    assert [(g.indicator, g.label) for g in result.review_gaps] == [("1.1", "2024-03")]


def test_recognition_rule_lists_each_failed_rule() -> None:
    fw = framework([ind("1.1", "pass_fail", 10, rollup={"method": "mean"})], recognition={"min_total": 9})
    fw = Framework.model_validate(
        {
            **fw.model_dump(mode="json"),
            "criteria": [{**fw.model_dump(mode="json")["criteria"][0], "min_points": 9.5}],
        }
    )
    months = {m: month(m, {"1.1": "Đạt" if m <= 10 else "Không đạt"}) for m in range(1, 13)}
    result = score_year(2024, [UNIT], {"cb": UnitRecords(UNIT, months)}, lambda _u: fw).units[0]
    assert result.total == Decimal("8.33")
    assert not result.recognised
    assert result.reasons == [
        "Tổng điểm 8,33 thấp hơn mức công nhận 9 điểm.",
        "Tiêu chí 1 (Tiêu chí một) đạt 8,33 điểm, dưới mức tối thiểu 9,5 điểm.",
    ]
    assert result.needed == ["thiếu 0,67 điểm tổng", "thiếu 1,17 điểm ở tiêu chí 1"]


def test_mid_year_shows_what_is_still_needed() -> None:
    fw = framework([ind("1.1", "pass_fail", 10, rollup={"method": "mean"})], recognition={"min_total": 9})
    months = {m: month(m, {"1.1": "Đạt"}) for m in range(1, 7)}
    result = score_year(2024, [UNIT], {"cb": UnitRecords(UNIT, months)}, lambda _u: fw, as_of=6).units[0]
    assert result.status == "in_progress"
    assert result.total == 5 and result.best_total == 10
    assert result.months_missing == []
    assert result.needed[0].startswith("cần thêm 4,00 điểm tổng")
    # Failing half of the months already makes the target unreachable.
    bad = {m: month(m, {"1.1": "Không đạt"}) for m in range(1, 7)}
    lost = score_year(2024, [UNIT], {"cb": UnitRecords(UNIT, bad)}, lambda _u: fw, as_of=6).units[0]
    assert lost.status == "not_recognised" and lost.best_total == 5


def test_half_up_rounding_is_exact() -> None:
    from chibo4tot.formatting import rate, round_half_up, vn_percent

    assert round_half_up(Fraction(1, 8), 2) == Decimal("0.13")  # 0.125 → 0.13, not banker's 0.12
    assert round_half_up(Fraction(2675, 1000), 2) == Decimal("2.68")  # float 2.675 would give 2.67
    assert rate(142, 342) == Decimal("0.4152")
    assert vn_percent(rate(142, 342)) == "41,52%"


@pytest.mark.parametrize(
    ("recognised_cells", "min_share", "passed"), [(1, 0.5, True), (1, 0.75, False), (2, 1, True)]
)
def test_dang_bo_co_so_needs_a_share_of_its_cells_recognised(
    recognised_cells: int, min_share: float, passed: bool
) -> None:
    cell_fw = framework(
        [ind("1.1", "pass_fail", 10, rollup={"method": "mean"})], recognition={"min_total": 9}
    )
    dang_bo_fw = Framework.model_validate(
        {
            **framework(
                [ind("1.1", "pass_fail", 10, rollup={"method": "mean"})],
                recognition={"min_total": 9},
                gates=[
                    {
                        "id": "chi-bo",
                        "kind": "sub_unit_share",
                        "min_share": min_share,
                        "reason": "Chưa đủ tỉ lệ chi bộ trực thuộc đạt “Chi bộ 4 tốt”.",
                    }
                ],
            ).model_dump(mode="json"),
            "id": "dang-bo",
            "applies_to": ["dang_bo_co_so"],
            "recognition": {"title": "Đảng bộ cơ sở 4 tốt", "min_total": 9},
        }
    )
    dang_bo = Unit.model_validate(
        {"id": "db", "name": "Đảng bộ xã", "kind": "dang_bo_co_so", "registered": [2024]}
    )
    cells = [
        Unit.model_validate(
            {
                "id": f"cb{i}",
                "name": f"Chi bộ {i}",
                "kind": "chi_bo_truc_thuoc",
                "parent": "db",
                "registered": [2024],
            }
        )
        for i in (1, 2)
    ]
    good = {m: month(m, {"1.1": "Đạt"}) for m in range(1, 13)}
    bad = {m: month(m, {"1.1": "Không đạt"}) for m in range(1, 13)}
    records = {
        "db": UnitRecords(dang_bo, good),
        "cb1": UnitRecords(cells[0], good),
        "cb2": UnitRecords(cells[1], good if recognised_cells == 2 else bad),
    }
    results = score_year(
        2024, [dang_bo, *cells], records, lambda u: dang_bo_fw if u.kind.value == "dang_bo_co_so" else cell_fw
    )
    by_id = {r.unit.id: r for r in results.units}
    assert [r.unit.id for r in results.units] == ["db", "cb1", "cb2"]  # the order of units.yaml
    assert by_id["db"].recognised is passed
    assert results.summary.cells.units == 2 and results.summary.cells.recognised == recognised_cells
    assert results.summary.dang_bo.units == 1 and results.summary.dang_bo.recognised == int(passed)


def test_not_applicable_stays_so_when_a_month_is_missing() -> None:
    """Regression: a missing month used to make an all-"không áp dụng" indicator count, at 0 points."""
    fw = framework(
        [
            ind("1.1", "pass_fail", 6, rollup={"method": "mean"}),
            ind("1.2", "pass_fail", 4, optional=True, rollup={"method": "share", "share": 0.8}),
        ]
    )
    months = {m: month(m, {"1.1": "Đạt", "1.2": "không áp dụng"}) for m in range(1, 13) if m != 3}
    c = run(fw, months).criteria[0]
    assert c.indicators[1].not_applicable
    assert c.applicable_max == 6
    assert c.points == Decimal("9.17")  # 11/12 of 6 = 5.5, rescaled to 10


def test_main_framework_does_not_depend_on_unit_order() -> None:
    fw_a = framework([ind("1.1", "pass_fail", 10, rollup={"method": "mean"})])
    fw_b = Framework.model_validate({**fw_a.model_dump(mode="json"), "id": "khac"})
    other = Unit.model_validate({**UNIT.model_dump(mode="json"), "id": "cb2"})
    records = {"cb": UnitRecords(UNIT, twelve()), "cb2": UnitRecords(other, twelve())}

    def choose(u: Unit) -> Framework:
        return fw_a if u.id == "cb" else fw_b

    first = score_year(2024, [UNIT, other], records, choose).framework_id
    assert first == score_year(2024, [other, UNIT], records, choose).framework_id == "khac"


BANDS = {
    "bands": [
        {"name": "Xuất sắc", "min": 90, "conditions": {"indicators_at_max": ["a"]}},
        {"name": "Tốt", "min": 70},
        {"name": "Trung bình", "min": 50},
        {"name": "Kém", "min": 0},
    ]
}


def test_mid_year_rating_is_projected_from_the_periods_past() -> None:
    # "a": 60 points, mean of 12 months; "y": 40 points at year end (pending in June).
    fw = framework(
        [ind("a", "pass_fail", 60, rollup={"method": "mean"}), ind("y", "pass_fail", 40, period="year")],
        rating=BANDS,
    )
    ok = {m: month(m, {"a": "Đạt"}) for m in range(1, 7)}
    june = run(fw, ok, as_of=6)
    # 30 points so far out of the 30 at stake by June (a: 6/12 of 60; y: not yet due) → 100 projected.
    assert june.total == Decimal(30)
    assert june.provisional and june.projected_total == Decimal(100)
    assert june.rating == "Xuất sắc"  # "a" is still able to reach its maximum
    one_miss = {**ok, 3: month(3, {"a": "Không đạt"})}
    lost = run(fw, one_miss, as_of=6)
    # 25 of 30 → 83.33 projected; "a" can no longer reach its maximum either way.
    assert lost.projected_total == Decimal("83.33")
    assert lost.rating == "Tốt"
    assert "tạm tính" in lost.rating_rule and "83,33" in lost.rating_rule
    year_end = run(
        fw, {m: month(m, {"a": "Đạt"}) for m in range(1, 13)}, year_record(assessment={"y": "Đạt"})
    )
    assert not year_end.provisional and year_end.projected_total is None and year_end.rating == "Xuất sắc"


def test_a_classification_gate_without_year_record_says_the_file_is_missing() -> None:
    gate = {"id": "xl", "kind": "annual_classification", "at_least": "httnv", "reason": "Chưa đạt xếp loại."}
    fw = framework([ind("1.1", "pass_fail", 10, rollup={"method": "mean"})], gates=[gate])
    result = run(fw, twelve())
    recognise(fw, result)
    assert result.reasons == ["Chưa đạt xếp loại (chưa có hồ sơ cuối năm, tệp year.yaml)."]
