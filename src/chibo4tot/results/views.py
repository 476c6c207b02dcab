"""Results → the JSON object of the command-line contract, and flat rows for tables and CSV. Pure."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from chibo4tot.errors import Problem, Severity, render_loc
from chibo4tot.formatting import rate, rate_change, vn_number, vn_percent
from chibo4tot.i18n import N_, _
from chibo4tot.models.types import UNIT_KIND_LABELS, UnitKind
from chibo4tot.scoring.results import PreviousUnit, PreviousYear, Tally, UnitResult, YearResults

STATUS_LABELS = {
    "recognised": N_("Đạt"),
    "not_recognised": N_("Không đạt"),
    "in_progress": N_("Đang theo dõi"),
}


def num(value: Decimal | Fraction | int) -> int | float:
    """A JSON number: 25 stays 25, 23.50 becomes 23.5 (the value was rounded once already)."""
    d = value if isinstance(value, Decimal) else Decimal(value.numerator) / Decimal(value.denominator)
    return int(d) if d == d.to_integral_value() else float(d)


def status_label(result: UnitResult) -> str:
    return _(STATUS_LABELS[result.status])


def deductions_off_total(result: UnitResult) -> Decimal:
    """Deductions taken off the total (the "Trừ" column): those charged to a criterion are already
    inside its points, so TC1 + … + Thưởng − Trừ = Tổng holds on every row."""
    return sum((d.points for d in result.deductions if not d.criterion), Decimal(0))


def rating_label(result: UnitResult) -> str:
    """The band, marked when it is projected from part of the year."""
    if result.provisional:
        return _("{band} (tạm tính)").format(band=result.rating) if result.rating else _("chưa tạm tính được")
    return result.rating or ""


def parent_of(result: UnitResult, root_id: str) -> str:
    return result.unit.parent or root_id


def tally_json(t: Tally) -> dict[str, Any]:
    r = rate(t.recognised, t.units)
    return {
        "units": t.units,
        "recognised": t.recognised,
        "recognised_rate": num(r) if r is not None else None,
    }


def unit_json(r: UnitResult, root_id: str) -> dict[str, Any]:
    return {
        "id": r.unit.id,
        "name": r.unit.name,
        # The workspace's own đảng bộ, scored as a unit, has its parent above the workspace
        "parent": None if r.unit.parent is None and r.unit.id == root_id else parent_of(r, root_id),
        "kind": r.unit.kind.value,
        "months_recorded": len(r.months_recorded),
        "months_missing": r.months_missing,
        "criteria": [
            {
                "id": c.id,
                "name": c.name,
                "points": num(c.points),
                "max_points": num(c.max_points),
                "passed": c.passed,
            }
            for c in r.criteria
        ],
        "bonus": num(r.bonus),
        "deductions": num(sum((d.points for d in r.deductions), Decimal(0))),
        "deductions_in_criteria": num(sum((d.points for d in r.deductions if d.criterion), Decimal(0))),
        "deductions_off_total": num(deductions_off_total(r)),
        "total": num(r.total),
        "max_total": num(r.max_total),
        "rating": r.rating,
        "provisional": r.provisional,
        "projected_total": num(r.projected_total) if r.projected_total is not None else None,
        "demoted_by": r.demoted_by,
        "recognised": r.recognised,
        "status": r.status,
        "reasons": r.reasons,
        "needed": r.needed,
        "streak": r.streak,
        "framework": r.framework_id,
        "previous": previous_unit_json(r.previous),
    }


def previous_unit_json(p: PreviousUnit | None) -> dict[str, Any] | None:
    """A unit's results of the year before, in its entry of ``score --format json``."""
    if p is None:
        return None
    return {"year": p.year, "total": num(p.total), "rating": p.rating, "recognised": p.recognised}


def previous_verdict(p: PreviousUnit | None) -> str:
    """Last year's verdict as tables show it: "—" when the unit had no result that year."""
    if p is None:
        return "—"
    return _(STATUS_LABELS["recognised" if p.recognised else "not_recognised"])


def previous_year_json(p: PreviousYear | None) -> dict[str, Any] | None:
    """The year before over the cells, in the summary of ``score --format json``."""
    if p is None:
        return None
    return {
        "year": p.year,
        "source": p.source,
        **tally_json(p.cells),
        "by_parent": {parent: tally_json(t) for parent, t in sorted(p.by_parent.items())},
    }


def relative(path: Path | None, root: Path | None) -> str | None:
    """A path as outputs show it: relative to the workspace with "/", never a path of this machine."""
    if path is None:
        return None
    if root is not None and path.is_absolute():
        try:
            rel = os.path.relpath(path, root)
        except ValueError:  # another drive on Windows
            return path.name
        return rel.replace(os.sep, "/") if not rel.startswith("..") else path.name
    return path.as_posix()


