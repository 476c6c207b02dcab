"""Numbers the framework reads from the records' facts (attendance, duration, classifications…). Pure."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Generic, NamedTuple, TypeVar

from chibo4tot.errors import Loc
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.types import Classification
from chibo4tot.models.workspace import Unit
from chibo4tot.scoring.numbers import ratio

R = TypeVar("R", MonthRecord, YearRecord)
FactValue = bool | int | Fraction | str | None


@dataclass(frozen=True, slots=True)
class RecordRef(Generic[R]):
    """A validated record and the file it came from (for explain's file:line)."""

    record: R
    path: Path | None = None


@dataclass(frozen=True, slots=True)
class UnitRecords:
    """What scoring needs of one unit in one year."""

    unit: Unit
    months: Mapping[int, RecordRef[MonthRecord]]
    year: RecordRef[YearRecord] | None = None


class Fact(NamedTuple):  # a tuple: made for every fact of every month, and a tuple is cheapest
    value: FactValue
    loc: Loc


def _attendance(rec: MonthRecord, _streak: int) -> FactValue:
    m = rec.meeting
    return _share(m.present, m.members - m.exempt) if m.held else Fraction(0)


@functools.lru_cache(maxsize=4096)
def _share(part: int, whole: int) -> Fraction | None:
    # A province's meetings repeat a few hundred attendances: one shared (immutable) Fraction each.
    return ratio(part, whole)


def _duration(rec: MonthRecord, _streak: int) -> FactValue:
    m = rec.meeting
    return m.duration_minutes if m.held else 0


def _thematic_held(rec: MonthRecord, _streak: int) -> FactValue:
    return rec.thematic is not None and rec.thematic.held


def _thematic_quality(rec: MonthRecord, _streak: int) -> FactValue:
    held = rec.thematic is not None and rec.thematic.held
    return rec.thematic.quality if held and rec.thematic else None


def _done(name: str) -> Callable[[MonthRecord, int], FactValue]:
    # Not written down counts as not done: the record is the evidence.
    def done(rec: MonthRecord, _streak: int) -> FactValue:
        m = rec.meeting
        return bool(getattr(m, name)) and m.held

    return done


MonthFact = tuple[Callable[[MonthRecord, int], FactValue], Loc]

# Each month fact: how it is read from a record (and the run of excused absences ending that
# month), and where in the record it is written. Looked up once per framework, not per month.
MONTH_FACTS: dict[str, MonthFact] = {
    "meeting_held": (lambda rec, _s: rec.meeting.held, ("meeting", "held")),
    "attendance_rate": (_attendance, ("meeting", "present")),
    "duration_minutes": (_duration, ("meeting", "duration_minutes")),
    "unexcused_absences": (lambda rec, _s: rec.meeting.unexcused, ("meeting", "unexcused")),
    "excused_absences": (lambda rec, _s: rec.meeting.excused, ("meeting", "excused")),
    "max_excused_streak": (lambda _rec, streak: streak, ("meeting", "absentees")),
    **{
        name: (_done(name), ("meeting", name))
        for name in ("chi_uy_met_before", "draft_resolution", "minutes_recorded")
    },
    "thematic_held": (_thematic_held, ("thematic", "held")),
    "meeting_quality": (lambda rec, _s: rec.meeting.quality, ("meeting", "quality")),
    "thematic_quality": (_thematic_quality, ("thematic", "quality")),
}


def month_fact(rec: MonthRecord, fact: str, excused_streak: int) -> Fact:
    """The value of one month fact, and where in the record it comes from."""
    found = MONTH_FACTS.get(fact)
    if found is None:
        raise KeyError(fact)
    get, loc = found
    return Fact(get(rec, excused_streak), loc)


def thematic_combined(rec: MonthRecord) -> bool:
    return rec.thematic is not None and rec.thematic.held and rec.thematic.combined_with_regular


def excused_streaks(months: Mapping[int, RecordRef[MonthRecord]]) -> dict[int, int]:
    """Per month: the longest run, ending that month, of one member absent with reason.

    A month without a record neither breaks nor extends a run: consecutive means consecutive
    recorded meetings.
    """
    runs: dict[str, int] = {}
    out: dict[int, int] = {}
    for month in sorted(months):
        absent = {a.name for a in months[month].record.meeting.absentees if a.excused}
        runs = {name: runs.get(name, 0) + 1 for name in absent}
        out[month] = max(runs.values(), default=0)
    return out


def discipline_cases(
    year: RecordRef[YearRecord] | None,
    months: Mapping[int, RecordRef[MonthRecord]],
    *,
    except_self_remedied: bool = True,
) -> list[tuple[str, Loc, Path | None]]:
    """Distinct disciplinary cases (one violation counts once) with where each is written.

    The year record's list is authoritative; before it exists, the months' discipline events count.
    """
    seen: dict[str, tuple[str, Loc, Path | None]] = {}
    if year is not None:
        members: dict[str, list[str]] = {}
        first: dict[str, int] = {}
        for i, case in enumerate(year.record.discipline):
            if except_self_remedied and case.self_detected_remedied:
                continue
            key = case.violation or f"#{i}"
            first.setdefault(key, i)
            named = members.setdefault(key, [])
            if case.member and case.member not in named:
                named.append(case.member)
        for key, i in first.items():
            case = year.record.discipline[i]
            # One violation counts once, but the reason names every member and the decision.
            label = case.form if not members[key] else f"{', '.join(members[key])}: {case.form}"
            if not members[key] and case.violation:
                label = case.violation
            if case.decision:
                label += f", {case.decision}"
            seen[key] = (label, ("discipline", i), year.path)
        return list(seen.values())
    for month in sorted(months):
        ref = months[month]
        for i, event in enumerate(ref.record.events):
            if event.kind != "discipline" or (except_self_remedied and event.self_detected_remedied):
                continue
            seen.setdefault(event.description, (event.description, ("events", i), ref.path))
    return list(seen.values())


# Which classifications are at least which, worked out once (Classification.at_least lists the enum).
AT_LEAST = {(a, b): a.at_least(b) for a in Classification for b in Classification}


def member_share(year: YearRecord, at_least: Classification) -> Fraction | None:
    """Share of rated members (those not yet rated are left out) rated ``at_least`` or better."""
    mc = year.member_classification
    if mc is None:
        return None
    counts = {
        Classification.HTXSNV: mc.htxsnv,
        Classification.HTTNV: mc.httnv,
        Classification.HTNV: mc.htnv,
        Classification.KHTNV: mc.khtnv,
    }
    good = sum(n for level, n in counts.items() if AT_LEAST[level, at_least])
    return ratio(good, mc.rated)


def year_fact(
    ref: RecordRef[YearRecord],
    fact: str,
    months: Mapping[int, RecordRef[MonthRecord]],
    sub_units_share: Fraction | None = None,
) -> Fact:
    rec = ref.record
    if fact == "annual_classification":
        return Fact(rec.annual_classification.value if rec.annual_classification else None, (fact,))
    if fact == "members_good_share":
        return Fact(member_share(rec, Classification.HTTNV), ("member_classification",))
    if fact == "members_excellent_share":
        return Fact(member_share(rec, Classification.HTXSNV), ("member_classification",))
    if fact == "discipline_cases":
        return Fact(len(discipline_cases(ref, months)), ("discipline",))
    if fact == "new_members":
        return Fact(rec.new_members, ("new_members",))
    if fact == "sub_units_recognised_share":
        return Fact(sub_units_share, ())
    raise KeyError(fact)
