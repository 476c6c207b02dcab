"""Positions: walk a location (pydantic's ``loc``) through a file's YAML nodes to a line and column.

The fast loader builds values without positions; when a file has a problem its text is composed
again into nodes (the same C parser and YAML 1.2 rules, ``yamlio.compose``), whose start marks
give every message its ``file:line:col``. Composing builds no values, so locating costs about
what loading did even for a file of 200,000 items (ruamel's round-trip loader, pure Python, took
half a minute and 300 MB there).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from chibo4tot.errors import Loc
from chibo4tot.inputs.yamlio import KeyValue, compose

_MERGE = "tag:yaml.org,2002:merge"


_Pair = tuple[yaml.Node, yaml.Node, Any]  # key node, value node, the key as loaded


@dataclass
class PositionTree:
    """A document's nodes and how to read a key the way the fast loader does."""

    root: yaml.Node
    key_value: KeyValue
    # Per mapping node (by id): its pairs by key as loaded and by key as text, built on first use
    # so that many problems in one big mapping cost one pass over it, not one each.
    _index: dict[int, tuple[dict[Any, _Pair], dict[str, _Pair]]] = field(default_factory=dict)

    def find(self, node: yaml.MappingNode, part: str | int) -> _Pair | None:
        """The pair whose key is ``part``: equal as loaded first, then equal as text (``1.2`` →
        "1.2"); the first of two equal keys, as ruamel's round-trip loader did."""
        if id(node) not in self._index:
            by_value: dict[Any, _Pair] = {}
            by_text: dict[str, _Pair] = {}
            for key_node, value_node in _pairs(node):
                if not isinstance(key_node, yaml.ScalarNode):
                    continue
                key = self.key_value(key_node)
                pair = (key_node, value_node, key)
                with contextlib.suppress(TypeError):  # unhashable: found by its text only
                    by_value.setdefault(key, pair)
                by_text.setdefault(str(key), pair)
            self._index[id(node)] = (by_value, by_text)
        by_value, by_text = self._index[id(node)]
        try:
            if part in by_value:
                return by_value[part]
        except TypeError:
            pass
        return by_text.get(str(part))


def position_tree(text: str) -> PositionTree | None:
    """The nodes of ``text`` for :func:`locate`; None if it does not parse."""
    composed = compose(text)
    return None if composed is None else PositionTree(*composed)


def _at(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _pairs(
    node: yaml.MappingNode, seen: frozenset[int] = frozenset()
) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """The mapping's own pairs, then those merged in with ``<<`` (own keys win, as when loading)."""
    merged: list[yaml.Node] = []
    for key, value in node.value:
        if key.tag == _MERGE:
            merged.extend(value.value if isinstance(value, yaml.SequenceNode) else [value])
        else:
            yield key, value
    for source in merged:
        if isinstance(source, yaml.MappingNode) and id(source) not in seen:  # a cycle: the loader refused it
            yield from _pairs(source, seen | {id(node)})


def locate(tree: PositionTree | None, loc: Loc) -> tuple[int | None, int | None, Loc]:
    """Walk ``loc`` through the nodes: 1-based line/col and the part of loc that exists.

    Parts that are not in the data (pydantic's union tags, a missing key) are skipped, so a
    missing key points at its parent. A key followed by ``"[key]"`` points at the key itself, a
    scalar value at the value, a mapping or list at its key.
    """
    if tree is None:
        return None, None, ()
    node = tree.root
    line: int | None = None
    col: int | None = None
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode):
        line, col = _at(node)
    found: list[str | int] = []
    parts = list(loc)
    for index, part in enumerate(parts):
        if part == "[key]":
            break
        if isinstance(node, yaml.MappingNode):
            pair = tree.find(node, part)
            if pair is None:
                continue
            key_node, child, key = pair
            line, col = _at(key_node)
            wants_key = index + 1 < len(parts) and parts[index + 1] == "[key]"
            if not wants_key and not isinstance(child, yaml.MappingNode | yaml.SequenceNode):
                line, col = _at(child)  # a scalar: point at the value itself
            found.append(part if isinstance(part, int) else str(key))
            node = child
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
            line, col = _at(node)
            found.append(part)
    return line, col, tuple(found)
