"""Results pickle small and load unchanged: what a cache of scored units relies on."""

from __future__ import annotations

import dataclasses
import pickle
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.results.evaluate import evaluate
from chibo4tot.results.explain import lost_points, render_explain
from chibo4tot.results.views import results_json
from chibo4tot.scoring import YearResults
from tests.conftest import EXAMPLE


def plain(value: Any) -> Any:
    """Every field of every result, recursively, with its exact type: two equal trees match exactly."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [f.name for f in dataclasses.fields(value)]
        return (type(value).__mro__[-2].__name__, {name: plain(getattr(value, name)) for name in fields})
    if isinstance(value, list | tuple):
        return (type(value).__name__, [plain(v) for v in value])
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return (type(value).__name__, repr(value))  # Fraction, Decimal, Path, str, a unit…


def _where(path: Path | None, loc: tuple[Any, ...]) -> str:
    return f"{path.name}@{loc}" if path else ""


def explained(results: YearResults) -> list[str]:
    lines: list[str] = []
    for r in results.units:
        lines += render_explain(r, _where)
        for c in r.criteria:
            lines += lost_points(c, _where)
    return lines


@pytest.fixture(scope="module", params=[12, 6])
def scored(request: pytest.FixtureRequest) -> YearResults:
    return evaluate(EXAMPLE, 2024, as_of=request.param).results


def test_a_loaded_result_is_the_scored_one(scored: YearResults) -> None:
    loaded = pickle.loads(pickle.dumps(scored, protocol=5))
    assert loaded.units == scored.units
    assert scored.units == loaded.units  # whichever side compares
    assert results_json(loaded, [], "root") == results_json(scored, [], "root")
    assert explained(loaded) == explained(scored)
    assert plain(loaded) == plain(scored)


def test_a_loaded_result_pickles_again_whether_read_or_not(scored: YearResults) -> None:
    data = pickle.dumps(scored, protocol=5)
    untouched = pickle.loads(data)
    assert plain(pickle.loads(pickle.dumps(untouched, protocol=5))) == plain(scored)
    read = pickle.loads(data)
    explained(read)  # every packed part unpacked
    assert plain(pickle.loads(pickle.dumps(read, protocol=5))) == plain(scored)


def test_a_packed_field_written_before_it_is_read_keeps_what_was_written(scored: YearResults) -> None:
    loaded = pickle.loads(pickle.dumps(scored, protocol=5))
    unit, original = loaded.units[0], scored.units[0]
    unit.gates = []
    unit.criteria[0].indicators = unit.criteria[0].indicators[:1]
    assert unit.gates == []
    assert unit.monthly == original.monthly  # packed with the gates, still there
    assert unit.review_gaps == original.review_gaps
    assert unit.criteria[0].indicators == original.criteria[0].indicators[:1]
    copy = dataclasses.replace(loaded.units[1], streak=7)
    assert copy.streak == 7
    assert dataclasses.replace(copy, streak=scored.units[1].streak) == scored.units[1]


def test_results_pickle_small(scored: YearResults) -> None:
    # Every period of every indicator travels compressed: a few kB per unit, not tens.
    per_unit = len(pickle.dumps(scored, protocol=5)) / len(scored.units)
    assert per_unit < 12_000


def test_monthly_rows_are_worked_out_when_read_and_what_is_written_first_stands() -> None:
    fresh = evaluate(EXAMPLE, 2024).results.units
    read, written, copied = fresh[0], fresh[1], fresh[2]
    rows = read.monthly
    assert rows and all(set(row) <= {c.id for c in read.criteria} for row in rows.values())
    assert read.monthly is rows  # worked out once
    written.monthly = {1: {}}
    assert written.monthly == {1: {}}
    assert pickle.loads(pickle.dumps(written, protocol=5)).monthly == {1: {}}
    assert dataclasses.replace(copied, streak=7).monthly == copied.monthly
    assert pickle.loads(pickle.dumps(copied, protocol=5)).monthly == copied.monthly
