"""``chibo4tot criteria impact``: which cells change result under a framework as it was at a git revision."""

from __future__ import annotations

import json
import re
from pathlib import Path

import typer

from chibo4tot.cli.app import criteria_app, handled
from chibo4tot.cli.evaluation import plan_year, score_plan, show_input_problems
from chibo4tot.cli.output import safe_json, safe_text
from chibo4tot.cli.params import AsOfMonth, DirAlias, ScoreYear, WorkspaceDir
from chibo4tot.errors import ExitCode, UsageError
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.places import WORKSPACE_FILE

FORMATS = ("text", "json")


def id_and_folder(first: str | None, second: Path | None) -> tuple[str | None, Path]:
    """``[ID] [DIR]`` with both optional: a lone argument is the folder when it cannot be a framework
    id, or when it is a workspace folder; otherwise it is the id."""
    from chibo4tot.models.types import ID_PATTERN  # with pydantic: loaded only when it is asked

    if second is not None or first is None:
        return first, second or Path(".")
    if not re.match(ID_PATTERN, first) or (Path(first) / WORKSPACE_FILE).is_file():
        return None, Path(first)
    return first, Path(".")


@criteria_app.command("impact")
@handled
def impact(
    first: str | None = typer.Argument(
        None,
        metavar=N_("MÃ_KHUNG"),
        help=N_("Mã khung tiêu chí (mặc định: các khung không gian làm việc dùng để chấm năm đó)."),
    ),
    second: WorkspaceDir = None,
    rev: str = typer.Option(
        ...,
        "--rev",
        metavar=N_("PHIÊN_BẢN"),
        help=N_("Phiên bản git để so sánh: nhánh, thẻ hay commit (ví dụ main, HEAD~1)."),
    ),
    year: ScoreYear = None,
    month: AsOfMonth = None,
    fmt: str = typer.Option(
        "text", "--format", metavar="text|json", help=N_("Định dạng: text (văn bản) hoặc json.")
    ),
    keep_going: bool = typer.Option(
        False, "--keep-going", help=N_("Vẫn so sánh các chi bộ có hồ sơ hợp lệ khi có lỗi ở tệp khác.")
    ),
    dir_alias: DirAlias = None,
) -> None:
    """Chấm lại theo khung tiêu chí ở một phiên bản git, liệt kê chi bộ đổi điểm, xếp loại hay kết quả."""
    if fmt not in FORMATS:
        raise UsageError(_("--format phải là một trong: {formats}").format(formats=", ".join(FORMATS)))
    # Git revisions and the comparison of results: imported here, the command line starts light.
    from chibo4tot.inputs.gitrev import shipped_note, workspace_then
    from chibo4tot.results.impact import compare_results, impact_json, render_impact
    from chibo4tot.results.views import problem_json

    fid, directory = id_and_folder(first, second or dir_alias)
    plan = plan_year(directory, year, month)
    then = workspace_then(plan.workspace, plan.year, rev, fid)
    now = score_plan(plan)  # records and units as they are now, on both sides
    before = score_plan(plan, then.workspace)
    show = show_input_problems(now, keep_going)
    if then.shipped:
        typer.echo(safe_text(shipped_note(", ".join(then.frameworks), rev)), err=True)
    found = compare_results(before.results, now.results)
    if show:
        if fmt == "json":
            data = {
                "revision": rev,
                "commit": then.revision.commit,
                "frameworks": then.frameworks,
                **impact_json(found),
                "problems": [problem_json(p, plan.workspace.root) for p in now.problems.sorted()],
            }
            typer.echo(safe_json(json.dumps(data, ensure_ascii=False, indent=2)))
        else:
            title = _(
                "Ảnh hưởng của khung tiêu chí {ids} ở phiên bản {rev} so với hiện tại, năm {year}"
            ).format(ids=", ".join(then.frameworks), rev=rev, year=plan.year)
            if plan.as_of < 12:
                title += " " + _("(tính đến hết tháng {m})").format(m=plan.as_of)
            for line in [title, *render_impact(found)]:
                typer.echo(safe_text(line))
    if now.problems.errors:
        raise typer.Exit(int(ExitCode.INPUT))
