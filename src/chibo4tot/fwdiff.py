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
        return _("~ đổi {where}: {old} → {new}").format(
            where=self.where, old=self.old, new=self.new
        )


def _flatten(value: Any, prefix: str, out: dict[str, Any]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{prefix}.{key}" if prefix else str(key), out)
    elif (
        isinstance(value, list) and value and all(isinstance(i, dict) and "id" in i for i in value)
    ):
        for item in value:
            _flatten({k: v for k, v in item.items() if k != "id"}, f"{prefix}[{item['id']}]", out)
            out[f"{prefix}[{item['id']}]"] = item.get("name", item["id"])
    else:
        out[prefix] = value


_IGNORED = ("id", "title", "issuer", "documents", "years", "extends", "remove")


def diff_frameworks(old: Framework, new: Framework) -> list[Change]:
    """Every rule that differs, keyed by ids rather than list positions."""
    flat_old: dict[str, Any] = {}
    flat_new: dict[str, Any] = {}
    _flatten(old.model_dump(mode="json", exclude=set(_IGNORED)), "", flat_old)
    _flatten(new.model_dump(mode="json", exclude=set(_IGNORED)), "", flat_new)
    changes: list[Change] = []
    for key in sorted(flat_old.keys() | flat_new.keys()):
        if key not in flat_old:
            if not any(key.startswith(k + ".") for k in flat_new if k not in flat_old and k != key):
                changes.append(Change(key, "added", new=flat_new[key]))
        elif key not in flat_new:
            if not any(key.startswith(k + ".") for k in flat_old if k not in flat_new and k != key):
                changes.append(Change(key, "removed", old=flat_old[key]))
        elif flat_old[key] != flat_new[key]:
            changes.append(Change(key, "changed", flat_old[key], flat_new[key]))
    return changes
