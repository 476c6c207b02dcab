"""Exports read back: by ``rollup`` and ``verify``, and as a workspace's history, the exports of
earlier years kept in its folder ``history/`` in place of their records, which give last year's
figures and the streaks ("N năm liền") when the workspace has no record of that year.

Records of a year in the workspace win over an export of the same year: they are what the
đảng bộ holds first-hand, and scoring them is what its export of that year was made from (a
warning says so beside the export); records that give no result (a year without a framework)
leave the export compared.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chibo4tot.errors import InputError, Problem
from chibo4tot.fsio import outside_reason
from chibo4tot.i18n import _
from chibo4tot.inputs.locate import FILE_REFUSED, folder_refusal
from chibo4tot.inputs.messages import problems_from_validation
from chibo4tot.inputs.places import HISTORY_DIR
from chibo4tot.models.export import Export
from chibo4tot.results.export import self_check
from chibo4tot.scoring.organisation import LastYear
from chibo4tot.scoring.results import PreviousUnit, PreviousYear, Tally

MAX_EXPORT_BYTES = 256 * 1024 * 1024  # a country's cells are some tens of megabytes


@dataclass(frozen=True)
class ReadExport:
    path: Path
    data: dict[str, Any]  # as read: the fingerprint is checked over exactly this
    export: Export


def read_export(path: Path) -> ReadExport:
    """The export in ``path``, validated; an input error with every problem located otherwise."""
    raw = path.read_bytes()
    if len(raw) > MAX_EXPORT_BYTES:
        raise InputError(_("{path}: tệp quá lớn để là tệp kết quả xuất").format(path=path))
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(
            _("không đọc được tệp kết quả"), [Problem(path, _("tệp không phải văn bản UTF-8"))]
        ) from None
    except json.JSONDecodeError as exc:
        problem = Problem(
            path, _("không phải JSON hợp lệ: {reason}").format(reason=exc.msg), (), exc.lineno, exc.colno
        )
        raise InputError(_("không đọc được tệp kết quả"), [problem]) from None
    if not isinstance(data, dict) or data.get("format") != "chibo4tot-export":
        raise InputError(
            _("không đọc được tệp kết quả"),
            [Problem(path, _("đây không phải tệp kết quả do chibo4tot export tạo ra"))],
        )
    try:
        export = Export.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(path, message, loc) for loc, message in problems_from_validation(exc, Export, data)
        ]
        raise InputError(_("tệp kết quả không đúng mẫu (schemas/export.schema.json)"), problems) from None
    return ReadExport(path, data, export)


def tampered(found: ReadExport) -> list[str] | None:
    """None when the export matches its fingerprint; else the cells whose own fingerprint fails
    (an empty list: only the shared part changed)."""
    whole, cells = self_check(found.data)
    return None if whole and not cells else cells


def history_files(root: Path) -> list[Path]:
    """The exports kept in the workspace's ``history/`` folder (every ``.json`` file in it), in name order."""
    folder = root / HISTORY_DIR
    if not folder.is_dir():
        return []
    return sorted((folder / name for name in os.listdir(folder) if name.lower().endswith(".json")), key=str)


def load_history(root: Path, dang_bo: str) -> tuple[dict[int, ReadExport], list[Problem]]:
    """The exports of ``history/`` by year, and every reason one cannot be used (each an error
    located in its file): unreadable, not matching its fingerprint, another đảng bộ's, not a
    whole year's, or a second export of a year."""
    found: dict[int, ReadExport] = {}
    problems: list[Problem] = []
    # As records/ and criteria/: nothing is read through a link out of the workspace (nor would the
    # cache see it change: its key walks the workspace alone).
    folder = root / HISTORY_DIR
    if (reason := folder_refusal(folder, root)) is not None:
        return found, [Problem(folder, reason, code=FILE_REFUSED)]
    for path in history_files(root):
        if (reason := outside_reason(path, root)) is not None:
            problems.append(Problem(path, reason, code=FILE_REFUSED))
            continue
        try:
            export = read_export(path)
        except InputError as exc:
            problems.extend(exc.problems or [Problem(path, exc.message)])
            continue
        except OSError as exc:
            problems.append(Problem(path, _("không đọc được tệp: {reason}").format(reason=exc.strerror)))
            continue
        year, bad = export.export.year, None
        if tampered(export) is not None:
            bad = _("nội dung không khớp với dấu vân tay ghi trong tệp; tệp đã bị sửa sau khi xuất")
        elif export.export.dang_bo.id != dang_bo:
            bad = _("là kết quả của “{other}”, không phải của đảng bộ này (“{id}”)").format(
                other=export.export.dang_bo.id, id=dang_bo
            )
        elif export.export.as_of_month != 12:
            bad = _("là kết quả năm {year} tính đến hết tháng {month}, chưa phải kết quả cả năm").format(
                year=year, month=export.export.as_of_month
            )
        elif year in found:
            bad = _("là kết quả năm {year}, trùng năm với tệp {other}").format(
                year=year, other=found[year].path.name
            )
        if bad is not None:
            problems.append(Problem(path, bad))
        else:
            found[year] = export
    return found, problems


def previous_from_export(found: ReadExport) -> LastYear:
    """Last year's figures as its export gives them (every unit in it was assessed that year)."""
    doc = found.export
    summary = doc.summary
    by_parent = {pid: Tally(t.units, t.recognised) for pid, t in summary.by_parent.items()}
    year = PreviousYear(doc.year, Tally(summary.units, summary.recognised), by_parent, source="export")
    units = {
        u.id: PreviousUnit(
            doc.year,
            export_decimal(u.total),
            u.rating,
            u.recognised,
            tuple((c.id, export_decimal(c.points)) for c in u.criteria),
        )
        for u in doc.units
    }
    return year, units


def streaks_from_export(found: ReadExport) -> dict[str, int]:
    """Each unit's recognised years in a row up to the export's year, as the export says."""
    return {u.id: u.streak for u in found.export.units}


def export_decimal(value: float) -> Decimal:
    """A number of an export back to the decimal it was printed from (24.67 → Decimal("24.67"),
    95 → Decimal(95)): a JSON number rounded once already."""
    return Decimal(repr(value)) if value != int(value) else Decimal(int(value))
