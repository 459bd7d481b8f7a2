"""Fake identifiers that pass every check: IBANs with their national check digits at real
banks, VAT and company-register numbers (and a VAT number with one typing error), EAN-13
loyalty cards, and phone numbers as each country writes them internationally.
"""

from __future__ import annotations

from collections.abc import Callable

from stdnum import luhn
from stdnum.ch import uid as ch_uid
from stdnum.es import cif as es_cif
from stdnum.iso7064 import mod_11_10

from tradium_tui.demo.randomness import DemoRandom
from tradium_tui.demo.tables import BANKS, DE_CITY_BANK

# =========================================================================== bank accounts

_LETTER_VALUES = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def iban_check_digits(country: str, bban: str) -> str:
    """ISO 13616 check digits of an IBAN (mod 97-10 over BBAN + country + 00)."""
    return f"{98 - int((bban + country + '00').translate(_LETTER_VALUES)) % 97:02d}"


def make_iban(country: str, bban: str) -> str:
    return f"{country}{iban_check_digits(country, bban)}{bban}"


def _digits(rng: DemoRandom, n: int, first: str = "0123456789") -> str:
    """``n`` random digits, the first one taken from ``first``."""
    head = first[int(rng.random() * len(first))]
    if n == 1:
        return head
    return head + f"{int(rng.random() * 10 ** (n - 1)):0{n - 1}d}"


def _fr_rib_key(bank: str, branch: str, account: str) -> str:
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97:02d}"


def _es_control(bank: str, branch: str, account: str) -> str:
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)

    def digit(value: str) -> int:
        n = 11 - sum(w * int(c) for w, c in zip(weights, value, strict=True)) % 11
        return 0 if n == 11 else 1 if n == 10 else n

    return f"{digit('00' + bank + branch)}{digit(account)}"


def _de_method_00(body: str) -> str:
    """Check digit of German bank method 00 (the Sparkassen): Luhn-like, weights 2,1 from the right."""
    total = 0
    for i, c in enumerate(reversed(body)):
        product = int(c) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def _no_account(bank: str, rng: DemoRandom) -> str:
    weights = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        account = _digits(rng, 6, "123456789")  # "00…" accounts follow another rule
        s = sum(w * int(c) for w, c in zip(weights, bank + account, strict=True)) % 11
        check = (11 - s) % 11
        if check != 10:
            return account + str(check)


def random_bban(country: str, rng: DemoRandom, city: str = "") -> str | None:
    """A BBAN whose national check digits are right, at one of the country's real banks."""
    banks = BANKS.get(country)
    if not banks:
        return None
    bank = rng.choice(banks)
    if country == "NL":
        return bank + _digits(rng, 10, "123456789")
    if country == "BE":
        body = bank + _digits(rng, 7)
        check = int(body) % 97 or 97
        return f"{body}{check:02d}"
    if country == "DE":
        bank = DE_CITY_BANK.get(city, bank)
        body = _digits(rng, 9, "123456789")
        return bank + body + _de_method_00(body)
    if country == "FR":
        branch, account = _digits(rng, 5), _digits(rng, 11)
        return bank + branch + account + _fr_rib_key(bank, branch, account)
    if country == "ES":
        branch, account = _digits(rng, 4), _digits(rng, 10)
        return bank + branch + _es_control(bank, branch, account) + account
    if country == "GB":
        code, sort_code = bank
        return code + sort_code + _digits(rng, 8)
    if country == "CH":
        return bank + _digits(rng, 12)
    if country == "NO":
        return bank + _no_account(bank, rng)
    return None


def _nl_vat(rng: DemoRandom) -> str:
    while True:
        body = _digits(rng, 8, "123456789")
        check = sum((9 - i) * int(c) for i, c in enumerate(body)) % 11
        if check < 10:
            return f"NL{body}{check}B{rng.choice(('01', '01', '01', '02'))}"


def _be_vat(rng: DemoRandom) -> str:
    body = "0" + _digits(rng, 7, "23456789")
    return f"BE{body}{97 - int(body) % 97:02d}"


def _de_vat(rng: DemoRandom) -> str:
    body = _digits(rng, 8, "123456789")
    return f"DE{body}{mod_11_10.calc_check_digit(body)}"


def _fr_vat(rng: DemoRandom) -> str:
    body = _digits(rng, 8, "3456789")
    siren = body + luhn.calc_check_digit(body)
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


def _es_vat(rng: DemoRandom) -> str:
    body = rng.choice("AB") + _digits(rng, 7)
    return f"ES{body}{es_cif.calc_check_digits(body)[0]}"


def _gb_vat(rng: DemoRandom) -> str:
    body = _digits(rng, 7, "123456789")
    total = sum(w * int(c) for w, c in zip((8, 7, 6, 5, 4, 3, 2), body, strict=True))
    return f"GB{body}{(-total) % 97:02d}"


def _ch_vat(rng: DemoRandom) -> str:
    while True:
        body = _digits(rng, 8, "123456789")
        check = ch_uid.calc_check_digit(body)
        if len(check) == 1:
            return f"CHE{body}{check}MWST"


def _no_vat(rng: DemoRandom) -> str:
    while True:
        body = _digits(rng, 8, "89")
        s = sum(w * int(c) for w, c in zip((3, 2, 7, 6, 5, 4, 3, 2), body, strict=True)) % 11
        check = (11 - s) % 11
        if check != 10:
            return f"NO{body}{check}MVA"


