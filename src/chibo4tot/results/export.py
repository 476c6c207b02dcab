"""Results → the export for the level above: no personal names, a fingerprint over all of it. Pure.

The fingerprint is SHA-256 over a canonical serialisation (keys sorted, no whitespace, UTF-8 in
NFC), so anyone can recompute it from the file; each cell carries its own, so a document that no
longer matches its records can name the cells that changed. Reports carry the same fingerprint
as the export of the same results, made by :func:`build_export`.
"""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chibo4tot.i18n import _, current_language
from chibo4tot.models.export import EXPORT_FORMAT, EXPORT_VERSION
from chibo4tot.models.framework import Framework
from chibo4tot.models.workspace import WorkspaceConfig
from chibo4tot.results.views import previous_unit_json, previous_year_json, results_json, unit_json
from chibo4tot.scoring.results import UnitResult, YearResults
from chibo4tot.scoring.text import render_reason

FINGERPRINT = "fingerprint"
# Gates whose particulars name people: a disciplined member's name, a case's free-text description.
_NAMING_GATES = frozenset({"discipline"})


def canonical(data: Any) -> bytes:
    """The bytes a fingerprint is taken over: sorted keys, no whitespace, UTF-8 in NFC."""
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
    return unicodedata.normalize("NFC", text).encode("utf-8")


def sha256(data: Any) -> str:
    return hashlib.sha256(canonical(data)).hexdigest()


def without_fingerprint(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k != FINGERPRINT}


def framework_sha256(fw: Framework) -> str:
    """The hash of a framework as merged (after ``extends``): what the cells were really scored under."""
    return sha256(fw.model_dump(mode="json"))


def anonymous_reasons(r: UnitResult) -> list[str]:
    """The unit's reasons, those that would name a person told by a count instead ("1 vụ")."""
    gates = {g.id: g for g in r.gates}
    out: list[str] = []
    for i, reason in enumerate(r.reasons):
        rule = r.reason_rules[i] if i < len(r.reason_rules) else ""
        gate = gates.get(rule.removeprefix("gate:")) if rule.startswith("gate:") else None
        if gate is None or gate.kind not in _NAMING_GATES:
            out.append(reason)
            continue
        count = _("{n} vụ").format(n=gate.fields.get("n", "—"))
        out.append(render_reason(gate.reason, count, {**gate.fields, "cases": count}))
    return out


def unit_export(r: UnitResult, root_id: str) -> dict[str, Any]:
    """One unit as ``score --format json`` shows it, its reasons without names, and its fingerprint."""
    data = unit_json(r, root_id)
    del data["previous"]  # an export holds its own year: last year's is in last year's export
    data["reasons"] = anonymous_reasons(r)
    data[FINGERPRINT] = sha256(data)
    return data


def framework_entries(frameworks: Mapping[str, Framework], results: YearResults) -> list[dict[str, Any]]:
    """The frameworks the units were scored under: id, title and the hash of each, merged."""
    used = sorted({r.framework_id for r in results.units})
    return [
        {"id": fid, "title": frameworks[fid].title, "sha256": framework_sha256(frameworks[fid])}
        for fid in used
        if fid in frameworks
    ]


def build_export(
    results: YearResults,
    config: WorkspaceConfig,
    frameworks: list[dict[str, Any]],
    not_scored: Iterable[tuple[str, str, str]],
    gaps: int,
) -> dict[str, Any]:
    """The export document of a đảng bộ's year (``frameworks``: see :func:`framework_entries`;
    ``not_scored``: id, name, why), fingerprinted."""
    summary = results_json(results, [], config.id)["summary"]
    del summary["previous"]
    doc: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "year": results.year,
        "as_of_month": results.as_of,
        "language": current_language(),  # of the names and reasons: what verify must score in
        "dang_bo": {"id": config.id, "name": config.name, "superior": config.superior},
        "frameworks": frameworks,
        "units": [unit_export(r, config.id) for r in results.units],
        "not_scored": [{"id": i, "name": n, "reason": why} for i, n, why in not_scored],
        "summary": summary,
        "gaps": gaps,
    }
    doc[FINGERPRINT] = sha256(doc)
    return doc


@dataclass(frozen=True)
class Seal:
    """What a document carries to prove which results it was made from."""

    year: int
    as_of: int
    language: str
    fingerprint: str
    cells: dict[str, str]  # unit id → its fingerprint
    # A report's digest of what it prints of last year (see :func:`previous_digest`); empty in an
    # export (it holds its own year alone) and in a report made before reports carried it.
    previous: str = ""


def seal_of(doc: Mapping[str, Any]) -> Seal:
    return Seal(
        int(doc["year"]),
        int(doc["as_of_month"]),
        str(doc["language"]),
        str(doc[FINGERPRINT]),
        {str(u["id"]): str(u[FINGERPRINT]) for u in doc["units"]},
    )


def previous_digest(results: YearResults) -> str:
    """SHA-256 of last year's figures as a report prints them beside this year's (the cells'
    tallies and each unit's total, rating and verdict; null when unknown): not part of the results'
    fingerprint (an export holds its own year alone), so a report carries it apart, and ``verify``
    sees that last year's records or history/ changed since the report was made."""
    summary = previous_year_json(results.previous)
    if summary is not None:
        del summary["source"]  # not printed: last year's records and its export of the same figures agree
    return sha256(
        {"summary": summary, "units": {r.unit.id: previous_unit_json(r.previous) for r in results.units}}
    )


@dataclass(frozen=True)
class Difference:
    """How a document's cells differ from the results now."""

    changed: list[str]
    added: list[str]  # in the results now, not in the document
    removed: list[str]  # in the document, not in the results now

    def __bool__(self) -> bool:
        return bool(self.changed or self.added or self.removed)


def self_check(doc: Mapping[str, Any]) -> tuple[bool, list[str]]:
    """Does an export match its own content: (its fingerprint holds, the cells whose own does not)."""
    units = doc.get("units") or []
    bad = [str(u.get("id")) for u in units if sha256(without_fingerprint(u)) != u.get(FINGERPRINT)]
    return sha256(without_fingerprint(doc)) == doc.get(FINGERPRINT), bad
