"""What ``score``, ``explain`` and ``report`` share: the year and month meant, loading once, the gaps."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from chibo4tot.cachestore import BUILD
from chibo4tot.cli.cached import CachedRun, KeptRuns, open_cache
from chibo4tot.cli.output import print_count, print_problems
from chibo4tot.errors import InputError, Problem, UsageError
from chibo4tot.i18n import _, current_language
from chibo4tot.inputs import snapshot
from chibo4tot.inputs.memo import RecordMemo
from chibo4tot.inputs.places import find_workspace
from chibo4tot.runtime import no_gc

# Loading and scoring (pydantic, YAML, the engine) are imported by the functions that use them:
# a command answered from the workspace's cache needs none of them.
if TYPE_CHECKING:
    from chibo4tot.inputs.loading import Workspace
    from chibo4tot.results.evaluate import Evaluation
    from chibo4tot.results.kept import KeptRun

_MONTH = re.compile(r"^\s*(?:(\d{4})-)?(\d{1,2})\s*$")


def parse_month(text: str | None) -> tuple[int | None, int | None]:
    """``"6"`` → (None, 6); ``"2024-06"`` → (2024, 6); a usage error otherwise."""
    if text is None or not text.strip():
        return None, None
    match = _MONTH.match(text)
    if not match or not 1 <= int(match[2]) <= 12:
        raise UsageError(_("tháng “{month}” không hợp lệ; ví dụ: 6 hoặc 2024-06").format(month=text))
    return (int(match[1]) if match[1] else None), int(match[2])


def _years(years: set[int]) -> str:
    return ", ".join(str(y) for y in sorted(years)) or "—"


def choose_year(ws: Workspace, year: int | None) -> tuple[int, bool]:
    """The year to score and whether it was chosen by default; an input error for a year that has nothing."""
    from chibo4tot.inputs.loading import assigned_years, years_with_records

    recorded, assigned = years_with_records(ws), assigned_years(ws)
    usable = recorded & assigned
    if year is None:
        if not usable:
            raise InputError(
                _(
                    "không có năm nào chấm được: cần hồ sơ trong records/<năm>/ và khung tiêu chí gán cho "
                    "năm đó trong chibo4tot.yaml (năm có hồ sơ: {recorded}; năm đã gán khung: {assigned})"
                ).format(recorded=_years(recorded), assigned=_years(assigned))
            )
        return max(usable), True
    if year not in usable:
        why = []
        if year not in assigned:
            why.append(_("chibo4tot.yaml chưa gán khung tiêu chí cho năm này"))
        if year not in recorded:
            why.append(_("chưa có hồ sơ nào trong records/{year}/").format(year=year))
        raise InputError(
            _(
                "năm {year} không chấm được: {why} (năm có hồ sơ: {recorded}; năm đã gán khung: {assigned})"
            ).format(year=year, why="; ".join(why), recorded=_years(recorded), assigned=_years(assigned))
        )
    return year, False


def default_as_of(year: int, today: dt.date, recorded_months: set[int]) -> int:
    """Past years are complete; this year counts through last month (or the latest record, if later)."""
    if year < today.year:
        return 12
    if year > today.year:
        return max(recorded_months, default=0)
    return max(today.month - 1, max(recorded_months, default=0))


@dataclass
class YearPlan:
    """A loaded workspace and what to score in it: the year, through which month, and how."""

    workspace: Workspace
    year: int
    as_of: int
    year_over: bool
    default_year: bool
    document: bool
    memo: RecordMemo | None = None  # what was derived from unchanged record files before


def plan_year(
    directory: Path,
    year: int | None,
    month: str | None,
    today: dt.date | None = None,
    *,
    document: bool = False,
    memo: RecordMemo | None = None,
) -> YearPlan:
    """Find and load the workspace once, and settle the year and month to score."""
    from chibo4tot.inputs.loading import load_workspace

    root = find_workspace(directory)
    today = today or dt.date.today()  # the only clock read: the CLI passes it down
    month_year, as_of = parse_month(month)
    if month_year is not None and year is not None and month_year != year:
        raise UsageError(_("--month {month} không thuộc --year {year}").format(month=month, year=year))
    ws = load_workspace(root, memo=memo)  # once: the defaults below and the scoring all read it
    if ws.config is None:  # which framework, which đảng bộ: nothing can be scored or reported
        message = (
            _("không lập được báo cáo khi chibo4tot.yaml còn lỗi (xem ở trên)")
            if document
            else _("không chấm điểm được khi chibo4tot.yaml còn lỗi (xem ở trên)")
        )
        raise InputError(message, ws.problems.items)
    try:
        the_year, by_default = choose_year(ws, year if year is not None else month_year)
    except InputError as exc:
        # A year with "no records" is often a records/ folder that could not be read (a symlink
        # loop, no permission): show the loading problems that explain it, not the verdict alone.
        raise InputError(exc.message, ws.problems.items) from None
    if as_of is None:
        recorded = {int(rf.month[5:]) for rf in ws.records if rf.month is not None and rf.year == the_year}
        as_of = default_as_of(the_year, today, recorded)
    return YearPlan(ws, the_year, as_of, the_year < today.year, by_default, document, memo)


def score_plan(plan: YearPlan, workspace: Workspace | None = None) -> Evaluation:
    """Score the planned year of the workspace, or of ``workspace`` (the same one with other frameworks)."""
    from chibo4tot.results.evaluate import evaluate_workspace

    ev = evaluate_workspace(
        workspace or plan.workspace,
        plan.year,
        as_of=plan.as_of,
        year_over=plan.year_over,
        document=plan.document,
        memo=plan.memo if workspace is None else None,
    )
    ev.default_year = plan.default_year
    return ev


@dataclass
class Request:
    """A command's request over a workspace, settled once: where, for which day, and its cache."""

    root: Path
    year: int | None
    month: str | None
    today: dt.date
    document: bool
    key: str  # everything the results depend on besides the files
    run: CachedRun | None
    texts: bool = False  # each unit's JSON entry is wanted (``Evaluation.unit_texts``)


