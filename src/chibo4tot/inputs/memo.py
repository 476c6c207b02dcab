"""Reuse what was derived from each record file while the file is unchanged.

For every folder ``records/<year>/<unit>/`` a pack holds, per
file: the stat it was read with, the record (serialised, rebuilt only if something reads it), its
located parse problems, and what was derived from it alone (its checks, its stray dates); and,
per unit and year, the scores computed from exactly those files. After one record is edited,
one file is parsed again and one unit scored again; the rest is read back from the packs.
The packs are kept in :data:`BUNDLES` signed cache entries, each folder's pack in the bundle its
path falls in: at province scale 5,000 files written and read would cost more than their bytes.

A file is known by ``(size, mtime_ns, ctime_ns, inode, device)``. A file changed within
:data:`snapshot.RACY_NS` of being read is also known by the hash of its content, checked at
every use. Derivations that read the workspace's config, units or frameworks (tag "check",
and the scores) are kept under the digest of those files too (``context``). The caller
saves the packs only when the inputs did not change while the command ran.
"""

from __future__ import annotations

import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from chibo4tot.cachestore import BUILD, Store, digest
from chibo4tot.errors import Problem
from chibo4tot.i18n import current_language
from chibo4tot.inputs import snapshot
from chibo4tot.inputs.record_file import RecordFile, from_header

FileKey = snapshot.FileStat
CONTEXT_TAGS = frozenset({"check"})  # derivations that read config, units or frameworks
KEEP_SCORES = 16  # score entries kept per folder beyond those used by the latest run
BUNDLES = 256  # cache entries the packs are spread over (a folder's is fixed by its path)


@dataclass
class FileEntry:
    key: FileKey
    content: str | None  # SHA-256 of a file read while racy
    record: RecordFile | None  # None: the file could not be read as a record (or see header)
    problems: list[Problem]  # its parse problems, located
    derived: dict[str, list[Problem]] = field(default_factory=dict)
    header: tuple[object, ...] | None = None  # the record as a pack keeps it, until looked up

    def fields(self) -> tuple[object, ...] | None:
        """What its folder and its record said the file was (see RecordFile.fields); None: no record."""
        if self.record is not None:
            return self.record.fields()
        return self.header[:-1] if self.header is not None else None

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # The record without its path, which the lookup knows (see RecordFile.header).
        header = self.record.header() if self.record is not None else self.header
        return _entry, (self.key, self.content, header, self.problems, self.derived)


def _entry(
    key: FileKey,
    content: str | None,
    header: tuple[object, ...] | None,
    problems: list[Problem],
    derived: dict[str, list[Problem]],
) -> FileEntry:
    return FileEntry(key, content, None, problems, derived, header)


@dataclass(frozen=True)
class Miss:
    """A file to parse: its stat when looked up, and its content hash when it was racy."""

    path: Path
    key: FileKey | None
    content: str | None


@dataclass
class Pack:
    files: dict[str, FileEntry] = field(default_factory=dict)
    scores: dict[bytes, bytes] = field(default_factory=dict)  # score key → pickled UnitResult


def file_key(path: Path) -> FileKey | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)


def _content(path: Path) -> str:
    return snapshot.content_hash(path)


def bundle_of(rel: str) -> int:
    """The bundle of the folder at ``rel`` (relative to the workspace, with "/")."""
    return int.from_bytes(digest(rel)[:4], "big") % BUNDLES


