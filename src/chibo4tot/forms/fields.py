"""The rows of a month's entry form, a record's values as the form shows them, and reading them back. Pure.

Every row has a key (``meeting.date``, ``a.1.1``, ``absentee.2``) that the form keeps in a hidden
column: import finds each value by its key, not by where it sits, and a row that is missing or
moved is told, never guessed at. A value is read strictly: a typo is a located error, not a default.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from chibo4tot.i18n import _
from chibo4tot.inputs.items import Assessable, period_max
from chibo4tot.inputs.record_text import MONTH_PERIODS, assessed_items
from chibo4tot.inputs.values import FAIL_WORDS, PASS_WORDS, ValueProblem, plain_number
from chibo4tot.models.framework import (
    CompositeIndicator,
    CountIndicator,
    DurationIndicator,
    Framework,
    LevelIndicator,
    PassFailIndicator,
)
from chibo4tot.models.records import AssessedValue, MonthRecord
from chibo4tot.models.workspace import Unit

FORM_VERSION = 1
# The words a form offers are data, the same in every language: what import writes into a record
# ("Đạt", a level) is what the scoring reads, and "Pass" would not be.
YES, NO = "Có", "Không"
PASS, FAIL = "Đạt", "Không đạt"
NOT_APPLICABLE = "Không áp dụng"
EXCUSED, UNEXCUSED = "Có lý do", "Không lý do"
MEETING_LEVELS = ("Tốt", "Khá", "Trung bình", "Kém")
NA_WORDS = frozenset({"không áp dụng", "ko áp dụng", "n/a", "kad"})
MAX_MINUTES = 1440
MAX_MEMBERS = 100_000

Kind = Literal["section", "yesno", "date", "whole", "text", "choice", "number", "absentee"]
_SPACES = re.compile(r"\s+")
_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_EXCEL_DAY_ZERO = dt.date(1899, 12, 30)  # from March 1900 on, Excel's day n is this date + n days


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a cell's sheet: a section heading, a fact, an absentee or an indicator."""

    key: str
    label: str
    kind: Kind
    hint: str = ""
    choices: tuple[str, ...] = ()
    low: Decimal | None = None
    high: Decimal | None = None
    required: bool = False
    item: Assessable | None = None  # the indicator an assessment row is for
    blank: Any = None  # what a blank cell means, where the record has a default

    @property
    def code(self) -> str:
        return self.item.id if self.item is not None else ""


