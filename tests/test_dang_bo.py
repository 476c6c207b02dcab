"""The đảng bộ cơ sở's own verdict: the shipped framework "dang-bo-co-so-2024", the example's
đảng bộ scored as a unit, and its verdict with its reasons in score, explain, the reports and the
district roll-up."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chibo4tot.inputs.loading import load_frameworks
from tests.conftest import REPO, invoke

DANG_BO = "dang-bo-xa-thuong-phung"
SHARE_REASON = "Chỉ có 54,55% chi bộ trực thuộc đạt danh hiệu “Chi bộ 4 tốt”"


def _json(ws: Path, *extra: str) -> dict[str, Any]:
    out = invoke(["score", str(ws), "--year", "2024", "--format", "json", *extra]).stdout
    return json.loads(out)  # type: ignore[no-any-return]


def _unit(doc: dict[str, Any], unit_id: str) -> dict[str, Any]:
    return next(u for u in doc["units"] if u["id"] == unit_id)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _lift_two_cells(ws: Path) -> None:
    """Ta Cá Ván registers for 2024 and Pả Vi's discipline case was found and remedied by the
    cell itself: 8 of 11 cells recognised (72,73%), over the 70% the đảng bộ needs."""
    _edit(ws / "units.yaml", "    registered: [2023]", "    registered: [2023, 2024]")
    year = ws / "records" / "2024" / "pa-vi" / "year.yaml"
    text = year.read_text(encoding="utf-8")
    assert text.count("self_detected_remedied: false") == 2
    year.write_text(text.replace("self_detected_remedied: false", "self_detected_remedied: true"), "utf-8")


def test_the_shipped_framework_is_judged_once_a_year_and_chi_bo_frameworks_are_not() -> None:
    frameworks = load_frameworks(
        REPO / "examples" / DANG_BO, [], used={"dang-bo-co-so-2024", "ha-giang-2024", "mac-dinh-2024"}
    )
    dang_bo = frameworks["dang-bo-co-so-2024"].framework
    assert not dang_bo.takes_months()
    assert [k.value for k in dang_bo.applies_to] == ["dang_bo_co_so"]
    assert dang_bo.recognition.title == "Đảng bộ cơ sở 4 tốt"
    assert sum(c.max_points for c in dang_bo.criteria) == 100
    assert any(g.kind == "sub_unit_share" for g in dang_bo.gates)
    assert frameworks["ha-giang-2024"].framework.takes_months()
    assert frameworks["mac-dinh-2024"].framework.takes_months()


def test_the_example_dang_bo_has_a_verdict_with_its_reasons_in_score(example_copy: Path) -> None:
    doc = _json(example_copy)
    unit = _unit(doc, DANG_BO)
    assert unit["kind"] == "dang_bo_co_so"
    assert unit["framework"] == "dang-bo-co-so-2024"
    assert unit["parent"] is None  # the workspace's own đảng bộ: its superior is outside it
    assert (unit["months_recorded"], unit["months_missing"]) == (0, [])  # no month to miss
    assert unit["recognised"] is False and unit["total"] == 95
    assert len(unit["reasons"]) == 1 and unit["reasons"][0].startswith(SHARE_REASON)
    # The cells are counted as before, the đảng bộ apart
    assert doc["summary"]["units"] == 11 and doc["summary"]["recognised"] == 6
    assert doc["summary"]["dang_bo"] == {"units": 1, "recognised": 0, "recognised_rate": 0}
    assert all(_unit(doc, c)["parent"] == DANG_BO for c in ("ma-pi-leng", "truong-thcs-thuong-phung"))

    table = invoke(["score", str(example_copy), "--year", "2024"]).stdout
    assert "Đảng bộ xã Thượng Phùng (dang-bo-xa-thuong-phung): Không đạt" in table
    assert SHARE_REASON in " ".join(table.split())
    assert "Công nhận “Đảng bộ cơ sở 4 tốt”: 0/1 đảng bộ (0,00%)." in table
    row = next(line for line in table.splitlines() if line.startswith("│ Đảng bộ xã Thượng Phùng"))
    assert [c.strip() for c in row.split("│")][10:12] == ["Không đạt", "—"]  # months: none kept or missing
    # No missing-month gap is told for the đảng bộ: only Lũng Lầu's months are missing
    gaps = invoke(["validate", str(example_copy)]).stderr
    assert DANG_BO not in gaps and "lung-lau" in gaps


def test_the_verdict_follows_the_share_of_cells_recognised(example_copy: Path) -> None:
    _lift_two_cells(example_copy)
    doc = _json(example_copy)
    assert doc["summary"]["recognised"] == 8
    unit = _unit(doc, DANG_BO)
    assert unit["recognised"] is True and unit["reasons"] == [] and unit["rating"] == "Xuất sắc"
    explained = invoke(["explain", DANG_BO, str(example_copy), "--year", "2024"]).stdout
    assert "72,73% chi bộ trực thuộc được công nhận" in explained
    assert "Đánh giá một lần vào cuối năm, không có hồ sơ tháng" in explained


def test_a_kept_run_done_again_moves_the_dang_bo_verdict_as_a_whole_run_does(example_copy: Path) -> None:
    """Two cells' year records corrected after a cached run: the rerun scores the đảng bộ again
    (its share moved) and says what --no-cache says."""
    command = ["score", str(example_copy), "--year", "2024", "--format", "json"]
    invoke(command)
    year = example_copy / "records" / "2024" / "pa-vi" / "year.yaml"
    text = year.read_text(encoding="utf-8")
    year.write_text(text.replace("self_detected_remedied: false", "self_detected_remedied: true"), "utf-8")
    cached = invoke(command).stdout
    assert cached == invoke([*command, "--no-cache"]).stdout
    assert "63,64% chi bộ trực thuộc" in _unit(json.loads(cached), DANG_BO)["reasons"][0]


def test_the_reports_state_the_verdict_and_its_reasons(example_copy: Path) -> None:
    out = example_copy / "bao-cao"
    invoke(["report", str(example_copy), "--year", "2024", "--allow-incomplete", "--out", str(out)])
    markdown = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    line = next(x for x in markdown.splitlines() if x.startswith("Đảng bộ xã Thượng Phùng:"))
    assert line.startswith(
        "Đảng bộ xã Thượng Phùng: chưa được công nhận “Đảng bộ cơ sở 4 tốt” (95,00 điểm, xếp loại Tốt)."
    )
    assert "Lý do: " + SHARE_REASON in line
    # and last year's verdict, from the example's export of 2023 (history/)
    assert line.endswith("Năm 2023: chưa được công nhận (95,00 điểm, xếp loại Tốt).")
    wb = openpyxl.load_workbook(out / "chi-bo-4-tot-2024.xlsx")
    rows = [[c for c in row if c is not None] for row in wb.worksheets[0].iter_rows(values_only=True)]
    own = next(r for r in rows if r and r[0] == "Đảng bộ xã Thượng Phùng")
    assert own[1:4] == [11, 6, 5] and "Không đạt" in own and any(str(c).startswith(SHARE_REASON) for c in own)


def test_the_district_roll_up_shows_the_dang_bo_verdict_from_its_export(
    example_copy: Path, tmp_path: Path
) -> None:
    export = tmp_path / "xa.json"
    invoke(["export", str(example_copy), "--year", "2024", "--allow-incomplete", "--out", str(export)])
    data = json.loads(export.read_text(encoding="utf-8"))
    own = next(u for u in data["units"] if u["id"] == DANG_BO)
    assert own["parent"] is None and own["recognised"] is False and own["reasons"][0].startswith(SHARE_REASON)
    district = tmp_path / "huyen"
    invoke(["rollup", str(export), "--out", str(district), "--allow-incomplete"])
    markdown = (district / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "Đảng bộ xã Thượng Phùng: chưa được công nhận “Đảng bộ cơ sở 4 tốt”" in markdown
    assert SHARE_REASON in markdown


def test_no_month_record_or_month_form_for_a_dang_bo_judged_once_a_year(example_copy: Path) -> None:
    for args in (
        ["new", DANG_BO, str(example_copy), "--month", "2024-03"],
        [
            "form",
            str(example_copy),
            "--month",
            "2024-03",
            "--unit",
            DANG_BO,
            "--out",
            str(example_copy / "f.xlsx"),
        ],
    ):
        result = invoke(args, exit_code=2)
        assert "được đánh giá một lần vào cuối năm" in result.stderr and "--year 2024" in result.stderr
    assert not (example_copy / "records" / "2024" / DANG_BO / "2024-03.yaml").exists()
    assert not (example_copy / "f.xlsx").exists()
    month = example_copy / "thang.xlsx"
    invoke(["form", str(example_copy), "--month", "2024-03", "--out", str(month)])
    assert DANG_BO not in openpyxl.load_workbook(month).sheetnames[1]  # the cells only
    year = example_copy / "nam.xlsx"
    invoke(["form", str(example_copy), "--year", "2024", "--out", str(year)])
    assert "Đảng bộ xã Thượng Phùng" in openpyxl.load_workbook(year).sheetnames


@pytest.mark.parametrize("year_file", [True, False])
def test_the_dang_bo_year_record_is_its_one_record(example_copy: Path, year_file: bool) -> None:
    """Without its year.yaml the đảng bộ has a gap (and a report is refused); its months never."""
    if not year_file:
        (example_copy / "records" / "2024" / DANG_BO / "year.yaml").unlink()
    result = invoke(["validate", str(example_copy)])
    mine = [line for line in result.stderr.splitlines() if f"({DANG_BO})" in line]
    if year_file:
        assert mine == []
    else:
        assert len(mine) == 1 and "chưa có hồ sơ cuối năm 2024 (year.yaml)" in mine[0]


def test_a_cell_left_without_parent_beside_a_scored_dang_bo_is_warned(example_copy: Path) -> None:
    _edit(example_copy / "units.yaml", f"    parent: {DANG_BO}\n", "    parent: null\n")
    result = invoke(["validate", str(example_copy)])
    warned = [line for line in result.stderr.splitlines() if "units.yaml" in line]
    assert len(warned) == 1 and "chi bộ thứ 1 (mã ma-pi-leng)" in warned[0]
    assert "không được tính vào tỉ lệ chi bộ đạt của đảng bộ" in warned[0]
    assert f"ghi parent: {DANG_BO}" in warned[0]


def test_the_dang_bo_framework_is_put_in_words_about_a_dang_bo() -> None:
    """`criteria show` of a framework for đảng bộ speaks of the đảng bộ where it would say chi bộ."""
    shown = " ".join(
        invoke(["criteria", "show", "dang-bo-co-so-2024", str(REPO / "examples" / DANG_BO)]).stdout.split()
    )
    assert "Số liệu: đảng bộ tự đánh giá" in shown and "chi bộ tự đánh giá" not in shown
    assert "đảng bộ được xếp loại chất lượng từ “Hoàn thành tốt nhiệm vụ” trở lên" in shown
    assert "Tháng thiếu hồ sơ" not in shown  # judged once a year: no month to miss
    cells = " ".join(
        invoke(["criteria", "show", "ha-giang-2024", str(REPO / "examples" / DANG_BO)]).stdout.split()
    )
    assert "Số liệu: chi bộ tự đánh giá" in cells and "đảng bộ tự đánh giá" not in cells
    assert "Tháng thiếu hồ sơ: tính 0 điểm" in cells


def test_mid_year_the_dang_bo_is_followed_not_failed_on_its_share_of_cells(example_copy: Path) -> None:
    """Before the year is over no cell is recognised yet: the đảng bộ's share of recognised cells
    is 0 then, which is no verdict; it is followed like its cells, the share gate not judged yet."""
    unit = _unit(_json(example_copy, "--month", "6"), DANG_BO)
    assert unit["status"] == "in_progress" and unit["reasons"] == []
    explained = invoke(["explain", DANG_BO, str(example_copy), "--year", "2024", "--month", "6"]).stdout
    assert "[chưa xét] ty-le-chi-bo: tỉ lệ chi bộ trực thuộc được công nhận chỉ có khi hết năm" in explained
    assert "Chỉ có 0,00%" not in explained


def _dang_bo_alone(ws: Path) -> None:
    """The example with its đảng bộ as its only unit: no cell scored under it."""
    text = (ws / "units.yaml").read_text(encoding="utf-8")
    (ws / "units.yaml").write_text("units:\n" + text[text.index(f"  - id: {DANG_BO}\n") :], encoding="utf-8")
    for folder in (ws / "records" / "2024").iterdir():
        if folder.name != DANG_BO:
            shutil.rmtree(folder)


def test_a_dang_bo_without_any_cell_scored_is_told_so_in_words(example_copy: Path) -> None:
    """Without a cell scored, the share is unknown: the reason says so, not "Chỉ có — chi bộ"."""
    _dang_bo_alone(example_copy)
    unit = _unit(_json(example_copy), DANG_BO)
    assert unit["status"] == "not_recognised"
    assert unit["reasons"] == [
        "Không tính được tỉ lệ chi bộ trực thuộc được công nhận (không có chi bộ trực thuộc được chấm)."
    ]


def test_without_a_cell_scored_this_year_the_comparison_does_not_blame_last_year(example_copy: Path) -> None:
    """Last year is known (history/): it is this year's rate that is missing, and the sentence says so."""
    _dang_bo_alone(example_copy)
    table = invoke(["score", str(example_copy), "--year", "2024"]).stdout
    assert "Năm nay không có chi bộ nào được chấm; năm 2023 có 5/11 chi bộ được công nhận." in table
    assert "không có kết quả năm 2023 để so sánh" not in table