def problem_json(p: Problem, root: Path | None = None) -> dict[str, Any]:
    return {
        "path": relative(p.path, root),
        "line": p.line,
        "col": p.col,
        "severity": "error" if p.severity is Severity.ERROR else "warning",
        "where": render_loc(tuple(x for x in p.loc if x != "[key]")),
        "message": p.message,
    }


def results_json(
    results: YearResults,
    problems: list[Problem],
    root_id: str,
    not_scored: list[dict[str, Any]] | None = None,
    root: Path | None = None,
) -> dict[str, Any]:
    """The object ``score --format json`` prints (contract: DESIGN.md §5)."""
    s = results.summary
    summary = tally_json(s.cells)
    summary["by_kind"] = {kind: tally_json(t) for kind, t in sorted(s.by_kind.items())}
    summary["by_parent"] = {parent: tally_json(t) for parent, t in sorted(s.by_parent.items())}
    summary["dang_bo"] = tally_json(s.dang_bo)
    summary["previous"] = previous_year_json(results.previous)
    return {
        "year": results.year,
        "as_of_month": results.as_of,
        "framework": {"id": results.framework_id, "title": results.framework_title},
        "units": [unit_json(r, root_id) for r in results.units],
        "not_scored": not_scored or [],
        "summary": summary,
        "problems": [problem_json(p, root) for p in problems],
    }


# score --format json prints with this indent; a unit's entry sits two levels deep ("units": [...]).
JSON_INDENT = 2
_UNITS_AT = "\n" + " " * JSON_INDENT + '"units": [],\n'


def unit_json_text(r: UnitResult, root_id: str) -> str:
    """A unit's entry in the printed JSON, indented as it is printed inside the list of units."""
    text = json.dumps(unit_json(r, root_id), ensure_ascii=False, indent=JSON_INDENT)
    pad = " " * (2 * JSON_INDENT)
    return pad + text.replace("\n", "\n" + pad)


def results_json_text(data: dict[str, Any], unit_texts: list[str]) -> str:
    """The printed JSON of :func:`results_json`'s object, whose units are given as
    :func:`unit_json_text` made them (``data["units"]`` is left out): the same text as
    ``json.dumps(…, indent=2)`` of the whole, without encoding every unit again."""
    text = json.dumps({**data, "units": []}, ensure_ascii=False, indent=JSON_INDENT)
    if not unit_texts:
        return text
    head, found, tail = text.partition(_UNITS_AT)
    assert found and _UNITS_AT not in tail  # top-level keys alone sit at this indent
    units = ",\n".join(unit_texts)
    return f'{head}\n{" " * JSON_INDENT}"units": [\n{units}\n{" " * JSON_INDENT}],\n{tail}'


def unit_row(r: UnitResult, places: int = 2) -> dict[str, str]:
    """One unit as the table and the CSV show it (Vietnamese number format)."""
    row = {
        "id": r.unit.id,
        "name": r.unit.name,
    }
    for c in r.criteria:
        row[f"criterion:{c.id}"] = vn_number(c.points, places, fixed=True)
    row["bonus"] = vn_number(r.bonus, places, fixed=True)
    row["deductions"] = vn_number(deductions_off_total(r), places, fixed=True)
    row["total"] = vn_number(r.total, places, fixed=True)
    row["rating"] = rating_label(r)
    row["verdict"] = status_label(r)
    row["months"] = f"{len(r.months_recorded)}/{r.as_of}" if r.takes_months else "—"
    last = r.previous
    row["previous_total"] = vn_number(last.total, places, fixed=True) if last is not None else "—"
    row["previous_verdict"] = previous_verdict(last)
    # Mid-year no cell is recognised yet: "0 năm liền" would read as a broken streak
    row["streak"] = str(r.streak) if r.status != "in_progress" else "—"
    row["reasons"] = " ".join(r.reasons) if r.reasons else "; ".join(r.needed)
    return row


def comparison_text(now: Tally, last: Tally | None, year: int) -> str:
    """How a recognition rate compares with last year's: "tăng 9,09 điểm phần trăm so với năm 2023
    (36,36%)"; when last year's is unknown, said so."""
    before = rate(last.recognised, last.units) if last is not None else None
    change = rate_change(rate(now.recognised, now.units), before)
    if change is None:
        return _("không có kết quả năm {year} để so sánh").format(year=year)
    values = {"points": vn_number(abs(change), 2, fixed=True), "year": year, "rate": vn_percent(before)}
    if change > 0:
        return _("tăng {points} điểm phần trăm so với năm {year} ({rate})").format(**values)
    if change < 0:
        return _("giảm {points} điểm phần trăm so với năm {year} ({rate})").format(**values)
    return _("bằng năm {year} ({rate})").format(**values)


