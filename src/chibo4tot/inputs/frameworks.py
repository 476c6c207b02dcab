"""Find criteria frameworks, resolve ``extends`` by merging by id, and keep where each part came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from chibo4tot.errors import Loc, Problem
from chibo4tot.i18n import _
from chibo4tot.inputs.checks_framework import check_framework
from chibo4tot.inputs.framework_ranges import check_ranges
from chibo4tot.inputs.locate import FILE_REFUSED, folder_refusal, read_raw
from chibo4tot.inputs.messages import problems_from_validation
from chibo4tot.inputs.where import describe_loc
from chibo4tot.models.framework import Framework
from chibo4tot.runtime import interrupt_held

Provenance = dict[Loc, tuple[Path, Loc]]
YAML_SUFFIXES = (".yaml", ".yml")


@dataclass
class RawFramework:
    path: Path
    data: dict[str, Any]
    shipped: bool

    @property
    def id(self) -> str | None:
        value = self.data.get("id")
        return value if isinstance(value, str) else None


@dataclass
class LoadedFramework:
    """A validated framework and the file(s) it was built from."""

    framework: Framework
    path: Path
    shipped: bool
    chain: list[Path] = field(default_factory=list)
    provenance: Provenance = field(default_factory=dict)

    def source_of(self, loc: Loc) -> tuple[Path, Loc]:
        return source_of(self.provenance, self.path, loc)


def source_of(prov: Provenance, default: Path, loc: Loc) -> tuple[Path, Loc]:
    """The file and in-file path that a merged ``loc`` came from."""
    for cut in range(len(loc), -1, -1):
        hit = prov.get(loc[:cut])
        if hit is not None:
            return hit[0], hit[1] + loc[cut:]
    return default, loc


def discover(dirs: Iterable[tuple[Path, bool]], problems: list[Problem]) -> dict[str, RawFramework]:
    """Read every framework file; local ones shadow shipped ones with the same id."""
    found: dict[str, RawFramework] = {}
    for directory, shipped in dirs:
        # A workspace's criteria/ lies in the workspace, and its files (links included) must too;
        # the shipped folder is the tool's own.
        within = None if shipped else directory.parent
        if within is not None and (reason := folder_refusal(directory, within)) is not None:
            problems.append(Problem(directory, reason, code=FILE_REFUSED))
            continue
        if not directory.is_dir():
            continue
        for path in sorted(p for p in directory.iterdir() if p.suffix in YAML_SUFFIXES):
            data = read_raw(path, problems, within=within)
            if data is not None:
                register(found, RawFramework(path, data, shipped), problems)
    return found


def register(found: dict[str, RawFramework], raw: RawFramework, problems: list[Problem]) -> None:
    """Add one framework read from a file; register local ones before shipped ones, which they shadow."""
    if raw.id is None:
        _validate_alone(raw, problems)
        return
    previous = found.get(raw.id)
    if previous is not None and previous.shipped == raw.shipped:
        problems.append(
            Problem(
                raw.path,
                _("trùng mã khung tiêu chí “{id}” với tệp {other}").format(
                    id=raw.id, other=previous.path.name
                ),
                ("id",),
            )
        )
        return
    if previous is None or previous.shipped:
        found[raw.id] = raw


def _validate_alone(raw: RawFramework, problems: list[Problem]) -> None:
    """A framework without a usable id, checked on its own so that its problems are shown."""
    try:
        with interrupt_held():
            Framework.model_validate(raw.data)
    except ValidationError as exc:
        found = problems_from_validation(exc, Framework, raw.data)
        if "extends" in raw.data:
            # A child is whole only once merged with its parent, and merging needs its own id:
            # alone, every key it inherits would be reported missing. Its problem is the id.
            found = [(loc, message) for loc, message in found if loc[:1] == ("id",)]
        for loc, message in found:
            problems.append(Problem(raw.path, message, loc))


def _annotate(data: Any, path: Path, loc: Loc, mloc: Loc, prov: Provenance) -> Any:
    prov[mloc] = (path, loc)
    if isinstance(data, dict):
        for key, value in data.items():
            _annotate(value, path, (*loc, key), (*mloc, key), prov)
    elif isinstance(data, list):
        for i, value in enumerate(data):
            _annotate(value, path, (*loc, i), (*mloc, i), prov)
    return data


def _by_id(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "id" in i for i in items)


def _merge(
    parent: Any,
    ploc: Loc,
    child: Any,
    c_src: tuple[Path, Loc],
    mloc: Loc,
    prov: Provenance,
    p_prov: Provenance,
) -> Any:
    """Deep-merge ``child`` over ``parent``: mappings by key, lists of items with ids by id.

    ``ploc`` is where ``parent`` sits in the parent's merged data (looked up in ``p_prov``);
    ``c_src`` is the child's file and the path inside it; ``mloc`` is the path in the result.
    """
    if isinstance(parent, dict) and isinstance(child, dict):
        prov[mloc] = c_src
        out: dict[str, Any] = {}
        for key, value in parent.items():
            if key in child:
                child_src = (c_src[0], (*c_src[1], key))
                out[key] = _merge(value, (*ploc, key), child[key], child_src, (*mloc, key), prov, p_prov)
            else:
                out[key] = _copy(value, (*ploc, key), (*mloc, key), prov, p_prov)
        for key, value in child.items():
            if key not in parent:
                out[key] = _annotate(value, c_src[0], (*c_src[1], key), (*mloc, key), prov)
        return out
    if isinstance(parent, list) and isinstance(child, list) and _by_id(parent) and _by_id(child):
        # A list the child already reshaped with ``remove`` stays attributed to that entry.
        shaped = p_prov.get(ploc)
        prov[mloc] = shaped if shaped is not None and shaped[0] == c_src[0] else c_src
        # Parent items keep their positions, so a parent index is also the merged index.
        merged = [_copy(item, (*ploc, i), (*mloc, i), prov, p_prov) for i, item in enumerate(parent)]
        index = {_id_key(item): i for i, item in enumerate(parent)}
        for j, item in enumerate(child):
            src = (c_src[0], (*c_src[1], j))
            # An id that is not a scalar (a list typed by mistake) matches nothing: the item is kept
            # as a new one, and validation then says what is wrong with its id, where it is.
            at = index.get(_id_key(item))
            if at is not None:
                merged[at] = _merge(parent[at], (*ploc, at), item, src, (*mloc, at), prov, p_prov)
            else:
                merged.append(_annotate(item, src[0], src[1], (*mloc, len(merged)), prov))
        return merged
    return _annotate(child, c_src[0], c_src[1], mloc, prov)


def _id_key(item: dict[str, Any]) -> Any:
    ident = item["id"]
    return ident if isinstance(ident, str | int | float | bool) or ident is None else object()


def _copy(data: Any, ploc: Loc, mloc: Loc, prov: Provenance, p_prov: Provenance) -> Any:
    """Carry a parent subtree over, keeping the parent's own provenance (it may be merged too)."""
    for loc, origin in p_prov.items():
        if loc[: len(ploc)] == ploc:
            prov[(*mloc, *loc[len(ploc) :])] = origin
    return data


