"""The year-end report's lists of cells: the recognition table, the cells not recognised with their
reasons, the notes on the figures, and the appendices they move to at scale (``text_groups``).

Plain text like the rest of ``text.py``, which builds the report around them.
"""

from __future__ import annotations

from dataclasses import dataclass

from chibo4tot.formatting import vn_date_line, vn_number
from chibo4tot.i18n import _
from chibo4tot.report.context import ReportContext
from chibo4tot.report.text_groups import by_parent as group_by_parent
from chibo4tot.scoring.results import UnitResult

# A number left blank to be filled in by hand; non-breaking spaces survive Markdown and Word.
BLANK = "\u00a0" * 8


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[str]]
    footer: list[str] | None = None  # a totals row


@dataclass(frozen=True)
class Unrecognised:
    """A cell not recognised: its name, its score in a few words, and why."""

    name: str
    summary: str
    reasons: list[str]


@dataclass(frozen=True)
class AppendixGroup:
    """One đảng bộ's part of an appendix ("" as heading when the list is not grouped)."""

    heading: str
    table: Table | None = None  # recognised cells, numbered across the whole appendix
    items: list[Unrecognised] | None = None  # cells not recognised, numbered from ``start``
    start: int = 1
    lines: list[str] | None = None


@dataclass(frozen=True)
class Appendix:
    """A "Phụ lục" after the signature, attached to the report (Hướng dẫn 36-HD/VPTW)."""

    title: str  # "PHỤ LỤC 1"
    subject: str
    attachment: str  # "(Kèm theo Báo cáo số …)"
    groups: list[AppendixGroup]


def is_final(ctx: ReportContext) -> bool:
    return ctx.results.as_of >= 12


def counted(ctx: ReportContext) -> list[UnitResult]:
    """The cells the report counts as "đạt": recognised at year end, still on track mid-year."""
    if is_final(ctx):
        return ctx.recognised
    return [r for r in ctx.cells if r.status == "in_progress"]


def period_text(ctx: ReportContext) -> str:
    if is_final(ctx):
        return _("năm {year}").format(year=ctx.year)
    return _("năm {year} (tính đến hết tháng {month})").format(year=ctx.year, month=ctx.results.as_of)


def data_notes(ctx: ReportContext) -> list[str]:
    """What the figures leave out or rest on: cells not scored, and each gap in the records."""
    notes = [
        _("{name} ({id}) chưa được chấm điểm: {reason}{files}.").format(
            name=n.name,
            id=n.id,
            reason=n.reason,
            files=" (" + ", ".join(n.files) + ")" if n.files else "",
        )
        for n in ctx.not_scored
    ]
    for gap in ctx.gaps:
        where = ctx.show(gap.path)
        if gap.line is not None and where.endswith((".yaml", ".yml")):
            where += ", " + _("dòng {line}").format(line=gap.line)
        notes.append(f"{gap.message} ({where})." if where else f"{gap.message}.")
    return notes


def _note(r: UnitResult) -> str:
    notes = []
    if r.streak >= 2:
        notes.append(_("{n} năm liền").format(n=r.streak))
    if r.demoted_by:  # the quota's full sentence is in the workbook; here a few words are enough
        notes.append(_("Điều chỉnh theo hạn mức"))
    return "; ".join(notes)


def recognition_table(ctx: ReportContext, ranked: list[UnitResult] | None = None, start: int = 1) -> Table:
    """STT | Tên chi bộ | Điểm | Xếp loại | Ghi chú, ranked as the framework ranks (``ctx.ranked``);
    ``ranked``: only these cells (already ranked), numbered from ``start``."""
    columns = [_("STT"), _("Tên chi bộ"), _("Điểm"), _("Xếp loại"), _("Ghi chú")]
    listed = ctx.ranked(counted(ctx)) if ranked is None else ranked
    rows = [
        [str(i), r.unit.name, vn_number(r.total, 2, fixed=True), r.rating or "", _note(r)]
        for i, r in enumerate(listed, start=start)
    ]
    return Table(columns, rows)


def list_subject(ctx: ReportContext) -> str:
    """What the recognition list lists: recognised cells, or mid-year the cells still on track."""
    if is_final(ctx):
        return _("Chi bộ được công nhận “Chi bộ 4 tốt” {period}").format(period=period_text(ctx))
    return _("Chi bộ đang đạt yêu cầu “Chi bộ 4 tốt” {period}").format(period=period_text(ctx))


def unrecognised_item(r: UnitResult) -> Unrecognised:
    points = vn_number(r.total, 2, fixed=True)
    summary = (
        _("{points} điểm, xếp loại {rating}").format(points=points, rating=r.rating)
        if r.rating
        else _("{points} điểm").format(points=points)
    )
    reasons = list(r.reasons)
    if r.needed:
        reasons.append(_("Cần có: {needed}.").format(needed="; ".join(r.needed)))
    return Unrecognised(r.unit.name, summary, reasons)


def _attachment(ctx: ReportContext) -> str:
    day = vn_date_line("", ctx.date).removeprefix(", ")  # "ngày 15 tháng 01 năm 2025"
    return _("(Kèm theo Báo cáo số {number}-BC/{abbreviation}, {day} của {body})").format(
        number=BLANK, abbreviation=ctx.config.abbreviation, day=day, body=ctx.config.issuing_body
    )


def build_appendices(
    ctx: ReportContext, recognised_subject: str, not_recognised_subject: str, notes: list[str]
) -> list[Appendix]:
    """The per-cell lists as appendices, each đảng bộ's cells together (numbered straight through)."""
    parts: list[tuple[str, list[AppendixGroup]]] = []
    ranked = ctx.ranked(counted(ctx))
    if ranked:
        groups, start = [], 1
        for heading, members in _grouped(ctx, ranked):
            groups.append(AppendixGroup(heading, recognition_table(ctx, members, start)))
            start += len(members)
        parts.append((recognised_subject, groups))
    if ctx.not_recognised:
        groups, start = [], 1
        for heading, members in _grouped(ctx, ctx.not_recognised):
            items = [unrecognised_item(r) for r in members]
            groups.append(AppendixGroup(heading, items=items, start=start))
            start += len(members)
        parts.append((not_recognised_subject, groups))
    if notes:
        parts.append((notes_subject(), [AppendixGroup("", lines=notes)]))
    attachment = _attachment(ctx)
    return [
        Appendix(_("PHỤ LỤC {n}").format(n=i), subject, attachment, groups)
        for i, (subject, groups) in enumerate(parts, start=1)
    ]


def notes_subject() -> str:
    return _("Lưu ý về số liệu: thiếu sót về hồ sơ và chi bộ chưa được chấm điểm")


def _grouped(ctx: ReportContext, results: list[UnitResult]) -> list[tuple[str, list[UnitResult]]]:
    """``results`` by đảng bộ, each headed "<name> (<n> chi bộ)"; one group and no heading when the
    cells all belong to one đảng bộ."""
    groups = group_by_parent(ctx, results)
    if len(groups) == 1:
        return [("", results)]
    return [(_("{name} ({n} chi bộ)").format(name=name, n=len(members)), members) for name, members in groups]


def pointer(appendices: list[Appendix], subject: str, sentence: str, count: int) -> str:
    """The body's sentence for a list that moved to an appendix; "" when it did not."""
    number = next((i for i, a in enumerate(appendices, start=1) if a.subject == subject), None)
    return "" if number is None else sentence.format(n=count, appendix=number)
