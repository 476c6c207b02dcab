"""tools/province.py, the generator behind ``make bench``: seeded, byte-stable, and every file valid.

Timing stays out of the tests (DESIGN: ``make bench`` prints figures and asserts nothing).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import REPO, invoke


def _province() -> ModuleType:
    spec = importlib.util.spec_from_file_location("province", REPO / "tools" / "province.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


province = _province()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_same_bytes_other_seed_other_records(tmp_path: Path) -> None:
    files = province.build(tmp_path / "a", 5, seed=7)
    province.build(tmp_path / "b", 5, seed=7)
    province.build(tmp_path / "c", 5, seed=8)
    a, b, c = (_tree(tmp_path / name) for name in "abc")
    assert len(a) == files
    assert a == b
    assert a.keys() == c.keys()
    records = [name for name in a if name.startswith("records/")]
    assert any(a[name] != c[name] for name in records)  # the seed varies the records themselves


def test_every_example_cell_copied_and_varied_validates(tmp_path: Path) -> None:
    templates = province.load_templates()
    cells = len(templates) + 1  # every cell of the example at least once
    root = tmp_path / "tinh"
    province.build(root, cells, seed=1, parents=2)

    result = invoke(["validate", str(root)])

    assert "Hợp lệ" in result.stdout
    problems = [line for line in result.stderr.splitlines() if ": cảnh báo: " in line or ": lỗi: " in line]
    assert problems  # the example's own gap (Lũng Lầu's missing months) is copied, and only that
    assert all("lung-lau" in line and "cảnh báo" in line for line in problems), problems
    folders = sorted(p.name for p in (root / "records" / "2024").iterdir())
    assert len(folders) == cells
    assert {name.rsplit("-", 1)[0] for name in folders} == {t.id for t in templates}
    units = (root / "units.yaml").read_text(encoding="utf-8")
    assert units.count("kind: dang_bo_co_so") == 2
    under_parents = sum(1 for i in range(cells) if templates[i % len(templates)].kind == "chi_bo_truc_thuoc")
    assert units.count("parent: dang-bo-") == under_parents  # chi bộ cơ sở stay under the province


def test_a_non_empty_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        province.build(tmp_path, 1)
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
