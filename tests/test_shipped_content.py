"""Every shipped criteria file and the example workspace validate (and will score)."""

from __future__ import annotations

from pathlib import Path

from chibo4tot.errors import Severity
from chibo4tot.inputs.loading import load_workspace
from tests.conftest import EXAMPLE, invoke

REPO = Path(__file__).resolve().parents[1]


def test_example_workspace_validates_cleanly() -> None:
    ws = load_workspace(EXAMPLE)
    assert [p for p in ws.problems.items if p.severity is Severity.ERROR] == []
    assert len(ws.units) >= 8
    assert len({u.kind for u in ws.units}) >= 2
    assert len(ws.year_records) >= 8
    per_unit: dict[str, int] = {}
    for rf in ws.month_records:
        per_unit[rf.folder_unit] = per_unit.get(rf.folder_unit, 0) + 1
    assert max(per_unit.values()) == 12
    assert min(per_unit.values()) < 12, "one unit deliberately misses months"


def test_example_validate_command_exits_zero() -> None:
    result = invoke(["validate", str(EXAMPLE)])
    assert "Hợp lệ" in result.stdout


def test_every_yaml_file_in_the_repo_starts_with_a_schema_line() -> None:
    files = [*(REPO / "criteria").rglob("*.yaml"), *EXAMPLE.rglob("*.yaml")]
    assert files
    for path in files:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target.is_file(), f"{path}: {target} does not exist"


def test_example_is_nfc() -> None:
    import unicodedata

    for path in [*(REPO / "criteria").rglob("*.yaml"), *EXAMPLE.rglob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path
