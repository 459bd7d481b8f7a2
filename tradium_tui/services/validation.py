"""Field checks: countries, VAT numbers, e-mail addresses, phone numbers, websites,
postcodes, company-register numbers, languages, the kind of customer, and plain text.

Every ``check_*`` function takes what a person typed and returns the normalised value, or
raises :class:`~tradium_tui.services.values.FieldError` with a sentence that says what is
wrong, in words a user understands.  IBAN and BIC are checked in
:mod:`~tradium_tui.services.bank_accounts`; a customer's values as a whole in
:mod:`~tradium_tui.services.customer_rules`.

A wrong VAT number is not an error: customers do give wrong numbers, so :func:`check_vat`
returns the number normalised with status ``invalid`` and a message, and never raises.

The libraries do the real work: python-stdnum (VAT, postcodes, company numbers),
phonenumbers, email-validator, pycountry and babel (country names); they are loaded when
first needed, not at start-up.  Nothing here touches the network unless an online VAT
checker was registered (:func:`register_online_vat_checker`), and even then a failure of
that checker never blocks saving.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from stdnum import exceptions as num_errors
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from tradium_tui.i18n import N_, _
from tradium_tui.services import text_safety
from tradium_tui.services.countries import pycountry_countries, shown_country
from tradium_tui.services.values import FieldError, as_text
from tradium_tui.services.vat import (
    MISSING_VAT_NUMBER,
    is_eu,
    missing_vat_number_message,
    vat_number_required,
)

# ---------------------------------------------------------------------------
# VAT numbers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VatCheck:
    """The outcome of :func:`check_vat`.  ``message`` is stored with the customer and in
    the audit trail, so it is language-neutral (the English source text, countries by
    their codes); :attr:`shown` is the same in the reader's language."""

    normalized: str
    status: str  # valid | invalid | missing | not_required | unchecked
    message: str
    checked_online: bool = False

    @property
    def shown(self) -> str:
        return vat_message_text(self.message)


class OnlineVatChecker(Protocol):
    """Asks an online register (e.g. VIES) about a normalised EU VAT number.

    Returns ``True`` (registered), ``False`` (not registered) or ``None`` (no answer).
    It may raise anything: a failing checker is treated as "no answer".
    """

    def __call__(self, number: str) -> bool | None: ...


_online_checker: OnlineVatChecker | None = None


def register_online_vat_checker(checker: OnlineVatChecker | None) -> None:
    """Install (or with ``None`` remove) the online VAT checker; there is none by default."""
    global _online_checker
    _online_checker = checker


def online_vat_checker() -> OnlineVatChecker | None:
    return _online_checker


def load_online_vat_checker(spec: str) -> OnlineVatChecker:
    """Register the checker named ``"package.module:callable"`` (from a config setting)."""
    module_name, _sep, attr = (spec or "").partition(":")
    if not module_name or not attr:
        raise ValueError(
            _("The online VAT checker '{spec}' must be written as 'module:function'.").format(spec=spec)
        )
    try:
        checker = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(
            _("The online VAT checker '{spec}' cannot be loaded: {reason}.").format(spec=spec, reason=exc)
        ) from exc
    if not callable(checker):
        raise ValueError(_("The online VAT checker '{spec}' is not callable.").format(spec=spec))
    register_online_vat_checker(checker)
    return checker


def stdnum_vies_checker(number: str, timeout: float = 10) -> bool | None:
    """Online check through the EU VIES service (needs the network and a SOAP library).

    Register it with ``load_online_vat_checker("tradium_tui.services.validation:stdnum_vies_checker")``.
    """
    result = eu_vat.check_vies(number, timeout=timeout)
    valid = result["valid"] if isinstance(result, dict) else getattr(result, "valid", None)
    return None if valid is None else bool(valid)


