"""Bank accounts: IBAN and BIC checked offline, with the bank's BIC and name where known.

schwifty does the real work (structure, check digits and its offline bank registry);
the answers are kept per bank, as the same few hundred banks come back in every file.
Every check raises :class:`~tradium_tui.services.values.FieldError` with a sentence
that says which part is wrong.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.services.countries import shown_country
from tradium_tui.services.values import FieldError, as_text


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
    # schwifty is loaded on first use, not at start-up.
    from schwifty import IBAN
    from schwifty import exceptions as iban_errors

    raw = as_text(text).strip()
    if raw.upper().startswith("IBAN"):
        raw = raw[4:].lstrip(" :")
    compact = _IBAN_SEPARATORS.sub("", raw).upper()
    if not compact:
        raise FieldError(_("The IBAN is empty."), sentence=True)
    if not compact.isascii() or not compact.isalnum():
        bad = next((c for c in compact if not (c.isascii() and c.isalnum())), "?")
        raise FieldError(_("Invalid IBAN: structure — '{character}' is not allowed (letters and digits "
                           "only).").format(character=bad), sentence=True)
    if len(compact) < 5:
        raise FieldError(_("Invalid IBAN: wrong length — {count} characters is far too short.").format(
            count=len(compact)), sentence=True)
    if not compact[:2].isalpha() or not compact[2:4].isdigit():
        raise FieldError(
            _("Invalid IBAN: structure — it starts with a two-letter country code and two check "
              "digits."), sentence=True
        )
    cc = compact[:2]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            iban = IBAN(compact)
    except iban_errors.InvalidCountryCode:
        raise FieldError(_("Invalid IBAN: country — '{code}' has no IBAN format.").format(code=cc),
                         sentence=True) from None
    except iban_errors.InvalidLength:
        expected = _iban_length(cc)
        if not expected:
            raise FieldError(_("Invalid IBAN: wrong length."), sentence=True) from None
        raise FieldError(
            _("Invalid IBAN: wrong length ({country} IBANs have {expected} characters, this has "
              "{count}).").format(country=shown_country(cc), expected=expected, count=len(compact)),
            sentence=True,
        ) from None
    except iban_errors.InvalidStructure:
        raise FieldError(
            _("Invalid IBAN: structure — the account part does not fit the format of {country}.").format(
                country=shown_country(cc)), sentence=True
        ) from None
    except iban_errors.InvalidChecksumDigits:
        raise FieldError(
            _("Invalid IBAN: checksum — the check digits do not match (probably a typing error)."),
            sentence=True
        ) from None
    except (iban_errors.SchwiftyException, ValueError):
        raise FieldError(_("Invalid IBAN."), sentence=True) from None
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
    from schwifty import registry  # loaded on first use, not at start-up

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
    # schwifty is loaded on first use, not at start-up.
    from schwifty import BIC
    from schwifty import exceptions as iban_errors

    compact = _IBAN_SEPARATORS.sub("", as_text(text)).upper()
    if not compact:
        raise FieldError(_("The BIC is empty."), sentence=True)
    if not compact.isascii() or not compact.isalnum():
        raise FieldError(_("Invalid BIC: only letters and digits are allowed."), sentence=True)
    if len(compact) not in (8, 11):
        raise FieldError(_("Invalid BIC: a BIC has 8 or 11 characters, this has {count}.").format(
            count=len(compact)), sentence=True)
    if not compact[:4].isalpha():
        raise FieldError(_("Invalid BIC: the first four characters (the bank code) must be letters."), sentence=True)
    try:
        bic = BIC(compact)
    except iban_errors.InvalidCountryCode:
        raise FieldError(_("Invalid BIC: '{code}' (characters 5–6) is not a country.").format(
            code=compact[4:6]), sentence=True) from None
    except (iban_errors.SchwiftyException, ValueError):
        raise FieldError(_("Invalid BIC."), sentence=True) from None
    country = bic.country_code
    if iban_country and not _bic_fits_country(country, iban_country):
        raise FieldError(
            _("Invalid BIC: it is a bank in {country} but the IBAN is from {iban_country}.").format(
                country=shown_country(country), iban_country=shown_country(iban_country)), sentence=True
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


def same_bank(a: str, b: str) -> bool:
    """BICs of the same institution (bank code and country; branches may differ)."""
    return a[:6] == b[:6]
