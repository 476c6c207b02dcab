"""``make bench``: measure scoring and the year-end workbook at province scale; prints figures only."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sys
import time
from pathlib import Path

from chibo4tot.report.context import ReportContext, build_context
from chibo4tot.report.xlsx import render_xlsx
from chibo4tot.results.evaluate import evaluate, framework_chooser, group_records
from chibo4tot.scoring import score_year, summarise

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "dang-bo-xa-thuong-phung"


def main(units: int = 5000) -> None:
    start = time.perf_counter()
    ev = evaluate(EXAMPLE, 2024)
    print(f"load + score the example ({len(ev.results.units)} units): {time.perf_counter() - start:.2f} s")
    ws = ev.workspace
    records = group_records(ws, 2024, set())
    choose = framework_chooser(ws, 2024)
    rounds = 20
    root_id = ws.config.id if ws.config else ""
    start = time.perf_counter()
    for _ in range(rounds):
        score_year(2024, ws.units, records, choose, root_id=root_id)
    per_unit = (time.perf_counter() - start) / (rounds * len(ws.units))
    total = per_unit * units
    print(f"scoring: {per_unit * 1000:.1f} ms per unit-year; {units} units ≈ {total:.0f} s on one core")

    ctx = build_context(ev, dt.date(2025, 1, 15))
    source = ctx.results.units
    copies = []
    for i in range(units):
        r = source[i % len(source)]
        unit = r.unit.model_copy(update={"id": f"{r.unit.id}-{i}", "parent": f"dang-bo-{i % 100}"})
        copies.append(dataclasses.replace(r, unit=unit))
    results = dataclasses.replace(ctx.results, units=copies, summary=summarise(copies, "tinh"))
    big = ReportContext(results, ctx.config, ctx.date, ctx.problems)
    start = time.perf_counter()
    data = render_xlsx(big)
    print(f"workbook for {units} units: {time.perf_counter() - start:.1f} s, {len(data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
