"""``chibo4tot score`` and ``explain``: ratings per unit, and every point traced to its file:line."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sys
from typing import TYPE_CHECKING

import typer

from chibo4tot.cli.app import app, handled
from chibo4tot.cli.cached import PrintedCache
from chibo4tot.cli.evaluation import (
    evaluate,
    load_and_score,
    prepare,
    show_input_problems,
    show_problems,
)
from chibo4tot.cli.output import print_problems, safe_json, safe_text, show_path, text_console
from chibo4tot.cli.params import (
    UNIT_METAVAR,
    AsOfMonth,
    DirAlias,
    NoCache,
    ScoreYear,
    WorkspaceDir,
    workspace_dir,
)
from chibo4tot.errors import ExitCode, Severity, UsageError
from chibo4tot.i18n import N_, _

# The results' modules (and rich's tables) are imported where they are used: a score printed
# again from the workspace's cache needs none of them.
if TYPE_CHECKING:
    from chibo4tot.results.evaluate import Evaluation

FORMATS = ("table", "json", "csv")
NUMERIC_COLUMNS = frozenset({"total", "months", "bonus", "deductions", "previous", "streak"})


@app.command()
@handled
def score(
    directory: WorkspaceDir = None,
    year: ScoreYear = None,
    month: AsOfMonth = None,
    unit: str | None = typer.Option(None, "--unit", metavar=UNIT_METAVAR, help=N_("Chỉ hiện một chi bộ.")),
    fmt: str = typer.Option(
        "table", "--format", metavar="table|json|csv", help=N_("Định dạng: table (bảng), json hoặc csv.")
    ),
    keep_going: bool = typer.Option(
        False, "--keep-going", help=N_("Vẫn chấm các chi bộ có hồ sơ hợp lệ khi có lỗi ở tệp khác.")
    ),
    no_cache: NoCache = False,
    dir_alias: DirAlias = None,
) -> None:
    """Chấm điểm và xếp loại các chi bộ trong năm, kèm lý do không đạt."""
    if fmt not in FORMATS:
        raise UsageError(_("--format phải là một trong: {formats}").format(formats=", ".join(FORMATS)))
    texts = fmt == "json" and unit is None  # each unit's entry made once, and kept with the results
    req = prepare(workspace_dir(directory, dir_alias), year, month, cache=not no_cache, texts=texts)
    # json and csv depend on the results alone: printed again as they were, without loading them.
    printed = PrintedCache(req, (fmt, unit, keep_going)) if fmt != "table" else None
    hit = printed.load() if printed is not None else None
    if hit is not None:
        problems, shown = hit
        show_problems(problems)
        if shown is not None:
            typer.echo(shown, nl=False)
        if any(p.severity is Severity.ERROR for p in problems):
            raise typer.Exit(int(ExitCode.INPUT))
        return
    from chibo4tot.results.views import results_json, results_json_text

    ev = evaluate(req)
    show = show_input_problems(ev, keep_going)
    results = ev.results
    if unit is not None:
        known = {r.unit.id for r in results.units}
        if unit not in known:
            raise UsageError(_("không có chi bộ “{id}” trong kết quả chấm").format(id=unit))
        results.units = [r for r in results.units if r.unit.id == unit]
    root_id = ev.workspace.config.id if ev.workspace.config else ""
    text: str | None = None
    if show:
        if fmt == "json":
            not_scored = [dataclasses.asdict(n) for n in ev.not_scored()]
            if texts and ev.unit_texts is not None:
                head = dataclasses.replace(results, units=[])  # given as the entries made already
                data = results_json(head, ev.problems.sorted(), root_id, not_scored, ev.workspace.root)
                text = safe_json(results_json_text(data, ev.unit_texts)) + "\n"
            else:
                data = results_json(results, ev.problems.sorted(), root_id, not_scored, ev.workspace.root)
                text = safe_json(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"
        elif fmt == "csv":
            text = _csv(ev)
        else:
            _table(ev)
    if text is not None:
        typer.echo(text, nl=False)
    if printed is not None:
        printed.save(ev, ev.problems.items, text)
    if ev.problems.errors:
        raise typer.Exit(int(ExitCode.INPUT))


def _headers(ev: Evaluation, *, narrow: bool = False) -> list[tuple[str, str]]:
    """The columns of the CSV, or (``narrow``) of the table, where last year's total and verdict
    share one column."""
    first = ev.results.units[0] if ev.results.units else None
    # A đảng bộ scored among its cells (its own framework) is no chi bộ: the column says both
    name = _("Tổ chức đảng") if _has_dang_bo(ev) else _("Chi bộ")
    cols = [("id", _("Mã")), ("name", name)]
    if first is not None:
        cols += [(f"criterion:{c.id}", _("TC{id}").format(id=c.id)) for c in first.criteria]
    cols += [
        ("bonus", _("Thưởng")),
        ("deductions", _("Trừ")),
        ("total", _("Tổng")),
        ("rating", _("Xếp loại")),
        ("verdict", _("Kết quả")),
        ("months", _("Tháng")),
    ]
    last = ev.results.previous
    if last is not None and narrow:
        cols += [("previous", _("Năm {year}").format(year=last.year)), ("streak", _("Năm liền"))]
    elif last is not None:  # last year's results are known: beside this year's
        cols += [
            ("previous_total", _("Tổng {year}").format(year=last.year)),
            ("previous_verdict", _("Kết quả {year}").format(year=last.year)),
            ("streak", _("Số năm liền đạt")),
        ]
    cols.append(("reasons", _("Lý do / cần có")))
    return cols


def _has_dang_bo(ev: Evaluation) -> bool:
    from chibo4tot.scoring.organisation import CELL_KINDS

    return any(r.unit.kind not in CELL_KINDS for r in ev.results.units)


def _csv(ev: Evaluation) -> str:
    from chibo4tot.results.views import unit_row

    buffer = io.StringIO()
    headers = _headers(ev)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([label for _key, label in headers])
    for r in ev.results.units:
        row = unit_row(r)
        writer.writerow([csv_cell(row.get(key, "")) for key, _label in headers])
    return "\ufeff" + buffer.getvalue()  # the BOM makes Excel read UTF-8


def csv_cell(text: str) -> str:
    """One CSV cell, safe to open in a spreadsheet and to print to a terminal.

    A CSV cell has no type, so the workbook's rule (``runs_as_formula``: "=", "+", "-", "@",
    TAB or CR at the start, plain numbers excepted) is applied the way spreadsheets themselves
    mark text: a leading apostrophe. Control characters get the terminal's visible stand-ins,
    since the CSV goes to standard output.
    """
    from chibo4tot.report.xlsx_sheet import runs_as_formula  # openpyxl: loaded only for CSV

    return safe_text("'" + text if runs_as_formula(text) else text)


def _table(ev: Evaluation) -> None:
    """A compact table (one row per unit), then the reasons in full below it, then the summary."""
    from rich.table import Table
    from rich.text import Text

    from chibo4tot.results.views import status_label, summary_lines, unit_row

    results = ev.results
    title = (
        _("Kết quả “Chi bộ 4 tốt”, “Đảng bộ cơ sở 4 tốt” năm {year}")
        if _has_dang_bo(ev)
        else _("Kết quả “Chi bộ 4 tốt” năm {year}")
    ).format(year=results.year)
    if results.as_of < 12:
        title += " " + _("(tính đến hết tháng {m})").format(m=results.as_of)
    if ev.default_year:
        title += "\n" + _("năm gần nhất có hồ sơ và khung tiêu chí; chọn năm khác bằng --year")
    table = Table(title=title)
    # Bonus and deduction columns only when the framework has them: then every row adds up,
    # TC1 + … + Thưởng − Trừ = Tổng.
    hidden = {"id", "reasons"}
    if not any(r.bonus_items for r in results.units):
        hidden.add("bonus")
    if not any(r.deductions for r in results.units):
        hidden.add("deductions")
    headers = [h for h in _headers(ev, narrow=True) if h[0] not in hidden]
    for key, label in headers:
        numeric = key.startswith("criterion:") or key in NUMERIC_COLUMNS
        table.add_column(label, justify="right" if numeric else "left", overflow="fold")
    demoted: dict[str, str] = {}
    for r in results.units:
        row: dict[str, str | Text] = {key: safe_text(value) for key, value in unit_row(r).items()}
        if r.previous is not None:
            row["previous"] = f"{row['previous_total']}\n{row['previous_verdict']}"
        style = {"recognised": "green", "not_recognised": "red"}.get(r.status, "yellow")
        row["verdict"] = Text(str(row["verdict"]), style=style)
        if r.demoted_by:
            demoted.setdefault(r.demoted_by, "*" * (len(demoted) + 1))
            row["rating"] = f"{row['rating']}{demoted[r.demoted_by]}"
        table.add_row(*(row.get(key, "") for key, _label in headers))
    # No markup, no emoji codes: names and reasons are the user's text, not styles for rich.
    console = text_console(width=None if sys.stdout.isatty() else 140, highlight=False)
    console.print(table)
    for reason, mark in demoted.items():
        console.print(
            f"{mark} " + _("Xếp loại đã điều chỉnh theo hạn mức: {reason}").format(reason=safe_text(reason))
        )
    for r in results.units:
        if r.reasons or r.needed:
            console.print(
                Text.assemble(
                    (safe_text(r.unit.name), "bold"), safe_text(f" ({r.unit.id}): {status_label(r)}")
                )
            )
            for reason in r.reasons:
                console.print(f"  - {safe_text(reason)}")
            if r.needed:
                console.print("  " + safe_text(_("Cần có: {needed}.").format(needed="; ".join(r.needed))))
    for line in summary_lines(results):
        console.print(safe_text(line))


@app.command()
@handled
def explain(
    unit: str = typer.Argument(..., metavar=UNIT_METAVAR, help=N_("Mã chi bộ cần giải thích.")),
    directory: WorkspaceDir = None,
    year: ScoreYear = None,
    month: AsOfMonth = None,
    no_cache: NoCache = False,
    dir_alias: DirAlias = None,
) -> None:
    """Giải thích từng điểm, điều kiện và lý do của một chi bộ, kèm tệp:dòng."""
    from chibo4tot.inputs.locate import LineFinder
    from chibo4tot.results.explain import render_explain, where_finder

    ev = load_and_score(workspace_dir(directory, dir_alias), year, month, cache=not no_cache)
    found = next((r for r in ev.results.units if r.unit.id == unit), None)
    if found is None:
        if unit in ev.blocked:
            print_problems(ev.problems.items)
            raise typer.Exit(int(ExitCode.INPUT))
        known = ", ".join(r.unit.id for r in ev.results.units) or "—"
        raise UsageError(
            _("không có chi bộ “{id}” trong kết quả chấm; các chi bộ: {known}").format(id=unit, known=known)
        )
    unit_problems = [
        p for p in ev.problems.items if p.severity is Severity.WARNING and p.path and unit in p.path.parts
    ]
    print_problems(unit_problems)
    finder = LineFinder()
    for line in render_explain(found, where_finder(finder.find, show_path)):
        typer.echo(safe_text(line))