def _remove_indicators(
    data: dict[str, Any], wanted: list[Any], prov: Provenance, path: Path
) -> tuple[dict[str, Any], Provenance, set[str]]:
    """Drop indicators by id (nested ones too); returns the data, its provenance and the ids removed.

    Provenance follows each kept part to its new index (and file: the parent may extend another);
    a list that lost an item is attributed to the ``remove`` entry, which is what changed it.
    """
    at = {str(ident): i for i, ident in reversed(list(enumerate(wanted)))}
    removed: set[str] = set()
    moved: Provenance = {}

    def carry(node: Any, old: Loc, new: Loc) -> Any:
        if old in prov:
            moved[new] = prov[old]
        if isinstance(node, dict):
            return {key: carry(value, (*old, key), (*new, key)) for key, value in node.items()}
        if not isinstance(node, list):
            return node
        prunable = bool(old) and old[-1] == "indicators"
        kept: list[Any] = []
        for i, item in enumerate(node):
            ident = item.get("id") if isinstance(item, dict) else None
            if prunable and isinstance(ident, str) and ident in at:
                removed.add(ident)
                moved[new] = (path, ("remove", at[ident]))
                continue
            kept.append(carry(item, (*old, i), (*new, len(kept))))
        return kept

    return carry(data, (), ()), moved, removed


