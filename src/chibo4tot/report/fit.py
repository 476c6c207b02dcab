"""The Word header's layout: text widths in Times New Roman, and line breaks that keep a name whole.

Word wraps a long name wherever its column ends ("ĐẢNG BỘ QUẬN THANH / XUÂN"); the header instead
sizes its columns from measured widths and breaks a name where a reader would: after a comma, or
between the body and its place, never inside a place name or inside "ĐẢNG ỦY", "THÀNH PHỐ".
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from chibo4tot.report.text import Header

Face = Literal["regular", "bold", "italic"]

PT_PER_CM = 72 / 2.54

# Advance widths of printable ASCII (space to "~") in 1/1000 em. Times New Roman and Liberation Serif
# (which LibreOffice substitutes for it) share them; Vietnamese letters take their base letter's
# width, except the horned ơ and ư, which are wider.
_ASCII: dict[Face, str] = {
    "regular": "250 333 408 500 500 833 778 180 333 333 500 564 250 333 250 278 500 500 500 500 500 500 "
    "500 500 500 500 278 278 564 564 564 444 921 722 667 667 722 611 556 722 722 333 389 722 611 889 722 "
    "722 556 722 667 556 611 722 722 944 722 722 611 333 278 333 469 500 333 444 500 444 500 444 333 500 "
    "500 278 278 500 278 778 500 500 500 500 333 389 278 500 500 722 500 500 444 480 200 480 541",
    "bold": "250 333 555 500 500 1000 833 278 333 333 500 570 250 333 250 278 500 500 500 500 500 500 500 "
    "500 500 500 333 333 570 570 570 500 930 722 667 722 722 667 611 778 778 389 500 778 667 944 722 778 "
    "611 778 722 556 667 722 722 1000 722 722 667 333 278 333 581 500 333 500 556 444 556 444 333 500 556 "
    "278 333 556 278 833 556 500 556 556 444 389 333 556 500 722 500 500 444 394 220 394 520",
    "italic": "250 333 420 500 500 833 778 214 333 333 500 675 250 333 250 278 500 500 500 500 500 500 500 "
    "500 500 500 333 333 675 675 675 500 920 611 611 667 722 611 611 722 722 333 444 667 556 833 667 722 "
    "611 722 611 500 556 722 611 833 611 556 556 389 278 389 422 500 333 500 500 444 500 444 278 500 500 "
    "278 278 444 278 722 500 500 500 500 389 389 278 500 444 667 444 444 389 400 275 400 541",
}
_HORNED: dict[Face, dict[str, int]] = {
    "regular": {"U": 776, "u": 542, "o": 529},
    "bold": {"U": 796, "u": 600, "o": 554},
    "italic": {"U": 754, "u": 545, "o": 534},
}
_TABLES = {
    face: dict(zip(map(chr, range(32, 127)), map(int, row.split()), strict=True))
    for face, row in _ASCII.items()
}
_UNKNOWN = 1000  # wider than any Latin letter: an unexpected character errs on the side of room


def _advance(ch: str, face: Face) -> int:
    table = _TABLES[face]
    if ch in table:
        return table[ch]
    if ch == NBSP:
        return table[" "]
    if ch in "Đđ":
        return table["D" if ch == "Đ" else "d"]
    decomposed = unicodedata.normalize("NFD", ch)
    base = decomposed[0]
    if "\u031b" in decomposed:  # the horn
        return _HORNED[face].get(base, table.get(base, _UNKNOWN))
    return table.get(base, _UNKNOWN)


def width_cm(text: str, size_pt: float, face: Face = "regular") -> float:
    """The width of ``text`` on one line, in centimetres."""
    return sum(_advance(ch, face) for ch in text) * size_pt / 1000 / PT_PER_CM


# Words that belong together: the body ("ĐẢNG ỦY", "HUYỆN ỦY") and the administrative level. A level,
# and a level's committee ("HUYỆN ỦY"), is followed by a place name, which runs to the next comma.
_BODIES = ("ban thường vụ", "ban chấp hành", "đảng ủy", "đảng bộ", "chi bộ")
_LEVELS = (
    *("tổ dân phố", "khu phố", "thành phố", "thị xã", "thị trấn", "đặc khu"),
    *("tỉnh", "huyện", "quận", "xã", "phường", "thôn", "bản", "ấp"),
)
_PHRASES = sorted(
    (tuple(p.split()) for p in (*_BODIES, *_LEVELS, *(f"{level} ủy" for level in _LEVELS))),
    key=lambda p: -len(p),
)
_BODY_PHRASES = {tuple(p.split()) for p in _BODIES}

AFTER_COMMA, BETWEEN, INSIDE = 0, 1, 2  # how bad a line break is
NBSP = "\u00a0"


def _plain(word: str) -> str:
    return unicodedata.normalize("NFC", word.casefold().rstrip(",;")).replace("uỷ", "ủy")


def break_costs(words: Sequence[str]) -> list[int]:
    """How bad a line break after each word but the last is."""
    plain = [_plain(w) for w in words]

    def phrase_at(i: int) -> tuple[str, ...] | None:
        return next((p for p in _PHRASES if tuple(plain[i : i + len(p)]) == p), None)

    def ends_clause(i: int) -> bool:
        return words[i].endswith((",", ";"))

    costs = [AFTER_COMMA if ends_clause(i) else BETWEEN for i in range(len(words) - 1)]
    i = 0
    while i < len(words):
        phrase = phrase_at(i)
        if phrase is None:
            i += 1
            continue
        end = i + len(phrase)
        costs[i : end - 1] = [INSIDE] * (len(phrase) - 1)
        if phrase not in _BODY_PHRASES and end < len(words):
            place = end  # the level may end a line, its place name starting the next
            end += 1
            while end < len(words) and not ends_clause(end - 1) and phrase_at(end) is None:
                end += 1
            costs[place : end - 1] = [INSIDE] * (end - 1 - place)
        i = end
    return costs


def _join(words: Sequence[str], costs: Sequence[int], start: int, stop: int) -> str:
    """Words ``start:stop`` on one line, glued with no-break spaces where a break would split a name:
    if Word finds the line wider than measured (another font), it can only wrap at a good place."""
    out = words[start]
    for i in range(start + 1, stop):
        out += (NBSP if costs[i - 1] == INSIDE else " ") + words[i]
    return out


def _layouts(
    words: Sequence[str], size_pt: float, face: Face, lines: int
) -> list[tuple[int, float, list[str]]]:
    """Every way to set ``words`` on ``lines`` lines: (worst break, widest line, the lines)."""
    costs = break_costs(words)
    out = []
    for gaps in itertools.combinations(range(len(words) - 1), lines - 1):
        bounds = [0, *(g + 1 for g in gaps), len(words)]
        text = [_join(words, costs, a, b) for a, b in itertools.pairwise(bounds)]
        worst = max((costs[g] for g in gaps), default=AFTER_COMMA)
        out.append((worst, max(width_cm(line, size_pt, face) for line in text), text))
    return out


def narrowest(text: str, size_pt: float, face: Face, max_lines: int = 2) -> float:
    """The narrowest column that holds ``text`` on ``max_lines`` lines or fewer without breaking a
    name (or, if only a name break could, with one)."""
    words = text.split()
    found = [c for n in range(1, min(max_lines, len(words)) + 1) for c in _layouts(words, size_pt, face, n)]
    good = [c for c in found if c[0] < INSIDE] or found
    return min((c[1] for c in good), default=0.0)


def split_lines(text: str, size_pt: float, face: Face, room_cm: float, max_lines: int = 2) -> list[str]:
    """``text`` on the fewest lines that fit ``room_cm``: at the least bad breaks and, among those,
    as evenly as possible; a name is broken only when nothing else fits. If nothing fits at all,
    the narrowest setting on ``max_lines`` lines."""
    words = text.split()
    if len(words) <= 1:
        return [text.strip()]
    counts = range(1, min(max_lines, len(words)) + 1)
    for allowed in (BETWEEN, INSIDE):
        for n in counts:
            fits = [c for c in _layouts(words, size_pt, face, n) if c[1] <= room_cm and c[0] <= allowed]
            if fits:
                return min(fits, key=lambda c: c[:2])[2]
    return min(_layouts(words, size_pt, face, counts[-1]), key=lambda c: c[1])[2]


# Room beside each measured line of the header, for Word and LibreOffice rounding to device units.
# Small: if a line still comes out too wide (another font), it wraps only where a no-break space
# does not forbid it, which is a good place.
HEADER_SLACK_CM = 0.15
LEFT_MIN_CM = 7.0  # the usual left column, when the names leave room for it
PARTY_PT = 15  # ĐẢNG CỘNG SẢN VIỆT NAM


@dataclass(frozen=True)
class HeaderLayout:
    widths: tuple[float, float]
    superior: list[str]
    issuing_body: list[str]
    date_line: list[str]


def _widest(lines: Sequence[str], size: float, face: Face) -> float:
    return max((width_cm(line, size, face) for line in lines), default=0.0)


def layout_header(h: Header, text_width_cm: float, size_pt: float) -> HeaderLayout:
    """Column widths and line breaks for the header: each name on at most two lines, broken where a
    reader would break it (never inside a place name), and the date line whole unless the names
    need its room, then broken after the place."""
    names: list[tuple[str, Face]] = [(h.superior, "regular"), (h.issuing_body, "bold")]
    narrow = [narrowest(text, size_pt, face) for text, face in names] + [width_cm(h.number, size_pt)]
    left_need = max(narrow) + HEADER_SLACK_CM
    party = width_cm(h.party, PARTY_PT, "bold")
    place, sep, rest = h.date_line.partition(", ")
    place, rest = place.replace(" ", NBSP), rest.replace(" ", NBSP)
    date = [place + sep + rest]
    if sep and max(party, _widest(date, size_pt, "italic")) + HEADER_SLACK_CM + left_need > text_width_cm:
        date = [place + sep.rstrip(), rest]
    right_need = max(party, _widest(date, size_pt, "italic")) + HEADER_SLACK_CM
    room = max(text_width_cm - right_need, left_need) - HEADER_SLACK_CM
    superior = split_lines(h.superior, size_pt, "regular", room)
    body = split_lines(h.issuing_body, size_pt, "bold", room)
    used = max(_widest(superior, size_pt, "regular"), _widest(body, size_pt, "bold")) + HEADER_SLACK_CM
    left = round(min(max(used, left_need, LEFT_MIN_CM), room + HEADER_SLACK_CM), 2)
    return HeaderLayout((left, round(text_width_cm - left, 2)), superior, body, date)
