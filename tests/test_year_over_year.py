"""Year over year: last year's results beside this year's, from the workspace's own records of
last year or from its export of last year (history/), in ``score`` (JSON, CSV, table) and the
reports, through the cache as without it."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any

from tests import test_cache
from tests.conftest import invoke
from tests.test_cache_review import MARCH, _copy_year, _level, _same

scored = test_cache.scored
_not_racy = test_cache._not_racy


HISTORY = Path("history/ket-qua-2023.json")


def _no_history(ws: Path) -> None:
    """The example without its export of 2023: nothing known of last year."""
    shutil.rmtree(ws / "history")


def _two_years(ws: Path) -> None:
    """The example with a 2023 made of its 2024 records, Mã Pì Lèng's 2023 all "Kém" (not recognised)
    and Lũng Lầu without any record of 2023 (not assessed that year); its export of 2023 is
    still there, and the records win over it."""
    _copy_year(ws, 2023)
    for record in sorted((ws / "records/2023/ma-pi-leng").glob("2023-*.yaml")):
        _level(record, "Kém")
    shutil.rmtree(ws / "records/2023/lung-lau")


def _json(ws: Path, year: int, *extra: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        invoke(["score", "--year", str(year), "--format", "json", str(ws), *extra]).stdout
    )
    return data


def test_last_years_figures_are_those_of_scoring_last_year(example_copy: Path) -> None:
    ws = example_copy
    _two_years(ws)
    now, last = _json(ws, 2024, "--no-cache"), _json(ws, 2023, "--no-cache")
    before = {u["id"]: u for u in last["units"]}
    for unit in now["units"]:
        previous = unit["previous"]
        if unit["id"] == "lung-lau":
            assert previous is None  # no record of 2023: no result that year, not a zero
            continue
        was = before[unit["id"]]
        assert previous == {
            "year": 2023,
            "total": was["total"],
            "rating": was["rating"],
            "recognised": was["recognised"],
        }
    assert before["ma-pi-leng"]["recognised"] is False
    assert next(u for u in now["units"] if u["id"] == "ma-pi-leng")["recognised"] is True
    # Over the cells assessed in 2023: those of the 2023 summary but Lũng Lầu (scored there, as
    # a unit of the workspace with no record, never recognised).
    summary = now["summary"]["previous"]
    assert summary["year"] == 2023 and summary["source"] == "records"
    assert summary["units"] == last["summary"]["units"] - 1
    assert summary["recognised"] == last["summary"]["recognised"]
    assert summary["recognised_rate"] == round(summary["recognised"] / summary["units"], 4)
    assert summary["by_parent"] == {
        "dang-bo-xa-thuong-phung": {k: summary[k] for k in ("units", "recognised", "recognised_rate")}
    }
    # The keys of before stay as they were (JSON contract): "previous" is added, last.
    assert list(now["units"][0])[-1] == "previous"
    assert set(now["summary"]) - set(last["summary"]) == set()
    # 2023 itself has no year before it in the workspace.
    assert last["summary"]["previous"] is None
    assert all(u["previous"] is None for u in last["units"])


def test_without_last_years_results_previous_is_null(example_copy: Path) -> None:
    _no_history(example_copy)
    data = _json(example_copy, 2024)
    assert data["summary"]["previous"] is None
    assert all(u["previous"] is None for u in data["units"])
    csv = invoke(["score", "--year", "2024", "--format", "csv", str(example_copy)]).stdout
    assert "2023" not in csv.splitlines()[0]


def test_csv_and_table_show_last_year_beside_this_year(example_copy: Path) -> None:
    ws = example_copy
    _two_years(ws)
    csv = invoke(["score", "--year", "2024", "--format", "csv", str(ws)]).stdout
    header, *rows = csv.lstrip("\ufeff").splitlines()
    assert header.endswith("Tháng,Tổng 2023,Kết quả 2023,Số năm liền đạt,Lý do / cần có")
    ma_pi_leng = next(r for r in rows if r.startswith("ma-pi-leng,"))
    lung_lau = next(r for r in rows if r.startswith("lung-lau,"))
    assert ",Không đạt,1," in ma_pi_leng  # not recognised in 2023: this year's is its first in a row
    assert ",—,—,0," in lung_lau
    table = invoke(["score", "--year", "2024", str(ws)]).stdout
    assert "Năm 2023" in table and "Năm liền" in table
    assert "so với năm 2023" in table


def test_cached_runs_keep_last_years_figures(example_copy: Path, scored: list[str]) -> None:
    """Scored twice (the second from the cache), then after an edit of a 2024 record (done again
    from the kept run) and of a 2023 record (a whole run): the same as without the cache."""
    ws = example_copy
    _two_years(ws)
    commands = [
        ["score", "--year", "2024", "--format", "json", str(ws)],
        ["score", "--year", "2024", "--format", "csv", str(ws)],
        ["score", "--year", "2024", str(ws)],
    ]
    for command in commands:
        _same(command)
        _same(command)
    first = json.loads(_same(commands[0])[1])
    assert first["summary"]["previous"]["units"] == 10
    _level(ws / MARCH, "Kém")
    scored.clear()
    for command in commands:
        _same(command)
    assert scored[0] == "rerun"
    edited = json.loads(_same(commands[0])[1])
    assert edited["summary"]["previous"] == first["summary"]["previous"]
    pa_vi = next(u for u in edited["units"] if u["id"] == "pa-vi")
    assert pa_vi["previous"] == next(u for u in first["units"] if u["id"] == "pa-vi")["previous"]
    for record in sorted((ws / "records/2023/ma-pi-leng").glob("2023-*.yaml")):
        _level(record, "Tốt")
    scored.clear()
    again = json.loads(_same(commands[0])[1])
    assert scored[0] == "whole"
    assert again["summary"]["previous"]["recognised"] == first["summary"]["previous"]["recognised"] + 1


def test_the_export_holds_its_own_year_alone(example_copy: Path, tmp_path: Path) -> None:
    """Last year's figures are not part of an export (nor of its fingerprint): a year's export
    is the same with or without last year's records."""
    out_one, out_two = tmp_path / "one.json", tmp_path / "two.json"
    _no_history(example_copy)
    invoke(["export", str(example_copy), "--year", "2024", "--out", str(out_one), "--allow-incomplete"])
    _two_years(example_copy)
    invoke(["export", str(example_copy), "--year", "2024", "--out", str(out_two), "--allow-incomplete"])
    one = json.loads(out_one.read_text(encoding="utf-8"))
    two = json.loads(out_two.read_text(encoding="utf-8"))
    assert "previous" not in json.dumps(two)
    assert [u["id"] for u in one["units"]] == [u["id"] for u in two["units"]]


