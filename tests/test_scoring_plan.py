"""A framework is compiled once for scoring, and its texts follow the language in force."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from chibo4tot import i18n
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.results.evaluate import evaluate
from chibo4tot.results.explain import render_explain
from chibo4tot.scoring import plan
from tests.conftest import EXAMPLE


def _where(path: Path | None, loc: tuple[Any, ...]) -> str:
    return f"{path.name}@{loc}" if path else ""


def explained() -> list[str]:
    return [
        line for r in evaluate(EXAMPLE, 2024, as_of=7).results.units for line in render_explain(r, _where)
    ]


def test_a_framework_is_compiled_once_and_a_new_one_afresh() -> None:
    fw = load_frameworks(None, [], used={"mac-dinh-2024"})["mac-dinh-2024"].framework
    assert plan.plan_for(fw) is plan.plan_for(fw)
    again = load_frameworks(None, [], used={"mac-dinh-2024"})["mac-dinh-2024"].framework
    assert plan.plan_for(again) is not plan.plan_for(fw)
    assert plan.plan_for(again).framework is again


def test_cached_texts_follow_the_language_in_force() -> None:
    vietnamese = explained()
    i18n.set_language("en")
    english = explained()
    assert english != vietnamese
    assert any("points" in line for line in english)
    plan._PLANS.clear()  # compiled afresh in English: the same texts
    assert explained() == english
    i18n.set_language("vi")
    assert explained() == vietnamese
