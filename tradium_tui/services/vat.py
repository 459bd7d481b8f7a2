"""The one home of VAT: the seller's rates and the rate that follows the customer.

The seller's home country comes from the settings (``home_country``, NL by default) and its
rates from :data:`HOME_RATES` unless the settings give them (``vat_standard_rate``,
``vat_reduced_rate``).  Per line the rate follows the customer's fiscal situation
(:func:`treatment`):

- a customer in the home country: the article's class rate (standard, reduced, zero);
- a company in another EU country with a valid VAT number: 0 %, intra-Community supply,
  reverse-charged — the document names both VAT numbers;
- a customer outside the EU: 0 %, export;
- a consumer in another EU country: the home rate (OSS destination rates are not handled);
- "charge VAT" off: 0 %;
- a company in another EU country with a missing or invalid VAT number: the home rate,
  and the document warns that the reverse charge cannot be applied.

Which countries are in the EU VAT area (:func:`is_eu`), when a customer needs a VAT number
(:func:`vat_number_required`) and whether VAT is charged to a new customer by default
(:func:`charged_by_default`) are decided here too.

Greece is ``GR`` as a country and ``EL`` as a VAT prefix; Northern Ireland trades goods
as part of the EU under the ``XI`` prefix.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from stdnum.eu import vat as eu_vat

from tradium_tui.config import get_settings
from tradium_tui.i18n import N_
from tradium_tui.services.money import ZERO

VAT_CLASSES = ("standard", "reduced", "zero")
VAT_CLASS_LABELS = {"standard": "standard", "reduced": "reduced", "zero": "zero"}

# Standard and reduced rate per home country (percent).
HOME_RATES: dict[str, tuple[str, str]] = {
    "NL": ("21", "9"),
    "BE": ("21", "6"),
    "DE": ("19", "7"),
    "FR": ("20", "5.5"),
    "LU": ("17", "8"),
    "AT": ("20", "10"),
    "ES": ("21", "10"),
    "IT": ("22", "10"),
}
REGIMES = ("domestic", "intra_eu", "export", "eu_consumer", "not_charged", "eu_no_vat_number")


@dataclass(frozen=True)
class Rates:
    standard: Decimal
    reduced: Decimal
    zero: Decimal = ZERO

    def of(self, vat_class: str) -> Decimal:
        return {"standard": self.standard, "reduced": self.reduced, "zero": self.zero}.get(
            (vat_class or "standard").lower(), self.standard
        )


def is_eu(country: str) -> bool:
    """Whether the country is in the EU VAT area (``stdnum.eu.vat.MEMBER_STATES``).

    Greece may come as ``EL`` (its VAT prefix) and Northern Ireland as ``XI``.
    """
    cc = (country or "").lower()
    if cc == "el":
        cc = "gr"
    return cc in eu_vat.MEMBER_STATES


def eu_countries() -> set[str]:
    """The countries of the EU VAT area as country codes (Greece as ``GR``; Northern
    Ireland, ``XI``, is part of ``GB`` as a country)."""
    return {("GR" if c == "el" else c.upper()) for c in eu_vat.MEMBER_STATES if c != "xi"}


def vat_number_required(kind: str, country: str, home: str | None = None) -> bool:
    """A company in another EU country needs a VAT number (EU sales listing)."""
    country = (country or "").upper()
    home = (home or home_country()).upper()
    return kind == "company" and is_eu(country) and country != home


# Stored as written (language-neutral: English, the country as its ISO code) with the VAT
# check's result, and shown through validation.vat_message_text in the reader's language.
MISSING_VAT_NUMBER = N_("A company in another EU country ({country}) needs a VAT number "
                        "(EU sales listing).")


def missing_vat_number_message(country: str) -> str:
    """Why a VAT number is needed, when :func:`vat_number_required` and none is given."""
    return MISSING_VAT_NUMBER.format(country=(country or "").upper())


def charged_by_default(kind: str, country: str, vat_status: str, home: str | None = None) -> bool:
    """Whether "charge VAT" is on for a new customer: at home, to consumers in the EU and
    to EU companies without a valid VAT number; off for exports outside the EU and for the
    reverse charge (see :func:`treatment`)."""
    country = (country or "").upper()
    home = (home or home_country()).upper()
    if country == home:
        return True
    return is_eu(country) and (kind != "company" or vat_status != "valid")


def home_country() -> str:
    return (get_settings().home_country or "NL").upper()


def home_rates() -> Rates:
    """The seller's rates: from the settings where given, else the home country's table."""
    settings = get_settings()
    standard, reduced = HOME_RATES.get(home_country(), HOME_RATES["NL"])
    standard = getattr(settings, "vat_standard_rate", "") or standard
    reduced = getattr(settings, "vat_reduced_rate", "") or reduced
    return Rates(Decimal(str(standard)), Decimal(str(reduced)))


def standard_rate() -> Decimal:
    return home_rates().standard


def class_rate(vat_class: str) -> Decimal:
    return home_rates().of(vat_class)


def rate_choices_text() -> str:
    """"21, 9 or 0" for the home country (a hint in forms)."""
    rates = home_rates()
    return f"{_pct(rates.standard)}, {_pct(rates.reduced)} or 0"


def seller_vat_number() -> str:
    """The seller's own VAT number: ``seller_vat_number`` in the settings, else the stored
    setting of that name."""
    number = getattr(get_settings(), "seller_vat_number", "") or ""
    if number:
        return number
    try:
        from tradium_tui.models import Setting

        stored = Setting.select(Setting.value).where(Setting.key == "seller_vat_number").scalar()
    except Exception:  # no database (pure use): no number
        stored = None
    return str(stored or "")


# --------------------------------------------------------------------------- the customer


@dataclass(frozen=True)
class Party:
    """What VAT needs to know of a customer (or of an invoice's customer snapshot)."""

    kind: str  # consumer | company
    country: str
    vat_number: str
    vat_status: str  # valid | invalid | missing | not_required | unchecked | "" (unknown)
    charge_vat: bool = True


def party_of(customer: Any) -> Party:
    """A :class:`Party` from a Customer row, a customer-like object or an Invoice snapshot."""
    if isinstance(customer, Party):
        return customer
    get = customer.get if isinstance(customer, dict) else (
        lambda name, default=None: getattr(customer, name, default))
    number = get("vat_number", None)
    if number is None:
        number = get("customer_vat_number", "") or ""
    status = get("vat_status", "") or ""
    if not status and number:
        status = "valid" if eu_vat.is_valid(number) else "invalid"
    kind = get("kind", None) or ("company" if number else "consumer")
    charge = get("charge_vat", True)
    return Party(kind=kind, country=(get("visit_country", "") or get("country", "") or "").upper(),
                 vat_number=number or "", vat_status=status,
                 charge_vat=True if charge is None else bool(charge))


def _eu_country(party: Party) -> str:
    """The party's EU VAT country ("" when outside the EU VAT area for goods)."""
    cc = party.country.lower()
    if cc == "el":
        cc = "gr"
    prefix = party.vat_number[:2].upper()
    if cc == "gb" and prefix == "XI":
        return "XI"
    if is_eu(cc):
        return cc.upper()
    return ""


@dataclass(frozen=True)
class Treatment:
    regime: str
    rates: Rates
    note: str  # what the document says ("" when nothing special)
    warning: str  # a warning on the document ("" when none)
    customer_vat_number: str = ""

    @property
    def zero_rated(self) -> bool:
        return self.regime in ("intra_eu", "export", "not_charged")

    def rate(self, vat_class: str = "standard") -> Decimal:
        return ZERO if self.zero_rated else self.rates.of(vat_class)

    @property
    def text(self) -> str:
        """Note and warning as one text for a screen."""
        return " ".join(p for p in (self.note, self.warning) if p)


def treatment(customer: Any, home: str | None = None, rates: Rates | None = None) -> Treatment:
    """How VAT applies to ``customer`` (see the module description)."""
    party = party_of(customer)
    home = (home or home_country()).upper()
    rates = rates or home_rates()
    eu_cc = _eu_country(party)
    home_cc = "GR" if home == "EL" else home
    not_charged = Treatment("not_charged", rates, "No VAT charged for this customer (0 %).", "")
    if party.country in (home_cc, "") or eu_cc == home_cc:
        return Treatment("domestic", rates, "", "") if party.charge_vat else not_charged
    if not eu_cc:
        return Treatment("export", rates, "Export outside the EU: 0 % VAT.", "")
    # Reverse charge and export say why the rate is 0 % whether or not "charge VAT" is on.
    if not party.charge_vat and not (party.kind == "company" and party.vat_number
                                     and party.vat_status == "valid"):
        return not_charged
    if party.kind != "company":
        return Treatment(
            "eu_consumer", rates,
            f"Consumer in another EU country: {home_cc} VAT charged.", "")
    if party.vat_number and party.vat_status == "valid":
        seller = seller_vat_number() or "not set"
        return Treatment(
            "intra_eu", rates,
            f"VAT reverse-charged (BTW verlegd): intra-Community supply, 0 % VAT. "
            f"Our VAT number {seller}, customer VAT number {party.vat_number}.",
            "", party.vat_number,
        )
    why = "is invalid" if party.vat_number else "is missing"
    return Treatment(
        "eu_no_vat_number", rates, "",
        f"Warning: the customer's VAT number {why}, so the reverse charge cannot be applied; "
        f"{home_cc} VAT is charged.",
    )


def line_rate(customer: Any, vat_class: str = "standard") -> Decimal:
    return treatment(customer).rate(vat_class)


def document_note(customer: Any) -> str:
    """The VAT note for a quote, order or invoice of ``customer`` ("" when none)."""
    if customer is None:
        return ""
    return treatment(customer).text


def _pct(value: Decimal) -> str:
    return format(value.normalize(), "f")


def customer_note(customer_id: int | None) -> str:
    """The VAT note of the customer's documents, read from the database."""
    if customer_id is None:
        return ""
    from tradium_tui.models import Customer

    customer = Customer.get_or_none(Customer.id == customer_id)
    return document_note(customer) if customer is not None else ""


def customer_treatment(customer_id: int | None) -> Treatment | None:
    """How VAT applies to the customer's documents, read from the database (``None``
    without a customer)."""
    if not customer_id:
        return None
    from tradium_tui.models import Customer

    customer = Customer.get_or_none(Customer.id == customer_id)
    return treatment(customer) if customer is not None else None


def invoice_note(invoice: Any, customer: Any, rates_charged: list[Decimal]) -> str:
    """The VAT note of an invoice: the customer's treatment with the VAT number the invoice
    was issued to, shown only where it agrees with the rates the invoice charged (an
    invoice made before the customer moved or got a valid number keeps what it was)."""
    if customer is None:
        return ""
    snapshot = (getattr(invoice, "customer_vat_number", "") or "").strip()
    current = party_of(customer)
    status = current.vat_status if snapshot == current.vat_number else (
        ("valid" if eu_vat.is_valid(snapshot) else "invalid") if snapshot else "missing")
    found = treatment(Party(kind=current.kind, country=current.country, vat_number=snapshot,
                            vat_status=status, charge_vat=current.charge_vat))
    all_zero = bool(rates_charged) and all(Decimal(r) == 0 for r in rates_charged)
    if found.zero_rated and not all_zero:
        return ""
    if found.warning and all_zero:
        return ""
    return found.text
