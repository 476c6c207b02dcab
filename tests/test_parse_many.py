"""Parsing many records: the same results, problems and order in one process or several."""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import pytest

from chibo4tot import workers
from chibo4tot.i18n import set_language
from chibo4tot.inputs import parse_many
from chibo4tot.inputs.loading import load_workspace, record_paths
from chibo4tot.inputs.parse_many import chunks, parse_one, parse_records
from tests.conftest import EXAMPLE, REPO

BROKEN = {
    "pa-vi/2024-02.yaml": "unit: pa-vi\nmonth: 2024-02\nmeeting: [held\n",  # syntax
    "pa-vi/2024-04.yaml": "unit: pa-vi\nmonth: 2024-04\nunit: pa-vi\n",  # duplicate key
    "lung-lau/2024-05.yaml": "unit: lung-lau\nmonth: 2024-05\nmeeting:\n  held: maybe\n",  # schema
    "lung-lau/2024-06.yaml": "unit: lung-lau\nmonth: 2024-06\nnote: a\x07b\n",  # control character
    "ta-ca-van/thang-7.yaml": "unit: ta-ca-van\nmonth: 2024-07\n",  # file name
    "ta-ca-van/2024-08.yaml": "unit: pa-vi\nmonth: 2024-09\n",  # unit and month (cross-file checks)
    "ma-pi-leng/2024-03.yaml": "",  # empty
}
# and one wrong value in every unit folder, so that whichever process parses a piece finds one
UNITS = sorted(path.name for path in (EXAMPLE / "records" / "2024").iterdir() if path.is_dir())
BROKEN |= {
    f"{unit}/2024-01.yaml": f"unit: {unit}\nmonth: 2024-01\nmeeting:\n  held: maybe\n" for unit in UNITS
}


@pytest.fixture
def broken_example(tmp_path: Path) -> Path:
    root = tmp_path / "example"
    shutil.copytree(EXAMPLE, root)
    for name, text in BROKEN.items():
        (root / "records" / "2024" / name).write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("language", ["vi", "en"])
def test_one_or_two_workers_give_the_same_records_and_problems_in_the_same_order(
    broken_example: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setattr(parse_many, "CHUNK_FILES", 7)  # many pieces from a small workspace
    set_language(language)  # as --lang does: the helpers speak the parent's language
    one = load_workspace(broken_example, workers=1)
    two = load_workspace(broken_example, workers=2)
    assert len(chunks(record_paths(broken_example, []))) > 10
    assert two.problems == one.problems
    assert [(r.path, r.record) for r in two.records] == [(r.path, r.record) for r in one.records]
    # every broken file is reported, located, and the problems are not merely empty on both sides
    reported = {
        p.path.relative_to(broken_example / "records" / "2024").as_posix()
        for p in one.problems.items
        if p.path
    }
    assert set(BROKEN) <= reported
    assert all(p.line is not None for p in one.problems.items if p.path and p.path.name != "records")


def test_the_example_loads_alike_with_and_without_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_many, "CHUNK_FILES", 10)
    one = load_workspace(EXAMPLE, workers=1)
    two = load_workspace(EXAMPLE, workers=2)
    assert two.problems == one.problems and len(one.records) > 100
    assert [r.record for r in two.records] == [r.record for r in one.records]


class _NoProcesses:
    """A system where no process pool can be made (a sandbox without semaphores)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")


class _DyingHelpers:
    """A pool whose helpers die before they finish anything (killed, out of memory)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def submit(self, *args: object) -> Future[object]:
        future: Future[object] = Future()
        future.set_exception(BrokenProcessPool("a helper died"))
        return future

    def shutdown(self, *args: object, **kwargs: object) -> None:
        pass


@pytest.mark.parametrize("pool", [_NoProcesses, _DyingHelpers])
def test_without_working_helpers_this_process_parses_everything_alike(
    broken_example: Path, monkeypatch: pytest.MonkeyPatch, pool: type
) -> None:
    items = record_paths(broken_example, [])
    alone = parse_records(items, workers=1)
    monkeypatch.setattr(parse_many, "CHUNK_FILES", 7)
    monkeypatch.setattr(workers, "ProcessPoolExecutor", pool)
    assert parse_records(items, workers=2) == alone


def test_parse_one_locates_its_own_problems(broken_example: Path) -> None:
    path = broken_example / "records" / "2024" / "lung-lau" / "2024-05.yaml"
    record, problems = parse_one(path, 2024, "lung-lau")
    assert record is None
    assert problems and all(p.line is not None and p.col is not None for p in problems)
    assert (4, 9) in [(p.line, p.col) for p in problems]  # "held: maybe", at the value


def test_parse_records_keeps_the_input_order_and_parses_small_sets_in_one_process() -> None:
    items = record_paths(EXAMPLE, [])
    parsed = parse_records(items)  # fewer files than POOL_MIN_FILES: no pool is started
    assert [rf.path for rf, _p in parsed if rf is not None] == [path for path, _y, _u in items]


