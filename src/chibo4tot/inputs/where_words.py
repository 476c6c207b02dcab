"""The vocabulary of positions (``where.py``): for each kind of file, what each key means and how
an item of each list is named. Data only, read by :func:`where.describe_loc`. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass

from chibo4tot.i18n import N_

ABSENT = object()
LONGEST_NAME = 40


@dataclass(frozen=True)
class Items:
    """How one item of a list (or one entry of a mapping keyed by id) is named."""

    named: str  # template with {id} / {name} / {n}, when the item has that key
    plain: str  # template with {n}, when it has not
    by: str = "id"  # the key that names the item ("" for a mapping keyed by id: the key itself)
    of: str = ""  # the vocabulary of the item's own keys
    replaces: bool = False  # the name says it all: "chỉ tiêu 2.1.6" replaces "tiêu chí 2"


@dataclass(frozen=True)
class Key:
    label: str  # "" for a key that adds nothing (the ``value`` of an assessed indicator)
    of: str = ""  # the vocabulary of the value (a mapping), or
    items: Items | None = None  # how its items are named (a list, or a mapping keyed by id)
    silent: bool = False  # inside the path, the items' names are enough ("units", "criteria")
    replaceable: bool = False  # an entry below names it again: "tự đánh giá" → "tự đánh giá chỉ tiêu 1.1"


_SCALAR_ITEM = Items(N_("mục thứ {n}"), N_("mục thứ {n}"), by="")


def _list(label: str, named: str, plain: str, of: str, *, by: str = "id", silent: bool = True) -> Key:
    return Key(label, items=Items(named, plain, by=by, of=of), silent=silent)


def _scalars(label: str) -> Key:
    return Key(label, items=_SCALAR_ITEM)


def _assessment(label: str, named: str, *, silent: bool = False) -> Key:
    return Key(
        label,
        items=Items(named, named, by="", of="assessed", replaces=True),
        silent=silent,
        replaceable=True,
    )


_INDICATORS = Key(
    N_("các chỉ tiêu"),
    items=Items(N_("chỉ tiêu {id}"), N_("chỉ tiêu thứ {n}"), of="indicator", replaces=True),
    silent=True,
)
_BANDS = _list(N_("thang xếp loại"), N_("mức {name}"), N_("mức thứ {n}"), "band", by="name", silent=False)

VOCABULARY: dict[str, dict[str, Key]] = {
    "month": {
        "unit": Key(N_("mã chi bộ")),
        "month": Key(N_("tháng")),
        "framework": Key(N_("mã khung tiêu chí")),
        "meeting": Key(N_("sinh hoạt định kỳ"), of="meeting"),
        "thematic": Key(N_("sinh hoạt chuyên đề"), of="thematic"),
        "assessment": _assessment(N_("tự đánh giá"), N_("tự đánh giá chỉ tiêu {id}")),
        "vote": Key(N_("chi bộ biểu quyết"), of="vote", replaceable=True),
        "review": Key(N_("đảng ủy thẩm định"), of="review", replaceable=True),
        "events": _list(N_("các sự việc"), N_("sự việc thứ {n}"), N_("sự việc thứ {n}"), "event", by=""),
        "notes": Key(N_("ghi chú")),
    },
    "meeting": {
        "held": Key(N_("có tổ chức sinh hoạt")),
        "date": Key(N_("ngày họp")),
        "duration_minutes": Key(N_("số phút họp")),
        "members": Key(N_("tổng số đảng viên")),
        "exempt": Key(N_("số miễn sinh hoạt")),
        "present": Key(N_("số có mặt")),
        "excused": Key(N_("số vắng có lý do")),
        "unexcused": Key(N_("số vắng không lý do")),
        "absentees": _list(
            N_("danh sách vắng mặt"), N_("người vắng thứ {n}"), N_("người vắng thứ {n}"), "absentee", by=""
        ),
        "chi_uy_met_before": Key(N_("chi ủy họp trước")),
        "draft_resolution": Key(N_("dự thảo nghị quyết")),
        "minutes_recorded": Key(N_("ghi biên bản")),
        "quality": Key(N_("tự xếp loại buổi họp")),
    },
    "absentee": {"name": Key(N_("họ tên")), "excused": Key(N_("vắng có lý do"))},
    "thematic": {
        "held": Key(N_("có sinh hoạt chuyên đề")),
        "combined_with_regular": Key(N_("lồng ghép với sinh hoạt định kỳ")),
        "topic": Key(N_("chủ đề")),
        "date": Key(N_("ngày họp")),
        "duration_minutes": Key(N_("số phút họp")),
        "quality": Key(N_("tự xếp loại buổi họp")),
    },
    "assessed": {
        "value": Key(""),
        "not_applicable": Key(N_("không áp dụng")),
        "note": Key(N_("ghi chú")),
        "evidence": _scalars(N_("minh chứng")),
    },
    "vote": {
        "by": Key(N_("người chủ trì")),
        "date": Key(N_("ngày biểu quyết")),
        "values": _assessment(N_("các giá trị"), N_("chi bộ biểu quyết chỉ tiêu {id}"), silent=True),
    },
    "review": {
        "by": Key(N_("cấp thẩm định")),
        "date": Key(N_("ngày thẩm định")),
        "values": _assessment(N_("các giá trị"), N_("đảng ủy thẩm định chỉ tiêu {id}"), silent=True),
    },
    "event": {
        "kind": Key(N_("loại sự việc")),
        "date": Key(N_("ngày")),
        "description": Key(N_("nội dung")),
        "member": Key(N_("đảng viên")),
        "self_detected_remedied": Key(N_("tự phát hiện và khắc phục")),
    },
    "year": {
        "unit": Key(N_("mã chi bộ")),
        "year": Key(N_("năm")),
        "framework": Key(N_("mã khung tiêu chí")),
        "members": Key(N_("số đảng viên cuối năm")),
        "member_classification": Key(N_("xếp loại đảng viên"), of="member_classification"),
        "annual_classification": Key(N_("xếp loại chất lượng chi bộ")),
        "discipline": _list(
            N_("các vụ kỷ luật"), N_("vụ kỷ luật thứ {n}"), N_("vụ kỷ luật thứ {n}"), "discipline", by=""
        ),
        "new_members": Key(N_("số đảng viên mới kết nạp")),
        "assessment": _assessment(N_("tự đánh giá"), N_("tự đánh giá chỉ tiêu {id}")),
        "vote": Key(N_("chi bộ biểu quyết"), of="vote", replaceable=True),
        "review": Key(N_("đảng ủy thẩm định"), of="review", replaceable=True),
        "notes": Key(N_("ghi chú")),
    },
    "member_classification": {
        "htxsnv": Key(N_("số hoàn thành xuất sắc nhiệm vụ")),
        "httnv": Key(N_("số hoàn thành tốt nhiệm vụ")),
        "htnv": Key(N_("số hoàn thành nhiệm vụ")),
        "khtnv": Key(N_("số không hoàn thành nhiệm vụ")),
        "not_rated": Key(N_("số chưa xếp loại")),
    },
    "discipline": {
        "member": Key(N_("đảng viên")),
        "date": Key(N_("ngày")),
        "form": Key(N_("hình thức kỷ luật")),
        "decision": Key(N_("quyết định kỷ luật")),
        "violation": Key(N_("vụ vi phạm")),
        "self_detected_remedied": Key(N_("tự phát hiện và khắc phục")),
    },
    "units": {
        "units": _list(
            N_("danh sách tổ chức đảng"), N_("chi bộ thứ {n} (mã {id})"), N_("chi bộ thứ {n}"), "unit"
        ),
    },
    "unit": {
        "id": Key(N_("mã")),
        "name": Key(N_("tên")),
        "kind": Key(N_("loại tổ chức")),
        "parent": Key(N_("mã cấp trên")),
        "members": Key(N_("số đảng viên")),
        "registered": _scalars(N_("các năm đăng ký")),
    },
    "config": {
        "id": Key(N_("mã đảng bộ")),
        "name": Key(N_("tên đảng bộ")),
        "superior": Key(N_("cấp ủy cấp trên")),
        "issuing_body": Key(N_("cơ quan ban hành văn bản")),
        "abbreviation": Key(N_("ký hiệu cơ quan")),
        "place": Key(N_("địa danh")),
        "frameworks": _list(
            N_("các khung tiêu chí áp dụng"),
            N_("khung tiêu chí áp dụng thứ {n} (mã {id})"),
            N_("khung tiêu chí áp dụng thứ {n}"),
            "assignment",
            by="framework",
        ),
        "signer": Key(N_("người ký"), of="signer"),
        "recipients": _list(N_("nơi nhận"), N_("nơi nhận thứ {n}"), N_("nơi nhận thứ {n}"), "", by=""),
    },
    "assignment": {
        "years": _scalars(N_("các năm áp dụng")),
        "framework": Key(N_("mã khung tiêu chí")),
        "kinds": _scalars(N_("các loại tổ chức áp dụng")),
    },
    "signer": {
        "on_behalf": Key(N_("dòng thẩm quyền ký")),
        "position": Key(N_("chức vụ")),
        "name": Key(N_("họ tên")),
    },
    "framework": {
        "id": Key(N_("mã khung")),
        "title": Key(N_("tên khung")),
        "issuer": Key(N_("cơ quan ban hành")),
        "documents": _list(
            N_("văn bản căn cứ"),
            N_("văn bản căn cứ thứ {n}"),
            N_("văn bản căn cứ thứ {n}"),
            "document",
            by="",
        ),
        "years": _scalars(N_("các năm áp dụng")),
        "applies_to": _scalars(N_("các loại tổ chức áp dụng")),
        "extends": Key(N_("khung cấp trên")),
        "remove": _scalars(N_("các chỉ tiêu bỏ đi")),
        "decimal_places": Key(N_("số chữ số thập phân")),
        "missing_month": Key(N_("cách tính tháng thiếu hồ sơ")),
        "criteria": _list(N_("các tiêu chí"), N_("tiêu chí {id}"), N_("tiêu chí thứ {n}"), "criterion"),
        "bonus": Key(N_("điểm thưởng"), of="bonus"),
        "deductions": _list(N_("điểm trừ"), N_("mục trừ điểm {id}"), N_("mục trừ điểm thứ {n}"), "deduction"),
        "gates": _list(N_("điều kiện loại trừ"), N_("điều kiện {id}"), N_("điều kiện thứ {n}"), "gate"),
        "rating": Key(N_("xếp loại cả năm"), of="rating"),
        "recognition": Key(N_("công nhận"), of="recognition"),
        "quotas": _list(N_("hạn mức"), N_("hạn mức {id}"), N_("hạn mức thứ {n}"), "quota"),
        "review": Key(N_("thẩm định"), of="review_policy"),
    },
    "document": {
        "number": Key(N_("số hiệu")),
        "date": Key(N_("ngày ban hành")),
        "title": Key(N_("trích yếu")),
        "issuer": Key(N_("cơ quan ban hành")),
    },
    "criterion": {
        "id": Key(N_("mã")),
        "name": Key(N_("tên")),
        "max_points": Key(N_("điểm tối đa")),
        "min_points": Key(N_("điểm tối thiểu")),
        "indicators": _INDICATORS,
    },
    "indicator": {
        "id": Key(N_("mã")),
        "name": Key(N_("nội dung")),
        "guidance": Key(N_("hướng dẫn chấm")),
        "points": Key(N_("điểm tối đa")),
        "period": Key(N_("kỳ đánh giá")),
        "source": Key(N_("nguồn giá trị")),
        "rollup": Key(N_("cách cộng cả năm"), of="rollup"),
        "applies_to": _scalars(N_("các loại tổ chức áp dụng")),
        "optional": Key(N_("được ghi không áp dụng")),
        "kind": Key(N_("loại chỉ tiêu")),
        "pass_at": Key(N_("điểm đạt")),
        "levels": _list(N_("các mức"), N_("mức {name}"), N_("mức thứ {n}"), "level", by="name"),
        "op": Key(N_("phép so sánh")),
        "target": Key(N_("ngưỡng")),
        "overrides": _list(
            N_("ngưỡng riêng"), N_("ngưỡng riêng thứ {n}"), N_("ngưỡng riêng thứ {n}"), "override", by=""
        ),
        "indicators": _INDICATORS,
        "bands": _BANDS,
    },
    "rollup": {
        "method": Key(N_("cách cộng")),
        "count": Key(N_("số kỳ phải đạt")),
        "share": Key(N_("tỉ lệ kỳ phải đạt")),
        "missing": Key(N_("cách tính tháng thiếu")),
    },
    "level": {
        "name": Key(N_("tên mức")),
        "points": Key(N_("điểm")),
        "passed": Key(N_("được coi là đạt")),
        "aliases": _scalars(N_("cách viết khác")),
    },
    "override": {"when": Key(N_("điều kiện áp dụng")), "target": Key(N_("ngưỡng thay thế"))},
    "band": {
        "name": Key(N_("tên mức")),
        "min": Key(N_("điểm tối thiểu")),
        "conditions": Key(N_("điều kiện"), of="band_conditions"),
        "otherwise": Key(N_("mức bị hạ xuống")),
    },
    "band_conditions": {
        "indicators_at_max": _scalars(N_("các chỉ tiêu phải đạt tối đa")),
        "criteria_min_met": Key(N_("mọi tiêu chí đạt điểm tối thiểu")),
        "no_failed_gates": Key(N_("không vướng điều kiện loại trừ")),
    },
    "bonus": {
        "max_points": Key(N_("điểm thưởng tối đa")),
        "items": _list(N_("các mục thưởng"), N_("mục thưởng {id}"), N_("mục thưởng thứ {n}"), "bonus_item"),
    },
    "bonus_item": {
        "id": Key(N_("mã")),
        "name": Key(N_("nội dung")),
        "points": Key(N_("điểm cộng mỗi lần")),
        "source": Key(N_("nguồn giá trị")),
    },
    "deduction": {
        "id": Key(N_("mã")),
        "name": Key(N_("nội dung")),
        "points_each": Key(N_("điểm trừ mỗi lần")),
        "source": Key(N_("nguồn giá trị")),
        "max_points": Key(N_("trừ tối đa")),
        "criterion": Key(N_("trừ vào tiêu chí")),
    },
    "gate": {
        "id": Key(N_("mã")),
        "title": Key(N_("tên ngắn")),
        "reason": Key(N_("câu lý do")),
        "kind": Key(N_("loại điều kiện")),
        "except_self_remedied": Key(N_("không tính vụ tự phát hiện, khắc phục")),
        "max_cases": Key(N_("số vụ tối đa")),
        "at_least": Key(N_("mức tối thiểu")),
        "max_missing": Key(N_("số tháng thiếu tối đa")),
        "indicator": Key(N_("chỉ tiêu")),
        "min_share": Key(N_("tỉ lệ tối thiểu")),
    },
    "rating": {"bands": _list(N_("các mức"), N_("mức {name}"), N_("mức thứ {n}"), "band", by="name")},
    "recognition": {
        "title": Key(N_("danh hiệu")),
        "min_total": Key(N_("tổng điểm tối thiểu")),
        "every_criterion_min": Key(N_("mọi tiêu chí đạt điểm tối thiểu")),
        "gates_must_pass": Key(N_("không vướng điều kiện loại trừ")),
        "min_rating": Key(N_("mức xếp loại tối thiểu")),
    },
    "quota": {
        "id": Key(N_("mã")),
        "band": Key(N_("mức bị giới hạn")),
        "base_bands": _scalars(N_("các mức làm cơ số")),
        "max_ratio": Key(N_("tỉ lệ tối đa")),
        "scope": Key(N_("phạm vi")),
        "tie_break": _scalars(N_("thứ tự ưu tiên khi bằng điểm")),
        "demote_to": Key(N_("mức hạ xuống")),
        "reason": Key(N_("câu lý do")),
    },
    "review_policy": {"gap_warning_points": Key(N_("độ lệch điểm cần cảnh báo"))},
}
