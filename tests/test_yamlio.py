"""The fast loader agrees with ruamel's YAML 1.2 loader, and rejects what it must."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from chibo4tot.inputs import yamlio
from chibo4tot.inputs.decoding import MAX_FILE_BYTES, YamlProblem, decode, guess_legacy_encoding
from chibo4tot.inputs.positions import locate, position_tree
from chibo4tot.inputs.yamlio import MAX_DEPTH, YamlErrors, fast_load
from tests.conftest import invoke, month_record


def ruamel_safe(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


TRICKY_SCALARS = [
    "010",
    "0o10",
    "0x1F",
    "0b11",
    "1_000",
    "no",
    "yes",
    "on",
    "off",
    "y",
    "n",
    "True",
    "FALSE",
    "~",
    "null",
    "Null",
    "2024-03-12",
    "2024-03",
    "12/03/2024",
    "1:30",
    ".5",
    "1e3",
    "1.5e3",
    "+12",
    "-0",
    ".inf",
    "-.inf",
    ".nan",
    "2.3",
    "8,5",
    "0.",
    "1.",
    "2024-03-12T10:00:00",
    "0",
    "00",
    "-1_0",
    "0xFF_FF",
    "1.2.3",
    "Đạt",
    "không đạt",
    "1e",
    "e1",
]


@pytest.mark.parametrize("scalar", TRICKY_SCALARS)
def test_scalar_resolution_matches_ruamel(scalar: str) -> None:
    text = f"v: {scalar}\n"
    assert same(fast_load(text)["v"], ruamel_safe(text)["v"]), scalar


def test_a_lone_equals_sign_is_a_string() -> None:
    # Deliberate divergence: ruamel's safe loader has no constructor for its "value" tag and
    # fails on `v: =`; YAML 1.2 says it is the string "=".
    assert fast_load("v: =\n") == {"v": "="}


plain_scalar = (
    st.text(
        alphabet=st.sampled_from(list("0123456789._-+:eExXoObB ~nNtTfFaly/,Đạt")),
        min_size=1,
        max_size=8,
    )
    .map(str.strip)
    .filter(
        lambda s: (
            s
            and not s.startswith(("-", ":", "?", "~ ", ","))
            and ": " not in s
            and not s.endswith(":")
            and " #" not in s
        )
    )
)


@settings(max_examples=300, deadline=None)
@given(plain_scalar)
def test_any_plain_scalar_matches_ruamel(scalar: str) -> None:
    text = f"v: {scalar}\n"
    if scalar == "=":
        return  # see test_a_lone_equals_sign_is_a_string
    try:
        expected = ruamel_safe(text)
    except Exception:
        with pytest.raises(YamlErrors):
            fast_load(text)
        return
    assert same(fast_load(text)["v"], expected["v"]), scalar


def test_duplicate_keys_are_all_reported_with_positions() -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    found = sorted((p.line, p.col) for p in info.value.problems)
    assert found == [(4, 3), (5, 1)]
    assert all("bị lặp lại" in p.message for p in info.value.problems)


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for prev, name in zip("abcdefghi", "bcdefghij", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join(["*" + prev] * 10) + "]")
    with pytest.raises(YamlErrors) as info:
        fast_load("\n".join(lines) + "\n")
    assert "bung ra" in info.value.problems[0].message


def test_recursive_alias_is_refused() -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load("a: &a\n  b: *a\n")
    assert "vòng" in info.value.problems[0].message


def test_small_aliases_are_fine() -> None:
    assert fast_load("a: &x [1, 2]\nb: *x\n") == {"a": [1, 2], "b": [1, 2]}


def test_python_tags_are_refused() -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load("a: !!python/object/apply:os.system [ls]\n")
    assert "thẻ YAML" in info.value.problems[0].message


@pytest.mark.parametrize(
    "text",
    [
        "[" * 200_000 + "]" * 200_000,  # once segfaulted libyaml's recursive composer
        "".join(" " * i + "- \n" for i in range(0, 400, 2)),
        "a:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(300)),
    ],
)
def test_deep_nesting_is_refused_not_crashed(text: str) -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load(text)
    assert info.value.problems[0].message == f"tệp lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)"


class _NoLimitParser(yaml.SafeLoader):
    """Like libyaml before PyYAML 6.0.3: no depth limit of its own (pure parser, no recursion)."""


class _LimitedParser(yaml.SafeLoader):
    """Like libyaml in PyYAML >= 6.0.3: stops a deep document itself, in its own words."""

    def check_event(self, *choices: Any) -> bool:
        raise yaml.scanner.ScannerError(
            "while increasing flow level", None, "some wording of a later version", self.get_mark()
        )


@pytest.mark.parametrize("parser", [_NoLimitParser, _LimitedParser], ids=["old-pyyaml", "new-pyyaml"])
def test_depth_message_does_not_depend_on_the_library(parser: type, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_CLoader", parser)
    with pytest.raises(YamlErrors) as info:
        fast_load("[" * 5_000 + "]" * 5_000)
    problem = info.value.problems[0]
    assert problem.message == f"tệp lồng nhau quá sâu (hơn {MAX_DEPTH} cấp)"
    assert (problem.line, problem.col) == (1, MAX_DEPTH + 1)
    # A shallow file with a long ruler of dashes still loads (the cheap bound is not the verdict).
    assert fast_load("a: 1\nb: " + "-" * 300 + "\n") == {"a": 1, "b": "-" * 300}


def test_a_syntax_error_in_a_possibly_deep_file_is_a_syntax_error() -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load('ghi_chu: "' + "-" * 150 + '"\nds: [1, 2\n')
    assert "danh sách [..] chưa đóng" in info.value.problems[0].message


def test_ordinary_nesting_passes_the_depth_guard() -> None:
    text = "a:\n" + "".join(" " * (i + 1) + f"k{i}:\n" for i in range(60)) + " " * 61 + "x: 1\n"
    assert fast_load(text)["a"]["k0"] is not None


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (b"", "rỗng"),
        (b"   \n\n", "rỗng"),
        (b"\x00\x01\x02abc", "nhị phân"),
        (b"a: 1\n" + b"#" * (MAX_FILE_BYTES + 1), "quá lớn"),
        (b"ten: Chi bo thon Viet" + b" \xd0\xe0ng \xf2", "không phải mã UTF-8"),
    ],
)
def test_decode_refuses(raw: bytes, words: str) -> None:
    with pytest.raises(YamlProblem) as info:
        decode(raw)
    assert words in info.value.message


def test_decode_strips_bom_and_keeps_text() -> None:
    assert decode("\ufeffa: Đạt\n".encode()) == "a: Đạt\n"


def test_legacy_encodings_are_named() -> None:
    from tests.test_cli_validate import to_cp1258

    assert "cp1258" in guess_legacy_encoding(to_cp1258("Chi bộ thôn Việt Nam họp đúng kỳ hằng tháng"))
    # TCVN3 (ABC font encoding): "Chi bé th«n ViÖt Nam" written with single high bytes
    assert "TCVN3" in guess_legacy_encoding(b"Chi b\xe9 th\xabn Vi\xd6t Nam")


TEXT = """\
unit: khu-bieu-nghi
meeting:
  members: 20
  absentees:
    - name: A
      excused: true
    - name: B
