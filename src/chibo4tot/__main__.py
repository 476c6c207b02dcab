"""The entry point of ``chibo4tot`` and ``python -m chibo4tot``: light, so Ctrl-C is handled from
the first moment.

Loading the command tree (typer and the command modules; each command imports pydantic, ruamel,
openpyxl… when it runs) takes a tenth of a second or more; a console script that imported it
before calling its entry function would show a Python traceback for a Ctrl-C in that time.
Here nothing heavy is imported until the handler is in place. What remains, and is accepted:

* a signal while the interpreter itself starts, before this module runs (a few tens of
  milliseconds), gets Python's default handling;
* under ``python -m chibo4tot`` (not the installed command), CPython ends the process by SIGINT
  instead of exit 130 when the Ctrl-C interrupted an ``eval`` of a string (``namedtuple`` builds
  its ``__new__`` so while modules load), although the interrupt was handled here. Shells report
  that as 130 as well, and nothing is printed.
"""

from __future__ import annotations

import signal
import sys

# ExitCode.INTERRUPTED (128 + SIGINT), written out: even chibo4tot.errors would load dataclasses
# and pathlib before the handler below exists.
_INTERRUPTED = 130


def main() -> None:
    """Console-script entry point: load the command line, then run it; Ctrl-C at any moment → 130."""
    try:
        try:
            # The whole command tree: the heavy part. Ctrl-C is held back while it loads (and
            # delivered right after): pydantic builds schemas at import, and an interrupt inside
            # that comes out as a SchemaError with a traceback, not as a KeyboardInterrupt.
            from chibo4tot.runtime import interrupt_held  # light: signal, gc and contextlib only

            with interrupt_held():
                from chibo4tot.cli import main as run
            run()
        finally:
            # The work is over (or being abandoned): a Ctrl-C now would only interrupt the exit.
            signal.signal(signal.SIGINT, signal.SIG_IGN)
    except KeyboardInterrupt:
        sys.exit(_INTERRUPTED)


if __name__ == "__main__":
    main()
