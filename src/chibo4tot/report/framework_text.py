"""The "Bộ tiêu chí" document's wording, built once from a described framework for the md and Word writers.

The document organisers attach to their guidance: the table of criteria and indicators with their
points (and a total row), then bonus and deductions, gates, rating bands, the recognition rule and
quotas, and how points are counted. With a workspace it carries the đảng bộ's header (Hướng dẫn
36-HD/VPTW, no number: it is an attachment); without one there is no issuing body to name, so the
document starts at its title and the framework's issuer is named below it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from chibo4tot.i18n import _
from chibo4tot.models.workspace import WorkspaceConfig
from chibo4tot.report.text import Header, document_header
from chibo4tot.results.fwterms import FrameworkTerms, Item
from chibo4tot.results.fwterms.words import number

# Indicator lines the table's "how it is scored" sentence is made of, besides the name and points.
_HOW = ("kind", "source", "threshold", "scale", "levels")
_WHEN = ("period", "rollup")
_CAUGHT = (*_HOW, *_WHEN, "name", "points")
_COUNTING = ("missing_month", "decimal_places", "review_gap")  # the framework's own settings


@dataclass(frozen=True)
class CriteriaRow:
    """A row of the table: a criterion (level 0), an indicator (1) or a sub-indicator (2)."""

    code: str
    name: str
    details: list[str]  # how it is scored, one sentence each
    points: str  # "25", "(10)" for a sub-indicator on its composite's own scale
    level: int


@dataclass(frozen=True)
class Section:
    heading: str
    intro: str
    lines: list[str]


@dataclass(frozen=True)
class FrameworkDocument:
    header: Header | None  # None without a workspace
    title: str
    subject: str
    scope: str
    basis_heading: str
    basis: list[str]
    table_heading: str
    columns: list[str]  # Mã | Tiêu chí, chỉ tiêu | Cách chấm | Điểm tối đa
    word_columns: list[str]  # the Word table writes how it is scored under the name: three columns
    rows: list[CriteriaRow]
    total_label: str
    total: str
    note: str  # "" unless some points are on a sub-scale
    sections: list[Section]


def sentence(text: str) -> str:
    """``text`` ending with a full stop (once)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _details(item: Item) -> list[str]:
    """How an indicator is scored, in a few sentences: "Xếp mức (chi bộ tự đánh giá): Tốt: 8 điểm; …"."""
    composite = any(t.key.startswith("band:") for t in item.terms)
    lines = []
    kind = item.text("kind")
    if kind:
        source = item.text("source")
        how = _capital(kind) + (f" ({source})" if source else "")
        own = ("threshold", "scale") if composite else ("threshold", "scale", "levels")
        parts = [item.text(k) for k in own if item.text(k)]
        parts += [f"{t.label.lower()}: {t.text}" for t in item.terms if t.key.startswith("override:")]
        lines.append(sentence(f"{how}: {'; '.join(parts)}" if parts else how))
    lines += [sentence(f"{t.label}: {t.text}") for t in item.terms if t.key.startswith("band:")]
    levels = item.term("levels")
    if composite and levels is not None:
        lines.append(sentence(f"{levels.label}: {levels.text}"))
    period, rollup = item.text("period"), item.text("rollup")
    if period and rollup:
        lines.append(sentence(_("Chấm {period}; cả năm: {rollup}").format(period=period, rollup=rollup)))
    elif period:
        lines.append(sentence(_("Chấm {period}").format(period=period)))
    elif rollup:
        lines.append(sentence(_("Cả năm: {rollup}").format(rollup=rollup)))
    lines += [
        sentence(f"{t.label}: {t.text}")
        for t in item.terms
        if t.key not in _CAUGHT and not t.key.startswith(("override:", "band:"))
    ]
    return lines


def _rows(fw: FrameworkTerms) -> list[CriteriaRow]:
    rows = []
    for item in fw.section("criterion", "indicator"):
        shown = number(item.points) if item.points is not None else ""
        if item.section == "criterion":
            minimum = item.text("min_points")
            details = [sentence(_("Điểm tối thiểu: {points}").format(points=minimum))] if minimum else []
            name = _("Tiêu chí {id}: {name}").format(id=item.code, name=item.name)
            rows.append(CriteriaRow(item.code, name, details, shown, 0))
            continue
        points = f"({shown})" if item.sub_points else shown
        rows.append(CriteriaRow(item.code, item.name, _details(item), points, min(item.depth, 2)))
    return rows


