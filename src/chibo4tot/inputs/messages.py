"""Pydantic validation errors → Vietnamese messages, keyed on the error type."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from functools import cache
from typing import Any

from pydantic import BaseModel, ValidationError

from chibo4tot.errors import Loc
from chibo4tot.i18n import N_, _
from chibo4tot.models.types import CUSTOM_MESSAGES, ID_PATTERN, INDICATOR_ID_PATTERN

_BY_TYPE: dict[str, str] = {
    "missing": N_("thiếu khóa bắt buộc “{field}”"),
    "extra_forbidden": N_("khóa “{field}” không có trong mẫu{hint}"),
    "string_type": N_("phải là văn bản, không phải {got}"),
    "string_too_short": N_("không được để trống"),
    "string_too_long": N_("dài quá {max_length} ký tự"),
    "string_pattern_mismatch": N_("“{input}” không đúng dạng cần ghi"),
    "int_type": N_("phải là số nguyên, không phải {got}"),
    "int_from_float": N_("phải là số nguyên, không phải {got}"),
    "bool_type": N_("phải là Có hoặc Không (hoặc true/false), không phải {got}"),
    "decimal_type": N_("phải là một số, không phải {got}"),
    "float_type": N_("phải là một số, không phải {got}"),
    "date_type": N_("phải là một ngày (ví dụ 2024-03-12), không phải {got}"),
    "list_type": N_("phải là một danh sách (các dòng bắt đầu bằng “- ”), không phải {got}"),
    "dict_type": N_("phải là một bảng khóa: giá trị, không phải {got}"),
    "model_type": N_("phải là một bảng khóa: giá trị, không phải {got}"),
    "model_attributes_type": N_("phải là một bảng khóa: giá trị, không phải {got}"),
    "literal_error": N_("“{input}” không hợp lệ; chọn một trong: {expected}"),
    "union_tag_invalid": N_("loại “{tag}” không có; chọn một trong: {expected_tags}"),
    "union_tag_not_found": N_("thiếu khóa “{discriminator}” cho biết loại"),
    "too_short": N_("cần ít nhất {min_length} mục"),
    "too_long": N_("nhiều nhất {max_length} mục"),
    "greater_than_equal": N_("phải lớn hơn hoặc bằng {ge}"),
    "greater_than": N_("phải lớn hơn {gt}"),
    "less_than_equal": N_("phải nhỏ hơn hoặc bằng {le}"),
    "less_than": N_("phải nhỏ hơn {lt}"),
    "frozen_instance": N_("không được thay đổi"),
}
# Strict mode checks some types by class (a Decimal field given nothing); keyed on the class name.
_BY_CLASS: dict[str, str] = {
    "Decimal": _BY_TYPE["decimal_type"],
    "date": _BY_TYPE["date_type"],
}
# Any other error type: pydantic's own text is English and changes between releases.
_GENERAL = N_("giá trị không hợp lệ ({got})")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


def describe_value(value: Any) -> str:
    """How a YAML value reads to a clerk: “chuỗi "abc"”, “số 12”, “danh sách”…"""
    if value is None:
        return _("giá trị rỗng")
    if isinstance(value, bool):
        return _("giá trị đúng/sai ({value})").format(value="true" if value else "false")
    if isinstance(value, int | float):
        return _("số {value}").format(value=value)
    if isinstance(value, dt.date):
        return _("ngày {value}").format(value=value.isoformat())
    if isinstance(value, str):
        short = value if len(value) <= 40 else value[:37] + "…"
        return _("chuỗi “{value}”").format(value=short)
    if isinstance(value, list):
        return _("một danh sách")
    if isinstance(value, dict):
        return _("một bảng khóa: giá trị")
    return type(value).__name__


@cache
def _vocabulary(model: type[BaseModel]) -> frozenset[str]:
    """Every field name reachable from a model, for “did you mean” hints."""
    names: set[str] = set()
    seen: set[type[BaseModel]] = set()

    def walk(cls: type[BaseModel]) -> None:
        if cls in seen:
            return
        seen.add(cls)
        for name, field in cls.model_fields.items():
            names.add(field.alias or name)
            for sub in _models_in(field.annotation):
                walk(sub)

    walk(model)
    return frozenset(names)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    found: list[type[BaseModel]] = []
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        found.append(annotation)
    for arg in getattr(annotation, "__args__", ()) or ():
        found.extend(_models_in(arg))
    for meta in getattr(annotation, "__metadata__", ()) or ():
        found.extend(_models_in(meta))
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        found.extend(_models_in(origin))
    return found


def _vocabulary_of(model: type[BaseModel] | None) -> frozenset[str]:
    return _vocabulary(model) if model is not None else frozenset()


def _hint(key: str, model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    if key in _vocabulary(model):  # a key of another part of the file ("target" of a pass/fail)
        return _(" (khóa này không dùng ở chỗ này)")
    close = difflib.get_close_matches(key, sorted(_vocabulary(model)), n=1, cutoff=0.7)
    return _(" (có phải “{name}”?)").format(name=close[0]) if close else ""


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a, b, c": the values, without its quotes and English "or"."""
    return ", ".join(_QUOTED.findall(expected)) or expected


