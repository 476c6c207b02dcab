"""Properties of the scoring engine over generated units scored with the default framework (mac-dinh-2024).

Each example is a unit's year: up to 12 month records (some months missing) with random meeting facts
and self-assessed values for every assessable indicator, and an optional year-end record. Examples are
derandomised (the same on every run) and kept few: the whole file runs in well under 20 s.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chibo4tot.inputs.items import Assessable, assessable_items, period_max
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.models.framework import LevelIndicator, PassFailIndicator, PointsIndicator
from chibo4tot.models.records import AssessedValue, DisciplineCase, MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit
from chibo4tot.results.views import results_json
from chibo4tot.scoring import RecordRef, UnitRecords, UnitResult, YearResults, score_year

FW = load_frameworks(None, [], used={"mac-dinh-2024"})["mac-dinh-2024"].framework
ITEMS = assessable_items(FW)
MONTH_ITEMS = [a for a in ITEMS.values() if a.kind == "indicator" and a.period == "month"]
YEAR_ITEMS = [a for a in ITEMS.values() if a.kind == "indicator" and a.period == "year"]
BONUS_ITEMS = [a for a in ITEMS.values() if a.kind == "bonus"]
MAX_TOTAL = sum((c.max_points for c in FW.criteria), Decimal(0))
BONUS_MAX = FW.bonus.max_points if FW.bonus else Decimal(0)
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường", "Phạm Thị Dung"]
OPTIONAL = "1.4"
_optional = ITEMS[OPTIONAL].indicator
assert _optional is not None and _optional.optional

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def score(units: list[Unit], records: dict[str, UnitRecords]) -> YearResults:
    return score_year(2024, units, records, lambda _u: FW, as_of=12, root_id="root")


# ── strategies ────────────────────────────────────────────────────────────────────────────────


def vn_decimal(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def value_of(item: Assessable) -> st.SearchStrategy[Any]:
    """Any valid value of one self-assessed indicator, as a person would type it."""
    ind = item.indicator
    values: st.SearchStrategy[Any]
    if isinstance(ind, LevelIndicator):
        values = st.sampled_from([lv.name for lv in ind.levels])
    elif isinstance(ind, PassFailIndicator):
        values = st.sampled_from(["Đạt", "Không đạt"])
    else:
        assert isinstance(ind, PointsIndicator)
        top = period_max(ind, item.parent)
        steps = int(top * 20)  # multiples of 0,05 from 0 to the period's maximum
        values = st.integers(0, steps).map(lambda k: vn_decimal(Decimal(k) / 20))
        if top == int(top):
            values = values | st.integers(0, int(top))
    if ind.optional:
        values = values | st.just({"not_applicable": True})
    return values


def perfect_value(item: Assessable) -> Any:
    ind = item.indicator
    if isinstance(ind, LevelIndicator):
        return ind.levels[0].name
    if isinstance(ind, PassFailIndicator):
        return "Đạt"
    assert isinstance(ind, PointsIndicator)
    return vn_decimal(period_max(ind, item.parent))


PERFECT_MONTH = {a.id: perfect_value(a) for a in MONTH_ITEMS}
PERFECT_MEETING = {
    "members": 20,
    "exempt": 1,
    "present": 19,
    "duration_minutes": 100,
    "chi_uy_met_before": True,
    "draft_resolution": True,
    "minutes_recorded": True,
}


@st.composite
def meetings(draw: st.DrawFn) -> dict[str, Any]:
    """Attendance that adds up: present + excused + unexcused = members − exempt."""
    members = draw(st.integers(1, 30))
    exempt = draw(st.integers(0, min(3, members)))
    expected = members - exempt
    present = draw(st.integers(0, expected))
    excused = draw(st.integers(0, expected - present))
    return {
        "held": draw(st.sampled_from([True, True, True, False])),
        "members": members,
        "exempt": exempt,
        "present": present,
        "excused": excused,
        "unexcused": expected - present - excused,
        "absentees": [
            {"name": n, "excused": True}
            for n in draw(st.lists(st.sampled_from(NAMES), max_size=min(excused, 3), unique=True))
        ],
        "duration_minutes": draw(st.none() | st.integers(0, 200)),
        "chi_uy_met_before": draw(st.none() | st.booleans()),
        "draft_resolution": draw(st.none() | st.booleans()),
        "minutes_recorded": draw(st.none() | st.booleans()),
    }


EVENTS = st.lists(
    st.fixed_dictionaries(
        {
            "kind": st.sampled_from(["discipline", "complaint_escalated", "violation"]),
            "description": st.sampled_from(["Vụ việc 1", "Vụ việc 2"]),
            "self_detected_remedied": st.booleans(),
        }
    ),
    max_size=2,
)
THEMATIC = st.none() | st.fixed_dictionaries(
    {"held": st.booleans(), "combined_with_regular": st.booleans(), "topic": st.just("Chuyên đề")}
)


@st.composite
def month_records(draw: st.DrawFn, uid: str, m: int, near_perfect: bool) -> MonthRecord:
    if near_perfect:
        # Full marks except a few values; the meeting as it should be, or not quite.
        assessment = dict(PERFECT_MONTH)
        for item in draw(st.lists(st.sampled_from(MONTH_ITEMS), max_size=2)):
            assessment[item.id] = draw(value_of(item))
        meeting = PERFECT_MEETING | draw(
            st.fixed_dictionaries({}, optional={"duration_minutes": st.sampled_from([85, 90, 120])})
        )
        thematic = {"held": True, "topic": "Chuyên đề"} if m % 3 == 1 else draw(THEMATIC)
        events: list[dict[str, Any]] = []
    else:
        assessment = {}
        for item in MONTH_ITEMS:
            if draw(st.integers(0, 9)):  # one value in ten left out
                assessment[item.id] = draw(value_of(item))
        meeting = draw(meetings())
        thematic = draw(THEMATIC)
        events = draw(EVENTS)
    data: dict[str, Any] = {
        "unit": uid,
        "month": f"2024-{m:02d}",
        "framework": "mac-dinh-2024",
        "meeting": meeting,
        "assessment": assessment,
        "events": events,
    }
    if thematic is not None:
        data["thematic"] = thematic
    return MonthRecord.model_validate(data)


DISCIPLINE_CASE = st.fixed_dictionaries(
    {"form": st.sampled_from(["Khiển trách", "Cảnh cáo"])},
    optional={
        "member": st.sampled_from(NAMES),
        "violation": st.sampled_from(["V1", "V2"]),
        "self_detected_remedied": st.booleans(),
    },
)


@st.composite
def year_records(draw: st.DrawFn, uid: str, near_perfect: bool) -> YearRecord:
    assessment: dict[str, Any] = {}
    for item in YEAR_ITEMS:
        assessment[item.id] = perfect_value(item) if near_perfect else draw(value_of(item))
    for item in BONUS_ITEMS:
        if draw(st.booleans()):
            assessment[item.id] = draw(st.integers(0, 2) | st.sampled_from(["Có", "Không"]))
    counts = st.integers(0, 12)
    data: dict[str, Any] = {
        "unit": uid,
        "year": 2024,
        "member_classification": (
            {"htxsnv": 4, "httnv": 15, "htnv": 1}
            if near_perfect
            else draw(
                st.none()
                | st.fixed_dictionaries(
                    {"htxsnv": counts, "httnv": counts, "htnv": counts, "khtnv": counts, "not_rated": counts}
                )
            )
        ),
        "annual_classification": (
            draw(st.sampled_from(["htxsnv", "Hoàn thành tốt nhiệm vụ"]))
            if near_perfect
            else draw(
                st.none() | st.sampled_from(["htxsnv", "httnv", "htnv", "khtnv", "Hoàn thành nhiệm vụ"])
            )
        ),
        "discipline": [] if near_perfect else draw(st.lists(DISCIPLINE_CASE, max_size=2)),
        "new_members": draw(st.integers(0, 3)),
        "assessment": assessment,
    }
    return YearRecord.model_validate(data)


@st.composite
def unit_years(
    draw: st.DrawFn,
    uid: str = "chi-bo-a",
    parent: str | None = None,
    near_perfect: bool | None = None,
    with_year: bool | None = None,
) -> UnitRecords:
    """One cell's year; about half the examples are near perfect, so high scores and quotas are reached."""
    if near_perfect is None:
        near_perfect = draw(st.booleans())
    unit = Unit.model_validate(
        {
            "id": uid,
            "name": f"Chi bộ {uid}",
            "kind": draw(st.sampled_from(["chi_bo_truc_thuoc", "chi_bo_co_so"])),
            "parent": parent,
            "registered": [2024] if near_perfect else draw(st.sampled_from([[2024], [2023, 2024], []])),
        }
    )
    all_months = set(range(1, 13))
    present = (
        all_months if near_perfect else draw(st.just(all_months) | st.sets(st.sampled_from(range(1, 13))))
    )
    months = {m: RecordRef(draw(month_records(uid, m, near_perfect))) for m in sorted(present)}
    if with_year is None:
        with_year = near_perfect or draw(st.integers(0, 4)) > 0
    year = RecordRef(draw(year_records(uid, near_perfect))) if with_year else None
    return UnitRecords(unit, months, year)


