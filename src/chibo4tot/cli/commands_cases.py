"""``chibo4tot criteria test``: run the test cases that ship beside each framework."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chibo4tot.cli.app import criteria_app, handled
from chibo4tot.cli.commands_criteria import get_framework, optional_root
from chibo4tot.cli.output import print_count, print_problems, safe_text, show_path
from chibo4tot.cli.params import DirAlias, WorkspaceDir
from chibo4tot.errors import ExitCode, InputError, Problem
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.places import shipped_criteria_dir

# Frameworks and their cases are imported where they are used: the command line starts light
# (see chibo4tot.cli).
if TYPE_CHECKING:
    from chibo4tot.inputs.frameworks import LoadedFramework


def _arguments(framework_id: str | None, directory: Path | None) -> tuple[str | None, Path]:
    """``criteria test DIR`` works too: a lone argument that names a folder is the folder."""
    if framework_id is not None and directory is None and Path(framework_id).is_dir():
        return None, Path(framework_id)
    return framework_id, directory or Path(".")


def _run(lf: LoadedFramework, root: Path | None, problems: list[Problem]) -> tuple[int, int, int]:
    """Print one line per case of one framework; returns (passed, failed, unreadable)."""
    from chibo4tot.inputs.cases import CaseLoader, case_files, case_folder
    from chibo4tot.results.cases import render_outcome, run_case

    folder = case_folder(lf.path)
    files = case_files(folder)
    where = _("có sẵn") if lf.shipped else show_path(folder)
    typer.echo(
        safe_text(
            _("Khung {id}: {n} trường hợp ({where})").format(id=lf.framework.id, n=len(files), where=where)
        )
    )
    loader = CaseLoader(lf.framework, problems, within=None if lf.shipped else root)
    passed = failed = unreadable = 0
    for path in files:
        case = loader.load(path)
        if case is None:
            unreadable += 1
            mark = _("lỗi")
            typer.echo(safe_text(f"  {mark:<4}  {path.stem}: " + _("tệp có lỗi, xem thông báo lỗi")))
            continue
        outcome = run_case(lf.framework, case)
        passed, failed = passed + outcome.passed, failed + (not outcome.passed)
        for line in render_outcome(outcome):
            typer.echo(safe_text(line))
    return passed, failed, unreadable


@criteria_app.command("test")
@handled
def test(
    framework_id: str | None = typer.Argument(
        None,
        metavar=N_("MÃ_KHUNG"),
        help=N_("Mã khung tiêu chí (mặc định: mọi khung có trường hợp kiểm thử)."),
    ),
    directory: WorkspaceDir = None,
    dir_alias: DirAlias = None,
) -> None:
    """Chạy các trường hợp kiểm thử của khung tiêu chí (thư mục <khung>.cases bên cạnh tệp khung)."""
    from chibo4tot.inputs.cases import case_files, case_folder, orphan_folders
    from chibo4tot.inputs.loading import load_frameworks
    from chibo4tot.inputs.locate import locate_problems

    fid, folder = _arguments(framework_id, directory or dir_alias)
    root = optional_root(folder)
    problems: list[Problem] = []
    frameworks = load_frameworks(root, problems)
    dirs = [shipped_criteria_dir(), *([root / "criteria"] if root is not None else [])]
    for orphan in orphan_folders(dirs):
        problems.append(
            Problem(
                orphan,
                _(
                    "thư mục trường hợp kiểm thử không đi kèm khung tiêu chí nào: cần tệp {file} bên cạnh"
                ).format(file=orphan.name.removesuffix(".cases") + ".yaml"),
            )
        )
    if fid is not None:
        chosen = [get_framework(frameworks, fid)]
        if not case_files(case_folder(chosen[0].path)):
            raise InputError(
                _("khung “{id}” chưa có trường hợp kiểm thử: hãy tạo các tệp trong thư mục {folder}").format(
                    id=fid, folder=show_path(case_folder(chosen[0].path))
                )
            )
    else:
        chosen = [lf for _fid, lf in sorted(frameworks.items()) if case_files(case_folder(lf.path))]
    passed = failed = unreadable = 0
    for lf in chosen:
        counts = _run(lf, root, problems)
        passed, failed, unreadable = passed + counts[0], failed + counts[1], unreadable + counts[2]
    errors, warnings, files = print_problems(locate_problems(problems))
    print_count(errors, warnings, files)
    if not chosen:
        typer.echo(_("Không có khung tiêu chí nào có trường hợp kiểm thử."))
    else:
        typer.echo(
            _("Kết quả: {total} trường hợp — {passed} đạt, {failed} hỏng, {unreadable} tệp có lỗi.").format(
                total=passed + failed + unreadable, passed=passed, failed=failed, unreadable=unreadable
            )
        )
    if failed or unreadable or errors:
        raise typer.Exit(int(ExitCode.INPUT))