class RecordMemo:
    """The packs of one workspace for one run: read on first use, saved by :meth:`save`."""

    def __init__(
        self, store: Store, root: Path, context: bytes, stats: dict[str, FileKey] | None = None
    ) -> None:
        self.store = store
        self.stats = stats or {}  # the snapshot's stat of each record file, taken before the run
        self.root = root
        self.context = context.hex()
        self.started = time.time_ns()
        self.bundles: dict[int, dict[str, Pack]] = {}  # as read: folder (relative) → its pack
        self.packs: dict[Path, Pack] = {}
        self.placed: dict[Path, tuple[str, int]] = {}  # folder → its relative path and bundle
        self.fresh: dict[Path, Pack] = {}  # what this run used, per folder: what gets saved
        self.entries: dict[int, tuple[RecordFile, FileEntry, Path]] = {}  # id(record) → its entry
        self.dirty: set[Path] = set()
        self.walked_all = False  # every records folder was visited: packs of the others are stale

    # --- packs -----------------------------------------------------------------------------

    def _rel(self, folder: Path) -> str:
        return os.path.relpath(folder, self.root).replace(os.sep, "/")

    def _prefix(self) -> str:
        # Named by the language too: the packs hold messages in one language, and a run in one
        # language prunes only its own (the other language's stay for when it is used again).
        return f"r-{''.join(c for c in current_language() if c.isalnum())}-"

    def _slot(self, bundle: int) -> tuple[str, bytes]:
        key = digest(BUILD, current_language(), str(self.root), f"bundle {bundle}")
        return self._prefix() + key.hex()[:32], key

    def _bundle(self, bundle: int) -> dict[str, Pack]:
        found = self.bundles.get(bundle)
        if found is None:
            slot, key = self._slot(bundle)
            loaded = self.store.load(slot, key)
            found = {}
            if isinstance(loaded, dict) and all(isinstance(v, Pack) for v in loaded.values()):
                found = loaded
            self.bundles[bundle] = found
        return found

    def _pack(self, folder: Path) -> Pack:
        pack = self.packs.get(folder)
        if pack is None:
            rel = self._rel(folder)
            bundle = bundle_of(rel)
            pack = self._bundle(bundle).get(rel) or Pack()
            self.placed[folder] = (rel, bundle)
            self.packs[folder] = pack
            self.fresh[folder] = Pack(scores={})
        return pack

    # --- files -----------------------------------------------------------------------------

    def lookup(self, path: Path) -> tuple[RecordFile | None, list[Problem]] | Miss:
        """The record in ``path`` and its located problems, from the pack while the file is unchanged;
        otherwise a :class:`Miss` to parse the file with and then give to :meth:`remember`."""
        key = self.stats.get(str(path)) or file_key(path)
        if key is None:  # a dangling link, a file gone: whatever parsing says, not kept
            return Miss(path, None, None)
        folder = path.parent
        entry = self._pack(folder).files.get(path.name)
        if (
            entry is not None
            and entry.key == key
            and (entry.content is None or entry.content == _content(path))
        ):
            self.fresh[folder].files[path.name] = entry
            if entry.header is not None:
                entry.record, entry.header = from_header(path, entry.header, None), None
            if entry.record is not None:
                entry.record.key = (key, entry.content)
                self.entries[id(entry.record)] = (entry.record, entry, folder)
            return entry.record, entry.problems
        racy = max(key[1], key[2]) > self.started - snapshot.RACY_NS
        return Miss(path, key, _content(path) if racy else None)  # hashed before it is read, never after

    def previous(self, path: Path) -> FileEntry | None:
        """What the pack holds of ``path``, whichever version of the file it was made from."""
        return self._pack(path.parent).files.get(path.name)

    def remember(self, miss: Miss, record: RecordFile | None, problems: list[Problem]) -> None:
        if miss.key is None:
            return
        if record is not None:
            record.key = (miss.key, miss.content)
        folder = miss.path.parent
        entry = FileEntry(miss.key, miss.content, record, problems)
        self.fresh[folder].files[miss.path.name] = entry
        if record is not None:
            self.entries[id(record)] = (record, entry, folder)
        self.dirty.add(folder)

    def seed(self, rf: RecordFile, tag: str, problems: list[Problem]) -> None:
        """What ``tag`` derives from ``rf``, derived already (where it was parsed)."""
        self.derive(rf, tag, lambda: problems)

    def _name(self, tag: str) -> str:
        return f"{tag}:{self.context}" if tag in CONTEXT_TAGS else tag

    def derived(self, entry: FileEntry, tag: str) -> list[Problem] | None:
        """What ``tag`` derived from the file of ``entry`` (in this run's context), if it was."""
        return entry.derived.get(self._name(tag))

    def derive(self, rf: RecordFile, tag: str, compute: Callable[[], list[Problem]]) -> list[Problem]:
        """What ``tag`` derives from ``rf`` alone, computed once per version of the file."""
        known = self.entries.get(id(rf))
        if known is None or known[0] is not rf:  # not a record this memo read
            return compute()
        _record, entry, folder = known
        name = self._name(tag)
        found = entry.derived.get(name)
        if found is None:
            found = compute()
            if tag in CONTEXT_TAGS:  # one context at a time: the old ones go
                entry.derived = {k: v for k, v in entry.derived.items() if ":" not in k}
            entry.derived[name] = found
            self.dirty.add(folder)
        return found

    # --- scores ----------------------------------------------------------------------------

    def score_key(self, parts: object, files: list[RecordFile]) -> bytes | None:
        """The key of a score computed from ``files`` (None when one of them is not known)."""
        keys = []
        for rf in sorted(files, key=lambda r: str(r.path)):
            if rf.key is None:
                return None
            keys.append((str(rf.path), rf.key))
        return digest(self.context, repr(parts), repr(keys))

    def has_score(self, folder: Path, key: bytes) -> bool:
        return key in self._pack(folder).scores

    def score(
        self, folder: Path, key: bytes, compute: Callable[[], object], made: object = None
    ) -> tuple[object, bytes]:
        """A fresh copy of the score under ``key``, computed once (``made``: computed already, or
        pickled already as bytes), and the pickle it was read from."""
        pack = self._pack(folder)
        blob = pack.scores.get(key)
        if blob is None:
            if isinstance(made, bytes):
                blob = made
            else:
                value = made if made is not None else compute()
                blob = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)  # before anyone changes it
            self.dirty.add(folder)
        # The copy read back, not the computed object: results read from a pickle keep their bulk
        # packed, so pickling them again (the whole-run entry) does not encode it a second time.
        value = pickle.loads(blob)
        self.fresh[folder].scores[key] = blob
        return value, blob

    # --- saving ----------------------------------------------------------------------------

    def save(self) -> None:
        """Write the bundles whose packs changed: each folder this run visited with the files and
        scores it used; the others of the bundle as they were (while not every folder was
        visited: otherwise they are folders gone)."""
        visited: dict[int, dict[str, Path]] = {}
        for folder in self.fresh:
            rel, bundle = self.placed[folder]
            visited.setdefault(bundle, {})[rel] = folder
        for bundle, folders in visited.items():
            old = self.bundles.get(bundle, {})
            gone = self.walked_all and any(rel not in folders for rel in old)
            if not gone and not any(self._changed(folder) for folder in folders.values()):
                continue
            kept = {} if self.walked_all else {rel: pack for rel, pack in old.items() if rel not in folders}
            kept.update({rel: self._kept(folder) for rel, folder in folders.items()})
            slot, key = self._slot(bundle)
            self.store.save(slot, key, kept)
        if self.walked_all:  # bundles of folders renamed or removed since would only take room
            self.store.prune(self._prefix(), {self._slot(bundle)[0] for bundle in visited})

    def _changed(self, folder: Path) -> bool:
        old, used = self.packs[folder], self.fresh[folder]
        return (
            folder in self.dirty
            or bool(set(old.files) - set(used.files))
            or len(old.scores) > KEEP_SCORES + len(used.scores)
        )

    def _kept(self, folder: Path) -> Pack:
        """The folder's pack to keep: the files and scores this run used, and some older scores."""
        old, used = self.packs[folder], self.fresh[folder]
        scores = dict(used.scores)
        for key, blob in old.scores.items():
            if len(scores) >= len(used.scores) + KEEP_SCORES:
                break
            scores.setdefault(key, blob)
        return Pack(used.files, scores)
