"""Write new files for people to fill: a workspace (init) and a month's or year's record (new)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from chibo4tot.errors import InputError, Problem, UsageError
from chibo4tot.fsio import write_text_atomic
from chibo4tot.i18n import _
from chibo4tot.inputs.frameworks import LoadedFramework
from chibo4tot.inputs.items import assessable_items, period_max
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.inputs.locate import locate_problems, parse_model
from chibo4tot.inputs.places import UNITS_FILE, WORKSPACE_FILE, find_workspace
from chibo4tot.inputs.schema import render_schemas
from chibo4tot.inputs.values import AnyIndicator, plain_number
from chibo4tot.models.framework import Framework, LevelIndicator
from chibo4tot.models.types import UNIT_KIND_LABELS
from chibo4tot.models.workspace import Unit, UnitsFile, WorkspaceConfig


def q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def schema_line(name: str, depth: int) -> str:
    return f"# yaml-language-server: $schema={'../' * depth}schemas/{name}.schema.json\n"


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


def _hint(ind: AnyIndicator, top: Decimal) -> str:
    if ind.kind == "pass_fail":
        hint = _("ghi Đạt hoặc Không đạt")
    elif isinstance(ind, LevelIndicator):
        hint = _("chọn: {levels}").format(levels=" / ".join(level.name for level in ind.levels))
    elif ind.kind == "points":
        hint = _("số điểm từ 0 đến {max}").format(max=plain_number(top))
    else:
        hint = _("ghi một số")
    if ind.optional:
        hint += _(", hoặc “không áp dụng”")
    return hint


def _assessment_block(fw: Framework, period: set[str], kind: str) -> str:
    lines = [
        _(
            "# Tự đánh giá: ghi giá trị sau dấu hai chấm; có thể thêm ghi chú, minh chứng:\n"
            '#   "1.1": {value: Đạt, note: "…", evidence: ["Nghị quyết số …"]}\n'
        ),
        "assessment:\n",
    ]
    count = 0
    extras: list[str] = []
    for item in assessable_items(fw).values():
        if item.indicator is not None:
            ind = item.indicator
            if item.period not in period or (ind.applies_to is not None and kind not in ind.applies_to):
                continue
            count += 1
            lines.append(f"  # {ind.id}. {ind.name}\n")
            lines.append(f"  {q(ind.id)}:   # {_hint(ind, period_max(ind, item.parent))}\n")
        elif "year" in period:
            # Bonus and deductions may be counted in any record; the year record offers them.
            entry = item.bonus or item.deduction
            assert entry is not None
            label = _("điểm thưởng") if item.bonus else _("điểm trừ")
            times = _("số lần")
            extras.append(f"  # {label}: {entry.name}\n  {q(item.id)}: 0   # {times}\n")
    lines.extend(extras)
    if not count and not extras:
        return "assessment: {}\n"
    return "".join(lines)


def render_month_record(fw: Framework, unit: Unit, month: str) -> str:
    members = unit.members or 0
    return (
        schema_line("record", 3)
        + _("# Hồ sơ tự đánh giá tháng {mm}/{yyyy} — {name}\n").format(
            mm=month[5:], yyyy=month[:4], name=unit.name
        )
        + _("# Khung tiêu chí: {title}\n").format(title=fw.title)
        + f"unit: {unit.id}\n"
        + f"month: {q(month)}\n"
        + f"framework: {fw.id}\n"
        + _("# Sinh hoạt định kỳ: có mặt + vắng có lý do + vắng không lý do = tổng số − miễn sinh hoạt\n")
        + "meeting:\n"
        + "  held: true\n"
        + _("  date:                  # ngày họp, ví dụ {example}\n").format(example=f"{month}-10")
        + _("  duration_minutes:      # thời lượng (phút)\n")
        + f"  members: {members}\n"
        + "  exempt: 0\n"
        + f"  present: {members}\n"
        + "  excused: 0\n"
        + "  unexcused: 0\n"
        + _("  chi_uy_met_before:     # chi ủy họp trước để chuẩn bị: có / không\n")
        + _("  draft_resolution:      # có dự thảo nghị quyết: có / không\n")
        + _("  minutes_recorded:      # có ghi biên bản: có / không\n")
        + _("  quality:               # tự xếp loại buổi sinh hoạt: Tốt / Khá / Trung bình / Kém\n")
        + _("# Sinh hoạt chuyên đề (ít nhất mỗi quý một lần)\n")
        + "thematic:\n"
        + "  held: false\n"
        + "  combined_with_regular: false\n"
        + _("  topic:                 # chủ đề\n")
        + _("  quality:               # tự xếp loại buổi chuyên đề (nếu có): Tốt / Khá / Trung bình / Kém\n")
        + _assessment_block(fw, {"month", "quarter"}, unit.kind.value)
        + _("# Sự việc trong tháng (kỷ luật, khiếu nại vượt cấp…), nếu có\n")
        + "events: []\n"
    )


def render_year_record(fw: Framework, unit: Unit, year: int) -> str:
    return (
        schema_line("year-record", 3)
        + _("# Hồ sơ cuối năm {year} — {name}\n").format(year=year, name=unit.name)
        + f"unit: {unit.id}\n"
        + f"year: {year}\n"
        + f"framework: {fw.id}\n"
        + f"members: {unit.members or 0}\n"
        + _("# Số đảng viên theo mức xếp loại; cộng lại phải bằng members\n")
        + "member_classification:\n"
        + "  htxsnv: 0\n  httnv: 0\n  htnv: 0\n  khtnv: 0\n"
        + f"  not_rated: {unit.members or 0}\n"
        + _("# Xếp loại chất lượng chi bộ: htxsnv / httnv / htnv / khtnv\n")
        + "annual_classification:\n"
        + _("# Các vụ kỷ luật trong năm: - {member: …, form: Khiển trách, self_detected_remedied: false}\n")
        + "discipline: []\n"
        + "new_members: 0\n"
        + _assessment_block(fw, {"year"}, unit.kind.value)
    )


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
    from chibo4tot.inputs.checks import framework_for

    fid = framework_for(config, the_year, unit.kind.value)
    if fid is None or fid not in frameworks:
        raise UsageError(
            _("chưa có khung tiêu chí cho năm {year} ({kind}) trong {file}").format(
                year=the_year, kind=_(UNIT_KIND_LABELS[unit.kind]), file=WORKSPACE_FILE
            )
        )
    fw = frameworks[fid].framework
    folder = root / "records" / str(the_year) / unit.id
    if month:
        return write_text_atomic(
            folder / f"{month}.yaml", render_month_record(fw, unit, month), overwrite=False
        )
    return write_text_atomic(folder / "year.yaml", render_year_record(fw, unit, the_year), overwrite=False)
