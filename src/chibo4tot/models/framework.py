"""The criteria framework (khung tiêu chí): every rule of the "Chi bộ 4 tốt" model, as data."""

from __future__ import annotations

import string
from decimal import Decimal
from typing import Annotated, ClassVar, Literal, get_args

from pydantic import Field, field_validator, model_validator

from chibo4tot.models.scales import (
    Band,
    Level,
    MonthFact,
    Op,
    Period,
    Rollup,
    Source,
    SourceDocument,
    TargetOverride,
    YearFact,
    _check_bands,
)
from chibo4tot.models.types import (
    Bool,
    ClassificationField,
    Count,
    Id,
    IndicatorId,
    Model,
    NonNegNum,
    Num,
    Share,
    Text,
    UnitKindField,
    Year,
    vn_error,
)


class _IndicatorBase(Model):
    id: IndicatorId = Field(description='Mã chỉ tiêu, ví dụ "2.3"')
    name: Text = Field(description="Nội dung chỉ tiêu")
    guidance: Text | None = Field(None, description="Hướng dẫn chấm")
    points: NonNegNum = Field(description="Điểm tối đa của chỉ tiêu trong năm")
    period: Period = Field("month", description="Kỳ đánh giá: month, quarter hoặc year")
    source: Source = Field("self", description="Lấy giá trị từ tự đánh giá (self) hay từ số liệu")
    rollup: Rollup | None = Field(None, description="Cách cộng các kỳ thành cả năm")
    applies_to: list[UnitKindField] | None = Field(None, description="Chỉ áp dụng cho các loại này")
    optional: Bool = Field(False, description="Được ghi “không áp dụng” (không tính vào điểm tối đa)")


class PassFailIndicator(_IndicatorBase):
    """Đạt / Không đạt."""

    kind: Literal["pass_fail"]


class PointsIndicator(_IndicatorBase):
    """Points 0..max entered by hand."""

    kind: Literal["points"]
    pass_at: NonNegNum | None = Field(None, description="Điểm để coi là đạt (mặc định: tối đa)")


class LevelIndicator(_IndicatorBase):
    """A level (Tốt / Khá / …) mapped to points."""

    kind: Literal["level"]
    levels: list[Level] = Field(min_length=2, description="Các mức, từ cao xuống thấp")


class ThresholdIndicator(_IndicatorBase):
    """A number compared with a threshold (`>` and `>=` differ)."""

    kind: Literal["threshold"]
    op: Op = Field(description="Phép so sánh")
    target: Num = Field(description="Ngưỡng")
    overrides: list[TargetOverride] = Field(default_factory=list)


class CountIndicator(_IndicatorBase):
    """A count of occurrences in the period compared with a target."""

    kind: Literal["count"]
    op: Op = Field(">=", description="Phép so sánh")
    target: Count = Field(description="Số lần cần đạt")


class DurationIndicator(_IndicatorBase):
    """A meeting length in minutes compared with a target."""

    kind: Literal["duration"]
    op: Op = Field(">=", description="Phép so sánh")
    target: Count = Field(description="Số phút")
    overrides: list[TargetOverride] = Field(default_factory=list)


class CompositeIndicator(_IndicatorBase):
    """Sub-indicators scored on their own scale, graded by bands, the grade mapped to points."""

    kind: Literal["composite"]
    indicators: list[Indicator] = Field(min_length=1, description="Các chỉ tiêu con")
    bands: list[Band] = Field(min_length=1, description="Thang xếp loại theo tổng điểm chỉ tiêu con")
    levels: list[Level] = Field(min_length=1, description="Điểm của từng mức xếp loại")

    @model_validator(mode="after")
    def _bands_have_levels(self) -> CompositeIndicator:
        _check_bands(self.bands)
        level_names = {level.name for level in self.levels}
        for band in self.bands:
            if band.name not in level_names:
                raise vn_error("band_level", name=band.name)
        return self


Indicator = Annotated[
    PassFailIndicator
    | PointsIndicator
    | LevelIndicator
    | ThresholdIndicator
    | CountIndicator
    | DurationIndicator
    | CompositeIndicator,
    Field(discriminator="kind"),
]
CompositeIndicator.model_rebuild()


