"""Short Vietnamese texts for explain and reasons: operators, periods, facts. Pure."""

from __future__ import annotations

import functools
import string
from decimal import Decimal
from fractions import Fraction

from chibo4tot.formatting import vn_number, vn_percent
from chibo4tot.i18n import N_, _

_OPS = {">": N_("trên"), ">=": N_("từ"), "<": N_("dưới"), "<=": N_("không quá"), "==": N_("bằng")}
_RATE_FACTS = frozenset(
    {"attendance_rate", "members_good_share", "members_excellent_share", "sub_units_recognised_share"}
)
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def op_text(op: str) -> str:
    return _(_OPS[op])


def fmt_number(value: Fraction | Decimal | int) -> str:
    return vn_number(value, 4)


def fmt_points(value: Fraction | Decimal | int, places: int = 2) -> str:
    """A number the framework declares (a minimum, a maximum): as written, "90", "8,5"."""
    return vn_number(value, places)


def fmt_score(value: Fraction | Decimal | int, places: int = 2) -> str:
    """A computed score: always with its decimals, "45,90", the same figure as every table shows."""
    return vn_number(value, places, fixed=True)


def fmt_fact(source: str, raw: object) -> str:
    if raw is None:
        return "—"
    if isinstance(raw, bool):
        return _("có") if raw else _("không")
    if source in _RATE_FACTS and isinstance(raw, Fraction | Decimal | int):
        return vn_percent(raw)
    if isinstance(raw, Fraction | Decimal | int):
        return fmt_number(raw)
    return str(raw)


def fmt_share(share: Fraction) -> str:
    """vn_percent of an exact share, worked out once per share (a province repeats a few hundred)."""
    return _share_text(share.numerator, share.denominator)


@functools.lru_cache(maxsize=4096)
def _share_text(numerator: int, denominator: int) -> str:
    return vn_percent(Fraction(numerator, denominator))


def month_label(month: int, year: int) -> str:
    return f"{month:02d}/{year}"


@functools.lru_cache(maxsize=64)
def month_labels(year: int) -> tuple[str, ...]:
    """The twelve month labels of a year, made once (every unit shares the same strings)."""
    return tuple(month_label(month, year) for month in range(1, 13))


def quarter_label(quarter: int, year: int) -> str:
    return _("Quý {q}/{year}").format(q=ROMAN[quarter], year=year)


def render_reason(template: str, detail: str, fields: dict[str, str]) -> str:
    """The framework's reason with its particulars filled in; without fields, the detail in brackets.

    Templates were checked when the framework was read, so every field named here exists.
    """
    if "{" in template:
        return template.format_map({"detail": detail, **fields})
    if not detail:
        return template
    body, end = (template[:-1], template[-1]) if template.endswith((".", "!")) else (template, "")
    return f"{body} ({detail}){end}"


def generic_reason(template: str) -> str:
    """The reason shared by many units (a report's shortcomings): particulars left as "…"."""
    names = [n for _t, n, _s, _c in string.Formatter().parse(template) if n is not None]
    return template.format_map(dict.fromkeys(names, "…")) if names else template
