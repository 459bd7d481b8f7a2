"""The sales history of a demo customer: quotes, orders from accepted quotes and on their
own, and the invoices of delivered orders, with lines, totals and VAT as the app computes
them."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from tradium_tui.demo.batch import Batch
from tradium_tui.demo.days import Calendar
from tradium_tui.demo.ids import DocumentNumbers, Ids
from tradium_tui.demo.randomness import DemoRandom
from tradium_tui.demo.report import SeedReport
from tradium_tui.demo.tables import (
    ARTICLES,
    HALF,
    LINE_DISCOUNTS,
    LINES_COMPANY,
    LINES_CONSUMER,
    ORDERS_BUSY,
    ORDERS_COMPANY,
    ORDERS_CONSUMER,
    PART_PAYMENTS,
    QTY_BULK,
    QTY_COMPANY,
    QTY_CONSUMER,
    QTY_HOURS,
    QTY_STEP,
    QTY_ZERO,
    QUOTES_BUSY,
    QUOTES_COMPANY,
    ZERO_MONEY,
    ZERO_RATE,
)
from tradium_tui.models import Order, Quote
from tradium_tui.services.invoice_rules import NUMBER_PREFIX as INVOICE_PREFIX
from tradium_tui.services.money import CENT, ZERO, line_net, vat_of
from tradium_tui.services.orders import NUMBER_PREFIX as ORDER_PREFIX
from tradium_tui.services.quotes import NUMBER_PREFIX as QUOTE_PREFIX


class Documents:
    """Makes the quotes, orders and invoices of one customer after another, drawing from
    the generator's random stream (so the same seed gives the same documents)."""

    def __init__(self, rng: DemoRandom, calendar: Calendar, ids: Ids, numbers: DocumentNumbers,
                 class_rates: dict[str, Decimal]):
        self.rng = rng
        self.calendar = calendar
        self.ids = ids
        self.numbers = numbers
        self.class_rates = class_rates  # VAT class → the home country's rate
        self.net_cache: dict[tuple[Decimal, Decimal, Decimal], Decimal] = {}
        self.dec_text: dict[Decimal, str] = {}

    def history(self, batch: Batch, cid: int, start: int, *, company: bool, busy: bool,
                charge_vat: bool, discount: Decimal, author: int, remarks: str, address: str,
                snapshot: tuple, payment_term: int, report: SeedReport) -> None:
        """Quotes and orders of customer ``cid`` from day ``start`` to yesterday.

        ``snapshot``: the customer's number, name, address and VAT number, as its invoices
        keep them.
        """
        rng = self.rng
        rand = rng.random
        choice = rng.choice
        cal = self.calendar
        today = cal.today
        last = today - 1  # history ends yesterday: nothing happened later than now
        accepted: list[tuple[int, int, list[tuple]]] = []
        quote_count = (choice(QUOTES_BUSY if busy else QUOTES_COMPANY) if company
                       else 1 if rand() < 0.1 else 0)
        if quote_count:
            for quote_id in self.ids.take(Quote, quote_count):
                day = cal.day(start, last)
                valid_until = day + 30
                if valid_until >= today:
                    status = "draft" if rand() < 0.25 else "sent"
                else:
                    x = rand()
                    status = "accepted" if x < 0.4 else "rejected" if x < 0.65 else "expired"
                lines = self.lines(charge_vat, discount, company)
                excl, vat = self.totals(lines)
                when, _second = cal.moment(day)
                batch.quotes.append((
                    quote_id, cid, self.numbers.take("quote", QUOTE_PREFIX, cal.day_year[day]),
                    cal.text(day), cal.text(valid_until), status, "", "", author, str(excl),
                    str(vat), str(excl + vat), 1, when, when,
                ))
                dec = self.dec
                for pos, (art, qty, price, disc, rate, _cost, _net) in enumerate(lines, 1):
                    batch.quote_lines.append((quote_id, pos, art[0], art[1], dec(qty), dec(price),
                                              dec(disc), dec(rate)))
                report.quote_lines += len(lines)
                if status == "accepted":
                    accepted.append((quote_id, day, lines))
            report.quotes += quote_count

        plans = [(quote_id, min(day + rng.randint(1, 20), last), lines)
                 for quote_id, day, lines in accepted]
        order_count = choice(ORDERS_BUSY if busy else ORDERS_COMPANY if company else ORDERS_CONSUMER)
        for _ in range(order_count):
            plans.append((None, cal.day(start, last), self.lines(charge_vat, discount, company)))
        if plans:
            order_ids = self.ids.take(Order, len(plans))
            for order_id, (quote_id, day, lines) in zip(order_ids, plans, strict=True):
                self.order(batch, cid, order_id, quote_id, day, lines, company, author,
                           remarks, address, snapshot, payment_term, report)
            report.orders += len(plans)

    def dec(self, value: Decimal) -> str:
        """The text of one of the few line amounts (quantities, prices, rates), memoised."""
        text = self.dec_text.get(value)
        if text is None:
            text = self.dec_text[value] = str(value)
        return text

    def lines(self, charge_vat: bool, discount: Decimal, company: bool) -> list[tuple]:
        """Document lines: (article, quantity, unit price, discount %, VAT %, cost, net)."""
        rng = self.rng
        lines = []
        seen = set()
        count = rng.choice(LINES_COMPANY if company else LINES_CONSUMER)
        for _ in range(count):
            art = rng.choice(ARTICLES)
            code = art[0]
            if code in seen:
                continue
            seen.add(code)
            if code == "SVC-HOUR":
                qty = rng.choice(QTY_HOURS)
            elif art[3] < 5:
                qty = rng.choice(QTY_BULK)
            elif company:
                qty = rng.choice(QTY_COMPANY)
            else:
                qty = rng.choice(QTY_CONSUMER)
            disc = discount if rng.random() < 0.8 else rng.choice(LINE_DISCOUNTS)
            price = art[3]
            key = (qty, price, disc)
            net = self.net_cache.get(key)
            if net is None:
                net = self.net_cache[key] = line_net(qty, price, disc)
            lines.append((art, qty, price, disc,
                          self.class_rates[art[5]] if charge_vat else ZERO_RATE, art[4], net))
        return lines

    def totals(self, lines: list[tuple]) -> tuple[Decimal, Decimal]:
        """Total excl. VAT and the VAT: net per line (rounded half-up to cents), VAT per rate."""
        rate = lines[0][4]
        excl = ZERO
        mixed = False
        for line in lines:
            excl += line[6]
            if line[4] != rate:
                mixed = True
        if not mixed:
            return excl, vat_of(excl, rate)
        bases: dict[Decimal, Decimal] = {}
        for line in lines:
            bases[line[4]] = bases.get(line[4], ZERO) + line[6]
        return excl, sum((vat_of(base, r) for r, base in bases.items()), ZERO)

    def order(self, batch: Batch, cid: int, order_id: int, quote_id: int | None, day: int,
              lines: list[tuple], company: bool, author: int, remarks: str, address: str,
              snapshot: tuple, payment_term: int, report: SeedReport) -> None:
        """The order ``order_id`` with its ``lines`` on ``day`` (from the accepted quote
        ``quote_id``, if any); delivered, partly delivered, open or cancelled by its age, and
        an invoice, paid or not, when it was delivered."""
        rng = self.rng
        rand = rng.random
        cal = self.calendar
        today = cal.today
        last = today - 1
        age = today - day
        x = rand()
        if age > 30:
            status = ("delivered" if x < 0.88 else "partly_delivered" if x < 0.93
                      else "cancelled" if x < 0.97 else "open")
        elif age > 7:
            status = "delivered" if x < 0.55 else "partly_delivered" if x < 0.8 else "open"
        else:
            status = "open" if x < 0.6 else "partly_delivered" if x < 0.8 else "delivered"
        if quote_id is not None:
            source, external = "quote", ""
        elif rand() < (0.15 if company else 0.6):
            source, external = "webshop", f"WS-{rng.randint(100000, 999999)}"
        else:
            source, external = "manual", ""
        excl, vat = self.totals(lines)
        when, _second = cal.moment(day)
        reference = f"PO {rng.randint(1000, 99999)}" if company and rand() < 0.5 else ""
        batch.orders.append((
            order_id, cid, self.numbers.take("order", ORDER_PREFIX, cal.day_year[day]),
            cal.text(day), status, source, external, quote_id, reference, remarks, address,
            address, author, str(excl), str(vat), str(excl + vat), 1, when, when,
        ))
        append = batch.order_lines.append
        dec = self.dec
        for pos, (art, qty, price, disc, rate, cost, _net) in enumerate(lines, 1):
            delivered = backorder = QTY_ZERO
            if status == "delivered":
                delivered = qty
            elif status == "partly_delivered":
                if pos == 1 or rand() < 0.5:
                    delivered = (qty * HALF).quantize(QTY_STEP, rounding=ROUND_FLOOR) if (
                        rand() < 0.6) else QTY_ZERO
                    backorder = qty - delivered
                else:
                    delivered = qty
            elif status == "open" and rand() < 0.3:
                backorder = qty
            append((order_id, pos, art[0], art[1], dec(qty), dec(delivered), dec(backorder),
                    dec(price), dec(cost), dec(disc), dec(rate)))
        report.order_lines += len(lines)
        if status != "delivered":
            return
        invoice_day = min(day + rng.randint(0, 7), last)
        due = invoice_day + payment_term
        incl = excl + vat
        x = rand()
        if due < today - 60:
            status = "paid" if x < 0.95 else "partly_paid" if x < 0.975 else "open"
        elif due < today:
            status = "paid" if x < 0.7 else "partly_paid" if x < 0.82 else "open"
        else:
            status = "paid" if x < 0.3 else "partly_paid" if x < 0.36 else "open"
        paid, paid_on = ZERO_MONEY, None
        if status == "paid":
            paid = incl
            paid_on = cal.text(min(invoice_day + rng.randint(1, payment_term + 20), last))
        elif status == "partly_paid":
            paid = (incl * rng.choice(PART_PAYMENTS)).quantize(CENT)
            paid_on = cal.text(min(invoice_day + rng.randint(5, payment_term + 10), last))
            if paid <= 0 or paid >= incl:
                paid, paid_on, status = ZERO_MONEY, None, "open"
        when, _second = cal.moment(invoice_day)
        batch.invoices.append((
            cid, self.numbers.take("invoice", INVOICE_PREFIX, cal.day_year[invoice_day]),
            order_id, cal.text(invoice_day), cal.text(due), str(excl), str(vat), str(incl),
            str(paid), paid_on,
            status, *snapshot, 1, when, when,
        ))
        report.invoices += 1
