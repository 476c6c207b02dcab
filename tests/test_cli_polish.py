"""The command line's edges: a closed stdout, click's own words, labels under --lang en."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from pydantic import TypeAdapter, ValidationError

from chibo4tot import i18n
from chibo4tot.cli.app import EXIT_BROKEN_PIPE
from chibo4tot.cli.click_vi import translate_message
from chibo4tot.i18n.catalogue import extract
from chibo4tot.models.types import (
    CLASSIFICATION_LABELS,
    UNIT_KIND_LABELS,
    UnitKind,
    UnitKindField,
)
from tests.conftest import invoke

DIFF = [sys.executable, "-m", "chibo4tot", "criteria", "diff", "mac-dinh-2024", "quang-ninh-2024"]


@pytest.fixture(autouse=True)
def _vietnamese_after() -> Iterator[None]:
    yield
    i18n.set_language("vi")


# ── a reader that closes stdout early ─────────────────────────────────────────


def test_closed_stdout_is_a_quiet_exit(tmp_path: Path) -> None:
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first line: every write hits EPIPE
    try:
        done = subprocess.run(DIFF, stdout=write_end, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    finally:
        os.close(write_end)
    assert done.stderr == ""
    assert done.returncode == EXIT_BROKEN_PIPE


@pytest.mark.parametrize(
    "args",
    [
        ["score", "{example}", "--year", "2024"],  # rich's table: rich would exit 1 on its own
        ["criteria", "show", "mac-dinh-2024"],
        ["criteria", "list"],
        ["--help"],  # click's own echo, before any command runs
        ["score", "--help"],
        ["--version"],
    ],
    ids=lambda args: " ".join(args).replace("{example}", "WS"),
)
def test_every_output_path_exits_141_on_a_closed_stdout(tmp_path: Path, args: list[str]) -> None:
    from tests.conftest import EXAMPLE

    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "chibo4tot", *(a.replace("{example}", str(EXAMPLE)) for a in args)],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=tmp_path,
            timeout=60,
            env={**os.environ, "CHIBO4TOT_LANG": "vi"},
        )
    finally:
        os.close(write_end)
    assert done.returncode == EXIT_BROKEN_PIPE, done.stderr
    # Only the workspace's own warnings may reach stderr: nothing about the pipe, no traceback.
    assert "Traceback" not in done.stderr and "lỗi nội bộ" not in done.stderr
    assert "Exception ignored" not in done.stderr and "BrokenPipe" not in done.stderr


def test_reader_that_stops_after_one_line(tmp_path: Path) -> None:
    writer = subprocess.Popen(DIFF, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    assert writer.stdout is not None and writer.stderr is not None
    reader = subprocess.run(
        [sys.executable, "-c", "import sys; sys.stdin.buffer.readline()"], stdin=writer.stdout, check=True
    )
    writer.stdout.close()
    stderr = writer.stderr.read()
    writer.wait()
    assert reader.returncode == 0
    assert "lỗi nội bộ" not in stderr
    assert stderr == ""
    assert writer.returncode in (0, EXIT_BROKEN_PIPE)  # 0 when everything fitted in the pipe first


# ── click's own words ─────────────────────────────────────────────────────────


def test_help_is_vietnamese() -> None:
    out = invoke(["--help"]).stdout
    assert out.startswith("Cách dùng: chibo4tot [TÙY CHỌN] LỆNH [ĐỐI SỐ]...")
    assert "Tùy chọn:" in out and "Lệnh:" in out
    assert re.search(r"--help +Hiện hướng dẫn này rồi thoát\.", out)  # click sets the column width
    for english in ("Usage:", "Options:", "Commands:", "Show this message"):
        assert english not in out


def test_subcommand_help_is_vietnamese() -> None:
    out = invoke(["validate", "--help"]).stdout
    assert out.startswith("Cách dùng: chibo4tot validate [TÙY CHỌN]")
    assert "Đối số:" in out and "[mặc định: table]" in " ".join(invoke(["score", "--help"]).stdout.split())
    assert "Usage:" not in out and "default:" not in out
    assert "[bắt buộc]" in invoke(["criteria", "show", "--help"]).stdout


def _click_vietnamese(text: str) -> list[str]:
    """Our Vietnamese for click's words found in ``text`` (under --lang en, click's own words show)."""
    words = ["Cách dùng", "TÙY CHỌN", "Hiện hướng dẫn", "Tùy chọn:", "Lệnh:", "[mặc định", "để xem hướng dẫn"]
    return [word for word in words if word in text]


def test_lang_en_help_is_english() -> None:
    # click's own English is not pinned here: it may change with click; only that we leave it alone.
    out = invoke(["--lang", "en", "--help"]).stdout
    assert out.startswith("Usage: chibo4tot ") and "--help" in out
    assert _click_vietnamese(out) == []
    assert _click_vietnamese(invoke(["--lang", "en", "validate", "--help"]).stdout) == []


def test_unknown_option_is_a_vietnamese_usage_error() -> None:
    err = invoke(["validate", "--xyz"], exit_code=2).stderr
    usage, *rest = err.splitlines()
    assert usage.startswith("Cách dùng: chibo4tot validate [TÙY CHỌN]")  # the rest is typer's metavar
    assert rest == ["Chạy 'chibo4tot validate --help' để xem hướng dẫn.", "", "lỗi: không có tùy chọn --xyz"]


def test_missing_argument_and_unknown_command_in_vietnamese() -> None:
    assert "lỗi: thiếu đối số 'MÃ_KHUNG'" in invoke(["criteria", "show"], exit_code=2).stderr
    err = invoke(["criteria", "dif"], exit_code=2).stderr
    assert "lỗi: không có lệnh 'dif'; có phải ý bạn là 'diff'?" in err


def test_no_arguments_prints_the_vietnamese_help() -> None:
    result = invoke([], exit_code=2)
    assert result.stderr.startswith("Cách dùng: chibo4tot")
    assert not [line for line in result.stderr.splitlines() if line.startswith("lỗi:")]


def test_usage_errors_follow_lang_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    err = invoke(["--lang", "en", "validate", "--xyz"], exit_code=2).stderr
    assert "--xyz" in err and "lỗi" not in err and _click_vietnamese(err) == []
    monkeypatch.setenv("CHIBO4TOT_LANG", "en")  # read before --lang could be parsed
    err = invoke(["--xyz"], exit_code=2).stderr
    assert "--xyz" in err and "lỗi" not in err and _click_vietnamese(err) == []


@pytest.mark.parametrize(
    ("english", "vietnamese"),
    [
        ("Got unexpected extra argument(s) (b c)", "thừa đối số: b c"),
        ("Option '--lang' requires an argument.", "tùy chọn '--lang' cần một giá trị"),
        (
            "Invalid value for '--year': Input should be a valid integer, "
            "unable to parse string as an integer",
            "giá trị không hợp lệ cho '--year': phải là một số nguyên",
        ),
        (
            "No such option: --stric (Possible options: --strict)",
            "không có tùy chọn --stric (có thể là: --strict)",
        ),
        ("Missing option '--format'. Choose from:", "thiếu tùy chọn '--format'; chọn một trong:"),
        ("không có lệnh 'dif'. Did you mean 'diff'?", "không có lệnh 'dif'; có phải ý bạn là 'diff'?"),
        ("  Chấm điểm và báo cáo", None),  # not click's
        ("Invalid value for '--year': a wording of the future", None),  # a part not in the tables
        ("không có lệnh 'dif'. Something new", None),
    ],
)
def test_click_messages(english: str, vietnamese: str | None) -> None:
    assert translate_message(english) == vietnamese


def _click_exception_classes() -> Iterator[type]:
    todo: list[type] = [typer.TyperException]  # the base of click's exceptions inside typer
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        yield cls


@pytest.fixture
def click_of_the_future(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every click message in a wording no table knows (a later click, or one in another style)."""
    for cls in _click_exception_classes():
        if "format_message" in vars(cls):
            monkeypatch.setattr(cls, "format_message", lambda self: "Something went sideways")
        if "show" in vars(cls) and cls.__name__ in ("ClickException", "UsageError"):
            monkeypatch.setattr(cls, "show", lambda self, file=None: print("Oops!", file=file))


