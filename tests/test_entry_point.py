"""The entry point: Ctrl-C at any moment, even while the modules load, is exit 130 without a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from chibo4tot.errors import ExitCode
from tests.conftest import EXAMPLE, REPO

SCORE = ["score", str(EXAMPLE), "--year", "2024"]
ENV = {**os.environ, "CHIBO4TOT_LANG": "vi"}


def _console_script() -> str:
    """The ``module:function`` the installed ``chibo4tot`` command calls."""
    with (REPO / "pyproject.toml").open("rb") as f:
        return str(tomllib.load(f)["project"]["scripts"]["chibo4tot"]).split("#")[0].strip()


# Ctrl-C while a heavy module loads, made exact: an import hook raises KeyboardInterrupt when the
# module is first imported, where the signal would. The rest is what pip's console script does.
_INTERRUPTED_IMPORT = """
import importlib, sys

class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            raise KeyboardInterrupt
        return None

sys.meta_path.insert(0, Interrupt())
sys.argv = ["chibo4tot", *{args!r}]
module, function = {entry!r}.split(":")
sys.exit(getattr(importlib.import_module(module), function)())
"""


@pytest.mark.parametrize("module", ["typer", "pydantic", "ruamel.yaml", "chibo4tot.cli.commands_report"])
def test_ctrl_c_while_the_command_line_loads(module: str) -> None:
    code = _INTERRUPTED_IMPORT.format(module=module, args=SCORE, entry=_console_script())
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=60,
        env=ENV,
    )
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == ExitCode.INTERRUPTED


def _loaded_an_extension(pid: int) -> bool:
    """The process has mapped a compiled module from site-packages: Python has started and is
    running chibo4tot's entry point (the interpreter's own start loads none)."""
    try:
        maps = Path(f"/proc/{pid}/maps").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return any("site-packages" in line and ".so" in line for line in maps.splitlines())


def _pip_style_script(folder: Path) -> Path:
    """What pip writes as the ``chibo4tot`` command, for the entry in pyproject.toml."""
    module, function = _console_script().split(":")
    script = folder / "chibo4tot"
    script.write_text(
        f"import re\nimport sys\nfrom {module} import {function}\n"
        f"if __name__ == '__main__':\n    sys.exit({function}())\n",
        encoding="utf-8",
    )
    return script


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the child start")
@pytest.mark.parametrize("launcher", ["script", "-m"])
@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.2, 0.3])
def test_a_real_ctrl_c_at_any_moment_of_the_start(tmp_path: Path, launcher: str, delay: float) -> None:
    command = [sys.executable, str(_pip_style_script(tmp_path))] if launcher == "script" else [
        sys.executable, "-m", "chibo4tot"
    ]  # fmt: skip
    child = subprocess.Popen(
        [*command, *SCORE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env=ENV,
    )
    try:
        deadline = time.monotonic() + 60  # a hang guard, not a timing assertion
        while not _loaded_an_extension(child.pid) and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.002)
        time.sleep(delay)  # scoring the example takes about a second after this: it is still running
        child.send_signal(signal.SIGINT)
        _, stderr = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert "Traceback" not in stderr, stderr
    # 130; or, under ``python -m`` only, ended by SIGINT itself (which a shell also shows as 130):
    # CPython exits so when the Ctrl-C interrupted an eval() of a string (namedtuple builds its
    # __new__ that way while modules load), even though the KeyboardInterrupt was handled.
    allowed = {int(ExitCode.INTERRUPTED)} | ({-signal.SIGINT} if launcher == "-m" else set())
    assert child.returncode in allowed, stderr


@pytest.mark.parametrize("pressed", [True, False])
def test_an_error_a_library_makes_of_a_ctrl_c_is_still_a_ctrl_c(
    monkeypatch: pytest.MonkeyPatch, pressed: bool
) -> None:
    """pydantic builds a model's schema when its module is first imported (inside a command, since
    the commands load lazily): a Ctrl-C then comes out as its SchemaError. Once Ctrl-C was pressed,
    any error is the user's stop (130), not an internal error (3); without one it stays 3."""
    from typer.testing import CliRunner

    from chibo4tot import runtime
    from chibo4tot.cli import app, commands_score

    def schema_error(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("Error building schema: KeyboardInterrupt")  # as pydantic-core wraps it

    monkeypatch.setattr(commands_score, "prepare", schema_error)
    monkeypatch.setattr(runtime, "_interrupts", 1 if pressed else 0)
    result = CliRunner().invoke(app, ["score", str(EXAMPLE), "--year", "2024"])
    if pressed:
        assert result.exit_code == int(ExitCode.INTERRUPTED) and "Đã dừng theo yêu cầu." in result.stderr
    else:
        assert result.exit_code == int(ExitCode.INTERNAL) and "lỗi nội bộ: RuntimeError" in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_is_counted_by_the_entry_point() -> None:
    """The console script counts Ctrl-C (what the test above relies on), in a child process."""
    code = (
        "import signal, sys\n"
        "from chibo4tot import runtime\n"
        "runtime.count_interrupts()\n"
        "try:\n"
        "    signal.raise_signal(signal.SIGINT)\n"
        "except KeyboardInterrupt:\n"
        "    sys.exit(0 if runtime.interrupted() else 5)\n"
        "sys.exit(6)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], env=ENV, timeout=60).returncode == 0
