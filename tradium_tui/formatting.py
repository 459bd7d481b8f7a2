"""Amounts, numbers, dates and times for the user's locale (babel), times in local time.

Times are stored as naive UTC; :func:`local_datetime` turns them into the machine's local
time (``TZ`` decides) before they are shown.  Every function accepts ``None`` and returns "".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers

DEFAULT_LOCALE = "nl_NL"
DEFAULT_CURRENCY = "EUR"

_locale = DEFAULT_LOCALE


def set_locale(name: str | None) -> str:
    """Use ``name`` (``nl_NL``, ``en_GB``, ``fr-FR``…) from now on; unknown names keep the default."""
    global _locale
    candidate = (name or DEFAULT_LOCALE).replace("-", "_")
    try:
        Locale.parse(candidate)
    except (ValueError, UnknownLocaleError):
        candidate = DEFAULT_LOCALE
    _locale = candidate
    return _locale


def current_locale() -> str:
    return _locale


# The locale a language's words and month names are formatted with when the configured
# locale is of another language and babel knows no mix of the two (fr with NL, say).
LANGUAGE_LOCALES = {"nl": "nl_NL", "fr": "fr_FR", "es": "es_ES", "en": "en_GB"}


def locale_for(language: str, configured: str | None = None) -> str:
    """The formatting locale for the interface language ``language``.

    The language decides the words (month names, the order of day and month); the
    configured locale's country decides the rest where babel has that combination: with
    ``locale = "nl_NL"`` English is ``en_NL`` (13 Mar 2025, € 1.234,56), French ``fr_FR``
    (no ``fr_NL`` exists); ``fr_BE`` stays ``fr_BE`` for French.  One setting thus drives
    both, and a French user never sees Dutch month names.
    """
    base = (configured or DEFAULT_LOCALE).replace("-", "_")
    try:
        parsed = Locale.parse(base)
    except (ValueError, UnknownLocaleError):
        parsed = None
    if parsed is not None and parsed.language == language:
        return str(parsed)
    if parsed is not None and parsed.territory:
        mixed = f"{language}_{parsed.territory}"
        try:
            Locale.parse(mixed)
            return mixed
        except (ValueError, UnknownLocaleError):
            pass
    return LANGUAGE_LOCALES.get(language, DEFAULT_LOCALE)


def money(value: Decimal | int | float | None, currency: str = DEFAULT_CURRENCY) -> str:
    if value is None:
        return ""
    return babel_numbers.format_currency(Decimal(value), currency, locale=_locale)


def amount(value: Decimal | int | float | None, places: int = 2) -> str:
    """A plain amount with exactly ``places`` decimals (no currency sign)."""
    if value is None:
        return ""
    pattern = "#,##0" + ("." + "0" * places if places else "")
    return babel_numbers.format_decimal(Decimal(value), format=pattern, locale=_locale)


def number(value: Decimal | int | float | None) -> str:
    """An integer or decimal with grouping, as many decimals as it has (quantities, counts)."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        value = value.normalize() if value == value.to_integral_value() else value
        if value == value.to_integral_value():
            value = value.quantize(Decimal(1))
    return babel_numbers.format_decimal(value, locale=_locale)


def percent(value: Decimal | int | float | None) -> str:
    if value is None:
        return ""
    return number(Decimal(value)) + " %"


def local_datetime(value: datetime | None) -> datetime | None:
    """A naive UTC (or aware) datetime as a naive local datetime."""
    if value is None:
        return None
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone().replace(tzinfo=None)


def datetime_short(value: datetime | None) -> str:
    """A stored (UTC) time in local time, short: ``04-03-2025 14:05``."""
    local = local_datetime(value)
    if local is None:
        return ""
    day = babel_dates.format_date(local.date(), format="short", locale=_locale)
    clock = babel_dates.format_time(local.time(), format="short", locale=_locale)
    return f"{day} {clock}"


def date_short(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return babel_dates.format_date(value, format="short", locale=_locale)


def date_medium(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    return babel_dates.format_date(value, format="medium", locale=_locale)


def ordinal_rank(rank: int | None, total: int | None) -> str:
    """Ranking as ``#12 of 1,000`` (numbers grouped for the locale, words in the language)."""
    if not rank or not total:
        return "—"
    from tradium_tui.i18n import _

    return _("#{rank} of {total}").format(rank=number(rank), total=number(total))
