"""The generated JSON Schemas accept every shipped and example file, as an editor would read them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from chibo4tot.inputs.schema import render_schemas

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "dang-bo-xa-thuong-phung"


def _as_editor_sees(node: Any) -> Any:
    """yaml-language-server reads YAML 1.2: dates stay strings."""
    if isinstance(node, dict):
        return {str(k): _as_editor_sees(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_editor_sees(v) for v in node]
    if isinstance(node, dt.date):
        return node.isoformat()
    return node


def _schema(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(render_schemas()[f"{name}.schema.json"])
    return data


def _schema_for(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert "$schema=" in first, f"{path} lacks a yaml-language-server line"
    return first.rsplit("/", 1)[1].removesuffix(".schema.json")


FILES = [
    *sorted((REPO / "criteria").glob("*.yaml")),
    *sorted((REPO / "criteria").glob("*.cases/*.yaml")),
    *sorted((EXAMPLE / "criteria").glob("*.yaml")),
    EXAMPLE / "chibo4tot.yaml",
    EXAMPLE / "units.yaml",
    *sorted((EXAMPLE / "records").rglob("*.yaml")),
]


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(REPO)))
def test_file_matches_its_declared_schema(path: Path) -> None:
    data = _as_editor_sees(yaml.safe_load(path.read_text(encoding="utf-8")))
    jsonschema.Draft202012Validator(_schema(_schema_for(path))).validate(data)


def test_short_form_and_object_form_both_accepted() -> None:
    validator = jsonschema.Draft202012Validator(_schema("record"))
    base = {
        "unit": "a",
        "month": "2024-03",
        "meeting": {"members": 3, "present": 3},
    }
    validator.validate({**base, "assessment": {"1.1": "Đạt", "1.2": 4.5, "1.3": {"value": "Đạt"}}})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({**base, "assessment": {"1.1": {"valeu": "Đạt"}}})


def test_extends_schema_needs_only_id_and_extends() -> None:
    validator = jsonschema.Draft202012Validator(_schema("framework-extends"))
    validator.validate({"id": "x", "extends": "mac-dinh-2024", "criteria": [{"id": "3", "min_points": 20}]})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": "x", "criteria": []})
    with pytest.raises(jsonschema.ValidationError):
        validator.validate({"id": "x", "extends": "y", "criteria": [{"id": "3", "min_pionts": 20}]})
