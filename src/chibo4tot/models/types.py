"""Field types shared by every model: NFC text, ids, numbers, dates and months as people type them."""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from pydantic import BaseModel as _PydanticBase
from pydantic import BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from chibo4tot.i18n import N_, _

ID_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
INDICATOR_ID_PATTERN = r"^[0-9A-Za-z]+(\.[0-9A-Za-z]+)*$"
_MONTH_RE = re.compile(r"^(\d{4})-(\d{1,2})$|^(\d{1,2})/(\d{4})$")
_DMY_RE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


# Every custom validation message, keyed by error type, so it can be translated when shown.
CUSTOM_MESSAGES: dict[str, str] = {
    "id_not_quoted": N_('{kind} phải là chuỗi: hãy đặt trong dấu nháy, ví dụ "{value}"'),
    "number_bool": N_("phải là một số, không phải đúng/sai"),
    "number_finite": N_("phải là một số hữu hạn"),
    "number_percent": N_("hãy ghi tỉ lệ dạng số thập phân (0,85), không kèm dấu %"),
    "share_range": N_("tỉ lệ phải từ 0 đến 1, không phải {value}; nếu là {value}% hãy ghi {fraction}"),
    "number_parse": N_("“{value}” không phải là số (ví dụ hợp lệ: 8,5 hoặc 8.5)"),
    "date_parse": N_("“{value}” không phải là ngày hợp lệ (ví dụ: 2024-03-12 hoặc 12/03/2024)"),
    "month_parse": N_("“{value}” không phải là tháng hợp lệ (ví dụ: 2024-03)"),
    "choice": N_("“{value}” không hợp lệ; chọn một trong: {choices}"),
    "rollup_count": N_("cách cộng at_least cần khai báo count"),
    "rollup_share": N_("cách cộng share cần khai báo share"),
    "bands_order": N_("các mức phải xếp theo điểm tối thiểu giảm dần"),
    "band_unknown": N_("mức “{name}” không có trong danh sách mức"),
    "band_level": N_("mức “{name}” chưa có điểm trong levels"),
    "exempt_gt_members": N_("số miễn sinh hoạt lớn hơn tổng số đảng viên"),
    "reason_fields": N_("câu lý do chỉ được chèn các trường {allowed}; không có trường {unknown}"),
    "reason_braces": N_("dấu ngoặc nhọn trong câu lý do không khớp (muốn ghi dấu {{ hãy viết {{{{)"),
    "attendance_sum": N_(
        "có mặt + vắng có lý do + vắng không lý do = {got}, nhưng tổng số đảng viên trừ "
        "miễn sinh hoạt = {expected}"
    ),
}


def vn_error(code: str, **ctx: Any) -> PydanticCustomError:
    """A validation error whose Vietnamese template lives in CUSTOM_MESSAGES."""
    return PydanticCustomError(code, CUSTOM_MESSAGES[code], {k: str(v) for k, v in ctx.items()})


class Model(_PydanticBase):
    """Base of every YAML model: unknown keys are errors, no silent type coercion."""

    # defer_build: a schema is built when a model first validates, not when the module loads, so a
    # command answered from the cache never pays for it.
    model_config = ConfigDict(
        extra="forbid", strict=True, frozen=True, populate_by_name=True, defer_build=True
    )


def nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return nfc(value).strip()
    return value


def _quoted(kind: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, bool | int | float | Decimal):
            raise vn_error("id_not_quoted", kind=kind, value=value)
        return _text(value)

    return check


def _number(value: Any) -> Any:
    if isinstance(value, bool):
        raise vn_error("number_bool")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise vn_error("number_finite")
        return Decimal(repr(value))
    if isinstance(value, str):
        raw = nfc(value).strip().replace(" ", "")
        if raw.endswith("%"):
            raise vn_error("number_percent")
        if raw.count(",") == 1 and "." not in raw:
            raw = raw.replace(",", ".")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise vn_error("number_parse", value=value) from None
        if not number.is_finite():
            raise vn_error("number_finite")
        return number
    return value


