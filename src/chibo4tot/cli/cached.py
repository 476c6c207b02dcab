"""The workspace's cache as the commands use it: one run's snapshot and record packs
(:class:`CachedRun`), a request's kept run (:class:`KeptRuns`), and what a command printed
(:class:`PrintedCache`)."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from chibo4tot.cachestore import Store, digest
from chibo4tot.errors import Problem
from chibo4tot.inputs import snapshot
from chibo4tot.inputs.memo import RecordMemo, file_key

if TYPE_CHECKING:
    from chibo4tot.cli.evaluation import Request
    from chibo4tot.results.evaluate import Evaluation
    from chibo4tot.results.kept import KeptRun


class CachedRun:
    """One command's use of the workspace's cache: the inputs as they were when it started, the
    per-file memo, and whether what it derived may be kept (nothing changed while it ran)."""

    def __init__(self, root: Path, store: Store, request: str) -> None:
        self.root, self.store, self.request = root, store, request
        self.before = snapshot.take(root, extra=request)
        self.racy = snapshot.content_hashes(self.before.racy)  # read before the records are
        self.memo = RecordMemo(store, root, self.before.context, self.before.stats)

    def unchanged(self) -> bool:
        return (
            snapshot.take(self.root, extra=self.request).digest == self.before.digest
            and snapshot.content_hashes(self.before.racy) == self.racy
        )

    def unchanged_files(self, paths: list[str]) -> bool:
        """Whether ``paths`` (files read by this run) and the racy files are as they were when the
        run started: what a run derived from them alone is then true of its snapshot."""
        now = {path: file_key(Path(path)) for path in paths}
        return all(now[path] == self.before.stats.get(path) for path in paths) and (
            snapshot.content_hashes(self.before.racy) == self.racy
        )

    def racy_unchanged(self, racy: tuple[tuple[str, str], ...]) -> bool:
        return snapshot.content_hashes(tuple(path for path, _hash in racy)) == racy

    def load(self, slot: str, key: bytes) -> object | None:
        """What :meth:`save` kept under ``slot`` for ``key``, if its racy files still hold the same
        content (their stat, part of ``key``, may not show an edit)."""
        found = self.store.load(slot, key)
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        verify: tuple[tuple[str, str], ...] = found[0]
        value: object = found[1]
        return value if self.racy_unchanged(verify) else None

    def save(self, slot: str, key: bytes, value: object) -> None:
        """Keep ``value`` with the content hashes of this run's racy files."""
        self.store.save(slot, key, (self.racy, value))


def open_cache(root: Path, cache: bool, request: str = "") -> CachedRun | None:
    store = Store(root, enabled=cache)
    return CachedRun(root, store, request) if store.enabled else None


class KeptRuns:
    """A request's kept run in the workspace's cache (see :mod:`chibo4tot.results.rerun`): its
    head, then its results in shards, each shard's entry under a key the head names."""

    def __init__(self, store: Store, request: str) -> None:
        self.store, self.request = store, request
        self.slot, self.key = "w-" + digest(request).hex()[:24], digest("kept run", request)

    def _shard_slot(self, shard: int) -> str:
        return f"u-{self.slot[2:]}-{shard:02d}"

    def load(self) -> KeptRun | None:
        from chibo4tot.results.kept import KeptRun

        found = self.store.load(self.slot, self.key)
        return found if isinstance(found, KeptRun) else None

    def fetcher(self, kept: KeptRun) -> Callable[[set[int]], bool]:
        def fetch(shards: set[int]) -> bool:
            for shard in sorted(shards - kept.loaded):
                if shard not in kept.shards:
                    return False
                found = self.store.load(self._shard_slot(shard), kept.shards[shard])
                if not isinstance(found, dict):
                    return False
                kept.blobs.update(found)
                kept.loaded.add(shard)
            return True

        return fetch

    def save(self, kept: KeptRun, shards: set[int]) -> None:
        """Write the ``shards`` of ``kept`` (each under a new key), then its head."""
        for shard in sorted(shards):
            key = digest(self.request, str(shard), secrets.token_bytes(16))
            if not self.store.save(self._shard_slot(shard), key, kept.shard_blobs(shard)):
                return
            kept.shards[shard] = key
        self.store.save(self.slot, self.key, kept)


class PrintedCache:
    """What a command printed for a request over unchanged inputs (json and csv, which depend on
    nothing else): its problems, its output and whether it failed; shown again without loading."""

    def __init__(self, req: Request, params: object) -> None:
        self.run = req.run
        self.key = digest(self.run.before.digest, req.key, repr(params)) if self.run is not None else b""
        self.slot = "p-" + digest(req.key, repr(params)).hex()[:24]

    def load(self) -> tuple[list[Problem], str | None] | None:
        if self.run is None:
            return None
        found = self.run.load(self.slot, self.key)
        if not (isinstance(found, tuple) and len(found) == 2):
            return None
        problems, text = found
        return problems, text

    def save(self, ev: Evaluation, problems: list[Problem], text: str | None) -> None:
        if self.run is not None and ev.inputs_key == self.run.before.digest:
            self.run.save(self.slot, self.key, (problems, text))
