"""The demo's row generator: one customer after another from one random stream, with
contacts, actions, notes, tags, marks and conditions (:mod:`.documents` adds the quotes,
orders and invoices).  Same seed, same rows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from operator import itemgetter
from typing import Any

from tradium_tui.demo.addresses import address_text, house_number, postcode, slug
from tradium_tui.demo.batch import CUSTOMER_FIELDS, Batch
from tradium_tui.demo.database import DEMO_AUDIT_USER
from tradium_tui.demo.days import DAY, Calendar
from tradium_tui.demo.documents import Documents
from tradium_tui.demo.identities import (
    VAT_MAKERS,
    bank_code,
    coc_for,
    ean13,
    make_iban,
    phone_number,
    random_bban,
    spoil,
)
from tradium_tui.demo.ids import DocumentNumbers, Ids
from tradium_tui.demo.randomness import DemoRandom, Weighted
from tradium_tui.demo.report import SeedReport
from tradium_tui.demo.tables import (
    ACTION_SUBJECTS,
    ACTION_TEXTS,
    ACTION_TYPES_WEIGHTED,
    ACTIONS_BUSY,
    ACTIONS_COMPANY,
    ACTIONS_CONSUMER,
    ARTICLE_GROUPS,
    ARTICLES,
    BRANDS,
    CITIES,
    COMPANY,
    COMPANY_GROUP_CHOICES,
    COMPANY_MAILBOXES,
    COMPANY_SHARE,
    CONDITION_DISCOUNTS,
    CONSUMER_CREDIT_LIMITS,
    CONSUMER_DOMAINS,
    CONSUMER_GROUP_CHOICES,
    CONTACTS_COMPANY,
    COUNTRY_WEIGHTS,
    CREDIT_LIMITS,
    CUSTOMER_DISCOUNTS,
    CUSTOMER_REMARKS,
    DEMO_USERS,
    DOCTOR,
    DOCUMENT_TEMPLATES,
    EMPLOYEES,
    FUNCTIONS,
    GROUP_DISCOUNT,
    LANGUAGE,
    NAMES,
    NET_PRICE_FACTORS,
    NOTE_TEXTS,
    NOTES,
    NOTES_BUSY,
    OPENING_HOURS,
    ORDER_REMARKS,
    PINNED_NOTES,
    POST_BOX,
    STREETS,
    TAG_COUNTS,
    TITLES,
    TLD,
    ZERO_RATE,
)
from tradium_tui.models import Contact, Customer
from tradium_tui.services.bank_accounts import check_iban
from tradium_tui.services.money import CENT
from tradium_tui.services.validation import check_vat
from tradium_tui.services.vat import charged_by_default, home_rates, is_eu, vat_number_required


class Generator:
    """Builds the rows of one customer after another from one random stream.

    Dates are handled as ordinals and written as ISO text, moments as
    ``YYYY-MM-DD HH:MM:SS`` text (UTC) (see :mod:`.days`).
    """

    def __init__(self, rng: DemoRandom, today: dt.date, now: dt.datetime, home: str,
                 users: dict[str, int], groups: dict[str, int], condition_groups: dict[str, int],
                 tags: list[int], custom: dict[int, tuple], ids: Ids,
                 numbers: DocumentNumbers, price_lists: dict[str, int] | None = None):
        self.rng = rng
        self.calendar = calendar = Calendar(rng, today, now)
        self.home = home
        self.user_ids = list(users.values())
        self.groups = groups
        self.condition_groups = condition_groups
        self.price_lists = price_lists or {}
        self.tags = tags
        self.custom = custom
        self.ids = ids
        rates = home_rates()
        class_rates = {c: rates.of(c) for c in ("standard", "reduced", "zero")}
        self.documents = Documents(rng, calendar, ids, numbers, class_rates)
        self.template = _customer_template()
        self.customer_tuple = itemgetter(*CUSTOMER_FIELDS)
        self.countries = Weighted(COUNTRY_WEIGHTS.items())
        self.managers = Weighted(
            [(users[name], share) for name, _role, _display, share in DEMO_USERS]
            + [(None, 1000 - sum(share for *_rest, share in DEMO_USERS))]
        )
        self.action_types = Weighted(ACTION_TYPES_WEIGHTED)
        self.bank_cache: dict[tuple[str, str], tuple[str, str]] = {}
        self.no_vat_cache: dict[str, tuple[str, str, str]] = {}
        self.doc_start = calendar.today - 3 * 365

    # ------------------------------------------------------------------ helpers

    def _bank(self, iban: str) -> tuple[str, str]:
        """BIC and bank name of an IBAN's bank (looked up once per bank)."""
        key = (iban[:2], bank_code(iban))
        found = self.bank_cache.get(key)
        if found is None:
            checked = check_iban(iban)
            found = (checked.bic, checked.bank_name.strip())
            self.bank_cache[key] = found
        return found

    def _vat_for(self, country: str) -> tuple[str, str, str]:
        """VAT number, status and message of a company: mostly valid, some wrong, some missing."""
        rng = self.rng
        maker = VAT_MAKERS.get(country)
        number = ""
        if maker is not None:
            x = rng.random()
            missing = 0.12 if vat_number_required("company", country, self.home) else 0.03
            if x >= missing + 0.05:
                number = maker(rng)
            elif x >= missing:
                number = spoil(maker(rng), rng)
        if not number:
            cached = self.no_vat_cache.get(country)
            if cached is None:
                checked = check_vat("", country, "company", self.home)
                cached = self.no_vat_cache[country] = (
                    checked.normalized, checked.status, checked.message[:200])
            return cached
        checked = check_vat(number, country, "company", self.home)
        return checked.normalized, checked.status, checked.message[:200]

    # ------------------------------------------------------------------ one customer

    def customer(self, batch: Batch, cid: int, number: int, created: int,
                 report: SeedReport) -> None:
        """Rows of one customer created at ``created`` (seconds since 0001-01-01, UTC)."""
        rng = self.rng
        rand = rng.random
        choice = rng.choice
        cal = self.calendar
        clock = cal.clock
        country = self.countries.pick(rng)
        report.by_country[country] = report.by_country.get(country, 0) + 1
        city = choice(CITIES[country])
        city_name, _low, _high, area, region, culture = city
        language = LANGUAGE[culture]
        males, females, lasts = NAMES[culture]
        company = rand() * 1000 < COMPANY_SHARE[country]
        is_home = country == self.home
        eu = is_eu(country)
        tld = TLD[country]
        created_day = created // DAY
        created_text = f"{cal.text(created_day)} {clock[created % DAY]}"
        if rand() < 0.4:
            updated = created + int(rand() * max(cal.now_second - created, 0))
            updated_text = f"{cal.text(updated // DAY)} {clock[updated % DAY]}"
        else:
            updated_text = created_text

        row = dict(self.template)
        row.update(
            id=cid, number=number, created_at=created_text, updated_at=updated_text, version=1,
            visit_country=country, visit_city=city_name, visit_postcode=postcode(country, city, rng),
            visit_street=choice(STREETS[culture]), visit_house_number=house_number(culture, rng),
            region=region, language=language,
        )
        domain = ""
        if company:
            forms, sectors, _lang = COMPANY[culture]
            pattern = rand()
            last = choice(lasts)
            if pattern < 0.35:
                base = f"{last} {choice(sectors)}"
            elif pattern < 0.6:
                base = f"{choice(BRANDS[country])} {choice(sectors)}"
            elif pattern < 0.75:
                base = f"{choice(sectors)} {city_name.split(',')[0]}"
            elif pattern < 0.9:
                other = choice(lasts)
                if other != last:
                    base = f"{last} & {other}"
                else:
                    base = f"{last} & Zonen" if language == "nl" else f"{last} & Co"
            else:
                base = f"{choice(BRANDS[country])}{choice(('tec', 'line', 'pro', 'mark', 'trade'))}"
            domain = f"{slug(base)}.{tld}"
            vat, status, message = self._vat_for(country)
            row.update(
                kind="company",
                name=f"{base} {choice(forms)}".strip()[:200],
                website=f"https://www.{domain}" if rand() < 0.85 else "",
                email=f"{choice(COMPANY_MAILBOXES[language])}@{domain}",
                phone=phone_number(country, area, rng),
                mobile=phone_number(country, area, rng, mobile=True) if rand() < 0.3 else "",
                fax=phone_number(country, area, rng) if rand() < 0.08 else "",
                opening_hours=choice(OPENING_HOURS) if rand() < 0.7 else "",
                vat_number=vat, vat_status=status, vat_message=message,
                vat_checked_at=updated_text if vat else None,
                credit_limit=choice(CREDIT_LIMITS),
                ledger_account=str(number) if rand() < 0.35 else "",
                auto_split_orders=rand() < 0.15,
                discount_percent=choice(CUSTOMER_DISCOUNTS),
            )
            if country in ("NL", "DE", "GB") or status == "valid":
                row["coc_number"] = coc_for(country, vat if status == "valid" else "", rng)
            group = choice(COMPANY_GROUP_CHOICES)
            busy = group == "Key accounts"
            if rand() < 0.12 and country in POST_BOX:
                row.update(
                    postal_street=POST_BOX[country], postal_house_number=str(rng.randint(10, 9999)),
                    postal_postcode=postcode(country, city, rng), postal_city=city_name,
                    postal_country=country,
                )
            if 1 in self.custom and rand() < 0.8:
                row["custom_1"] = choice(self.custom[1])
            if 0 in self.custom and rand() < 0.6:
                row["custom_num"] = choice(EMPLOYEES)
            if 3 in self.custom and rand() < 0.4:
                row["custom_3"] = choice(self.custom[3])
            if rand() < 0.15:
                row["order_remarks"] = choice(ORDER_REMARKS)
            if rand() < 0.3:
                row["condition_group"] = self.condition_groups[
                    choice(("STD", "VOL", "PRJ")) if eu else "EXP"]
            contact_count = choice(CONTACTS_COMPANY)
        else:
            male = rand() < 0.5
            first = choice(males if male else females)
            last = choice(lasts)
            if culture == "es_ES":
                second = choice(lasts)
                if second != last:
                    last = f"{last} {second}"
            title = TITLES[language][0 if male else 1] if rand() >= 0.03 else DOCTOR[language]
            x = rand()
            if x < 0.4:
                local = slug(f"{first} {last}", ".")
            elif x < 0.7:
                local = slug(f"{first[0]} {last}")
            else:
                local = f"{slug(first + last)}{rng.randint(1, 99)}"
            row.update(
                kind="consumer", title=title, first_name=first, last_name=last,
                name=f"{first} {last}",
                email=f"{local}@{choice(CONSUMER_DOMAINS[country])}" if rand() < 0.9 else "",
                phone=phone_number(country, area, rng) if rand() < 0.45 else "",
                mobile=phone_number(country, area, rng, mobile=True) if rand() < 0.85 else "",
                vat_status="not_required", credit_limit=choice(CONSUMER_CREDIT_LIMITS),
            )
            group = choice(CONSUMER_GROUP_CHOICES) if rand() >= 0.01 else "Staff"
            busy = False
            if rand() < 0.4:
                row["reference"] = ean13(number)
            if 5 in self.custom and rand() < 0.5:
                row["custom_5"] = choice(self.custom[5])
            contact_count = 1 if rand() < 0.15 else 0

        bban = random_bban(country, rng, city_name)
        if bban and rand() < (0.92 if company else 0.7):
            iban = make_iban(country, bban)
            row["iban"] = iban
            row["bic"], row["bank_name"] = self._bank(iban)
        if company and rand() < 0.04:
            row["reference"] = ean13(number)
        manager = self.managers.pick(rng)
        row["account_manager"] = manager
        row["customer_group"] = self.groups.get(group) if group else None
        row["mailing_code"] = rng.randint(1, 9) if rand() < 0.4 else None
        charge_vat = charged_by_default(row["kind"], country, row["vat_status"], self.home)
        row["charge_vat"] = charge_vat
        row["document_template"] = choice(DOCUMENT_TEMPLATES) if is_home else "export"
        # The wholesale and key-account groups buy from their price list; the others pay
        # the sales price.
        row["price_list"] = self.price_lists.get(group) if group else None
        if rand() < 0.12:
            row["remarks"] = choice(CUSTOMER_REMARKS)
        if 2 in self.custom and rand() < 0.5:
            row["custom_2"] = choice(self.custom[2])
        if rand() < 0.005:
            row["deleted_at"] = updated_text
        own_discount = row["discount_percent"]
        for name in ("credit_limit", "discount_percent", "custom_num"):
            row[name] = _str(row[name])
        batch.customers.append(self.customer_tuple(row))
        batch.audit.append((created_text, DEMO_AUDIT_USER, cid, "customer", cid, "create", 1, "",
                            None, row["name"]))

        user_ids = self.user_ids
        author = manager or choice(user_ids)
        # Contacts: people (one primary), now and then a branch.
        contact_ids = self.ids.take(Contact, contact_count) if contact_count else []
        for i, contact_id in enumerate(contact_ids):
            first = choice(males if rand() < 0.5 else females)
            last = choice(lasts)
            if company:
                email = f"{slug(first)}.{slug(last)}@{domain}" if rand() < 0.85 else ""
                function = choice(FUNCTIONS[language])
            else:
                email, function = "", "Partner"
            batch.contacts.append((
                contact_id, cid, "person", f"{first} {last}", function, email,
                phone_number(country, area, rng) if rand() < 0.5 else "",
                phone_number(country, area, rng, mobile=True) if rand() < 0.7 else "",
                "", "", "", "", "", i == 0, "", 1, created_text, created_text,
            ))
        if company and rand() < 0.08:
            other = choice(CITIES[country])
            branch_id = self.ids.take(Contact, 1)[0]
            batch.contacts.append((
                branch_id, cid, "branch", f"{row['name']} – {other[0].split(',')[0]}", "Branch",
                "", phone_number(country, other[3], rng), "", choice(STREETS[other[5]]),
                house_number(other[5], rng), postcode(country, other, rng), other[0], country,
                False, "", 1, created_text, created_text,
            ))
            contact_ids.append(branch_id)
        report.contacts += len(contact_ids)

        start = max(created_day, self.doc_start)
        today = cal.today
        last = today - 1  # history ends yesterday: nothing happened later than now
        # Actions: contact moments, appointments and tasks; some open, some overdue.
        action_count = choice(ACTIONS_BUSY if busy else ACTIONS_COMPANY if company else ACTIONS_CONSUMER)
        for _ in range(action_count):
            kind = self.action_types.pick(rng)
            day = cal.day(start, last)
            user = manager if (manager and rand() < 0.8) else choice(user_ids)
            if (kind in ("task", "appointment") and rand() < 0.6) or rand() < 0.08:
                if kind == "appointment":  # made some days before the date it is for
                    planned = today + rng.randint(-10, 30)
                    day = max(start, min(day, planned - rng.randint(1, 20)))
                    follow = cal.text(max(planned, day + 1))
                else:
                    follow = cal.text(day + rng.randint(1, 21))
                when, second = cal.moment(day)
                status, completed = "open", None
            else:
                when, second = cal.moment(day)
                follow = cal.text(day + rng.randint(7, 30)) if rand() < 0.2 else None
                status = "done"
                completed = f"{cal.text(day)} {clock[second + 60 * rng.randint(5, 90)]}"
            batch.actions.append((
                cid, choice(contact_ids) if contact_ids and rand() < 0.6 else None, kind,
                choice(ACTION_SUBJECTS[kind]), choice(ACTION_TEXTS) if rand() < 0.7 else "",
                when, follow, status, user, completed, 1, when, completed or when,
            ))
        report.actions += action_count

        # Notes, some pinned.
        for _ in range(choice(NOTES_BUSY if busy else NOTES)):
            pinned = rand() < 0.15
            when, _second = cal.moment(cal.day(start, last))
            batch.notes.append((cid, choice(PINNED_NOTES if pinned else NOTE_TEXTS), author,
                                pinned, 1, when, when))
            report.notes += 1

        # Tags and per-user marks.
        if self.tags:
            for tag_id in {choice(self.tags) for _ in range(choice(TAG_COUNTS))}:
                batch.tag_links.append((cid, tag_id))
        for user_id in user_ids:
            if rand() < 0.02:
                batch.marks.append((user_id, cid, cal.now_text))

        # Conditions: discounts per article group, net prices, payment terms.
        payment_term = 30 if company else 14
        if company and rand() < (0.8 if busy else 0.2):
            for _ in range(rng.randint(1, 3)):
                kind = choice(("discount", "discount", "price", "payment_term"))
                valid_from = cal.day(start, last)
                valid_until = None
                if rand() < 0.3 and kind != "payment_term":
                    valid_until = cal.text(valid_from + choice((90, 180, 365)))
                article = group_code = ""
                price = disc = term = None
                if kind == "discount":
                    group_code = choice(ARTICLE_GROUPS)
                    disc = choice(CONDITION_DISCOUNTS)
                    description = f"Discount on {group_code.lower()}"
                elif kind == "price":
                    art = choice(ARTICLES)
                    article = art[0]
                    price = (art[3] * choice(NET_PRICE_FACTORS)).quantize(CENT)
                    description = f"Net price {art[1]}"
                else:
                    term = payment_term = choice((14, 45, 60))
                    description = f"Payment term {term} days"
                batch.conditions.append((
                    cid, kind, article, group_code, description, _str(price), _str(disc), term,
                    cal.text(valid_from), valid_until, 1, cal.now_text, cal.now_text,
                ))
                report.conditions += 1

        # Quotes, orders (some from accepted quotes) and invoices of delivered orders.
        address = address_text(row["name"], row["visit_street"], row["visit_house_number"],
                               row["visit_postcode"], city_name, country, self.home)
        self.documents.history(
            batch, cid, start, company=company, busy=busy, charge_vat=charge_vat,
            discount=max(GROUP_DISCOUNT.get(group, ZERO_RATE), own_discount), author=author,
            remarks=row["order_remarks"], address=address,
            snapshot=(number, row["name"], address, row["vat_number"]),
            payment_term=payment_term, report=report,
        )


def _customer_template() -> dict[str, Any]:
    template: dict[str, Any] = {}
    for fld in Customer._meta.sorted_fields:
        default = fld.default
        template[fld.name] = None if callable(default) else default
    return template


def _str(value: Decimal | None) -> str | None:
    """Amounts go to the database as their text: what the drivers make of a Decimal anyway,
    and cheaper to hand from the generating process to the writing one."""
    return None if value is None else str(value)
