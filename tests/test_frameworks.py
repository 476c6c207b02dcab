"""Frameworks: shipped ones validate, `extends` merges by id, errors point into the right file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.errors import Problem, Severity
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.inputs.locate import locate_problems
from chibo4tot.inputs.places import shipped_criteria_dir
from chibo4tot.results.fwterms import describe
from chibo4tot.results.fwterms.changes import compare
from tests.conftest import EXAMPLE, MINI_FRAMEWORK, build_tree, invoke, mini_workspace


def load(tmp_path: Path, files: dict[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    build_tree(tmp_path / "crit", files)
    problems: list[Problem] = []
    frameworks = load_frameworks(None, problems, shipped_dir=tmp_path / "crit")
    return frameworks, locate_problems(problems)


def test_shipped_and_example_frameworks_validate_without_problems() -> None:
    problems: list[Problem] = []
    frameworks = load_frameworks(EXAMPLE, problems, shipped_dir=shipped_criteria_dir())
    assert {"mac-dinh-2024", "quang-ninh-2024", "ha-giang-2024"} <= set(frameworks)
    assert problems == []  # no warnings either: the range checks must not cry wolf on real frameworks
    for lf in frameworks.values():
        assert lf.framework.documents, "every shipped framework names its source document"
        assert sum(c.max_points for c in lf.framework.criteria) == 100


CHILD: dict[str, Any] = {
    "id": "tinh-2024",
    "extends": "mini-2024",
    "title": "Khung của tỉnh",
    "issuer": "Ban Tổ chức Tỉnh ủy",
    "documents": [{"number": "05-HD/BTCTU", "title": "Hướng dẫn của tỉnh"}],
    "criteria": [
        {"id": "2", "indicators": [{"id": "2.1", "op": ">="}]},
        {"id": "1", "min_points": 35},
    ],
    "recognition": {"min_total": 85},
}


def test_extends_overrides_only_what_it_declares(tmp_path: Path) -> None:
    frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": CHILD})
    assert problems == []
    child = frameworks["tinh-2024"].framework
    parent = frameworks["mini-2024"].framework
    assert child.criteria[1].indicators[0].op == ">="  # type: ignore[union-attr]
    assert child.criteria[1].indicators[0].target == parent.criteria[1].indicators[0].target  # type: ignore[union-attr]
    assert child.criteria[0].min_points == 35
    assert child.criteria[0].name == parent.criteria[0].name
    assert [c.id for c in child.criteria] == ["1", "2"]  # parent order kept
    assert child.years == parent.years
    changes = {(c.item.code, t.key) for c in compare(describe(parent), describe(child)) for t in c.terms}
    own = {key for code, key in changes if code == "tinh-2024"}  # the child's own title, issuer, documents
    assert own == {"title", "issuer", "extends", "document:05-HD/BTCTU", "document:21-NQ/TW"}
    assert changes - {("tinh-2024", key) for key in own} == {
        ("2.1", "threshold"),
        ("1", "min_points"),
        ("", "min_total"),
    }


def test_extends_adds_and_removes_indicators(tmp_path: Path) -> None:
    child = copy.deepcopy(CHILD)
    child["remove"] = ["2.2"]
    child["criteria"] = [
        {
            "id": "2",
            "indicators": [
                {
                    "id": "2.4",
                    "name": "Chỉ tiêu mới",
                    "kind": "pass_fail",
                    "points": 10,
                    "rollup": {"method": "all"},
                }
            ],
        }
    ]
    frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    assert problems == []
    ids = [i.id for i in frameworks["tinh-2024"].framework.criteria[1].indicators]
    assert ids == ["2.1", "2.3", "2.4"]


def test_error_in_child_points_into_the_child_file(tmp_path: Path) -> None:
    child = copy.deepcopy(CHILD)
    child["criteria"][0]["indicators"][0]["target"] = "không phải số"
    _frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    assert len(problems) == 1
    assert problems[0].path is not None and problems[0].path.name == "tinh.yaml"
    assert problems[0].loc == ("criteria", 0, "indicators", 0, "target")
    assert problems[0].line is not None and problems[0].line > 1


def test_a_child_without_id_reports_its_id_not_the_inherited_keys(tmp_path: Path) -> None:
    child = {k: v for k, v in copy.deepcopy(CHILD).items() if k != "id"}
    _frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    assert [(p.path.name if p.path else "", p.loc, p.message) for p in problems] == [
        ("tinh.yaml", ("id",), "thiếu khóa bắt buộc “id”")
    ]


def test_extends_cycle_and_unknown_parent(tmp_path: Path) -> None:
    a = {**CHILD, "id": "a", "extends": "b"}
    b = {**CHILD, "id": "b", "extends": "a"}
    c = {**CHILD, "id": "c", "extends": "khong-co"}
    _frameworks, problems = load(tmp_path, {"a.yaml": a, "b.yaml": b, "c.yaml": c})
    messages = sorted(p.message for p in problems)
    assert any("kế thừa vòng tròn" in m for m in messages)
    assert any("khong-co" in m for m in messages)
    assert all(p.loc == ("extends",) for p in problems)


def test_points_must_add_up(tmp_path: Path) -> None:
    broken = copy.deepcopy(MINI_FRAMEWORK)
    broken["criteria"][0]["max_points"] = 45
    broken["criteria"][1]["max_points"] = 55
    _frameworks, problems = load(tmp_path, {"mini.yaml": broken})
    assert len(problems) == 2
    assert all("khác điểm tối đa" in p.message for p in problems)


def test_criteria_commands(tmp_path: Path) -> None:
    result = invoke(["criteria", "list", str(tmp_path)])
    assert "mac-dinh-2024" in result.stdout
    result = invoke(["criteria", "show", "quang-ninh-2024", "--dir", str(tmp_path)])
    assert "Chất lượng sinh hoạt tốt" in result.stdout
    result = invoke(["criteria", "diff", "quang-ninh-2024", "--dir", str(tmp_path)])
    assert "Ngưỡng đạt: trên 85% → từ 85% trở lên" in result.stdout  # the user's terms, not "> → >="
    invoke(["criteria", "show", "khong-co", "--dir", str(tmp_path)], exit_code=2)


def _located(problems: list[Problem]) -> list[tuple[str, tuple[str | int, ...], Severity]]:
    return [(p.path.name if p.path else "", p.loc, p.severity) for p in problems]


def test_points_broken_by_the_child_are_shown_in_the_child(tmp_path: Path) -> None:
    child = copy.deepcopy(CHILD)
    child["criteria"] = [{"id": "1", "indicators": [{"id": "1.1", "points": 15}]}]
    _frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    assert _located(problems) == [("tinh.yaml", ("criteria", 0, "indicators", 0, "points"), Severity.ERROR)]
    assert (
        "khác điểm tối đa 50; tiêu chí 1, điểm tối đa (max_points) kế thừa từ mini.yaml"
        in problems[0].message
    )


def test_a_removal_that_breaks_the_parent_is_shown_at_the_remove_entry(tmp_path: Path) -> None:
    parent = copy.deepcopy(MINI_FRAMEWORK)
    parent["gates"].append({"id": "tu-cham", "kind": "indicator", "indicator": "2.2", "reason": "Thử"})
    child = {**copy.deepcopy(CHILD), "remove": ["2.2"], "criteria": [{"id": "2", "max_points": 40}]}
    child["recognition"] = {"min_total": 80}
    _frameworks, problems = load(tmp_path, {"mini.yaml": parent, "tinh.yaml": child})
    assert _located(problems) == [("tinh.yaml", ("remove", 0), Severity.ERROR)]
    assert problems[0].message == (
        "không có tiêu chí/chỉ tiêu “2.2” trong khung; "
        "điều kiện tu-cham, chỉ tiêu (indicator) kế thừa từ mini.yaml"
    )


def test_a_removal_without_moving_the_points_is_shown_at_the_remove_entry(tmp_path: Path) -> None:
    child = {**copy.deepcopy(CHILD), "remove": ["2.2"]}
    _frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    assert _located(problems) == [("tinh.yaml", ("remove", 0), Severity.ERROR)]
    assert "khác điểm tối đa 50" in problems[0].message


def test_inherited_parts_keep_their_own_line_after_a_removal(tmp_path: Path) -> None:
    parent = copy.deepcopy(MINI_FRAMEWORK)
    del parent["criteria"][0]["indicators"][1]["rollup"]  # 1.2: a warning of the parent's own
    parent["criteria"][0]["indicators"][1]["period"] = "month"
    child = {**copy.deepcopy(CHILD), "remove": ["1.1"], "recognition": {"min_total": 70}}
    child["criteria"] = [{"id": "1", "max_points": 30, "min_points": 20}]
    _frameworks, problems = load(tmp_path, {"mini.yaml": parent, "tinh.yaml": child})
    # 1.2 moved to index 0 in the merged framework, but it is still the second item of mini.yaml.
    expected = ("mini.yaml", ("criteria", 0, "indicators", 1, "period"), Severity.WARNING)
    assert set(_located(problems)) == {expected}


def test_a_grandchild_removal_keeps_what_the_middle_framework_wrote(tmp_path: Path) -> None:
    middle = copy.deepcopy(CHILD)
    middle["criteria"] = [{"id": "1", "indicators": [{"id": "1.2", "rollup": None}]}]
    grandchild = {
        "id": "huyen-2024",
        "extends": "tinh-2024",
        "title": "Khung của huyện",
        "issuer": "Ban Tổ chức Huyện ủy",
        "remove": ["1.1"],
        "criteria": [{"id": "1", "max_points": 30, "min_points": 20}],
        "recognition": {"min_total": 70},
    }
    parent = copy.deepcopy(MINI_FRAMEWORK)
    parent["criteria"][0]["indicators"][1]["period"] = "month"
    files = {"mini.yaml": parent, "tinh.yaml": middle, "huyen.yaml": grandchild}
    _frameworks, problems = load(tmp_path, files)
    rollup = ("tinh.yaml", ("criteria", 0, "indicators", 0, "rollup"), Severity.WARNING)
    assert set(_located(problems)) == {rollup}
    assert {p.message for p in problems} == {
        "chỉ tiêu theo tháng/quý cần khai báo rollup; chỉ tiêu 1.2, kỳ đánh giá (period) kế thừa từ mini.yaml"
    }


def test_a_kind_changed_by_the_child_is_blamed_for_inherited_keys(tmp_path: Path) -> None:
    child = copy.deepcopy(CHILD)
    child["criteria"] = [{"id": "2", "indicators": [{"id": "2.1", "kind": "count"}]}]
    _frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    assert _located(problems) == [("tinh.yaml", ("criteria", 0, "indicators", 0, "kind"), Severity.ERROR)]
    assert "; chỉ tiêu 2.1, ngưỡng (target) kế thừa từ mini.yaml" in problems[0].message


def test_a_source_changed_by_the_child_is_blamed_for_an_inherited_target(tmp_path: Path) -> None:
    child = copy.deepcopy(CHILD)
    child["criteria"] = [{"id": "2", "indicators": [{"id": "2.1", "source": "duration_minutes"}]}]
    _frameworks, problems = load(tmp_path, {"mini.yaml": MINI_FRAMEWORK, "tinh.yaml": child})
    where = ("criteria", 0, "indicators", 0, "source")
    assert _located(problems) == [("tinh.yaml", where, Severity.WARNING)]
    assert "nếu là 0,85 giờ hãy ghi 51" in problems[0].message


CHILD_OF_SHIPPED = """\
id: thu-2024
extends: mac-dinh-2024
title: Khung tiêu chí của xã Thử
issuer: Đảng ủy xã Thử
years: [2024]
criteria:
  - id: "2"
    indicators:
      - id: "2.1"
        indicators:
          - id: "2.1.3"
            target: 90
