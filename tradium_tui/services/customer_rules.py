"""The rules of a customer's values: which fields there are, and how a set of them is cleaned.

:func:`clean_customer` runs the field checks of :mod:`~tradium_tui.services.validation`
and :mod:`~tradium_tui.services.bank_accounts` over a customer's values, applies what
follows from the kind and the country (a consumer's name, postcodes and phone numbers of
the customer's country, company numbers only for companies, the VAT status) and reports
every field error at once (:class:`~tradium_tui.services.errors.ValidationError`).

A wrong VAT number is not an error: customers do give wrong numbers, so the number is
stored (normalised) with status ``invalid`` and a warning; see
:func:`~tradium_tui.services.validation.check_vat`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from tradium_tui.i18n import N_, _
from tradium_tui.models import Customer, utcnow
from tradium_tui.services import text_safety
from tradium_tui.services.bank_accounts import IbanCheck, check_bic, check_iban, same_bank
from tradium_tui.services.countries import check_country
from tradium_tui.services.custom_fields import CHOICE_COLUMNS, ChoiceChecker
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.groups import resolve_condition_group, resolve_customer_group
from tradium_tui.services.history import field_label
from tradium_tui.services.pricing import resolve_price_list
from tradium_tui.services.users import resolve_user
from tradium_tui.services.validation import (
    check_coc,
    check_email,
    check_kind,
    check_language,
    check_phone,
    check_postcode,
    check_vat,
    clean_text,
    normalize_website,
)
from tradium_tui.services.values import FieldError, as_text, parse_bool, parse_decimal, parse_int

ONE_LINE_FIELDS = (
    "title", "first_name", "last_name", "name",
    "visit_street", "visit_house_number", "visit_city",
    "postal_street", "postal_house_number", "postal_city",
    "region", "ledger_account", "document_template", "opening_hours", "logo_path",
    "bank_name",
    "custom_1", "custom_2", "custom_3", "custom_4", "custom_5", "custom_6",
)
MULTI_LINE_FIELDS = ("remarks", "order_remarks")
PHONE_FIELDS = ("phone", "mobile", "fax")
REFERENCE_FIELDS = ("account_manager", "customer_group", "condition_group", "price_list")
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

# How the messages name a field whose reason follows the name ("Credit limit must be …").
FIELD_LABELS = {
    "credit_limit": N_("Credit limit"), "discount_percent": N_("Discount percentage"),
    "custom_num": N_("The numeric field"), "mailing_code": N_("Mailing code"),
    "number": N_("Customer number"), "auto_split_orders": N_("Split orders automatically"),
    "charge_vat": N_("Charge VAT"),
}

# A resolver turns what was typed for a reference field (id, name) into an id, or raises
# FieldError; clean_customer's caller may pass cached ones (the importer does).
Resolver = Callable[[Any], int | None]

DEFAULT_RESOLVERS: dict[str, Resolver] = {
    "account_manager": resolve_user,
    "customer_group": resolve_customer_group,
    "condition_group": resolve_condition_group,
    "price_list": resolve_price_list,
}


@lru_cache(maxsize=1)
def _max_lengths() -> dict[str, int]:
    out: dict[str, int] = {}
    for name, fld in Customer._meta.fields.items():
        length = getattr(fld, "max_length", None)
        if isinstance(length, int):
            out[name] = length
    return out


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
    if not isinstance(values, dict):
        raise ValidationError({"values": _("The customer data must be a set of fields.")})
    run = _Cleaning(stored=stored, home=(home_country or "NL").upper(), lengths=_max_lengths())
    run.take(values)
    # Kind and country first: other fields depend on them.
    _kind_and_countries(run)
    _texts(run)
    _names(run)
    _postcodes(run)
    _contact_ways(run)
    _company_numbers(run, online)
    _bank(run)
    _numbers(run)
    _language_and_reference(run)
    _references(run, resolvers or {})
    for name, message in text_safety.check_values(Customer, run.out).items():
        run.errors.setdefault(name, message)
    if run.errors:
        raise ValidationError(run.errors, run.warns)
    return run.out, run.warns


_GIVEN = object()  # "the value given for the field", for _Cleaning.check


@dataclass
class _Cleaning:
    """One customer's values on their way through :func:`clean_customer`."""

    stored: Any
    home: str
    lengths: dict[str, int]
    given: dict[str, Any] = field(default_factory=dict)
    out: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    warns: dict[str, str] = field(default_factory=dict)
    kind: str = "company"
    country: str = ""
    postal_country: str = ""

    def take(self, values: dict[str, Any]) -> None:
        """Keep the editable fields; refuse the others, and text no field accepts."""
        for key, value in values.items():
            name = key if isinstance(key, str) else as_text(key)
            if name in COMPUTED_FIELDS:
                self.errors[name] = _("This field is computed and cannot be set.")
            elif name not in EDITABLE_FIELDS:
                self.errors[name] = _("This is not a customer field.")
            elif isinstance(value, str) and (unsafe := _unsafe_input(value)):
                self.errors[name] = unsafe  # refused before any parser sees it
            else:
                self.given[name] = value

    def fail(self, name: str, exc: FieldError) -> None:
        self.errors[name] = exc.for_field(_(FIELD_LABELS[name]) if name in FIELD_LABELS else field_label(name))

    def check(self, name: str, check: Callable[[Any], Any], raw: Any = _GIVEN) -> None:
        """``out[name]`` is ``check`` of the given value (or of ``raw``), else an error."""
        try:
            self.out[name] = check(self.given[name] if raw is _GIVEN else raw)
        except FieldError as exc:
            self.fail(name, exc)

    def stored_value(self, name: str, default: Any = "") -> Any:
        if self.stored is None:
            return default
        if name in REFERENCE_FIELDS:
            return self.stored.__data__.get(name)
        return getattr(self.stored, name, default)

    def effective(self, name: str) -> Any:
        """The value the customer will have: the cleaned one, else the stored one."""
        return self.out[name] if name in self.out else self.stored_value(name, "")

    def blank(self, name: str) -> bool:
        return as_text(self.given[name]).strip() == ""