_VAT_REASONS: tuple[tuple[type[Exception], str], ...] = (
    (num_errors.InvalidLength, N_("wrong length")),
    (num_errors.InvalidChecksum, N_("wrong check digit")),
    (num_errors.InvalidFormat, N_("wrong format")),
    (num_errors.InvalidComponent, N_("a part of the number is not valid")),
)
_NOT_VALID = N_("not a valid number")


def _vat_reason(exc: Exception) -> str:
    for cls, reason in _VAT_REASONS:
        if isinstance(exc, cls):
            return reason
    return _NOT_VALID


def _vat_prefix_country(compact: str) -> str | None:
    """The country a VAT number's own prefix names (upper-case ISO code), if any."""
    head = compact[:2]
    if len(head) < 2 or not head.isalpha():
        return None
    cc = head.lower()
    if cc == "el":
        return "GR"
    if cc == "xi":
        return "XI"
    if is_eu(cc) or _non_eu_vat_module(cc) is not None:
        return head
    return None


@lru_cache(maxsize=256)
def _non_eu_vat_module(cc: str):
    for name in ("vat", "mva", "tva", "iva", "ust"):
        try:
            module = get_cc_module(cc, name)
        except (ImportError, ValueError):
            module = None
        if module is not None and hasattr(module, "validate"):
            return module
    return None


_VAT_SEPARATORS = re.compile(r"[\s.\-/,:_]+")


def _vat_compact(text: str) -> str:
    return _VAT_SEPARATORS.sub("", text).upper()


# What check_vat says, stored as written here (language-neutral: the English source text,
# countries by their ISO codes) and shown through vat_message_text in the reader's language.
_VAT_MISSING = MISSING_VAT_NUMBER
_VAT_FORMAT = N_("Invalid VAT number '{number}': wrong format.")
_VAT_UNCHECKED = N_("VAT numbers of {country} cannot be checked here.")
_VAT_NO_COUNTRY = N_("VAT numbers of this country cannot be checked here.")
_VAT_INVALID = N_("Invalid VAT number: {reason}.")
_VAT_MISMATCH = N_("Invalid VAT number: country mismatch — the number is for {number_country}, "
                   "the customer is in {country}.")
_VAT_MISMATCH_NONE = N_("Invalid VAT number: country mismatch — the number is for "
                        "{number_country}, the customer has no country.")
_VAT_OFFLINE = N_("Valid VAT number (checked offline).")
_VAT_ONLINE = N_("Valid VAT number (confirmed online by VIES).")
_VAT_NOT_REGISTERED = N_("Invalid VAT number: not registered according to VIES.")
_VAT_UNREACHED = N_("Valid VAT number (checked offline); the online check could not be reached.")
_VAT_MESSAGES = (_VAT_MISSING, _VAT_FORMAT, _VAT_UNCHECKED, _VAT_NO_COUNTRY, _VAT_INVALID,
                 _VAT_MISMATCH, _VAT_MISMATCH_NONE, _VAT_OFFLINE, _VAT_ONLINE,
                 _VAT_NOT_REGISTERED, _VAT_UNREACHED)
_VAT_REASON_TEXTS = tuple(reason for _cls, reason in _VAT_REASONS) + (_NOT_VALID,)
_COUNTRY_PLACEHOLDERS = ("country", "number_country")


def _vat_text(template: str, **values: str) -> str:
    return template.format(**values)


@lru_cache(maxsize=1)
def _vat_patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    out = []
    for template in _VAT_MESSAGES:
        pattern, end = "", 0
        for match in re.finditer(r"\{(\w+)\}", template):
            pattern += re.escape(template[end:match.start()]) + f"(?P<{match.group(1)}>.*?)"
            end = match.end()
        out.append((template, re.compile(pattern + re.escape(template[end:]) + r"\Z", re.S)))
    return tuple(out)


