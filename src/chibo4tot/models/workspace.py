"""The workspace file (chibo4tot.yaml) and the organisation tree (units.yaml)."""

from __future__ import annotations

from pydantic import Field

from chibo4tot.models.types import Count, Id, Model, Text, UnitKindField, Year


class FrameworkAssignment(Model):
    """Which framework applies to which years (and optionally which kinds of unit)."""

    years: list[Year] = Field(min_length=1, description="Các năm áp dụng")
    framework: Id = Field(description="Mã khung tiêu chí")
    kinds: list[UnitKindField] | None = Field(None, description="Chỉ áp dụng cho các loại này")


class Signer(Model):
    """Who signs the year-end report."""

    on_behalf: Text = Field("T/M ĐẢNG ỦY", description="Dòng thẩm quyền ký, ví dụ T/M ĐẢNG ỦY")
    position: Text = Field("BÍ THƯ", description="Chức vụ người ký")
    name: Text | None = Field(None, description="Họ và tên người ký")


class WorkspaceConfig(Model):
    """The đảng bộ this workspace belongs to, its header data and its frameworks."""

    id: Id = Field(description="Mã đảng bộ")
    name: Text = Field(description="Tên đảng bộ, ví dụ Đảng bộ xã Thượng Phùng")
    superior: Text = Field(description="Cấp ủy cấp trên, ví dụ Đảng bộ huyện Mèo Vạc")
    issuing_body: Text = Field(description="Cơ quan ban hành văn bản, ví dụ Đảng ủy xã Thượng Phùng")
    abbreviation: Text = Field(description="Ký hiệu cơ quan trong số văn bản, ví dụ ĐU")
    place: Text = Field(description="Địa danh ghi ở dòng ngày tháng, ví dụ Thượng Phùng")
    frameworks: list[FrameworkAssignment] = Field(min_length=1)
    signer: Signer = Field(default_factory=Signer)
    recipients: list[Text] = Field(default_factory=list, description="Nơi nhận báo cáo")


class Unit(Model):
    """A party cell or committee in the tree."""

    id: Id
    name: Text = Field(description="Tên đầy đủ, ví dụ Chi bộ khu Biểu Nghi")
    kind: UnitKindField
    parent: Id | None = Field(None, description="Mã tổ chức đảng cấp trên trực tiếp")
    members: Count | None = Field(None, description="Số đảng viên")
    registered: list[Year] = Field(default_factory=list, description="Các năm đăng ký phấn đấu đạt danh hiệu")


class UnitsFile(Model):
    """units.yaml."""

    units: list[Unit] = Field(min_length=1)
