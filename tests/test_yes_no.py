"""Có/Không are a yes/no wherever a yes/no is expected: in every model and in every JSON Schema."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import jsonschema
import pytest
import yaml
from pydantic import BaseModel, ValidationError

from chibo4tot.inputs.messages import message_for
from chibo4tot.inputs.schema import render_schemas
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.types import yes_no
from chibo4tot.models.workspace import UnitsFile, WorkspaceConfig
from tests.conftest import EXAMPLE, REPO
from tests.test_messages import _with
from tests.test_schema_documents import _as_editor_sees

YES = ["có", "Có", "CÓ", "có ", " Có  ", "cÓ"]
NO = ["không", "Không", "KHÔNG", "không ", "  KHÔNG "]
MODELS: list[type[BaseModel]] = [MonthRecord, YearRecord, WorkspaceConfig, UnitsFile, Framework]

# (model, its schema, a sample file, yes/no keys the sample leaves at their default written out)
SAMPLES: list[tuple[type[BaseModel], str, Path, dict[tuple[Any, ...], Any]]] = [
    (
        MonthRecord,
        "record",
        EXAMPLE / "records/2024/pa-vi/2024-03.yaml",
        {("meeting", "held"): True, ("meeting", "minutes_recorded"): False},
    ),
    (
        YearRecord,
        "year-record",
        EXAMPLE / "records/2024/pa-vi/year.yaml",
        {("discipline",): [{"form": "Khiển trách", "self_detected_remedied": True}]},
    ),
    (
        Framework,
        "framework",
        REPO / "criteria/mac-dinh-2024.yaml",
        {("recognition", "gates_must_pass"): True},
    ),
]


def _models(model: type[BaseModel], seen: set[type[BaseModel]]) -> Iterator[type[BaseModel]]:
    if model in seen:
        return
    seen.add(model)
    yield model
    for field in model.model_fields.values():
        for sub in _nested(field.annotation):
            yield from _models(sub, seen)


def _nested(annotation: Any) -> Iterator[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for arg in typing.get_args(annotation):
        yield from _nested(arg)


def _bare_bool(annotation: Any, metadata: tuple[Any, ...] = ()) -> bool:
    """Whether a ``bool`` that does not read Có/Không hides in the annotation (a union with
    ``str``, as a self-assessed value is, takes the words as text and is fine)."""
    if annotation is bool:
        return not any(getattr(m, "func", None) is yes_no for m in metadata)
    if typing.get_origin(annotation) is Annotated:
        base, *meta = typing.get_args(annotation)
        return _bare_bool(base, tuple(meta))
    args = typing.get_args(annotation)
    return str not in args and any(_bare_bool(a) for a in args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_no_yes_no_field_of_any_file_type_is_a_plain_bool(model: type[BaseModel]) -> None:
    found = [
        (cls.__name__, name)
        for cls in _models(model, set())
        for name, field in cls.model_fields.items()
        if "bool" in str(field.annotation)
    ]
    plain = [
        (cls.__name__, name)
        for cls in _models(model, set())
        for name, field in cls.model_fields.items()
        if _bare_bool(field.annotation, tuple(field.metadata))
    ]
    assert not plain, plain
    if model in (MonthRecord, YearRecord, Framework):
        assert found  # the walk does reach the yes/no fields


def _bool_paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, bool):
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from _bool_paths(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _bool_paths(value, (*path, index))


def _get(obj: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        obj = obj[part] if isinstance(obj, list | dict) else getattr(obj, str(part))
    return obj


@pytest.mark.parametrize(("model", "schema", "sample", "extra"), SAMPLES, ids=[s[1] for s in SAMPLES])
def test_words_are_read_as_yes_and_no_by_model_and_schema(
    model: type[BaseModel], schema: str, sample: Path, extra: dict[tuple[Any, ...], Any]
) -> None:
    data = yaml.safe_load(sample.read_text(encoding="utf-8"))
    for path, value in extra.items():
        data = _with(data, path, value)
    paths = list(_bool_paths(data))
    assert len(paths) >= len(extra)
    validator = jsonschema.Draft202012Validator(json.loads(render_schemas()[f"{schema}.schema.json"]))
    for path in paths:
        for word, truth in [*((w, True) for w in YES), *((w, False) for w in NO)]:
            changed = _with(data, path, word)
            validator.validate(_as_editor_sees(changed))
            assert _get(model.model_validate(changed), path) is truth, (path, word)


@pytest.mark.parametrize("word", ["x", "co", "yes", "đúng", "có không"])
def test_other_words_are_still_refused_and_the_message_names_the_words(word: str) -> None:
    record = yaml.safe_load((EXAMPLE / "records/2024/pa-vi/2024-03.yaml").read_text(encoding="utf-8"))
    record["meeting"]["held"] = word
    with pytest.raises(ValidationError) as caught:
        MonthRecord.model_validate(record)
    (error,) = caught.value.errors()
    expected = f"phải là Có hoặc Không (hoặc true/false), không phải chuỗi “{word}”"
    assert message_for(error, MonthRecord) == expected
    validator = jsonschema.Draft202012Validator(json.loads(render_schemas()["record.schema.json"]))
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(_as_editor_sees(record))
