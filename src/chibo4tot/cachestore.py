"""A cache that cannot lie: signed entries, each holding the full key it answers, written atomically.

An entry is ``MAGIC | HMAC-SHA256(secret, key ‖ payload) | key | payload``. It is used only when
its magic, its signature and its key all match; anything else (a truncated, corrupted, foreign or
stale file, a pickle that no longer loads) is treated as absent and later overwritten. The
signature's secret is this user's, kept outside the workspace with owner-only permissions, so an
entry copied from another machine or planted in a shared folder is never unpickled.

Every failure to read or write the cache is silent by design: the cache only ever saves time,
and a read-only workspace or a full disk must not change what a command prints.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import secrets
import stat
import sys
import tempfile
from pathlib import Path

from chibo4tot import __version__
from chibo4tot.errors import UsageError
from chibo4tot.fsio import write_bytes_atomic
from chibo4tot.runtime import no_gc

CACHE_DIR = Path(".chibo4tot") / "cache"
MAGIC = b"C4TCACHE"
FORMAT = 1
IGNORE_ALL = "# Bộ nhớ đệm của chibo4tot: không đưa vào git\n*\n"
_SIG = 32
_KEY = 32


def _code_stamp() -> str:
    """The installed code itself (every file of the package: name, size, mtime): a changed module or
    template in a development install is a new build, even under the same version number."""
    package = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for folder, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            try:
                st = os.stat(path)
            except OSError:
                continue
            h.update(f"{os.path.relpath(path, package)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()[:16]


# The tool's version, its code and the interpreter's: pickles of another build are never trusted.
BUILD = (
    f"{FORMAT}|{__version__}|{_code_stamp()}|{sys.version_info[0]}.{sys.version_info[1]}"
    f"|{sys.implementation.name}"
)


def digest(*parts: bytes | str) -> bytes:
    """SHA-256 over ``parts``, each length-prefixed so no two lists of parts collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return h.digest()


def _secret_dir() -> Path:
    override = os.environ.get("CHIBO4TOT_CACHE_SECRET_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA") or str(Path.home() / "AppData" / "Local")
        return Path(base) / "chibo4tot"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "chibo4tot"


def user_secret() -> bytes | None:
    """This user's signing secret (created once, owner-only); None when it cannot be kept."""
    folder = _secret_dir()
    path = folder / "cache-secret"
    with contextlib.suppress(OSError):
        data = path.read_bytes()
        if len(data) == 32:
            return data
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".cache-secret.", dir=folder)  # created 0600
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)  # the first of two processes wins; both then read its secret
        finally:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        data = path.read_bytes()
    except OSError:
        return None
    return data if len(data) == 32 else None


class Store:
    """Signed entries under ``<workspace>/.chibo4tot/cache/``; ``enabled=False`` is ``--no-cache``."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.folder = root / CACHE_DIR
        # A .chibo4tot that is a link (or a file) is not ours: writing through it would put files
        # wherever it points. The cache is then simply not used.
        self.secret = user_secret() if enabled and _plain_folders(root, CACHE_DIR) else None
        self.ready = False  # the folder and its ignore file made

    @property
    def enabled(self) -> bool:
        return self.secret is not None

    def _path(self, slot: str) -> Path:
        return self.folder / f"{slot}.bin"

    def _sign(self, key: bytes, payload: bytes | memoryview) -> bytes:
        assert self.secret is not None
        mac = hmac.new(self.secret, key, hashlib.sha256)
        mac.update(payload)  # not ``key + payload``: a copy of tens of megabytes at province scale
        return mac.digest()

    def load(self, slot: str, key: bytes) -> object | None:
        """The value stored under ``slot`` for exactly ``key``; None when absent or not trusted."""
        if self.secret is None:
            return None
        try:
            data = self._path(slot).read_bytes()
        except OSError:
            return None
        head = len(MAGIC)
        if len(data) < head + _SIG + _KEY or not data.startswith(MAGIC):
            return None
        sig, stored_key = data[head : head + _SIG], data[head + _SIG : head + _SIG + _KEY]
        payload = memoryview(data)[head + _SIG + _KEY :]  # not copied
        if not hmac.compare_digest(stored_key, key):
            return None
        if not hmac.compare_digest(sig, self._sign(key, payload)):
            return None
        return _unpickle(payload)

    def save(self, slot: str, key: bytes, value: object) -> bool:
        """Store ``value`` for ``key`` under ``slot``, atomically; False when it could not be kept."""
        if self.secret is None:
            return False
        try:
            payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return False
        head = MAGIC + self._sign(key, payload) + key  # the payload written after it, not copied
        try:
            if not self.ready:  # once per run, not once per entry (5,000 packs at province scale)
                self.folder.mkdir(parents=True, exist_ok=True)
                _ignore_file(self.folder.parent)
                self.ready = True
            fd, tmp = tempfile.mkstemp(prefix=f".{slot}.", suffix=".tmp", dir=self.folder)
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(head)
                    fh.write(payload)
                os.replace(tmp, self._path(slot))
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
        except OSError:
            return False
        return True

    def prune(self, prefix: str, keep: set[str]) -> None:
        """Remove the entries named ``prefix…`` that are not in ``keep``."""
        if self.secret is None:
            return
        with contextlib.suppress(OSError):
            for path in self.folder.glob(f"{prefix}*.bin"):
                if path.stem not in keep:
                    with contextlib.suppress(OSError):
                        path.unlink()


def _unpickle(payload: bytes | memoryview) -> object | None:
    """A signed entry's value; None when it no longer loads (a class that changed in a dev build)."""
    with no_gc():  # many long-lived objects at once
        try:
            value: object = pickle.loads(payload)
        except Exception:
            return None
    return value


def _plain_folders(root: Path, rel: Path) -> bool:
    """Each folder of ``rel`` under ``root`` is absent or a real folder (not a link, not a file)."""
    path = root
    for part in rel.parts:
        path = path / part
        try:
            if not stat.S_ISDIR(os.lstat(path).st_mode):
                return False
        except FileNotFoundError:
            return True
        except OSError:
            return False
    return True


def _ignore_file(folder: Path) -> None:
    """``.chibo4tot/.gitignore`` holding ``*``: the cache never reaches git, whatever else is ignored."""
    path = folder / ".gitignore"
    if not os.path.lexists(path):
        with contextlib.suppress(UsageError):
            write_bytes_atomic(path, IGNORE_ALL.encode("utf-8"), overwrite=False)
