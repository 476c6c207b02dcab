"""``chibo4tot init`` and ``chibo4tot new``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from chibo4tot.cli.app import app, handled
from chibo4tot.cli.evaluation import parse_month
from chibo4tot.cli.output import show_path
from chibo4tot.cli.params import (
    MONTH_METAVAR,
    UNIT_METAVAR,
    YEAR_METAVAR,
    DirAlias,
    WorkspaceDir,
    workspace_dir,
)
from chibo4tot.errors import UsageError
from chibo4tot.fsio import check_write_targets
from chibo4tot.i18n import N_, _


@app.command()
@handled
def init(
    directory: Path = typer.Argument(
        ..., metavar=N_("THƯ_MỤC"), help=N_("Thư mục sẽ tạo không gian làm việc (chưa có, hoặc trống).")
    ),
    name: str = typer.Option(
        "Đảng bộ …", "--name", metavar=N_("TÊN"), show_default=False, help=N_("Tên đảng bộ (sửa sau được).")
    ),
    year: int | None = typer.Option(
        None, "--year", metavar=YEAR_METAVAR, help=N_("Năm đánh giá (mặc định: năm hiện tại).")
    ),
) -> None:
    """Tạo một không gian làm việc mới, kiểm tra hợp lệ ngay."""
    from chibo4tot.inputs.scaffold import init_workspace  # frameworks and models: not at start

    wanted = year or dt.date.today().year
    # A file where a folder goes fails half-way otherwise, after chibo4tot.yaml is written.
    check_write_targets(directory, ["chibo4tot.yaml", "units.yaml"])
    for sub in ("criteria", "records", "schemas"):
        check_write_targets(directory / sub, [])
    written, the_year = init_workspace(directory, year=wanted, name=name)
    for path in written:
        typer.echo(show_path(path))
    if the_year != wanted:
        typer.echo(
            _(
                "cảnh báo: chưa có khung tiêu chí có sẵn cho năm {wanted}; không gian làm việc được đặt "
                "cho năm {year}. Muốn đánh giá năm {wanted}, hãy soạn khung trong criteria/ (có thể "
                "extends khung có sẵn) và gán cho năm đó trong chibo4tot.yaml."
            ).format(wanted=wanted, year=the_year),
            err=True,
        )
    typer.echo(
        _(
            "Đã tạo không gian làm việc tại {dir}. Tiếp theo: sửa units.yaml rồi chạy "
            "“chibo4tot new <mã chi bộ> --month {year}-01”."
        ).format(dir=show_path(directory), year=the_year),
        err=True,
    )


@app.command()
@handled
def new(
    unit: str = typer.Argument(..., metavar=UNIT_METAVAR, help=N_("Mã chi bộ (trong units.yaml).")),
    directory: WorkspaceDir = None,
    month: str | None = typer.Option(
        None,
        "--month",
        metavar=MONTH_METAVAR,
        help=N_("Tháng của hồ sơ: 2024-03, hoặc 3 (tháng 3 năm hiện tại)."),
    ),
    year: int | None = typer.Option(
        None, "--year", metavar=YEAR_METAVAR, help=N_("Tạo hồ sơ cuối năm (year.yaml) cho năm này.")
    ),
    dir_alias: DirAlias = None,
) -> None:
    """Tạo hồ sơ tháng (hoặc cuối năm) đã điền sẵn theo khung tiêu chí; không ghi đè."""
    from chibo4tot.inputs.scaffold import new_record  # frameworks and models: not at start

    if bool(month) == bool(year):
        raise UsageError(_("hãy ghi đúng một trong hai: --month 2024-03 hoặc --year 2024"))
    normalised = None
    if month:
        month_year, number = parse_month(month)
        # "6" alone is June of this year: the record a secretary fills in now.
        normalised = f"{month_year or dt.date.today().year}-{number:02d}"
    path = new_record(workspace_dir(directory, dir_alias), unit, month=normalised, year=year or None)
    typer.echo(show_path(path))
