"""The command line starts light: loading, scoring and the writers are imported by the commands
that use them, so a command answered from the workspace's cache never loads them (issue 12)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from tests.conftest import REPO

# What a start must not pay for: the models and everything built on them, the process pool,
# YAML, the writers, rich's tables and bars, babel's number formats.
HEAVY = (
    "chibo4tot.models",
    "chibo4tot.inputs.loading",
    "chibo4tot.inputs.frameworks",
    "chibo4tot.scoring",
    "chibo4tot.results",
    "chibo4tot.report",
    "chibo4tot.workers",
    "yaml",
    "ruamel",
    "openpyxl",
    "docx",
    "jinja2",
    "rich.table",
    "rich.progress",
    "babel.numbers",
)
# typer (0.29) validates every parameter's value with a pydantic TypeAdapter, so a command that
# runs imports pydantic whatever it does; importing the command line alone must not.
HEAVY_AT_IMPORT = (*HEAVY, "pydantic")

# The console script's entry point, run as pip's script would, with the modules loaded by then
# written to a file at exit (stdout and stderr are the command's own).
_RUN_AND_LIST = """
import atexit, json, sys

def _loaded():
    with open({out!r}, "w", encoding="utf-8") as f:
        json.dump(sorted(sys.modules), f)

atexit.register(_loaded)
sys.argv = ["chibo4tot", *{args!r}]
from chibo4tot.__main__ import main
main()
"""


def _loaded_of(names: list[str], heavy: tuple[str, ...]) -> list[str]:
    return [m for m in names if any(m == h or m.startswith(h + ".") for h in heavy)]


def _run(args: list[str], listing: Path) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(_RUN_AND_LIST.format(out=str(listing), args=args))
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        cwd=REPO,
        env={**os.environ, "CHIBO4TOT_LANG": "vi"},
        check=False,
    )


def test_importing_the_command_line_loads_nothing_heavy() -> None:
    code = "import json, sys, chibo4tot.cli; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert _loaded_of(json.loads(done.stdout), HEAVY_AT_IMPORT) == []


def test_a_score_from_the_cache_loads_nothing_heavy(example_copy: Path, tmp_path: Path) -> None:
    args = ["score", str(example_copy), "--year", "2024", "--format", "json"]
    first = _run(args, tmp_path / "first.json")  # computes the results and keeps them
    assert first.returncode == 0, first.stderr
    # The check itself can fail: a run that computes loads everything listed.
    assert "chibo4tot.scoring" in _loaded_of(json.loads((tmp_path / "first.json").read_text()), HEAVY)
    again = _run(args, tmp_path / "again.json")
    assert again.returncode == 0, again.stderr
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    assert _loaded_of(json.loads((tmp_path / "again.json").read_text()), HEAVY) == []
