"""The results cache (.chibo4tot/cache): never a stale answer, whatever changed, and the same bytes.

Every test compares the cached command's output with ``--no-cache`` on the same inputs, and
counts how often the workspace was really scored, so a hit and a miss are both proved.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chibo4tot import cachestore
from chibo4tot.cachestore import CACHE_DIR, MAGIC
from chibo4tot.cli import cached, evaluation
from chibo4tot.inputs import snapshot
from chibo4tot.inputs.record_file import RecordFile
from tests.conftest import REPO, invoke

SCORE = ["score", "--year", "2024", "--format", "json"]
RECORD = Path("records/2024/pa-vi/2024-03.yaml")


@pytest.fixture
def scored(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """How many times the workspace was really scored: loaded and scored whole ("whole"), or its
    last run done again for the records that changed ("rerun")."""
    from chibo4tot.results import kept, rerun

    calls: list[str] = []
    real, real_rerun = evaluation.score_plan, rerun.rerun

    def counting(*args: object, **kwargs: object) -> evaluation.Evaluation:
        calls.append("whole")
        return real(*args, **kwargs)  # type: ignore[arg-type]

    def counting_rerun(*args: object, **kwargs: object) -> tuple[kept.KeptRun, set[int]] | None:
        again = real_rerun(*args, **kwargs)  # type: ignore[arg-type]
        if again is not None:
            calls.append("rerun")
        return again

    monkeypatch.setattr(evaluation, "score_plan", counting)
    monkeypatch.setattr(rerun, "rerun", counting_rerun)
    yield calls


@pytest.fixture(autouse=True)
def _not_racy(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Files copied a moment ago are racy (their content is hashed on every use); most tests are
    about the stat key, so the window is closed unless a test asks for it."""
    if not request.node.name.startswith("test_racy"):
        monkeypatch.setattr(snapshot, "RACY_NS", -(10**18))


def _score(ws: Path, *extra: str, exit_code: int = 0) -> str:
    return invoke([*SCORE, str(ws), *extra], exit_code=exit_code).stdout


def _fresh(ws: Path) -> str:
    return _score(ws, "--no-cache")


def _cache_files(ws: Path) -> list[Path]:
    return sorted((ws / CACHE_DIR).glob("w-*.bin"))