def prepare(
    directory: Path,
    year: int | None,
    month: str | None,
    today: dt.date | None = None,
    *,
    document: bool = False,
    cache: bool = True,
    texts: bool = False,
) -> Request:
    """Find the workspace and take the snapshot of its inputs (when the cache is used)."""
    root = find_workspace(directory)
    today = today or dt.date.today()
    # Everything besides the files that the results depend on: the request, the day's month
    # (the default year and month follow the calendar), the language of the messages, the build.
    key = repr((BUILD, current_language(), year, month, today.year, today.month, document))
    return Request(root, year, month, today, document, key, open_cache(root, cache, key), texts)


def load_and_score(
    directory: Path,
    year: int | None,
    month: str | None,
    today: dt.date | None = None,
    *,
    document: bool = False,
    cache: bool = True,
) -> Evaluation:
    """Find and load the workspace once, settle the year and month, score it and list its gaps.

    With ``cache``, the results of the same request over the same inputs come from the
    workspace's cache (see :mod:`chibo4tot.cachestore` and :mod:`chibo4tot.inputs.snapshot`),
    and otherwise what was derived from unchanged record files is (:mod:`chibo4tot.inputs.memo`).
    """
    return evaluate(prepare(directory, year, month, today, document=document, cache=cache))


def evaluate(req: Request) -> Evaluation:
    """The results of a prepared request (see :func:`load_and_score`)."""
    from chibo4tot import workers  # the process pool (concurrent.futures, logging): not at start

    # A province's records and results are millions of objects and no cycles; the helper
    # processes that parse the records (when there are many) then score the cells.
    with no_gc(), workers.shared():
        return _evaluate(req)


def _evaluate(req: Request) -> Evaluation:
    from chibo4tot.results.kept import keep

    root, run = req.root, req.run
    if run is None:
        ev = score_plan(plan_year(root, req.year, req.month, req.today, document=req.document))
        return _with_texts(ev, req)
    # The request's last run, kept whatever its inputs were: its results are these inputs' when
    # nothing changed, and a start for them when only a few records did.
    runs = KeptRuns(run.store, req.key)
    kept = runs.load()
    if kept is not None:
        found: Evaluation | None = None
        if kept.digest == run.before.digest and run.racy_unchanged(kept.racy):
            found = kept.evaluation_now(runs.fetcher(kept), lazy=req.texts)
        elif (again := _rerun(kept, run, runs, req)) is not None:
            done, shards, read = again
            true = run.unchanged_files(read)  # what it read again is what the snapshot saw
            if true:
                run.memo.save()
                runs.save(done, shards)
            found = done.evaluation_now(runs.fetcher(done), lazy=req.texts)
            if found is not None and not true:
                found.inputs_key = None
        if found is not None:
            return found
    plan = plan_year(root, req.year, req.month, req.today, document=req.document, memo=run.memo)
    ev = _with_texts(score_plan(plan), req)
    if run.unchanged():  # what it derived is true of the inputs it was keyed by
        ev.inputs_key = run.before.digest
        run.memo.save()
        done = keep(ev, run.before, run.racy)
        runs.save(done, set(done.loaded))
    return ev


def _rerun(
    kept: KeptRun, run: CachedRun, runs: KeptRuns, req: Request
) -> tuple[KeptRun, set[int], list[str]] | None:
    """The kept run done again for the records changed since (see :mod:`chibo4tot.results.rerun`),
    the shards of results it changed, and the files it read again; None when it takes a whole run."""
    from chibo4tot.results.rerun import rerun

    if kept.context != run.before.context:
        return None
    changes = snapshot.changed_files(kept.lines, run.before.lines)
    if changes is None:
        return None
    for path, was in kept.racy:  # changed within a tick of the clock: maybe unseen by its stat
        now = run.before.stats.get(path)
        if path not in changes.edited and now is not None and snapshot.content_hash(path) != was:
            changes.edited[path] = now
    year = kept.evaluation.results.year
    # A month whose record comes or goes without changing the months scored through (see
    # default_as_of): any, once they are asked for or the year is over; up to last month otherwise.
    if req.month is not None or year < req.today.year:
        steady = 12
    else:
        steady = req.today.month - 1 if year == req.today.year else 0
    found = rerun(
        kept,
        run.memo,
        changes,
        run.before,
        runs.fetcher(kept),
        texts=req.texts,
        steady=steady,
        year_over=year < req.today.year,
    )
    if found is None:
        return None
    done, shards = found
    done.racy = run.racy
    return done, shards, sorted({*changes.edited, *changes.added})


def _with_texts(ev: Evaluation, req: Request) -> Evaluation:
    """``ev`` with each unit's JSON entry, when the request wants them."""
    if req.texts:
        from chibo4tot.results.views import unit_json_text

        root_id = ev.workspace.config.id if ev.workspace.config is not None else ""
        ev.unit_texts = [unit_json_text(r, root_id) for r in ev.results.units]
    return ev


def show_input_problems(ev: Evaluation, keep_going: bool) -> bool:
    """Print problems to stderr; True when results may still be shown."""
    return not show_problems(ev.problems.items) or keep_going


def show_problems(problems: list[Problem]) -> int:
    """Print problems and their count to stderr; the number of errors."""
    errors, warnings, files = print_problems(problems)
    print_count(errors, warnings, files)
    return errors
