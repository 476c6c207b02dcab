"""``chibo4tot validate``: report every problem in every file, then exit."""

from __future__ import annotations

import datetime as dt

import typer

from chibo4tot.cli.app import app, handled
from chibo4tot.cli.cached import open_cache
from chibo4tot.cli.output import print_count, print_problems, show_path
from chibo4tot.cli.params import DirAlias, NoCache, WorkspaceDir, workspace_dir
from chibo4tot.errors import ExitCode
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.places import find_workspace


@app.command()
@handled
def validate(
    directory: WorkspaceDir = None,
    strict: bool = typer.Option(False, "--strict", help=N_("Coi cảnh báo là lỗi.")),
    no_cache: NoCache = False,
    dir_alias: DirAlias = None,
) -> None:
    """Kiểm tra mọi tệp: khung tiêu chí, danh sách chi bộ, hồ sơ tháng và năm, hồ sơ còn thiếu."""
    from chibo4tot.inputs.loading import load_workspace, workspace_gaps  # not at start: pydantic, YAML

    root = find_workspace(workspace_dir(directory, dir_alias))
    run = open_cache(root, not no_cache)
    memo = run.memo if run is not None else None
    ws = load_workspace(root, memo=memo)
    today = dt.date.today()  # the CLI reads the clock: which months and year.yaml are due yet
    gaps = workspace_gaps(ws, today.year, today.month)
    if run is not None and run.unchanged():
        run.memo.save()
    from chibo4tot.results.history import load_history

    history = load_history(root, ws.config.id)[1] if ws.config is not None else []  # earlier years' exports
    errors, warnings, files = print_problems([*ws.problems.items, *history, *gaps])
    print_count(errors, warnings, files)
    if errors or (strict and warnings):
        raise typer.Exit(int(ExitCode.INPUT))
    typer.echo(
        _(
            "Hợp lệ: {root} — {frameworks} khung tiêu chí, {units} tổ chức đảng, {months} hồ sơ "
            "tháng, {years} hồ sơ năm."
        ).format(
            root=show_path(root),
            frameworks=len(ws.frameworks),
            units=len(ws.units),
            months=len(ws.month_records),
            years=len(ws.year_records),
        )
    )
