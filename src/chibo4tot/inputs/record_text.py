"""A record as YAML text in the layout ``new`` writes, with its comments: blank, or filled from a model.

``new`` writes a month's record blank for a secretary to fill; ``import`` writes the same layout with
the values of a filled Excel form, so both give one kind of file, which ``validate`` reads back.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from chibo4tot.i18n import _
from chibo4tot.inputs.items import Assessable, assessable_items, period_max
from chibo4tot.inputs.values import AnyIndicator, plain_number
from chibo4tot.models.framework import Framework, LevelIndicator
from chibo4tot.models.records import AssessedValue, MonthRecord, YearRecord
from chibo4tot.models.workspace import Unit

MONTH_PERIODS = frozenset({"month", "quarter"})
# Text written without quotes: starts with a letter, holds only what a YAML plain scalar keeps as
# text; the words YAML 1.1 readers take for booleans or null are quoted all the same.
_PLAIN = re.compile(r"[^\W\d_][\w ,.()/–—-]*", re.UNICODE)
_RESERVED = frozenset({"true", "false", "yes", "no", "on", "off", "null", "y", "n"})
_KEY = re.compile(r"[a-z_][a-z0-9_]*")
_COMMENT_COLUMN = 24


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def schema_line(name: str, depth: int) -> str:
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json\n"


def scalar(value: object) -> str:
    """One value as a YAML scalar that reads back as the same value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return q(text)


def _key(key: str) -> str:
    return key if _KEY.fullmatch(key) else q(key)


def yaml_lines(data: Any, indent: int) -> list[str]:
    """A mapping or list of plain data (a model's dump) as block YAML lines, keys in their order."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, dict | list) and value:
                lines.append(f"{pad}{_key(key)}:")
                lines.extend(yaml_lines(value, indent + 2))
            elif isinstance(value, dict | list):
                lines.append(f"{pad}{_key(key)}: {'{}' if isinstance(value, dict) else '[]'}")
            else:
                lines.append(f"{pad}{_key(key)}: {scalar(value)}")
        return lines
    for item in data:
        if isinstance(item, dict):
            inner = yaml_lines(item, indent + 2)
            lines.append(f"{pad}- {inner[0][indent + 2 :]}")
            lines.extend(inner[1:])
        else:
            lines.append(f"{pad}- {scalar(item)}")
    return lines


def _fill(template: str, value: object) -> str:
    """``new``'s line ``"  date:      # hint\\n"`` with a value after the key, the hint kept."""
    if value is None:
        return template
    head, hash_, hint = template.partition("#")
    text = f"{head.rstrip()} {scalar(value)}"
    if not hash_:
        return text + "\n"
    return f"{text.ljust(_COMMENT_COLUMN)} #{hint}"


def _hint(ind: AnyIndicator, top: Decimal) -> str:
    if ind.kind == "pass_fail":
        hint = _("ghi Đạt hoặc Không đạt")
    elif isinstance(ind, LevelIndicator):
        hint = _("chọn: {levels}").format(levels=" / ".join(level.name for level in ind.levels))
    elif ind.kind == "points":
        hint = _("số điểm từ 0 đến {max}").format(max=plain_number(top))
    else:
        hint = _("ghi một số")
    if ind.optional:
        hint += _(", hoặc “không áp dụng”")
    return hint


def assessed_items(fw: Framework, periods: frozenset[str], kind: str) -> list[Assessable]:
    """The indicators a unit of ``kind`` assesses itself in a record of these periods, in order."""
    return [
        item
        for item in assessable_items(fw).values()
        if item.indicator is not None
        and item.period in periods
        and (item.indicator.applies_to is None or kind in item.indicator.applies_to)
    ]


def _assessed_lines(key: str, hint: str, assessed: AssessedValue | None) -> list[str]:
    blank = f"  {key}:   # {hint}\n"
    if assessed is None:
        return [blank]
    fields = assessed.model_dump(exclude_defaults=True)
    if set(fields) == {"value"}:
        return [f"  {key}: {scalar(assessed.value)}   # {hint}\n"]
    return [blank, *(line + "\n" for line in yaml_lines(fields, 4))]