assessment:
  "1.1": Đạt
  1.2: Tốt
"""


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("unit",), (1, 7, ("unit",))),  # a scalar value points at the value
        (("meeting",), (2, 1, ("meeting",))),  # a mapping points at its key
        (("meeting", "members"), (3, 12, ("meeting", "members"))),
        (("meeting", "absentees", 1), (7, 7, ("meeting", "absentees", 1))),  # a list item
        (
            ("meeting", "absentees", 1, "excused"),
            (7, 7, ("meeting", "absentees", 1)),
        ),  # missing key → parent
        (("meeting", "present"), (2, 1, ("meeting",))),  # missing key → its parent mapping
        (("assessment", "1.2", "[key]"), (10, 3, ("assessment", "1.2"))),  # a float key, by text
        (("assessment", "1.1", "value"), (9, 10, ("assessment", "1.1"))),  # short form value
        (("criteria", 0, "pass_fail", "name"), (1, 1, ())),  # nothing found: top of the file
    ],
)
def test_locate_maps_loc_to_line_and_column(loc: tuple[Any, ...], expected: tuple[Any, ...]) -> None:
    assert locate(position_tree(TEXT), loc) == expected


def test_locate_skips_union_tags() -> None:
    text = "criteria:\n  - id: '1'\n    indicators:\n      - kind: level\n        levels: []\n"
    line, col, found = locate(position_tree(text), ("criteria", 0, "indicators", 0, "level", "levels"))
    assert (line, col) == (5, 9)
    assert found == ("criteria", 0, "indicators", 0, "levels")


ANCHORS_AND_FLOW = """\
# yaml-language-server: $schema=x
base: &base
  members: 20
  date: 2024-03-05
