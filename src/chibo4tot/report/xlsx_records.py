"""The workbook's input sheets: which monthly records exist (and were reviewed), and every input problem."""

from __future__ import annotations

from typing import Any

from chibo4tot.errors import Severity
from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext, unpacked_briefly
from chibo4tot.report.xlsx_sheet import AMBER, GREEN, RED, Column, Sheet
from chibo4tot.report.xlsx_units import MONTHS, month_label
from chibo4tot.scoring.results import PeriodScore, UnitResult


def _from_review(period: PeriodScore) -> bool:
    # Where the value was read says which layer decided it: ("review", "values", id) for a review;
    # a composite keeps that on its sub-indicators.
    if period.loc:
        return period.loc[0] == "review"
    return any(ch.score.loc[:1] == ("review",) for ch in period.children) if period.children else False


def reviewed_months(r: UnitResult) -> set[int]:
    """Months whose record had a review layer that decided at least one monthly indicator.

    Results keep no records, only where each value came from; a review that decided no monthly
    indicator (only quarterly or yearly ones, or no values at all) is not seen.
    """
    out: set[int] = set()
    for c in r.criteria:
        for ind in unpacked_briefly(c).indicators:
            if len(ind.periods) == len(MONTHS):  # quarterly and yearly indicators are skipped
                for month, period in enumerate(ind.periods, 1):
                    if _from_review(period):
                        out.add(month)
    return out


def completeness_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> None:
    """Đầy đủ hồ sơ: cell × month, "có" / "thiếu" / "đã thẩm định"; months after the as-of month blank."""
    present, missing, reviewed = _("có"), _("thiếu"), _("đã thẩm định")
    sheet = Sheet(
        wb,
        _("Đầy đủ hồ sơ"),
        _("TÌNH HÌNH HỒ SƠ TỰ ĐÁNH GIÁ HẰNG THÁNG NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("Mã"), 24),
            Column(_("Tên chi bộ"), 34, wrap=True),
            *(Column(month_label(m), 9, centre=True) for m in MONTHS),
            Column(_("Số tháng có hồ sơ"), 10, centre=True),
            Column(_("Số tháng đã thẩm định"), 10, centre=True),
            Column(_("Số tháng thiếu"), 10, centre=True),
        ],
    )
    for r in ctx.cells:
        recorded = set(r.months_recorded)
        checked = reviewed_months(r)
        grid = [
            None if m > r.as_of else missing if m not in recorded else reviewed if m in checked else present
            for m in MONTHS
        ]
        counts = [len(recorded), len(checked & recorded), len(r.months_missing)]
        sheet.add([r.unit.id, r.unit.name, *grid, *counts])
    if ctx.cells:
        last = sheet.letter(2 + len(MONTHS))
        sheet.colour(f"C5:{last}{sheet.row}", [(missing, RED), (reviewed, GREEN), (present, GREEN)])
    sheet.finish("C5")
    sheet.add([], styled=False)
    note = _(
        "“đã thẩm định”: tháng có ít nhất một chỉ tiêu lấy kết quả đảng ủy thẩm định thay cho tự đánh giá."
    )
    sheet.add([note], styled=False)


def problems_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> None:
    """Vấn đề: every input problem and warning, located by file, line and column."""
    error, warning = _("lỗi"), _("cảnh báo")
    sheet = Sheet(
        wb,
        _("Vấn đề"),
        _("LỖI VÀ CẢNH BÁO TRONG HỒ SƠ NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("STT"), 6, centre=True),
            Column(_("Tệp"), 45, wrap=True),
            Column(_("Dòng"), 7, centre=True),
            Column(_("Cột"), 7, centre=True),
            Column(_("Mức"), 10, centre=True),
            Column(_("Vị trí"), 26, wrap=True),
            Column(_("Thông báo"), 70, wrap=True),
        ],
    )
    for i, p in enumerate(ctx.problems, 1):
        where = p.place()
        level = error if p.severity is Severity.ERROR else warning
        sheet.add([i, ctx.show(p.path), p.line, p.col, level, where, p.message])
    if ctx.problems:
        sheet.colour(f"E5:E{sheet.row}", [(error, RED), (warning, AMBER)])
    else:
        sheet.add([None, _("Không có lỗi hoặc cảnh báo.")])
    sheet.finish("A5")
