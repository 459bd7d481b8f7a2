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
rolls everything back after reporting exactly what would have happened.  Reading the
file is :mod:`.order_file`; the format is documented in ``docs/import-orders.md``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import peewee

from tradium_tui import db as dbmod
from tradium_tui.i18n import _
from tradium_tui.models import Customer, Order
from tradium_tui.services import contacts, customers, orders, pricing, text_safety, validation
from tradium_tui.services.access import Actor
from tradium_tui.services.document_lines import clean_lines
from tradium_tui.services.errors import PermissionDenied, ServiceError, ValidationError
from tradium_tui.services.money import compute_totals
from tradium_tui.services.transfer.order_file import ADDRESS_PARTS, WebOrder, read_orders
from tradium_tui.services.transfer.reports import (
    ImportReport,
    Progress,
    RowIssue,
    report_progress,
)
from tradium_tui.services.values import FieldError, parse_decimal, parse_int

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
                number = parse_int(number_text, minimum=1, maximum=10**15)
            except FieldError as exc:
                raise ValidationError({"customer_number": exc.for_field(_("Customer number"))}) from None
            customer = Customer.get_or_none(Customer.number == number)
            if customer is not None:
                if customer.deleted_at is not None:
                    raise ValidationError({
                        "customer_number": _("Customer {number} ({name}) is deleted; restore it first.").format(number=number, name=customer.name)
                    })
                return customer, "number"
        email_text = order.text("email")
        if email_text:
            try:
                email = validation.check_email(email_text)
            except FieldError as exc:
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
                        _("Several customers have this e-mail address; the order goes to customer {number} (also: {others}).").format(number=matches[0].number, others=others),
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
            except FieldError:
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
                _("The new customer {number} may be a duplicate of customer {number2} ({name}): {reason}.").format(number=result.customer.number, number2=match.number, name=match.name, reason=match.reason),
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
            raise ValidationError({"order_number": _("The webshop order number is required.")})
        exists = Order.select(Order.number).where(
            (Order.source == "webshop") & (Order.external_ref == order.number)
        ).first()
        if exists is not None:
            return "duplicate"
        # Check the lines and the customer look-up first, so every problem is reported.
        errors: dict[str, str] = {}
        if not order.lines:
            errors["lines"] = _("The order has no lines.")
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
            self.issue(order.row, "total_incl", "", _("Credit limit exceeded: {describe}.").format(describe=over.describe()),
                       level="warning")
        expected = order.text("total_incl")
        if expected:
            try:
                given = parse_decimal(expected, places=2, required=False)
            except FieldError as exc:
                self.issue(order.row, "total_incl", expected, exc.for_field(_("The webshop total")),
                           level="warning")
            else:
                computed = compute_totals(order_lines_for_totals(order, customer.id)).incl
                if given is not None and given != computed:
                    self.issue(
                        order.row, "total_incl", expected,
                        _("The webshop total {given} differs from the total of the lines {computed} (stored: {total_incl}).").format(given=given, computed=computed, total_incl=created.total_incl),
                        level="warning",
                    )
        return "created"


def order_lines_for_totals(order: WebOrder, customer_id: int | None = None) -> list[dict[str, Any]]:
    """The lines as the order stores them: a line with an article code and no price or VAT
    rate gets the customer's price and VAT by the pricing rule (services/pricing.py)."""
    lines = order.lines
    if customer_id is not None:
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
        report.notes.append(_("the file holds no orders."))
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
                    _("Order {number} appears twice in the file (also at {seen}).").format(number=order.number, seen=seen[order.number]),
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
