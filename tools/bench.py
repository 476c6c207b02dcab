#!/usr/bin/env python3
"""``make bench``: the command line at province scale, against this machine's floors; prints figures only.

Usage: python tools/bench.py [N] [--seed S] [--keep DIR]

Builds a workspace of N cells (default 5,000) with tools/province.py in a temporary folder,
measures the floors (reading every byte, the stat sweep a cache needs, PyYAML's C parser over
every YAML file in this one process), then runs the real command line as child processes, one
run each: ``score`` cold, again with nothing changed, again after one record is edited, and
``report`` cold and again. Each run shows its wall time, the child's peak memory (os.wait4),
its ratio to the relevant floor and the target of issue 12. Last, in this process: scoring
alone per cell-year and the workbook alone, as before. Nothing is asserted.

The children run before anything heavy is loaded here: on Linux a child's peak memory starts
from its parent's at the moment it was spawned, so the bench keeps its own small and prints it.
A process pool's memory is the sum of its processes: /proc is sampled for it while a run lasts.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))  # tools/ is not a package
import province

YEAR = 2024
REPORT_DATE = "2025-01-15"  # fixed, so two report runs write the same bytes
GB = 1024**3


MARKS = re.compile(r'^(  "1\.2": )(5|4,5)\b', re.M)  # a mark the bench's edit moves


def num(value: float, places: int = 2) -> str:
    """12345.678 → "12.345,68": the Vietnamese way, like the tool's own figures."""
    return f"{value:,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def size(nbytes: float | None) -> str:
    if nbytes is None:
        return "không đo được"
    if nbytes < 1024**2:
        return f"{num(nbytes / 1024, 0)} kB"
    megabytes = nbytes / 1024**2
    return f"{num(megabytes, 1 if megabytes < 10 else 0)} MB"


# ── floors ────────────────────────────────────────────────────────────────────


def walk(root: str) -> Iterator[os.DirEntry[str]]:
    """Every file under ``root``, stat()ed as a cache's freshness check would."""
    with os.scandir(root) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from walk(entry.path)
            else:
                entry.stat()
                yield entry


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def read_all(paths: list[str]) -> int:
    total = 0
    for path in paths:
        with open(path, "rb") as handle:
            total += len(handle.read())
    return total


def parse_all(paths: list[str]) -> None:
    loader = yaml.CSafeLoader
    for path in paths:
        with open(path, "rb") as handle:
            yaml.load(handle.read(), Loader=loader)


# ── the command line as a child process ───────────────────────────────────────


@dataclass(frozen=True)
class Run:
    seconds: float
    peak: int | None  # bytes
    code: int
    last_error: str