def resolve(
    raws: dict[str, RawFramework], fid: str, problems: list[Problem], _stack: tuple[str, ...] = ()
) -> tuple[dict[str, Any], Provenance, list[Path]] | None:
    """The merged raw data of framework ``fid`` with provenance, or None if it cannot be built."""
    raw = raws[fid]
    parent_id = raw.data.get("extends")
    if parent_id is None:
        prov: Provenance = {}
        _annotate(raw.data, raw.path, (), (), prov)
        return raw.data, prov, [raw.path]
    if not isinstance(parent_id, str) or parent_id not in raws:
        problems.append(
            Problem(
                raw.path,
                _("không tìm thấy khung tiêu chí cấp trên “{id}”").format(id=parent_id),
                ("extends",),
            )
        )
        return None
    if parent_id in (*_stack, fid):
        cycle = " → ".join((*_stack, fid, parent_id))
        problems.append(
            Problem(
                raw.path,
                _("kế thừa vòng tròn giữa các khung tiêu chí: {cycle}").format(cycle=cycle),
                ("extends",),
            )
        )
        return None
    resolved = resolve(raws, parent_id, problems, (*_stack, fid))
    if resolved is None:
        return None
    parent_data, parent_prov, chain = resolved
    parent_data = {k: v for k, v in parent_data.items() if k not in ("remove",)}
    wanted = raw.data.get("remove") or []
    if isinstance(wanted, list) and wanted:
        parent_data, parent_prov, removed = _remove_indicators(parent_data, wanted, parent_prov, raw.path)
        for i, ident in enumerate(wanted):
            if str(ident) not in removed:
                problems.append(
                    Problem(
                        raw.path,
                        _("khung cấp trên không có chỉ tiêu “{id}” để bỏ").format(id=ident),
                        ("remove", i),
                    )
                )
    prov = {}
    merged = _merge(parent_data, (), raw.data, (raw.path, ()), (), prov, parent_prov)
    return merged, prov, [*chain, raw.path]


def build_framework(
    raws: dict[str, RawFramework], fid: str, problems: list[Problem]
) -> LoadedFramework | None:
    """Resolve and validate one framework; problems are located in the file they came from."""
    resolved = resolve(raws, fid, problems)
    if resolved is None:
        return None
    data, prov, chain = resolved
    raw = raws[fid]
    files = {r.path: r.data for r in raws.values()}
    try:
        with interrupt_held():
            framework = Framework.model_validate(data)
    except ValidationError as exc:
        for loc, message in problems_from_validation(exc, Framework, data):
            path, floc, note = blame(prov, chain, raw.path, loc, _kinds_above(data, loc), files)
            problems.append(Problem(path, message + note, floc))
        return None
    for issue in [*check_framework(framework), *check_ranges(framework)]:
        path, floc, note = blame(prov, chain, raw.path, issue.loc, issue.related, files)
        problems.append(Problem(path, issue.message + note, floc, severity=issue.severity))
    return LoadedFramework(framework, raw.path, raw.shipped, chain, prov)


def blame(
    prov: Provenance,
    chain: list[Path],
    default: Path,
    loc: Loc,
    related: Iterable[Loc] = (),
    files: Mapping[Path, Any] | None = None,
) -> tuple[Path, Loc, str]:
    """Where to show a problem at ``loc`` that also depends on ``related`` values, and a note.

    The most derived file wins: a child that wrote any value involved introduced the problem.
    When that moves it away from ``loc``, the note says where the inherited value is, in the
    words of that file (``files`` holds each file's data, to name its items by their ids).
    """
    rank = {path: i for i, path in enumerate(chain)}
    primary = best = source_of(prov, default, loc)
    for other in related:
        candidate = source_of(prov, default, other)
        if rank.get(candidate[0], -1) > rank.get(best[0], -1):
            best = candidate
    if best is primary:
        return primary[0], primary[1], ""
    place = describe_loc("framework", primary[1], (files or {}).get(primary[0]))
    note = _("; {where} kế thừa từ {file}").format(file=primary[0].name, where=place)
    return best[0], best[1], note


def _kinds_above(data: Any, loc: Loc) -> list[Loc]:
    """The ``kind`` keys of the items around ``loc``, nearest first: a child that changes an
    item's kind makes the keys it inherited wrong for it."""
    out: list[Loc] = []
    node = data
    for cut, part in enumerate(loc):
        if isinstance(node, dict) and "kind" in node:
            out.insert(0, (*loc[:cut], "kind"))
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            break
    return out
