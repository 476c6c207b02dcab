"""Maintainer tool: extract every _()/N_() message into i18n/en.po (``make i18n``)."""

from __future__ import annotations

import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

PACKAGE = Path(__file__).resolve().parents[1]
PO_FILE = Path(__file__).resolve().parent / "en.po"
KEYWORDS = {"_": None, "N_": None}


def extract() -> Catalog:
    """Every message of the source, with where it is used."""
    catalog = Catalog(locale="en", project="chibo4tot", fuzzy=False)
    for filename, lineno, message, _comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS
    ):
        if isinstance(message, str) and message:
            catalog.add(message, locations=[(filename, lineno)])
    for message in command_texts():
        if message not in catalog:
            catalog.add(message, locations=[("cli/help", 0)])
    return catalog


def command_texts() -> list[str]:
    """The command line's own texts: docstrings, ``help=`` and ``metavar=`` of every command.

    Docstrings are not ``_()`` calls, so they are read from the built command tree (the help page
    translates them when it is shown). Texts without a Vietnamese letter (``table|json|csv``) are
    the same in every language and left out.
    """
    import typer.main

    from chibo4tot.cli import app
    from chibo4tot.cli.click_vi import own_texts

    texts = {text for _obj, _attr, text in own_texts(typer.main.get_command(app))}
    return sorted(text for text in texts if not text.isascii())


def load_po() -> Catalog:
    with PO_FILE.open("rb") as fh:
        return read_po(fh, locale="en")


def render(catalog: Catalog) -> bytes:
    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False, sort_output=True, no_location=True)
    return out.getvalue()


def update() -> Catalog:
    """Merge new messages into en.po, keep existing translations, drop obsolete ones."""
    fresh = extract()
    if PO_FILE.exists():
        old = load_po()
        # A fixed header keeps the file stable, so parallel branches that add messages merge.
        fresh.creation_date = old.creation_date
        for message in fresh:
            if message.id and old.get(message.id) is not None:
                message.string = old[message.id].string
    PO_FILE.parent.mkdir(parents=True, exist_ok=True)
    PO_FILE.write_bytes(render(fresh))
    return fresh


def main() -> int:
    if sys.argv[1:] != ["update"]:
        print("usage: python -m chibo4tot.i18n.catalogue update", file=sys.stderr)
        return 2
    catalog = update()
    missing = [m.id for m in catalog if m.id and not m.string]
    print(f"{PO_FILE}: {len(catalog)} messages, {len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
