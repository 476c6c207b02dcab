"""Process-wide settings: Ctrl-C held back for a block, or counted; the cyclic GC paused for a block."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from types import FrameType


@contextmanager
def interrupt_held() -> Iterator[None]:
    """SIGINT blocked inside, delivered as soon as the block is lifted (where the system allows).

    Used around pydantic validation: a model's schema is built on its first validation, partly in
    callbacks from pydantic-core into Python, and a KeyboardInterrupt raised inside one of those
    is swallowed ("Exception ignored") and leaves a broken validator behind, which then reports
    valid ids as wrong. Also used while worker processes start, which inherit the blocked signal.
    """
    can_block = hasattr(signal, "pthread_sigmask")
    if can_block:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        if can_block:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


@contextmanager
def no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused inside, restored after (reference counting still frees).

    Loading, scoring and reading the cache make millions of long-lived objects and almost no
    reference cycles; beside a province's records every pass of the collector walks all of them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_interrupts = 0  # Ctrl-C pressed during this command (see count_interrupts)


def _on_sigint(signum: int, frame: FrameType | None) -> None:
    global _interrupts
    _interrupts += 1
    signal.default_int_handler(signum, frame)


def count_interrupts() -> None:
    """Ctrl-C raises KeyboardInterrupt as always, and is counted: inside some libraries the
    KeyboardInterrupt comes out as another exception (pydantic building a model's schema when
    its module is first imported: a SchemaError), which still means the user stopped the command."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        with suppress(ValueError):  # not the main thread: KeyboardInterrupt alone, as before
            signal.signal(signal.SIGINT, _on_sigint)


def interrupted() -> bool:
    """Whether Ctrl-C was pressed since :func:`count_interrupts`."""
    return _interrupts > 0
