"""The workbook's summary sheet (by parent unit and kind of unit) and its chart sheet."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl.chart import BarChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import SeriesLabel
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText, Text
from openpyxl.chart.title import Title
from openpyxl.drawing.text import CharacterProperties, Font, Paragraph, ParagraphProperties, RegularTextRun

from chibo4tot.formatting import rate, round_half_up
from chibo4tot.i18n import _
from chibo4tot.models.types import UNIT_KIND_LABELS, UnitKind
from chibo4tot.report.context import ReportContext
from chibo4tot.report.seal import seal_line
from chibo4tot.report.xlsx_sheet import BOLD, FONT_NAME, GREEN, HEADER_ROW, POINTS, RATE, RED, Column, Sheet
from chibo4tot.report.xlsx_units import criteria_of, criterion_label, reasons, unit_names, verdict_colours
from chibo4tot.results.views import status_label
from chibo4tot.scoring.results import Tally, UnitResult


@dataclass(frozen=True, slots=True)
class ParentRows:
    """Where the by-parent rows landed on the summary sheet (the chart reads them)."""

    sheet: Any
    first: int
    last: int


def _tally_row(label: str, t: Tally) -> list[Any]:
    return [label, t.units, t.recognised, t.units - t.recognised, rate(t.recognised, t.units)]


def summary_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> ParentRows:
    """Tổng hợp: cells and recognition by parent unit (with the đảng bộ's own verdict) and by kind."""
    s = ctx.results.summary
    sheet = Sheet(
        wb,
        _("Tổng hợp"),
        _("TỔNG HỢP KẾT QUẢ ĐÁNH GIÁ “CHI BỘ 4 TỐT” NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("Đơn vị cấp trên, loại tổ chức đảng"), 42, wrap=True),
            Column(_("Số chi bộ"), 10, centre=True),
            Column(_("Được công nhận"), 12, centre=True),
            Column(_("Không được công nhận"), 12, centre=True),
            Column(_("Tỉ lệ công nhận"), 12, RATE, centre=True),
            Column(_("Tổng điểm đảng bộ"), 11, POINTS, centre=True),
            Column(_("Xếp loại đảng bộ"), 13, centre=True),
            Column(_("Kết quả đảng bộ"), 13, centre=True),
            Column(_("Lý do"), 50, wrap=True),
        ],
    )
    names = unit_names(ctx)
    dang_bo = {r.unit.id: r for r in ctx.dang_bo}
    parents = list(s.by_parent) + [uid for uid in dang_bo if uid not in s.by_parent]
    sheet.add([_("I. Theo đơn vị cấp trên")], font=BOLD)
    first = sheet.row + 1
    for pid in parents:
        row = _tally_row(names.get(pid, pid), s.by_parent.get(pid, Tally()))
        own = dang_bo.get(pid)
        if own is not None:
            row += [own.total, own.rating or "", status_label(own), reasons(own)]
        sheet.add(row)
    last = sheet.row
    sheet.add([_("II. Theo loại tổ chức đảng")], font=BOLD)
    for kind in UnitKind:
        if kind.value in s.by_kind:
            sheet.add(_tally_row(_(UNIT_KIND_LABELS[kind]), s.by_kind[kind.value]))
    sheet.add(_tally_row(_("Tổng cộng"), s.cells), font=BOLD)
    if s.dang_bo.units:
        sheet.add(_tally_row(_("Đảng bộ cơ sở được đánh giá"), s.dang_bo))
    if dang_bo:
        sheet.colour(f"H{first}:H{last}", verdict_colours())
    if ctx.seal is not None:  # the footer cell: which results these figures were made from
        sheet.add([None], styled=False)
        sheet.add([seal_line(ctx.seal)], styled=False)
    sheet.finish("B5", autofilter=False)
    return ParentRows(sheet.ws, first, last)


def _text_props() -> RichText:
    props = CharacterProperties(latin=Font(typeface=FONT_NAME), sz=1000)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props)])