def _assessment_block(
    fw: Framework, period: frozenset[str], kind: str, values: dict[str, AssessedValue] | None = None
) -> str:
    lines = [
        _(
            "# Tự đánh giá: ghi giá trị sau dấu hai chấm; có thể thêm ghi chú, minh chứng:\n"
            '#   "1.1": {value: Đạt, note: "…", evidence: ["Nghị quyết số …"]}\n'
        ),
        "assessment:\n",
    ]
    count = 0
    extras: list[str] = []
    for item in assessable_items(fw).values():
        if item.indicator is not None:
            ind = item.indicator
            if item.period not in period or (ind.applies_to is not None and kind not in ind.applies_to):
                continue
            count += 1
            lines.append(f"  # {ind.id}. {ind.name}\n")
            hint = _hint(ind, period_max(ind, item.parent))
            lines.extend(_assessed_lines(q(ind.id), hint, (values or {}).get(ind.id)))
        elif "year" in period:
            # Bonus and deductions may be counted in any record; the year record offers them.
            entry = item.bonus or item.deduction
            assert entry is not None
            label = _("điểm thưởng") if item.bonus else _("điểm trừ")
            times = _("số lần")
            counted = (values or {}).get(item.id)
            if counted is None:
                extras.append(f"  # {label}: {entry.name}\n  {q(item.id)}: 0   # {times}\n")
            else:
                extras.append(f"  # {label}: {entry.name}\n")
                extras.extend(_assessed_lines(q(item.id), times, counted))
    lines.extend(extras)
    # What the record holds besides (a bonus counted in a month, say) is kept as it was.
    written = {item.id for item in assessed_items(fw, period, kind)}
    if "year" in period:
        written |= {i.id for i in assessable_items(fw).values() if i.indicator is None}
    others = {k: v.model_dump(exclude_defaults=True) for k, v in (values or {}).items() if k not in written}
    lines.extend(line + "\n" for line in yaml_lines(others, 2))
    if not count and not extras and not others:
        return "assessment: {}\n"
    return "".join(lines)


def _block(key: str, data: Any) -> str:
    if not data:
        return ""
    return "".join(line + "\n" for line in yaml_lines({key: data}, 0))


def render_month_record(fw: Framework, unit: Unit, month: str, record: MonthRecord | None = None) -> str:
    """The month's record: blank for ``new``, or ``record``'s values in the same layout."""
    members = unit.members or 0
    m = record.meeting if record is not None else None
    t = record.thematic if record is not None else None
    absentees = [a.model_dump() for a in m.absentees] if m is not None else []
    text = (
        schema_line("record", 3)
        + _("# Hồ sơ tự đánh giá tháng {mm}/{yyyy} — {name}\n").format(
            mm=month[5:], yyyy=month[:4], name=unit.name
        )
        + _("# Khung tiêu chí: {title}\n").format(title=fw.title)
        + f"unit: {unit.id}\n"
        + f"month: {q(month)}\n"
        + f"framework: {record.framework if record is not None and record.framework else fw.id}\n"
        + _("# Sinh hoạt định kỳ: có mặt + vắng có lý do + vắng không lý do = tổng số − miễn sinh hoạt\n")
        + "meeting:\n"
        + f"  held: {scalar(m.held if m is not None else True)}\n"
        + _fill(
            _("  date:                  # ngày họp, ví dụ {example}\n").format(example=f"{month}-10"),
            m and m.date,
        )
        + _fill(_("  duration_minutes:      # thời lượng (phút)\n"), m and m.duration_minutes)
        + f"  members: {m.members if m is not None else members}\n"
        + f"  exempt: {m.exempt if m is not None else 0}\n"
        + f"  present: {m.present if m is not None else members}\n"
        + f"  excused: {m.excused if m is not None else 0}\n"
        + f"  unexcused: {m.unexcused if m is not None else 0}\n"
        + "".join(line + "\n" for line in yaml_lines({"absentees": absentees}, 2) if absentees)
        + _fill(
            _("  chi_uy_met_before:     # chi ủy họp trước để chuẩn bị: có / không\n"),
            m and m.chi_uy_met_before,
        )
        + _fill(_("  draft_resolution:      # có dự thảo nghị quyết: có / không\n"), m and m.draft_resolution)
        + _fill(_("  minutes_recorded:      # có ghi biên bản: có / không\n"), m and m.minutes_recorded)
        + _fill(
            _("  quality:               # tự xếp loại buổi sinh hoạt: Tốt / Khá / Trung bình / Kém\n"),
            m and m.quality,
        )
        + _("# Sinh hoạt chuyên đề (ít nhất mỗi quý một lần)\n")
        + "thematic:\n"
        + f"  held: {scalar(t is not None and t.held)}\n"
        + f"  combined_with_regular: {scalar(t is not None and t.combined_with_regular)}\n"
        + _fill(_("  topic:                 # chủ đề\n"), t and t.topic)
        + (f"  date: {scalar(t.date)}\n" if t is not None and t.date is not None else "")
        + (
            f"  duration_minutes: {t.duration_minutes}\n"
            if t is not None and t.duration_minutes is not None
            else ""
        )
        + _fill(
            _(
                "  quality:               # tự xếp loại buổi chuyên đề (nếu có): "
                "Tốt / Khá / Trung bình / Kém\n"
            ),
            t and t.quality,
        )
        + _assessment_block(
            fw, MONTH_PERIODS, unit.kind.value, dict(record.assessment) if record is not None else None
        )
    )
    if record is not None:
        text += _block("vote", record.vote and record.vote.model_dump(exclude_defaults=True))
        text += _block("review", record.review and record.review.model_dump(exclude_defaults=True))
    text += _("# Sự việc trong tháng (kỷ luật, khiếu nại vượt cấp…), nếu có\n")
    events = [e.model_dump(exclude_defaults=True) for e in record.events] if record is not None else []
    text += _block("events", events) or "events: []\n"
    if record is not None and record.notes:
        text += f"notes: {scalar(record.notes)}\n"
    return text


