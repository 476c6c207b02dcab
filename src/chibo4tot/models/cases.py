"""A framework's test cases: a small unit, its records in compact form, and the result expected."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, WithJsonSchema

from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.types import (
    Count,
    IndicatorId,
    Model,
    NonNegNum,
    Share,
    Text,
    UnitKind,
    UnitKindField,
    Year,
)
from chibo4tot.models.workspace import Unit

CASES_SUFFIX = ".cases"  # criteria/mac-dinh-2024.yaml → criteria/mac-dinh-2024.cases/
TEMPLATE_PREFIX = "_"  # criteria/mac-dinh-2024.cases/_mau.yaml is shared, not a case
REASON_PATTERN = r"^(total|rating|criterion:[0-9A-Za-z.]+|gate:[a-z0-9][a-z0-9-]*)$"
_MONTH_KEY = re.compile(r"^\s*(?:\d{4}-)?(\d{1,2})\s*$")


def month_key(key: Any) -> Any:
    """A key of ``months``: ``3``, ``"03"`` or ``"2024-03"`` all mean March."""
    if isinstance(key, str) and (match := _MONTH_KEY.match(key)):
        return int(match[1])
    return key


def _month_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {month_key(k): v for k, v in value.items()}
    return value


MonthNumber = Annotated[int, Field(ge=1, le=12)]
# Records are written as in records/…/2024-03.yaml and year.yaml, without unit and month; they
# are merged (every_month, then the month's own lines) and validated as whole records after.
# The schema of a part is filled in by inputs/schema.py at the place each marker stands.
RECORD_PART = "x-record-part"
MonthPart = Annotated[dict[str, Any], WithJsonSchema({RECORD_PART: "CaseMonth"})]
YearPart = Annotated[dict[str, Any], WithJsonSchema({RECORD_PART: "CaseYear"})]
Months = Annotated[
    dict[MonthNumber, MonthPart],
    BeforeValidator(_month_keys),
    WithJsonSchema(
        {
            "type": "object",
            "description": "Những gì riêng của từng tháng, ghi đè lên every_month; khóa là số tháng (3) "
            "hoặc 2024-03",
            "propertyNames": {"pattern": r"^(\d{4}-)?\d{1,2}$"},
            "additionalProperties": {RECORD_PART: "CaseMonth"},
        }
    ),
]


class CaseUnit(Model):
    """The unit a case scores: only what scoring reads of it."""

    kind: UnitKindField = Field(UnitKind.CHI_BO_TRUC_THUOC, description="Loại tổ chức đảng")
    name: Text | None = Field(None, description="Tên chi bộ (mặc định: theo mô tả trường hợp)")
    members: Count | None = Field(None, description="Số đảng viên")
    registered: bool = Field(True, description="Đã đăng ký phấn đấu đạt danh hiệu từ đầu năm")
    sub_units_recognised: Share | None = Field(
        None, description="Với đảng bộ cơ sở: tỉ lệ chi bộ trực thuộc được công nhận (0..1)"
    )


class CaseTemplate(Model):
    """A shared template (``_mau.yaml``): the unit and records that cases start from."""

    year: Year | None = Field(None, description="Năm đánh giá (mặc định: năm cuối của khung tiêu chí)")
    unit: CaseUnit | None = Field(None, description="Chi bộ được chấm")
    every_month: MonthPart | None = Field(
        None, description="Hồ sơ dùng chung cho cả 12 tháng (meeting, thematic, assessment, events…)"
    )
    months: Months = Field(default_factory=dict)
    missing_months: list[MonthNumber] | None = Field(None, description="Các tháng không có hồ sơ")
    year_record: YearPart | None = Field(
        None, description="Hồ sơ cuối năm (như year.yaml, không cần unit và year)"
    )
    missing_year_record: bool | None = Field(None, description="Không có hồ sơ cuối năm (year.yaml)")


Reason = Annotated[
    str,
    Field(pattern=REASON_PATTERN),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": REASON_PATTERN,
            "description": "total: tổng điểm dưới mức công nhận; criterion:<mã>: tiêu chí dưới mức tối "
            "thiểu; gate:<mã>: vướng điều kiện loại trừ; rating: xếp loại thấp hơn mức cần",
        }
    ),
]


class Expected(Model):
    """The result a case must get; every key left out is not checked, except the verdict."""

    recognised: bool = Field(description="Được công nhận (true) hay không (false)")
    rating: Text | None = Field(None, description="Mức xếp loại, ví dụ Xuất sắc (trước khi xét hạn mức)")
    total: NonNegNum | None = Field(None, description="Tổng điểm, như bảng điểm hiển thị")
    criteria: dict[IndicatorId, NonNegNum] = Field(
        default_factory=dict, description='Điểm từng tiêu chí, ví dụ "1": 25 (chỉ ghi tiêu chí cần kiểm)'
    )
    bonus: NonNegNum | None = Field(None, description="Điểm thưởng (sau khi áp mức tối đa)")
    deductions: dict[IndicatorId, NonNegNum] | None = Field(
        None, description="Điểm trừ theo từng khoản, ví dụ k1: 3; bảng rỗng {} nghĩa là không bị trừ"
    )
    reasons: list[Reason] | None = Field(
        None, description="Các quy tắc khiến chi bộ không được công nhận; [] nghĩa là không có"
    )


class FrameworkCase(CaseTemplate):
    """One test case of a framework (``criteria/<khung>.cases/<tên>.yaml``)."""

    description: Text = Field(description="Trường hợp này kiểm tra điều gì")
    base: Annotated[str, Field(pattern=r"^_[a-z0-9][a-z0-9-]*$")] | None = Field(
        None, description="Tệp mẫu dùng chung trong cùng thư mục, ví dụ _mau (tệp _mau.yaml)"
    )
    expect: Expected = Field(description="Kết quả mong đợi")


@dataclass(frozen=True)
class BuiltCase:
    """A case ready to score: its records whole, its template merged in."""

    name: str  # the file's stem
    path: Path
    description: str
    year: int
    unit: Unit
    months: dict[int, MonthRecord]
    year_record: YearRecord | None
    sub_units_share: Decimal | None
    expect: Expected
