"""Run the long fuzz (tests/test_fuzz.py) on every core: one pytest per core, each with its own seed.

``make fuzz`` calls this. The examples are split evenly between the processes; each process gets
the seed ``SEED + i``, so a failure is reproduced with the command the log prints. The logs go to
``fuzz-logs/`` (ignored by git); the summary printed at the end is what the closing note quotes.

Usage: python tools/fuzz.py [--examples 10000] [--jobs N] [--seed S]
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=int(time.time()))
    args = parser.parse_args()
    jobs = max(1, min(args.jobs, args.examples))
    per_job = [args.examples // jobs + (1 if i < args.examples % jobs else 0) for i in range(jobs)]
    logs = ROOT / "fuzz-logs"
    logs.mkdir(exist_ok=True)
    last_seed = args.seed + jobs - 1
    print(f"fuzz: {args.examples} mẫu, {jobs} tiến trình, hạt giống {args.seed}…{last_seed}", flush=True)
    started = time.monotonic()
    running = []
    for i, count in enumerate(per_job):
        seed = args.seed + i
        log = logs / f"fuzz-{seed}.log"
        command = [
            sys.executable, "-m", "pytest", "tests/test_fuzz.py", "-x", "-p", "no:cacheprovider",
            f"--hypothesis-seed={seed}", "--hypothesis-show-statistics", "--durations=3",
        ]  # fmt: skip
        env = {**os.environ, "CHIBO4TOT_FUZZ_EXAMPLES": str(count)}
        handle = log.open("w", encoding="utf-8")
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
        running.append((seed, count, log, handle, process))
    failed = 0
    for seed, count, log, handle, process in running:
        code = process.wait()
        handle.close()
        print(f"  hạt giống {seed}: {count} mẫu — {_summary(code, log)} — {log.relative_to(ROOT)}")
        if code != 0:
            failed += 1
            rerun = "python -m pytest tests/test_fuzz.py -x"
            print(f"    chạy lại: CHIBO4TOT_FUZZ_EXAMPLES={count} {rerun} --hypothesis-seed={seed}")
    elapsed = time.monotonic() - started
    took = f"{elapsed / 60:.1f} phút ({elapsed:.0f} s)"
    print(f"fuzz: {args.examples} mẫu trong {took}, {failed} tiến trình hỏng")
    return 1 if failed else 0


def _summary(code: int, log: Path) -> str:
    text = log.read_text(encoding="utf-8", errors="replace")
    tail = text.strip().splitlines()[-1:]
    # Hypothesis's own count of what ran ("N passing, M failing, and K invalid test cases").
    cases = re.search(r"(\d+) passing, (\d+) failing, and (\d+) invalid", text)
    tried = f"{cases[1]} đạt, {cases[2]} hỏng, {cases[3]} không hợp lệ" if cases else "không rõ số mẫu"
    status = "đạt" if code == 0 else f"HỎNG (mã {code})"
    return f"{status} — {tried} — {tail[0] if tail else ''}"


if __name__ == "__main__":
    raise SystemExit(main())