def _unsafe_input(text: str) -> str | None:
    """What no field accepts, whatever it does with tabs and line breaks afterwards."""
    return text_safety.problem(text.replace("\r", "\n"), multiline=True)


def _kind_and_countries(run: _Cleaning) -> None:
    run.kind = run.stored_value("kind", "company") or "company"
    if "kind" in run.given:
        try:
            run.kind = check_kind(run.given["kind"])
            run.out["kind"] = run.kind
        except FieldError as exc:
            run.fail("kind", exc)
    stored_country = run.stored_value("visit_country", run.home) or run.home
    run.country = _country(run, "visit_country", stored_country)
    if not run.country:
        run.errors["visit_country"] = _("The country is required.")
        run.country = stored_country
    elif "visit_country" not in run.given and run.stored is None:
        run.out["visit_country"] = run.country
    run.postal_country = _country(run, "postal_country", run.stored_value("postal_country", "") or "")
    if not run.postal_country and "postal_country" in run.given:
        run.out["postal_country"] = ""  # cleared: the visiting address is the postal one


def _country(run: _Cleaning, name: str, fallback: str) -> str:
    """The country typed for ``name``: its code, "" when blank, ``fallback`` when it was not
    given or is not a country (an error)."""
    if name not in run.given:
        return fallback
    if run.blank(name):
        return ""
    try:
        code = check_country(run.given[name])
    except FieldError as exc:
        run.fail(name, exc)
        return fallback
    run.out[name] = code
    return code


def _texts(run: _Cleaning) -> None:
    for name in ONE_LINE_FIELDS:
        if name in run.given:
            run.check(name, lambda raw, n=name: clean_text(raw, run.lengths.get(n)))
    for name in MULTI_LINE_FIELDS:
        if name in run.given:
            run.check(name, lambda raw: clean_text(raw, None, multiline=True))


