"""Reading what people type: numbers, whole numbers, yes/no, dates and moments.

The ``parse_*`` functions turn text from a form, a file or the command line
("1.234,50", "1,5", "ja", "23-11-2026") into typed values, or raise :class:`FieldError`
with a reason meant for the user.  They accept already-typed values (Decimal, int, bool,
date) as they are, so code and forms can call the same service functions.

Their reasons are worded to follow the field's name ("must be at least 0", "is not a
number: 'abc'"); :meth:`FieldError.for_field` puts the name in front.  The field checks
(:mod:`~tradium_tui.services.validation`) raise the same error with a sentence of their
own ("Invalid IBAN: wrong length.").
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

from babel.numbers import get_decimal_symbol

from tradium_tui.formatting import current_locale
from tradium_tui.i18n import _, ngettext


class FieldError(ValueError):
    """One typed value is not acceptable; ``message`` (and ``str(exc)``) says why.

    Without ``sentence`` the message follows the field's name ("must be at least 0");
    with it, it is a sentence of its own ("Invalid IBAN: wrong length.").
    """

    def __init__(self, message: str, *, sentence: bool = False):
        super().__init__(message)
        self.message = message
        self.sentence = sentence

    def for_field(self, label: str) -> str:
        """The message to show beside the field called ``label``."""
        if self.sentence:
            return self.message
        # TRANSLATORS: a field's name and why its value is refused ("Credit limit" "must be
        # at least 0"); the reasons are translated to follow the name.
        return _("{field} {reason}.").format(field=label, reason=self.message)


# --------------------------------------------------------------------------- text


def as_text(value: Any) -> str:
    """Any typed value as text (``None`` is empty, bytes are read as UTF-8)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def plain_number(number: Decimal) -> str:
    """A number without trailing zeros or exponent, as messages and the audit trail show it."""
    return format(Decimal(number).normalize(), "f")


# --------------------------------------------------------------------------- numbers

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_GROUPED = re.compile(r"^\d{1,3}(?:[.,' ]\d{3})+$")
# What can stand before the first thousands mark: one to three digits, not starting with 0.
_GROUP_HEAD = re.compile(r"[1-9]\d{0,2}")
# A currency or percent sign typed with the number ("€ 500", "500 EUR", "12,5 %").
_UNIT = re.compile(r"(?i)€|\beur\b|%")


def _locale_decimal_mark() -> str:
    """The decimal mark of the user's locale ("," for nl_NL, "." for en_GB)."""
    return _decimal_symbol(current_locale())


@lru_cache(maxsize=8)
def _decimal_symbol(locale: str) -> str:
    return get_decimal_symbol(locale)


def unambiguous(text: str) -> str:
    """A number written with "." as decimal mark (a file, a spreadsheet cell), made safe to
    read back in any locale: never exactly three decimals ("1.234" → "1.2340"), which
    :func:`parse_number_text` in a "," locale would take for thousands."""
    if len(text.partition(".")[2]) == 3:
        return text + "0"
    return text


