"""The typer application, its global options and the one funnel from exceptions to exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import typer

from chibo4tot import __version__
from chibo4tot.cli.click_vi import LocalisedGroup, OrderedGroup, OwnBadParameter
from chibo4tot.errors import ChiboError, ExitCode
from chibo4tot.fsio import os_error_reason
from chibo4tot.i18n import SUPPORTED, _, set_language

F = TypeVar("F", bound=Callable[..., Any])

# stdout closed by the reader (`… | head -1`): 128 + SIGPIPE, what the shell reports for any tool
# killed by a closed pipe (and how Ctrl-C is already 128 + SIGINT = 130). Not 0, because the
# output was cut short and `set -o pipefail` should see that; not 1, which means input problems.
EXIT_BROKEN_PIPE = 141


class State:
    debug = False


def _drop_stdout() -> None:
    """Send what is left of stdout to devnull: the reader is gone, and Python flushes stdout on
    exit, which would raise BrokenPipeError again (Python docs, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout without a file descriptor (tests): nothing to flush
        pass


class _RootGroup(LocalisedGroup):
    """The root command, where a closed stdout ends every path in 141: click's own writers (the
    help pages, --version, a command outside the funnel) would otherwise exit 1 on EPIPE."""

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        with _closed_pipe_exits_141():
            return super().make_context(info_name, args, parent=parent, **extra)

    def invoke(self, ctx: Any) -> Any:
        with _closed_pipe_exits_141():
            return super().invoke(ctx)


@contextmanager
def _closed_pipe_exits_141() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        _drop_stdout()
        raise typer.Exit(EXIT_BROKEN_PIPE) from None


app = typer.Typer(
    cls=_RootGroup,
    name="chibo4tot",
    help="Chấm điểm và báo cáo mô hình “Chi bộ 4 tốt” từ các tệp YAML.",
    no_args_is_help=True,
    add_completion=True,  # --install-completion / --show-completion: bash, zsh, fish, PowerShell
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
criteria_app = typer.Typer(
    cls=OrderedGroup,
    help="Xem, so sánh, kiểm thử khung tiêu chí và xuất JSON Schema.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(criteria_app, name="criteria")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"chibo4tot {__version__}")
        raise typer.Exit()


def _lang(value: str | None) -> str | None:
    # Eager, so that `--lang en --help` already prints the help page in English.
    if value is not None and value.strip().lower() not in SUPPORTED:
        raise OwnBadParameter(
            _("“{value}” không phải ngôn ngữ có sẵn; chọn vi hoặc en").format(value=value),
            param_hint="--lang",
        )
    set_language(value.strip().lower() if value else None)
    return value


@app.callback()
def main_options(
    version: bool = typer.Option(
        False, "--version", help="In phiên bản rồi thoát.", callback=_version, is_eager=True
    ),
    lang: str | None = typer.Option(
        None,
        "--lang",
        metavar="vi|en",
        help="Ngôn ngữ thông báo và hướng dẫn: vi (mặc định) hoặc en (hoặc biến môi trường CHIBO4TOT_LANG).",
        callback=_lang,
        is_eager=True,
    ),
    debug: bool = typer.Option(False, "--debug", help="Hiện chi tiết lỗi nội bộ (traceback)."),
) -> None:
    """Chấm điểm và báo cáo mô hình “Chi bộ 4 tốt” từ các tệp YAML."""
    State.debug = debug


def handled(func: F) -> F:
    """Run a command inside the funnel: user errors → 1/2 (a file the system refuses → 2), crashes
    → 3 in one line, Ctrl-C → 130, stdout closed by the reader → 141 in silence."""
    from chibo4tot.cli.output import print_problems, safe_text, show_path
    from chibo4tot.cli.progress_view import shown
    from chibo4tot.runtime import interrupted, no_gc

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            # The long steps on stderr (on a terminal only); and no cyclic garbage collection while a
            # command runs: a province is millions of long-lived objects and almost no cycles, and
            # each pass of the collector would walk them all (the collector runs again at the end).
            with shown(), no_gc():
                return func(*args, **kwargs)
        except (typer.Exit, typer.Abort):
            raise
        except BrokenPipeError:
            _drop_stdout()
            raise typer.Exit(EXIT_BROKEN_PIPE) from None
        except OSError as exc:  # a folder that cannot be read, say: the system's words are English
            if State.debug:
                raise
            where = show_path(Path(exc.filename)) if isinstance(exc.filename, str) else "chibo4tot"
            typer.echo(
                _("lỗi: {path}: {reason}").format(path=where, reason=os_error_reason(exc)),
                err=True,
            )
            raise typer.Exit(int(ExitCode.USAGE)) from None
        except ChiboError as exc:
            print_problems(exc.problems)
            typer.echo(_("lỗi: {message}").format(message=safe_text(exc.message)), err=True)
            raise typer.Exit(int(exc.exit_code)) from None
        except KeyboardInterrupt:
            typer.echo(_("Đã dừng theo yêu cầu."), err=True)
            raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
        except Exception as exc:
            if interrupted():  # a Ctrl-C that a library turned into an error of its own
                typer.echo(_("Đã dừng theo yêu cầu."), err=True)
                raise typer.Exit(int(ExitCode.INTERRUPTED)) from None
            if State.debug:
                raise
            typer.echo(
                _("lỗi nội bộ: {kind}: {error} (chạy lại với --debug để xem chi tiết)").format(
                    kind=type(exc).__name__, error=exc
                ),
                err=True,
            )
            raise typer.Exit(int(ExitCode.INTERNAL)) from None

    return wrapper  # type: ignore[return-value]


# Every letter a message may use: if the output encoding lacks one, printing would crash.
_VIETNAMESE_PROBE = "ĐđĂăÂâÊêÔôƠơƯưÁàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ“”—…"


def _writable_in_vietnamese(stream: Any) -> None:
    """Switch a stream whose encoding cannot write Vietnamese (PYTHONIOENCODING=ascii, a legacy
    code page) to UTF-8, as click already does for its own output, instead of crashing."""
    try:
        _VIETNAMESE_PROBE.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="backslashreplace")


def run() -> None:
    """Console-script entry point."""
    from chibo4tot.runtime import count_interrupts

    for stream in (sys.stdout, sys.stderr):
        _writable_in_vietnamese(stream)
    count_interrupts()
    try:
        try:
            app()
        finally:
            sys.stdout.flush()  # a pipe closed after the last write shows up here, not at exit
    except KeyboardInterrupt:
        sys.exit(int(ExitCode.INTERRUPTED))
    except BrokenPipeError:
        _drop_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
