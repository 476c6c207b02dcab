"""A workbook as reviewable text: every cell's value, type and number format, and each sheet's print setup.

Golden files compare this dump, never the .xlsx bytes.
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import load_workbook


def load(data: bytes) -> Any:
    return load_workbook(io.BytesIO(data))


def _sheet_lines(ws: Any) -> list[str]:
    setup = ws.page_setup
    lines = [
        f"== {ws.title}",
        f"freeze: {ws.freeze_panes}",
        f"print: {setup.orientation} paper={setup.paperSize} fit={setup.fitToWidth}x{setup.fitToHeight}"
        f" fitToPage={ws.sheet_properties.pageSetUpPr.fitToPage} titles={ws.print_title_rows}",
        f"footer: {ws.oddFooter.center.text}",
        f"filter: {ws.auto_filter.ref}",
        f"merged: {' '.join(sorted(str(r) for r in ws.merged_cells.ranges))}",
    ]
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            lines.append(
                f"colour: {cf.sqref} {rule.operator} {rule.formula} fill={rule.dxf.fill.bgColor.rgb}"
            )
    for chart in ws._charts:
        lines.append(f"chart: {type(chart).__name__} {chart.type} series={len(chart.series)}")
    widths = {k: d.width for k, d in sorted(ws.column_dimensions.items()) if d.width}
    lines.append("widths: " + " ".join(f"{k}={v:g}" for k, v in widths.items()))
    for row in ws.iter_rows():
        for cell in row:
            if cell.value is None:
                continue
            lines.append(f"{cell.coordinate}\t{cell.data_type}\t{cell.number_format}\t{cell.value!r}")
    return lines


def dump_workbook(data: bytes) -> str:
    """Every sheet of an .xlsx (given as bytes) as lines of text."""
    wb = load(data)
    props = wb.properties
    lines = [f"properties: creator={props.creator} created={props.created} title={props.title}"]
    for ws in wb.worksheets:
        lines.extend(_sheet_lines(ws))
    return "\n".join(lines) + "\n"
