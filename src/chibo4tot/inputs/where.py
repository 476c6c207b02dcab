"""Positions in the user's words: ``units[0]`` → "chi bộ thứ 1 (mã ma-pi-leng)". Pure.

A problem's ``loc`` is a path of keys and list indexes; a secretary reads "tự đánh giá chỉ tiêu
1.1" more easily than ``assessment.1.1.value``. Each kind of file has its vocabulary: what each
key means, and how an item of each list is named (by its id where it has one). The last key
stays in parentheses, as the word to look for in the file. A key the vocabulary does not know
is shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chibo4tot.errors import Loc, render_loc
from chibo4tot.i18n import N_, _

_ABSENT = object()
_LONGEST_NAME = 40


@dataclass(frozen=True)
class _Items:
    """How one item of a list (or one entry of a mapping keyed by id) is named."""

    named: str  # template with {id} / {name} / {n}, when the item has that key
    plain: str  # template with {n}, when it has not
    by: str = "id"  # the key that names the item ("" for a mapping keyed by id: the key itself)
    of: str = ""  # the vocabulary of the item's own keys
    replaces: bool = False  # the name says it all: "chỉ tiêu 2.1.6" replaces "tiêu chí 2"


@dataclass(frozen=True)
class _Key:
    label: str  # "" for a key that adds nothing (the ``value`` of an assessed indicator)
    of: str = ""  # the vocabulary of the value (a mapping), or
    items: _Items | None = None  # how its items are named (a list, or a mapping keyed by id)
    silent: bool = False  # inside the path, the items' names are enough ("units", "criteria")
    replaceable: bool = False  # an entry below names it again: "tự đánh giá" → "tự đánh giá chỉ tiêu 1.1"


_SCALAR_ITEM = _Items(N_("mục thứ {n}"), N_("mục thứ {n}"), by="")


def _list(label: str, named: str, plain: str, of: str, *, by: str = "id", silent: bool = True) -> _Key:
    return _Key(label, items=_Items(named, plain, by=by, of=of), silent=silent)


def _scalars(label: str) -> _Key:
    return _Key(label, items=_SCALAR_ITEM)


def _assessment(label: str, named: str, *, silent: bool = False) -> _Key:
    return _Key(
        label,
        items=_Items(named, named, by="", of="assessed", replaces=True),
        silent=silent,
        replaceable=True,
    )


_INDICATORS = _Key(
    N_("các chỉ tiêu"),
    items=_Items(N_("chỉ tiêu {id}"), N_("chỉ tiêu thứ {n}"), of="indicator", replaces=True),
    silent=True,
)
_BANDS = _list(N_("thang xếp loại"), N_("mức {name}"), N_("mức thứ {n}"), "band", by="name", silent=False)

_VOCABULARY: dict[str, dict[str, _Key]] = {
    "month": {
        "unit": _Key(N_("mã chi bộ")),
        "month": _Key(N_("tháng")),
        "framework": _Key(N_("mã khung tiêu chí")),
        "meeting": _Key(N_("sinh hoạt định kỳ"), of="meeting"),
        "thematic": _Key(N_("sinh hoạt chuyên đề"), of="thematic"),
        "assessment": _assessment(N_("tự đánh giá"), N_("tự đánh giá chỉ tiêu {id}")),
        "vote": _Key(N_("chi bộ biểu quyết"), of="vote", replaceable=True),
        "review": _Key(N_("đảng ủy thẩm định"), of="review", replaceable=True),
        "events": _list(N_("các sự việc"), N_("sự việc thứ {n}"), N_("sự việc thứ {n}"), "event", by=""),
        "notes": _Key(N_("ghi chú")),
    },
    "meeting": {
        "held": _Key(N_("có tổ chức sinh hoạt")),
        "date": _Key(N_("ngày họp")),
        "duration_minutes": _Key(N_("số phút họp")),
        "members": _Key(N_("tổng số đảng viên")),
        "exempt": _Key(N_("số miễn sinh hoạt")),
        "present": _Key(N_("số có mặt")),
        "excused": _Key(N_("số vắng có lý do")),
        "unexcused": _Key(N_("số vắng không lý do")),
        "absentees": _list(
            N_("danh sách vắng mặt"), N_("người vắng thứ {n}"), N_("người vắng thứ {n}"), "absentee", by=""
        ),
        "chi_uy_met_before": _Key(N_("chi ủy họp trước")),
        "draft_resolution": _Key(N_("dự thảo nghị quyết")),
        "minutes_recorded": _Key(N_("ghi biên bản")),
        "quality": _Key(N_("tự xếp loại buổi họp")),
    },
    "absentee": {"name": _Key(N_("họ tên")), "excused": _Key(N_("vắng có lý do"))},
    "thematic": {
        "held": _Key(N_("có sinh hoạt chuyên đề")),
        "combined_with_regular": _Key(N_("lồng ghép với sinh hoạt định kỳ")),
        "topic": _Key(N_("chủ đề")),
        "date": _Key(N_("ngày họp")),
        "duration_minutes": _Key(N_("số phút họp")),
        "quality": _Key(N_("tự xếp loại buổi họp")),
    },
    "assessed": {
        "value": _Key(""),
        "not_applicable": _Key(N_("không áp dụng")),
        "note": _Key(N_("ghi chú")),
        "evidence": _scalars(N_("minh chứng")),
    },
    "vote": {
        "by": _Key(N_("người chủ trì")),
        "date": _Key(N_("ngày biểu quyết")),
        "values": _assessment(N_("các giá trị"), N_("chi bộ biểu quyết chỉ tiêu {id}"), silent=True),
    },
    "review": {
        "by": _Key(N_("cấp thẩm định")),
        "date": _Key(N_("ngày thẩm định")),
        "values": _assessment(N_("các giá trị"), N_("đảng ủy thẩm định chỉ tiêu {id}"), silent=True),
    },
    "event": {
        "kind": _Key(N_("loại sự việc")),
        "date": _Key(N_("ngày")),
        "description": _Key(N_("nội dung")),
        "member": _Key(N_("đảng viên")),
        "self_detected_remedied": _Key(N_("tự phát hiện và khắc phục")),
    },
    "year": {
        "unit": _Key(N_("mã chi bộ")),
        "year": _Key(N_("năm")),
        "framework": _Key(N_("mã khung tiêu chí")),
        "members": _Key(N_("số đảng viên cuối năm")),
        "member_classification": _Key(N_("xếp loại đảng viên"), of="member_classification"),
        "annual_classification": _Key(N_("xếp loại chất lượng chi bộ")),
        "discipline": _list(
            N_("các vụ kỷ luật"), N_("vụ kỷ luật thứ {n}"), N_("vụ kỷ luật thứ {n}"), "discipline", by=""
        ),
        "new_members": _Key(N_("số đảng viên mới kết nạp")),
        "assessment": _assessment(N_("tự đánh giá"), N_("tự đánh giá chỉ tiêu {id}")),
        "vote": _Key(N_("chi bộ biểu quyết"), of="vote", replaceable=True),
        "review": _Key(N_("đảng ủy thẩm định"), of="review", replaceable=True),
        "notes": _Key(N_("ghi chú")),
    },
    "member_classification": {
        "htxsnv": _Key(N_("số hoàn thành xuất sắc nhiệm vụ")),
        "httnv": _Key(N_("số hoàn thành tốt nhiệm vụ")),
        "htnv": _Key(N_("số hoàn thành nhiệm vụ")),
        "khtnv": _Key(N_("số không hoàn thành nhiệm vụ")),
        "not_rated": _Key(N_("số chưa xếp loại")),
    },
    "discipline": {
        "member": _Key(N_("đảng viên")),
        "date": _Key(N_("ngày")),
        "form": _Key(N_("hình thức kỷ luật")),
        "decision": _Key(N_("quyết định kỷ luật")),
        "violation": _Key(N_("vụ vi phạm")),
        "self_detected_remedied": _Key(N_("tự phát hiện và khắc phục")),
    },
    "units": {
        "units": _list(
            N_("danh sách tổ chức đảng"), N_("chi bộ thứ {n} (mã {id})"), N_("chi bộ thứ {n}"), "unit"
        ),
    },
    "unit": {
        "id": _Key(N_("mã")),
        "name": _Key(N_("tên")),
        "kind": _Key(N_("loại tổ chức")),
        "parent": _Key(N_("mã cấp trên")),
        "members": _Key(N_("số đảng viên")),
        "registered": _scalars(N_("các năm đăng ký")),
    },
    "config": {
        "id": _Key(N_("mã đảng bộ")),
        "name": _Key(N_("tên đảng bộ")),
        "superior": _Key(N_("cấp ủy cấp trên")),
        "issuing_body": _Key(N_("cơ quan ban hành văn bản")),
        "abbreviation": _Key(N_("ký hiệu cơ quan")),
        "place": _Key(N_("địa danh")),
        "frameworks": _list(
            N_("các khung tiêu chí áp dụng"),
            N_("khung tiêu chí áp dụng thứ {n} (mã {id})"),
            N_("khung tiêu chí áp dụng thứ {n}"),
            "assignment",
            by="framework",
        ),
        "signer": _Key(N_("người ký"), of="signer"),
        "recipients": _list(N_("nơi nhận"), N_("nơi nhận thứ {n}"), N_("nơi nhận thứ {n}"), "", by=""),
    },
    "assignment": {
        "years": _scalars(N_("các năm áp dụng")),
        "framework": _Key(N_("mã khung tiêu chí")),
        "kinds": _scalars(N_("các loại tổ chức áp dụng")),
    },
    "signer": {
        "on_behalf": _Key(N_("dòng thẩm quyền ký")),
        "position": _Key(N_("chức vụ")),
        "name": _Key(N_("họ tên")),
    },
    "framework": {
        "id": _Key(N_("mã khung")),
        "title": _Key(N_("tên khung")),
        "issuer": _Key(N_("cơ quan ban hành")),
        "documents": _list(
            N_("văn bản căn cứ"),
            N_("văn bản căn cứ thứ {n}"),
            N_("văn bản căn cứ thứ {n}"),
            "document",
            by="",
        ),
        "years": _scalars(N_("các năm áp dụng")),
        "applies_to": _scalars(N_("các loại tổ chức áp dụng")),
        "extends": _Key(N_("khung cấp trên")),
        "remove": _scalars(N_("các chỉ tiêu bỏ đi")),
        "decimal_places": _Key(N_("số chữ số thập phân")),
        "missing_month": _Key(N_("cách tính tháng thiếu hồ sơ")),
        "criteria": _list(N_("các tiêu chí"), N_("tiêu chí {id}"), N_("tiêu chí thứ {n}"), "criterion"),
        "bonus": _Key(N_("điểm thưởng"), of="bonus"),
        "deductions": _list(N_("điểm trừ"), N_("mục trừ điểm {id}"), N_("mục trừ điểm thứ {n}"), "deduction"),
        "gates": _list(N_("điều kiện loại trừ"), N_("điều kiện {id}"), N_("điều kiện thứ {n}"), "gate"),
        "rating": _Key(N_("xếp loại cả năm"), of="rating"),
        "recognition": _Key(N_("công nhận"), of="recognition"),
        "quotas": _list(N_("hạn mức"), N_("hạn mức {id}"), N_("hạn mức thứ {n}"), "quota"),
        "review": _Key(N_("thẩm định"), of="review_policy"),
    },
    "document": {
        "number": _Key(N_("số hiệu")),
        "date": _Key(N_("ngày ban hành")),
        "title": _Key(N_("trích yếu")),
        "issuer": _Key(N_("cơ quan ban hành")),
    },
    "criterion": {
        "id": _Key(N_("mã")),
        "name": _Key(N_("tên")),
        "max_points": _Key(N_("điểm tối đa")),
        "min_points": _Key(N_("điểm tối thiểu")),
        "indicators": _INDICATORS,
    },
    "indicator": {
        "id": _Key(N_("mã")),
        "name": _Key(N_("nội dung")),
        "guidance": _Key(N_("hướng dẫn chấm")),
        "points": _Key(N_("điểm tối đa")),
        "period": _Key(N_("kỳ đánh giá")),
        "source": _Key(N_("nguồn giá trị")),
        "rollup": _Key(N_("cách cộng cả năm"), of="rollup"),
        "applies_to": _scalars(N_("các loại tổ chức áp dụng")),
        "optional": _Key(N_("được ghi không áp dụng")),
        "kind": _Key(N_("loại chỉ tiêu")),
        "pass_at": _Key(N_("điểm đạt")),
        "levels": _list(N_("các mức"), N_("mức {name}"), N_("mức thứ {n}"), "level", by="name"),
        "op": _Key(N_("phép so sánh")),
        "target": _Key(N_("ngưỡng")),
        "overrides": _list(
            N_("ngưỡng riêng"), N_("ngưỡng riêng thứ {n}"), N_("ngưỡng riêng thứ {n}"), "override", by=""
        ),
        "indicators": _INDICATORS,
        "bands": _BANDS,
    },
    "rollup": {
        "method": _Key(N_("cách cộng")),
        "count": _Key(N_("số kỳ phải đạt")),
        "share": _Key(N_("tỉ lệ kỳ phải đạt")),
        "missing": _Key(N_("cách tính tháng thiếu")),
    },
    "level": {
        "name": _Key(N_("tên mức")),
        "points": _Key(N_("điểm")),
        "passed": _Key(N_("được coi là đạt")),
        "aliases": _scalars(N_("cách viết khác")),
    },
    "override": {"when": _Key(N_("điều kiện áp dụng")), "target": _Key(N_("ngưỡng thay thế"))},
    "band": {
        "name": _Key(N_("tên mức")),
        "min": _Key(N_("điểm tối thiểu")),
        "conditions": _Key(N_("điều kiện"), of="band_conditions"),
        "otherwise": _Key(N_("mức bị hạ xuống")),
    },
    "band_conditions": {
        "indicators_at_max": _scalars(N_("các chỉ tiêu phải đạt tối đa")),
        "criteria_min_met": _Key(N_("mọi tiêu chí đạt điểm tối thiểu")),
        "no_failed_gates": _Key(N_("không vướng điều kiện loại trừ")),
    },
    "bonus": {
        "max_points": _Key(N_("điểm thưởng tối đa")),
        "items": _list(N_("các mục thưởng"), N_("mục thưởng {id}"), N_("mục thưởng thứ {n}"), "bonus_item"),
    },
    "bonus_item": {
        "id": _Key(N_("mã")),
        "name": _Key(N_("nội dung")),
        "points": _Key(N_("điểm cộng mỗi lần")),
        "source": _Key(N_("nguồn giá trị")),
    },
    "deduction": {
        "id": _Key(N_("mã")),
        "name": _Key(N_("nội dung")),
        "points_each": _Key(N_("điểm trừ mỗi lần")),
        "source": _Key(N_("nguồn giá trị")),
        "max_points": _Key(N_("trừ tối đa")),
        "criterion": _Key(N_("trừ vào tiêu chí")),
    },
    "gate": {
        "id": _Key(N_("mã")),
        "title": _Key(N_("tên ngắn")),
        "reason": _Key(N_("câu lý do")),
        "kind": _Key(N_("loại điều kiện")),
        "except_self_remedied": _Key(N_("không tính vụ tự phát hiện, khắc phục")),
        "max_cases": _Key(N_("số vụ tối đa")),
        "at_least": _Key(N_("mức tối thiểu")),
        "max_missing": _Key(N_("số tháng thiếu tối đa")),
        "indicator": _Key(N_("chỉ tiêu")),
        "min_share": _Key(N_("tỉ lệ tối thiểu")),
    },
    "rating": {"bands": _list(N_("các mức"), N_("mức {name}"), N_("mức thứ {n}"), "band", by="name")},
    "recognition": {
        "title": _Key(N_("danh hiệu")),
        "min_total": _Key(N_("tổng điểm tối thiểu")),
        "every_criterion_min": _Key(N_("mọi tiêu chí đạt điểm tối thiểu")),
        "gates_must_pass": _Key(N_("không vướng điều kiện loại trừ")),
        "min_rating": _Key(N_("mức xếp loại tối thiểu")),
    },
    "quota": {
        "id": _Key(N_("mã")),
        "band": _Key(N_("mức bị giới hạn")),
        "base_bands": _scalars(N_("các mức làm cơ số")),
        "max_ratio": _Key(N_("tỉ lệ tối đa")),
        "scope": _Key(N_("phạm vi")),
        "tie_break": _scalars(N_("thứ tự ưu tiên khi bằng điểm")),
        "demote_to": _Key(N_("mức hạ xuống")),
        "reason": _Key(N_("câu lý do")),
    },
    "review_policy": {"gap_warning_points": _Key(N_("độ lệch điểm cần cảnh báo"))},
}
# Items whose name (their id) is enough to place what is below them: "chỉ tiêu 2.1.6" says which
# criterion it belongs to.
_NAMED_BY_ID = frozenset({"criterion", "indicator"})
# A unit that is not a chi bộ is named for what it is.
_NOT_A_CELL = N_("tổ chức đảng thứ {n} (mã {id})")
_NOT_A_CELL_PLAIN = N_("tổ chức đảng thứ {n}")


def file_kind(path: Path | None, data: Any = None) -> str | None:
    """Which vocabulary a file speaks, from its place in the workspace (DESIGN §3)."""
    if path is None:
        return None
    if path.name == "chibo4tot.yaml":
        return "config"
    if path.name == "units.yaml":
        return "units"
    if "records" in path.parts[:-1]:
        return "year" if path.stem == "year" else "month"
    if path.parent.name == "criteria" or (
        isinstance(data, Mapping) and ("criteria" in data or "extends" in data)
    ):
        return "framework"
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, Mapping):
        return next((node[k] for k in node if k == part or str(k) == str(part)), _ABSENT)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return _ABSENT


def _shown(value: Any) -> str | None:
    """An item's id or name as the position may show it (short, one line), or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value).strip():
        return None
    text = " ".join(str(value).split())
    return text if len(text) <= _LONGEST_NAME else text[: _LONGEST_NAME - 1] + "…"


