"""Many đảng bộ's exports → the district's results, as the reports read them; refusing what cannot add up.

The exports' cells become results again (their points, rating, verdict and reasons as exported,
without the months and indicators that stayed with the đảng bộ), so the district's workbook and
written report come from the same report code as a đảng bộ's, and its own export can travel further up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from chibo4tot.errors import InputError, Problem, Severity
from chibo4tot.hierarchy.exports import ReadExport, tampered
from chibo4tot.i18n import _, current_language
from chibo4tot.models.export import ExportUnit
from chibo4tot.models.types import UnitKind
from chibo4tot.models.workspace import FrameworkAssignment, Unit, UnitsFile, WorkspaceConfig
from chibo4tot.results.history import export_decimal, previous_from_export
from chibo4tot.scoring.organisation import LastYear, apply_previous, summarise
from chibo4tot.scoring.results import (
    CriterionResult,
    LineItem,
    PreviousUnit,
    PreviousYear,
    Tally,
    UnitResult,
    YearResults,
)


@dataclass(frozen=True)
class Rollup:
    """The district's year, made from exports."""

    results: YearResults
    frameworks: list[dict[str, Any]]  # as the exports list them, each id once
    not_scored: list[tuple[str, str, str]]
    gaps: int
    dang_bo: dict[str, str]  # đảng bộ id → name, for the tables by đảng bộ


def check_exports(found: list[ReadExport], year: int | None) -> None:
    """Every reason the exports cannot be added up, all at once: an input error naming each file."""
    problems: list[Problem] = []
    for f in found:
        if tampered(f) is not None:
            problems.append(
                Problem(
                    f.path, _("nội dung không khớp với dấu vân tay ghi trong tệp; tệp đã bị sửa sau khi xuất")
                )
            )
    here = current_language()  # the district's documents are written in it, the exports' reasons too
    for f in found:
        if f.export.language != here:
            foreign = _("tên và lý do trong tệp viết bằng ngôn ngữ “{lang}”; hãy tổng hợp với --lang {lang}")
            problems.append(Problem(f.path, foreign.format(lang=f.export.language)))
    years = Counter(f.export.year for f in found)
    for f in found:
        if year is not None and f.export.year != year:
            problems.append(
                Problem(
                    f.path,
                    _("là kết quả năm {got}, không phải năm {year}").format(got=f.export.year, year=year),
                )
            )
        elif year is None and len(years) > 1:
            listed = ", ".join(str(y) for y in sorted(years))
            problems.append(
                Problem(
                    f.path,
                    _(
                        "là kết quả năm {got}; các tệp tổng hợp phải cùng một năm (đang có các năm {years})"
                    ).format(got=f.export.year, years=listed),
                )
            )
    months = Counter(f.export.as_of_month for f in found)
    if len(months) > 1:
        listed = ", ".join(str(m) for m in sorted(months))
        for f in found:
            mixed = _(
                "số liệu tính đến hết tháng {month}; các tệp phải cùng một mốc (đang có: tháng {months})"
            )
            problems.append(Problem(f.path, mixed.format(month=f.export.as_of_month, months=listed)))
    seen: dict[str, int] = {}  # cell id → the export that has it first (the same file may be given twice)
    sent: dict[str, int] = {}
    for n, f in enumerate(found):
        other = found[sent.setdefault(f.export.dang_bo.id, n)].path
        if sent[f.export.dang_bo.id] != n:
            problems.append(
                Problem(
                    f.path,
                    _("kết quả của {name} ({id}) đã có trong tệp {other}").format(
                        name=f.export.dang_bo.name, id=f.export.dang_bo.id, other=other.name
                    ),
                )
            )
            continue
        for i, u in enumerate(f.export.units):
            first = found[seen.setdefault(u.id, n)].path
            if seen[u.id] != n:
                problems.append(
                    Problem(
                        f.path,
                        _(
                            "chi bộ {name} ({id}) đã có trong tệp {other}: một chi bộ chỉ được tính một lần"
                        ).format(name=u.name, id=u.id, other=first.name),
                        ("units", i),
                    )
                )
    if problems:
        raise InputError(_("không tổng hợp được: các tệp kết quả có vấn đề (xem ở trên)"), problems)