def vat_message_text(stored: str | None) -> str:
    """A stored VAT-check message (:attr:`VatCheck.message`) in the reader's language, its
    countries by name; a message this version did not write is shown as stored."""
    text = stored or ""
    for template, pattern in _vat_patterns():
        match = pattern.match(text)
        if match is None:
            continue
        values = match.groupdict()
        if "reason" in values and values["reason"] not in _VAT_REASON_TEXTS:
            continue  # another message that starts the same way
        for key in _COUNTRY_PLACEHOLDERS:
            if values.get(key):
                values[key] = shown_country(values[key]) or values[key]
        if values.get("reason") in _VAT_REASON_TEXTS:
            values["reason"] = _(values["reason"])
        return _(template).format(**values)
    return text


def check_vat(
    number: Any, country: str, kind: str = "company", home_country: str = "NL",
    *, online: bool = False,
) -> VatCheck:
    """Check a VAT number locally (and online when asked and a checker is registered).

    ``country`` is the customer's country (ISO alpha-2).  Never raises for any text.
    """
    text = as_text(number).strip()
    country = (country or "").upper()
    home = (home_country or "NL").upper()
    if not text:
        if vat_number_required(kind, country, home):
            return VatCheck("", "missing", missing_vat_number_message(country))
        return VatCheck("", "not_required", "")
    compact = _vat_compact(text)
    if len(compact) > 20 or not compact.isascii() or not compact.isalnum():
        shown = compact if len(compact) <= 24 else compact[:24] + "…"
        return VatCheck(compact, "invalid", _vat_text(_VAT_FORMAT, number=shown))
    prefix = _vat_prefix_country(compact)
    own_cc = country.lower()
    # Which country the number is for: its own prefix, else the customer's country.
    if prefix is not None:
        number_country = prefix.upper()
    else:
        number_country = "EL" if own_cc == "gr" else country
    matches = (
        number_country == country
        or (number_country == "GR" and country == "GR")
        or (number_country == "EL" and country == "GR")
        or (number_country == "XI" and country == "GB")
    )
    if number_country == "GR":
        number_country = "EL"
    if prefix is None and number_country:
        candidate = number_country + compact
    else:
        candidate = compact
    nc = number_country.lower()
    in_eu = is_eu(nc)
    module = eu_vat if in_eu else (_non_eu_vat_module(nc) if nc else None)
    if module is None:
        if not number_country:
            return VatCheck(compact, "unchecked", _vat_text(_VAT_NO_COUNTRY))
        return VatCheck(compact, "unchecked", _vat_text(_VAT_UNCHECKED, country=number_country))
    try:
        normalized = module.validate(candidate if in_eu else compact)
    except num_errors.ValidationError as exc:
        return VatCheck(compact, "invalid", _vat_text(_VAT_INVALID, reason=_vat_reason(exc)))
    except Exception:  # a library bug must not stop a save
        return VatCheck(compact, "invalid", _vat_text(_VAT_INVALID, reason=_NOT_VALID))
    if not in_eu and not normalized.upper().startswith(nc.upper()):
        normalized = nc.upper() + normalized
    if not matches:
        if not country:
            return VatCheck(normalized, "invalid", _vat_text(_VAT_MISMATCH_NONE, number_country=number_country))
        return VatCheck(normalized, "invalid",
                        _vat_text(_VAT_MISMATCH, number_country=number_country, country=country))
    offline = _VAT_OFFLINE
    if in_eu and online and _online_checker is not None:
        return VatCheck(normalized, *_ask_online(normalized, "valid", offline))
    return VatCheck(normalized, "valid", offline)


def _ask_online(number: str, status: str, message: str) -> tuple[str, str, bool]:
    try:
        answer = _online_checker(number) if _online_checker else None
    except Exception:  # unreachable service, missing SOAP library, timeout …
        answer = None
    if answer is True:
        return "valid", _VAT_ONLINE, True
    if answer is False:
        return "invalid", _VAT_NOT_REGISTERED, True
    return status, _VAT_UNREACHED if message == _VAT_OFFLINE else message, False


