"""Fuzzing the input side: mutated copies of the example workspace never crash, hang or get modified.

Every example copies the example workspace, mutates one to three of its YAML files (byte flips,
truncation, deleted and duplicated lines, swapped types, hostile Unicode, huge numbers, odd
dates) and runs ``validate``, ``score`` and ``report --allow-incomplete --keep-going`` on it. Whatever the
input, the tool must answer like DESIGN §5 promises: exit 0 or 1, no internal error, no
traceback, every error line located, and the records left byte for byte as they were.

``make test`` runs a small derandomised batch; ``make fuzz`` sets CHIBO4TOT_FUZZ_EXAMPLES for a
long run. Inputs that once broke the tool live in tests/fuzz_corpus/ and are replayed every run:
each file's first line ``# fuzz-target: <path in the workspace>`` names the file it replaces.
A new crash found by the random run is fixed and added here; nothing is marked as expected to fail.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chibo4tot.cli import app
from tests.conftest import EXAMPLE

CORPUS = Path(__file__).parent / "fuzz_corpus"
EXAMPLES = int(os.environ.get("CHIBO4TOT_FUZZ_EXAMPLES", "12"))

# The files a person edits by hand; generated schemas and the README are not read by the tool.
TARGETS = sorted(
    p.relative_to(EXAMPLE).as_posix()
    for p in EXAMPLE.rglob("*.yaml")
    if "schemas" not in p.relative_to(EXAMPLE).parts
)

# Characters that have broken text tools before: C0/C1 controls (XML forbids most of them),
# bidi overrides and isolates, zero-width and BOM, surrogate-free astral, NFD marks, rich markup.
HOSTILE = [
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9b",
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200f", "\ufeff", "\ufffe", "\uffff",
    "\U0001f600", "a\u0301", "[/bold]", "[red]", "[link=http://x]", "{{ 7*7 }}", "{% raw %}",
    "=1+1", "@SUM(A1)", "\t", "\r", "\u2028", "\u2029",
]  # fmt: skip
ODD_VALUES = [
    "2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31", "1970-01-01", "2200-01-01",
    "24:61", "25:00", "2024-02-29T25:61:00", "2024-3-7", "07/03/2024", "2024-W10",
    "1e308", "-1e308", "99999999999999999999999999999999", "-1", "0", ".nan", ".inf", "-.inf",
    "0x7fffffffffffffff", "0o777", "1_000", "4,5,6", "null", "~", "true", "no", "[]", "{}",
    "[1, [2, [3]]]", "{a: 1}", "!!binary aGVsbG8=", "&a x", "*a", "'unterminated", '"x\\q"',
    "|", ">-", "- 1", "? x", "!!python/object:os.system x",
]  # fmt: skip

_TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0 but TAB and LF, DEL, C1
_LOCATED = re.compile(r"^(?P<path>.+?)(?::\d+:\d+)?: (?:lỗi|error): ")


def _yaml_escape(char: str) -> str:
    if char in '"\\' or not char.isprintable() or ord(char) > 0x7E:
        return f"\\U{ord(char):08x}" if ord(char) > 0xFFFF else f"\\u{ord(char):04x}"
    return char


@st.composite
def _mutation(draw: st.DrawFn, data: bytes) -> bytes:
    kind = draw(st.sampled_from(["flip", "truncate", "delete", "duplicate", "swap", "unicode", "insert"]))
    lines = data.split(b"\n")
    if kind == "flip" and data:
        at = draw(st.integers(0, len(data) - 1))
        bit = 1 << draw(st.integers(0, 7))
        return data[:at] + bytes([data[at] ^ bit]) + data[at + 1 :]
    if kind == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if kind == "delete" and lines:  # a deleted key (or a whole mapping's head)
        at = draw(st.integers(0, len(lines) - 1))
        return b"\n".join(lines[:at] + lines[at + 1 :])
    if kind == "duplicate" and lines:  # a duplicated key, or a list item twice
        at = draw(st.integers(0, len(lines) - 1))
        return b"\n".join([*lines[: at + 1], lines[at], *lines[at + 1 :]])
    if kind in ("swap", "unicode") and lines:  # a scalar after "key: " replaced
        at = draw(st.integers(0, len(lines) - 1))
        texts = [
            i for i, line in enumerate(lines) if re.match(rb"\s*(- )?(name|title|topic|note)\w*: ", line)
        ]
        if kind == "unicode" and texts and draw(st.booleans()):  # names reach every output format
            at = draw(st.sampled_from(texts))
        line = lines[at].decode("utf-8", "replace")
        key, sep, _rest = line.partition(": ")
        if kind == "swap":
            value = draw(st.sampled_from(ODD_VALUES))
        else:
            pieces = draw(st.lists(st.sampled_from(HOSTILE) | st.text(max_size=4), min_size=1, max_size=4))
            text = "".join(pieces)
            how = draw(st.sampled_from(["quoted", "escaped", "raw"]))
            if how == "quoted":  # raw control characters inside quotes: the reader must refuse them
                value = '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
            elif how == "escaped":  # YAML's own escapes get every character past the reader
                value = '"' + "".join(_yaml_escape(c) for c in text) + '"'
            else:
                value = text
        lines[at] = (f"{key}{sep or ': '}{value}").encode("utf-8", "surrogatepass")
        return b"\n".join(lines)
    # insert: random bytes or text anywhere
    at = draw(st.integers(0, len(data)))
    blob = draw(
        st.binary(max_size=16) | st.text(max_size=8).map(lambda t: t.encode("utf-8", "surrogatepass"))
    )
    return data[:at] + blob + data[at:]


@st.composite
def _mutated_files(draw: st.DrawFn) -> dict[str, bytes]:
    """{path in the workspace: new bytes} for one to three files, each mutated one to three times."""
    out: dict[str, bytes] = {}
    # Half the picks among the few shared files (units, workspace, framework): one record in 150
    # would otherwise almost always be the file mutated, and names live in units.yaml.
    pick = st.sampled_from(TARGETS) | st.sampled_from([t for t in TARGETS if not t.startswith("records/")])
    for rel in draw(st.lists(pick, min_size=1, max_size=3, unique=True)):
        data = (EXAMPLE / rel).read_bytes()
        for _ in range(draw(st.integers(1, 3))):
            data = draw(_mutation(data))
        out[rel] = data
    return out


def _digest(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".chibo4tot" not in p.relative_to(root).parts  # the cache is not an input
    }


def check_workspace(files: dict[str, bytes]) -> None:
    """Run the three reading commands on the example with ``files`` replaced; assert the contract."""
    with tempfile.TemporaryDirectory(prefix="chibo4tot-fuzz-") as tmp:
        workspace = Path(tmp) / "ws"
        shutil.copytree(EXAMPLE, workspace, ignore=shutil.ignore_patterns(".chibo4tot"))
        for rel, data in files.items():
            (workspace / rel).write_bytes(data)
        before = _digest(workspace)
        out = Path(tmp) / "out"
        report = ["--year", "2024", "--date", "2025-01-15", "--allow-incomplete", "--out", str(out)]
        for args in (
            ["validate", str(workspace)],
            ["score", str(workspace), "--year", "2024"],
            # --keep-going: the writers see hostile names even when another mutated file is broken
            ["report", str(workspace), *report, "--force", "--keep-going"],
        ):
            _check_run(args, files)
        assert _digest(workspace) == before, f"inputs modified by a reading command; mutated: {list(files)}"


def _check_run(args: list[str], files: dict[str, bytes]) -> None:
    result = CliRunner().invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # a crash past the funnel: the fuzzer's best find
    context = f"\ncommand: {args[0]}\nmutated: {list(files)}\nstderr:\n{result.stderr}"
    assert result.exit_code in (0, 1), f"exit {result.exit_code}{context}"
    for text in (result.stdout, result.stderr):
        assert "lỗi nội bộ" not in text, context
        assert "Traceback" not in text, context
        # An ESC from a file would drive the terminal (colours, titles, links): shown escaped or not at all.
        raw = _TERMINAL_CONTROL.search(text)
        assert raw is None, f"a raw control character {raw and raw.group()!r} reaches the terminal{context}"
    located = False
    for line in result.stderr.splitlines():
        if line.startswith("lỗi: "):  # the closing summary after the located problems
            assert located, f"an error with no location: {line!r}{context}"
            continue
        match = _LOCATED.match(line)
        if match and " lỗi: " in line:
            assert match["path"] != "chibo4tot", f"an error with no file: {line!r}{context}"
            located = True


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=EXAMPLES <= 100,  # the batch in `make test` is the same every run; `make fuzz` explores
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
@given(_mutated_files())
def test_mutated_workspace_is_handled(files: dict[str, bytes]) -> None:
    check_workspace(files)


def _corpus() -> list[Path]:
    return sorted(CORPUS.glob("*.yaml"))


@pytest.mark.parametrize("case", _corpus(), ids=lambda p: p.stem)
def test_known_bad_input_is_handled(case: Path) -> None:
    data = case.read_bytes()
    first = data.split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# fuzz-target: "), f"{case.name}: first line must name the file it replaces"
    check_workspace({first.removeprefix("# fuzz-target: ").strip(): data})
