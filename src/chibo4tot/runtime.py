"""Process-wide settings held for the length of a block: Ctrl-C held back, the cyclic GC paused."""

from __future__ import annotations

import gc
import signal
from collections.abc import Iterator
from contextlib import contextmanager


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
