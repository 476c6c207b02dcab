"""Validation messages come from the error type, never from pydantic's English wording."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from chibo4tot.inputs.messages import message_for, problems_from_validation
from chibo4tot.inputs.yamlio import fast_load
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.types import CUSTOM_MESSAGES
from chibo4tot.models.workspace import UnitsFile, WorkspaceConfig
from tests.conftest import EXAMPLE, REPO

SAMPLES: list[tuple[type[BaseModel], Path]] = [
    (MonthRecord, EXAMPLE / "records/2024/pa-vi/2024-03.yaml"),
    (YearRecord, EXAMPLE / "records/2024/pa-vi/year.yaml"),
    (WorkspaceConfig, EXAMPLE / "chibo4tot.yaml"),
    (UnitsFile, EXAMPLE / "units.yaml"),
    (Framework, REPO / "criteria/mac-dinh-2024.yaml"),
]
WRONG_VALUES: list[Any] = [None, "x", "", 1.5, -1, True, [], {"k": 1}, "a" * 300]


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data[:2]):
            yield from _paths(value, (*path, index))


def _with(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return changed


@pytest.mark.parametrize(("model", "sample"), SAMPLES, ids=[m.__name__ for m, _s in SAMPLES])
def test_no_wrong_value_shows_pydantics_words(model: type[BaseModel], sample: Path) -> None:
    data = fast_load(sample.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for path in _paths(data):
        for wrong in WRONG_VALUES:
            try:
                model.model_validate(_with(data, path, wrong))
            except ValidationError as exc:
                for error in exc.errors(include_url=False):
                    message = message_for(error, model)
                    assert "None" not in message, message
                    if error["type"] in CUSTOM_MESSAGES:
                        continue  # our own Vietnamese template is pydantic's msg here
                    assert message != error["msg"], (error["type"], path)
                    assert " or " not in message, message
                    seen.add(error["type"])
    assert seen  # the loop did reach pydantic's own error types


def test_an_unknown_error_type_gets_a_vietnamese_message() -> None:
    error = {"type": "some_future_type", "loc": ("a",), "msg": "Input should be nicer", "input": "abc"}
    assert message_for(error) == "giá trị không hợp lệ (chuỗi “abc”)"


def test_a_known_type_whose_context_changed_still_gets_a_vietnamese_message() -> None:
    error = {"type": "too_short", "loc": ("a",), "msg": "List should have…", "input": [], "ctx": {}}
    assert message_for(error) == "giá trị không hợp lệ (một danh sách)"


@pytest.mark.parametrize("expected", ["'zero' or 'exclude'", "'zero', 'exclude'", "'zero' hoặc 'exclude'"])
def test_literal_choices_do_not_carry_pydantics_conjunction(expected: str) -> None:
    error = {"type": "literal_error", "loc": ("m",), "msg": "…", "input": "x", "ctx": {"expected": expected}}
    assert message_for(error) == "“x” không hợp lệ; chọn một trong: zero, exclude"


@pytest.mark.parametrize(("value", "got"), [([1], "một danh sách"), ({"a": 1}, "một bảng khóa: giá trị")])
def test_a_value_no_union_branch_accepts_gives_one_message_at_its_key(value: Any, got: str) -> None:
    data = fast_load(EXAMPLE.joinpath("records/2024/pa-vi/2024-03.yaml").read_text(encoding="utf-8"))
    indicator = next(iter(data["assessment"]))
    cases: list[tuple[Any, tuple[str, ...]]] = [({"value": value}, ("assessment", indicator, "value"))]
    if isinstance(value, list):  # the "1.1: Đạt" short form; a mapping there is the long form
        cases.append((value, ("assessment", indicator)))
    for entry, loc in cases:
        data["assessment"][indicator] = entry
        with pytest.raises(ValidationError) as caught:
            MonthRecord.model_validate(data)
        assert problems_from_validation(caught.value, MonthRecord, data) == [
            (
                loc,
                "phải là văn bản, một số, một ngày (ví dụ 2024-03-12) hoặc true/false (có/không), "
                f"không phải {got}",
            )
        ]


def _first_message(
    model: type[BaseModel], sample: Path, path: tuple[Any, ...], value: Any
) -> tuple[Any, str]:
    data = fast_load(sample.read_text(encoding="utf-8"))
    if path[-1] == "[key]":  # the value is written as a key of the mapping above
        node = data
        for part in path[:-2]:
            node = node[part]
        node[value] = node.pop(path[-2])
    else:
        data = _with(data, path, value)
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data)
    return problems_from_validation(caught.value, model, data)[0]


ID_HINTS: list[tuple[type[BaseModel], Path, tuple[Any, ...], Any, str]] = [
    (
        MonthRecord,
        SAMPLES[0][1],
        ("assessment", "1.1", "[key]"),
        "4,4",
        "“4,4” không đúng dạng mã tiêu chí/chỉ tiêu: hãy dùng dấu chấm, không dùng dấu phẩy: “4.4”",
    ),
    (
        MonthRecord,
        SAMPLES[0][1],
        ("assessment", "1.1", "[key]"),
        "1-1",
        "“1-1” không đúng dạng mã tiêu chí/chỉ tiêu "
        "(chữ số hoặc chữ cái không dấu, cách nhau bằng dấu chấm, ví dụ “2.3”)",
    ),
    (
        MonthRecord,
        SAMPLES[0][1],
        ("unit",),
        "Pả Vi",
        "“Pả Vi” không đúng dạng mã chi bộ (chỉ chữ thường không dấu, số và dấu gạch ngang, "
        "ví dụ khu-bieu-nghi); có thể ghi “pa-vi”",
    ),
    (
        UnitsFile,
        SAMPLES[3][1],
        ("units", 0, "parent"),
        "Đảng bộ xã",
        "“Đảng bộ xã” không đúng dạng mã tổ chức đảng (chỉ chữ thường không dấu, số và dấu gạch ngang, "
        "ví dụ dang-bo-xa-thuong-phung); có thể ghi “dang-bo-xa”",
    ),
    (
        WorkspaceConfig,
        SAMPLES[2][1],
        ("frameworks", 0, "framework"),
        "mac_dinh",
        "“mac_dinh” không đúng dạng mã khung tiêu chí (chỉ chữ thường không dấu, số và dấu gạch ngang, "
        "ví dụ mac-dinh-2024); có thể ghi “mac-dinh”",
    ),
    (
        Framework,
        SAMPLES[4][1],
        ("gates", 0, "id"),
        "Kỷ luật",
        "“Kỷ luật” không đúng dạng mã điều kiện (chỉ chữ thường không dấu, số và dấu gạch ngang, "
        "ví dụ ky-luat); có thể ghi “ky-luat”",
    ),
    (
        Framework,
        SAMPLES[4][1],
        ("criteria", 0, "indicators", 0, "id"),
        "1,1",
        "“1,1” không đúng dạng mã tiêu chí/chỉ tiêu: hãy dùng dấu chấm, không dùng dấu phẩy: “1.1”",
    ),
    (
        MonthRecord,
        SAMPLES[0][1],
        ("assessment", "1.1", "[key]"),
        "“1.1”",
        'dấu nháy cong trong “1.1” không phải dấu nháy của YAML; hãy gõ dấu nháy thẳng: "1.1"',
    ),
    (
        MonthRecord,
        SAMPLES[0][1],
        ("meeting", "members"),
        "“20”",
        "dấu nháy cong trong “20” không phải dấu nháy của YAML; hãy bỏ chúng: 20",
    ),
    (
        WorkspaceConfig,
        SAMPLES[2][1],
        ("recipients",),
        "-Như trên -Lưu",
        "thiếu dấu cách sau dấu gạch đầu dòng “-” nên các dòng được đọc thành một chuỗi “-Như trên -Lưu”; "
        "mỗi mục của danh sách viết “- nội dung”",
    ),
]


@pytest.mark.parametrize(("model", "sample", "path", "value", "expected"), ID_HINTS)
def test_each_kind_of_id_gets_its_own_hint(
    model: type[BaseModel], sample: Path, path: tuple[Any, ...], value: Any, expected: str
) -> None:
    _loc, message = _first_message(model, sample, path, value)
    assert message == expected
