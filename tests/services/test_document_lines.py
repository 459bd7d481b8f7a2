"""Document lines as typed in a grid: parsed, checked per line, and described for the audit trail."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from tradium_tui.services.document_lines import clean_lines, describe_lines
from tradium_tui.services.errors import ValidationError
from tradium_tui.services.money import compute_totals


def test_clean_lines_parses_and_skips_blank_rows():
    lines = clean_lines(
        [
            {"article": "BRD-01", "description": "Brood", "quantity": "2", "unit_price": "2,35",
             "discount_percent": "10", "vat_rate": "9"},
            {"article": "", "description": "", "quantity": "", "unit_price": ""},
            {"description": "Bezorging", "unit_price": "7.50"},
        ]
    )
    assert [line["position"] for line in lines] == [1, 2]
    assert lines[1]["quantity"] == D("1.000") and lines[1]["vat_rate"] == D("21.00")
    assert compute_totals(lines).excl == D("11.73")  # 4.23 + 7.50
    assert describe_lines(lines).splitlines()[0] == "1. 2 × BRD-01 Brood à 2.35 −10% VAT 9% = 4.23"


def test_clean_lines_errors_are_keyed_per_line():
    with pytest.raises(ValidationError) as info:
        clean_lines(
            [
                {"description": "ok"},
                {"description": "bad qty", "quantity": "twee"},
                {"unit_price": "1"},
                {"description": "d", "quantity": "0"},
                {"description": "d", "discount_percent": "150", "colour": "red"},
            ]
        )
    errors = info.value.errors
    assert set(errors) == {
        "lines.1.quantity", "lines.2.description", "lines.3.quantity",
        "lines.4.discount_percent", "lines.4.colour",
    }
    assert errors["lines.1.quantity"].startswith("Line 2: Quantity is not a number")


def test_order_lines_delivery_rules():
    (line,) = clean_lines([{"description": "x", "quantity": "10", "delivered_quantity": "4"}],
                          with_delivery=True)
    assert line["backorder_quantity"] == D("6.000")
    with pytest.raises(ValidationError) as info:
        clean_lines([{"description": "x", "quantity": "10", "delivered_quantity": "11"}],
                    with_delivery=True)
    assert "cannot be more than ordered" in info.value.errors["lines.0.delivered_quantity"]
    with pytest.raises(ValidationError) as info:
        clean_lines([{"description": "x", "quantity": "1", "delivered_quantity": "-1"}],
                    with_delivery=True)
    assert "lines.0.delivered_quantity" in info.value.errors


def test_clean_lines_refuses_amounts_too_large_to_store():
    with pytest.raises(ValidationError) as info:
        clean_lines([{"description": "x", "quantity": "99999999999", "unit_price": "9999999999"}])
    assert "too large" in next(iter(info.value.errors.values()))
