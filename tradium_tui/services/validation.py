"""Field validation for customers (and anything else that holds the same kinds of data).

Every ``check_*`` function takes what a person typed and returns the normalised value, or
raises :class:`FieldError` whose message says what is wrong, in words a user understands.
:func:`clean_customer` runs all of them over a customer's values and reports every field
error at once (:class:`~tradium_tui.services.errors.ValidationError`).

A wrong VAT number is not an error: customers do give wrong numbers, so the number is
stored (normalised) with status ``invalid`` and a warning; see :func:`check_vat`.

The libraries do the real work: python-stdnum (VAT, postcodes, company numbers),
schwifty (IBAN/BIC, bank names offline), phonenumbers, email-validator, pycountry and
babel (country names).  Nothing here touches the network unless an online VAT checker
was registered (:func:`register_online_vat_checker`), and even then a failure of that
checker never blocks saving.
"""

from __future__ import annotations

import importlib
import re
import unicodedata
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

from stdnum import exceptions as num_errors
from stdnum import get_cc_module
from stdnum.eu import vat as eu_vat

from tradium_tui.i18n import _
from tradium_tui.services import text_safety
from tradium_tui.services.countries import COUNTRY_ALIASES as _COUNTRY_ALIASES
from tradium_tui.services.countries import country_name, is_eu, pycountry_countries
from tradium_tui.services.errors import ValidationError

VAT_STATUSES = ("valid", "invalid", "missing", "not_required", "unchecked")
KINDS = ("consumer", "company")