# What an id names, by where it is written, with an example of that kind: a criterion id is not a
# unit id, and "ví dụ khu-bieu-nghi" under a framework's gate only puzzles its author.
_ID_KINDS: dict[str, tuple[str, str]] = {
    "unit": (N_("mã chi bộ"), "khu-bieu-nghi"),
    "parent": (N_("mã tổ chức đảng"), "dang-bo-xa-thuong-phung"),
    "party": (N_("mã đảng bộ"), "dang-bo-xa-thuong-phung"),
    "framework": (N_("mã khung tiêu chí"), "mac-dinh-2024"),
    "gate": (N_("mã điều kiện"), "ky-luat"),
    "quota": (N_("mã hạn mức"), "han-muc-xuat-sac"),
    "other": (N_("mã"), "ma-pi-leng"),
}
_ID_MESSAGE = N_(
    "“{input}” không đúng dạng {what} (chỉ chữ thường không dấu, số và dấu gạch ngang, ví dụ {example})"
)
_ID_SUGGEST = N_("; có thể ghi “{slug}”")
_INDICATOR_MESSAGE = N_(
    "“{input}” không đúng dạng mã tiêu chí/chỉ tiêu "
    "(chữ số hoặc chữ cái không dấu, cách nhau bằng dấu chấm, ví dụ “2.3”)"
)
_INDICATOR_COMMA = N_(
    "“{input}” không đúng dạng mã tiêu chí/chỉ tiêu: hãy dùng dấu chấm, không dùng dấu phẩy: “{fixed}”"
)
# "-Lưu" under a key is not a list item but text (YAML wants "- Lưu"); the lines of such a list
# are read as one string, so the list is refused as text.
_DASH_NO_SPACE = N_(
    "thiếu dấu cách sau dấu gạch đầu dòng “-” nên các dòng được đọc thành một chuỗi “{input}”; "
    "mỗi mục của danh sách viết “- nội dung”"
)
# "present:20" as the last line under "meeting:" parses (as the text "present:20"): the mapping
# that was meant is refused as text, and the missing space is the reason to give.
_MAPPING_TYPES = frozenset({"dict_type", "model_type", "model_attributes_type"})
_GLUED_KEY = re.compile(r"^(?P<key>\"[^\"]*\"|'[^']*'|[A-Za-z0-9_][A-Za-z0-9_.\-]*):(?P<value>[^\s/:].*)$")
_NO_SPACE_AFTER_COLON = N_("thiếu dấu cách sau dấu hai chấm: hãy viết “{key}: {value}”")
_TIE_BREAK_MESSAGE = N_("“{input}” không hợp lệ; chọn một trong: total, name, id, criterion:<mã tiêu chí>")
_CURLY_QUOTED = N_(
    'dấu nháy cong trong {input} không phải dấu nháy của YAML; hãy gõ dấu nháy thẳng: "{inner}"'
)
_CURLY_BARE = N_("dấu nháy cong trong {input} không phải dấu nháy của YAML; hãy bỏ chúng: {inner}")
# Word and phones turn " into “ ”: YAML then reads the quotes as part of the value. Where a value
# with such quotes is refused, the quotes are the likely reason; criterion ids want straight
# quotes, other values none.
_CURLY = "“”‘’„‟"
_CURLY_KINDS = frozenset(
    {
        "int_type", "bool_type", "float_type", "decimal_type", "date_type", "literal_error",
        "number_parse", "date_parse", "month_parse", "choice", "string_pattern_mismatch",
    }
)  # fmt: skip


def _curly_message(value: str, kind: str, pattern: str) -> str | None:
    text = value.strip()
    if len(text) < 2 or text[0] not in _CURLY or text[-1] not in _CURLY or kind not in _CURLY_KINDS:
        return None
    inner = text.strip(_CURLY + " ")
    template = _CURLY_QUOTED if pattern == INDICATOR_ID_PATTERN else _CURLY_BARE
    return _(template).format(input=value, inner=inner)