def _item_name(items: _Items, index: int | str, item: Any, next_part: str | int | None) -> tuple[str, bool]:
    """The item's name, and whether it is named by its id (rather than by its position)."""
    n = index + 1 if isinstance(index, int) else index
    if not items.by:  # a mapping keyed by id, or a list named by position only
        return _(items.named).format(id=_shown(index) or index, n=n), isinstance(index, str)
    name = _shown(_child(item, items.by)) if next_part != items.by else None
    if items.of == "unit" and _is_party_committee(item):
        return (_(_NOT_A_CELL).format(n=n, id=name) if name else _(_NOT_A_CELL_PLAIN).format(n=n)), False
    if name is None:
        return _(items.plain).format(n=n), False
    return _(items.named).format(n=n, id=name, name=name), True


def _is_party_committee(item: Any) -> bool:
    kind = _child(item, "kind")
    return isinstance(kind, str) and kind.strip().casefold().replace("_", " ").startswith(
        ("dang bo", "đảng bộ")
    )


def describe_loc(kind: str | None, loc: Loc, data: Any = None) -> str:
    """``loc`` in the words of its file: "chỉ tiêu 2.1.6, ngưỡng (target)". Without a known kind
    of file, the loc as written (``criteria[1].target``)."""
    parts = [p for p in loc if p != "[key]"]
    if kind not in _VOCABULARY:
        return render_loc(tuple(parts))
    segments: list[str] = []
    replaceable = False  # the last segment names what a deeper item's name names again
    container: tuple[int, str] | None = None  # the last segment is this key's label
    vocabulary: dict[str, _Key] | None = _VOCABULARY[kind]
    items: _Items | None = None
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if items is not None:  # one item of a list, or one entry of a mapping keyed by id
            child = _child(node, part)
            name, named = _item_name(items, part, child, None if last else parts[i + 1])
            if items.replaces and named and replaceable:
                segments[-1] = name
            else:
                segments.append(name)
            replaceable = named and items.of in _NAMED_BY_ID
            container = None
            vocabulary, items, node = _VOCABULARY.get(items.of), None, child
            continue
        key = vocabulary.get(str(part)) if vocabulary is not None else None
        if key is None:
            if last and vocabulary is not None:
                # a key the file should not have: the message names it; the place is its parent
                if container is not None and container[0] == len(segments) - 1:
                    segments[-1] += f" ({container[1]})"
                break
            segments.append(str(part))
            vocabulary, node, container, replaceable = None, _child(node, part), None, False
            continue
        scalar_item_last = key.items is not None and not key.items.of and i == len(parts) - 2
        if last or (scalar_item_last and not key.silent):
            if key.label:
                segments.append(f"{_(key.label)} ({part})")
            if last:
                break
        elif key.label and not key.silent:
            segments.append(_(key.label))
            container = (len(segments) - 1, str(part))
            replaceable = key.replaceable
        vocabulary, items, node = _VOCABULARY.get(key.of), key.items, _child(node, part)
    return ", ".join(segments)