# ── reports ───────────────────────────────────────────────────────────────────────────────────


def _report(ws: Path, out: Path, *extra: str) -> Path:
    invoke(["report", str(ws), "--year", "2024", "--out", str(out), "--force", "--allow-incomplete", *extra])
    return out


def _compare_rows(out: Path) -> list[list[Any]]:
    from tests.xlsx_dump import load

    ws = load((out / "chi-bo-4-tot-2024.xlsx").read_bytes())["So với năm trước"]
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_the_workbook_compares_each_cell_and_each_dang_bo_with_last_year(
    example_copy: Path, tmp_path: Path
) -> None:
    from tests.xlsx_dump import load

    ws = example_copy
    _two_years(ws)
    out = _report(ws, tmp_path / "out")
    now, last = _json(ws, 2024), _json(ws, 2023)
    rows = _compare_rows(out)
    assert rows[0][0] == "SO SÁNH KẾT QUẢ “CHI BỘ 4 TỐT” NĂM 2024 VỚI NĂM 2023"
    assert rows[2][0].startswith("Tỉ lệ chi bộ được công nhận ") and "so với năm 2023" in rows[2][0]
    header = rows[3]
    assert header[2] == "Tổng điểm năm 2023" and header[5] == "Tổng điểm năm 2024"
    before = {u["name"]: u for u in last["units"]}
    units = {u["name"]: u for u in now["units"] if u["kind"] != "dang_bo_co_so"}  # the cells
    body = [r for r in rows[4:] if isinstance(r[0], int) and r[1] in units and r[1] != "Tổng cộng"]
    assert len(body) == len(units) == 11
    for row in body:
        unit = units[row[1]]
        assert float(row[5]) == unit["total"] and row[7] == ("Đạt" if unit["recognised"] else "Không đạt")
        assert row[9] == unit["streak"]
        if unit["id"] == "lung-lau":
            assert row[2:5] == [None, "—", "—"] and row[8] is None
            continue
        was = before[row[1]]
        assert float(row[2]) == was["total"] and row[3] == was["rating"]
        assert row[4] == ("Đạt" if was["recognised"] else "Không đạt")
        assert round(float(row[8]), 2) == round(unit["total"] - was["total"], 2)
    total = next(r for r in rows if r[1] == "Tổng cộng")
    s, p = now["summary"], now["summary"]["previous"]
    assert total[2:8] == [
        p["units"],
        p["recognised"],
        p["recognised_rate"],
        s["units"],
        s["recognised"],
        s["recognised_rate"],
    ]
    assert round(float(total[8]), 2) == round((s["recognised_rate"] - p["recognised_rate"]) * 100, 2)
    sheet = load((out / "chi-bo-4-tot-2024.xlsx").read_bytes())["So với năm trước"]
    assert sheet["C5"].number_format == "0.00" and sheet[f"E{sheet.max_row}"].number_format == "0.00%"
    assert sheet[f"I{sheet.max_row}"].number_format == "+0.00;-0.00;0.00"