def _id_kind(loc: Loc, model: type[BaseModel] | None) -> str:
    """Which kind of id a loc holds: the key name, and for ``id`` the file and list it is in."""
    field = next((str(p) for p in reversed(loc) if isinstance(p, str) and p != "[key]"), "")
    if field in ("unit", "parent"):
        return field
    if field in ("framework", "extends"):
        return "framework"
    if field != "id":
        return "other"
    name = model.__name__ if model is not None else ""
    if name == "UnitsFile":
        return "unit"
    if len(loc) == 1:
        return {"WorkspaceConfig": "party", "Framework": "framework"}.get(name, "other")
    return {"gates": "gate", "quotas": "quota"}.get(str(loc[0]), "other")


def _slug(text: str) -> str:
    """Vietnamese words as an id would spell them: "Khu Biểu Nghi" → "khu-bieu-nghi"."""
    plain = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).lower()
    return "-".join(re.findall(r"[a-z0-9]+", plain))


def _pattern_message(value: Any, pattern: str, loc: Loc, model: type[BaseModel] | None) -> str:
    text = str(value)
    if pattern == INDICATOR_ID_PATTERN:
        fixed = text.strip().replace(",", ".")
        if fixed != text.strip() and re.fullmatch(pattern, fixed):
            return _(_INDICATOR_COMMA).format(input=text, fixed=fixed)
        return _(_INDICATOR_MESSAGE).format(input=text)
    if pattern == ID_PATTERN:
        what, example = _ID_KINDS[_id_kind(loc, model)]
        message = _(_ID_MESSAGE).format(input=text, what=_(what), example=example)
        slug = _slug(text)
        if slug and re.fullmatch(ID_PATTERN, slug):
            message += _(_ID_SUGGEST).format(slug=slug)
        return message
    if "criterion:" in pattern:
        return _(_TIE_BREAK_MESSAGE).format(input=text)
    return _(_BY_TYPE["string_pattern_mismatch"]).format(input=text)


def message_for(error: Any, model: type[BaseModel] | None = None) -> str:
    """One pydantic error dict → one Vietnamese sentence, chosen by the error type (never by
    pydantic's English ``msg``)."""
    kind = error["type"]
    ctx = {k: _(v) if isinstance(v, str) else v for k, v in (error.get("ctx") or {}).items()}
    loc = error.get("loc") or ()
    field = str(loc[-1]) if loc else ""
    got = describe_value(error.get("input"))
    raw = error.get("input")
    if isinstance(raw, str) and (curly := _curly_message(raw, kind, str(ctx.get("pattern", "")))):
        return curly
    if kind in CUSTOM_MESSAGES:
        if error.get("input") is None and ctx.get("value") == "None":
            ctx["value"] = got  # an empty YAML value, not Python's "None"
        return _(CUSTOM_MESSAGES[kind]).format(**ctx)
    if kind in _MAPPING_TYPES and isinstance(raw, str) and (glued := _GLUED_KEY.match(raw.strip())):
        return _(_NO_SPACE_AFTER_COLON).format(key=glued["key"], value=glued["value"])
    if kind == "list_type" and isinstance(raw, str) and re.match(r"-[^\s-]", raw.strip()):
        return _(_DASH_NO_SPACE).format(input=raw)
    if kind == "string_pattern_mismatch" and isinstance(error.get("input"), str):
        return _pattern_message(error["input"], str(ctx.get("pattern", "")), tuple(loc), model)
    for key in ("expected", "expected_tags", "discriminator"):
        if isinstance(ctx.get(key), str):
            ctx[key] = _choices(ctx[key])
    if kind == "union_tag_invalid" and isinstance(error.get("input"), dict):
        tag = error["input"].get(ctx.get("discriminator"))
        ctx["tag"] = tag if isinstance(tag, str) else describe_value(tag)  # not pydantic's "None"
    if (
        kind == "extra_forbidden"
        and (glued := _GLUED_KEY.match(field))
        and glued["key"] in _vocabulary_of(model)
    ):
        return _(_NO_SPACE_AFTER_COLON).format(key=glued["key"], value=glued["value"])
    template = _BY_TYPE.get(kind) or _BY_CLASS.get(str(ctx.get("class", "")), _GENERAL)
    values: dict[str, Any] = {
        "field": field,
        "got": got,
        "input": error.get("input") if isinstance(error.get("input"), str) else got,  # never "None"
        "hint": _hint(field, model) if kind == "extra_forbidden" else "",
        **ctx,
    }
    try:
        return _(template).format(**values)
    except (KeyError, IndexError):  # a context field this pydantic no longer sends
        return _(_GENERAL).format(got=got)


