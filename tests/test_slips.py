"""A syntax error is reported at the line a person typed wrong, with what to type instead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from chibo4tot.errors import Problem
from chibo4tot.inputs.locate import locate_problems, parse_model
from chibo4tot.inputs.slips import find_slip
from chibo4tot.inputs.yamlio import YamlErrors, fast_load
from chibo4tot.models.framework import Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.workspace import UnitsFile, WorkspaceConfig
from tests.conftest import EXAMPLE, REPO

HAND_WRITTEN = [
    *sorted((REPO / "criteria").glob("*.yaml")),
    EXAMPLE / "chibo4tot.yaml",
    EXAMPLE / "units.yaml",
    EXAMPLE / "records/2024/pa-vi/2024-03.yaml",
    EXAMPLE / "records/2024/pa-vi/year.yaml",
]
_KEY_VALUE = re.compile(r'^(\s*(?:- )?(?:"[^"]*"|[A-Za-z0-9_.]+)):( )(?![|>#\s"\'\[{&*!])(\S.*)$')


def _first_problem(text: str) -> tuple[int | None, int | None, str]:
    with pytest.raises(YamlErrors) as caught:
        fast_load(text)
    problem = caught.value.problems[0]
    return problem.line, problem.col, problem.message


def _model_for(path: Path) -> type[BaseModel]:
    if path.parent.name == "criteria":
        return Framework
    return {"chibo4tot.yaml": WorkspaceConfig, "units.yaml": UnitsFile, "year.yaml": YearRecord}.get(
        path.name, MonthRecord
    )


@pytest.mark.parametrize("path", HAND_WRITTEN, ids=lambda p: p.name)
def test_a_missing_space_after_any_colon_is_reported_at_its_own_line(path: Path, tmp_path: Path) -> None:
    """Every "key: value" line of the shipped files, written "key:value": the first problem of
    the file is at that line and says so, whether the parser fails (mostly) or the text it then
    reads is refused by the model (the last line of a mapping)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    checked = 0
    for n, line in enumerate(lines, 1):
        match = _KEY_VALUE.match(line.rstrip("\n"))
        if match is None:
            continue
        broken = "".join([*lines[: n - 1], match[1] + ":" + match[3] + "\n", *lines[n:]])
        copy = tmp_path / path.name
        copy.write_text(broken, encoding="utf-8")
        problems: list[Problem] = []
        parse_model(copy, _model_for(path), problems)
        located = sorted(locate_problems(problems), key=Problem.sort_key)
        key = match[1].strip().removeprefix("- ")
        value = re.split(r"\s+#", match[3])[0].rstrip()
        expected = (n, f"thiếu dấu cách sau dấu hai chấm: hãy viết “{key}: {value}”")
        if located[0].code == "yaml":
            assert [(p.line, p.message) for p in located] == [expected], (path.name, n, line)
        else:  # the model's problems; a framework that extends another also misses what it inherits
            assert expected in [(p.line, p.message) for p in located], (path.name, n, line)
        checked += 1
    assert checked >= 10, path


