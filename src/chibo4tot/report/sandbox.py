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
import math
from collections.abc import Callable, Iterable
from typing import Any

from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Concat, Dict, List, Tuple
from jinja2.runtime import markup_join, str_join
from jinja2.sandbox import ImmutableSandboxedEnvironment, SandboxedFormatter
from jinja2.utils import generate_lorem_ipsum
from markupsafe import Markup

from chibo4tot.i18n import _
from chibo4tot.report.sandbox_bounds import (
    CHECKED_FILTERS,
    MAX_PRINTED,
    BoundedEscapeFormatter,
    BoundedFormatter,
    TemplateLimit,
    built,
    check_method,
    check_printf,
    checked,
    count_text,
    expanded,
    int_bits,
    lipsum_args,
    repeat,
    size,
)

__all__ = ["Sandbox", "TemplateLimit"]


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
        for name, (original, check) in CHECKED_FILTERS.items():
            self.filters[name] = checked(original, check)
        self.globals["lipsum"] = checked(generate_lorem_ipsum, lipsum_args)

    def _counting(self, finalize: Callable[[Any], Any] | None) -> Callable[[Any], Any]:
        printed = 0

        def counted(value: Any) -> Any:
            nonlocal printed
            text = finalize(value) if finalize is not None else value
            printed += len(text) if isinstance(text, str) else 0
            if printed > MAX_PRINTED:
                raise TemplateLimit(
                    _("in ra quá nhiều (hơn {limit} ký tự, kể cả phần gán vào biến hay macro)").format(
                        limit=count_text(MAX_PRINTED)
                    )
                )
            return text

        return counted

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            if abs(left) > 1:  # log2 takes an int of any size; the result has that many bits
                int_bits(math.ceil(right * math.log2(abs(left))))
        elif operator == "*":
            if isinstance(left, int) and isinstance(right, int):
                int_bits(abs(left).bit_length() + abs(right).bit_length())
            for seq, times in ((left, right), (right, left)):
                if hasattr(seq, "__len__") and isinstance(times, int):
                    repeat(len(seq) * times)
                    size(expanded(seq) * times)
        elif operator == "+" and hasattr(left, "__len__") and hasattr(right, "__len__"):
            size(expanded(left) + expanded(right))
        elif operator == "%" and isinstance(left, str):
            check_printf(left, right)
        return super().call_binop(context, operator, left, right)

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        args = check_method(obj, args, kwargs)
        return built(super().call(context, obj, *args, **kwargs))  # dict.fromkeys(range(…), big)

    built = staticmethod(built)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Jinja's sandboxed ``str.format``/``format_map``, with every field's spec checked."""
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text: str = value.__self__
        formatter: SandboxedFormatter = (
            BoundedEscapeFormatter(self, escape=text.escape)
            if isinstance(text, Markup)
            else BoundedFormatter(self)
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
        size(sum(len(p) for p in parts))
        return "".join(parts)

    def tilde(self, autoescape: bool, values: tuple[Any, ...]) -> str:
        """``a ~ b ~ …``, as Jinja joins it, once the total length is known to be within bounds."""
        size(sum(len(v) if isinstance(v, str) else len(str(v)) for v in values))
        return markup_join(values) if autoescape else str_join(values)
