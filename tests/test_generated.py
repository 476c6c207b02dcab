"""Generated files are fresh: JSON Schemas and the translation catalogue."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from chibo4tot import i18n
from chibo4tot.i18n.catalogue import extract, load_po
from chibo4tot.inputs.schema import render_schemas
from tests.conftest import invoke

REPO = Path(__file__).resolve().parents[1]
SCHEMA_DIR = REPO / "src" / "chibo4tot" / "schemas"
EXAMPLE_SCHEMAS = REPO / "examples" / "dang-bo-xa-thuong-phung" / "schemas"


@pytest.mark.parametrize("directory", [SCHEMA_DIR, EXAMPLE_SCHEMAS], ids=["package", "example"])
def test_committed_schemas_are_fresh(directory: Path, update_golden: bool) -> None:
    for name, text in render_schemas().items():
        path = directory / name
        if update_golden:
            path.write_text(text, encoding="utf-8")
        assert path.is_file(), f"{path} missing: run make schema"
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run make schema"


def test_schemas_carry_vietnamese_descriptions() -> None:
    schema = json.loads((SCHEMA_DIR / "record.schema.json").read_text(encoding="utf-8"))
    assert schema["title"] == "Hồ sơ tự đánh giá tháng của chi bộ"
    meeting = schema["$defs"]["Meeting"]["properties"]
    assert meeting["present"]["description"] == "Số đảng viên (không miễn) có mặt"
    assert schema["additionalProperties"] is False


def test_schema_check_command(tmp_path: Path) -> None:
    invoke(["criteria", "schema", "--out", str(tmp_path)])
    invoke(["criteria", "schema", "--out", str(tmp_path), "--check"])
    (tmp_path / "record.schema.json").write_text("{}", encoding="utf-8")
    result = invoke(["criteria", "schema", "--out", str(tmp_path), "--check"], exit_code=1)
    assert "make schema" in result.stderr


def test_every_message_has_an_english_translation() -> None:
    catalog = load_po()
    source_ids = {m.id for m in extract() if m.id}
    po_ids = {m.id for m in catalog if m.id}
    assert source_ids - po_ids == set(), "new messages: run make i18n and translate them"
    untranslated = sorted(m.id for m in catalog if m.id and not m.string)
    assert untranslated == [], untranslated[:5]


def _calls_inside_fstrings(tree: ast.AST) -> list[int]:
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.Call)
                    and getattr(inner.func, "id", None) in ("_", "N_")
                    and inner.args
                    and isinstance(inner.args[0], ast.Constant)
                ):
                    lines.append(inner.lineno)
    return lines


def test_no_message_is_marked_inside_an_fstring() -> None:
    # Python 3.11's tokenizer gives an f-string as one token, so Babel never extracts a _()
    # inside it: the message is silently untranslated there, and "new" under Python 3.12+.
    found = []
    for path in sorted((REPO / "src" / "chibo4tot").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{path.relative_to(REPO)}:{line}" for line in _calls_inside_fstrings(tree)]
    assert found == [], "move _() out of the f-string: " + ", ".join(found)


def test_the_fstring_guard_sees_a_marked_call() -> None:
    assert _calls_inside_fstrings(ast.parse("x = f\"a {_('b')} c\"\ny = _('d') + f'{_(z)}'")) == [1]


def test_lang_en_switches_messages(tmp_path: Path) -> None:
    try:
        result = invoke(["--lang", "en", "validate", str(tmp_path)], exit_code=2)
        assert "chibo4tot init" in result.stderr
        assert "không tìm thấy" not in result.stderr
    finally:
        i18n.set_language("vi")
