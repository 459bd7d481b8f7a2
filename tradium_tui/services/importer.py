"""Bulk import of customers from CSV or ``.xlsx``, with the forms' validation.

The flow, for a file of any size:

1. read the table (:mod:`tabular`: encoding, separator, header aliases);
2. plan every row: a row whose customer number exists is a duplicate (``update`` fills in
   / changes the fields the row gives — empty cells are left alone — ``ignore`` leaves the
   customer alone); a row without a number, or with a new one, creates a customer.  Every
   value goes through :func:`validation.clean_customer`, exactly as in the form; big
   files are validated by a pool of processes;
3. unless it is a dry run, or a row was rejected and ``skip_invalid`` is off, write
   everything in ONE transaction with bulk statements: customers, tag links, updates
   (version + 1) and their audit rows, attributed to the importing user.

Re-running an import with ``update`` changes nothing the second time.  Reading
:class:`ImportReport` tells what happened (or would happen) row by row.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter as Tally
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee

from tradium_tui import db as dbmod
from tradium_tui.models import AuditRecord, Customer, CustomerTag, Tag, utcnow
from tradium_tui.services import audit, exporter, numbering, tabular, text_safety, validation
from tradium_tui.services.access import Actor
from tradium_tui.services.bulk import DerivedData, bulk_execute, bulk_insert
from tradium_tui.services.customers import (
    DuplicateMatch,
    clean_tag_name,
    name_lookup_forms,
    normalized_house_number,
    normalized_name,
)
from tradium_tui.services.errors import ServiceError, ValidationError

Progress = Callable[[str, int, int], None]
DUPLICATE_CHOICES = ("update", "ignore")
NOT_AUDITED = frozenset({"version", "created_at", "updated_at"})
# Rows per validation task, and from how many rows on a process pool is worth its start-up.
CHUNK = 2000
PARALLEL_FROM = 4000
IN_CHUNK = 900  # values per "IN (...)" query (SQLite allows 32766 variables; stay modest)

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
             "tipo", "tipo de cliente"),
    "name": ("naam", "bedrijfsnaam", "bedrijf", "firma", "firmanaam", "klantnaam", "company",
             "company name", "customer name", "customer", "nom", "raison sociale", "société",
             "nombre", "razón social", "empresa"),
    "title": ("aanhef", "titel", "salutation", "civilité", "tratamiento", "estado civil"),
    "first_name": ("voornaam", "firstname", "given name", "prénom", "nombre de pila"),
    "last_name": ("achternaam", "lastname", "surname", "family name", "nom de famille",
                  "apellido", "apellidos"),
    "email": ("e-mail", "emailadres", "e-mailadres", "email address", "mail", "mailadres",
              "courriel", "adresse e-mail", "correo", "correo electrónico"),
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
                       "groupe", "grupo de clientes", "grupo"),
    "condition_group": ("conditiegroep", "conditie groep"),
    "reference": ("referentie", "ref", "barcode", "klantkaart", "loyalty card", "référence",
                  "referencia"),
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


# --------------------------------------------------------------------------- report


def _short(value: str, width: int = 60) -> str:
    """A value for the report: on one line, escaped (never raw control characters), cut."""
    return text_safety.cut(" ".join(value.split()), width)


@dataclass
class RowIssue:
    """One problem with one value (or one row, when ``column`` is empty)."""

    row: int
    column: str
    value: str
    message: str
    level: str = "error"  # error | warning

    def text(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        column = f", column '{_short(self.column, 40)}'" if self.column else ""
        value = f", value '{_short(self.value)}'" if self.value.strip() else ""
        prefix = "warning: " if self.level == "warning" else ""
        return f"{where}{column}{value}: {prefix}{self.message}"


@dataclass
class ImportReport:
    """What an import did, or — for a dry run or a rejected file — would do."""

    what: str  # customers | orders
    source: str
    file_kind: str = ""
    dry_run: bool = False
    skip_invalid: bool = False
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0
    rejected: int = 0
    customers_created: int = 0  # orders: customers created from the orders
    customers_matched: int = 0  # orders: orders for customers that existed
    issues: list[RowIssue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about the file as a whole
    written: bool = False
    seconds: float = 0.0
    created_ids: list[int] = field(default_factory=list)

    @property
    def errors(self) -> list[RowIssue]:
        return [i for i in self.issues if i.level == "error"]

    @property
    def warnings(self) -> list[RowIssue]:
        return [i for i in self.issues if i.level == "warning"]

    @property
    def rows_with_warnings(self) -> int:
        return len({i.row for i in self.warnings})

    @property
    def exit_code(self) -> int:
        return 1 if self.rejected else 0

    @property
    def blocked(self) -> bool:
        """Nothing was written because rows were rejected (all-or-nothing)."""
        return bool(self.rejected) and not self.skip_invalid and not self.dry_run

    def detail_lines(self, include_warnings: bool = True) -> list[str]:
        lines = [f"note: {n}" for n in self.notes] if include_warnings else []
        for issue in sorted(self.issues, key=lambda i: (i.row, i.level != "error")):
            if issue.level == "warning" and not include_warnings:
                continue
            lines.append(issue.text())
        return lines

    def summary(self) -> str:
        noun = ("order" if self.what == "orders" else "row") + ("" if self.total == 1 else "s")
        future = self.dry_run or self.blocked
        if self.what == "orders":
            counts = [
                f"{self.created} {'to create' if future else 'created'}",
                f"{self.ignored} already imported",
                f"{self.rejected} rejected",
                f"{self.customers_created} new customers",
                f"{self.customers_matched} for known customers",
            ]
        else:
            counts = [
                f"{self.created} {'to create' if future else 'created'}",
                f"{self.updated} {'to update' if future else 'updated'}",
                f"{self.unchanged} unchanged",
                f"{self.ignored} ignored",
                f"{self.rejected} rejected",
            ]
        counts.append(f"{self.rows_with_warnings} with warnings")
        text = f"{self.source}: {self.total} {noun}: " + ", ".join(counts) + "."
        if self.dry_run:
            return text + " Dry run: nothing written."
        if self.blocked:
            unit = "order" if self.what == "orders" else "row"
            return text + (
                f" Nothing written: {self.rejected} {unit}{'' if self.rejected == 1 else 's'} "
                f"rejected (all or nothing; --skip-invalid writes the valid {unit}s)."
            )
        if not self.written:
            return text + (" Nothing else to write." if self.rejected else " Nothing to write.")
        if self.rejected:
            unit = "orders" if self.what == "orders" else "rows"
            return text + f" Valid {unit} written; rejected {unit} left out."
        return text + f" Done in {self.seconds:.1f} s."


class ImportConflict(ServiceError):
    """The database changed under the import between planning and writing."""


def report_progress(callback: Progress | None, phase: str, done: int, total: int) -> None:
    if callback is not None:
        callback(phase, done, total)


# --------------------------------------------------------------------------- headers


def customer_alias_index() -> dict[str, str]:
    """Normalised header → export column, including the admin's labels of custom fields."""
    index = tabular.alias_index(CUSTOMER_ALIASES)
    try:
        from tradium_tui.services.custom_fields import active_definitions

        for definition in active_definitions():
            key = tabular.normalise_header(definition.label)
            if key and key not in index:
                index[key] = definition.column
    except peewee.DatabaseError:
        pass
    return index


