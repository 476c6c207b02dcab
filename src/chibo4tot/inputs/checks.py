"""Cross-file checks: everything that needs more than one file to be known wrong. Pure."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from chibo4tot.errors import Loc, Problem, Severity, UsageError
from chibo4tot.i18n import _
from chibo4tot.inputs.checks_framework import unknown_id
from chibo4tot.inputs.items import Assessable, assessable_items, period_max
from chibo4tot.inputs.record_file import Derive, RecordFile, direct
from chibo4tot.inputs.values import AnyIndicator, ValueProblem, read_count, read_value
from chibo4tot.models.framework import CompositeIndicator, Framework
from chibo4tot.models.records import AssessedValue, MonthRecord, ReviewLayer, YearRecord
from chibo4tot.models.workspace import Unit, UnitsFile, WorkspaceConfig

WARNING = Severity.WARNING
MONTH_STEM = re.compile(r"^\d{4}-\d{2}$")


def check_units(path: Path, units: UnitsFile) -> list[Problem]:
    """Duplicate ids, unknown parents, cycles in the tree."""
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, unit in enumerate(units.units):
        if unit.id in first:
            problems.append(
                Problem(
                    path,
                    _("trùng mã chi bộ “{id}” (đã có ở mục {n})").format(id=unit.id, n=first[unit.id] + 1),
                    ("units", i, "id"),
                )
            )
        else:
            first[unit.id] = i
    parents = {u.id: u.parent for u in units.units}
    for i, unit in enumerate(units.units):
        if unit.parent is None:
            continue
        if unit.parent not in parents:
            problems.append(
                Problem(
                    path,
                    _("không có tổ chức đảng cấp trên “{id}” trong units.yaml").format(id=unit.parent),
                    ("units", i, "parent"),
                )
            )
            continue
        walk: str | None = unit.parent
        steps = 0
        while walk is not None and walk != unit.id and steps <= len(parents):
            walk, steps = parents.get(walk), steps + 1
        if walk == unit.id:
            problems.append(
                Problem(
                    path,
                    _("quan hệ cấp trên bị vòng tròn qua “{id}”").format(id=unit.id),
                    ("units", i, "parent"),
                )
            )
    return problems


def check_units_under_root(path: Path, units: UnitsFile, root_id: str) -> list[Problem]:
    """When the workspace's own đảng bộ is listed as a unit (so that it is scored), a unit with no
    parent is not one of its cells: warn, since its share of cells recognised leaves it out."""
    ids = [u.id for u in units.units]
    if root_id not in ids:
        return []
    root = units.units[ids.index(root_id)]
    return [
        Problem(
            path,
            _(
                "để trống nên chi bộ này không thuộc {name} ({root}), đảng bộ của không gian làm việc "
                "được chấm như một tổ chức đảng, và không được tính vào tỉ lệ chi bộ đạt của đảng bộ "
                "(ghi parent: {root} nếu chi bộ trực thuộc đảng bộ)"
            ).format(name=root.name, root=root_id),
            ("units", i, "parent"),
            severity=WARNING,
        )
        for i, unit in enumerate(units.units)
        if unit.parent is None and unit.id != root_id
    ]


def check_config(
    path: Path, config: WorkspaceConfig, frameworks: dict[str, Framework], broken: Iterable[str] = ()
) -> list[Problem]:
    """Every assigned framework exists, covers the year, and no year is assigned twice.

    A ``broken`` framework exists but has problems of its own, already reported in its file.
    """
    problems: list[Problem] = []
    claimed: dict[tuple[int, str], int] = {}  # (year, kind or "*") → assignment index
    exist_with_problems = set(broken)
    for i, assignment in enumerate(config.frameworks):
        fw = frameworks.get(assignment.framework)
        if fw is None and assignment.framework not in exist_with_problems:
            problems.append(
                Problem(
                    path,
                    _("không tìm thấy khung tiêu chí “{id}” (trong criteria/ hoặc các khung có sẵn)").format(
                        id=assignment.framework
                    ),
                    ("frameworks", i, "framework"),
                )
            )
        for year in assignment.years:
            if fw is not None and year not in fw.years:
                problems.append(
                    Problem(
                        path,
                        _("khung “{id}” không khai báo áp dụng cho năm {year}").format(id=fw.id, year=year),
                        ("frameworks", i, "years"),
                        severity=WARNING,
                    )
                )
            for kind in [k.value for k in assignment.kinds] if assignment.kinds else ["*"]:
                if (year, kind) in claimed:
                    problems.append(
                        Problem(
                            path,
                            _("năm {year} đã được gán khung tiêu chí ở mục {n}").format(
                                year=year, n=claimed[(year, kind)] + 1
                            ),
                            ("frameworks", i, "years"),
                        )
                    )
                claimed[(year, kind)] = i
    return problems


def no_month_record(unit: Unit, fw: Framework, year: int) -> UsageError:
    """Asked for a month record of a unit judged once a year (a đảng bộ cơ sở's framework)."""
    return UsageError(
        _(
            "{name} ({id}) được đánh giá một lần vào cuối năm theo khung “{fw}”, không có hồ sơ tháng: "
            "dùng --year {year}"
        ).format(name=unit.name, id=unit.id, fw=fw.id, year=year)
    )


def framework_for(config: WorkspaceConfig, year: int, kind: str | None = None) -> str | None:
    """The id of the framework assigned to ``year`` (and ``kind``)."""
    fallback = None
    for assignment in config.frameworks:
        if year in assignment.years:
            if assignment.kinds is None:
                fallback = fallback or assignment.framework
            elif kind is not None and kind in assignment.kinds:
                return assignment.framework
    return fallback


def check_records(
    records: Iterable[RecordFile],
    unit_kinds: dict[str, str] | None,
    config: WorkspaceConfig | None,
    frameworks: dict[str, Framework],
    known: set[str] | None = None,
    derive: Derive = direct,
    also: Callable[[RecordFile], object] | None = None,
) -> list[Problem]:
    """Record ↔ folder, unit, month, framework and indicator consistency.

    ``unit_kinds`` is None when units.yaml itself is broken: unit ids are then not checked,
    so one bad file does not drown the report in echoes. Likewise a record is not compared with
    a framework chibo4tot.yaml assigns but that does not exist (outside the ``known`` ids): the
    assignment is wrong, not the record, and chibo4tot.yaml's check says so.

    Everything but the duplicate check reads one file and the workspace's config, units and
    frameworks, so it goes through ``derive`` under the tag "check". ``also(rf)`` is called
    while the record is at hand, for what else is derived from it (before it is released).
    """
    problems: list[Problem] = []
    taken: dict[tuple[str, str], Path] = {}
    rules: dict[str, ValueRules] = {}
    for rf in sorted(records, key=lambda r: str(r.path)):
        check = partial(check_record, rf, unit_kinds, config, frameworks, known, rules)
        problems += derive(rf, "check", check)
        if also is not None:
            also(rf)
        rf.release()
        key = (rf.unit, rf.month if rf.month is not None else str(rf.year))
        if key in taken:
            problems.append(
                Problem(
                    rf.path,
                    _("trùng hồ sơ: chi bộ “{unit}” đã có hồ sơ {when} ở tệp {other}").format(
                        unit=rf.unit, when=key[1], other=taken[key].name
                    ),
                    ("month",) if rf.is_month else ("year",),
                )
            )
        else:
            taken[key] = rf.path
    return problems


def check_record(
    rf: RecordFile,
    unit_kinds: dict[str, str] | None,
    config: WorkspaceConfig | None,
    frameworks: dict[str, Framework],
    known: set[str] | None = None,
    rules: dict[str, ValueRules] | None = None,
) -> list[Problem]:
    """The checks of :func:`check_records` that read one record alone (``rules``: each
    framework's value rules, made once and shared by the calls)."""
    problems: list[Problem] = []
    rec, path = rf.record, rf.path
    if unit_kinds is not None and rec.unit not in unit_kinds:
        problems.append(
            Problem(
                path,
                _("không có chi bộ mã “{id}” trong units.yaml").format(id=rec.unit),
                ("unit",),
            )
        )
    elif rec.unit != rf.folder_unit:
        problems.append(
            Problem(
                path,
                _("tệp nằm trong thư mục “{folder}” nhưng ghi chi bộ “{id}”").format(
                    folder=rf.folder_unit, id=rec.unit
                ),
                ("unit",),
            )
        )
    if isinstance(rec, MonthRecord):
        year = int(rec.month[:4])
        if rf.folder_year is not None and year != rf.folder_year:
            problems.append(
                Problem(
                    path,
                    _("tháng {month} không thuộc năm {year} của thư mục").format(
                        month=rec.month, year=rf.folder_year
                    ),
                    ("month",),
                )
            )
        elif rf.stem != rec.month and MONTH_STEM.match(rf.stem):
            problems.append(
                Problem(
                    path,
                    _("tên tệp là “{stem}” nhưng tháng ghi trong tệp là {month}").format(
                        stem=rf.stem, month=rec.month
                    ),
                    ("month",),
                )
            )
    else:
        year = rec.year
        if rf.folder_year is not None and year != rf.folder_year:
            problems.append(
                Problem(
                    path,
                    _("năm {got} khác năm {year} của thư mục").format(got=year, year=rf.folder_year),
                    ("year",),
                )
            )
    kind = unit_kinds.get(rec.unit) if unit_kinds else None
    assigned = framework_for(config, year, kind) if config else None
    assigned_exists = known is None or assigned in known
    if rec.framework is not None and assigned is not None and assigned_exists and rec.framework != assigned:
        problems.append(
            Problem(
                path,
                _("hồ sơ ghi khung tiêu chí “{got}” nhưng năm {year} dùng “{want}”").format(
                    got=rec.framework, year=year, want=assigned
                ),
                ("framework",),
            )
        )
    fid = assigned or ""
    fw = frameworks.get(fid)
    if fw is not None:
        rules = {} if rules is None else rules
        if fid not in rules:
            rules[fid] = ValueRules.of(fw)
        problems.extend(check_values(path, rec, fw, rules[fid]))
    if isinstance(rec, YearRecord):
        problems.extend(_check_year(path, rec))
    return problems


@dataclass
class ValueRules:
    """What check_values needs of one framework, built once for all the records that use it.

    ``verdicts`` remembers what reading a value gave (None: fine, else the message): reading
    depends only on the indicator and the value, and 60,000 records repeat the same few values.
    """

    items: dict[str, Assessable]
    indicators: dict[str, AnyIndicator]
    verdicts: dict[tuple[object, ...], str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, fw: Framework) -> ValueRules:
        indicators: dict[str, AnyIndicator] = {ind.id: ind for _c, ind in fw.all_indicators()}  # type: ignore[misc]
        return cls(assessable_items(fw), indicators)

    def verdict(self, item: Assessable, assessed: AssessedValue) -> str | None:
        raw = assessed.value
        key = (item.id, assessed.not_applicable, type(raw), raw, str(raw))
        if key not in self.verdicts:
            try:
                if item.indicator is not None:
                    read_value(item.indicator, assessed, max_points=period_max(item.indicator, item.parent))
                else:
                    read_count(assessed)
                self.verdicts[key] = None
            except ValueProblem as exc:
                self.verdicts[key] = str(exc)
        return self.verdicts[key]


def check_values(
    path: Path, rec: MonthRecord | YearRecord, fw: Framework, rules: ValueRules | None = None
) -> list[Problem]:
    """Each assessed value fits its indicator, in the record (month or year) it belongs to."""
    problems: list[Problem] = []
    rules = rules or ValueRules.of(fw)
    items, indicators = rules.items, rules.indicators
    want_year = isinstance(rec, YearRecord)
    layers: list[tuple[str, dict[str, AssessedValue]]] = [("assessment", dict(rec.assessment))]
    for name in ("vote", "review"):
        layer: ReviewLayer | None = getattr(rec, name)
        if layer is not None:
            layers.append((name, dict(layer.values)))
    for layer_name, values in layers:
        prefix: Loc = (layer_name,) if layer_name == "assessment" else (layer_name, "values")
        for ident, assessed in values.items():
            item = items.get(ident)
            key_loc: Loc = (*prefix, ident, "[key]")
            if item is None:
                problems.append(_not_assessable(path, ident, indicators.get(ident), key_loc))
                continue
            if item.period is not None and (item.period == "year") != want_year:
                where = _("hồ sơ năm (year.yaml)") if item.period == "year" else _("hồ sơ tháng")
                problems.append(
                    Problem(
                        path,
                        _("chỉ tiêu “{id}” được đánh giá trong {where}").format(id=ident, where=where),
                        key_loc,
                        severity=WARNING,
                    )
                )
                continue
            if (message := rules.verdict(item, assessed)) is not None:
                problems.append(Problem(path, message, (*prefix, ident, "value")))
    return problems


def _not_assessable(path: Path, ident: str, indicator: AnyIndicator | None, loc: Loc) -> Problem:
    if indicator is None:
        return Problem(path, unknown_id(ident), loc)
    if isinstance(indicator, CompositeIndicator):
        children = ", ".join(c.id for c in indicator.indicators if c.source == "self")
        return Problem(
            path,
            _("chỉ tiêu “{id}” được tính từ các chỉ tiêu con; hãy ghi giá trị cho: {children}").format(
                id=ident, children=children or "—"
            ),
            loc,
        )
    return Problem(
        path,
        _("chỉ tiêu “{id}” được tính từ số liệu ({source}); giá trị tự ghi sẽ không được dùng").format(
            id=ident, source=indicator.source
        ),
        loc,
        severity=WARNING,
    )


def _check_year(path: Path, rec: YearRecord) -> list[Problem]:
    mc = rec.member_classification
    if mc is None or rec.members is None:
        return []
    total = mc.rated + mc.not_rated
    if total != rec.members:
        return [
            Problem(
                path,
                _(
                    "tổng số đảng viên được xếp loại và chưa xếp loại là {total}, khác số đảng viên {members}"
                ).format(total=total, members=rec.members),
                ("member_classification",),
            )
        ]
    return []
