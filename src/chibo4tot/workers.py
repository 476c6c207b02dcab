"""Helper processes for the heavy stages of one command (parsing records, scoring cells).

A pool of fresh interpreters ("spawn": the same on every system, no fork of this process's
state) is started on first need and, inside :func:`shared`, kept for the next stage: a helper
costs about half a second of CPU to start and import the models, which the scoring stage then
does not pay again. This process is one of the workers: it works on pieces itself while the
helpers start and between collecting their results, so n workers cost n - 1 extra processes.

Whatever happens to the helpers, the results are the same: a helper that cannot start or dies
leaves its pieces to this process. Ctrl-C stops the pool cleanly: pieces not started are
dropped, each helper finishes the piece it is on and exits (they ignore SIGINT themselves).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from multiprocessing import get_context
from typing import TypeVar

from chibo4tot.i18n import current_language, set_language
from chibo4tot.runtime import interrupt_held, no_gc

P = TypeVar("P")
R = TypeVar("R")


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _start_helper(language: str) -> None:
    """In a helper process: Ctrl-C is the parent's to handle (the terminal sends it to every
    process), and messages are in the parent's language (``--lang``), not the environment's."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    set_language(language)


class Pool:
    """Up to ``processes`` workers (this one included); the helpers start on the first :meth:`run`
    that has more than one piece, and stay until :meth:`close`."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = max(processes if processes is not None else usable_cpus(), 1)
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False  # could not start, or a helper died: this process does the rest

    @property
    def started(self) -> bool:
        return self._executor is not None

    def run(
        self, work: Callable[[P], R], pieces: Sequence[P], tell: Callable[[P], None] | None = None
    ) -> list[R]:
        """``work(piece)`` for every piece, in order, shared with the helpers; ``tell(piece)`` as
        each piece is done (for a progress bar). ``work`` must be a module-level function."""
        told = tell or (lambda _piece: None)
        done: list[R | None] = [None] * len(pieces)
        finished = [False] * len(pieces)
        executor = self._helpers(len(pieces))
        try:
            if executor is not None:
                with no_gc():  # results are unpickled by the pool's thread: no collections meanwhile
                    self._share(executor, work, pieces, done, finished, told)
        except (BrokenProcessPool, OSError):
            # A helper could not start or died (killed, out of memory): this process works on
            # what is missing. The results are the same, only later.
            self._broken = True
            self.close(cancel=True)
        except BaseException:
            # Ctrl-C: pieces not started are dropped, each helper finishes its piece and exits;
            # the stages write nothing, so nothing is left half done.
            self.close(cancel=True)
            raise
        for index, piece in enumerate(pieces):
            if not finished[index]:
                with no_gc():
                    done[index] = work(piece)
                finished[index] = True
                told(piece)
        return done  # type: ignore[return-value]  # every piece finished above

    def _helpers(self, pieces: int) -> ProcessPoolExecutor | None:
        if self._broken or self.processes < 2 or pieces < 2:
            return None
        if self._executor is None:
            try:
                language = current_language()
                self._executor = ProcessPoolExecutor(
                    self.processes - 1,
                    mp_context=get_context("spawn"),
                    initializer=_start_helper,
                    initargs=(language,),
                )
            except (OSError, NotImplementedError):  # no process support (a sandbox without semaphores)
                self._broken = True
                return None
        return self._executor

    def _share(
        self,
        executor: ProcessPoolExecutor,
        work: Callable[[P], R],
        pieces: Sequence[P],
        done: list[R | None],
        finished: list[bool],
        told: Callable[[P], None],
    ) -> None:
        """Keep each helper two pieces ahead, work on the next piece here while they work, and
        collect what they finished."""
        helpers = self.processes - 1
        pending: dict[int, Future[R]] = {}
        following = 0
        while following < len(pieces) or pending:
            with interrupt_held():  # a helper may start during submit
                while following < len(pieces) and len(pending) < 2 * helpers:
                    pending[following] = executor.submit(work, pieces[following])
                    following += 1
            if following < len(pieces):
                with no_gc():
                    done[following] = work(pieces[following])
                finished[following] = True
                told(pieces[following])
                following += 1
            else:
                wait(pending.values(), return_when=FIRST_COMPLETED)
            for index in [i for i, future in pending.items() if future.done()]:
                done[index] = pending.pop(index).result()
                finished[index] = True
                told(pieces[index])

    def close(self, *, cancel: bool = False) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=cancel)
            self._executor = None


_shared: Pool | None = None


@contextmanager
def shared(processes: int | None = None) -> Iterator[Pool]:
    """One pool for every stage inside the block (see :func:`current`), closed at its end."""
    global _shared
    outer, pool = _shared, Pool(processes)
    _shared = pool
    try:
        yield pool
    finally:
        _shared = outer
        pool.close()


def current() -> Pool | None:
    """The pool of the enclosing :func:`shared` block, if any."""
    return _shared