def tree_rss(root: int) -> int | None:
    """The resident memory of process ``root`` and all its descendants now (Linux /proc); None elsewhere."""
    try:
        children: dict[int, list[int]] = {}
        rss: dict[int, int] = {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", "rb") as handle:
                    fields = handle.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            pid = int(name)
            children.setdefault(int(fields[1]), []).append(pid)  # fields[1]: the parent's pid
            rss[pid] = int(fields[21]) * PAGE  # fields[21]: resident pages
    except OSError:
        return None
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def run_cli(args: list[str], stderr_file: Path) -> Run:
    """One ``chibo4tot`` run: wall time, peak RSS, exit code, last stderr line.

    The peak is the larger of what wait4 reports for the child (its own peak, exact) and the
    largest sum over the child and its helper processes seen while sampling /proc every 20 ms
    (a process pool's memory is the sum of its processes, which wait4 does not give).
    """
    command = [sys.executable, "-m", "chibo4tot", *args]
    sampled = [0]
    with open(stderr_file, "wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=err)
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.02):
                now = tree_rss(child.pid)
                if now is not None:
                    sampled[0] = max(sampled[0], now)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        if hasattr(os, "wait4"):
            _pid, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - start
            child.returncode = os.waitstatus_to_exitcode(status)
            # ru_maxrss is in KiB on Linux, in bytes on macOS.
            peak: int | None = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # Windows: no per-child peak without a third-party library
            child.wait()
            seconds, peak = time.perf_counter() - start, None
        done.set()
        sampler.join()
    if peak is not None:
        peak = max(peak, sampled[0])
    lines = stderr_file.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return Run(seconds, peak, child.returncode, lines[-1] if lines else "")


def self_peak() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak * (1 if sys.platform == "darwin" else 1024)


# ── in-process figures (loaded last: they make this process big) ──────────────


def scoring_alone() -> tuple[float, int]:
    """Milliseconds per cell-year of score_year over the example, loaded once (as the old bench)."""
    from chibo4tot.results.evaluate import evaluate, framework_chooser, group_records
    from chibo4tot.scoring import score_year

    ws = evaluate(province.EXAMPLE, YEAR).workspace
    records = group_records(ws, YEAR, set())
    choose = framework_chooser(ws, YEAR)
    root_id = ws.config.id if ws.config else ""
    rounds = 20
    start = time.perf_counter()
    for _ in range(rounds):
        score_year(YEAR, ws.units, records, choose, root_id=root_id)
    return (time.perf_counter() - start) * 1000 / (rounds * len(ws.units)), len(ws.units)


def workbook_alone(cells: int) -> tuple[float, int]:
    """Seconds to render the year-end workbook for ``cells`` copies of the example's results."""
    import dataclasses
    import datetime as dt

    from chibo4tot.report.context import build_context
    from chibo4tot.report.xlsx import render_xlsx
    from chibo4tot.results.evaluate import evaluate
    from chibo4tot.scoring import summarise

    ctx = build_context(evaluate(province.EXAMPLE, YEAR), dt.date.fromisoformat(REPORT_DATE))
    source = ctx.results.units
    copies = []
    for i in range(cells):
        r = source[i % len(source)]
        unit = r.unit.model_copy(update={"id": f"{r.unit.id}-{i}", "parent": f"dang-bo-{i % 100}"})
        copies.append(dataclasses.replace(r, unit=unit))
    results = dataclasses.replace(ctx.results, units=copies, summary=summarise(copies, "tinh"))
    big = dataclasses.replace(ctx, results=results)
    start = time.perf_counter()
    data = render_xlsx(big)
    return time.perf_counter() - start, len(data)


# ── the bench ─────────────────────────────────────────────────────────────────

# Issue 12's targets: at 5,000 cells, and for a large district (500 cells) where it gives them.
TARGETS: dict[int, dict[str, tuple[float, float | None]]] = {
    5000: {
        "score-nocache": (30, 1 * GB),
        "score-cold": (30, 1 * GB),
        "score-warm": (1.5, 1 * GB),
        "score-edit": (2, 1 * GB),
        "report-cold": (60, 1 * GB),
        "report-warm": (15, 1 * GB),
    },
    500: {"score-nocache": (5, None), "score-cold": (5, None), "score-warm": (0.5, None)},
}


def target(cells: int, key: str) -> str:
    known = TARGETS.get(cells, TARGETS[5000])
    if key not in known:
        return ""
    seconds, memory = known[key]
    return f"≤ {num(seconds, 1 if seconds % 1 else 0)} s" + (
        f", ≤ {num(memory / GB, 0)} GB" if memory else ""
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Đo chibo4tot ở quy mô tỉnh (chỉ in số đo).")
    parser.add_argument("cells", nargs="?", type=int, default=5000, help="số chi bộ (mặc định 5000)")
    parser.add_argument("--seed", type=int, default=1, help="hạt giống của tỉnh giả lập (mặc định 1)")
    parser.add_argument("--keep", action="store_true", help="giữ lại thư mục tạm sau khi đo")
    args = parser.parse_args(argv)
    cells = args.cells
    tmp = Path(tempfile.mkdtemp(prefix="chibo4tot-bench-"))
    try:
        return bench(cells, args.seed, tmp)
    finally:
        if args.keep:
            print(f"\nThư mục tạm được giữ lại: {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def bench(cells: int, seed: int, tmp: Path) -> int:
    if not getattr(yaml, "__with_libyaml__", False):
        print("lỗi: PyYAML không kèm libyaml (CSafeLoader): không đo được sàn phân tích", file=sys.stderr)
        return 1
    ws = tmp / "tinh"
    start = time.perf_counter()
    files = province.build(ws, cells, seed)
    built = time.perf_counter() - start
    paths = sorted(entry.path for entry in walk(str(ws)))
    yaml_paths = [p for p in paths if p.endswith(".yaml")]
    parents = province.default_parents(cells)
    print(
        f"Tỉnh giả lập: {num(cells, 0)} chi bộ dưới {num(parents, 0)} đảng bộ cơ sở (seed {seed}); "
        f"máy {os.cpu_count() or '?'} nhân; Python {sys.version.split()[0]}"
    )

    # Floors, on the files just written (so from the page cache, like every run below).
    nbytes = read_all(paths)  # warms the cache for the first timed read
    read_s = timed(lambda: read_all(paths))
    stat_s = timed(lambda: sum(1 for _e in walk(str(ws))))
    parse_s = timed(lambda: parse_all(yaml_paths))
    print(f"Dựng không gian làm việc: {num(built)} s, {num(files, 0)} tệp, {size(nbytes)}")
    print()
    print("Sàn (đo trong cùng lần chạy, một tiến trình):")
    print(f"  đọc hết các byte                  {num(read_s, 3):>8} s")
    print(f"  quét stat (os.scandir)            {num(stat_s, 3):>8} s")
    print(
        f"  PyYAML C (CSafeLoader), mọi tệp   {num(parse_s, 3):>8} s"
        f"   ({num(parse_s * 1000 / max(1, len(yaml_paths)))} ms một tệp, {num(len(yaml_paths), 0)} tệp YAML)"
    )

    out = tmp / "bao-cao"
    score = ["score", str(ws), "--year", str(YEAR), "--format", "json"]
    report = ["report", str(ws), "--year", str(YEAR), "--allow-incomplete", "--force"]
    report += ["--out", str(out), "--date", REPORT_DATE]
    month_files = sorted(p for p in yaml_paths if os.sep + "records" + os.sep in p and "-" in Path(p).stem)
    edited = Path(next((p for p in month_files if MARKS.search(Path(p).read_text("utf-8"))), month_files[0]))

    def edit_one() -> None:
        # What a secretary corrects most: one self-assessed mark (5 ↔ 4,5), which changes the
        # cell's total; a comment line where no mark is found.
        text = edited.read_text(encoding="utf-8")
        found = MARKS.search(text)
        if found is None:
            text += "# sửa lúc đo (make bench)\n"
        else:
            mark = "4,5" if found[2] == "5" else "5"
            text = text[: found.start(2)] + mark + text[found.end(2) :]
        edited.write_text(text, encoding="utf-8")

    steps: list[tuple[str, str, list[str], Callable[[], None] | None, str, float]] = [
        (
            "score-nocache",
            "score --no-cache (không đọc, không ghi)",
            [*score, "--no-cache"],
            None,
            "PyYAML",
            parse_s,
        ),
        ("score-cold", "score --format json, lần đầu", score, None, "PyYAML", parse_s),
        ("score-warm", "score, chạy lại, không đổi gì", score, None, "stat", stat_s),
        ("score-edit", "score, sau khi sửa một hồ sơ", score, edit_one, "stat", stat_s),
        ("report-cold", "report --year 2024, lần đầu", report, None, "PyYAML", parse_s),
        ("report-warm", "report, chạy lại, không đổi gì", report, None, "PyYAML", parse_s),
    ]
    spawned_from = self_peak()
    print()
    print("Dòng lệnh (tiến trình con, mỗi bước một lần):")
    heading = f"  {'bước':<40}{'giây':>9}  {'so với sàn':<18}{'RSS đỉnh':>10}  mục tiêu"
    if cells not in TARGETS:
        heading += " (ở 5.000 chi bộ)"
    print(heading)
    for key, label, command, before, floor_name, floor in steps:
        if before is not None:
            before()
        run = run_cli(command, tmp / f"{key}.stderr")
        ratio = f"{num(run.seconds / floor, 1)} × {floor_name}" if floor > 0 else "—"
        line = f"  {label:<40}{num(run.seconds):>9}  {ratio:<18}{size(run.peak):>10}  {target(cells, key)}"
        if run.code != 0:
            line += f"   [mã thoát {run.code}: {run.last_error[:100]}]"
        print(line)
    cached = sum(p.stat().st_size for p in (ws / ".chibo4tot").rglob("*") if p.is_file())
    print(f"  bộ nhớ đệm .chibo4tot/ sau các bước trên: {size(cached)}")
    print("  (report ghi xlsx, md, docx ×2; RSS đỉnh của tiến trình con không thể thấp hơn")
    print(f"  RSS của tiến trình đo lúc sinh ra nó: {size(spawned_from)})")

    print()
    print("Trong tiến trình (hồ sơ mẫu):")
    per_cell, units = scoring_alone()
    print(
        f"  chỉ chấm điểm: {num(per_cell, 1)} ms mỗi chi bộ-năm ({units} tổ chức × 20 lượt); mục tiêu ≤ 1 ms"
    )
    seconds, nbytes = workbook_alone(cells)
    print(
        f"  chỉ bảng tính Excel cho {num(cells, 0)} chi bộ: {num(seconds)} s, {size(nbytes)}"
        f"; mục tiêu ≤ 10 s ở 5.000 chi bộ"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
