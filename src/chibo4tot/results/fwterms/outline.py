"""``criteria show`` laid out: the described framework as indented lines, each flagged when it is
the framework's own rather than inherited. Pure: the command line wraps and prints them."""

from __future__ import annotations

from dataclasses import dataclass

from chibo4tot.i18n import _
from chibo4tot.results.fwterms.model import FrameworkTerms, Item
from chibo4tot.results.fwterms.words import number

# Terms a heading already carries, by section.
_IN_HEADING: dict[str, tuple[str, ...]] = {
    "framework": ("title",),
    "criterion": ("name", "points"),
    "indicator": ("name", "points"),
    "bonus": ("name",),
    "deduction": ("name",),
    "gate": ("title",),
}


@dataclass(frozen=True)
class Line:
    """One line of ``criteria show``; ``depth`` levels of indentation; ``own``: set by the framework
    shown (not inherited); ``text`` "" is a blank line."""

    depth: int
    text: str
    own: bool = False


def _section_heading(section: str, fw: FrameworkTerms) -> str:
    headings = {
        "criterion": _("TIÊU CHÍ, CHỈ TIÊU VÀ ĐIỂM (tổng {total} điểm)").format(total=number(fw.total)),
        "bonus": _("ĐIỂM THƯỞNG"),
        "deduction": _("ĐIỂM TRỪ"),
        "gate": _("ĐIỀU KIỆN LOẠI TRỪ (vướng một điều kiện thì không được công nhận, dù đủ điểm)"),
        "rating": _("XẾP LOẠI THEO TỔNG ĐIỂM (sau khi cộng điểm thưởng, trừ điểm trừ)"),
        "recognition": _("CÔNG NHẬN"),
        "quota": _("HẠN MỨC"),
    }
    return headings.get(section, "")


def _heading(item: Item) -> str:
    if item.section == "criterion":
        return _("Tiêu chí {id}. {name} — {points}").format(
            id=item.code, name=item.name, points=item.text("points")
        )
    if item.section == "indicator":
        return f"{item.code}. {item.name} — {item.text('points')}"
    if item.code and item.name:
        return f"{item.code}. {item.name}"
    return item.code


def outline(fw: FrameworkTerms, removed: list[Item] = ()) -> list[Line]:  # type: ignore[assignment]
    """Every item and term of ``fw`` in reading order, under section headings."""
    own = fw.id
    out: list[Line] = []
    section: str | None = None
    for item in fw.items:
        skip = _IN_HEADING.get(item.section, ())
        flagged = item.origin == own or any(t.origin == own for t in item.terms if t.key in skip)
        if item.section == "framework":
            out.append(Line(0, item.name, flagged))
            base = 1
        else:
            group = "criterion" if item.section == "indicator" else item.section
            if group != section and (heading := _section_heading(group, fw)):
                out += [Line(0, ""), Line(0, heading)]
            if item.section == "criterion":
                out.append(Line(0, ""))
            section = group
            head = _heading(item)
            base = item.depth
            if head:
                out.append(Line(item.depth, head, flagged))
                base += 1
        for t in item.terms:
            if t.key in skip:
                continue
            out.append(Line(base, f"{t.label}: {t.text}", t.origin == own))
            if t.key == "remove":
                out += [
                    Line(base + 1, f"{r.code}. {r.name} — {r.text('points')}", t.origin == own)
                    for r in removed
                ]
    return out
