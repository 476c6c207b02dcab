"""Read a self-assessed value against its indicator: Đạt/Không đạt, a level, points or a number."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from pydantic import ValidationError

from chibo4tot.i18n import _
from chibo4tot.models.framework import (
    CompositeIndicator,
    CountIndicator,
    DurationIndicator,
    LevelIndicator,
    PassFailIndicator,
    PointsIndicator,
    ThresholdIndicator,
)
from chibo4tot.models.records import AssessedValue
from chibo4tot.models.scales import Level
from chibo4tot.models.types import _number, nfc

AnyIndicator = (
    PassFailIndicator
    | PointsIndicator
    | LevelIndicator
    | ThresholdIndicator
    | CountIndicator
    | DurationIndicator
    | CompositeIndicator
)

PASS_WORDS = frozenset({"đạt", "có", "true", "yes", "x"})
FAIL_WORDS = frozenset({"không đạt", "chưa đạt", "không", "false", "no"})


class ValueProblem(ValueError):
    """A value that does not fit its indicator; the message is Vietnamese."""


@dataclass(frozen=True, slots=True)
class Value:
    """A value read against its indicator."""

    passed: bool | None = None
    number: Decimal | None = None
    level: Level | None = None
    not_applicable: bool = False


def _fold(text: str) -> str:
    return nfc(text).strip().casefold()


def _as_number(raw: object) -> Decimal:
    if isinstance(raw, dt.date) or raw is None:
        raise ValueProblem(_("cần một số"))
    try:
        number = _number(raw)
    except (ValidationError, ValueError) as exc:
        raise ValueProblem(_("“{value}” không phải là số").format(value=raw)) from exc
    if not isinstance(number, Decimal):
        raise ValueProblem(_("“{value}” không phải là số").format(value=raw))
    return number


def _as_level(indicator: LevelIndicator | CompositeIndicator, raw: object) -> Level:
    if isinstance(raw, str):
        wanted = _fold(raw)
        for level in indicator.levels:
            if wanted == _fold(level.name) or wanted in {_fold(a) for a in level.aliases}:
                return level
    names = ", ".join(level.name for level in indicator.levels)
    raise ValueProblem(
        _("“{value}” không phải là một mức; chọn một trong: {names}").format(value=raw, names=names)
    )


def plain_number(number: Decimal) -> str:
    """A number as a message shows it: decimal comma, at most 4 places, no trailing zeros."""
    text = f"{number.quantize(Decimal('0.0001')).normalize():f}"
    return text.replace(".", ",")


def as_pass(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str):
        word = _fold(raw)
        if word in PASS_WORDS:
            return True
        if word in FAIL_WORDS:
            return False
    raise ValueProblem(_("“{value}” không hợp lệ; ghi Đạt hoặc Không đạt").format(value=raw))


def read_count(assessed: AssessedValue) -> int:
    """How many times a bonus or deduction item happened: a whole number, or Có/Không (1/0)."""
    raw = assessed.value
    if assessed.not_applicable or raw is None:
        return 0
    if isinstance(raw, bool | str) and not (isinstance(raw, str) and raw.strip().isdigit()):
        try:
            return 1 if as_pass(raw) else 0
        except ValueProblem:
            raise _count_problem(raw) from None
    number = _as_number(raw)
    if number < 0 or number != number.to_integral_value():
        raise _count_problem(raw)
    return int(number)


def _count_problem(raw: object) -> ValueProblem:
    return ValueProblem(
        _("“{value}” không hợp lệ; ghi số lần (số nguyên không âm) hoặc Có/Không").format(value=raw)
    )


def read_value(
    indicator: AnyIndicator, assessed: AssessedValue, *, max_points: Decimal | None = None
) -> Value:
    """Interpret one assessed value; raises ValueProblem with a Vietnamese message."""
    if assessed.not_applicable:
        if not indicator.optional:
            raise ValueProblem(
                _("chỉ tiêu “{id}” bắt buộc, không được ghi “không áp dụng”").format(id=indicator.id)
            )
        return Value(not_applicable=True)
    raw = assessed.value
    if raw is None:
        raise ValueProblem(_("chưa ghi giá trị"))
    if isinstance(raw, str) and _fold(raw) in {"không áp dụng", "ko áp dụng", "n/a"}:
        return read_value(
            indicator, assessed.model_copy(update={"not_applicable": True}), max_points=max_points
        )
    if isinstance(indicator, PassFailIndicator):
        return Value(passed=as_pass(raw))
    if isinstance(indicator, LevelIndicator | CompositeIndicator):
        level = _as_level(indicator, raw)
        return Value(passed=level.passed, number=level.points, level=level)
    number = _as_number(raw)
    if isinstance(indicator, PointsIndicator):
        top = indicator.points if max_points is None else max_points
        if not 0 <= number <= top:
            raise ValueProblem(
                _("điểm {value} nằm ngoài khoảng 0..{max}").format(value=raw, max=plain_number(top))
            )
        return Value(number=number)
    if isinstance(indicator, CountIndicator | DurationIndicator) and (
        number < 0 or number != number.to_integral_value()
    ):
        raise ValueProblem(_("phải là số nguyên không âm"))
    return Value(number=number)
