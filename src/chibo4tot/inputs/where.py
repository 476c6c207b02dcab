"""Positions in the user's words: ``units[0]`` → "chi bộ thứ 1 (mã ma-pi-leng)". Pure.

A problem's ``loc`` is a path of keys and list indexes; a secretary reads "tự đánh giá chỉ tiêu
1.1" more easily than ``assessment.1.1.value``. Each kind of file has its vocabulary: what each
key means, and how an item of each list is named (by its id where it has one). The last key
stays in parentheses, as the word to look for in the file. A key the vocabulary does not know
is shown as written.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from chibo4tot.errors import Loc, render_loc
from chibo4tot.i18n import N_, _
from chibo4tot.inputs.where_words import ABSENT, LONGEST_NAME, VOCABULARY, Items, Key

# Items whose name (their id) is enough to place what is below them: "chỉ tiêu 2.1.6" says which
# criterion it belongs to.
_NAMED_BY_ID = frozenset({"criterion", "indicator"})
# A unit that is not a chi bộ is named for what it is.
_NOT_A_CELL = N_("tổ chức đảng thứ {n} (mã {id})")
_NOT_A_CELL_PLAIN = N_("tổ chức đảng thứ {n}")


def file_kind(path: Path | None, data: Any = None) -> str | None:
    """Which vocabulary a file speaks, from its place in the workspace (DESIGN §3)."""
    if path is None:
        return None
    if path.name == "chibo4tot.yaml":
        return "config"
    if path.name == "units.yaml":
        return "units"
    if "records" in path.parts[:-1]:
        return "year" if path.stem == "year" else "month"
    if path.parent.name == "criteria" or (
        isinstance(data, Mapping) and ("criteria" in data or "extends" in data)
    ):
        return "framework"
    return None


def _child(node: Any, part: str | int) -> Any:
    if isinstance(node, Mapping):
        return next((node[k] for k in node if k == part or str(k) == str(part)), ABSENT)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return ABSENT


def _shown(value: Any) -> str | None:
    """An item's id or name as the position may show it (short, one line), or None."""
    if isinstance(value, bool) or not isinstance(value, str | int | float) or not str(value).strip():
        return None
    text = " ".join(str(value).split())
    return text if len(text) <= LONGEST_NAME else text[: LONGEST_NAME - 1] + "…"


def _item_name(items: Items, index: int | str, item: Any, next_part: str | int | None) -> tuple[str, bool]:
    """The item's name, and whether it is named by its id (rather than by its position)."""
    n = index + 1 if isinstance(index, int) else index
    if not items.by:  # a mapping keyed by id, or a list named by position only
        return _(items.named).format(id=_shown(index) or index, n=n), isinstance(index, str)
    name = _shown(_child(item, items.by)) if next_part != items.by else None
    if items.of == "unit" and _is_party_committee(item):
        return (_(_NOT_A_CELL).format(n=n, id=name) if name else _(_NOT_A_CELL_PLAIN).format(n=n)), False
    if name is None:
        return _(items.plain).format(n=n), False
    return _(items.named).format(n=n, id=name, name=name), True


def _is_party_committee(item: Any) -> bool:
    kind = _child(item, "kind")
    return isinstance(kind, str) and kind.strip().casefold().replace("_", " ").startswith(
        ("dang bo", "đảng bộ")
    )


def describe_loc(kind: str | None, loc: Loc, data: Any = None) -> str:
    """``loc`` in the words of its file: "chỉ tiêu 2.1.6, ngưỡng (target)". Without a known kind
    of file, the loc as written (``criteria[1].target``)."""
    parts = [p for p in loc if p != "[key]"]
    if kind not in VOCABULARY:
        return render_loc(tuple(parts))
    segments: list[str] = []
    replaceable = False  # the last segment names what a deeper item's name names again
    container: tuple[int, str] | None = None  # the last segment is this key's label
    vocabulary: dict[str, Key] | None = VOCABULARY[kind]
    items: Items | None = None
    node = data
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        if items is not None:  # one item of a list, or one entry of a mapping keyed by id
            child = _child(node, part)
            name, named = _item_name(items, part, child, None if last else parts[i + 1])
            if items.replaces and named and replaceable:
                segments[-1] = name
            else:
                segments.append(name)
            replaceable = named and items.of in _NAMED_BY_ID
            container = None
            vocabulary, items, node = VOCABULARY.get(items.of), None, child
            continue
        key = vocabulary.get(str(part)) if vocabulary is not None else None
        if key is None:
            if last and vocabulary is not None:
                # a key the file should not have: the message names it; the place is its parent
                if container is not None and container[0] == len(segments) - 1:
                    segments[-1] += f" ({container[1]})"
                break
            segments.append(str(part))
            vocabulary, node, container, replaceable = None, _child(node, part), None, False
            continue
        scalar_item_last = key.items is not None and not key.items.of and i == len(parts) - 2
        if last or (scalar_item_last and not key.silent):
            if key.label:
                segments.append(f"{_(key.label)} ({part})")
            if last:
                break
        elif key.label and not key.silent:
            segments.append(_(key.label))
            container = (len(segments) - 1, str(part))
            replaceable = key.replaceable
        vocabulary, items, node = VOCABULARY.get(key.of), key.items, _child(node, part)
    return ", ".join(segments)