def clean_loc(data: Any, loc: Loc) -> Loc:
    """Drop the parts of pydantic's loc that are not in the data (union tags, validator names).

    The last part is kept even when absent: it is the missing key the message names.
    """
    out: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if part == "[key]" or i == len(loc) - 1:
            out.append(part)
            break
        if isinstance(node, dict):
            key = next((k for k in node if k == part or str(k) == str(part)), _ABSENT)
            if key is _ABSENT:
                continue
            out.append(part)
            node = node[key]
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            out.append(part)
            node = node[part]
    return tuple(out)


_ABSENT = object()


# What each branch of a union of plain types expects, in the order the collapsed message names
# them: "phải là văn bản, một số, một ngày (ví dụ 2024-03-12) hoặc true/false, không phải …".
_EXPECTED_KIND: dict[str, str] = {
    "string_type": N_("văn bản"),
    "float_type": N_("một số"),
    "decimal_type": N_("một số"),
    "int_type": N_("một số nguyên"),
    "date_type": N_("một ngày (ví dụ 2024-03-12)"),
    "bool_type": N_("true/false (có/không)"),
    "list_type": N_("một danh sách"),
    "dict_type": N_("một bảng khóa: giá trị"),
    "model_type": N_("một bảng khóa: giá trị"),
}
_ONE_OF = N_("phải là {kinds}, không phải {got}")
_OR = N_("{first} hoặc {last}")


def _at(data: Any, loc: Loc) -> Any:
    node = data
    for part in loc:
        if isinstance(node, dict):
            node = next((node[k] for k in node if k == part or str(k) == str(part)), _ABSENT)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return _ABSENT
    return node


def _union_branch(data: Any, loc: Loc, error: Any) -> bool:
    """Whether the last part of a cleaned loc is a union branch's tag ("date", "int", "str"…)
    rather than a key of the data: pydantic tries every branch and reports each one at
    ``value.<branch>``, a key the user never wrote."""
    if not loc or error["type"] == "missing" or loc[-1] == "[key]":
        return False
    return _at(data, loc[:-1]) is not _ABSENT and _at(data, loc) is _ABSENT


def _one_of(errors: list[Any]) -> str:
    """One message for a value that no branch of a union of plain types accepted."""
    kinds = list(dict.fromkeys(_EXPECTED_KIND[e["type"]] for e in errors))
    if _EXPECTED_KIND["float_type"] in kinds and _EXPECTED_KIND["int_type"] in kinds:
        kinds.remove(_EXPECTED_KIND["int_type"])  # "a number" already takes whole numbers
    order = list(dict.fromkeys(_EXPECTED_KIND.values()))
    words = [_(k) for k in sorted(kinds, key=order.index)]
    text = words[0] if len(words) == 1 else _(_OR).format(first=", ".join(words[:-1]), last=words[-1])
    return _(_ONE_OF).format(kinds=text, got=describe_value(errors[0].get("input")))


def problems_from_validation(
    exc: ValidationError, model: type[BaseModel] | None = None, data: Any = None
) -> list[tuple[Loc, str]]:
    """(loc, message) for every error, without duplicates; loc cleaned against ``data``.

    One wrong value gives one message: the errors of a union's branches are grouped at the
    value's real key. If some branch accepted the type but not the value (a number out of
    range), its message is the one shown; if none accepted the type, one sentence lists what
    the value may be.
    """
    errors = exc.errors(include_url=False)
    located: list[tuple[Loc, Any]] = []
    branches: dict[Loc, list[Any]] = {}
    for error in errors:
        loc: Loc = tuple(error["loc"])
        if data is not None:
            loc = clean_loc(data, loc)
            if _union_branch(data, loc, error):
                branches.setdefault(loc[:-1], []).append(error)
        located.append((loc, error))
    out: list[tuple[Loc, str]] = []
    seen: set[tuple[Loc, str]] = set()
    for loc, error in located:
        group = branches.get(loc[:-1]) if loc else None
        if group is not None and len(group) > 1 and any(error is e for e in group):
            if error is not group[0]:
                continue  # the group is reported once, at its first error
            loc = loc[:-1]
            wrong_value = [e for e in group if e["type"] not in _EXPECTED_KIND]
            messages = [message_for(e, model) for e in wrong_value] or [_one_of(group)]
        else:
            messages = [message_for(error, model)]
        for message in messages:
            item = (loc, message)
            if item not in seen:
                seen.add(item)
                out.append(item)
    return out