class FieldError(ValueError):
    """One field's value is not acceptable; ``message`` says why (no field name in it)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------
# Countries
# ---------------------------------------------------------------------------

@lru_cache(maxsize=512)
def _lookup_country(text: str) -> str | None:
    key = text.strip()
    if not key:
        return None
    upper = key.upper()
    upper = _COUNTRY_ALIASES.get(upper, upper)
    if len(upper) == 2 and upper.isascii() and upper.isalpha():
        found = pycountry_countries().get(alpha_2=upper)
        return found.alpha_2 if found else None
    if len(upper) == 3 and upper.isascii() and upper.isalpha():
        found = pycountry_countries().get(alpha_3=upper)
        if found:
            return found.alpha_2
    try:
        return pycountry_countries().lookup(key).alpha_2
    except LookupError:
        return _country_by_local_name(key.casefold())


@lru_cache(maxsize=1)
def _local_country_names() -> dict[str, str]:
    """Country names in the languages of the seeds (Dutch, French, Spanish, German)."""
    from babel import Locale

    names: dict[str, str] = {}
    for loc in ("en", "nl", "fr", "es", "de"):
        for code, name in Locale.parse(loc).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(name.casefold(), code)
    return names


def _country_by_local_name(folded: str) -> str | None:
    code = _local_country_names().get(folded)
    if code and pycountry_countries().get(alpha_2=code):
        return code
    return None


def check_country(code: Any) -> str:
    """An ISO 3166 alpha-2 code from a code (``nl``, ``NLD``, ``EL``, ``UK``) or a name."""
    text = _text(code)
    found = _lookup_country(text)
    if found is None:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise FieldError(
            _("'{text}' is not a country; use a two-letter ISO code such as NL, BE or DE.")
            .format(text=shown)
        )
    return found


# ---------------------------------------------------------------------------
# VAT numbers
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VatCheck:
    normalized: str
    status: str  # valid | invalid | missing | not_required | unchecked
    message: str
    checked_online: bool = False


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
    module_name, _, attr = (spec or "").partition(":")
    if not module_name or not attr:
        raise ValueError(f"The online VAT checker '{spec}' must be written as 'module:function'.")
    try:
        checker = getattr(importlib.import_module(module_name), attr)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"The online VAT checker '{spec}' cannot be loaded: {exc}.") from exc
    if not callable(checker):
        raise ValueError(f"The online VAT checker '{spec}' is not callable.")
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
    (num_errors.InvalidLength, "wrong length"),
    (num_errors.InvalidChecksum, "wrong check digit"),
    (num_errors.InvalidFormat, "wrong format"),
    (num_errors.InvalidComponent, "a part of the number is not valid"),
)


def _vat_reason(exc: Exception) -> str:
    for cls, reason in _VAT_REASONS:
        if isinstance(exc, cls):
            return reason
    return "not a valid number"


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
    if cc in eu_vat.MEMBER_STATES or _non_eu_vat_module(cc) is not None:
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


def check_vat(
    number: Any, country: str, kind: str = "company", home_country: str = "NL",
    *, online: bool = False,
) -> VatCheck:
    """Check a VAT number locally (and online when asked and a checker is registered).

    ``country`` is the customer's country (ISO alpha-2).  Never raises for any text.
    """
    text = _text(number).strip()
    country = (country or "").upper()
    home = (home_country or "NL").upper()
    if not text:
        if kind == "company" and is_eu(country) and country != home:
            return VatCheck(
                "", "missing",
                f"A company in another EU country ({country_name(country)}) needs a VAT number "
                "(EU sales listing).",
            )
        return VatCheck("", "not_required", "")
    compact = _vat_compact(text)
    if len(compact) > 20 or not compact.isascii() or not compact.isalnum():
        shown = compact if len(compact) <= 24 else compact[:24] + "…"
        return VatCheck(compact, "invalid", f"Invalid VAT number '{shown}': wrong format.")
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
    if nc in ("el", "xi") or nc in eu_vat.MEMBER_STATES:
        try:
            normalized = eu_vat.validate(candidate)
        except num_errors.ValidationError as exc:
            return VatCheck(
                compact, "invalid", f"Invalid VAT number: {_vat_reason(exc)}."
            )
        except Exception as exc:  # a library bug must not stop a save
            return VatCheck(compact, "invalid", f"Invalid VAT number: {exc or 'not readable'}.")
        if not matches:
            return VatCheck(
                normalized, "invalid",
                f"Invalid VAT number: country mismatch — the number is for "
                f"{country_name(number_country)}, the customer is in "
                f"{country_name(country) or 'no country'}.",
            )
        status, message, online_done = "valid", "Valid VAT number (checked offline).", False
        if online and _online_checker is not None:
            status, message, online_done = _ask_online(normalized, status, message)
        return VatCheck(normalized, status, message, online_done)
    module = _non_eu_vat_module(nc) if nc else None
    if module is None:
        return VatCheck(
            compact, "unchecked",
            f"VAT numbers of {country_name(number_country) or 'this country'} cannot be checked here.",
        )
    try:
        normalized = module.validate(compact)
    except num_errors.ValidationError as exc:
        return VatCheck(compact, "invalid", f"Invalid VAT number: {_vat_reason(exc)}.")
    except Exception as exc:
        return VatCheck(compact, "invalid", f"Invalid VAT number: {exc or 'not readable'}.")
    if not normalized.upper().startswith(nc.upper()):
        normalized = nc.upper() + normalized
    if not matches:
        return VatCheck(
            normalized, "invalid",
            f"Invalid VAT number: country mismatch — the number is for "
            f"{country_name(number_country)}, the customer is in "
            f"{country_name(country) or 'no country'}.",
        )
    return VatCheck(normalized, "valid", "Valid VAT number (checked offline).")


def _ask_online(number: str, status: str, message: str) -> tuple[str, str, bool]:
    try:
        answer = _online_checker(number) if _online_checker else None
    except Exception:  # unreachable service, missing SOAP library, timeout …
        answer = None
    if answer is True:
        return "valid", "Valid VAT number (confirmed online by VIES).", True
    if answer is False:
        return "invalid", "Invalid VAT number: not registered according to VIES.", True
    return status, message + " The online check could not be reached.", False


# ---------------------------------------------------------------------------
# IBAN / BIC
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IbanCheck:
    iban: str  # compact, e.g. NL91ABNA0417164300
    bic: str  # "" when the bank is not known offline
    bank_name: str  # "" when the bank is not known offline
    country: str

    @property
    def formatted(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))

    @property
    def bank_known(self) -> bool:
        return bool(self.bic or self.bank_name)

    @property
    def bank_label(self) -> str:
        return bank_label(self.bic, self.bank_name)


def bank_label(bic: str, bank_name: str) -> str:
    """What the "Bank" field shows: BIC and bank name, or that the bank is unknown."""
    parts = [p for p in (bic, bank_name) if p]
    return " · ".join(parts) if parts else "bank unknown"


_IBAN_SEPARATORS = re.compile(r"[\s.\-_/]+")


def check_iban(text: Any) -> IbanCheck:
    from schwifty import IBAN
    from schwifty import exceptions as iban_errors

    raw = _text(text).strip()
    if raw.upper().startswith("IBAN"):
        raw = raw[4:].lstrip(" :")
    compact = _IBAN_SEPARATORS.sub("", raw).upper()
    if not compact:
        raise FieldError("The IBAN is empty.")
    if not compact.isascii() or not compact.isalnum():
        bad = next((c for c in compact if not (c.isascii() and c.isalnum())), "?")
        raise FieldError(f"Invalid IBAN: structure — '{bad}' is not allowed (letters and digits only).")
    if len(compact) < 5:
        raise FieldError(f"Invalid IBAN: wrong length — {len(compact)} characters is far too short.")
    if not compact[:2].isalpha() or not compact[2:4].isdigit():
        raise FieldError(
            "Invalid IBAN: structure — it starts with a two-letter country code and two check digits."
        )
    cc = compact[:2]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            iban = IBAN(compact)
    except iban_errors.InvalidCountryCode:
        raise FieldError(f"Invalid IBAN: country — '{cc}' has no IBAN format.") from None
    except iban_errors.InvalidLength:
        expected = _iban_length(cc)
        more = f" ({country_name(cc)} IBANs have {expected} characters, this has {len(compact)})"
        raise FieldError(f"Invalid IBAN: wrong length{more if expected else ''}.") from None
    except iban_errors.InvalidStructure:
        raise FieldError(
            f"Invalid IBAN: structure — the account part does not fit the {country_name(cc)} format."
        ) from None
    except iban_errors.InvalidChecksumDigits:
        raise FieldError(
            "Invalid IBAN: checksum — the check digits do not match (probably a typing error)."
        ) from None
    except (iban_errors.SchwiftyException, ValueError) as exc:
        raise FieldError(f"Invalid IBAN: {exc}.") from None
    key = (cc, iban.bank_code, iban.branch_code)
    bank = _BANKS.get(key)
    if bank is None:
        bic = ""
        bank_name = ""
        try:
            found = iban.bic
            if found is not None:
                bic = str(found.compact)
            bank_name = iban.bank_name or ""
        except (iban_errors.SchwiftyException, ValueError, LookupError):
            pass
        bank = (bic, bank_name[:120])
        if len(_BANKS) < _BANKS_KEPT:
            _BANKS[key] = bank
    return IbanCheck(iban=str(iban.compact), bic=bank[0], bank_name=bank[1], country=cc)


# BIC and bank name by (country, bank code, branch code): the same few hundred banks come
# back in every customer file, and looking them up costs half of checking an IBAN.
_BANKS: dict[tuple[str, str, str], tuple[str, str]] = {}
_BANKS_KEPT = 50_000


@lru_cache(maxsize=128)
def _iban_length(cc: str) -> int | None:
    from schwifty import registry

    try:
        return int(registry.get_iban_spec(cc).iban_length)
    except Exception:
        return None


@dataclass(frozen=True)
class BicCheck:
    bic: str
    bank_name: str
    country: str


def check_bic(text: Any, iban_country: str | None = None) -> BicCheck:
    """Validate a BIC (8 or 11 characters); it must be of the IBAN's country when given."""
    from schwifty import BIC
    from schwifty import exceptions as iban_errors

    compact = _IBAN_SEPARATORS.sub("", _text(text)).upper()
    if not compact:
        raise FieldError("The BIC is empty.")
    if not compact.isascii() or not compact.isalnum():
        raise FieldError("Invalid BIC: only letters and digits are allowed.")
    if len(compact) not in (8, 11):
        raise FieldError(f"Invalid BIC: a BIC has 8 or 11 characters, this has {len(compact)}.")
    if not compact[:4].isalpha():
        raise FieldError("Invalid BIC: the first four characters (the bank code) must be letters.")
    try:
        bic = BIC(compact)
    except iban_errors.InvalidCountryCode:
        raise FieldError(f"Invalid BIC: '{compact[4:6]}' (characters 5–6) is not a country.") from None
    except (iban_errors.SchwiftyException, ValueError) as exc:
        raise FieldError(f"Invalid BIC: {exc}.") from None
    country = bic.country_code
    if iban_country and not _bic_fits_country(country, iban_country):
        raise FieldError(
            f"Invalid BIC: it is a bank in {country_name(country)} but the IBAN is from "
            f"{country_name(iban_country)}."
        )
    try:
        names = bic.bank_names
    except Exception:
        names = []
    return BicCheck(bic=str(bic.compact), bank_name=(names[0] if names else "")[:120], country=country)


