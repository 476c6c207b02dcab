"""The workbook's sheet that compares the year with the year before: each cell's total, rating and
verdict beside last year's, then each đảng bộ's recognition rate beside last year's."""

from __future__ import annotations

from typing import Any

from chibo4tot.formatting import rate, rate_change
from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext
from chibo4tot.report.xlsx_sheet import BOLD, POINTS, RATE, Column, Sheet
from chibo4tot.report.xlsx_units import unit_names, verdict_colours
from chibo4tot.results.views import compared_cells, comparison_sentence, previous_verdict, status_label
from chibo4tot.scoring.results import Tally

CHANGE = "+0.00;-0.00;0.00"  # a change shows its sign


def _rates(last: Tally | None, now: Tally, final: bool) -> list[Any]:
    """Last year's cells, recognised and rate, this year's, and the change in percentage points
    (before the year is over, no cell is recognised yet: this year's recognised, rate and change
    are left blank)."""
    before = rate(last.recognised, last.units) if last is not None else None
    after = rate(now.recognised, now.units) if final else None
    counts: list[Any] = [last.units, last.recognised] if last is not None else [None, None]
    return [*counts, before, now.units, now.recognised if final else None, after, rate_change(after, before)]


def compare_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> None:
    """So với năm trước: per cell, this year's total, rating and verdict beside last year's; per đảng
    bộ (and overall), last year's recognition rate, this year's and the change."""
    year, last = ctx.year, ctx.results.previous
    before = year - 1
    final = ctx.results.as_of == 12  # else this year's totals are of part of it
    sheet = Sheet(
        wb,
        _("So với năm trước"),
        _("SO SÁNH KẾT QUẢ “CHI BỘ 4 TỐT” NĂM {year} VỚI NĂM {before}").format(year=year, before=before),
        subtitle,
        [
            Column(_("STT"), 6, centre=True),
            Column(_("Tên chi bộ"), 38, wrap=True),
            Column(_("Tổng điểm năm {year}").format(year=before), 11, POINTS, centre=True),
            Column(_("Xếp loại năm {year}").format(year=before), 12, centre=True),
            Column(_("Kết quả năm {year}").format(year=before), 12, centre=True),
            Column(_("Tổng điểm năm {year}").format(year=year), 11, POINTS, centre=True),
            Column(_("Xếp loại năm {year}").format(year=year), 12, centre=True),
            Column(_("Kết quả năm {year}").format(year=year), 12, centre=True),
            Column(_("Tổng điểm tăng (+), giảm (−)"), 12, CHANGE, centre=True),
            Column(_("Số năm liền đạt"), 10, centre=True),
        ],
        # Under the title, before any figure: how the rate compares, or that last year's is unknown.
        note=comparison_sentence(ctx.results),
    )
    first = sheet.row + 1
    for i, r in enumerate(ctx.cells, 1):
        p = r.previous
        sheet.add(
            [
                i,
                r.unit.name,
                p.total if p is not None else None,
                (p.rating or "") if p is not None else "—",
                previous_verdict(p),
                r.total,
                r.rating or "",
                status_label(r),
                r.total - p.total if p is not None and final else None,
                r.streak if final else None,  # mid-year no streak is made or broken yet
            ]
        )
    if ctx.cells:
        for column in ("E", "H"):
            sheet.colour(f"{column}{first}:{column}{sheet.row}", verdict_colours())
    sheet.add([], styled=False)
    dang_bo = {r.unit.id: r for r in ctx.dang_bo}
    sheet.section(
        [
            Column(_("STT"), 6, centre=True),
            Column(_("Đơn vị cấp trên"), 38, wrap=True),
            Column(_("Số chi bộ năm {year}").format(year=before), 11, centre=True),
            Column(_("Được công nhận năm {year}").format(year=before), 12, centre=True),
            Column(_("Tỉ lệ năm {year}").format(year=before), 12, RATE, centre=True),
            Column(_("Số chi bộ năm {year}").format(year=year), 11, centre=True),
            Column(_("Được công nhận năm {year}").format(year=year), 12, centre=True),
            Column(_("Tỉ lệ năm {year}").format(year=year), 12, RATE, centre=True),
            Column(_("Tỉ lệ tăng (+), giảm (−), điểm phần trăm"), 12, CHANGE, centre=True),
            # The đảng bộ's own verdict ("Đảng bộ cơ sở 4 tốt") both years, when đảng bộ are scored
            *(
                [
                    Column(_("Kết quả đảng bộ năm {year}").format(year=before), 12, centre=True),
                    Column(_("Kết quả đảng bộ năm {year}").format(year=year), 12, centre=True),
                ]
                if dang_bo
                else []
            ),
        ]
    )
    names = unit_names(ctx)
    s = ctx.results.summary
    by_parent = last.by_parent if last is not None else {}
    start = sheet.row + 1
    for i, (pid, now) in enumerate(s.by_parent.items(), 1):
        row = [i, names.get(pid, pid), *_rates(by_parent.get(pid) if last else None, now, final)]
        own = dang_bo.get(pid)
        if own is not None:
            row += [previous_verdict(own.previous), status_label(own)]
        sheet.add(row)
    if dang_bo and s.by_parent:
        sheet.colour(f"J{start}:K{sheet.row}", verdict_colours())
    total = _rates(last.cells if last else None, s.cells, final)
    if last is not None and compared_cells(s.by_parent, last)[2]:
        total[-1] = None  # not the same đảng bộ both years: the note above compares those with both
    sheet.add([None, _("Tổng cộng"), *total], font=BOLD)
    sheet.finish("C5", autofilter=False)
