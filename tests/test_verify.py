"""Fingerprints in every report, and `chibo4tot verify`: an untouched document matches, an edited
record is named by its cell."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import openpyxl
import pytest

from chibo4tot.report.seal import read_seal
from tests.conftest import REPORT_FILES, invoke

REPORT = ["--year", "2024", "--date", "2025-01-15", "--allow-incomplete"]


def _report_and_export(workspace: Path, out: Path) -> str:
    invoke(["report", str(workspace), *REPORT, "--out", str(out)])
    invoke(["export", str(workspace), "--year", "2024", "--allow-incomplete", "--out", str(out / "kq.json")])
    fingerprint: str = json.loads((out / "kq.json").read_text(encoding="utf-8"))["fingerprint"]
    return fingerprint


def _edit_pa_vi(workspace: Path) -> None:
    record = workspace / "records" / "2024" / "pa-vi" / "2024-03.yaml"
    text = record.read_text(encoding="utf-8")
    assert '"1.2": 4,5 ' in text
    record.write_text(text.replace('"1.2": 4,5 ', '"1.2": 3 '), encoding="utf-8")


def test_every_report_carries_the_fingerprint_of_its_results(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    fingerprint = _report_and_export(example_copy, out)
    line = f"Dấu vân tay kết quả (SHA-256): {fingerprint}"
    md = (out / REPORT_FILES[1]).read_text(encoding="utf-8")
    assert md.rstrip("\n").splitlines()[-1] == line
    for name in REPORT_FILES[2:]:
        document = docx.Document(str(out / name))
        assert document.paragraphs[-1].text == line
        assert document.core_properties.identifier == fingerprint
    workbook = openpyxl.load_workbook(out / REPORT_FILES[0])
    props = {p.name: p.value for p in workbook.custom_doc_props.props}
    assert props["chibo4tot-fingerprint"] == fingerprint
    assert props["chibo4tot-year"] == "2024"
    summary = workbook.worksheets[0]
    assert [c.value for c in summary["A"] if c.value][-1] == line
    for name in REPORT_FILES:
        seal = read_seal(out / name)
        assert seal is not None and seal.fingerprint == fingerprint
        assert len(seal.cells) == 12 and "pa-vi" in seal.cells  # 11 cells and the đảng bộ


def test_an_untouched_report_verifies_and_an_edited_record_is_named(
    example_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _report_and_export(example_copy, out)
    for name in [*REPORT_FILES, "kq.json"]:
        result = invoke(["verify", str(out / name), str(example_copy)])
        assert "khớp với hồ sơ hiện tại" in result.stdout
    _edit_pa_vi(example_copy)
    for name in [*REPORT_FILES, "kq.json"]:
        result = invoke(["verify", str(out / name), str(example_copy)], exit_code=1)
        assert (
            "không còn khớp với hồ sơ hiện tại: 1 chi bộ đã thay đổi: Chi bộ thôn Pả Vi (pa-vi)"
            in result.stderr
        )
    # The export alone still matches its own content: it was not edited, the records were.
    assert "nội dung khớp" in invoke(["verify", str(out / "kq.json")]).stdout


def test_a_removed_cell_and_a_changed_header_are_told(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(["report", str(example_copy), *REPORT, "--out", str(out), "--format", "md"])
    config = example_copy / "chibo4tot.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace(
            "superior: Đảng bộ huyện Mèo Vạc", "superior: Huyện ủy khác"
        ),
        encoding="utf-8",
    )
    result = invoke(["verify", str(out / REPORT_FILES[1]), str(example_copy)], exit_code=1)
    assert "phần chung đã thay đổi" in result.stderr


def test_an_edited_export_is_caught_by_its_own_fingerprint(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(
        ["export", str(example_copy), "--year", "2024", "--allow-incomplete", "--out", str(out / "kq.json")]
    )
    data = json.loads((out / "kq.json").read_text(encoding="utf-8"))
    data["units"][1]["total"] = 99
    (out / "sua.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = invoke(["verify", str(out / "sua.json")], exit_code=1)
    assert "tệp đã bị sửa sau khi xuất" in result.stderr
    assert "Chi bộ khu Biểu Nghi (khu-bieu-nghi)" in result.stderr
    data["units"][1]["total"] = "chín mươi"
    (out / "sai.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = invoke(["verify", str(out / "sai.json")], exit_code=1)
    assert "units[1].total" in result.stderr


@pytest.mark.parametrize("content", [b"# B\xc3\xa1o c\xc3\xa1o\n", b"PK\x03\x04 not a zip"])
def test_a_document_without_a_fingerprint_is_refused(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / ("a.md" if content.startswith(b"#") else "a.xlsx")
    path.write_bytes(content)
    result = invoke(["verify", str(path), str(tmp_path)], exit_code=1)
    assert "không mang dấu vân tay kết quả" in result.stderr


def test_the_word_document_declares_its_custom_properties(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke(["report", str(example_copy), *REPORT, "--out", str(out), "--format", "docx"])
    with zipfile.ZipFile(out / REPORT_FILES[2]) as archive:
        assert b"/docProps/custom.xml" in archive.read("[Content_Types].xml")
        assert b"docProps/custom.xml" in archive.read("_rels/.rels")


def test_a_report_made_in_english_verifies_in_the_language_it_was_made_in(
    example_copy: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    invoke(["--lang", "en", "report", str(example_copy), *REPORT, "--out", str(out), "--format", "md"])
    seal = read_seal(out / REPORT_FILES[1])
    assert seal is not None and seal.language == "en"
    assert (
        "khớp với hồ sơ hiện tại" in invoke(["verify", str(out / REPORT_FILES[1]), str(example_copy)]).stdout
    )
    _edit_pa_vi(example_copy)
    result = invoke(["verify", str(out / REPORT_FILES[1]), str(example_copy)], exit_code=1)
    assert "Chi bộ thôn Pả Vi (pa-vi)" in result.stderr


def test_a_report_whose_last_year_changed_no_longer_verifies(example_copy: Path, tmp_path: Path) -> None:
    """A report prints last year's figures beside this year's (history/ or last year's records):
    they are not in the results' fingerprint (an export holds its own year), so the report carries
    them apart and verify tells when they changed; the fingerprint and the cells are still those of
    the export, and an old report (without that part) is checked as before."""
    from tests.test_year_over_year import HISTORY, _edit_json, _refit

    out = tmp_path / "out"
    fingerprint = _report_and_export(example_copy, out)
    for name in REPORT_FILES:
        seal = read_seal(out / name)
        assert seal is not None and seal.fingerprint == fingerprint and len(seal.previous) == 64
    old = out / "cu.md"  # as a report made before the seal carried last year
    text = (out / REPORT_FILES[1]).read_text(encoding="utf-8")
    old.write_text(re.sub(r" previous=[0-9a-f]{64}", "", text), encoding="utf-8")
    assert read_seal(old) is not None and read_seal(old).previous == ""  # type: ignore[union-attr]

    def lower_a_total(data: dict[str, Any]) -> None:  # the rating, the verdict and streaks stay
        unit = next(u for u in data["units"] if u["id"] == "xin-chai")
        unit["total"] -= 1
        _refit(data)

    _edit_json(example_copy / HISTORY, lower_a_total)
    for name in REPORT_FILES:
        result = invoke(["verify", str(out / name), str(example_copy)], exit_code=1)
        assert "kết quả năm 2023 in trong tài liệu" in result.stderr
        assert "chi bộ đã thay đổi" not in result.stderr  # this year's results are the same
    assert "khớp với hồ sơ hiện tại" in invoke(["verify", str(old), str(example_copy)]).stdout
    assert "nội dung khớp" in invoke(["verify", str(out / "kq.json")]).stdout


def test_the_seal_of_last_year_covers_what_is_printed_not_where_it_came_from(example_copy: Path) -> None:
    """Last year's figures from its export or from its records (the same figures): the same digest."""
    import dataclasses

    from chibo4tot.results.evaluate import evaluate
    from chibo4tot.results.export import previous_digest

    results = evaluate(example_copy, 2024).results
    assert results.previous is not None and results.previous.source == "export"
    digest = previous_digest(results)
    results.previous = dataclasses.replace(results.previous, source="records")
    assert previous_digest(results) == digest
    results.previous = dataclasses.replace(
        results.previous, cells=dataclasses.replace(results.previous.cells, units=10)
    )
    assert previous_digest(results) != digest
