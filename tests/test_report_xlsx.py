"""The year-end workbook: sheets, headers, number formats, print setup, text kept as text, golden dump."""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import io
import pickle
import shutil
import subprocess
import zipfile
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from chibo4tot.errors import Problem, Severity
from chibo4tot.models.workspace import Unit, WorkspaceConfig
from chibo4tot.report import xlsx_sheet
from chibo4tot.report.context import ReportContext, build_context
from chibo4tot.report.xlsx import build_workbook, render_xlsx, workbook_bytes
from chibo4tot.results.evaluate import evaluate
from chibo4tot.scoring import summarise
from chibo4tot.scoring.results import (
    CriterionResult,
    IndicatorResult,
    LineItem,
    PeriodScore,
    UnitResult,
    YearResults,
)
from tests.conftest import EXAMPLE
from tests.xlsx_dump import dump_workbook, load

GOLDEN = Path(__file__).parent / "golden" / "report-example-2024.xlsx.txt"
DATE = dt.date(2025, 1, 15)
SHEETS = [
    "Tổng hợp",
    "Chi tiết",
    "Theo tháng",
    "Danh sách công nhận",
    "So với năm trước",
    "Đầy đủ hồ sơ",
    "Vấn đề",
    "Biểu đồ",
]
FREEZE = {
    "Tổng hợp": "B5",
    "Chi tiết": "D5",
    "Theo tháng": "D5",
    "So với năm trước": "C5",
    "Đầy đủ hồ sơ": "C5",
}
INJECTION = '=HYPERLINK("http://x","y")'


# --- a synthetic organisation, built without scoring ------------------------------------------------


def config(name: str = "Đảng bộ huyện Thử") -> WorkspaceConfig:
    return WorkspaceConfig.model_validate(
        {
            "id": "dang-bo-thu",
            "name": name,
            "superior": "Tỉnh ủy Thử",
            "issuing_body": "Huyện ủy Thử",
            "abbreviation": "HU",
            "place": "Thử",
            "frameworks": [{"years": [2024], "framework": "thu-2024"}],
        }
    )


@functools.cache  # shared between units: a province of them stays cheap to build
def _indicator(cid: str, review_month: int | None) -> IndicatorResult:
    periods = [
        PeriodScore(
            f"{m:02d}/2024",
            Fraction(1),
            True,
            "Đạt",
            "Đạt / Không đạt",
            Path(f"records/2024/x/2024-{m:02d}.yaml"),
            ("review", "values", f"{cid}.1") if m == review_month else ("assessment", f"{cid}.1"),
        )
        for m in range(1, 13)
    ]
    return IndicatorResult(
        f"{cid}.1", "Chỉ tiêu", Decimal(25), Fraction(25), Fraction(25), False, True, "", periods
    )


def unit_result(
    i: int,
    *,
    recognised: bool,
    parent: str | None = None,
    name: str | None = None,
    reason: str = "Tổng điểm thấp hơn mức công nhận 90 điểm.",
    missing: tuple[int, ...] = (),
    review_month: int | None = None,
    kind: str = "chi_bo_truc_thuoc",
    as_of: int = 12,
) -> UnitResult:
    unit = Unit.model_validate(
        {
            "id": f"chi-bo-{i}",
            "name": name or f"Chi bộ thôn {i}",
            "kind": kind,
            "parent": parent,
        }
    )
    points = Decimal("24.50") if recognised else Decimal("19.25")
    criteria = [
        CriterionResult(
            cid,
            f"Tiêu chí số {cid}",
            Decimal(25),
            Decimal(20),
            Decimal(25),
            Fraction(points),
            Decimal(0),
            points,
            points,
            points >= 20,
            [_indicator(cid, review_month)],
        )
        for cid in ("1", "2", "3", "4")
    ]
    recorded = [m for m in range(1, as_of + 1) if m not in missing]
    return UnitResult(
        unit=unit,
        framework_id="thu-2024",
        framework_title="Khung thử",
        year=2024,
        as_of=as_of,
        months_recorded=recorded,
        months_missing=list(missing),
        criteria=criteria,
        bonus=Decimal("1.00"),
        bonus_items=[],
        deductions=[LineItem("vang", "Vắng không lý do", 1, Decimal("0.50"))],
        total=4 * points + Decimal("0.50"),
        best_total=Decimal(100),
        max_total=Decimal(100),
        min_total=Decimal(90),
        rating="Tốt" if recognised else "Trung bình",
        rating_rule="",
        gates=[],
        status="in_progress" if as_of < 12 else "recognised" if recognised else "not_recognised",
        reasons=[] if recognised else [reason],
        monthly={m: {c: points for c in ("1", "2", "3", "4")} for m in recorded},
        streak=2 if recognised and i % 7 == 0 else int(recognised),
    )


