"""`chibo4tot validate`: every kind of bad input gives one located Vietnamese line and exit 1."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import dump_yaml, invoke, month_record

REC = "records/2024/chi-bo-1/2024-02.yaml"
LINE = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): lỗi: (?P<rest>.+)$")


def problem_lines(stderr: str) -> list[str]:
    """The error lines (the mini workspace also has completeness warnings: 3 months of a past year)."""
    return [line for line in stderr.splitlines() if ": lỗi: " in line]


def test_valid_workspace_exits_zero(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    result = invoke(["validate", str(root)])
    assert "Hợp lệ" in result.stdout
    assert "2 tổ chức đảng, 6 hồ sơ tháng" in result.stdout
    assert ": lỗi: " not in result.stderr
    gaps = [line for line in result.stderr.splitlines() if ": cảnh báo: " in line]
    assert len(gaps) == 4, gaps  # per cell: months 4–12, and year.yaml
    assert "Tìm thấy 0 lỗi và 4 cảnh báo" in result.stderr


def _yaml_with(record: dict[str, object]) -> str:
    return dump_yaml(record)


BAD_INPUTS: dict[str, tuple[str | bytes, int, str]] = {
    # case: (content of REC, expected line, expected words in the message)
    "misspelled key": (
        "unit: chi-bo-1\nmonth: 2024-02\nmeeting:\n  members: 20\n  exempt: 2\n  presnt: 17\n  excused: 1\n",
        3,  # the missing key "present" points at its parent; the typo is reported too
        "presnt",
    ),
    "wrong type": (
        "unit: chi-bo-1\nmonth: 2024-02\nmeeting:\n  members: hai mươi\n  present: 20\n",
        4,
        "phải là số nguyên",
    ),
    "duplicate key": (
        "unit: chi-bo-1\nmonth: 2024-02\nunit: chi-bo-1\nmeeting: {members: 1, present: 1}\n",
        3,
        "bị lặp lại",
    ),
    "broken syntax": ("unit: chi-bo-1\nmonth: [2024-02\nmeeting: x\n", 3, "cú pháp YAML"),
    "unknown unit": (
        "unit: chi-bo-9\nmonth: 2024-02\nmeeting: {members: 1, present: 1}\n",
        1,
        "chi-bo-9",
    ),
    "duplicate month": (
        "unit: chi-bo-1\nmonth: 2024-01\nmeeting: {members: 1, present: 1}\n",
        2,
        "2024-01",
    ),
    "cp1258": (
        "unit: chi-bo-1\nmonth: 2024-02\nnotes: Chi bộ thôn Việt Nam họp đúng kỳ\n".encode(),
        3,
        "cp1258",
    ),
    "impossible date": (
        "unit: chi-bo-1\nmonth: 2024-02\nmeeting:\n  members: 1\n  present: 1\n  date: 2024-02-30\n",
        6,
        "ngày không có thật",
    ),
    "control character": ("unit: chi-bo-1\nmonth: 2024-02\nnotes: họp\x07\n", 3, "ký tự điều khiển"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), 1, "nhị phân"),
    "empty": ("", 1, "rỗng"),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(
            f"{n}: &{n} [{', '.join(['*' + p] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True)
        ),
        1,
        "quá",
    ),
}


def to_cp1258(text: str) -> bytes:
    """Encode like old Windows Vietnamese software: letter with its vowel mark + combining tone."""
    vowel_marks = {"\u0302", "\u0306", "\u031b"}  # circumflex, breve, horn
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = decomposed[0] + "".join(m for m in decomposed[1:] if m in vowel_marks)
        tones = "".join(m for m in decomposed[1:] if m not in vowel_marks)
        out += unicodedata.normalize("NFC", base).encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_located(case: str, make_ws: Callable[..., Path]) -> None:
    content, line, words = BAD_INPUTS[case]
    root = make_ws()
    target = root / REC
    if case == "cp1258":
        assert isinstance(content, bytes)
        target.write_bytes(to_cp1258(content.decode("utf-8")))
    elif isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    before = target.read_bytes()
    result = invoke(["validate", str(root)], exit_code=1)
    assert "Traceback" not in result.output
    lines = problem_lines(result.stderr)
    assert lines, result.stderr
    first = LINE.match(lines[0])
    assert first is not None, lines[0]
    assert first["path"].endswith("2024-02.yaml")
    assert int(first["line"]) == line, lines
    assert words in result.stderr
    assert re.search(r"Tìm thấy \d+ lỗi", result.stderr)
    assert target.read_bytes() == before  # never modifies what it reads


def test_misspelled_key_suggests_the_right_one(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    record = month_record("chi-bo-1", "2024-02")
    record["meeting"]["presnt"] = record["meeting"].pop("present")  # type: ignore[index]
    (root / REC).write_text(dump_yaml(record), encoding="utf-8")
    result = invoke(["validate", str(root)], exit_code=1)
    assert "“presnt” không có trong mẫu (có phải “present”?)" in result.stderr
    assert "thiếu khóa bắt buộc “present”" in result.stderr


def test_all_problems_of_all_files_in_one_run(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    (root / REC).write_text("", encoding="utf-8")
    (root / "records/2024/chi-bo-2/2024-03.yaml").write_text("unit: [\n", encoding="utf-8")
    units = (root / "units.yaml").read_text(encoding="utf-8").replace('"members": 20', '"members": -1', 1)
    (root / "units.yaml").write_text(units, encoding="utf-8")
    result = invoke(["validate", str(root)], exit_code=1)
    lines = problem_lines(result.stderr)
    assert len(lines) == 3, lines
    assert [line.split(":")[0] for line in lines] == sorted(line.split(":")[0] for line in lines)
    assert "Tìm thấy 3 lỗi và 0 cảnh báo trong 3 tệp." in result.stderr  # units.yaml broken: no gaps


def test_nfd_record_validates_like_nfc(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    nfc_text = (root / REC).read_text(encoding="utf-8")
    nfd_text = unicodedata.normalize("NFD", nfc_text)
    assert nfd_text != nfc_text
    (root / REC).write_text(nfd_text, encoding="utf-8")
    result = invoke(["validate", str(root)])
    assert "Hợp lệ" in result.stdout
    from chibo4tot.inputs.loading import load_workspace

    ws = load_workspace(root)
    records = {r.path.name: r.record for r in ws.records if r.folder_unit == "chi-bo-1"}
    (root / REC).write_text(nfc_text, encoding="utf-8")
    again = {r.path.name: r.record for r in load_workspace(root).records if r.folder_unit == "chi-bo-1"}
    assert records == again


def test_unquoted_indicator_id_says_to_quote(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    text = (root / REC).read_text(encoding="utf-8").replace('"1.2": "Tốt"', '1.2: "Tốt"')
    assert '1.2: "Tốt"' in text
    (root / REC).write_text(text, encoding="utf-8")
    result = invoke(["validate", str(root)], exit_code=1)
    assert 'hãy đặt trong dấu nháy, ví dụ "1.2"' in result.stderr


def test_strict_turns_warnings_into_failure(make_ws: Callable[..., Path]) -> None:
    root = make_ws()
    (root / "records/2024/chi-bo-1/stray.yaml").write_text(
        dump_yaml(month_record("chi-bo-1", "2024-05")), encoding="utf-8"
    )
    invoke(["validate", str(root)])
    result = invoke(["validate", "--strict", str(root)], exit_code=1)
    assert "cảnh báo" in result.stderr


def test_missing_workspace_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["validate", str(tmp_path)], exit_code=2)
    assert "chibo4tot init" in result.stderr


def test_validate_walks_up_to_the_workspace(
    make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_ws()
    monkeypatch.chdir(root / "records" / "2024")
    result = invoke(["validate"])
    assert "Hợp lệ" in result.stdout
