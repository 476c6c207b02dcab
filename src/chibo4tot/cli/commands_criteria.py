"""``chibo4tot criteria list|show|diff|schema``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from chibo4tot.cli.app import criteria_app, handled
from chibo4tot.cli.output import print_count, print_problems, safe_text, show_path, text_console
from chibo4tot.cli.params import DirAlias, WorkspaceDir, workspace_dir
from chibo4tot.errors import ChiboError, ExitCode, Problem, UsageError
from chibo4tot.fsio import check_write_targets, write_text_atomic
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.frameworks import LoadedFramework
from chibo4tot.inputs.fwdiff import diff_frameworks
from chibo4tot.inputs.gitrev import framework_at, shipped_note
from chibo4tot.inputs.loading import WORKSPACE_FILE, find_workspace, load_frameworks
from chibo4tot.inputs.schema import render_schemas
from chibo4tot.models.framework import Framework
from chibo4tot.models.types import UNIT_KIND_LABELS


def _optional_root(directory: Path) -> Path | None:
    start = directory.resolve()
    for folder in (start, *start.parents):
        if (folder / WORKSPACE_FILE).is_file():
            return folder
    return None


def _frameworks(directory: Path) -> dict[str, LoadedFramework]:
    problems: list[Problem] = []
    frameworks = load_frameworks(_optional_root(directory), problems)
    from chibo4tot.inputs.locate import locate_problems

    located = locate_problems(problems)
    errors, warnings, files = print_problems(located)
    print_count(errors, warnings, files)
    return frameworks


def _get(frameworks: dict[str, LoadedFramework], fid: str) -> LoadedFramework:
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


def _add(node: Tree, label: str) -> Tree:
    """A branch of ``criteria show``: every label carries the framework's own text."""
    return node.add(safe_text(label))


@criteria_app.command("show")
@handled
def show(
    framework_id: str = typer.Argument(..., metavar=N_("MÃ_KHUNG"), help=N_("Mã khung tiêu chí.")),
    directory: WorkspaceDir = None,
    dir_alias: DirAlias = None,
) -> None:
    """Hiện toàn bộ một khung tiêu chí (đã gộp phần kế thừa)."""
    fw = _get(_frameworks(workspace_dir(directory, dir_alias)), framework_id).framework
    tree = Tree(Text.assemble((safe_text(fw.title), "bold"), safe_text(f" ({fw.id}) — {fw.issuer}")))
    _add(tree, _("Căn cứ: {docs}").format(docs="; ".join(f"{d.number} {d.title}" for d in fw.documents)))
    _add(
        tree,
        _("Áp dụng: năm {years}; {kinds}").format(
            years=", ".join(map(str, fw.years)),
            kinds=", ".join(_(UNIT_KIND_LABELS[k]) for k in fw.applies_to),
        ),
    )
    for criterion in fw.criteria:
        branch = _add(
            tree,
            _("Tiêu chí {id}. {name} — tối đa {max}, tối thiểu {min}").format(
                id=criterion.id,
                name=criterion.name,
                max=criterion.max_points,
                min=criterion.min_points if criterion.min_points is not None else "—",
            ),
        )
        for ind in criterion.indicators:
            _add(branch, f"{ind.id}. {ind.name} [{ind.kind}, {ind.period}, {ind.points}]")
    for gate in fw.gates:
        _add(tree, _("Điều kiện loại trừ {id}: {reason}").format(id=gate.id, reason=gate.reason))
    _add(
        tree,
        _("Công nhận “{title}”: tổng điểm từ {min} trở lên").format(
            title=fw.recognition.title, min=fw.recognition.min_total
        ),
    )
    # Labels wrap at the terminal's width; soft wrap would crop them at 80 columns in a pipe.
    # No markup: "[pass_fail, month, 10]" and the user's names are text, not styles.
    text_console(highlight=False).print(tree)


def _then_and_now(
    directory: Path, frameworks: dict[str, LoadedFramework], fid: str, other: str, rev: str
) -> tuple[Framework, Framework]:
    """Framework ``fid`` at git revision ``rev``, and as it is now."""
    if other:
        raise UsageError(
            _("với --rev chỉ nêu một mã khung: khung đó ở phiên bản {rev} được so với hiện tại").format(
                rev=rev
            )
        )
    now = _get(frameworks, fid)
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
    dir_alias: DirAlias = None,
) -> None:
    """So sánh hai khung tiêu chí: chỉ tiêu thêm, bỏ, ngưỡng thay đổi."""
    if new_id is not None and directory is None and dir_alias is None and Path(new_id).is_dir():
        directory = Path(new_id)  # `criteria diff ID DIR`: a folder, not a framework
        new_id = None
    folder = workspace_dir(directory, dir_alias)
    frameworks = _frameworks(folder)
    if rev is not None:
        changes = diff_frameworks(*_then_and_now(folder, frameworks, old_id, new_id or "", rev))
        old_id, new_id = f"{rev}:{old_id}", _("{id} (hiện tại)").format(id=old_id)
    elif not new_id:
        child = _get(frameworks, old_id).framework
        if child.extends is None:
            raise UsageError(
                _("khung “{id}” không kế thừa khung nào; hãy nêu hai mã để so sánh").format(id=old_id)
            )
        old_id, new_id = child.extends, old_id
    if rev is None:
        changes = diff_frameworks(_get(frameworks, old_id).framework, _get(frameworks, new_id).framework)
    typer.echo(
        safe_text(_("So sánh {old} → {new}: {n} thay đổi").format(old=old_id, new=new_id, n=len(changes)))
    )
    for change in changes:
        typer.echo(safe_text(change.render()))


@criteria_app.command("schema")
@handled
def schema(
    out: Path = typer.Option(
        Path("schemas"), "--out", metavar=N_("THƯ_MỤC"), help=N_("Thư mục ghi các tệp JSON Schema.")
    ),
    check: bool = typer.Option(False, "--check", help=N_("Chỉ kiểm tra các tệp đã có còn khớp không.")),
) -> None:
    """Xuất JSON Schema sinh từ mô hình, để trình soạn thảo gợi ý và kiểm tra."""
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
