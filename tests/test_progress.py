"""Progress of long steps: drawn on a terminal only, never in a pipe, gone when the step ends."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from rich.console import Console

from chibo4tot import progress
from chibo4tot.cli import progress_view
from tests.conftest import invoke


def test_without_a_listener_steps_cost_nothing() -> None:
    with progress.step("Đang đọc", 3) as advance:
        advance(1)  # nobody listens: no error, nothing printed


def test_a_slow_step_is_drawn_and_a_quick_one_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setattr(progress_view, "SHOW_AFTER", 0.05)
    out = io.StringIO()
    bars = progress_view._Bars(Console(file=out, force_terminal=True, width=80))
    with progress.listening(bars):
        with progress.step("Nhanh", 2) as advance:
            advance(2)
        assert out.getvalue() == ""
        with progress.step("Đang chấm điểm", 10) as advance:
            time.sleep(0.3)
            advance(4)
            bars.view.refresh()
            assert "Đang chấm điểm" in out.getvalue() and "4/10" in out.getvalue()
    bars.close()
    assert not bars.shown


def test_not_on_a_terminal_nothing_is_drawn(example_copy: Path) -> None:
    assert not progress_view.wanted()  # the test runner's stderr is not a terminal
    result = invoke(["score", str(example_copy), "--year", "2024", "--no-cache"])
    assert "━" not in result.stderr and "\x1b" not in result.stderr
