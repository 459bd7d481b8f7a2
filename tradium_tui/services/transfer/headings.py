"""Column headings in people's words: what an export writes with ``--headings nl|fr|es|en``
and what the imports read back.

By default an export writes its machine column names (``number``, ``vat_number``): the
contract other programs read.  Asked for a language, it writes that language's words for
the same columns ("Klantnummer", "N° de TVA", "NIF-IVA") from the catalogues, and the
imports understand the words of every language, so a file exported in French imports back
as it was.  The English words are marked here; the translations are in the catalogues.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from tradium_tui.i18n import LANGUAGES, N_, NP_, _, gettext_in, supported

# The customer file (services.transfer.customer_format.CUSTOMER_COLUMNS), column → words.
CUSTOMER_HEADINGS: dict[str, str] = {
    "number": N_("Customer number"),
    "kind": N_("Customer type"),
    # Not "Name": French and Spanish say "Nom" / "Nombre" for the last or first name too.
    "name": N_("Customer name"),
    "email": N_("E-mail"),
    "phone": N_("Phone"),
    "street": N_("Street"),
    "house_number": N_("House number"),
    "postcode": N_("Postcode"),
    "city": N_("City"),
    "country": N_("Country"),
    "vat_number": N_("VAT number"),
    "vat_status": N_("VAT status"),
    "coc_number": N_("CoC number"),
    "iban": N_("IBAN"),
    "bic": N_("BIC"),
    "credit_limit": N_("Credit limit"),
    "customer_group": N_("Customer group"),
    "reference": N_("Reference"),
    "ledger_account": N_("Ledger account"),
    "mailing_code": N_("Mailing code"),
    "tags": N_("Tags"),
    "title": N_("Title"),
    # TRANSLATORS: a column heading of the customer file; it must differ from the headings
    # "Customer name" and "Last name" (French "Nom", Spanish "Nombre" are taken).
    "first_name": NP_("heading", "First name"),
    # TRANSLATORS: a column heading of the customer file, unlike "Customer name" and "First name".
    "last_name": NP_("heading", "Last name"),
    "mobile": N_("Mobile"),
    "fax": N_("Fax"),
    "website": N_("Website"),
    "postal_street": N_("Postal street"),
    "postal_house_number": N_("Postal house number"),
    "postal_postcode": N_("Postal postcode"),
    "postal_city": N_("Postal city"),
    "postal_country": N_("Postal country"),
    "bank_name": N_("Bank name"),
    "region": N_("Region"),
    "account_manager": N_("Account manager"),
    "condition_group": N_("Condition group"),
    "language": N_("Language"),
    "discount_percent": N_("Discount %"),
    "document_template": N_("Document template"),
    "price_list": N_("Price list"),
    "auto_split_orders": N_("Split orders automatically"),
    "charge_vat": N_("Charge VAT"),
    "remarks": N_("Remarks"),
    "order_remarks": N_("Order remarks"),
    "opening_hours": N_("Opening hours"),
    "logo_path": N_("Logo"),
    "custom_num": N_("Variable field 0"),
    "custom_1": N_("Variable field 1"),
    "custom_2": N_("Variable field 2"),
    "custom_3": N_("Variable field 3"),
    "custom_4": N_("Variable field 4"),
    "custom_5": N_("Variable field 5"),
    "custom_6": N_("Variable field 6"),
}

ACCOUNTING_HEADINGS: dict[str, str] = {
    "invoice_number": N_("Invoice number"),
    "invoice_date": N_("Invoice date"),
    "due_date": N_("Due date"),
    "document": N_("Document"),
    "credited_invoice": N_("Credited invoice"),
    "customer_number": N_("Customer number"),
    "customer_name": N_("Customer name"),
    "ledger_account": N_("Ledger account"),
    "vat_number": N_("VAT number"),
    "vat_rate": N_("VAT rate"),
    "net": N_("Net"),
    "vat": N_("VAT amount"),
    "gross": N_("Gross"),
    "status": N_("Status"),
    "account_customer_number": N_("Account customer number"),
}

MAILING_HEADINGS: dict[str, str] = {
    "name": N_("Customer name"),
    "email": N_("E-mail"),
    "language": N_("Language"),
    "number": N_("Customer number"),
    "title": N_("Title"),
    "first_name": NP_("heading", "First name"),
    "last_name": NP_("heading", "Last name"),
}

ARTICLE_HEADINGS: dict[str, str] = {
    "code": N_("Article code"),
    "description": N_("Description"),
    "article_group": N_("Article group"),
    "unit": N_("Unit"),
    "sales_price": N_("Sales price"),
    "cost_price": N_("Cost price"),
    "vat_class": N_("VAT class"),
    "active": N_("Active"),
}


def check_headings(code: str | None) -> str | None:
    """``--headings``: ``None`` (the column names) or a supported language; ValueError else."""
    if code is None or not str(code).strip():
        return None
    found = supported(code)
    if found is None:
        raise ValueError(_("'{text}' is not a language for the headings; use one of {languages}.")
                         .format(text=str(code).strip()[:20], languages=", ".join(LANGUAGES)))
    return found


def headings(columns: Sequence[str], labels: Mapping[str, str], language: str | None) -> list[str]:
    """The header row for ``columns``: the column names without a language, else each
    column's words in ``language`` (the column name where it has none)."""
    if not language:
        return list(columns)
    return [gettext_in(language, labels[c]) if c in labels else c for c in columns]


def heading_aliases(labels: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """``{column: (its words in every language)}``, for an import's alias index."""
    return {column: _words(label) for column, label in labels.items()}


@lru_cache(maxsize=512)
def _words(label: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(gettext_in(code, label) for code in LANGUAGES))


def add_headings(index: dict[str, str], labels: Mapping[str, str]) -> dict[str, str]:
    """An import's header index (normalised header → column) with the headings of every
    language added.  An alias the index has already keeps its column (files that worked
    before read the same); the headings are chosen so that none of them is an alias of
    another column (a test exports in every language and reads the file back)."""
    from tradium_tui.services.transfer.tabular import normalise_header

    for column, words in heading_aliases(labels).items():
        for word in words:
            key = normalise_header(word)
            if key:
                index.setdefault(key, column)
    return index
