"""An adversarial review of the kept run (results/rerun.py): edits after which a cached command
must print exactly what ``--no-cache`` prints (exit code, stdout, stderr), and which of them are
done again from the last run rather than whole."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tests import test_cache
from tests.test_cache import SCORE, _edit, _run, province_with_dang_bo

# The cache tests' fixtures: how often the workspace was scored, and no racy files unless a
# test's name starts with test_racy.
scored = test_cache.scored
_not_racy = test_cache._not_racy

MARCH = Path("records/2024/pa-vi/2024-03.yaml")


def _both(args: list[str]) -> tuple[tuple[int, str, str], tuple[int, str, str]]:
    return _run(args), _run([*args, "--no-cache"])


def _same(args: list[str]) -> tuple[int, str, str]:
    cached, fresh = _both(args)
    assert cached == fresh
    return cached


def test_a_stray_date_moved_down_a_line_is_located_where_it_is_now(
    example_copy: Path, scored: list[str]
) -> None:
    """A meeting date outside its month is a gap located at its line; a comment added above it
    keeps the file's problems and checks the same (unlocated), but the gap's line moves."""
    ws, record = example_copy, example_copy / MARCH
    _edit(record, "  date: 2024-03-07", "  date: 2024-04-07")
    command = [*SCORE, str(ws)]
    first = _same(command)
    assert "04/2024" in first[2] or "07/04/2024" in first[2]
    _edit(record, "# Sinh hoạt chi bộ định kỳ\n", "# Sinh hoạt chi bộ định kỳ\n# (sửa lại)\n# lần hai\n")
    scored.clear()
    cached, fresh = _both(command)
    assert cached[2] == fresh[2]
    assert cached == fresh


def _points(record: Path, value: str) -> None:
    """Indicator 1.2's self-assessed points set to ``value`` (a valid mark: 0 to 5 by halves)."""
    text = record.read_text(encoding="utf-8")
    edited = re.sub(r'^(  "1\.2": )\d+(?:,5)?', rf"\g<1>{value}", text, count=1, flags=re.M)
    assert edited != text
    record.write_text(edited, encoding="utf-8")


def _level(record: Path, level: str) -> None:
    """Every level of the record set to ``level``."""
    text = record.read_text(encoding="utf-8")
    record.write_text(
        re.sub(r"(: )(Tốt|Khá|Trung bình|Kém)( |$)", rf"\g<1>{level}\3", text, flags=re.M), "utf-8"
    )


def test_every_format_and_command_after_a_rerun_from_a_kept_run_of_json(
    example_copy: Path, scored: list[str]
) -> None:
    """``score --format json`` keeps the run with each unit's JSON entry; after an edit, table,
    csv, --unit, explain (of the unit edited and of another) share that kept run."""
    ws = str(example_copy)
    base = ["score", "--year", "2024", ws]
    _same([*base, "--format", "json"])
    record = example_copy / MARCH
    for step, (value, args) in enumerate(
        [
            ("2", [*base]),
            ("0", [*base, "--format", "csv"]),
            ("3", [*base, "--format", "json", "--unit", "pa-vi"]),
            ("5", ["explain", "pa-vi", ws, "--year", "2024"]),
            ("4", ["explain", "lung-lau", ws, "--year", "2024"]),
            ("0", [*base, "--format", "json"]),
            ("2", [*base, "--format", "table", "--unit", "lung-lau"]),
        ]
    ):
        _points(record, value)
        scored.clear()
        _same(args)
        assert scored[0] == "rerun", (step, scored)


def test_english_and_vietnamese_kept_runs_stay_apart(example_copy: Path, scored: list[str]) -> None:
    ws = str(example_copy)
    vi = [*SCORE, ws]
    en = ["--lang", "en", *SCORE, ws]
    _same(vi)
    _same(en)
    record = example_copy / MARCH
    _level(record, "Kém")
    _same(en)
    _same(vi)
    _level(record, "Tốt")
    _same(vi)
    _same(en)
    # Not every step is done again: a whole run in one language prunes the other's record packs.
    assert "rerun" in scored


def test_a_mid_year_month_and_edits_on_both_sides_of_it(example_copy: Path, scored: list[str]) -> None:
    ws = str(example_copy)
    command = ["score", "--year", "2024", "--month", "6", "--format", "json", ws]
    _same(command)
    for name in ("2024-08.yaml", "2024-02.yaml", "year.yaml"):
        record = example_copy / "records/2024/pa-vi" / name
        if name == "year.yaml":
            text = record.read_text(encoding="utf-8")
            record.write_text(text.replace("Tốt", "Khá", 1), "utf-8")
        else:
            _level(record, "Kém")
        _same(command)
        _same(["score", "--year", "2024", "--month", "6", ws])
    assert "rerun" in scored