"""


def test_validate_shows_a_percentage_target_in_the_users_own_file(tmp_path: Path) -> None:
    tree = mini_workspace(units=1, months=0)
    del tree["criteria/mini-2024.yaml"]
    tree["chibo4tot.yaml"]["frameworks"] = [{"years": [2024], "framework": "thu-2024"}]
    tree["criteria/thu-2024.yaml"] = CHILD_OF_SHIPPED
    root = build_tree(tmp_path / "ws", tree)
    result = invoke(["validate", str(root)], exit_code=1)
    lines = [line for line in result.stderr.splitlines() if ": lỗi: " in line]
    assert len(lines) == 1, result.stderr
    path, line, col, _rest = lines[0].split(":", 3)
    assert Path(path).as_posix().endswith("criteria/thu-2024.yaml"), lines[0]
    assert (line, col) == ("12", "21"), lines[0]  # the `target: 90` the user wrote
    assert "ngưỡng 90 cho tỉ lệ dự họp không thể đạt (tỉ lệ từ 0 đến 1)" in lines[0]
    assert "nếu là 90% hãy ghi 0,9" in lines[0]
    assert "mac-dinh-2024.yaml" not in result.stderr


def test_criteria_list_and_show_lose_nothing_at_any_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "40")
    assert "mac-dinh-2024" in invoke(["criteria", "list"]).stdout  # an id is never cut
    monkeypatch.setenv("COLUMNS", "80")
    shown = invoke(["criteria", "show", "mac-dinh-2024"]).stdout
    flat = " ".join(shown.split())
    assert "Tiêu chí 1. Lãnh đạo hoàn thành tốt nhiệm vụ chính trị — 25 điểm" in flat  # not cropped
    assert "hoàn thành nhiệm vụ được giao — 4 điểm" in flat