def synthetic_context(
    cells: int, recognised: int, *, parents: int = 1, problems: list[Problem] | None = None, **first: Any
) -> ReportContext:
    """``cells`` chi bộ, the first ``recognised`` of them recognised, spread over ``parents`` đảng bộ."""
    units = [
        unit_result(
            i,
            recognised=i < recognised,
            parent=None if parents == 1 else f"dang-bo-{i % parents}",
            missing=(6, 7) if i % 10 == 9 else (),
            review_month=3 if i % 4 == 0 else None,
            **(first if i == 0 else {}),
        )
        for i in range(cells)
    ]
    results = YearResults(2024, 12, "thu-2024", "Khung thử", units, summarise(units, "dang-bo-thu"))
    return ReportContext(results, config(), DATE, problems or [])


def sheet_rows(ws: Any) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(min_row=5, values_only=True)]


@pytest.fixture(scope="module")
def example_bytes() -> bytes:
    return render_xlsx(build_context(evaluate(EXAMPLE, 2024), DATE))


@pytest.fixture(scope="module")
def example(example_bytes: bytes) -> Any:
    return load(example_bytes)


# --- the example workspace ---------------------------------------------------------------------------


def test_sheets_and_headers(example: Any) -> None:
    assert example.sheetnames == SHEETS
    assert all(len(name) <= 31 for name in example.sheetnames)
    headers = {ws.title: [c.value for c in ws[4] if c.value is not None] for ws in example.worksheets}
    assert headers["Chi tiết"] == [
        "STT", "Mã", "Tên chi bộ", "Loại", "Trực thuộc",
        "Tiêu chí 1", "Tiêu chí 2", "Tiêu chí 3", "Tiêu chí 4",
        "Thưởng", "Trừ", "Tổng điểm", "Xếp loại", "Kết quả", "Lý do",
    ]  # fmt: skip
    assert headers["Danh sách công nhận"] == ["STT", "Tên chi bộ", "Điểm", "Xếp loại", "Ghi chú"]
    assert headers["Vấn đề"] == ["STT", "Tệp", "Dòng", "Cột", "Mức", "Vị trí", "Thông báo"]
    assert headers["Theo tháng"][:4] == ["Mã", "Tên chi bộ", "Tiêu chí", "Tháng 1"]
    assert headers["Đầy đủ hồ sơ"][2:14] == [f"Tháng {m}" for m in range(1, 13)]
    assert headers["Tổng hợp"][:5] == [
        "Đơn vị cấp trên, loại tổ chức đảng", "Số chi bộ", "Được công nhận", "Không được công nhận",
        "Tỉ lệ công nhận",
    ]  # fmt: skip


def test_details_are_real_numbers_with_formats(example: Any) -> None:
    ws = example["Chi tiết"]
    rows = {r[1]: r for r in sheet_rows(ws)}
    assert len(rows) == 11
    xin_chai = rows["xin-chai"]
    assert xin_chai[5:12] == [20.17, 14.75, 17.75, 19, 0, 2, 69.67]  # the row adds up: 3 of the 5 are in TC3
    assert xin_chai[12:14] == ["Trung bình", "Không đạt"]
    assert xin_chai[14].startswith("Tổng điểm 69,67 thấp hơn mức công nhận 90 điểm.")
    assert rows["ma-pi-leng"][13] == "Đạt"
    lung_lau = 5 + list(rows).index("lung-lau")
    assert ws.row_dimensions[lung_lau].height >= 6 * 15.75  # six lines of reasons, at least
    assert ws["O5"].alignment.wrap_text
    first = next(r for r in ws.iter_rows(min_row=5, max_row=5))
    assert [c.number_format for c in first[5:12]] == ["0.00"] * 7
    assert all(c.data_type == "n" for c in first[5:12])


def test_summary_totals_and_rates(example: Any) -> None:
    ws = example["Tổng hợp"]
    total = next(r for r in ws.iter_rows(min_row=5) if r[0].value == "Tổng cộng")
    assert [c.value for c in total[:5]] == ["Tổng cộng", 11, 6, 5, 0.5455]
    assert total[4].number_format == "0.00%"
    assert total[0].font.b


