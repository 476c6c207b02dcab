"""The year-end report's wording, built once from the results and shared by the Markdown and Word writers.

Everything here is plain text (no Markdown, no Word styles): each writer escapes and styles it. Every
sentence goes through ``_()`` so the report follows ``--lang`` like every other message.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from chibo4tot.formatting import rate, vn_date_line, vn_number, vn_percent
from chibo4tot.i18n import _
from chibo4tot.models.types import UNIT_KIND_LABELS, UnitKind
from chibo4tot.models.workspace import WorkspaceConfig
from chibo4tot.report.assessment import criteria_stats, shortcomings, strengths
from chibo4tot.report.context import ReportContext
from chibo4tot.report.text_groups import failing_criteria, parent_names, uses_appendix
from chibo4tot.report.text_lists import (
    BLANK,
    Appendix,
    Table,
    Unrecognised,
    build_appendices,
    counted,
    data_notes,
    is_final,
    notes_subject,
    period_text,
    pointer,
    recognition_table,
    unrecognised_item,
)
from chibo4tot.results.views import (
    comparison_sentence,
    comparison_text,
    parent_of,
    rating_label,
    status_label,
)
from chibo4tot.scoring.results import Tally, UnitResult


@dataclass(frozen=True)
class Header:
    """The two-column header of a party document (Hướng dẫn 36-HD/VPTW)."""

    superior: str  # upper case
    issuing_body: str  # upper case, bold
    number: str  # "Số        -BC/ĐU"
    party: str  # "ĐẢNG CỘNG SẢN VIỆT NAM", bold and underlined
    date_line: str  # italic


@dataclass(frozen=True)
class Signature:
    recipients_label: str
    recipients: list[str]  # each ends with "," and the last with "."
    on_behalf: str
    position: str
    name: str  # "" when the workspace names no signer: signed by hand


@dataclass(frozen=True)
class ReportText:
    """The year-end report, section by section."""

    header: Header
    title: str
    subject: str
    intro: str
    results_heading: str
    results: list[str]  # sentences
    by_kind: Table
    by_parent: Table | None  # only when the cells belong to more than one đảng bộ
    dang_bo: list[str]  # đảng bộ cơ sở verdicts, one line each
    data_notes_heading: str
    data_notes: list[str]  # cells not scored and gaps in the records, stated in the text; [] when none
    data_notes_pointer: str  # at scale: a count in the body, the notes in an appendix; "" otherwise
    assessment_heading: str
    strengths_heading: str
    strengths: list[str]
    shortcomings_heading: str
    shortcomings: list[str]
    recognised_heading: str
    recognised: Table
    recognised_empty: str
    recognised_pointer: str  # at scale: the list is in an appendix; "" when it is in the body
    not_recognised_heading: str
    not_recognised: list[Unrecognised]
    not_recognised_empty: str
    not_recognised_pointer: str
    signature: Signature
    appendices: list[Appendix]  # [] when every list is in the body (``text_groups.uses_appendix``)


def build_header(ctx: ReportContext) -> Header:
    cfg = ctx.config
    number = _("Số {number}-BC/{abbreviation}").format(number=BLANK, abbreviation=cfg.abbreviation)
    return document_header(cfg, ctx.date, number)


def document_header(cfg: WorkspaceConfig, date: dt.date, number: str = "") -> Header:
    """The header of any document the đảng bộ issues, from its workspace file; ``number``: "Số …"."""
    return Header(
        superior=cfg.superior.upper(),
        issuing_body=cfg.issuing_body.upper(),
        number=number,
        party=_("ĐẢNG CỘNG SẢN VIỆT NAM"),
        date_line=vn_date_line(cfg.place, date),
    )


def _tallies(ctx: ReportContext) -> tuple[Tally, dict[str, Tally], dict[str, Tally]]:
    """Whole, by kind, by parent: the summary's own counts at year end (the same as the workbook and
    ``score``); mid-year, the cells still on track are counted instead of the (not yet) recognised."""
    s = ctx.results.summary
    if is_final(ctx):
        return s.cells, s.by_kind, s.by_parent
    on_track = {id(r) for r in counted(ctx)}
    whole = Tally()
    by_kind: dict[str, Tally] = {}
    by_parent: dict[str, Tally] = {}
    for r in ctx.cells:
        for t in (
            whole,
            by_kind.setdefault(r.unit.kind.value, Tally()),
            by_parent.setdefault(r.unit.parent or ctx.root_id, Tally()),
        ):
            t.units += 1
            t.recognised += id(r) in on_track
    return whole, by_kind, by_parent


def _tally_row(label: str, t: Tally) -> list[str]:
    return [label, str(t.units), str(t.recognised), vn_percent(rate(t.recognised, t.units))]


def _count_columns(ctx: ReportContext, first: str) -> list[str]:
    done = _("Được công nhận") if is_final(ctx) else _("Đang đạt yêu cầu")
    return [first, _("Số chi bộ"), done, _("Tỉ lệ")]


def _results(ctx: ReportContext) -> tuple[list[str], Table, Table | None]:
    whole, by_kind, by_parent = _tallies(ctx)
    share = vn_percent(rate(whole.recognised, whole.units))
    lines: list[str] = []
    if is_final(ctx):
        lines.append(
            _(
                "Tổng số chi bộ được đánh giá: {total}; được công nhận “Chi bộ 4 tốt”: {n} chi bộ, "
                "đạt {rate}; chưa được công nhận: {rest} chi bộ."
            ).format(total=whole.units, n=whole.recognised, rate=share, rest=whole.units - whole.recognised)
        )
        lines.append(comparison_sentence(ctx.results))  # or that last year's results are unknown
        lines += _parents_compared(ctx, by_parent)
    else:
        lines.append(
            _(
                "Số liệu tính đến hết tháng {month} năm {year}; kết quả công nhận chính thức được "
                "xác định sau khi kết thúc năm."
            ).format(month=ctx.results.as_of, year=ctx.year)
        )
        lines.append(
            _(
                "Tổng số chi bộ được theo dõi: {total}; đang đạt yêu cầu: {n} chi bộ ({rate}); "
                "không còn khả năng đạt: {rest} chi bộ."
            ).format(total=whole.units, n=whole.recognised, rate=share, rest=len(ctx.not_recognised))
        )
        lines.append(comparison_sentence(ctx.results))  # last year's rate, or that it is unknown
    if ctx.not_scored:
        lines.append(
            _(
                "Số liệu trên chưa tính {n} chi bộ chưa được chấm điểm (nêu tên ở phần lưu ý về số liệu "
                "dưới đây); tỉ lệ tính trên số chi bộ đã được chấm."
            ).format(n=len(ctx.not_scored))
        )
    ratings = Counter(r.rating for r in ctx.cells if r.rating)
    if ratings:
        parts = [_("{rating}: {n} chi bộ").format(rating=k, n=n) for k, n in _rating_order(ctx, ratings)]
        lines.append(_("Xếp loại theo tổng điểm: {parts}.").format(parts="; ".join(parts)))
    kind_rows = [
        _tally_row(_(UNIT_KIND_LABELS[kind]), by_kind[kind.value])
        for kind in UnitKind
        if kind.value in by_kind
    ]
    by_kind_table = Table(_count_columns(ctx, _("Loại chi bộ")), kind_rows, _tally_row(_("Tổng cộng"), whole))
    by_parent_table = None
    if len(by_parent) > 1:
        names = parent_names(ctx)
        cells: dict[str, list[UnitResult]] = {}
        for r in ctx.cells:
            cells.setdefault(parent_of(r, ctx.root_id), []).append(r)
        rows = [
            [*_tally_row(names.get(pid, pid), t), failing_criteria(cells.get(pid, []))]
            for pid, t in by_parent.items()
        ]
        by_parent_table = Table(
            [*_count_columns(ctx, _("Đảng bộ")), _("Tiêu chí nhiều chi bộ chưa đạt nhất (số chi bộ)")],
            rows,
            [*_tally_row(_("Tổng cộng"), whole), failing_criteria(ctx.cells)],
        )
    return lines, by_kind_table, by_parent_table


def _parents_compared(ctx: ReportContext, by_parent: dict[str, Tally]) -> list[str]:
    """With several đảng bộ and last year's results known: each one's rate beside last year's."""
    last = ctx.results.previous
    if last is None or len(by_parent) < 2:
        return []
    names = parent_names(ctx)
    return [
        _("{name}: {rate}, {change}.").format(
            name=names.get(pid, pid),
            rate=vn_percent(rate(t.recognised, t.units)),
            change=comparison_text(t, last.by_parent.get(pid), last.year),
        )
        for pid, t in by_parent.items()
    ]


