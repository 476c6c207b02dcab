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


def render_schemas() -> dict[str, str]:
    """File name → JSON text, stable (sorted keys) so staleness is a plain comparison."""
    return {
        f"{name}.schema.json": json.dumps(build_schema(name), ensure_ascii=False, indent=2, sort_keys=True)
        + "\n"
        for name in SCHEMAS
    }
