"""`/v2/partners/solutions/organizations`: a partner's customers and their licenses."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import idempotency, paths
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import not_found, validation
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response
from partnerapp.api.routes.licenses import product_from_query
from partnerapp.api.validation import load
from partnerapp.domain.licenses import License
from partnerapp.domain.organizations import Organization

router = APIGatewayHttpRouter()

ORGANIZATIONS = "/v2/partners/solutions/organizations"


def _owned(partner_id: str, organization_id: str) -> Organization:
    found = dependencies().organizations.get_for_partner(partner_id, paths.organization_id(organization_id))
    if found is None:
        raise not_found("Organization not found.")
    return found


@Doc(
    "Create an organization",
    "A customer (its owner: client_email) whose licenses are grouped together. Answers its `id`.",
    body="organizations.CreateOrganizationSchema",
    success=201,
    response="organizations.CreatedOrganizationSchema",
    errors=(400, 401, 409),
    idempotent=True,
)
@router.post(ORGANIZATIONS)
def create_organization() -> Response[str]:
    from partnerapp.schemas.organizations import CreateOrganizationSchema, dump_created_organization

    partner = require_partner(router.current_event)
    body = json_body(router.current_event)
    data = load(CreateOrganizationSchema, body)
    deps = dependencies()

    def create() -> dict[str, Any]:
        organization = Organization(
            organization_id=deps.organizations.new_id(data["data_center"]),
            partner_id=partner.partner_id,
            created_at=deps.clock(),
            **data,
        )
        return {"organization_id": deps.creator.create_organization(organization).organization_id}

    reference, _ = idempotency.once(
        router.current_event.headers,
        partner_id=partner.partner_id,
        operation="create_organization",
        request=body,
        action=create,
        context=router.lambda_context,
    )
    created = _owned(partner.partner_id, reference["organization_id"])
    return json_response(201, dump_created_organization(created))


def _licenses(partner_id: str, organization: Organization) -> list[License]:
    from partnerapp.store.listing import ListFilter

    where = ListFilter(partner_id, organization_id=organization.organization_id)
    return list(dependencies().listing.all(where))


@Doc("An organization", response="organizations.OrganizationSchema", errors=(401, 404))
@router.get(f"{ORGANIZATIONS}/<organization_id>")
def get_organization(organization_id: str) -> dict[str, Any]:
    """Text API "Get Organization": its name, region, products and creation time."""
    from partnerapp.schemas.organizations import dump_organization

    partner = require_partner(router.current_event)
    organization = _owned(partner.partner_id, organization_id)
    return dump_organization(organization, _licenses(partner.partner_id, organization))


@Doc("An organization's licenses", response="organizations.OrganizationLicensesSchema", errors=(401, 404))
@router.get(f"{ORGANIZATIONS}/<organization_id>/licenses")
def organization_licenses(organization_id: str) -> dict[str, Any]:
    """Text API "Get Organization Licenses": `{total, limit, results: [...]}`."""
    from partnerapp.domain.billing import annual_recurring_cents
    from partnerapp.schemas.organizations import dump_organization_licenses

    partner = require_partner(router.current_event)
    organization = _owned(partner.partner_id, organization_id)
    licenses = _licenses(partner.partner_id, organization)
    arr = sum(annual_recurring_cents(item) for item in licenses)
    return dump_organization_licenses(organization, licenses, arr)


@Doc(
    "Create a license for an organization",
    "client_email must be the organization's owner; the region is the organization's.",
    body="organizations.OrganizationLicenseSchema",
    query="licenses.ProductQuerySchema",
    success=201,
    response="licenses.CreatedLicenseSchema",
    errors=(400, 401, 403, 404, 409),
    idempotent=True,
)
@router.post(f"{ORGANIZATIONS}/<organization_id>/licenses")
def create_organization_license(organization_id: str) -> Response[str]:
    from partnerapp.domain.licenses import NewLicense, Operator
    from partnerapp.schemas.licenses import dump_created_license
    from partnerapp.schemas.organizations import OrganizationLicenseSchema

    partner = require_partner(router.current_event)
    product = product_from_query()
    body = json_body(router.current_event)
    data = load(OrganizationLicenseSchema, body)
    organization = _owned(partner.partner_id, organization_id)
    if data.pop("client_email") != organization.client_email:
        raise validation({"client_email": ["Must be the organization's owner (its client_email)."]})
    operators = tuple(Operator(o["email"], o["role"]) for o in data.pop("operators"))
    if any(o.email == organization.client_email for o in operators):
        raise validation({"operators": ["The customer is already invited to the license."]})
    request = NewLicense(
        product=product,
        client_email=organization.client_email,
        data_center=organization.data_center,
        identifier=organization.identifier,
        organization_name=organization.organization_name,
        operators=operators,
        **data,
    )
    deps = dependencies()

    def create() -> dict[str, Any]:
        return {"license_id": deps.creator.create(partner, request, organization).license_id}

    reference, _ = idempotency.once(
        router.current_event.headers,
        partner_id=partner.partner_id,
        operation="create_organization_license",
        request={"organization": organization_id, "product": product, "body": body},
        action=create,
        context=router.lambda_context,
    )
    item = deps.licenses.get_for_partner(partner.partner_id, product, reference["license_id"])
    if item is None:
        raise not_found("License not found.")
    return json_response(201, dump_created_license(item))
