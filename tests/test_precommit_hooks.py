"""The pre-commit hooks organisers use: run each hook's entry as pre-commit would, in a git repository.

pre-commit itself is not run here: for ``language: python`` it builds a virtualenv and installs
this repository from PyPI at every new revision, which needs the network. Instead each hook is
run the way pre-commit runs it once installed: the console script named by ``entry`` (from the
environment the tests run in), the entry's own arguments, no file names (``pass_filenames:
false``), from the repository's root, only when a staged file matches ``files``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import yaml

from tests.conftest import EXAMPLE

REPO = Path(__file__).resolve().parents[1]
HOOKS = REPO / ".pre-commit-hooks.yaml"


def _hooks() -> dict[str, dict[str, Any]]:
    hooks = yaml.safe_load(HOOKS.read_text(encoding="utf-8"))
    return {hook["id"]: hook for hook in hooks}


def test_hook_definitions() -> None:
    hooks = _hooks()
    assert set(hooks) == {"chibo4tot-validate", "chibo4tot-criteria-test"}
    scripts = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]
    for hook in hooks.values():
        assert hook["language"] == "python"
        assert hook["pass_filenames"] is False
        assert shlex.split(hook["entry"])[0] in scripts  # the console script pip installs
        assert {"id", "name", "entry", "language"} <= set(hook)
        files = re.compile(hook["files"])
        for path in (
            "units.yaml",
            "records/2024/a/2024-03.yaml",
            "criteria/x.cases/y.yml",
            "ws/chibo4tot.yaml",
        ):
            assert files.search(path), path
        for path in ("README.md", "bao-cao/bao-cao-2024.xlsx", "yaml.txt"):
            assert not files.search(path), path


def _git(repo: Path, *args: str) -> str:
    git = shutil.which("git")
    assert git is not None, "git is needed to run the hooks as pre-commit does"
    done = subprocess.run([git, *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def _run_hooks(repo: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Each hook whose ``files`` matches a staged file, run as pre-commit runs it."""
    staged = _git(repo, "diff", "--cached", "--name-only").splitlines()
    bin_dir = Path(sys.executable).parent  # where pip put the console script
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}
    out = {}
    for hook_id, hook in _hooks().items():
        if not any(re.search(hook["files"], path) for path in staged):
            continue
        command = [*shlex.split(hook["entry"]), *hook.get("args", [])]
        executable = shutil.which(command[0], path=str(bin_dir))
        assert executable is not None, command[0]
        out[hook_id] = subprocess.run(
            [executable, *command[1:]], cwd=repo, env=env, capture_output=True, text=True, check=False
        )
    return out


def test_hooks_pass_then_block_a_commit_that_breaks_a_case(tmp_path: Path) -> None:
    repo = tmp_path / "ho-so"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".chibo4tot"))
    shutil.copy(REPO / "criteria" / "mac-dinh-2024.yaml", repo / "criteria")
    shutil.copytree(REPO / "criteria" / "mac-dinh-2024.cases", repo / "criteria" / "mac-dinh-2024.cases")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    ran = _run_hooks(repo)
    assert set(ran) == {"chibo4tot-validate", "chibo4tot-criteria-test"}
    for hook_id, done in ran.items():
        assert done.returncode == 0, f"{hook_id}\n{done.stdout}\n{done.stderr}"
    assert "Hợp lệ" in ran["chibo4tot-validate"].stdout

    # A colleague raises the recognition threshold: the case at exactly 90 points now fails.
    framework = repo / "criteria" / "mac-dinh-2024.yaml"
    framework.write_text(
        framework.read_text(encoding="utf-8").replace("  min_total: 90\n", "  min_total: 91\n"),
        encoding="utf-8",
    )
    _git(repo, "add", "criteria/mac-dinh-2024.yaml")
    ran = _run_hooks(repo)
    assert ran["chibo4tot-validate"].returncode == 0
    test = ran["chibo4tot-criteria-test"]
    assert test.returncode == 1
    assert "hỏng  cong-nhan-dung-90-diem" in test.stdout
    assert "Tổng điểm 90,00 thấp hơn mức công nhận 91 điểm." in test.stdout


def test_validate_hook_blocks_a_broken_record_and_skips_other_files(tmp_path: Path) -> None:
    repo = tmp_path / "ho-so"
    shutil.copytree(EXAMPLE, repo, ignore=shutil.ignore_patterns(".chibo4tot"))
    _git(repo, "init", "-q")
    (repo / "ghi-chu.txt").write_text("không phải YAML\n", encoding="utf-8")
    _git(repo, "add", "ghi-chu.txt")
    assert _run_hooks(repo) == {}  # no YAML staged: pre-commit skips both hooks

    record = repo / "records" / "2024" / "pa-vi" / "2024-03.yaml"
    record.write_text(
        record.read_text(encoding="utf-8").replace("  present: 17", "  present: mười bảy"), encoding="utf-8"
    )
    _git(repo, "add", "-A")
    ran = _run_hooks(repo)
    validate = ran["chibo4tot-validate"]
    assert validate.returncode == 1
    where = r"records/2024/pa-vi/2024-03\.yaml:\d+:\d+: lỗi: sinh hoạt định kỳ, số có mặt \(present\): "
    assert re.search(where + "phải là số nguyên, không phải chuỗi “mười bảy”", validate.stderr)
