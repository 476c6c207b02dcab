"""A real git repository in tmp_path holding the example workspace in a subfolder (``ws``)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE

LOCAL = "criteria/ha-giang-2024.yaml"
# The example's own framework extends the shipped mac-dinh-2024, where 2.1.3 ("trên 85%") lives;
# the organiser's edit raises it in the local framework, by id, as a tailoring does.
RAISE_ATTENDANCE = """
  - id: "2"
    indicators:
      - id: "2.1"
        indicators:
          - id: "2.1.3"
            target: 0.9
"""

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git không có trên máy này (CI có git)")


def git(top: Path, *args: str) -> str:
    """Run git in ``top`` with no user or system configuration (no signing, no hooks of the machine)."""
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", *args], cwd=top, env=env, capture_output=True, text=True, check=True)
    return result.stdout


def commit_all(top: Path, message: str) -> None:
    git(top, "add", "-A")
    git(top, "commit", "-q", "-m", message)


def make_repo(tmp_path: Path) -> Path:
    """A repository whose subfolder ``ws`` is the example workspace, committed; returns ``ws``."""
    top = tmp_path / "repo"
    ws = top / "ws"
    shutil.copytree(EXAMPLE, ws, ignore=shutil.ignore_patterns(".chibo4tot"))
    git(top, "init", "-q")
    git(top, "config", "user.name", "Ban Tổ chức")
    git(top, "config", "user.email", "btc@example.org")
    git(top, "config", "commit.gpgsign", "false")
    commit_all(top, "khung 2024")
    return ws


def raise_attendance(ws: Path) -> None:
    path = ws / LOCAL
    path.write_text(path.read_text(encoding="utf-8") + RAISE_ATTENDANCE, encoding="utf-8")


def raised_repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committed example with the attendance threshold raised in the working tree only
    (each test module's ``repo_ws`` fixture)."""
    if shutil.which("git") is None:
        pytest.skip("git không có trên máy này (CI có git)")
    # git must not find a repository above tmp_path (a developer's home under git, say).
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    ws = make_repo(tmp_path)
    raise_attendance(ws)
    return ws
