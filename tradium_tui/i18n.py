"""Translations: gettext catalogues read through Babel, one active language per process.

English is the source language: every user-facing text in the code is English, wrapped in
one of the functions below, and ``tradium_tui/locale/<lang>/LC_MESSAGES/tradium_tui.mo``
holds its Dutch, French and Spanish translations (README: "Translating").

* ``_("Open balance")`` — translate now (call it where the text is shown, not at import).
* ``ngettext("{count} contact", "{count} contacts", n).format(count=...)`` — plural forms.
* ``pgettext("balance", "Open")`` — the same English word meaning something else.
* ``N_("Contacts")`` — only marks a text for the catalogue and returns it unchanged: for
  module-level constants (Binding descriptions, column headings, label dicts) that must be
  translated when they are shown, with ``_(constant)``, so they follow a language switch.
* ``NP_("verb", "Invoice")`` — the same with a context (a Footer key meaning "to invoice"
  beside the noun elsewhere): ``_()`` of what it returns finds the context's translation,
  and shows the plain English where there is none.

Placeholders are named (``{name}``), never positional, and a sentence is never glued
together from translated pieces: each sentence is one message with its placeholders.

The active language is process-wide (one app session is one process); it is set from the
config (``language``, else the language of ``locale``) and then from the user's own
setting at login, and can be switched while the app runs (:func:`set_language`).  Only the
active language's catalogue is read (a fraction of a millisecond); catalogues read once
are kept, so switching back is free.  This module does not import Textual: services and
the command line use it too.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

from babel.support import NullTranslations, Translations

DOMAIN = "tradium_tui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
SOURCE_LANGUAGE = "en"
# The languages the program speaks, each named in itself (so anyone finds their own).
LANGUAGES: dict[str, str] = {
    "nl": "Nederlands",
    "fr": "Français",
    "es": "Español",
    "en": "English",
}

_loaded: dict[str, _gettext.NullTranslations] = {}
_active: _gettext.NullTranslations = NullTranslations()
_language = SOURCE_LANGUAGE


def supported(code: object) -> str | None:
    """The supported language ``code`` stands for (``"nl_BE"``, ``"FR"``, ``"es-ES"`` →
    ``"nl"``, ``"fr"``, ``"es"``); ``None`` for anything else."""
    if not isinstance(code, str):
        return None
    base = code.strip().replace("-", "_").split("_", 1)[0].split(".", 1)[0].lower()
    return base if base in LANGUAGES else None


def check_language(code: object) -> str:
    """``code`` as a supported language, or :class:`ValueError` with one sentence."""
    found = supported(code)
    if found is None:
        shown = str(code).strip()[:20]
        raise ValueError(
            f"'{shown}' is not a language of this program; use one of {', '.join(LANGUAGES)}."
        )
    return found


def choose_language(user_language: str | None, configured: str | None, locale: str | None) -> str:
    """The language to speak: the user's own, else the config's ``language``, else the
    language of the config's ``locale``, else English."""
    for candidate in (user_language, configured, locale):
        found = supported(candidate)
        if found is not None:
            return found
    return SOURCE_LANGUAGE


def language_name(code: str) -> str:
    """The language's own name: ``nl`` → ``Nederlands``."""
    return LANGUAGES.get(code, code)


def _translations(code: str) -> _gettext.NullTranslations:
    found = _loaded.get(code)
    if found is None:
        if code == SOURCE_LANGUAGE:
            found = NullTranslations()
        else:
            found = Translations.load(str(LOCALE_DIR), [code], DOMAIN)
        _loaded[code] = found
    return found


def set_language(code: str) -> str:
    """Speak ``code`` (nl, fr, es, en; ``nl_NL`` counts as nl) from now on; anything
    unsupported means English.  Answers the language now active."""
    global _active, _language
    language = supported(code) or SOURCE_LANGUAGE
    _active = _translations(language)
    _language = language
    return language


def current_language() -> str:
    return _language


def use(language: str, locale: str | None = None) -> str:
    """Speak ``language`` and format numbers, dates and amounts for it: the one switch
    for both (see :func:`tradium_tui.formatting.locale_for`).  Answers the language."""
    from tradium_tui import formatting

    active = set_language(language)
    formatting.set_locale(formatting.locale_for(active, locale))
    return active


_CONTEXT = "\x04"  # between context and message, as gettext stores them


def gettext(message: str) -> str:
    """``message`` in the active language (itself when there is no translation)."""
    text = _active.gettext(message)
    if _CONTEXT in text:  # an NP_ marker without a translation: its English
        return text.split(_CONTEXT, 1)[1]
    return text


_ = gettext


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or one of the plural forms for ``n``, in the active language."""
    return _active.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as meant in ``context`` (for one English word with two meanings)."""
    return _active.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _active.npgettext(context, singular, plural, n)


def gettext_in(language: str, message: str) -> str:
    """``message`` in ``language`` whatever the active language is (an export's headings
    in the language asked for); English for an unsupported one."""
    text = _translations(supported(language) or SOURCE_LANGUAGE).gettext(message)
    return text.split(_CONTEXT, 1)[1] if _CONTEXT in text else text


def N_(message: str) -> str:  # noqa: N802 (the name gettext tools look for)
    """Mark ``message`` for the catalogue; returns it untranslated (see the module doc)."""
    return message


def NP_(context: str, message: str) -> str:  # noqa: N802
    """Mark ``message`` meant in ``context`` for the catalogue; ``_()`` of the result is
    its translation in that context (the English ``message`` where there is none)."""
    return f"{context}{_CONTEXT}{message}"


def source_text(marked: str) -> str:
    """The English of a marker (``NP_`` results carry their context)."""
    return marked.split(_CONTEXT, 1)[1] if _CONTEXT in marked else marked