def test_recognition_list_in_units_order(example: Any) -> None:
    rows = sheet_rows(example["Danh sách công nhận"])
    listed = [r for r in rows if isinstance(r[0], int)]
    assert [r[0] for r in listed] == [1, 2, 3, 4, 5, 6]
    assert listed[0][1:4] == ["Chi bộ thôn Mã Pì Lèng", 100.87, "Xuất sắc"]
    assert rows[-1][1] == "Tổng số: 6 chi bộ."
    ws = example["Danh sách công nhận"]
    assert ws.cell(row=ws.max_row, column=2).border.left.style is None  # the count sits below the table
    assert ws["B10"].border.left.style == "thin"


def test_monthly_points_and_completeness_grid(example: Any) -> None:
    monthly = sheet_rows(example["Theo tháng"])
    assert len(monthly) == 11 * 4
    lung_lau = [r for r in monthly if r[0] == "lung-lau"]
    assert [r[2] for r in lung_lau] == ["Tiêu chí 1", "Tiêu chí 2", "Tiêu chí 3", "Tiêu chí 4"]
    assert lung_lau[0][8:11] == [None, None, None]  # June–August: no record
    grid = {r[0]: r for r in sheet_rows(example["Đầy đủ hồ sơ"])}
    assert grid["lung-lau"][2:14] == ["có"] * 5 + ["thiếu"] * 3 + ["có"] * 4
    assert grid["lung-lau"][14:17] == [9, 0, 3]
    assert grid["tram-y-te"][11] == "đã thẩm định"  # October's record has a review block


def test_print_setup_on_every_sheet(example: Any) -> None:
    for ws in example.worksheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.paperSize) == ("landscape", 9), ws.title
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$4:$4", ws.title
        assert ws.freeze_panes == FREEZE.get(ws.title, "A5"), ws.title
        assert ws.oddFooter.center.text == "Trang &P/&N", ws.title


def test_times_new_roman_everywhere(example_bytes: bytes, example: Any) -> None:
    for ws in example.worksheets:
        for row in ws.iter_rows(max_row=8):
            for cell in row:
                assert cell.font.name == "Times New Roman", (ws.title, cell.coordinate)
    with zipfile.ZipFile(io.BytesIO(example_bytes)) as z:
        styles = z.read("xl/styles.xml").decode()
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/")]
    assert "Calibri" not in styles
    assert len(charts) == 2
    assert all('typeface="Times New Roman"' in c for c in charts)


def test_verdicts_coloured_by_conditional_formats(example: Any) -> None:
    ws = example["Chi tiết"]
    rules = {str(cf.sqref): [(r.operator, r.formula) for r in cf.rules] for cf in ws.conditional_formatting}
    assert rules == {"N5:N15": [("equal", ['"Đạt"']), ("equal", ['"Không đạt"'])]}


def test_document_properties_fixed(example: Any) -> None:
    props = example.properties
    assert props.creator == "chibo4tot"
    assert props.created == props.modified == dt.datetime(2025, 1, 15)
    assert props.title == "Kết quả đánh giá “Chi bộ 4 tốt” năm 2024 — Đảng bộ xã Thượng Phùng"


def test_example_matches_golden(example_bytes: bytes, update_golden: bool) -> None:
    text = dump_workbook(example_bytes)
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == text, "run make golden and review the diff"


def test_two_renders_are_identical(example_bytes: bytes) -> None:
    again = render_xlsx(build_context(evaluate(EXAMPLE, 2024), DATE))
    assert dump_workbook(again) == dump_workbook(example_bytes)
    assert again == example_bytes  # entries are dated with the report date, not the clock


# --- synthetic organisations ------------------------------------------------------------------------


def test_the_meo_vac_rate_is_a_formatted_number() -> None:
    wb = load(render_xlsx(synthetic_context(342, 142)))
    total = next(r for r in wb["Tổng hợp"].iter_rows(min_row=5) if r[0].value == "Tổng cộng")
    assert [c.value for c in total[1:5]] == [342, 142, 200, 0.4152]
    assert total[4].data_type == "n"
    assert total[4].number_format == "0.00%"
    assert len(sheet_rows(wb["Danh sách công nhận"])) == 142 + 2


@pytest.mark.parametrize("text", [INJECTION, "+84 912", "-1", "@SUM(A1)", "#N/A"])
def test_user_text_is_stored_as_text(text: str) -> None:
    problems = [Problem(Path("units.yaml"), text, line=3, col=5, severity=Severity.WARNING)]
    ctx = synthetic_context(3, 2, problems=problems, name=text, reason=text)
    wb = load(render_xlsx(ctx))
    checks = [
        wb["Chi tiết"]["C5"],
        wb["Theo tháng"]["B5"],
        wb["Danh sách công nhận"]["B5"],
        wb["Đầy đủ hồ sơ"]["B5"],
        wb["Vấn đề"]["G5"],
    ]
    for cell in checks:
        assert (cell.value, cell.data_type) == (text, "s"), cell.coordinate