# --------------------------------------------------------------------------- validation


class StoredCustomer:
    """A stored customer as :func:`validation.clean_customer` reads it (picklable)."""

    def __init__(self, data: dict[str, Any]):
        self.__data__ = data

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["__data__"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getstate__(self):
        return self.__data__

    def __setstate__(self, state):
        self.__data__ = state


class NameResolver:
    """Resolves a group / condition group / user typed by name (or id) from a preloaded map."""

    def __init__(self, kind: str, by_name: dict[str, int], ids: set[int]):
        self.kind = kind
        self.by_name = by_name
        self.ids = ids

    def __call__(self, raw: Any) -> int | None:
        text = validation.clean_text(raw, 200) if raw is not None else ""
        if not text:
            return None
        if text in self.by_name:
            return self.by_name[text]
        folded = text.casefold()
        for name, ident in self.by_name.items():
            if name.casefold() == folded:
                return ident
        if text.isascii() and text.isdigit() and int(text) in self.ids:
            return int(text)
        raise validation.FieldError(f"There is no {self.kind} '{text[:40]}'.")


def load_resolvers() -> dict[str, Any]:
    from tradium_tui.models import ConditionGroup, CustomerGroup, User

    groups = dict(CustomerGroup.select(CustomerGroup.name, CustomerGroup.id).tuples())
    conditions: dict[str, int] = {}
    for ident, code, name in ConditionGroup.select(
        ConditionGroup.id, ConditionGroup.code, ConditionGroup.name
    ).tuples():
        conditions.setdefault(name, ident)
        conditions[code] = ident
    users = dict(User.select(User.username, User.id).tuples())
    return {
        "customer_group": NameResolver("customer group", groups, set(groups.values())),
        "condition_group": NameResolver("condition group", conditions, set(conditions.values())),
        "account_manager": NameResolver("user", users, set(users.values())),
        "custom_choices": validation.ChoiceChecker.from_database(),
    }


# (index, values, stored data or None) → (index, cleaned or None, warnings, errors)
Task = tuple[int, dict[str, Any], dict[str, Any] | None]
Outcome = tuple[int, dict[str, Any] | None, dict[str, str], dict[str, str]]


def validate_chunk(
    tasks: Sequence[Task], home_country: str, resolvers: dict[str, NameResolver]
) -> list[Outcome]:
    """Run the form validation over a chunk of rows (in this process or a worker)."""
    out: list[Outcome] = []
    for index, values, stored in tasks:
        proxy = StoredCustomer(stored) if stored is not None else None
        try:
            cleaned, warns = validation.clean_customer(
                values, proxy, home_country, resolvers=resolvers
            )
        except ValidationError as exc:
            out.append((index, None, dict(exc.warnings), dict(exc.errors)))
            continue
        out.append((index, cleaned, dict(warns), {}))
    return out


def _validate_star(args):
    return validate_chunk(*args)


def run_validation(
    tasks: list[Task],
    home_country: str,
    resolvers: dict[str, NameResolver],
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[Outcome]:
    """Validate every task; a pool of processes for big files, in order."""
    total = len(tasks)
    chunks = [tasks[i : i + CHUNK] for i in range(0, total, CHUNK)]
    results: list[Outcome] = []
    if workers is None:
        workers = min(os.cpu_count() or 1, 8)
    if workers > 1 and total >= PARALLEL_FROM:
        try:
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
                args = ((chunk, home_country, resolvers) for chunk in chunks)
                for part in pool.map(_validate_star, args):
                    results.extend(part)
                    report_progress(progress, "validating", len(results), total)
            return results
        except (OSError, BrokenProcessPool):  # no processes allowed here: do it in-process
            results = []
    for chunk in chunks:
        results.extend(validate_chunk(chunk, home_country, resolvers))
        report_progress(progress, "validating", len(results), total)
    return results


# --------------------------------------------------------------------------- values


def same_value(old: Any, new: Any) -> bool:
    """Whether a stored value and a cleaned one are the same (numbers compared as numbers)."""
    if isinstance(old, Decimal | int | float) and isinstance(new, Decimal | int | float):
        if isinstance(old, bool) or isinstance(new, bool):
            return bool(old) == bool(new)
        return Decimal(str(old)) == Decimal(str(new))
    if old in (None, "") and new in (None, ""):
        return True
    return audit.as_text(old) == audit.as_text(new)


def split_tags(text: str) -> tuple[list[str], str | None]:
    """``"vip, Beurs, vip"`` → ``["vip", "Beurs"]`` (the form's rule), or an error message."""
    names: list[str] = []
    seen: set[str] = set()
    for part in text.split(","):
        if not part.strip():
            continue
        try:
            name = clean_tag_name(part)
        except ValidationError as exc:
            return [], exc.errors.get("tags", str(exc))
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names, None


def tag_text(names: Iterable[str]) -> str:
    return exporter.TAG_SEPARATOR.join(sorted(names, key=str.casefold))


def parse_number(text: str) -> int | None:
    compact = text.strip().replace(" ", "")
    if compact.isascii() and compact.isdigit() and 0 < len(compact) < 16:
        return int(compact)
    return None


def _chunks(items: Sequence[Any], size: int = IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def existing_by_number(numbers: Iterable[int]) -> dict[int, dict[str, Any]]:
    found: dict[int, dict[str, Any]] = {}
    for part in _chunks(sorted(set(numbers))):
        for rec in Customer.select().where(Customer.number.in_(list(part))).dicts():
            found[rec["number"]] = rec
    return found


def tags_of(customer_ids: Iterable[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for part in _chunks(sorted(set(customer_ids))):
        query = (
            CustomerTag.select(CustomerTag.customer, Tag.name)
            .join(Tag)
            .where(CustomerTag.customer.in_(list(part)))
            .tuples()
        )
        for customer_id, name in query:
            found.setdefault(customer_id, []).append(name)
    return found


def references_in_use(references: Iterable[str]) -> dict[str, tuple[int, int]]:
    """reference → (customer id, number) for references already stored."""
    found: dict[str, tuple[int, int]] = {}
    for part in _chunks(sorted(set(references))):
        query = Customer.select(Customer.reference, Customer.id, Customer.number).where(
            Customer.reference.in_(list(part))
        )
        for ref, ident, number in query.tuples():
            found[ref] = (ident, number)
    return found


# --------------------------------------------------------------------------- planning


@dataclass
class PlannedCustomer:
    """One row's outcome: what will be written for it."""

    row: int
    action: str  # create | update | unchanged | ignore | reject
    number: int | None = None
    values: dict[str, Any] = field(default_factory=dict)  # create: cleaned; update: new values
    old: dict[str, Any] = field(default_factory=dict)  # update: stored values of changed fields
    tags: list[str] | None = None  # None: not given
    old_tags: list[str] = field(default_factory=list)
    customer_id: int | None = None
    version: int | None = None
    duplicate_of: list[int] = field(default_factory=list)  # numbers the duplicate guard found


class CustomerPlanner:
    """Turns rows of ``{column: text}`` into :class:`PlannedCustomer` and row issues.

    Used by the customer import (rows from a file) and by the orders import (customers
    made from orders).  ``column_labels`` maps export columns to the file's own header
    text, for messages.
    """

    def __init__(
        self,
        report: ImportReport,
        home_country: str,
        on_duplicate: str = "update",
        column_labels: dict[str, str] | None = None,
        progress: Progress | None = None,
        workers: int | None = None,
        no_duplicates: bool = False,
    ):
        self.report = report
        self.home_country = home_country
        self.on_duplicate = on_duplicate
        self.no_duplicates = no_duplicates  # refuse rows that look like a known customer
        self.column_labels = column_labels or {}
        self.progress = progress
        self.workers = workers

    def label(self, field_name: str) -> str:
        column = exporter.FIELD_COLUMN.get(field_name, field_name)
        return self.column_labels.get(column, column)

    def issue(self, row: int, field_name: str, value: Any, message: str, level: str = "error") -> None:
        self.report.issues.append(
            RowIssue(row, self.label(field_name), "" if value is None else str(value), message, level)
        )

    def plan(self, rows: list[tuple[int, dict[str, str]]]) -> list[PlannedCustomer]:
        """``rows``: (row number, {export column: cell text}) with every cell as read."""
        planned: list[PlannedCustomer] = []
        givens: list[dict[str, Any]] = []
        for row, cells in rows:
            given: dict[str, Any] = {}
            for column, text in cells.items():
                if column in COMPUTED_COLUMNS or column == "tags":
                    continue
                if text is None or not str(text).strip():
                    continue
                given[exporter.COLUMN_FIELD.get(column, column)] = text
            item = PlannedCustomer(row=row, action="create")
            if "number" in given:
                item.number = parse_number(str(given["number"]))
            tags_text = cells.get("tags") or ""
            if tags_text.strip():
                names, problem = split_tags(tags_text)
                if problem:
                    self.issue(row, "tags", tags_text, problem)
                    item.action = "reject"
                else:
                    item.tags = names
            planned.append(item)
            givens.append(given)

        # The same number twice in the file: no way to tell which row is right.
        seen: dict[int, list[int]] = {}
        for item in planned:
            if item.number is not None:
                seen.setdefault(item.number, []).append(item.row)
        for item in planned:
            if item.number is not None and len(seen[item.number]) > 1:
                rows_text = ", ".join(str(r) for r in seen[item.number])
                self.issue(
                    item.row, "number", str(item.number),
                    f"Customer number {item.number} appears more than once in the file "
                    f"(rows {rows_text}).",
                )
                item.action = "reject"

        existing = existing_by_number(n for n in seen)
        existing_tags = tags_of(rec["id"] for rec in existing.values())
        related = exporter.related_names() if existing else {}
        tasks: list[Task] = []
        for index, (item, given) in enumerate(zip(planned, givens, strict=True)):
            stored = existing.get(item.number) if item.number is not None else None
            if stored is not None:
                item.customer_id = stored["id"]
                item.version = stored["version"]
                if stored["deleted_at"] is not None:
                    self.issue(
                        item.row, "number", str(item.number),
                        f"Customer number {item.number} belongs to a deleted customer "
                        f"({stored['name']}); restore that customer or use another number.",
                    )
                    item.action = "reject"
                    continue
                if self.on_duplicate == "ignore":
                    if item.action != "reject":
                        item.action = "ignore"
                    continue
                item.old_tags = sorted(existing_tags.get(stored["id"], []), key=str.casefold)
                # As the form does on an edit: only the values that differ go to validation.
                for name in [n for n in given if n in stored]:
                    text = str(given[name]).replace("\r\n", "\n").strip()
                    if text == exporter.field_text(name, stored[name], related):
                        del given[name]
                if item.action != "reject":
                    item.action = "update" if given else "unchanged"
                if given:
                    tasks.append((index, given, stored))
            else:
                if (
                    "kind" not in given and "name" not in given
                    and ("last_name" in given or "first_name" in given)
                ):
                    given["kind"] = "consumer"
                tasks.append((index, given, None))

        resolvers = load_resolvers()
        outcomes = run_validation(tasks, self.home_country, resolvers, self.progress, self.workers)
        stored_of = {index: stored for index, _, stored in tasks}
        for index, cleaned, warns, errors in outcomes:
            item = planned[index]
            given = givens[index]
            for name, message in errors.items():
                self.issue(item.row, name, given.get(name, ""), message)
            for name, message in warns.items():
                self.issue(item.row, name, given.get(name, ""), message, level="warning")
            if errors or cleaned is None:
                item.action = "reject"
                continue
            if item.action == "reject":
                continue
            stored = stored_of[index]
            if stored is None:
                item.values = cleaned
                item.action = "create"
            else:
                changes = {
                    name: value
                    for name, value in cleaned.items()
                    if name not in NOT_AUDITED and not same_value(stored.get(name), value)
                }
                item.values = changes
                item.old = {name: stored.get(name) for name in changes}
                item.action = "update" if (changes or self._tags_changed(item)) else "unchanged"
        for item in planned:
            if item.action == "unchanged":
                item.action = "update" if self._tags_changed(item) else "unchanged"

        self._check_references(planned)
        self._duplicate_guard(planned)
        return planned

    @staticmethod
    def _tags_changed(item: PlannedCustomer) -> bool:
        """Whether the row gives other tags than stored (``item.tags`` is cleared if not)."""
        if item.tags is not None and tag_text(item.tags) != tag_text(item.old_tags):
            return True
        item.tags = None
        return False

    def _check_references(self, planned: list[PlannedCustomer]) -> None:
        """A reference (loyalty card) belongs to one customer only."""
        wanted: dict[str, list[PlannedCustomer]] = {}
        for item in planned:
            if item.action in ("create", "update") and item.values.get("reference"):
                wanted.setdefault(item.values["reference"], []).append(item)
        if not wanted:
            return
        for ref, items in wanted.items():
            if len(items) > 1:
                rows_text = ", ".join(str(i.row) for i in items)
                for item in items:
                    self.issue(item.row, "reference", ref,
                               f"The reference '{ref}' appears more than once in the file (rows {rows_text}).")
                    item.action = "reject"
        in_use = references_in_use(wanted)
        for ref, (ident, number) in in_use.items():
            for item in wanted.get(ref, []):
                if item.customer_id != ident and item.action != "reject":
                    self.issue(item.row, "reference", ref,
                               f"The reference '{ref}' already belongs to customer {number}.")
                    item.action = "reject"

    def _duplicate_guard(self, planned: list[PlannedCustomer]) -> None:
        """Rows without a number always create a customer; say when it looks like a known
        one (the form's duplicate guard, for the whole file at once) or like another row."""
        candidates = [p for p in planned if p.action == "create" and p.number is None]
        if not candidates:
            return
        for item, matches in find_duplicates_bulk(candidates):
            item.duplicate_of = [m.number for m in matches]
            for match in matches:
                deleted = ", deleted" if match.deleted else ""
                if self.no_duplicates:
                    self.issue(
                        item.row, "", "",
                        f"Looks like customer {match.number} ({match.name}{deleted}): "
                        f"{match.reason}; not imported (--no-duplicates).",
                    )
                    item.action = "reject"
                    continue
                self.issue(
                    item.row, "", "",
                    f"May be a duplicate of customer {match.number} ({match.name}{deleted}): "
                    f"{match.reason}; a row without a customer number always creates a new "
                    "customer.",
                    level="warning",
                )
        for key, label in DUPLICATE_KEY_LABELS.items():
            rows: dict[str, list[PlannedCustomer]] = {}
            for item in candidates:
                value = _duplicate_key(item.values, key)
                if value:
                    rows.setdefault(value, []).append(item)
            for items in rows.values():
                if len(items) < 2:
                    continue
                others = ", ".join(str(i.row) for i in items)
                for item in items:
                    self.issue(
                        item.row, "", "",
                        f"Rows {others} have {label}; each creates a new customer.",
                        level="warning",
                    )

    def count(self, planned: list[PlannedCustomer]) -> None:
        tally = Tally(p.action for p in planned)
        self.report.total += len(planned)
        self.report.created += tally["create"]
        self.report.updated += tally["update"]
        self.report.unchanged += tally["unchanged"]
        self.report.ignored += tally["ignore"]
        self.report.rejected += tally["reject"]


DUPLICATE_KEY_LABELS = {
    "vat_number": "the same VAT number",
    "coc_number": "the same KvK number",
    "iban": "the same IBAN",
    "email": "the same e-mail address",
    "phone": "the same phone number",
    "name": "the same name",
    "address": "the same postcode and house number",
}


def _duplicate_key(values: dict[str, Any], key: str) -> str:
    """A cleaned customer's value for one duplicate criterion (``""`` when it has none)."""
    if key == "name":
        name = values.get("name") or " ".join(
            str(values.get(k) or "").strip() for k in ("first_name", "last_name")
        ).strip()
        return normalized_name(name)
    if key == "address":
        postcode = values.get("visit_postcode") or ""
        house = normalized_house_number(values.get("visit_house_number"))
        return f"{postcode}\n{house}" if postcode and house else ""
    if key == "phone":
        return "\n".join(sorted({v for v in (values.get("phone"), values.get("mobile")) if v}))
    value = values.get(key) or ""
    return value.lower() if key == "email" else value


def find_duplicates_bulk(
    items: list[PlannedCustomer],
) -> list[tuple[PlannedCustomer, list[DuplicateMatch]]]:
    """Known customers that look like the new ones, by the criteria of the form's guard
    (:func:`customers.find_duplicates`): the same VAT number, chamber-of-commerce number,
    IBAN or e-mail address, or the same name in the same postcode; deleted ones too.

    The values are already cleaned, so they compare as stored; a few set queries serve
    the whole file instead of one query per row.
    """
    found: dict[int, dict[int, tuple[Any, list[str]]]] = {}
    columns = (
        Customer.id, Customer.number, Customer.name, Customer.vat_number, Customer.coc_number,
        Customer.iban, Customer.email, Customer.phone, Customer.mobile, Customer.visit_postcode,
        Customer.visit_house_number, Customer.deleted_at,
    )

    def add(index: int, row, reason: str) -> None:
        entry = found.setdefault(index, {}).setdefault(row.id, (row, []))
        if reason not in entry[1]:
            entry[1].append(reason)

    for key in ("vat_number", "coc_number", "iban", "email"):
        wanted: dict[str, list[int]] = {}
        for index, item in enumerate(items):
            value = _duplicate_key(item.values, key)
            if value:
                wanted.setdefault(value, []).append(index)
        if not wanted:
            continue
        search: list[str] = []
        for value, indexes in wanted.items():
            search.append(value)
            if key == "email":
                search.extend({items[i].values["email"] for i in indexes} - {value})
        column = getattr(Customer, key)
        for part in _chunks(sorted(set(search))):
            for row in Customer.select(*columns).where(column.in_(list(part))):
                stored = getattr(row, key)
                for index in wanted.get(stored.lower() if key == "email" else stored, []):
                    label = {
                        "vat_number": "same VAT number",
                        "coc_number": "same KvK number",
                        "iban": "same IBAN",
                        "email": "same e-mail address",
                    }[key]
                    add(index, row, f"{label} {stored}")
    _bulk_by_phone(items, columns, add)
    _bulk_by_name(items, columns, add)
    _bulk_by_address(items, columns, add)
    result: list[tuple[PlannedCustomer, list[DuplicateMatch]]] = []
    for index in sorted(found):
        matches = [
            DuplicateMatch(
                customer_id=row.id, number=row.number, name=row.name, reason="; ".join(reasons),
                deleted=row.deleted_at is not None,
            )
            for row, reasons in sorted(found[index].values(), key=lambda e: e[0].number)
        ]
        result.append((items[index], matches))
    return result


def _bulk_by_phone(items: list[PlannedCustomer], columns, add) -> None:
    wanted: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        for value in _duplicate_key(item.values, "phone").split("\n"):
            if value:
                wanted.setdefault(value, []).append(index)
    for part in _chunks(sorted(wanted)):
        values = list(part)
        query = Customer.select(*columns).where(Customer.phone.in_(values)) | Customer.select(
            *columns).where(Customer.mobile.in_(values))
        for row in query:
            for stored in dict.fromkeys(p for p in (row.phone, row.mobile) if p in wanted):
                for index in wanted[stored]:
                    add(index, row, f"same phone number {stored}")


def _bulk_by_name(items: list[PlannedCustomer], columns, add) -> None:
    wanted: dict[str, list[int]] = {}
    forms: set[str] = set()
    for index, item in enumerate(items):
        value = _duplicate_key(item.values, "name")
        if value:
            wanted.setdefault(value, []).append(index)
            forms.update(name_lookup_forms(item.values.get("name") or value))
    for part in _chunks(sorted(forms)):
        query = Customer.select(*columns).where(
            peewee.fn.LOWER(Customer.name).in_(list(part)) & Customer.deleted_at.is_null()
        )
        for row in query:
            for index in wanted.get(normalized_name(row.name), []):
                add(index, row, "same name")


def _bulk_by_address(items: list[PlannedCustomer], columns, add) -> None:
    wanted: dict[str, list[int]] = {}
    for index, item in enumerate(items):
        value = _duplicate_key(item.values, "address")
        if value:
            wanted.setdefault(value, []).append(index)
    postcodes = sorted({value.split("\n", 1)[0] for value in wanted})
    for part in _chunks(postcodes):
        for row in Customer.select(*columns).where(Customer.visit_postcode.in_(list(part))):
            key = f"{row.visit_postcode}\n{normalized_house_number(row.visit_house_number)}"
            for index in wanted.get(key, []):
                add(index, row, f"same address {row.visit_postcode} {row.visit_house_number}")


# --------------------------------------------------------------------------- writing


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


AUDIT_COLUMNS = ("at", "username", "customer_id", "table", "record_id", "action", "version",
                 "field", "old_value", "new_value")


def audit_rows(
    username: str, table: str, record_id: int, action: str, changes: dict[str, tuple[Any, Any]],
    customer_id: int | None, version: int, at,
) -> list[tuple]:
    """The rows :func:`audit.record` would write, as tuples for :func:`bulk_insert`.

    ``at`` is best given as text (:func:`stamp`): it is the same in every row.
    """
    if not changes:
        return [(at, username, customer_id, table, record_id, action, version, "", None, None)]
    as_text = audit.as_text
    return [
        (at, username, customer_id, table, record_id, action, version, name,
         old if old.__class__ is str else as_text(old),
         new if new.__class__ is str else as_text(new))
        for name, (old, new) in changes.items()
    ]


def snapshot_row(
    username: str, table: str, record_id: int, action: str, values: dict[str, Any],
    customer_id: int | None, version: int, at,
) -> tuple:
    """One audit row holding all of a new record's ``values`` (see :mod:`services.audit`),
    laid out as :func:`audit_rows` lays out its rows."""
    return (at, username, customer_id, table, record_id, action, version,
            audit.SNAPSHOT_FIELD, None, audit.snapshot_text(values))


def stamp(at) -> str:
    """A UTC time as the drivers store it (``YYYY-MM-DD HH:MM:SS.ffffff``)."""
    return at.isoformat(" ")


def write_audit(rows: list[tuple]) -> None:
    """Insert audit rows made by :func:`audit_rows` (plain text, numbers and UTC times)."""
    columns = [AuditRecord._meta.fields[c].column_name for c in AUDIT_COLUMNS]
    bulk_insert(AuditRecord, columns, rows)


AUDIT_BATCH = 100_000  # audit rows held in memory before they are written
BULK_TRIGGERS_FROM = 200  # new customers from which the per-row triggers' work is done in bulk


def suspend_row_triggers(count: int):
    """For many new customers, the schema's per-row upkeep (SQLite search index, order
    revenue for the ranking) done set-based instead of by per-row triggers.

    Per-row it costs more than the inserts, and on PostgreSQL the revenue trigger takes
    an advisory lock per customer, which a transaction of many thousands of customers
    runs out of.  Returns the :class:`~tradium_tui.services.bulk.DerivedData` (call
    ``rebuild(first_id, last_id)`` after the inserts, inside the same transaction) or
    ``None`` for a few rows.
    """
    if count < BULK_TRIGGERS_FROM:
        return None
    derived = DerivedData(dbmod.database.obj)
    derived.suspend()
    return derived


def reserve_customer_numbers(count: int) -> list[int]:
    """``count`` free customer numbers, taken from the counter as blocks."""
    numbers: list[int] = []
    while len(numbers) < count:
        need = count - len(numbers)
        first = numbering.reserve_block("customer", need)
        block = range(first, first + need)
        taken = set(
            Customer.select(Customer.number)
            .where(Customer.number.between(block.start, block.stop - 1))
            .tuples()
        )
        taken = {t[0] if isinstance(t, tuple) else t for t in taken}
        numbers.extend(n for n in block if n not in taken)
    return numbers


def _insert_defaults() -> list[tuple[str, peewee.Field]]:
    return [(name, fld) for name, fld in Customer._meta.fields.items() if name != "id"]


def _default_of(fld: peewee.Field) -> Any:
    default = fld.default
    return default() if callable(default) else default


class TagBook:
    """Tags by case-insensitive name; new ones are created on first use."""

    def __init__(self):
        self.ids: dict[str, int] = {
            name.casefold(): ident for ident, name in Tag.select(Tag.id, Tag.name).tuples()
        }
        self.names: dict[int, str] = {}

    def ensure(self, names: Iterable[str]) -> list[tuple[int, str]]:
        """Create the tags not known yet; returns the new ``(id, name)`` pairs."""
        missing: dict[str, str] = {}
        for name in names:
            if name.casefold() not in self.ids:
                missing.setdefault(name.casefold(), name)
        created: list[tuple[int, str]] = []
        if missing:
            bulk_insert(Tag, ["name"], [(n,) for n in missing.values()])
            for part in _chunks(list(missing.values())):
                for ident, name in Tag.select(Tag.id, Tag.name).where(Tag.name.in_(list(part))).tuples():
                    self.ids[name.casefold()] = ident
                    created.append((ident, name))
        return created

    def id_of(self, name: str) -> int:
        return self.ids[name.casefold()]


def write_customers(
    actor: Actor,
    planned: list[PlannedCustomer],
    progress: Progress | None = None,
) -> dict[int, int]:
    """Write the planned creates and updates (inside the caller's transaction).

    Returns ``{row: customer id}`` for the written rows.
    """
    now = utcnow()
    at = stamp(now)
    creates = [p for p in planned if p.action == "create"]
    updates = [p for p in planned if p.action == "update"]
    total = len(creates) + len(updates)
    written: dict[int, int] = {}
    _check_versions(updates)

    explicit = [p.number for p in creates if p.number is not None]
    if explicit:
        numbering.raise_to("customer", max(explicit))
    without = [p for p in creates if p.number is None]
    if without:
        for item, number in zip(without, reserve_customer_numbers(len(without)), strict=True):
            item.number = number
            item.values["number"] = number
    for item in creates:
        item.values["number"] = item.number

    # Cleaned values are what the columns hold (text, int ids, Decimal, bool, UTC times);
    # the drivers adapt them as peewee would.
    fields = _insert_defaults()
    columns = [fld.column_name for _, fld in fields]
    position = {name: i for i, (name, _) in enumerate(fields)}
    template = [_default_of(fld) for _, fld in fields]
    template[position["created_at"]] = now
    template[position["updated_at"]] = now
    template[position["version"]] = 1
    rows = []
    for item in creates:
        row = template.copy()
        for name, value in item.values.items():
            row[position[name]] = value
        rows.append(row)
    derived = suspend_row_triggers(len(rows))
    bulk_insert(Customer, columns, rows)
    report_progress(progress, "writing", len(creates) // 2, total)

    ids: dict[int, int] = {}
    for part in _chunks([p.number for p in creates]):
        ids.update(
            Customer.select(Customer.number, Customer.id).where(Customer.number.in_(list(part))).tuples()
        )
    if derived is not None:
        derived.rebuild(min(ids.values(), default=None), max(ids.values(), default=None))
    tags = TagBook()
    links: list[tuple[int, int]] = []
    audits: list[tuple] = []
    for ident, name in tags.ensure(
        n for p in planned if p.action in ("create", "update") and p.tags for n in p.tags
    ):
        audits.extend(
            audit_rows(actor.username, "tag", ident, "create", {"name": (None, name)}, None, 0, at)
        )
    for item in creates:
        ident = ids[item.number]
        item.customer_id = ident
        written[item.row] = ident
        values = {
            name: value
            for name, value in item.values.items()
            if value not in (None, "") and name not in NOT_AUDITED
        }
        if item.tags:
            links.extend((ident, tags.id_of(n)) for n in item.tags)
            values["tags"] = tag_text(item.tags)
        # One audit row with all the new customer's values (see services.audit).
        audits.append(snapshot_row(actor.username, "customer", ident, "create", values, ident, 1, at))
        if len(audits) >= AUDIT_BATCH:  # bounded memory for big files
            write_audit(audits)
            audits = []
            report_progress(progress, "writing", len(written), total)
    report_progress(progress, "writing", len(creates), total)

    groups: dict[tuple[str, ...], list[PlannedCustomer]] = {}
    for item in updates:
        groups.setdefault(tuple(sorted(item.values)), []).append(item)
    for names, items in groups.items():
        assignments = "".join(
            f"{_quote(Customer._meta.fields[n].column_name)} = ?, " for n in names
        )
        sql = (
            f"UPDATE {_quote(Customer._meta.table_name)} SET {assignments}"
            "version = version + 1, updated_at = ? WHERE id = ? AND version = ?"
        )
        params = [
            tuple(Customer._meta.fields[n].db_value(item.values[n]) for n in names)
            + (Customer._meta.fields["updated_at"].db_value(now), item.customer_id, item.version)
            for item in items
        ]
        bulk_execute(sql, params)
    removed: list[tuple[int, int]] = []
    for item in updates:
        written[item.row] = item.customer_id
        changes = {name: (item.old.get(name), value) for name, value in item.values.items()}
        if item.tags is not None:
            new = {n.casefold(): n for n in item.tags}
            old = {n.casefold(): n for n in item.old_tags}
            links.extend((item.customer_id, tags.id_of(n)) for k, n in new.items() if k not in old)
            removed.extend((item.customer_id, tags.id_of(n)) for k, n in old.items() if k not in new)
            changes["tags"] = (tag_text(item.old_tags), tag_text(item.tags))
        audits.extend(
            audit_rows(actor.username, "customer", item.customer_id, "update", changes,
                       item.customer_id, item.version + 1, at)
        )
    bulk_execute(
        f"DELETE FROM {_quote(CustomerTag._meta.table_name)} WHERE customer_id = ? AND tag_id = ?",
        removed,
    )
    bulk_insert(CustomerTag, ["customer_id", "tag_id"], links)
    write_audit(audits)
    report_progress(progress, "writing", total, total)
    return written


def _check_versions(updates: list[PlannedCustomer]) -> None:
    """Nobody may have changed a customer between planning and writing."""
    if not updates:
        return
    wanted = {p.customer_id: p for p in updates}
    current: dict[int, int] = {}
    for part in _chunks(sorted(wanted)):
        query = Customer.select(Customer.id, Customer.version).where(Customer.id.in_(list(part)))
        if dbmod.is_postgres():
            query = query.for_update()
        current.update(query.tuples())
    stale = [p for ident, p in wanted.items() if current.get(ident) != p.version]
    if stale:
        numbers = ", ".join(str(p.number) for p in stale[:5])
        more = f" and {len(stale) - 5} more" if len(stale) > 5 else ""
        raise ImportConflict(
            f"Customer {numbers}{more} changed while the import was being checked; nothing was "
            "written. Run the import again."
        )


def integrity_message(exc: peewee.IntegrityError) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "number" in text:
        return (
            "A customer number in the file was taken by someone else while the import ran; "
            f"nothing was written. Run the import again ({text})."
        )
    if "reference" in text:
        return (
            "A reference in the file was given to another customer while the import ran; "
            f"nothing was written. Run the import again ({text})."
        )
    return f"The import could not be written, nothing was written: {text}."


# --------------------------------------------------------------------------- the import


def import_customers(
    actor: Actor,
    path: str | Path,
    *,
    on_duplicate: str = "update",
    dry_run: bool = False,
    skip_invalid: bool = False,
    delimiter: str | None = None,
    encoding: str | None = None,
    home_country: str = "NL",
    progress: Progress | None = None,
    workers: int | None = None,
    no_duplicates: bool = False,
) -> ImportReport:
    """Import customers from a CSV or ``.xlsx`` file; see the module description.

    With ``no_duplicates`` a new row that looks like a known customer (the duplicate
    guard) is refused like an invalid row instead of only warned about.

    Raises :class:`tabular.UnusableFile` for a file that is not a table, and
    :class:`PermissionDenied` without the import/export right (or base-data right).
    """
    actor.require_import_export()
    actor.require_base_edit()
    if on_duplicate not in DUPLICATE_CHOICES:
        raise ServiceError(f"on_duplicate must be update or ignore, not {on_duplicate!r}.")
    started = time.perf_counter()
    report_progress(progress, "reading", 0, 0)
    table = tabular.read_table(path, delimiter=delimiter, encoding=encoding)
    return import_customer_table(
        actor, table, Path(path).name, on_duplicate=on_duplicate, dry_run=dry_run,
        skip_invalid=skip_invalid, home_country=home_country, progress=progress,
        workers=workers, started=started, no_duplicates=no_duplicates,
    )


def import_customer_table(
    actor: Actor,
    table: tabular.Table,
    source: str,
    *,
    on_duplicate: str = "update",
    dry_run: bool = False,
    skip_invalid: bool = False,
    home_country: str = "NL",
    progress: Progress | None = None,
    workers: int | None = None,
    started: float | None = None,
    no_duplicates: bool = False,
) -> ImportReport:
    actor.require_import_export()
    actor.require_base_edit()
    started = started if started is not None else time.perf_counter()
    report = ImportReport(
        what="customers", source=source, file_kind=table.describe(), dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    header_map = tabular.map_headers(table.headers, customer_alias_index())
    if not NAME_COLUMNS & set(header_map.fields):
        found = tabular.describe_headers(table.headers)
        raise tabular.UnusableFile(
            f"The file {source} has no column for the customer's name or number (a header such "
            f"as 'name', 'naam', 'last_name' or 'klantnummer'); its headers are: {found}."
        )
    for position, header in header_map.unknown:
        report.notes.append(
            f"column {position} '{header}' is not a customer field; its values were not imported."
        )
    for column in sorted(COMPUTED_COLUMNS & set(header_map.fields)):
        report.notes.append(
            f"column '{table.headers[header_map.position(column)].strip()}' follows from the other "
            "values and is not imported."
        )
    labels = {
        name: table.headers[i].strip() for i, name in enumerate(header_map.columns) if name
    }
    planner = CustomerPlanner(
        report, home_country, on_duplicate, labels, progress, workers, no_duplicates=no_duplicates
    )
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in table.rows:
        values, extra = tabular.row_values(header_map, cells)
        if extra:
            report.issues.append(
                RowIssue(number, f"#{extra[0]}", cells[extra[0] - 1],
                         f"The row has {len(cells)} cells but the header only "
                         f"{len(table.headers)} columns; check the separator and quotes.")
            )
            values["__reject__"] = "1"
        rows.append((number, values))
    report_progress(progress, "validating", 0, len(rows))
    rejected_rows = {r for r, v in rows if v.pop("__reject__", None)}
    planned = planner.plan(rows)
    for item in planned:
        if item.row in rejected_rows:
            item.action = "reject"
    planner.count(planned)
    if not planned:
        report.notes.append("the file has a header but no data rows.")
    if dry_run or report.blocked or not any(p.action in ("create", "update") for p in planned):
        report.seconds = time.perf_counter() - started
        return report
    report_progress(progress, "writing", 0, report.created + report.updated)
    try:
        with dbmod.write_transaction():
            written = write_customers(actor, planned, progress)
    except peewee.IntegrityError as exc:
        raise ImportConflict(integrity_message(exc)) from exc
    report.written = True
    report.created_ids = [written[p.row] for p in planned if p.action == "create"]
    report.seconds = time.perf_counter() - started
    return report
