"""Customers, their groups, condition groups, tags, marks and recent-customer list."""

from __future__ import annotations

import peewee

from tradium_tui.models.auth import Role, User
from tradium_tui.models.base import BaseModel, MoneyField, VersionedModel, utcnow

CUSTOMER_KINDS = ("consumer", "company")
VAT_STATUSES = ("valid", "invalid", "missing", "not_required", "unchecked")


class CustomerGroup(VersionedModel):
    name = peewee.CharField(unique=True, max_length=80)
    discount_percent = peewee.DecimalField(max_digits=5, decimal_places=2, default=0)


class ConditionGroup(VersionedModel):
    code = peewee.CharField(unique=True, max_length=20)
    name = peewee.CharField(max_length=80)
    description = peewee.TextField(default="")


class Tag(BaseModel):
    name = peewee.CharField(unique=True, max_length=60)


class PriceList(VersionedModel):
    """A price list (its prices are :class:`~tradium_tui.models.catalogue.PriceListItem`)."""

    name = peewee.CharField(max_length=60, unique=True)
    currency = peewee.CharField(max_length=3, default="EUR")


class Customer(VersionedModel):
    number = peewee.BigIntegerField(unique=True)
    kind = peewee.CharField(max_length=10, default="company")  # consumer | company
    title = peewee.CharField(max_length=20, default="")
    first_name = peewee.CharField(max_length=80, default="")
    last_name = peewee.CharField(max_length=120, default="")
    # Display name: the company name, or "first last" for a consumer.
    name = peewee.CharField(max_length=200, index=True)

    visit_street = peewee.CharField(max_length=120, default="")
    visit_house_number = peewee.CharField(max_length=20, default="")
    visit_postcode = peewee.CharField(max_length=20, default="", index=True)
    visit_city = peewee.CharField(max_length=80, default="", index=True)
    visit_country = peewee.CharField(max_length=2, default="NL")
    postal_street = peewee.CharField(max_length=120, default="")
    postal_house_number = peewee.CharField(max_length=20, default="")
    postal_postcode = peewee.CharField(max_length=20, default="")
    postal_city = peewee.CharField(max_length=80, default="")
    postal_country = peewee.CharField(max_length=2, default="")

    email = peewee.CharField(max_length=254, default="", index=True)
    phone = peewee.CharField(max_length=40, default="")
    mobile = peewee.CharField(max_length=40, default="")
    fax = peewee.CharField(max_length=40, default="")
    website = peewee.CharField(max_length=254, default="")

    coc_number = peewee.CharField(max_length=20, default="", index=True)
    vat_number = peewee.CharField(max_length=20, default="", index=True)
    vat_status = peewee.CharField(max_length=12, default="not_required")
    vat_message = peewee.CharField(max_length=200, default="")
    vat_checked_at = peewee.DateTimeField(null=True)
    iban = peewee.CharField(max_length=34, default="", index=True)
    bic = peewee.CharField(max_length=11, default="")
    bank_name = peewee.CharField(max_length=120, default="")

    credit_limit = MoneyField(default=0)
    mailing_code = peewee.IntegerField(null=True)
    region = peewee.CharField(max_length=40, default="")
    account_manager = peewee.ForeignKeyField(
        User, null=True, backref="managed_customers", on_delete="SET NULL"
    )
    customer_group = peewee.ForeignKeyField(
        CustomerGroup, null=True, backref="customers", on_delete="RESTRICT"
    )
    condition_group = peewee.ForeignKeyField(
        ConditionGroup, null=True, backref="customers", on_delete="RESTRICT"
    )
    reference = peewee.CharField(max_length=64, null=True, unique=True)
    ledger_account = peewee.CharField(max_length=20, default="")

    language = peewee.CharField(max_length=5, default="nl")
    discount_percent = peewee.DecimalField(max_digits=5, decimal_places=2, default=0)
    document_template = peewee.CharField(max_length=60, default="")
    price_list = peewee.ForeignKeyField(
        PriceList, null=True, backref="customers", on_delete="RESTRICT"
    )
    auto_split_orders = peewee.BooleanField(default=False)
    charge_vat = peewee.BooleanField(default=True)
    remarks = peewee.TextField(default="")
    order_remarks = peewee.TextField(default="")
    opening_hours = peewee.CharField(max_length=200, default="")
    logo_path = peewee.CharField(max_length=400, default="")

    custom_num = peewee.DecimalField(max_digits=14, decimal_places=4, null=True)
    custom_1 = peewee.CharField(max_length=200, default="")
    custom_2 = peewee.CharField(max_length=200, default="")
    custom_3 = peewee.CharField(max_length=200, default="")
    custom_4 = peewee.CharField(max_length=200, default="")
    custom_5 = peewee.CharField(max_length=200, default="")
    custom_6 = peewee.CharField(max_length=200, default="")

    deleted_at = peewee.DateTimeField(null=True, index=True)


class CustomerTag(BaseModel):
    customer = peewee.ForeignKeyField(Customer, backref="tag_links", on_delete="CASCADE")
    tag = peewee.ForeignKeyField(Tag, backref="customer_links", on_delete="CASCADE")

    class Meta:
        indexes = ((("customer", "tag"), True),)


class Mark(BaseModel):
    """A user's own mark on a customer (used for mailings and selections)."""

    user = peewee.ForeignKeyField(User, backref="marks", on_delete="CASCADE")
    customer = peewee.ForeignKeyField(Customer, backref="marks", on_delete="CASCADE")
    marked_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        indexes = ((("user", "customer"), True),)


class RecentCustomer(BaseModel):
    """Customers a user opened, most recent first; the newest is opened on start."""

    user = peewee.ForeignKeyField(User, backref="recent_customers", on_delete="CASCADE")
    customer = peewee.ForeignKeyField(Customer, backref="+", on_delete="CASCADE")
    opened_at = peewee.DateTimeField(default=utcnow, index=True)

    class Meta:
        indexes = ((("user", "customer"), True),)


class SavedListView(BaseModel):
    """A named customer-list view (columns, sort, filters as JSON): a user's own
    (``user`` set) or a role default shared by an admin (``role`` set)."""

    user = peewee.ForeignKeyField(User, null=True, backref="list_views", on_delete="CASCADE")
    role = peewee.ForeignKeyField(Role, null=True, backref="list_views", on_delete="CASCADE")
    name = peewee.CharField(max_length=80)
    spec = peewee.TextField(default="{}")
    is_default = peewee.BooleanField(default=False)
    updated_at = peewee.DateTimeField(default=utcnow)
    updated_by = peewee.CharField(max_length=80, default="")

    class Meta:
        indexes = ((("user", "role", "name"), True),)
