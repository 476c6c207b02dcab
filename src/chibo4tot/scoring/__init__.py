"""The scoring engine: framework + organisation + records → results. No files, no clock, no printing."""

from chibo4tot.scoring.facts import RecordRef, UnitRecords
from chibo4tot.scoring.organisation import apply_streaks, score_year, summarise
from chibo4tot.scoring.results import UnitResult, YearResults
from chibo4tot.scoring.unit import score_unit

__all__ = [
    "RecordRef",
    "UnitRecords",
    "UnitResult",
    "YearResults",
    "apply_streaks",
    "score_unit",
    "score_year",
    "summarise",
]