def test_injection_in_every_free_text_field() -> None:
    ctx = synthetic_context(2, 0, reason=INJECTION)
    ctx = ReportContext(ctx.results, config(INJECTION), DATE, [Problem(None, INJECTION)])
    reread = load(render_xlsx(ctx))
    for ws in reread.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)
    assert reread["Chi tiết"]["O5"].value == INJECTION
    assert reread["Vấn đề"]["G5"].value == INJECTION
    assert reread["Tổng hợp"]["A6"].value == INJECTION  # the workspace's own đảng bộ as parent


def test_control_characters_are_shown_not_dropped() -> None:
    # As in Word, Markdown and the terminal (formatting.CONTROLS): the reader sees a stand-in and
    # knows the source file has something to fix; a dropped character would hide it.
    wb = load(render_xlsx(synthetic_context(1, 1, name="Chi bộ\x01 thôn\x0b A\u202e")))
    assert wb["Chi tiết"]["C5"].value == "Chi bộ␁ thôn␋ A\\u202e"


def test_problems_sheet_locates_each_problem() -> None:
    problems = [
        Problem(Path("records/2024/a/2024-03.yaml"), "thiếu khóa", ("meeting", "present"), 7, 3),
        Problem(Path("units.yaml"), "chi bộ trùng mã", line=2, col=1, severity=Severity.WARNING),
    ]
    ws = load(render_xlsx(synthetic_context(1, 1, problems=problems)))["Vấn đề"]
    assert sheet_rows(ws) == [
        [1, "records/2024/a/2024-03.yaml", 7, 3, "lỗi", "meeting.present", "thiếu khóa"],
        [2, "units.yaml", 2, 1, "cảnh báo", None, "chi bộ trùng mã"],
    ]


def test_parents_and_their_chart() -> None:
    ctx = synthetic_context(30, 12, parents=3)
    wb = build_workbook(ctx)  # its rows are text from the start: read back from the file
    ws = load(workbook_bytes(wb))["Tổng hợp"]
    parents = [r for r in sheet_rows(ws)[1:4]]
    assert [r[:5] for r in parents] == [
        ["dang-bo-0", 10, 4, 6, 0.4],
        ["dang-bo-1", 10, 4, 6, 0.4],
        ["dang-bo-2", 10, 4, 6, 0.4],
    ]
    charts = wb["Biểu đồ"]._charts
    assert [c.type for c in charts] == ["col", "bar"]
    assert [len(c.series) for c in charts] == [1, 2]


def test_dang_bo_verdicts_beside_their_cells() -> None:
    dang_bo = unit_result(99, recognised=False, kind="dang_bo_co_so", reason="Dưới 2/3 chi bộ đạt.")
    cells = [unit_result(i, recognised=i == 0, parent="chi-bo-99") for i in range(3)]
    units = [dang_bo, *cells]
    results = YearResults(2024, 12, "thu-2024", "Khung thử", units, summarise(units, "dang-bo-thu"))
    ws = load(render_xlsx(ReportContext(results, config(), DATE, [])))["Tổng hợp"]
    rows = sheet_rows(ws)
    assert rows[1][:5] == ["Chi bộ thôn 99", 3, 1, 2, 0.3333]  # its own cells
    assert rows[1][5:] == [77.5, "Trung bình", "Không đạt", "Dưới 2/3 chi bộ đạt."]  # its verdict
    assert ws["F6"].number_format == "0.00"
    assert {str(cf.sqref) for cf in ws.conditional_formatting} == {"H6"}
    assert rows[-1][:5] == ["Đảng bộ cơ sở được đánh giá", 1, 0, 1, 0]


def test_months_not_yet_due_are_left_blank() -> None:
    units = [unit_result(0, recognised=True, as_of=6, review_month=3)]
    results = YearResults(2024, 6, "thu-2024", "Khung thử", units, summarise(units, "dang-bo-thu"))
    wb = load(render_xlsx(ReportContext(results, config(), DATE, [])))
    grid = sheet_rows(wb["Đầy đủ hồ sơ"])[0]
    assert grid[2:14] == ["có", "có", "đã thẩm định", "có", "có", "có", *[None] * 6]
    assert grid[14:] == [6, 1, 0]
    assert sheet_rows(wb["Chi tiết"])[0][13] == "Đang theo dõi"
    assert "số liệu đến tháng 06/2024" in wb["Chi tiết"]["A2"].value


