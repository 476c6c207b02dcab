"""What reaches the terminal and the CSV from the files: controls made visible, no markup, no formulas."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MINI_FRAMEWORK, invoke, mini_workspace

HOSTILE = "Chi bộ \x1b[31mđỏ\x1b[0m \u202eabc [red]x[/red] :smile: \x1b[2J\x07"
# What no line shown in a terminal may carry: ESC, BEL, CSI (C1) and the right-to-left override.
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def _hostile_workspace() -> dict[str, Any]:
    tree = mini_workspace(units=2)
    tree["units.yaml"]["units"][0]["name"] = HOSTILE
    return tree


def _clean(text: str) -> None:
    assert not any(ch in text for ch in RAW), repr(text)


def test_safe_text_shows_controls_and_keeps_text() -> None:
    from chibo4tot.cli.output import safe_text

    assert safe_text("a\x1b[31mb") == "a␛[31mb"
    assert safe_text("\u202eabc") == "\\u202eabc"
    assert safe_text("x\x9by\x7f\r") == "x\\x9by␡␍"
    assert safe_text("[red]Tốt[/red]\n\tdòng 2") == "[red]Tốt[/red]\n\tdòng 2"


def test_score_table_and_explain_show_escapes_as_text(make_ws: Callable[..., Path]) -> None:
    root = make_ws(_hostile_workspace())
    out = invoke(["score", str(root), "--year", "2024"]).stdout
    _clean(out)
    assert "␛[31mđỏ" in out and "\\u202eabc" in out and "[red]x[/red]" in out and ":smile:" in out
    explained = invoke(["explain", "chi-bo-1", "--dir", str(root), "--year", "2024"]).stdout
    _clean(explained)


def test_score_json_escapes_controls_and_keeps_the_name(make_ws: Callable[..., Path]) -> None:
    tree = _hostile_workspace()
    tree["units.yaml"]["units"][1]["name"] = "Chi bộ \u202eB\u2066"
    out = invoke(["score", str(make_ws(tree)), "--year", "2024", "--format", "json"]).stdout
    _clean(out)
    assert "\u2066" not in out and "\\u202e" in out
    names = [u["name"] for u in json.loads(out)["units"]]
    assert names == [HOSTILE, "Chi bộ \u202eB\u2066"]  # the data itself is unchanged


def test_problem_lines_quote_user_values_safely(make_ws: Callable[..., Path]) -> None:
    tree = mini_workspace(units=1)
    tree["records/2024/chi-bo-1/2024-01.yaml"]["unit"] = "chi-bo-\x1b]0;owned\x07\u202e"
    result = invoke(["validate", str(make_ws(tree))], exit_code=1)
    _clean(result.stderr)
    assert "␛]0;owned␇" in result.stderr


def test_criteria_commands_show_escapes_as_text(make_ws: Callable[..., Path]) -> None:
    tree = mini_workspace(units=1)
    framework = {**MINI_FRAMEWORK, "title": HOSTILE, "issuer": "Ban [bold]\x1b[2J"}
    framework["gates"] = [{"id": "ky-luat", "kind": "discipline", "reason": "Lý do \x1b[5m[/red]"}]
    tree["criteria/mini-2024.yaml"] = framework
    root = make_ws(tree)
    for args in (["criteria", "list", str(root)], ["criteria", "show", "mini-2024", "--dir", str(root)]):
        out = invoke(args).stdout
        _clean(out)
        assert "[red]x[/red]" in out and ":smile:" in out
    shown = invoke(["criteria", "show", "mini-2024", "--dir", str(root)]).stdout
    shown = " ".join(shown.split())  # the tree wraps long labels at the console's width
    assert "Ban [bold]␛[2J" in shown and "Lý do ␛[5m[/red]" in shown


def test_criteria_diff_shows_escapes_as_text(make_ws: Callable[..., Path]) -> None:
    tree = mini_workspace(units=1)
    tree["criteria/con-2024.yaml"] = {
        "id": "con-2024",
        "extends": "mini-2024",
        "title": "Khung con",
        "criteria": [{"id": "1", "name": "Lãnh đạo \x1b[31mđỏ\u202e [red]x[/red]"}],
    }
    out = invoke(["criteria", "diff", "con-2024", "--dir", str(make_ws(tree))]).stdout
    _clean(out)
    assert "␛[31mđỏ\\u202e [red]x[/red]" in out


FORMULAS = ["=1+1", "+1+1", "-1+1", "@SUM(1;2)", '=HYPERLINK("http://x";"y")']


def _formula_workspace() -> dict[str, Any]:
    tree = mini_workspace(units=len(FORMULAS))
    for unit, name in zip(tree["units.yaml"]["units"], FORMULAS, strict=True):
        unit["name"] = name
    return tree


def test_csv_guards_formula_cells_and_keeps_numbers(make_ws: Callable[..., Path]) -> None:
    out = invoke(["score", str(make_ws(_formula_workspace())), "--year", "2024", "--format", "csv"]).stdout
    rows = list(csv.reader(io.StringIO(out.lstrip("\ufeff"))))
    names = [row[1] for row in rows[1:]]
    assert names == ["'" + name for name in FORMULAS]
    for row in rows[1:]:
        assert not row[2].startswith("'") and row[2][0].isdigit()  # points stay numbers


def test_csv_cell_rule() -> None:
    from chibo4tot.cli.commands_score import csv_cell

    # Names are stripped on loading, but reasons and other cells may start with TAB or CR.
    assert csv_cell("\t=1+1") == "'\t=1+1"
    assert csv_cell("\r=1+1") == "'␍=1+1"
    assert [csv_cell(n) for n in ("-1,50", "+3", "12,5%", "1.234,00")] == ["-1,50", "+3", "12,5%", "1.234,00"]
    assert csv_cell("Chi bộ \x1b[31m") == "Chi bộ ␛[31m"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_libreoffice_imports_no_csv_cell_as_formula(
    make_ws: Callable[..., Path], tmp_path: Path, target: str
) -> None:
    out = invoke(["score", str(make_ws(_formula_workspace())), "--year", "2024", "--format", "csv"]).stdout
    source = tmp_path / "score.csv"
    source.write_text(out, encoding="utf-8")
    profile = tmp_path / "lo-profile"  # a private profile: no clash with a running LibreOffice
    subprocess.run(
        [
            shutil.which("soffice") or "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--infilter=CSV:44,34,76,1",
            "--convert-to",
            target,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / f"score.{target}"
    with zipfile.ZipFile(converted) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/") or n == "content.xml"]
        xml = "".join(archive.read(n).decode("utf-8") for n in sheets)
    assert "SUM" in xml  # the cells are there …
    assert "<f>" not in xml and "<f " not in xml and "table:formula" not in xml  # … and none is a formula
