"""``chibo4tot criteria list|show|diff|schema`` (``impact`` and ``test`` have their own modules)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chibo4tot.cli.app import criteria_app, handled
from chibo4tot.cli.commands_report import parse_date
from chibo4tot.cli.criteria_view import (
    check_document_target,
    parse_format,
    print_diff,
    print_terms,
    render_document,
    terms_of,
    workspace_config,
    write_document,
)
from chibo4tot.cli.output import print_count, print_problems, safe_text, show_path, text_console
from chibo4tot.cli.params import DirAlias, WorkspaceDir, workspace_dir
from chibo4tot.errors import ChiboError, ExitCode, Problem, UsageError
from chibo4tot.fsio import check_write_targets, write_text_atomic
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.places import WORKSPACE_FILE, find_workspace

# Frameworks, git revisions and schemas are imported where they are used: the command line
# starts light (see chibo4tot.cli).
if TYPE_CHECKING:
    from chibo4tot.inputs.frameworks import LoadedFramework
    from chibo4tot.models.framework import Framework


def optional_root(directory: Path) -> Path | None:
    start = directory.resolve()
    for folder in (start, *start.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder
    return None


def _frameworks(directory: Path) -> dict[str, LoadedFramework]:
    from chibo4tot.inputs.loading import load_frameworks
    from chibo4tot.inputs.locate import locate_problems

    problems: list[Problem] = []
    frameworks = load_frameworks(optional_root(directory), problems)
    located = locate_problems(problems)
    errors, warnings, files = print_problems(located)
    print_count(errors, warnings, files)
    return frameworks


def get_framework(frameworks: dict[str, LoadedFramework], fid: str) -> LoadedFramework:
    if fid not in frameworks:
        known = ", ".join(sorted(frameworks)) or "—"
        raise UsageError(
            _("không có khung tiêu chí “{id}”; các khung hiện có: {known}").format(id=fid, known=known)
        )
    return frameworks[fid]


@criteria_app.command("list")
@handled
def list_(directory: WorkspaceDir = None, dir_alias: DirAlias = None) -> None:
    """Liệt kê các khung tiêu chí có sẵn và của không gian làm việc."""
    from rich.table import Table

    frameworks = _frameworks(workspace_dir(directory, dir_alias))
    table = Table(title=_("Khung tiêu chí"), show_lines=False)
    table.add_column(_("Mã"), no_wrap=True)  # an id is typed back in full: never cut or folded
    for header in (_("Tên"), _("Năm"), _("Kế thừa"), _("Nguồn")):
        table.add_column(header)
    for fid, lf in sorted(frameworks.items()):
        fw = lf.framework
        cells = (
            fid,
            fw.title,
            ", ".join(map(str, fw.years)),
            fw.extends or "",
            _("có sẵn") if lf.shipped else show_path(lf.path),
        )
        table.add_row(*map(safe_text, cells))
    text_console(soft_wrap=True).print(table)  # titles are the user's text, not markup


@criteria_app.command("show")
@handled
def show(
    framework_id: str = typer.Argument(..., metavar=N_("MÃ_KHUNG"), help=N_("Mã khung tiêu chí.")),
    directory: WorkspaceDir = None,
    fmt: str = typer.Option(
        "text",
        "--format",
        metavar="text|md|docx",
        help=N_("text (xem trên màn hình), md hoặc docx (văn bản “Bộ tiêu chí”)."),
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar=N_("TỆP"),
        help=N_("Tệp ghi văn bản (mặc định: md in ra màn hình, docx ghi bo-tieu-chi-<MÃ_KHUNG>.docx)."),
    ),
    date: str | None = typer.Option(
        None,
        "--date",
        metavar=N_("NGÀY"),
        help=N_("Ngày ghi ở đầu văn bản, ví dụ 2025-01-15 (mặc định: hôm nay)."),
    ),
    force: bool = typer.Option(False, "--force", help=N_("Ghi đè tệp đã có.")),
    dir_alias: DirAlias = None,
) -> None:
    """Hiện toàn bộ một khung tiêu chí (đã gộp phần kế thừa), hoặc ghi văn bản “Bộ tiêu chí”.

    Văn bản md/docx có phần đầu (cấp ủy, ngày tháng) lấy từ chibo4tot.yaml khi chạy trong một
    không gian làm việc; ngoài không gian làm việc thì bắt đầu từ tên văn bản.
    """
    kind = parse_format(fmt)
    if kind == "text" and out is not None:
        raise UsageError(_("--out chỉ dùng với --format md hoặc docx"))
    directory = workspace_dir(directory, dir_alias)
    frameworks = _frameworks(directory)
    loaded = get_framework(frameworks, framework_id)
    terms, parent = terms_of(frameworks, framework_id)
    if kind == "text":
        print_terms(terms, parent)
        return
    day = parse_date(date, dt.date.today())  # the CLI reads the clock; documents get the date
    config = workspace_config(optional_root(directory))
    target = out if out is not None or kind == "md" else Path(f"bo-tieu-chi-{framework_id}.docx")
    if target is not None:
        check_document_target(target, loaded.chain, force)  # before the rendering
    data = render_document(terms, kind, config, day)
    if target is None:
        typer.echo(safe_text(data.decode("utf-8")), nl=False)
        return
    write_document(data, target, force)


def _then_and_now(
    directory: Path, frameworks: dict[str, LoadedFramework], fid: str, other: str, rev: str
) -> tuple[Framework, Framework]:
    """Framework ``fid`` at git revision ``rev``, and as it is now."""
    from chibo4tot.inputs.gitrev import framework_at, shipped_note

    if other:
        raise UsageError(
            _("với --rev chỉ nêu một mã khung: khung đó ở phiên bản {rev} được so với hiện tại").format(
                rev=rev
            )
        )
    now = get_framework(frameworks, fid)
    then, _revision = framework_at(find_workspace(directory), rev, fid)
    if then.shipped and now.shipped:
        typer.echo(safe_text(shipped_note(fid, rev)), err=True)
    return then.framework, now.framework


@criteria_app.command("diff")
@handled
def diff(
    old_id: str = typer.Argument(
        ..., metavar=N_("KHUNG_CŨ"), help=N_("Khung gốc (hoặc khung cần so với khung cấp trên).")
    ),
    new_id: str | None = typer.Argument(
        None, metavar=N_("KHUNG_MỚI"), help=N_("Khung so sánh; bỏ trống để so với khung cấp trên.")
    ),
    directory: WorkspaceDir = None,
    rev: str | None = typer.Option(
        None,
        "--rev",
        metavar=N_("PHIÊN_BẢN"),
        help=N_("So sánh khung ở một phiên bản git (nhánh, thẻ, commit) với bản hiện tại."),
    ),
    fmt: str = typer.Option(
        "text", "--format", metavar="text|md", help=N_("text, hoặc md (bảng để dán vào yêu cầu hợp nhất).")
    ),
    dir_alias: DirAlias = None,
) -> None:
    """So sánh hai khung tiêu chí: mọi số, chữ, quy tắc thay đổi, viết như khi đọc khung."""
    if new_id is not None and directory is None and dir_alias is None and Path(new_id).is_dir():
        directory = Path(new_id)  # `criteria diff ID DIR`: a folder, not a framework
        new_id = None
    folder = workspace_dir(directory, dir_alias)
    frameworks = _frameworks(folder)
    if rev is not None:
        then, now = _then_and_now(folder, frameworks, old_id, new_id or "", rev)
        labels = (f"{rev}:{old_id}", _("{id} (hiện tại)").format(id=old_id))
        print_diff(then, now, fmt, labels)
        return
    if not new_id:
        child = get_framework(frameworks, old_id).framework
        if child.extends is None:
            raise UsageError(
                _("khung “{id}” không kế thừa khung nào; hãy nêu hai mã để so sánh").format(id=old_id)
            )
        old_id, new_id = child.extends, old_id
    print_diff(get_framework(frameworks, old_id).framework, get_framework(frameworks, new_id).framework, fmt)


@criteria_app.command("schema")
@handled
def schema(
    out: Path = typer.Option(
        Path("schemas"), "--out", metavar=N_("THƯ_MỤC"), help=N_("Thư mục ghi các tệp JSON Schema.")
    ),
    check: bool = typer.Option(False, "--check", help=N_("Chỉ kiểm tra các tệp đã có còn khớp không.")),
) -> None:
    """Xuất JSON Schema sinh từ mô hình, để trình soạn thảo gợi ý và kiểm tra."""
    from chibo4tot.inputs.schema import render_schemas

    stale = []
    schemas = render_schemas()
    if not check:
        check_write_targets(out, list(schemas))
    for name, text in schemas.items():
        target = out / name
        if check:
            if not target.is_file() or target.read_text(encoding="utf-8") != text:
                stale.append(target)
            continue
        write_text_atomic(target, text)
        typer.echo(show_path(target))
    if stale:
        raise ChiboError(
            _("JSON Schema đã cũ, hãy chạy “make schema”: {files}").format(
                files=", ".join(show_path(p) for p in stale)
            )
        )
    if check:
        raise typer.Exit(int(ExitCode.OK))
