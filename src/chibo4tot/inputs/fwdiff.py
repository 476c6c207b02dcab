"""What changed between two frameworks (e.g. a province's and the one it extends). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chibo4tot.i18n import _
from chibo4tot.models.framework import Framework


@dataclass(frozen=True)
class Change:
    """One difference: where (a dotted path of ids), what kind, old and new values."""

    where: str
    kind: str  # "added" | "removed" | "changed"
    old: Any = None
    new: Any = None

    def render(self) -> str:
        if self.kind == "added":
            return _("+ thêm {where}: {new}").format(where=self.where, new=self.new)
        if self.kind == "removed":
            return _("- bỏ {where}: {old}").format(where=self.where, old=self.old)
        return _("~ đổi {where}: {old} → {new}").format(where=self.where, old=self.old, new=self.new)


def _flatten(value: Any, prefix: str, out: dict[str, Any], items: dict[str, str]) -> None:
    """Leaf values by path; list items with ids are addressed by id (``indicators[2.1]``)."""
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out, items)
    elif isinstance(value, list) and value and all(isinstance(i, dict) and "id" in i for i in value):
        for item in value:
            where = f"{prefix}[{item['id']}]"
            items[where] = str(item.get("name", item["id"]))
            _flatten({k: v for k, v in item.items() if k != "id"}, where, out, items)
    else:
        out[prefix] = value


_IGNORED = ("id", "title", "issuer", "documents", "years", "extends", "remove")


def diff_frameworks(old: Framework, new: Framework) -> list[Change]:
    """Every rule that differs, keyed by ids rather than list positions."""
    flat_old: dict[str, Any] = {}
    flat_new: dict[str, Any] = {}
    items_old: dict[str, str] = {}
    items_new: dict[str, str] = {}
    _flatten(old.model_dump(mode="json", exclude=set(_IGNORED)), "", flat_old, items_old)
    _flatten(new.model_dump(mode="json", exclude=set(_IGNORED)), "", flat_new, items_new)
    added = sorted(items_new.keys() - items_old.keys())
    removed = sorted(items_old.keys() - items_new.keys())

    def inside(key: str, roots: list[str]) -> bool:
        return any(key == r or key.startswith((r + ".", r + "[")) for r in roots)

    changes = [
        Change(k, "added", new=items_new[k]) for k in added if not inside(k, [a for a in added if a != k])
    ]
    changes += [
        Change(k, "removed", old=items_old[k])
        for k in removed
        if not inside(k, [r for r in removed if r != k])
    ]
    for key in sorted(flat_old.keys() | flat_new.keys()):
        if inside(key, added) or inside(key, removed):
            continue
        before, after = flat_old.get(key), flat_new.get(key)
        if before != after:
            kind = "added" if key not in flat_old else "removed" if key not in flat_new else "changed"
            changes.append(Change(key, kind, before, after))
    return sorted(changes, key=lambda c: c.where)