def test_keep_going_with_a_broken_unit_while_others_are_edited(example_copy: Path, scored: list[str]) -> None:
    ws = str(example_copy)
    broken = example_copy / "records/2024/lung-lau/2024-05.yaml"
    _edit(broken, "held: true", "held: maybe")
    for fmt in ("json", "csv", "table"):
        command = ["score", "--year", "2024", "--format", fmt, "--keep-going", ws]
        _same(command)
        _same(["score", "--year", "2024", "--format", fmt, ws])
        _points(example_copy / MARCH, "0" if fmt != "csv" else "5")
        scored.clear()
        printed = _same(command)
        assert printed[0] == 1 and "rerun" in scored, scored
        _same(["score", "--year", "2024", "--format", fmt, ws])


def test_an_edit_undone_comes_back_to_the_first_answer(tmp_path: Path, scored: list[str]) -> None:
    from tests.test_bench_tools import province

    ws = tmp_path / "tinh"
    province.build(ws, 20, seed=4, parents=2)
    command = [*SCORE, str(ws)]
    first = _same(command)
    records = sorted((ws / "records" / "2024").glob("*/2024-0[1-6].yaml"))
    for record in (records[3], records[40], records[77]):
        original = record.read_bytes()
        _level(record, "Kém")
        _same(command)
        record.write_bytes(original)
        scored.clear()
        assert _same(command) == first
        assert scored[0] == "rerun", scored  # then --no-cache


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("unit: pa-vi", "unit: lung-lau"),
        ("month: 2024-03", "month: 2024-04"),
        ("framework: ha-giang-2024", "framework: mac-dinh-2024"),
    ],
)
def test_a_header_changed_in_place(example_copy: Path, scored: list[str], old: str, new: str) -> None:
    command = [*SCORE, str(example_copy)]
    _same(command)
    _edit(example_copy / MARCH, old, new)
    _same(command)
    _same(["score", "--year", "2024", str(example_copy), "--format", "csv"])


def _copy_year(ws: Path, year: int, *, keep: bool = True) -> None:
    """records/2024 copied (or moved) to records/<year>, every month and date said of that year,
    and the year assigned its framework in chibo4tot.yaml, the framework and units.yaml."""
    import shutil

    source, target = ws / "records" / "2024", ws / "records" / str(year)
    shutil.copytree(source, target)
    for record in target.glob("*/*.yaml"):
        text = record.read_text(encoding="utf-8")
        text = re.sub(r"\b2024(?=-\d\d)", str(year), text)
        text = re.sub(r"^year: 2024", f"year: {year}", text, flags=re.M)
        record.write_text(text, encoding="utf-8")
        record.rename(record.with_name(record.name.replace("2024-", f"{year}-")))
    if not keep:
        shutil.rmtree(source)
    years = f"[{year}]" if not keep else f"[{min(year, 2024)}, {max(year, 2024)}]"
    for name in (
        "chibo4tot.yaml",
        "units.yaml",
        *(f"criteria/{p.name}" for p in (ws / "criteria").glob("*.yaml")),
    ):
        path = ws / name
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(years|registered): \[2024\]", rf"\1: {years}", text), "utf-8")


def test_streaks_with_an_earlier_year_when_this_year_is_edited(example_copy: Path, scored: list[str]) -> None:
    """Cells recognised in 2023 carry a streak into 2024: an edit of 2024 is done again with the
    streak kept; an edit of 2023 (what the streak rests on) is a whole run."""
    ws = example_copy
    _copy_year(ws, 2023)
    command = [*SCORE, str(ws)]
    first = _same(command)
    assert '"streak": 2' in first[1]
    record = ws / MARCH
    for level in ("Kém", "Tốt"):
        _level(record, level)
        scored.clear()
        _same(command)
        assert scored[0] == "rerun"
        _same(["score", "--year", "2024", str(ws)])
    for level in ("Kém", "Tốt"):
        for earlier in sorted((ws / "records/2023/pa-vi").glob("2023-*.yaml")):
            _level(earlier, level)
        scored.clear()
        _same(command)
        assert scored[0] == "whole"