# ---------------------------------------------------------------------------
# E-mail, phone, website
# ---------------------------------------------------------------------------


def _email_reason(value: str, detail: str) -> str:
    """Why an address is refused, in the reader's language (the checker says it in English)."""
    local, at, domain = value.rpartition("@")
    if not at or "@" in local:
        return _("Invalid e-mail address: it must have exactly one @ sign.")
    if not local:
        return _("Invalid e-mail address: there is nothing before the @ sign.")
    if not domain or "." not in domain:
        return _("Invalid e-mail address: the part after the @ sign is not a domain name "
                 "(e.g. example.nl).")
    if " " in value:
        return _("Invalid e-mail address: it contains spaces.")
    if "character" in detail:
        return _("Invalid e-mail address: it contains characters an address cannot have.")
    return _("Invalid e-mail address.")


def check_email(text: Any) -> str:
    """Syntax check only (no DNS); the domain is lower-cased."""
    # Loaded on first use, not at start-up.
    from email_validator import EmailNotValidError, validate_email

    value = as_text(text).strip()
    if not value:
        return ""
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if len(value) > 254:
        raise FieldError(_("Invalid e-mail address: it is longer than 254 characters."), sentence=True)
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise FieldError(_email_reason(value, str(exc)), sentence=True) from None
    except Exception:
        raise FieldError(_("Invalid e-mail address."), sentence=True) from None
    return result.normalized


_PHONE_REASONS = {  # phonenumbers.ValidationResult names
    "TOO_SHORT": N_("Invalid phone number: too short."),
    "TOO_LONG": N_("Invalid phone number: too long."),
    "INVALID_COUNTRY_CODE": N_("Invalid phone number: unknown country calling code."),
    "INVALID_LENGTH": N_("Invalid phone number: wrong number of digits."),
}


def check_phone(text: Any, region: str | None = "NL") -> str:
    """Normalise to international format (``+31 20 123 4567``); national numbers use ``region``."""
    import phonenumbers  # loaded on first use, not at start-up

    value = as_text(text).strip()
    if not value:
        return ""
    if len(value) > 40:
        raise FieldError(_("Invalid phone number: it is longer than 40 characters."), sentence=True)
    region = (region or "").upper() or None
    if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
        region = None
    if value.startswith("00"):
        value = "+" + value[2:]
    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException as exc:
        if exc.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            if value.startswith("+"):
                raise FieldError(_("Invalid phone number: unknown country calling code."), sentence=True) from None
            raise FieldError(
                _("Invalid phone number: start with + and the country code (e.g. +32 …) "
                  "for a number outside the customer's country."), sentence=True
            ) from None
        raise FieldError(_("Invalid phone number: this is not a phone number."), sentence=True) from None
    except Exception:
        raise FieldError(_("Invalid phone number: this is not a phone number."), sentence=True) from None
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    for name, problem in _PHONE_REASONS.items():
        if reason == getattr(phonenumbers.ValidationResult, name):
            raise FieldError(_(problem), sentence=True)
    if not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_number(parsed)
        if where:
            raise FieldError(_("Invalid phone number: not a number in use in {country}.").format(
                country=shown_country(where)), sentence=True)
        raise FieldError(_("Invalid phone number: not a number in use in that country."), sentence=True)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_website(text: Any) -> str:
    """A URL with scheme (``example.nl`` → ``https://example.nl``) and a lower-case host."""
    value = as_text(text).strip()
    if not value:
        return ""
    if any(c.isspace() for c in value):
        raise FieldError(_("Invalid website: it contains spaces."), sentence=True)
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise FieldError(_("Invalid website: this is not a web address."), sentence=True) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FieldError(_("Invalid website: use an http:// or https:// address."), sentence=True)
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FieldError(_("Invalid website: the domain name is not valid."), sentence=True) from None
    labels = ascii_host.lower().split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(lbl) for lbl in labels) or labels[-1].isdigit():
        raise FieldError(_("Invalid website: the domain name is not valid (e.g. www.example.nl)."), sentence=True)
    netloc = host.lower() + (f":{port}" if port else "")
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
    if len(url) > 254:
        raise FieldError(_("Invalid website: the address is longer than 254 characters."), sentence=True)
    return url


