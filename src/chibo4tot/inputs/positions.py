"""Positions: parse with ruamel's round-trip loader and walk a location to its line and column.

The fast loader keeps no positions; only when a file has a problem is it parsed again here, so
that every message can say ``file:line:col``.
"""

from __future__ import annotations

from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from chibo4tot.errors import Loc


def roundtrip_load(text: str) -> Any:
    """Parse with ruamel in round-trip mode to recover positions; None if it fails."""
    rt = YAML(typ="rt")
    rt.allow_duplicate_keys = True
    try:
        return rt.load(text)
    except Exception:
        return None


def _find_key(node: CommentedMap, part: str | int) -> Any:
    if part in node:
        return part
    for key in node:
        if str(key) == str(part):
            return key
    return _MISSING


_MISSING = object()


def locate(tree: Any, loc: Loc) -> tuple[int | None, int | None, Loc]:
    """Walk ``loc`` through a round-trip tree: 1-based line/col and the part of loc that exists.

    Parts that are not in the data (pydantic's union tags, a missing key) are skipped, so a
    missing key points at its parent.
    """
    line: int | None = None
    col: int | None = None
    if isinstance(tree, CommentedMap | CommentedSeq):
        line, col = tree.lc.line + 1, tree.lc.col + 1
    node = tree
    found: list[str | int] = []
    parts = list(loc)
    for index, part in enumerate(parts):
        if part == "[key]":
            break
        if isinstance(node, CommentedMap):
            key = _find_key(node, part)
            if key is _MISSING:
                continue
            child = node[key]
            k_line, k_col = node.lc.key(key)
            line, col = k_line + 1, k_col + 1
            wants_key = index + 1 < len(parts) and parts[index + 1] == "[key]"
            if not wants_key and not isinstance(child, CommentedMap | CommentedSeq):
                v_line, v_col = node.lc.value(key)  # a scalar: point at the value itself
                line, col = v_line + 1, v_col + 1
            found.append(part if isinstance(part, int) else str(key))
            node = child
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
            i_line, i_col = node.lc.item(part)
            line, col = i_line + 1, i_col + 1
            found.append(part)
            node = node[part]
    return line, col, tuple(found)
