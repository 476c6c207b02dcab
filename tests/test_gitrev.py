"""Frameworks read at a git revision, and ``criteria diff ID --rev REV``: in a real git repository built
in tmp_path, the example workspace in a subfolder of it."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from chibo4tot.inputs.gitrev import framework_at
from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.results.fwterms import describe
from chibo4tot.results.fwterms.changes import compare
from tests.conftest import invoke
from tests.gitrepo import LOCAL, commit_all, git, make_repo, needs_git, raise_attendance, raised_repo


@pytest.fixture
def repo_ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return raised_repo(tmp_path, monkeypatch)


def test_framework_at_head_is_the_committed_one(repo_ws: Path) -> None:
    then, revision = framework_at(repo_ws, "HEAD", "ha-giang-2024")
    now = load_frameworks(repo_ws, [])["ha-giang-2024"]
    assert revision.prefix.as_posix() == "ws"
    assert then.path == Path("HEAD:ws/criteria/ha-giang-2024.yaml")
    assert not then.shipped and then.chain[0].name == "mac-dinh-2024.yaml"  # the shipped parent
    changes = compare(describe(then.framework), describe(now.framework))
    assert [(c.kind, c.item.code) for c in changes] == [("changed", "2.1.3")]
    assert [(t.old, t.new) for t in changes[0].terms] == [("trên 85%", "trên 90%")]
    # Everything else is the same framework: the revision's file went through the same merge.
    assert then.framework.criteria[2].indicators[0].points == Decimal(5)


@needs_git
def test_framework_at_a_branch_and_an_older_commit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    ws = make_repo(tmp_path)
    top = ws.parent
    git(top, "branch", "-M", "main")
    git(top, "checkout", "-q", "-b", "nang-nguong")
    raise_attendance(ws)
    commit_all(top, "nâng ngưỡng dự họp")
    at_main, _rev = framework_at(ws, "main", "ha-giang-2024")
    at_parent, _rev = framework_at(ws, "HEAD~1", "ha-giang-2024")
    at_head, _rev = framework_at(ws, "HEAD", "ha-giang-2024")
    assert at_main.framework == at_parent.framework != at_head.framework


def test_cli_diff_rev_shows_the_raised_threshold(repo_ws: Path) -> None:
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)])
    out = result.stdout
    assert "HEAD" in out and "2.1.3" in out
    assert "1 thay đổi" in out
    # Only the threshold: the names, points and the rest of the framework are the same.
    assert out.count("2.1.3") == 1 and "Ngưỡng đạt: trên 85% → trên 90%" in out


def test_cli_diff_rev_without_change_and_with_two_ids(repo_ws: Path) -> None:
    git(repo_ws.parent, "stash", "-q")  # working tree = HEAD
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)])
    assert "0 thay đổi" in result.stdout
    result = invoke(
        ["criteria", "diff", "mac-dinh-2024", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)], 2
    )
    assert "chỉ nêu một mã khung" in result.stderr


def test_cli_diff_rev_of_a_shipped_framework_says_why_nothing_changed(repo_ws: Path) -> None:
    result = invoke(["criteria", "diff", "mac-dinh-2024", "--rev", "HEAD", "--dir", str(repo_ws)])
    assert "0 thay đổi" in result.stdout
    assert "đi kèm chương trình" in result.stderr and "mac-dinh-2024" in result.stderr


def test_not_a_git_repository(example_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(example_copy.parent))
    if shutil.which("git") is None:
        pytest.skip("git không có trên máy này (CI có git)")
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "main", "--dir", str(example_copy)], 2)
    assert "không nằm trong một kho git" in result.stderr
    assert "Traceback" not in result.stderr


def test_git_not_installed(repo_ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)], 2)
    assert "không tìm thấy chương trình git" in result.stderr


@pytest.mark.parametrize("rev", ["khong-co-nhanh-nay", "HEAD~5", "-p", "--output=OUT", " "])
def test_unknown_revision(repo_ws: Path, rev: str, tmp_path: Path) -> None:
    rev = rev.replace("OUT", str(tmp_path / "out"))  # an option smuggled in as a revision
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", rev, "--dir", str(repo_ws)], 2)
    assert f"kho git không có phiên bản “{rev}”" in result.stderr
    assert not (tmp_path / "out").exists()


def test_framework_missing_at_the_revision(repo_ws: Path) -> None:
    (repo_ws / "criteria" / "thu-nghiem-2024.yaml").write_text(
        "id: thu-nghiem-2024\nextends: ha-giang-2024\ntitle: Khung thử\nyears: [2024]\n", encoding="utf-8"
    )
    result = invoke(["criteria", "diff", "thu-nghiem-2024", "--rev", "HEAD", "--dir", str(repo_ws)], 1)
    assert "khung tiêu chí “thu-nghiem-2024” chưa có ở phiên bản HEAD" in result.stderr
    assert "HEAD:ws/criteria)" in result.stderr


def _commit_then_restore(ws: Path, text: str) -> None:
    """Commit ``text`` as the local framework, then put the good file back in the working tree."""
    path = ws / LOCAL
    good = path.read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    commit_all(ws.parent, "hỏng")
    path.write_text(good, encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def test_broken_yaml_at_the_revision_is_located_in_rev_path(repo_ws: Path) -> None:
    broken = "id: ha-giang-2024\nextends: mac-dinh-2024\ncriteria: [\n  {id: '3'\n"
    _commit_then_restore(repo_ws, broken)
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)], 1)
    assert "HEAD:ws/criteria/ha-giang-2024.yaml:" in result.stderr
    assert "lỗi cú pháp YAML" in result.stderr
    assert "Traceback" not in result.stderr


def test_invalid_value_at_the_revision_is_located_from_git_bytes(repo_ws: Path) -> None:
    text = (
        (repo_ws / LOCAL).read_text(encoding="utf-8").replace("        points: 5\n", "        points: năm\n")
    )
    _commit_then_restore(repo_ws, text)
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)], 1)
    line = _line_of(text, "        points: năm")
    # The line comes from the revision's bytes, not from the file now on disk (which is fine).
    assert f"HEAD:ws/criteria/ha-giang-2024.yaml:{line}:" in result.stderr
    assert "không dựng được khung tiêu chí “ha-giang-2024” ở phiên bản HEAD" in result.stderr


def test_legacy_encoding_at_the_revision_gets_the_same_message(repo_ws: Path) -> None:
    path = repo_ws / LOCAL
    good = path.read_bytes()
    path.write_bytes(good.decode("utf-8").encode("utf-16"))
    commit_all(repo_ws.parent, "lưu nhầm UTF-16")
    path.write_bytes(good)
    result = invoke(["criteria", "diff", "ha-giang-2024", "--rev", "HEAD", "--dir", str(repo_ws)], 1)
    assert "HEAD:ws/criteria/ha-giang-2024.yaml:1:1: lỗi:" in result.stderr
    assert "UTF-16" in result.stderr