# ---------------------------------------------------------------------------
# Postcodes and chamber-of-commerce numbers
# ---------------------------------------------------------------------------

# Countries without a stdnum module: (pattern on the compact code, how to format it).
# The format uses the groups of the pattern.
_POSTCODE_RULES: dict[str, tuple[str, str]] = {
    "BE": (r"(\d{4})", "{0}"),
    "CH": (r"(\d{4})", "{0}"),
    "DK": (r"(\d{4})", "{0}"),
    "LU": (r"(\d{4})", "{0}"),
    "NO": (r"(\d{4})", "{0}"),
    "HU": (r"(\d{4})", "{0}"),
    "SI": (r"(\d{4})", "{0}"),
    "BG": (r"(\d{4})", "{0}"),
    "CY": (r"(\d{4})", "{0}"),
    "AU": (r"(\d{4})", "{0}"),
    "DE": (r"(\d{5})", "{0}"),
    "FR": (r"(\d{5})", "{0}"),
    "IT": (r"(\d{5})", "{0}"),
    "FI": (r"(\d{5})", "{0}"),
    "EE": (r"(\d{5})", "{0}"),
    "HR": (r"(\d{5})", "{0}"),
    "LT": (r"(?:LT)?(\d{5})", "LT-{0}"),
    "LV": (r"(?:LV)?(\d{4})", "LV-{0}"),
    "MC": (r"(980\d{2})", "{0}"),
    "CZ": (r"(\d{3})(\d{2})", "{0} {1}"),
    "SK": (r"(\d{3})(\d{2})", "{0} {1}"),
    "GR": (r"(\d{3})(\d{2})", "{0} {1}"),
    "PL": (r"(\d{2})(\d{3})", "{0}-{1}"),
    "PT": (r"(\d{4})(\d{3})", "{0}-{1}"),
    "RO": (r"(\d{6})", "{0}"),
    "MT": (r"([A-Z]{3})(\d{4})", "{0} {1}"),
    "IE": (r"([AC-FHKNPRTV-Y]\d{2}|D6W)([0-9AC-FHKNPRTV-Y]{4})", "{0} {1}"),
    "GB": (r"([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})", "{0} {1}"),
    "US": (r"(\d{5})(?:(\d{4}))?", "{0}"),
    "CA": (r"([A-Z]\d[A-Z])(\d[A-Z]\d)", "{0} {1}"),
}
_POSTCODE_STDNUM = {"NL": "nl.postcode", "AT": "at.postleitzahl", "ES": "es.postal_code", "SE": "se.postnummer"}
_POSTCODE_SEPARATORS = re.compile(r"[\s\-.]+")
_POSTAL_PREFIX = re.compile(r"^[A-Z]{1,3}\s*-\s*(?=\d)")
_GENERIC_POSTCODE = re.compile(r"^[A-Z0-9][A-Z0-9 \-]{1,9}$")


@lru_cache(maxsize=16)
def _stdnum_module(path: str):
    return importlib.import_module(f"stdnum.{path}")


