"""requirements.lock covers every dependency pyproject.toml declares, within its range, with hashes."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

REPO = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)")


def locked() -> dict[str, tuple[Version, int]]:
    """Name → (version, number of hashes) for each pin of the lock."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in (REPO / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if match := PIN.match(line):
            name = canonicalize_name(match.group(1))
            pins[name] = (Version(match.group(2)), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
    return pins


def declared() -> list[Requirement]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    texts = [
        *project["project"]["dependencies"],
        *project["project"]["optional-dependencies"]["dev"],
        *project["dependency-groups"]["build"],
    ]
    return [Requirement(text) for text in texts]


def test_every_declared_dependency_is_locked_within_its_range() -> None:
    pins = locked()
    problems = []
    for req in declared():
        pin = pins.get(canonicalize_name(req.name))
        if pin is None:
            problems.append(f"{req.name} is not in requirements.lock")
        elif not req.specifier.contains(pin[0], prereleases=True):
            problems.append(f"{req.name}=={pin[0]} is outside {req.specifier}")
    assert problems == [], "run make lock: " + "; ".join(problems)


def test_every_pin_carries_hashes() -> None:
    pins = locked()
    assert len(pins) > 30
    assert [name for name, (_version, hashes) in pins.items() if hashes == 0] == []


def test_the_installed_versions_are_the_locked_ones() -> None:
    pins = locked()
    wrong = []
    for req in declared():
        if req.marker is not None and not req.marker.evaluate({"extra": "dev"}):
            continue
        try:
            installed = Version(version(req.name))
        except PackageNotFoundError:
            wrong.append(f"{req.name} not installed")
            continue
        if installed != pins[canonicalize_name(req.name)][0]:
            wrong.append(f"{req.name} {installed} (lock: {pins[canonicalize_name(req.name)][0]})")
    assert wrong == [], "the environment is not the locked one (make venv): " + "; ".join(wrong)
