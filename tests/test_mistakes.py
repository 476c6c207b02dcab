"""The catalogue of typical mistakes (tests/mistakes/catalogue.yaml): each gives exactly the lines
it lists, located where the person typed wrong, in words they can act on."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from chibo4tot.inputs.where import file_kind
from tests.conftest import EXAMPLE, invoke

CATALOGUE = Path(__file__).parent / "mistakes" / "catalogue.yaml"
ENTRIES: list[dict[str, Any]] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
UNIT = "records/2024/pa-vi"
# Which `type` of the catalogue each kind of file (inputs/where.py) is.
TYPES = {
    "month": "record",
    "year": "year record",
    "units": "units.yaml",
    "config": "chibo4tot.yaml",
    "framework": "framework",
}


def _workspace(root: Path) -> Path:
    """The example workspace cut down to one cell with one month and its year record."""
    for name in ("chibo4tot.yaml", "units.yaml"):
        shutil.copy(EXAMPLE / name, root / name)
    shutil.copytree(EXAMPLE / "criteria", root / "criteria")
    (root / UNIT).mkdir(parents=True)
    for name in ("2024-03.yaml", "year.yaml"):
        shutil.copy(EXAMPLE / UNIT / name, root / UNIT / name)
    return root


def _error_lines(root: Path, monkeypatch: pytest.MonkeyPatch, exit_code: int) -> list[str]:
    monkeypatch.chdir(root)
    result = invoke(["validate", "."], exit_code=exit_code)
    return [line for line in result.stderr.splitlines() if ": lỗi: " in line]


def test_the_catalogue_is_large_and_every_entry_is_well_formed() -> None:
    assert len(ENTRIES) >= 25
    assert len({e["mistake"] for e in ENTRIES}) == len(ENTRIES)
    for entry in ENTRIES:
        assert set(entry) == {"mistake", "type", "file", "replace", "expect"}, entry["mistake"]
        assert TYPES[str(file_kind(Path(entry["file"])))] == entry["type"], entry["mistake"]
        assert (EXAMPLE / entry["file"]).is_file(), entry["file"]
    assert set(TYPES.values()) == {e["type"] for e in ENTRIES}  # every file type has its mistakes


def test_the_cut_down_example_has_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert _error_lines(_workspace(tmp_path), monkeypatch, 0) == []


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["mistake"] for e in ENTRIES])
def test_each_mistake_gives_exactly_its_lines(
    entry: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _workspace(tmp_path)
    target = root / entry["file"]
    text = target.read_text(encoding="utf-8")
    old, new = entry["replace"]
    assert text.count(old) == 1, f"{old!r} must be found exactly once in {entry['file']}"
    target.write_text(text.replace(old, new), encoding="utf-8")
    assert _error_lines(root, monkeypatch, 1 if entry["expect"] else 0) == entry["expect"]
