"""Thresholds read against what they compare with: impossible ones are errors, slips of unit warnings."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.errors import Problem, Severity
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.inputs.locate import locate_problems
from tests.conftest import MINI_FRAMEWORK, build_tree

ERROR, WARNING = Severity.ERROR, Severity.WARNING
IND: tuple[str | int, ...] = ("criteria", 1, "indicators", 0)
Edit = Callable[[dict[str, Any]], None]


def problems_of(tmp_path: Path, framework: dict[str, Any]) -> list[Problem]:
    build_tree(tmp_path / "crit", {"mini.yaml": framework})
    problems: list[Problem] = []
    load_frameworks(None, problems, shipped_dir=tmp_path / "crit")
    return locate_problems(problems)


def indicator(**fields: Any) -> Edit:
    """Replace indicator 2.1 (30 points, so the sums still hold) by one built from ``fields``."""

    def edit(fw: dict[str, Any]) -> None:
        base = {"id": "2.1", "name": "Chỉ tiêu thử", "points": 30, "rollup": {"method": "mean"}}
        fw["criteria"][1]["indicators"][0] = {**base, **fields}

    return edit


def setting(*path: str | int, value: Any) -> Edit:
    def edit(fw: dict[str, Any]) -> None:
        node = fw
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


def share(op: str, target: Any) -> Edit:
    return indicator(kind="threshold", source="attendance_rate", op=op, target=target)


def duration(op: str, target: Any) -> Edit:
    return indicator(kind="duration", source="duration_minutes", op=op, target=target)


def thematic(target: int) -> Edit:
    return indicator(
        kind="count", source="thematic_held", period="quarter", target=target, rollup={"method": "all"}
    )


def absences(op: str, target: Any) -> Edit:
    return indicator(kind="threshold", source="unexcused_absences", op=op, target=target)


def streak(op: str, target: Any) -> Edit:
    return indicator(kind="threshold", source="max_excused_streak", op=op, target=target)


def at_least(count: int) -> Edit:
    return indicator(kind="pass_fail", rollup={"method": "at_least", "count": count})


def pass_at(value: Any) -> Edit:
    return indicator(kind="points", pass_at=value)


def rating(top: Any) -> Edit:
    return setting("rating", value={"bands": [{"name": "Tốt", "min": top}, {"name": "Kém", "min": 0}]})


def member_share(value: Any) -> Edit:
    gate = {"id": "ty-le", "kind": "member_share", "at_least": "httnv", "min_share": value, "reason": "Thử"}
    return lambda fw: fw["gates"].append(gate)


TARGET = (*IND, "target")
# kind of quantity → cases: (edit, expected severity or None when fine, loc, words in the message)
CASES: dict[str, list[tuple[Edit, Severity | None, tuple[str | int, ...], str]]] = {
    "share": [
        (share(">", 90), ERROR, TARGET, "ngưỡng 90 cho tỉ lệ dự họp không thể đạt (tỉ lệ từ 0 đến 1); "),
        (share("<=", "90"), ERROR, TARGET, "nếu là 90% hãy ghi 0,9"),
        (share(">", 1), ERROR, TARGET, "không thể đạt"),
        (share(">=", 0), WARNING, TARGET, "ngưỡng 0 cho tỉ lệ dự họp luôn đạt"),
        (share(">", "0,85"), None, TARGET, ""),
    ],
    "minutes": [
        (duration("<", 0), ERROR, TARGET, "ngưỡng 0 cho thời lượng sinh hoạt không thể đạt"),
        (duration(">=", 2), WARNING, TARGET, "quá ngắn; thời lượng tính bằng phút: nếu là 2 giờ hãy ghi 120"),
        (duration(">=", 900), WARNING, TARGET, "ngưỡng 900 phút (hơn 15 giờ)"),
        (duration(">=", 90), None, TARGET, ""),
    ],
    "events in a period": [
        (thematic(4), ERROR, TARGET, "không thể đạt (nhiều nhất 3 lần trong một quý)"),
        (thematic(0), WARNING, TARGET, "ngưỡng 0 cho số lần sinh hoạt chuyên đề luôn đạt"),
        (thematic(1), None, TARGET, ""),
    ],
    "count": [
        (absences("<", 0), ERROR, TARGET, "số lượt vắng không lý do không thể đạt (số nguyên không âm)"),
        (absences("==", "0,5"), ERROR, TARGET, "không thể đạt"),
        (absences(">=", 0), WARNING, TARGET, "luôn đạt"),
        (absences("<=", 0), None, TARGET, ""),
    ],
    "streak": [
        (streak(">", 12), ERROR, TARGET, "nhiều nhất 12 tháng liên tiếp trong một năm"),
        (streak("<=", 12), WARNING, TARGET, "luôn đạt"),
        (streak("<=", 3), None, TARGET, ""),
    ],
    "periods to pass": [
        (at_least(13), ERROR, (*IND, "rollup", "count"), "số kỳ phải đạt không thể đạt (cả năm có 12 kỳ)"),
        (at_least(0), WARNING, (*IND, "rollup", "count"), "luôn đạt"),
        (at_least(10), None, (*IND, "rollup", "count"), ""),
    ],
    "total points": [
        (setting("recognition", "min_total", value=120), ERROR, ("recognition", "min_total"), "tối đa 100"),
        (setting("recognition", "min_total", value=0.9), WARNING, ("recognition", "min_total"), "hãy ghi 90"),
        (setting("recognition", "min_total", value=85), None, ("recognition", "min_total"), ""),
    ],
    "criterion minimum": [
        (setting("criteria", 0, "min_points", value=0.8), WARNING, ("criteria", 0, "min_points"), "ghi 40"),
        (setting("criteria", 0, "min_points", value=40), None, ("criteria", 0, "min_points"), ""),
    ],
    "band": [
        (rating(150), ERROR, ("rating", "bands", 0, "min"), "mức “Tốt” không thể đạt: cần từ 150 điểm"),
        (rating("0,9"), WARNING, ("rating", "bands", 0, "min"), "nếu là 90% hãy ghi 90"),
        (rating(90), None, ("rating", "bands", 0, "min"), ""),
    ],
    "passing points": [
        (pass_at(40), WARNING, (*IND, "pass_at"), "lớn hơn điểm tối đa mỗi kỳ (30)"),
        (pass_at("0,5"), WARNING, (*IND, "pass_at"), "nếu là 50% hãy ghi 15"),
        (pass_at(24), None, (*IND, "pass_at"), ""),
    ],
    "gate share": [
        (member_share(80), ERROR, ("gates", 1, "min_share"), "không phải 80; nếu là 80% hãy ghi 0,8"),
        (member_share(0), WARNING, ("gates", 1, "min_share"), "luôn đạt"),
        (member_share(0.8), None, ("gates", 1, "min_share"), ""),
    ],
    "grade": [
        (
            indicator(kind="threshold", source="meeting_quality", op=">=", target=1),
            ERROR,
            (*IND, "source"),
            "là một mức xếp loại",
        ),
        (
            indicator(kind="duration", source="attendance_rate", op=">=", target=90),
            ERROR,
            (*IND, "source"),
            "lấy số liệu duration_minutes hoặc self",
        ),
    ],
}


@pytest.mark.parametrize("kind", sorted(CASES))
def test_thresholds_are_read_against_their_quantity(kind: str, tmp_path: Path) -> None:
    for i, (edit, severity, loc, words) in enumerate(CASES[kind]):
        framework = copy.deepcopy(MINI_FRAMEWORK)
        edit(framework)
        problems = problems_of(tmp_path / str(i), framework)
        found = [(p.severity, p.loc) for p in problems]
        if severity is None:
            assert problems == [], (kind, i, [p.message for p in problems])
            continue
        assert found == [(severity, loc)], (kind, i, [p.message for p in problems])
        assert words in problems[0].message, problems[0].message
        assert problems[0].path is not None and problems[0].path.name == "mini.yaml"
        assert problems[0].line is not None and problems[0].line > 1


def test_a_duration_override_is_checked_like_the_target(tmp_path: Path) -> None:
    framework = copy.deepcopy(MINI_FRAMEWORK)
    duration(">=", 90)(framework)
    framework["criteria"][1]["indicators"][0]["overrides"] = [{"when": "thematic_combined", "target": 2}]
    problems = problems_of(tmp_path, framework)
    assert [(p.severity, p.loc) for p in problems] == [(WARNING, (*IND, "overrides", 0, "target"))]
    assert "nếu là 2 giờ hãy ghi 120" in problems[0].message


def test_a_composite_band_beyond_its_sub_indicators_cannot_be_reached(tmp_path: Path) -> None:
    framework = copy.deepcopy(MINI_FRAMEWORK)
    indicator(
        kind="composite",
        indicators=[
            {"id": "2.1.1", "name": "Con 1", "kind": "pass_fail", "points": 40},
            {"id": "2.1.2", "name": "Con 2", "kind": "points", "points": 40},
        ],
        bands=[{"name": "Tốt", "min": 90}, {"name": "Kém", "min": 0}],
        levels=[{"name": "Tốt", "points": 30}, {"name": "Kém", "points": 0, "passed": False}],
    )(framework)
    problems = problems_of(tmp_path, framework)
    assert [(p.severity, p.loc) for p in problems] == [(ERROR, (*IND, "bands", 0, "min"))]
    assert "tối đa chỉ có 80 điểm" in problems[0].message
