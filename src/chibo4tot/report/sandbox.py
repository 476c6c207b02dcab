"""The sandbox a workspace's report template runs in: Jinja's immutable sandbox, and every
operation whose cost grows with its arguments bounded *before* it runs.

Why before: the time budget (``markdown._run_limited``) stops a template between two Python
steps, but a single C-level operation holds the interpreter until it is done —
``(((10**100)**100)**100)**100`` never ends, ``"{:>1999999999}".format(1)`` builds a 2 GB
string, and neither the timer nor Ctrl-C gets a word in meanwhile. So the size of the result is
estimated from the arguments (bit lengths of integers, widths in format specs, lengths of
strings and lists) and an operation past a limit is refused with :class:`TemplateLimit`, at the
template line that asked for it. The limits are far beyond anything a year-end report needs.

What is bounded: the operators ``**`` ``*`` ``+`` ``%`` and ``~``; the written-out size of every
list, tuple and dict the template builds (literals, ``*``, ``+``, call results), shared parts
counted as often as ``str()`` would write them; ``str.format``/``format_map``
widths and precisions (nested ones included) and printf-style ``%`` specs (the ``%`` operator
and the ``format`` filter); the string methods that pad, repeat or join (``center``, ``ljust``,
``rjust``, ``zfill``, ``expandtabs``, ``replace``, ``join``) and ``int.to_bytes``; the filters
``center``, ``indent``, ``join``, ``replace``, ``round``, ``slice``, ``batch``; ``lipsum``;
every captured block (``{% set x %}…``, macros), which is joined by :meth:`concat`; and the
characters printed in all, captured ones included (MAX_PRINTED).
Jinja has no shift operator, and ``range`` is already capped by Jinja's sandbox (MAX_RANGE).
"""

from __future__ import annotations

import functools
import inspect
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from jinja2 import filters
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.nodes import Concat, Dict, List, Tuple
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedEscapeFormatter, SandboxedFormatter
from jinja2.utils import Namespace, generate_lorem_ipsum
from markupsafe import Markup

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


def _count(value: int) -> str:
    return vn_number(value, 0)


def _int_bits(bits: int) -> None:
    if bits > MAX_INT_BITS:
        raise TemplateLimit(
            _("số quá lớn (khoảng {digits} chữ số; tối đa {limit} chữ số)").format(
                digits=_count(int(bits * 0.30103)), limit=_count(int(MAX_INT_BITS * 0.30103))
            )
        )


def _size(size: int) -> None:
    if size > MAX_SIZE:
        raise TemplateLimit(
            _("chuỗi hay danh sách quá dài ({size} phần tử; tối đa {limit})").format(
                size=_count(size), limit=_count(MAX_SIZE)
            )
        )


