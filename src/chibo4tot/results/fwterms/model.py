"""The shape of a framework described in words: items of term lines, each line with its origin. Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

Section = Literal[
    "framework", "criterion", "indicator", "bonus", "deduction", "gate", "rating", "recognition", "quota"
]


@dataclass(frozen=True)
class Term:
    """One line of an item: what it is about (``label``) and what it says (``text``).

    ``key`` is stable across versions of a framework (two descriptions are compared by it);
    ``origin`` is the id of the framework the line comes from.
    """

    key: str
    label: str
    text: str
    origin: str = ""


@dataclass(frozen=True)
class Item:
    """A criterion, an indicator, a gate…: its code, name, points and the lines that describe it."""

    key: str  # "indicator:2.1.3", "gate:ky-luat", "framework"… unique in a framework
    section: Section
    kind_label: str  # "Chỉ tiêu", "Điều kiện"… as a diff names the item
    code: str
    name: str
    terms: tuple[Term, ...]
    depth: int = 0  # under its section heading: 0 a criterion, 1 an indicator or a rule, 2 a sub-indicator
    points: Decimal | None = None  # the maximum, for the table of the "Bộ tiêu chí" document
    sub_points: bool = False  # points on a composite's own scale, not added to the criterion
    origin: str = ""

    def term(self, key: str) -> Term | None:
        return next((t for t in self.terms if t.key == key), None)

    def text(self, key: str) -> str:
        found = self.term(key)
        return found.text if found is not None else ""

    @property
    def heading(self) -> str:
        """ "Chỉ tiêu 2.1.3. Tỉ lệ …": how a diff names the item."""
        if self.code and self.name:
            return f"{self.kind_label} {self.code}. {self.name}"
        return " ".join(part for part in (self.kind_label, self.code or self.name) if part)


@dataclass(frozen=True)
class FrameworkTerms:
    """The whole framework in words, items in reading order."""

    id: str
    title: str
    extends: str | None
    lineage: tuple[str, ...]  # ids from the root ancestor down to this framework
    total: Decimal  # the criteria's points added up (100 for the shipped frameworks)
    items: tuple[Item, ...] = field(default_factory=tuple)
    dang_bo: bool = False  # the framework scores đảng bộ, not chi bộ (see words.speaking_of)

    def item(self, key: str) -> Item | None:
        return next((i for i in self.items if i.key == key), None)

    def section(self, *sections: Section) -> list[Item]:
        return [i for i in self.items if i.section in sections]


def term(key: str, label: str, text: str) -> Term:
    return Term(key, label, text)