def test_a_framework_that_changes_the_share_alone_is_warned_of_the_words_it_keeps(example_copy: Path) -> None:
    """A district's framework extends the shipped one with 50% in place of 70%: the title and the
    reason it inherits still say 70%, and a verdict would give the reason of another share."""
    (example_copy / "criteria" / "db-huyen-2024.yaml").write_text(
        "id: db-huyen-2024\nextends: dang-bo-co-so-2024\ntitle: Khung của huyện\nissuer: Huyện ủy\n"
        "years: [2024]\ngates:\n  - id: ty-le-chi-bo\n    min_share: 0.5\n",
        encoding="utf-8",
    )
    _edit(example_copy / "chibo4tot.yaml", "framework: dang-bo-co-so-2024", "framework: db-huyen-2024")
    _edit(
        example_copy / "records" / "2024" / DANG_BO / "year.yaml",
        "framework: dang-bo-co-so-2024",
        "framework: db-huyen-2024",
    )
    said = invoke(["validate", str(example_copy)]).stderr
    for field in ("câu lý do (reason)", "tên ngắn (title)"):
        assert f"{field} ghi 70%, khác tỉ lệ tối thiểu 50%: hãy ghi lại {field} cho khớp" in said
    assert said.count("criteria/db-huyen-2024.yaml:8:16: cảnh báo:") == 2  # where the share was changed
    # The shipped frameworks' words agree with their shares: nothing is said of them
    assert "khác tỉ lệ tối thiểu" not in invoke(["validate", str(REPO / "examples" / DANG_BO)]).stderr


def test_the_comparison_sheet_gives_the_dang_bo_verdict_both_years(example_copy: Path) -> None:
    out = example_copy / "bao-cao"
    invoke(["report", str(example_copy), "--year", "2024", "--allow-incomplete", "--out", str(out)])
    sheet = openpyxl.load_workbook(out / "chi-bo-4-tot-2024.xlsx")["So với năm trước"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r[1] == "Đơn vị cấp trên")
    assert header[9:11] == ["Kết quả đảng bộ năm 2023", "Kết quả đảng bộ năm 2024"]
    own = next(r for r in rows if r[1] == "Đảng bộ xã Thượng Phùng")
    assert own[9:11] == ["Không đạt", "Không đạt"]  # 2023 from history/, 2024 scored now