@st.composite
def organisations(
    draw: st.DrawFn,
    min_size: int = 2,
    max_size: int = 4,
    parents: tuple[str | None, ...] = ("xa-1", "xa-2", None),
) -> list[UnitRecords]:
    """Several cells, some sharing a parent (quotas apply within a parent). A few distinct years are
    shared between cells (records are frozen), so equal totals, and tie-breaks, are common."""
    n = draw(st.integers(min_size, max_size))
    shapes = [
        draw(unit_years(near_perfect=draw(st.sampled_from([True, True, False]))))
        for _ in range(draw(st.integers(1, min(3, n))))
    ]
    cells = []
    for i in range(n):
        shape = draw(st.sampled_from(shapes))
        unit = shape.unit.model_copy(
            update={"id": f"chi-bo-{i + 1:02d}", "parent": draw(st.sampled_from(parents))}
        )
        cells.append(UnitRecords(unit, shape.months, shape.year))
    return cells


# ── properties ────────────────────────────────────────────────────────────────────────────────


def check_bounds(r: UnitResult) -> None:
    event(f"status: {r.status}, rating: {r.rating}{' (quota)' if r.demoted_by else ''}")
    assert r.max_total == MAX_TOTAL
    assert Decimal(0) <= r.total <= MAX_TOTAL + BONUS_MAX
    assert Decimal(0) <= r.bonus <= BONUS_MAX
    assert r.total <= r.best_total
    for c in r.criteria:
        assert Decimal(0) <= c.points <= c.max_points, (c.id, c.points)
        assert c.passed == (c.min_points is None or c.points >= c.min_points)
        for i in c.indicators:
            assert 0 <= i.points <= i.max_points, (i.id, i.points)
            assert i.points <= i.best <= i.max_points, (i.id, i.best)
            for p in i.periods:
                assert p.fraction is None or 0 <= p.fraction <= 1, (i.id, p.label, p.fraction)
    for month, row in r.monthly.items():
        for cid, points in row.items():
            top = next(c.max_points for c in r.criteria if c.id == cid)
            assert Decimal(0) <= points <= top, (month, cid, points)
    assert r.status in ("recognised", "not_recognised")
    assert r.recognised == (not r.reasons)
    if r.recognised:
        assert r.total >= FW.recognition.min_total
        assert all(c.passed for c in r.criteria)
        assert all(g.status == "passed" for g in r.gates)
    assert r.rating in {b.name for b in FW.rating.bands} if FW.rating else r.rating is None


