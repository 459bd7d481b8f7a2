"""The customer file: its columns, the header names it is read by, and its value texts.

The customer export writes these columns and the customer import reads them back: a
file exported and imported again gives the same customers.  The import also understands
the usual Dutch, English, French and Spanish header names (:data:`CUSTOMER_ALIASES`), the
headings an export writes in each language (:mod:`.headings`) and the labels the admin gave
the custom fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import peewee

from tradium_tui.models import ConditionGroup, Customer, CustomerGroup, PriceList, User
from tradium_tui.services.custom_fields import active_definitions
from tradium_tui.services.transfer import tabular
from tradium_tui.services.transfer.headings import CUSTOMER_HEADINGS, add_headings
from tradium_tui.services.transfer.writing import format_decimal

# The customer export, in column order: (column name, model field).  The first 21 are the
# contract of the command line; the rest make the export complete, so that an import of
# the file gives back the same customers.  Columns whose field is a relation export the
# related record's name (group name, condition-group code, user name).
CUSTOMER_COLUMNS: list[tuple[str, str]] = [
    ("number", "number"),
    ("kind", "kind"),
    ("name", "name"),
    ("email", "email"),
    ("phone", "phone"),
    ("street", "visit_street"),
    ("house_number", "visit_house_number"),
    ("postcode", "visit_postcode"),
    ("city", "visit_city"),
    ("country", "visit_country"),
    ("vat_number", "vat_number"),
    ("vat_status", "vat_status"),
    ("coc_number", "coc_number"),
    ("iban", "iban"),
    ("bic", "bic"),
    ("credit_limit", "credit_limit"),
    ("customer_group", "customer_group"),
    ("reference", "reference"),
    ("ledger_account", "ledger_account"),
    ("mailing_code", "mailing_code"),
    ("tags", "tags"),
    ("title", "title"),
    ("first_name", "first_name"),
    ("last_name", "last_name"),
    ("mobile", "mobile"),
    ("fax", "fax"),
    ("website", "website"),
    ("postal_street", "postal_street"),
    ("postal_house_number", "postal_house_number"),
    ("postal_postcode", "postal_postcode"),
    ("postal_city", "postal_city"),
    ("postal_country", "postal_country"),
    ("bank_name", "bank_name"),
    ("region", "region"),
    ("account_manager", "account_manager"),
    ("condition_group", "condition_group"),
    ("language", "language"),
    ("discount_percent", "discount_percent"),
    ("document_template", "document_template"),
    ("price_list", "price_list"),
    ("auto_split_orders", "auto_split_orders"),
    ("charge_vat", "charge_vat"),
    ("remarks", "remarks"),
    ("order_remarks", "order_remarks"),
    ("opening_hours", "opening_hours"),
    ("logo_path", "logo_path"),
    ("custom_num", "custom_num"),
    ("custom_1", "custom_1"),
    ("custom_2", "custom_2"),
    ("custom_3", "custom_3"),
    ("custom_4", "custom_4"),
    ("custom_5", "custom_5"),
    ("custom_6", "custom_6"),
]
COLUMN_FIELD = dict(CUSTOMER_COLUMNS)
FIELD_COLUMN = {f: c for c, f in CUSTOMER_COLUMNS}
TAG_SEPARATOR = ", "

# Header names the import understands, per export column (the column's own name is
# always accepted too).  Case, accents, spaces, dashes, underscores and dots are ignored.
CUSTOMER_ALIASES: dict[str, tuple[str, ...]] = {
    "number": (
        "klantnummer", "klantnr", "klant nr", "customer number", "customer no", "customer nr",
        "customer id", "customerid", "debiteurnummer", "debiteur", "debiteurnr",
        "relatienummer", "relatienr", "nummer", "nr", "no", "numéro client", "n° client",
        "número de cliente", "code client", "account number",
    ),
    "kind": ("soort", "type", "klanttype", "klantsoort", "customer type", "type de client",
             "type de personne", "personne", "tipo", "tipo de cliente", "tipo de persona"),
    "name": ("naam", "bedrijfsnaam", "bedrijf", "firma", "firmanaam", "klantnaam", "company",
             "company name", "customer name", "customer", "nom", "raison sociale", "société",
             "nombre", "razón social", "empresa"),
    "title": ("aanhef", "titel", "salutation", "civilité", "tratamiento", "estado civil"),
    "first_name": ("voornaam", "firstname", "given name", "prénom", "nombre de pila"),
    "last_name": ("achternaam", "lastname", "surname", "family name", "nom de famille",
                  "apellido", "apellidos"),
    "email": ("e-mail", "emailadres", "e-mailadres", "email address", "mail", "mailadres",
              "courriel", "adresse e-mail", "adresse mail", "correo", "correo electrónico",
              "dirección de correo electrónico"),
    "phone": ("telefoon", "telefoonnummer", "tel", "telephone", "phone number", "téléphone",
              "teléfono"),
    "mobile": ("mobiel", "mobiel nummer", "mobielnummer", "gsm", "mobile phone", "cell phone",
               "portable", "móvil"),
    "fax": ("faxnummer", "telefax"),
    "website": ("web", "url", "homepage", "site", "site web", "sitio web", "internet"),
    "street": ("straat", "straatnaam", "adres", "address", "street name", "visit street",
               "bezoekadres", "vestigingsadres", "rue", "adresse", "calle", "dirección"),
    "house_number": ("huisnummer", "huisnr", "house no", "house nr", "housenumber",
                     "street number", "numéro de rue", "número"),
    "postcode": ("postal code", "zip", "zipcode", "zip code", "code postal", "código postal"),
    "city": ("plaats", "woonplaats", "stad", "vestigingsplaats", "town", "place", "ville",
             "ciudad", "localidad", "población"),
    "country": ("land", "landcode", "country code", "pays", "país"),
    "postal_street": ("postadres", "post straat", "poststraat", "postal address",
                      "mailing street"),
    "postal_house_number": ("post huisnummer", "posthuisnummer"),
    "postal_postcode": ("post postcode", "postpostcode"),
    "postal_city": ("postplaats", "post plaats", "post woonplaats"),
    "postal_country": ("postland", "post land"),
    "vat_number": ("btw-nummer", "btwnummer", "btw nr", "btw", "btw-id", "btw id", "vat",
                   "vat no", "vat id", "vat reg no", "tax number", "ust-idnr", "numéro de tva",
                   "tva", "n° tva", "tva intracommunautaire", "nif", "cif", "nif-iva",
                   "número de iva"),
    "vat_status": ("btw-status", "btw status"),
    "coc_number": ("kvk-nummer", "kvknummer", "kvk", "kvk nr", "kamer van koophandel",
                   "coc", "chamber of commerce", "chamber of commerce number",
                   "company registration number", "siren", "siret", "ondernemingsnummer"),
    "iban": ("rekeningnummer", "bankrekening", "bankrekeningnummer", "bank account",
             "iban-nummer"),
    "bic": ("swift", "swift-code", "swift/bic", "bic-code"),
    "bank_name": ("bank", "banknaam", "bank name"),
    "credit_limit": ("kredietlimiet", "krediet limiet", "kredietlimit", "limiet",
                     "maximaal openstaand saldo", "maximaal toegestaan openstaand saldo",
                     "credit", "limite de crédit", "límite de crédito"),
    "customer_group": ("klantgroep", "klanten groep", "groep", "group", "groupe client",
                       "groupe de clients", "groupes client", "groupe", "grupo de clientes",
                       "grupo de cliente", "grupo"),
    "condition_group": ("conditiegroep", "conditie groep"),
    "reference": ("referentie", "ref", "barcode", "klantkaart", "loyalty card", "référence",
                  "referencia", "code barre", "code-barres", "carte de fidélité",
                  "código de barras", "tarjeta de fidelidad"),
    "ledger_account": ("grootboekrekening", "grootboek", "grootboekrekeningnummer",
                       "ledger", "gl account", "numéro de compte", "compte comptable",
                       "número de cuenta", "cuenta contable"),
    "mailing_code": ("mailingcode", "mailing", "mailing group", "mailinggroep"),
    "tags": ("tag", "labels", "label", "kenmerken", "étiquettes", "etiquetas"),
    "region": ("rayon", "regio", "regio/rayon", "région", "región", "area"),
    "account_manager": ("verkoper", "accountmanager", "account manager", "vertegenwoordiger",
                        "sales rep", "salesperson", "commercial", "vendedor"),
    "language": ("taal", "voorkeurstaal", "preferred language", "lang", "locale", "langue",
                 "idioma"),
    "discount_percent": ("korting", "kortingspercentage", "korting %", "discount",
                         "discount %", "remise", "descuento"),
    "document_template": ("standaard template", "template", "sjabloon"),
    "price_list": ("prijslijst", "prijslijsten", "price lists"),
    "auto_split_orders": ("autosplit", "auto split", "split orders"),
    "charge_vat": ("bereken btw", "btw berekenen", "vat charged", "charge tax"),
    "remarks": ("opmerkingen", "opmerking", "notes", "comments", "remarques",
                "observaciones"),
    "order_remarks": ("standaard opmerkingen bij bestelling", "opmerkingen bij bestelling",
                      "bestelopmerkingen", "default order remarks"),
    "opening_hours": ("openingstijden", "openingsuren", "horaires", "horario"),
    "logo_path": ("logo", "miniatuur", "thumbnail"),
    "custom_num": (),
    "custom_1": (),
    "custom_2": (),
    "custom_3": (),
    "custom_4": (),
    "custom_5": (),
    "custom_6": (),
}
# Export columns the import reads but does not store: they follow from other values.
COMPUTED_COLUMNS = {"vat_status"}
NAME_COLUMNS = {"name", "last_name", "number"}


def tag_text(names: Iterable[str]) -> str:
    """A customer's tags as one cell: sorted without regard to case, comma-separated."""
    return TAG_SEPARATOR.join(sorted(names, key=str.casefold))


