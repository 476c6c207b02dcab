"""Official documents are never silently wrong: the completeness pre-flight, year and month that exist,
cells not scored named everywhere, honest mid-year ratings."""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import invoke, mini_workspace, month_record

GAPPY = ["--year", "2024", "--date", "2025-01-15"]


def docx_text(path: Path) -> str:
    xml = zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml.replace("</w:p>", "\n"))


def gappy_workspace() -> dict[str, Any]:
    """A full year for chi-bo-1, except month 7, no year.yaml for chi-bo-2, a stray date, no signer."""
    tree = mini_workspace(units=2, months=12)
    del tree["records/2024/chi-bo-1/2024-07.yaml"]
    tree["records/2024/chi-bo-1/year.yaml"] = {"unit": "chi-bo-1", "year": 2024}
    record = month_record("chi-bo-2", "2024-04")
    record["meeting"]["date"] = "2024-03-28"  # the March meeting copied into the April record
    tree["records/2024/chi-bo-2/2024-04.yaml"] = record
    del tree["chibo4tot.yaml"]["signer"]
    return tree


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": cảnh báo: " in line]


def test_validate_warns_of_each_gap_and_strict_fails(make_ws: Callable[..., Path]) -> None:
    root = make_ws(gappy_workspace())
    result = invoke(["validate", str(root)])
    gaps = warnings_of(result.stderr)
    assert len(gaps) == 4, gaps
    text = "\n".join(gaps)
    assert "Chi bộ thôn 1 (chi-bo-1) thiếu hồ sơ tháng 7 năm 2024" in text
    assert "chi-bo-2/year.yaml: cảnh báo: Chi bộ thôn 2 (chi-bo-2) chưa có hồ sơ cuối năm 2024" in text
    assert re.search(
        r"2024-04\.yaml:\d+:\d+: cảnh báo: sinh hoạt định kỳ, ngày họp \(date\): "
        r"ngày 28/03/2024 không thuộc tháng 04/2024",
        text,
    )
    assert "chibo4tot.yaml:1:1: cảnh báo: người ký (signer): chưa ghi họ tên người ký" in text
    invoke(["validate", "--strict", str(root)], exit_code=1)


def test_report_refuses_gaps_then_states_each_one(make_ws: Callable[..., Path], tmp_path: Path) -> None:
    root = make_ws(gappy_workspace())
    out = tmp_path / "out"
    result = invoke(["report", str(root), *GAPPY, "--out", str(out)], exit_code=1)
    assert "chưa lập báo cáo: hồ sơ còn 4 thiếu sót" in result.stderr
    assert "--allow-incomplete" in result.stderr
    assert not out.exists()  # nothing written
    invoke(["report", str(root), *GAPPY, "--out", str(out), "--allow-incomplete"])
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    word = docx_text(out / "bao-cao-chi-bo-4-tot-2024.docx")
    listed = docx_text(out / "danh-sach-cong-nhan-2024.docx")
    for text in (md, word):
        assert "Lưu ý về số liệu: báo cáo lập khi hồ sơ chưa đầy đủ" in text
        assert "thiếu hồ sơ tháng 7 năm 2024 (records/2024/chi-bo-1)" in text
        assert "chưa có hồ sơ cuối năm 2024" in text
        assert "ngày 28/03/2024 không thuộc tháng 04/2024" in text
        assert "chưa ghi họ tên người ký" in text
        assert str(tmp_path) not in text  # paths relative to the workspace, never this machine's
    assert "Lưu ý: danh sách lập khi hồ sơ chưa đầy đủ (4 thiếu sót về hồ sơ)" in listed


