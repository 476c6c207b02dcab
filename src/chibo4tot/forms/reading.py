"""A filled form's sheets as plain cells: read-only, through defusedxml, formulas kept as formulas.

openpyxl parses XML with defusedxml when it is installed (it is a dependency of this project), so a
crafted workbook cannot expand entities. Cells come straight from openpyxl's sheet parser, which
gives each cell's type ("f" for a formula, whose cached value is never used) and the merged ranges
in the same pass; a read-only workbook does not otherwise tell its merged cells.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import WorkSheetParser

from chibo4tot.errors import InputError, Problem
from chibo4tot.fsio import ReadRefused, read_regular_bytes
from chibo4tot.i18n import _

MAX_FORM_BYTES = 50 * 1024 * 1024
MAX_CELLS = 1_000_000


@dataclass
class SheetCells:
    """One sheet: its state and its non-empty cells, ``(row, column) → (value, data type)``."""

    name: str
    state: str
    cells: dict[tuple[int, int], tuple[Any, str]] = field(default_factory=dict)
    merged: list[str] = field(default_factory=list)


def _refused(path: Path, reason: str) -> InputError:
    return InputError(_("không đọc được biểu mẫu"), [Problem(path, reason)])


def read_form(path: Path) -> list[SheetCells]:
    """Every sheet of the workbook at ``path``, in order; InputError when it is not a readable .xlsx."""
    try:
        data = read_regular_bytes(path, MAX_FORM_BYTES)
    except ReadRefused as exc:
        raise _refused(path, str(exc)) from None
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise _refused(
            path,
            _("tệp không phải là bảng tính Excel .xlsx đọc được ({error})").format(error=type(exc).__name__),
        ) from None
    sheets = []
    count = 0
    try:
        for ws in wb.worksheets:
            sheet = SheetCells(ws.title, getattr(ws, "sheet_state", "visible"))
            if not hasattr(ws, "_get_source"):  # a chart sheet: no cells
                sheets.append(sheet)
                continue
            with ws._get_source() as source:
                parser = WorkSheetParser(
                    source,
                    ws._shared_strings,
                    data_only=False,
                    epoch=wb.epoch,
                    date_formats=wb._date_formats,
                    timedelta_formats=wb._timedelta_formats,
                )
                for _index, row in parser.parse():
                    for cell in row:
                        if cell["value"] is None:
                            continue
                        count += 1
                        if count > MAX_CELLS:
                            raise _refused(path, _("bảng tính quá lớn để là một biểu mẫu"))
                        sheet.cells[(cell["row"], cell["column"])] = (cell["value"], cell["data_type"])
                merged = parser.merged_cells
                sheet.merged = [str(m.ref) for m in merged.mergeCell] if merged is not None else []
            sheets.append(sheet)
    except (KeyError, IndexError, TypeError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise _refused(
            path,
            _("tệp không phải là bảng tính Excel .xlsx đọc được ({error})").format(error=type(exc).__name__),
        ) from None
    finally:
        wb.close()
    return sheets
