"""Read a framework's test cases: merge each with its template, build whole records, locate problems."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from chibo4tot.errors import Loc, Problem, Severity
from chibo4tot.i18n import _
from chibo4tot.inputs.checks import check_values
from chibo4tot.inputs.frameworks import YAML_SUFFIXES
from chibo4tot.inputs.locate import read_raw, validate_data
from chibo4tot.inputs.messages import problems_from_validation
from chibo4tot.models.cases import (
    CASES_SUFFIX,
    TEMPLATE_PREFIX,
    BuiltCase,
    CaseTemplate,
    CaseUnit,
    FrameworkCase,
    month_key,
)
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit
from chibo4tot.runtime import interrupt_held

UNIT_ID = "chi-bo-thu"  # the unit a case scores: its id is shown nowhere
# Keys a case never writes in a record: the case itself says which unit, month and year.
_SET_BY_CASE = {"every_month": ("unit", "month", "framework"), "year_record": ("unit", "year", "framework")}


def case_folder(framework_path: Path) -> Path:
    """``criteria/mac-dinh-2024.yaml`` → ``criteria/mac-dinh-2024.cases``."""
    return framework_path.with_name(framework_path.stem + CASES_SUFFIX)


def case_files(folder: Path) -> list[Path]:
    """The cases of a folder, by name; templates (``_mau.yaml``) are not cases."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix in YAML_SUFFIXES and not p.name.startswith(TEMPLATE_PREFIX) and p.is_file()
    )


def orphan_folders(criteria_dirs: Iterable[Path]) -> list[Path]:
    """Case folders with no framework file beside them: their cases would silently never run."""
    out: list[Path] = []
    for directory in criteria_dirs:
        if not directory.is_dir():
            continue
        for folder in sorted(directory.iterdir()):
            if folder.suffix != CASES_SUFFIX or not folder.is_dir():
                continue
            stem = folder.name[: -len(CASES_SUFFIX)]
            if not any((directory / (stem + suffix)).is_file() for suffix in YAML_SUFFIXES):
                out.append(folder)
    return out


@dataclass(frozen=True)
class _Layer:
    """One written part of a case's records: the file, where in it, and what it says."""

    path: Path
    prefix: Loc
    data: dict[str, Any]
    month: int | None = None  # a month's own lines (months: 3:), not every_month