def _title(text: str) -> Title:
    """A chart or axis title in the workbook's font (openpyxl's plain-string titles fall back to Calibri)."""
    props = CharacterProperties(latin=Font(typeface=FONT_NAME), sz=1100, b=True)
    run = RegularTextRun(rPr=props, t=text)
    paragraph = Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])
    return Title(tx=Text(rich=RichText(p=[paragraph])), overlay=False)


def _styled(chart: BarChart, title: str, y_title: str) -> BarChart:
    chart.title = _title(title)
    chart.y_axis.title = _title(y_title)
    for axis in (chart.x_axis, chart.y_axis):
        axis.delete = False  # openpyxl 3.1 otherwise hides the axes in Excel
        axis.txPr = _text_props()
    if chart.legend is not None:
        chart.legend.txPr = _text_props()
        chart.legend.position = "b"
    return chart


def average(results: list[UnitResult], criterion: str) -> Decimal | None:
    """The mean points of one criterion over the cells that have it, rounded half-up to 2 places."""
    got = [c.points for r in results for c in r.criteria if c.id == criterion]
    return round_half_up(Fraction(sum(got, Decimal(0))) / len(got), 2) if got else None


def chart_sheet(wb: Any, ctx: ReportContext, subtitle: str, parents: ParentRows) -> None:
    """Biểu đồ: the average points of each criterion, and recognised / not by parent unit."""
    cells = ctx.cells
    criteria = criteria_of(cells)
    sheet = Sheet(
        wb,
        _("Biểu đồ"),
        _("BIỂU ĐỒ KẾT QUẢ ĐÁNH GIÁ “CHI BỘ 4 TỐT” NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("Tiêu chí"), 12),
            Column(_("Tên tiêu chí"), 40, wrap=True),
            Column(_("Điểm tối đa"), 10, POINTS, centre=True),
            Column(_("Điểm bình quân"), 11, POINTS, centre=True),
            Column(_("Số chi bộ không đạt tiêu chí"), 13, centre=True),
        ],
    )
    for cid, (name, top) in criteria.items():
        failed = sum(1 for r in cells for c in r.criteria if c.id == cid and not c.passed)
        sheet.add([criterion_label(cid), name, top, average(cells, cid), failed])
    sheet.finish("A5", autofilter=False)
    if criteria:
        chart = _styled(BarChart(), _("Điểm bình quân theo tiêu chí"), _("Điểm"))
        chart.type = "col"
        chart.legend = None  # one series, named by the title
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = float(max(top for _name, top in criteria.values()))
        chart.dataLabels = DataLabelList(
            showVal=True, showCatName=False, showSerName=False, showLegendKey=False, txPr=_text_props()
        )
        chart.add_data(
            Reference(sheet.ws, min_col=4, min_row=HEADER_ROW, max_row=sheet.row), titles_from_data=True
        )
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=HEADER_ROW + 1, max_row=sheet.row))
        chart.width, chart.height = 18, 9
        sheet.ws.add_chart(chart, "G4")
    if parents.last >= parents.first:
        chart = _styled(BarChart(), _("Chi bộ được công nhận theo đơn vị cấp trên"), _("Số chi bộ"))
        chart.type, chart.grouping, chart.overlap = "bar", "stacked", 100
        ws = parents.sheet
        for col, label, colour in ((3, _("Được công nhận"), GREEN), (4, _("Không được công nhận"), RED)):
            chart.add_data(Reference(ws, min_col=col, min_row=parents.first, max_row=parents.last))
            series = chart.series[-1]
            series.tx = SeriesLabel(v=label)
            series.graphicalProperties = GraphicalProperties(solidFill=colour[1])
        chart.set_categories(Reference(ws, min_col=1, min_row=parents.first, max_row=parents.last))
        chart.width = 18
        chart.height = min(60.0, max(9.0, 0.6 * (parents.last - parents.first + 1)))
        sheet.ws.add_chart(chart, "G24")