meeting:
  <<: *base
  present: 30
flow: {a: 1, 'b': [x, {c: 2}]}
2024-03-05: day
true: yes-key
10: ten
unit:
"""


@pytest.mark.parametrize(
    ("loc", "expected"),
    [
        (("base", "date"), (4, 9, ("base", "date"))),
        (("meeting", "present"), (7, 12, ("meeting", "present"))),
        (("meeting", "members"), (3, 12, ("meeting", "members"))),  # merged in: where it is written
        (("flow", "b", 1, "c"), (8, 27, ("flow", "b", 1, "c"))),
        (("flow", "b", "[key]"), (8, 14, ("flow", "b"))),
        (("2024-03-05",), (9, 13, ("2024-03-05",))),  # keys read as the loader reads them
        (("True",), (10, 7, ("True",))),
        ((10,), (11, 5, (10,))),
        (("10",), (11, 5, ("10",))),
        (("unit",), (12, 6, ("unit",))),  # an empty value: on its own line, not the next one
    ],
)
def test_locate_through_anchors_merges_flow_and_typed_keys(
    loc: tuple[Any, ...], expected: tuple[Any, ...]
) -> None:
    assert locate(position_tree(ANCHORS_AND_FLOW), loc) == expected


def test_a_problem_in_a_merged_key_is_located_where_it_is_written(make_ws: Callable[..., Path]) -> None:
    # Used to be "lỗi nội bộ: KeyError": ruamel's round-trip map has no position for a merged key.
    root = make_ws()
    record = root / "records/2024/chi-bo-1/2024-01.yaml"
    meeting = "".join(
        f"  {key}: {value}\n" for key, value in month_record("chi-bo-1", "2024-01")["meeting"].items()
    )
    record.write_text(
        "unit: chi-bo-1\nmonth: 2024-01\nframework: mini-2024\n"
        f"chung: &chung\n  held: [1]\nmeeting:\n  <<: *chung\n{meeting}",
        encoding="utf-8",
    )
    result = invoke(["validate", str(root)], exit_code=1)
    where = "sinh hoạt định kỳ, có tổ chức sinh hoạt (held)"
    assert f"{record}:5:3: lỗi: {where}: phải là Có hoặc Không" in result.stderr, result.stderr


def _big_record(items: int) -> str:
    """A record whose ``notes`` (text expected) is a list of ``items`` short strings."""
    return "unit: chi-bo-1\nmonth: 2024-04\nnotes:\n" + "".join("  - xxxxxx\n" for _ in range(items))


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="the pure-Python parser makes calls per node")
def test_locating_a_problem_in_a_big_file_does_not_parse_it_in_python(tmp_path: Path) -> None:
    # Locating used ruamel's round-trip loader, pure Python: ~300 calls per item (half a minute
    # and 300 MB for a 2 MB file). Now the C parser composes the nodes; Python is called a few
    # times per node (tag resolution). Counted calls, not time: the same on any machine.
    from chibo4tot.errors import Problem
    from chibo4tot.inputs.locate import locate_problems

    items = 20_000
    path = tmp_path / "2024-04.yaml"
    path.write_text(_big_record(items), encoding="utf-8")
    calls = 0

    def count(_frame: Any, event: str, _arg: Any) -> None:
        nonlocal calls
        calls += event == "call"

    sys.setprofile(count)
    try:
        located = locate_problems([Problem(path, "phải là văn bản", ("notes",))])
    finally:
        sys.setprofile(None)
    assert (located[0].line, located[0].col) == (3, 1)
    assert calls < 20 * items, calls


def test_a_two_megabyte_record_with_a_huge_list_is_located_quickly(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    record = root / "records/2024/chi-bo-1/2024-04.yaml"
    meeting = "".join(
        f"  {key}: {value}\n" for key, value in month_record("chi-bo-1", "2024-04")["meeting"].items()
    )
    text = _big_record(190_000).replace("notes:", f"framework: mini-2024\nmeeting:\n{meeting}notes:")
    record.write_text(text, encoding="utf-8")
    assert 1_900_000 < record.stat().st_size < MAX_FILE_BYTES  # under the size cap: it is read
    done = subprocess.run(
        [sys.executable, "-m", "chibo4tot", "validate", str(root)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,  # a hang guard: it took half a minute before, a couple of seconds now
        env={**os.environ, "CHIBO4TOT_LANG": "vi"},
    )
    assert done.returncode == 1, done.stderr
    notes_line = text[: text.index("notes:")].count("\n") + 1
    expected = f"{record}:{notes_line}:1: lỗi: ghi chú (notes): phải là văn bản"
    assert expected in done.stderr, done.stderr[:2000]


_VIETNAMESE_DETAILS = {yamlio._(m) for m in (*yamlio._SYNTAX_MESSAGES.values(), yamlio._SYNTAX_ERROR)}


@pytest.mark.parametrize(
    "text",
    [
        "- a\nb: 1\n",
        "%YAML 1.1\n%YAML 1.1\n---\na: 1\n",
        "%FOO\n---\na: 1\n",
        "a: *\n",
        "<<: 1\n",
        "a: !!str [1]\n",
        "a: !!omap [1]\n",
        "!!binary a: 1\n",
    ],
)
def test_every_syntax_error_is_vietnamese_and_located(text: str) -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load(text)
    problem = info.value.problems[0]
    prefix, _sep, detail = problem.message.partition(": ")
    assert prefix == "lỗi cú pháp YAML" and detail in _VIETNAMESE_DETAILS, problem.message
    assert problem.line is not None and problem.col is not None


class _FutureWording(yamlio._Loader):
    """A PyYAML whose English says things no version has said yet."""

    def get_single_node(self) -> Any:
        mark = yaml.Mark("<unicode string>", 0, 2, 4, None, None)
        raise yaml.scanner.ScannerError("while reading a thing", mark, "a wording of the future", mark)


def test_an_unknown_pyyaml_wording_still_gives_a_vietnamese_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yamlio, "_Loader", _FutureWording)
    with pytest.raises(YamlErrors) as info:
        fast_load("a: 1\n")
    problem = info.value.problems[0]
    assert (problem.message, problem.line, problem.col) == ("lỗi cú pháp YAML: cú pháp không đúng", 3, 5)


@pytest.mark.parametrize(
    ("text", "code", "where"),
    [
        ("a: 1\nb: x\x01y\n", "0001", (2, 5)),
        ("ten: Đạt\x07\n", "0007", (1, 9)),
        ("a: é\x1b\n", "001B", (1, 5)),
    ],
)
def test_a_control_character_is_named_and_located(text: str, code: str, where: tuple[int, int]) -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load(text)
    problem = info.value.problems[0]
    assert problem.message == f"có ký tự điều khiển không được phép (mã U+{code}); hãy xóa ký tự này"
    assert (problem.line, problem.col) == where  # libyaml counts bytes; the column counts letters


@pytest.mark.parametrize(
    "text", ["ngay: 2024-02-30\n", "ngay: 2024-13-01T10:00:00\n", "ngay: !!timestamp x\n"]
)
def test_an_impossible_date_is_a_located_problem_not_a_crash(text: str) -> None:
    with pytest.raises(YamlErrors) as info:
        fast_load(text)
    problem = info.value.problems[0]
    assert "ngày không có thật hoặc viết sai" in problem.message
    assert (problem.line, problem.col) == (1, 7)


# --- the fast path of fast_load agrees with the full one ------------------------------------

_ATOMS = [
    "a",
    "b",
    "1",
    "0x1",
    "1.0",
    ".nan",
    ".NaN",
    "true",
    "True",
    "~",
    "null",
    "2024-02-30",
    "2024-03-01",
    "'a'",
    '"1"',
    "!!str 1",
    "!!int 1",
    "!!float 1",
    "!!binary aGk=",
    "[1, 2]",
    "{a: 1}",
    "{a: 1, a: 2}",
    "<<",
    "!!merge x",
    "- 1",
    "&x a",
    "*x",
    "1_000",
    "0o17",
    "-.inf",
    "!foo x",
    "[a, a]",
    "? a",
    "",
    "'",
    "{",
    "!!set {a}",
    "2024-03-01 10:00:00",
    "0xZZ",
    "Đạt",
]


def _outcome(text: str) -> tuple[str, Any]:
    """What fast_load gives, with every value's type spelled out (1 == 1.0 == True otherwise)."""

    def strict(value: Any) -> Any:
        if isinstance(value, dict):
            return ("map", [(strict(k), strict(v)) for k, v in value.items()])
        if isinstance(value, list):
            return ("seq", [strict(v) for v in value])
        return (type(value).__name__, repr(value))

    try:
        return "value", strict(fast_load(text))
    except YamlErrors as exc:
        return "problems", [(p.message, p.line, p.col) for p in exc.problems]