# Territories that use their motherland's IBAN but their own BIC country code.
_BIC_TERRITORIES = {
    "FR": {"GF", "GP", "MQ", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF", "MC"},
    "GB": {"GG", "JE", "IM"},
}


def _bic_fits_country(bic_country: str, iban_country: str) -> bool:
    if bic_country == iban_country:
        return True
    return bic_country in _BIC_TERRITORIES.get(iban_country, set()) or iban_country in _BIC_TERRITORIES.get(
        bic_country, set()
    )


# ---------------------------------------------------------------------------
# E-mail, phone, website
# ---------------------------------------------------------------------------


def check_email(text: Any) -> str:
    """Syntax check only (no DNS); the domain is lower-cased."""
    from email_validator import EmailNotValidError, validate_email

    value = _text(text).strip()
    if not value:
        return ""
    if value.lower().startswith("mailto:"):
        value = value[7:].strip()
    if len(value) > 254:
        raise FieldError("Invalid e-mail address: it is longer than 254 characters.")
    try:
        result = validate_email(value, check_deliverability=False)
    except EmailNotValidError as exc:
        raise FieldError(f"Invalid e-mail address: {exc}") from None
    except Exception:
        raise FieldError("Invalid e-mail address.") from None
    return result.normalized


_PHONE_REASONS = {  # phonenumbers.ValidationResult names
    "TOO_SHORT": "too short",
    "TOO_LONG": "too long",
    "INVALID_COUNTRY_CODE": "unknown country calling code",
    "INVALID_LENGTH": "wrong number of digits",
}


def check_phone(text: Any, region: str | None = "NL") -> str:
    """Normalise to international format (``+31 20 123 4567``); national numbers use ``region``."""
    import phonenumbers

    value = _text(text).strip()
    if not value:
        return ""
    if len(value) > 40:
        raise FieldError("Invalid phone number: it is longer than 40 characters.")
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
                raise FieldError("Invalid phone number: unknown country calling code.") from None
            raise FieldError(
                "Invalid phone number: start with + and the country code (e.g. +32 …) "
                "for a number outside the customer's country."
            ) from None
        raise FieldError("Invalid phone number: this is not a phone number.") from None
    except Exception:
        raise FieldError("Invalid phone number: this is not a phone number.") from None
    reason = phonenumbers.is_possible_number_with_reason(parsed)
    for name, problem in _PHONE_REASONS.items():
        if reason == getattr(phonenumbers.ValidationResult, name):
            raise FieldError(f"Invalid phone number: {problem}.")
    if not phonenumbers.is_valid_number(parsed):
        where = phonenumbers.region_code_for_number(parsed)
        raise FieldError(
            f"Invalid phone number: not a number in use in {country_name(where) if where else 'that country'}."
        )
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


_HOST_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")


def normalize_website(text: Any) -> str:
    """A URL with scheme (``example.nl`` → ``https://example.nl``) and a lower-case host."""
    value = _text(text).strip()
    if not value:
        return ""
    if any(c.isspace() for c in value):
        raise FieldError("Invalid website: it contains spaces.")
    if "://" not in value:
        value = "https://" + value
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise FieldError("Invalid website: this is not a web address.") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise FieldError("Invalid website: use an http:// or https:// address.")
    try:
        ascii_host = host.encode("idna").decode("ascii") if not host.isascii() else host
    except UnicodeError:
        raise FieldError("Invalid website: the domain name is not valid.") from None
    labels = ascii_host.lower().split(".")
    if len(labels) < 2 or not all(_HOST_LABEL.match(lbl) for lbl in labels) or labels[-1].isdigit():
        raise FieldError("Invalid website: the domain name is not valid (e.g. www.example.nl).")
    netloc = host.lower() + (f":{port}" if port else "")
    url = urlunsplit((parts.scheme.lower(), netloc, parts.path, parts.query, parts.fragment))
    if len(url) > 254:
        raise FieldError("Invalid website: the address is longer than 254 characters.")
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
    value = _text(text).strip().upper()
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
            raise FieldError(_postcode_help(country, "wrong length")) from None
        except num_errors.InvalidComponent:
            raise FieldError(
                f"Invalid postcode: {body.strip()} does not exist in {country_name(country)}."
            ) from None
        except (num_errors.ValidationError, ValueError, IndexError):
            raise FieldError(_postcode_help(country, "wrong format")) from None
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
            raise FieldError(_postcode_help(country, "wrong format"))
        groups = [g for g in match.groups()]
        if country == "US" and groups[1]:
            return f"{groups[0]}-{groups[1]}"
        return fmt.format(*groups)
    if not _GENERIC_POSTCODE.match(value):
        raise FieldError(
            "Invalid postcode: use letters, digits, spaces and hyphens (at most 10 characters)."
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
    hint = f" (e.g. {example})" if example else ""
    return f"Invalid postcode for {country_name(country)}: {reason}{hint}."


_COC_SEPARATORS = re.compile(r"[\s.\-/]+")


def check_coc(text: Any, country: str | None = "NL") -> str:
    """Chamber-of-commerce / company-register number (NL KvK: 8 digits).

    Belgium (enterprise number), France (SIREN/SIRET), Spain (CIF/NIF) and
    Switzerland (UID) are checked with python-stdnum; other countries are kept
    as typed when they look like a register number.
    """
    value = _text(text).strip()
    if not value:
        return ""
    country = (country or "").upper()
    compact = _COC_SEPARATORS.sub("", value).upper()
    if country == "NL":
        if compact.startswith("KVK"):
            compact = compact[3:]
        if not compact.isdigit() or not compact.isascii():
            raise FieldError("Invalid KvK number: only digits are allowed (8 digits).")
        if len(compact) != 8:
            raise FieldError(f"Invalid KvK number: it has 8 digits, this has {len(compact)}.")
        return compact
    try:
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
        raise FieldError(f"Invalid company register number: {_vat_reason(exc)}.") from None
    except Exception:
        raise FieldError("Invalid company register number.") from None
    shown = " ".join(value.split())
    if len(shown) > 20:
        raise FieldError("Invalid company register number: at most 20 characters.")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9 .\-/]*", shown) or not any(c.isdigit() for c in shown):
        raise FieldError("Invalid company register number: use letters, digits, spaces, dots or hyphens.")
    return shown


# ---------------------------------------------------------------------------
# Numbers, money, booleans, plain text
# ---------------------------------------------------------------------------

_MONEY_JUNK = re.compile(r"(?i)\s|€|eur|%")


def parse_decimal(
    value: Any,
    *,
    places: int = 2,
    max_digits: int = 14,
    minimum: Decimal | None = None,
    maximum: Decimal | None = None,
    what: str = "amount",
) -> Decimal | None:
    """A Decimal from text like ``1.234,56``, ``1,234.56``, ``€ 500`` or ``12,5 %``.

    A lone comma or dot is the decimal separator (but "2.500" is read as the user's locale
    writes it); when both occur, the last one is.  Returns ``None`` for empty input.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError(f"Invalid {what}: expected a number.")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        text = _MONEY_JUNK.sub("", _text(value)).replace("\u2212", "-")
        if not text:
            return None
        number = _decimal_from_text(text, what)
    if not number.is_finite():
        raise FieldError(f"Invalid {what}: expected a number.")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise FieldError(f"Invalid {what}: at most {places} decimals.")
    if minimum is not None and number < minimum:
        raise FieldError(f"Invalid {what}: it must be at least {minimum}.")
    if maximum is not None and number > maximum:
        raise FieldError(f"Invalid {what}: it must be at most {maximum}.")
    limit = Decimal(10) ** (max_digits - places)
    if abs(number) >= limit:
        raise FieldError(f"Invalid {what}: it is too large.")
    return number.quantize(Decimal(1).scaleb(-places))


def _decimal_from_text(text: str, what: str) -> Decimal:
    """Typed numbers are read one way everywhere (:func:`money.parse_number_text`: marks,
    thousands, the locale for "2.500"); the message in this module's wording."""
    from tradium_tui.services import money

    try:
        return money.parse_number_text(text)
    except money.FieldError as exc:
        if "separators" in str(exc):
            raise FieldError(f"Invalid {what}: the separators are mixed up.") from None
        raise FieldError(f"Invalid {what}: expected a number such as 1250,00.") from None


def parse_int(value: Any, *, minimum: int = 0, maximum: int = 2**31 - 1, what: str = "number") -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise FieldError(f"Invalid {what}: expected a whole number.")
    if isinstance(value, int):
        number = value
    else:
        text = _text(value).strip().replace(" ", "")
        if not text:
            return None
        if not (text.isascii() and (text.isdigit() or (text[0] in "+-" and text[1:].isdigit()))):
            raise FieldError(f"Invalid {what}: expected a whole number.")
        if len(text) > 20:
            raise FieldError(f"Invalid {what}: it is too large.")
        number = int(text)
    if number < minimum:
        raise FieldError(f"Invalid {what}: it must be at least {minimum}.")
    if number > maximum:
        raise FieldError(f"Invalid {what}: it is too large.")
    return number


_TRUE = {"1", "y", "yes", "true", "on", "j", "ja", "oui", "si", "sí", "x", "waar", "vrai"}
_FALSE = {"0", "n", "no", "false", "off", "nee", "non", "nein", "onwaar", "faux", "-"}


def parse_bool(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int):
        if value in (0, 1):
            return bool(value)
        raise FieldError("Invalid choice: expected yes or no.")
    text = _text(value).strip().casefold()
    if not text:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise FieldError("Invalid choice: expected yes or no.")


_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029]")
_CONTROL_MULTI = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)