class Criterion(Model):
    """One of the four (or five) "tốt"."""

    id: IndicatorId = Field(description='Mã tiêu chí, ví dụ "1"')
    name: Text = Field(description="Tên tiêu chí")
    max_points: NonNegNum = Field(description="Điểm tối đa")
    min_points: NonNegNum | None = Field(None, description="Điểm tối thiểu để được công nhận")
    indicators: list[Indicator] = Field(min_length=1)


class BonusItem(Model):
    """A reason for bonus points."""

    id: IndicatorId
    name: Text
    points: NonNegNum = Field(description="Điểm cộng mỗi lần")
    source: Literal["self"] | MonthFact | YearFact = "self"


class Bonus(Model):
    """Bonus points, capped."""

    max_points: NonNegNum = Field(description="Tổng điểm thưởng tối đa")
    items: list[BonusItem] = Field(min_length=1)


class Deduction(Model):
    """Points taken off per occurrence."""

    id: IndicatorId
    name: Text
    points_each: NonNegNum = Field(description="Điểm trừ mỗi lần")
    source: Literal["self", "unexcused_absences", "discipline_cases", "complaints_escalated"] = "self"
    max_points: NonNegNum | None = Field(None, description="Trừ tối đa")
    criterion: IndicatorId | None = Field(None, description="Trừ vào tiêu chí này (mặc định: tổng)")


class _GateBase(Model):
    # The particulars a reason may name, e.g. "Chi bộ thiếu hồ sơ tháng {months}."; {detail} always.
    REASON_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: Id
    title: Text | None = Field(
        None, description="Tên ngắn của điều kiện, dùng khi tổng hợp nhiều chi bộ, ví dụ Đủ hồ sơ các tháng"
    )
    reason: Text = Field(
        description=(
            "Câu giải thích (tiếng Việt) khi không đạt điều kiện này; có thể chèn {detail} (điều tìm "
            "thấy) và các trường riêng của loại điều kiện, ví dụ {months}. Không chèn trường nào thì "
            "điều tìm thấy được ghi thêm trong ngoặc."
        )
    )

    @field_validator("reason")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        allowed = ("detail", *cls.REASON_FIELDS)
        try:
            names = [
                name for _text, name, _spec, _conv in string.Formatter().parse(value) if name is not None
            ]
        except ValueError:
            raise vn_error("reason_braces") from None
        unknown = [name for name in names if name not in allowed]
        if unknown:
            raise vn_error(
                "reason_fields",
                allowed=", ".join("{" + a + "}" for a in allowed),
                unknown=", ".join("{" + u + "}" for u in unknown),
            )
        return value


class DisciplineGate(_GateBase):
    """A member disciplined in the year (one violation counts once)."""

    REASON_FIELDS = ("n", "cases")
    kind: Literal["discipline"]
    except_self_remedied: Bool = Field(True, description="Không tính vụ chi bộ tự phát hiện, khắc phục")
    max_cases: Count = Field(0, description="Số vụ tối đa được phép")


class ClassificationGate(_GateBase):
    """The cell's annual quality classification must be at least a level."""

    REASON_FIELDS = ("classification",)
    kind: Literal["annual_classification"]
    at_least: ClassificationField


class MissingMonthsGate(_GateBase):
    """Too many months without a record."""

    REASON_FIELDS = ("n", "months")
    kind: Literal["missing_months"]
    max_missing: Count = 0


class RegistrationGate(_GateBase):
    """The unit did not register for the title at the start of the year."""

    REASON_FIELDS = ("year",)
    kind: Literal["registration"]


class IndicatorGate(_GateBase):
    """An indicator that must pass whatever the points."""

    REASON_FIELDS = ("indicator", "periods")
    kind: Literal["indicator"]
    indicator: IndicatorId


class MemberShareGate(_GateBase):
    """A share of members rated at least a level."""

    REASON_FIELDS = ("share",)
    kind: Literal["member_share"]
    at_least: ClassificationField
    min_share: Share


class SubUnitShareGate(_GateBase):
    """A đảng bộ needs a share of its cells recognised."""

    REASON_FIELDS = ("share",)
    kind: Literal["sub_unit_share"]
    min_share: Share


Gate = Annotated[
    DisciplineGate
    | ClassificationGate
    | MissingMonthsGate
    | RegistrationGate
    | IndicatorGate
    | MemberShareGate
    | SubUnitShareGate,
    Field(discriminator="kind"),
]


