"""`init` writes a workspace that validates; `new` writes a pre-filled record, never overwriting."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from chibo4tot.inputs.items import assessable_items
from chibo4tot.inputs.loading import load_workspace
from tests.conftest import invoke


def test_init_workspace_validates_at_once(tmp_path: Path) -> None:
    target = tmp_path / "dang-bo-moi"
    invoke(["init", str(target), "--year", "2024", "--name", "Đảng bộ xã Mới"])
    assert (target / "schemas" / "record.schema.json").is_file()
    text = (target / "chibo4tot.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=schemas/workspace.schema.json\n")
    assert '"Đảng bộ xã Mới"' in text
    result = invoke(["validate", str(target)])
    assert "Hợp lệ" in result.stdout
    # What init could not know is left as "…" and flagged until filled in: a report needs it.
    for label, key in (
        ("cấp ủy cấp trên", "superior"),
        ("cơ quan ban hành văn bản", "issuing_body"),
        ("địa danh", "place"),
        ("người ký", "signer"),
        ("nơi nhận", "recipients"),
    ):
        assert f": cảnh báo: {label} ({key}): " in result.stderr
    invoke(["validate", "--strict", str(target)], exit_code=1)


def test_init_refuses_an_existing_workspace(tmp_path: Path) -> None:
    invoke(["init", str(tmp_path), "--year", "2024"])
    invoke(["init", str(tmp_path), "--year", "2024"], exit_code=2)


def test_new_month_record_is_prefilled_and_listed(tmp_path: Path) -> None:
    invoke(["init", str(tmp_path), "--year", "2024"])
    result = invoke(["new", "chi-bo-thon-1", "--month", "2024-3", "--dir", str(tmp_path)])
    path = tmp_path / "records" / "2024" / "chi-bo-thon-1" / "2024-03.yaml"
    assert path.is_file(), result.stdout
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../../schemas/record.schema.json\n")
    assert "Hồ sơ tự đánh giá tháng 03/2024 — Chi bộ thôn 1" in text
    ws = load_workspace(tmp_path)
    fw = next(iter(ws.frameworks.values())).framework
    self_month = [i.id for i in assessable_items(fw).values() if i.period in ("month", "quarter")]
    assert {"1.1", "2.1.7", "2.1.8"} <= set(self_month)
    for ident in self_month:
        assert f'"{ident}":' in text
    # A composite is computed from its sub-indicators, never offered itself.
    assert '"2.1":' not in text
    # A sum roll-up offers one month's share of the year's points (3 points / 12 months).
    assert '"3.5":   # số điểm từ 0 đến 0,25' in text
    # The structure is valid; only the values left for the clerk to fill are reported.
    messages = {p.message for p in ws.problems.errors}
    assert messages == {"chưa ghi giá trị"}, messages


def test_new_year_record(tmp_path: Path) -> None:
    invoke(["init", str(tmp_path), "--year", "2024"])
    invoke(["new", "chi-bo-truong-hoc", "--year", "2024", "--dir", str(tmp_path)])
    text = (tmp_path / "records/2024/chi-bo-truong-hoc/year.yaml").read_text(encoding="utf-8")
    assert "member_classification:" in text
    # Self-assessed bonus items are offered in the year record, counted in times.
    assert '"t1": 0' in text
    ws = load_workspace(tmp_path)
    assert not [p for p in ws.problems.errors if p.message != "chưa ghi giá trị"]


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    invoke(["init", str(tmp_path), "--year", "2024"])
    args = ["new", "chi-bo-thon-1", "--month", "2024-03", "--dir", str(tmp_path)]
    invoke(args)
    path = tmp_path / "records/2024/chi-bo-thon-1/2024-03.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# đã sửa\n", encoding="utf-8")
    result = invoke(args, exit_code=2)
    assert "không ghi đè" in result.stderr
    assert path.read_text(encoding="utf-8").endswith("# đã sửa\n")


def test_new_unknown_unit_and_bad_month(tmp_path: Path) -> None:
    invoke(["init", str(tmp_path), "--year", "2024"])
    result = invoke(["new", "khong-co", "--month", "2024-03", "--dir", str(tmp_path)], exit_code=2)
    assert "chi-bo-thon-1" in result.stderr
    invoke(["new", "chi-bo-thon-1", "--month", "2024-13", "--dir", str(tmp_path)], exit_code=2)
    invoke(["new", "chi-bo-thon-1", "--dir", str(tmp_path)], exit_code=2)


def test_new_takes_the_month_in_both_forms(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    invoke(["new", "chi-bo-1", "--month", "2024-5", "--dir", str(root)])
    assert (root / "records/2024/chi-bo-1/2024-05.yaml").is_file()
    # "6" alone means June of this year (here a year the workspace has no framework for).
    result = invoke(["new", "chi-bo-1", "--month", "6", "--dir", str(root)], exit_code=2)
    assert f"năm {dt.date.today().year}" in result.stderr
    invoke(["new", "chi-bo-1", "--month", "13", "--dir", str(root)], exit_code=2)


def test_init_for_a_year_without_framework_says_which_year_it_set_up(tmp_path: Path) -> None:
    result = invoke(["init", str(tmp_path / "moi"), "--year", "2031"])
    assert "chưa có khung tiêu chí có sẵn cho năm 2031; không gian làm việc được đặt cho năm 2024" in (
        result.stderr
    )
    assert "--month 2024-01" in result.stderr  # the next step names a month that works


def test_init_keeps_the_cache_out_of_git(tmp_path: Path) -> None:
    fresh = tmp_path / "moi"
    invoke(["init", str(fresh), "--year", "2024", "--name", "Đảng bộ xã Mới"])
    assert ".chibo4tot/" in (fresh / ".gitignore").read_text(encoding="utf-8").splitlines()
    # A folder that already has a .gitignore keeps every line of it, and gains the cache's once.
    kept = tmp_path / "co-san"
    kept.mkdir()
    (kept / ".gitignore").write_text("*.bak", encoding="utf-8")
    invoke(["init", str(kept), "--year", "2024", "--name", "Đảng bộ xã Có Sẵn"])
    lines = (kept / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "*.bak" and lines.count(".chibo4tot/") == 1
