"""The import layering of DESIGN.md §8 holds (checked by import-linter, not by memory)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint_imports), "--no-cache"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_pure_core_imports_no_io_library() -> None:
    code = (
        "import sys, chibo4tot.models, chibo4tot.inputs.checks, chibo4tot.inputs.values,"
        " chibo4tot.scoring, chibo4tot.results.views, chibo4tot.results.explain,"
        " chibo4tot.results.impact, chibo4tot.results.fwterms, chibo4tot.results.fwterms.changes,"
        " chibo4tot.results.fwterms.outline, chibo4tot.results.cases;"
        "bad = [m for m in ('typer', 'rich', 'openpyxl', 'jinja2', 'ruamel', 'yaml', 'click')"
        " if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
