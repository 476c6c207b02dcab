"""Click's own words (usage line, help page, usage errors) in the language of the run.

Recent typer (0.29 here) runs on its own copy of click (``typer._click``, private, not to be
imported) whose messages are English literals, not gettext calls, so there is no catalogue to
install. Instead:

* the few words typer still marks with ``gettext`` (section titles, ``[default: …]``,
  ``[required]``) are routed through :func:`translate` by swapping the module's ``_``;
* every context of our command tree is a :class:`_Context`, whose usage line and help page are
  rebuilt with the Vietnamese prefix;
* the root group catches click's usage errors and prints them itself: the usage line, the hint
  and the error, whose message is translated from the tables (:func:`translate_message`) or,
  when click words it in a way the tables do not know (another click release), said in general
  Vietnamese terms from the exception's type and fields (:func:`_general_message`).

Help-page words not in the tables stay in English; nothing here can fail a run.
"""

from __future__ import annotations

import gettext
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer
from typer.core import TyperGroup

from chibo4tot.i18n import _ as gettext_
from chibo4tot.i18n import current_language, set_language

_VI = "vi"

# Exact phrases: gettext ids of typer.core, the usage line's words and the --help option's help.
_PHRASES: dict[str, str] = {
    "Usage: ": "Cách dùng: ",
    "[OPTIONS]": "[TÙY CHỌN]",
    "COMMAND [ARGS]...": "LỆNH [ĐỐI SỐ]...",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Options": "Tùy chọn",
    "Arguments": "Đối số",
    "Commands": "Lệnh",
    "default: {default}": "mặc định: {default}",
    "required": "bắt buộc",
    "env var: {var}": "biến môi trường: {var}",
    "(dynamic)": "(tính khi chạy)",
    "Aborted!": "Đã hủy.",
    "Missing command.": "thiếu lệnh",
    "No such command {name!r}.": "không có lệnh {name!r}",
    "Install completion for the current shell.": "Cài đặt tự hoàn thành lệnh cho shell đang dùng.",
    "Show completion for the current shell, to copy it or customize the installation.": (
        "In mã tự hoàn thành cho shell đang dùng, để chép hoặc tự cài đặt."
    ),
}

# Click's error messages; ``{message}`` must be recognised in turn, other fields are kept.
_TEMPLATES: list[tuple[str, str]] = [
    ("{message} (Possible options: {options})", "{message} (có thể là: {options})"),
    ("{message}. Did you mean {suggestions}?", "{message}; có phải ý bạn là {suggestions}?"),
    ("No such option: {name}", "không có tùy chọn {name}"),
    ("Missing argument {name}.", "thiếu đối số {name}"),
    ("Missing option {name}.", "thiếu tùy chọn {name}"),
    ("Missing parameter {name}.", "thiếu tham số {name}"),
    ("Missing option {name}. {message}", "thiếu tùy chọn {name}; {message}"),
    ("Choose from:", "chọn một trong:"),
    ("Invalid value for {name}: {message}", "giá trị không hợp lệ cho {name}: {message}"),
    ("Invalid value: {message}", "giá trị không hợp lệ: {message}"),
    ("{value} is not one of {choices}.", "{value} không phải một trong {choices}"),
    ("Got unexpected extra argument(s) ({args})", "thừa đối số: {args}"),
    ("Option {name} requires an argument.", "tùy chọn {name} cần một giá trị"),
    ("Option {name} requires {count} arguments.", "tùy chọn {name} cần {count} giá trị"),
    ("Option {name} does not take a value.", "tùy chọn {name} không nhận giá trị"),
    ("Argument {name} takes {count} values.", "đối số {name} cần {count} giá trị"),
    ("Input should be a valid integer, unable to parse string as an integer", "phải là một số nguyên"),
]


def _pattern(template: str, field: str = ".+?") -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)(?:![rsa])?\}", template)  # literal, field, literal, field, …
    return re.compile(
        "".join(f"(?P<{part}>{field})" if i % 2 else re.escape(part) for i, part in enumerate(parts))
    )


_COMPILED = [(_pattern(english), vietnamese) for english, vietnamese in _TEMPLATES]
# typer formats some gettext phrases after translating them: its message is then ours already
# (a field is one word there, so that no English can hide in it).
_OURS = [_pattern(vietnamese, r"\S+") for vietnamese in _PHRASES.values()]


def translate(message: str) -> str:
    """One of click's or typer's phrases in the current language (they are written in English)."""
    return _PHRASES.get(message, message) if current_language() == _VI else message


