"""Write new files for people to fill: a workspace (init) and a month's or year's record (new)."""

from __future__ import annotations

from pathlib import Path

from chibo4tot.errors import InputError, Problem, UsageError
from chibo4tot.fsio import write_text_atomic
from chibo4tot.i18n import _
from chibo4tot.inputs.frameworks import LoadedFramework
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.inputs.locate import locate_problems, parse_model
from chibo4tot.inputs.places import UNITS_FILE, WORKSPACE_FILE, find_workspace
from chibo4tot.inputs.record_text import q, render_month_record, render_year_record, schema_line
from chibo4tot.inputs.schema import render_schemas
from chibo4tot.models.framework import Framework
from chibo4tot.models.types import UNIT_KIND_LABELS
from chibo4tot.models.workspace import UnitsFile, WorkspaceConfig


def pick_framework(frameworks: dict[str, LoadedFramework], year: int) -> Framework:
    """The shipped framework for ``year``, else the newest one."""
    shipped = [lf.framework for lf in frameworks.values() if lf.shipped and lf.framework.extends is None]
    if not shipped:
        raise UsageError(_("không tìm thấy khung tiêu chí có sẵn nào"))
    covering = [fw for fw in shipped if year in fw.years]
    return max(covering or shipped, key=lambda fw: (max(fw.years), fw.id))


def init_workspace(target: Path, *, year: int, name: str) -> tuple[list[Path], int]:
    """Create a workspace that validates at once; refuses a folder that already has one.

    Returns the files written and the year the workspace is set up for: ``year`` when a shipped
    framework covers it, else the latest year one does (the caller must say so).
    """
    if (target / WORKSPACE_FILE).exists():
        raise UsageError(_("{path} đã là một không gian làm việc").format(path=target / WORKSPACE_FILE))
    problems: list[Problem] = []
    fw = pick_framework(load_frameworks(None, problems), year)
    years = year if year in fw.years else max(fw.years)
    written = [
        write_text_atomic(target / WORKSPACE_FILE, _workspace_text(name, fw, years), overwrite=False),
        write_text_atomic(target / UNITS_FILE, _units_text(years), overwrite=False),
        write_text_atomic(target / "criteria" / "README.md", _criteria_readme(fw), overwrite=False),
        write_text_atomic(target / "records" / str(years) / ".gitkeep", "", overwrite=False),
    ]
    for file_name, text in render_schemas().items():
        written.append(write_text_atomic(target / "schemas" / file_name, text))
    if (ignore := _git_ignore(target / ".gitignore")) is not None:
        written.append(write_text_atomic(target / ".gitignore", ignore))
    return written, years


CACHE_IGNORE = ".chibo4tot/"


def _git_ignore(path: Path) -> str | None:
    """The workspace's .gitignore with the cache folder in it; None when it already has it."""
    try:
        old = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError):
        return None  # not ours to rewrite; the cache folder carries its own ignore file anyway
    if any(line.strip().strip("/") == CACHE_IGNORE.strip("/") for line in old.splitlines()):
        return None
    head = old if not old or old.endswith("\n") else old + "\n"
    return head + "# Bộ nhớ đệm của chibo4tot (tạo lại được, không đưa vào git)\n" + CACHE_IGNORE + "\n"


def _workspace_text(name: str, fw: Framework, year: int) -> str:
    superior, issuing_body, place = _("Đảng bộ huyện …"), _("Đảng ủy …"), _("…")
    return (
        schema_line("workspace", 0)
        + _("# Cấu hình không gian làm việc của đảng bộ. Sửa các dòng dưới cho đúng đơn vị.\n")
        + "id: dang-bo-moi\n"
        + f"name: {q(name)}\n"
        + _("# Cấp ủy cấp trên trực tiếp (dòng đầu của khối bên trái trong văn bản)\n")
        + f"superior: {q(superior)}\n"
        + f"issuing_body: {q(issuing_body)}\n"
        + _("# Ký hiệu cơ quan trong số văn bản: Số …-BC/ĐU\n")
        + f"abbreviation: {q('ĐU')}\n"
        + f"place: {q(place)}\n"
        + _("# Khung tiêu chí áp dụng cho từng năm (mã trong criteria/ hoặc khung có sẵn)\n")
        + "frameworks:\n"
        + f"  - years: [{year}]\n"
        + f"    framework: {fw.id}\n"
        + _(
            "# Kết quả các năm trước: đặt tệp do “chibo4tot export” tạo (ví dụ ket-qua-{year}.json) "
            "vào thư mục history/\n# để so sánh với năm trước và tính số năm liền đạt khi không còn "
            "hồ sơ của năm đó.\n"
        ).format(year=year - 1)
    )


