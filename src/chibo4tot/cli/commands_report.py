"""``chibo4tot report``: the year-end workbook and written reports, all rendered, then written atomically."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from chibo4tot import progress
from chibo4tot.cachestore import BUILD, Store, digest
from chibo4tot.cli.app import app, handled
from chibo4tot.cli.evaluation import load_and_score, show_input_problems
from chibo4tot.cli.output import show_path
from chibo4tot.cli.params import (
    YEAR_METAVAR,
    DirAlias,
    NoCache,
    ReportDate,
    ReportForce,
    ReportFormats,
    WorkspaceDir,
    workspace_dir,
)
from chibo4tot.errors import ExitCode, InputError, UsageError
from chibo4tot.fsio import check_write_targets
from chibo4tot.fsio_set import ExistingFiles, SetLeftMixed, WrittenThenInterrupted, write_set_atomic
from chibo4tot.i18n import N_, _, current_language
from chibo4tot.inputs import snapshot
from chibo4tot.inputs.record_file import direct

# Loading, results and reports are imported where they are used: the command line starts light.
if TYPE_CHECKING:
    from chibo4tot.report.context import ReportContext
    from chibo4tot.results.evaluate import Evaluation

FORMATS = ("xlsx", "md", "docx")


def parse_date(text: str | None, today: dt.date) -> dt.date:
    # The accepted report dates: a year-end report is dated in the years this tool can score, and
    # xlsx and docx are zip files whose entry timestamps only hold 1980–2107 (1970 and 2200 used
    # to crash the writers). 2000–2100 covers every real report with room to spare.
    first, last = dt.date(2000, 1, 1), dt.date(2100, 12, 31)
    if not text:
        return today
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text.strip(), pattern).date()
        except ValueError:
            continue
        if not first <= day <= last:
            raise UsageError(
                _("--date “{value}” nằm ngoài khoảng cho phép: từ năm {first} đến năm {last}").format(
                    value=text, first=first.year, last=last.year
                )
            )
        return day
    raise UsageError(
        _("--date “{value}” không phải là ngày (ví dụ: 2025-01-15 hoặc 15/01/2025)").format(value=text)
    )


def parse_formats(text: str) -> list[str]:
    wanted = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [w for w in wanted if w not in FORMATS]
    if unknown or not wanted:
        raise UsageError(_("--format chỉ nhận: {formats}").format(formats=", ".join(FORMATS)))
    return [f for f in FORMATS if f in wanted]


def _renderers(
    ctx: ReportContext, formats: list[str], templates: Path | None
) -> list[tuple[str, Callable[[], bytes]]]:
    """(file name, render) for each output; rendering is deferred so nothing is written on a failure."""
    year = ctx.year
    out: list[tuple[str, Callable[[], bytes]]] = []
    if "xlsx" in formats:
        from chibo4tot.report.xlsx import render_xlsx

        out.append((f"chi-bo-4-tot-{year}.xlsx", lambda: render_xlsx(ctx)))
    if "md" in formats:
        from chibo4tot.report.markdown import render_markdown

        template_dir = templates if templates is not None and templates.is_dir() else None
        out.append(
            (f"bao-cao-chi-bo-4-tot-{year}.md", lambda: render_markdown(ctx, template_dir).encode("utf-8"))
        )
    if "docx" in formats:
        from chibo4tot.report.word import render_docx, render_recognition_list_docx

        out.append((f"bao-cao-chi-bo-4-tot-{year}.docx", lambda: render_docx(ctx)))
        out.append((f"danh-sach-cong-nhan-{year}.docx", lambda: render_recognition_list_docx(ctx)))
    return out


@app.command()
@handled
def report(
    directory: WorkspaceDir = None,
    year: int | None = typer.Option(
        None, "--year", metavar=YEAR_METAVAR, help=N_("Năm báo cáo (mặc định: năm gần nhất có hồ sơ).")
    ),
    out: Path | None = typer.Option(
        None,
        "--out",
        metavar=N_("THƯ_MỤC"),
        show_default=False,
        help=N_("Thư mục ghi báo cáo (mặc định: bao-cao trong không gian làm việc)."),
    ),
    fmt: ReportFormats = "xlsx,md,docx",
    date: ReportDate = None,
    force: ReportForce = False,
    keep_going: bool = typer.Option(
        False, "--keep-going", help=N_("Vẫn lập báo cáo khi có hồ sơ lỗi (các chi bộ đó không được chấm).")
    ),
    allow_incomplete: bool = typer.Option(
        False,
        "--allow-incomplete",
        help=N_("Vẫn lập báo cáo khi hồ sơ chưa đầy đủ; báo cáo ghi rõ từng thiếu sót."),
    ),
    no_cache: NoCache = False,
    dir_alias: DirAlias = None,
) -> None:
    """Lập báo cáo cuối năm: bảng tính Excel, báo cáo Markdown và Word, danh sách công nhận."""
    from chibo4tot.inputs.loading import NotKept
    from chibo4tot.report.context import build_context

    formats = parse_formats(fmt)
    report_date = parse_date(date, dt.date.today())  # the CLI reads the clock; reports get the date
    ev = load_and_score(
        workspace_dir(directory, dir_alias), year, None, today=report_date, document=True, cache=not no_cache
    )
    if not show_input_problems(ev, keep_going):
        raise typer.Exit(int(ExitCode.INPUT))
    if ev.gaps and not allow_incomplete:
        raise InputError(
            _(
                "chưa lập báo cáo: hồ sơ còn {n} thiếu sót (cảnh báo ở trên); hãy bổ sung rồi chạy lại, "
                "hoặc thêm --allow-incomplete để lập báo cáo có ghi rõ từng thiếu sót"
            ).format(n=len(ev.gaps))
        )
    # The records are not read by any report: let them go before the workbook, the largest part,
    # is built (at 5,000 cells they and the workbook would otherwise be in memory together).
    ev.workspace.records = NotKept()
    ev.workspace.derive = direct  # it held the per-file memo, and through it every record
    root = ev.workspace.root
    target = out if out is not None else root / "bao-cao"
    templates = root / "templates"
    outputs = _OutputCache(ev, formats, report_date, templates, enabled=not no_cache)
    rendered = outputs.load()
    jobs = [] if rendered is not None else _renderers(build_context(ev, report_date), formats, templates)
    names = [name for name, _data in rendered] if rendered is not None else [name for name, _r in jobs]
    refuse_existing(target, names, force)  # before the slow rendering

    def render() -> list[tuple[str, bytes]]:
        done = render_all(jobs)
        outputs.save(done)
        return done

    write_all(target, rendered if rendered is not None else render, force)
    if ev.problems.errors:
        raise typer.Exit(int(ExitCode.INPUT))


def refuse_existing(target: Path, names: list[str], force: bool) -> None:
    """A usage error, before anything is rendered, when the files cannot or may not be written."""
    check_write_targets(target, names)
    existing = [target / name for name in names if (target / name).exists()]
    if existing and not force:
        listed = ", ".join(show_path(p) for p in existing)
        raise UsageError(_("đã có tệp báo cáo: {names}; thêm --force để ghi đè").format(names=listed))


def render_all(jobs: list[tuple[str, Callable[[], bytes]]]) -> list[tuple[str, bytes]]:
    rendered = []
    with _frozen():
        for number, (name, render) in enumerate(jobs, start=1):
            label = _("Đang lập tệp {n}/{total}: {name}").format(n=number, total=len(jobs), name=name)
            with progress.step(label):
                rendered.append((name, _render_one(render)))
    return rendered


def write_all(
    target: Path, rendered: list[tuple[str, bytes]] | Callable[[], list[tuple[str, bytes]]], force: bool
) -> None:
    """Render (when given the renderer), then write every file as one set and print their paths."""
    written: list[Path] = []
    try:
        files = rendered() if callable(rendered) else rendered
        # All rendered before any is written, and written as one set: a failure or Ctrl-C leaves
        # the folder as it was, never a new workbook beside last run's Word files.
        try:
            written = write_set_atomic(target, files, overwrite=force)
        except ExistingFiles as exc:  # another run wrote them after our check above
            listed = ", ".join(show_path(p) for p in exc.paths)
            raise UsageError(
                _("đã có tệp báo cáo: {names}; thêm --force để ghi đè").format(names=listed)
            ) from None
        for path in written:
            typer.echo(show_path(path))
    except WrittenThenInterrupted as exc:
        _say_what_was_written(target, exc.paths)
        raise
    except SetLeftMixed:
        _say_what_was_written(target, [], mixed=True)
        raise
    except KeyboardInterrupt:
        _say_what_was_written(target, written)
        raise


class _OutputCache:
    """The files of a report made from the same results, on the same date, from the same templates:
    kept with the results in the workspace's cache, so a report asked again is only written."""

    def __init__(
        self, ev: Evaluation, formats: list[str], day: dt.date, templates: Path, *, enabled: bool
    ) -> None:
        root = ev.workspace.root
        self.inputs = ev.inputs_key
        self.store = Store(root, enabled=enabled and self.inputs is not None)
        self.templates, self.root = templates, root
        self.request = repr((BUILD, current_language(), sorted(formats), day.isoformat()))
        self.key = self._key() if self.store.enabled else b""

    def _key(self) -> bytes:
        return digest(self.inputs or b"", self.request, snapshot.folder_digest(self.templates, self.root))

    def load(self) -> list[tuple[str, bytes]] | None:
        if not self.store.enabled:
            return None
        found = self.store.load("o-report", self.key)
        if isinstance(found, list) and all(isinstance(item, tuple) and len(item) == 2 for item in found):
            return found
        return None

    def save(self, rendered: list[tuple[str, bytes]]) -> None:
        if self.store.enabled and self._key() == self.key:  # the templates did not change meanwhile
            self.store.save("o-report", self.key, rendered)


