"""A framework in the organiser's words (results/fwterms): thresholds, points, every part, origins, diffs."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.models.framework import Framework
from chibo4tot.results.fwterms import FrameworkTerms, Item, describe, describe_chain, removed_items
from chibo4tot.results.fwterms.changes import change_lines, compare, count
from chibo4tot.results.fwterms.outline import outline
from chibo4tot.results.fwterms.words import comparison, number, percent, points, quantity, short_date

SHIPPED = {fid: lf.framework for fid, lf in load_frameworks(None, []).items()}
MAC = SHIPPED["mac-dinh-2024"]
QN = SHIPPED["quang-ninh-2024"]


def terms(fw: Framework) -> FrameworkTerms:
    return describe_chain({**SHIPPED, fw.id: fw}, fw.id)


def item(described: FrameworkTerms, key: str) -> Item:
    found = described.item(key)
    assert found is not None, key
    return found


def edited(fw: Framework, change: Any) -> Framework:
    """``fw`` after ``change(data)`` edited its plain data in place."""
    data = copy.deepcopy(fw.model_dump(mode="json"))
    change(data)
    return Framework.model_validate(data)


# ── words ─────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("op", "target", "unit", "expected"),
    [
        (">", Decimal("0.85"), "share", "trên 85%"),
        (">=", Decimal("0.85"), "share", "từ 85% trở lên"),
        (">=", Decimal("0.855"), "share", "từ 85,5% trở lên"),
        (">", 90, "minutes", "trên 90 phút"),
        (">=", 90, "minutes", "từ 90 phút trở lên"),
        (">=", 2, "times", "ít nhất 2 lần"),
        (">", 2, "times", "trên 2 lần"),
        (">=", 1, "members", "ít nhất 1 đảng viên"),
        ("<", 3, "times", "dưới 3 lần"),
        ("<=", 3, "times", "không quá 3 lần"),
        ("<=", 0, "absences", "không có (0 lượt)"),
        ("==", 0, "cases", "đúng 0 vụ"),
        ("==", 2, "cases", "đúng 2 vụ"),
        ("<", Decimal("0.5"), "share", "dưới 50%"),
        (">=", Decimal("4.5"), "plain", "từ 4,5 trở lên"),
    ],
)
def test_each_threshold_reads_as_a_person_states_it(op: str, target: Any, unit: Any, expected: str) -> None:
    assert comparison(op, target, unit) == expected


def test_declared_numbers_are_shown_exactly_with_the_decimal_comma() -> None:
    assert number(Decimal("0.25")) == "0,25"
    assert number(Decimal("0.125")) == "0,125"  # never rounded away
    assert number(Decimal("90.0")) == "90"
    assert number(1500) == "1.500"
    assert points(Decimal("0.25")) == "0,25 điểm"
    assert points(5) == "5 điểm"
    assert percent(Decimal("0.2")) == "20%"
    assert quantity(Decimal("0.855"), "share") == "85,5%"
    assert quantity(90, "minutes") == "90 phút"


def test_dates_are_cited_as_in_party_documents() -> None:
    import datetime as dt

    assert short_date(dt.date(2018, 7, 6)) == "06/7/2018"
    assert short_date(dt.date(2022, 6, 16)) == "16/6/2022"
    assert short_date(dt.date(2024, 2, 5)) == "05/02/2024"


# ── every part of a framework ─────────────────────────────────────────────────────────────────


def test_every_indicator_and_sub_indicator_has_its_points() -> None:
    described = terms(MAC)
    for _criterion, ind in MAC.all_indicators():
        shown = item(described, f"indicator:{ind.id}")
        assert shown.text("points").startswith(points(ind.points)), ind.id
    assert item(described, "indicator:2.1.3").text("points") == "15 điểm trên thang 100 điểm của chỉ tiêu 2.1"
    assert item(described, "indicator:3.5").text("points") == "3 điểm (mỗi tháng tối đa 0,25 điểm)"
    assert described.total == 100


def test_indicator_kinds_sources_periods_and_rollups() -> None:
    d = terms(MAC)
    assert item(d, "indicator:1.1").text("kind") == "xếp mức"
    assert (
        item(d, "indicator:1.1")
        .text("levels")
        .startswith("Tốt: 8 điểm; Khá: 6 điểm; Trung bình (còn ghi: TB)")
    )
    assert item(d, "indicator:1.2").text("scale") == "từ 0 đến 5 điểm mỗi tháng; đạt từ 4 điểm"
    assert item(d, "indicator:1.3").text("rollup") == "đủ điểm khi ít nhất 10 tháng đạt, không thì 0 điểm"
    assert (
        item(d, "indicator:1.4").text("rollup") == "đủ điểm khi từ 80% số tháng trở lên đạt, không thì 0 điểm"
    )
    assert "không áp dụng" in item(d, "indicator:1.4").text("optional")
    assert item(d, "indicator:1.5").text("period") == "một lần trong năm"
    assert item(d, "indicator:1.5").term("rollup") is None  # scored once: there is nothing to roll up
    assert item(d, "indicator:2.1.3").text("threshold") == "trên 85%"
    assert item(d, "indicator:2.1.3").text("source") == "tỉ lệ đảng viên dự sinh hoạt, tính từ hồ sơ tháng"
    assert item(d, "indicator:2.1.4").text("threshold") == "không có (0 lượt)"
    assert item(d, "indicator:2.1.6").text("threshold") == "từ 90 phút trở lên"
    assert item(d, "indicator:2.1.6").text("override:0:thematic_combined") == "từ 120 phút trở lên"
    assert item(d, "indicator:2.2").text("threshold") == "ít nhất 1 lần"
    assert item(d, "indicator:2.2").text("rollup") == "đủ điểm khi mọi quý đều đạt, không thì 0 điểm"
    assert item(d, "indicator:3.2").text("rollup") == "lấy tháng thấp nhất"
    assert item(d, "indicator:3.4").text("threshold") == "đúng 0 vụ"
    assert item(d, "indicator:3.5").text("rollup") == "cộng điểm các tháng"
    assert item(d, "indicator:4.1").text("threshold") == "từ 80% trở lên"
    assert item(d, "indicator:4.1").text("source").endswith("lấy từ hồ sơ cuối năm")


def test_composite_bands_carry_their_conditions() -> None:
    d = item(terms(MAC), "indicator:2.1")
    assert d.text("band:Tốt") == (
        "từ 90 điểm trở lên, khi các chỉ tiêu 2.1.3, 2.1.6, 2.1.7, 2.1.9 đều đạt điểm tối đa; "
        "nếu không đủ điều kiện, xếp “Khá”"
    )
    assert d.text("band:Khá") == "từ 70 đến dưới 90 điểm"
    assert d.text("band:Kém") == "dưới 50 điểm"
    assert (
        d.text("levels") == "Tốt: 12 điểm; Khá: 9 điểm; Trung bình: 6 điểm, không đạt; Kém: 0 điểm, không đạt"
    )


def test_gates_bands_recognition_quota_bonus_and_deductions() -> None:
    d = terms(MAC)
    discipline = item(d, "gate:ky-luat")
    assert discipline.text("rule").startswith("không có đảng viên bị kỷ luật trong năm")
    assert "không tính vụ chi bộ tự phát hiện và khắc phục" in discipline.text("rule")
    assert discipline.text("fields") == "{cases}: các vụ kỷ luật (chèn được: {detail}, {n}, {cases})"
    assert item(d, "gate:ty-le-dang-vien").text("rule") == (
        "từ 80% đảng viên trở lên được xếp loại từ “Hoàn thành tốt nhiệm vụ” trở lên"
    )
    assert "không chèn trường nào" in item(d, "gate:dang-ky").text("fields")
    assert (
        item(d, "gate:chuyen-de-moi-quy").text("rule").startswith("chỉ tiêu 2.2 (Tổ chức sinh hoạt chuyên đề")
    )
    assert item(d, "rating").text("band:Xuất sắc") == (
        "từ 90 điểm trở lên, khi mọi tiêu chí đạt điểm tối thiểu và không vướng điều kiện loại trừ nào; "
        "nếu không đủ điều kiện, xếp “Tốt”"
    )
    recognition = item(d, "recognition")
    assert recognition.text("min_total") == "từ 90 điểm trở lên"
    quota = item(d, "quota:ty-le-xuat-sac")
    assert quota.text("rule") == (
        "số chi bộ xếp loại “Xuất sắc” không quá 20% số chi bộ xếp loại “Xuất sắc”, “Tốt” (làm tròn xuống)"
    )
    assert quota.text("tie_break") == (
        "xếp theo tổng điểm (cao trước); bằng nhau thì theo điểm tiêu chí 2 (cao trước); "
        "bằng nhau thì theo mã chi bộ"
    )
    assert item(d, "bonus").text("max_points") == "5 điểm"
    assert item(d, "bonus:t1").text("points") == "cộng 2 điểm"
    k1 = item(d, "deduction:k1")
    assert (k1.text("points"), k1.text("max_points")) == ("trừ 0,5 điểm", "3 điểm")
    assert k1.text("criterion") == "tiêu chí 3 (Đoàn kết, kỷ luật tốt)"
    assert item(d, "deduction:k2").text("criterion") == "tổng điểm"


def test_a_setting_the_engine_ignores_is_shown_as_unused() -> None:
    fw = edited(MAC, lambda d: d["criteria"][0]["indicators"][4].update(rollup={"method": "sum"}))
    assert item(terms(fw), "indicator:1.5").text("rollup") == (
        "cộng điểm các tháng (không dùng: chấm một lần trong năm)"
    )


# ── origins ───────────────────────────────────────────────────────────────────────────────────


def test_each_line_knows_whether_the_child_or_the_parent_set_it() -> None:
    d = terms(QN)
    assert d.lineage == ("mac-dinh-2024", "quang-ninh-2024")
    attendance = item(d, "indicator:2.1.3")
    assert attendance.term("threshold").origin == "quang-ninh-2024"  # type: ignore[union-attr]
    assert attendance.term("points").origin == "mac-dinh-2024"  # type: ignore[union-attr]
    assert attendance.origin == "mac-dinh-2024"  # the item itself is the parent's
    added = item(d, "indicator:4.6")
    assert added.origin == "quang-ninh-2024"
    assert {t.origin for t in added.terms} == {"quang-ninh-2024"}
    assert item(d, "criterion:3").term("min_points").origin == "quang-ninh-2024"  # type: ignore[union-attr]
    assert item(d, "criterion:3").term("name").origin == "mac-dinh-2024"  # type: ignore[union-attr]
    # The child restates 21-NQ/TW unchanged: still the parent's line.
    assert item(d, "framework").term("document:21-NQ/TW").origin == "mac-dinh-2024"  # type: ignore[union-attr]
    parent = terms(MAC)
    assert [i.code for i in removed_items(d, parent)] == ["1.4"]


def test_the_outline_flags_only_the_childs_lines() -> None:
    lines = outline(terms(QN), removed_items(terms(QN), terms(MAC)))
    own = [line.text for line in lines if line.own]
    assert "Ngưỡng đạt: từ 85% trở lên" in own
    assert any(text.startswith("4.6. Đảng viên sử dụng thường xuyên") for text in own)
    assert "Tổng điểm: từ 85 điểm trở lên" in own
    assert not any(text.startswith("1.1. ") for text in own)
    assert any(line.text.startswith("1.4. Lãnh đạo phát triển kinh tế hộ gia đình") for line in lines)


# ── changes ───────────────────────────────────────────────────────────────────────────────────


def diff_text(old: Framework, new: Framework) -> str:
    return "\n".join(change_lines(old.id, new.id, compare(describe(old), describe(new))))


def test_nothing_changed_means_no_change() -> None:
    assert compare(describe(MAC), describe(MAC)) == []
    assert diff_text(MAC, MAC) == "So sánh mac-dinh-2024 → mac-dinh-2024: 0 thay đổi"


def test_a_raised_threshold_reads_in_the_users_terms() -> None:
    def raise_attendance(d: dict[str, Any]) -> None:
        d["criteria"][1]["indicators"][0]["indicators"][2]["target"] = "0.9"

    text = diff_text(MAC, edited(MAC, raise_attendance))
    assert "Ngưỡng đạt: trên 85% → trên 90%" in text
    assert "target" not in text and "0.9" not in text


def test_a_changed_share_inside_a_gate_is_shown() -> None:
    def stricter(d: dict[str, Any]) -> None:
        d["gates"][6]["min_share"] = "0.9"

    text = diff_text(MAC, edited(MAC, stricter))
    assert "~ Điều kiện ty-le-dang-vien." in text
    assert (
        "Điều kiện: từ 80% đảng viên trở lên được xếp loại từ “Hoàn thành tốt nhiệm vụ” trở lên → "
        "từ 90% đảng viên trở lên được xếp loại từ “Hoàn thành tốt nhiệm vụ” trở lên"
    ) in text


def test_the_child_against_its_parent() -> None:
    changes = compare(describe(MAC), describe(QN))
    text = "\n".join(change_lines(MAC.id, QN.id, changes))
    assert "Ngưỡng đạt: trên 85% → từ 85% trở lên" in text
    assert "Điểm: 4 điểm → 7 điểm" in text
    assert "+ thêm chỉ tiêu 4.6. Đảng viên sử dụng thường xuyên" in text and "(2 điểm)" in text
    assert "    Cả năm: đủ điểm khi từ 90% số tháng trở lên đạt, không thì 0 điểm" in text
    assert "- bỏ chỉ tiêu 1.4. Lãnh đạo phát triển kinh tế hộ gia đình" in text
    assert "Tổng điểm: từ 90 điểm trở lên → từ 85 điểm trở lên" in text
    assert "Điểm tối thiểu: 18 điểm → 20 điểm" in text
    assert text.splitlines()[0] == f"So sánh mac-dinh-2024 → quang-ninh-2024: {count(changes)} thay đổi"
    # A removed item is listed where it was: after 1.3, before 2.1.3.
    order = [c.item.key for c in changes]
    assert order.index("indicator:1.4") == order.index("indicator:1.3") + 1
