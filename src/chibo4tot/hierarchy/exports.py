"""Reading an export file back: JSON, the published model, and whether it matches its fingerprint."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chibo4tot.errors import InputError, Problem
from chibo4tot.i18n import _
from chibo4tot.inputs.messages import problems_from_validation
from chibo4tot.models.export import Export
from chibo4tot.results.export import self_check

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