def _names(run: _Cleaning) -> None:
    """A company needs a name; a consumer a last name, and its name is derived."""
    if run.kind == "consumer":
        if "name" in run.errors and "name" in run.given:
            del run.errors["name"]  # a consumer's name is derived; what was typed is ignored
        if not run.effective("last_name") and "last_name" not in run.errors:
            run.errors["last_name"] = _("A consumer needs a last name.")
        if run.stored is None or {"first_name", "last_name", "kind", "name"} & run.given.keys():
            parts = (run.effective("first_name"), run.effective("last_name"))
            derived = " ".join(p for p in parts if p)
            if derived or "name" in run.out:
                run.out["name"] = derived[: run.lengths.get("name", 200)]
    elif not run.effective("name") and "name" not in run.errors:
        run.errors["name"] = _("A company needs a name.")


def _postcodes(run: _Cleaning) -> None:
    """Postcodes against their country (not while the country itself is wrong)."""
    updating = run.stored is not None
    if "visit_country" not in run.errors and (
        "visit_postcode" in run.given or ("visit_country" in run.out and updating)
    ):
        raw = run.given.get("visit_postcode", run.stored_value("visit_postcode", ""))
        run.check("visit_postcode", lambda text: check_postcode(text, run.country), raw)
    if "visit_country" not in run.errors and "postal_country" not in run.errors and (
        "postal_postcode" in run.given
        or (updating and ("postal_country" in run.out or "visit_country" in run.out))
    ):
        raw = run.given.get("postal_postcode", run.stored_value("postal_postcode", ""))
        country = run.postal_country or run.country
        run.check("postal_postcode", lambda text: check_postcode(text, country), raw)


def _contact_ways(run: _Cleaning) -> None:
    if "email" in run.given:
        run.check("email", check_email)
    for name in PHONE_FIELDS:
        if name in run.given:
            run.check(name, lambda raw: check_phone(raw, run.country))
    if "website" in run.given:
        run.check("website", normalize_website)


def _company_numbers(run: _Cleaning, online: bool) -> None:
    """The chamber-of-commerce and VAT numbers: only companies have them."""
    follows_change = run.stored is not None and bool({"visit_country", "kind"} & run.out.keys())
    if "coc_number" in run.given or follows_change:
        raw = run.given.get("coc_number", run.stored_value("coc_number", ""))
        try:
            coc = check_coc(raw, run.country)
            if coc and run.kind == "consumer":
                raise FieldError(
                    _("Only a company has a chamber-of-commerce number; clear it for a consumer."),
                    sentence=True,
                )
            if coc != run.stored_value("coc_number", None) or "coc_number" in run.given:
                run.out["coc_number"] = coc
        except FieldError as exc:
            run.fail("coc_number", exc)
    if "vat_number" in run.given or run.stored is None or follows_change:
        _vat_number(run, run.given.get("vat_number", run.stored_value("vat_number", "")), online)


def _vat_number(run: _Cleaning, raw: Any, online: bool) -> None:
    if as_text(raw).strip() and run.kind == "consumer":
        run.errors["vat_number"] = _("Only a company has a VAT number; clear it for a consumer.")
        return
    result = check_vat(raw, run.country, run.kind, run.home, online=online)
    if len(result.normalized) > run.lengths.get("vat_number", 20):
        run.errors["vat_number"] = _("Too long for a VAT number.")
        return
    run.out["vat_number"] = result.normalized
    run.out["vat_status"] = result.status
    run.out["vat_message"] = result.message[: run.lengths.get("vat_message", 200)]
    if result.checked_online:
        run.out["vat_checked_at"] = utcnow()
    if result.status in ("invalid", "missing", "unchecked"):
        run.warns["vat_number"] = result.shown


