"""``chibo4tot form`` (Excel entry forms made from the framework), ``import`` (filled forms → records)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from chibo4tot.cli.app import app, handled
from chibo4tot.cli.evaluation import parse_month
from chibo4tot.cli.output import show_path
from chibo4tot.cli.params import MONTH_METAVAR, UNIT_METAVAR, YEAR_METAVAR, WorkspaceDir, workspace_dir
from chibo4tot.errors import UsageError
from chibo4tot.fsio import check_write_targets, write_bytes_atomic, write_text_atomic
from chibo4tot.i18n import N_, _


def month_text(month: str) -> str:
    """``--month`` as ``2024-03``: ``3`` alone is March of this year."""
    month_year, number = parse_month(month)
    return f"{month_year or dt.date.today().year}-{number:02d}"


@app.command()
@handled
def form(
    directory: WorkspaceDir = None,
    month: str | None = typer.Option(
        None, "--month", metavar=MONTH_METAVAR, help=N_("Tháng của biểu: 2024-03, hoặc 3 (tháng 3 năm nay).")
    ),
    year: int | None = typer.Option(
        None,
        "--year",
        metavar=YEAR_METAVAR,
        help=N_("Lập biểu cuối năm (xếp loại, kỷ luật, chỉ tiêu cả năm)."),
    ),
    units: list[str] | None = typer.Option(
        None, "--unit", metavar=UNIT_METAVAR, help=N_("Chỉ lập biểu cho chi bộ này (ghi nhiều lần được).")
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar=N_("TỆP"),
        show_default=False,
        help=N_("Tệp Excel sẽ ghi (mặc định: bieu-mau/bieu-mau-<tháng>.xlsx trong không gian làm việc)."),
    ),
    force: bool = typer.Option(False, "--force", help=N_("Ghi đè tệp biểu mẫu đã có.")),
) -> None:
    """Lập biểu Excel tự đánh giá tháng (hoặc cuối năm) của các chi bộ theo khung tiêu chí, có sẵn số liệu."""
    from chibo4tot.forms.making import form_bytes  # openpyxl and the models: not at start
    from chibo4tot.inputs.places import find_workspace

    if bool(month) == bool(year):
        raise UsageError(_("hãy ghi đúng một trong hai: --month 2024-03 hoặc --year 2024"))
    period = month_text(month) if month else str(year)
    root = find_workspace(workspace_dir(directory, None))
    name = f"bieu-mau-{period}.xlsx" if month else f"bieu-mau-cuoi-nam-{period}.xlsx"
    target = out if out is not None else root / "bieu-mau" / name
    if target.suffix.lower() != ".xlsx":
        raise UsageError(_("--out phải là tệp .xlsx: {path}").format(path=target))
    check_write_targets(target.parent, [target.name])
    if target.exists() and not force:
        raise UsageError(_("{path} đã có; thêm --force để ghi đè").format(path=show_path(target)))
    data = form_bytes(root, period, units or None, dt.date.today())
    write_bytes_atomic(target, data)
    typer.echo(show_path(target))


@app.command(name="import")
@handled
def import_forms(
    file: Path = typer.Argument(..., metavar=N_("TỆP.xlsx"), help=N_("Biểu mẫu Excel đã điền.")),
    directory: WorkspaceDir = None,
    month: str | None = typer.Option(
        None,
        "--month",
        metavar=MONTH_METAVAR,
        help=N_("Chỉ nhận biểu của tháng này (từ chối biểu tháng khác)."),
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help=N_("Chỉ kiểm tra và cho xem thay đổi sẽ ghi; không ghi tệp nào.")
    ),
    force: bool = typer.Option(False, "--force", help=N_("Ghi đè hồ sơ đã có khi số liệu khác.")),
    keep_going: bool = typer.Option(
        False,
        "--keep-going",
        help=N_("Vẫn ghi hồ sơ của các trang tính không có lỗi; liệt kê các trang có lỗi."),
    ),
) -> None:
    """Nhập biểu Excel đã điền thành hồ sơ YAML; báo mọi lỗi theo trang tính và ô, có lỗi thì chưa ghi gì."""
    import difflib

    from chibo4tot.errors import InputError
    from chibo4tot.forms.importing import plan_import
    from chibo4tot.inputs.places import find_workspace

    root = find_workspace(workspace_dir(directory, None))
    plan = plan_import(file, root, month=month_text(month) if month else None, force=force)
    writing = [p for p in plan.planned if p.changed] if not plan.problems or keep_going else []
    for planned in writing:
        check_write_targets(planned.path.parent, [planned.path.name])
    for planned in plan.planned:
        shown = show_path(planned.path)
        if not planned.changed:
            typer.echo(
                _("không thay đổi: {path} ({sheet})").format(path=shown, sheet=planned.sheet), err=True
            )
        elif dry_run:
            diff = difflib.unified_diff(
                (planned.old or "").splitlines(keepends=True),
                planned.text.splitlines(keepends=True),
                fromfile=shown if planned.old is not None else "/dev/null",
                tofile=shown,
            )
            typer.echo("".join(diff), nl=False)
    for name in plan.blank:
        typer.echo(_("bỏ qua trang tính chưa điền: {sheet}").format(sheet=name), err=True)
    if not dry_run:
        for planned in writing:
            write_text_atomic(planned.path, planned.text)
            typer.echo(show_path(planned.path))
    if plan.problems:
        if keep_going and plan.refused:
            names = ", ".join(plan.refused)
            typer.echo(_("Các trang tính có lỗi, chưa nhập: {names}").format(names=names), err=True)
        message = (
            _("biểu mẫu có lỗi; chưa ghi hồ sơ nào")
            if not writing or dry_run
            else _("đã ghi {n} hồ sơ; các trang tính có lỗi chưa được nhập").format(n=len(writing))
        )
        raise InputError(message, plan.problems)