def _rating_order(ctx: ReportContext, ratings: Counter[str]) -> list[tuple[str, int]]:
    """Best band first, as the recognition list ranks them."""
    rank = {band: i for i, band in enumerate(ctx.bands(ctx.cells))}
    return sorted(ratings.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def _dang_bo(ctx: ReportContext) -> list[str]:
    """Each đảng bộ cơ sở's own verdict with its reasons (after a count when there are several)."""
    if not ctx.dang_bo:
        return []
    t = ctx.results.summary.dang_bo
    lines = []
    if len(ctx.dang_bo) > 1:
        lines.append(
            _("Đảng bộ cơ sở được công nhận “Đảng bộ cơ sở 4 tốt”: {n}/{total} ({rate}).").format(
                n=t.recognised, total=t.units, rate=vn_percent(rate(t.recognised, t.units))
            )
        )
    for r in ctx.dang_bo:
        if r.status == "recognised":
            verdict = _("được công nhận “Đảng bộ cơ sở 4 tốt”")
        elif r.status == "not_recognised":
            verdict = _("chưa được công nhận “Đảng bộ cơ sở 4 tốt”")
        else:
            verdict = status_label(r).lower()
        line = _("{name}: {verdict} ({points} điểm, xếp loại {rating}).").format(
            name=r.unit.name,
            verdict=verdict,
            points=vn_number(r.total, 2, fixed=True),
            rating=rating_label(r),
        )
        if r.reasons:
            line += " " + _("Lý do: {reasons}").format(reasons=" ".join(r.reasons))
        last = r.previous
        if last is not None and r.status != "in_progress":
            line += " " + _("Năm {year}: {verdict} ({points} điểm, xếp loại {rating}).").format(
                year=last.year,
                verdict=_("được công nhận") if last.recognised else _("chưa được công nhận"),
                points=vn_number(last.total, 2, fixed=True),
                rating=last.rating or "—",
            )
        lines.append(line)
    return lines


def _recipients(ctx: ReportContext) -> list[str]:
    items = [x.rstrip(" ,;.") for x in ctx.config.recipients]
    if not any(x.casefold().startswith("lưu") for x in items):  # the office keeps a copy
        items.append(_("Lưu Văn phòng cấp ủy"))
    return [x + ("." if i == len(items) - 1 else ",") for i, x in enumerate(items)]


def build_report_text(ctx: ReportContext) -> ReportText:
    """The whole year-end report as plain text, for the given context."""
    period = period_text(ctx)
    results, by_kind, by_parent = _results(ctx)
    stats = criteria_stats(ctx.cells)
    heading_list = (
        _("Danh sách chi bộ được công nhận “Chi bộ 4 tốt” {period}")
        if is_final(ctx)
        else _("Danh sách chi bộ đang đạt yêu cầu “Chi bộ 4 tốt” {period}")
    )
    signer = ctx.config.signer
    notes = data_notes(ctx)
    recognised_heading = heading_list.format(period=period)
    not_recognised_heading = (
        _("Chi bộ chưa được công nhận và lý do")
        if is_final(ctx)
        else _("Chi bộ không còn khả năng đạt và lý do")
    )
    appendices = (
        build_appendices(ctx, recognised_heading, not_recognised_heading, notes) if uses_appendix(ctx) else []
    )
    return ReportText(
        header=build_header(ctx),
        title=_("BÁO CÁO"),
        subject=_("Kết quả đánh giá, công nhận “Chi bộ 4 tốt” {period}").format(period=period),
        intro=_(
            "Căn cứ {framework}, {issuing_body} báo cáo kết quả đánh giá, công nhận “Chi bộ 4 tốt” "
            "{period} như sau:"
        ).format(framework=ctx.results.framework_title, issuing_body=ctx.config.issuing_body, period=period),
        results_heading=_("KẾT QUẢ ĐÁNH GIÁ, CÔNG NHẬN"),
        results=results,
        by_kind=by_kind,
        by_parent=by_parent,
        dang_bo=_dang_bo(ctx),
        data_notes_heading=_("Lưu ý về số liệu: báo cáo lập khi hồ sơ chưa đầy đủ"),
        data_notes=notes,
        data_notes_pointer=pointer(
            appendices,
            notes_subject(),
            _("Có {n} lưu ý về số liệu, nêu tại Phụ lục {appendix}."),
            len(notes),
        ),
        assessment_heading=_("ƯU ĐIỂM, HẠN CHẾ"),
        strengths_heading=_("Ưu điểm"),
        strengths=strengths(ctx.cells, stats),
        shortcomings_heading=_("Hạn chế"),
        shortcomings=shortcomings(ctx.cells, stats),
        recognised_heading=recognised_heading.upper(),
        recognised=recognition_table(ctx),
        recognised_empty=_("Không có chi bộ nào."),
        recognised_pointer=pointer(
            appendices,
            recognised_heading,
            _("Danh sách {n} chi bộ tại Phụ lục {appendix}."),
            len(counted(ctx)),
        ),
        not_recognised_heading=not_recognised_heading.upper(),
        not_recognised=[unrecognised_item(r) for r in ctx.not_recognised],
        not_recognised_empty=_("Không có chi bộ nào."),
        not_recognised_pointer=pointer(
            appendices,
            not_recognised_heading,
            _("Danh sách {n} chi bộ và lý do của từng chi bộ tại Phụ lục {appendix}."),
            len(ctx.not_recognised),
        ),
        signature=Signature(
            recipients_label=_("Nơi nhận:"),
            recipients=_recipients(ctx),
            on_behalf=signer.on_behalf,
            position=signer.position,
            name=signer.name or "",
        ),
        appendices=appendices,
    )