def translate_message(message: str) -> str | None:
    """Click's error message in Vietnamese, or None when any part of it is not in the tables."""
    if message in _PHRASES:
        return _PHRASES[message]
    for pattern, vietnamese in _COMPILED:
        if match := pattern.fullmatch(message):
            fields = match.groupdict()
            if "message" in fields:
                inner = translate_message(fields["message"])
                if inner is None:
                    continue
                fields["message"] = inner
            return vietnamese.format(**fields)
    return message if any(pattern.fullmatch(message) for pattern in _OURS) else None


def _param_hint(exc: Any) -> str:
    hint = getattr(exc, "param_hint", None)
    param = getattr(exc, "param", None)
    if hint is None and param is not None:
        try:
            hint = param.get_error_hint()
        except TypeError:  # click itself (not typer's copy) wants the context
            hint = param.get_error_hint(getattr(exc, "ctx", None))
    if hint is not None and not isinstance(hint, str):
        hint = " / ".join(repr(h) for h in hint)
    return hint or ""


def _general_message(exc: Any) -> str:
    """The error said from the exception's type and fields (click's public names), for a click
    whose English is not in the tables: less precise than a table entry, but never English."""
    kind = type(exc).__name__
    option = getattr(exc, "option_name", None)
    if kind == "NoSuchOption" and option:
        return f"không có tùy chọn {option}"
    if kind == "BadOptionUsage" and option:
        return f"tùy chọn {option} dùng không đúng cách"
    if kind == "MissingParameter":
        param = getattr(exc, "param", None)
        param_type = str(getattr(exc, "param_type", None) or getattr(param, "param_type_name", ""))
        what = {"argument": "đối số", "option": "tùy chọn"}.get(param_type, "tham số")
        return f"thiếu {what} {_param_hint(exc)}".rstrip()
    if kind == "BadParameter" and _param_hint(exc):
        return f"giá trị không hợp lệ cho {_param_hint(exc)}"
    return "cách gọi lệnh không đúng"


class OwnBadParameter(typer.BadParameter):
    """A bad value found by one of our callbacks: its message is already in the run's language."""


def _vietnamese_error(exc: Any) -> str:
    """What click's ``show`` prints, in Vietnamese: usage line, help hint, blank line, error."""
    first, *rest = exc.format_message().split("\n")  # rest: a Choice's values, one a line
    if isinstance(exc, OwnBadParameter):
        first = f"giá trị không hợp lệ cho {_param_hint(exc)}: {exc.message}"
    message = first if isinstance(exc, OwnBadParameter) else translate_message(first)
    lines = [_general_message(exc)] if message is None else [message, *rest]
    ctx = getattr(exc, "ctx", None)
    frame: list[str] = []
    if ctx is not None:
        frame.append(ctx.get_usage())
        if ctx.command.get_help_option(ctx) is not None:
            frame.append(f"Chạy '{ctx.command_path} {ctx.help_option_names[0]}' để xem hướng dẫn.")
        frame.append("")
    return "\n".join([*frame, "lỗi: " + lines[0], *lines[1:]]) + "\n"


def _route_gettext() -> None:
    """Make typer's gettext-marked words go through translate() (idempotent)."""
    for name, module in list(sys.modules.items()):
        if name.partition(".")[0] in ("typer", "click") and getattr(module, "_", None) is gettext.gettext:
            # a module global of typer's, hence setattr rather than an attribute assignment
            setattr(module, "_", translate)  # noqa: B010


# The texts of our own commands (docstrings, ``help=``, ``metavar=``) are Vietnamese literals;
# under another language they are looked up in the catalogue while a help page is being built.
_OWN_TEXTS = ("help", "short_help", "metavar")


def own_texts(command: Any) -> Iterator[tuple[Any, str, str]]:
    """(object, attribute, text) for every text of ``command``, its parameters and subcommands."""
    for obj in (command, *getattr(command, "params", ())):
        for attr in _OWN_TEXTS:
            text = getattr(obj, attr, None)
            if isinstance(text, str) and text:
                yield obj, attr, text
    for sub in getattr(command, "commands", {}).values():
        yield from own_texts(sub)


@contextmanager
def _own_texts_translated(command: Any) -> Iterator[None]:
    saved = list(own_texts(command))
    try:
        for obj, attr, text in saved:
            # Ours from the catalogue; typer's own (the completion options) from the phrase table.
            setattr(obj, attr, translate(gettext_(text)))
        yield
    finally:
        for obj, attr, text in saved:
            setattr(obj, attr, text)


