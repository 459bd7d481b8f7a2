"""Import of webshop orders (JSON lines or CSV); unknown customers are created from them.

For each order: find the customer by customer number, else by e-mail address; when
neither is known, create the customer from the order (name, contact person, e-mail,
invoice and delivery address, and where given language, phone, VAT number, remarks and
the charge-VAT setting) through the customer service — the form's validation, numbering
and audit.  Then store the order with its lines (``source='webshop'``,
``external_ref`` = the webshop's order number) through the order service, which
computes line amounts and totals in Decimal.  An order whose webshop number was
imported before is a duplicate and is left alone.

Atomicity as in the customer import: everything runs in one transaction, each order in
a savepoint; with rejected orders nothing is kept unless ``skip_invalid``, and a dry run
rolls everything back after reporting exactly what would have happened.  The format is
documented in ``docs/import-orders.md``.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee

from tradium_tui import db as dbmod
from tradium_tui.models import Customer, Order
from tradium_tui.services import contacts, customers, orders, text_safety, validation
from tradium_tui.services.access import Actor
from tradium_tui.services.errors import PermissionDenied, ServiceError, ValidationError
from tradium_tui.services.money import clean_lines, compute_totals
from tradium_tui.services.transfer import tabular
from tradium_tui.services.transfer.reports import (
    ImportReport,
    Progress,
    RowIssue,
    UnusableFile,
    report_progress,
)

ADDRESS_PARTS = ("name", "street", "house_number", "postcode", "city", "country")
ORDER_KEYS = (
    "order_number", "order_date", "customer_number", "email", "name", "company", "first_name",
    "last_name", "kind", "contact_person", "phone", "mobile", "language", "vat_number",
    "coc_number", "charge_vat", "customer_remarks", "remarks", "reference", "total_incl",
)
LINE_KEYS = ("article", "description", "quantity", "unit_price", "discount_percent", "vat_rate")
ADDRESS_KEYS = tuple(
    f"{kind}_{part}" for kind in ("invoice", "delivery") for part in ADDRESS_PARTS
)

# CSV header aliases (the key itself is always accepted; case, spaces, dashes ignored).
ORDER_ALIASES: dict[str, tuple[str, ...]] = {
    "order_number": ("ordernummer", "bestelnummer", "order number", "order no", "order nr",
                     "order id", "webshop order", "webshop ordernummer", "order",
                     "numéro de commande", "número de pedido"),
    "order_date": ("orderdatum", "besteldatum", "datum", "date", "order date", "created",
                   "date de commande", "fecha"),
    "customer_number": ("klantnummer", "klantnr", "customer number", "customer no",
                        "customer id", "debiteurnummer"),
    "email": ("e-mail", "emailadres", "e-mailadres", "email address", "mail", "courriel",
              "correo"),
    "name": ("naam", "klantnaam", "customer name", "billing name", "nom", "nombre"),
    "company": ("bedrijfsnaam", "bedrijf", "company name", "firma", "société", "empresa"),
    "first_name": ("voornaam", "firstname", "prénom"),
    "last_name": ("achternaam", "lastname", "surname", "nom de famille", "apellidos"),
    "kind": ("soort", "klanttype", "customer type"),
    "contact_person": ("contactpersoon", "contact", "contact name", "attn", "t.a.v."),
    "phone": ("telefoon", "telefoonnummer", "tel", "telephone", "phone number", "téléphone",
              "teléfono"),
    "mobile": ("mobiel", "gsm", "mobile phone"),
    "language": ("taal", "voorkeurstaal", "locale", "lang", "langue", "idioma"),
    "vat_number": ("btw-nummer", "btwnummer", "btw nr", "vat", "vat id", "tva", "nif"),
    "coc_number": ("kvk-nummer", "kvknummer", "kvk", "chamber of commerce"),
    "charge_vat": ("bereken btw", "btw berekenen", "vat charged", "charge tax"),
    "customer_remarks": ("klantopmerkingen", "opmerkingen klant", "customer notes"),
    "remarks": ("opmerkingen", "opmerking", "notes", "comments", "order remarks",
                "order notes", "remarques"),
    "reference": ("referentie", "uw referentie", "po number", "purchase order", "ref"),
    "total_incl": ("totaal", "totaal incl", "total", "order total", "grand total",
                   "total incl vat"),
    "invoice_name": ("factuurnaam", "billing company"),
    "invoice_street": ("factuurstraat", "factuur straat", "billing street", "straat",
                       "street", "address", "adres"),
    "invoice_house_number": ("factuur huisnummer", "billing house number", "huisnummer",
                             "house number"),
    "invoice_postcode": ("factuur postcode", "billing postcode", "billing zip", "postcode",
                         "zip", "postal code"),
    "invoice_city": ("factuurplaats", "factuur plaats", "billing city", "plaats",
                     "woonplaats", "city"),
    "invoice_country": ("factuurland", "factuur land", "billing country", "land",
                        "country"),
    "delivery_name": ("aflevernaam", "shipping name", "ship to name"),
    "delivery_street": ("afleverstraat", "aflever straat", "shipping street"),
    "delivery_house_number": ("aflever huisnummer", "shipping house number"),
    "delivery_postcode": ("aflever postcode", "shipping postcode", "shipping zip"),
    "delivery_city": ("afleverplaats", "aflever plaats", "shipping city"),
    "delivery_country": ("afleverland", "aflever land", "shipping country"),
    "article": ("artikel", "artikelnummer", "sku", "product code", "productcode",
                "item code", "référence article"),
    "description": ("omschrijving", "product", "productnaam", "product name", "item",
                    "désignation", "descripción"),
    "quantity": ("aantal", "qty", "amount", "quantité", "cantidad"),
    "unit_price": ("prijs", "stukprijs", "price", "unit price excl", "prijs excl", "prix",
                   "precio"),
    "discount_percent": ("korting", "korting %", "discount", "discount %", "remise"),
    "vat_rate": ("btw %", "btw-tarief", "btw tarief", "vat %", "vat rate", "tax rate",
                 "taux tva"),
}
# Customer fields filled from an order (order key → customer field).
CUSTOMER_FROM_ORDER = {
    "email": "email",
    "phone": "phone",
    "mobile": "mobile",
    "language": "language",
    "vat_number": "vat_number",
    "coc_number": "coc_number",
    "charge_vat": "charge_vat",
    "customer_remarks": "remarks",
    "kind": "kind",
    "first_name": "first_name",
    "last_name": "last_name",
}
ADDRESS_TO_CUSTOMER = {
    "street": "visit_street",
    "house_number": "visit_house_number",
    "postcode": "visit_postcode",
    "city": "visit_city",
    "country": "visit_country",
}


@dataclass
class WebOrder:
    """One order as read from the file, before anything is checked."""

    row: int  # the line (JSON) or first row (CSV) of the order
    values: dict[str, Any] = field(default_factory=dict)  # order keys and invoice_/delivery_ keys
    lines: list[dict[str, Any]] = field(default_factory=list)
    line_rows: list[int] = field(default_factory=list)
    problems: list[RowIssue] = field(default_factory=list)

    def text(self, key: str) -> str:
        value = self.values.get(key)
        return "" if value is None else str(value).strip()

    @property
    def number(self) -> str:
        return self.text("order_number")

    def address(self, kind: str) -> dict[str, str]:
        return {part: self.text(f"{kind}_{part}") for part in ADDRESS_PARTS}


# --------------------------------------------------------------------------- reading


def _is_json(path: Path, text: str) -> bool:
    if path.suffix.lower() in (".json", ".jsonl", ".ndjson"):
        return True
    if path.suffix.lower() in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
        return False
    return text.lstrip()[:1] in ("{", "[")


def read_orders(
    path: str | Path, delimiter: str | None = None, encoding: str | None = None
) -> tuple[list[WebOrder], str, list[str]]:
    """The orders in a file: ``(orders, description of the file, notes)``."""
    file = Path(path)
    if file.suffix.lower() in (".xlsx", ".xlsm"):
        return _orders_from_table(tabular.read_table(file), file.name)
    text, used = tabular.read_text(file, encoding)
    if not text.strip():
        raise UnusableFile(f"The file {file.name} is empty.")
    if _is_json(file, text):
        found, notes = _orders_from_json(text, file.name)
        return found, f"JSON, {used}", notes
    table = tabular.read_table(file, delimiter=delimiter, encoding=encoding)
    return _orders_from_table(table, file.name)


def _refuse_unsafe_text(order: WebOrder) -> None:
    """NUL and lone surrogates cannot be looked up or stored by any database: such an
    order is rejected before any query sees it (other control characters are refused by
    the validation of the field they land in)."""
    texts = [(key, value) for key, value in order.values.items()]
    for line in order.lines:
        texts.extend(line.items())
    for key, value in texts:
        if isinstance(value, str) and ("\x00" in value or any(0xD800 <= ord(c) <= 0xDFFF for c in value)):
            message = text_safety.problem(value, multiline=True) or "Cannot be stored."
            if not any(p.column == key for p in order.problems):
                order.problems.append(RowIssue(order.row, key, text_safety.cut(value, 40), message))


def _plain(value: Any) -> Any:
    """JSON values as the forms take them (text; numbers stay Decimal/int)."""
    if isinstance(value, bool | int | Decimal) or value is None:
        return value
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _orders_from_json(text: str, name: str) -> tuple[list[WebOrder], list[str]]:
    unknown: set[str] = set()
    items: list[tuple[int, Any]] = []
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise UnusableFile(
                f"The file {name} is not valid JSON (line {exc.lineno}: {exc.msg})."
            ) from exc
        if not isinstance(data, list):
            raise UnusableFile(f"The file {name} is not a list of orders.")
        items = [(i, item) for i, item in enumerate(data, start=1)]
    else:
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append((number, json.loads(line, parse_float=Decimal)))
            except json.JSONDecodeError as exc:
                items.append((number, exc))
    if items and all(isinstance(item, json.JSONDecodeError) for _, item in items):
        raise UnusableFile(
            f"The file {name} is not JSON lines: no line is a JSON object "
            f"(line {items[0][0]}: {items[0][1].msg})."
        )
    found: list[WebOrder] = []
    for row, item in items:
        order = WebOrder(row=row)
        found.append(order)
        if isinstance(item, json.JSONDecodeError):
            order.problems.append(RowIssue(row, "", "", f"Not valid JSON: {item.msg} (column {item.colno})."))
            continue
        if not isinstance(item, dict):
            order.problems.append(RowIssue(row, "", "", "An order must be a JSON object {...}."))
            continue
        for key, value in item.items():
            if key in ORDER_KEYS:
                order.values[key] = _plain(value)
            elif key in ("invoice_address", "delivery_address"):
                kind = key.split("_")[0]
                if isinstance(value, dict):
                    for part, part_value in value.items():
                        if part in ADDRESS_PARTS:
                            order.values[f"{kind}_{part}"] = _plain(part_value)
                        else:
                            unknown.add(f"{key}.{part}")
                elif value not in (None, ""):
                    order.problems.append(
                        RowIssue(row, key, str(value),
                                 "An address must be an object with street, house_number, "
                                 "postcode, city and country.")
                    )
            elif key in ADDRESS_KEYS:
                order.values[key] = _plain(value)
            elif key == "lines":
                if not isinstance(value, list):
                    order.problems.append(RowIssue(row, "lines", "", "The lines must be a list."))
                    continue
                for position, line in enumerate(value, start=1):
                    if not isinstance(line, dict):
                        order.problems.append(
                            RowIssue(row, f"lines[{position}]", "", "A line must be an object.")
                        )
                        continue
                    unknown.update(f"lines.{k}" for k in line if k not in LINE_KEYS)
                    order.lines.append({k: _plain(v) for k, v in line.items() if k in LINE_KEYS})
                    order.line_rows.append(row)
            else:
                unknown.add(key)
    notes = [f"the key '{key}' is not part of the order format and was not imported."
             for key in sorted(unknown)]
    return found, notes


def _orders_from_table(table: tabular.Table, name: str) -> tuple[list[WebOrder], str, list[str]]:
    index = tabular.alias_index(ORDER_ALIASES)
    header_map = tabular.map_headers(table.headers, index)
    notes = [
        f"column {position} '{header}' is not part of the order format and was not imported."
        for position, header in header_map.unknown
    ]
    if "order_number" not in header_map.fields:
        found = tabular.describe_headers(table.headers)
        raise UnusableFile(
            f"The file {name} has no order number column (a header such as 'order_number' or "
            f"'ordernummer'); its headers are: {found}."
        )
    orders_by_number: dict[str, WebOrder] = {}
    found: list[WebOrder] = []
    for row, cells in table.rows:
        values, extra = tabular.row_values(header_map, cells)
        number = (values.get("order_number") or "").strip()
        key = number or f"\0row{row}"
        order = orders_by_number.get(key)
        if order is None:
            order = WebOrder(row=row)
            orders_by_number[key] = order
            found.append(order)
        if extra:
            order.problems.append(
                RowIssue(row, f"#{extra[0]}", cells[extra[0] - 1],
                         f"The row has {len(cells)} cells but the header only "
                         f"{len(table.headers)} columns; check the separator and quotes.")
            )
        for column, text in values.items():
            if column in LINE_KEYS or not text.strip():
                continue
            have = order.values.get(column)
            if have in (None, ""):
                order.values[column] = text
            elif str(have).strip() != text.strip():
                order.problems.append(
                    RowIssue(row, table.headers[header_map.position(column)].strip(), text,
                             f"Order {number}: differs from '{have}' on an earlier row of the "
                             "same order.")
                )
        line = {k: values[k] for k in LINE_KEYS if values.get(k, "").strip()}
        if line:
            order.lines.append(line)
            order.line_rows.append(row)
    return found, table.describe(), notes


# --------------------------------------------------------------------------- one order


def _address_text(address: dict[str, str]) -> str:
    first = " ".join(p for p in (address["street"], address["house_number"]) if p)
    second = " ".join(p for p in (address["postcode"], address["city"]) if p)
    return "\n".join(p for p in (address["name"], first, second, address["country"]) if p)


def _split_name(name: str) -> tuple[str, str]:
    parts = name.split(None, 1)
    if len(parts) == 2:
        return parts[0], parts[1]
    return "", name


class OrderImporter:
    def __init__(self, actor: Actor, report: ImportReport):
        self.actor = actor
        self.report = report

    def issue(self, row: int, column: str, value: Any, message: str, level: str = "error") -> None:
        self.report.issues.append(
            RowIssue(row, column, "" if value is None else str(value), message, level)
        )

    # -- customers

    def find_customer(self, order: WebOrder) -> tuple[Customer | None, str | None]:
        """(customer, how it was found) — or (None, None) when it is new."""
        number_text = order.text("customer_number")
        if number_text:
            try:
                number = validation.parse_int(number_text, minimum=1, maximum=10**15,
                                              what="customer number")
            except validation.FieldError as exc:
                raise ValidationError({"customer_number": exc.message}) from None
            customer = Customer.get_or_none(Customer.number == number)
            if customer is not None:
                if customer.deleted_at is not None:
                    raise ValidationError({
                        "customer_number": f"Customer {number} ({customer.name}) is deleted; "
                        "restore it first."
                    })
                return customer, "number"
        email_text = order.text("email")
        if email_text:
            try:
                email = validation.check_email(email_text)
            except validation.FieldError as exc:
                raise ValidationError({"email": exc.message}) from None
            variants = sorted({email, email.lower(), email_text})
            matches = list(
                Customer.select()
                .where(Customer.email.in_(variants) & Customer.deleted_at.is_null())
                .order_by(Customer.number)
            )
            if not matches:
                matches = list(
                    Customer.select()
                    .where(
                        (peewee.fn.LOWER(Customer.email) == email.lower())
                        & Customer.deleted_at.is_null()
                    )
                    .order_by(Customer.number)
                )
            if matches:
                if len(matches) > 1:
                    others = ", ".join(str(c.number) for c in matches[1:4])
                    self.issue(
                        order.row, "email", email_text,
                        f"Several customers have this e-mail address; the order goes to "
                        f"customer {matches[0].number} (also: {others}).",
                        level="warning",
                    )
                return matches[0], "email"
        return None, None

    def customer_values(self, order: WebOrder) -> tuple[dict[str, Any], dict[str, str]]:
        """The new customer's values, and which order key each customer field came from.

        The kind is the order's ``kind`` when given, else a company when the order names
        a company or gives a VAT or chamber-of-commerce number, else a consumer.  A
        consumer's first and last name come from ``first_name``/``last_name``, else from
        ``name`` split at the first space.
        """
        values: dict[str, Any] = {}
        source: dict[str, str] = {}
        for key, name in CUSTOMER_FROM_ORDER.items():
            if order.text(key):
                values[name] = order.values[key]
                source[name] = key
        company, name, person = order.text("company"), order.text("name"), order.text("contact_person")
        if order.text("kind"):
            try:
                kind = validation.check_kind(order.text("kind"))
            except validation.FieldError:
                kind = ""  # the customer service reports it
        else:
            company_like = company or order.text("vat_number") or order.text("coc_number")
            kind = "company" if company_like else "consumer"
            values["kind"] = kind
        if kind == "consumer" and not (order.text("first_name") or order.text("last_name")):
            values["first_name"], values["last_name"] = _split_name(name or person)
            source["first_name"] = source["last_name"] = "name" if name else "contact_person"
        values["name"] = company or name or person
        source["name"] = "company" if company else ("name" if name else "contact_person")
        if order.text("customer_number"):
            values["number"] = order.values["customer_number"]
            source["number"] = "customer_number"
        kind_for_address = "invoice" if any(order.address("invoice").values()) else "delivery"
        address = order.address(kind_for_address)
        for part, field_name in ADDRESS_TO_CUSTOMER.items():
            if address[part]:
                values[field_name] = address[part]
                source[field_name] = f"{kind_for_address}_{part}"
        return values, source

    def create_customer(self, order: WebOrder) -> Customer:
        values, source = self.customer_values(order)
        try:
            result = customers.create_customer(self.actor, values, check_online=False)
        except ValidationError as exc:
            raise ValidationError(
                {source.get(k, k): v for k, v in exc.errors.items()},
                {source.get(k, k): v for k, v in exc.warnings.items()},
            ) from None
        for name, message in result.warnings.items():
            key = source.get(name, name)
            self.issue(order.row, key, order.values.get(key, ""), message, level="warning")
        for match in result.duplicates:
            self.issue(
                order.row, "", "",
                f"The new customer {result.customer.number} may be a duplicate of customer "
                f"{match.number} ({match.name}): {match.reason}.",
                level="warning",
            )
        customer = result.customer
        person = order.text("contact_person")
        if person and person != customer.name:
            self._contact(order, customer, {
                "kind": "person", "name": person, "email": order.values.get("email") or "",
                "phone": order.values.get("phone") or "", "mobile": order.values.get("mobile") or "",
                "is_primary": True,
            }, prefix="contact_person")
        delivery = order.address("delivery")
        invoice = order.address("invoice")
        if any(delivery.values()) and any(invoice.values()) and delivery != invoice:
            self._contact(order, customer, {
                "kind": "branch", "name": delivery["name"] or "Delivery address",
                "street": delivery["street"], "house_number": delivery["house_number"],
                "postcode": delivery["postcode"], "city": delivery["city"],
                "country": delivery["country"], "function": "delivery address",
            }, prefix="delivery")
        return customer

    def _contact(self, order: WebOrder, customer: Customer, values: dict[str, Any], prefix: str) -> None:
        try:
            contacts.create_contact(self.actor, customer.id, values)
        except ValidationError as exc:
            keys = {"name": prefix if prefix == "contact_person" else "delivery_name"}
            if prefix == "delivery":
                keys.update({p: f"delivery_{p}" for p in ADDRESS_PARTS})
            raise ValidationError({keys.get(k, k): v for k, v in exc.errors.items()}) from None

    # -- the order

    def import_one(self, order: WebOrder) -> str:
        """Store one order; returns ``'created'`` or ``'duplicate'``. Raises ValidationError."""
        if not order.number:
            raise ValidationError({"order_number": "The webshop order number is required."})
        exists = Order.select(Order.number).where(
            (Order.source == "webshop") & (Order.external_ref == order.number)
        ).first()
        if exists is not None:
            return "duplicate"
        # Check the lines and the customer look-up first, so every problem is reported.
        errors: dict[str, str] = {}
        if not order.lines:
            errors["lines"] = "The order has no lines."
        else:
            try:
                clean_lines(order.lines, with_delivery=True)
            except ValidationError as exc:
                errors.update(exc.errors)
        try:
            customer, _how = self.find_customer(order)
        except ValidationError as exc:
            errors.update(exc.errors)
        if errors:
            raise ValidationError(errors)
        if customer is None:
            customer = self.create_customer(order)
            self.report.customers_created += 1
        else:
            self.report.customers_matched += 1
        header = {
            "order_date": order.values.get("order_date") or None,
            "external_ref": order.number,
            "reference": order.text("reference"),
            "remarks": order.text("remarks"),
            "invoice_address": _address_text(order.address("invoice")),
            "delivery_address": _address_text(order.address("delivery")),
        }
        if header["order_date"] is None:
            header.pop("order_date")
        created = orders.create_order(
            self.actor, customer.id, header, order.lines, source="webshop", check_credit=False
        )
        over = orders.credit_check(customer.id, created.id, orders.order_lines(self.actor, created.id))
        if over is not None:
            self.issue(order.row, "total_incl", "", f"Credit limit exceeded: {over.describe()}.",
                       level="warning")
        expected = order.text("total_incl")
        if expected:
            try:
                given = validation.parse_decimal(expected, places=2, what="total")
            except validation.FieldError as exc:
                self.issue(order.row, "total_incl", expected, exc.message, level="warning")
            else:
                computed = compute_totals(order_lines_for_totals(order, customer.id)).incl
                if given is not None and given != computed:
                    self.issue(
                        order.row, "total_incl", expected,
                        f"The webshop total {given} differs from the total of the lines "
                        f"{computed} (stored: {created.total_incl}).",
                        level="warning",
                    )
        return "created"


def order_lines_for_totals(order: WebOrder, customer_id: int | None = None) -> list[dict[str, Any]]:
    """The lines as the order stores them: a line with an article code and no price or VAT
    rate gets the customer's price and VAT by the pricing rule (services/pricing.py)."""
    lines = order.lines
    if customer_id is not None:
        from tradium_tui.services import pricing

        lines = pricing.price_lines(customer_id, lines, with_cost=True)
    return clean_lines(lines, with_delivery=True)


