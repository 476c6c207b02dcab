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
