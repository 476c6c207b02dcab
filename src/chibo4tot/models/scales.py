"""Shared vocabulary of frameworks: operators, periods, facts, roll-ups, levels and rating bands."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from chibo4tot.models.types import (
    Bool,
    Count,
    Date,
    IndicatorId,
    Model,
    NonNegNum,
    Num,
    Share,
    Text,
    vn_error,
)

Op = Literal[">", ">=", "<", "<=", "=="]
Period = Literal["month", "quarter", "year"]

MonthFact = Literal[
    "meeting_held",
    "attendance_rate",
    "duration_minutes",
    "unexcused_absences",
    "excused_absences",
    "max_excused_streak",
    "chi_uy_met_before",
    "draft_resolution",
    "minutes_recorded",
    "thematic_held",
    "meeting_quality",
    "thematic_quality",
]
YearFact = Literal[
    "annual_classification",
    "members_good_share",
    "members_excellent_share",
    "discipline_cases",
    "new_members",
    "sub_units_recognised_share",
]
Source = Literal["self"] | MonthFact | YearFact
Condition = Literal["thematic_combined", "thematic_held"]


class SourceDocument(Model):
    """A document the framework is drawn from."""

    number: Text = Field(description="Số hiệu văn bản, ví dụ 21-NQ/TW")
    date: Date | None = Field(None, description="Ngày ban hành")
    title: Text = Field(description="Trích yếu văn bản")
    issuer: Text | None = Field(None, description="Cơ quan ban hành")


class Rollup(Model):
    """How the months (or quarters) of an indicator add up to the year."""

    method: Literal["sum", "mean", "min", "all", "at_least", "share"] = Field(
        "mean",
        description="sum: cộng; mean: trung bình; min: thấp nhất; all: mọi kỳ đều đạt; "
        "at_least: ít nhất N kỳ đạt; share: tỉ lệ kỳ đạt tối thiểu",
    )
    count: Count | None = Field(None, description="Số kỳ phải đạt (với at_least)")
    share: Share | None = Field(None, description="Tỉ lệ kỳ phải đạt, 0..1 (với share)")
    missing: Literal["zero", "exclude"] | None = Field(
        None, description="Tháng thiếu hồ sơ: zero = tính 0 điểm, exclude = không tính vào kỳ"
    )

    @model_validator(mode="after")
    def _needs_parameter(self) -> Rollup:
        if self.method == "at_least" and self.count is None:
            raise vn_error("rollup_count")
        if self.method == "share" and self.share is None:
            raise vn_error("rollup_share")
        return self


class Level(Model):
    """One grade of a level indicator and the points it gives."""

    name: Text = Field(description="Tên mức, ví dụ Tốt")
    points: NonNegNum = Field(description="Điểm của mức này")
    passed: Bool = Field(True, description="Mức này có được coi là đạt không")
    aliases: list[Text] = Field(default_factory=list, description="Cách viết khác được chấp nhận")


class TargetOverride(Model):
    """A different target when a condition of the month holds (e.g. 120 minutes with a thematic meeting)."""

    when: Condition = Field(description="Điều kiện áp dụng")
    target: Num = Field(description="Ngưỡng thay thế")


class BandCondition(Model):
    """Conditions a band needs on top of its points; when unmet the grade is capped."""

    indicators_at_max: list[IndicatorId] = Field(
        default_factory=list, description="Các chỉ tiêu phải đạt điểm tối đa"
    )
    criteria_min_met: Bool = Field(False, description="Mọi tiêu chí phải đạt điểm tối thiểu")
    no_failed_gates: Bool = Field(False, description="Không vướng điều kiện loại trừ nào")


class Band(Model):
    """A rating band: from ``min`` points upward, optionally with capping conditions."""

    name: Text = Field(description="Tên mức xếp loại")
    min: NonNegNum = Field(description="Điểm tối thiểu (từ ... trở lên)")
    conditions: BandCondition | None = None
    otherwise: Text | None = Field(
        None, description="Mức bị hạ xuống khi không đủ điều kiện (mặc định: mức liền dưới)"
    )


def _check_bands(bands: list[Band]) -> None:
    mins = [b.min for b in bands]
    if mins != sorted(mins, reverse=True) or len(set(mins)) != len(mins):
        raise vn_error("bands_order")
    names = [b.name for b in bands]
    for band in bands:
        if band.otherwise is not None and band.otherwise not in names:
            raise vn_error("band_unknown", name=band.otherwise)
