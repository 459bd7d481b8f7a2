"""Reading webshop order files: JSON lines (or a JSON list) and CSV / ``.xlsx``.

A JSON order is one object per line; a table has one row per order line, the order's
own columns repeated (or left empty) on its further rows.  Keys and headers outside the
format are reported, not imported; nothing is checked against the database here (see
:mod:`.order_import`).  The format is documented in ``docs/import-orders.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from tradium_tui.i18n import _
from tradium_tui.services.transfer import tabular
from tradium_tui.services.transfer.reports import RowIssue, UnusableFile

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
        raise UnusableFile(_("The file {name} is empty.").format(name=file.name))
    if _is_json(file, text):
        found, notes = _orders_from_json(text, file.name)
        return found, f"JSON, {used}", notes
    table = tabular.read_table(file, delimiter=delimiter, encoding=encoding)
    return _orders_from_table(table, file.name)


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
                _("The file {name} is not valid JSON (line {line}: {reason}).").format(name=name, line=exc.lineno, reason=exc.msg)
            ) from exc
        if not isinstance(data, list):
            raise UnusableFile(_("The file {name} is not a list of orders.").format(name=name))
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
            _("The file {name} is not JSON lines: no line is a JSON object (line {line}: {reason}).").format(name=name, line=items[0][0], reason=items[0][1].msg)
        )
    found: list[WebOrder] = []
    for row, item in items:
        order = WebOrder(row=row)
        found.append(order)
        if isinstance(item, json.JSONDecodeError):
            order.problems.append(RowIssue(row, "", "", _("Not valid JSON: {reason} (column {colno}).").format(reason=item.msg, colno=item.colno)))
            continue
        if not isinstance(item, dict):
            order.problems.append(RowIssue(row, "", "", _("An order must be a JSON object {{...}}.").format()))
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
                                 _("An address must be an object with street, house_number, postcode, city and country."))
                    )
            elif key in ADDRESS_KEYS:
                order.values[key] = _plain(value)
            elif key == "lines":
                if not isinstance(value, list):
                    order.problems.append(RowIssue(row, "lines", "", _("The lines must be a list.")))
                    continue
                for position, line in enumerate(value, start=1):
                    if not isinstance(line, dict):
                        order.problems.append(
                            RowIssue(row, f"lines[{position}]", "", _("A line must be an object."))
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
            _("The file {name} has no order number column (a header such as 'order_number' or 'ordernummer'); its headers are: {headers}.").format(name=name, headers=found)
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
            order.problems.append(RowIssue.extra_cells(row, cells, extra, len(table.headers)))
        for column, text in values.items():
            if column in LINE_KEYS or not text.strip():
                continue
            have = order.values.get(column)
            if have in (None, ""):
                order.values[column] = text
            elif str(have).strip() != text.strip():
                order.problems.append(
                    RowIssue(row, table.headers[header_map.position(column)].strip(), text,
                             _("Order {number}: differs from '{have}' on an earlier row of the same order.").format(number=number, have=have))
                )
        line = {k: values[k] for k in LINE_KEYS if values.get(k, "").strip()}
        if line:
            order.lines.append(line)
            order.line_rows.append(row)
    return found, table.describe(), notes
