"""`form` writes one protected, validated sheet per cell from the framework, prefilled from the records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from chibo4tot.forms.workbook import META_SHEET, framework_hash
from chibo4tot.inputs.loading import load_workspace
from chibo4tot.inputs.record_text import MONTH_PERIODS, assessed_items
from chibo4tot.models.framework import LevelIndicator, PassFailIndicator
from tests.conftest import invoke


def keyed_rows(ws: Any) -> dict[str, int]:
    """Each row's key (hidden column G) → its row number."""
    return {row[6].value: row[6].row for row in ws.iter_rows(min_row=6) if row[6].value}


def validation_at(ws: Any, ref: str) -> Any:
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) == 1, ref
    return found[0]


def make_form(root: Path, *args: str) -> Path:
    out = root / "bieu.xlsx"
    invoke(["form", str(root), "--month", "2024-03", "--out", str(out), *args])
    return out


def test_month_form_has_a_sheet_per_cell_with_the_framework_dropdowns(example_copy: Path) -> None:
    wb = load_workbook(make_form(example_copy))
    ws_data = load_workspace(example_copy)
    fw = ws_data.frameworks["ha-giang-2024"].framework
    assert wb.sheetnames[0] == "Hướng dẫn" and wb.sheetnames[-1] == META_SHEET
    cells = wb.sheetnames[1:-1]
    assert len(cells) == 11 == len(set(cells))
    assert all(len(name) <= 31 for name in cells)
    assert "Chi bộ thôn Pả Vi" in cells
    assert wb[META_SHEET].sheet_state == "hidden" and wb[META_SHEET].protection.sheet
    meta = [[c.value for c in row] for row in wb[META_SHEET].iter_rows()]
    assert meta[1] == ["workspace", "dang-bo-xa-thuong-phung", None, None]
    assert meta[2] == ["month", "2024-03", None, None]
    assert ["Chi bộ thôn Pả Vi", "pa-vi", "ha-giang-2024", framework_hash(fw)] in meta
    units = {u.id: u for u in ws_data.units}
    assert meta[5] == ["sheet", "unit", "framework", "framework_hash"]
    for name, unit_id in ((r[0], r[1]) for r in meta[6:]):
        ws = wb[name]
        assert ws.protection.sheet
        rows = keyed_rows(ws)
        items = assessed_items(fw, MONTH_PERIODS, units[unit_id].kind.value)
        assert [k for k in rows if k.startswith("a.")] == [f"a.{i.id}" for i in items]
        for item in items:
            ref = f"D{rows['a.' + item.id]}"
            assert ws[ref].protection.locked is False
            assert ws[f"B{rows['a.' + item.id]}"].protection.locked is True
            dv = validation_at(ws, ref)
            ind = item.indicator
            na = ["Không áp dụng"] if ind is not None and ind.optional else []
            if isinstance(ind, LevelIndicator):
                assert dv.type == "list"
                assert dv.formula1 == '"' + ",".join([lv.name for lv in ind.levels] + na) + '"'
            elif isinstance(ind, PassFailIndicator):
                assert dv.formula1 == '"' + ",".join(["Đạt", "Không đạt", *na]) + '"'
            else:
                assert (dv.type, dv.operator, dv.formula1) == ("decimal", "between", "0")
                assert dv.prompt.endswith("điểm")
    pa_vi = wb["Chi bộ thôn Pả Vi"]
    rows = keyed_rows(pa_vi)
    assert pa_vi[f"D{rows['a.3.5']}"].value == 0.25  # "0,25" in the record
    assert pa_vi[f"D{rows['meeting.quality']}"].value == "Tốt"
    assert validation_at(pa_vi, f"D{rows['meeting.date']}").type == "date"
    assert pa_vi[f"D{rows['meeting.date']}"].number_format == "dd/mm/yyyy"
    assert str(pa_vi.page_setup.paperSize) == pa_vi.PAPERSIZE_A4