def test_the_current_year_through_last_month_by_default(example_copy: Path, scored: list[str]) -> None:
    """Today (the real clock) is in 2026: records of 2026 through October, no year.yaml yet; the
    default request scores 2026 through last month at least, and edits are done again."""
    import datetime as dt

    ws = example_copy
    year = dt.date.today().year
    _copy_year(ws, year, keep=False)
    for record in (ws / "records" / str(year)).glob("*/*.yaml"):
        if record.name == "year.yaml" or record.stem[5:] > f"{dt.date.today().month - 1:02d}":
            record.unlink()
    months = sorted((ws / "records" / str(year) / "pa-vi").glob("*.yaml"))
    assert months
    for command in (
        ["score", "--format", "json", str(ws)],
        ["score", str(ws)],
        ["score", "--month", "6", "--format", "csv", str(ws)],
    ):
        _same(command)
        for record in (months[0], months[-1]):
            _level(record, "Kém" if record == months[0] else "Khá")
            scored.clear()
            _same(command)
            assert scored[0] == "rerun", command


_WORKSPACE_QUOTA = """
quotas:
  - id: ty-le-tot
    band: Tốt
    base_bands: [Xuất sắc, Tốt, Trung bình, Kém]
    max_ratio: 0.3
    scope: workspace
    tie_break: [name]
    demote_to: Trung bình
    reason: Quá hạn mức “Tốt” của toàn tỉnh (thử).
"""


def test_a_quota_over_the_whole_workspace_and_a_scored_dang_bo(tmp_path: Path, scored: list[str]) -> None:
    """A quota whose group is every cell of the workspace (not each đảng bộ's), ranked by name,
    with the đảng bộ scored by their share of cells recognised: corrections in cells of
    different đảng bộ at once are done again exactly."""
    import random

    from tests.test_cache import _correct

    ws = province_with_dang_bo(tmp_path / "tinh", 30, seed=6, parents=3)
    framework = ws / "criteria" / "ha-giang-2024.yaml"
    framework.write_text(framework.read_text(encoding="utf-8") + _WORKSPACE_QUOTA, encoding="utf-8")
    command = [*SCORE, str(ws)]
    first = _same(command)
    assert "Quá hạn mức" in first[1]
    rng = random.Random(6)
    months = sorted((ws / "records" / "2024").glob("*/2024-*.yaml"))
    reruns = 0
    for _step in range(4):
        whats = [_correct(rng.choice(months), rng) for _n in range(3)]
        scored.clear()
        _same(command)
        reruns += scored[0] == "rerun"
        scored.clear()
        _same(["score", "--year", "2024", str(ws)])
        assert scored[0] in ("rerun", "whole"), whats
    assert reruns >= 3


@pytest.mark.parametrize(
    ("then", "damage"), [("table", "delete"), ("csv", "flip"), ("unit", "delete"), ("explain", "flip")]
)
def test_a_damaged_shard_under_a_kept_run_of_json_entries(
    example_copy: Path, scored: list[str], damage: str, then: str
) -> None:
    """``score --format json`` keeps every unit's JSON entry, so the next request of the same
    key gets its results unread (``_Unpickled``); another format of that request then reads
    them, from shards that may be gone or damaged."""
    from chibo4tot.cachestore import CACHE_DIR

    ws = str(example_copy)
    _same([*SCORE, ws])
    for shard in sorted((example_copy / CACHE_DIR).glob("u-*.bin")):
        if damage == "delete":
            shard.unlink()
        else:
            data = bytearray(shard.read_bytes())
            data[-10] ^= 0xFF
            shard.write_bytes(bytes(data))
    args = {
        "table": ["score", "--year", "2024", ws],
        "csv": ["score", "--year", "2024", "--format", "csv", ws],
        "unit": [*SCORE, "--unit", "pa-vi", ws],
        "explain": ["explain", "pa-vi", "--year", "2024", ws],
    }[then]
    _same(args)


