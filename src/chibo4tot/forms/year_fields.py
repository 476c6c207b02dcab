"""The rows of the year-end form (members, ratings, discipline, year indicators) and its record. Pure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from chibo4tot.forms.fields import (
    MAX_MEMBERS,
    Row,
    Values,
    assessed_cells,
    assessed_entry,
    indicator_rows,
    shown_value,
    whole_row,
    yes_no_row,
)
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.items import assessable_items
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import YearRecord
from chibo4tot.models.types import CLASSIFICATION_LABELS
from chibo4tot.models.workspace import Unit

# The cell's annual classification as the form offers it: the Vietnamese names (data, like levels).
GRADES = {label: grade.value for grade, label in CLASSIFICATION_LABELS.items()}
RATINGS = (
    ("htxsnv", N_("Số đảng viên hoàn thành xuất sắc nhiệm vụ")),
    ("httnv", N_("Số đảng viên hoàn thành tốt nhiệm vụ")),
    ("htnv", N_("Số đảng viên hoàn thành nhiệm vụ")),
    ("khtnv", N_("Số đảng viên không hoàn thành nhiệm vụ")),
    ("not_rated", N_("Số đảng viên chưa xếp loại (mới kết nạp, miễn…)")),
)


def _case_rows(number: int, year: int) -> list[Row]:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    key = f"discipline.{number}"
    hint = _("ngày trong năm {yyyy}, ví dụ {example}").format(yyyy=year, example=f"18/07/{year}")
    text = _("chữ")
    return [
        Row(f"{key}.member", _("Vụ {n}: họ tên đảng viên bị kỷ luật").format(n=number), "text", text),
        Row(
            f"{key}.date",
            _("Vụ {n}: ngày kỷ luật").format(n=number),
            "date",
            hint,
            (),
            _day(first),
            _day(last),
        ),
        Row(f"{key}.form", _("Vụ {n}: hình thức kỷ luật (ví dụ Khiển trách)").format(n=number), "text", text),
        Row(f"{key}.decision", _("Vụ {n}: quyết định kỷ luật (số, ngày)").format(n=number), "text", text),
        Row(
            f"{key}.violation", _("Vụ {n}: vụ việc (một vụ chỉ tính một lần)").format(n=number), "text", text
        ),
        yes_no_row(
            f"{key}.self_detected_remedied", _("Vụ {n}: chi bộ tự phát hiện và khắc phục").format(n=number)
        ),
    ]


def _day(day: dt.date) -> Decimal:
    return Decimal(day.toordinal())


def year_rows(fw: Framework, unit: Unit, year: int, cases: int) -> list[Row]:
    """Every row of ``unit``'s year-end sheet, with ``cases`` groups of rows for disciplinary cases."""
    grades = tuple(GRADES)
    rows = [
        Row("section.members", _("I. ĐẢNG VIÊN VÀ XẾP LOẠI CHẤT LƯỢNG"), "section"),
        whole_row("year.members", _("Số đảng viên cuối năm"), MAX_MEMBERS),
        *(whole_row(f"mc.{key}", _(label), MAX_MEMBERS, blank=0) for key, label in RATINGS),
        Row(
            "year.annual_classification",
            _("Xếp loại chất lượng chi bộ trong năm"),
            "choice",
            " / ".join(grades),
            grades,
        ),
        whole_row("year.new_members", _("Số đảng viên mới kết nạp trong năm"), MAX_MEMBERS, blank=0),
        Row("section.discipline", _("II. ĐẢNG VIÊN BỊ KỶ LUẬT TRONG NĂM (mỗi vụ một nhóm hàng)"), "section"),
    ]
    for number in range(1, cases + 1):
        rows += _case_rows(number, year)
    rows.append(Row("section.assessment", _("III. TỰ ĐÁNH GIÁ CÁC CHỈ TIÊU CHẤM CUỐI NĂM"), "section"))
    rows += indicator_rows(fw, frozenset({"year"}), unit)
    extras = [i for i in assessable_items(fw).values() if i.indicator is None]
    if extras:
        rows.append(Row("section.extras", _("IV. ĐIỂM THƯỞNG, ĐIỂM TRỪ (số lần)"), "section"))
    for item in extras:
        entry = item.bonus or item.deduction
        assert entry is not None
        kind = _("Điểm thưởng") if item.bonus else _("Điểm trừ")
        hint = _("số lần: số nguyên từ 0 đến {max}").format(max=MAX_TIMES)
        rows.append(
            Row(
                f"a.{item.id}",
                f"{kind}: {entry.name}",
                "whole",
                hint,
                (),
                Decimal(0),
                Decimal(MAX_TIMES),
                item=item,
            )
        )
    return rows


MAX_TIMES = 1000


def year_values(rows: list[Row], record: YearRecord | None) -> Values:
    """What a year record holds, as the form's cells hold it."""
    if record is None:
        return {}
    facts: dict[str, Any] = {"year.members": record.members, "year.new_members": record.new_members}
    if record.annual_classification is not None:
        grade = record.annual_classification
        facts["year.annual_classification"] = next(k for k, v in GRADES.items() if v == grade.value)
    if record.member_classification is not None:
        facts.update({f"mc.{k}": v for k, v in record.member_classification.model_dump().items()})
    for number, case in enumerate(record.discipline, 1):
        for name, value in case.model_dump().items():
            if value is not None and value is not False:
                facts[f"discipline.{number}.{name}"] = value
    out: Values = {}
    for row in rows:
        if row.item is not None:
            out.update(assessed_cells(row, record.assessment.get(row.item.id)))
            if row.item.indicator is None and out.get(row.key) == 0:
                del out[row.key]  # a bonus or deduction counted 0 times: as a blank cell says
        elif row.key in facts:
            out[row.key] = shown_value(row, facts[row.key])
    return {k: v for k, v in out.items() if v is not None}


def build_year_record(
    rows: list[Row], values: Values, base: YearRecord | None, unit: str, year: int, framework: str
) -> dict[str, Any]:
    """The year record's data (for ``YearRecord``) from a sheet's values; what the form does not
    carry (a vote, a review, notes, other assessed ids) is kept from ``base``."""
    data: dict[str, Any] = base.model_dump() if base is not None else {}
    data.update(unit=unit, year=year, framework=framework)
    data["members"] = values.get("year.members")
    data["new_members"] = values.get("year.new_members", 0)
    grade = values.get("year.annual_classification")
    data["annual_classification"] = GRADES[grade] if grade is not None else None
    data["member_classification"] = {key: values.get(f"mc.{key}", 0) for key, _label in RATINGS}
    cases: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        if key.startswith("discipline."):
            _word, number, name = key.split(".", 2)
            cases.setdefault(number, {})[name] = value
    data["discipline"] = [cases[n] for n in sorted(cases, key=int)]
    assessment: dict[str, Any] = dict(data.get("assessment") or {})
    for row in rows:
        value = values.get(row.key)
        if row.item is not None and value is not None:
            assessment[row.item.id] = assessed_entry(row, values)
    data["assessment"] = assessment
    return data