def _bonus_lines(fw: FrameworkTerms) -> list[str]:
    lines = []
    for item in fw.section("bonus"):
        if not item.code:
            lines.append(_("Điểm thưởng (tối đa {points}):").format(points=item.text("max_points")))
            continue
        lines.append(
            sentence(
                _("- {name}: {points} mỗi lần; đếm theo {source}").format(
                    name=item.name, points=item.text("points"), source=item.text("source")
                )
            )
        )
    deductions = fw.section("deduction")
    if deductions:
        lines.append(_("Điểm trừ:"))
    for item in deductions:
        lines.append(
            sentence(
                _("- {name}: {points} mỗi lần, trừ tối đa {cap}, trừ vào {target}; đếm theo {source}").format(
                    name=item.name,
                    points=item.text("points"),
                    cap=item.text("max_points"),
                    target=item.text("criterion"),
                    source=item.text("source"),
                )
            )
        )
    return lines


def _gate_section(fw: FrameworkTerms) -> Section:
    lines = [
        sentence(
            f"{i}. {g.text('title')}: {g.text('rule')}"
            if g.text("title")
            else f"{i}. {_capital(g.text('rule'))}"
        )
        for i, g in enumerate(fw.section("gate"), start=1)
    ]
    recognition = fw.item("recognition")
    blocking = recognition is None or recognition.text("gates_must_pass") != _("không xét")
    intro = (
        (
            _("Đảng bộ vướng một trong các điều kiện sau thì không được công nhận, dù đủ điểm:")
            if fw.dang_bo
            else _("Chi bộ vướng một trong các điều kiện sau thì không được công nhận, dù đủ điểm:")
        )
        if blocking
        else _("Các điều kiện sau được theo dõi, không xét khi công nhận:")
    )
    return Section(_("ĐIỀU KIỆN LOẠI TRỪ"), intro, lines)


def _rating_lines(fw: FrameworkTerms) -> list[str]:
    lines = []
    for item in fw.section("rating"):
        lines.append(_("Xếp loại theo tổng điểm (sau khi cộng điểm thưởng, trừ điểm trừ):"))
        lines += [sentence(f"- {t.label}: {t.text}") for t in item.terms]
    for item in fw.section("recognition"):
        labelled = [t for k in ("min_total", "min_rating") if (t := item.term(k)) is not None]
        parts = [f"{t.label.lower()} {t.text}" for t in labelled]
        parts[1:1] = [item.text("every_criterion_min"), item.text("gates_must_pass")]
        lines.append(
            sentence(_("Công nhận {title} khi: {rule}").format(title=item.name, rule="; ".join(parts)))
        )
    for item in fw.section("quota"):
        parts = [item.text(k) for k in ("rule", "scope", "tie_break")]
        parts.append(_("chi bộ vượt hạn mức {demote}").format(demote=item.text("demote_to")))
        lines.append(sentence(_("Hạn mức: {rule}").format(rule="; ".join(parts))))
    return lines


def _sections(fw: FrameworkTerms) -> list[Section]:
    out = []
    bonus = _bonus_lines(fw)
    if bonus:
        out.append(Section(_("ĐIỂM THƯỞNG, ĐIỂM TRỪ"), "", bonus))
    if fw.section("gate"):
        out.append(_gate_section(fw))
    out.append(Section(_("XẾP LOẠI VÀ CÔNG NHẬN"), "", _rating_lines(fw)))
    head = fw.item("framework")
    if head is not None:
        counting = [sentence(f"{t.label}: {t.text}") for t in head.terms if t.key in _COUNTING]
        out.append(Section(_("CÁCH TÍNH ĐIỂM"), "", counting))
    return out


def build_framework_document(
    fw: FrameworkTerms, config: WorkspaceConfig | None, date: dt.date
) -> FrameworkDocument:
    """The "Bộ tiêu chí" document of ``fw``; ``config``: the workspace issuing it, if any."""
    head = fw.item("framework")
    assert head is not None
    years = head.text("years")
    kinds = head.text("applies_to")
    scope = _("({issuer}; áp dụng năm {years} đối với: {kinds})").format(
        issuer=head.text("issuer"), years=years, kinds=kinds.lower() if kinds else ""
    )
    sub_scale = any(r.sub_points for r in fw.section("indicator"))
    return FrameworkDocument(
        header=document_header(config, date) if config is not None else None,
        title=_("BỘ TIÊU CHÍ"),
        subject=fw.title,
        scope=scope,
        basis_heading=_("Căn cứ:"),
        basis=[sentence(t.text) for t in head.terms if t.key.startswith("document:")],
        table_heading=_("TIÊU CHÍ, CHỈ TIÊU VÀ THANG ĐIỂM"),
        columns=[_("Mã"), _("Tiêu chí, chỉ tiêu"), _("Cách chấm"), _("Điểm tối đa")],
        word_columns=[_("Mã"), _("Tiêu chí, chỉ tiêu và cách chấm"), _("Điểm tối đa")],
        rows=_rows(fw),
        total_label=_("Tổng cộng"),
        total=number(fw.total),
        note=_(
            "Điểm trong ngoặc là điểm của chỉ tiêu con, tính trên thang riêng của chỉ tiêu chứa nó; "
            "không cộng trực tiếp vào tiêu chí."
        )
        if sub_scale
        else "",
        sections=_sections(fw),
    )