def _date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        raw = value.strip()
        try:
            if m := _DMY_RE.match(raw):
                return dt.date(int(m[3]), int(m[2]), int(m[1]))
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise vn_error("date_parse", value=value) from None
    return value


def _month(value: Any) -> Any:
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, str):
        m = _MONTH_RE.match(value.strip())
        if m:
            year, month = (m[1], m[2]) if m[1] else (m[4], m[3])
            if 1 <= int(month) <= 12:
                return f"{int(year):04d}-{int(month):02d}"
        raise vn_error("month_parse", value=value)
    return value


Text = Annotated[str, BeforeValidator(_text), Field(min_length=1)]
"""Free Vietnamese text: NFC-normalised, stripped, not empty."""

Id = Annotated[
    str,
    BeforeValidator(_quoted(N_("mã"))),
    Field(pattern=ID_PATTERN, max_length=80),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": ID_PATTERN,
            "description": "Mã ASCII viết thường, ví dụ khu-bieu-nghi",
        }
    ),
]
"""An explicit ASCII id such as ``khu-bieu-nghi``."""

IndicatorId = Annotated[
    str,
    BeforeValidator(_quoted(N_("mã tiêu chí/chỉ tiêu"))),
    Field(pattern=INDICATOR_ID_PATTERN, max_length=20),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": INDICATOR_ID_PATTERN,
            "description": 'Mã tiêu chí hoặc chỉ tiêu, đặt trong dấu nháy, ví dụ "2.3"',
        }
    ),
]
"""A criterion or indicator id such as ``"2.3"``: always quoted in YAML."""

Num = Annotated[
    Decimal,
    BeforeValidator(_number),
    WithJsonSchema(
        {
            "type": ["number", "string"],
            "pattern": r"^\s*-?\d+([.,]\d+)?\s*$",
            "description": "Số, ví dụ 8,5 hoặc 8.5",
        }
    ),
]
"""An exact decimal number; accepts ``8,5`` as well as ``8.5``."""

NonNegNum = Annotated[Num, Field(ge=0)]

Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    WithJsonSchema({"type": "string", "description": "Ngày, dạng 2024-03-12 hoặc 12/03/2024"}),
]

YearMonth = Annotated[
    str,
    BeforeValidator(_month),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^\d{4}-\d{1,2}$|^\d{1,2}/\d{4}$",
            "description": "Tháng, dạng 2024-03",
        }
    ),
]
"""A month, normalised to ``YYYY-MM``."""

# Office staff answer a yes/no question in words: "Có", "không", "KHÔNG " all mean what they say.
YES_WORDS = frozenset({"có"})
NO_WORDS = frozenset({"không"})
# JSON Schema regexes have no case-insensitive flag: each letter lists both cases.
YES_NO_PATTERN = r"^\s*([cC][óÓ]|[kK][hH][ôÔ][nN][gG])\s*$"


def yes_no(value: Any) -> Any:
    if isinstance(value, str):
        word = nfc(value).strip().casefold()
        if word in YES_WORDS:
            return True
        if word in NO_WORDS:
            return False
    return value


Bool = Annotated[
    bool,
    BeforeValidator(yes_no),
    WithJsonSchema({"anyOf": [{"type": "boolean"}, {"type": "string", "pattern": YES_NO_PATTERN}]}),
]
"""A yes/no: true/false, or the words Có/Không in any case."""

Year = Annotated[int, Field(ge=2000, le=2100)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]


def _share(value: Any) -> Any:
    # A share written as a percentage (90 for 90%) is the usual slip: say how to write it.
    number = _number(value)
    if isinstance(number, Decimal) and number > 1:
        shown = plain_number(number)
        raise vn_error("share_range", value=shown, fraction=plain_number(number / 100))
    return number


