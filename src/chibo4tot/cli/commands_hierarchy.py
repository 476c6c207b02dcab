"""``export``, ``rollup`` and ``verify``: results travel up the hierarchy, and documents can be checked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chibo4tot.cli.app import app, handled
from chibo4tot.cli.evaluation import load_and_score, show_input_problems, show_problems
from chibo4tot.cli.output import show_path
from chibo4tot.cli.params import (
    YEAR_METAVAR,
    DirAlias,
    NoCache,
    ReportDate,
    ReportForce,
    ReportFormats,
    ScoreYear,
    WorkspaceDir,
    workspace_dir,
)
from chibo4tot.errors import ExitCode, InputError, Problem, UsageError
from chibo4tot.fsio import check_write_targets, write_text_atomic
from chibo4tot.i18n import N_, _, current_language, set_language

if TYPE_CHECKING:  # read where used: a command that reads no export loads none of it
    from chibo4tot.results.history import ReadExport


def export_text(doc: object) -> str:
    """An export as written: readable JSON (the fingerprint is over the canonical form, not this)."""
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


@app.command()
@handled
def export(
    directory: WorkspaceDir = None,
    year: ScoreYear = None,
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar=N_("TỆP"),
        show_default=False,
        help=N_("Tệp kết quả (mặc định: bao-cao/ket-qua-<mã đảng bộ>-<năm>.json trong không gian làm việc)."),
    ),
    force: bool = typer.Option(False, "--force", help=N_("Ghi đè tệp đã có.")),
    allow_incomplete: bool = typer.Option(
        False,
        "--allow-incomplete",
        help=N_("Vẫn xuất khi hồ sơ chưa đầy đủ; tệp ghi số thiếu sót."),
    ),
    no_cache: NoCache = False,
    dir_alias: DirAlias = None,
) -> None:
    """Xuất kết quả chấm (không có tên người) kèm dấu vân tay, để gửi cấp trên tổng hợp."""
    from chibo4tot.results.evaluate import export_document

    ev = load_and_score(workspace_dir(directory, dir_alias), year, None, document=True, cache=not no_cache)
    if not show_input_problems(ev, False):
        raise typer.Exit(int(ExitCode.INPUT))
    if ev.gaps and not allow_incomplete:
        raise InputError(
            _(
                "chưa xuất kết quả: hồ sơ còn {n} thiếu sót (cảnh báo ở trên); hãy bổ sung rồi chạy lại, "
                "hoặc thêm --allow-incomplete để xuất kèm số thiếu sót"
            ).format(n=len(set(ev.gaps)))
        )
    doc = export_document(ev)
    root = ev.workspace.root
    name = f"ket-qua-{doc['dang_bo']['id']}-{doc['year']}.json"
    target = out if out is not None else root / "bao-cao" / name
    check_write_targets(target.parent, [target.name])
    if target.exists() and not force:
        raise UsageError(_("đã có tệp {path}; thêm --force để ghi đè").format(path=show_path(target)))
    typer.echo(show_path(write_text_atomic(target, export_text(doc))))


def _read_exports(paths: list[Path], problems: list[Problem]) -> list[ReadExport]:
    """Each export read, or why not (added to ``problems``); a path that is no file is a usage error."""
    from chibo4tot.hierarchy.exports import read_export

    found = []
    for path in paths:
        if not path.is_file():
            raise UsageError(_("không có tệp {path}").format(path=path))
        try:
            found.append(read_export(path))
        except InputError as exc:
            problems += exc.problems or [Problem(path, exc.message)]
    return found


@app.command()
@handled
def rollup(
    exports: list[Path] = typer.Argument(
        ..., metavar=N_("TỆP_KẾT_QUẢ…"), help=N_("Các tệp kết quả do các đảng bộ xuất (chibo4tot export).")
    ),
    year: int | None = typer.Option(
        None, "--year", metavar=YEAR_METAVAR, help=N_("Năm tổng hợp (mặc định: năm của các tệp kết quả).")
    ),
    out: Path = typer.Option(
        Path("tong-hop"), "--out", metavar=N_("THƯ_MỤC"), help=N_("Thư mục ghi báo cáo tổng hợp.")
    ),
    previous: list[Path] | None = typer.Option(
        None,
        "--previous",
        metavar=N_("TỆP"),
        show_default=False,
        help=N_(
            "Tệp kết quả năm trước của các đảng bộ (chibo4tot export), để so sánh tỉ lệ công nhận "
            "với năm trước; nhắc lại cho mỗi tệp."
        ),
    ),
    header: Path | None = typer.Option(
        None,
        "--header",
        metavar=N_("TỆP"),
        show_default=False,
        help=N_(
            "Tệp chibo4tot.yaml của cấp tổng hợp (tên, cấp trên, cơ quan ban hành, người ký, nơi nhận); "
            "mặc định: lấy tên cấp trên ghi trong các tệp kết quả."
        ),
    ),
    fmt: ReportFormats = "xlsx,md,docx",
    date: ReportDate = None,
    force: ReportForce = False,
    allow_incomplete: bool = typer.Option(
        False,
        "--allow-incomplete",
        help=N_(
            "Vẫn tổng hợp khi có tệp kết quả lập từ hồ sơ chưa đầy đủ hoặc đảng bộ chưa gửi; "
            "báo cáo ghi rõ từng thiếu sót."
        ),
    ),
) -> None:
    """Tổng hợp kết quả của nhiều đảng bộ: bảng tính, báo cáo và tệp kết quả của cấp trên."""
    from chibo4tot.cli.commands_report import (
        _renderers,
        parse_date,
        parse_formats,
        refuse_existing,
        write_all,
    )
    from chibo4tot.hierarchy.rollup import build_rollup, check_exports, default_district, rollup_gaps
    from chibo4tot.inputs.locate import locate_problems, parse_model
    from chibo4tot.models.workspace import UnitsFile, WorkspaceConfig
    from chibo4tot.report.context import ReportContext
    from chibo4tot.results.evaluate import NotScored
    from chibo4tot.results.export import build_export, seal_of

    formats = parse_formats(fmt)
    report_date = parse_date(date, dt.date.today())  # the CLI reads the clock; reports get the date
    problems: list[Problem] = []
    found, before = _read_exports(exports, problems), _read_exports(previous or [], problems)
    if problems:
        raise InputError(_("không tổng hợp được: các tệp kết quả có vấn đề (xem ở trên)"), problems)
    check_exports(found, year)
    if before:  # last year's: checked as this year's are, all of the year before
        check_exports(before, found[0].export.year - 1)
    district, root, listed, units_path = default_district(found), None, None, None
    if header is not None:
        header_problems: list[Problem] = []
        given = parse_model(header, WorkspaceConfig, header_problems)
        root, units_path = header.parent, header.parent / "units.yaml"
        listed = parse_model(units_path, UnitsFile, header_problems) if units_path.is_file() else None
        if given is None or header_problems:
            message = _("không đọc được tệp {path}").format(path=header)
            raise InputError(message, locate_problems(header_problems))
        district = given
    gaps = locate_problems(rollup_gaps(found, listed, units_path))
    if gaps and not allow_incomplete:
        show_problems(gaps)
        raise InputError(
            _(
                "chưa lập báo cáo tổng hợp: còn {n} thiếu sót (cảnh báo ở trên); thêm --allow-incomplete để "
                "lập báo cáo có ghi rõ từng thiếu sót"
            ).format(n=len(gaps))
        )
    rolled = build_rollup(found, district, before)
    doc = build_export(rolled.results, district, rolled.frameworks, rolled.not_scored, rolled.gaps)
    ctx = ReportContext(
        rolled.results,
        district,
        report_date,
        gaps=gaps,
        not_scored=[NotScored(i, name, why) for i, name, why in rolled.not_scored],
        root=root,
        seal=seal_of(doc),
        other_names=rolled.dang_bo,
    )
    jobs = _renderers(ctx, formats, None)
    jobs.append((f"ket-qua-{district.id}-{doc['year']}.json", lambda: export_text(doc).encode("utf-8")))
    refuse_existing(out, [name for name, _render in jobs], force)
    write_all(out, lambda: [(name, render()) for name, render in jobs], force)


@app.command()
@handled
def verify(
    file: Path = typer.Argument(
        ..., metavar=N_("TỆP"), help=N_("Báo cáo (.xlsx, .docx, .md) hoặc tệp kết quả xuất (.json).")
    ),
    directory: WorkspaceDir = None,
    no_cache: NoCache = False,
    dir_alias: DirAlias = None,
) -> None:
    """Kiểm tra một báo cáo hoặc tệp kết quả còn khớp với hồ sơ không; nêu các chi bộ đã thay đổi."""
    from chibo4tot.hierarchy.verify import differences, mismatch_message, seal_of_file
    from chibo4tot.results.evaluate import export_document
    from chibo4tot.results.export import previous_digest

    if not file.is_file():
        raise UsageError(_("không có tệp {path}").format(path=file))
    seal, names = seal_of_file(file)
    if file.suffix.lower() == ".json" and directory is None and dir_alias is None:
        typer.echo(
            _("{file}: nội dung khớp với dấu vân tay ghi trong tệp ({fingerprint})").format(
                file=file.name, fingerprint=seal.fingerprint
            )
        )
        return
    month = f"{seal.year}-{seal.as_of:02d}" if 1 <= seal.as_of <= 12 else None
    shown_in = current_language()
    set_language(seal.language)  # the reasons are scored in the language the document was made in
    try:
        ev = load_and_score(
            workspace_dir(directory, dir_alias), seal.year, month, document=True, cache=not no_cache
        )
        now = export_document(ev)
    finally:
        set_language(shown_in)
    show_problems(ev.problems.errors)  # the gaps are part of the fingerprint, not a reason to stop
    diff = differences(seal, now)
    # A report carries apart what it prints of last year (an export has none of it)
    stale = bool(seal.previous) and seal.previous != previous_digest(ev.results)
    if diff is None and not stale:
        typer.echo(
            _("{file}: khớp với hồ sơ hiện tại (năm {year}, dấu vân tay {fingerprint})").format(
                file=file.name, year=seal.year, fingerprint=seal.fingerprint
            )
        )
        return
    names = {**names, **{u["id"]: u["name"] for u in now["units"]}}
    raise InputError(mismatch_message(file, diff, names, seal.year - 1 if stale else None))
