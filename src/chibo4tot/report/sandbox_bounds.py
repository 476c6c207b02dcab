"""The bounds of the report-template sandbox (``sandbox.py``): limits, the checks that estimate an
operation's result from its arguments before it runs, and the filters wrapped with those checks.

Each check raises :class:`TemplateLimit` when an operation would pass a limit; see ``sandbox.py``
for why they must run before the operation, not after.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import filters
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Namespace

from chibo4tot.formatting import vn_number
from chibo4tot.i18n import _

MAX_INT_BITS = 100_000  # about 30,000 decimal digits
MAX_REPEAT = 100_000  # items made by one ``*``, ``slice`` or ``batch``
MAX_SIZE = 5_000_000  # characters of one string, items of one list (the report's own output cap)
MAX_WIDTH = 10_000  # a width, a precision or a padding
MAX_DEPTH = 100  # lists in lists
# Characters printed by {{ … }} in one render, those captured by {% set %} blocks and macros
# included (they never reach the output cap, yet each one is held in memory).
MAX_PRINTED = 4 * MAX_SIZE


class TemplateLimit(SecurityError):
    """An operation of a template refused because of the size of its result; ``reason`` is Vietnamese."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def count_text(value: int) -> str:
    return vn_number(value, 0)


def int_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimit(
            _("số quá lớn (khoảng {digits} chữ số; tối đa {limit} chữ số)").format(
                digits=count_text(int(bits * 0.30103)), limit=count_text(int(MAX_INT_BITS * 0.30103))
            )
        )


def size(size: int) -> None:
    if size > MAX_SIZE:
        raise TemplateLimit(
            _("chuỗi hay danh sách quá dài ({size} phần tử; tối đa {limit})").format(
                size=count_text(size), limit=count_text(MAX_SIZE)
            )
        )


def repeat(times: int) -> None:
    if times > MAX_REPEAT:
        raise TemplateLimit(
            _("lặp lại hay chia thành quá nhiều phần ({times}; tối đa {limit})").format(
                times=count_text(times), limit=count_text(MAX_REPEAT)
            )
        )


def _width(value: Any) -> None:
    """A width, precision or padding: an int, or the digits of one in a format spec."""
    if isinstance(value, str):
        digits = value.lstrip("0")
        too_big = len(digits) > len(str(MAX_WIDTH)) or (digits != "" and int(digits) > MAX_WIDTH)
        shown = value if len(value) <= 15 else value[:12] + "…"
    else:
        too_big = isinstance(value, int) and abs(value) > MAX_WIDTH
        shown = count_text(value) if isinstance(value, int) and too_big and value.bit_length() < 64 else "…"
    if too_big:
        raise TemplateLimit(
            _("độ rộng, độ chính xác hay số ký tự đệm {value} quá lớn (tối đa {limit})").format(
                value=shown, limit=count_text(MAX_WIDTH)
            )
        )


# printf-style: %[(name)][flags][width|*][.precision|*][length]type
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d*))?[hlL]?[a-zA-Z%]")


def check_printf(text: str, values: Any) -> None:
    """``text % values``: every width and precision within MAX_WIDTH, those given by ``*`` too."""
    starred = False
    for match in _PRINTF.finditer(text):
        for part in match.groups():
            if part == "*":
                starred = True
            elif part:
                _width(part)
    if starred:
        for value in values if isinstance(values, tuple) else (values,):
            if isinstance(value, int):
                _width(value)


def _format_spec(spec: str) -> None:
    for digits in re.findall(r"\d+", spec):
        _width(digits)