def _printed_files(ws: Path) -> list[Path]:
    return sorted((ws / CACHE_DIR).glob("p-*.bin"))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_second_run_is_a_hit_with_the_same_bytes(example_copy: Path, scored: list[str]) -> None:
    first = _score(example_copy)
    assert len(scored) == 1 and len(_cache_files(example_copy)) == 1
    second = _score(example_copy)
    assert len(scored) == 1  # not scored again
    assert first == second == _fresh(example_copy)
    assert (example_copy / ".chibo4tot" / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"


def test_no_cache_neither_reads_nor_writes(example_copy: Path, scored: list[str]) -> None:
    _score(example_copy, "--no-cache")
    assert not (example_copy / ".chibo4tot").exists()
    _score(example_copy)
    _score(example_copy, "--no-cache")
    assert len(scored) == 3


@pytest.mark.parametrize(
    "change",
    [
        "edit",
        "edit-same-size",
        "rename",
        "delete",
        "add",
        "touch",
        "framework",
        "units",
        "config",
        "clock-back",
    ],
)
def test_any_change_of_an_input_is_seen(example_copy: Path, scored: list[str], change: str) -> None:
    ws = example_copy
    before = _score(ws)
    record = ws / RECORD
    if change == "edit":
        _edit(record, '"1.2": 4,5', '"1.2": 2')
    elif change == "edit-same-size":
        _edit(record, '"1.2": 4,5', '"1.2": 2,5')
    elif change == "rename":
        record.rename(record.with_suffix(".yml"))
    elif change == "delete":
        record.unlink()
    elif change == "add":  # Lũng Lầu's missing June arrives
        may = (ws / "records/2024/lung-lau/2024-05.yaml").read_text(encoding="utf-8")
        june = may.replace("2024-05", "2024-06").replace("05/2024", "06/2024")
        (ws / "records/2024/lung-lau/2024-06.yaml").write_text(june, encoding="utf-8")
    elif change == "touch":
        os.utime(record)
    elif change == "framework":
        _edit(ws / "criteria/ha-giang-2024.yaml", "(tỉnh Hà Giang)", "(tỉnh Hà Giang, sửa đổi)")
    elif change == "units":
        _edit(ws / "units.yaml", "Chi bộ thôn Pả Vi", "Chi bộ thôn Pả Vi Thượng")
    elif change == "config":
        _edit(ws / "chibo4tot.yaml", "name: Đảng bộ xã Thượng Phùng", "name: Đảng bộ xã Thượng Phùng (mới)")
    elif change == "clock-back":
        # The clock was set back: the edit leaves the file's size and mtime as they were.
        st = record.stat()
        _edit(record, '"1.2": 4,5', '"1.2": 2,5')
        os.utime(record, ns=(st.st_atime_ns, st.st_mtime_ns))
        assert record.stat().st_mtime_ns == st.st_mtime_ns and record.stat().st_size == st.st_size
    after = _score(ws)
    assert len(scored) == 2  # scored again
    # Records edited, added, removed or renamed: only they are read again, and their units scored
    # again. Anything else (a framework, units.yaml, chibo4tot.yaml): all.
    assert scored[1] == ("whole" if change in ("framework", "units", "config") else "rerun")
    assert after == _fresh(ws)
    if change in ("edit", "edit-same-size", "clock-back", "delete", "add", "framework", "units"):
        assert after != before
    if change in ("touch", "rename"):
        assert after == before
    assert _score(ws) == after and len(scored) == 3  # and cached again


def test_a_new_tool_version_does_not_read_old_entries(
    example_copy: Path, scored: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _score(example_copy)
    monkeypatch.setattr(evaluation, "BUILD", evaluation.BUILD + "+next")
    _score(example_copy)
    assert len(scored) == 2


def test_language_and_request_are_part_of_the_key(example_copy: Path, scored: list[str]) -> None:
    vi = _score(example_copy)
    en = invoke(["--lang", "en", *SCORE, str(example_copy)]).stdout
    assert vi != en and len(scored) == 2
    assert invoke(["--lang", "en", *SCORE, str(example_copy)]).stdout == en and len(scored) == 2
    _score(example_copy, "--month", "6")
    assert len(scored) == 3


@pytest.mark.parametrize("damage", ["truncate", "flip-payload", "flip-signature", "empty", "garbage"])
def test_a_damaged_entry_is_ignored_and_rebuilt(example_copy: Path, scored: list[str], damage: str) -> None:
    expected = _score(example_copy)
    entries = _cache_files(example_copy) + _printed_files(example_copy)
    assert len(entries) == 2  # the results, and what score --format json printed from them
    for entry in entries:
        data = bytearray(entry.read_bytes())
        if damage == "truncate":
            data = data[: len(data) // 2]
        elif damage == "flip-payload":
            data[-10] ^= 0xFF
        elif damage == "flip-signature":
            data[len(MAGIC) + 3] ^= 0xFF
        elif damage == "empty":
            data = bytearray()
        else:
            data = bytearray(b"\x80\x05not a pickle at all" * 100)
        entry.write_bytes(bytes(data))
    assert _score(example_copy) == expected
    assert len(scored) == 2
    assert _score(example_copy) == expected and len(scored) == 2  # rebuilt, trusted again


@pytest.mark.parametrize("then", ["nothing", "edit"])
def test_damaged_results_of_a_kept_run_mean_a_whole_run(
    example_copy: Path, scored: list[str], then: str
) -> None:
    """The results of a kept run live in shards apart from its head: a damaged shard is never
    trusted, whether the run is read as it was or done again after an edit."""
    table = ["score", "--year", "2024", str(example_copy)]  # a table reads every unit's result
    invoke(table)
    shards = sorted((example_copy / CACHE_DIR).glob("u-*.bin"))
    assert shards and len(scored) == 1
    for shard in shards:
        data = bytearray(shard.read_bytes())
        data[-10] ^= 0xFF
        shard.write_bytes(bytes(data))
    if then == "edit":
        _edit(example_copy / RECORD, '"1.2": 4,5', '"1.2": 2')
    assert invoke(table).stdout == invoke([*table, "--no-cache"]).stdout
    assert scored[1] == "whole"


def test_an_entry_signed_by_someone_else_is_never_unpickled(
    example_copy: Path, scored: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _score(example_copy)
    monkeypatch.setenv("CHIBO4TOT_CACHE_SECRET_DIR", str(tmp_path / "another-user"))
    monkeypatch.setattr(cachestore, "_unpickle", lambda *_a: pytest.fail("unpickled a foreign entry"))
    _score(example_copy)
    assert len(scored) == 2


def test_racy_files_are_checked_by_content(
    example_copy: Path, scored: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file written a moment ago (here: "in the future", a clock set back) could change unseen
    on a filesystem with coarse timestamps; its content hash, kept with the entry, guards it."""
    record = example_copy.resolve() / RECORD
    future = time.time_ns() + 3600 * 10**9
    os.utime(record, ns=(future, future))
    first = _score(example_copy)
    assert _score(example_copy) == first and len(scored) == 1  # cached all the same
    (entry,) = _cache_files(example_copy)
    key = entry.read_bytes()[len(MAGIC) + 32 : len(MAGIC) + 64]
    real_take = snapshot.take

    def coarse(root: Path, **kwargs: str) -> snapshot.Snapshot:
        """The stat key as a coarse filesystem would give it: unchanged by the edit below."""
        snap = real_take(root, **kwargs)
        assert str(record) in snap.racy
        return snapshot.Snapshot(key, snap.racy, snap.files)

    _edit(record, '"1.2": 4,5', '"1.2": 2,5')
    monkeypatch.setattr(snapshot, "take", coarse)
    after = _score(example_copy)
    assert len(scored) == 2
    monkeypatch.setattr(snapshot, "take", real_take)
    assert after == _fresh(example_copy) != first


def test_two_processes_at_once(example_copy: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    command = [sys.executable, "-m", "chibo4tot", *SCORE, str(example_copy)]
    runs = [
        subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env) for _ in range(3)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0]
    assert len({out for out, _err in outputs}) == 1
    assert len(_cache_files(example_copy)) == 1
    assert not list((example_copy / CACHE_DIR).glob("*.tmp"))
    again = subprocess.run(command, capture_output=True, env=env, timeout=300, check=True)
    assert again.stdout == outputs[0][0]
    assert _fresh(example_copy).encode() == outputs[0][0]


def test_records_stay_untouched_and_report_uses_the_cache(example_copy: Path, scored: list[str]) -> None:
    records = {p: p.read_bytes() for p in (example_copy / "records").rglob("*") if p.is_file()}
    out = example_copy.parent / "out"
    args = ["report", str(example_copy), "--year", "2024", "--date", "2025-01-15", "--allow-incomplete"]
    invoke([*args, "--out", str(out / "a")])
    invoke([*args, "--out", str(out / "b")])
    invoke([*args, "--out", str(out / "c"), "--no-cache"])
    assert len(scored) == 2
    for name in ("a", "b", "c"):
        files = sorted(p.name for p in (out / name).iterdir())
        assert files == sorted(p.name for p in (out / "a").iterdir())
    md = [p for p in (out / "a").iterdir() if p.suffix == ".md"]
    for path in md:
        assert (
            path.read_bytes() == (out / "b" / path.name).read_bytes() == (out / "c" / path.name).read_bytes()
        )
    assert {p: p.read_bytes() for p in (example_copy / "records").rglob("*") if p.is_file()} == records


@pytest.mark.parametrize("pool", [False, True])
def test_a_generated_province_scores_the_same_with_and_without_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, pool: bool
) -> None:
    """Also when a helper process parsed, checked and scored what the cache keeps (as at province
    scale): the cached records, checks and scores, and a run after an edit, say the same."""
    from chibo4tot.inputs import parse_many
    from chibo4tot.results import evaluate
    from tests.test_bench_tools import province

    if pool:
        monkeypatch.setattr(parse_many, "POOL_MIN_FILES", 100)
        monkeypatch.setattr(parse_many, "CHUNK_FILES", 60)
        monkeypatch.setattr(evaluate, "SCORE_PIECE", 5)
    real, by_helpers = evaluate.score_cells_in_helpers, []

    def spy(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made = real(*args, **kwargs)
        by_helpers.append(len(made))
        return made

    monkeypatch.setattr(evaluate, "score_cells_in_helpers", spy)
    ws = tmp_path / "tinh"
    province.build(ws, 150, seed=3)
    first = invoke([*SCORE, str(ws)], exit_code=0)
    assert len(_cache_files(ws)) == 1
    hit = invoke([*SCORE, str(ws)])
    fresh = invoke([*SCORE, str(ws), "--no-cache"])
    assert first.stdout == hit.stdout == fresh.stdout
    assert first.stderr == hit.stderr == fresh.stderr
    assert (by_helpers[0] > 100) is pool  # the first run's cells, scored in the pool's pieces
    record = sorted((ws / "records" / "2024").glob("*/2024-03.yaml"))[7]
    text = record.read_text(encoding="utf-8")
    edited = re.sub(r'"1.1": \w+', '"1.1": Kém', text, count=1)  # scores change, still valid
    assert edited != text
    record.write_text(edited, encoding="utf-8")
    after = invoke([*SCORE, str(ws)])
    fresh = invoke([*SCORE, str(ws), "--no-cache"])
    assert (after.stdout, after.stderr) == (fresh.stdout, fresh.stderr)
    assert after.stdout != first.stdout


@pytest.fixture
def work(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Which files were parsed and checked, and which units scored, in the last runs."""
    from chibo4tot.inputs import checks, parse_many
    from chibo4tot.results import evaluate

    seen: dict[str, list[str]] = {"parsed": [], "checked": [], "scored": []}
    parse, check, score = parse_many.parse_one, checks.check_record, evaluate.score_unit

    def parsing(path: Path, *args: object) -> object:
        seen["parsed"].append(path.name)
        return parse(path, *args)  # type: ignore[arg-type]

    def checking(rf: RecordFile, *args: object) -> object:
        seen["checked"].append(rf.path.name)
        return check(rf, *args)  # type: ignore[arg-type]

    def scoring(fw: object, data: evaluate.UnitRecords, *args: object) -> object:
        seen["scored"].append(data.unit.id)
        return score(fw, data, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(parse_many, "parse_one", parsing)
    monkeypatch.setattr(checks, "check_record", checking)
    monkeypatch.setattr(parse_many, "check_record", checking)  # checked where it is parsed
    monkeypatch.setattr(evaluate, "score_unit", scoring)
    return seen


def test_after_one_edit_only_that_file_and_its_unit_are_worked_again(
    example_copy: Path, work: dict[str, list[str]]
) -> None:
    _score(example_copy)
    files = len(work["parsed"])
    assert files > 100 and len(work["checked"]) == files and "pa-vi" in work["scored"]
    for seen in work.values():
        seen.clear()
    _edit(example_copy / RECORD, '"1.2": 4,5', '"1.2": 2')
    after = _score(example_copy)
    assert work == {"parsed": ["2024-03.yaml"], "checked": ["2024-03.yaml"], "scored": ["pa-vi"]}
    assert after == _fresh(example_copy)


def test_a_framework_change_checks_every_record_again_but_parses_none(
    example_copy: Path, work: dict[str, list[str]]
) -> None:
    _score(example_copy)
    files = len(work["parsed"])
    for seen in work.values():
        seen.clear()
    _edit(example_copy / "criteria/ha-giang-2024.yaml", "(tỉnh Hà Giang)", "(tỉnh Hà Giang, sửa đổi)")
    after = _score(example_copy)
    assert work["parsed"] == [] and len(work["checked"]) == files and len(work["scored"]) >= 11
    assert after == _fresh(example_copy)


def test_damaged_packs_are_ignored(example_copy: Path, work: dict[str, list[str]]) -> None:
    expected = _score(example_copy)
    for pack in (example_copy / CACHE_DIR).glob("r-*.bin"):
        data = pack.read_bytes()
        pack.write_bytes(data[: len(data) - 7])
    for entry in _cache_files(example_copy) + _printed_files(example_copy):
        entry.unlink()
    for seen in work.values():
        seen.clear()
    assert _score(example_copy) == expected
    assert len(work["parsed"]) > 100  # nothing trusted from the damaged packs


def test_validate_reuses_the_packs_and_says_the_same(example_copy: Path, work: dict[str, list[str]]) -> None:
    first = invoke(["validate", str(example_copy)])
    assert len(work["parsed"]) > 100
    work["parsed"].clear()
    again = invoke(["validate", str(example_copy)])
    assert work["parsed"] == []
    fresh = invoke(["validate", str(example_copy), "--no-cache"])
    assert len(work["parsed"]) > 100
    assert first.stdout == again.stdout == fresh.stdout and first.stderr == again.stderr == fresh.stderr


def test_the_packs_of_a_removed_folder_go(example_copy: Path) -> None:
    old_year = example_copy / "records/2023/pa-vi"
    old_year.mkdir(parents=True)
    text = (example_copy / RECORD).read_text(encoding="utf-8")
    (old_year / "2023-03.yaml").write_text(text.replace("2024-03", "2023-03"), encoding="utf-8")
    _score(example_copy)
    packs = set((example_copy / CACHE_DIR).glob("r-*.bin"))
    shutil.rmtree(example_copy / "records/2023")
    _score(example_copy)
    left = set((example_copy / CACHE_DIR).glob("r-*.bin"))
    assert left < packs  # the 2023 folders' packs (its file, its units' streak scores) are gone


def test_a_removed_folder_leaves_the_bundle_it_shared(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from chibo4tot.inputs import memo

    monkeypatch.setattr(memo, "BUNDLES", 1)  # every folder's pack in one entry
    old_year = example_copy / "records/2023/pa-vi"
    old_year.mkdir(parents=True)
    text = (example_copy / RECORD).read_text(encoding="utf-8")
    (old_year / "2023-03.yaml").write_text(text.replace("2024-03", "2023-03"), encoding="utf-8")

    def folders() -> set[str]:
        run = cached.open_cache(example_copy.resolve(), True)
        assert run is not None
        return set(run.memo._bundle(0))

    _score(example_copy)
    assert "records/2023/pa-vi" in folders() and "records/2024/pa-vi" in folders()
    shutil.rmtree(example_copy / "records/2023")
    _score(example_copy)
    assert "records/2023/pa-vi" not in folders() and "records/2024/pa-vi" in folders()


def test_the_snapshot_never_walks_out_of_the_workspace(example_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "ngoai"
    (outside / "sau").mkdir(parents=True)
    (example_copy / "records/2024/pa-vi/lien-ket").symlink_to(outside)
    (example_copy / "records/2024/vong").symlink_to(example_copy / "records")
    before = snapshot.take(example_copy)
    (outside / "sau" / "moi.yaml").write_text("x: 1\n", encoding="utf-8")  # unseen: not an input
    assert snapshot.take(example_copy).digest == before.digest
    assert _score(example_copy, exit_code=1) == _score(example_copy, "--no-cache", exit_code=1)


def test_a_cache_folder_that_is_a_link_is_not_used(
    example_copy: Path, tmp_path: Path, scored: list[str]
) -> None:
    elsewhere = tmp_path / "noi-khac"
    elsewhere.mkdir()
    (example_copy / ".chibo4tot").symlink_to(elsewhere)
    first = _score(example_copy)
    assert _score(example_copy) == first and len(scored) == 2  # nothing kept, nothing read
    assert list(elsewhere.iterdir()) == []


def test_a_report_asked_again_is_only_written(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from chibo4tot.cli import commands_report

    renders: list[int] = []
    real = commands_report._renderers

    def counting(*args: object) -> object:
        renders.append(1)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(commands_report, "_renderers", counting)
    out = example_copy.parent / "out"

    def report(name: str, *extra: str) -> dict[str, bytes]:
        args = ["report", str(example_copy), "--year", "2024", "--allow-incomplete", "--force"]
        invoke([*args, "--date", "2025-01-15", "--out", str(out / name), *extra])
        return {p.name: p.read_bytes() for p in (out / name).iterdir()}

    first = report("a")
    assert report("b") == first and len(renders) == 1  # written from the cache
    assert report("c", "--no-cache") == first and len(renders) == 2
    (example_copy / "templates").mkdir()
    (example_copy / "templates" / "ghi-chu.txt").write_text("mẫu riêng\n", encoding="utf-8")
    report("d")
    assert len(renders) == 3  # the templates folder changed
    report("e", "--format", "md")
    assert len(renders) == 4  # another request
    _edit(example_copy / RECORD, '"1.2": 4,5', '"1.2": 2')
    changed = report("f")
    assert len(renders) == 5 and changed != first
    assert report("g") == changed and len(renders) == 5


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_printed_output_comes_back_with_its_problems(
    example_copy: Path, scored: list[str], monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    args = ["score", str(example_copy), "--year", "2024", "--format", fmt]
    first = invoke(args)
    from chibo4tot.cli import commands_score

    monkeypatch.setattr(commands_score, "evaluate", lambda *_a: pytest.fail("loaded the results again"))
    again = invoke(args)
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
    assert "thiếu hồ sơ tháng 6, 7, 8" in again.stderr and len(scored) == 1
    monkeypatch.undo()
    fresh = invoke([*args, "--no-cache"])
    assert (fresh.stdout, fresh.stderr) == (first.stdout, first.stderr)


def _run(args: list[str]) -> tuple[int, str, str]:
    from typer.testing import CliRunner

    from chibo4tot.cli import app

    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


_LEVELS = ("Tốt", "Khá", "Trung bình", "Kém")


def _random_edit(ws: Path, rng: Any, removed: dict[Path, bytes]) -> str:
    """One edit a secretary or an organiser could make; returns what it was (for the message)."""
    months = sorted((ws / "records" / "2024").glob("*/2024-*.yaml"))
    record = rng.choice(months)
    text = record.read_text(encoding="utf-8")
    kind = rng.choice(
        ["level", "points", "remove", "restore", "invalid", "rename", "comment", "touch", "units", "criteria"]
    )
    if kind == "level":  # a level, or pass/fail, said otherwise
        levels = [m for m in re.finditer(r'^  "[\d.]+": (Tốt|Khá|Trung bình|Kém|Đạt|Không đạt) ', text, re.M)]
        if levels:
            found = rng.choice(levels)
            other = rng.choice([v for v in (*_LEVELS, "Đạt", "Không đạt") if v != found[1]])
            record.write_text(text[: found.start(1)] + other + text[found.end(1) :], "utf-8")
    elif kind == "points" and re.search(r'"1\.2": \d+', text):
        record.write_text(re.sub(r'"1\.2": \d+', f'"1.2": {rng.randint(0, 5)}', text, count=1), "utf-8")
    elif kind == "remove":
        removed[record] = record.read_bytes()
        record.unlink()
    elif kind == "restore" and removed:
        path = rng.choice(sorted(removed))
        path.write_bytes(removed.pop(path))
    elif kind == "invalid":
        record.write_text(text.replace("held: true", "held: maybe", 1), "utf-8")
    elif kind == "rename":
        record.rename(record.with_name("thang-" + record.stem[5:] + ".yaml"))
    elif kind == "comment":
        record.write_text(text + "# ghi chú thêm\n", "utf-8")
    elif kind == "touch":
        os.utime(record, ns=(time.time_ns(), time.time_ns()))
    elif kind == "units":
        units = ws / "units.yaml"
        name = units.read_text(encoding="utf-8")
        units.write_text(name.replace("Chi bộ", "Chi bộ (sửa)", 1), "utf-8")
    elif kind == "criteria":
        own = sorted((ws / "criteria").glob("*.yaml"))
        if own:
            body = own[0].read_text(encoding="utf-8")
            own[0].write_text(body + f"\n# sửa {rng.random()}\n", "utf-8")
    return f"{kind} {record.relative_to(ws)}"


@pytest.mark.parametrize(("seed", "bundles"), [(1, 256), (2, 1)])
def test_random_edits_never_get_a_stale_answer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scored: list[str], seed: int, bundles: int
) -> None:
    """A run of edits of every kind, each followed by a cached score and a --no-cache one: the
    same exit code, output and messages every time (a cache that cannot lie). With one bundle,
    every folder's pack shares the entry of the others."""
    import random

    from chibo4tot.inputs import memo
    from tests.test_bench_tools import province

    monkeypatch.setattr(memo, "BUNDLES", bundles)

    ws = tmp_path / "tinh"
    province.build(ws, 24, seed=seed)
    rng = random.Random(seed)
    removed: dict[Path, bytes] = {}
    command = [*SCORE, str(ws)]
    before = _run(command)
    assert before == _run([*command, "--no-cache"])
    changed = 0
    for _step in range(16):
        what = _random_edit(ws, rng, removed)
        cached = _run(command)
        assert cached == _run([*command, "--no-cache"]), what
        assert _run(command) == cached, what  # and served again as it was
        changed += cached != before
        before = cached
    assert changed >= 3  # the edits did change what is printed, not only the files
    assert scored.count("rerun") >= 3 and "whole" in scored  # both ways were taken, and checked


_DANG_BO_FRAMEWORK = """\
id: dang-bo-2024
extends: ha-giang-2024
title: Tiêu chí “Đảng bộ cơ sở 4 tốt” năm 2024 (thử)
applies_to: [dang_bo_co_so]
gates:
  - id: ty-le-chi-bo
    title: Đủ tỉ lệ chi bộ đạt “Chi bộ 4 tốt”
    kind: sub_unit_share
    min_share: 0.6
    reason: Chỉ {share} chi bộ trực thuộc đạt “Chi bộ 4 tốt”.
"""


def province_with_dang_bo(ws: Path, cells: int, seed: int, parents: int | None = None) -> Path:
    """A generated province whose đảng bộ cơ sở are scored too (their share of cells recognised
    is a gate: _DANG_BO_FRAMEWORK)."""
    from tests.test_bench_tools import province

    province.build(ws, cells, seed=seed, parents=parents)
    (ws / "criteria" / "dang-bo-2024.yaml").write_text(_DANG_BO_FRAMEWORK, encoding="utf-8")
    _edit(
        ws / "chibo4tot.yaml",
        "    framework: ha-giang-2024\n",
        "    framework: ha-giang-2024\n  - years: [2024]\n    framework: dang-bo-2024\n"
        "    kinds: [dang_bo_co_so]\n",
    )
    return ws


def test_edits_that_move_quotas_and_the_dang_bo_are_done_again_exactly(
    tmp_path: Path, scored: list[str]
) -> None:
    """Cells made to fail, then to top every indicator, one after another under one đảng bộ
    that is scored too (its share of cells recognised is a gate): each time only the edited
    records are read again, and the quota group and the đảng bộ are done again, exactly as a
    whole run does them."""
    import json

    ws = province_with_dang_bo(tmp_path / "xa", 24, seed=3)
    command = [*SCORE, str(ws)]
    first = _run(command)
    assert first == _run([*command, "--no-cache"]) and first[0] == 0

    def dang_bo(printed: tuple[int, str, str]) -> dict[str, Any]:
        units = json.loads(printed[1])["units"]
        return next(u for u in units if u["id"] == "dang-bo-001")

    cells = sorted(p for p in (ws / "records" / "2024").iterdir() if p.name != "dang-bo-001")
    seen_dang_bo, seen_demoted = {json.dumps(dang_bo(first))}, set()
    for step, folder in enumerate(cells[:8]):
        level = "Kém" if step % 2 == 0 else "Tốt"
        for record in sorted(folder.glob("2024-*.yaml")):
            text = record.read_text(encoding="utf-8")
            record.write_text(re.sub(r"(: )(Tốt|Khá|Trung bình|Kém)( |$)", rf"\g<1>{level}\3", text), "utf-8")
        scored.clear()
        cached = _run(command)
        assert scored == ["rerun"], folder.name
        assert cached == _run([*command, "--no-cache"]), folder.name
        seen_dang_bo.add(json.dumps(dang_bo(cached)))
        seen_demoted.add(tuple(u["id"] for u in json.loads(cached[1])["units"] if u["demoted_by"]))
    assert len(seen_dang_bo) >= 2  # the đảng bộ's verdict or reasons moved with its cells
    assert len(seen_demoted) >= 2  # and so did who keeps "Xuất sắc" within the quota


def test_random_corrections_are_done_again_exactly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, scored: list[str]
) -> None:
    """Corrections of marks and levels in one to three records at a time, as secretaries send
    them in: each cached score is done again from the last run (never a whole run) and says
    exactly what --no-cache says."""
    import random

    from tests.test_bench_tools import province

    ws = tmp_path / "tinh"
    province.build(ws, 30, seed=5, parents=2)
    rng = random.Random(5)
    command = [*SCORE, str(ws)]
    before = _run(command)
    changed = 0
    months = sorted((ws / "records" / "2024").glob("*/2024-*.yaml"))
    for _step in range(12):
        whats = [_correct(rng.choice(months), rng) for _n in range(rng.randint(1, 3))]
        scored.clear()
        cached = _run(command)
        assert scored == ["rerun"], whats
        assert cached == _run([*command, "--no-cache"]), whats
        changed += cached != before
        before = cached
    assert changed >= 6


def _correct(record: Path, rng: Any) -> str:
    """A mark or a level changed to another valid one for its indicator."""
    text = record.read_text(encoding="utf-8")
    values = list(re.finditer(r'^  "[\d.]+": (Tốt|Khá|Trung bình|Kém|Đạt|Không đạt) ', text, re.M))
    points = re.search(r'^  "1\.2": (\d+(?:,5)?) ', text, re.M)
    if points is not None and (not values or rng.random() < 0.4):
        found, new = points, rng.choice([v for v in ("0", "2", "3,5", "4", "4,5", "5") if v != points[1]])
    elif values:
        found = rng.choice(values)
        family = ("Đạt", "Không đạt") if found[1] in ("Đạt", "Không đạt") else _LEVELS
        new = rng.choice([v for v in family if v != found[1]])
    else:
        return f"unchanged {record.name}"
    record.write_text(text[: found.start(1)] + new + text[found.end(1) :], "utf-8")
    return f"{record.parent.name}/{record.name}: {found[1]} → {new}"


def test_a_kept_run_gives_back_every_result_field_for_field(example_copy: Path) -> None:
    """Right after a whole run, a kept run keeps each unit's own result as the record cache pickled
    it with what the organisation set on it (nothing pickled twice); read back, every result
    equals the one a run without the cache makes, field for field."""
    from chibo4tot.cli.cached import KeptRuns
    from chibo4tot.cli.evaluation import load_and_score

    first = load_and_score(example_copy, 2024, None)
    assert first.own_blobs and set(first.own_blobs) == {r.unit.id for r in first.results.units}
    req = evaluation.prepare(example_copy, 2024, None)
    assert req.run is not None
    runs = KeptRuns(req.run.store, req.key)
    kept = runs.load()
    assert kept is not None and not kept.evaluation.own_blobs  # not in the head
    again = kept.evaluation_now(runs.fetcher(kept))
    fresh = load_and_score(example_copy, 2024, None, cache=False)
    assert again is not None and any(not isinstance(v, bytes) for v in kept.blobs.values())
    assert again.results.units == fresh.results.units
    assert [r.streak for r in again.results.units] == [r.streak for r in fresh.results.units]


def test_a_run_in_another_language_keeps_this_languages_packs(
    example_copy: Path, work: dict[str, list[str]]
) -> None:
    """The packs hold messages in one language; a whole run in English prunes only its own, so the
    next Vietnamese run after an edit still reads just the edited file."""
    _score(example_copy)
    invoke(["--lang", "en", *SCORE, str(example_copy)])
    for seen in work.values():
        seen.clear()
    _edit(example_copy / RECORD, '"1.2": 4,5', '"1.2": 2')
    after = _score(example_copy)
    assert work["parsed"] == ["2024-03.yaml"]
    assert after == _fresh(example_copy)
