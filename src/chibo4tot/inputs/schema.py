"""JSON Schemas generated from the models, for editors (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from chibo4tot.models import Framework, MonthRecord, UnitsFile, WorkspaceConfig, YearRecord

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "framework": (Framework, "Khung tiêu chí “Chi bộ 4 tốt”"),
    "workspace": (WorkspaceConfig, "Tệp cấu hình không gian làm việc chibo4tot.yaml"),
    "units": (UnitsFile, "Danh sách tổ chức đảng units.yaml"),
    "record": (MonthRecord, "Hồ sơ tự đánh giá tháng của chi bộ"),
    "year-record": (YearRecord, "Hồ sơ cuối năm của chi bộ (year.yaml)"),
}


def build_schema(name: str) -> dict[str, Any]:
    model, title = SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
    schema["title"] = title
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def _relaxed(node: Any) -> Any:
    """The same schema with nothing required and ``oneOf`` loosened to ``anyOf``."""
    if isinstance(node, dict):
        out = {("anyOf" if k == "oneOf" else k): _relaxed(v) for k, v in node.items() if k != "required"}
        out.pop("discriminator", None)
        return out
    if isinstance(node, list):
        return [_relaxed(v) for v in node]
    return node


def build_extends_schema() -> dict[str, Any]:
    """A framework that ``extends`` another lists only what it changes: every key is optional."""
    schema = _relaxed(build_schema("framework"))
    schema["title"] = "Khung tiêu chí kế thừa (extends) một khung khác — chỉ ghi những điểm thay đổi"
    schema["required"] = ["id", "extends"]
    return dict(schema)


def render_schemas() -> dict[str, str]:
    """File name → JSON text, stable (sorted keys) so staleness is a plain comparison."""
    schemas = {name: build_schema(name) for name in SCHEMAS}
    schemas["framework-extends"] = build_extends_schema()
    return {
        f"{name}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name, schema in schemas.items()
    }
