"""Monthly and year-end self-assessment records of one unit."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, model_validator

from chibo4tot.models.types import (
    Bool,
    ClassificationField,
    Count,
    Date,
    Id,
    IndicatorId,
    Model,
    Text,
    Year,
    YearMonth,
    nfc,
    vn_error,
)


def _nfc_value(value: Any) -> Any:
    return nfc(value).strip() if isinstance(value, str) else value


ScalarValue = Annotated[bool | int | float | dt.date | str, BeforeValidator(_nfc_value)]


class AssessedValue(Model):
    """A self-assessed (or voted, or reviewed) value of one indicator."""

    value: ScalarValue | None = Field(
        None, description="Giá trị: Đạt/Không đạt, điểm, mức (Tốt, Khá…) hoặc số"
    )
    not_applicable: Bool = Field(False, description="Chỉ tiêu không áp dụng với chi bộ")
    note: Text | None = Field(None, description="Ghi chú")
    evidence: list[Text] = Field(default_factory=list, description="Minh chứng")


def _short_form(value: Any) -> Any:
    """``"1.1": Đạt`` is shorthand for ``"1.1": {value: Đạt}``."""
    if isinstance(value, dict):
        return {k: v if isinstance(v, dict) else {"value": v} for k, v in value.items()}
    return value


Assessment = Annotated[
    dict[IndicatorId, AssessedValue],
    BeforeValidator(_short_form, json_schema_input_type=dict[IndicatorId, AssessedValue | ScalarValue]),
]


class ReviewLayer(Model):
    """Values set by a later layer: the chi bộ vote or the đảng ủy review (thẩm định)."""

    by: Text | None = Field(None, description="Ai biểu quyết / thẩm định")
    date: Date | None = None
    values: Assessment = Field(default_factory=dict)


class Absentee(Model):
    """A member absent from the meeting."""

    name: Text
    excused: Bool = Field(description="Vắng có lý do")


class Meeting(Model):
    """Facts of the month's regular meeting (sinh hoạt định kỳ)."""

    held: Bool = Field(True, description="Có tổ chức sinh hoạt định kỳ")
    date: Date | None = None
    duration_minutes: Annotated[int, Field(ge=0, le=1440)] | None = Field(
        None, description="Thời lượng (phút)"
    )
    members: Count = Field(description="Tổng số đảng viên")
    exempt: Count = Field(0, description="Số đảng viên được miễn sinh hoạt")
    present: Count = Field(description="Số đảng viên (không miễn) có mặt")
    excused: Count = Field(0, description="Vắng có lý do")
    unexcused: Count = Field(0, description="Vắng không lý do")
    absentees: list[Absentee] = Field(default_factory=list)
    chi_uy_met_before: Bool | None = Field(None, description="Chi ủy họp trước để chuẩn bị")
    draft_resolution: Bool | None = Field(None, description="Có dự thảo nghị quyết")
    minutes_recorded: Bool | None = Field(None, description="Có ghi biên bản")
    quality: Text | None = Field(None, description="Tự xếp loại buổi sinh hoạt (Tốt, Khá…)")

    @model_validator(mode="after")
    def _attendance_adds_up(self) -> Meeting:
        if self.exempt > self.members:
            raise vn_error("exempt_gt_members")
        expected = self.members - self.exempt
        got = self.present + self.excused + self.unexcused
        if got != expected:
            raise vn_error("attendance_sum", got=got, expected=expected)
        return self


class Thematic(Model):
    """The thematic meeting (sinh hoạt chuyên đề), if one was held this month."""

    held: Bool = Field(description="Có sinh hoạt chuyên đề")
    combined_with_regular: Bool = Field(False, description="Lồng ghép với sinh hoạt định kỳ")
    topic: Text | None = Field(None, description="Chủ đề")
    date: Date | None = None
    duration_minutes: Annotated[int, Field(ge=0, le=1440)] | None = None
    quality: Text | None = Field(None, description="Tự xếp loại buổi sinh hoạt chuyên đề (Tốt, Khá…)")


class Event(Model):
    """Something that happened in the month and may cost points or a gate."""

    kind: Literal["discipline", "complaint_escalated", "violation"] = Field(
        description="discipline: kỷ luật; complaint_escalated: khiếu nại vượt cấp; violation: vi phạm"
    )
    date: Date | None = None
    description: Text
    member: Text | None = None
    self_detected_remedied: Bool = Field(False, description="Chi bộ tự phát hiện và khắc phục")


class MonthRecord(Model):
    """records/<year>/<unit>/<year>-<month>.yaml."""

    unit: Id
    month: YearMonth
    framework: Id | None = Field(None, description="Mã khung tiêu chí dùng để tự đánh giá")
    meeting: Meeting
    thematic: Thematic | None = None
    assessment: Assessment = Field(default_factory=dict, description="Tự đánh giá theo chỉ tiêu")
    vote: ReviewLayer | None = Field(None, description="Kết quả chi bộ biểu quyết")
    review: ReviewLayer | None = Field(None, description="Kết quả đảng ủy thẩm định")
    events: list[Event] = Field(default_factory=list)
    notes: Text | None = None


class MemberClassification(Model):
    """How many members got each annual rating."""

    htxsnv: Count = Field(0, description="Hoàn thành xuất sắc nhiệm vụ")
    httnv: Count = Field(0, description="Hoàn thành tốt nhiệm vụ")
    htnv: Count = Field(0, description="Hoàn thành nhiệm vụ")
    khtnv: Count = Field(0, description="Không hoàn thành nhiệm vụ")
    not_rated: Count = Field(0, description="Chưa xếp loại (mới kết nạp, miễn…)")

    @property
    def rated(self) -> int:
        return self.htxsnv + self.httnv + self.htnv + self.khtnv


class DisciplineCase(Model):
    """A disciplinary case in the year."""

    member: Text | None = None
    date: Date | None = None
    form: Text = Field(description="Hình thức kỷ luật, ví dụ Khiển trách")
    decision: Text | None = Field(
        None, description="Quyết định kỷ luật, ví dụ Quyết định số 12-QĐ/ĐU ngày 25/7/2024"
    )
    violation: Text | None = Field(None, description="Mã/tên vụ vi phạm: một vụ chỉ tính một lần")
    self_detected_remedied: Bool = Field(False, description="Chi bộ tự phát hiện và khắc phục")


class YearRecord(Model):
    """records/<year>/<unit>/year.yaml: year-end facts."""

    unit: Id
    year: Year
    framework: Id | None = None
    members: Count | None = Field(None, description="Số đảng viên cuối năm")
    member_classification: MemberClassification | None = None
    annual_classification: ClassificationField | None = Field(
        None, description="Xếp loại chất lượng của chi bộ trong năm"
    )
    discipline: list[DisciplineCase] = Field(default_factory=list)
    new_members: Count = Field(0, description="Số đảng viên mới kết nạp")
    assessment: Assessment = Field(default_factory=dict)
    vote: ReviewLayer | None = None
    review: ReviewLayer | None = None
    notes: Text | None = None