class _Context(typer.Context):
    """A context whose usage line and help page use the current language."""

    def get_usage(self) -> str:
        with _own_texts_translated(self.command):
            formatter = self.make_formatter()
            pieces = [translate(piece) for piece in self.command.collect_usage_pieces(self)]
            formatter.write_usage(self.command_path, " ".join(pieces), prefix=translate("Usage: "))
            return formatter.getvalue().rstrip("\n")

    def get_help(self) -> str:
        with _own_texts_translated(self.command):
            text = super().get_help()
            english_usage = self.command.get_usage(self)  # what click put at the top of the page
        if text.startswith(english_usage):
            text = self.get_usage() + text[len(english_usage) :]
        help_option = "Show this message and exit."
        return text.replace(help_option, translate(help_option))


@contextmanager
def _click_errors_translated() -> Iterator[None]:
    """Show click's exceptions (usage errors, --help without arguments…) translated, then exit."""
    try:
        yield
    except typer.TyperException as exc:  # the base of click's exceptions inside typer
        show = getattr(exc, "show", None)
        if show is None:
            raise
        # The help page of a bare command (its own ``show``) is already in the run's language.
        shown_by = next(c.__name__ for c in type(exc).__mro__ if "show" in vars(c))
        if current_language() == _VI and shown_by in ("UsageError", "ClickException"):
            try:
                text = _vietnamese_error(exc)
            except Exception:  # click's API moved: its own words are better than a crash
                show()
            else:
                typer.echo(text, err=True, nl=False)
        else:
            show()
        raise typer.Exit(exc.exit_code) from None


COMMAND_ORDER = (
    "init", "new", "form", "import", "validate", "score", "explain", "report", "export", "rollup", "verify",
    "criteria", "list", "show", "diff", "impact", "test", "schema",
)  # fmt: skip


def _install_completion(ctx: Any, param: Any, value: Any) -> Any:
    """typer's ``--install-completion``, saying what it did in the run's language."""
    if not value or ctx.resilient_parsing:
        return value
    from typer.completion import install  # type: ignore[attr-defined]  # re-exported, not in __all__

    shell, path = install(shell=value) if isinstance(value, str) else install()
    if current_language() == _VI:
        typer.echo(f"Đã cài tự hoàn thành lệnh cho {shell} vào {path}")
        typer.echo("Mở lại cửa sổ dòng lệnh để bắt đầu dùng (gõ chibo4tot rồi nhấn Tab).")
    else:
        typer.echo(f"{shell} completion installed in {path}")
        typer.echo("Completion will take effect once you restart the terminal")
    raise typer.Exit(0)


class OrderedGroup(TyperGroup):
    """A group whose commands are listed in the order of the work (DESIGN §5), not of registration."""

    def list_commands(self, ctx: Any) -> list[str]:
        order = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(super().list_commands(ctx), key=lambda name: (order.get(name, len(order)), name))


class LocalisedGroup(OrderedGroup):
    """The root command: click's words in the current language for the whole command tree.

    Click's ``Context`` and ``HelpFormatter`` are private in typer, so parameters typed with
    them are ``Any`` here.
    """

    context_class = _Context

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        _route_gettext()
        _use_context(self)

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        if parent is None:
            set_language(None)  # the environment's, until --lang (eager) is parsed
            for param in self.params:  # typer adds its completion options after __init__
                if param.name == "install_completion":
                    param.callback = _install_completion
        with _click_errors_translated():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _click_errors_translated():
            return super().invoke(ctx)


def _use_context(group: TyperGroup) -> None:
    for command in group.commands.values():
        command.context_class = _Context
        for param in getattr(command, "params", ()):
            _plain_argument(param)
        if isinstance(command, TyperGroup):
            _use_context(command)


def _plain_argument(param: Any) -> None:
    """An argument named by its metavar only: typer would add its English type (``<path>``) in the
    help and braces around a required one in the usage line (``{MÃ_CHI_BỘ}``)."""
    if isinstance(param, typer.core.TyperArgument) and param.metavar:
        setattr(param, "display_type_rich", lambda ctx: None)  # noqa: B010  # one instance only

        def usage_name() -> str:
            name = str(param.metavar) + ("..." if param.nargs != 1 else "")
            return name if param.required else f"[{name}]"

        setattr(param, "_usage_display_name", usage_name)  # noqa: B010