def test_racy_record_edited_unseen_by_its_stat_is_done_again(
    example_copy: Path, scored: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record written a moment ago (its times in the racy window) edited again with a stat
    that does not show it (a coarse filesystem; here the snapshot is made to keep the old
    stat): the kept run's content hash catches it and the record is read again."""
    import os
    import time

    from chibo4tot.inputs import snapshot

    record = (example_copy / MARCH).resolve()
    future = time.time_ns() + 3600 * 10**9
    os.utime(record, ns=(future, future))
    command = [*SCORE, str(example_copy)]
    first = _same(command)
    real_take = snapshot.take
    old = real_take(example_copy.resolve())
    assert str(record) in old.racy
    line = next(x for x in old.lines if x.startswith(str(record) + "\0"))

    def coarse(root: Path, **kwargs: str) -> snapshot.Snapshot:
        """The snapshot as a coarse filesystem would give it: the record's stat as it was."""
        snap = real_take(root, **kwargs)
        lines = [line if x.startswith(str(record) + "\0") else x for x in snap.lines]
        stats = {**snap.stats, str(record): old.stats[str(record)]}
        return snapshot.Snapshot(snap.digest, snap.racy, snap.files, snap.context, stats, lines)

    _points(record, "0")
    monkeypatch.setattr(snapshot, "take", coarse)
    scored.clear()
    cached = _run(command)
    monkeypatch.setattr(snapshot, "take", real_take)
    assert cached == _run([*command, "--no-cache"]) and cached != first
    assert scored[0] == "rerun"


def test_report_and_export_after_a_rerun(example_copy: Path, scored: list[str]) -> None:
    """``report`` (a request of its own: document) and ``export`` after edits done again from
    their kept runs write what --no-cache writes; the export written first no longer verifies."""
    ws = str(example_copy)
    out = example_copy.parent / "out"
    report = ["report", ws, "--year", "2024", "--date", "2025-01-15", "--allow-incomplete", "--format", "md"]
    export = ["export", ws, "--year", "2024", "--allow-incomplete"]

    def written(name: str) -> dict[str, bytes]:
        cached = _run([*report, "--out", str(out / name / "a")])
        fresh = _run([*report, "--out", str(out / name / "b"), "--no-cache"])
        assert cached[0] == fresh[0] == 0
        exported = [
            _run([*export, "--out", str(out / name / f"{x}.json"), *flag])
            for x, flag in (("a", []), ("b", ["--no-cache"]))
        ]
        assert exported[0][0] == exported[1][0] == 0
        assert (out / name / "a.json").read_bytes() == (out / name / "b.json").read_bytes()
        files = {p.name: p.read_bytes() for p in (out / name / "a").iterdir()}
        assert files == {p.name: p.read_bytes() for p in (out / name / "b").iterdir()}
        return files

    first = written("0")
    for step, value in enumerate(("0", "3", "5"), start=1):
        _points(example_copy / MARCH, value)
        scored.clear()
        files = written(str(step))
        assert scored[0] == "rerun", scored
    assert files != first
    verified = _run(["verify", str(out / "0" / "a.json"), ws])
    assert verified == _run(["verify", str(out / "0" / "a.json"), ws, "--no-cache"])
    assert verified[0] != 0


def test_a_dang_bo_with_its_own_records_edited_with_its_cells(tmp_path: Path, scored: list[str]) -> None:
    """A đảng bộ scored from its own records and from its share of cells recognised: its record
    and a cell's edited at once (the cell first made to fail, then to pass), in two đảng bộ."""
    import shutil

    ws = province_with_dang_bo(tmp_path / "xa", 12, seed=8, parents=2)
    records = ws / "records" / "2024"
    cells = sorted(p for p in records.iterdir())
    for parent, cell in (("dang-bo-001", cells[0]), ("dang-bo-002", cells[-1])):
        own = records / parent
        shutil.copytree(cell, own)
        for record in own.glob("*.yaml"):
            text = record.read_text(encoding="utf-8")
            text = re.sub(r"^unit: .*$", f"unit: {parent}", text, count=1, flags=re.M)
            record.write_text(text.replace("framework: ha-giang-2024", "framework: dang-bo-2024"), "utf-8")
    command = [*SCORE, str(ws)]
    first = _same(command)
    assert "dang-bo-001" in first[1] and "hồ sơ có lỗi" not in first[2]
    for level in ("Kém", "Tốt", "Khá"):
        for folder in ("dang-bo-001", cells[1].name, "dang-bo-002", cells[-2].name):
            for record in sorted((records / folder).glob("2024-0[2-4].yaml")):
                _level(record, level)
        scored.clear()
        _same(command)
        assert scored[0] == "rerun", scored
        _same(["score", "--year", "2024", "--format", "csv", str(ws)])


def test_two_files_for_one_month(example_copy: Path, scored: list[str]) -> None:
    """A second file for March in the same folder: whichever one counts, editing either says
    what a whole run says."""
    ws = example_copy
    copy = ws / "records/2024/pa-vi/2024-03-sua.yaml"
    copy.write_bytes((ws / MARCH).read_bytes())
    command = [*SCORE, str(ws)]
    _same(command)
    for record, value in ((copy, "0"), (ws / MARCH, "2"), (copy, "5")):
        _points(record, value)
        _same(command)


def test_a_second_file_for_a_month_moved_down_a_line_is_located_where_it_is_now(
    example_copy: Path, scored: list[str]
) -> None:
    """The duplicate check spans files (it is no file's own check): the file it flags, given a
    comment line above its month, keeps its header, its problems and its checks."""
    ws = example_copy
    (ws / "records/2024/pa-vi/2024-03-sua.yaml").write_bytes((ws / MARCH).read_bytes())
    command = [*SCORE, str(ws), "--keep-going"]
    first = _same(command)
    assert "trùng hồ sơ" in first[2]
    _edit(ws / MARCH, "unit: pa-vi\n", "# sửa lại\nunit: pa-vi\n")
    _same(command)


def test_a_dang_bo_left_out_for_a_broken_file_and_a_quota_over_the_workspace(
    tmp_path: Path, scored: list[str]
) -> None:
    """A đảng bộ with a broken record of its own is left out of the run, and with it out its
    cells are at the top level, apart from the other đảng bộ's cells: a quota over the whole
    workspace groups the cells of each level. Corrections in the other đảng bộ's cells."""
    import random

    from tests.test_bench_tools import province
    from tests.test_cache import _correct

    ws = tmp_path / "tinh"
    province.build(ws, 20, seed=9, parents=2)
    framework = ws / "criteria" / "ha-giang-2024.yaml"
    framework.write_text(framework.read_text(encoding="utf-8") + _WORKSPACE_QUOTA, encoding="utf-8")
    records = ws / "records" / "2024"
    cells = sorted(records.iterdir())
    broken = records / "dang-bo-001" / "2024-01.yaml"
    broken.parent.mkdir()
    text = (cells[0] / "2024-01.yaml").read_text(encoding="utf-8")
    text = re.sub(r"^unit: .*$", "unit: dang-bo-001", text, count=1, flags=re.M)
    broken.write_text(text.replace("held: true", "held: maybe", 1), encoding="utf-8")
    command = [*SCORE, str(ws), "--keep-going"]
    first = _same(command)
    assert first[0] == 1 and "dang-bo-001" in first[2]
    rng = random.Random(9)
    under_second = sorted(records.glob("*/2024-*.yaml"))[len(cells) // 2 * 12 :]
    reruns = 0
    for _step in range(4):
        whats = [_correct(rng.choice(under_second), rng) for _n in range(2)]
        scored.clear()
        cached, fresh = _both(command)
        assert cached == fresh, (scored, whats)
        reruns += scored[0] == "rerun"
    assert reruns >= 3


def _has_stray(text: str) -> bool:
    month = re.search(r"^month: (2024-\d\d)", text, re.M)
    return month is not None and any(d != month[1] for d in re.findall(r"^  date: (2024-\d\d)", text, re.M))


def _mixed_edit(ws: Path, rng: random.Random) -> str:
    """A correction, a comment line moving everything below it, a stray date, a file broken or
    mended: each in a random month record of the year."""
    from tests.test_cache import _correct

    months = sorted((ws / "records" / "2024").glob("*/2024-*.yaml"))
    record = rng.choice(months)
    text = record.read_text(encoding="utf-8")
    kind = rng.choice(["correct", "correct", "correct", "comment", "stray", "unstray", "break", "mend"])
    if kind == "correct":
        return _correct(record, rng)
    if kind == "comment":  # in a record with a stray date, if there is one: the gap's line moves
        strays = [p for p in months if _has_stray(p.read_text(encoding="utf-8"))]
        record = rng.choice(strays) if strays else record
        text = record.read_text(encoding="utf-8").replace("meeting:\n", "# ghi chú\nmeeting:\n", 1)
    elif kind == "stray":
        text = re.sub(
            r"^(  date: 2024-)(\d\d)",
            lambda m: m[1] + ("07" if m[2] != "07" else "08"),
            text,
            count=1,
            flags=re.M,
        )
    elif kind == "unstray":
        month = re.search(r"^month: 2024-(\d\d)", text, re.M)
        assert month is not None
        text = re.sub(r"^(  date: 2024-)\d\d", rf"\g<1>{month[1]}", text, count=1, flags=re.M)
    elif kind == "break":
        text = text.replace("held: true", "held: maybe", 1)
    elif kind == "mend":
        text = text.replace("held: maybe", "held: true", 1)
    record.write_text(text, encoding="utf-8")
    return f"{kind} {record.parent.name}/{record.name}"


def test_mixed_edits_in_a_province_with_everything_at_once(tmp_path: Path, scored: list[str]) -> None:
    """Two đảng bộ scored, a quota over the workspace, and edits of every kind that keep or
    change what a record says of itself; json with --keep-going and the table each time."""
    ws = province_with_dang_bo(tmp_path / "tinh", 16, seed=11, parents=2)
    framework = ws / "criteria" / "ha-giang-2024.yaml"
    framework.write_text(framework.read_text(encoding="utf-8") + _WORKSPACE_QUOTA, encoding="utf-8")
    rng = random.Random(13)
    json_command = [*SCORE, str(ws), "--keep-going"]
    table = ["score", "--year", "2024", str(ws), "--keep-going"]
    _same(json_command)
    reruns = 0
    for _step in range(10):
        whats = [_mixed_edit(ws, rng) for _n in range(rng.randint(1, 2))]
        scored.clear()
        cached, fresh = _both(json_command)
        assert cached == fresh, whats
        reruns += scored[0] == "rerun"
        shown, fresh = _both(table)
        assert shown == fresh, whats
    assert reruns >= 4


def test_a_cycle_of_dang_bo_in_units_yaml_with_keep_going(tmp_path: Path, scored: list[str]) -> None:
    """units.yaml says each of two scored đảng bộ is above the other (an error, shown; the
    results still are with --keep-going): a cell's correction done again says what a whole run
    says, where neither đảng bộ counts the other among its cells."""
    ws = province_with_dang_bo(tmp_path / "xa", 8, seed=12, parents=2)
    units = ws / "units.yaml"
    text = units.read_text(encoding="utf-8")
    for me, other in (("dang-bo-001", "dang-bo-002"), ("dang-bo-002", "dang-bo-001")):
        text = re.sub(rf"(  - id: {me}\n(?:    .*\n)*?    parent: )null", rf"\g<1>{other}", text, count=1)
    units.write_text(text, encoding="utf-8")
    command = [*SCORE, str(ws), "--keep-going"]
    first = _same(command)
    assert "vòng tròn" in first[2] and '"id": "dang-bo-001"' in first[1]
    cells = sorted((ws / "records" / "2024").iterdir())
    for level, cell in (("Kém", cells[0]), ("Tốt", cells[0]), ("Kém", cells[-1]), ("Tốt", cells[-1])):
        for record in cell.glob("2024-*.yaml"):
            _level(record, level)
        scored.clear()
        _same(command)
        assert scored[0] == "rerun", scored


@pytest.mark.parametrize("stale", ["head", "shards"])
def test_a_head_and_shards_from_two_runs(example_copy: Path, scored: list[str], stale: str) -> None:
    """Two processes done again from one kept run write their shards, then their heads: what
    is left may be one's head over the other's shards (simulated by putting back the head, or
    the shards, of the run before). Never trusted; printed as --no-cache prints it."""
    import shutil

    from chibo4tot.cachestore import CACHE_DIR

    ws = str(example_copy)
    cache = example_copy / CACHE_DIR
    table = ["score", "--year", "2024", ws]
    _same([*SCORE, ws])
    before = example_copy.parent / "before"
    shutil.copytree(cache, before)
    _points(example_copy / MARCH, "0")
    _same(table)
    pattern = "w-*.bin" if stale == "head" else "u-*.bin"
    for entry in before.glob(pattern):
        shutil.copy2(entry, cache / entry.name)
    for args in (table, [*SCORE, ws], ["explain", "pa-vi", "--year", "2024", ws]):
        _same(args)
    _points(example_copy / MARCH, "5")
    for args in (table, [*SCORE, ws]):
        _same(args)


def test_a_later_year_edited_under_a_kept_run_of_an_earlier_one(
    example_copy: Path, scored: list[str]
) -> None:
    """Records of 2025 beside 2024: asked for 2024, an edit of 2025 is read again and changes
    nothing scored; by default (2025), an edit of 2024 (its streaks) is a whole run."""
    ws = example_copy
    _copy_year(ws, 2025)
    earlier = [*SCORE, str(ws)]
    latest = ["score", "--format", "json", str(ws)]
    _same(earlier)
    _same(latest)
    later = ws / "records/2025/pa-vi/2025-03.yaml"
    _level(later, "Kém")
    scored.clear()
    _same(earlier)
    assert scored[0] == "rerun"
    _same(latest)
    _level(ws / MARCH, "Kém")
    scored.clear()
    _same(latest)
    assert scored[0] == "whole"
    _same(earlier)
