"""The fingerprint a report carries (its last line, and properties a reader does not see), read back.

Every report holds the fingerprint of the export of the same results (results/export.py), so a
report and an export can be checked against each other and against the records. Beside it, in a
property, each cell's own fingerprint (the first 16 hex digits), so ``verify`` can name the cells
that changed. Markdown has no properties: there they are an HTML comment before the last line.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

from defusedxml import ElementTree

from chibo4tot.i18n import SUPPORTED, _
from chibo4tot.results.export import Seal

CELL_DIGITS = 16  # 64 bits per cell: enough to see that a cell changed, small at 5,000 cells
FINGERPRINT = "chibo4tot-fingerprint"
YEAR = "chibo4tot-year"
AS_OF = "chibo4tot-as-of-month"
LANGUAGE = "chibo4tot-language"
CELLS = "chibo4tot-cells"
PREVIOUS = "chibo4tot-previous"  # what the document prints of last year (see results.export.previous_digest)
_MD_COMMENT = re.compile(
    r"^<!-- chibo4tot-seal year=(\d{4}) as_of=(\d{1,2}) lang=([a-z]{2}) "
    r"fingerprint=([0-9a-f]{64})(?: previous=([0-9a-f]{64}))? cells=([^ ]*) -->$",
    re.M,
)
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def seal_line(seal: Seal) -> str:
    """The document's last line."""
    return _("Dấu vân tay kết quả (SHA-256): {fingerprint}").format(fingerprint=seal.fingerprint)


def short_cells(seal: Seal) -> str:
    return ";".join(f"{uid}={fp[:CELL_DIGITS]}" for uid, fp in seal.cells.items())


def parse_cells(text: str) -> dict[str, str] | None:
    """:func:`short_cells` read back; None when it is not in that shape."""
    out: dict[str, str] = {}
    for part in filter(None, text.split(";")):
        uid, sep, fp = part.partition("=")
        if not sep or not uid or not fp:
            return None
        out[uid] = fp
    return out


def properties(seal: Seal) -> dict[str, str]:
    """The custom properties of a workbook or a Word document."""
    return {
        FINGERPRINT: seal.fingerprint,
        YEAR: str(seal.year),
        AS_OF: str(seal.as_of),
        LANGUAGE: seal.language,
        CELLS: short_cells(seal),
        **({PREVIOUS: seal.previous} if seal.previous else {}),
    }


def markdown_seal(seal: Seal) -> str:
    """What ends a Markdown report: the hidden comment, then the visible last line."""
    comment = (
        f"<!-- chibo4tot-seal year={seal.year} as_of={seal.as_of} lang={seal.language} "
        f"fingerprint={seal.fingerprint}{f' previous={seal.previous}' if seal.previous else ''} "
        f"cells={short_cells(seal)} -->"
    )
    return f"{comment}\n\n{seal_line(seal)}\n"


def custom_xml(props: dict[str, str]) -> bytes:
    """docProps/custom.xml of an Office document holding ``props`` as text properties."""
    items = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name)}"><vt:lpwstr>{escape(value)}'
        "</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(props.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{items}</Properties>'
    ).encode()


def _from_properties(found: dict[str, str]) -> Seal | None:
    try:
        cells = parse_cells(found[CELLS])
        seal = Seal(
            int(found[YEAR]),
            int(found[AS_OF]),
            found[LANGUAGE],
            found[FINGERPRINT],
            cells or {},
            found.get(PREVIOUS, ""),
        )
    except (KeyError, ValueError):
        return None
    sound = (
        cells is not None
        and seal.language in SUPPORTED
        and re.fullmatch(r"[0-9a-f]{64}", seal.fingerprint)
        and re.fullmatch(r"([0-9a-f]{64})?", seal.previous)
    )
    return seal if sound else None


def read_seal(path: Path) -> Seal | None:
    """The seal a report carries; None when it carries none (or a damaged one)."""
    if path.suffix.lower() == ".md":
        found = _MD_COMMENT.findall(path.read_text(encoding="utf-8", errors="replace"))
        if not found:
            return None
        year, as_of, language, fingerprint, previous, cells = found[-1]
        return _from_properties(
            {YEAR: year, AS_OF: as_of, LANGUAGE: language, FINGERPRINT: fingerprint, CELLS: cells}
            | ({PREVIOUS: previous} if previous else {})
        )
    try:
        with zipfile.ZipFile(path) as archive:
            if CUSTOM_PART not in archive.namelist():
                return None
            root = ElementTree.fromstring(archive.read(CUSTOM_PART))
    except (zipfile.BadZipFile, ElementTree.ParseError, KeyError):
        return None
    props = {str(p.get("name")): "".join(p.itertext()) for p in root.iter(f"{{{_CUSTOM_NS}}}property")}
    return _from_properties(props)