def parse_number_text(text: str) -> Decimal:
    """The one reading of a typed number, before any range or decimals check.

    "," or "." is the decimal mark ("1.234,56", "1,234.56", "-3,5", "12,50-"); when both
    occur the rightmost one is.  One mark followed by exactly three digits ("2.500",
    "2,500") could be either; the user's locale decides
    (:func:`tradium_tui.formatting.current_locale`): in Dutch "2.500" is 2500 and "2,500"
    is 2.5, in English the other way round.  A currency or percent sign is ignored.
    """
    shown = text.strip()
    cleaned = _UNIT.sub(
        "",
        shown.replace("\u2212", "-")  # unicode minus
        .replace("\u00a0", " ")
        .replace("\u202f", " "),
    ).strip()
    sign = ""
    if cleaned[:1] in ("+", "-"):
        sign, cleaned = cleaned[0], cleaned[1:].strip()
    elif cleaned.endswith("-"):  # accounting style "12,50-"
        sign, cleaned = "-", cleaned[:-1].strip()
    commas, dots = cleaned.count(","), cleaned.count(".")
    if commas and dots:
        # Both marks: the rightmost one is the decimal mark, the other groups thousands.
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
    elif commas == 1 or dots == 1:
        mark = "," if commas else "."
        before, _sep, after = cleaned.partition(mark)
        if len(after) == 3 and after.isdigit() and _GROUP_HEAD.fullmatch(before):
            # "2.500" is two thousand five hundred in Dutch and two and a half in English:
            # the user's locale decides, as it does when the number is shown.
            decimal_mark = mark if mark == _locale_decimal_mark() else ""
        else:
            decimal_mark = mark
    else:
        decimal_mark = ""  # none, or only grouping marks ("1.234.567")
    whole, frac = cleaned, ""
    if decimal_mark:
        whole, _sep, frac = cleaned.rpartition(decimal_mark)
        if not frac.isdigit() and not (frac == "" and whole):
            raise FieldError(_("is not a number: '{text}'").format(text=shown))
    if whole and not whole.isdigit():
        if not _GROUPED.match(whole):
            if re.fullmatch(r"[\d.,' ]+", whole):
                raise FieldError(
                    _("is not a number: '{text}' (check the thousands separators)").format(text=shown)
                )
            raise FieldError(_("is not a number: '{text}'").format(text=shown))
        whole = re.sub(r"[.,' ]", "", whole)
    candidate = f"{sign}{whole or '0'}.{frac}" if frac else f"{sign}{whole}"
    if not whole and not frac or not _NUMBER.match(candidate):
        raise FieldError(_("is not a number: '{text}'").format(text=shown))
    try:
        return Decimal(candidate)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above guards this
        raise FieldError(_("is not a number: '{text}'").format(text=shown)) from exc


def parse_decimal(
    value: Any,
    *,
    places: int = 2,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    max_digits: int = 14,
    required: bool = True,
    default: Decimal | None = None,
) -> Decimal | None:
    """A number typed as :func:`parse_number_text` reads it, with ``places`` decimals.

    Raises :class:`FieldError` for text that is not a number, more decimals than
    ``places`` (never rounded away), or a value outside ``minimum``/``maximum`` or too
    large for a column of ``max_digits`` digits.  An empty value gives ``default`` (or an
    error when ``required`` and no default).
    """
    if is_blank(value):
        if default is not None or not required:
            return default
        raise FieldError(_("is required"))
    if isinstance(value, bool):
        raise FieldError(_("must be a number"))
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, int | Decimal):
        number = Decimal(value)
        if not number.is_finite():
            raise FieldError(_("must be a number"))
    else:
        number = parse_number_text(as_text(value))
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        if places == 0:
            raise FieldError(_("must be a whole number"))
        raise FieldError(
            ngettext("may have at most {count} decimal", "may have at most {count} decimals",
                     places).format(count=places)
        )
    # More decimals than ``places`` were refused above, so rounding only pads with zeros;
    # the range is checked first because rounding a number too long for the context fails.
    if minimum is not None and number < Decimal(minimum):
        raise FieldError(_("must be at least {minimum}").format(minimum=plain_number(Decimal(minimum))))
    if maximum is not None and number > Decimal(maximum):
        raise FieldError(_("must be at most {maximum}").format(maximum=plain_number(Decimal(maximum))))
    if abs(number) >= Decimal(10) ** (max_digits - places):
        if places == 0:
            raise FieldError(_("is too large (at most {count} digits)").format(count=max_digits))
        raise FieldError(
            _("is too large (at most {count} digits before the decimal mark)").format(
                count=max_digits - places)
        )
    return number.quantize(Decimal(1).scaleb(-places))


# What an integer column holds on every backend.
INT_MAX = 2**31 - 1


def parse_int(
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = INT_MAX,
    required: bool = True,
    default: int | None = None,
) -> int | None:
    """A whole number ("30", "1.000", "+5"); at most :data:`INT_MAX` unless ``maximum`` says
    otherwise.  An empty value gives ``default`` (or an error when ``required``)."""
    number = parse_decimal(
        value, places=0, minimum=minimum, maximum=maximum, max_digits=19,
        required=required, default=None if default is None else Decimal(default),
    )
    return None if number is None else int(number)


