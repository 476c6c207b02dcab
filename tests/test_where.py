"""Positions in the user's words, for every key of every kind of file."""

from __future__ import annotations

import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel

from chibo4tot.errors import Loc, Problem
from chibo4tot.inputs.where import describe_loc, file_kind
from chibo4tot.inputs.yamlio import fast_load
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import UnitsFile, WorkspaceConfig
from tests.conftest import EXAMPLE, REPO

FRAMEWORK = REPO / "criteria/mac-dinh-2024.yaml"
ROOTS: dict[str, tuple[type[BaseModel], Path]] = {
    "month": (MonthRecord, EXAMPLE / "records/2024/pa-vi/2024-03.yaml"),
    "year": (YearRecord, EXAMPLE / "records/2024/pa-vi/year.yaml"),
    "config": (WorkspaceConfig, EXAMPLE / "chibo4tot.yaml"),
    "units": (UnitsFile, EXAMPLE / "units.yaml"),
    "framework": (Framework, FRAMEWORK),
}


def _data(kind: str) -> Any:
    return fast_load(ROOTS[kind][1].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("kind", "loc", "expected"),
    [
        ("units", ("units", 0), "chi bộ thứ 1 (mã ma-pi-leng)"),
        ("units", ("units", 0, "parent"), "chi bộ thứ 1 (mã ma-pi-leng), mã cấp trên (parent)"),
        ("units", ("units", 0, "id"), "chi bộ thứ 1, mã (id)"),  # the id is what is wrong: not repeated
        ("units", ("units", 0, "membres"), "chi bộ thứ 1 (mã ma-pi-leng)"),  # the message names the key
        (
            "framework",
            ("criteria", 1, "indicators", 0, "indicators", 5, "target"),
            "chỉ tiêu 2.1.6, ngưỡng (target)",
        ),
        ("framework", ("criteria", 0, "max_points"), "tiêu chí 1, điểm tối đa (max_points)"),
        ("framework", ("criteria", 0, "indicators", 0, "id"), "tiêu chí 1, chỉ tiêu thứ 1, mã (id)"),
        (
            "framework",
            ("criteria", 1, "indicators", 0, "bands", 0, "min"),
            "chỉ tiêu 2.1, thang xếp loại, mức Tốt, điểm tối thiểu (min)",
        ),
        ("framework", ("rating", "bands", 0, "min"), "xếp loại cả năm, mức Xuất sắc, điểm tối thiểu (min)"),
        ("framework", ("gates", 0, "reason"), "điều kiện ky-luat, câu lý do (reason)"),
        ("framework", ("years", 0), "các năm áp dụng (years), mục thứ 1"),
        ("framework", ("title",), "tên khung (title)"),
        ("framework", ("titel",), ""),  # an unknown top-level key: the message says it all
        ("month", ("assessment", "1.1", "value"), "tự đánh giá chỉ tiêu 1.1"),
        ("month", ("assessment", "4,4", "[key]"), "tự đánh giá chỉ tiêu 4,4"),
        ("month", ("assessment", "1.1", "note"), "tự đánh giá chỉ tiêu 1.1, ghi chú (note)"),
        ("month", ("review", "values", "2.1.8", "value"), "đảng ủy thẩm định chỉ tiêu 2.1.8"),
        ("month", ("meeting", "present"), "sinh hoạt định kỳ, số có mặt (present)"),
        ("month", ("meeting", "presnt"), "sinh hoạt định kỳ (meeting)"),
        (
            "month",
            ("meeting", "absentees", 1, "excused"),
            "sinh hoạt định kỳ, người vắng thứ 2, vắng có lý do (excused)",
        ),
        (
            "year",
            ("member_classification", "httnv"),
            "xếp loại đảng viên, số hoàn thành tốt nhiệm vụ (httnv)",
        ),
        ("year", ("discipline", 0, "form"), "vụ kỷ luật thứ 1, hình thức kỷ luật (form)"),
        ("year", ("assessment", "4.1", "value"), "tự đánh giá chỉ tiêu 4.1"),
        (
            "config",
            ("frameworks", 0, "years"),
            "khung tiêu chí áp dụng thứ 1 (mã ha-giang-2024), các năm áp dụng (years)",
        ),
        ("config", ("recipients", 1), "nơi nhận thứ 2"),
        ("config", ("signer", "name"), "người ký, họ tên (name)"),
    ],
)
def test_positions_read_as_a_secretary_would_say_them(kind: str, loc: Loc, expected: str) -> None:
    assert describe_loc(kind, loc, _data(kind)) == expected


