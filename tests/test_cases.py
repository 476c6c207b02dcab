"""Framework test cases: the file format, ``criteria test``, and the cases shipped with each framework."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from chibo4tot.errors import Problem, Severity
from chibo4tot.inputs.cases import CaseLoader, case_files, case_folder, deep_merge
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.models.cases import BuiltCase
from chibo4tot.results.cases import run_case
from tests.conftest import build_tree, invoke

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "criteria"
LOCATED = re.compile(r"^(?P<path>\S+\.yaml):(?P<line>\d+):(?P<col>\d+): lỗi: (?P<rest>.*)$", re.M)


def _shipped_cases(fid: str) -> tuple[Any, list[BuiltCase]]:
    problems: list[Problem] = []
    lf = load_frameworks(None, problems)[fid]
    loader = CaseLoader(lf.framework, problems)
    cases = [loader.load(p) for p in case_files(case_folder(lf.path))]
    assert [p for p in problems if p.severity is Severity.ERROR] == []
    return lf.framework, [c for c in cases if c is not None]


def test_criteria_test_passes_on_the_shipped_frameworks() -> None:
    result = invoke(["criteria", "test"])
    shipped = ("mac-dinh-2024", "quang-ninh-2024", "dang-bo-co-so-2024")
    total = sum(len(case_files(SHIPPED / f"{fid}.cases")) for fid in shipped)
    assert total >= 35
    assert f"Kết quả: {total} trường hợp — {total} đạt, 0 hỏng, 0 tệp có lỗi." in result.stdout
    lines = [line for line in result.stdout.splitlines() if line.startswith("  ")]
    assert len(lines) == total and all(line.startswith("  đạt") for line in lines)
    assert all(f"Khung {fid}:" in result.stdout for fid in shipped)


def test_the_dang_bo_framework_cases_cover_its_gates_and_the_share_at_its_boundary() -> None:
    """The đảng bộ cơ sở's framework, judged once a year: each gate fails in some case, and a
    share of cells recognised exactly at the 70% it needs passes while 60% does not."""
    fw, cases = _shipped_cases("dang-bo-co-so-2024")
    outcomes = [run_case(fw, case) for case in cases]
    assert all(o.passed for o in outcomes)
    assert all(o.result.months_recorded == [] and o.result.months_missing == [] for o in outcomes)
    failed = {r for case in cases for r in case.expect.reasons or []}
    assert {f"gate:{g.id}" for g in fw.gates if g.kind != "registration"} <= failed
    gate = next(g for g in fw.gates if g.kind == "sub_unit_share")
    by_share = {c.sub_units_share: c.expect.recognised for c in cases if c.expect.total == 100}
    assert by_share[Decimal(str(gate.min_share))] is True
    assert any(share < Decimal(str(gate.min_share)) and not ok for share, ok in by_share.items() if share)


@pytest.mark.parametrize("fid", ["mac-dinh-2024", "quang-ninh-2024"])
def test_shipped_cases_cover_every_rule_kind_their_framework_uses(fid: str) -> None:
    fw, cases = _shipped_cases(fid)
    outcomes = [run_case(fw, case) for case in cases]
    assert all(o.passed for o in outcomes)
    expected_reasons = {r for case in cases for r in case.expect.reasons or []}
    # Each gate fails in some case, on purpose, and each band is some case's expected rating.
    assert {f"gate:{g.id}" for g in fw.gates} <= expected_reasons
    assert {b.name for b in fw.rating.bands} <= {case.expect.rating for case in cases}
    assert {"total", "criterion:3"} <= expected_reasons
    # The recognition rule at its boundary: a case exactly at the minimum, one just below.
    at_min = [c for c in cases if c.expect.total == fw.recognition.min_total]
    assert at_min and all(c.expect.recognised for c in at_min)
    assert any(
        c.expect.total is not None
        and fw.recognition.min_total - 1 < c.expect.total < fw.recognition.min_total
        and not c.expect.recognised
        for c in cases
    )
    # Bonus at its cap, every deduction taken (and capped), a missing month.
    assert fw.bonus is not None
    assert any(o.result.bonus == fw.bonus.max_points and o.result.bonus_items for o in outcomes)
    capped = {d.id for o in outcomes for d in o.result.deductions}
    assert capped == {d.id for d in fw.deductions}
    assert any(o.result.months_missing == [5] for o in outcomes)
    # A band capped by its conditions (a gate failed above 90 points).
    assert any(o.result.total >= 90 and o.result.rating == "Tốt" for o in outcomes)


def test_not_applicable_indicator_has_a_case() -> None:
    fw, cases = _shipped_cases("mac-dinh-2024")
    rescaled = [run_case(fw, c).result for c in cases]
    assert any(c.applicable_max != c.max_points for r in rescaled for c in r.criteria)


def _workspace_with_shipped(make_ws: Callable[..., Path], fid: str = "mac-dinh-2024") -> Path:
    root = make_ws()
    shutil.copy(SHIPPED / f"{fid}.yaml", root / "criteria" / f"{fid}.yaml")
    shutil.copytree(SHIPPED / f"{fid}.cases", root / "criteria" / f"{fid}.cases")
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_that_flips_a_verdict_fails_naming_the_rule(make_ws: Callable[..., Path]) -> None:
    root = _workspace_with_shipped(make_ws)
    invoke(["criteria", "test", "mac-dinh-2024", str(root)])
    _edit(root / "criteria" / "mac-dinh-2024.yaml", "  min_total: 90\n", "  min_total: 91\n")
    result = invoke(["criteria", "test", "mac-dinh-2024", str(root)], exit_code=1)
    out = result.stdout
    assert "mac-dinh-2024.cases)" in out  # the workspace's own copy, not the shipped one
    block = out.split("hỏng  cong-nhan-dung-90-diem", 1)[1].split("\n  đạt", 1)[0]
    assert "kết luận: mong đợi công nhận, tính được không công nhận" in block
    assert "Tổng điểm 90,00 thấp hơn mức công nhận 91 điểm." in block
    assert "đạt   duoi-90-diem" in out  # 89,96 is below 91 as it was below 90
    assert re.search(r"— \d+ đạt, 1 hỏng, 0 tệp có lỗi\.", out)


def test_a_threshold_edit_names_the_indicator_and_the_month(make_ws: Callable[..., Path]) -> None:
    root = _workspace_with_shipped(make_ws)
    # "trên 85%" → "từ 85%": a meeting at exactly 85% now passes, so the case expecting a Khá fails.
    framework = root / "criteria" / "mac-dinh-2024.yaml"
    _edit(framework, 'op: ">"\n            target: 0.85', 'op: ">="\n            target: 0.85')
    out = invoke(["criteria", "test", str(root)], exit_code=1).stdout
    block = out.split("hỏng  du-hop-dung-85-phan-tram", 1)[1].split("\n  đạt", 1)[0]
    assert "tiêu chí 2: mong đợi 24,75, tính được 25,00" in block
    assert "2.1: 12/12 điểm — bình quân các kỳ" in block
    assert "tổng điểm: mong đợi 100,75, tính được 101,00" in block
    assert "25,00 + 25,00 + 25,00 + 25,00 + thưởng 1,00 − trừ 0,00 = 101,00" in block
    # The other way round: the month that loses points is shown with the rule that took them.
    _edit(framework, 'op: ">="\n            target: 0.85', 'op: ">"\n            target: 0.9')
    out = invoke(["criteria", "test", str(root)], exit_code=1).stdout
    block = out.split("hỏng  du-hop-dung-85-phan-tram", 1)[1].split("\n  đạt", 1)[0]
    assert "03/2024: Khá — 85/100 điểm → xếp loại Khá → 9/12" in block
    assert "2.1.3: 90,00% — đạt khi trên 90,00% → 0/15" in block
    assert "2.1.1:" not in block  # sub-indicators at their maximum are left out


def test_rating_mismatch_shows_the_band_rule_and_what_capped_it(make_ws: Callable[..., Path]) -> None:
    root = _workspace_with_shipped(make_ws)
    # Without the gate condition, a cell with a disciplined member keeps Xuất sắc.
    _edit(root / "criteria" / "mac-dinh-2024.yaml", "        no_failed_gates: true\n", "")
    out = invoke(["criteria", "test", str(root)], exit_code=1).stdout
    block = out.split("hỏng  ky-luat:", 1)[1].split("\n  đạt", 1)[0]
    assert "xếp loại: mong đợi Tốt, tính được Xuất sắc" in block
    assert "95,00 điểm → Xuất sắc" in block
    assert "[KHÔNG ĐẠT] ky-luat:" in block


def _case_ws(make_ws: Callable[..., Path], files: dict[str, Any]) -> Path:
    root = make_ws()
    build_tree(root / "criteria" / "mini-2024.cases", files)
    return root


MINI_MONTH = {
    "meeting": {"members": 10, "present": 10, "duration_minutes": 95},
    "assessment": {"1.1": "Đạt", "1.2": "Tốt", "2.2": 10},
}


def _mini_case(**extra: Any) -> dict[str, Any]:
    case: dict[str, Any] = {
        "description": "Chi bộ đạt tối đa",
        "every_month": MINI_MONTH,
        "year_record": {"assessment": {"2.3": "Đạt"}},
        "expect": {"recognised": True, "total": 100, "criteria": {"1": 50, "2": 50}},
    }
    case.update(extra)
    return case


def test_a_workspace_framework_runs_its_own_cases(make_ws: Callable[..., Path]) -> None:
    root = _case_ws(make_ws, {"toi-da.yaml": _mini_case()})
    out = invoke(["criteria", "test", "mini-2024", str(root)]).stdout
    assert "Khung mini-2024: 1 trường hợp (" in out
    assert "  đạt   toi-da: Chi bộ đạt tối đa" in out
    # A lone folder argument is the workspace; without an id every framework with cases runs.
    out = invoke(["criteria", "test", str(root)]).stdout
    assert "Khung mini-2024:" in out and "Khung mac-dinh-2024:" in out


def test_mismatches_say_expected_computed_and_rule(make_ws: Callable[..., Path]) -> None:
    case = _mini_case(
        months={3: {"assessment": {"1.2": "Khá"}}},
        expect={"recognised": True, "total": 100, "criteria": {"1": 50}, "reasons": []},
    )
    root = _case_ws(make_ws, {"kha.yaml": case})
    out = invoke(["criteria", "test", "mini-2024", str(root)], exit_code=1).stdout
    # 1.2 (30 points, mean): 11 months Tốt and one Khá (20/30) → 30 × (11 + 2/3) / 12 = 29,17.
    assert "  hỏng  kha: Chi bộ đạt tối đa" in out
    assert "kết luận:" not in out  # 99,17 is still recognised
    assert "tiêu chí 1: mong đợi 50,00, tính được 49,17" in out
    assert "1.2: 29,17/30 điểm — bình quân các kỳ" in out
    assert "03/2024: Khá — mức → điểm → 20/30" in out
    assert "tổng điểm: mong đợi 100,00, tính được 99,17" in out


def test_an_invalid_case_is_located_and_fails(make_ws: Callable[..., Path]) -> None:
    case = _mini_case(months={3: {"meeting": {"present": 8}}, 4: {"assessment": {"9.9": "Đạt"}}})
    root = _case_ws(make_ws, {"sai.yaml": case, "dung.yaml": _mini_case()})
    result = invoke(["criteria", "test", str(root)], exit_code=1)
    assert "  lỗi   sai: tệp có lỗi, xem thông báo lỗi" in result.stdout
    assert "  đạt   dung:" in result.stdout
    found = {m["rest"]: (m["path"], int(m["line"])) for m in LOCATED.finditer(result.stderr)}
    text = (root / "criteria" / "mini-2024.cases" / "sai.yaml").read_text(encoding="utf-8").splitlines()
    unknown = next(k for k in found if "9.9" in k)
    # build_tree writes JSON, so the month key is the string "3" here ("months[3]" from a plain 3:).
    assert unknown.startswith("months.4.assessment.9.9: tháng 4: không có tiêu chí/chỉ tiêu “9.9”")
    assert '"9.9"' in text[found[unknown][1] - 1]
    attendance = next(k for k in found if "có mặt + vắng" in k)
    assert attendance.startswith("months.3.meeting: tháng 3: ")
    assert '"present": 8' in "\n".join(text[found[attendance][1] - 1 : found[attendance][1] + 1])


def test_a_problem_of_every_month_is_reported_once(make_ws: Callable[..., Path]) -> None:
    month = {**MINI_MONTH, "meeting": {"members": 10, "present": 9}}
    root = _case_ws(make_ws, {"sai.yaml": _mini_case(every_month=month)})
    stderr = invoke(["criteria", "test", "mini-2024", str(root)], exit_code=1).stderr
    lines = [line for line in stderr.splitlines() if "có mặt + vắng" in line]
    assert len(lines) == 1 and "every_month.meeting: có mặt" in lines[0]


def test_a_template_is_merged_under_the_case(make_ws: Callable[..., Path]) -> None:
    template = {"every_month": MINI_MONTH, "year_record": {"assessment": {"2.3": "Đạt"}}}
    case = {
        "description": "Tháng 2 vắng không lý do",
        "base": "_mau",
        "months": {"2024-02": {"meeting": {"present": 9, "unexcused": 1}}},
        "expect": {"recognised": True, "total": 100},
    }
    root = _case_ws(make_ws, {"_mau.yaml": template, "vang.yaml": case})
    out = invoke(["criteria", "test", "mini-2024", str(root)]).stdout
    assert "Khung mini-2024: 1 trường hợp" in out  # the template is not a case
    assert "  đạt   vang:" in out


def test_template_and_expectation_problems_are_located(make_ws: Callable[..., Path]) -> None:
    files = {
        "khong-mau.yaml": {**_mini_case(), "base": "_khong-co"},
        "sai-ky-vong.yaml": _mini_case(
            expect={
                "recognised": True,
                "rating": "Giỏi",
                "criteria": {"7": 1},
                "reasons": ["gate:khong-co"],
            }
        ),
        "thua-khoa.yaml": _mini_case(every_month={**MINI_MONTH, "unit": "x"}),
    }
    root = _case_ws(make_ws, files)
    stderr = invoke(["criteria", "test", "mini-2024", str(root)], exit_code=1).stderr
    messages = [m["rest"] for m in LOCATED.finditer(stderr)]
    assert any(m.startswith("base: không có tệp mẫu “_khong-co.yaml”") for m in messages)
    assert any(m.startswith("expect.criteria.7: khung không có tiêu chí “7”") for m in messages)
    assert any(m.startswith("expect.rating: khung không có mức xếp loại “Giỏi”") for m in messages)
    assert any("khung không có điều kiện loại trừ “khong-co”" in m for m in messages)
    assert any("chi bộ được công nhận thì không có lý do" in m for m in messages)
    assert any(m.startswith("every_month.unit: không ghi “unit”") for m in messages)


def test_an_orphan_case_folder_is_an_error(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    build_tree(root / "criteria" / "doi-ten-2024.cases", {"a.yaml": _mini_case()})
    stderr = invoke(["criteria", "test", str(root)], exit_code=1).stderr
    assert "doi-ten-2024.cases: lỗi: thư mục trường hợp kiểm thử không đi kèm khung tiêu chí nào" in stderr
    assert "doi-ten-2024.yaml" in stderr


def test_unknown_framework_and_framework_without_cases(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    result = invoke(["criteria", "test", "khong-co", str(root)], exit_code=2)
    assert "không có khung tiêu chí “khong-co”" in result.stderr
    result = invoke(["criteria", "test", "mini-2024", str(root)], exit_code=1)
    assert "khung “mini-2024” chưa có trường hợp kiểm thử" in result.stderr


def test_deep_merge_replaces_anything_but_mappings() -> None:
    base = {"meeting": {"members": 20, "present": 20}, "thematic": {"held": True}, "events": [1]}
    over = {"meeting": {"present": 17}, "thematic": None, "events": [2]}
    assert deep_merge(base, over) == {
        "meeting": {"members": 20, "present": 17},
        "thematic": None,
        "events": [2],
    }