@PROPERTY
@given(unit_years())
def test_points_stay_within_their_bounds(data: UnitRecords) -> None:
    check_bounds(score([data.unit], {data.unit.id: data}).units[0])


@PROPERTY
@given(
    unit_years(with_year=True),
    st.fixed_dictionaries(
        {"form": st.just("Cảnh cáo")},
        optional={"member": st.sampled_from(NAMES), "violation": st.sampled_from(["V1", "V9"])},
    ),
)
def test_a_discipline_case_never_helps(data: UnitRecords, case: dict[str, Any]) -> None:
    assert data.year is not None
    before = score([data.unit], {data.unit.id: data}).units[0]
    event(f"before: {before.status}")
    year = data.year.record
    worse_year = year.model_copy(
        update={"discipline": [*year.discipline, DisciplineCase.model_validate(case)]}
    )
    worse = UnitRecords(data.unit, data.months, RecordRef(worse_year))
    after = score([data.unit], {data.unit.id: worse}).units[0]
    check_bounds(after)
    assert after.total <= before.total
    for b, a in zip(before.criteria, after.criteria, strict=True):
        assert a.points <= b.points, b.id
    assert not after.recognised, "a counted disciplinary case fails the discipline gate"
    assert after.recognised <= before.recognised
    assert any(g.id == "ky-luat" and g.status == "failed" for g in after.gates)


