"""Completeness pre-flight: the gaps an official document would otherwise rest on in silence. Pure.

Each gap is a warning (code ``"gap"``): ``validate`` lists them, ``score`` shows them beside the
results, and ``report`` refuses to write a signed document over them unless told to, and then
states each one in the document itself.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from functools import partial
from pathlib import Path

from chibo4tot.errors import Loc, Problem, Severity
from chibo4tot.formatting import months_text
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import framework_for
from chibo4tot.inputs.record_file import Derive, RecordFile, direct
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit, WorkspaceConfig

GAP = "gap"
PLACEHOLDERS = ("…", "...")


def gap(path: Path | None, message: str, loc: Loc = ()) -> Problem:
    return Problem(path, message, loc, severity=Severity.WARNING, code=GAP)


def scored_units(
    units: list[Unit], config: WorkspaceConfig | None, frameworks: dict[str, Framework], year: int
) -> list[tuple[Unit, Framework]]:
    """Units that a framework scores in ``year`` (assigned for the year and meant for their kind),
    each with that framework."""
    if config is None:
        return []
    out = []
    for unit in units:
        fw = frameworks.get(framework_for(config, year, unit.kind.value) or "")
        if fw is not None and unit.kind in fw.applies_to:
            out.append((unit, fw))
    return out


def year_completeness(
    root: Path,
    units: list[tuple[Unit, Framework]],
    records: list[RecordFile],
    year: int,
    as_of: int,
    *,
    year_over: bool,
    unreadable: Iterable[Path] = (),
    derive: Derive = direct,
) -> tuple[list[Problem], list[tuple[str, list[Problem]]]]:
    """Missing months up to ``as_of``, a missing year.yaml once the year is over, stray dates: the
    stray dates (record by record), then each unit's own gaps (unit by unit, in the order of
    ``units``; see :func:`unit_gaps`).

    ``unreadable`` record files (already reported as errors) count as present: a broken file is
    not a missing one, and saying so twice would only confuse.
    """
    months: dict[str, set[int]] = defaultdict(set)
    has_year: set[str] = set()
    strays: list[Problem] = []
    for path in unreadable:
        unit_id, stem = path.parent.name, path.stem
        if stem == "year" and path.parent.parent.name == str(year):
            has_year.add(unit_id)
        elif stem[:5] == f"{year}-" and stem[5:].isdigit():
            months[unit_id].add(int(stem[5:]))
    for rf in records:
        if rf.year != year:
            continue
        if rf.month is not None:
            months[rf.unit].add(int(rf.month[5:]))
        else:
            has_year.add(rf.unit)
        strays += derive(rf, "strays", partial(stray_dates, rf))
        rf.release()
    # Whether each framework takes months, once per framework (not per unit)
    monthly = {id(fw): fw.takes_months() for fw in {id(fw): fw for _unit, fw in units}.values()}
    per_unit = [
        (
            unit.id,
            unit_gaps(
                root,
                unit,
                months[unit.id],
                unit.id in has_year,
                year,
                as_of,
                year_over=year_over,
                takes_months=monthly[id(fw)],
            ),
        )
        for unit, fw in units
    ]
    return strays, per_unit


def unit_gaps(
    root: Path,
    unit: Unit,
    months: set[int],
    has_year: bool,
    year: int,
    as_of: int,
    *,
    year_over: bool,
    takes_months: bool = True,
) -> list[Problem]:
    """A unit's own gaps in ``year``, given the months it has records of and whether it has
    year.yaml. A unit whose framework ``takes_months`` not (judged once a year) misses no month."""
    problems: list[Problem] = []
    folder = root / "records" / str(year) / unit.id
    missing = [m for m in range(1, as_of + 1) if m not in months] if takes_months else []
    if missing and len(missing) == as_of and as_of > 1:
        problems.append(
            gap(
                folder,
                _("{name} ({id}) chưa có hồ sơ tháng nào của năm {year} (tháng 1 đến {last})").format(
                    name=unit.name, id=unit.id, year=year, last=as_of
                ),
            )
        )
    elif missing:
        problems.append(
            gap(
                folder,
                _("{name} ({id}) thiếu hồ sơ tháng {months} năm {year}").format(
                    name=unit.name, id=unit.id, months=months_text(missing), year=year
                ),
            )
        )
    if year_over and not has_year:
        problems.append(
            gap(
                folder / "year.yaml",
                _(
                    "{name} ({id}) chưa có hồ sơ cuối năm {year} (year.yaml): xếp loại chất lượng, "
                    "đảng viên và kỷ luật trong năm chưa được ghi"
                ).format(name=unit.name, id=unit.id, year=year),
            )
        )
    return problems


def stray_dates(rf: RecordFile) -> list[Problem]:
    """A record's dates outside its own month (or year): a pure function of the one file."""
    rec = rf.record
    return _stray_dates(rf.path, rec) if isinstance(rec, MonthRecord) else _stray_discipline(rf.path, rec)


