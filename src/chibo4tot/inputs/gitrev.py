"""The workspace's frameworks (and chibo4tot.yaml) as they were at a git revision, read with git.

Only files of the workspace come from the revision: the frameworks shipped with the tool are the
ones installed now on both sides, so a shipped framework compared with itself has no changes.
Files read from git go through the same decoding, YAML and model checks as files on disk; their
problems name them ``REV:path`` (the path inside the repository, as ``git show`` takes it).
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath

from chibo4tot.errors import InputError, Problem, Severity, UsageError
from chibo4tot.i18n import _
from chibo4tot.inputs.decoding import size_problem
from chibo4tot.inputs.frameworks import (
    YAML_SUFFIXES,
    LoadedFramework,
    RawFramework,
    build_framework,
    discover,
    register,
)
from chibo4tot.inputs.loading import Workspace
from chibo4tot.inputs.locate import FILE_REFUSED, locate_problems, parse_raw, validate_data
from chibo4tot.inputs.places import WORKSPACE_FILE, shipped_criteria_dir
from chibo4tot.models.workspace import WorkspaceConfig

_BLOB_MODES = ("100644", "100755")


@dataclass(frozen=True)
class _Entry:
    mode: str
    kind: str
    object: str
    size: int | None
    path: str  # inside the repository, "/"-separated


def _run_git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    # LC_ALL=C: git's own words are matched below. Literal pathspecs: a folder named "*" is a name.
    env = {**os.environ, "LC_ALL": "C", "LANGUAGE": "", "GIT_LITERAL_PATHSPECS": "1"}
    try:
        return subprocess.run(  # a fixed program, a list of arguments: no shell
            ["git", *args], cwd=cwd, capture_output=True, stdin=subprocess.DEVNULL, env=env, check=False
        )
    except FileNotFoundError:
        raise UsageError(
            _("không tìm thấy chương trình git: cần cài git để so sánh với một phiên bản (--rev)")
        ) from None
    except OSError as exc:
        raise UsageError(_("không chạy được git: {error}").format(error=exc.strerror or exc)) from None


def _git_said(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's first line of complaint, quoted as a detail (it is git's English, not ours)."""
    text = result.stderr.decode("utf-8", "replace").strip()
    return text.splitlines()[0] if text else f"git exit {result.returncode}"


@dataclass
class Revision:
    """One revision of the git repository that holds a workspace, and the bytes read from it."""

    rev: str  # as the user wrote it: it names the files in messages
    commit: str
    top: Path
    prefix: PurePosixPath  # the workspace folder inside the repository ("." at its top)
    sources: dict[Path, bytes] = field(default_factory=dict, repr=False)

    def repo_path(self, rel: str) -> str:
        """``rel`` (inside the workspace) as a path inside the repository; a trailing "/" is kept."""
        return rel if str(self.prefix) == "." else f"{self.prefix.as_posix()}/{rel}"

    def shown(self, repo_path: str) -> Path:
        """How a file of the revision is named in messages: ``REV:path``, as ``git show`` takes it."""
        return Path(f"{self.rev}:{repo_path}")

    def entries(self, rel: str) -> list[_Entry]:
        """The entries at ``rel`` (a file, or a folder's contents when ``rel`` ends with "/")."""
        result = _run_git(
            ["ls-tree", "-l", "-z", "--full-tree", self.commit, "--", self.repo_path(rel)], self.top
        )
        if result.returncode != 0:
            raise UsageError(_("git báo lỗi: {detail}").format(detail=_git_said(result)))
        out: list[_Entry] = []
        for record in result.stdout.split(b"\0"):
            if not record:
                continue
            head, _tab, name = record.partition(b"\t")
            mode, kind, obj, size = head.decode("ascii").split()
            out.append(_Entry(mode, kind, obj, int(size) if size.isdigit() else None, os.fsdecode(name)))
        return out

    def read(self, entry: _Entry, problems: list[Problem]) -> tuple[Path, bytes] | None:
        """The bytes of one file of the revision, or None with the reason in ``problems``."""
        shown = self.shown(entry.path)
        if entry.mode not in _BLOB_MODES:
            problems.append(
                Problem(
                    shown,
                    _(
                        "không phải tệp thường trong kho git (liên kết tượng trưng, thư mục hay kho con); "
                        "bị bỏ qua"
                    ),
                    code=FILE_REFUSED,
                )
            )
            return None
        if entry.size is not None and (too_large := size_problem(entry.size)) is not None:
            problems.append(Problem(shown, too_large.message, code=FILE_REFUSED))
            return None
        result = _run_git(["cat-file", "blob", entry.object], self.top)
        if result.returncode != 0:
            raise UsageError(_("git báo lỗi: {detail}").format(detail=_git_said(result)))
        self.sources[shown] = result.stdout
        return shown, result.stdout

    def locate(self, problems: list[Problem]) -> list[Problem]:
        """line:col for problems in files of this revision (and on disk)."""
        return locate_problems(problems, self.sources)


