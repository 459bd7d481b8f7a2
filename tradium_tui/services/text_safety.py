"""Text that reaches a terminal or a file: refused when unsafe, escaped when already stored.

A terminal obeys control characters: ``ESC ] 0 ; … BEL`` retitles it, ``ESC [ 2 J`` clears
it, C1 characters (U+0080–U+009F) are the same commands in one character on many
terminals, and bidirectional overrides (U+202A–U+202E, U+2066–U+2069) make a text read
differently from what is stored.  NUL cannot be stored in PostgreSQL and lone surrogates
(U+D800–U+DFFF) cannot be encoded at all.

- :func:`problem` says what is wrong with a text (``None`` when it may be stored);
  :func:`check_values` applies it, and the column length of the schema, to every text
  value of a record, so every backend refuses the same values with the same sentence.
- :func:`shown` turns any text into one that is safe to print: the characters above become
  visible (``␛``, ``<U+202E>``), so data stored before these rules cannot steer a terminal.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import peewee

from tradium_tui.i18n import _

_BIDI = "\u202a-\u202e\u2066-\u2069"
# One-line fields: no C0 at all (tab and line breaks included), DEL, C1, bidi controls,
# line/paragraph separators, surrogates.
_UNSAFE_ONE_LINE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{_BIDI}\u2028\u2029\\ud800-\\udfff]")
# Multi-line fields: tab and newline allowed (carriage returns are turned into newlines
# by the cleaning before; a lone one is refused like any other control character).
_UNSAFE_MULTI = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{_BIDI}\\ud800-\\udfff]")
# What :func:`shown` escapes: everything a terminal could obey, tab and newline only when
# the text may keep them.
_SHOWN_ONE_LINE = _UNSAFE_ONE_LINE
_SHOWN_MULTI = _UNSAFE_MULTI


def describe_char(ch: str) -> str:
    code = ord(ch)
    if code == 0:
        return _("a NUL character (U+0000)")
    if 0xD800 <= code <= 0xDFFF:
        return _("a lone surrogate ({code}), which is not a character").format(code=f"U+{code:04X}")
    if code == 0x1B:
        return _("an escape character (ESC, U+001B)")
    if code in (0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069):
        return _("a text-direction override ({code})").format(code=f"U+{code:04X}")
    if code in (0x09, 0x0A, 0x0D, 0x2028, 0x2029):
        return _("a tab or line break ({code}), which this one-line field cannot hold").format(
            code=f"U+{code:04X}")
    return _("a control character ({code})").format(code=f"U+{code:04X}")


def problem(text: str, *, multiline: bool = False) -> str | None:
    """Why ``text`` cannot be stored (one sentence without the field name), or ``None``."""
    found = (_UNSAFE_MULTI if multiline else _UNSAFE_ONE_LINE).search(text)
    if found is None:
        return None
    position = found.start() + 1
    return _("Contains {character} at position {position}; it cannot be stored.").format(
        character=describe_char(found.group()), position=position)


def too_long(text: str, max_length: int | None) -> str | None:
    if max_length is not None and len(text) > max_length:
        return _("Too long: at most {limit} characters (this has {length}).").format(
            limit=max_length, length=len(text))
    return None


@lru_cache(maxsize=64)
def text_columns(model: type[peewee.Model]) -> dict[str, tuple[int | None, bool]]:
    """``{field: (max_length, multiline)}`` for every text column of ``model``: a
    ``CharField`` holds one line within its ``max_length``, a ``TextField`` many lines."""
    out: dict[str, tuple[int | None, bool]] = {}
    for name, fld in model._meta.fields.items():
        if isinstance(fld, peewee.TextField):
            out[name] = (None, True)
        elif isinstance(fld, peewee.CharField):
            out[name] = (getattr(fld, "max_length", None), False)
    return out


def max_length(model: type[peewee.Model], name: str) -> int | None:
    return text_columns(model).get(name, (None, False))[0]


def check_values(
    model: type[peewee.Model], values: Mapping[str, Any], label: str = ""
) -> dict[str, str]:
    """Errors (``{field: message}``) for the text values that ``model`` cannot store:
    unsafe characters (see :func:`problem`) and values longer than the column.

    ``label`` prefixes the field names (``"line 2 description"``).
    """
    columns = text_columns(model)
    errors: dict[str, str] = {}
    for name, value in values.items():
        spec = columns.get(name)
        if not isinstance(value, str):
            if spec is not None and isinstance(value, bytes | bytearray):
                errors[f"{label}{name}"] = _("Not text.")
            continue
        if spec is None:
            # A text value for a non-text column (a foreign key given as text and the like)
            # is the column's business; unsafe characters never are.
            message = problem(value, multiline=False) if "\x00" in value or _has_surrogate(value) else None
        else:
            length, multiline = spec
            message = problem(value, multiline=multiline) or too_long(value, length)
        if message:
            errors[f"{label}{name}"] = message
    return errors


def _has_surrogate(text: str) -> bool:
    return any(0xD800 <= ord(ch) <= 0xDFFF for ch in text)


def require_safe(model: type[peewee.Model], values: Mapping[str, Any], label: str = "") -> None:
    """Raise :class:`ValidationError` when :func:`check_values` finds anything."""
    errors = check_values(model, values, label)
    if errors:
        from tradium_tui.services.errors import ValidationError

        raise ValidationError(errors)


# --------------------------------------------------------------------------- showing

_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}


def _picture(found: re.Match[str]) -> str:
    ch = found.group()
    code = ord(ch)
    if code in _PICTURES:
        return _PICTURES[code]
    return f"<U+{code:04X}>"


def shown(value: Any, *, multiline: bool = False) -> str:
    """``value`` as text that is safe to print on a terminal: control characters, bidi
    overrides and surrogates become visible pictures (ESC → ``␛``, U+202E → ``<U+202E>``).
    Tab and newline stay when ``multiline``."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable() and not _has_surrogate(text):
        return text
    return (_SHOWN_MULTI if multiline else _SHOWN_ONE_LINE).sub(_picture, text)


def cut(value: Any, limit: int = 60) -> str:
    """A value for an error message: escaped and cut to ``limit`` characters."""
    text = shown(value)
    if len(text) > limit:
        return text[: limit - 1] + "…"
    return text
