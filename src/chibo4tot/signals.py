"""Ctrl-C held back, not lost, while something that must not be cut in the middle runs."""

from __future__ import annotations

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
