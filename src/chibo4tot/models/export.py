"""The export file: a đảng bộ's results for the level above, without personal data, fingerprinted.

The JSON Schema published for it (schemas/export.schema.json) is generated from these models, and
``rollup`` and ``verify`` read exports through them. The numbers are JSON numbers as ``score
--format json`` prints them (already rounded once), so the models keep them as they are.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from chibo4tot.models.types import Id, Text, UnitKindField

EXPORT_FORMAT = "chibo4tot-export"
EXPORT_VERSION = 1

Sha256 = Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="Mã băm SHA-256 (64 chữ số hex)")]
Number = Annotated[float, Field(allow_inf_nan=False)]


class _Part(BaseModel):
    """A part of an export: unknown keys are errors; ints stand for floats (a JSON 25 is 25.0)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class ExportDangBo(_Part):
    """The đảng bộ that made the export."""

    id: Id = Field(description="Mã đảng bộ")
    name: Text = Field(description="Tên đảng bộ")
    superior: Text = Field(description="Cấp ủy cấp trên")


class ExportFramework(_Part):
    """A framework the cells were scored under, with the hash of the whole framework after ``extends``."""

    id: str = Field(description="Mã khung tiêu chí")
    title: str = Field(description="Tên khung tiêu chí")
    sha256: Sha256 = Field(description="SHA-256 của khung tiêu chí đã gộp (sau extends)")


class ExportCriterion(_Part):
    id: str = Field(description="Số hiệu tiêu chí")
    name: str = Field(description="Tên tiêu chí")
    points: Number = Field(description="Điểm đạt được")
    max_points: Number = Field(description="Điểm tối đa")
    passed: bool = Field(description="Đạt mức tối thiểu của tiêu chí")


class ExportUnit(_Part):
    """One cell (or đảng bộ) as ``score --format json`` shows it, its reasons without personal names."""

    id: Id = Field(description="Mã chi bộ")
    name: Text = Field(description="Tên chi bộ")
    parent: Id | None = Field(
        description="Mã tổ chức đảng cấp trên trực tiếp (null: chính đảng bộ làm tệp, cấp trên ở ngoài tệp)"
    )
    kind: UnitKindField = Field(description="Loại tổ chức đảng")
    months_recorded: int = Field(ge=0, le=12, description="Số tháng có hồ sơ")
    months_missing: list[int] = Field(description="Các tháng thiếu hồ sơ")
    criteria: list[ExportCriterion] = Field(description="Điểm từng tiêu chí")
    bonus: Number = Field(description="Điểm thưởng")
    deductions: Number = Field(description="Tổng điểm trừ")
    deductions_in_criteria: Number = Field(description="Điểm trừ đã tính trong các tiêu chí")
    deductions_off_total: Number = Field(description="Điểm trừ vào tổng điểm (cột “Trừ”)")
    total: Number = Field(description="Tổng điểm")
    max_total: Number = Field(description="Tổng điểm tối đa")
    rating: str | None = Field(description="Xếp loại")
    provisional: bool = Field(description="Xếp loại tạm tính (chưa hết năm)")
    projected_total: Number | None = Field(description="Tổng điểm quy ra cả năm khi tạm tính")
    demoted_by: str | None = Field(description="Lý do hạ mức theo hạn mức, nếu có")
    recognised: bool = Field(description="Được công nhận “Chi bộ 4 tốt”")
    status: Literal["recognised", "not_recognised", "in_progress"] = Field(description="Kết quả")
    reasons: list[str] = Field(description="Lý do không đạt, không ghi tên người")
    needed: list[str] = Field(description="Những gì còn thiếu để đạt")
    streak: int = Field(ge=0, description="Số năm liền đạt")
    framework: str = Field(description="Mã khung tiêu chí đã dùng để chấm")
    fingerprint: Sha256 = Field(description="Dấu vân tay của riêng chi bộ này")


class ExportNotScored(_Part):
    """A cell the đảng bộ could not score, and why."""

    id: str = Field(description="Mã chi bộ")
    name: str = Field(description="Tên chi bộ")
    reason: str = Field(description="Lý do không chấm được")


class ExportTally(_Part):
    units: int = Field(ge=0, description="Số chi bộ")
    recognised: int = Field(ge=0, description="Số chi bộ được công nhận")
    recognised_rate: Number | None = Field(description="Tỉ lệ công nhận (0..1), làm tròn 4 chữ số")


class ExportSummary(ExportTally):
    by_kind: dict[str, ExportTally] = Field(description="Theo loại chi bộ")
    by_parent: dict[str, ExportTally] = Field(description="Theo tổ chức đảng cấp trên trực tiếp")
    dang_bo: ExportTally = Field(description="Đảng bộ cơ sở 4 tốt")


class Export(_Part):
    """Results of one đảng bộ in one year, for the level above (``chibo4tot export``)."""

    format: Literal["chibo4tot-export"] = Field(description="Loại tệp")
    version: Literal[1] = Field(description="Phiên bản định dạng")
    year: int = Field(ge=2000, le=2100, description="Năm đánh giá")
    as_of_month: int = Field(ge=0, le=12, description="Tính đến hết tháng")
    language: Literal["vi", "en"] = Field(description="Ngôn ngữ của tên và lý do (vi: tiếng Việt)")
    dang_bo: ExportDangBo
    frameworks: list[ExportFramework] = Field(description="Các khung tiêu chí đã dùng")
    units: list[ExportUnit] = Field(description="Kết quả từng chi bộ")
    not_scored: list[ExportNotScored] = Field(description="Các chi bộ không chấm được")
    summary: ExportSummary
    gaps: int = Field(ge=0, description="Số thiếu sót của hồ sơ (tháng thiếu, hồ sơ cuối năm chưa có…)")
    fingerprint: Sha256 = Field(
        description="SHA-256 của toàn bộ nội dung trên (JSON chuẩn hóa: khóa xếp thứ tự, không khoảng "
        "trắng, UTF-8 NFC, không kể trường fingerprint này)"
    )
