"""Pydantic models: the YAML vocabulary of frameworks, workspaces, units and records."""

from chibo4tot.models.framework import Criterion, Framework
from chibo4tot.models.records import MonthRecord, YearRecord
from chibo4tot.models.types import Classification, UnitKind
from chibo4tot.models.workspace import Unit, UnitsFile, WorkspaceConfig

__all__ = [
    "Classification",
    "Criterion",
    "Framework",
    "MonthRecord",
    "Unit",
    "UnitKind",
    "UnitsFile",
    "WorkspaceConfig",
    "YearRecord",
]
