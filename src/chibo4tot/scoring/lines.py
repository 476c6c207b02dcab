"""Bonus (capped) and per-occurrence deductions, counted from facts, events and assessments. Pure."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from chibo4tot.errors import Loc
from chibo4tot.inputs.values import ValueProblem, read_count
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.scoring.facts import RecordRef, UnitRecords, discipline_cases, month_fact, year_fact
from chibo4tot.scoring.numbers import round_half_up
from chibo4tot.scoring.periods import final_value
from chibo4tot.scoring.results import LineItem

Sources = list[tuple[Path | None, Loc]]  # where each counted occurrence is written


def _all_refs(data: UnitRecords) -> list[RecordRef[MonthRecord] | RecordRef[YearRecord]]:
    refs: list[RecordRef[MonthRecord] | RecordRef[YearRecord]] = [data.months[m] for m in sorted(data.months)]
    if data.year is not None:
        refs.append(data.year)
    return refs


def count_self(data: UnitRecords, ident: str) -> tuple[int, Sources]:
    """Times a self-assessed bonus or deduction item was recorded, over every record of the year."""
    total, sources = 0, Sources()
    for ref in _all_refs(data):
        found = final_value(ref.record, ident)
        if found is None:
            continue
        try:
            n = read_count(found[0])
        except ValueProblem:
            continue
        if n:
            total += n
            sources.append((ref.path, found[1]))
    return total, sources


def count_fact(data: UnitRecords, source: str) -> tuple[int, Sources]:
    """Occurrences of a fact over the year: month facts added up, year facts as written."""
    if source == "discipline_cases":
        cases = discipline_cases(data.year, data.months)
        return len(cases), [(path, loc) for _label, loc, path in cases]
    if source == "complaints_escalated":
        total, sources = 0, Sources()
        for month in sorted(data.months):
            ref = data.months[month]
            for i, event in enumerate(ref.record.events):
                if event.kind == "complaint_escalated":
                    total += 1
                    sources.append((ref.path, ("events", i)))
        return total, sources
    total, sources = 0, Sources()
    if source in ("new_members", "annual_classification", "members_good_share", "members_excellent_share"):
        if data.year is not None:
            fact = year_fact(data.year, source, data.months)
            if isinstance(fact.value, bool | int) and fact.value:
                total, sources = int(fact.value), [(data.year.path, fact.loc)]
        return total, sources
    for month in sorted(data.months):
        ref = data.months[month]
        fact = month_fact(ref.record, source, 0)
        if isinstance(fact.value, bool | int) and fact.value:
            total += int(fact.value)
            sources.append((ref.path, fact.loc))
    return total, sources


def score_bonus(fw: Framework, data: UnitRecords, places: int) -> tuple[Decimal, list[LineItem]]:
    if fw.bonus is None:
        return Decimal(0), []
    lines = []
    for item in fw.bonus.items:
        n, sources = count_self(data, item.id) if item.source == "self" else count_fact(data, item.source)
        if n:
            lines.append(
                LineItem(item.id, item.name, n, round_half_up(item.points * n, places), None, sources)
            )
    total = min(sum((line.points for line in lines), Decimal(0)), fw.bonus.max_points)
    return round_half_up(total, places), lines


def score_deductions(fw: Framework, data: UnitRecords, places: int) -> list[LineItem]:
    lines = []
    for item in fw.deductions:
        n, sources = count_self(data, item.id) if item.source == "self" else count_fact(data, item.source)
        if not n:
            continue
        points = item.points_each * n
        if item.max_points is not None:
            points = min(points, item.max_points)
        lines.append(LineItem(item.id, item.name, n, round_half_up(points, places), item.criterion, sources))
    return lines
