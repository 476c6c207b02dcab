"""Progress drawn on stderr while a command works: only on a terminal, gone when the step ends."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from chibo4tot import progress

# rich's progress bars are imported when one may be drawn (on a terminal): every command runs
# inside shown(), and a pipe or a cached answer draws nothing.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import TaskID

SHOW_AFTER = 1.0  # seconds: a step quicker than this is never drawn


class _Bars:
    """Each step as one transient bar, drawn only once the step has lasted :data:`SHOW_AFTER`."""

    def __init__(self, console: Console) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.view = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            redirect_stdout=False,  # the command's own output is never routed through the bar
            redirect_stderr=False,
        )
        self.lock = threading.Lock()
        self.timer: threading.Timer | None = None
        self.task: TaskID | None = None
        self.step: tuple[str, int | None] | None = None
        self.done = 0
        self.shown = False

    def start(self, label: str, total: int | None) -> None:
        with self.lock:
            self.step, self.done, self.task = (label, total), 0, None
        self.timer = threading.Timer(SHOW_AFTER, self._show)
        self.timer.daemon = True
        self.timer.start()

    def _show(self) -> None:
        with self.lock:
            if self.step is None or self.task is not None:
                return
            if not self.shown:
                self.view.start()
                self.shown = True
            label, total = self.step
            self.task = self.view.add_task(label, total=total, completed=self.done)

    def advance(self, done: int) -> None:
        with self.lock:
            self.done += done
            if self.task is not None:
                self.view.update(self.task, completed=self.done)

    def finish(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            if self.task is not None:
                self.view.remove_task(self.task)
            self.step, self.task = None, None
            if self.shown:  # nothing drawn between steps: messages never meet a live bar
                self.view.stop()
                self.shown = False

    def close(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
        with self.lock:
            if self.shown:
                self.view.stop()
                self.shown = False


def wanted() -> bool:
    """Progress only for a person watching a terminal: never in a pipe, a file, a dumb terminal or CI."""
    stream = sys.stderr
    return bool(getattr(stream, "isatty", lambda: False)()) and os.environ.get("TERM") != "dumb"


@contextmanager
def shown() -> Iterator[None]:
    """Draw the steps started inside on stderr, when :func:`wanted`."""
    if not wanted():
        yield
        return
    from rich.console import Console

    bars = _Bars(Console(stderr=True))
    try:
        with progress.listening(bars):
            yield
    finally:
        bars.close()
