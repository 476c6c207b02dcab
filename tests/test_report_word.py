"""The Word report and recognition list, read back with python-docx (page, fonts, header, tables, bytes)
and, where LibreOffice is installed, laid out as PDF (signature on one page, page numbers, header)."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm

from chibo4tot.report import word
from chibo4tot.report.context import ReportContext, build_context
from chibo4tot.report.docx_base import BODY_PT, TEXT_WIDTH_CM, new_document, to_bytes
from chibo4tot.report.fit import break_costs, layout_header, split_lines, width_cm
from chibo4tot.report.text import build_header, build_report_text
from chibo4tot.report.text_lists import Table, recognition_table
from chibo4tot.report.word import render_docx, render_recognition_list_docx
from chibo4tot.results.evaluate import evaluate
from chibo4tot.scoring.results import UnitResult
from tests.conftest import EXAMPLE
from tests.test_report_markdown import DATE, meo_vac, synthetic, unit_result


@pytest.fixture(scope="module")
def example() -> ReportContext:
    return build_context(evaluate(EXAMPLE, 2024), DATE)


@pytest.fixture(scope="module")
def report(example: ReportContext) -> Any:
    return Document(io.BytesIO(render_docx(example)))


@pytest.fixture(scope="module")
def recognition_list(example: ReportContext) -> Any:
    return Document(io.BytesIO(render_recognition_list_docx(example)))


def texts(doc: Any) -> list[str]:
    return [p.text for p in doc.paragraphs]


def plain(text: str) -> str:
    """No-break spaces read as spaces (the header glues the words of a name with them)."""
    return text.replace("\u00a0", " ")


def rows(table: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def cm(length: int) -> float:
    return round(length / Cm(1), 2)


@pytest.mark.parametrize("which", ["report", "recognition_list"])
def test_a4_margins_and_times_new_roman_14(which: str, request: pytest.FixtureRequest) -> None:
    doc = request.getfixturevalue(which)
    section = doc.sections[0]
    assert (cm(section.page_width), cm(section.page_height)) == (21.0, 29.7)
    assert [cm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin)] == [2, 2, 3]
    assert 1.5 <= cm(section.right_margin) <= 2
    normal = doc.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    assert normal.font.size.pt == 14
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        assert fonts.get(qn(f"w:{attr}")) == "Times New Roman"
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:rFonts"))
    assert defaults.get(qn("w:eastAsia")) == "Times New Roman"
    assert defaults.get(qn("w:eastAsiaTheme")) is None
    # No run picks another font.
    assert all(run.font.name is None for p in doc.paragraphs for run in p.runs)


def test_two_column_header_without_borders(report: Any, recognition_list: Any) -> None:
    for doc in (report, recognition_list):
        header = doc.tables[0]
        borders = header._tbl.tblPr.find(qn("w:tblBorders"))
        assert borders is not None and {el.get(qn("w:val")) for el in borders} == {"nil"}
        left, right = header.rows[0].cells
        assert [plain(p.text) for p in left.paragraphs][:3] == [
            "ĐẢNG BỘ HUYỆN MÈO VẠC",
            "ĐẢNG ỦY XÃ THƯỢNG PHÙNG",  # on one line: the left column is widened for it
            "*",
        ]
        assert left.paragraphs[1].runs[0].bold
        party, _blank, date_line = right.paragraphs
        assert party.text == "ĐẢNG CỘNG SẢN VIỆT NAM"
        assert party.runs[0].bold and party.runs[0].underline
        assert plain(date_line.text) == "Thượng Phùng, ngày 05 tháng 02 năm 2025"
        assert round(sum(cm(c.width) for c in header.rows[0].cells), 2) == TEXT_WIDTH_CM
        assert cm(left.width) >= 7.0
        assert date_line.runs[0].italic
    number = report.tables[0].rows[0].cells[0].paragraphs[3].text
    assert number.startswith("Số \u00a0") and number.endswith("-BC/ĐU")
    assert len(recognition_list.tables[0].rows[0].cells[0].paragraphs) == 3  # the decision carries the number


def test_report_title_sections_and_tables(report: Any, example: ReportContext) -> None:
    lines = texts(report)
    title = next(p for p in report.paragraphs if p.text == "BÁO CÁO")
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].bold
    assert "Kết quả đánh giá, công nhận “Chi bộ 4 tốt” năm 2024" in lines
    assert [line.split(".")[0] for line in lines if line.startswith(("I.", "II.", "III.", "IV."))] == [
        "I",
        "II",
        "III",
        "IV",
    ]
    wording = build_report_text(example)
    for line in [*wording.results, *(f"- {x}" for x in wording.strengths + wording.shortcomings)]:
        assert line in lines  # the same wording as the Markdown report
    by_kind = rows(report.tables[1])
    assert by_kind[-1] == ["Tổng cộng", "11", "6", "54,55%"]
    listing = report.tables[2]
    assert rows(listing)[0] == ["STT", "Tên chi bộ", "Điểm", "Xếp loại", "Ghi chú"]
    assert rows(listing)[1][:4] == ["1", "Chi bộ thôn Mã Pì Lèng", "100,87", "Xuất sắc"]
    assert len(listing.rows) == 1 + 6
    assert listing.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert "1. Chi bộ Trạm Y tế xã (91,88 điểm, xếp loại Tốt):" in lines


def test_signature_block(report: Any) -> None:
    left, right = report.tables[-1].rows[0].cells
    assert left.paragraphs[0].text == "Nơi nhận:"
    assert left.paragraphs[-1].text == "- Lưu Văn phòng Đảng ủy."
    signed = [p.text for p in right.paragraphs]
    assert signed[:2] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    assert signed[-1] == "Giàng Mí Sính"


def test_signature_block_stays_on_one_page_with_the_line_above(report: Any) -> None:
    row = report.tables[-1].rows[0]
    assert row._tr.trPr.find(qn("w:cantSplit")) is not None  # the row never breaks across pages
    for cell in row.cells:
        assert all(p.paragraph_format.keep_together for p in cell.paragraphs)
        assert all(p.paragraph_format.keep_with_next for p in cell.paragraphs[:-1])
    # The last line of the report and the blank line after it go to the signature's page with it.
    last_text, blank, seal = report.paragraphs[-3:]
    assert last_text.text.startswith("- ") and blank.text == ""
    assert last_text.paragraph_format.keep_with_next and blank.paragraph_format.keep_with_next
    body = list(report.element.body.iterchildren())
    assert body[-3] is report.tables[-1]._tbl  # nothing between the blank line and the block
    assert body[-2] is seal._p and seal.text.startswith("Dấu vân tay kết quả (SHA-256): ")  # then the seal


@pytest.mark.parametrize("which", ["report", "recognition_list"])
def test_table_rows_never_split(which: str, request: pytest.FixtureRequest) -> None:
    for table in request.getfixturevalue(which).tables:
        assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)


def test_headings_and_cell_names_keep_with_what_follows(report: Any) -> None:
    headings = [p for p in report.paragraphs if re.match(r"(I|II|III|IV|\d)\. ", p.text)]
    assert len(headings) == 4 + 2 + 5  # sections, Ưu điểm / Hạn chế, the cells not recognised
    assert all(p.paragraph_format.keep_with_next for p in headings)


@pytest.mark.parametrize("which", ["report", "recognition_list"])
def test_page_numbers_centred_in_the_footer_from_page_2(which: str, request: pytest.FixtureRequest) -> None:
    section = request.getfixturevalue(which).sections[0]
    assert section.different_first_page_header_footer  # HD 36: page 1 carries no number
    assert not section.first_page_footer.is_linked_to_previous
    assert [p.text for p in section.first_page_footer.paragraphs] == [""]
    footer = section.footer.paragraphs[0]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert [el.text.strip() for el in footer._p.iter(qn("w:instrText"))] == ["PAGE"]
    assert [el.get(qn("w:fldCharType")) for el in footer._p.iter(qn("w:fldChar"))] == [
        "begin",
        "separate",
        "end",
    ]


def test_recognition_list_attached_to_a_decision(recognition_list: Any) -> None:
    lines = texts(recognition_list)
    assert "DANH SÁCH" in lines
    assert "Chi bộ được công nhận “Chi bộ 4 tốt” năm 2024" in lines
    attachment = next(line for line in lines if line.startswith("(Kèm theo Quyết định số"))
    assert "-QĐ/ĐU, ngày" in attachment
    # the last two words held together, so a wrapped line never ends with "Phùng)" alone
    assert attachment.endswith("năm 2025 của Đảng ủy xã Thượng\u00a0Phùng)")
    table = recognition_list.tables[1]
    assert len(table.rows) == 7
    assert [row[1:4] for row in rows(table)[1:]] == [  # ranked: band, then the quota's tie-break
        ["Chi bộ thôn Mã Pì Lèng", "100,87", "Xuất sắc"],
        ["Chi bộ Trường Phổ thông dân tộc bán trú THCS Thượng Phùng", "100,56", "Tốt"],
        ["Chi bộ khu Biểu Nghi", "100,29", "Tốt"],
        ["Chi bộ Trường Tiểu học Thượng Phùng", "99,79", "Tốt"],
        ["Chi bộ Quân sự xã", "99,76", "Tốt"],
        ["Chi bộ Công an xã", "99,74", "Tốt"],
    ]
    assert "Danh sách này có 6 chi bộ./." in lines


def test_342_cells_show_41_52_percent() -> None:
    doc = Document(io.BytesIO(render_docx(meo_vac())))
    lines = texts(doc)
    assert any("142 chi bộ, đạt 41,52%" in line for line in lines)
    assert rows(doc.tables[1])[-1] == ["Tổng cộng", "342", "142", "41,52%"]
    # Cells under 23 đảng bộ: one row each in the body, the lists in appendices after the signature.
    by_parent = rows(doc.tables[2])
    assert by_parent[0][4] == "Tiêu chí nhiều chi bộ chưa đạt nhất (số chi bộ)"
    assert by_parent[-1] == ["Tổng cộng", "342", "142", "41,52%", "1 (200); 2 (200)"]
    assert "Danh sách 142 chi bộ tại Phụ lục 1." in lines
    assert "Danh sách 200 chi bộ và lý do của từng chi bộ tại Phụ lục 2." in lines
    titles = [p for p in doc.paragraphs if p.text.startswith("PHỤ LỤC")]
    assert [p.text for p in titles] == ["PHỤ LỤC 1", "PHỤ LỤC 2"]
    assert all(p.paragraph_format.page_break_before for p in titles)  # each on a page of its own
    listed = doc.tables[4:]  # tables: header, by kind, by đảng bộ, signature, then one per đảng bộ
    assert sum(len(t.rows) - 1 for t in listed) == 142
    assert [r[0] for t in listed for r in rows(t)[1:]] == [str(i) for i in range(1, 143)]  # numbered through


def test_copied_rows_are_the_rows_python_docx_builds() -> None:
    """A long table's body rows after the first are copies (word._copy_rows): each must read back as
    if python-docx had built it, texts, empty cells (no run), alignment and size included."""
    rows = [
        ["1", "Chi bộ một", "98,00", "Tốt", ""],
        ["2", "Chi bộ\thai\ndòng", "97,50", "", "Điều chỉnh theo hạn mức"],
        ["3", "  cách  ", "", "Khá", "ghi\x01chú"],
    ]
    built = [Document(io.BytesIO(render_table(Table(COLUMNS, [row])))).tables[0] for row in rows]
    copied = Document(io.BytesIO(render_table(Table(COLUMNS, rows)))).tables[0]

    def shape(row: Any) -> list[tuple[str, Any, list[tuple[Any, Any]]]]:
        return [
            (c.text, c.paragraphs[0].alignment, [(r.font.size, r.bold) for r in c.paragraphs[0].runs])
            for c in row.cells
        ]

    assert [shape(r) for r in copied.rows[1:]] == [shape(t.rows[1]) for t in built]
    assert copied.rows[2].cells[1].text == "Chi bộ\thai\ndòng"
    assert copied.rows[2].cells[3].paragraphs[0].runs == []  # an empty cell holds no run
    assert copied.rows[3].cells[4].text == "ghi␁chú"  # controls shown, as everywhere else
    assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in copied.rows)


COLUMNS = ["STT", "Tên chi bộ", "Điểm", "Xếp loại", "Ghi chú"]


def render_table(table: Table) -> bytes:
    doc = new_document(DATE, "bảng")
    word._table(doc, table, word.LIST_WIDTHS, "clrll")
    return to_bytes(doc, DATE)


def test_user_text_comes_through_literally() -> None:
    name = '=HYPERLINK("http://x") | *Bản* <b>'
    ctx = synthetic([unit_result("a", name=name), unit_result("b", recognised=False, name="+1 | =2")])
    doc = Document(io.BytesIO(render_docx(ctx)))
    assert rows(doc.tables[2])[1][1] == name
    assert "1. +1 | =2 (72,00 điểm, xếp loại Kém):" in texts(doc)
    listing = Document(io.BytesIO(render_recognition_list_docx(ctx)))
    assert rows(listing.tables[1])[1][1] == name


def test_list_ranks_by_band_then_the_framework_tie_break(example: ReportContext) -> None:
    def cell(uid: str, name: str, total: str, rating: str) -> UnitResult:
        return dataclasses.replace(unit_result(uid, name=name), total=Decimal(total), rating=rating)

    cells = [
        cell("d", "Chi bộ D", "99", "Tốt"),
        cell("b", "Chi bộ Z", "100", "Tốt"),  # kept below a lower "Xuất sắc": the quota demoted it
        cell("a", "Chi bộ A", "98", "Xuất sắc"),
        cell("c", "Chi bộ Ă", "100", "Tốt"),  # same points as b
    ]
    with_framework = dataclasses.replace(synthetic(cells), framework=example.framework)
    # mac-dinh-2024's quota breaks ties by total, then criterion 2 (equal here), then id.
    names = ["Chi bộ A", "Chi bộ Z", "Chi bộ Ă", "Chi bộ D"]
    assert [row[1] for row in recognition_table(with_framework).rows] == names
    listing = Document(io.BytesIO(render_recognition_list_docx(with_framework)))
    assert [row[1] for row in rows(listing.tables[1])[1:]] == names
    # Without a framework (no quota declared) equal totals fall back to the name, in Vietnamese order.
    assert [row[1] for row in recognition_table(synthetic(cells[1::2])).rows] == ["Chi bộ Ă", "Chi bộ Z"]
    numbered = [cell(f"t{n}", f"Chi bộ tổ dân phố số {n}", "99", "Tốt") for n in (10, 2, 1)]
    assert [row[1][-2:] for row in recognition_table(synthetic(numbered)).rows] == [" 1", " 2", "10"]


def test_mid_year_list_says_on_track_not_recognised() -> None:
    ctx = synthetic([unit_result("a", as_of=6, status="in_progress")], as_of=6)
    lines = texts(Document(io.BytesIO(render_recognition_list_docx(ctx))))
    assert "Chi bộ đang đạt yêu cầu “Chi bộ 4 tốt” năm 2024 (tính đến hết tháng 6)" in lines


def test_same_inputs_and_date_give_the_same_bytes(example: ReportContext) -> None:
    assert render_docx(example) == render_docx(example)
    assert render_recognition_list_docx(example) == render_recognition_list_docx(example)
    props = Document(io.BytesIO(render_docx(example))).core_properties
    assert props.author == props.last_modified_by == "chibo4tot"
    assert props.created.date() == props.modified.date() == DATE
    assert props.title == "Kết quả đánh giá, công nhận “Chi bộ 4 tốt” năm 2024"


# ── the header: columns sized to the names, names broken where a reader would ──────────────────

LONG_NAMES: dict[str, Any] = {
    "name": "Đảng bộ phường Thanh Xuân Trung",
    "superior": "Đảng bộ quận Thanh Xuân, thành phố Hà Nội",
    "issuing_body": "Đảng ủy phường Thanh Xuân Trung",
    "abbreviation": "ĐU",
    "place": "Thanh Xuân Trung",
    "signer": {"on_behalf": "T/M ĐẢNG ỦY", "position": "BÍ THƯ", "name": "Nguyễn Thị Thanh Hương"},
    "recipients": [
        "Ban Thường vụ Quận ủy Thanh Xuân (để báo cáo)",
        "Ban Tổ chức Quận ủy Thanh Xuân (để báo cáo)",
        "Các chi bộ trực thuộc (để thực hiện)",
    ],
}


def long_names(cells: int) -> ReportContext:
    """A ward with long names and ``cells`` cells, every third one not recognised."""
    units = [
        unit_result(f"to-{i:03d}", name=f"Chi bộ tổ dân phố số {i}", recognised=i % 3 != 0)
        for i in range(1, cells + 1)
    ]
    return synthetic(units, **LONG_NAMES)


def test_long_names_break_between_body_and_place_and_fit_their_columns() -> None:
    h = build_header(long_names(1))
    layout = layout_header(h, TEXT_WIDTH_CM, BODY_PT)
    assert [plain(x) for x in layout.superior] == ["ĐẢNG BỘ QUẬN THANH XUÂN,", "THÀNH PHỐ HÀ NỘI"]
    assert [plain(x) for x in layout.issuing_body] == ["ĐẢNG ỦY PHƯỜNG", "THANH XUÂN TRUNG"]
    # The names take the room; the date line then breaks after the place, never inside the date.
    assert [plain(x) for x in layout.date_line] == ["Thanh Xuân Trung,", "ngày 05 tháng 02 năm 2025"]
    left, right = layout.widths
    assert round(left + right, 2) == TEXT_WIDTH_CM
    assert max(width_cm(x, BODY_PT) for x in layout.superior) <= left
    assert max(width_cm(x, BODY_PT, "bold") for x in layout.issuing_body) <= left
    assert max(width_cm(x, BODY_PT, "italic") for x in layout.date_line) <= right
    # Words of a name are glued: if Word still found a line too wide, it could only break elsewhere.
    assert layout.issuing_body[1] == "THANH\u00a0XUÂN\u00a0TRUNG"


def test_header_cells_carry_the_chosen_lines() -> None:
    doc = Document(io.BytesIO(render_docx(long_names(3))))
    left, right = doc.tables[0].rows[0].cells
    assert [plain(p.text) for p in left.paragraphs][:2] == [
        "ĐẢNG BỘ QUẬN THANH XUÂN,\nTHÀNH PHỐ HÀ NỘI",
        "ĐẢNG ỦY PHƯỜNG\nTHANH XUÂN TRUNG",
    ]
    assert plain(right.paragraphs[2].text) == "Thanh Xuân Trung,\nngày 05 tháng 02 năm 2025"


@pytest.mark.parametrize(
    ("name", "room", "lines"),
    [
        ("ĐẢNG BỘ THÀNH PHỐ HỒ CHÍ MINH", 6.0, ["ĐẢNG BỘ THÀNH PHỐ", "HỒ CHÍ MINH"]),
        ("ĐẢNG ỦY XÃ THƯỢNG PHÙNG", 5.0, ["ĐẢNG ỦY XÃ", "THƯỢNG PHÙNG"]),
        ("ĐẢNG UỶ PHƯỜNG THANH XUÂN TRUNG", 6.0, ["ĐẢNG UỶ PHƯỜNG", "THANH XUÂN TRUNG"]),  # old-style tone
        ("HUYỆN ỦY MÈO VẠC", 4.0, ["HUYỆN ỦY", "MÈO VẠC"]),
        ("ĐẢNG BỘ HUYỆN MÈO VẠC", 7.0, ["ĐẢNG BỘ HUYỆN MÈO VẠC"]),
    ],
)
def test_names_break_at_the_least_bad_place(name: str, room: float, lines: list[str]) -> None:
    assert [plain(x) for x in split_lines(name, BODY_PT, "bold", room)] == lines


def test_a_break_inside_a_place_name_costs_most() -> None:
    words = ["ĐẢNG", "BỘ", "QUẬN", "THANH", "XUÂN,", "THÀNH", "PHỐ", "HÀ", "NỘI"]
    # a break after:  ĐẢNG BỘ QUẬN THANH XUÂN, THÀNH PHỐ HÀ
    assert break_costs(words) == [2, 1, 1, 2, 0, 2, 1, 2]
    assert width_cm("Ư", 14) > width_cm("U", 14)  # the horn takes room


# ── laid out by LibreOffice ──────────────────────────────────────────────────────────────────

OFFICE = shutil.which("soffice") or shutil.which("libreoffice")
A4_BOTTOM_PT, BOTTOM_MARGIN_PT = 842, 57  # the footer lies below the text area


def pdf_pages(docs: dict[str, bytes], tmp_path: Path) -> dict[str, list[tuple[str, str]]]:
    """Each document converted to PDF in one LibreOffice run: per page, its text and its footer's."""
    assert OFFICE is not None
    for name, data in docs.items():
        (tmp_path / f"{name}.docx").write_bytes(data)
    profile = (tmp_path / "profile").as_uri()
    command = [OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
    sources = [str(tmp_path / f"{name}.docx") for name in docs]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), *sources], check=True, capture_output=True, timeout=240
    )

    def text(pdf: Path, *args: str) -> str:
        return subprocess.run(
            ["pdftotext", *args, str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout

    out = {}
    for name in docs:
        pdf = tmp_path / f"{name}.pdf"
        pages = text(pdf).split("\f")[:-1]
        top = A4_BOTTOM_PT - BOTTOM_MARGIN_PT
        crop = ["-x", "0", "-y", str(top), "-W", "600", "-H", str(BOTTOM_MARGIN_PT)]
        footers = [text(pdf, "-f", str(k), "-l", str(k), *crop).strip() for k in range(1, len(pages) + 1)]
        out[name] = list(zip(pages, footers, strict=True))
    return out


# Cells for which the block "T/M ĐẢNG ỦY … name" fell across pages 2 and 3 before it was kept
# together (18–20), and either side of them, so that the block meets a page boundary.
SIGNATURE_NEAR_A_BOUNDARY = range(15, 23)
needs_office = pytest.mark.skipif(
    not (OFFICE and shutil.which("pdftotext")), reason="LibreOffice or pdftotext absent"
)


@pytest.fixture(scope="module")
def long_name_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[tuple[str, str]]]:
    docs = {f"bao-cao-{n}": render_docx(long_names(n)) for n in SIGNATURE_NEAR_A_BOUNDARY}
    docs["danh-sach"] = render_recognition_list_docx(long_names(120))
    return pdf_pages(docs, tmp_path_factory.mktemp("pdf"))


@needs_office
def test_libreoffice_keeps_the_signature_block_on_one_page(long_name_pdfs: dict[str, list[Any]]) -> None:
    signed_on = set()
    for name, pages in long_name_pdfs.items():
        if not name.startswith("bao-cao"):
            continue
        on = {
            k
            for k, (text, _f) in enumerate(pages, 1)
            for mark in ("Nơi nhận:", "T/M ĐẢNG ỦY")
            if mark in text
        }
        by = {k for k, (text, _f) in enumerate(pages, 1) if "Nguyễn Thị Thanh Hương" in text}
        assert len(on) == 1 and on == by, (name, on, by)  # "T/M ĐẢNG ỦY" and the name on one page
        signed_on |= on
    assert len(signed_on) > 1, "the cases no longer reach a page boundary: move SIGNATURE_NEAR_A_BOUNDARY"


@needs_office
def test_libreoffice_numbers_pages_from_the_second(long_name_pdfs: dict[str, list[Any]]) -> None:
    for name, pages in long_name_pdfs.items():
        assert len(pages) >= 2, name
        assert [footer for _text, footer in pages] == ["", *(str(k) for k in range(2, len(pages) + 1))], name


@needs_office
def test_libreoffice_sets_the_header_names_on_the_chosen_lines(long_name_pdfs: dict[str, list[Any]]) -> None:
    header = layout_header(build_header(long_names(1)), TEXT_WIDTH_CM, BODY_PT)
    for name, pages in long_name_pdfs.items():
        first_page = [line.strip() for line in pages[0][0].splitlines()]
        for line in [*header.superior, *header.issuing_body]:
            assert plain(line) in first_page, (name, line)
        assert not [
            line for line in first_page if line.endswith(("THANH", "XUÂN")) or line.startswith("XUÂN")
        ]


def test_control_characters_in_names_are_shown_not_fatal() -> None:
    # U+0001 in a unit name used to stop the whole report: lxml refuses XML-illegal characters.
    ctx = synthetic(
        [
            unit_result("a", name="Chi bộ \x01A\x1b"),
            unit_result("b", name="Chi bộ \x02B\ufffe\u202eC\x9b", recognised=False),
        ]
    )
    for data in (render_docx(ctx), render_recognition_list_docx(ctx)):
        doc = Document(io.BytesIO(data))
        body = "\n".join(texts(doc)) + "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
        assert "Chi bộ ␁A␛" in body
        assert "\x01" not in body and "\x1b" not in body
    # The same stand-ins as the terminal and Markdown (formatting.CONTROLS): a bidi override or a
    # C1 control is shown, never left to reorder or hide the name.
    assert "Chi bộ ␂B\\ufffe\\u202eC\\x9b" in "\n".join(texts(Document(io.BytesIO(render_docx(ctx)))))