def _units_text(year: int) -> str:
    village, school = _("Chi bộ thôn 1"), _("Chi bộ Trường học")
    return (
        schema_line("units", 0)
        + _(
            "# Danh sách tổ chức đảng. kind: chi_bo_truc_thuoc | chi_bo_co_so | dang_bo_co_so | "
            "dang_bo_bo_phan\n"
        )
        + "units:\n"
        + "  - id: chi-bo-thon-1\n"
        + f"    name: {q(village)}\n"
        + "    kind: chi_bo_truc_thuoc\n"
        + "    members: 20\n"
        + f"    registered: [{year}]\n"
        + "  - id: chi-bo-truong-hoc\n"
        + f"    name: {q(school)}\n"
        + "    kind: chi_bo_truc_thuoc\n"
        + "    members: 12\n"
        + f"    registered: [{year}]\n"
    )


def _criteria_readme(fw: Framework) -> str:
    return _(
        "# Khung tiêu chí của đơn vị\n\n"
        "Đặt ở đây các tệp khung tiêu chí riêng (YAML). Một khung có thể kế thừa khung có sẵn "
        "bằng dòng `extends: {id}` và chỉ ghi những gì thay đổi (ngưỡng, chỉ tiêu thêm).\n\n"
        "Xem các khung có sẵn: `chibo4tot criteria list`; so sánh với khung cấp trên: "
        "`chibo4tot criteria diff <mã>`.\n"
    ).format(id=fw.id)


def new_record(start: Path, unit_id: str, *, month: str | None, year: int | None) -> Path:
    """Write the record for one unit and month (or year); never overwrites."""
    root = find_workspace(start)
    problems: list[Problem] = []
    config = parse_model(root / WORKSPACE_FILE, WorkspaceConfig, problems)
    units = parse_model(root / UNITS_FILE, UnitsFile, problems)
    frameworks = load_frameworks(
        root, problems, used={a.framework for a in config.frameworks} if config else set()
    )
    if config is None or units is None:
        raise InputError(
            _("không gian làm việc có lỗi; hãy chạy “chibo4tot validate”"),
            locate_problems(problems),
        )
    unit = next((u for u in units.units if u.id == unit_id), None)
    if unit is None:
        raise UsageError(
            _("không có chi bộ mã “{id}” trong units.yaml; các mã hiện có: {ids}").format(
                id=unit_id, ids=", ".join(u.id for u in units.units)
            )
        )
    the_year = int(month[:4]) if month else year
    assert the_year is not None
    from chibo4tot.inputs.checks import framework_for, no_month_record

    fid = framework_for(config, the_year, unit.kind.value)
    if fid is None or fid not in frameworks:
        raise UsageError(
            _("chưa có khung tiêu chí cho năm {year} ({kind}) trong {file}").format(
                year=the_year, kind=_(UNIT_KIND_LABELS[unit.kind]), file=WORKSPACE_FILE
            )
        )
    fw = frameworks[fid].framework
    folder = root / "records" / str(the_year) / unit.id
    if month and not fw.takes_months():
        raise no_month_record(unit, fw, the_year)
    if month:
        return write_text_atomic(
            folder / f"{month}.yaml", render_month_record(fw, unit, month), overwrite=False
        )
    return write_text_atomic(folder / "year.yaml", render_year_record(fw, unit, the_year), overwrite=False)