def _in_month(day: dt.date, month: str) -> bool:
    return f"{day.year:04d}-{day.month:02d}" == month


def _stray_dates(path: Path, rec: MonthRecord) -> list[Problem]:
    out = []
    for loc, day in (
        (("meeting", "date"), rec.meeting.date),
        (("thematic", "date"), rec.thematic and rec.thematic.date),
    ):
        if isinstance(day, dt.date) and not _in_month(day, rec.month):
            out.append(
                gap(
                    path,
                    _(
                        "ngày {day} không thuộc tháng {month} của hồ sơ này (ghi nhầm tháng hoặc nhầm tệp?)"
                    ).format(
                        day=f"{day.day:02d}/{day.month:02d}/{day.year}",
                        month=f"{rec.month[5:]}/{rec.month[:4]}",
                    ),
                    loc,
                )
            )
    return out


def _stray_discipline(path: Path, rec: YearRecord) -> list[Problem]:
    return [
        gap(
            path,
            _("ngày {day} không thuộc năm {year} của hồ sơ này").format(
                day=f"{case.date.day:02d}/{case.date.month:02d}/{case.date.year}", year=rec.year
            ),
            ("discipline", i, "date"),
        )
        for i, case in enumerate(rec.discipline)
        if case.date is not None and case.date.year != rec.year
    ]


def check_years_have_frameworks(
    root: Path, records: list[RecordFile], config: WorkspaceConfig | None
) -> list[Problem]:
    """Records kept for a year that chibo4tot.yaml gives no framework: they can never be scored."""
    if config is None:
        return []
    counts: dict[int, int] = defaultdict(int)
    for rf in records:
        counts[rf.year] += 1
    assigned = {y for a in config.frameworks for y in a.years}
    return [
        gap(
            root / "records" / str(year),
            _(
                "có {n} hồ sơ của năm {year} nhưng chibo4tot.yaml chưa gán khung tiêu chí cho năm này "
                "(các năm đã gán: {years})"
            ).format(n=n, year=year, years=", ".join(str(y) for y in sorted(assigned)) or "—"),
        )
        for year, n in sorted(counts.items())
        if year not in assigned
    ]


def check_document_data(path: Path, config: WorkspaceConfig) -> list[Problem]:
    """What the signed report prints from chibo4tot.yaml: placeholders left by init, signer, recipients."""
    problems: list[Problem] = []
    fields: list[tuple[Loc, str | None]] = [
        (("name",), config.name),
        (("superior",), config.superior),
        (("issuing_body",), config.issuing_body),
        (("abbreviation",), config.abbreviation),
        (("place",), config.place),
        (("signer", "on_behalf"), config.signer.on_behalf),
        (("signer", "position"), config.signer.position),
        (("signer", "name"), config.signer.name),
        *((("recipients", i), text) for i, text in enumerate(config.recipients)),
    ]
    for loc, text in fields:
        if text and any(mark in text for mark in PLACEHOLDERS):
            problems.append(
                gap(
                    path,
                    _("còn chỗ để trống “{text}”: hãy ghi nội dung thật trước khi lập báo cáo").format(
                        text=text
                    ),
                    loc,
                )
            )
    if not config.signer.name:
        problems.append(
            gap(
                path,
                _("chưa ghi họ tên người ký (signer: name:): báo cáo sẽ không có người ký"),
                ("signer",),
            )
        )
    if not config.recipients:
        problems.append(gap(path, _("chưa ghi nơi nhận báo cáo (recipients:)"), ("recipients",)))
    return problems