def _report_errors(importer: OrderImporter, order: WebOrder, errors: dict[str, str]) -> None:
    for key, message in errors.items():
        row = order.row
        column = key
        value: Any = order.values.get(key, "")
        if key.startswith("lines."):
            parts = key.split(".")
            if len(parts) == 3 and parts[1].isdigit():
                position = int(parts[1])
                if position < len(order.line_rows):
                    row = order.line_rows[position]
                    column = parts[2] if len(order.line_rows) == len(set(order.line_rows)) else (
                        f"lines[{position + 1}].{parts[2]}"
                    )
                    value = order.lines[position].get(parts[2], "")
        importer.issue(row, column, value, message)


# --------------------------------------------------------------------------- the import


def import_orders(
    actor: Actor,
    path: str | Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    delimiter: str | None = None,
    encoding: str | None = None,
    home_country: str = "NL",
    progress: Progress | None = None,
) -> ImportReport:
    """Import webshop orders from ``path``; see the module description and the format doc.

    ``home_country`` is accepted for symmetry with the customer import; new customers
    are validated by the customer service with the configured home country.
    """
    actor.require_import_export()
    actor.require(orders.TAB, "edit")
    started = time.perf_counter()
    report_progress(progress, "reading", 0, 0)
    found, kind, notes = read_orders(path, delimiter=delimiter, encoding=encoding)
    report = ImportReport(
        what="orders", source=Path(path).name, file_kind=kind, dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    report.notes.extend(notes)
    report.total = len(found)
    if not found:
        report.notes.append("the file holds no orders.")
        report.seconds = time.perf_counter() - started
        return report
    importer = OrderImporter(actor, report)
    seen: dict[str, int] = {}
    created = 0
    with dbmod.write_transaction() as txn:
        for done, order in enumerate(found, start=1):
            _refuse_unsafe_text(order)
            if order.problems:
                report.issues.extend(order.problems)
                report.rejected += 1
                continue
            if order.number and order.number in seen:
                importer.issue(
                    order.row, "order_number", order.number,
                    f"Order {order.number} appears twice in the file (also at {seen[order.number]}).",
                )
                report.rejected += 1
                continue
            if order.number:
                seen[order.number] = order.row
            counts = (report.customers_created, report.customers_matched, len(report.issues))
            try:
                with dbmod.database.atomic():
                    outcome = importer.import_one(order)
            except PermissionDenied:
                raise
            except ValidationError as exc:
                report.customers_created, report.customers_matched = counts[:2]
                del report.issues[counts[2]:]
                _report_errors(importer, order, exc.errors)
                report.rejected += 1
            except ServiceError as exc:
                report.customers_created, report.customers_matched = counts[:2]
                del report.issues[counts[2]:]
                importer.issue(order.row, "", "", str(exc))
                report.rejected += 1
            else:
                if outcome == "duplicate":
                    report.ignored += 1
                else:
                    created += 1
            report_progress(progress, "importing", done, len(found))
        report.created = created
        keep = not dry_run and not (report.rejected and not skip_invalid) and created > 0
        if not keep:
            txn.rollback()
    report.written = keep
    report.seconds = time.perf_counter() - started
    return report