def with_optional(data: UnitRecords, value: AssessedValue) -> UnitRecords:
    """The same year with the optional indicator set to ``value`` in every recorded month."""
    months = {
        m: RecordRef(ref.record.model_copy(update={"assessment": {**ref.record.assessment, OPTIONAL: value}}))
        for m, ref in data.months.items()
    }
    return UnitRecords(data.unit, months, data.year)


@PROPERTY
@given(unit_years())
def test_not_applicable_is_never_worse_than_failing(data: UnitRecords) -> None:
    criterion = ITEMS[OPTIONAL].criterion
    assert criterion is not None
    na = with_optional(data, AssessedValue(not_applicable=True))
    failed = with_optional(data, AssessedValue(value="Không đạt"))
    got_na = score([data.unit], {data.unit.id: na}).units[0]
    got_failed = score([data.unit], {data.unit.id: failed}).units[0]
    c_na = next(c for c in got_na.criteria if c.id == criterion.id)
    c_failed = next(c for c in got_failed.criteria if c.id == criterion.id)
    event("n/a scores higher" if c_na.points > c_failed.points else "n/a scores the same")
    assert c_na.points / c_na.max_points >= c_failed.points / c_failed.max_points
    # The other criteria do not move.
    for a, b in zip(got_na.criteria, got_failed.criteria, strict=True):
        if a.id != criterion.id:
            assert a.points == b.points
    assert got_na.total >= got_failed.total


def fingerprint(results: YearResults) -> tuple[dict[str, Any], dict[str, Any]]:
    """Everything a report shows, keyed by unit id (so the order of the list does not count)."""
    out = results_json(results, [], "root")
    units = {u["id"]: u for u in out["units"]}
    for r in results.units:
        units[r.unit.id] |= {
            "demoted_by": r.demoted_by,
            "rating_rule": r.rating_rule,
            "gates": [(g.id, g.status, g.detail) for g in r.gates],
            "monthly": r.monthly,
            "indicators": [(i.id, i.points, i.not_applicable) for c in r.criteria for i in c.indicators],
        }
    return units, out["summary"]


def reordered(data: UnitRecords, order: list[int]) -> UnitRecords:
    months = {m: data.months[m] for m in order if m in data.months}
    assert set(months) == set(data.months)
    return UnitRecords(data.unit, months, data.year)


@settings(PROPERTY, max_examples=15)
@given(organisations(5, 6, parents=("xa-1", "xa-1", "xa-1", "xa-2")), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_order(cells: list[UnitRecords], rnd: Any) -> None:
    records = {d.unit.id: d for d in cells}
    first = score([d.unit for d in cells], records)
    shuffled = list(cells)
    rnd.shuffle(shuffled)
    months = list(range(1, 13))
    rnd.shuffle(months)
    second = score(
        [d.unit for d in shuffled[::-1]],
        {d.unit.id: reordered(d, months) for d in shuffled},
    )
    for r in first.units:
        check_bounds(r)
    kept = Counter(r.unit.parent for r in first.units if r.rating == "Xuất sắc")
    event(f"cells keeping “Xuất sắc” under one parent: {max(kept.values(), default=0)}")
    assert fingerprint(first) == fingerprint(second)
    assert [r.unit.id for r in second.units] == [d.unit.id for d in shuffled[::-1]]


@settings(PROPERTY, max_examples=15)
@given(organisations())
def test_summary_counts_the_verdicts(cells: list[UnitRecords]) -> None:
    results = score([d.unit for d in cells], {d.unit.id: d for d in cells})
    s = results.summary
    verdicts = [(r.unit.kind.value, r.unit.parent or "root", r.recognised) for r in results.units]
    assert (s.cells.units, s.cells.recognised) == (len(verdicts), sum(v[2] for v in verdicts))
    kinds = Counter(v[0] for v in verdicts)
    assert {k: (t.units, t.recognised) for k, t in s.by_kind.items()} == {
        k: (n, sum(v[2] for v in verdicts if v[0] == k)) for k, n in kinds.items()
    }
    parents = Counter(v[1] for v in verdicts)
    assert {p: (t.units, t.recognised) for p, t in s.by_parent.items()} == {
        p: (n, sum(v[2] for v in verdicts if v[1] == p)) for p, n in parents.items()
    }
    assert (s.dang_bo.units, s.dang_bo.recognised) == (0, 0)
    out = results_json(results, [], "root")["summary"]
    assert out["units"] == len(verdicts)
    assert out["recognised"] == sum(u["recognised"] for u in results_json(results, [], "root")["units"])
    for r in results.units:
        check_bounds(r)
