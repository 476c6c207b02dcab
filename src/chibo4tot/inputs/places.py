"""Where things are: the workspace (the nearest folder holding chibo4tot.yaml) and the frameworks
shipped with the tool, found without loading anything (a cached command needs no more)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from chibo4tot.errors import UsageError
from chibo4tot.i18n import _

WORKSPACE_FILE = "chibo4tot.yaml"
UNITS_FILE = "units.yaml"
HISTORY_DIR = "history"  # exports of earlier years (chibo4tot export), kept in place of their records


def find_workspace(start: Path) -> Path:
    """``start`` or the nearest folder above it that holds chibo4tot.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        # Any entry of that name, not only a regular file: a FIFO, a folder or a broken link
        # named chibo4tot.yaml is this workspace's file, which loading then reports as what it is.
        if os.path.lexists(folder / WORKSPACE_FILE):
            return folder
    raise UsageError(
        _(
            "không tìm thấy {file} trong “{dir}” hay các thư mục cha; "
            "hãy chạy “chibo4tot init” để tạo không gian làm việc"
        ).format(file=WORKSPACE_FILE, dir=start)
    )


def shipped_criteria_dir() -> Path:
    """The frameworks shipped with the tool (package data, or the repository's criteria/)."""
    packaged = Path(str(resources.files("chibo4tot"))) / "_criteria"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "criteria"