def open_revision(workspace: Path, rev: str) -> Revision:
    """The revision ``rev`` of the git repository holding ``workspace``; usage errors (exit 2) when
    git is missing, the folder is not in a repository or the revision does not exist."""
    workspace = workspace.resolve()
    top = _run_git(["rev-parse", "--show-toplevel"], workspace)
    if top.returncode != 0:
        if b"not a git repository" in top.stderr:
            raise UsageError(
                _(
                    "thư mục “{dir}” không nằm trong một kho git nên không có phiên bản “{rev}” để so "
                    "sánh; hãy chạy trong kho git chứa khung tiêu chí, hoặc bỏ --rev"
                ).format(dir=workspace, rev=rev)
            )
        raise UsageError(_("git báo lỗi: {detail}").format(detail=_git_said(top)))
    root = Path(os.fsdecode(top.stdout.rstrip(b"\n"))).resolve()
    # "-x" would be an option to git, not a revision; git's own "unknown revision" is not printed.
    commit = None
    if rev.strip() and not rev.startswith("-"):
        commit = _run_git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], root)
    if commit is None or commit.returncode != 0:
        raise UsageError(
            _(
                "kho git không có phiên bản “{rev}”; hãy nêu một nhánh, một thẻ hay một mã commit "
                "(ví dụ: main, HEAD~1)"
            ).format(rev=rev)
        )
    prefix = PurePosixPath(Path(os.path.relpath(workspace, root)).as_posix())
    return Revision(rev, commit.stdout.decode("ascii").strip(), root, prefix)


def frameworks_at(
    revision: Revision, problems: list[Problem], *, shipped_dir: Path | None = None
) -> dict[str, RawFramework]:
    """The framework files of the workspace's criteria/ at the revision, and the shipped ones."""
    found = discover([(shipped_dir or shipped_criteria_dir(), True)], problems)
    local: dict[str, RawFramework] = {}
    for entry in revision.entries("criteria/"):
        if PurePosixPath(entry.path).suffix not in YAML_SUFFIXES:
            continue
        read = revision.read(entry, problems)
        if read is None:
            continue
        data = parse_raw(read[0], read[1], problems)
        if data is not None:
            register(local, RawFramework(read[0], data, shipped=False), problems)
    return {**found, **local}  # a local framework shadows a shipped one with its id


def config_at(revision: Revision, problems: list[Problem]) -> WorkspaceConfig:
    """chibo4tot.yaml as it was at the revision; an input error when it was not there or broken."""
    entries = revision.entries(WORKSPACE_FILE)
    shown = revision.shown(revision.repo_path(WORKSPACE_FILE))
    if not entries:
        raise InputError(
            _("không gian làm việc chưa có ở phiên bản {rev}: không có tệp {file}").format(
                rev=revision.rev, file=shown
            )
        )
    read = revision.read(entries[0], problems)
    data = parse_raw(read[0], read[1], problems) if read is not None else None
    config = validate_data(shown, data, WorkspaceConfig, problems) if data is not None else None
    if config is None:
        raise InputError(
            _("không đọc được {file} (xem ở trên)").format(file=shown),
            revision.locate([p for p in problems if p.path == shown]),
        )
    return config


def lineage(raws: dict[str, RawFramework], fid: str) -> list[str]:
    """``fid`` and every framework it extends, nearest first (up to a missing one or a cycle)."""
    out: list[str] = []
    while fid in raws and fid not in out:
        out.append(fid)
        parent = raws[fid].data.get("extends")
        if not isinstance(parent, str):
            break
        fid = parent
    return out


def build_checked(
    raws: dict[str, RawFramework], fid: str, revision: Revision, problems: list[Problem]
) -> LoadedFramework:
    """Build framework ``fid``; an input error listing its located problems when it cannot be built.

    Warnings are dropped: they are the current framework's to show, and the revision's are history.
    """
    found: list[Problem] = []
    loaded = build_framework(raws, fid, found)
    errors = [p for p in [*problems, *found] if p.severity is Severity.ERROR]
    if loaded is None or errors:
        raise InputError(
            _("không dựng được khung tiêu chí “{id}” ở phiên bản {rev} (xem ở trên)").format(
                id=fid, rev=revision.rev
            ),
            revision.locate(errors),
        )
    return loaded


