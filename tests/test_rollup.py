"""`chibo4tot rollup`: a district's results from its đảng bộ's exports, the same as scoring them at once."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from chibo4tot.results.export import sha256, without_fingerprint
from tests.conftest import EXAMPLE, build_tree, invoke

DATE = ["--date", "2025-02-05", "--allow-incomplete"]  # Lũng Lầu lacks three months
# The example's eleven cells in three đảng bộ. The framework's quota (at most 20% "Xuất sắc" among
# the cells rated "Tốt" or better, within one đảng bộ) is applied by each đảng bộ to its own cells,
# so the cell rated "Xuất sắc" goes with five others: the quota lets it keep its band, as it does
# when the eleven are scored at once, and every cell must then come out the same.
SPLIT = {"dang-bo-a": slice(0, 6), "dang-bo-b": slice(6, 9), "dang-bo-c": slice(9, None)}


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _export(workspace: Path, out: Path) -> Path:
    invoke(["export", str(workspace), "--year", "2024", "--allow-incomplete", "--out", str(out)])
    return out


@pytest.fixture(scope="module")
def split_exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], Path]:
    """The example split into three đảng bộ, each exported; and the example's own export."""
    root = tmp_path_factory.mktemp("split")
    units = yaml.safe_load((EXAMPLE / "units.yaml").read_text(encoding="utf-8"))["units"]
    cells = [u for u in units if u["kind"] != "dang_bo_co_so"]
    (own,) = [u for u in units if u["kind"] == "dang_bo_co_so"]  # the example's đảng bộ, scored
    exports = []
    for dang_bo, part in SPLIT.items():
        ws = root / dang_bo
        # Without the example's export of 2023 (its đảng bộ's): the split ones have none of their own.
        shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns(".chibo4tot", "history"))
        name = f"Đảng bộ xã {dang_bo[-1].upper()}"
        config = (ws / "chibo4tot.yaml").read_text(encoding="utf-8")
        config = config.replace("id: dang-bo-xa-thuong-phung", f"id: {dang_bo}")
        config = config.replace("name: Đảng bộ xã Thượng Phùng", f"name: {name}")
        (ws / "chibo4tot.yaml").write_text(config, encoding="utf-8")
        # Each đảng bộ is scored too, from a copy of the example's own year record
        mine = [{**c, "parent": dang_bo} for c in cells[part]] + [{**own, "id": dang_bo, "name": name}]
        build_tree(ws, {"units.yaml": {"units": mine}})
        records = ws / "records" / "2024"
        (records / own["id"]).rename(records / dang_bo)
        year = records / dang_bo / "year.yaml"
        year.write_text(year.read_text(encoding="utf-8").replace(own["id"], dang_bo), encoding="utf-8")
        for folder in records.iterdir():
            if folder.name not in {u["id"] for u in mine}:
                shutil.rmtree(folder)
        exports.append(_export(ws, root / f"{dang_bo}.json"))
    whole = root / "whole"
    shutil.copytree(EXAMPLE, whole, ignore=shutil.ignore_patterns(".chibo4tot", "history"))
    return exports, _export(whole, root / "whole.json")


