"""The one place numbers, percentages and dates are rounded (half-up) and written the Vietnamese way."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable
from decimal import Decimal
from fractions import Fraction

LOCALE = "vi"
RATE_PLACES = 4  # a rate is kept to 4 places: 0.4152, shown as 41,52%

Number = Fraction | Decimal | int


def round_half_up(value: Number, places: int) -> Decimal:
    """Round exactly (no binary floats) half away from zero to ``places`` decimals."""
    x = value if isinstance(value, Fraction) else Fraction(value)
    scaled = x * 10**places
    magnitude = math.floor(abs(scaled) + Fraction(1, 2))
    digits = -magnitude if scaled < 0 else magnitude
    return Decimal(digits).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def rate(part: int, whole: int) -> Decimal | None:
    """A recognition rate, rounded once: 142/342 → 0.4152."""
    return round_half_up(Fraction(part, whole), RATE_PLACES) if whole else None


def rate_change(now: Decimal | None, before: Decimal | None) -> Decimal | None:
    """The change between two recognition rates (each rounded once), in percentage points:
    0.4545 after 0.3636 → 9.09."""
    return None if now is None or before is None else (now - before) * 100


@functools.lru_cache(maxsize=4096)
def vn_number(value: Number, places: int = 2, *, fixed: bool = False) -> str:
    """8.5 → "8,5"; 12345.5 → "12.345,5"; with ``fixed`` the zeros stay: "94,50"."""
    # Here, not at the top: the command line imports this module for its text helpers, and a
    # command answered from the cache writes no number (once per value: the result is cached).
    from babel.numbers import format_decimal

    rounded = round_half_up(value, places)
    pattern = "#,##0" + (("." + ("0" if fixed else "#") * places) if places else "")
    return format_decimal(rounded, format=pattern, locale=LOCALE)


def vn_percent(value: Number | None, places: int = 2) -> str:
    """0.4152 → "41,52%" (the rate is rounded first, so every output shows the same figure)."""
    if value is None:
        return "—"
    share = value if isinstance(value, Fraction) else Fraction(value)
    return vn_number(round_half_up(share * 100, places), places, fixed=True) + "%"


def vn_date_line(place: str, day: dt.date) -> str:
    """The date line of a party document: "Thượng Phùng, ngày 05 tháng 02 năm 2025".

    Hướng dẫn 36-HD/VPTW: days below 10 and months 1 and 2 are written with a leading zero.
    """
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def months_text(months: Iterable[int]) -> str:
    """``[6, 7, 8]`` → ``"6, 7, 8"``: months as a secretary writes them."""
    return ", ".join(str(m) for m in months)


# The one rule for control characters in text a person reads, wherever it is shown: the terminal,
# Markdown, Word, Excel and CSV. From a file they can only do harm: C0 controls other than TAB and
# LF (ESC starts terminal sequences, CR overwrites a line; XML cannot hold most of them, so a Word
# or Excel writer would fail on one character of a unit name), DEL, the C1 controls (U+009B is a
# one-character ESC[), the bidirectional controls that show a name reordered ("Trojan source"),
# lone surrogates and the non-characters U+FFFE/U+FFFF. Each is replaced by a visible stand-in,
# never dropped, so that the reader sees there is something to fix in the source file.
CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffe\uffff]"
)


def _stand_in(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode's control pictures: U+0001 → ␁, ESC → ␛, CR → ␍
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible_controls(text: str) -> str:
    """``text`` with every control character (``CONTROLS``) replaced by a visible stand-in."""
    return CONTROLS.sub(_stand_in, text)
