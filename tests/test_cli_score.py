"""`chibo4tot score` and `explain` on the example workspace: the contract, the verdicts, the traces."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE, invoke, mini_workspace

GOLDEN = Path(__file__).parent / "golden" / "score-example-2024.json"

# The cases the example was built to show (see examples/dang-bo-xa-thuong-phung/README.md).
EXPECTED = {
    "ma-pi-leng": True,
    "khu-bieu-nghi": True,
    "truong-th-thuong-phung": True,
    "cong-an-xa": True,
    "quan-su-xa": True,
    "truong-thcs-thuong-phung": True,  # a self-remedied discipline case does not count
    "pa-vi": False,  # gate: discipline
    "xin-chai": False,  # points
    "lung-lau": False,  # missing months
    "ta-ca-van": False,  # not registered
    "tram-y-te": False,  # the review layer lowers criterion 4
    "dang-bo-xa-thuong-phung": False,  # the đảng bộ itself: 6/11 cells recognised, under 70%
}


@pytest.fixture(scope="module")
def example_json() -> dict[str, object]:
    result = invoke(["score", str(EXAMPLE), "--year", "2024", "--format", "json"])
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_json_contract_keys(example_json: dict[str, object]) -> None:
    assert {"year", "framework", "units", "summary", "problems"} <= set(example_json)
    unit = example_json["units"][0]  # type: ignore[index]
    assert {
        "id",
        "name",
        "parent",
        "kind",
        "months_recorded",
        "months_missing",
        "criteria",
        "total",
        "max_total",
        "rating",
        "recognised",
        "reasons",
    } <= set(unit)
    assert set(unit["criteria"][0]) >= {"id", "name", "points", "max_points", "passed"}
    summary = example_json["summary"]
    assert {"units", "recognised", "recognised_rate", "by_kind"} <= set(summary)  # type: ignore[arg-type]


def test_example_verdicts_and_reasons(example_json: dict[str, object]) -> None:
    units = {u["id"]: u for u in example_json["units"]}  # type: ignore[attr-defined]
    assert {uid: u["recognised"] for uid, u in units.items()} == EXPECTED
    assert "kỷ luật" in units["pa-vi"]["reasons"][0]
    assert any("Tổng điểm" in r for r in units["xin-chai"]["reasons"])
    assert units["lung-lau"]["months_missing"] == [6, 7, 8]
    assert any("thiếu hồ sơ" in r for r in units["lung-lau"]["reasons"])
    assert any("đăng ký" in r for r in units["ta-ca-van"]["reasons"])
    assert any("Tiêu chí 4" in r for r in units["tram-y-te"]["reasons"])
    for u in units.values():
        assert bool(u["reasons"]) is not u["recognised"]
    summary = example_json["summary"]
    assert summary["units"] == 11 and summary["recognised"] == 6  # type: ignore[index]
    assert summary["recognised_rate"] == 0.5455  # type: ignore[index]


def test_example_matches_golden(example_json: dict[str, object], update_golden: bool) -> None:
    text = json.dumps(example_json, ensure_ascii=False, indent=2) + "\n"
    if update_golden:
        GOLDEN.write_text(text, encoding="utf-8")
    assert GOLDEN.read_text(encoding="utf-8") == text, "run make golden and review the diff"


def test_table_and_csv() -> None:
    table = invoke(["score", str(EXAMPLE), "--year", "2024"]).stdout
    assert "Chi bộ thôn Pả Vi" in table and "Không đạt" in table
    assert "6/11 chi bộ (54,55%)" in table
    csv_out = invoke(["score", str(EXAMPLE), "--year", "2024", "--format", "csv"]).stdout
    assert csv_out.startswith("\ufeff")
    header = csv_out.splitlines()[0]
    assert "TC1" in header and "Tổng" in header
    assert '"100,87"' in csv_out or ",100,87," in csv_out or "100,87" in csv_out


def test_one_unit_and_bad_options() -> None:
    data = json.loads(
        invoke(["score", str(EXAMPLE), "--year", "2024", "--unit", "pa-vi", "--format", "json"]).stdout
    )
    assert [u["id"] for u in data["units"]] == ["pa-vi"]
    invoke(["score", str(EXAMPLE), "--year", "2024", "--format", "xml"], exit_code=2)
    invoke(["score", str(EXAMPLE), "--year", "2024", "--unit", "khong-co"], exit_code=2)
    invoke(["score", str(EXAMPLE), "--year", "2024", "--month", "13"], exit_code=2)


def test_mid_year_shows_points_still_needed() -> None:
    data = json.loads(
        invoke(["score", str(EXAMPLE), "--year", "2024", "--month", "6", "--format", "json"]).stdout
    )
    assert data["as_of_month"] == 6
    units = {u["id"]: u for u in data["units"]}
    ok = units["ma-pi-leng"]
    assert ok["status"] == "in_progress" and ok["months_recorded"] == 6 and ok["months_missing"] == []
    assert ok["needed"] and ok["needed"][0].startswith("cần thêm")
    assert units["ta-ca-van"]["status"] == "not_recognised"  # not registered: already certain


def test_explain_names_the_rule_and_the_line() -> None:
    out = invoke(["explain", "pa-vi", "--dir", str(EXAMPLE), "--year", "2024"]).stdout
    gate = next(line for line in out.splitlines() if "ky-luat" in line)
    assert "KHÔNG ĐẠT" in gate
    assert re.search(r"records/2024/pa-vi/year\.yaml:\d+\]", gate)
    assert "Kết luận: Không đạt" in out
    month_line = re.search(r"03/2024: .* \[.*records/2024/pa-vi/2024-03\.yaml:(\d+)\]", out)
    assert month_line is not None
    line_no = int(month_line.group(1))
    text = (EXAMPLE / "records/2024/pa-vi/2024-03.yaml").read_text(encoding="utf-8").splitlines()
    assert '"1.1"' in text[line_no - 1]  # the first indicator's line really holds its value


def test_explain_says_what_was_needed() -> None:
    out = invoke(["explain", "tram-y-te", "--dir", str(EXAMPLE), "--year", "2024"]).stdout
    assert "thiếu 1,50 điểm ở tiêu chí 4" in out  # the same decimals as the tables
    assert "đảng ủy thẩm định" in out
    assert "Chênh lệch thẩm định ở chỉ tiêu 4.5" in out


def test_broken_record_exits_1_but_keep_going_scores_the_rest(example_copy: Path) -> None:
    bad = example_copy / "records/2024/xin-chai/2024-05.yaml"
    bad.write_text(bad.read_text(encoding="utf-8").replace("members:", "membres:", 1), encoding="utf-8")
    before = bad.read_bytes()
    result = invoke(["score", str(example_copy), "--year", "2024", "--format", "json"], exit_code=1)
    assert result.stdout == ""
    assert "2024-05.yaml" in result.stderr
    kept = invoke(
        ["score", str(example_copy), "--year", "2024", "--format", "json", "--keep-going"], exit_code=1
    )
    ids = {u["id"] for u in json.loads(kept.stdout)["units"]}
    assert "xin-chai" not in ids and "pa-vi" in ids
    assert bad.read_bytes() == before


def test_table_prints_brackets_in_names_as_text(make_ws: Callable[..., Path]) -> None:
    tree = mini_workspace()
    names = ["Chi bộ thôn [bản cũ] [/x]", "Chi bộ [red]Mới[/red]"]
    for unit, name in zip(tree["units.yaml"]["units"], names, strict=True):
        unit["name"] = name
    out = invoke(["score", str(make_ws(tree)), "--year", "2024"]).stdout
    assert all(name in out for name in names)
