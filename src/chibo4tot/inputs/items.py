"""What a record may assess: self-assessed indicators (composite children too), bonus and deductions."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chibo4tot.inputs.values import AnyIndicator
from chibo4tot.models.framework import (
    BonusItem,
    CompositeIndicator,
    Criterion,
    Deduction,
    Framework,
)
from chibo4tot.models.scales import Period

PERIODS_IN_YEAR: dict[str, int] = {"month": 12, "quarter": 4, "year": 1}


@dataclass(frozen=True, slots=True)
class Assessable:
    """One id a record's ``assessment`` may hold, and where (month or year records)."""

    id: str
    kind: Literal["indicator", "bonus", "deduction"]
    period: Period | None  # None: bonus and deductions may be counted in any record
    criterion: Criterion | None = None
    indicator: AnyIndicator | None = None
    bonus: BonusItem | None = None
    deduction: Deduction | None = None
    parent: CompositeIndicator | None = None


def effective_period(indicator: AnyIndicator, parent: CompositeIndicator | None) -> Period:
    """A composite's sub-indicators are scored in the composite's own period."""
    return parent.period if parent is not None else indicator.period


def assessable_items(fw: Framework) -> dict[str, Assessable]:
    """Every id a record may assess, in framework order.

    A composite indicator is never assessed directly: its grade is computed from its
    sub-indicators, which may themselves be self-assessed.
    """
    out: dict[str, Assessable] = {}

    def walk(criterion: Criterion, items: list[AnyIndicator], parent: CompositeIndicator | None) -> None:
        for ind in items:
            if isinstance(ind, CompositeIndicator):
                walk(criterion, list(ind.indicators), ind)
            elif ind.source == "self":
                out[ind.id] = Assessable(
                    ind.id, "indicator", effective_period(ind, parent), criterion, ind, parent=parent
                )

    for criterion in fw.criteria:
        walk(criterion, list(criterion.indicators), None)
    for item in fw.bonus.items if fw.bonus else []:
        if item.source == "self":
            out.setdefault(item.id, Assessable(item.id, "bonus", None, bonus=item))
    for deduction in fw.deductions:
        if deduction.source == "self":
            out.setdefault(deduction.id, Assessable(deduction.id, "deduction", None, deduction=deduction))
    return out


def period_max(indicator: AnyIndicator, parent: CompositeIndicator | None = None) -> Decimal:
    """The most one period may give: the year's points, or a share of them for a ``sum`` roll-up."""
    if parent is not None or indicator.rollup is None or indicator.rollup.method != "sum":
        return indicator.points
    return indicator.points / PERIODS_IN_YEAR[indicator.period]