def test_three_dang_bo_rolled_up_equal_the_example_scored_at_once(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    exports, whole = split_exports
    out = tmp_path / "huyen"
    invoke(["rollup", *map(str, exports), "--year", "2024", "--out", str(out), *DATE])
    district, example = _load(out / "ket-qua-cap-tren-2024.json"), _load(whole)

    def cells(doc: dict[str, Any]) -> list[dict[str, Any]]:
        return [u for u in doc["units"] if u["kind"] != "dang_bo_co_so"]

    assert len(cells(district)) == len(cells(example)) == 11
    for rolled, scored in zip(cells(district), cells(example), strict=True):
        assert rolled["parent"] in SPLIT and scored["parent"] == "dang-bo-xa-thuong-phung"
        same = {k: v for k, v in rolled.items() if k not in ("parent", "fingerprint")}
        assert same == {k: v for k, v in scored.items() if k not in ("parent", "fingerprint")}
    for key in ("units", "recognised", "recognised_rate", "by_kind"):
        assert district["summary"][key] == example["summary"][key]
    # Each đảng bộ's own verdict, from its export: only A has 70% of its cells recognised
    verdicts = {u["id"]: u["recognised"] for u in district["units"] if u["kind"] == "dang_bo_co_so"}
    assert verdicts == {"dang-bo-a": True, "dang-bo-b": False, "dang-bo-c": False}
    assert district["summary"]["dang_bo"] == {"units": 3, "recognised": 1, "recognised_rate": 0.3333}
    assert district["summary"]["by_parent"] == {
        "dang-bo-a": {"units": 6, "recognised": 5, "recognised_rate": 0.8333},
        "dang-bo-b": {"units": 3, "recognised": 0, "recognised_rate": 0},
        "dang-bo-c": {"units": 2, "recognised": 1, "recognised_rate": 0.5},
    }
    assert district["gaps"] == 1 and district["dang_bo"]["name"] == "Đảng bộ huyện Mèo Vạc"
    # Without --header the district's own superior is not known: a placeholder, not its name twice
    head = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8").splitlines()[2:4]
    assert head == ["| … | **ĐẢNG CỘNG SẢN VIỆT NAM** |", "| **ĐẢNG BỘ HUYỆN MÈO VẠC** | |"]
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "được công nhận “Chi bộ 4 tốt”: 6 chi bộ, đạt 54,55%" in md
    assert "| Đảng bộ xã A | 6 | 5 | 83,33% |" in md
    assert "| Đảng bộ xã B | 3 | 0 | 0,00% |" in md
    assert "Đảng bộ cơ sở được công nhận “Đảng bộ cơ sở 4 tốt”: 1/3 (33,33%)." in md
    assert "Đảng bộ xã A: được công nhận “Đảng bộ cơ sở 4 tốt” (95,00 điểm, xếp loại Xuất sắc)." in md
    assert "Đảng bộ xã C: chưa được công nhận “Đảng bộ cơ sở 4 tốt”" in md
    assert "Lý do: Chỉ có 50,00% chi bộ trực thuộc đạt danh hiệu “Chi bộ 4 tốt”" in md
    assert md.rstrip().endswith(district["fingerprint"])
    assert "Hầu Mí Lử" not in md and "1 vụ" in md  # the reasons as exported, without names
    assert "Đảng bộ xã B gửi kết quả (dang-bo-b.json) khi hồ sơ còn 1 thiếu sót." in md
    assert sorted(p.name for p in out.iterdir()) == [
        "bao-cao-chi-bo-4-tot-2024.docx",
        "bao-cao-chi-bo-4-tot-2024.md",
        "chi-bo-4-tot-2024.xlsx",
        "danh-sach-cong-nhan-2024.docx",
        "ket-qua-cap-tren-2024.json",
    ]
    # The district's own export verifies, and its reports carry its fingerprint.
    assert "nội dung khớp" in invoke(["verify", str(out / "ket-qua-cap-tren-2024.json")]).stdout


def _cell(template: dict[str, Any], uid: str, kind: str, parent: str) -> dict[str, Any]:
    cell = copy.deepcopy(template)
    cell.update(id=uid, name=f"Chi bộ {uid}", kind=kind, parent=parent)
    cell["fingerprint"] = sha256(without_fingerprint(cell))
    return cell


def _synthetic(template: dict[str, Any], dang_bo: str, cells: list[dict[str, Any]]) -> dict[str, Any]:
    doc = copy.deepcopy(template)
    doc["dang_bo"] = {"id": dang_bo, "name": f"Đảng bộ {dang_bo}", "superior": "Đảng bộ huyện Mèo Vạc"}
    doc["units"] = cells
    recognised = sum(c["recognised"] for c in cells)
    doc["summary"] = {"units": len(cells), "recognised": recognised, "recognised_rate": None}
    doc["summary"] |= {"by_kind": {}, "by_parent": {}, "dang_bo": doc["summary"].copy()}
    doc["gaps"] = 0
    doc["fingerprint"] = sha256(without_fingerprint(doc))
    return doc


def test_a_district_of_342_cells_from_21_exports_shows_41_52_percent(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    example = _load(split_exports[1])
    good = next(u for u in example["units"] if u["id"] == "khu-bieu-nghi")
    bad = next(u for u in example["units"] if u["id"] == "tram-y-te")
    # Mèo Vạc, 2023: 109 of 308 chi bộ trực thuộc and 33 of 34 chi bộ cơ sở recognised.
    plan = [("chi_bo_truc_thuoc", i < 109) for i in range(308)] + [
        ("chi_bo_co_so", i < 33) for i in range(34)
    ]
    paths = []
    for n in range(21):
        dang_bo = f"xa-{n + 1:02d}"
        cells = [
            _cell(good if ok else bad, f"{dang_bo}-cb-{i:03d}", kind, dang_bo)
            for i, (kind, ok) in enumerate(plan)
            if i % 21 == n
        ]
        path = tmp_path / f"{dang_bo}.json"
        path.write_text(json.dumps(_synthetic(example, dang_bo, cells), ensure_ascii=False), encoding="utf-8")
        paths.append(path)
    out = tmp_path / "huyen"
    invoke(["rollup", *map(str, paths), "--out", str(out), "--format", "md", *DATE])
    summary = _load(out / "ket-qua-cap-tren-2024.json")["summary"]
    assert (summary["units"], summary["recognised"], summary["recognised_rate"]) == (342, 142, 0.4152)
    assert summary["by_kind"]["chi_bo_truc_thuoc"]["recognised"] == 109
    assert summary["by_kind"]["chi_bo_co_so"] == {"units": 34, "recognised": 33, "recognised_rate": 0.9706}
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "Tổng số chi bộ được đánh giá: 342; được công nhận “Chi bộ 4 tốt”: 142 chi bộ, đạt 41,52%" in md


def test_rollup_refuses_what_cannot_be_added_up(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    exports, whole = split_exports
    out = tmp_path / "out"
    # The same cells twice: the whole example and one of its parts.
    result = invoke(["rollup", str(whole), str(exports[0]), "--out", str(out)], exit_code=1)
    assert "chi bộ Chi bộ thôn Mã Pì Lèng (ma-pi-leng) đã có trong tệp whole.json" in result.stderr
    assert "không tổng hợp được" in result.stderr
    result = invoke(["rollup", str(exports[0]), str(exports[0]), "--out", str(out)], exit_code=1)
    assert "đã có trong tệp dang-bo-a.json" in result.stderr
    # Another year.
    other = _load(exports[1])
    other["year"] = 2023
    other["fingerprint"] = sha256(without_fingerprint(other))
    (tmp_path / "nam-2023.json").write_text(json.dumps(other, ensure_ascii=False), encoding="utf-8")
    result = invoke(
        ["rollup", str(exports[0]), str(tmp_path / "nam-2023.json"), "--out", str(out)], exit_code=1
    )
    assert "các tệp tổng hợp phải cùng một năm (đang có các năm 2023, 2024)" in result.stderr
    result = invoke(["rollup", str(exports[0]), "--year", "2023", "--out", str(out)], exit_code=1)
    assert "là kết quả năm 2024, không phải năm 2023" in result.stderr
    # An export edited after it was made.
    edited = _load(exports[2])
    edited["units"][0]["total"] = 95
    (tmp_path / "sua.json").write_text(json.dumps(edited, ensure_ascii=False), encoding="utf-8")
    result = invoke(["rollup", str(exports[0]), str(tmp_path / "sua.json"), "--out", str(out)], exit_code=1)
    assert "sua.json" in result.stderr and "tệp đã bị sửa sau khi xuất" in result.stderr
    # Not an export at all.
    (tmp_path / "khac.json").write_text("[1, 2", encoding="utf-8")
    result = invoke(["rollup", str(tmp_path / "khac.json"), "--out", str(out)], exit_code=1)
    assert "không phải JSON hợp lệ" in result.stderr
    assert not out.exists()


def test_the_district_header_comes_from_its_own_workspace_file(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    header = tmp_path / "chibo4tot.yaml"
    build_tree(
        tmp_path,
        {
            "units.yaml": {
                "units": [
                    {"id": f"dang-bo-{x}", "name": f"Đảng bộ xã {x.upper()}", "kind": "dang_bo_co_so"}
                    for x in "abcd"
                ]
            }
        },
    )
    header.write_text(
        "id: huyen-meo-vac\nname: Đảng bộ huyện Mèo Vạc\nsuperior: Đảng bộ tỉnh Hà Giang\n"
        "issuing_body: Huyện ủy Mèo Vạc\nabbreviation: HU\nplace: Mèo Vạc\n"
        "frameworks: [{years: [2024], framework: ha-giang-2024}]\nsigner: {on_behalf: T/M HUYỆN ỦY}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    invoke(
        [
            "rollup",
            *map(str, split_exports[0]),
            "--header",
            str(header),
            "--out",
            str(out),
            "--format",
            "md",
            *DATE,
        ]
    )
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "| ĐẢNG BỘ TỈNH HÀ GIANG | **ĐẢNG CỘNG SẢN VIỆT NAM** |" in md
    assert "**HUYỆN ỦY MÈO VẠC**" in md and "Mèo Vạc, ngày 05 tháng 02 năm 2025" in md
    assert (out / "ket-qua-huyen-meo-vac-2024.json").is_file()
    # The district's own list names the đảng bộ that sent nothing: refused, or stated in the report.
    assert "Đảng bộ xã D (dang-bo-d) chưa gửi kết quả (units.yaml, dòng " in md
    args = ["rollup", *map(str, split_exports[0]), "--header", str(header), "--out", str(tmp_path / "y")]
    result = invoke(args, exit_code=1)
    assert "units.yaml:" in result.stderr and "Đảng bộ xã D (dang-bo-d) chưa gửi kết quả" in result.stderr
    assert "--allow-incomplete" in result.stderr and not (tmp_path / "y").exists()
    header.write_text("id: huyen-meo-vac\n", encoding="utf-8")
    result = invoke(
        ["rollup", *map(str, split_exports[0]), "--header", str(header), "--out", str(tmp_path / "x")],
        exit_code=1,
    )
    assert "chibo4tot.yaml" in result.stderr


def test_exports_in_another_language_are_refused(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    result = invoke(
        ["--lang", "en", "rollup", str(split_exports[0][0]), "--out", str(tmp_path / "x")], exit_code=1
    )
    assert "--lang vi" in result.stderr


# ── last year beside this year (--previous) ───────────────────────────────────────────────────


def _last_year(export: Path, out: Path, fail: set[str]) -> Path:
    """The đảng bộ's export said of 2023, the cells of ``fail`` not recognised that year."""
    data = _load(export)
    data["year"] = 2023
    for unit in data["units"]:
        if unit["id"] in fail:
            unit.update(recognised=False, status="not_recognised", streak=0)
        unit["fingerprint"] = sha256(without_fingerprint(unit))
    cells = [u for u in data["units"] if u["kind"] != "dang_bo_co_so"]  # not the đảng bộ itself
    recognised = sum(1 for u in cells if u["recognised"])
    rate = round(recognised / len(cells), 4)
    data["summary"].update(recognised=recognised, recognised_rate=rate)
    for tally in data["summary"]["by_parent"].values():
        tally.update(recognised=recognised, recognised_rate=rate)
    data["fingerprint"] = sha256(without_fingerprint(data))
    out.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return out


def test_the_district_compares_each_dang_bo_with_last_year(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    from tests.xlsx_dump import load

    exports, _whole = split_exports
    # Đảng bộ A had one cell fewer recognised in 2023 (4 of 6), B and C the same as in 2024.
    first = next(u["id"] for u in _load(exports[0])["units"] if u["recognised"])
    before = [_last_year(exports[0], tmp_path / "a-2023.json", {first})]
    before += [_last_year(p, tmp_path / f"{i}-2023.json", set()) for i, p in enumerate(exports[1:])]
    out = tmp_path / "huyen"
    args = ["rollup", *map(str, exports), "--out", str(out), *DATE]
    invoke([*args, *(x for p in before for x in ("--previous", str(p)))])
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "Tỉ lệ chi bộ được công nhận tăng 9,10 điểm phần trăm so với năm 2023 (45,45%)" in md
    assert "Đảng bộ xã A: 83,33%, tăng 16,66 điểm phần trăm so với năm 2023 (66,67%)." in md
    assert "Đảng bộ xã B: 0,00%, bằng năm 2023 (0,00%)." in md
    assert "Đảng bộ xã C: 50,00%, bằng năm 2023 (50,00%)." in md
    sheet = load((out / "chi-bo-4-tot-2024.xlsx").read_bytes())["So với năm trước"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    by_name = {r[1]: r for r in rows if isinstance(r[1], str) and r[1].startswith("Đảng bộ xã")}
    assert [float(x) for x in by_name["Đảng bộ xã A"][2:9]] == [6, 4, 0.6667, 6, 5, 0.8333, 16.66]
    total = next(r for r in rows if r[1] == "Tổng cộng")
    assert [float(x) for x in total[2:9]] == [11, 5, 0.4545, 11, 6, 0.5455, 9.1]
    # The district's own export holds its year alone, and still verifies.
    assert "previous" not in (out / "ket-qua-cap-tren-2024.json").read_text(encoding="utf-8")
    assert "nội dung khớp" in invoke(["verify", str(out / "ket-qua-cap-tren-2024.json")]).stdout
    # Last year's exports must be of last year, untouched.
    result = invoke([*args, "--force", "--previous", str(exports[0])], exit_code=1)
    assert "là kết quả năm 2024, không phải năm 2023" in result.stderr
    tampered = _load(before[1])
    tampered["units"][0]["total"] = 1
    (tmp_path / "sua-2023.json").write_text(json.dumps(tampered, ensure_ascii=False), encoding="utf-8")
    result = invoke([*args, "--force", "--previous", str(tmp_path / "sua-2023.json")], exit_code=1)
    assert "dấu vân tay" in result.stderr
    # Without them, the documents say that last year is unknown.
    invoke([*args, "--force"])
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert "Không có kết quả năm 2023 để so sánh." in md


def test_a_dang_bo_without_last_years_export_is_left_out_of_the_districts_comparison(
    split_exports: tuple[list[Path], Path], tmp_path: Path
) -> None:
    """Last year's exports of A and B only: each is as it was (the change is nil), so the district's
    rate must not move because C's cells are counted this year and not last year."""
    from tests.xlsx_dump import load

    exports, _whole = split_exports
    before = [_last_year(p, tmp_path / f"{i}-2023.json", set()) for i, p in enumerate(exports[:2])]
    out = tmp_path / "huyen"
    invoke(
        [
            "rollup",
            *map(str, exports),
            "--out",
            str(out),
            *DATE,
            *(x for p in before for x in ("--previous", str(p))),
        ]
    )
    md = (out / "bao-cao-chi-bo-4-tot-2024.md").read_text(encoding="utf-8")
    assert (
        "Tính trên 2/3 đảng bộ có kết quả cả năm 2023 và năm nay, tỉ lệ chi bộ được công nhận bằng năm "
        "2023 (55,56%); năm 2023 các đảng bộ này có 5/9 chi bộ được công nhận." in md
    )
    assert "Đảng bộ xã C: 50,00%, không có kết quả năm 2023 để so sánh." in md
    assert "giảm" not in md
    sheet = load((out / "chi-bo-4-tot-2024.xlsx").read_bytes())["So với năm trước"]
    total = next(r for r in ([c.value for c in row] for row in sheet.iter_rows()) if r[1] == "Tổng cộng")
    assert total[8] is None  # no change over different đảng bộ
