"""Does a report or an export still match the records? The fingerprints compared, cell by cell."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chibo4tot.errors import InputError
from chibo4tot.hierarchy.exports import read_export, tampered
from chibo4tot.i18n import _
from chibo4tot.report.seal import read_seal
from chibo4tot.results.export import Difference, Seal, seal_of


def named(ids: list[str], names: Mapping[str, str]) -> str:
    return ", ".join(f"{names[uid]} ({uid})" if uid in names else uid for uid in ids)


def seal_of_file(path: Path) -> tuple[Seal, dict[str, str]]:
    """The seal a report or an export carries, and the cell names it knows (an export's own)."""
    if path.suffix.lower() == ".json":
        found = read_export(path)
        bad = tampered(found)
        names = {u.id: u.name for u in found.export.units}
        if bad is not None:
            message = _(
                "{file}: nội dung không khớp với dấu vân tay ghi trong tệp; tệp đã bị sửa sau khi xuất"
            ).format(file=path.name)
            if bad:
                message += "; " + _("các chi bộ bị sửa: {cells}").format(cells=named(bad, names))
            raise InputError(message)
        return seal_of(found.data), names
    seal = read_seal(path)
    if seal is None:
        raise InputError(
            _(
                "{file} không mang dấu vân tay kết quả của chibo4tot (báo cáo lập bằng report, tệp export)"
            ).format(file=path.name)
        )
    return seal, {}


def differences(seal: Seal, now: Mapping[str, Any]) -> Difference | None:
    """None when the document matches the results now; else how their cells differ."""
    if now["fingerprint"] == seal.fingerprint:
        return None
    cells = {str(u["id"]): str(u["fingerprint"]) for u in now["units"]}
    changed = [uid for uid, fp in seal.cells.items() if uid in cells and not cells[uid].startswith(fp)]
    return Difference(
        changed,
        [uid for uid in cells if uid not in seal.cells],
        [uid for uid in seal.cells if uid not in cells],
    )


def mismatch_message(
    path: Path, diff: Difference | None, names: Mapping[str, str], last_year: int | None = None
) -> str:
    """Why a document no longer matches: its cells (``diff``: None when they all match) and, with
    ``last_year``, the figures of that year it prints beside its own."""
    parts = []
    if diff is None:
        diff = Difference([], [], [])
    elif not diff:
        parts.append(
            _("phần chung đã thay đổi (thông tin đảng bộ, khung tiêu chí, tổng hợp hoặc số thiếu sót)")
        )
    if diff.changed:
        parts.append(
            _("{n} chi bộ đã thay đổi: {cells}").format(n=len(diff.changed), cells=named(diff.changed, names))
        )
    if diff.added:
        parts.append(_("chi bộ mới có: {cells}").format(cells=named(diff.added, names)))
    if diff.removed:
        parts.append(_("chi bộ không còn: {cells}").format(cells=named(diff.removed, names)))
    if last_year is not None:
        parts.append(
            _(
                "kết quả năm {year} in trong tài liệu (để so sánh với năm trước) đã thay đổi: "
                "hồ sơ năm {year} hoặc tệp trong history/ đã khác"
            ).format(year=last_year)
        )
    return _("{file} không còn khớp với hồ sơ hiện tại: {details}").format(
        file=path.name, details="; ".join(parts)
    )