class Rating(Model):
    """Year-end rating bands over the total."""

    bands: list[Band] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Rating:
        _check_bands(self.bands)
        return self


class Recognition(Model):
    """The recognition rule."""

    title: Text = Field("Chi bộ 4 tốt", description="Danh hiệu")
    min_total: NonNegNum = Field(description="Tổng điểm tối thiểu")
    every_criterion_min: Bool = Field(True, description="Mọi tiêu chí phải đạt điểm tối thiểu")
    gates_must_pass: Bool = Field(True, description="Không vướng điều kiện loại trừ nào")
    min_rating: Text | None = Field(None, description="Mức xếp loại tối thiểu")


class Quota(Model):
    """A cap on a band as a share of another within one đảng bộ, applied by rank."""

    id: Id
    band: Text = Field(description="Mức bị giới hạn, ví dụ Xuất sắc")
    base_bands: list[Text] = Field(min_length=1, description="Các mức làm cơ số")
    max_ratio: Share = Field(description="Tỉ lệ tối đa so với cơ số, ví dụ 0,2")
    scope: Literal["parent", "workspace"] = "parent"
    tie_break: list[Annotated[str, Field(pattern=r"^(total|name|id|criterion:[0-9A-Za-z.]+)$")]] = Field(
        default_factory=lambda: ["total"], description="Thứ tự ưu tiên khi bằng điểm"
    )
    demote_to: Text = Field(description="Mức bị hạ xuống khi vượt hạn mức")
    reason: Text = Field(description="Câu giải thích khi bị hạ mức")


class ReviewPolicy(Model):
    """How the review layers (self, chi bộ vote, đảng ủy review) are reconciled."""

    gap_warning_points: NonNegNum = Field(
        Decimal(2), description="Cảnh báo khi điểm thẩm định lệch tự đánh giá quá mức này"
    )


class Framework(Model):
    """A criteria framework, complete (after ``extends`` is resolved)."""

    id: Id
    title: Text
    issuer: Text
    documents: list[SourceDocument] = Field(min_length=1, description="Văn bản làm căn cứ")
    years: list[Year] = Field(min_length=1, description="Các năm áp dụng")
    applies_to: list[UnitKindField] = Field(min_length=1)
    extends: Id | None = Field(None, description="Khung tiêu chí cấp trên được kế thừa")
    remove: list[IndicatorId] = Field(default_factory=list, description="Chỉ tiêu của khung cấp trên bị bỏ")
    decimal_places: Annotated[int, Field(ge=0, le=4)] = 2
    missing_month: Literal["zero", "exclude"] = Field(
        "zero", description="Tháng thiếu hồ sơ tính 0 điểm (zero) hay bỏ khỏi kỳ (exclude)"
    )
    criteria: list[Criterion] = Field(min_length=1)
    bonus: Bonus | None = None
    deductions: list[Deduction] = Field(default_factory=list)
    gates: list[Gate] = Field(default_factory=list)
    rating: Rating | None = None
    recognition: Recognition
    quotas: list[Quota] = Field(default_factory=list)
    review: ReviewPolicy = Field(default_factory=ReviewPolicy)

    def all_indicators(self) -> list[tuple[Criterion, _IndicatorBase]]:
        """Every indicator, nested ones included, with its criterion."""
        out: list[tuple[Criterion, _IndicatorBase]] = []

        def walk(criterion: Criterion, items: list[Indicator]) -> None:
            for item in items:
                out.append((criterion, item))
                if isinstance(item, CompositeIndicator):
                    walk(criterion, item.indicators)

        for criterion in self.criteria:
            walk(criterion, criterion.indicators)
        return out

    def takes_months(self) -> bool:
        """Whether units scored by this framework keep monthly records at all. A framework judged
        once a year from the year record and the unit's cells (a đảng bộ cơ sở's) has no month to
        miss: no missing-month gap, no months missing in its results."""
        monthly = set(get_args(MonthFact)) | {"complaints_escalated"}
        items = [*(self.bonus.items if self.bonus else ()), *self.deductions]
        return (
            any(ind.period != "year" or ind.source in monthly for c in self.criteria for ind in c.indicators)
            or any(g.kind == "missing_months" for g in self.gates)
            or any(item.source in monthly for item in items)
        )

    def indicator_ids(self) -> set[str]:
        return {ind.id for _, ind in self.all_indicators()}