def test_a_complete_workspace_reports_without_notes(make_ws: Callable[..., Path], tmp_path: Path) -> None:
    tree = mini_workspace(units=1, months=12)
    tree["records/2024/chi-bo-1/year.yaml"] = {"unit": "chi-bo-1", "year": 2024}
    root = make_ws(tree)
    assert warnings_of(invoke(["validate", str(root)]).stderr) == []
    invoke(["report", str(root), *GAPPY, "--out", str(tmp_path / "out"), "--format", "md"])
    md = (tmp_path / "out" / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "Lưu ý về số liệu" not in md


def test_placeholders_from_init_are_gaps(tmp_path: Path) -> None:
    target = tmp_path / "moi"
    invoke(["init", str(target), "--year", "2024"])
    result = invoke(["validate", str(target)])
    assert re.search(
        r"chibo4tot\.yaml:\d+:\d+: cảnh báo: địa danh \(place\): còn chỗ để trống “…”", result.stderr
    )


def test_records_for_a_year_without_framework(make_ws: Callable[..., Path]) -> None:
    tree = mini_workspace(units=1, months=12)
    tree["records/2024/chi-bo-1/year.yaml"] = {"unit": "chi-bo-1", "year": 2024}
    tree["records/2025/chi-bo-1/2025-01.yaml"] = month_record("chi-bo-1", "2025-01")
    root = make_ws(tree)
    result = invoke(["validate", str(root)])
    assert "có 1 hồ sơ của năm 2025 nhưng chibo4tot.yaml chưa gán khung tiêu chí cho năm này" in result.stderr
    # Plain `score` does not follow one stray file into a year it cannot score.
    scored = json.loads(invoke(["score", str(root), "--format", "json"]).stdout)
    assert scored["year"] == 2024


@pytest.mark.parametrize("year", ["2023", "24", "2204"])
def test_a_year_with_nothing_is_an_error_naming_the_years(example_copy: Path, year: str) -> None:
    result = invoke(["score", str(example_copy), "--year", year], exit_code=1)
    assert f"năm {year} không chấm được" in result.stderr
    assert "năm có hồ sơ: 2024; năm đã gán khung: 2024" in result.stderr


def test_default_year_is_explained_in_the_title(example_copy: Path) -> None:
    result = invoke(["score", str(example_copy)])
    assert "năm gần nhất có hồ sơ và khung tiêu chí; chọn năm khác bằng --year" in result.stdout


@pytest.mark.parametrize("command", ["score", "explain"])
def test_month_takes_both_forms(example_copy: Path, command: str) -> None:
    def run(month: str) -> str:
        if command == "score":
            return invoke(["score", str(example_copy), "--month", month, "--format", "json"]).stdout
        return invoke(["explain", "pa-vi", "--dir", str(example_copy), "--month", month]).stdout

    assert run("6") == run("2024-06")
    invoke(["score", str(example_copy), "--year", "2024", "--month", "2023-06"], exit_code=2)
    invoke(["score", str(example_copy), "--month", "13"], exit_code=2)


def test_mid_year_ratings_are_provisional_not_kem(example_copy: Path) -> None:
    data = json.loads(invoke(["score", str(example_copy), "--month", "6", "--format", "json"]).stdout)
    on_track = [u for u in data["units"] if u["status"] == "in_progress"]
    assert on_track
    for unit in on_track:
        assert unit["provisional"] is True
        assert unit["rating"] != "Kém", unit["id"]
        if unit["kind"] != "dang_bo_co_so":  # judged once a year on its year record: nothing to project
            assert unit["projected_total"] > unit["total"]
    assert any(u["kind"] == "dang_bo_co_so" for u in on_track)  # its share of cells is not known yet
    table = invoke(["score", str(example_copy), "--month", "6"]).stdout
    assert "(tạm tính)" in table
    # only the cell that is really behind (its name may wrap in the table: split where it starts)
    assert "Kém" not in table.split("Chi bộ thôn Xín")[0]
    assert "Tạm tính đến hết tháng 6:" in table
    full = json.loads(invoke(["score", str(example_copy), "--format", "json"]).stdout)
    assert all(u["provisional"] is False for u in full["units"])


def test_cells_not_scored_are_named_everywhere(example_copy: Path, tmp_path: Path) -> None:
    broken = example_copy / "records/2024/xin-chai/2024-03.yaml"
    broken.write_text("unit: [\n", encoding="utf-8")
    scored = invoke(["score", str(example_copy), "--format", "json", "--keep-going"], exit_code=1)
    data = json.loads(scored.stdout)
    assert str(example_copy) not in scored.stdout  # every path relative to the workspace
    assert "records/2024/xin-chai/2024-03.yaml" in {p["path"] for p in data["problems"]}
    assert data["not_scored"] == [
        {
            "id": "xin-chai",
            "name": "Chi bộ thôn Xín Chải",
            "reason": "hồ sơ có lỗi",
            "files": ["records/2024/xin-chai/2024-03.yaml"],
        }
    ]
    out = tmp_path / "out"
    invoke(["report", str(example_copy), *GAPPY, "--out", str(out), "--keep-going", "--allow-incomplete"], 1)
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    word = docx_text(out / "bao-cao-chi-bo-4-tot-2024.docx")
    for text in (md, word):
        assert "Số liệu trên chưa tính 1 chi bộ chưa được chấm điểm" in text
        assert "Chi bộ thôn Xín Chải (xin-chai) chưa được chấm điểm: hồ sơ có lỗi" in text
        assert "records/2024/xin-chai/2024-03.yaml" in text
        assert str(tmp_path) not in text


def test_every_row_adds_up_and_the_table_explains_itself(example_copy: Path) -> None:
    data = json.loads(invoke(["score", str(example_copy), "--format", "json"]).stdout)
    for unit in data["units"]:
        parts = sum(c["points"] for c in unit["criteria"]) + unit["bonus"] - unit["deductions_off_total"]
        assert round(parts, 2) == unit["total"], unit["id"]
        assert unit["deductions"] == unit["deductions_off_total"] + unit["deductions_in_criteria"]
    table = invoke(["score", str(example_copy)]).stdout
    assert "Thưởng" in table and "Trừ" in table  # the framework has bonus and deductions
    xin_chai = next(line for line in table.splitlines() if "Xín Chải" in line)
    assert "2,00" in xin_chai and "69,67" in xin_chai
    assert "Tốt*" in table
    assert "* Xếp loại đã điều chỉnh theo hạn mức: Số chi bộ xếp loại “Xuất sắc” vượt quá 20%" in table


def test_no_bonus_columns_when_the_framework_has_none(make_ws: Callable[..., Path]) -> None:
    table = invoke(["score", str(make_ws())]).stdout
    assert "Thưởng" not in table and "Trừ" not in table
