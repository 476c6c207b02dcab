"""Slips of hand-typed YAML, found line by line, so a syntax error names the line to fix.

A YAML parser notices a slip where it can no longer go on, often a line or more after it:
``"3.1":Đạt`` (no space after the colon) reads as one piece of text, and the parser only
complains at the next key, "missing colon". When a file fails to parse, the lines up to the
failure are scanned for the slips office staff make (a missing space after ``:`` or ``-``, a tab,
an unclosed quote, a misaligned key, curly quotes or a full-width colon from a word processor)
and the first one whose correction lets the parser get further is reported at its own line
instead (a curly quote in a valid text is left alone). Pure: the caller passes the parse check.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from chibo4tot.i18n import N_, _
from chibo4tot.inputs.decoding import YamlProblem

# A key as our files write them: quoted, or plain without spaces ("members", "1.2", "2024-03").
_KEY = r"""(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[A-Za-z0-9_][A-Za-z0-9_.\-]*)"""
_NO_SPACE = re.compile(rf"^(?P<lead>\s*(?:-\s+)?)(?P<key>{_KEY}):(?P<value>[^\s/:\\].*)$")
_KEY_LINE = re.compile(rf"^\s*(?:-\s+)?{_KEY}:(?:\s|$)")
_DASH_NO_SPACE = re.compile(r"^(?P<lead>\s*)-(?P<rest>[^\s\d.\-].*)$")
_BLOCK_SCALAR = re.compile(r"(?:^|:\s|-\s)\s*[|>][-+0-9]*\s*$")
_CURLY = "“”‘’"
_FULL_WIDTH_COLON = "："


@dataclass(frozen=True)
class _Slip:
    """A suspected slip: the message at its place, and the line as it would be once corrected."""

    problem: YamlProblem
    fixes: tuple[str, ...]


@dataclass(frozen=True)
class _Line:
    number: int  # 1-based
    text: str  # without its comment
    indent: int


def _strip_comment(line: str) -> str:
    """The line without a trailing ``# comment`` (a # inside quotes or a word is kept)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "\"'" and (i == 0 or line[i - 1] in " \t:-[{,"):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _content_lines(text: str) -> Iterator[_Line]:
    """The lines that hold YAML structure: not blank, not comments, not inside a block scalar
    (``notes: |``) or a flow collection spread over lines, whose text is free."""
    block_indent: int | None = None
    flow_depth = 0
    for number, raw in enumerate(text.splitlines(), 1):
        body = _strip_comment(raw)
        stripped = body.lstrip(" ")
        indent = len(body) - len(stripped)
        if not stripped or stripped in ("---", "..."):
            continue
        if block_indent is not None:
            if indent > block_indent:
                continue
            block_indent = None
        if flow_depth == 0:
            yield _Line(number, body, indent)
        flow_depth = max(
            flow_depth + body.count("[") + body.count("{") - body.count("]") - body.count("}"), 0
        )
        if _BLOCK_SCALAR.search(body):
            block_indent = indent


def _tab(line: _Line, _previous: list[_Line]) -> _Slip | None:
    lead = line.text[: len(line.text) - len(line.text.lstrip(" \t"))]
    if "\t" not in lead:
        return None
    problem = YamlProblem(
        _("thụt lề bằng phím Tab: YAML chỉ thụt lề bằng dấu cách"), line.number, lead.index("\t") + 1
    )
    rest = line.text[len(lead) :]
    return _Slip(problem, tuple(lead.replace("\t", " " * n) + rest for n in (2, 4, 1, 0)))


def _full_width_colon(line: _Line, _previous: list[_Line]) -> _Slip | None:
    at = line.text.find(_FULL_WIDTH_COLON)
    if at < 0:
        return None
    problem = YamlProblem(
        _("dấu hai chấm toàn khổ “：” không phải dấu hai chấm của YAML; hãy gõ dấu hai chấm thường “:”"),
        line.number,
        at + 1,
    )
    return _Slip(
        problem, (line.text.replace(_FULL_WIDTH_COLON + " ", ": ").replace(_FULL_WIDTH_COLON, ": "),)
    )


_STARTS_QUOTED = r"^(?P<lead>\s*(?:-\s+)?)(?:[^:\s\"'“‘][^:]*:\s+)?(?P<q>{quotes})"


def _curly_quote(line: _Line, _previous: list[_Line]) -> _Slip | None:
    """A key or a value that starts with a curly quote, typed as if it quoted the text."""
    match = re.match(_STARTS_QUOTED.format(quotes="[“‘]"), line.text)
    if match is None:
        return None
    curly, straight = ("“ ”", '"') if match["q"] == "“" else ("‘ ’", "'")
    problem = YamlProblem(
        _("dấu nháy cong {curly} không phải dấu nháy của YAML; hãy gõ dấu nháy thẳng {straight}").format(
            curly=curly, straight=straight
        ),
        line.number,
        match.start("q") + 1,
    )
    head, tail = line.text[: match.start("q")], line.text[match.start("q") :]
    return _Slip(problem, (head + tail.translate(str.maketrans("“”‘’", "\"\"''")),))


def _no_space_after_colon(line: _Line, _previous: list[_Line]) -> _Slip | None:
    match = _NO_SPACE.match(line.text)
    if match is None:
        return None
    problem = YamlProblem(
        _("thiếu dấu cách sau dấu hai chấm: hãy viết “{key}: {value}”").format(
            key=match["key"], value=match["value"]
        ),
        line.number,
        match.end("key") + 1,
    )
    return _Slip(problem, (line.text[: match.end("key") + 1] + " " + match["value"],))


