"""Reading an export file back: JSON, the published model, and whether it matches its fingerprint
(see :mod:`chibo4tot.results.history`, which a workspace's history of exports is read through too)."""

from __future__ import annotations

from chibo4tot.results.history import MAX_EXPORT_BYTES, ReadExport, read_export, tampered

__all__ = ["MAX_EXPORT_BYTES", "ReadExport", "read_export", "tampered"]