# --------------------------------------------------------------------------- yes / no

# The words for yes and no in the languages of the customer files (English, Dutch,
# French, Spanish, German), as forms and imports accept them.
TRUE_WORDS = frozenset({"1", "y", "yes", "true", "on", "x", "j", "ja", "waar", "oui", "vrai", "si", "sí"})
FALSE_WORDS = frozenset({"0", "n", "no", "false", "off", "-", "nee", "onwaar", "non", "faux", "nein"})


def parse_bool(value: Any, *, default: bool | None = False) -> bool | None:
    """Yes or no from a checkbox, 0/1, or a word of :data:`TRUE_WORDS` / :data:`FALSE_WORDS`;
    an empty value gives ``default``."""
    if isinstance(value, bool):
        return value
    if is_blank(value):
        return default
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = as_text(value).strip()
    folded = text.casefold()
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    shown = text if len(text) <= 20 else text[:20] + "…"
    raise FieldError(_("must be yes or no, not '{text}'").format(text=shown))


# --------------------------------------------------------------------------- dates and times

_DATE_FORMATS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), ("y", "m", "d")),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{1,2})[-./](\d{1,2})[-./](\d{2})$"), ("d", "m", "yy")),
    (re.compile(r"^(\d{4})(\d{2})(\d{2})$"), ("y", "m", "d")),
)
_TODAY_WORDS = ("today", "vandaag", "aujourd'hui", "hoy")


def parse_date(value: Any, *, required: bool = True, default: dt.date | None = None) -> dt.date | None:
    """A date typed as "2026-11-23", "23-11-2026", "23.11.2026", "23/11/2026" or "20261123".

    Day-first is the only reading of ``dd-mm-yyyy`` (as in the Netherlands, Belgium,
    France and Spain).  "today" is understood too.
    """
    if is_blank(value):
        if default is not None or not required:
            return default
        raise FieldError(_("is required"))
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value).strip()
    if text.lower() in _TODAY_WORDS:
        return dt.date.today()
    for pattern, order in _DATE_FORMATS:
        match = pattern.match(text)
        if not match:
            continue
        parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
        year = parts.get("y", 2000 + parts.get("yy", 0))
        try:
            return dt.date(year, parts["m"], parts["d"])
        except ValueError as exc:
            raise FieldError(_("is not a real date: '{text}'").format(text=text)) from exc
    raise FieldError(
        _("is not a date: '{text}' (type it as 2026-11-23 or 23-11-2026)").format(text=text)
    )


def parse_datetime_utc(value: Any, *, default: dt.datetime | None = None) -> dt.datetime | None:
    """A moment typed in local time ("2026-11-23 14:30", "23-11-2026 9:05"), as naive UTC.

    A naive :class:`datetime` object is taken to be UTC already (as stored); an aware one
    is converted.  A date alone means midnight local time.
    """
    if is_blank(value):
        return default
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            return value
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    if isinstance(value, dt.date):
        local = dt.datetime(value.year, value.month, value.day).astimezone()
        return local.astimezone(dt.UTC).replace(tzinfo=None)
    text = as_text(value).strip()
    match = re.match(r"^(.*?)[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$", text)
    if match:
        day = parse_date(match.group(1))
        hour, minute, second = int(match.group(2)), int(match.group(3)), int(match.group(4) or 0)
        try:
            local = dt.datetime(day.year, day.month, day.day, hour, minute, second).astimezone()
        except ValueError as exc:
            raise FieldError(_("is not a real time: '{text}'").format(text=text)) from exc
        return local.astimezone(dt.UTC).replace(tzinfo=None)
    try:
        day = parse_date(text)
    except FieldError as exc:
        raise FieldError(
            _("is not a date and time: '{text}' (type it as 2026-11-23 14:30 or "
              "23-11-2026 14:30)").format(text=text)
        ) from exc
    return parse_datetime_utc(day)