def _full_outcome(text: str) -> tuple[str, Any]:
    """The same with the plain-tree builder refusing everything: only the full path runs."""

    def refuse(self: Any, node: Any) -> Any:
        raise yamlio._NotPlain

    original = yamlio._TreeBuilder.build
    yamlio._TreeBuilder.build = refuse  # type: ignore[method-assign]
    try:
        return _outcome(text)
    finally:
        yamlio._TreeBuilder.build = original  # type: ignore[method-assign]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 2), st.sampled_from(_ATOMS), st.sampled_from(_ATOMS)), min_size=1, max_size=6
    )
)
def test_the_plain_tree_builder_gives_what_the_full_path_gives(lines: list[tuple[int, str, str]]) -> None:
    text = "".join(f"{'  ' * indent}{key}: {value}\n" for indent, key, value in lines)
    assert _outcome(text) == _full_outcome(text)


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\na: 2\n",  # a duplicate key is still found
        ".nan: 1\n.nan: 2\n",  # NaN keys never compare equal, the duplicate is still found
        "1: a\n0x1: b\n",  # keys equal once loaded (not a duplicate by text): the full path decides
        "base: &b {x: 1}\nuse:\n  <<: *b\n",  # anchors and merges
        "a: [" + ", ".join(["1"] * (yamlio.MAX_NODES + 5)) + "]\n",  # too many nodes without any alias
    ],
)
def test_the_fast_path_hands_over_what_it_does_not_decide(text: str) -> None:
    assert _outcome(text) == _full_outcome(text)


_LINE = st.tuples(
    st.integers(0, 70),
    st.integers(0, 40),
    st.integers(0, 30),
    st.integers(0, 30),
    st.sampled_from("\n\r\x85"),
).map(lambda t: " " * t[0] + "- " * t[1] + "[{" * (t[2] // 2) + "[" * (t[2] % 2) + "]" * t[3] + "x" + t[4])


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE, max_size=4).map("".join))
def test_the_depth_prescan_never_skips_a_file_the_bound_would_check(text: str) -> None:
    if yamlio._shallow(text):
        assert yamlio._depth_bound(text) <= MAX_DEPTH


def test_the_depth_prescan_lets_deep_files_through_to_the_exact_check() -> None:
    deep = (
        "".join(" " * i + "a:\n" for i in range(0, 2 * MAX_DEPTH + 4, 2))
        + " " * (2 * MAX_DEPTH + 4)
        + "b: 1\n"
    )
    assert not yamlio._shallow(deep)
    with pytest.raises(YamlErrors) as info:
        fast_load(deep)
    assert "quá sâu" in info.value.problems[0].message
