"""The Markdown year-end report: golden file, the 41,52% figure, escaping, overrides and the sandbox."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.errors import Problem
from chibo4tot.models.workspace import Unit, WorkspaceConfig
from chibo4tot.report.context import ReportContext, build_context
from chibo4tot.report.markdown import TemplateProblem, md_escape, render_markdown
from chibo4tot.report.sandbox import TemplateLimit
from chibo4tot.report.seal import markdown_seal
from chibo4tot.results.evaluate import evaluate
from chibo4tot.scoring import UnitResult, YearResults, summarise
from chibo4tot.scoring.results import CriterionResult, GateResult
from tests.conftest import EXAMPLE, REPO

GOLDEN = REPO / "tests" / "golden" / "report-example-2024.md"
DATE = dt.date(2025, 2, 5)
ROOT = "dang-bo-huyen-meo-vac"


@pytest.fixture(scope="module")
def example() -> ReportContext:
    return build_context(evaluate(EXAMPLE, 2024), DATE)


def sealed(text: str, ctx: ReportContext) -> str:
    """What a template rendered, then the fingerprint the report always ends with, whatever the template."""
    assert ctx.seal is not None
    return text + "\n" + markdown_seal(ctx.seal)


# ── synthetic results (no scoring: each unit's verdict is set directly) ─────────────────────────


def config(**extra: Any) -> WorkspaceConfig:
    data: dict[str, Any] = {
        "id": ROOT,
        "name": "Đảng bộ huyện Mèo Vạc",
        "superior": "Đảng bộ tỉnh Hà Giang",
        "issuing_body": "Huyện ủy Mèo Vạc",
        "abbreviation": "HU",
        "place": "Mèo Vạc",
        "frameworks": [{"years": [2024], "framework": "mac-dinh-2024"}],
        "signer": {"on_behalf": "T/M BAN THƯỜNG VỤ", "position": "BÍ THƯ", "name": "Nguyễn Văn A"},
        "recipients": ["Ban Tổ chức Tỉnh ủy (để báo cáo)"],
    }
    return WorkspaceConfig.model_validate(data | extra)


def criterion(cid: str, points: str, passed: bool = True) -> CriterionResult:
    p = Decimal(points)
    return CriterionResult(
        cid,
        f"Tiêu chí số {cid}",
        Decimal(25),
        Decimal(20),
        Decimal(25),
        Fraction(p),
        Decimal(0),
        p,
        p,
        passed,
    )


def unit_result(
    uid: str,
    kind: str = "chi_bo_truc_thuoc",
    parent: str | None = None,
    *,
    recognised: bool = True,
    name: str | None = None,
    as_of: int = 12,
    status: str | None = None,
) -> UnitResult:
    unit = Unit.model_validate({"id": uid, "name": name or f"Chi bộ {uid}", "kind": kind, "parent": parent})
    criteria = [criterion(str(i), "24.5" if recognised else "18", recognised) for i in range(1, 5)]
    gates = (
        [] if recognised else [GateResult("ky-luat", "discipline", "failed", "Có đảng viên bị kỷ luật.", "")]
    )
    total = sum((c.points for c in criteria), Decimal(0))
    return UnitResult(
        unit=unit,
        framework_id="mac-dinh-2024",
        framework_title="Hướng dẫn mặc định năm 2024",
        year=2024,
        as_of=as_of,
        months_recorded=list(range(1, as_of + 1)),
        months_missing=[],
        criteria=criteria,
        bonus=Decimal(0),
        bonus_items=[],
        deductions=[],
        total=total,
        best_total=total,
        max_total=Decimal(100),
        min_total=Decimal(0),
        rating="Tốt" if recognised else "Kém",
        rating_rule="",
        gates=gates,
        status=status or ("recognised" if recognised else "not_recognised"),  # type: ignore[arg-type]
        reasons=[] if recognised else ["Có đảng viên bị kỷ luật."],
    )


def synthetic(units: list[UnitResult], as_of: int = 12, **cfg: Any) -> ReportContext:
    results = YearResults(
        2024, as_of, "mac-dinh-2024", "Hướng dẫn mặc định năm 2024", units, summarise(units, ROOT)
    )
    return ReportContext(results, config(**cfg), DATE)


def meo_vac() -> ReportContext:
    """342 cells, 142 recognised: 308 chi bộ trực thuộc in 22 đảng bộ (109), 34 chi bộ cơ sở (33)."""
    units: list[UnitResult] = []
    for i in range(308):
        ok = (i * 109) // 308 != ((i + 1) * 109) // 308
        units.append(unit_result(f"thon-{i:03d}", parent=f"dang-bo-xa-{i // 14:02d}", recognised=ok))
    units += [unit_result(f"co-quan-{c:02d}", "chi_bo_co_so", recognised=c != 17) for c in range(34)]
    return synthetic(units)


# ── the example workspace ─────────────────────────────────────────────────────────────────────


def test_example_report_matches_the_golden_file(example: ReportContext, update_golden: bool) -> None:
    text = render_markdown(example)
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8"), "run pytest --update-golden and review the diff"


def test_example_report_layout(example: ReportContext) -> None:
    text = render_markdown(example)
    lines = text.splitlines()
    assert lines[:2] == ["| | |", "|:---:|:---:|"]  # a headerless two-column table
    assert "| ĐẢNG BỘ HUYỆN MÈO VẠC | **ĐẢNG CỘNG SẢN VIỆT NAM** |" in lines
    assert "| **ĐẢNG ỦY XÃ THƯỢNG PHÙNG** | |" in lines
    assert "| \\* | *Thượng Phùng, ngày 05 tháng 02 năm 2025* |" in lines
    assert any(re.fullmatch(r"\| Số \u00a0+-BC/ĐU \| \|", line) for line in lines)  # number left blank
    assert "# BÁO CÁO" in lines
    assert "**Kết quả đánh giá, công nhận “Chi bộ 4 tốt” năm 2024**" in lines
    headings = [line for line in lines if line.startswith("## ")]
    assert [h.split(".")[0] for h in headings] == ["## I", "## II", "## III", "## IV"]
    assert "54,55%" in text  # 6 of 11, the same figure as `score`
    assert "| 1 | Chi bộ thôn Mã Pì Lèng | 100,87 | Xuất sắc | 2 năm liền |" in lines  # 2023: history/
    assert "tăng 9,10 điểm phần trăm so với năm 2023 (45,45%)" in text
    assert "| ***Nơi nhận:*** | **T/M ĐẢNG ỦY** |" in lines
    assert "|  | **Giàng Mí Sính** |" in lines
    assert text.count("- Lưu ") == 1  # the workspace lists the filing line: it is not added twice
    assert "tính đến hết tháng" not in text


def test_shortcomings_count_what_the_summary_counts(example: ReportContext) -> None:
    text = render_markdown(example)
    summary = example.results.summary
    for cid, n in summary.failed_criteria.items():
        assert f"- {n} chi bộ chưa đạt mức tối thiểu của tiêu chí {cid} (" in text
    for r in example.not_recognised:
        for reason in r.reasons:
            assert reason in text


# ── numbers ───────────────────────────────────────────────────────────────────────────────────


def test_342_cells_142_recognised_show_41_52_percent() -> None:
    ctx = meo_vac()
    assert (ctx.results.summary.cells.units, ctx.results.summary.cells.recognised) == (342, 142)
    text = render_markdown(ctx)
    assert "được công nhận “Chi bộ 4 tốt”: 142 chi bộ, đạt 41,52%" in text
    assert "| Chi bộ trực thuộc đảng bộ cơ sở | 308 | 109 | 35,39% |" in text
    assert "| Chi bộ cơ sở | 34 | 33 | 97,06% |" in text
    assert "| **Tổng cộng** | **342** | **142** | **41,52%** |" in text
    # Cells under 23 parents: a table by đảng bộ, the huyện's own cells under the workspace's name.
    assert "| Đảng bộ huyện Mèo Vạc | 34 | 33 | 97,06% |" in text
    assert "- 200 chi bộ chưa đạt mức tối thiểu của tiêu chí 1 (Tiêu chí số 1)." in text
    assert "- Không đạt điều kiện “Có đảng viên bị kỷ luật”: 200 chi bộ." in text  # no title: the reason


def test_mid_year_report_says_through_which_month() -> None:
    units = [
        unit_result("a", as_of=6, status="in_progress"),
        unit_result("b", as_of=6, recognised=False),
    ]
    text = render_markdown(synthetic(units, as_of=6))
    assert "**Kết quả đánh giá, công nhận “Chi bộ 4 tốt” năm 2024 (tính đến hết tháng 6)**" in text
    assert "Số liệu tính đến hết tháng 6 năm 2024" in text
    assert "đang đạt yêu cầu: 1 chi bộ (50,00%)" in text
    assert "| 1 | Chi bộ a |" in text
    assert "## IV. CHI BỘ KHÔNG CÒN KHẢ NĂNG ĐẠT VÀ LÝ DO" in text


def test_dang_bo_verdicts_and_empty_lists() -> None:
    units = [
        unit_result("a", recognised=False),
        unit_result("xa", "dang_bo_co_so", recognised=False, name="Đảng bộ xã Một"),
    ]
    text = render_markdown(synthetic(units, recipients=[]))
    # One đảng bộ: its verdict, points, rating and reasons; no count of one
    assert "“Đảng bộ cơ sở 4 tốt”: 0/1" not in text
    assert (
        "Đảng bộ xã Một: chưa được công nhận “Đảng bộ cơ sở 4 tốt” (72,00 điểm, xếp loại Kém). "
        "Lý do: Có đảng viên bị kỷ luật."
    ) in text
    assert "## III." in text and "Không có chi bộ nào." in text
    assert "| - Lưu Văn phòng cấp ủy. |" in text  # the filing line when the workspace lists none
    # Several: how many are recognised first, then each one
    units.append(unit_result("xb", "dang_bo_co_so", recognised=True, name="Đảng bộ xã Hai"))
    text = render_markdown(synthetic(units, recipients=[]))
    assert "Đảng bộ cơ sở được công nhận “Đảng bộ cơ sở 4 tốt”: 1/2 (50,00%)." in text
    assert "Đảng bộ xã Hai: được công nhận “Đảng bộ cơ sở 4 tốt” (98,00 điểm, xếp loại Tốt)." in text


# ── at scale: a summary by đảng bộ in the body, the lists in appendices ──────────────────────


def body_and_appendices(text: str) -> tuple[str, str]:
    body, _sep, rest = text.partition("\n---\n")
    return body, rest


def test_cells_under_many_dang_bo_are_listed_in_appendices() -> None:
    text = render_markdown(meo_vac())
    body, appendices = body_and_appendices(text)
    assert (
        "| Đảng bộ | Số chi bộ | Được công nhận | Tỉ lệ | Tiêu chí nhiều chi bộ chưa đạt nhất (số chi bộ) |"
        in body
    )
    assert "| Đảng bộ huyện Mèo Vạc | 34 | 33 | 97,06% | 1 (1); 2 (1) |" in body
    assert "| **Tổng cộng** | **342** | **142** | **41,52%** | **1 (200); 2 (200)** |" in body
    assert "Danh sách 142 chi bộ tại Phụ lục 1." in body
    assert "Danh sách 200 chi bộ và lý do của từng chi bộ tại Phụ lục 2." in body
    assert "| 1 | Chi bộ" not in body and "1. **Chi bộ" not in body  # no per-cell list in the body
    assert body.rstrip().endswith("| **Nguyễn Văn A** |")  # the signature closes the body
    assert appendices.startswith(
        "\n## PHỤ LỤC 1\n\n**Danh sách chi bộ được công nhận “Chi bộ 4 tốt” năm 2024**"
    )
    assert (
        "*(Kèm theo Báo cáo số" in appendices
        and "-BC/HU, ngày 05 tháng 02 năm 2025 của Huyện ủy Mèo Vạc)*" in appendices
    )
    assert "### Đảng bộ huyện Mèo Vạc (33 chi bộ)" in appendices  # its own chi bộ cơ sở
    assert "### dang-bo-xa-00 (4 chi bộ)" in appendices  # a đảng bộ known only by its id
    numbers = re.findall(r"^\| (\d+) \| Chi bộ", appendices, re.MULTILINE)
    assert numbers == [str(i) for i in range(1, 143)]  # numbered straight through the groups
    items = re.findall(r"^(\d+)\. \*\*Chi bộ", appendices, re.MULTILINE)
    assert items == [str(i) for i in range(1, 201)]
    assert "\n## PHỤ LỤC 2\n" in appendices and "PHỤ LỤC 3" not in appendices  # no gaps: no notes appendix


@pytest.mark.parametrize(("cells", "appendix"), [(100, False), (101, True)])
def test_over_a_hundred_cells_under_one_dang_bo_use_appendices(cells: int, appendix: bool) -> None:
    units = [unit_result(f"c{i:03d}", recognised=i % 3 > 0) for i in range(cells)]
    text = render_markdown(synthetic(units))
    body, appendices = body_and_appendices(text)
    assert ("Phụ lục 1" in body) is appendix
    assert ("| 1 | Chi bộ c001 |" in body) is not appendix
    if appendix:
        assert "###" not in appendices  # a single đảng bộ: the lists are not split by it
        assert "| 1 | Chi bộ c001 |" in appendices


def test_gaps_are_counted_in_the_body_and_listed_in_an_appendix() -> None:
    ctx = meo_vac()
    gaps = [
        Problem(Path(f"records/2024/thon-{i:03d}"), f"Chi bộ thon-{i:03d} thiếu hồ sơ tháng 6")
        for i in range(3)
    ]
    text = render_markdown(dataclasses.replace(ctx, gaps=gaps))
    body, appendices = body_and_appendices(text)
    assert (
        "**Lưu ý về số liệu: báo cáo lập khi hồ sơ chưa đầy đủ**\n\nCó 3 lưu ý về số liệu, nêu tại Phụ lục 3."
        in body
    )
    assert "thiếu hồ sơ" not in body
    assert "## PHỤ LỤC 3" in appendices
    assert "- Chi bộ thon-002 thiếu hồ sơ tháng 6 (records/2024/thon-002)." in appendices


# ── escaping ──────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("A | B", "A \\| B"),
        ("*đậm* _nghiêng_ `mã`", "\\*đậm\\* \\_nghiêng\\_ \\`mã\\`"),
        ("[liên kết](http://x)", "\\[liên kết\\](http://x)"),
        ("# không phải tiêu đề", "\\# không phải tiêu đề"),
        ("- không phải danh sách", "\\- không phải danh sách"),
        ("1. không phải danh sách", "1\\. không phải danh sách"),
        ("<script>", "\\<script\\>"),
        ("a\\b", "a\\\\b"),
        ("    thụt lề", "thụt lề"),
        ("dòng 1\ndòng 2", "dòng 1 dòng 2"),
        ("~~gạch~~ &amp;", "\\~\\~gạch\\~\\~ \\&amp;"),
        ("Chi bộ thôn Mã Pì Lèng (24,5).", "Chi bộ thôn Mã Pì Lèng (24,5)."),
    ],
)
def test_md_escape(raw: str, escaped: str) -> None:
    assert md_escape(raw) == escaped


def _cells(row: str) -> list[str]:
    """Cells of a pipe-table row, splitting on unescaped pipes only."""
    return [c.strip() for c in re.split(r"(?<!\\)\|", row.strip())[1:-1]]


def test_user_text_cannot_break_the_tables() -> None:
    name = "Chi bộ | *Bản* [A] `B` <b>\nC"
    units = [unit_result("a", name=name), unit_result("b", recognised=False, name="Chi bộ # | 2")]
    text = render_markdown(
        synthetic(units, place="Mèo | Vạc", abbreviation="H*U", recipients=["Ban | Tổ chức"])
    )
    row = next(line for line in text.splitlines() if line.startswith("| 1 | "))
    assert _cells(row) == ["1", "Chi bộ \\| \\*Bản\\* \\[A\\] \\`B\\` \\<b\\> C", "98,00", "Tốt", ""]
    assert "**Chi bộ # \\| 2**" in text
    assert "*Mèo \\| Vạc, ngày 05 tháng 02 năm 2025*" in text
    assert "-BC/H\\*U |" in text
    assert "| - Ban \\| Tổ chức, |" in text
    # A CommonMark + tables parser (markdown-it-py, which rich depends on) reads the text back literally.
    markdown_it = pytest.importorskip("markdown_it")
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(text)
    assert '<td style="text-align:left">Chi bộ | *Bản* [A] `B` &lt;b&gt; C</td>' in html
    assert "<strong>Chi bộ # | 2</strong>" in html
    assert "<em>Mèo | Vạc, ngày 05 tháng 02 năm 2025</em>" in html
    assert html.count("<table>") == 4  # header, by kind, recognition list, signature: none broken


# ── templates: override, extension, sandbox ───────────────────────────────────────────────────


def _templates(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "bao-cao.md.j2").write_text(text, encoding="utf-8")
    return folder


def test_workspace_template_replaces_the_packaged_one(example: ReportContext, tmp_path: Path) -> None:
    folder = _templates(
        tmp_path,
        "Báo cáo riêng: {{ config.name }}, {{ report.recognised.rows|length }} chi bộ, "
        "{{ rate(6, 11)|percent }}\n{{ '*a*'|bold }}\n",
    )
    assert render_markdown(example, folder) == sealed(
        "Báo cáo riêng: Đảng bộ xã Thượng Phùng, 6 chi bộ, 54,55%\n**\\*a\\***\n", example
    )


def test_missing_workspace_template_falls_back_to_the_packaged_one(
    example: ReportContext, tmp_path: Path
) -> None:
    assert render_markdown(example, tmp_path / "khong-co") == render_markdown(example)


def test_workspace_template_may_extend_the_packaged_one(example: ReportContext, tmp_path: Path) -> None:
    folder = _templates(
        tmp_path,
        '{% extends "chibo4tot/bao-cao.md.j2" %}\n{% block intro %}Lời mở đầu của đảng bộ.\n{% endblock %}\n',
    )
    text = render_markdown(example, folder)
    assert "Lời mở đầu của đảng bộ." in text
    assert "Căn cứ " not in text
    assert "## IV. CHI BỘ CHƯA ĐƯỢC CÔNG NHẬN VÀ LÝ DO" in text


@pytest.mark.parametrize(
    ("template", "words"),
    [
        ("{{ ''.__class__.__mro__ }}", "thao tác không được phép"),
        ("{{ ''.__class__ }}", "thao tác không được phép"),
        ("{{ ctx.results.units.append(1) }}", "thao tác không được phép"),
        ("{{ 'a' * 10**9 }}", "vượt giới hạn an toàn: lặp lại hay chia thành quá nhiều phần"),
        ("{{ [1] * 1000 * 1000 }}", "vượt giới hạn an toàn: lặp lại hay chia thành quá nhiều phần"),
        ("{{ khong_co_bien }}", "tên không có trong dữ liệu báo cáo"),
        ("{{ report.khong_co }}", "tên không có trong dữ liệu báo cáo"),
        ("dòng 1\n{% for x in %}", "sai cú pháp ở dòng 2"),
        ("{{ 1 / 0 }}", "gặp lỗi khi tạo báo cáo"),
        ('{% include "khong-co.j2" %}', "gọi tới mẫu không có “khong-co.j2”: dòng 1: {% include"),
    ],
)
def test_unsafe_or_broken_templates_fail_with_a_vietnamese_message(
    example: ReportContext, tmp_path: Path, template: str, words: str
) -> None:
    folder = _templates(tmp_path, template)
    with pytest.raises(TemplateProblem) as caught:
        render_markdown(example, folder)
    assert words in caught.value.message
    assert caught.value.problems and caught.value.problems[0].message == caught.value.message
    if "cú pháp" in words:
        assert caught.value.problems[0].line == 2
        assert caught.value.problems[0].path == folder / "bao-cao.md.j2"
    jinja_words = str(caught.value.__cause__)  # English, and different in another Jinja release
    if " " in jinja_words and not isinstance(caught.value.__cause__, TemplateLimit):  # ours: Vietnamese
        assert jinja_words not in caught.value.message


@pytest.mark.parametrize(
    ("template", "message", "line"),
    [
        (
            "dòng 1\n\n{{ report.khong_co }}\n",
            "dùng tên không có trong dữ liệu báo cáo: dòng 3: {{ report.khong_co }}",
            3,
        ),
        ("a\n{{ ''.__class__ }}", "dùng thao tác không được phép: dòng 2: {{ ''.__class__ }}", 2),
        (
            "{% for x in [1] %}\n  {{ x / 0 }}\n{% endfor %}",
            "gặp lỗi khi tạo báo cáo: dòng 2: {{ x / 0 }}",
            2,
        ),
        ("a\n{% for x in %}\n", "sai cú pháp ở dòng 2: {% for x in %}", 2),
    ],
)
def test_template_errors_name_the_line_not_jinjas_words(
    example: ReportContext, tmp_path: Path, template: str, message: str, line: int
) -> None:
    folder = _templates(tmp_path, template)
    with pytest.raises(TemplateProblem) as caught:
        render_markdown(example, folder)
    assert caught.value.message == f"Mẫu báo cáo templates/bao-cao.md.j2 {message}"
    assert (caught.value.problems[0].path, caught.value.problems[0].line) == (folder / "bao-cao.md.j2", line)


def test_an_error_in_an_included_template_points_into_that_file(
    example: ReportContext, tmp_path: Path
) -> None:
    folder = _templates(tmp_path, '{% include "phu-luc.md.j2" %}\n')
    (folder / "phu-luc.md.j2").write_text("Phụ lục\n{{ khong_co }}\n", encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_markdown(example, folder)
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == (folder / "phu-luc.md.j2", 2)
    assert problem.message.endswith("dòng 2: {{ khong_co }}")


def test_md_escape_shows_control_characters() -> None:
    assert md_escape("Chi bộ \x01A\x1b[31m") == "Chi bộ ␁A␛\\[31m"
    assert md_escape("\u202eabc\x7f") == "\\\\u202eabc␡"
    text = render_markdown(synthetic([unit_result("a", name="Chi bộ \x01A\u202e", recognised=False)]))
    assert "Chi bộ ␁A\\\\u202e" in text and "\x01" not in text and "\u202e" not in text


# ── templates under limits: folder, time, size ─────────────────────────────────────────────────


def test_a_template_linked_out_of_the_folder_is_not_read(example: ReportContext, tmp_path: Path) -> None:
    secret = tmp_path / "bi-mat.txt"
    secret.write_text("mật khẩu: 123456\n", encoding="utf-8")
    folder = _templates(tmp_path, 'Phụ lục:\n{% include "phu-luc.md.j2" %}\n')
    (folder / "phu-luc.md.j2").symlink_to(secret)
    with pytest.raises(TemplateProblem) as caught:
        render_markdown(example, folder)
    assert "123456" not in caught.value.message
    assert caught.value.message == (
        "Không dùng được mẫu báo cáo templates/phu-luc.md.j2: liên kết tượng trưng (symlink) trỏ ra ngoài "
        "thư mục “templates” (tới ../bi-mat.txt); liên kết này bị bỏ qua "
        "(gọi từ templates/bao-cao.md.j2 dòng 2)"
    )
    assert str(tmp_path) not in caught.value.message  # no path of this machine (DESIGN §6)
    assert caught.value.problems[0].path == folder / "phu-luc.md.j2"


def test_a_template_linked_inside_the_folder_is_read(example: ReportContext, tmp_path: Path) -> None:
    folder = _templates(tmp_path, '{% include "phu-luc.md.j2" %}')
    (folder / "goc.md.j2").write_text("Phụ lục riêng\n", encoding="utf-8")
    (folder / "phu-luc.md.j2").symlink_to(folder / "goc.md.j2")
    assert render_markdown(example, folder) == sealed("Phụ lục riêng\n", example)


def _render_in_thread(example: ReportContext, folder: Path) -> BaseException | None:
    """render_markdown with a safety net: the test fails (instead of hanging) if it never returns."""
    import threading

    caught: list[BaseException] = []

    def run() -> None:
        try:
            render_markdown(example, folder)
        except BaseException as exc:
            caught.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(15)
    assert not worker.is_alive(), "the template was not stopped"
    return caught[0] if caught else None


def test_a_runaway_template_is_stopped_at_its_line(
    example: ReportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chibo4tot.report import markdown

    monkeypatch.setattr(markdown, "RENDER_SECONDS", 0.3)
    folder = _templates(
        tmp_path,
        "Mở đầu\n{% for i in range(99999) %}\n{% for j in range(99999) %}{% endfor %}\n{% endfor %}\n",
    )
    exc = _render_in_thread(example, folder)
    assert isinstance(exc, TemplateProblem)
    problem = exc.problems[0]
    assert (problem.path, problem.line) == (folder / "bao-cao.md.j2", 3)
    assert exc.message == (
        "Mẫu báo cáo templates/bao-cao.md.j2 chạy quá 0,3 giây nên đã bị dừng (vòng lặp quá lớn?): "
        "dòng 3: {% for j in range(99999) %}{% endfor %}"
    )


def test_a_template_output_is_capped(
    example: ReportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chibo4tot.report import markdown

    monkeypatch.setattr(markdown, "MAX_OUTPUT_CHARS", 1000)
    folder = _templates(tmp_path, "Mở đầu\n{% for i in range(99999) %}\n{{ config.name }}\n{% endfor %}\n")
    exc = _render_in_thread(example, folder)
    assert isinstance(exc, TemplateProblem)
    assert (exc.problems[0].path, exc.problems[0].line) == (folder / "bao-cao.md.j2", 3)
    assert exc.message.startswith("Mẫu báo cáo templates/bao-cao.md.j2 tạo ra quá 1.000 ký tự nên đã bị dừng")


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_template_is_refused(example: ReportContext, tmp_path: Path) -> None:
    import os

    folder = tmp_path / "templates"
    folder.mkdir()
    os.mkfifo(folder / "bao-cao.md.j2")
    exc = _render_in_thread(example, folder)
    assert isinstance(exc, TemplateProblem)
    assert "ống dẫn (FIFO)" in exc.message


def test_a_templates_folder_linked_out_of_the_workspace_is_not_used(
    example: ReportContext, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    (elsewhere / "bao-cao.md.j2").write_text("Mẫu của người khác\n", encoding="utf-8")
    workspace = tmp_path / "dang-bo"
    workspace.mkdir()
    (workspace / "templates").symlink_to(elsewhere)
    with pytest.raises(TemplateProblem) as caught:
        render_markdown(example, workspace / "templates")
    assert caught.value.message.startswith("Không dùng được mẫu báo cáo trong templates: ")
    assert "trỏ ra ngoài thư mục" in caught.value.message


# ── operations bounded before they run (one C-level step cannot be stopped by the timer) ───────

_NS = '{% set ns = namespace(s="a" * 100000) %}'


@pytest.mark.parametrize(
    ("expression", "reason"),
    [
        ("{{ (((10**100)**100)**100)**100 }}", "số quá lớn"),
        ("{{ 10**100 * 10**100 * 10**10000 * 10**10000 * 10**10000 * 10**10000 }}", "số quá lớn"),
        ('{{ "{:>1999999999}".format(1) }}', "độ rộng, độ chính xác hay số ký tự đệm 1999999999 quá lớn"),
        ('{{ "{0:{1}}".format(1, 10**9) }}', "quá lớn (tối đa 10.000)"),  # a nested width
        ('{{ "{x:.999999999f}".format_map({"x": 1.5}) }}', "quá lớn (tối đa 10.000)"),
        ('{{ "%0999999999d" % 1 }}', "độ rộng, độ chính xác hay số ký tự đệm 999999999 quá lớn"),
        ('{{ "%*d" % (10**9, 1) }}', "quá lớn (tối đa 10.000)"),
        ('{{ "%.999999999f"|format(1.5) }}', "quá lớn (tối đa 10.000)"),
        ('{{ "x"|center(10**9) }}', "quá lớn (tối đa 10.000)"),
        ('{{ "x".ljust(10**9) }}', "quá lớn (tối đa 10.000)"),
        ('{{ "x".zfill(width=10**9) }}', "quá lớn (tối đa 10.000)"),
        ('{{ (2).to_bytes(10**9, "big") }}', "chuỗi hay danh sách quá dài"),
        ('{{ ("a" * 100000).replace("a", "a" * 100000) }}', "chuỗi hay danh sách quá dài"),
        ('{{ ("a" * 100000)|replace("a", "a" * 100000) }}', "chuỗi hay danh sách quá dài"),
        ('{{ ("," * 100000).join(["a"] * 100000) }}', "chuỗi hay danh sách quá dài"),
        ('{{ range(100000)|join("," * 100000) }}', "chuỗi hay danh sách quá dài"),
        ('{{ "x\\ny"|indent(10**9) }}', "quá lớn (tối đa 10.000)"),
        ("{{ 5|round(-1000000000) }}", "quá lớn (tối đa 10.000)"),
        ("{{ [1]|slice(10**9)|list }}", "lặp lại hay chia thành quá nhiều phần"),
        ("{{ [1]|batch(10**9, 0)|list }}", "lặp lại hay chia thành quá nhiều phần"),
        ("{{ lipsum(10**9) }}", "quá lớn (tối đa 10.000)"),
        (
            _NS + "{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
            "chuỗi hay danh sách quá dài",
        ),
        (
            _NS + "{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
            "chuỗi hay danh sách quá dài",
        ),
        (
            '{% set x %}{% for i in range(100000) %}{{ "a" * 100000 }}{% endfor %}{% endset %}',
            "in ra quá nhiều",
        ),
        # Shared parts are written out as often as they are referred to: str() would take for ever.
        ('{{ ["a" * 100000] * 100 }}', "chuỗi hay danh sách quá dài"),
        (
            '{% set x = ["a" * 100000] %}{% set x = [x, x, x, x, x, x, x, x, x, x] %}'
            "{% set x = [x, x, x, x, x, x, x, x, x, x] %}{{ x }}",
            "chuỗi hay danh sách quá dài",
        ),
        ('{{ dict.fromkeys(range(100000), "a" * 100000) }}', "chuỗi hay danh sách quá dài"),
        ('{{ [1, 2]|batch(100000, ["a" * 100000])|list }}', "chuỗi hay danh sách quá dài"),
    ],
)
def test_an_operation_too_large_for_the_timer_is_refused_before_it_runs(
    example: ReportContext, tmp_path: Path, expression: str, reason: str
) -> None:
    folder = _templates(tmp_path, f"Mở đầu\n{expression}\n")
    exc = _render_in_thread(example, folder)  # fails the test instead of hanging it
    assert isinstance(exc, TemplateProblem), exc
    assert "Mẫu báo cáo templates/bao-cao.md.j2 vượt giới hạn an toàn: " in exc.message
    assert reason in exc.message and ": dòng 2: " in exc.message
    assert (exc.problems[0].path, exc.problems[0].line) == (folder / "bao-cao.md.j2", 2)


@pytest.mark.parametrize(
    "expression",
    [
        "{{ 2**100 }}",
        "{{ (10**100)**100 > 0 }}",
        '{{ "{:>20}|{:.3f}|{:,}".format("a", 1.5, 10**20) }}',
        '{{ "%5d|%-8s|%.2f" % (1, "b", 2.5) }}',
        '{{ "%05d"|format(42) }}',
        '{{ "ab".center(11) ~ "x".zfill(5) ~ "-".join(["a", "b"]) }}',
        "{{ range(5)|join(', ') }}{{ 'a b'|replace(' ', '_') }}{{ 2.345|round(2) }}",
        "{% set x %}{% for i in range(1000) %}{{ i }}{% endfor %}{% endset %}{{ x|length }}",
        "{{ [1, 2, 3]|slice(2)|list }}{{ [1, 2, 3]|batch(2, 0)|list }}{{ 'a\nb'|indent(2) }}",
    ],
)
def test_ordinary_template_operations_still_work(
    example: ReportContext, tmp_path: Path, expression: str
) -> None:
    from jinja2 import Environment

    folder = _templates(tmp_path, expression)
    expected = Environment(finalize=md_escape).from_string(expression).render().rstrip("\n") + "\n"
    assert render_markdown(example, folder) == sealed(expected, example)


def test_a_loop_that_keeps_too_much_memory_is_stopped_at_its_line(
    example: ReportContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each step is small (a 6 kB string), so no bound refuses it; together they would take 600 MB.
    from chibo4tot.report import markdown

    if markdown._peak_memory() is None:
        pytest.skip("the process's memory cannot be read on this system")
    monkeypatch.setattr(markdown, "RENDER_MEMORY_BYTES", 50 << 20)
    expression = "{{ range(100000)|map('string')|map('replace', '', 'a' * 1000)|list|length }}"
    folder = _templates(tmp_path, f"Mở đầu\n{expression}\n")
    exc = _render_in_thread(example, folder)
    assert isinstance(exc, TemplateProblem), exc
    assert exc.message == (
        f"Mẫu báo cáo templates/bao-cao.md.j2 dùng thêm quá 50 MB bộ nhớ nên đã bị dừng "
        f"(vòng lặp giữ lại quá nhiều dữ liệu?): dòng 2: {expression}"
    )
    assert (exc.problems[0].path, exc.problems[0].line) == (folder / "bao-cao.md.j2", 2)