def compared_cells(by_parent: dict[str, Tally], last: PreviousYear) -> tuple[Tally, Tally, list[str]]:
    """This year's and last year's cells over the đảng bộ (parents) that have cells this year and a
    result last year, and the parents with cells this year but no result last year."""
    now, before, missing = Tally(), Tally(), []
    for pid, t in by_parent.items():
        was = last.by_parent.get(pid)
        if was is None:
            missing.append(pid)
            continue
        now.add(t)
        before.add(was)
    return now, before, missing


def comparison_sentence(results: YearResults) -> str:
    """The sentence that compares the cells' recognition rate with last year's (reports print it
    whether last year's results are known or not)."""
    last = results.previous
    year = results.year - 1
    if last is None:
        return _("Không có kết quả năm {year} để so sánh.").format(year=year)
    if results.as_of < 12:  # no cell is recognised before the year is over: nothing to compare yet
        return _(
            "Năm {year} có {n}/{total} chi bộ được công nhận ({rate}); tỉ lệ năm nay chỉ có khi hết năm."
        ).format(
            year=last.year,
            n=last.cells.recognised,
            total=last.cells.units,
            rate=vn_percent(rate(last.cells.recognised, last.cells.units)),
        )
    now, before, missing = compared_cells(results.summary.by_parent, last)
    if missing and now.units and before.units:
        # Some đảng bộ have no result of last year (a district without one's export of it): the
        # rates are compared over those with both years, not this year's all against last year's part.
        return _(
            "Tính trên {k}/{m} đảng bộ có kết quả cả năm {year} và năm nay, tỉ lệ chi bộ được công nhận "
            "{change}; năm {year} các đảng bộ này có {n}/{total} chi bộ được công nhận."
        ).format(
            k=len(results.summary.by_parent) - len(missing),
            m=len(results.summary.by_parent),
            year=last.year,
            change=comparison_text(now, before, last.year),
            n=before.recognised,
            total=before.units,
        )
    if not results.summary.cells.units:  # this year's rate is what is unknown, not last year's
        return _(
            "Năm nay không có chi bộ nào được chấm; năm {year} có {n}/{total} chi bộ được công nhận."
        ).format(year=last.year, n=last.cells.recognised, total=last.cells.units)
    return _("Tỉ lệ chi bộ được công nhận {change}; năm {year} có {n}/{total} chi bộ được công nhận.").format(
        change=comparison_text(results.summary.cells, last.cells, last.year),
        year=last.year,
        n=last.cells.recognised,
        total=last.cells.units,
    )


def summary_lines(results: YearResults) -> list[str]:
    s = results.summary
    if results.as_of < 12:
        cells = [r for r in results.units if r.unit.kind.value in s.by_kind]
        on_track = sum(1 for r in cells if r.status == "in_progress")
        return [
            _(
                "Tạm tính đến hết tháng {month}: {on_track}/{total} chi bộ còn trong tầm đạt “Chi bộ 4 tốt”, "
                "{out} chi bộ đã không thể đạt; kết quả chính thức chỉ có khi hết năm."
            ).format(month=results.as_of, on_track=on_track, total=len(cells), out=len(cells) - on_track)
        ]
    lines = [
        _("Công nhận “Chi bộ 4 tốt”: {n}/{total} chi bộ ({rate}).").format(
            n=s.cells.recognised,
            total=s.cells.units,
            rate=vn_percent(rate(s.cells.recognised, s.cells.units)),
        )
    ]
    for kind, t in sorted(s.by_kind.items()):
        lines.append(
            "  "
            + _("{label}: {n}/{total} ({rate})").format(
                label=_(UNIT_KIND_LABELS[UnitKind(kind)]),
                n=t.recognised,
                total=t.units,
                rate=vn_percent(rate(t.recognised, t.units)),
            )
        )
    if s.dang_bo.units:
        lines.append(
            _("Công nhận “Đảng bộ cơ sở 4 tốt”: {n}/{total} đảng bộ ({rate}).").format(
                n=s.dang_bo.recognised,
                total=s.dang_bo.units,
                rate=vn_percent(rate(s.dang_bo.recognised, s.dang_bo.units)),
            )
        )
    if results.previous is not None:
        lines.append(comparison_sentence(results))
    return lines