def customer_alias_index() -> dict[str, str]:
    """Normalised header → export column, including the admin's labels of custom fields."""
    index = add_headings(tabular.alias_index(CUSTOMER_ALIASES), CUSTOMER_HEADINGS)
    try:
        for definition in active_definitions():
            key = tabular.normalise_header(definition.label)
            if key and key not in index:
                index[key] = definition.column
    except peewee.DatabaseError:
        pass
    return index


# --------------------------------------------------------------------------- value texts


def decimal_places(field_name: str) -> int | None:
    fld = Customer._meta.fields[field_name]
    if field_name == "custom_num":
        return None
    return getattr(fld, "decimal_places", None)


DECIMAL_FIELDS = {
    name
    for name, fld in Customer._meta.fields.items()
    if isinstance(fld, peewee.DecimalField)
}
BOOL_FIELDS = {
    name
    for name, fld in Customer._meta.fields.items()
    if isinstance(fld, peewee.BooleanField)
}


def format_bool(value: Any) -> str:
    return "yes" if value else "no"


def related_names() -> dict[str, dict[int, str]]:
    """For the relation columns: id → the name the export shows (and the import reads)."""
    return {
        "customer_group": dict(CustomerGroup.select(CustomerGroup.id, CustomerGroup.name).tuples()),
        "condition_group": dict(ConditionGroup.select(ConditionGroup.id, ConditionGroup.code).tuples()),
        "account_manager": dict(User.select(User.id, User.username).tuples()),
        "price_list": dict(PriceList.select(PriceList.id, PriceList.name).tuples()),
    }


def field_text(name: str, value: Any, related: dict[str, dict[int, str]]) -> str:
    """A stored customer value as the export writes it (model field ``name``)."""
    if name in related:
        return related[name].get(value, "") if value else ""
    if name in BOOL_FIELDS:
        return format_bool(value)
    if name in DECIMAL_FIELDS:
        return format_decimal(value, decimal_places(name))
    return "" if value is None else str(value)