def render_year_record(fw: Framework, unit: Unit, year: int, record: YearRecord | None = None) -> str:
    """The year's record: blank for ``new``, or ``record``'s values in the same layout."""
    members = unit.members or 0
    mc = record.member_classification if record is not None else None
    counts = mc.model_dump() if mc is not None else {"htxsnv": 0, "httnv": 0, "htnv": 0, "khtnv": 0}
    counts.setdefault("not_rated", members)
    if record is None:
        members_text = str(members)
    else:
        members_text = scalar(record.members) if record.members is not None else ""
    grade = record.annual_classification if record is not None else None
    cases = [c.model_dump(exclude_defaults=True) for c in record.discipline] if record is not None else []
    text = (
        schema_line("year-record", 3)
        + _("# Hồ sơ cuối năm {year} — {name}\n").format(year=year, name=unit.name)
        + f"unit: {unit.id}\n"
        + f"year: {year}\n"
        + f"framework: {record.framework if record is not None and record.framework else fw.id}\n"
        + f"members: {members_text}".rstrip()
        + "\n"
        + _("# Số đảng viên theo mức xếp loại; cộng lại phải bằng members\n")
        + "member_classification:\n"
        + "".join(f"  {key}: {counts[key]}\n" for key in ("htxsnv", "httnv", "htnv", "khtnv", "not_rated"))
        + _("# Xếp loại chất lượng chi bộ: htxsnv / httnv / htnv / khtnv\n")
        + f"annual_classification:{' ' + grade.value if grade is not None else ''}\n"
        + _("# Các vụ kỷ luật trong năm: - {member: …, form: Khiển trách, self_detected_remedied: false}\n")
        + (_block("discipline", cases) or "discipline: []\n")
        + f"new_members: {record.new_members if record is not None else 0}\n"
        + _assessment_block(
            fw, frozenset({"year"}), unit.kind.value, dict(record.assessment) if record is not None else None
        )
    )
    if record is not None:
        text += _block("vote", record.vote and record.vote.model_dump(exclude_defaults=True))
        text += _block("review", record.review and record.review.model_dump(exclude_defaults=True))
        if record.notes:
            text += f"notes: {scalar(record.notes)}\n"
    return text
