"""Command line: thin commands over the Python API."""

from chibo4tot.cli import commands_criteria, commands_scaffold, commands_validate  # noqa: F401
from chibo4tot.cli.app import app, run

main = run

__all__ = ["app", "main"]
