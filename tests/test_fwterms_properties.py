"""Property: whatever leaf of a shipped framework is edited — a number, a word, a rule — the comparison
``criteria diff`` prints names the item it belongs to and shows the new value.

Each example takes one leaf of the framework's data (defaults included: what the engine reads), gives
it another value of the same kind, keeps the edit when the framework still validates, and looks for it
in the diff. Numbers are looked for as a reader sees them: "0,86", "86%" or "2.031"; texts verbatim.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from chibo4tot.inputs.loading import load_frameworks
from chibo4tot.models.framework import Framework
from chibo4tot.results.fwterms import describe
from chibo4tot.results.fwterms.changes import change_lines, compare, count
from chibo4tot.results.fwterms.words import number, short_date

SHIPPED = {fid: lf.framework for fid, lf in load_frameworks(None, []).items()}
DATA = {fid: fw.model_dump(mode="json") for fid, fw in SHIPPED.items()}

Path = tuple[str | int, ...]

NUMBERS = {
    "points", "target", "min", "max_points", "min_points", "share", "max_ratio", "pass_at",
    "points_each", "min_total", "min_share", "gap_warning_points",
}  # fmt: skip
# Words with a fixed set of values: another value of the set (the framework may then not validate).
CHOICES: dict[str, list[str]] = {
    "op": [">", ">=", "<", "<=", "=="],
    "kind": ["pass_fail", "points", "level", "threshold", "count", "duration"],
    "period": ["month", "quarter", "year"],
    "method": ["sum", "mean", "min", "all", "at_least", "share"],
    "missing": ["zero", "exclude"],
    "missing_month": ["zero", "exclude"],
    "scope": ["parent", "workspace"],
    "when": ["thematic_combined", "thematic_held"],
    "at_least": ["htxsnv", "httnv", "htnv", "khtnv"],
    "applies_to": ["chi_bo_truc_thuoc", "chi_bo_co_so", "dang_bo_co_so", "dang_bo_bo_phan"],
    "source": [
        "self",
        "attendance_rate",
        "duration_minutes",
        "thematic_held",
        "new_members",
        "discipline_cases",
    ],
    "tie_break": ["total", "name", "id", "criterion:1", "criterion:3"],
}
# A leaf left empty (None) that an author may fill in, and what with.
FILL: dict[str, Any] = {
    "guidance": "Hướng dẫn mới",
    "min_points": "7.5",
    "pass_at": "1.5",
    "title": "Tên ngắn mới",
    "count": 7,
    "share": "0.65",
    "max_points": "6.5",
    "missing": "exclude",
    "criterion": "2",
    "date": "2021-03-09",
    "issuer": "Cơ quan mới",
}
SKIP = {("id",)}  # the framework's own id is what two frameworks are told apart by, not a change


def leaves(node: Any, path: Path = ()) -> list[Path]:
    if isinstance(node, dict):
        return [p for key, value in node.items() for p in leaves(value, (*path, key))]
    if isinstance(node, list):
        return [p for i, value in enumerate(node) for p in leaves(value, (*path, i))]
    return [] if path in SKIP else [path]


LEAVES = {fid: leaves(data) for fid, data in DATA.items()}
CASES = [(fid, path) for fid, paths in LEAVES.items() for path in paths]


def get(data: Any, path: Path) -> Any:
    for part in path:
        data = data[part]
    return data


def put(data: Any, path: Path, value: Any) -> None:
    get(data, path[:-1])[path[-1]] = value


def key_of(path: Path) -> str:
    """The field a leaf belongs to: its key, or the key of the list holding it."""
    return next(str(p) for p in reversed(path) if isinstance(p, str))


def where(data: Any, path: Path, new: Any) -> str | None:
    """What the diff must name: the innermost item with an id (a band: its name), if any."""
    found: str | None = None
    node = data
    for i, part in enumerate(path):
        node = node[part]
        if isinstance(node, dict) and "id" in node and i < len(path) - 1:
            found = str(node["id"])
        elif isinstance(node, dict) and "min" in node and "name" in node and found is None:
            found = str(node["name"])
    if path[-1] == "id" or (path[-1] == "name" and found is None and "min" in get(data, path[:-1])):
        return str(new)  # a new id (or band name) is the item's new name
    return found


def new_value(draw: Callable[..., Any], path: Path, old: Any) -> Any:
    key = key_of(path)
    if old is None:
        assume(key in FILL)
        return FILL[key]
    if isinstance(old, bool):
        return not old
    if isinstance(old, int):
        if key == "decimal_places":
            return draw(st.sampled_from([n for n in range(5) if n != old]))
        if key == "years":
            return draw(st.integers(2000, 2100).filter(lambda y: y != old))
        return old + draw(st.integers(1, 40))
    assert isinstance(old, str)
    if key in NUMBERS:
        step = draw(st.sampled_from(["0.01", "0.07", "0.25", "1", "3", "12.5"]))
        value = Decimal(old) + Decimal(step)
        if key in ("share", "max_ratio", "min_share") or (key == "target" and Decimal(old) < 1):
            value = Decimal(old) - Decimal(step) if value > 1 else value
            assume(0 <= value <= 1)
        return str(value)
    if key in CHOICES:
        return draw(st.sampled_from([c for c in CHOICES[key] if c != old]))
    if key == "date":
        return (dt.date.fromisoformat(old) + dt.timedelta(days=draw(st.integers(1, 400)))).isoformat()
    if key == "id":
        return old + ("9" if "." in old or old[:1].isdigit() or old[:1] in "tk" else "-moi")
    return old + " " + draw(st.sampled_from(["sửa đổi", "bổ sung", "điều chỉnh"])) + " 7"


def shown_forms(key: str, value: Any) -> list[str]:
    """How a reader may see ``value`` in the diff."""
    if isinstance(value, bool) or key in CHOICES:
        return []  # a rule word is shown in its own phrasing: the item and a change are enough
    if key == "date":
        return [short_date(dt.date.fromisoformat(value))]
    if isinstance(value, int):
        return [str(value), number(value)]
    if key in NUMBERS:
        d = Decimal(value)
        return [number(d), number(d * 100) + "%"]
    return [str(value)]


PROPERTY = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)


@PROPERTY
@given(st.data())
def test_every_changed_leaf_appears_in_the_diff(data: st.DataObject) -> None:
    fid, path = data.draw(st.sampled_from(CASES), label="leaf")
    before = DATA[fid]
    old = get(before, path)
    value = new_value(data.draw, path, old)
    after = copy.deepcopy(before)
    put(after, path, value)
    try:
        edited = Framework.model_validate(after)
    except ValidationError:
        assume(False)
        raise
    assume(edited != SHIPPED[fid])  # a value the model normalises back (e.g. "2.0" for "2")
    changes = compare(describe(SHIPPED[fid]), describe(edited))
    text = "\n".join(change_lines(fid, fid, changes))
    assert count(changes) >= 1, (path, old, value)
    named = where(before, path, value)
    if named is not None:
        assert named in text, (path, named, text)
    forms = shown_forms(key_of(path), value)
    if forms:
        assert any(form in text for form in forms), (path, old, value, forms, text)
