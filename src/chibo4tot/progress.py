"""Progress of the long steps (reading records, scoring, each report file), told to a listener.

The core only says what it is doing and how far it got; the command line decides whether and
how to draw it (on stderr, only on a terminal). With no listener every call costs almost nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol


class Listener(Protocol):
    def start(self, label: str, total: int | None) -> None: ...
    def advance(self, done: int) -> None: ...
    def finish(self) -> None: ...


_listener: Listener | None = None


def _nothing(_done: int = 1) -> None:
    return None


@contextmanager
def step(label: str, total: int | None = None) -> Iterator[Callable[[int], None]]:
    """A step named ``label`` (Vietnamese, shown to the user) of ``total`` items; yields ``advance(n)``."""
    listener = _listener
    if listener is None:
        yield _nothing
        return
    listener.start(label, total)
    try:
        yield listener.advance
    finally:
        listener.finish()


@contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    """Send the steps started inside to ``listener`` (None: to nobody)."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous
