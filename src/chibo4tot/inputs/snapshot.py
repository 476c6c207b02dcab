"""What a workspace's results depend on, as one digest: the key of the results cache.

Small inputs (chibo4tot.yaml, units.yaml, every framework file of the workspace and of the tool,
the exports of earlier years in history/) are hashed by content. The records, tens of thousands
of files at province scale, are taken by their ``lstat``: size, mtime_ns, ctime_ns, inode,
device and mode of every entry under ``records/`` (folders and links included, links followed
where loading follows them). ctime cannot be set back by a user, so an edit that restores the
old mtime still changes the digest.

A record whose times are within :data:`RACY_NS` of the start (or in the future: a clock set back)
may still change without its stat changing, on a filesystem with coarse timestamps. Such files
are *racy*: their content is hashed before the run and again after it, and the hashes are kept
with the cached results and checked on every later use (git's "racily clean" entries).
Results are cached only when the snapshot taken after computing them equals the one taken
before, so an edit during a run is never recorded as seen.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass, field
from pathlib import Path

from chibo4tot.fsio import ReadRefused, read_regular_bytes
from chibo4tot.inputs.decoding import MAX_FILE_BYTES
from chibo4tot.inputs.places import HISTORY_DIR, UNITS_FILE, WORKSPACE_FILE, shipped_criteria_dir

# A file as the record cache knows it: size, mtime_ns, ctime_ns, inode, device (links followed).
FileStat = tuple[int, int, int, int, int]
RACY_NS = 3_000_000_000  # 3 s: FAT's 2-second mtime, plus a margin
# Content is hashed up to the size loading reads at most (a bigger file is refused unread, and
# only its stat can matter); never more, so the cache does not read what loading would not.
_SMALL_LIMIT = MAX_FILE_BYTES


@dataclass(frozen=True)
class Snapshot:
    digest: bytes
    racy: tuple[str, ...]  # records that could change unseen by their stat
    files: int
    context: bytes = b""  # config, units, frameworks and history alone: what every check and score reads
    # Each file under records/ → its stat as the record cache knows a file (links followed):
    # size, mtime_ns, ctime_ns, inode, device. Taken before anything is read.
    stats: dict[str, FileStat] = field(default_factory=dict)
    # What was hashed of records/, an entry a line (path, mode, stat; a link's target): two
    # snapshots compared line by line tell which files changed (see :func:`changed_files`).
    lines: list[str] = field(default_factory=list)


def content_hash(path: str | Path) -> str:
    """The SHA-256 of a regular file's content; for anything else (a FIFO, a device, a file too
    big, an error) a marker of what it is: opening a FIFO to hash it would wait forever."""
    try:
        return hashlib.sha256(read_regular_bytes(Path(path), _SMALL_LIMIT)).hexdigest()
    except ReadRefused as exc:
        return "!" + exc.message


def content_hashes(paths: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """:func:`content_hash` of each file."""
    return tuple((path, content_hash(path)) for path in paths)


def _content(h: hashlib._Hash, path: str) -> None:
    """A small input by content (or by what it is, when it is not a readable regular file)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        h.update(f"{path}\0!{exc.errno}\n".encode("utf-8", "surrogatepass"))
        return
    h.update(f"{path}\0{st.st_mode}\0{st.st_size}\n".encode("utf-8", "surrogatepass"))
    if not stat.S_ISREG(st.st_mode) or st.st_size > _SMALL_LIMIT:
        h.update(f"{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\n".encode())
        return
    h.update(content_hash(path).encode("utf-8", "surrogatepass"))


def _stat(st: os.stat_result) -> str:
    return f"{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}\0{st.st_dev}"


def _inside(real: str, within: str) -> bool:
    return real == within or real.startswith(within.rstrip(os.sep) + os.sep)


def _key(st: os.stat_result) -> FileStat:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _tree(
    h: hashlib._Hash,
    top: str,
    *,
    by_content: bool,
    times: list[tuple[int, str]],
    within: str,
    stats: dict[str, FileStat] | None = None,
    lines: list[str] | None = None,
) -> int:
    """Every entry under ``top``, in a fixed order. Links are followed once, and only while they
    stay inside ``within`` (as loading does): a link to "/" must not walk the whole disk."""
    count = 0
    seen: set[str] = set()
    stack: list[tuple[str, str | None]] = [(top, None)]
    lines = [] if lines is None else lines
    while stack:
        folder, real_or_none = stack.pop()
        # A folder listed as a folder (not a link) is its parent's real path plus its name: only
        # the top and links need realpath (a dozen lstat calls each, for 5,000 folders).
        real = real_or_none if real_or_none is not None else os.path.realpath(folder)
        if not _inside(real, within):
            lines.append(f"{folder}\0outside")
            continue
        if real in seen:
            lines.append(f"{folder}\0loop")
            continue
        seen.add(real)
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            lines.append(f"{folder}\0!{exc.errno}")
            continue
        subfolders = []
        for entry in entries:
            count += 1
            try:
                st = entry.stat(follow_symlinks=False)
            except OSError as exc:
                lines.append(f"{entry.path}\0!{exc.errno}")
                continue
            line = f"{entry.path}\0{_stat(st)}"
            times.append((max(st.st_mtime_ns, st.st_ctime_ns), entry.path))
            is_dir = stat.S_ISDIR(st.st_mode)
            if stat.S_ISLNK(st.st_mode):
                if not _inside(os.path.realpath(entry.path), within):
                    lines.append(f"{line}\0->outside:{os.path.realpath(entry.path)}")
                    continue
                try:
                    target = os.stat(entry.path)
                    line += f"\0->{os.readlink(entry.path)}\0{_stat(target)}"
                    times.append((max(target.st_mtime_ns, target.st_ctime_ns), entry.path))
                    is_dir = stat.S_ISDIR(target.st_mode)
                    if stats is not None and not is_dir:
                        stats[entry.path] = _key(target)
                except OSError as exc:
                    line += f"\0->!{exc.errno}"
            elif stats is not None and not is_dir:
                stats[entry.path] = _key(st)
            lines.append(line)
            if is_dir:
                linked = stat.S_ISLNK(st.st_mode)
                subfolders.append((entry.path, None if linked else os.path.join(real, entry.name)))
            elif by_content:
                _content(h, entry.path)
        stack.extend(reversed(subfolders))
    h.update("\n".join(lines).encode("utf-8", "surrogatepass"))
    return count