def test_form_for_some_units_and_refusals(example_copy: Path) -> None:
    wb = load_workbook(make_form(example_copy, "--unit", "pa-vi", "--unit", "tram-y-te"))
    assert wb.sheetnames[1:-1] == ["Chi bộ Trạm Y tế xã", "Chi bộ thôn Pả Vi"]  # units.yaml's order
    out = example_copy / "bieu.xlsx"
    result = invoke(["form", str(example_copy), "--month", "2024-03", "--out", str(out)], exit_code=2)
    assert "--force" in result.stderr
    result = invoke(["form", str(example_copy), "--month", "2024-03", "--unit", "khong-co"], exit_code=2)
    assert "khong-co" in result.stderr
    invoke(["form", str(example_copy), "--month", "2024-03", "--out", str(out), "--force"])
    default = example_copy / "bieu-mau" / "bieu-mau-2024-04.xlsx"
    assert (
        invoke(["form", str(example_copy), "--month", "2024-04"])
        .stdout.strip()
        .endswith("bieu-mau-2024-04.xlsx")
    )
    assert default.is_file()


def test_sheet_names_are_unique_short_and_allowed() -> None:
    from chibo4tot.forms.workbook import sheet_names
    from chibo4tot.models.workspace import Unit

    def unit(uid: str, name: str) -> Unit:
        return Unit.model_validate({"id": uid, "name": name, "kind": "chi_bo_truc_thuoc", "members": 3})

    long = "Chi bộ Trường Phổ thông dân tộc bán trú THCS"
    names = sheet_names(
        [unit("a", long), unit("b", long), unit("c", "Chi bộ 1/2: [Thôn]"), unit("d", "HƯỚNG DẪN")]
    )
    assert names == [long[:31], long[:27] + " (2)", "Chi bộ 1-2- -Thôn-", "HƯỚNG DẪN (2)"]


def test_entry_habits_are_read_and_mistakes_are_told() -> None:
    import datetime as dt
    from decimal import Decimal

    import pytest

    from chibo4tot.forms.fields import Row, read_cell
    from chibo4tot.inputs.values import ValueProblem

    day = Row("meeting.date", "Ngày họp", "date", low=Decimal(dt.date(2024, 3, 1).toordinal()))
    day = Row(day.key, day.label, "date", low=day.low, high=Decimal(dt.date(2024, 3, 31).toordinal()))
    for typed in (dt.datetime(2024, 3, 12), "12/03/2024", " 12/3/2024 ", "2024-03-12", "12.03.2024", 45363):
        assert read_cell(day, typed) == dt.date(2024, 3, 12), typed
    for typed, message in (
        ("12/04/2024", "không thuộc tháng 03/2024"),
        ("30/02/2024", "không có thật"),
        ("hôm qua", "không phải là ngày"),
        (dt.datetime(2024, 3, 12, 8, 30), "không kèm giờ"),
        (45393, "không thuộc tháng 03/2024"),
    ):
        with pytest.raises(ValueProblem, match=message):
            read_cell(day, typed)
    points = Row("a.1.2", "Nghị quyết", "number", low=Decimal(0), high=Decimal(5))
    assert [read_cell(points, v) for v in ("4,5", "4.5", 4.5, " 4 ", 0)] == [
        Decimal("4.5"),
        Decimal("4.5"),
        Decimal("4.5"),
        4,
        0,
    ]
    level = Row("meeting.quality", "Xếp loại", "choice", choices=("Tốt", "Khá", "Trung bình", "Kém"))
    assert [read_cell(level, v) for v in ("tốt", "TỐT ", "trung  bình", "Khá")] == [
        "Tốt",
        "Tốt",
        "Trung bình",
        "Khá",
    ]


def test_units_no_framework_scores_get_no_sheet(example_copy: Path) -> None:
    units = example_copy / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8")
        + "  - id: dang-bo-truong\n    name: Đảng bộ Trường\n    kind: dang_bo_bo_phan\n    members: 40\n",
        encoding="utf-8",
    )
    # instructions, 11 cells, facts: neither the đảng bộ bộ phận (no framework) nor the đảng bộ xã
    # (judged once a year: no month record)
    assert len(load_workbook(make_form(example_copy)).sheetnames) == 13
    args = ["form", str(example_copy), "--month", "2024-03", "--unit", "dang-bo-truong", "--force"]
    assert "chưa có khung tiêu chí cho năm 2024" in invoke(args, exit_code=2).stderr