def _no_space_after_dash(line: _Line, previous: list[_Line]) -> _Slip | None:
    """``-Lưu`` where a list item ``- Lưu`` was meant."""
    match = _DASH_NO_SPACE.match(line.text)
    if match is None:
        return None
    problem = YamlProblem(
        _("thiếu dấu cách sau dấu gạch đầu dòng: hãy viết “- {rest}”").format(rest=match["rest"]),
        line.number,
        line.indent + 1,
    )
    return _Slip(problem, (match["lead"] + "- " + match["rest"],))


def _unclosed_quote(line: _Line, _previous: list[_Line]) -> _Slip | None:
    """A key or value opened with a straight quote that the line never closes."""
    match = re.match(_STARTS_QUOTED.format(quotes="[\"']"), line.text)
    if match is None:
        return None
    quote, start = match["q"], match.end("q")
    rest = line.text[start:]
    closed = re.search(r'(?<!\\)"', rest) if quote == '"' else re.search("'", rest.replace("''", ""))
    if closed is not None:
        return None
    problem = YamlProblem(
        _("chuỗi mở bằng dấu nháy {quote} chưa được đóng trên dòng này; hãy thêm {quote} ở cuối").format(
            quote=quote
        ),
        line.number,
        start,
    )
    return _Slip(problem, (line.text + quote,))


def _takes_children(line: _Line) -> bool:
    """Whether the lines after this one may be indented deeper: a ``key:`` without a value, a
    ``- `` item, or a line that opens a flow collection or a block scalar."""
    text = line.text.rstrip()
    return (
        text.endswith((":", "[", "{", "-"))
        or text.lstrip().startswith("- ")
        or bool(_BLOCK_SCALAR.search(text))
    )


def _child_indents(line: _Line) -> list[int]:
    """Indents at which this line's own content sits: ``- id: a`` at 2 is an item at 2 and a
    mapping at 4."""
    out = [line.indent]
    rest = line.text[line.indent :]
    offset = line.indent
    while (m := re.match(r"-\s+", rest)) is not None:
        offset += m.end()
        rest = rest[m.end() :]
        out.append(offset)
    return out


def _indentation(line: _Line, previous: list[_Line], open_indents: list[int]) -> _Slip | None:
    if not previous or not _KEY_LINE.match(line.text):
        return None
    above = previous[-1]
    body = line.text.lstrip(" ")
    if line.indent > above.indent and not _takes_children(above) and _KEY_LINE.match(above.text):
        problem = YamlProblem(
            _(
                "thụt lề sâu hơn dòng {line} ở trên ({here} so với {there} dấu cách) trong khi dòng đó đã "
                "có giá trị; các khóa cùng cấp phải thẳng hàng"
            ).format(line=above.number, here=line.indent, there=above.indent),
            line.number,
            line.indent + 1,
        )
        return _Slip(problem, (" " * above.indent + body,))
    if line.indent < above.indent and line.indent not in open_indents:
        near = sorted({i for i in open_indents if i < above.indent} | {above.indent})
        levels = ", ".join(str(i) for i in near[:-1])
        problem = YamlProblem(
            _("thụt lề {here} dấu cách không khớp với các dòng ở trên (đang thụt {levels} dấu cách)").format(
                here=line.indent,
                levels=_(_OR).format(first=levels, last=near[-1]) if levels else near[-1],
            ),
            line.number,
            line.indent + 1,
        )
        return _Slip(problem, tuple(" " * i + body for i in reversed(near)))
    return None


_OR = N_("{first} hoặc {last}")
_SCANS: tuple[Callable[[_Line, list[_Line]], _Slip | None], ...] = (
    _tab,
    _full_width_colon,
    _curly_quote,
    _unclosed_quote,
    _no_space_after_dash,
    _no_space_after_colon,
)
# Each candidate costs one more parse of a file that already failed; a file full of suspects
# (a pasted text) stops being searched after this many (fewer for a large file).
MAX_TRIES = 20
LARGE_TEXT = 100_000


def _candidates(text: str, up_to: int | None) -> Iterator[_Slip]:
    previous: list[_Line] = []
    open_indents: list[int] = []
    for line in _content_lines(text):
        if up_to is not None and line.number > up_to:
            return
        for scan in _SCANS:
            if (slip := scan(line, previous)) is not None:
                yield slip
        if (slip := _indentation(line, previous, open_indents)) is not None:
            yield slip
        open_indents = [i for i in open_indents if i < line.indent] + _child_indents(line)
        previous.append(line)


def find_slip(text: str, better: Callable[[str, int], bool], up_to: int | None = None) -> YamlProblem | None:
    """The first slip on a line at or before ``up_to`` (every line when None) whose correction
    makes ``better(corrected text, its line)`` true (the parser gets further), or None."""
    lines = text.splitlines()
    ends = text.splitlines(keepends=True)
    limit = MAX_TRIES if len(text) < LARGE_TEXT else 3
    for tries, slip in enumerate(_candidates(text, up_to)):
        if tries >= limit:
            break
        n = slip.problem.line or 1
        comment = lines[n - 1][len(_strip_comment(lines[n - 1])) :]
        for fixed in slip.fixes:
            newline = ends[n - 1][len(lines[n - 1]) :]
            corrected = "".join([*ends[: n - 1], fixed + comment + newline, *ends[n:]])
            if better(corrected, n):
                return slip.problem
    return None
