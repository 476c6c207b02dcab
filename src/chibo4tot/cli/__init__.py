"""Command line: thin commands over the Python API."""

from chibo4tot.cli import (  # noqa: F401
    commands_cases,
    commands_criteria,
    commands_forms,
    commands_hierarchy,
    commands_impact,
    commands_report,
    commands_scaffold,
    commands_score,
    commands_validate,
)
from chibo4tot.cli.app import app, run

main = run

__all__ = ["app", "main"]
