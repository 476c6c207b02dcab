"""What a record may assess: composite children, bonus and deduction counts, per-period maxima."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from chibo4tot.inputs.items import assessable_items, period_max
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.inputs.places import shipped_criteria_dir
from chibo4tot.inputs.values import ValueProblem, read_count
from chibo4tot.models.records import AssessedValue
from tests.conftest import invoke

REC = "records/2024/ma-pi-leng/2024-03.yaml"
YEAR = "records/2024/ma-pi-leng/year.yaml"


def _default_framework():  # type: ignore[no-untyped-def]
    frameworks = load_frameworks(None, [], used={"mac-dinh-2024"}, shipped_dir=shipped_criteria_dir())
    return frameworks["mac-dinh-2024"].framework


def test_catalogue_of_the_default_framework() -> None:
    items = assessable_items(_default_framework())
    assert "2.1" not in items  # computed from its sub-indicators
    assert items["2.1.7"].period == "month" and items["2.1.7"].parent is not None
    assert "2.1.3" not in items  # computed from the meeting facts
    assert items["t1"].kind == "bonus" and items["t1"].period is None
    assert "t2" not in items  # bonus from new_members, not self-assessed
    assert items["4.5"].period == "year"
    three_five = items["3.5"].indicator
    assert three_five is not None
    assert period_max(three_five) == Decimal("0.25")
    one_two = items["1.2"].indicator
    assert one_two is not None
    assert period_max(one_two) == 5


@pytest.mark.parametrize(
    ("raw", "count"), [(0, 0), (3, 3), ("2", 2), ("Có", 1), ("Không", 0), (True, 1), ("Đạt", 1)]
)
def test_read_count(raw: object, count: int) -> None:
    assert read_count(AssessedValue(value=raw)) == count  # type: ignore[arg-type]


@pytest.mark.parametrize("raw", [-1, 1.5, "hai", "1,5"])
def test_read_count_rejects(raw: object) -> None:
    with pytest.raises(ValueProblem):
        read_count(AssessedValue(value=raw))  # type: ignore[arg-type]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_bonus_counts_are_accepted_in_records(example_copy: Path) -> None:
    _replace(example_copy / YEAR, "assessment:\n", 'assessment:\n  "t1": 1\n  "t3": Có\n')
    _replace(example_copy / REC, "assessment:\n", 'assessment:\n  "t3": 2\n')
    invoke(["validate", str(example_copy)])


def test_bad_bonus_count_is_located(example_copy: Path) -> None:
    _replace(example_copy / YEAR, "assessment:\n", 'assessment:\n  "t1": hai lần\n')
    result = invoke(["validate", str(example_copy)], exit_code=1)
    assert "year.yaml" in result.stderr and "số lần" in result.stderr


def test_composite_is_not_assessed_directly(example_copy: Path) -> None:
    _replace(example_copy / REC, "assessment:\n", 'assessment:\n  "2.1": Tốt\n')
    result = invoke(["validate", str(example_copy)], exit_code=1)
    assert "“2.1” được tính từ các chỉ tiêu con; hãy ghi giá trị cho: 2.1.7, 2.1.8" in result.stderr


def test_sum_rollup_caps_each_month(example_copy: Path) -> None:
    text = (example_copy / REC).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith('  "3.5":'))
    _replace(example_copy / REC, line, '  "3.5": 0,5')
    result = invoke(["validate", str(example_copy)], exit_code=1)
    assert "điểm 0,5 nằm ngoài khoảng 0..0,25" in result.stderr
