"""The small words of a framework in an organiser's terms: numbers, comparisons, periods, facts. Pure.

"trên 85%", "từ 90 phút trở lên", "ít nhất 2 lần", "0,25 điểm": what ``fwterms`` builds its lines
from. A number the framework declares is shown exactly as written (never rounded), with the
Vietnamese decimal comma.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal
from typing import Literal, get_args

from chibo4tot.formatting import vn_number
from chibo4tot.i18n import N_, _
from chibo4tot.models.scales import MonthFact
from chibo4tot.models.types import UnitKind

# Whether the framework being put in words scores đảng bộ (the "Đảng bộ cơ sở 4 tốt" title)
# rather than chi bộ: the lines then speak of the đảng bộ (see speaking_of, of_org).
_DANG_BO: ContextVar[bool] = ContextVar("fwterms_dang_bo", default=False)
DANG_BO_KINDS = frozenset({UnitKind.DANG_BO_CO_SO, UnitKind.DANG_BO_BO_PHAN})


def scores_dang_bo(kinds: list[UnitKind]) -> bool:
    """A framework for đảng bộ only."""
    return bool(kinds) and all(k in DANG_BO_KINDS for k in kinds)


@contextmanager
def speaking_of(kinds: list[UnitKind]) -> Iterator[None]:
    """Within: the words are about the units of ``kinds`` (a framework's ``applies_to``)."""
    token = _DANG_BO.set(scores_dang_bo(kinds))
    try:
        yield
    finally:
        _DANG_BO.reset(token)


def of_org(cell: str, dang_bo: str) -> str:
    """The message (each marked with N_) about the unit scored: a chi bộ, or a đảng bộ."""
    return _(dang_bo if _DANG_BO.get() else cell)


Unit = Literal["share", "minutes", "times", "cases", "absences", "members", "points", "plain"]

# What each fact of a record measures, and how its numbers are counted.
FACTS: dict[str, tuple[str, Unit]] = {
    "meeting_held": (N_("chi bộ sinh hoạt định kỳ"), "times"),
    "attendance_rate": (N_("tỉ lệ đảng viên dự sinh hoạt"), "share"),
    "duration_minutes": (N_("thời lượng buổi sinh hoạt"), "minutes"),
    "unexcused_absences": (N_("số lượt đảng viên vắng không có lý do"), "absences"),
    "excused_absences": (N_("số lượt đảng viên vắng có lý do"), "absences"),
    "max_excused_streak": (N_("số lần liên tiếp một đảng viên vắng có lý do"), "times"),
    "chi_uy_met_before": (N_("chi ủy (bí thư) họp trước buổi sinh hoạt"), "times"),
    "draft_resolution": (N_("có dự thảo nghị quyết"), "times"),
    "minutes_recorded": (N_("có biên bản sinh hoạt"), "times"),
    "thematic_held": (N_("số buổi sinh hoạt chuyên đề"), "times"),
    "meeting_quality": (N_("mức chất lượng buổi sinh hoạt ghi trong hồ sơ"), "plain"),
    "thematic_quality": (N_("mức chất lượng buổi sinh hoạt chuyên đề"), "plain"),
    "annual_classification": (N_("mức xếp loại chất lượng hằng năm của chi bộ"), "plain"),
    "members_good_share": (N_("tỉ lệ đảng viên xếp loại “Hoàn thành tốt nhiệm vụ” trở lên"), "share"),
    "members_excellent_share": (N_("tỉ lệ đảng viên xếp loại “Hoàn thành xuất sắc nhiệm vụ”"), "share"),
    "discipline_cases": (N_("số vụ kỷ luật đảng viên"), "cases"),
    "new_members": (N_("số đảng viên mới kết nạp"), "members"),
    "sub_units_recognised_share": (N_("tỉ lệ tổ chức đảng trực thuộc được công nhận"), "share"),
    "complaints_escalated": (N_("số vụ khiếu nại, tố cáo vượt cấp"), "cases"),
}
_MONTH_FACTS = frozenset(get_args(MonthFact)) | {"complaints_escalated"}
_UNITS: dict[str, str] = {
    "minutes": N_("{n} phút"),
    "times": N_("{n} lần"),
    "cases": N_("{n} vụ"),
    "absences": N_("{n} lượt"),
    "members": N_("{n} đảng viên"),
    "points": N_("{n} điểm"),
}
PERIOD_NAMES = {"month": N_("tháng"), "quarter": N_("quý"), "year": N_("năm")}
EVERY_PERIOD = {"month": N_("hằng tháng"), "quarter": N_("hằng quý"), "year": N_("một lần trong năm")}


def number(value: Decimal | int) -> str:
    """A declared number exactly as written, the Vietnamese way: 0.25 → "0,25", 1500 → "1.500"."""
    exponent = Decimal(value).normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return vn_number(Decimal(value), places)


def short_date(day: dt.date) -> str:
    """A document's date as cited: "16/6/2022", "06/7/2018", "04/02/2024" (Hướng dẫn 36-HD/VPTW pads
    days below 10 and the months 1 and 2)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}/{month}/{day.year}"


def percent(share: Decimal) -> str:
    """A share as a percentage, exactly: 0.85 → "85%", 0.855 → "85,5%"."""
    return number(share * 100) + "%"


def points(value: Decimal | int) -> str:
    return _("{n} điểm").format(n=number(value))


def quantity(value: Decimal | int, unit: Unit) -> str:
    """A value with its unit: "85%", "90 phút", "2 lần", "3"."""
    if unit == "share":
        return percent(Decimal(value))
    if unit in _UNITS:
        return _(_UNITS[unit]).format(n=number(value))
    return number(value)


def comparison(op: str, target: Decimal | int, unit: Unit) -> str:
    """A threshold as a person states it; ``>`` and ``>=`` read differently ("trên 85%", "từ 85% trở lên")."""
    shown = quantity(target, unit)
    if op == "<=" and Decimal(target) == 0:  # "==" keeps its own words: a change of operator shows
        return _("không có ({value})").format(value=shown)
    if op == ">":
        return _("trên {value}").format(value=shown)
    if op == ">=":
        if unit in ("times", "cases", "absences", "members"):
            return _("ít nhất {value}").format(value=shown)
        return _("từ {value} trở lên").format(value=shown)
    if op == "<":
        return _("dưới {value}").format(value=shown)
    if op == "<=":
        return _("không quá {value}").format(value=shown)
    return _("đúng {value}").format(value=shown)


def fact_name(source: str) -> str:
    if source == "annual_classification":
        return of_org(FACTS[source][0], N_("mức xếp loại chất lượng hằng năm của đảng bộ"))
    return _(FACTS[source][0])


def fact_unit(source: str) -> Unit:
    return FACTS[source][1] if source in FACTS else "plain"


def period_name(period: str) -> str:
    return _(PERIOD_NAMES[period])


def every(period: str) -> str:
    return _(EVERY_PERIOD[period])


def listing(items: list[str]) -> str:
    """ "a", "a và b", "a, b và c"."""
    if len(items) <= 1:
        return "".join(items)
    return _("{first} và {last}").format(first=", ".join(items[:-1]), last=items[-1])


def quoted(text: str) -> str:
    return f"“{text}”"


def source_text(source: str) -> str:
    """Where a value comes from: the cell's self-assessment, or a fact of its records."""
    if source == "self":
        return of_org(N_("chi bộ tự đánh giá"), N_("đảng bộ tự đánh giá"))
    if source in _MONTH_FACTS:
        return _("{fact}, tính từ hồ sơ tháng").format(fact=fact_name(source))
    return _("{fact}, lấy từ hồ sơ cuối năm").format(fact=fact_name(source))