def test_the_reports_say_how_the_rate_compares(example_copy: Path, tmp_path: Path) -> None:
    ws = example_copy
    _two_years(ws)
    out = _report(ws, tmp_path / "out")
    text = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    now = _json(ws, 2024)["summary"]
    p = now["previous"]
    change = (now["recognised_rate"] - p["recognised_rate"]) * 100
    word = "tăng" if change > 0 else "giảm"

    def vn(x: float) -> str:
        return f"{x:.2f}".replace(".", ",")

    expected = (
        f"Tỉ lệ chi bộ được công nhận {word} {vn(abs(change))} điểm phần trăm so với năm 2023 "
        f"({vn(p['recognised_rate'] * 100)}%); năm 2023 có {p['recognised']}/{p['units']} chi bộ "
        "được công nhận."
    )
    assert expected in text
    assert "2 năm liền" in text
    from tests.docx_dump import dump

    assert expected in dump((out / "bao-cao-chi-bo-4-tot-2024.docx").read_bytes())
    # The documents still verify against the workspace.
    for name in ("bao-cao-chi-bo-4-tot-2024.md", "bao-cao-chi-bo-4-tot-2024.docx", "chi-bo-4-tot-2024.xlsx"):
        invoke(["verify", str(out / name), str(ws)])


def test_without_last_years_results_the_documents_say_so(example_copy: Path, tmp_path: Path) -> None:
    _no_history(example_copy)
    out = _report(example_copy, tmp_path / "out")
    said = "Không có kết quả năm 2023 để so sánh."
    assert said in (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    rows = _compare_rows(out)
    assert rows[2][0] == said
    from tests.docx_dump import dump

    assert said in dump((out / "bao-cao-chi-bo-4-tot-2024.docx").read_bytes())


def test_reports_from_the_cache_after_an_edit_are_those_without(
    example_copy: Path, tmp_path: Path, scored: list[str]
) -> None:
    ws = example_copy
    _two_years(ws)
    _report(ws, tmp_path / "a")
    _level(ws / MARCH, "Kém")
    scored.clear()
    cached = _report(ws, tmp_path / "b")
    assert scored[0] == "rerun"
    fresh = _report(ws, tmp_path / "c", "--no-cache")
    for name in ("bao-cao-chi-bo-4-tot-2024.md",):
        assert (cached / name).read_text(encoding="utf-8") == (fresh / name).read_text(encoding="utf-8")
    assert _compare_rows(cached) == _compare_rows(fresh)


# ── last year's export in history/ ────────────────────────────────────────────────────────────


def test_last_years_figures_from_the_export_in_history(example_copy: Path) -> None:
    """The example keeps records of 2024 only and its export of 2023: last year's figures and the
    streaks are the export's."""
    ws = example_copy
    assert not (ws / "records" / "2023").exists()
    export = json.loads((ws / HISTORY).read_text(encoding="utf-8"))
    data = _json(ws, 2024, "--no-cache")
    before = {u["id"]: u for u in export["units"]}
    for unit in data["units"]:
        was = before[unit["id"]]
        assert unit["previous"] == {
            "year": 2023,
            "total": was["total"],
            "rating": was["rating"],
            "recognised": was["recognised"],
        }
        assert unit["streak"] == (was["streak"] + 1 if unit["recognised"] else 0)
    assert any(u["streak"] == 2 for u in data["units"])
    previous = data["summary"]["previous"]
    assert previous["source"] == "export" and previous["year"] == 2023
    assert {k: previous[k] for k in ("units", "recognised", "recognised_rate")} == {
        k: export["summary"][k] for k in ("units", "recognised", "recognised_rate")
    }
    assert previous["by_parent"] == export["summary"]["by_parent"]


def test_the_years_records_win_over_its_export(example_copy: Path) -> None:
    _two_years(example_copy)
    data = _json(example_copy, 2024, "--no-cache")
    assert data["summary"]["previous"]["source"] == "records"
    assert next(u for u in data["units"] if u["id"] == "lung-lau")["previous"] is None
    # The export is not compared with: said beside it, so no one takes its figures for last year's
    warned = invoke(["score", "--year", "2024", str(example_copy), "--no-cache"]).stderr
    assert f"{HISTORY}: cảnh báo: không dùng tệp này để so sánh với năm 2023" in warned
    assert "(11 tổ chức đảng có kết quả)" in warned


def test_records_of_last_year_that_give_no_result_leave_the_export_compared(example_copy: Path) -> None:
    """A record of 2023 put in a workspace without a framework for 2023 scores nothing: last year's
    figures and the streaks are still the export's, not lost (nor a comparison with nothing)."""
    ws = example_copy
    with_export = _json(ws, 2024, "--no-cache")
    (ws / "records" / "2023" / "pa-vi").mkdir(parents=True)
    record = (ws / "records" / "2024" / "pa-vi" / "2024-03.yaml").read_text(encoding="utf-8")
    (ws / "records" / "2023" / "pa-vi" / "2023-03.yaml").write_text(record.replace("2024", "2023"), "utf-8")
    data = _json(ws, 2024, "--no-cache")
    assert data["summary"]["previous"] == with_export["summary"]["previous"]
    assert data["summary"]["previous"]["source"] == "export"
    assert [(u["previous"], u["streak"]) for u in data["units"]] == [
        (u["previous"], u["streak"]) for u in with_export["units"]
    ]


def test_an_export_of_another_year_is_not_last_year(example_copy: Path) -> None:
    """An export of 2023 says nothing of 2025's year before (2024, whose records are there)."""
    (example_copy / HISTORY).rename(example_copy / "history" / "cu.json")
    data = _json(example_copy, 2024, "--no-cache")
    assert data["summary"]["previous"]["year"] == 2023  # any name: every .json in history/ is read


def _edit_json(path: Path, change: Any) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def _refit(data: dict[str, Any]) -> None:
    """The export's fingerprints made again over what it says now (a well-formed export)."""
    from chibo4tot.results.export import FINGERPRINT, sha256, without_fingerprint

    for unit in data["units"]:
        unit[FINGERPRINT] = sha256(without_fingerprint(unit))
    data[FINGERPRINT] = sha256(without_fingerprint(data))


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    data[key] = value
    _refit(data)


def test_bad_exports_in_history_are_located_errors(example_copy: Path, tmp_path: Path) -> None:
    ws = example_copy
    path = ws / HISTORY
    good = path.read_text(encoding="utf-8")
    cases: list[tuple[Any, str]] = [
        (lambda d: d["units"][0].update(total=99), "nội dung không khớp với dấu vân tay"),
        (
            lambda d: _set(d, "dang_bo", {**d["dang_bo"], "id": "dang-bo-khac"}),
            "là kết quả của “dang-bo-khac”",
        ),
        (lambda d: _set(d, "as_of_month", 6), "chưa phải kết quả cả năm"),
        (lambda d: d.pop("year"), "year"),
    ]
    for change, message in cases:
        path.write_text(good, encoding="utf-8")
        _edit_json(path, change)
        for command in (["score", "--year", "2024", str(ws)], ["validate", str(ws)]):
            result = invoke(command, exit_code=1)
            assert re.search(rf"^{re.escape(str(path))}(:\d+:\d+)?: lỗi: ", result.stderr, re.M), (
                result.stderr
            )
            assert message in result.stderr
            assert "Traceback" not in result.stderr
    path.write_text(good[:200], encoding="utf-8")  # cut short: not JSON, located at its line
    result = invoke(["score", "--year", "2024", str(ws)], exit_code=1)
    assert re.search(rf"^{re.escape(str(path))}:\d+:\d+: lỗi: không phải JSON hợp lệ", result.stderr, re.M)
    path.write_text(good, encoding="utf-8")
    (ws / "history" / "ban-sao.json").write_text(good, encoding="utf-8")
    result = invoke(["score", "--year", "2024", str(ws)], exit_code=1)
    assert "trùng năm với tệp" in result.stderr


def test_the_history_is_part_of_the_caches_key(example_copy: Path, scored: list[str]) -> None:
    """An export edited, added or removed in history/ gives what --no-cache gives."""
    ws = example_copy
    path = ws / HISTORY
    command = ["score", "--year", "2024", "--format", "json", str(ws)]
    first = json.loads(_same(command)[1])
    assert first["summary"]["previous"]["recognised"] == 5

    def recognise_all(data: dict[str, Any]) -> None:
        for unit in data["units"]:
            unit["recognised"], unit["status"], unit["streak"] = True, "recognised", 3
        data["summary"].update(recognised=11, recognised_rate=1)
        data["summary"]["by_parent"]["dang-bo-xa-thuong-phung"].update(recognised=11, recognised_rate=1)
        _refit(data)

    _edit_json(path, recognise_all)
    edited = json.loads(_same(command)[1])
    assert edited["summary"]["previous"]["recognised"] == 11
    assert next(u for u in edited["units"] if u["id"] == "ma-pi-leng")["streak"] == 4
    _same(["score", "--year", "2024", str(ws)])
    path.unlink()
    gone = json.loads(_same(command)[1])
    assert gone["summary"]["previous"] is None


def test_before_the_year_is_over_nothing_is_compared_yet(example_copy: Path, tmp_path: Path) -> None:
    """Mid-year no cell is recognised yet and totals are of part of the year: last year's figures
    are given, this year's rate and the changes are not."""
    import datetime as dt

    from chibo4tot.report.context import build_context
    from chibo4tot.report.xlsx import render_xlsx
    from chibo4tot.results.evaluate import evaluate
    from tests.xlsx_dump import load

    ev = evaluate(example_copy, 2024, as_of=6)
    ctx = build_context(ev, dt.date(2024, 7, 5))
    sheet = load(render_xlsx(ctx))["So với năm trước"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    said = "Năm 2023 có 5/11 chi bộ được công nhận (45,45%); tỉ lệ năm nay chỉ có khi hết năm."
    assert rows[2][0] == said
    cells = rows[4 : rows.index([None] * len(rows[4]))]  # the first table: the cells
    units = [r for r in cells if isinstance(r[0], int) and r[2] is not None]
    assert units and all(r[8] is None for r in units)  # no change of total from half a year
    assert all(r[9] is None for r in units)  # nor a streak: none is made or broken before the end
    table = invoke(["score", str(example_copy), "--year", "2024", "--month", "6", "--format", "csv"]).stdout
    header, *lines = csv.reader(io.StringIO(table.lstrip("\ufeff")))
    at, verdict = header.index("Số năm liền đạt"), header.index("Kết quả")
    followed = [line[at] for line in lines if line[verdict] == "Đang theo dõi"]
    assert followed and set(followed) == {"—"}  # a cell already out of the running shows its 0
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert total[2:5] == [11, 5, 0.4545] and total[6:9] == [None, None, None]
    from chibo4tot.report.markdown import render_markdown

    assert said in render_markdown(ctx)


def test_explain_tells_last_year(example_copy: Path) -> None:
    out = invoke(["explain", "khu-bieu-nghi", str(example_copy), "--year", "2024"]).stdout
    assert out.rstrip().endswith("Năm 2023: 87,63 điểm, xếp loại Tốt, không đạt.")
    _no_history(example_copy)
    out = invoke(["explain", "khu-bieu-nghi", str(example_copy), "--year", "2024"]).stdout
    assert "Năm 2023" not in out


def test_history_through_a_link_out_of_the_workspace_is_refused(example_copy: Path, tmp_path: Path) -> None:
    """As records/ and criteria/: an export read through a link out of the workspace is refused,
    located. It was read, while the cache's key (the workspace alone) did not see it change: its
    removal left last year's figures in cached answers."""
    outside = tmp_path / "elsewhere"
    (example_copy / "history").rename(outside)
    (example_copy / "history").symlink_to(outside, target_is_directory=True)
    result = invoke([*test_cache.SCORE, str(example_copy)], exit_code=1)
    assert "history: lỗi: liên kết tượng trưng (symlink) trỏ ra ngoài thư mục" in result.stderr
    (example_copy / "history").unlink()
    (example_copy / "history").mkdir()
    (example_copy / HISTORY).symlink_to(outside / HISTORY.name)
    result = invoke([*test_cache.SCORE, str(example_copy)], exit_code=1)
    assert f"{HISTORY}: lỗi: liên kết tượng trưng (symlink) trỏ ra ngoài thư mục" in result.stderr
    (example_copy / HISTORY).unlink()  # a link inside the workspace is read
    shutil.copy(outside / HISTORY.name, example_copy / "kept.json")
    (example_copy / HISTORY).symlink_to(Path("..") / "kept.json")
    assert _json(example_copy, 2024)["summary"]["previous"]["source"] == "export"
