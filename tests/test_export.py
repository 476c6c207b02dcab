"""`chibo4tot export`: the published schema, no personal names, and a fingerprint over everything."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from chibo4tot.results.export import canonical, self_check, sha256, without_fingerprint
from tests.conftest import EXAMPLE, REPO, invoke

SCHEMA = REPO / "src" / "chibo4tot" / "schemas" / "export.schema.json"


def export_of(workspace: Path, out: Path, *extra: str) -> dict[str, Any]:
    invoke(["export", str(workspace), "--year", "2024", "--allow-incomplete", "--out", str(out), *extra])
    data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def example_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, Any]]:
    out = tmp_path_factory.mktemp("export") / "ket-qua.json"
    data = export_of(EXAMPLE, out, "--no-cache")
    return out.read_text(encoding="utf-8"), data


def personal_names(root: Path) -> set[str]:
    """Every person named in the records (absentees, disciplined members) and the report's signer."""
    names: set[str] = set()
    for path in sorted((root / "records").rglob("*.yaml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        names |= {a["name"] for a in (record.get("meeting") or {}).get("absentees") or []}
        names |= {case["member"] for case in record.get("discipline") or [] if case.get("member")}
    config = yaml.safe_load((root / "chibo4tot.yaml").read_text(encoding="utf-8"))
    names.add(config["signer"]["name"])
    return names


def test_the_example_export_validates_against_the_published_schema(
    example_export: tuple[str, dict[str, Any]],
) -> None:
    _text, data = example_export
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    broken = copy.deepcopy(data)
    broken["units"][0]["total"] = "94,5"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate(broken)


def test_the_example_export_names_no_person(example_export: tuple[str, dict[str, Any]]) -> None:
    text, data = example_export
    names = personal_names(EXAMPLE)
    assert {"Hầu Mí Lử", "Mua Mí Vàng", "Giàng Mí Sính"} <= names  # the grep looks for real names
    assert len(names) > 10
    assert [name for name in sorted(names) if name in text] == []
    pa_vi = next(u for u in data["units"] if u["id"] == "pa-vi")
    assert pa_vi["reasons"] == [
        "Chi bộ có đảng viên bị kỷ luật trong năm (1 vụ), "
        "không thuộc trường hợp chi bộ tự phát hiện và khắc phục."
    ]


def test_the_export_holds_the_score_json_of_every_cell(example_export: tuple[str, dict[str, Any]]) -> None:
    _text, data = example_export
    score = json.loads(invoke(["score", str(EXAMPLE), "--year", "2024", "--format", "json"]).stdout)
    # Last year's figures are shown beside a year's, never part of its export.
    assert score["summary"].pop("previous")["year"] == 2023
    for unit in score["units"]:
        assert unit.pop("previous")["year"] == 2023
    assert data["summary"] == score["summary"]
    assert data["dang_bo"]["id"] == "dang-bo-xa-thuong-phung"
    assert data["gaps"] == 1  # Lũng Lầu lacks three months
    assert [f["id"] for f in data["frameworks"]] == ["dang-bo-co-so-2024", "ha-giang-2024"]
    for exported, scored in zip(copy.deepcopy(data["units"]), score["units"], strict=True):
        assert exported.pop("fingerprint")
        if exported["id"] != "pa-vi":
            assert exported == scored
        else:
            assert {k: v for k, v in exported.items() if k != "reasons"} == {
                k: v for k, v in scored.items() if k != "reasons"
            }


def test_the_fingerprint_covers_everything_and_can_be_recomputed(
    example_export: tuple[str, dict[str, Any]],
) -> None:
    _text, data = example_export
    assert self_check(data) == (True, [])
    assert data["fingerprint"] == sha256(without_fingerprint(data))
    assert canonical({"b": "Đ", "a": [1.5]}) == '{"a":[1.5],"b":"Đ"}'.encode()
    assert canonical({"x": "D\u0323"}) == canonical({"x": "\u1e0c"})  # NFC
    for path in (("units", 3, "total"), ("summary", "recognised"), ("frameworks", 0, "sha256"), ("gaps",)):
        edited = copy.deepcopy(data)
        node: Any = edited
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = 77 if path[-1] != "sha256" else "0" * 64
        ok, cells = self_check(edited)
        assert not ok, path
        assert cells == (["tram-y-te"] if path[0] == "units" else []), path


def test_the_framework_hash_follows_the_merged_framework(example_copy: Path, tmp_path: Path) -> None:
    before = export_of(example_copy, tmp_path / "a.json")
    local = next((example_copy / "criteria").glob("*.yaml"))
    local.write_text(local.read_text(encoding="utf-8") + "\n# chỉ thêm một dòng ghi chú\n", encoding="utf-8")
    assert export_of(example_copy, tmp_path / "b.json")["frameworks"] == before["frameworks"]


def test_export_refuses_gaps_and_overwriting(example_copy: Path, tmp_path: Path) -> None:
    out = tmp_path / "ket-qua.json"
    result = invoke(["export", str(example_copy), "--year", "2024", "--out", str(out)], exit_code=1)
    assert "--allow-incomplete" in result.stderr
    assert not out.exists()
    export_of(example_copy, out)
    result = invoke(
        ["export", str(example_copy), "--year", "2024", "--allow-incomplete", "--out", str(out)], exit_code=2
    )
    assert "--force" in result.stderr
    export_of(example_copy, out, "--force")


def test_export_default_path_is_in_the_workspace(example_copy: Path) -> None:
    result = invoke(["export", str(example_copy), "--year", "2024", "--allow-incomplete"])
    assert result.stdout.strip().endswith("ket-qua-dang-bo-xa-thuong-phung-2024.json")
    assert (example_copy / "bao-cao" / "ket-qua-dang-bo-xa-thuong-phung-2024.json").is_file()