@pytest.mark.usefixtures("click_of_the_future")
@pytest.mark.parametrize(
    ("args", "error"),
    [
        (["validate", "--xyz"], "lỗi: không có tùy chọn --xyz"),
        (["criteria", "show"], "lỗi: thiếu đối số 'MÃ_KHUNG'"),
        (["score", "--year", "abc"], "lỗi: giá trị không hợp lệ cho '--year'"),
        (["score", "--month"], "lỗi: tùy chọn --month dùng không đúng cách"),
        (["validate", "a", "b"], "lỗi: cách gọi lệnh không đúng"),
    ],
)
def test_usage_errors_stay_vietnamese_whatever_clicks_wording(args: list[str], error: str) -> None:
    err = invoke(args, exit_code=2).stderr
    assert err.splitlines()[-1] == error
    assert "Something" not in err and "Oops" not in err


# ── unit-kind and classification labels ───────────────────────────────────────


def test_labels_are_marked_for_translation() -> None:
    ids = {m.id for m in extract()}
    assert set(UNIT_KIND_LABELS.values()) | set(CLASSIFICATION_LABELS.values()) <= ids


def test_labels_in_messages_follow_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    english = {UNIT_KIND_LABELS[UnitKind.CHI_BO_CO_SO]: "Grassroots party cell"}
    monkeypatch.setattr(i18n, "_load_catalog", lambda language: english)
    i18n.set_language("en")
    adapter: TypeAdapter[UnitKind] = TypeAdapter(UnitKindField)

    with pytest.raises(ValidationError) as caught:
        adapter.validate_python("chi bo")
    choices = str(caught.value.errors()[0]["ctx"]["choices"])
    assert "chi_bo_co_so (Grassroots party cell)" in choices

    # Input and schema keep the Vietnamese labels whatever the language.
    assert adapter.validate_python("Chi bộ cơ sở") is UnitKind.CHI_BO_CO_SO
    assert {"const": "Chi bộ cơ sở"} in adapter.json_schema()["anyOf"]