def check_postcode(text: Any, country: str | None = "NL") -> str:
    value = as_text(text).strip().upper()
    if not value:
        return ""
    country = (country or "").upper()
    if country in _POSTCODE_STDNUM:
        module = _stdnum_module(_POSTCODE_STDNUM[country])
        body = value
        body = _POSTAL_PREFIX.sub("", body)
        try:
            result = module.validate(body)
        except num_errors.InvalidLength:
            raise FieldError(_postcode_help(country, N_("wrong length")), sentence=True) from None
        except num_errors.InvalidComponent:
            raise FieldError(
                _("Invalid postcode: {postcode} does not exist in {country}.").format(
                    postcode=body.strip(), country=shown_country(country)), sentence=True
            ) from None
        except (num_errors.ValidationError, ValueError, IndexError):
            raise FieldError(_postcode_help(country, N_("wrong format")), sentence=True) from None
        if country == "NL":
            return f"{result[:4]} {result[4:]}" if " " not in result else result
        if country == "SE":
            return f"{result[:3]} {result[3:]}"
        return result
    rule = _POSTCODE_RULES.get(country)
    if rule is not None:
        if country not in ("LT", "LV", "GB", "CA", "MT", "IE"):
            value = _POSTAL_PREFIX.sub("", value)  # D-10115, B-1000, CH-8001
        compact = _POSTCODE_SEPARATORS.sub("", value)
        pattern, fmt = rule
        match = re.fullmatch(pattern, compact)
        if not match:
            raise FieldError(_postcode_help(country, N_("wrong format")), sentence=True)
        groups = [g for g in match.groups()]
        if country == "US" and groups[1]:
            return f"{groups[0]}-{groups[1]}"
        return fmt.format(*groups)
    if not _GENERIC_POSTCODE.match(value):
        raise FieldError(
            _("Invalid postcode: use letters, digits, spaces and hyphens (at most 10 characters)."),
            sentence=True
        )
    return value


_POSTCODE_EXAMPLES = {
    "NL": "1234 AB", "AT": "1010", "ES": "28001", "SE": "123 45", "BE": "1000", "CH": "8001",
    "DK": "2100", "LU": "1111", "NO": "0150", "HU": "1051", "SI": "1000", "BG": "1000",
    "CY": "1010", "AU": "2000", "DE": "10115", "FR": "75001", "IT": "00184", "FI": "00100",
    "EE": "10111", "HR": "10000", "LT": "LT-01100", "LV": "LV-1050", "MC": "98000",
    "CZ": "110 00", "SK": "811 01", "GR": "105 57", "PL": "00-950", "PT": "1000-001",
    "RO": "010011", "MT": "VLT 1117", "IE": "D02 X285", "GB": "SW1A 1AA", "US": "10001",
    "CA": "K1A 0B1",
}


def _postcode_help(country: str, reason: str) -> str:
    example = _POSTCODE_EXAMPLES.get(country)
    if example:
        return _("Invalid postcode for {country}: {reason} (e.g. {example}).").format(
            country=shown_country(country), reason=_(reason), example=example)
    return _("Invalid postcode for {country}: {reason}.").format(
        country=shown_country(country), reason=_(reason))


_COC_SEPARATORS = re.compile(r"[\s.\-/]+")


def check_coc(text: Any, country: str | None = "NL") -> str:
    """Chamber-of-commerce / company-register number (NL KvK: 8 digits).

    Belgium (enterprise number), France (SIREN/SIRET), Spain (CIF/NIF) and
    Switzerland (UID) are checked with python-stdnum; other countries are kept
    as typed when they look like a register number.
    """
    value = as_text(text).strip()
    if not value:
        return ""
    country = (country or "").upper()
    compact = _COC_SEPARATORS.sub("", value).upper()
    if country == "NL":
        if compact.startswith("KVK"):
            compact = compact[3:]
        if not compact.isdigit() or not compact.isascii():
            raise FieldError(_("Invalid KvK number: only digits are allowed (8 digits)."), sentence=True)
        if len(compact) != 8:
            raise FieldError(_("Invalid KvK number: it has 8 digits, this has {count}.").format(
                count=len(compact)), sentence=True)
        return compact
    try:  # each register's module is loaded when a number of its country is first checked
        if country == "BE":
            from stdnum.be import vat as be_vat

            number = be_vat.validate(compact)
            return f"{number[:4]}.{number[4:7]}.{number[7:]}"
        if country == "FR":
            from stdnum.fr import siren, siret

            if len(compact) == 14:
                return siret.format(siret.validate(compact))
            return siren.format(siren.validate(compact))
        if country == "ES":
            from stdnum.es import nif

            return nif.validate(compact)
        if country == "CH":
            from stdnum.ch import uid

            return uid.format(uid.validate(compact))
    except num_errors.ValidationError as exc:
        raise FieldError(_("Invalid company register number: {reason}.").format(
            reason=_(_vat_reason(exc))), sentence=True) from None
    except Exception:
        raise FieldError(_("Invalid company register number."), sentence=True) from None
    shown = " ".join(value.split())
    if len(shown) > 20:
        raise FieldError(_("Invalid company register number: at most 20 characters."), sentence=True)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .\-/]*", shown) or not any(c.isdigit() for c in shown):
        raise FieldError(_("Invalid company register number: use letters, digits, spaces, dots or hyphens."), sentence=True)
    return shown