def _say_what_was_written(target: Path, written: list[Path], *, mixed: bool = False) -> None:
    """Ctrl-C: the set is written whole or not at all, so say which, before the funnel's "stopped";
    or, if putting the previous files back was itself cut short, that the folder is mixed."""
    if mixed:
        typer.echo(
            _(
                "bị dừng khi đang đặt lại các tệp báo cáo cũ: {folder} đang có cả tệp cũ lẫn tệp mới; "
                "lần ghi báo cáo tiếp theo vào thư mục này (report --force) sẽ khôi phục các tệp cũ "
                "trước khi ghi"
            ).format(folder=show_path(target)),
            err=True,
        )
    elif written:
        typer.echo(_("báo cáo đã được ghi đủ {n} tệp trước khi dừng:").format(n=len(written)), err=True)
        for path in written:
            typer.echo(f"  {show_path(path)}", err=True)
    else:
        typer.echo(
            _("chưa ghi tệp báo cáo nào; {folder} vẫn giữ nguyên như trước").format(folder=show_path(target)),
            err=True,
        )


@contextmanager
def _frozen() -> Iterator[None]:
    """The results, read and never changed while the reports are rendered, set aside from the cyclic
    GC: at 5,000 cells they are five million objects, which it would otherwise walk again each time
    a writer has made enough new ones (the workbook took twice as long)."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _render_one(render: Callable[[], bytes]) -> bytes:
    try:
        return render()
    except Exception as exc:
        from chibo4tot.report.markdown import TemplateProblem

        if isinstance(exc, TemplateProblem):
            raise InputError(str(exc)) from None
        raise