SLIPS: list[tuple[str, str, int, int, str]] = [
    (
        "quoted key, no space",
        'assessment:\n  "1.1": Đạt\n  "3.1":Đạt\n  "3.2": Đạt\n',
        3,
        8,
        'thiếu dấu cách sau dấu hai chấm: hãy viết “"3.1": Đạt”',
    ),
    (
        "plain key, no space, top level",
        "unit: chi-bo-1\nmonth:2024-02\nmeeting:\n  members: 1\n",
        2,
        6,
        "thiếu dấu cách sau dấu hai chấm: hãy viết “month: 2024-02”",
    ),
    ("tab indent", "meeting:\n\tmembers: 1\n", 2, 1, "thụt lề bằng phím Tab: YAML chỉ thụt lề bằng dấu cách"),
    (
        "tab after spaces",
        "meeting:\n  members: 1\n  \tpresent: 1\n",
        3,
        3,
        "thụt lề bằng phím Tab: YAML chỉ thụt lề bằng dấu cách",
    ),
    (
        "unclosed double quote",
        'unit: chi-bo-1\nnotes: "Họp đủ\nmonth: 2024-02\nmeeting:\n  members: 1\n',
        2,
        8,
        'chuỗi mở bằng dấu nháy " chưa được đóng trên dòng này; hãy thêm " ở cuối',
    ),
    (
        "unclosed single quote",
        "unit: chi-bo-1\nnotes: 'Họp đủ\nmonth: 2024-02\n",
        2,
        8,
        "chuỗi mở bằng dấu nháy ' chưa được đóng trên dòng này; hãy thêm ' ở cuối",
    ),
    (
        "list item without space",
        "units:\n  - id: a\n    name: b\n  -id: c\n    name: d\n",
        4,
        3,
        "thiếu dấu cách sau dấu gạch đầu dòng: hãy viết “- id: c”",
    ),
    (
        "key indented one space too far",
        "meeting:\n  members: 20\n   present: 20\n",
        3,
        4,
        "thụt lề sâu hơn dòng 2 ở trên (3 so với 2 dấu cách) trong khi dòng đó đã có giá trị; "
        "các khóa cùng cấp phải thẳng hàng",
    ),
    (
        "key indented between two levels",
        "meeting:\n    members: 20\n  present: 20\n",
        3,
        3,
        "thụt lề 2 dấu cách không khớp với các dòng ở trên (đang thụt 0 hoặc 4 dấu cách)",
    ),
    (
        "curly quotes around a text with a colon",
        "notes: “Họp: đủ”\n",
        1,
        8,
        'dấu nháy cong “ ” không phải dấu nháy của YAML; hãy gõ dấu nháy thẳng "',
    ),
    (
        "full-width colon",
        "unit: chi-bo-1\nmonth：2024-02\nmeeting:\n  members: 1\n",
        2,
        6,
        "dấu hai chấm toàn khổ “：” không phải dấu hai chấm của YAML; hãy gõ dấu hai chấm thường “:”",
    ),
]


@pytest.mark.parametrize(
    ("text", "line", "col", "message"), [s[1:] for s in SLIPS], ids=[s[0] for s in SLIPS]
)
def test_each_slip_is_named_at_its_line(text: str, line: int, col: int, message: str) -> None:
    assert _first_problem(text) == (line, col, message)


def test_a_valid_curly_quoted_text_is_not_blamed_for_a_later_error() -> None:
    text = "notes: “Họp đủ”\nunit: chi-bo-1\nmonth: [2024-02\n"
    line, _col, message = _first_problem(text)
    assert line == 4 and "dấu nháy cong" not in message  # the unclosed [ is, at the end of the file


def test_an_error_no_slip_explains_keeps_the_parsers_words() -> None:
    assert _first_problem("a: [1, 2\nb: 3\n")[2].startswith("lỗi cú pháp YAML: ")


def test_a_slip_is_only_claimed_when_correcting_it_helps() -> None:
    assert find_slip("a:b\n", lambda _text, _line: False) is None
    slip = find_slip("a:b\n", lambda text, _line: text == "a: b\n")
    assert slip is not None and slip.line == 1


@pytest.mark.parametrize("rest", ["", "month:2024-02\n"])
def test_a_file_that_reads_as_one_text_is_told_the_space_is_missing(tmp_path: Path, rest: str) -> None:
    path = tmp_path / "2024-03.yaml"
    path.write_text("# hồ sơ\nunit:chi-bo-1\n" + rest, encoding="utf-8")
    problems: list[Problem] = []
    assert parse_model(path, MonthRecord, problems) is None
    assert [(p.line, p.col, p.message) for p in problems] == [
        (2, 5, "thiếu dấu cách sau dấu hai chấm: hãy viết “unit: chi-bo-1”")
    ]


def test_a_key_glued_to_a_nested_key_is_told_the_space_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text("units:- id: a\n", encoding="utf-8")
    problems: list[Problem] = []
    assert parse_model(path, UnitsFile, problems) is None
    assert [(p.loc, p.message) for p in problems] == [
        (("units",), "thiếu khóa bắt buộc “units”"),
        (("units:- id",), "thiếu dấu cách sau dấu hai chấm: hãy viết “units: - id”"),
    ]