def _repeat(times: int) -> None:
    if times > MAX_REPEAT:
        raise TemplateLimit(
            _("lặp lại hay chia thành quá nhiều phần ({times}; tối đa {limit})").format(
                times=_count(times), limit=_count(MAX_REPEAT)
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
        shown = _count(value) if isinstance(value, int) and too_big and value.bit_length() < 64 else "…"
    if too_big:
        raise TemplateLimit(
            _("độ rộng, độ chính xác hay số ký tự đệm {value} quá lớn (tối đa {limit})").format(
                value=shown, limit=_count(MAX_WIDTH)
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


class _BoundedFormatter(SandboxedFormatter):
    """str.format in the sandbox, with every field's final spec (nested fields filled) checked."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        _format_spec(format_spec)
        return super().format_field(value, format_spec)


class _BoundedEscapeFormatter(_BoundedFormatter, SandboxedEscapeFormatter):
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


def _expanded(value: Any) -> int:
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
        _size(_expanded(value))
    return value


def _replaced_size(text: str, old: str, new: str, count: Any) -> int:
    found = len(text) + 1 if old == "" else text.count(old)
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _check_method(obj: Any, args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
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
                _size(len(owner) + tabs * tabsize)
        elif name == "replace" and len(args) >= 2 and all(isinstance(a, type(owner)) for a in args[:2]):
            count = args[2] if len(args) > 2 else kwargs.get("count", -1)
            _size(_replaced_size(str(owner), str(args[0]), str(args[1]), count))
        elif name == "join" and args:
            items = list(args[0])
            _size(len(owner) * max(len(items) - 1, 0) + sum(len(i) for i in items if hasattr(i, "__len__")))
            return (items, *args[1:])
    elif isinstance(owner, int) and name == "to_bytes":
        length = args[0] if args else kwargs.get("length", 1)
        if isinstance(length, int):
            _size(length)
    return args


def _checked(original: Callable[..., Any], check: Callable[[dict[str, Any]], None]) -> Callable[..., Any]:
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
        _size(len(str(a["s"])) + (str(a["s"]).count("\n") + 1) * pad)


def _join(a: dict[str, Any]) -> None:
    items = a["value"] = list(a["value"])
    text = sum(len(str(i)) for i in items) if a["attribute"] is None else 0
    _size(text + len(str(a["d"])) * max(len(items) - 1, 0))


def _replace(a: dict[str, Any]) -> None:
    _size(_replaced_size(str(a["s"]), str(a["old"]), str(a["new"]), a["count"]))


def _round(a: dict[str, Any]) -> None:
    _width(a["precision"])


def _slices(a: dict[str, Any]) -> None:
    count = a.get("slices", a.get("linecount"))
    if isinstance(count, int):
        _repeat(count)
        if a["fill_with"] is not None:  # repeated to fill the last part
            _size(_expanded(a["fill_with"]) * count)


def _format(a: dict[str, Any]) -> None:
    check_printf(str(a["value"]), a["kwargs"] or a["args"])


def _lipsum(a: dict[str, Any]) -> None:
    for key in ("n", "min", "max"):
        _width(a[key])


# The plain (not async-variant) filters: their signatures name every argument, eval_ctx included.
_CHECKED_FILTERS: dict[str, tuple[Callable[..., Any], Callable[[dict[str, Any]], None]]] = {
    "center": (filters.do_center, _center),
    "indent": (filters.do_indent, _indent),
    "join": (filters.sync_do_join, _join),
    "replace": (filters.do_replace, _replace),
    "round": (filters.do_round, _round),
    "slice": (filters.sync_do_slice, _slices),
    "batch": (filters.do_batch, _slices),
    "format": (filters.do_format, _format),
}


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with ``a ~ b`` joined by the environment's checked :meth:`Sandbox.tilde`
    and every list, tuple and dict written in the template passed through :func:`built`: ten
    lines of ``{% set x = [x, x, x, x, x, x, x, x, x, x] %}`` make a value of 10**10 items."""

    def _built(self, visit: Callable[[Any, Frame], None], node: Any, frame: Frame) -> None:
        self.write("environment.built(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: List, frame: Frame) -> None:
        self._built(super().visit_List, node, frame)

    def visit_Dict(self, node: Dict, frame: Frame) -> None:
        self._built(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: Tuple, frame: Frame) -> None:
        if node.ctx == "load":  # not the targets of ``{% for a, b in … %}``
            self._built(super().visit_Tuple, node, frame)
        else:
            super().visit_Tuple(node, frame)

    def visit_Concat(self, node: Concat, frame: Frame) -> None:
        # As Jinja decides between its two joins: at run time only when autoescape may change.
        escaped = (
            "context.eval_ctx.autoescape" if frame.eval_ctx.volatile else repr(frame.eval_ctx.autoescape)
        )
        self.write(f"environment.tilde({escaped}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class Sandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox with the bounds above."""

    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.finalize = self._counting(self.finalize)
        for name, (original, check) in _CHECKED_FILTERS.items():
            self.filters[name] = _checked(original, check)
        self.globals["lipsum"] = _checked(generate_lorem_ipsum, _lipsum)

    def _counting(self, finalize: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
        printed = 0

        def counted(value: Any) -> Any:
            nonlocal printed
            text = finalize(value) if finalize is not None else value
            printed += len(text) if isinstance(text, str) else 0
            if printed > MAX_PRINTED:
                raise TemplateLimit(
                    _("in ra quá nhiều (hơn {limit} ký tự, kể cả phần gán vào biến hay macro)").format(
                        limit=_count(MAX_PRINTED)
                    )
                )
            return text

        return counted

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1:  # log2 takes an int of any size; the result has that many bits
                _int_bits(math.ceil(right * math.log2(abs(left))))
        elif operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                _int_bits(abs(left).bit_length() + abs(right).bit_length())
            for seq, times in ((left, right), (right, left)):
                if hasattr(seq, "__len__") and isinstance(times, int):
                    _repeat(len(seq) * times)
                    _size(_expanded(seq) * times)
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            _size(_expanded(left) + _expanded(right))
        elif operator == "%" and isinstance(left, str):
            check_printf(left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        args = _check_method(obj, args, kwargs)
        return built(super().call(context, obj, *args, **kwargs))  # dict.fromkeys(range(…), big)

    built = staticmethod(built)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed ``str.format``/``format_map``, with every field's spec checked."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text: str = value.__self__
        formatter: SandboxedFormatter = (
            _BoundedEscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else _BoundedFormatter(self)
        )
        is_format_map = value.__name__ == "format_map"

        @functools.wraps(value)
        def bounded(*args: Any, **kwargs: Any) -> str:
            if is_format_map:
                if kwargs or len(args) != 1:
                    return wrapped(*args, **kwargs)  # Jinja's own TypeError
                kwargs, args = args[0], ()
            return type(text)(formatter.vformat(text, args, kwargs))

        return bounded

    def concat(self, pieces: Iterable[str]) -> str:
        """Join a captured block's output (``{% set x %}``, a macro's body): checked first."""
        parts = list(pieces)
        _size(sum(len(p) for p in parts))
        return "".join(parts)

    def tilde(self, autoescape: bool, values: tuple[Any, ...]) -> str:
        """``a ~ b ~ …``, as Jinja joins it, once the total length is known to be within bounds."""
        _size(sum(len(v) if isinstance(v, str) else len(str(v)) for v in values))
        return markup_join(values) if autoescape else str_join(values)