def test_an_empty_year_still_builds() -> None:
    wb = load(render_xlsx(synthetic_context(0, 0)))
    assert wb.sheetnames == SHEETS
    assert sheet_rows(wb["Vấn đề"]) == [[None, "Không có lỗi hoặc cảnh báo.", None, None, None, None, None]]


@pytest.mark.parametrize("which", ["example", "synthetic"])
def test_rows_kept_as_text_are_the_rows_kept_as_cells(which: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each sheet's rows below its header are XML text from the moment they are added (no cell
    objects held until the file is written); kept as openpyxl cells instead, every byte is the same."""
    if which == "example":
        ctx = build_context(evaluate(EXAMPLE, 2024), DATE)
    else:  # user text that XML must escape, controls, a leading space, several parents and problems
        problems = [Problem(Path("a & b.yaml"), "<lỗi> \x01", line=3, col=1), Problem(None, INJECTION)]
        ctx = synthetic_context(12, 5, parents=3, problems=problems, name=" Chi bộ <A> & \x02")
    as_text = render_xlsx(ctx)
    monkeypatch.setattr(xlsx_sheet, "TextRows", lambda ws: None)
    assert render_xlsx(ctx) == as_text


def test_results_from_the_cache_are_read_without_staying_unpacked() -> None:
    """A result read from the cache keeps its bulk (every period, the monthly rows, the gates) packed
    until read; the reports read it through short-lived copies, so it is still packed afterwards:
    unpacked for good, 5,000 cells' periods doubled the memory of ``report``. Same bytes either way."""
    from chibo4tot.report.markdown import render_markdown
    from chibo4tot.report.word import render_docx, render_recognition_list_docx

    ctx = build_context(evaluate(EXAMPLE, 2024), DATE)
    cached = dataclasses.replace(ctx, results=pickle.loads(pickle.dumps(ctx.results, protocol=5)))
    renderers = [render_xlsx, render_docx, render_recognition_list_docx, lambda c: render_markdown(c, None)]
    assert [render(cached) for render in renderers] == [render(ctx) for render in renderers]
    units = cached.results.units
    packed = [*units, *(c for r in units for c in r.criteria)]
    assert packed and all(getattr(result, "_blob", None) is not None for result in packed)


def province(example_ctx: ReportContext, units: int, parents: int = 100) -> ReportContext:
    """The example's real results of cells repeated under new ids until there are ``units`` of them."""
    source = example_ctx.cells
    copies = []
    for i in range(units):
        r = source[i % len(source)]
        unit = r.unit.model_copy(update={"id": f"{r.unit.id}-{i}", "parent": f"dang-bo-{i % parents}"})
        copies.append(dataclasses.replace(r, unit=unit))
    results = dataclasses.replace(example_ctx.results, units=copies, summary=summarise(copies, "dang-bo-thu"))
    return ReportContext(results, example_ctx.config, DATE, example_ctx.problems)


def test_a_province_sized_workbook_keeps_every_row() -> None:
    """Correctness at size only; the timing lives in ``make bench`` (tools/bench.py), never in a test."""
    ctx = province(build_context(evaluate(EXAMPLE, 2024), DATE), 300)
    wb = load(workbook_bytes(build_workbook(ctx)))
    assert wb["Theo tháng"].max_row == 4 + 4 * 300


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice absent")
def test_libreoffice_converts_it_to_pdf(example_bytes: bytes, tmp_path: Path) -> None:
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(example_bytes)
    office = shutil.which("soffice") or shutil.which("libreoffice")
    assert office is not None
    profile = (tmp_path / "profile").as_uri()
    command = [office, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]

    def to_pdf(xlsx: Path) -> bool:
        subprocess.run(
            [*command, "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=240
        )
        pdf = xlsx.with_suffix(".pdf")
        return pdf.is_file() and pdf.read_bytes().startswith(b"%PDF")

    if not to_pdf(source):
        # soffice without Calc (e.g. only libreoffice-writer-nogui) loads no workbook at all:
        # that is this machine, not our file, if it cannot convert the simplest one either.
        simplest = tmp_path / "don-gian.xlsx"
        openpyxl.Workbook().save(simplest)
        if not to_pdf(simplest):
            pytest.skip("LibreOffice cannot open spreadsheets here (no Calc)")
        pytest.fail("LibreOffice converts a plain workbook but not ours")