def test_a_party_committee_in_units_is_not_called_a_cell() -> None:
    data = {"units": [{"id": "dang-bo-xa", "name": "Đảng bộ xã", "kind": "dang_bo_co_so"}]}
    assert (
        describe_loc("units", ("units", 0, "name"), data) == "tổ chức đảng thứ 1 (mã dang-bo-xa), tên (name)"
    )


def test_without_the_data_items_are_named_by_position() -> None:
    loc = ("criteria", 1, "indicators", 0, "indicators", 5, "target")
    assert (
        describe_loc("framework", loc, None)
        == "tiêu chí thứ 2, chỉ tiêu thứ 1, chỉ tiêu thứ 6, ngưỡng (target)"
    )


def test_an_unknown_kind_of_file_keeps_the_loc_as_written() -> None:
    assert describe_loc(None, ("criteria", 1, "target"), None) == "criteria[1].target"


def test_a_long_or_multiline_id_is_shortened_to_one_line() -> None:
    data = {"units": [{"id": "a\nb" + "x" * 80}]}
    shown = describe_loc("units", ("units", 0, "name"), data)
    assert "\n" not in shown and len(shown) < 80


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("ws/chibo4tot.yaml", "config"),
        ("ws/units.yaml", "units"),
        ("ws/records/2024/pa-vi/2024-03.yaml", "month"),
        ("ws/records/2024/pa-vi/year.yaml", "year"),
        ("ws/criteria/tinh.yaml", "framework"),
        ("elsewhere/khung.yaml", None),
    ],
)
def test_the_kind_of_file_comes_from_its_place_in_the_workspace(path: str, kind: str | None) -> None:
    assert file_kind(Path(path)) == kind


def _shapes(annotation: Any) -> Iterator[tuple[tuple[str | int, ...], type[BaseModel] | None]]:
    """(what a loc adds to reach an item, the item's model) for a field's annotation; a list
    of plain values gives its index and no model."""
    if typing.get_origin(annotation) is Annotated:
        yield from _shapes(typing.get_args(annotation)[0])
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield (), annotation
    elif typing.get_origin(annotation) is list:
        inner = list(_shapes(typing.get_args(annotation)[0]))
        if not inner:
            yield (0,), None
        for suffix, model in inner:
            yield (0, *suffix), model
    elif typing.get_origin(annotation) is dict:
        for suffix, model in _shapes(typing.get_args(annotation)[1]):
            yield ("1.1", *suffix), model
    else:
        for arg in typing.get_args(annotation):
            yield from _shapes(arg)


def _every_loc(model: type[BaseModel], prefix: Loc = (), depth: int = 0) -> Iterator[Loc]:
    """A loc for every key of the model, nested models and union branches included."""
    if depth > 6:
        return
    for name, field in model.model_fields.items():
        loc = (*prefix, field.alias or name)
        yield loc
        for suffix, sub in _shapes(field.annotation):
            if sub is None:
                yield (*loc, *suffix)
            else:
                yield from _every_loc(sub, (*loc, *suffix), depth + 1)


@pytest.mark.parametrize("kind", sorted(ROOTS))
def test_every_key_of_every_file_type_has_words(kind: str) -> None:
    """A key added to a model without its words would show as the raw key: the last key of a
    loc is named with the key in parentheses, and no key inside the path is left raw."""
    model, _sample = ROOTS[kind]
    locs = list(_every_loc(model))
    assert len(locs) >= 8
    for loc in locs:
        shown = describe_loc(kind, loc, None)
        segments = shown.split(", ")
        raw = [p for p in loc[:-1] if isinstance(p, str) and p in segments]
        assert not raw, (loc, shown)
        last = loc[-1]
        if isinstance(last, str) and last != "value":
            assert shown.endswith(f"({last})"), (loc, shown)
        assert "[" not in shown and "." not in shown.replace("1.1", ""), (loc, shown)


def test_a_located_problem_carries_its_words_and_keeps_its_loc(tmp_path: Path) -> None:
    from chibo4tot.inputs.locate import locate_problems
    from chibo4tot.results.views import problem_json

    path = tmp_path / "units.yaml"
    path.write_text(
        "units:\n  - id: ma-pi-leng\n    name: Chi bộ\n    kind: chi_bo_co_so\n", encoding="utf-8"
    )
    (problem,) = locate_problems([Problem(path, "…", ("units", 0, "parent"))])
    assert (problem.line, problem.where, problem.loc) == (
        2,
        "chi bộ thứ 1 (mã ma-pi-leng), mã cấp trên (parent)",
        ("units", 0, "parent"),
    )
    assert problem.place() == problem.where
    assert Problem(path, "…", ("units", 0, "parent")).place() == "units[0].parent"
    assert problem_json(problem)["where"] == "units[0].parent"  # programs keep the loc (DESIGN §5)
