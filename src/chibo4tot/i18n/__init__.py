"""The one translation function: Vietnamese source strings, other languages from .po files."""

from __future__ import annotations

import gettext
import os
from importlib import resources

DOMAIN = "chibo4tot"
DEFAULT_LANGUAGE = "vi"
SUPPORTED = ("vi", "en")

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE


class _PoTranslations(gettext.NullTranslations):
    """Translations read straight from a .po file (small catalogue, no compiled .mo needed)."""

    def __init__(self, catalog: dict[str, str]) -> None:
        super().__init__()
        self._catalog = catalog

    def gettext(self, message: str) -> str:
        return self._catalog.get(message) or message


def _load_catalog(language: str) -> dict[str, str]:
    from babel.messages.pofile import read_po  # imported only when a translation is used

    po = resources.files("chibo4tot.i18n") / f"{language}.po"
    with po.open("rb") as fh:
        catalog = read_po(fh)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.string, str) and m.string}


def set_language(language: str | None) -> str:
    """Switch the language of every later message; returns the language in force."""
    global _translations, _language
    lang = (language or os.environ.get("CHIBO4TOT_LANG") or DEFAULT_LANGUAGE).lower()[:2]
    if lang not in SUPPORTED:
        lang = DEFAULT_LANGUAGE
    _language = lang
    _translations = (
        gettext.NullTranslations() if lang == DEFAULT_LANGUAGE else _PoTranslations(_load_catalog(lang))
    )
    return lang


def current_language() -> str:
    return _language


def _(message: str) -> str:
    """Translate a user-facing message written in Vietnamese."""
    return _translations.gettext(message)


def N_(message: str) -> str:
    """Mark a message for extraction without translating it yet (translated when shown)."""
    return message