# ---------------------------------------------------------------------------
# Plain text and languages
# ---------------------------------------------------------------------------

_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_CONTROL_MULTI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(value: Any, max_length: int | None = None, *, multiline: bool = False) -> str:
    """Trimmed, NFC-normalised text without control characters, within ``max_length``."""
    text = as_text(value)
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    else:
        text = text.strip()
        if _CONTROL_ONE_LINE.search(text) and not _CONTROL_MULTI.search(text) and not re.search(
            r"[\u2028\u2029\x85]", text
        ):
            text = " ".join(text.split())  # tabs and line breaks in a one-line field
    unsafe = text_safety.problem(text, multiline=multiline)
    if unsafe:
        raise FieldError(unsafe, sentence=True)
    if max_length is not None and len(text) > max_length:
        raise FieldError(_("Too long: at most {limit} characters (this has {length}).").format(
            limit=max_length, length=len(text)), sentence=True)
    return text


@lru_cache(maxsize=256)
def check_language(code: str) -> str:
    """A language code (``nl``, ``fr``, ``nl_BE``, ``Dutch``) as stored (``nl``, ``nl_BE``)."""
    text = (code or "").strip().replace("-", "_")
    if not text:
        raise FieldError(_("The language is empty."), sentence=True)
    base, _sep, region = text.partition("_")
    import pycountry  # loaded on first use, not at start-up

    lang = None
    try:
        if len(base) in (2, 3) and base.isascii() and base.isalpha():
            lang = pycountry.languages.get(alpha_2=base.lower()) or pycountry.languages.get(
                alpha_3=base.lower()
            )
        else:
            lang = pycountry.languages.lookup(base)
    except LookupError:
        lang = None
    alpha2 = getattr(lang, "alpha_2", None) if lang else None
    if alpha2 is None:
        raise FieldError(_("'{text}' is not a language; use a code such as nl, fr, es or en.").format(
            text=text[:20]), sentence=True)
    if region:
        if not (len(region) == 2 and region.isascii() and region.isalpha()) or not pycountry_countries().get(
            alpha_2=region.upper()
        ):
            raise FieldError(_("'{text}' is not a language; use a code such as nl, fr or nl_BE.").format(
                text=text[:20]), sentence=True)
        return f"{alpha2}_{region.upper()}"
    return alpha2


# ---------------------------------------------------------------------------
# The kind of customer
# ---------------------------------------------------------------------------

_KIND_WORDS = {
    "consumer": "consumer", "company": "company", "person": "consumer", "private": "consumer",
    "consument": "consumer", "particulier": "consumer", "bedrijf": "company",
    "business": "company", "personne physique": "consumer", "personne morale": "company",
    "persona física": "consumer", "persona fisica": "consumer", "persona jurídica": "company",
    "persona juridica": "company", "entreprise": "company", "empresa": "company",
}


def check_kind(value: Any) -> str:
    text = as_text(value).strip().casefold()
    kind = _KIND_WORDS.get(text)
    if kind is None:
        raise FieldError(_("Choose consumer or company."), sentence=True)
    return kind
