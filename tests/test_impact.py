"""``criteria impact --rev``: the cells whose result changes between the framework at a git revision
and the working tree, checked against two independent scorings of two plain folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.cli.commands_impact import id_and_folder
from chibo4tot.formatting import rate, vn_percent
from chibo4tot.results.evaluate import evaluate
from chibo4tot.results.impact import compare_results
from chibo4tot.results.views import rating_label
from chibo4tot.scoring.organisation import CELL_KINDS
from chibo4tot.scoring.results import UnitResult, YearResults
from tests.conftest import EXAMPLE, invoke
from tests.gitrepo import LOCAL, RAISE_ATTENDANCE, git, raised_repo


@pytest.fixture
def repo_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return raised_repo(tmp_path, monkeypatch)


RAISE_MIN_TOTAL = """
recognition:
  min_total: 100
"""


def outcome(r: UnitResult) -> tuple[object, ...]:
    return (tuple((c.id, c.points) for c in r.criteria), r.total, rating_label(r), r.status)


def changed_ids(before: YearResults, after: YearResults) -> set[str]:
    """The units whose points per criterion, total, rating or verdict differ (written apart from the tool)."""
    old = {r.unit.id: outcome(r) for r in before.units}
    return {r.unit.id for r in after.units if old[r.unit.id] != outcome(r)}


def score_plain(tmp_path: Path, edit: str | None) -> YearResults:
    """Score a plain copy of the example (no git), with ``edit`` appended to its local framework."""
    folder = tmp_path / ("plain-after" if edit else "plain-before")
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns(".chibo4tot"))
    if edit:
        path = folder / LOCAL
        path.write_text(path.read_text(encoding="utf-8") + edit, encoding="utf-8")
    return evaluate(folder, 2024).results


@pytest.fixture
def expected_attendance(tmp_path: Path) -> tuple[YearResults, YearResults]:
    return score_plain(tmp_path, None), score_plain(tmp_path, RAISE_ATTENDANCE)


def impact_json(args: list[str], code: int = 0) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(invoke([*args, "--format", "json"], code).stdout)
    return data


def test_impact_lists_exactly_the_cells_that_change(
    repo_ws: Path, expected_attendance: tuple[YearResults, YearResults]
) -> None:
    before, after = expected_attendance
    expected = changed_ids(before, after)
    assert expected and len(expected) < len(after.units)  # the example has both kinds
    data = impact_json(["criteria", "impact", "--rev", "HEAD", str(repo_ws)])
    assert {c["id"] for c in data["changed"]} == expected
    assert data["unchanged"] == len(after.units) - len(expected)
    assert data["frameworks"] == ["dang-bo-co-so-2024", "ha-giang-2024"] and data["revision"] == "HEAD"
    old = {r.unit.id: r for r in before.units}
    new = {r.unit.id: r for r in after.units}
    for cell in data["changed"]:
        b, a = old[cell["id"]], new[cell["id"]]
        assert cell["before"]["total"] == float(b.total) and cell["after"]["total"] == float(a.total)
        assert {c["id"]: c["after"] for c in cell["criteria"]} == {
            c.id: float(c.points)
            for c in a.criteria
            if c.points != {x.id: x for x in b.criteria}[c.id].points
        }
        # The reason: 2.1.3 (attendance) stopped passing in some months.
        assert any(
            i["id"] == "2.1.3" and i["now_failing"] and not i["now_passing"] for i in cell["indicators"]
        )
    for side, results in (("before", before), ("after", after)):
        cells = [r for r in results.units if r.unit.kind in CELL_KINDS]
        assert data["summary"][side]["units"] == len(cells)
        assert data["summary"][side]["recognised"] == sum(r.recognised for r in cells)


def test_impact_text_names_changed_cells_only_with_before_and_after(
    repo_ws: Path, expected_attendance: tuple[YearResults, YearResults]
) -> None:
    before, after = expected_attendance
    expected = changed_ids(before, after)
    out = invoke(["criteria", "impact", "ha-giang-2024", str(repo_ws), "--rev", "HEAD"]).stdout
    shown = {r.unit.id for r in after.units if f"({r.unit.id})" in out}
    assert shown == expected
    assert (
        f"{len(expected)} chi bộ thay đổi kết quả; {len(after.units) - len(expected)} chi bộ không đổi."
        in out
    )
    assert "2.1.3" in out and "không còn đạt ở" in out
    # tram-y-te drops under the recognition total: the rule that now fails is named.
    tram = out[out.index("(tram-y-te)") :]
    assert "nay không đạt: Tổng điểm" in tram.split("\n\n")[0]


def test_impact_verdicts_and_recognition_rate(repo_ws: Path, tmp_path: Path) -> None:
    git(repo_ws.parent, "checkout", "-q", "--", ".")  # working tree = HEAD, then a stricter rule
    path = repo_ws / LOCAL
    path.write_text(path.read_text(encoding="utf-8") + RAISE_MIN_TOTAL, encoding="utf-8")
    before, after = score_plain(tmp_path, None), score_plain(tmp_path, RAISE_MIN_TOTAL)
    flipped = {r.unit.id for r in after.units if not r.recognised} - {
        r.unit.id for r in before.units if not r.recognised
    }
    assert flipped  # some recognised cells fall under 100 points
    data = impact_json(["criteria", "impact", "--rev", "HEAD", str(repo_ws)])
    assert {c["id"] for c in data["changed"]} == changed_ids(before, after)
    assert {
        c["id"] for c in data["changed"] if c["before"]["recognised"] != c["after"]["recognised"]
    } == flipped
    out = invoke(["criteria", "impact", "--rev", "HEAD", str(repo_ws)]).stdout
    cells_before = [r for r in before.units if r.unit.kind in CELL_KINDS]  # the đảng bộ is told apart
    cells_after = [r for r in after.units if r.unit.kind in CELL_KINDS]
    n_before = sum(r.recognised for r in cells_before)
    n_after = sum(r.recognised for r in cells_after)
    total = len(cells_before)
    line = (
        f"Công nhận “Chi bộ 4 tốt”: {n_before}/{total} → {n_after}/{total} chi bộ, "
        f"{vn_percent(rate(n_before, total))} → {vn_percent(rate(n_after, total))}"
    )
    assert line in out
    assert "Kết quả: Đạt → Không đạt" in out
    assert "nay không đạt: Tổng điểm" in out


def test_impact_with_no_change_lists_nothing(repo_ws: Path) -> None:
    git(repo_ws.parent, "checkout", "-q", "--", ".")
    data = impact_json(["criteria", "impact", "--rev", "HEAD", str(repo_ws)])
    assert data["changed"] == [] and data["unchanged"] == len(evaluate(EXAMPLE, 2024).results.units)
    assert data["summary"]["before"] == data["summary"]["after"]


def test_impact_of_a_framework_the_year_does_not_use(repo_ws: Path) -> None:
    result = invoke(["criteria", "impact", "quang-ninh-2024", str(repo_ws), "--rev", "HEAD"], 2)
    assert "không dùng để chấm năm 2024" in result.stderr


def test_impact_of_the_shipped_parent_takes_only_that_file_from_the_revision(repo_ws: Path) -> None:
    # mac-dinh-2024 is shipped: the same on both sides; ha-giang-2024 is the working tree's own.
    data = impact_json(["criteria", "impact", "mac-dinh-2024", str(repo_ws), "--rev", "HEAD"])
    assert data["changed"] == []


def test_impact_errors(repo_ws: Path, example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    result = invoke(["criteria", "impact", "--rev", "khong-co", str(repo_ws)], 2)
    assert "kho git không có phiên bản “khong-co”" in result.stderr
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(example_copy.parent))
    result = invoke(["criteria", "impact", "--rev", "HEAD", str(example_copy)], 2)
    assert "không nằm trong một kho git" in result.stderr
    result = invoke(["criteria", "impact", str(repo_ws)], 2)  # --rev is required
    assert "--rev" in result.stderr


def test_impact_when_the_workspace_is_newer_than_the_revision(repo_ws: Path) -> None:
    top = repo_ws.parent
    shutil.copytree(repo_ws, top / "moi")
    result = invoke(["criteria", "impact", "--rev", "HEAD", str(top / "moi")], 1)
    assert "không gian làm việc chưa có ở phiên bản HEAD" in result.stderr
    assert "HEAD:moi/chibo4tot.yaml" in result.stderr


def test_a_lone_argument_is_the_folder_or_the_id(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "chibo4tot.yaml").write_text("id: x\n", encoding="utf-8")
    assert id_and_folder("ws", None) == (None, Path("ws"))  # a workspace folder
    assert id_and_folder("../ws", None) == (None, Path("../ws"))  # cannot be an id
    assert id_and_folder("ha-giang-2024", None) == ("ha-giang-2024", Path("."))
    assert id_and_folder("ha-giang-2024", Path("ws")) == ("ha-giang-2024", Path("ws"))
    assert id_and_folder(None, None) == (None, Path("."))


def test_compare_results_is_symmetric_in_what_it_lists(
    expected_attendance: tuple[YearResults, YearResults],
) -> None:
    before, after = expected_attendance
    forward, backward = compare_results(before, after), compare_results(after, before)
    assert {c.id for c in forward.cells} == {c.id for c in backward.cells} == changed_ids(before, after)
    for f, b in zip(forward.cells, backward.cells, strict=True):
        assert f.criteria == [(cid, new, old) for cid, old, new in b.criteria]
        assert f.reasons_new == b.reasons_gone and f.reasons_gone == b.reasons_new