def plain_number(number: Decimal) -> str:
    """A decimal as a person writes it in a framework: 0,9 (no exponent, no trailing zeros)."""
    text = format(number.normalize(), "f")
    return text.replace(".", ",")


Share = Annotated[Num, Field(ge=0, le=1), BeforeValidator(_share)]


class UnitKind(enum.StrEnum):
    """Kinds of party organisation."""

    CHI_BO_TRUC_THUOC = "chi_bo_truc_thuoc"
    CHI_BO_CO_SO = "chi_bo_co_so"
    DANG_BO_CO_SO = "dang_bo_co_so"
    DANG_BO_BO_PHAN = "dang_bo_bo_phan"


# Labels are message ids: accepted as input and published in the schemas as written here,
# shown in messages through _() so that they follow --lang.
UNIT_KIND_LABELS: dict[UnitKind, str] = {
    UnitKind.CHI_BO_TRUC_THUOC: N_("Chi bộ trực thuộc đảng bộ cơ sở"),
    UnitKind.CHI_BO_CO_SO: N_("Chi bộ cơ sở"),
    UnitKind.DANG_BO_CO_SO: N_("Đảng bộ cơ sở"),
    UnitKind.DANG_BO_BO_PHAN: N_("Đảng bộ bộ phận"),
}


class Classification(enum.StrEnum):
    """Annual quality classification (Quy định 124-QĐ/TW, 366-QĐ/TW), best first."""

    HTXSNV = "htxsnv"
    HTTNV = "httnv"
    HTNV = "htnv"
    KHTNV = "khtnv"

    @property
    def rank(self) -> int:
        return _CLASSIFICATION_RANK[self]

    def at_least(self, other: Classification) -> bool:
        return self.rank <= other.rank


_CLASSIFICATION_RANK = {c: i for i, c in enumerate(Classification)}  # best first, made once

CLASSIFICATION_LABELS: dict[Classification, str] = {
    Classification.HTXSNV: N_("Hoàn thành xuất sắc nhiệm vụ"),
    Classification.HTTNV: N_("Hoàn thành tốt nhiệm vụ"),
    Classification.HTNV: N_("Hoàn thành nhiệm vụ"),
    Classification.KHTNV: N_("Không hoàn thành nhiệm vụ"),
}


def _fold(text: str) -> str:
    return nfc(text).strip().casefold().replace("_", " ")


def _enum_parser(enum_cls: type[enum.StrEnum], labels: dict[Any, str]) -> Any:
    lookup = {_fold(m.value): m for m in enum_cls}
    lookup.update({_fold(label): m for m, label in labels.items()})

    def parse(value: Any) -> Any:
        if isinstance(value, enum_cls):
            return value
        if isinstance(value, str) and (member := lookup.get(_fold(value))):
            return member
        choices = ", ".join(f"{m.value} ({_(labels[m])})" for m in enum_cls)
        raise vn_error("choice", value=value, choices=choices)

    return parse


def _enum_schema(enum_cls: type[enum.StrEnum], labels: dict[Any, str], title: str) -> dict[str, Any]:
    return {
        "type": "string",
        "description": title,
        "anyOf": [{"const": m.value, "description": labels[m]} for m in enum_cls]
        + [{"const": labels[m]} for m in enum_cls],
    }


UnitKindField = Annotated[
    UnitKind,
    BeforeValidator(_enum_parser(UnitKind, UNIT_KIND_LABELS)),
    WithJsonSchema(_enum_schema(UnitKind, UNIT_KIND_LABELS, "Loại tổ chức đảng")),
]
ClassificationField = Annotated[
    Classification,
    BeforeValidator(_enum_parser(Classification, CLASSIFICATION_LABELS)),
    WithJsonSchema(_enum_schema(Classification, CLASSIFICATION_LABELS, "Mức xếp loại chất lượng")),
]
