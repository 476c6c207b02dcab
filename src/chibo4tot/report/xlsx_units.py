"""The workbook's per-cell sheets: details, points by month and the recognition list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from chibo4tot.i18n import _
from chibo4tot.models.types import UNIT_KIND_LABELS
from chibo4tot.report.context import ReportContext, unpacked_briefly
from chibo4tot.report.xlsx_sheet import GREEN, POINTS, RED, Column, Sheet
from chibo4tot.results.views import STATUS_LABELS, deductions_off_total, parent_of, status_label
from chibo4tot.scoring.results import UnitResult

MONTHS = range(1, 13)


def verdict_colours() -> list[tuple[str, tuple[str, str]]]:
    """Đạt green, Không đạt red (in the language the workbook is written in)."""
    passed, failed = STATUS_LABELS["recognised"], STATUS_LABELS["not_recognised"]
    return [(_(passed), GREEN), (_(failed), RED)]


def reasons(r: UnitResult) -> str:
    """Why a unit was not recognised (or what it lacked), as the table and CSV of ``score`` show it."""
    return " ".join(r.reasons) if r.reasons else "; ".join(r.needed)


def unit_names(ctx: ReportContext) -> dict[str, str]:
    """Unit id → name, the workspace's own đảng bộ included (it is the parent of top-level cells)."""
    names = ctx.other_names | {ctx.config.id: ctx.config.name}
    names.update((u.id, u.name) for u, _why in ctx.results.unscored)
    names.update((r.unit.id, r.unit.name) for r in ctx.results.units)
    return names


def criteria_of(results: list[UnitResult]) -> dict[str, tuple[str, Decimal]]:
    """Criterion id → (name, maximum), in the order the frameworks list them (first seen wins)."""
    out: dict[str, tuple[str, Decimal]] = {}
    for r in results:
        for c in r.criteria:
            out.setdefault(c.id, (c.name, c.max_points))
    return out


def criterion_label(cid: str) -> str:
    return _("Tiêu chí {id}").format(id=cid)


def month_label(month: int) -> str:
    return _("Tháng {month}").format(month=month)


def detail_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> None:
    """Chi tiết: one row per cell with its points per criterion, bonus, deductions, total and verdict."""
    cells = ctx.cells
    criteria = list(criteria_of(cells))
    names = unit_names(ctx)
    kinds = {kind: _(label) for kind, label in UNIT_KIND_LABELS.items()}
    sheet = Sheet(
        wb,
        _("Chi tiết"),
        _("KẾT QUẢ CHẤM ĐIỂM TỪNG CHI BỘ NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("STT"), 6, centre=True),
            Column(_("Mã"), 24),
            Column(_("Tên chi bộ"), 34, wrap=True),
            Column(_("Loại"), 20, wrap=True),
            Column(_("Trực thuộc"), 26, wrap=True),
            *(Column(criterion_label(cid), 10, POINTS, centre=True) for cid in criteria),
            Column(_("Thưởng"), 9, POINTS, centre=True),
            Column(_("Trừ"), 9, POINTS, centre=True),
            Column(_("Tổng điểm"), 10, POINTS, centre=True),
            Column(_("Xếp loại"), 12, centre=True),
            Column(_("Kết quả"), 12, centre=True),
            Column(_("Lý do"), 60, wrap=True),
        ],
    )
    for i, r in enumerate(cells, 1):
        points = {c.id: c.points for c in r.criteria}
        parent = parent_of(r, ctx.root_id)
        sheet.add(
            [
                i,
                r.unit.id,
                r.unit.name,
                kinds[r.unit.kind],
                names.get(parent, parent),
                *(points.get(cid) for cid in criteria),
                r.bonus,
                deductions_off_total(r),
                r.total,
                r.rating or "",
                status_label(r),
                reasons(r),
            ]
        )
    verdict = len(sheet.columns) - 1  # the column before "Lý do"
    if cells:
        column = sheet.letter(verdict)
        sheet.colour(f"{column}5:{column}{sheet.row}", verdict_colours())
    sheet.finish("D5")


def monthly_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> None:
    """Theo tháng: a row per cell and criterion, each recorded month's points on the criterion's scale."""
    sheet = Sheet(
        wb,
        _("Theo tháng"),
        _("ĐIỂM TỪNG THÁNG THEO TIÊU CHÍ NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("Mã"), 24),
            Column(_("Tên chi bộ"), 34, wrap=True),
            Column(_("Tiêu chí"), 11, centre=True),
            *(Column(month_label(m), 9, POINTS, centre=True) for m in MONTHS),
            Column(_("Cả năm"), 9, POINTS, centre=True),
        ],
    )
    labels: dict[str, str] = {}
    empty: dict[str, Decimal] = {}
    for r in ctx.cells:
        monthly = unpacked_briefly(r).monthly
        for c in r.criteria:
            label = labels.get(c.id) or labels.setdefault(c.id, criterion_label(c.id))
            by_month = [monthly.get(m, empty).get(c.id) for m in MONTHS]
            sheet.add([r.unit.id, r.unit.name, label, *by_month, c.points])
    sheet.finish("D5")


def recognition_sheet(wb: Any, ctx: ReportContext, subtitle: str) -> None:
    """Danh sách công nhận: the recognised cells ranked as in the Word and Markdown lists, ready to attach
    to a decision."""
    sheet = Sheet(
        wb,
        _("Danh sách công nhận"),
        _("DANH SÁCH CHI BỘ ĐẠT DANH HIỆU “CHI BỘ 4 TỐT” NĂM {year}").format(year=ctx.year),
        subtitle,
        [
            Column(_("STT"), 6, centre=True),
            Column(_("Tên chi bộ"), 50, wrap=True),
            Column(_("Điểm"), 10, POINTS, centre=True),
            Column(_("Xếp loại"), 14, centre=True),
            Column(_("Ghi chú"), 40, wrap=True),
        ],
    )
    recognised = ctx.ranked(ctx.recognised)
    for i, r in enumerate(recognised, 1):
        note = _("{n} năm liền đạt “Chi bộ 4 tốt”.").format(n=r.streak) if r.streak > 1 else ""
        sheet.add([i, r.unit.name, r.total, r.rating or "", note])
    sheet.finish("A5", autofilter=False)
    sheet.add([], styled=False)
    sheet.add([None, _("Tổng số: {n} chi bộ.").format(n=len(recognised))], styled=False)
