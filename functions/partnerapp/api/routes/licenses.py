"""`/v2/partners/solutions/licenses`: create a trial license and read it back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from partnerapp import catalog
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import not_found, validation
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response

if TYPE_CHECKING:
    from partnerapp.domain.licenses import License

# marshmallow and powertools idempotency are imported where they are used: a cold start
# pays for them on the first request that needs them, not on every import of the handler.

router = APIGatewayHttpRouter()
metrics = Metrics()
logger = Logger(child=True)

LICENSES = "/v2/partners/solutions/licenses"


def product_from_query() -> str:
    product = router.current_event.get_query_string_value("product")
    if not product:
        raise validation({"product": ["Missing data for required field."]})
    if catalog.product(product) is None:
        raise validation({"product": [f"Must be one of: {', '.join(catalog.PRODUCTS)}."]})
    return product


def dry_run_asked() -> bool:
    """`?dry_run=true`: check the create as it would run, store and send nothing."""
    from marshmallow import ValidationError

    from partnerapp.schemas.licenses import CreateLicenseQuerySchema

    value = router.current_event.get_query_string_value("dry_run")
    if value is None:
        return False
    try:  # the documented query schema's own field decides what a boolean is
        return bool(CreateLicenseQuerySchema().fields["dry_run"].deserialize(value))
    except ValidationError as error:
        raise validation({"dry_run": error.messages}) from None


@router.post(LICENSES)
def create_license() -> Response[str]:
    from marshmallow import ValidationError

    from partnerapp.api import idempotency
    from partnerapp.schemas.licenses import dump_created_license, dump_dry_run, load_new_license

    event = router.current_event
    partner = require_partner(event)
    product = product_from_query()
    idempotency.idempotency_key(event.headers)  # a malformed key is a 400 before anything else
    body = json_body(event)
    try:
        request = load_new_license(product, body)
    except ValidationError as error:
        raise validation(error.normalized_messages()) from None
    deps = dependencies()
    if dry_run_asked():
        # Checked like a create, answered before the Idempotency-Key is used: nothing stored.
        deps.creator.check(partner.partner_id, request)
        return json_response(200, dump_dry_run(request, deps.clock()))

    def create() -> dict[str, Any]:
        created = deps.creator.create(partner.partner_id, request)
        metrics.add_metric(name="LicenseCreated", unit=MetricUnit.Count, value=1)
        # Ids and enumerations only: never the customer's name or email.
        logger.info(
            "license created",
            extra={
                "license_id": created.license_id,
                "product": product,
                "data_center": created.data_center,
                "partner_id": partner.partner_id,
            },
        )
        return {"license_id": created.license_id}

    reference, replayed = idempotency.once(
        event.headers,
        partner_id=partner.partner_id,
        operation="create_license",
        request={"product": product, "body": body},
        action=create,
        context=router.lambda_context,
    )
    item = _owned_license(partner.partner_id, product, reference["license_id"])
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return json_response(201, dump_created_license(item), headers)


@router.get(f"{LICENSES}/<product>/<license_id>")
def get_license(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.licenses import dump_license_details

    partner = require_partner(router.current_event)
    if catalog.product(product) is None or not license_id.isdigit() or len(license_id) > 18:
        raise not_found("License not found.")
    return dump_license_details(_owned_license(partner.partner_id, product, int(license_id)))


def _owned_license(partner_id: str, product: str, license_id: int) -> License:
    found = dependencies().licenses.get_for_partner(partner_id, product, license_id)
    if found is None:
        raise not_found("License not found.")
    return found
