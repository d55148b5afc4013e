"""Organizations on the wire: the create request, the organization, its licenses, and the body
of a license created inside one."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from partnerapp import catalog
from partnerapp.domain.licenses import License
from partnerapp.domain.organizations import Organization
from partnerapp.schemas import descriptions
from partnerapp.schemas.fields import DataCenterCode, Dollars, EmailAddress, IdString, IsoTime, Text
from partnerapp.schemas.licenses import COUPON_NOTE, MAX_OPERATORS, OperatorSchema


class CreateOrganizationSchema(Schema):
    organization_name = Text(
        required=True, max_length=100, metadata={"description": descriptions.ORGANIZATION_NAME}
    )
    client_name = Text(
        required=True, min_length=5, max_length=100, metadata={"description": descriptions.CLIENT_NAME}
    )
    client_email = EmailAddress(required=True, metadata={"description": "The organization's owner."})
    data_center = DataCenterCode(
        load_default=catalog.DEFAULT_DATA_CENTER, metadata={"description": descriptions.DATA_CENTER}
    )
    identifier = Text(max_length=100, metadata={"description": descriptions.IDENTIFIER})


class OrganizationLicenseSchema(Schema):
    """A license inside an organization: its region is the organization's; `client_email`
    must be the organization's owner."""

    client_name = Text(
        required=True, min_length=5, max_length=100, metadata={"description": descriptions.CLIENT_NAME}
    )
    client_email = EmailAddress(required=True, metadata={"description": "The organization's owner."})
    payment_origin = fields.String(
        required=True,
        validate=validate.OneOf(catalog.PAYMENT_ORIGINS),
        metadata={"description": descriptions.PAYMENT_ORIGIN},
    )
    trial_duration = fields.Integer(
        strict=True,
        load_default=catalog.TRIAL.default_days,
        validate=validate.Range(min=catalog.TRIAL.min_days, max=catalog.TRIAL.max_days),
        metadata={"description": descriptions.TRIAL_DURATION},
    )
    coupon_id = fields.Integer(
        strict=True, validate=validate.Range(min=1), metadata={"description": COUPON_NOTE}
    )
    purchase_order = Text(max_length=100, metadata={"description": descriptions.PURCHASE_ORDER})
    operators = fields.List(
        fields.Nested(OperatorSchema),
        load_default=list,
        validate=validate.Length(max=MAX_OPERATORS),
        metadata={"description": descriptions.OPERATORS},
    )


class CreatedOrganizationSchema(Schema):
    id = fields.String(attribute="organization_id", required=True)


class OrganizationProductSchema(Schema):
    product = fields.String(required=True, metadata={"description": descriptions.PRODUCT})


class OrganizationSchema(Schema):
    """`GET .../organizations/<id>`: the Text API's fields, then the owner and identifier."""

    organization_id = fields.String(required=True)
    name = fields.String(attribute="organization.organization_name", required=True)
    data_center = fields.String(
        attribute="organization.data_center",
        required=True,
        metadata={"description": descriptions.DATA_CENTER},
    )
    products = fields.List(fields.Nested(OrganizationProductSchema), required=True)
    created_at = IsoTime(attribute="organization.created_at", required=True)
    client_name = fields.String(
        attribute="organization.client_name",
        required=True,
        metadata={"description": descriptions.CLIENT_NAME},
    )
    client_email = fields.String(
        attribute="organization.client_email",
        required=True,
        metadata={"description": descriptions.CLIENT_EMAIL},
    )
    identifier = fields.String(
        attribute="organization.identifier",
        allow_none=True,
        metadata={"description": descriptions.IDENTIFIER},
    )


class OrganizationLicenseRefSchema(Schema):
    external_license_id = IdString(attribute="license_id", required=True)
    # The code, as the docs show it here (`livechat`); organization details name the product.
    product = fields.String(required=True, metadata={"description": descriptions.PRODUCT})
    # Our additions: the same code under the name it had first, and where the license stands.
    product_code = fields.Function(lambda item: item.product, required=True, metadata={"type": "string"})
    status = fields.String(required=True)


ARR_NOTE = (
    "Annual recurring revenue, in dollars: what the partner-managed subscriptions that renew "
    "bill in a year (billed seats x plan price, less the partner discount). A customer-managed "
    "subscription is the customer's and is not seen here: it counts 0."
)


class OrganizationEntrySchema(Schema):
    organization_id = fields.String(attribute="organization.organization_id", required=True)
    organization_name = fields.String(
        attribute="organization.organization_name",
        required=True,
        metadata={"description": descriptions.ORGANIZATION_NAME},
    )
    client_name = fields.String(
        attribute="organization.client_name",
        required=True,
        metadata={"description": descriptions.CLIENT_NAME},
    )
    client_email = fields.String(
        attribute="organization.client_email",
        required=True,
        metadata={"description": descriptions.CLIENT_EMAIL},
    )
    arr = Dollars(attribute="arr_cents", required=True, metadata={"description": ARR_NOTE})
    licenses = fields.List(fields.Nested(OrganizationLicenseRefSchema), required=True)


# Results per page, as the docs' example answers it (`"limit": 15`); the answer holds one.
PAGE_LIMIT = 15


class OrganizationLicensesSchema(Schema):
    """`GET .../organizations/<id>/licenses`: one result, the organization with its licenses."""

    total = fields.Integer(required=True)
    limit = fields.Integer(required=True, metadata={"description": descriptions.LIMIT})
    results = fields.List(fields.Nested(OrganizationEntrySchema), required=True)


def dump_created_organization(item: Organization) -> dict[str, Any]:
    return dict(CreatedOrganizationSchema().dump(item))


def dump_organization(item: Organization, licenses: list[License]) -> dict[str, Any]:
    names = sorted({catalog.PRODUCTS[i.product].name for i in licenses})
    view = {
        "organization_id": item.organization_id,
        "organization": item,
        "products": [{"product": name} for name in names],
    }
    return dict(OrganizationSchema().dump(view))


def dump_organization_licenses(item: Organization, licenses: list[License], arr_cents: int) -> dict[str, Any]:
    entry = {"organization": item, "arr_cents": arr_cents, "licenses": licenses}
    page = {"total": 1, "limit": PAGE_LIMIT, "results": [entry]}
    return dict(OrganizationLicensesSchema().dump(page))
