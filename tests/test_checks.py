"""Cross-file checks: what check_records remembers between records must not blur distinct values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chibo4tot.inputs.loading import load_workspace
from chibo4tot.inputs.parse_many import parse_one
from tests.conftest import EXAMPLE


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("true", "1"),  # equal in Python (True == 1), but 1 is not Đạt/Không đạt
        ("Đạt", "Đạtt"),
        ("'1'", "1"),
    ],
)
def test_a_value_read_before_does_not_vouch_for_a_different_one(
    tmp_path: Path, first: str, second: str
) -> None:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    folder = root / "records" / "2024" / "pa-vi"
    for name, value in (("2024-01.yaml", first), ("2024-02.yaml", second)):
        path = folder / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('"1.3": Đạt', f'"1.3": {value}', 1), encoding="utf-8")
    ws = load_workspace(root)
    about_13 = {p.path.name for p in ws.problems.errors if p.path is not None and "1.3" in p.loc}
    alone = {
        name
        for name in ("2024-01.yaml", "2024-02.yaml")
        if any("1.3" in p.loc for p in load_workspace(_only(root, tmp_path, name)).problems.errors)
    }
    assert about_13 == alone and alone  # each record judged as if it were the only one


def _only(root: Path, tmp_path: Path, name: str) -> Path:
    """A copy of the workspace whose pa-vi folder keeps only ``name`` of the two changed files."""
    copy = tmp_path / f"only-{name}"
    shutil.copytree(root, copy)
    other = {"2024-01.yaml": "2024-02.yaml", "2024-02.yaml": "2024-01.yaml"}[name]
    (copy / "records" / "2024" / "pa-vi" / other).unlink()
    return copy


def test_shared_field_sets_stay_apart_when_a_model_is_copied_with_changes() -> None:
    folder = EXAMPLE / "records" / "2024" / "pa-vi"
    one, _p = parse_one(folder / "2024-01.yaml", 2024, "pa-vi")
    two, _p = parse_one(folder / "2024-02.yaml", 2024, "pa-vi")
    assert one is not None and two is not None
    a, b = one.record.assessment["1.3"], two.record.assessment["1.3"]
    assert a.model_fields_set is b.model_fields_set  # shared: equal sets, one object
    before = set(a.model_fields_set)
    changed = a.model_copy(update={"not_applicable": True})
    assert "not_applicable" in changed.model_fields_set
    assert a.model_fields_set == before == b.model_fields_set