VAT_MAKERS: dict[str, Callable[[DemoRandom], str]] = {
    "NL": _nl_vat, "BE": _be_vat, "DE": _de_vat, "FR": _fr_vat, "ES": _es_vat, "GB": _gb_vat,
    "CH": _ch_vat, "NO": _no_vat,
}


def spoil(number: str, rng: DemoRandom) -> str:
    """The number with one check digit changed: the typing error that makes it invalid."""
    positions = [i for i, c in enumerate(number) if c.isdigit()]
    # The check digits are at the end of the digits (NL: just before the B).
    pos = positions[-1] if not number.startswith("NL") else number.index("B") - 1
    old = int(number[pos])
    new = (old + rng.randrange(1, 10)) % 10
    return number[:pos] + str(new) + number[pos + 1:]


def coc_for(country: str, vat: str, rng: DemoRandom) -> str:
    """The company-register number, consistent with the VAT number where the two share digits."""
    if country == "NL":
        return _digits(rng, 8, "123456789")
    if country == "BE" and vat:
        digits = vat[2:]
        return f"{digits[:4]}.{digits[4:7]}.{digits[7:]}"
    if country == "FR" and vat:
        siren = vat[4:]
        return f"{siren[:3]} {siren[3:6]} {siren[6:]}"
    if country == "ES" and vat:
        return vat[2:]
    if country == "CH" and vat:
        d = vat[3:12]
        return f"CHE-{d[:3]}.{d[3:6]}.{d[6:]}"
    if country == "NO" and vat:
        d = vat[2:11]
        return f"{d[:3]} {d[3:6]} {d[6:]}"
    if country == "DE":
        return f"HRB {rng.randrange(1000, 250000)}"
    if country == "GB":
        return f"{rng.randrange(10**6, 10**8):08d}"
    return ""


def ean13(number: int) -> str:
    """A loyalty-card barcode for a customer number (EAN-13, in-store prefix 29)."""
    body = f"29{number:010d}"[-12:]
    total = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(body))
    return body + str((10 - total % 10) % 10)


# --------------------------------------------------------------------------- phones


def phone_number(country: str, area: str, rng: DemoRandom, mobile: bool = False) -> str:
    """A number in use in ``country``, written as phonenumbers' international format."""
    d = _digits
    if country == "NL":
        if mobile:
            return f"+31 6 {d(rng, 8, '12345')}"
        s = d(rng, 7, "23456789")
        return f"+31 {area} {s[:3]} {s[3:]}"
    if country == "BE":
        if mobile:
            s = rng.choice(("70", "71", "72", "73", "75", "76", "77", "78", "79", "84", "85",
                            "86", "87", "88", "89", "94", "95", "96", "97", "98", "99")) + d(rng, 6)
            return f"+32 4{s[:2]} {s[2:4]} {s[4:6]} {s[6:]}"
        if len(area) == 1:
            s = d(rng, 7, "23" if area in ("4", "9") else "2345678")
            return f"+32 {area} {s[:3]} {s[3:5]} {s[5:]}"
        s = d(rng, 6, "2345678")
        return f"+32 {area} {s[:2]} {s[2:4]} {s[4:]}"
    if country == "DE":
        if mobile:
            prefix = rng.choice(("160", "170", "171", "175", "172", "176", "178", "179"))
            length = 7 if prefix in ("160", "170", "171", "175") else 8
            return f"+49 {prefix} {d(rng, length, '123456789')}"
        return f"+49 {area} {d(rng, 8 if len(area) == 2 else 7, '23456789')}"
    if country == "FR":
        if mobile:
            s = rng.choice(("60", "61", "62", "64", "65", "66", "67", "68", "73", "75", "76",
                            "77", "78")) + d(rng, 7)
        else:
            s = area + d(rng, 9 - len(area), "123456789")
        return f"+33 {s[0]} {s[1:3]} {s[3:5]} {s[5:7]} {s[7:]}"
    if country == "ES":
        s = ("6" + d(rng, 8)) if mobile else area + d(rng, 9 - len(area))
        return f"+34 {s[:3]} {s[3:5]} {s[5:7]} {s[7:]}"
    if country == "GB":
        if mobile:
            s = "74" + rng.choice("01234679") + d(rng, 7)
            return f"+44 {s[:4]} {s[4:]}"
        if area == "20":
            s = d(rng, 8, "378")
            return f"+44 20 {s[:4]} {s[4:]}"
        s = d(rng, 7, "2345678")
        return f"+44 {area} {s[:3]} {s[3:]}"
    if country == "CH":
        s = (rng.choice(("76", "77", "78", "79")) + d(rng, 7)) if mobile else area + d(rng, 7, "2345678")
        return f"+41 {s[:2]} {s[2:5]} {s[5:7]} {s[7:]}"
    if country == "NO":
        s = ("9" + d(rng, 7)) if mobile else area + d(rng, 6)
        return f"+47 {s[:2]} {s[2:4]} {s[4:6]} {s[6:]}"
    if country == "US":
        return f"+1 {area}-{d(rng, 3, '23456789')}-{d(rng, 4)}"
    raise ValueError(f"no phone plan for {country}")


def bank_code(iban: str) -> str:
    """The part of an IBAN that names the bank (what its BIC and name are looked up by)."""
    country = iban[:2]
    bban = iban[4:]
    length = {"NL": 4, "BE": 3, "DE": 8, "FR": 5, "ES": 4, "GB": 10, "CH": 5, "NO": 4}.get(country, 4)
    return bban[:length]
