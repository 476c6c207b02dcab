"""Shared fixtures: workspaces built from dicts, a CLI runner that re-raises real crashes."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from chibo4tot import i18n
from chibo4tot.cli import app

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "dang-bo-xa-thuong-phung"
# The files `report --year 2024` writes, in the order it prints them
REPORT_FILES = [
    "chi-bo-4-tot-2024.xlsx",
    "bao-cao-chi-bo-4-tot-2024.md",
    "bao-cao-chi-bo-4-tot-2024.docx",
    "danh-sach-cong-nhan-2024.docx",
]


# What the developer's shell may set that changes what the CLI prints: the language, and the
# terminal width and colour that rich reads. The tests describe the defaults, whatever the shell.
_SHELL_VARIABLES = (
    "CHIBO4TOT_LANG",
    "COLUMNS",
    "LINES",
    "NO_COLOR",
    "FORCE_COLOR",
    "TTY_COMPATIBLE",
    "TTY_INTERACTIVE",
)


@pytest.fixture(scope="session", autouse=True)
def _default_environment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:  # session-wide: module fixtures run the CLI too
        for name in _SHELL_VARIABLES:
            patch.delenv(name, raising=False)
        patch.setenv("TERM", "dumb")
        # The cache's signing secret lives in the user's cache folder: the tests keep their own.
        patch.setenv("CHIBO4TOT_CACHE_SECRET_DIR", str(tmp_path_factory.mktemp("cache-secret")))
        yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    i18n.set_language(i18n.DEFAULT_LANGUAGE)
    yield
    i18n.set_language(i18n.DEFAULT_LANGUAGE)  # a test that switched language does not leak it


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite golden files.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def dump_yaml(data: Any) -> str:
    """Plain YAML for fixtures: JSON is valid YAML 1.2 and keeps types exact."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def build_tree(root: Path, tree: dict[str, Any]) -> Path:
    """Write {relative path: str | bytes | data} under root; data is dumped as YAML."""
    for rel, content in tree.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_text(dump_yaml(content), encoding="utf-8")
    return root


MINI_FRAMEWORK: dict[str, Any] = {
    "id": "mini-2024",
    "title": "Khung thử nghiệm",
    "issuer": "Ban Tổ chức thử nghiệm",
    "documents": [{"number": "21-NQ/TW", "date": "2022-06-16", "title": "Nghị quyết 21"}],
    "years": [2024],
    "applies_to": ["chi_bo_truc_thuoc", "chi_bo_co_so"],
    "criteria": [
        {
            "id": "1",
            "name": "Lãnh đạo hoàn thành tốt nhiệm vụ chính trị",
            "max_points": 50,
            "min_points": 40,
            "indicators": [
                {
                    "id": "1.1",
                    "name": "Lãnh đạo nhiệm vụ",
                    "kind": "pass_fail",
                    "points": 20,
                    "rollup": {"method": "mean"},
                },
                {
                    "id": "1.2",
                    "name": "Mức lãnh đạo",
                    "kind": "level",
                    "points": 30,
                    "rollup": {"method": "mean"},
                    "levels": [
                        {"name": "Tốt", "points": 30},
                        {"name": "Khá", "points": 20},
                        {"name": "Kém", "points": 0, "passed": False},
                    ],
                },
            ],
        },
        {
            "id": "2",
            "name": "Chất lượng sinh hoạt tốt",
            "max_points": 50,
            "indicators": [
                {
                    "id": "2.1",
                    "name": "Tỉ lệ dự họp",
                    "kind": "threshold",
                    "source": "attendance_rate",
                    "op": ">",
                    "target": 0.85,
                    "points": 30,
                    "rollup": {"method": "share", "share": 0.75},
                },
                {
                    "id": "2.2",
                    "name": "Điểm tự chấm",
                    "kind": "points",
                    "points": 10,
                    "optional": True,
                    "rollup": {"method": "mean"},
                },
                {
                    "id": "2.3",
                    "name": "Xếp loại chất lượng năm",
                    "kind": "pass_fail",
                    "points": 10,
                    "period": "year",
                },
            ],
        },
    ],
    "gates": [{"id": "ky-luat", "kind": "discipline", "reason": "Có đảng viên bị kỷ luật trong năm"}],
    "recognition": {"min_total": 90},
}


def month_record(unit: str, month: str, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "unit": unit,
        "month": month,
        "framework": "mini-2024",
        "meeting": {
            "members": 20,
            "exempt": 2,
            "present": 17,
            "excused": 1,
            "unexcused": 0,
            "duration_minutes": 95,
            "date": f"{month}-10",
        },
        "assessment": {"1.1": "Đạt", "1.2": "Tốt", "2.2": "8,5"},
    }
    record.update(extra)
    return record


def mini_workspace(units: int = 2, months: int = 3) -> dict[str, Any]:
    ids = [f"chi-bo-{i + 1}" for i in range(units)]
    tree: dict[str, Any] = {
        "chibo4tot.yaml": {
            "id": "dang-bo-thu",
            "name": "Đảng bộ xã Thử",
            "superior": "Đảng bộ huyện Thử",
            "issuing_body": "Đảng ủy xã Thử",
            "abbreviation": "ĐU",
            "place": "Thử",
            "frameworks": [{"years": [2024], "framework": "mini-2024"}],
            "signer": {"name": "Nguyễn Văn Thử"},
            "recipients": ["Ban Thường vụ Huyện ủy (để báo cáo)", "Lưu Văn phòng Đảng ủy"],
        },
        "units.yaml": {
            "units": [
                {
                    "id": uid,
                    "name": f"Chi bộ thôn {i + 1}",
                    "kind": "chi_bo_truc_thuoc",
                    "members": 20,
                    "registered": [2024],
                }
                for i, uid in enumerate(ids)
            ]
        },
        "criteria/mini-2024.yaml": MINI_FRAMEWORK,
    }
    for uid in ids:
        for m in range(1, months + 1):
            month = f"2024-{m:02d}"
            tree[f"records/2024/{uid}/{month}.yaml"] = month_record(uid, month)
    return tree


@pytest.fixture
def make_ws(tmp_path: Path) -> Callable[..., Path]:
    def make(tree: dict[str, Any] | None = None, **kwargs: Any) -> Path:
        root = tmp_path / "ws"
        build_tree(root, tree if tree is not None else mini_workspace(**kwargs))
        return root

    return make


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns(".chibo4tot"))  # not the demo's cache
    return target


def invoke(args: list[str], exit_code: int = 0) -> Result:
    """Run the CLI; assert the exit code; re-raise a real crash instead of hiding it."""
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    assert result.exit_code == exit_code, (
        f"exit {result.exit_code} != {exit_code}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    )
    return result
