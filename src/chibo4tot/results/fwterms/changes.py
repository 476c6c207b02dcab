"""What changed between two frameworks, in an organiser's words: "Ngưỡng đạt: trên 85% → trên 90%". Pure.

Two descriptions (``describe``) are compared item by item and line by line, so every change of a
number, a word or a rule shows as the line that reads differently; an added item is shown whole,
with its points; a removed one with its name and points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from chibo4tot.i18n import _
from chibo4tot.results.fwterms.model import FrameworkTerms, Item

NONE = "—"


@dataclass(frozen=True)
class TermChange:
    """One line that reads differently; ``old`` or ``new`` is "" when the line is only on one side."""

    key: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    kind: Literal["added", "removed", "changed"]
    item: Item  # the new item, or the old one when removed
    terms: tuple[TermChange, ...] = ()

    @property
    def size(self) -> int:
        """How many changes this counts for: an added or removed item is one."""
        return 1 if self.kind != "changed" else len(self.terms)


def _term_changes(old: Item, new: Item) -> tuple[TermChange, ...]:
    before = {t.key: t for t in old.terms}
    after = {t.key: t for t in new.terms}
    out = []
    for key, t in after.items():
        was = before.get(key)
        if was is None:
            out.append(TermChange(key, t.label, "", t.text))
        elif was.label != t.label:  # what the line is about changed: say what it was about
            out.append(TermChange(key, t.label, f"{was.label}: {was.text}", t.text))
        elif was.text != t.text:
            out.append(TermChange(key, t.label, was.text, t.text))
    out += [TermChange(key, t.label, t.text, "") for key, t in before.items() if key not in after]
    return tuple(out)


def compare(old: FrameworkTerms, new: FrameworkTerms) -> list[ItemChange]:
    """Every item added, removed or changed, in the new framework's order (a removed item where it was)."""
    new_keys = {i.key for i in new.items}
    old_keys = {i.key for i in old.items}
    out: list[ItemChange] = []
    # A removed item goes right after the last item before it that both frameworks have.
    removed_after: dict[str | None, list[Item]] = {}
    anchor: str | None = None
    for item in old.items:
        if item.key in new_keys:
            anchor = item.key
        else:
            removed_after.setdefault(anchor, []).append(item)
    out += [ItemChange("removed", i) for i in removed_after.get(None, [])]
    for item in new.items:
        if item.key not in old_keys:
            # The name is in the item's heading already.
            added = tuple(TermChange(t.key, t.label, "", t.text) for t in item.terms if t.key != "name")
            out.append(ItemChange("added", item, added))
        else:
            before = old.item(item.key)
            assert before is not None
            terms = _term_changes(before, item)
            if terms:
                out.append(ItemChange("changed", item, terms))
        out += [ItemChange("removed", i) for i in removed_after.get(item.key, [])]
    return out


def count(changes: list[ItemChange]) -> int:
    return sum(c.size for c in changes)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def summary(item: Item) -> str:
    """ "Chỉ tiêu 4.6. Đảng viên … (2 điểm)": an added or removed item in one line."""
    shown = item.text("points")
    return f"{item.heading} ({shown})" if shown else item.heading


def change_lines(old_id: str, new_id: str, changes: list[ItemChange]) -> list[str]:
    """The comparison as plain lines (never wrapped: "trên 85% → trên 90%" stays on one line)."""
    lines = [_("So sánh {old} → {new}: {n} thay đổi").format(old=old_id, new=new_id, n=count(changes))]
    for c in changes:
        if c.kind == "removed":
            lines.append(_("- bỏ {what}").format(what=_lower_first(summary(c.item))))
            continue
        if c.kind == "added":
            lines.append(_("+ thêm {what}").format(what=_lower_first(summary(c.item))))
            lines += [f"    {t.label}: {t.new}" for t in c.terms]
            continue
        lines.append(f"~ {c.item.heading}")
        lines += [f"    {t.label}: {t.old or NONE} → {t.new or NONE}" for t in c.terms]
    return lines