def clean_text(value: Any, max_length: int | None = None, *, multiline: bool = False) -> str:
    """Trimmed, NFC-normalised text without control characters, within ``max_length``."""
    text = _text(value)
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
        raise FieldError(unsafe)
    if max_length is not None and len(text) > max_length:
        raise FieldError(_("Too long: at most {limit} characters (this has {length}).").format(
            limit=max_length, length=len(text)))
    return text


@lru_cache(maxsize=256)
def check_language(code: str) -> str:
    """A language code (``nl``, ``fr``, ``nl_BE``, ``Dutch``) as stored (``nl``, ``nl_BE``)."""
    text = (code or "").strip().replace("-", "_")
    if not text:
        raise FieldError("The language is empty.")
    base, _, region = text.partition("_")
    import pycountry  # loaded on first use, as for countries

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
        raise FieldError(f"'{text[:20]}' is not a language; use a code such as nl, fr, es or en.")
    if region:
        if not (len(region) == 2 and region.isascii() and region.isalpha()) or not pycountry_countries().get(
            alpha_2=region.upper()
        ):
            raise FieldError(f"'{text[:20]}' is not a language; use a code such as nl, fr or nl_BE.")
        return f"{alpha2}_{region.upper()}"
    return alpha2


# ---------------------------------------------------------------------------
# The customer as a whole
# ---------------------------------------------------------------------------

