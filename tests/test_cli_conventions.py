"""One command line: every command takes the workspace, the year and the month the same way, and its
help page is whole in both languages (issue 11, item 5; DESIGN §5)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer.main

from chibo4tot import i18n
from chibo4tot.cli import app
from tests.conftest import EXAMPLE, invoke

# A Vietnamese letter (a precomposed vowel with a mark, or đ): none may show under --lang en.
_VIETNAMESE = re.compile("[À-ÃÈ-ÊÌÍÒ-ÕÙÚÝà-ãè-êìíò-õùúýĂăĐđĨĩŨũƠơƯưẠ-ỹ]")
_WORKSPACE_COMMANDS = [["validate"], ["score"], ["report"], ["criteria", "list"]]


@pytest.fixture(autouse=True)
def _vietnamese_after() -> Iterator[None]:
    yield
    i18n.set_language("vi")


def _command_paths() -> list[list[str]]:
    root = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(command: object, path: list[str]) -> None:
        paths.append(path)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "chibo4tot")
def test_help_is_whole_in_each_language(path: list[str]) -> None:
    vietnamese = invoke([*path, "--help"]).stdout
    english = invoke(["--lang", "en", *path, "--help"]).stdout
    for out in (vietnamese, english):
        # typer's English type names and placeholder defaults mean nothing to a secretary
        for noise in ("<str>", "<path>", "<int>", "[mặc định: 0]", "[mặc định: .]", "[default: 0]", "{"):
            assert noise not in out, f"{noise!r} in the help of {path}:\n{out}"
    named = english
    for proper_name in ("“Chi bộ 4 tốt”", "“Bộ tiêu chí”"):  # the model's and the document's names stay
        named = named.replace(proper_name, "")
    assert not _VIETNAMESE.search(named), f"untranslated help of {path}:\n{english}"
    assert english.startswith("Usage: chibo4tot")


def test_commands_are_listed_in_the_order_of_the_work() -> None:
    out = invoke(["--help"]).stdout
    listed = re.findall(r"^  ([a-z]+)  ", out.split("Lệnh:")[1], flags=re.M)
    assert listed == [
        "init",
        "new",
        "form",
        "import",
        "validate",
        "score",
        "explain",
        "report",
        "export",
        "rollup",
        "verify",
        "criteria",
    ]


@pytest.mark.parametrize("command", _WORKSPACE_COMMANDS, ids=" ".join)
def test_workspace_is_the_same_positional_argument_everywhere(command: list[str]) -> None:
    out = invoke([*command, "--help"]).stdout
    assert out.splitlines()[0].endswith("[THƯ_MỤC]")
    assert "thư mục cha gần nhất có chibo4tot.yaml" in " ".join(out.split())


@pytest.mark.parametrize("command", _WORKSPACE_COMMANDS, ids=" ".join)
def test_a_subfolder_of_the_workspace_finds_it(
    command: list[str], example_copy: Path, tmp_path: Path
) -> None:
    extra = ["--year", "2024"] if command == ["score"] else []
    if command == ["report"]:
        extra = ["--year", "2024", "--allow-incomplete", "--out", str(tmp_path / "out"), "--format", "md"]
    from_below = invoke([*command, str(example_copy / "records" / "2024"), *extra], exit_code=0)
    assert from_below.stdout


def test_explain_and_new_take_the_folder_as_an_argument_and_still_accept_dir(example_copy: Path) -> None:
    positional = invoke(["explain", "lung-lau", str(example_copy), "--year", "2024", "--month", "5"])
    alias = invoke(
        ["explain", "lung-lau", "--dir", str(example_copy), "--year", "2024", "--month", "2024-05"]
    )
    assert positional.stdout == alias.stdout  # and --month took 5 and 2024-05 alike
    written = invoke(["new", "lung-lau", str(example_copy), "--month", "2024-06"]).stdout.strip()
    assert written.endswith(os.path.join("records", "2024", "lung-lau", "2024-06.yaml"))


def test_the_folder_given_twice_is_a_usage_error(example_copy: Path, tmp_path: Path) -> None:
    err = invoke(["score", str(example_copy), "--dir", str(tmp_path)], exit_code=2).stderr
    assert "được nêu hai lần" in err


@pytest.mark.parametrize("month", ["6", "2024-06", " 06 "])
def test_month_takes_both_forms(month: str) -> None:
    data = invoke(["score", str(EXAMPLE), "--year", "2024", "--month", month, "--format", "json"]).stdout
    assert '"as_of_month": 6,' in data


def test_a_month_of_another_year_than_year_is_refused() -> None:
    err = invoke(["score", str(EXAMPLE), "--year", "2024", "--month", "2023-06"], exit_code=2).stderr
    assert "--month 2023-06 không thuộc --year 2024" in err


@pytest.mark.parametrize("lang", ["fr", "vn", "english"])
def test_only_vi_and_en_are_languages(lang: str) -> None:
    err = invoke(["--lang", lang, "validate", str(EXAMPLE)], exit_code=2).stderr
    assert (
        f"lỗi: giá trị không hợp lệ cho --lang: “{lang}” không phải ngôn ngữ có sẵn; chọn vi hoặc en" in err
    )
    assert invoke(["--lang", "EN", "--help"]).stdout.startswith("Usage:")


def test_shell_completion_is_offered_and_completes_commands() -> None:
    script = invoke(["--show-completion", "bash"]).stdout
    assert "_CHIBO4TOT_COMPLETE" in script
    words = {"COMP_WORDS": "chibo4tot criteria ", "COMP_CWORD": "2"}
    env = {**os.environ, "_CHIBO4TOT_COMPLETE": "complete_bash", **words}
    done = subprocess.run(
        [sys.executable, "-c", "from chibo4tot.cli import app; app(prog_name='chibo4tot')"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert {"list", "show", "diff", "schema"} <= set(done.stdout.split()), done.stderr


def test_install_completion_speaks_vietnamese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    out = invoke(["--install-completion", "bash"]).stdout
    assert out.startswith("Đã cài tự hoàn thành lệnh cho bash vào ")
    assert (tmp_path / ".bash_completions" / "chibo4tot.sh").is_file()