def test_chunks_keep_the_order_and_cut_between_unit_folders() -> None:
    items = [
        (Path(f"records/2024/u{u}/2024-{m:02d}.yaml"), 2024, f"u{u}") for u in range(9) for m in range(1, 13)
    ]
    pieces = chunks(items, 30)
    assert [item for piece in pieces for item in piece] == items
    for before, after in itertools.pairwise(pieces):
        assert before[-1][0].parent != after[0][0].parent
    assert max(len(piece) for piece in pieces) < 60
    one_folder = [(Path(f"records/2024/u/{i}.yaml"), 2024, "u") for i in range(100)]
    assert max(len(piece) for piece in chunks(one_folder, 10)) <= 20


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


@pytest.fixture(scope="module")
def province_400(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ctrl-c") / "province"
    subprocess.run(
        [sys.executable, str(REPO / "tools" / "province.py"), "400", "--out", str(root)],
        check=True,
        capture_output=True,
    )
    assert sum(1 for _ in root.glob("records/*/*/*.yaml")) >= parse_many.POOL_MIN_FILES
    return root


def _start(root: Path, command: list[str]) -> tuple[subprocess.Popen[bytes], list[int], float]:
    """The command started in a session of its own (as a terminal's foreground job: Ctrl-C
    reaches every process in it), once its first helper process is there; and when that was."""
    cli = subprocess.Popen(
        [sys.executable, "-m", "chibo4tot", *command],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    helpers: list[int] = []
    deadline = time.monotonic() + 60
    while not helpers and cli.poll() is None and time.monotonic() < deadline:
        helpers = [
            c
            for c in _children(cli.pid)
            if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()
        ]
        time.sleep(0.02)
    assert helpers, "no worker process was started"
    return cli, helpers, time.monotonic()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc")
@pytest.mark.parametrize(
    ("command", "share"),
    [
        (["validate", "--no-cache"], 0.2),  # the helper is importing or parsing
        (["score", "--no-cache"], 0.5),  # parsing, or checking
        (["score", "--no-cache"], 0.85),  # scoring the cells in the pool, or after
    ],
)
def test_ctrl_c_while_workers_parse_or_score_exits_130_quietly_and_leaves_no_worker(
    province_400: Path, command: list[str], share: float
) -> None:
    # How long the command runs once its helper is there, on this machine now: Ctrl-C comes at
    # that share of it (a command that finished first is started again with an earlier one).
    cli, _helpers, since = _start(province_400, command)
    cli.communicate(timeout=120)
    assert cli.returncode == 0
    lasting = time.monotonic() - since
    for attempt in range(3):
        cli, helpers, since = _start(province_400, command)
        time.sleep(max(0.0, lasting * share / (attempt + 1) - (time.monotonic() - since)))
        os.killpg(cli.pid, signal.SIGINT)
        _out, err = cli.communicate(timeout=60)
        if cli.returncode != 0:
            break
    assert cli.returncode == 130, err.decode()
    assert b"Traceback" not in err, err.decode()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in helpers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(Path(f"/proc/{pid}").exists() for pid in helpers), "a worker outlived the command"


@pytest.mark.parametrize("helpers", ["working", "dying"])
def test_a_province_scores_byte_identical_with_one_or_two_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: str
) -> None:
    """The whole result, as `score --format json` prints it, from a pool (parsing the records,
    then scoring the cells) and from one process; and alike when the helpers die."""
    import json

    from chibo4tot.results import evaluate
    from chibo4tot.results.views import results_json
    from tests.test_bench_tools import province

    root = tmp_path / "tinh"
    province.build(root, 60, seed=5)
    monkeypatch.setattr(parse_many, "CHUNK_FILES", 50)
    monkeypatch.setattr(evaluate, "SCORE_PIECE", 4)
    scored_by_helpers: list[int] = []
    real = evaluate.score_cells_in_helpers

    def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made = real(*args, **kwargs)
        scored_by_helpers.append(len(made))
        return made

    monkeypatch.setattr(evaluate, "score_cells_in_helpers", spy)

    def printed(count: int) -> str:
        with workers.shared(count):
            ws = load_workspace(root)
            ev = evaluate.evaluate_workspace(ws, 2024)
        data = results_json(ev.results, ev.problems.sorted(), "tinh", [], root)
        return json.dumps(data, ensure_ascii=False, indent=2)

    alone = printed(1)
    assert scored_by_helpers == [0]
    monkeypatch.setattr(parse_many, "POOL_MIN_FILES", 100)
    if helpers == "dying":
        monkeypatch.setattr(workers, "ProcessPoolExecutor", _DyingHelpers)
    assert printed(2) == alone
    # the cells were scored in the pieces of the pool (by whichever process)
    assert scored_by_helpers[1] >= 55 if helpers == "working" else scored_by_helpers[1] == 0


@pytest.mark.parametrize("name", ["2024-01.yaml", "year.yaml", "tên có dấu.yaml", ".ẩn", "a b"])
def test_child_path_is_the_joined_path(tmp_path: Path, name: str) -> None:
    from chibo4tot.inputs.loading import child_path

    made = child_path(tmp_path / "records" / "2024", name)
    assert made == tmp_path / "records" / "2024" / name
    assert str(made) == str(tmp_path / "records" / "2024" / name) and made.name == name
    assert made.parent == tmp_path / "records" / "2024"