def deep_merge(base: Any, over: Any) -> Any:
    """``over`` on top of ``base``: mappings key by key, anything else replaced."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = deep_merge(base[key], value) if key in base else value
        return out
    return over


def _depth(data: Any, loc: Loc) -> int:
    """How many leading parts of ``loc`` are written in ``data``."""
    node, n = data, 0
    for part in loc:
        written = (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        )
        if not written:
            break
        node, n = node[part], n + 1
    return n


def _origin(layers: list[_Layer], loc: Loc, fallback: _Layer) -> _Layer:
    """The layer that wrote the value at ``loc``: the one holding most of it, the latest on a tie."""
    best, depth = fallback, -1
    for layer in layers:
        n = _depth(layer.data, loc)
        if n >= depth:
            best, depth = layer, n
    return best


class CaseLoader:
    """Loads the cases of one framework; templates are read once, every problem is collected."""

    def __init__(self, fw: Framework, problems: list[Problem], *, within: Path | None = None) -> None:
        self.fw = fw
        self.problems = problems
        self.within = within
        self._templates: dict[Path, tuple[dict[str, Any], CaseTemplate] | None] = {}

    def _read(self, path: Path, model: type[FrameworkCase] | type[CaseTemplate]) -> Any:
        raw = read_raw(path, self.problems, within=self.within)
        if raw is None:
            return None
        found = validate_data(path, raw, model, self.problems)
        return None if found is None else (raw, found)

    def _template(self, case_path: Path, name: str) -> tuple[Path, dict[str, Any], CaseTemplate] | None:
        path = next((p for p in (case_path.parent / (name + s) for s in YAML_SUFFIXES) if p.is_file()), None)
        if path is None:
            self.problems.append(
                Problem(
                    case_path,
                    _("không có tệp mẫu “{name}.yaml” trong thư mục {folder}").format(
                        name=name, folder=case_path.parent.name
                    ),
                    ("base",),
                )
            )
            return None
        if path not in self._templates:
            self._templates[path] = self._read(path, CaseTemplate)
        found = self._templates[path]
        return None if found is None else (path, *found)

    def load(self, path: Path) -> BuiltCase | None:
        """One case, whole, or None when it has an error (each one is in ``problems``)."""
        read = self._read(path, FrameworkCase)
        if read is None:
            return None
        raw, case = read
        parts: list[tuple[Path, dict[str, Any], CaseTemplate]] = []
        if case.base is not None:
            template = self._template(path, case.base)
            if template is None:
                return None
            parts.append(template)
        parts.append((path, raw, case))
        before = self._errors()
        built = self._build(path, case, parts)
        return built if self._errors() == before else None

    def _errors(self) -> int:
        return sum(1 for p in self.problems if p.severity is Severity.ERROR)

    def _build(
        self, path: Path, case: FrameworkCase, parts: list[tuple[Path, dict[str, Any], CaseTemplate]]
    ) -> BuiltCase | None:
        fw = self.fw
        year = next((m.year for _p, _r, m in reversed(parts) if m.year is not None), fw.years[-1])
        if year not in fw.years:
            where = next(((p, ("year",)) for p, _r, m in reversed(parts) if m.year is not None))
            self.problems.append(
                Problem(
                    where[0],
                    _("khung “{id}” không áp dụng cho năm {year} (các năm: {years})").format(
                        id=fw.id, year=year, years=", ".join(map(str, fw.years))
                    ),
                    where[1],
                )
            )
        unit = self._unit(path, case, parts, year)
        missing: list[int] = next(
            (m.missing_months for _p, _r, m in reversed(parts) if m.missing_months is not None), []
        )
        months: dict[int, MonthRecord] = {}
        # A framework judged once a year (a đảng bộ's) needs no month records, unless a case writes some
        monthly = fw.takes_months() or any(m.every_month is not None or m.months for _p, _r, m in parts)
        for month in range(1, 13) if monthly else ():
            if month in missing:
                if month in case.months:
                    self.problems.append(
                        Problem(
                            path,
                            _("tháng {month} vừa có hồ sơ trong months vừa nằm trong missing_months").format(
                                month=month
                            ),
                            ("months", _raw_month(parts[-1][1], month), "[key]"),
                        )
                    )
                continue
            layers = _month_layers(parts, month)
            data: dict[str, Any] = {"unit": UNIT_ID, "month": f"{year}-{month:02d}"}
            for layer in layers:
                data = deep_merge(data, layer.data)
            record = self._record(MonthRecord, data, layers, path, month)
            if record is not None:
                months[month] = record
        year_record = None
        if not next((m.missing_year_record for _p, _r, m in reversed(parts) if m.missing_year_record), False):
            layers = [
                _Layer(p, ("year_record",), m.year_record) for p, _r, m in parts if m.year_record is not None
            ]
            if layers:
                data = {"unit": UNIT_ID, "year": year}
                for layer in layers:
                    data = deep_merge(data, layer.data)
                year_record = self._record(YearRecord, data, layers, path, None)
        self._check_expect(path, case)
        if unit is None:
            return None
        share = next(
            (
                m.unit.sub_units_recognised
                for _p, _r, m in reversed(parts)
                if m.unit is not None and m.unit.sub_units_recognised is not None
            ),
            None,
        )
        return BuiltCase(
            path.stem, path, case.description, year, unit, months, year_record, share, case.expect
        )

    def _unit(
        self,
        path: Path,
        case: FrameworkCase,
        parts: list[tuple[Path, dict[str, Any], CaseTemplate]],
        year: int,
    ) -> Unit | None:
        merged = CaseUnit()
        for _p, _r, model in parts:
            if model.unit is not None:
                merged = merged.model_copy(update=model.unit.model_dump(exclude_unset=True))
        if merged.kind not in self.fw.applies_to:
            where = next((p for p, _r, m in reversed(parts) if m.unit is not None), path)
            self.problems.append(
                Problem(
                    where,
                    _("khung “{id}” không áp dụng cho loại tổ chức “{kind}”").format(
                        id=self.fw.id, kind=merged.kind.value
                    ),
                    ("unit", "kind"),
                )
            )
            return None
        return Unit(
            id=UNIT_ID,
            name=merged.name or case.description,
            kind=merged.kind,
            members=merged.members,
            registered=[year] if merged.registered else [],
        )

    def _record(
        self,
        model: type[MonthRecord] | type[YearRecord],
        data: dict[str, Any],
        layers: list[_Layer],
        path: Path,
        month: int | None,
    ) -> Any:
        fallback = layers[-1] if layers else _Layer(path, ("every_month",), {})
        set_by_case = _SET_BY_CASE["every_month" if month is not None else "year_record"]
        for layer in layers:
            for key in set_by_case:
                if key in layer.data:
                    self._add(
                        layer,
                        (key, "[key]"),
                        _(
                            "không ghi “{key}” trong trường hợp kiểm thử: trường hợp tự đặt giá trị này"
                        ).format(key=key),
                    )
        try:
            with interrupt_held():
                record: BaseModel = model.model_validate(data)
        except ValidationError as exc:
            for loc, message in problems_from_validation(exc, model, data):
                self._add(_origin(layers, loc, fallback), loc, message)
            return None
        assert isinstance(record, MonthRecord | YearRecord)
        for problem in check_values(path, record, self.fw):
            self._add(_origin(layers, problem.loc, fallback), problem.loc, problem.message, problem.severity)
        return record

    def _add(self, layer: _Layer, loc: Loc, message: str, severity: Severity = Severity.ERROR) -> None:
        if layer.month is not None:
            message = _("tháng {month}: {message}").format(month=layer.month, message=message)
        problem = Problem(layer.path, message, (*layer.prefix, *loc), severity=severity)
        if problem not in self.problems:  # every_month is in 12 records: one message, not 12
            self.problems.append(problem)

    def _check_expect(self, path: Path, case: FrameworkCase) -> None:
        fw, expect = self.fw, case.expect
        criteria = {c.id for c in fw.criteria}
        gates = {g.id for g in fw.gates}
        wrong: list[tuple[Loc, str]] = []
        for ident in expect.criteria:
            if ident not in criteria:
                wrong.append(
                    (("criteria", ident, "[key]"), _("khung không có tiêu chí “{id}”").format(id=ident))
                )
        bands = [b.name for b in fw.rating.bands] if fw.rating else []
        if expect.rating is not None and expect.rating not in bands:
            wrong.append(
                (
                    ("rating",),
                    _("khung không có mức xếp loại “{name}”; các mức: {bands}").format(
                        name=expect.rating, bands=", ".join(bands) or "—"
                    ),
                )
            )
        deductions = {d.id for d in fw.deductions}
        for ident in expect.deductions or {}:
            if ident not in deductions:
                wrong.append(
                    (("deductions", ident, "[key]"), _("khung không có khoản trừ “{id}”").format(id=ident))
                )
        for i, reason in enumerate(expect.reasons or []):
            kind, _sep, ident = reason.partition(":")
            if kind == "gate" and ident not in gates:
                wrong.append((("reasons", i), _("khung không có điều kiện loại trừ “{id}”").format(id=ident)))
            elif kind == "criterion" and ident not in criteria:
                wrong.append((("reasons", i), _("khung không có tiêu chí “{id}”").format(id=ident)))
        if expect.recognised and expect.reasons:
            wrong.append((("reasons",), _("chi bộ được công nhận thì không có lý do không công nhận")))
        for loc, message in wrong:
            self.problems.append(Problem(path, message, ("expect", *loc)))


def _raw_month(raw: dict[str, Any], month: int) -> Any:
    """The key as written in the file (``3``, ``"03"``, ``2024-03``), for locating it."""
    months = raw.get("months")
    if isinstance(months, dict):
        return next((k for k in months if month_key(k) == month), month)
    return month


def _month_layers(parts: list[tuple[Path, dict[str, Any], CaseTemplate]], month: int) -> list[_Layer]:
    """What is written for one month, lowest priority first: each file's every_month, then its month."""
    layers: list[_Layer] = []
    for path, raw, model in parts:
        if model.every_month is not None:
            layers.append(_Layer(path, ("every_month",), model.every_month))
        if month in model.months:
            layers.append(_Layer(path, ("months", _raw_month(raw, month)), model.months[month], month))
    return layers