def fold(text: str) -> str:
    """Text as a person means it: NFC, no case, single spaces, no spaces around."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip().casefold()


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    year, number = int(month[:4]), int(month[5:7])
    return dt.date(year, number, 1), dt.date(year, number, calendar.monthrange(year, number)[1])


def yes_no_row(key: str, label: str, *, required: bool = False, blank: bool | None = None) -> Row:
    return Row(key, label, "yesno", f"{YES} / {NO}", (YES, NO), required=required, blank=blank)


def whole_row(key: str, label: str, high: int, *, required: bool = False, blank: int | None = None) -> Row:
    hint = _("số nguyên từ 0 đến {max}").format(max=high)
    return Row(key, label, "whole", hint, low=Decimal(0), high=Decimal(high), required=required, blank=blank)


def _date(key: str, label: str, month: str) -> Row:
    first, last = month_bounds(month)
    hint = _("ngày trong tháng {mm}/{yyyy}, ví dụ {example}").format(
        mm=month[5:], yyyy=month[:4], example=f"12/{month[5:]}/{month[:4]}"
    )
    return Row(key, label, "date", hint, low=Decimal(first.toordinal()), high=Decimal(last.toordinal()))


def _levels(key: str, label: str) -> Row:
    levels = MEETING_LEVELS
    return Row(key, label, "choice", " / ".join(levels), levels)


def indicator_row(item: Assessable) -> Row:
    ind = item.indicator
    assert ind is not None
    extra = (NOT_APPLICABLE,) if ind.optional else ()
    key = f"a.{ind.id}"
    if isinstance(ind, PassFailIndicator):
        choices = (PASS, FAIL, *extra)
        return Row(key, ind.name, "choice", " / ".join(choices), choices, required=True, item=item)
    if isinstance(ind, LevelIndicator | CompositeIndicator):
        choices = (*(level.name for level in ind.levels), *extra)
        return Row(key, ind.name, "choice", " / ".join(choices), choices, required=True, item=item)
    whole = isinstance(ind, CountIndicator | DurationIndicator)
    top = period_max(ind, item.parent) if ind.kind == "points" else None
    if top is not None:
        hint = _("{low}–{high} điểm").format(low=0, high=plain_number(top))
    else:
        hint = _("số nguyên") if whole else _("một số")
    if ind.optional:
        hint += _(", hoặc Không áp dụng")
    return Row(key, ind.name, "whole" if whole else "number", hint, extra, Decimal(0), top, True, item)


def month_rows(fw: Framework, unit: Unit, month: str, absentees: int) -> list[Row]:
    """Every row of ``unit``'s sheet for ``month``, in order, with ``absentees`` rows for names."""
    rows = [
        Row("section.meeting", _("I. SINH HOẠT CHI BỘ ĐỊNH KỲ"), "section"),
        yes_no_row("meeting.held", _("Chi bộ có sinh hoạt định kỳ trong tháng"), required=True),
        _date("meeting.date", _("Ngày họp"), month),
        whole_row("meeting.duration_minutes", _("Thời lượng (phút)"), MAX_MINUTES),
        whole_row("meeting.members", _("Tổng số đảng viên"), MAX_MEMBERS, required=True),
        whole_row("meeting.exempt", _("Số đảng viên được miễn sinh hoạt"), MAX_MEMBERS, blank=0),
        whole_row("meeting.present", _("Số đảng viên có mặt"), MAX_MEMBERS, required=True),
        whole_row("meeting.excused", _("Số đảng viên vắng có lý do"), MAX_MEMBERS, blank=0),
        whole_row("meeting.unexcused", _("Số đảng viên vắng không lý do"), MAX_MEMBERS, blank=0),
        yes_no_row("meeting.chi_uy_met_before", _("Chi ủy họp trước để chuẩn bị nội dung")),
        yes_no_row("meeting.draft_resolution", _("Có dự thảo nghị quyết")),
        yes_no_row("meeting.minutes_recorded", _("Có ghi biên bản")),
        _levels("meeting.quality", _("Tự xếp loại buổi sinh hoạt")),
        Row("section.absentees", _("Đảng viên vắng mặt (họ tên; có lý do hay không)"), "section"),
    ]
    for number in range(1, absentees + 1):
        label = _("Đảng viên vắng mặt thứ {n}").format(n=number)
        rows.append(Row(f"absentee.{number}", label, "absentee", _("họ tên"), (EXCUSED, UNEXCUSED)))
    rows += [
        Row("section.thematic", _("II. SINH HOẠT CHUYÊN ĐỀ"), "section"),
        yes_no_row("thematic.held", _("Có sinh hoạt chuyên đề trong tháng"), blank=False),
        yes_no_row("thematic.combined_with_regular", _("Lồng ghép với sinh hoạt định kỳ")),
        Row("thematic.topic", _("Chủ đề"), "text", _("chữ")),
        _date("thematic.date", _("Ngày sinh hoạt chuyên đề"), month),
        whole_row("thematic.duration_minutes", _("Thời lượng buổi chuyên đề (phút)"), MAX_MINUTES),
        _levels("thematic.quality", _("Tự xếp loại buổi chuyên đề")),
        Row("section.assessment", _("III. TỰ ĐÁNH GIÁ THEO CHỈ TIÊU"), "section"),
    ]
    return rows + indicator_rows(fw, MONTH_PERIODS, unit)


def indicator_rows(fw: Framework, periods: frozenset[str], unit: Unit) -> list[Row]:
    """The rows of the indicators ``unit`` assesses itself in these periods, under their criteria."""
    rows: list[Row] = []
    current = None
    for item in assessed_items(fw, periods, unit.kind.value):
        assert item.criterion is not None
        if item.criterion.id != current:
            current = item.criterion.id
            label = _("Tiêu chí {id} — {name}").format(id=current, name=item.criterion.name)
            rows.append(Row(f"criterion.{current}", label, "section"))
        rows.append(indicator_row(item))
    return rows


# --- a record as the form shows it -------------------------------------------------------------

Values = dict[str, Any]  # a row's key → its value; "key|note", "key|evidence", "key|reason" beside


def shown_value(row: Row, raw: Any) -> Any:
    """A record's value as its row shows it: the choice's own spelling, a number; as typed if unread."""
    if raw is None:
        return None
    try:
        return read_cell(row, raw)
    except ValueProblem:
        return raw if isinstance(raw, str | int | float | dt.date) else str(raw)