def take(root: Path, *, extra: str = "", shipped_dir: Path | None = None) -> Snapshot:
    """The snapshot of the inputs of ``root``; ``extra`` adds what else the results depend on."""
    start = time.time_ns()
    base = os.path.abspath(root)
    ctx = hashlib.sha256()
    for name in (WORKSPACE_FILE, UNITS_FILE):
        _content(ctx, os.path.join(base, name))
    files = 0
    inside = os.path.realpath(base)
    shipped = str(shipped_dir or shipped_criteria_dir())
    # The history's exports give last year's figures and the streaks: by content, like the frameworks.
    tops = [
        (os.path.join(base, "criteria"), inside),
        (shipped, os.path.realpath(shipped)),
        (os.path.join(base, HISTORY_DIR), inside),
    ]
    for top, within in tops:
        if _top(ctx, top):
            files += _tree(ctx, top, by_content=True, times=[], within=within)  # cannot change unseen
    h = hashlib.sha256(f"{base}\0{extra}\n".encode("utf-8", "surrogatepass"))
    h.update(ctx.digest())
    times: list[tuple[int, str]] = []
    records = os.path.join(base, "records")
    stats: dict[str, FileStat] = {}
    lines: list[str] = []
    if _top(h, records):
        files += _tree(h, records, by_content=False, times=times, within=inside, stats=stats, lines=lines)
    racy = tuple(sorted({path for t, path in times if t > start - RACY_NS and not os.path.isdir(path)}))
    return Snapshot(h.digest(), racy, files, ctx.digest(), stats, lines)


@dataclass(frozen=True)
class Changes:
    """Files changed between two snapshots: each with its stat before (size, mtime_ns, ctime_ns,
    inode, device) when edited or removed."""

    edited: dict[str, FileStat]
    added: list[str]
    removed: dict[str, FileStat]


def changed_files(before: list[str], after: list[str]) -> Changes | None:
    """The files edited, added or removed between two snapshots' lines of the same tree, when
    nothing else changed: no folder, link, error or refusal added, removed or changed, each
    entry of the same type and permissions; folders may differ in their times and size (a file
    saved by renaming changes its folder's). None when anything else changed."""
    same_paths = len(before) == len(after) and all(
        old[: old.find("\0")] == new[: new.find("\0")]
        for old, new in zip(before, after, strict=True)
        if old != new
    )
    if same_paths:  # the common case: compared line by line, in walk order
        pairs = list(zip(before, after, strict=True))
        only_before: list[str] = []
        only_after: list[str] = []
    else:
        old = {line.partition("\0")[0]: line for line in before}
        new = {line.partition("\0")[0]: line for line in after}
        pairs = [(line, new[path]) for path, line in old.items() if path in new]
        only_before = [line for path, line in old.items() if path not in new]
        only_after = [line for path, line in new.items() if path not in old]
    edited: dict[str, FileStat] = {}
    for old_line, new_line in pairs:
        if old_line == new_line:
            continue
        old_path, old_fields = _plain(old_line)
        new_path, new_fields = _plain(new_line)
        if old_path != new_path or not old_fields or not new_fields or old_fields[0] != new_fields[0]:
            return None  # another entry, a link, an error, a refusal; another type or mode
        mode = int(old_fields[0])
        if stat.S_ISREG(mode):
            edited[old_path] = _file_stat(old_fields)
        elif not stat.S_ISDIR(mode):
            return None
    removed: dict[str, FileStat] = {}
    for line in only_before:
        path, fields = _plain(line)
        if not fields or not stat.S_ISREG(int(fields[0])):
            return None
        removed[path] = _file_stat(fields)
    added: list[str] = []
    for line in only_after:
        path, fields = _plain(line)
        if not fields or not stat.S_ISREG(int(fields[0])):
            return None
        added.append(path)
    return Changes(edited, added, removed)


def _plain(line: str) -> tuple[str, list[str]]:
    """A line's path and, for a plain entry (not a link, an error, a refusal), its six stat fields."""
    path, _sep, rest = line.partition("\0")
    fields = rest.split("\0")
    return path, fields if len(fields) == 6 else []


def _file_stat(fields: list[str]) -> FileStat:
    size, mtime, ctime, ino, dev = (int(x) for x in fields[1:])
    return (size, mtime, ctime, ino, dev)


def folder_digest(folder: Path, within: Path) -> bytes:
    """Every file under ``folder`` by content (links only inside ``within``): e.g. the templates."""
    h = hashlib.sha256()
    top = os.path.abspath(folder)
    if _top(h, top):
        _tree(h, top, by_content=True, times=[], within=os.path.realpath(within))
    return h.digest()


def _top(h: hashlib._Hash, top: str) -> bool:
    """The folder itself (a link, a file, absent); True when there is something to walk in it."""
    try:
        st = os.lstat(top)
    except OSError as exc:
        h.update(f"{top}\0!{exc.errno}\n".encode("utf-8", "surrogatepass"))
        return False
    h.update(f"{top}\0{st.st_mode}\0{st.st_ino}\0{st.st_dev}\n".encode("utf-8", "surrogatepass"))
    return True
