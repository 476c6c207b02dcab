"""A merged framework in the words an organiser uses, and what changed between two of them. Pure.

``describe`` turns every part of a framework — its settings, criteria, indicators and their
sub-indicators, bonus, deductions, gates, rating bands, the recognition rule and quotas — into
items of term lines ("Ngưỡng đạt: trên 85%"), each knowing which framework of the ``extends``
chain it comes from. ``criteria show`` prints them, the "Bộ tiêu chí" documents lay them out, and
``compare`` sets two descriptions side by side, so whatever is shown is also what is compared.
"""

from chibo4tot.results.fwterms.describe import describe, describe_chain, removed_items
from chibo4tot.results.fwterms.model import FrameworkTerms, Item, Term

__all__ = ["FrameworkTerms", "Item", "Term", "describe", "describe_chain", "removed_items"]