def assessed_cells(row: Row, assessed: AssessedValue | None) -> Values:
    """An indicator's (or a bonus's) recorded value, note and evidence as its row's cells hold them."""
    if assessed is None:
        return {}
    return {
        row.key: NOT_APPLICABLE if assessed.not_applicable else shown_value(row, assessed.value),
        row.key + "|note": assessed.note,
        row.key + "|evidence": "\n".join(assessed.evidence) or None,
    }


def record_values(rows: list[Row], record: MonthRecord | None) -> Values:
    """What ``record`` holds, as the form's cells hold it (prefill, and what import compares)."""
    out: Values = {}
    if record is None:
        return out
    m, t = record.meeting, record.thematic
    facts: dict[str, Any] = {f"meeting.{k}": v for k, v in m.model_dump().items() if k != "absentees"}
    if t is not None and t.held:
        facts.update({f"thematic.{k}": v for k, v in t.model_dump().items()})
    else:
        facts["thematic.held"] = False
    for row in rows:
        if row.kind == "absentee":
            number = int(row.key.split(".")[1])
            if number <= len(m.absentees):
                person = m.absentees[number - 1]
                out[row.key] = person.name
                out[row.key + "|reason"] = EXCUSED if person.excused else UNEXCUSED
        elif row.item is not None:
            out.update(assessed_cells(row, record.assessment.get(row.item.id)))
        elif row.key in facts:
            out[row.key] = shown_value(row, facts[row.key])
    return {k: v for k, v in out.items() if v is not None}


# --- reading a cell ----------------------------------------------------------------------------


def _number(raw: Any) -> Decimal:
    if isinstance(raw, bool | dt.date):
        raise ValueProblem(_("cần một số"))
    if isinstance(raw, int):
        return Decimal(raw)
    if isinstance(raw, float):
        return Decimal(repr(raw))
    text = fold(str(raw)).replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueProblem(_("“{value}” không phải là số").format(value=raw)) from None
    if not number.is_finite():
        raise ValueProblem(_("“{value}” không phải là số").format(value=raw))
    return number


def _in_range(row: Row, number: Decimal, raw: Any) -> Decimal:
    low, high = row.low, row.high
    if (low is not None and number < low) or (high is not None and number > high):
        top = plain_number(high) if high is not None else "…"
        raise ValueProblem(
            _("{value} nằm ngoài khoảng {low}–{high}").format(
                value=raw, low=plain_number(low or Decimal(0)), high=top
            )
        )
    return number


def _date_value(row: Row, raw: Any) -> dt.date:
    if isinstance(raw, dt.datetime):
        if raw.time() != dt.time():
            raise ValueProblem(_("cần một ngày, không kèm giờ"))
        day = raw.date()
    elif isinstance(raw, dt.date):
        day = raw
    elif (
        isinstance(raw, int | float) and not isinstance(raw, bool) and raw == int(raw) and 0 < raw < 2_958_466
    ):
        # A date whose cell lost its date format (pasted as a value): Excel's day number.
        day = _EXCEL_DAY_ZERO + dt.timedelta(days=int(raw))
    else:
        text = fold(str(raw))
        if (found := _DMY.fullmatch(text)) is not None:
            d, m, y = (int(g) for g in found.groups())
        elif (found := _ISO.fullmatch(text)) is not None:
            y, m, d = (int(g) for g in found.groups())
        else:
            raise ValueProblem(_("“{value}” không phải là ngày; ghi theo dạng 12/03/2024").format(value=raw))
        try:
            day = dt.date(y, m, d)
        except ValueError:
            raise ValueProblem(_("ngày “{value}” không có thật").format(value=raw)) from None
    assert row.low is not None and row.high is not None
    first, last = dt.date.fromordinal(int(row.low)), dt.date.fromordinal(int(row.high))
    if not first <= day <= last:
        shown = day.strftime("%d/%m/%Y")
        if first.month != last.month:  # a year-end form
            raise ValueProblem(
                _("ngày {day} không thuộc năm {yyyy} của biểu mẫu").format(day=shown, yyyy=first.year)
            )
        raise ValueProblem(
            _("ngày {day} không thuộc tháng {mm}/{yyyy} của biểu mẫu").format(
                day=shown, mm=f"{first.month:02d}", yyyy=first.year
            )
        )
    return day


