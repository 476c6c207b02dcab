"""The engine over a whole organisation: the Mèo Vạc figure (142/342 = 41,52%), quotas and streaks.

Everything is built as model objects in memory (no files). Records are frozen, so one set of month
records is shared by every unit that should get it: the engine knows a unit by ``UnitRecords.unit``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit
from chibo4tot.results.views import results_json, summary_lines
from chibo4tot.scoring import RecordRef, UnitRecords, UnitResult, YearResults, apply_streaks, score_year

YEAR = 2024
ROOT = "dang-bo-huyen-meo-vac"
CELL_KINDS = ("chi_bo_truc_thuoc", "chi_bo_co_so")


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_frameworks(None, [], used={"mac-dinh-2024"})["mac-dinh-2024"].framework


def framework_for(fw: Framework) -> Callable[[Unit], Framework | None]:
    """The default framework for cells; a đảng bộ has none here (it is left unscored)."""
    return lambda u: fw if u.kind.value in CELL_KINDS else None


# ── records ───────────────────────────────────────────────────────────────────────────────────

PERFECT_ASSESSMENT: dict[str, Any] = {
    "1.1": "Tốt",
    "1.2": 5,
    "1.3": "Đạt",
    "1.4": "Đạt",
    "2.1.7": 15,
    "2.1.8": "Tốt",
    "2.3": "Đạt",
    "3.1": "Đạt",
    "3.2": "Tốt",
    "3.3": "Đạt",
    "3.5": "0,25",
    "4.3": "Đạt",
    "4.4": "Đạt",
}


def month(m: int, year: int = YEAR, unit: str = "chi-bo", **assessment: Any) -> MonthRecord:
    """A month with full marks everywhere (a thematic meeting in the first month of each quarter);
    ``assessment`` overrides single values (keys with "_" for ".", e.g. ``i1_2=4``)."""
    values = PERFECT_ASSESSMENT | {k.removeprefix("i").replace("_", "."): v for k, v in assessment.items()}
    data: dict[str, Any] = {
        "unit": unit,
        "month": f"{year}-{m:02d}",
        "framework": "mac-dinh-2024",
        "meeting": {
            "date": f"{year}-{m:02d}-10",
            "duration_minutes": 100,
            "members": 20,
            "exempt": 1,
            "present": 19,
            "chi_uy_met_before": True,
            "draft_resolution": True,
            "minutes_recorded": True,
        },
        "assessment": values,
    }
    if m % 3 == 1:
        data["thematic"] = {"held": True, "topic": "Học tập và làm theo tư tưởng, đạo đức Hồ Chí Minh"}
    return MonthRecord.model_validate(data)


def year_record(year: int = YEAR, unit: str = "chi-bo", **extra: Any) -> YearRecord:
    data: dict[str, Any] = {
        "unit": unit,
        "year": year,
        "members": 20,
        "member_classification": {"htxsnv": 4, "httnv": 15, "htnv": 1},
        "annual_classification": "Hoàn thành xuất sắc nhiệm vụ",
        "new_members": 1,
        "assessment": {"4.5": "4"},
    }
    data.update(extra)
    return YearRecord.model_validate(data)


def perfect_months(year: int = YEAR) -> dict[int, RecordRef[MonthRecord]]:
    return {m: RecordRef(month(m, year)) for m in range(1, 13)}


def cell(uid: str, kind: str, parent: str | None, registered: list[int] | None = None) -> Unit:
    return Unit.model_validate(
        {
            "id": uid,
            "name": f"Chi bộ {uid}",
            "kind": kind,
            "parent": parent,
            "members": 20,
            "registered": [YEAR] if registered is None else registered,
        }
    )


# ── 342 cells, 142 recognised ─────────────────────────────────────────────────────────────────


def _organisation() -> tuple[list[Unit], dict[str, UnitRecords]]:
    """Mèo Vạc 2023 (scored here as 2024): 308 chi bộ trực thuộc in 22 đảng bộ cơ sở (109
    recognised) and 34 chi bộ cơ sở directly under the huyện (33 recognised). Of the 200 cells
    that fail, the first 60 have a full year and fail for six different reasons in turn (10 each);
    the other 140 did not register and kept no records (cheap to score: the test stays fast)."""
    good = perfect_months()
    good_year = RecordRef(year_record())
    no_march = {m: ref for m, ref in good.items() if m != 3}
    weak = {m: RecordRef(month(m, i1_1="Trung bình", i1_2=2)) for m in range(1, 13)}
    disciplined = RecordRef(
        year_record(discipline=[{"member": "Đảng viên A", "form": "Khiển trách", "violation": "vụ 1"}])
    )
    htnv = RecordRef(year_record(annual_classification="htnv"))
    failing: list[tuple[bool, dict[int, RecordRef[MonthRecord]], RecordRef[YearRecord] | None]] = [
        (False, good, good_year),  # not registered at the start of the year
        (True, good, disciplined),  # a member disciplined
        (True, no_march, good_year),  # a month's record missing
        (True, good, htnv),  # the cell rated only "Hoàn thành nhiệm vụ"
        (True, weak, good_year),  # criterion 1 below its minimum (total still ≥ 90)
        (True, good, None),  # no year-end record
    ]

    units: list[Unit] = []
    records: dict[str, UnitRecords] = {}

    def add(unit: Unit, ok: bool, n_failed: int) -> None:
        units.append(unit)
        if ok:
            records[unit.id] = UnitRecords(unit, good, good_year)
            return
        registered, months, year = failing[n_failed % 6] if n_failed < 60 else (False, {}, None)
        if not registered:
            unit = unit.model_copy(update={"registered": []})
            units[-1] = unit
        records[unit.id] = UnitRecords(unit, months, year)

    failed = 0
    for d in range(22):
        parent = f"dang-bo-xa-{d + 1:02d}"
        units.append(
            Unit.model_validate(
                {"id": parent, "name": f"Đảng bộ xã {d + 1}", "kind": "dang_bo_co_so", "parent": ROOT}
            )
        )
        for c in range(14):
            index = d * 14 + c
            # 109 of 308 spread evenly over the đảng bộ (Bresenham-style).
            ok = (index * 109) // 308 != ((index + 1) * 109) // 308
            add(cell(f"xa-{d + 1:02d}-thon-{c + 1:02d}", "chi_bo_truc_thuoc", parent), ok, failed)
            failed += not ok
    for c in range(34):
        ok = c != 17
        add(cell(f"co-quan-{c + 1:02d}", "chi_bo_co_so", None), ok, failed)
        failed += not ok
    return units, records


@pytest.fixture(scope="module")
def organisation(fw: Framework) -> YearResults:
    units, records = _organisation()
    return score_year(YEAR, units, records, framework_for(fw), as_of=12, root_id=ROOT)


def test_the_meo_vac_figure(organisation: YearResults) -> None:
    out = results_json(organisation, [], ROOT)
    summary = out["summary"]
    assert summary["units"] == 342
    assert summary["recognised"] == 142
    assert summary["recognised_rate"] == 0.4152
    assert summary["by_kind"] == {
        "chi_bo_co_so": {"units": 34, "recognised": 33, "recognised_rate": 0.9706},
        "chi_bo_truc_thuoc": {"units": 308, "recognised": 109, "recognised_rate": 0.3539},
    }
    # The 22 đảng bộ have no framework here: they are left out of the cells' count, not scored.
    assert len(organisation.unscored) == 22
    assert summary["dang_bo"]["units"] == 0
    assert len(out["units"]) == 342
    assert sum(t["units"] for t in summary["by_parent"].values()) == 342
    assert summary["by_parent"][ROOT] == {"units": 34, "recognised": 33, "recognised_rate": 0.9706}

    lines = summary_lines(organisation)
    assert "41,52%" in lines[0]
    assert "142/342" in lines[0]
    assert any("109/308" in line and "35,39%" in line for line in lines)
    assert any("33/34" in line and "97,06%" in line for line in lines)


def test_every_cell_that_fails_says_why(organisation: YearResults) -> None:
    failing = [r for r in organisation.units if not r.recognised]
    assert len(failing) == 200
    assert all(r.status == "not_recognised" and r.reasons for r in failing)
    assert all(not r.reasons and r.total >= 90 for r in organisation.units if r.recognised)
    # 10 cells of each of the six reasons, and 140 cells with no registration and no records.
    assert organisation.summary.failed_gates == {
        "dang-ky": 10 + 140,
        "ky-luat": 10,
        "du-ho-so-thang": 10 + 140,
        "xep-loai-chi-bo": 10 + 10 + 140,  # rated "htnv", no year record
        "ty-le-dang-vien": 10 + 140,  # no year record
        "chuyen-de-moi-quy": 140,  # no records at all: no thematic meeting in any quarter
        "du-12-ky": 10 + 140,  # a missing March; no records at all
    }
    assert organisation.summary.failed_criteria == {
        "1": 10 + 140,  # the weak months
        "2": 140,  # a missing March still leaves criterion 2 at exactly its minimum, 20
        "3": 10 + 140,  # a missing March: 3.1 "every month" and 3.2 "lowest month" fall to 0
        "4": 10 + 140,  # no year record: 4.1, 4.2 and 4.5 fall to 0
    }


def test_quotas_over_the_organisation(organisation: YearResults) -> None:
    """Every recognised cell scores 101 and rates "Xuất sắc" before quotas; 20% of the "Xuất sắc"+"Tốt"
    cells of each đảng bộ keep it, rounded down."""
    by_parent: dict[str, list[str | None]] = {}
    for r in organisation.units:
        by_parent.setdefault(r.unit.parent or ROOT, []).append(r.rating)
    for parent, ratings in by_parent.items():
        counts = Counter(ratings)
        base = counts["Xuất sắc"] + counts["Tốt"]
        assert counts["Xuất sắc"] == base // 5, (parent, counts)


# ── quotas ────────────────────────────────────────────────────────────────────────────────────


def _score_cells(fw: Framework, data: dict[str, UnitRecords]) -> dict[str, UnitResult]:
    units = [d.unit for d in data.values()]
    results = score_year(YEAR, units, data, framework_for(fw), as_of=12, root_id=ROOT)
    return {r.unit.id: r for r in results.units}


def test_quota_keeps_the_best_two_of_ten(fw: Framework) -> None:
    """10 cells of one đảng bộ, all ≥ 90 and "Xuất sắc": 20% of 10 → 2 keep it, by total then
    criterion 2 then id."""
    good = perfect_months()
    # Criterion 1 at 24.75 (1.2 at 2 points in one month): total 100.75, criterion 2 full.
    c1_low = {m: ref if m != 5 else RecordRef(month(5, i1_2=2)) for m, ref in good.items()}
    # Criterion 2 at 24.75 (2.1 "Khá" in one month: 2.1.7 not at its maximum): total 100.75.
    c2_low = {m: ref if m != 5 else RecordRef(month(5, i2_1_7=14)) for m, ref in good.items()}
    # 1.2 at 1 point in one month: criterion 1 at 24.67, total 100.67.
    lower = {m: ref if m != 5 else RecordRef(month(5, i1_2=1)) for m, ref in good.items()}
    year = RecordRef(year_record())
    bonus_year = RecordRef(year_record(assessment={"4.5": 4, "t1": "Có"}))  # +2 bonus: 103
    data: dict[str, UnitRecords] = {}
    for i in range(1, 11):
        unit = cell(f"chi-bo-{i:02d}", "chi_bo_truc_thuoc", "dang-bo-xa")
        months, year_ref = {3: (c2_low, year), 5: (c1_low, year), 10: (good, bonus_year)}.get(
            i, (lower, year)
        )
        data[unit.id] = UnitRecords(unit, months, year_ref)
    got = _score_cells(fw, data)

    totals = {uid: r.total for uid, r in got.items()}
    assert totals["chi-bo-10"] == Decimal("103")
    assert totals["chi-bo-03"] == totals["chi-bo-05"] == Decimal("100.75")
    assert got["chi-bo-03"].criteria[1].points == Decimal("24.75")
    assert got["chi-bo-05"].criteria[1].points == Decimal("25")
    assert all(totals[f"chi-bo-{i:02d}"] == Decimal("100.67") for i in (1, 2, 4, 6, 7, 8, 9))
    assert all(r.recognised and r.total >= 90 for r in got.values())

    assert all("điểm → Xuất sắc" in r.rating_rule for r in got.values())  # before the quota
    keep = {uid for uid, r in got.items() if r.rating == "Xuất sắc"}
    # Highest total first; then, at equal totals, the higher criterion 2 beats the lower id.
    assert keep == {"chi-bo-10", "chi-bo-05"}
    for uid, r in got.items():
        if uid in keep:
            assert r.demoted_by is None
        else:
            assert r.rating == "Tốt"
            assert r.demoted_by == fw.quotas[0].reason
            assert "hạn mức" in r.rating_rule and "2/10" in r.rating_rule


def test_quota_ties_broken_by_id(fw: Framework) -> None:
    good, year = perfect_months(), RecordRef(year_record())
    ids = [f"chi-bo-{c}" for c in "jihgfedcba"]  # given in reverse order on purpose
    data = {uid: UnitRecords(cell(uid, "chi_bo_truc_thuoc", "dang-bo-xa"), good, year) for uid in ids}
    got = _score_cells(fw, data)
    assert len({r.total for r in got.values()}) == 1
    assert {uid for uid, r in got.items() if r.rating == "Xuất sắc"} == {"chi-bo-a", "chi-bo-b"}
    assert sum(r.rating == "Tốt" and r.demoted_by is not None for r in got.values()) == 8


def test_quota_counts_each_parent_apart(fw: Framework) -> None:
    """5 + 5 cells in two đảng bộ: 20% of 5 → 1 keeps "Xuất sắc" in each, not 2 in the first."""
    good, year = perfect_months(), RecordRef(year_record())
    data = {
        f"{p}-{i}": UnitRecords(cell(f"{p}-{i}", "chi_bo_truc_thuoc", p), good, year)
        for p in ("xa-a", "xa-b")
        for i in range(5)
    }
    got = _score_cells(fw, data)
    assert {uid for uid, r in got.items() if r.rating == "Xuất sắc"} == {"xa-a-0", "xa-b-0"}


def test_quota_rounds_down_below_five(fw: Framework) -> None:
    """4 cells: 20% of 4 is 0.8, so none keeps "Xuất sắc"; recognition is untouched."""
    good, year = perfect_months(), RecordRef(year_record())
    data = {f"c{i}": UnitRecords(cell(f"c{i}", "chi_bo_truc_thuoc", "xa"), good, year) for i in range(4)}
    got = _score_cells(fw, data)
    assert all(r.rating == "Tốt" and r.demoted_by and r.recognised for r in got.values())


# ── streaks ───────────────────────────────────────────────────────────────────────────────────


def _year_results(fw: Framework, year: int, recognised: bool) -> YearResults:
    unit = cell("chi-bo-a", "chi_bo_truc_thuoc", "xa", registered=[2022, 2023, 2024])
    other = cell("chi-bo-b", "chi_bo_truc_thuoc", "xa", registered=[2022, 2023, 2024])
    months = {m: RecordRef(month(m, year)) for m in range(1, 13)}
    year_ref = RecordRef(year_record(year) if recognised else year_record(year, annual_classification="htnv"))
    records = {
        unit.id: UnitRecords(unit, months, year_ref),
        other.id: UnitRecords(other, months, year_ref),
    }
    return score_year(year, [unit, other], records, framework_for(fw), as_of=12, root_id=ROOT)


def test_streaks(fw: Framework) -> None:
    now = _year_results(fw, 2024, recognised=True)
    assert all(r.recognised for r in now.units)
    earlier_ok = _year_results(fw, 2023, recognised=True)
    earlier_not = _year_results(fw, 2023, recognised=False)
    assert all(r.recognised for r in earlier_ok.units)
    assert not any(r.recognised for r in earlier_not.units)

    apply_streaks(now, {})
    assert [r.streak for r in now.units] == [1, 1]

    apply_streaks(now, {2023: earlier_ok})
    assert [r.streak for r in now.units] == [2, 2]
    assert results_json(now, [], ROOT)["units"][0]["streak"] == 2

    # A gap year ends the run; a run goes back as far as the recognised years reach.
    apply_streaks(now, {2022: earlier_ok, 2023: earlier_not})
    assert [r.streak for r in now.units] == [1, 1]
    older = _year_results(fw, 2022, recognised=True)
    apply_streaks(now, {2022: older, 2023: earlier_ok})
    assert [r.streak for r in now.units] == [3, 3]

    # A unit missing from the earlier year's results starts again at 1.
    only_a = YearResults(
        2023,
        12,
        earlier_ok.framework_id,
        earlier_ok.framework_title,
        [r for r in earlier_ok.units if r.unit.id == "chi-bo-a"],
        earlier_ok.summary,
    )
    apply_streaks(now, {2023: only_a})
    assert [r.streak for r in now.units] == [2, 1]

    # Not recognised this year: no streak, whatever came before.
    failed = _year_results(fw, 2024, recognised=False)
    apply_streaks(failed, {2023: earlier_ok})
    assert [r.streak for r in failed.units] == [0, 0]
