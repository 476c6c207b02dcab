#!/usr/bin/env python3
"""Regenerate the example workspace's export of 2023 (history/ket-qua-2023.json), deterministic.

Usage: python tools/gen_history.py [WORKSPACE]
(default: examples/dang-bo-xa-thuong-phung next to this file's parent).

The example keeps records of 2024 only; last year's results come from the export of 2023 that
the đảng bộ sent up then. That export is made here the way a đảng bộ makes one: a workspace of
2023 (a copy of the example whose records are said of 2023, with a year that went differently:
some cells weaker, one without the disciplinary case of 2024; Tả Cá Ván, registered for the
title in 2023 only, in the running that year), scored by ``chibo4tot export --year 2023``.
Run it again after the example's records, units or frameworks change (then regenerate the
golden files).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

YEAR = 2023
OUT = Path("history") / f"ket-qua-{YEAR}.json"
# Cells whose year went less well in 2023: every level of every month so many steps lower.
WEAKER = {"khu-bieu-nghi": 3, "truong-th-thuong-phung": 2, "quan-su-xa": 3}
LOWER = {"Tốt": "Khá", "Khá": "Trung bình", "Trung bình": "Kém", "Kém": "Kém"}
# Without the disciplinary case that keeps it from the title in 2024.
NO_DISCIPLINE = ("pa-vi",)


def said_of(text: str, year: int) -> str:
    """A record's dates, months and year said of ``year`` instead of 2024."""
    text = re.sub(r"\b2024(?=-\d\d)", str(year), text)
    text = re.sub(r"\b(\d{1,2}/\d{1,2})/2024\b", rf"\g<1>/{year}", text)
    return re.sub(r"^year: 2024", f"year: {year}", text, flags=re.M)


def lowered(text: str) -> str:
    return re.sub(r"(: )(Tốt|Khá|Trung bình|Kém)( |$)", lambda m: m[1] + LOWER[m[2]] + m[3], text, flags=re.M)


def without_discipline(text: str) -> str:
    """year.yaml with an empty list of disciplinary cases."""
    return re.sub(r"^discipline:\n(?:[ -].*\n|\n)*?(?=^\S)", "discipline: []\n", text, flags=re.M)


def build_year(example: Path, target: Path) -> None:
    """The 2023 workspace: the example's files, its records of 2024 said of 2023 and changed."""
    shutil.copytree(example, target, ignore=shutil.ignore_patterns(".chibo4tot", "history"))
    source, records = target / "records" / "2024", target / "records" / str(YEAR)
    source.rename(records)
    for record in sorted(records.glob("*/*.yaml")):
        unit = record.parent.name
        text = said_of(record.read_text(encoding="utf-8"), YEAR)
        if unit in WEAKER and record.name != "year.yaml":
            for _step in range(WEAKER[unit]):
                text = lowered(text)
        if unit in NO_DISCIPLINE and record.name == "year.yaml":
            text = without_discipline(text)
        record.with_name(record.name.replace("2024-", f"{YEAR}-")).write_text(text, encoding="utf-8")
        if record.name != "year.yaml":
            record.unlink()
    for name in ("chibo4tot.yaml", *(f"criteria/{p.name}" for p in (target / "criteria").glob("*.yaml"))):
        path = target / name
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"years: \[2024\]", f"years: [{YEAR}]", text), encoding="utf-8")
    units = target / "units.yaml"  # Tả Cá Ván registered in 2023 (and not in 2024): it stays so
    text = units.read_text(encoding="utf-8").replace("registered: [2024]", f"registered: [{YEAR}]")
    units.write_text(text, encoding="utf-8")


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent.parent
    example = Path(argv[1]) if len(argv) > 1 else here / "examples" / "dang-bo-xa-thuong-phung"
    with tempfile.TemporaryDirectory() as tmp:
        workspace = Path(tmp) / "ws"
        build_year(example, workspace)
        out = Path(tmp) / "export.json"
        command = [sys.executable, "-m", "chibo4tot", "export", str(workspace), "--year", str(YEAR)]
        command += ["--out", str(out), "--allow-incomplete", "--no-cache"]
        env = {**os.environ, "CHIBO4TOT_LANG": "vi"}
        done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
        if done.returncode != 0:
            sys.stderr.write(done.stderr)
            return done.returncode
        target = example / OUT
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(out.read_bytes())
    print(f"đã ghi {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