def _missing(raws: dict[str, RawFramework], fid: str, revision: Revision, problems: list[Problem]) -> None:
    """An input error when framework ``fid`` cannot be found at the revision."""
    if fid in raws:
        return
    folder = revision.shown(revision.repo_path("criteria/"))
    errors = [p for p in problems if p.severity is Severity.ERROR]
    message = (
        _("không tìm thấy khung tiêu chí “{id}” ở phiên bản {rev}: có tệp lỗi trong {folder} (xem ở trên)")
        if errors
        else _("khung tiêu chí “{id}” chưa có ở phiên bản {rev} (không có trong {folder})")
    )
    raise InputError(message.format(id=fid, rev=revision.rev, folder=folder), revision.locate(errors))


def _build_then(
    raws: dict[str, RawFramework], fid: str, revision: Revision, problems: list[Problem]
) -> LoadedFramework:
    """Framework ``fid`` from ``raws`` that hold files of the revision; only the problems of the
    files it is built from concern it."""
    _missing(raws, fid, revision, problems)
    related = {raws[f].path for f in lineage(raws, fid)}
    return build_checked(raws, fid, revision, [p for p in problems if p.path in related])


def framework_at(
    workspace: Path, rev: str, fid: str, *, shipped_dir: Path | None = None
) -> tuple[LoadedFramework, Revision]:
    """Framework ``fid`` as it was at ``rev`` (with the workspace frameworks it extends, as they were)."""
    revision = open_revision(workspace, rev)
    problems: list[Problem] = []
    raws = frameworks_at(revision, problems, shipped_dir=shipped_dir)
    return _build_then(raws, fid, revision, problems), revision


def _assigned(config: WorkspaceConfig, year: int) -> list[str]:
    return sorted({a.framework for a in config.frameworks if year in a.years})


@dataclass
class Then:
    """The workspace as scored under the frameworks of a revision (records and units as they are now)."""

    workspace: Workspace
    revision: Revision
    frameworks: list[str]  # the frameworks that score the year, as they were
    shipped: bool  # all of them are shipped with the tool: both sides are the same


def workspace_then(
    ws: Workspace, year: int, rev: str, fid: str | None, *, shipped_dir: Path | None = None
) -> Then:
    """``ws`` with the frameworks it had at ``rev``.

    With ``fid``: that framework and the workspace frameworks it extends come from the revision,
    every other file is as it is now (so a framework extending ``fid`` sees its old version).
    Without: every framework of criteria/ and the assignments of chibo4tot.yaml are as they were.
    """
    if ws.config is None:
        raise InputError(_("không chấm điểm được khi chibo4tot.yaml còn lỗi (xem ở trên)"), ws.problems.items)
    revision = open_revision(ws.root, rev)
    problems: list[Problem] = []
    raws_then = frameworks_at(revision, problems, shipped_dir=shipped_dir)
    config = ws.config
    if fid is None:
        config_then = config_at(revision, problems)
        wanted = _assigned(config_then, year)
        if not wanted:
            raise InputError(
                _("ở phiên bản {rev}, chibo4tot.yaml chưa gán khung tiêu chí cho năm {year}").format(
                    rev=rev, year=year
                )
            )
        config = config.model_copy(update={"frameworks": config_then.frameworks})
        raws = raws_then
    else:
        _missing(raws_then, fid, revision, problems)
        wanted = _assigned(config, year)
        now = discover([(ws.root / "criteria", False), (shipped_dir or shipped_criteria_dir(), True)], [])
        raws = {**now, **{f: raws_then[f] for f in lineage(raws_then, fid)}}
        if not any(fid in lineage(raws, w) for w in wanted):
            raise UsageError(
                _("khung “{id}” không dùng để chấm năm {year} (các khung được dùng: {used})").format(
                    id=fid, year=year, used=", ".join(wanted) or "—"
                )
            )
    frameworks = dict(ws.frameworks)
    for w in wanted:
        if fid is None or fid in lineage(raws, w):
            frameworks[w] = _build_then(raws, w, revision, problems)
    # Nothing of the revision is used when the same shipped frameworks score both sides.
    shipped = config.frameworks == ws.config.frameworks and all(
        frameworks[w].shipped and w in ws.frameworks and ws.frameworks[w].shipped
        for w in wanted
        if w in frameworks
    )
    return Then(replace(ws, config=config, frameworks=frameworks), revision, wanted, shipped)


def shipped_note(fid: str, rev: str) -> str:
    """Why a shipped framework shows no change at a revision."""
    return _(
        "lưu ý: khung “{id}” đi kèm chương trình, không nằm trong không gian làm việc; ở phiên bản {rev} "
        "vẫn dùng bản đang cài, nên hai phía như nhau"
    ).format(id=fid, rev=rev)
