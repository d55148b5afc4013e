"""`/v2/partners/solutions/licenses`: create a trial license and read it back."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit

from partnerapp import catalog
from partnerapp.api import paths
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc, OtherSuccess
from partnerapp.api.errors import not_found, validation
from partnerapp.api.requests import json_body
from partnerapp.api.responses import json_response

if TYPE_CHECKING:
    from partnerapp.domain.billing import Invoice
    from partnerapp.domain.licenses import License

# marshmallow and powertools idempotency are imported where they are used: a cold start
# pays for them on the first request that needs them, not on every import of the handler.

router = APIGatewayHttpRouter()
metrics = Metrics()
logger = Logger(child=True)

LICENSES = "/v2/partners/solutions/licenses"
CREATE_OPERATION = "create_license"


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


@Doc(
    "Create a trial license",
    "Starts the trial and emails the customer an invitation; each invited operator gets one "
    "too. Operators are allowed only on partner-managed LiveChat licenses (403 otherwise); a "
    "second license of a product for the same client_email is a 409; a coupon_id adds that "
    "coupon's discount to the offer (403 if unknown, expired or not for the product). "
    "data_center: `dal`/`us-south1` or `fra`/`eu-west3`. With "
    "`dry_run=true` the "
    "same checks run (schema, catalog rules, an existing license for the email) and a 200 "
    "tells what would be created: nothing is stored or sent, and the Idempotency-Key is not used.",
    body="licenses.CreateLicenseSchema",
    query="licenses.CreateLicenseQuerySchema",
    success=201,
    response="licenses.CreatedLicenseSchema",
    errors=(400, 401, 403, 409, 413, 415, 422),
    idempotent=True,
    also=(OtherSuccess(200, "Dry run: what would be created; nothing was.", "licenses.DryRunSchema"),),
)
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

    made: list[License] = []  # what this request created (none when it is a replay)
    asked = {"product": product, "body": body}
    ref = idempotency.request_ref(
        event.headers, partner_id=partner.partner_id, operation=CREATE_OPERATION, request=asked
    )

    def create() -> dict[str, Any]:
        created = deps.creator.create(partner, request, request_ref=ref)
        made.append(created)
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
        operation=CREATE_OPERATION,
        request=asked,
        action=create,
        context=router.lambda_context,
    )
    # The answer is the license as written, never read back; a replay reads what its first
    # attempt created.
    item = made[0] if made else _owned_license(partner.partner_id, product, reference["license_id"])
    headers = {"Idempotent-Replayed": "true"} if replayed else {}
    return json_response(201, dump_created_license(item), headers)


# The invoices are registered before the license details: `/licenses/321/invoices` would
# otherwise be read as product "321", license "invoices" (the router matches in order).
@Doc(
    "Invoices of a partner-managed subscription",
    "Newest first; amounts in dollars. A customer-managed license lists those issued while "
    "the partner managed it (none when it never was).",
    response="licenses.InvoiceListSchema",
    errors=(401, 404),
)
@router.get(f"{LICENSES}/<license_id>/invoices")
def list_invoices(license_id: str) -> dict[str, Any]:
    """Text API "Get License's Invoices": the path names no product (the id is enough)."""
    from partnerapp.schemas.licenses import dump_invoice_list

    partner = require_partner(router.current_event)
    item = _invoiced_license(partner.partner_id, paths.license_number(license_id))
    invoices, statuses = _invoices(partner.partner_id, item)
    return dump_invoice_list(sorted(invoices, key=lambda i: -i.number), statuses)  # newest first, as the docs


@Doc(
    "One invoice as a PDF",
    success_description="The invoice (application/pdf).",
    media="application/pdf",
    errors=(401, 404),
)
@router.get(f"{LICENSES}/<license_id>/invoices/<invoice_no>")
def invoice_pdf(license_id: str, invoice_no: str) -> Response[bytes]:
    """Text API "Get License's Invoice PDF": the invoice as `application/pdf`."""
    from partnerapp.services.invoice_pdf import invoice_pdf as render

    partner = require_partner(router.current_event)
    item = _invoiced_license(partner.partner_id, paths.license_number(license_id))
    number = paths.invoice_number(invoice_no)
    invoices, statuses = _invoices(partner.partner_id, item)
    found = next((i for i in invoices if i.number == number), None)
    if found is None:
        raise not_found("Invoice not found.")
    return Response(
        status_code=200,
        content_type="application/pdf",
        body=render(item, found, statuses[number]),
        headers={"Content-Disposition": f'inline; filename="invoice-{item.license_id}-{number}.pdf"'},
    )


def _invoiced_license(partner_id: str, license_id: int) -> License:
    """The partner's license. A customer-managed one (from the start, or since a transfer)
    answers the invoices issued while the partner managed it (none, or the earlier ones):
    the docs list no 403 here."""
    found = dependencies().licenses.get(license_id)
    if found is None or found.partner_id != partner_id:
        raise not_found("License not found.")
    return found


def _invoices(partner_id: str, item: License) -> tuple[list[Invoice], dict[int, str]]:
    from partnerapp.domain.billing import invoice_statuses

    deps = dependencies()
    invoices = deps.manager.invoices(partner_id, item.product, item.license_id)
    return invoices, invoice_statuses(invoices, deps.licenses.paid_cents(item.license_id))


@Doc(
    "A license with money, seats and invitations",
    response="licenses.LicenseDetailsSchema",
    errors=(401, 404),
    parameters=paths.PRODUCT,
)
@router.get(f"{LICENSES}/<product>/<license_id>")
def get_license(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.licenses import dump_license_details

    partner = require_partner(router.current_event)
    number = paths.product_and_license(product, license_id)
    return dump_license_details(_owned_license(partner.partner_id, product, number))


def _owned_license(partner_id: str, product: str, license_id: int) -> License:
    found = dependencies().licenses.get_for_partner(partner_id, product, license_id)
    if found is None:
        raise not_found("License not found.")
    return found
