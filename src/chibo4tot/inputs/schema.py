"""JSON Schemas generated from the models, for editors (yaml-language-server)."""

from __future__ import annotations

import json
from typing import Any

from pydantic import BaseModel

from chibo4tot.models import Framework, MonthRecord, UnitsFile, WorkspaceConfig, YearRecord
from chibo4tot.models.cases import RECORD_PART, CaseTemplate, FrameworkCase
from chibo4tot.models.export import Export

SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "framework": (Framework, "Khung tiêu chí “Chi bộ 4 tốt”"),
    "workspace": (WorkspaceConfig, "Tệp cấu hình không gian làm việc chibo4tot.yaml"),
    "units": (UnitsFile, "Danh sách tổ chức đảng units.yaml"),
    "record": (MonthRecord, "Hồ sơ tự đánh giá tháng của chi bộ"),
    "year-record": (YearRecord, "Hồ sơ cuối năm của chi bộ (year.yaml)"),
    "export": (Export, "Kết quả chấm của một đảng bộ gửi cấp trên (chibo4tot export)"),
}
CASE_SCHEMAS: dict[str, tuple[type[BaseModel], str]] = {
    "case": (FrameworkCase, "Trường hợp kiểm thử của khung tiêu chí (<khung>.cases/<tên>.yaml)"),
    "case-template": (
        CaseTemplate,
        "Hồ sơ mẫu dùng chung cho các trường hợp kiểm thử (<khung>.cases/_mau.yaml)",
    ),
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


def _record_part(
    model: type[MonthRecord] | type[YearRecord], title: str, set_by_case: tuple[str, ...]
) -> Any:
    """A record as a case writes it: every key optional (the template or every_month may give it),
    without the keys the case sets itself."""
    schema = model.model_json_schema(mode="validation", ref_template="#/$defs/{model}")
    defs = schema.pop("$defs", {})
    for key in set_by_case:
        schema["properties"].pop(key, None)
    schema["title"] = title
    schema["description"] = "Chỉ ghi những gì khác tệp mẫu hoặc every_month; mọi khóa đều không bắt buộc"
    return _relaxed(schema), _relaxed(defs)


def _point_to_parts(node: Any) -> Any:
    """Each marker of a record part (models/cases.py) becomes a reference to its definition."""
    if isinstance(node, dict):
        out = {k: _point_to_parts(v) for k, v in node.items() if k != RECORD_PART}
        if RECORD_PART in node:
            out["$ref"] = "#/$defs/" + node[RECORD_PART]
        return out
    if isinstance(node, list):
        return [_point_to_parts(v) for v in node]
    return node


def build_case_schema(name: str) -> dict[str, Any]:
    """A test case (or a template): its records are month and year records written in part."""
    model, title = CASE_SCHEMAS[name]
    schema = model.model_json_schema(mode="validation")
    month, month_defs = _record_part(MonthRecord, "Hồ sơ tháng (một phần)", ("unit", "month", "framework"))
    year, year_defs = _record_part(YearRecord, "Hồ sơ cuối năm (một phần)", ("unit", "year", "framework"))
    schema = dict(_point_to_parts(schema))
    schema["$defs"] = {
        **month_defs,
        **year_defs,
        **schema.get("$defs", {}),
        "CaseMonth": month,
        "CaseYear": year,
    }
    schema["title"] = title
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def render_schemas() -> dict[str, str]:
    """File name → JSON text, stable (sorted keys) so staleness is a plain comparison."""
    schemas = {name: build_schema(name) for name in SCHEMAS}
    schemas["framework-extends"] = build_extends_schema()
    schemas |= {name: build_case_schema(name) for name in CASE_SCHEMAS}
    return {
        f"{name}.schema.json": json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        for name, schema in schemas.items()
    }