def _choice(row: Row, raw: Any) -> str:
    if isinstance(raw, str):
        wanted = fold(raw)
        for choice in row.choices:
            if fold(choice) == wanted:
                return choice
        item = row.item
        ind = item.indicator if item is not None else None
        if isinstance(ind, LevelIndicator | CompositeIndicator):
            for level in ind.levels:
                if wanted in {fold(a) for a in level.aliases}:
                    return level.name
        if isinstance(ind, PassFailIndicator) and (wanted in PASS_WORDS or wanted in FAIL_WORDS):
            return PASS if wanted in PASS_WORDS else FAIL
        if wanted in NA_WORDS and NOT_APPLICABLE in row.choices:
            return NOT_APPLICABLE
    raise ValueProblem(
        _("“{value}” không có trong danh sách; chọn một trong: {choices}").format(
            value=raw, choices=", ".join(row.choices)
        )
    )


def read_cell(row: Row, raw: Any) -> Any:
    """The value a non-blank cell holds for ``row``, or ValueProblem with a Vietnamese message."""
    if row.kind == "yesno":
        if isinstance(raw, bool):
            return raw
        word = fold(str(raw))
        if word in {fold(YES), "có", "co", "x", "yes", "true", "đạt"}:
            return True
        if word in {fold(NO), "không", "khong", "no", "false"}:
            return False
        raise ValueProblem(_("“{value}” không hợp lệ; chọn Có hoặc Không").format(value=raw))
    if row.kind == "date":
        return _date_value(row, raw)
    if row.kind in ("text", "absentee"):
        return unicodedata.normalize("NFC", str(raw)).strip()
    if row.kind == "choice":
        return _choice(row, raw)
    if isinstance(raw, str) and fold(raw) in NA_WORDS and NOT_APPLICABLE in row.choices:
        return NOT_APPLICABLE
    number = _in_range(row, _number(raw), raw)
    if row.kind == "whole":
        if number != number.to_integral_value():
            raise ValueProblem(_("“{value}” phải là số nguyên").format(value=raw))
        return int(number)
    return int(number) if number == number.to_integral_value() else number.normalize()


# --- the record a filled sheet makes -----------------------------------------------------------


def assessed_entry(row: Row, values: Values) -> dict[str, Any]:
    """What a record's ``assessment`` holds for a filled row: value (numbers as int or float, the YAML
    reader's own types) or "not applicable", note, evidence one a line."""
    value = values[row.key]
    entry: dict[str, Any] = {"not_applicable": True} if value == NOT_APPLICABLE else {"value": value}
    if isinstance(value, Decimal):
        entry["value"] = float(str(value))
    if (note := values.get(row.key + "|note")) is not None:
        entry["note"] = note
    evidence = [
        line.strip() for line in (values.get(row.key + "|evidence") or "").splitlines() if line.strip()
    ]
    if evidence:
        entry["evidence"] = evidence
    return entry


def build_record(
    rows: list[Row], values: Values, base: MonthRecord | None, unit: str, month: str, framework: str
) -> dict[str, Any]:
    """The record's data (for ``MonthRecord``) from a sheet's values; what the form does not carry
    (a vote, a review, events, notes, other assessed ids) is kept from ``base``."""
    data: dict[str, Any] = base.model_dump() if base is not None else {}
    data.update(unit=unit, month=month, framework=framework)
    meeting: dict[str, Any] = {"exempt": 0, "excused": 0, "unexcused": 0}
    thematic: dict[str, Any] = {}
    assessment: dict[str, Any] = dict(data.get("assessment") or {})
    absentees = []
    for row in rows:
        value = values.get(row.key)
        if row.key.startswith("meeting.") and value is not None:
            meeting[row.key.split(".", 1)[1]] = value
        elif row.key.startswith("thematic.") and value is not None:
            thematic[row.key.split(".", 1)[1]] = value
        elif row.kind == "absentee" and value is not None:
            absentees.append({"name": value, "excused": values.get(row.key + "|reason") == EXCUSED})
        elif row.item is not None and value is not None:
            assessment[row.item.id] = assessed_entry(row, values)
    meeting["absentees"] = absentees
    data["meeting"] = meeting
    data["thematic"] = thematic if thematic.get("held") else {"held": False}
    data["assessment"] = assessment
    return data
