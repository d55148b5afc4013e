"""Organizations on the wire, and the body of a license created inside one."""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, validate

from partnerapp import catalog
from partnerapp.domain.organizations import Organization
from partnerapp.domain.timestamps import to_wire
from partnerapp.schemas.fields import DataCenterCode, EmailAddress, Text
from partnerapp.schemas.licenses import MAX_OPERATORS, OperatorSchema


class CreateOrganizationSchema(Schema):
    organization_name = Text(required=True, max_length=100)
    client_name = Text(required=True, min_length=5, max_length=100)
    client_email = EmailAddress(required=True)
    data_center = DataCenterCode(load_default=catalog.DEFAULT_DATA_CENTER)
    identifier = Text(max_length=100)


class OrganizationLicenseSchema(Schema):
    """A license for an existing organization: the client's details come from it."""

    payment_origin = fields.String(required=True, validate=validate.OneOf(catalog.PAYMENT_ORIGINS))
    trial_duration = fields.Integer(
        strict=True,
        load_default=catalog.TRIAL.default_days,
        validate=validate.Range(min=catalog.TRIAL.min_days, max=catalog.TRIAL.max_days),
    )
    purchase_order = Text(max_length=100)
    operators = fields.List(
        fields.Nested(OperatorSchema), load_default=list, validate=validate.Length(max=MAX_OPERATORS)
    )


def dump_organization(item: Organization) -> dict[str, Any]:
    body: dict[str, Any] = {
        "organization_id": item.organization_id,
        "organization_name": item.organization_name,
        "client_name": item.client_name,
        "client_email": item.client_email,
        "data_center": item.data_center,
        "creation_timestamp": to_wire(item.created_at),
    }
    if item.identifier:
        body["identifier"] = item.identifier
    return body