ONE_LINE_FIELDS = (
    "title", "first_name", "last_name", "name",
    "visit_street", "visit_house_number", "visit_city",
    "postal_street", "postal_house_number", "postal_city",
    "region", "ledger_account", "document_template", "price_list", "opening_hours", "logo_path",
    "bank_name",
    "custom_1", "custom_2", "custom_3", "custom_4", "custom_5", "custom_6",
)
MULTI_LINE_FIELDS = ("remarks", "order_remarks")
PHONE_FIELDS = ("phone", "mobile", "fax")
REFERENCE_FIELDS = ("account_manager", "customer_group", "condition_group")
BOOL_FIELDS = ("auto_split_orders", "charge_vat")
# Fields the service computes; they cannot be set from input.
COMPUTED_FIELDS = frozenset(
    {"id", "version", "created_at", "updated_at", "deleted_at", "vat_status", "vat_message",
     "vat_checked_at"}
)
EDITABLE_FIELDS = frozenset(
    ONE_LINE_FIELDS + MULTI_LINE_FIELDS + PHONE_FIELDS + REFERENCE_FIELDS + BOOL_FIELDS
    + (
        "number", "kind", "visit_postcode", "visit_country", "postal_postcode", "postal_country",
        "email", "website", "coc_number", "vat_number", "iban", "bic", "credit_limit",
        "mailing_code", "reference", "language", "discount_percent", "custom_num",
    )
)

_KIND_WORDS = {
    "consumer": "consumer", "company": "company", "person": "consumer", "private": "consumer",
    "consument": "consumer", "particulier": "consumer", "bedrijf": "company",
    "business": "company", "personne physique": "consumer", "personne morale": "company",
    "persona física": "consumer", "persona fisica": "consumer", "persona jurídica": "company",
    "persona juridica": "company", "entreprise": "company", "empresa": "company",
}