def unit_result(u: ExportUnit, year: int, as_of: int, titles: dict[str, str]) -> UnitResult:
    """An exported cell as a result the reports can read (what stayed behind is left empty)."""
    unit = Unit(id=u.id, name=u.name, kind=u.kind, parent=u.parent)
    criteria = [
        CriterionResult(
            c.id,
            c.name,
            export_decimal(c.max_points),
            None,
            export_decimal(c.max_points),
            Fraction(export_decimal(c.points)),
            Decimal(0),
            export_decimal(c.points),
            export_decimal(c.points),
            c.passed,
        )
        for c in u.criteria
    ]
    # Two lines stand for the deductions, so that both figures the export keeps add up again.
    deductions = []
    if u.deductions_in_criteria:
        deductions.append(LineItem("trong-tieu-chi", "", 1, export_decimal(u.deductions_in_criteria), "*"))
    if u.deductions_off_total:
        deductions.append(LineItem("vao-tong", "", 1, export_decimal(u.deductions_off_total)))
    recorded = [m for m in range(1, 13) if m not in u.months_missing][: u.months_recorded]
    total = export_decimal(u.total)
    result = UnitResult(
        unit,
        u.framework,
        titles.get(u.framework, u.framework),
        year,
        as_of,
        recorded,
        list(u.months_missing),
        criteria,
        export_decimal(u.bonus),
        [],
        deductions,
        total,
        total,
        export_decimal(u.max_total),
        Decimal(0),
        u.rating,
        "",
        [],
        u.status,
        list(u.reasons),
        [],
        list(u.needed),
        u.demoted_by,
    )
    result.streak = u.streak
    result.provisional = u.provisional
    result.projected_total = export_decimal(u.projected_total) if u.projected_total is not None else None
    return result


def previous_of(found: list[ReadExport]) -> LastYear:
    """Last year's figures from last year's exports of the đảng bộ (checked as this year's are):
    every cell of them, and the cells' tallies by đảng bộ and overall added up."""
    cells = Tally()
    by_parent: dict[str, Tally] = {}
    units: dict[str, PreviousUnit] = {}
    for f in found:
        year, mine = previous_from_export(f)
        cells.add(year.cells)
        for pid, t in year.by_parent.items():
            by_parent.setdefault(pid, Tally()).add(t)
        units.update(mine)
    return PreviousYear(found[0].export.year, cells, by_parent, source="export"), units


def build_rollup(
    found: list[ReadExport], district: WorkspaceConfig, before: list[ReadExport] | None = None
) -> Rollup:
    """The district's results from checked exports (see :func:`check_exports`), in the order given;
    ``before``: last year's exports (checked too), whose figures go beside this year's."""
    frameworks: dict[str, dict[str, Any]] = {}
    for f in found:
        for fw in f.data["frameworks"]:
            frameworks.setdefault(f"{fw['id']}:{fw['sha256']}", fw)
    titles = {fw["id"]: fw["title"] for fw in frameworks.values()}
    first = found[0].export
    units = [unit_result(u, first.year, first.as_of_month, titles) for f in found for u in f.export.units]
    counts = Counter(r.framework_id for r in units)
    main = min(counts, key=lambda fid: (-counts[fid], fid)) if counts else ""
    results = YearResults(
        first.year, first.as_of_month, main, titles.get(main, ""), units, summarise(units, district.id)
    )
    apply_previous(results, previous_of(before) if before else None)
    return Rollup(
        results,
        list(frameworks.values()),
        [(n.id, n.name, n.reason) for f in found for n in f.export.not_scored],
        sum(f.export.gaps for f in found),
        {f.export.dang_bo.id: f.export.dang_bo.name for f in found},
    )


def default_district(found: list[ReadExport]) -> WorkspaceConfig:
    """The district's header when none is given: the superior the đảng bộ named in their exports.
    Its own superior, its abbreviation and its place are not known: placeholders the document's
    gaps name (not the district's name printed twice in the header)."""
    superiors = Counter(f.export.dang_bo.superior for f in found)
    name = min(superiors, key=lambda s: (-superiors[s], s))
    return WorkspaceConfig(
        id="cap-tren",
        name=name,
        superior="…",
        issuing_body=name,
        abbreviation="…",
        place="…",
        frameworks=[FrameworkAssignment(years=[found[0].export.year], framework="tong-hop")],
    )


def rollup_gaps(found: list[ReadExport], listed: UnitsFile | None, units_path: Path | None) -> list[Problem]:
    """What the district's figures rest on and the report must state: exports made from incomplete
    records, and each đảng bộ cơ sở of the district's own list (units.yaml) that sent nothing."""
    gaps = [
        Problem(
            None,
            _("{name} gửi kết quả ({file}) khi hồ sơ còn {n} thiếu sót").format(
                name=f.export.dang_bo.name, file=f.path.name, n=f.export.gaps
            ),
            severity=Severity.WARNING,
            code="gap",
        )
        for f in found
        if f.export.gaps
    ]
    sent = {f.export.dang_bo.id for f in found}
    for i, unit in enumerate(listed.units if listed is not None else []):
        if unit.kind is UnitKind.DANG_BO_CO_SO and unit.id not in sent:
            gaps.append(
                Problem(
                    units_path,
                    _("{name} ({id}) chưa gửi kết quả").format(name=unit.name, id=unit.id),
                    ("units", i),
                    severity=Severity.WARNING,
                    code="gap",
                )
            )
    return gaps
