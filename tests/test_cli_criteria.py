"""``criteria show`` (terminal, Markdown, Word) and ``criteria diff`` through the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.results.fwterms import describe_chain, removed_items
from chibo4tot.results.fwterms.outline import outline
from chibo4tot.results.fwterms.words import points
from tests.conftest import EXAMPLE, REPO, invoke, mini_workspace
from tests.docx_dump import dump
from tests.test_report_word import needs_office, pdf_pages

GOLDEN = REPO / "tests" / "golden"
SHIPPED = {fid: lf.framework for fid, lf in load_frameworks(None, []).items()}
DATE = "2025-01-15"


def flat(text: str) -> str:
    return " ".join(text.split())


# ── on the terminal ───────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_show_prints_every_indicator_with_its_points(fid: str) -> None:
    shown = flat(invoke(["criteria", "show", fid]).stdout)
    for _criterion, ind in SHIPPED[fid].all_indicators():
        assert f"{ind.id}. {flat(ind.name)} — {points(ind.points)}" in shown, ind.id
    for criterion in SHIPPED[fid].criteria:
        assert f"Tiêu chí {criterion.id}. {criterion.name} — {points(criterion.max_points)}" in shown


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_show_in_a_pipe_at_60_columns_wraps_and_cuts_nothing(fid: str, tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "60", "CHIBO4TOT_LANG": "vi"}
    done = subprocess.run(
        [sys.executable, "-m", "chibo4tot", "criteria", "show", fid],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=tmp_path,
        check=True,
    )
    lines = done.stdout.splitlines()
    assert max(len(line) for line in lines) <= 60
    shown = flat(done.stdout.replace("✱", " "))
    described = describe_chain(SHIPPED, fid)
    extends = SHIPPED[fid].extends
    parent = describe_chain(SHIPPED, extends) if extends else None
    for line in outline(described, removed_items(described, parent)):
        assert flat(line.text) in shown, line.text  # every line of the framework, whole


def test_show_marks_what_the_child_sets_itself() -> None:
    out = invoke(["criteria", "show", "quang-ninh-2024"]).stdout
    assert "✱ đánh dấu nội dung riêng của quang-ninh-2024" in flat(out)
    marked = [line for line in out.splitlines() if line.startswith("✱")]
    assert any("Ngưỡng đạt: từ 85% trở lên" in line for line in marked)
    assert any("4.6. Đảng viên sử dụng thường xuyên" in line for line in marked)
    assert not any("1.1. Lãnh đạo thực hiện" in line for line in marked)
    assert "✱" not in invoke(["criteria", "show", "mac-dinh-2024"]).stdout  # nothing to tell apart


def test_show_takes_the_workspace_as_a_positional_folder(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    assert "Khung thử nghiệm" in invoke(["criteria", "show", "mini-2024", str(root)]).stdout
    assert "Khung thử nghiệm" in invoke(["criteria", "show", "mini-2024", "--dir", str(root)]).stdout
    invoke(["criteria", "show", "mini-2024", str(root), "--format", "pdf"], exit_code=2)
    refused = invoke(["criteria", "show", "mini-2024", str(root), "--out", str(root / "x.txt")], exit_code=2)
    assert "--out chỉ dùng với --format md hoặc docx" in refused.stderr
    assert not (root / "x.txt").exists()


# ── the "Bộ tiêu chí" document ───────────────────────────────────────────────────────────────


def _check_golden(path: Path, text: str, update: bool) -> None:
    if update:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, "run pytest --update-golden and review the diff"


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_markdown_document_matches_golden(fid: str, update_golden: bool, tmp_path: Path) -> None:
    text = invoke(["criteria", "show", fid, str(tmp_path), "--format", "md", "--date", DATE]).stdout
    _check_golden(GOLDEN / f"criteria-{fid}.md", text, update_golden)
    assert "| **Tổng cộng** |" in text and "| **100** |" in text


@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_word_document_matches_golden(fid: str, update_golden: bool, tmp_path: Path) -> None:
    out = tmp_path / "bo-tieu-chi.docx"
    written = invoke(
        ["criteria", "show", fid, str(tmp_path), "--format", "docx", "--out", str(out), "--date", DATE]
    )
    assert written.stdout.strip().endswith("bo-tieu-chi.docx")
    text = dump(out.read_bytes())
    _check_golden(GOLDEN / f"criteria-{fid}.docx.txt", text, update_golden)
    assert "page: 21.00 x 29.70 cm" in text and "font: Times New Roman 14" in text


def test_documents_carry_the_workspace_header(tmp_path: Path) -> None:
    md = invoke(["criteria", "show", "ha-giang-2024", str(EXAMPLE), "--format", "md", "--date", "2025-02-05"])
    assert "| **ĐẢNG ỦY XÃ THƯỢNG PHÙNG** |  |" in md.stdout
    assert "*Thượng Phùng, ngày 05 tháng 02 năm 2025*" in md.stdout
    assert "3\\.6 | Lãnh đạo giữ vững an ninh chính trị" in md.stdout  # the example's own indicator
    out = tmp_path / "x.docx"
    invoke(["criteria", "show", "ha-giang-2024", str(EXAMPLE), "--format", "docx", "--out", str(out)])
    text = dump(out.read_bytes()).replace("\u00a0", " ")  # the header glues a name's words
    assert "ĐẢNG BỘ HUYỆN MÈO VẠC" in text and "ĐẢNG CỘNG SẢN VIỆT NAM" in text


def test_without_a_workspace_the_document_starts_at_its_title(tmp_path: Path) -> None:
    md = invoke(["criteria", "show", "mac-dinh-2024", str(tmp_path), "--format", "md"]).stdout
    assert md.startswith("# BỘ TIÊU CHÍ\n")


def test_document_files_are_written_safely(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    invoke(["criteria", "show", "mac-dinh-2024", "--format", "docx", "--date", DATE])
    target = tmp_path / "bo-tieu-chi-mac-dinh-2024.docx"
    first = target.read_bytes()
    refused = invoke(["criteria", "show", "mac-dinh-2024", "--format", "docx"], exit_code=2)
    assert "thêm --force để ghi đè" in refused.stderr
    invoke(["criteria", "show", "mac-dinh-2024", "--format", "docx", "--date", DATE, "--force"])
    assert target.read_bytes() == first  # same inputs and date: the same bytes


def test_a_document_never_overwrites_the_framework_it_reads(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    source = root / "criteria" / "mini-2024.yaml"
    before = source.read_bytes()
    args = ["criteria", "show", "mini-2024", str(root), "--format", "md", "--out", str(source), "--force"]
    refused = invoke(args, exit_code=2)
    assert "không ghi đè lên tệp khung tiêu chí đang đọc" in refused.stderr
    assert source.read_bytes() == before


def test_a_broken_workspace_file_stops_the_document(make_ws: Callable[..., Path]) -> None:
    tree: dict[str, Any] = mini_workspace()
    tree["chibo4tot.yaml"]["place"] = ""
    root = make_ws(tree)
    result = invoke(["criteria", "show", "mini-2024", str(root), "--format", "md"], exit_code=1)
    assert "chibo4tot.yaml" in result.stderr and "lỗi" in result.stderr


# ── criteria diff ─────────────────────────────────────────────────────────────────────────────

RAISED = {
    "id": "tinh-2024",
    "extends": "mac-dinh-2024",
    "title": "Khung của tỉnh",
    "criteria": [
        {"id": "2", "indicators": [{"id": "2.1", "indicators": [{"id": "2.1.3", "target": 0.9}]}]},
    ],
    "gates": [{"id": "ty-le-dang-vien", "min_share": 0.9}],
}


def test_diff_in_the_users_terms(make_ws: Callable[..., Path]) -> None:
    tree = mini_workspace()
    tree["criteria/tinh-2024.yaml"] = RAISED
    root = make_ws(tree)
    out = invoke(["criteria", "diff", "tinh-2024", "--dir", str(root)]).stdout
    assert "Ngưỡng đạt: trên 85% → trên 90%" in out
    assert "~ Điều kiện ty-le-dang-vien. Từ 80% đảng viên hoàn thành tốt nhiệm vụ trở lên" in out
    assert "từ 80% đảng viên trở lên" in out and "→ từ 90% đảng viên trở lên" in out
    two = invoke(["criteria", "diff", "mac-dinh-2024", "tinh-2024", "--dir", str(root)]).stdout
    assert two == out


def test_diff_as_markdown_for_a_merge_request() -> None:
    out = invoke(["criteria", "diff", "mac-dinh-2024", "quang-ninh-2024", "--format", "md"]).stdout
    assert out.startswith("### So sánh khung tiêu chí mac-dinh-2024 → quang-ninh-2024: ")
    assert "| Mục | Nội dung | Trước | Sau |" in out
    assert "| Chỉ tiêu 2.1.3 | Ngưỡng đạt | trên 85% | từ 85% trở lên |" in out
    assert "| Chỉ tiêu 4.6 | **Thêm** | — |" in out
    assert "| Chỉ tiêu 1.4 | **Bỏ** |" in out
    invoke(["criteria", "diff", "mac-dinh-2024", "quang-ninh-2024", "--format", "docx"], exit_code=2)


# ── laid out by LibreOffice ──────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def framework_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str]]]:
    folder = tmp_path_factory.mktemp("bo-tieu-chi")
    docs = {}
    for fid in SHIPPED:
        out = folder / f"{fid}.docx"
        invoke(["criteria", "show", fid, str(folder), "--format", "docx", "--out", str(out), "--date", DATE])
        docs[fid] = out.read_bytes()
    return pdf_pages(docs, folder)


@needs_office
@pytest.mark.parametrize("fid", sorted(SHIPPED))
def test_libreoffice_lays_the_table_out_whole(fid: str, framework_pdfs: dict[str, list[Any]]) -> None:
    pages = framework_pdfs[fid]
    assert [footer for _text, footer in pages] == ["", *(str(k) for k in range(2, len(pages) + 1))]
    lines = [[line.strip() for line in text.splitlines()] for text, _footer in pages]
    table_pages = [page for page in lines if "Tiêu chí, chỉ tiêu và cách chấm" in page]
    assert len(table_pages) >= 2  # the header row is repeated on every page of the table
    for page in table_pages:
        assert "Điểm tối đa" in page  # the points column is wide enough for its header on one line
    every = [line for page in lines for line in page]
    for _criterion, ind in SHIPPED[fid].all_indicators():
        assert ind.id in every, ind.id
    assert "Tổng cộng" in every and "100" in every