def check_kind(value: Any) -> str:
    text = _text(value).strip().casefold()
    kind = _KIND_WORDS.get(text)
    if kind is None:
        raise FieldError("Choose consumer or company.")
    return kind


@lru_cache(maxsize=1)
def _max_lengths() -> dict[str, int]:
    from tradium_tui.models import Customer

    out: dict[str, int] = {}
    for name, fld in Customer._meta.fields.items():
        length = getattr(fld, "max_length", None)
        if isinstance(length, int):
            out[name] = length
    return out


def _stored(stored: Any, name: str, default: Any = "") -> Any:
    if stored is None:
        return default
    if name in REFERENCE_FIELDS:
        return stored.__data__.get(name)
    return getattr(stored, name, default)


# A resolver turns what was typed for a reference field (id, name) into an id, or raises
# FieldError; clean_customer's caller may pass cached ones (the importer does).
Resolver = Callable[[Any], int | None]


def clean_customer(
    values: dict[str, Any],
    stored: Any = None,
    home_country: str = "NL",
    *,
    online: bool = False,
    resolvers: dict[str, Resolver] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Validate and normalise a customer's values (all of them on create, the changed ones on update).

    Returns ``(cleaned, warnings)``: ``cleaned`` holds normalised values of the given fields
    plus what they determine (display name of a consumer, VAT status, BIC and bank name).
    Raises :class:`ValidationError` with every field error at once.  Never raises anything
    else, whatever text comes in.  Database look-ups happen only for reference fields
    (group, condition group, account manager) and only when they are given.
    """
    errors: dict[str, str] = {}
    warns: dict[str, str] = {}
    out: dict[str, Any] = {}
    home = (home_country or "NL").upper()
    if not isinstance(values, dict):
        raise ValidationError({"values": "The customer data must be a set of fields."})
    lengths = _max_lengths()

    def fail(name: str, exc: Exception) -> None:
        errors[name] = exc.message if isinstance(exc, FieldError) else str(exc) or "Not valid."

    given = {}
    for key, value in values.items():
        name = key if isinstance(key, str) else _text(key)
        if name in COMPUTED_FIELDS:
            errors[name] = "This field is computed and cannot be set."
        elif name not in EDITABLE_FIELDS:
            errors[name] = "This is not a customer field."
        elif isinstance(value, str) and (unsafe := _unsafe_input(value)):
            errors[name] = unsafe  # refused before any parser sees it
        else:
            given[name] = value

    # Kind and country first: other fields depend on them.
    kind = _stored(stored, "kind", "company") or "company"
    if "kind" in given:
        try:
            kind = check_kind(given["kind"])
            out["kind"] = kind
        except FieldError as exc:
            fail("kind", exc)
    country = _stored(stored, "visit_country", home) or home
    if "visit_country" in given:
        if _text(given["visit_country"]).strip() == "":
            errors["visit_country"] = _("The country is required.")
        else:
            try:
                country = check_country(given["visit_country"])
                out["visit_country"] = country
            except FieldError as exc:
                fail("visit_country", exc)
    elif stored is None:
        out["visit_country"] = country
    postal_country = _stored(stored, "postal_country", "") or ""
    if "postal_country" in given:
        if _text(given["postal_country"]).strip() == "":
            postal_country = ""
            out["postal_country"] = ""
        else:
            try:
                postal_country = check_country(given["postal_country"])
                out["postal_country"] = postal_country
            except FieldError as exc:
                fail("postal_country", exc)

    for name in ONE_LINE_FIELDS:
        if name in given:
            try:
                out[name] = clean_text(given[name], lengths.get(name))
            except FieldError as exc:
                fail(name, exc)
    for name in MULTI_LINE_FIELDS:
        if name in given:
            try:
                out[name] = clean_text(given[name], None, multiline=True)
            except FieldError as exc:
                fail(name, exc)

    # Names: a company needs a name; a consumer a last name, and its name is derived.
    def effective(name: str) -> Any:
        return out[name] if name in out else _stored(stored, name, "")

    if kind == "consumer":
        if "name" in errors and "name" in given:
            del errors["name"]  # a consumer's name is derived; what was typed is ignored
        if not effective("last_name") and "last_name" not in errors:
            errors["last_name"] = _("A consumer needs a last name.")
        if stored is None or {"first_name", "last_name", "kind", "name"} & given.keys():
            derived = " ".join(p for p in (effective("first_name"), effective("last_name")) if p)
            if derived or "name" in out:
                out["name"] = derived[: lengths.get("name", 200)]
    else:
        if not effective("name") and "name" not in errors:
            errors["name"] = _("A company needs a name.")

    # Postcodes against their country (not while the country itself is wrong).
    if "visit_country" in errors:
        pass
    elif "visit_postcode" in given or ("visit_country" in out and stored is not None):
        raw = given.get("visit_postcode", _stored(stored, "visit_postcode", ""))
        try:
            out["visit_postcode"] = check_postcode(raw, country)
        except FieldError as exc:
            fail("visit_postcode", exc)
    if "visit_country" in errors or "postal_country" in errors:
        pass
    elif "postal_postcode" in given or (
        stored is not None and ("postal_country" in out or "visit_country" in out)
    ):
        raw = given.get("postal_postcode", _stored(stored, "postal_postcode", ""))
        try:
            out["postal_postcode"] = check_postcode(raw, postal_country or country)
        except FieldError as exc:
            fail("postal_postcode", exc)

    if "email" in given:
        try:
            out["email"] = check_email(given["email"])
        except FieldError as exc:
            fail("email", exc)
    for name in PHONE_FIELDS:
        if name in given:
            try:
                out[name] = check_phone(given[name], country)
            except FieldError as exc:
                fail(name, exc)
    if "website" in given:
        try:
            out["website"] = normalize_website(given["website"])
        except FieldError as exc:
            fail("website", exc)

    # Company numbers: only companies have them.
    if "coc_number" in given or (
        stored is not None and {"visit_country", "kind"} & out.keys()
    ):
        raw = given.get("coc_number", _stored(stored, "coc_number", ""))
        try:
            coc = check_coc(raw, country)
            if coc and kind == "consumer":
                raise FieldError("Only a company has a chamber-of-commerce number; clear it for a consumer.")
            if coc != _stored(stored, "coc_number", None) or "coc_number" in given:
                out["coc_number"] = coc
        except FieldError as exc:
            fail("coc_number", exc)
    if "vat_number" in given or stored is None or {"visit_country", "kind"} & out.keys():
        raw = given.get("vat_number", _stored(stored, "vat_number", ""))
        if _text(raw).strip() and kind == "consumer":
            errors["vat_number"] = "Only a company has a VAT number; clear it for a consumer."
        else:
            result = check_vat(raw, country, kind, home, online=online)
            if len(result.normalized) > lengths.get("vat_number", 20):
                errors["vat_number"] = _("Too long for a VAT number.")
            else:
                out["vat_number"] = result.normalized
                out["vat_status"] = result.status
                out["vat_message"] = result.message[: lengths.get("vat_message", 200)]
                if result.checked_online:
                    from tradium_tui.models import utcnow

                    out["vat_checked_at"] = utcnow()
                if result.status in ("invalid", "missing", "unchecked"):
                    warns["vat_number"] = result.message

    # Bank: IBAN gives BIC and bank name; a BIC typed by hand must fit the IBAN's country.
    iban_info: IbanCheck | None = None
    iban_country = None
    if "iban" in given:
        text = _text(given["iban"]).strip()
        if not text:
            out["iban"] = ""
            out.setdefault("bank_name", "")
            if "bic" not in given:
                out["bic"] = ""
        else:
            try:
                iban_info = check_iban(text)
                iban_country = iban_info.country
                out["iban"] = iban_info.iban
                if "bic" not in given:
                    out["bic"] = iban_info.bic
                if iban_info.bank_name or not out.get("bank_name"):
                    out["bank_name"] = iban_info.bank_name
                if not iban_info.bank_known:
                    warns["iban"] = _("Valid IBAN; bank unknown (no BIC or bank name is known "
                                      "for it).")
            except FieldError as exc:
                fail("iban", exc)
    elif stored is not None and _stored(stored, "iban", ""):
        iban_country = _stored(stored, "iban", "")[:2]
    if "bic" in given:
        text = _text(given["bic"]).strip()
        if not text:
            out["bic"] = iban_info.bic if iban_info else ""
        else:
            try:
                found_bic = check_bic(text, iban_country)
                out["bic"] = found_bic.bic
                if iban_info and iban_info.bic and not _same_bank(iban_info.bic, found_bic.bic):
                    warns["bic"] = _("The IBAN belongs to another bank (BIC {bic}).").format(
                        bic=iban_info.bic)
                if found_bic.bank_name and not (
                    out.get("bank_name") or ("iban" not in given and _stored(stored, "bank_name", ""))
                ):
                    out["bank_name"] = found_bic.bank_name
            except FieldError as exc:
                fail("bic", exc)

    # Numbers and money.
    if "credit_limit" in given:
        try:
            amount = parse_decimal(
                given["credit_limit"], places=2, max_digits=14, minimum=Decimal(0), what="credit limit"
            )
            out["credit_limit"] = amount if amount is not None else Decimal("0.00")
        except FieldError as exc:
            fail("credit_limit", exc)
    if "discount_percent" in given:
        try:
            pct = parse_decimal(
                given["discount_percent"], places=2, max_digits=5, minimum=Decimal(0),
                maximum=Decimal(100), what="discount percentage",
            )
            out["discount_percent"] = pct if pct is not None else Decimal("0.00")
        except FieldError as exc:
            fail("discount_percent", exc)
    if "custom_num" in given:
        try:
            out["custom_num"] = parse_decimal(given["custom_num"], places=4, max_digits=14, what="number")
        except FieldError as exc:
            fail("custom_num", exc)
    if "mailing_code" in given:
        try:
            out["mailing_code"] = parse_int(given["mailing_code"], what="mailing code")
        except FieldError as exc:
            fail("mailing_code", exc)
    if "number" in given:
        try:
            number = parse_int(given["number"], minimum=1, maximum=10**15, what="customer number")
            if number is None:
                if stored is not None:
                    raise FieldError(_("The customer number cannot be emptied."))
            else:
                out["number"] = number
        except FieldError as exc:
            fail("number", exc)
    for name in BOOL_FIELDS:
        if name in given:
            try:
                flag = parse_bool(given[name])
                if flag is not None:
                    out[name] = flag
            except FieldError as exc:
                fail(name, exc)
    if "language" in given:
        text = _text(given["language"]).strip()
        if text:
            try:
                out["language"] = check_language(text)
            except FieldError as exc:
                fail("language", exc)
        else:
            out["language"] = "nl" if home == "NL" else home.lower()
    if "reference" in given:
        try:
            ref = clean_text(given["reference"], lengths.get("reference", 64))
            out["reference"] = ref or None
        except FieldError as exc:
            fail("reference", exc)

    resolvers = resolvers or {}
    for name in REFERENCE_FIELDS:
        if name in given:
            raw = given[name]
            try:
                resolve = resolvers.get(name) or _DEFAULT_RESOLVERS[name]
                out[name] = resolve(raw)
            except FieldError as exc:
                fail(name, exc)
    chosen = [name for name in CHOICE_COLUMNS if out.get(name)]
    if chosen:
        check_choice = resolvers.get("custom_choices") or ChoiceChecker.from_database()
        for name in chosen:
            try:
                check_choice(name, out[name])
            except FieldError as exc:
                fail(name, exc)

    for name, message in text_safety.check_values(_customer_model(), out).items():
        errors.setdefault(name, message)
    if errors:
        raise ValidationError(errors, warns)
    return out, warns


def _unsafe_input(text: str) -> str | None:
    """What no field accepts, whatever it does with tabs and line breaks afterwards."""
    return text_safety.problem(text.replace("\r", "\n"), multiline=True)


def _customer_model():  # loaded late, as elsewhere here
    from tradium_tui.models import Customer

    return Customer


def _same_bank(a: str, b: str) -> bool:
    """BICs of the same institution (bank code and country; branches may differ)."""
    return a[:6] == b[:6]


def _id_of(raw: Any) -> int | None:
    if raw is None or raw == "":
        return None
    if hasattr(raw, "get_id"):
        return raw.get_id()
    if isinstance(raw, bool):
        raise FieldError("Not a valid choice.")
    if isinstance(raw, int):
        return raw
    text = _text(raw).strip()
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) < 12:
        return int(text)
    return None


def _resolve(raw: Any, model: Any, what: str, named: Callable[[str], Any]) -> int | None:
    """The id of the ``model`` row that ``raw`` means: a row, an id, or a name (``named``
    makes the condition for a name); ``None`` for nothing; FieldError for no such row."""
    if raw is None or _text(raw).strip() == "" and not hasattr(raw, "get_id"):
        return None
    ident = _id_of(raw)
    if ident is not None:
        row = model.select(model.id).where(model.id == ident).first()
    else:
        row = model.select(model.id).where(named(clean_text(raw, 80))).first()
    if row is None:
        raise FieldError(f"There is no {what} '{_text(raw)[:40]}'.")
    return row.id


def resolve_customer_group(raw: Any) -> int | None:
    from tradium_tui.models import CustomerGroup

    return _resolve(raw, CustomerGroup, "customer group", lambda name: CustomerGroup.name == name)


def resolve_condition_group(raw: Any) -> int | None:
    from tradium_tui.models import ConditionGroup

    return _resolve(raw, ConditionGroup, "condition group",
                    lambda code: (ConditionGroup.code == code) | (ConditionGroup.name == code))


def resolve_user(raw: Any) -> int | None:
    from tradium_tui.models import User

    return _resolve(raw, User, "user", lambda name: User.username == name)


# The variable text fields an admin may turn into a choice list (custom_fields.py).
CHOICE_COLUMNS = ("custom_1", "custom_2", "custom_3", "custom_4", "custom_5", "custom_6")


class ChoiceChecker:
    """Refuses a value outside the choice list an admin defined for a variable field.

    Built from the definitions once (picklable, so bulk validation in worker processes
    can use it without a database connection).
    """

    def __init__(self, choices: dict[str, tuple[str, list[str]]]):
        self.choices = choices  # column → (label, allowed values)

    @classmethod
    def from_database(cls) -> ChoiceChecker:
        from tradium_tui.db import database
        from tradium_tui.services.custom_fields import active_definitions

        if database.obj is None:  # pure validation with no database: no lists defined
            return cls({})

        return cls({
            d.column: (d.label, list(d.choices))
            for d in active_definitions()
            if d.kind == "choice" and d.column in CHOICE_COLUMNS
        })

    def __call__(self, column: str, value: str) -> None:
        if column in self.choices:
            label, allowed = self.choices[column]
            if value not in allowed:
                raise FieldError(f"{label}: choose one of {', '.join(allowed)}.")


_DEFAULT_RESOLVERS: dict[str, Resolver] = {
    "account_manager": resolve_user,
    "customer_group": resolve_customer_group,
    "condition_group": resolve_condition_group,
}
