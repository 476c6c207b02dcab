"""The year-end Excel workbook: built in memory with openpyxl, returned as bytes (the CLI writes it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl import Workbook
from openpyxl.packaging.custom import StringProperty
from openpyxl.utils.indexed_list import IndexedList

from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext
from chibo4tot.report.seal import properties
from chibo4tot.report.xlsx_compare import compare_sheet
from chibo4tot.report.xlsx_records import completeness_sheet, problems_sheet
from chibo4tot.report.xlsx_sheet import BASE_FONT, clean_text
from chibo4tot.report.xlsx_summary import chart_sheet, summary_sheet
from chibo4tot.report.xlsx_units import detail_sheet, monthly_sheet, recognition_sheet
from chibo4tot.report.xlsx_write import workbook_bytes

CREATOR = "chibo4tot"


def subtitle(ctx: ReportContext) -> str:
    return _("{org} — số liệu đến tháng {month}/{year}, lập ngày {date}").format(
        org=ctx.config.name,
        month=f"{ctx.results.as_of:02d}",
        year=ctx.year,
        date=ctx.date.strftime("%d/%m/%Y"),
    )


def _new_workbook(ctx: ReportContext) -> Any:
    wb = Workbook()
    wb.remove(wb.active)
    # openpyxl has no public setter for the default font: cells without a style of their own use
    # font 0 and the "Normal" style, so both become Times New Roman (no per-cell font needed).
    wb._fonts = IndexedList([BASE_FONT])
    wb._named_styles["Normal"].font = BASE_FONT
    stamp = dt.datetime.combine(ctx.date, dt.time())
    props = wb.properties
    props.creator = props.lastModifiedBy = CREATOR
    props.created = props.modified = stamp  # the report date, never the clock: same inputs, same file
    props.title = clean_text(  # the document title is XML too: a control character would crash it
        _("Kết quả đánh giá “Chi bộ 4 tốt” năm {year} — {org}").format(year=ctx.year, org=ctx.config.name)
    )
    props.language = "vi-VN"
    if ctx.seal is not None:  # which results the workbook was made from: `chibo4tot verify` reads it
        props.identifier = ctx.seal.fingerprint
        for name, value in properties(ctx.seal).items():
            wb.custom_doc_props.append(StringProperty(name=name, value=value))
    return wb


def build_workbook(ctx: ReportContext) -> Any:
    """The whole workbook in memory: summary, details, months, recognition list, comparison with last
    year, records, problems, charts."""
    wb = _new_workbook(ctx)
    sub = subtitle(ctx)
    parents = summary_sheet(wb, ctx, sub)
    detail_sheet(wb, ctx, sub)
    monthly_sheet(wb, ctx, sub)
    recognition_sheet(wb, ctx, sub)
    compare_sheet(wb, ctx, sub)
    completeness_sheet(wb, ctx, sub)
    problems_sheet(wb, ctx, sub)
    chart_sheet(wb, ctx, sub, parents)
    wb.active = 0
    return wb


def render_xlsx(ctx: ReportContext) -> bytes:
    """The workbook as .xlsx bytes."""
    return workbook_bytes(build_workbook(ctx))
