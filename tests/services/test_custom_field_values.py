"""Values of the admin-defined variable fields obey their definitions, in forms and imports."""

from __future__ import annotations

import pickle

import pytest

from tradium_tui.services import custom_fields, customers, users
from tradium_tui.services.access import actor_for
from tradium_tui.services.custom_fields import ChoiceChecker
from tradium_tui.services.errors import ValidationError


@pytest.fixture
def admin(database):
    users.bootstrap_first_admin("admin")
    actor = actor_for("admin")
    custom_fields.define(actor, 2, "Branch", "choice", ["Retail", "Wholesale"])
    custom_fields.define(actor, 3, "Source", "text", [])
    return actor


def test_a_choice_outside_the_list_is_refused_at_the_field(admin):
    with pytest.raises(ValidationError) as caught:
        customers.create_customer(admin, {"kind": "company", "name": "Acme", "custom_2": "Garage"})
    assert caught.value.errors == {"custom_2": "Branch: choose one of Retail, Wholesale."}


def test_a_listed_choice_and_free_text_are_stored(admin):
    result = customers.create_customer(
        admin, {"kind": "company", "name": "Acme", "custom_2": "Wholesale", "custom_3": "Fair"}
    )
    assert (result.customer.custom_2, result.customer.custom_3) == ("Wholesale", "Fair")
    with pytest.raises(ValidationError) as caught:
        customers.update_customer(admin, result.customer.id, {"custom_2": "retail"}, 1)
    assert "custom_2" in caught.value.errors
    assert customers.get_customer(result.customer.id).custom_2 == "Wholesale"


def test_the_checker_travels_to_worker_processes(admin):
    checker = pickle.loads(pickle.dumps(ChoiceChecker.from_database()))
    checker("custom_2", "Retail")
    checker("custom_3", "anything")
    with pytest.raises(Exception, match="choose one of"):
        checker("custom_2", "Garage")