def _bank(run: _Cleaning) -> None:
    """IBAN gives BIC and bank name; a BIC typed by hand must fit the IBAN's country."""
    iban_info = _iban(run)
    if iban_info is not None:
        iban_country = iban_info.country
    elif "iban" not in run.given and run.stored_value("iban", ""):
        iban_country = run.stored_value("iban", "")[:2]
    else:
        iban_country = None
    if "bic" not in run.given:
        return
    text = as_text(run.given["bic"]).strip()
    if not text:
        run.out["bic"] = iban_info.bic if iban_info else ""
        return
    try:
        found = check_bic(text, iban_country)
    except FieldError as exc:
        run.fail("bic", exc)
        return
    run.out["bic"] = found.bic
    if iban_info and iban_info.bic and not same_bank(iban_info.bic, found.bic):
        run.warns["bic"] = _("The IBAN belongs to another bank (BIC {bic}).").format(
            bic=iban_info.bic)
    bank_name_kept = "iban" not in run.given and run.stored_value("bank_name", "")
    if found.bank_name and not (run.out.get("bank_name") or bank_name_kept):
        run.out["bank_name"] = found.bank_name


def _iban(run: _Cleaning) -> IbanCheck | None:
    """The typed IBAN checked (None when none was typed, it was cleared, or it is wrong)."""
    if "iban" not in run.given:
        return None
    text = as_text(run.given["iban"]).strip()
    if not text:
        run.out["iban"] = ""
        run.out.setdefault("bank_name", "")
        if "bic" not in run.given:
            run.out["bic"] = ""
        return None
    try:
        info = check_iban(text)
    except FieldError as exc:
        run.fail("iban", exc)
        return None
    run.out["iban"] = info.iban
    if "bic" not in run.given:
        run.out["bic"] = info.bic
    if info.bank_name or not run.out.get("bank_name"):
        run.out["bank_name"] = info.bank_name
    if not info.bank_known:
        run.warns["iban"] = _("Valid IBAN; bank unknown (no BIC or bank name is known "
                                "for it).")
    return info


def _numbers(run: _Cleaning) -> None:
    """Money, percentages, whole numbers and yes/no fields."""
    none = Decimal("0.00")
    readers: dict[str, Callable[[Any], Any]] = {
        "credit_limit": lambda raw: parse_decimal(raw, places=2, max_digits=14, minimum=0, default=none),
        "discount_percent": lambda raw: parse_decimal(
            raw, places=2, max_digits=5, minimum=0, maximum=100, default=none
        ),
        "custom_num": lambda raw: parse_decimal(raw, places=4, max_digits=14, required=False),
        "mailing_code": lambda raw: parse_int(raw, minimum=0, required=False),
    }
    for name, read in readers.items():
        if name in run.given:
            run.check(name, read)
    if "number" in run.given:
        try:
            number = parse_int(run.given["number"], minimum=1, maximum=10**15, required=False)
        except FieldError as exc:
            run.fail("number", exc)
        else:
            if number is not None:
                run.out["number"] = number
            elif run.stored is not None:
                run.errors["number"] = _("The customer number cannot be emptied.")
    for name in BOOL_FIELDS:
        if name in run.given:
            try:
                flag = parse_bool(run.given[name], default=None)
            except FieldError as exc:
                run.fail(name, exc)
            else:
                if flag is not None:
                    run.out[name] = flag


def _language_and_reference(run: _Cleaning) -> None:
    if "language" in run.given:
        if run.blank("language"):
            run.out["language"] = "nl" if run.home == "NL" else run.home.lower()
        else:
            run.check("language", lambda raw: check_language(as_text(raw).strip()))
    if "reference" in run.given:
        run.check("reference", lambda raw: clean_text(raw, run.lengths.get("reference", 64)) or None)


def _references(run: _Cleaning, resolvers: dict[str, Any]) -> None:
    """Group, condition group, price list and account manager by id or name; custom choices from their list."""
    for name in REFERENCE_FIELDS:
        if name in run.given:
            run.check(name, resolvers.get(name) or DEFAULT_RESOLVERS[name])
    chosen = [name for name in CHOICE_COLUMNS if run.out.get(name)]
    if chosen:
        check_choice = resolvers.get("custom_choices") or ChoiceChecker.from_database()
        for name in chosen:
            try:
                check_choice(name, run.out[name])
            except FieldError as exc:
                run.fail(name, exc)