class BoundedFormatter(SandboxedFormatter):
    """str.format in the sandbox, with every field's final spec (nested fields filled) checked."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        _format_spec(format_spec)
        return super().format_field(value, format_spec)


class BoundedEscapeFormatter(BoundedFormatter, SandboxedEscapeFormatter):
    pass


def _children(value: Any) -> Iterable[Any] | None:
    """What ``str(value)`` writes out in turn, for the containers a template can build."""
    if isinstance(value, dict):
        return (part for pair in value.items() for part in pair)
    if isinstance(value, list | tuple | set | frozenset):
        return value
    if isinstance(value, Namespace):  # its repr writes every attribute's value
        attrs: dict[str, Any] = value._Namespace__attrs
        return attrs.values()
    return None


def expanded(value: Any) -> int:
    """How long ``value`` is when written out in full, in items and characters: a list holding
    the same big list 1,000 times counts it 1,000 times, as ``str()`` (one C-level step) would
    write it. Each distinct container is walked once; counting stops past MAX_SIZE."""
    sizes: dict[int, int] = {}

    def size(item: Any, depth: int) -> int:
        if isinstance(item, str | bytes):
            return len(item)
        children = _children(item)
        if children is None:
            return 1
        if id(item) in sizes:
            return sizes[id(item)]
        if depth > MAX_DEPTH:
            raise TemplateLimit(_("dữ liệu lồng nhau quá sâu (hơn {limit} cấp)").format(limit=MAX_DEPTH))
        total = 1
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_SIZE:
                break
        sizes[id(item)] = total
        return total

    return size(value, 0)


def built(value: Any) -> Any:
    """``value`` once its written-out size is known to be within MAX_SIZE."""
    if _children(value) is not None:
        size(expanded(value))
    return value


def _replaced_size(text: str, old: str, new: str, count: Any) -> int:
    found = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a call of a string or int method whose result would be too large; the arguments to
    call it with (``join``'s iterable is read once here, so it is passed on as a list)."""
    owner = getattr(obj, "__self__", None)
    name = getattr(obj, "__name__", "")
    if isinstance(owner, str | bytes | bytearray):
        if name in ("center", "ljust", "rjust", "zfill"):
            _width(args[0] if args else kwargs.get("width"))
        elif name == "expandtabs":
            tabsize = args[0] if args else kwargs.get("tabsize", 8)
            _width(tabsize)
            if isinstance(tabsize, int):
                tabs = owner.count("\t") if isinstance(owner, str) else owner.count(b"\t")
                size(len(owner) + tabs * tabsize)
        elif name == "replace" and len(args) >= 2 and all(isinstance(a, type(owner)) for a in args[:2]):
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            size(_replaced_size(str(owner), str(args[0]), str(args[1]), count))
        elif name == "join" and args:
            items = list(args[0])
            size(len(owner) * max(len(items) - 1, 0) + sum(len(i) for i in items if hasattr(i, "__len__")))
            return (items, *args[1:])
    elif isinstance(owner, int) and name == "to_bytes":
        length = args[0] if args else kwargs.get("length", 1)
        if isinstance(length, int):
            size(length)
    return args


def checked(original: Callable[..., Any], check: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
    """A filter or global ``original`` that first runs ``check`` on its named arguments (which it
    may replace, e.g. an iterable read into a list); Jinja's pass_* marker is kept by ``wraps``."""
    signature = inspect.signature(original)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        check(bound.arguments)
        return original(*bound.args, **bound.kwargs)

    return wrapper


def _center(a: dict[str, Any]) -> None:
    _width(a["width"])


def _indent(a: dict[str, Any]) -> None:
    width = a["width"]
    pad = len(width) if isinstance(width, str) else width
    _width(pad)
    if isinstance(pad, int):
        size(len(str(a["s"])) + (str(a["s"]).count("\n") + 1) * pad)


def _join(a: dict[str, Any]) -> None:
    items = a["value"] = list(a["value"])
    text = sum(len(str(i)) for i in items) if a["attribute"] is None else 0
    size(text + len(str(a["d"])) * max(len(items) - 1, 0))


def _replace(a: dict[str, Any]) -> None:
    size(_replaced_size(str(a["s"]), str(a["old"]), str(a["new"]), a["count"]))


def _round(a: dict[str, Any]) -> None:
    _width(a["precision"])


def _slices(a: dict[str, Any]) -> None:
    count = a.get("slices", a.get("linecount"))
    if isinstance(count, int):
        repeat(count)
        if a["fill_with"] is not None:  # repeated to fill the last part
            size(expanded(a["fill_with"]) * count)


def _format(a: dict[str, Any]) -> None:
    check_printf(str(a["value"]), a["kwargs"] or a["args"])


def lipsum_args(a: dict[str, Any]) -> None:
    for key in ("n", "min", "max"):
        _width(a[key])


# The plain (not async-variant) filters: their signatures name every argument, eval_ctx included.
CHECKED_FILTERS: dict[str, tuple[Callable[..., Any], Callable[[dict[str, Any]], None]]] = {
    "center": (filters.do_center, _center),
    "indent": (filters.do_indent, _indent),
    "join": (filters.sync_do_join, _join),
    "replace": (filters.do_replace, _replace),
    "round": (filters.do_round, _round),
    "slice": (filters.sync_do_slice, _slices),
    "batch": (filters.do_batch, _slices),
    "format": (filters.do_format, _format),
}
