"""Managing one license: change, operators, offer, subscription, invoices, transfer and
history. Every route acts only on the signed-in partner's licenses (another partner's is a
404) and asks the catalog's rules (403)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import idempotency, paths
from partnerapp.api.auth import bearer_token, require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.documented import Doc
from partnerapp.api.errors import ApiError
from partnerapp.api.requests import json_body, no_body
from partnerapp.api.responses import no_content
from partnerapp.api.validation import load
from partnerapp.domain import management
from partnerapp.domain.history import partner_actor
from partnerapp.domain.licenses import License
from partnerapp.domain.partners import Partner
from partnerapp.schemas import descriptions

if TYPE_CHECKING:
    from partnerapp.schemas.management import JudgedOperator
    from partnerapp.services.management import Change

router = APIGatewayHttpRouter()

LICENSES = "/v2/partners/solutions/licenses"
ONE = f"{LICENSES}/<product>/<license_id>"


def _target(product: str, license_id: str) -> tuple[Partner, int]:
    partner = require_partner(router.current_event)
    return partner, paths.product_and_license(product, license_id)


def _details(item: License) -> dict[str, Any]:
    from partnerapp.schemas.licenses import dump_license_details

    return dump_license_details(item)


def _change_once(
    product: str, license_id: str, operation: str, body: Any, change: Change
) -> tuple[License, Any]:
    """Apply a change at most once per Idempotency-Key; answer from the license as it is now."""
    partner, number = _target(product, license_id)
    deps = dependencies()

    def act() -> dict[str, Any]:
        outcome = deps.manager.change(partner.partner_id, product, number, change)
        codes = [r["status_code"] for r in outcome.result] if isinstance(outcome.result, list) else None
        return {"codes": codes}

    remembered, _ = idempotency.once(
        router.current_event.headers,
        partner_id=partner.partner_id,
        operation=operation,
        request={"license": number, "body": body},
        action=act,
        context=router.lambda_context,
    )
    return deps.manager.owned(partner.partner_id, product, number), remembered.get("codes")


# The docs' own example for "Update License Details" sends its PUT to this path (without
# `/partners`); it is served as the documented one, so the example works as printed.
DOCS_EXAMPLE_ONE = "/v2/solutions/licenses/<product>/<license_id>"


@Doc(
    "Change a license's details (the path of the docs' own example)",
    "The same operation as PUT /v2/partners/solutions/licenses/{product}/{license_id}.",
    success=204,
    success_description="Changed.",
    no_body=True,
    body="management.UpdateLicenseSchema",
    parameters=paths.PRODUCT,
    path=DOCS_EXAMPLE_ONE,
)
@Doc(
    "Change a license's details",
    success=204,
    success_description="Changed.",
    no_body=True,
    body="management.UpdateLicenseSchema",
    parameters=paths.PRODUCT,
)
@router.put(ONE)
@router.put(DOCS_EXAMPLE_ONE)
def update_license(product: str, license_id: str) -> Response[str]:
    """Text API "Update License Details": 204, no payload."""
    from partnerapp.schemas.management import UpdateLicenseSchema

    partner, number = _target(product, license_id)
    changes = load(UpdateLicenseSchema, json_body(router.current_event))
    actor = partner_actor(partner.partner_id)
    dependencies().manager.change(
        partner.partner_id,
        product,
        number,
        lambda item, now: management.update_details(item, changes, actor, now),
    )
    return no_content()


# The docs' per-user codes: 200 invited, 400 refused (already on the license, or no room).
INVITED = 201


@Doc(
    "Invite more operators",
    "Partner-managed LiveChat licenses only; answers a status code per operator (200 invited, 400 refused).",
    body="management.OperatorBatchSchema",
    response="licenses.OperatorResultsSchema",
    errors=(400, 401, 403, 404),
    idempotent=True,
    parameters=paths.PRODUCT,
)
@router.post(f"{ONE}/operators")
def add_operators(product: str, license_id: str) -> dict[str, Any]:
    """Text API "Invite License Operators": `{result: [{operator, status_code}]}`. An entry
    that is not a valid operator gets its own 400 (naming its fields); the others are invited."""
    from partnerapp.schemas.licenses import dump_operator_results
    from partnerapp.schemas.management import OperatorBatchSchema, judge_operators

    partner, _ = _target(product, license_id)
    body = json_body(router.current_event)
    judged = judge_operators(load(OperatorBatchSchema, body)["operators"])
    operators = [entry.operator for entry in judged if entry.operator is not None]
    actor = partner_actor(partner.partner_id)
    _, codes = _change_once(
        product,
        license_id,
        "add_operators",
        body,
        lambda item, now: management.add_operators(item, operators, actor, now),
    )
    return dump_operator_results(_operator_results(judged, list(codes or [])))


def _operator_results(judged: list[JudgedOperator], codes: list[int]) -> list[dict[str, Any]]:
    """One result per entry as sent, in order: the refused ones with their fields, the others
    with the domain's code for them (`codes` follows the valid entries)."""
    remaining = iter(codes)
    results: list[dict[str, Any]] = []
    for entry in judged:
        if entry.operator is None:
            results.append({"operator": entry.given, "status_code": 400, "fields": entry.errors})
        else:
            code = next(remaining)
            results.append({"operator": entry.operator.email, "status_code": 200 if code == INVITED else 400})
    return results


@Doc(
    "Send an invitation again",
    # store/resend_limits' numbers, written out: importing it would load boto3 with the
    # handler (tests/infra/test_openapi_document.py checks that they agree).
    "Each person's invitation can be resent 3 times a clock "
    "hour, and one license's invitations 10 times a UTC day; past "
    "either the answer is 429 with `Retry-After` (until that hour or day ends) and no email is sent.",
    response="licenses.LicenseDetailsSchema",
    errors=(401, 403, 404),
    idempotent=True,
    parameters={**paths.PRODUCT, "email": descriptions.EMAIL},
)
@router.post(f"{ONE}/operators/<email>/resend")
def resend_invitation(product: str, license_id: str, email: str) -> dict[str, Any]:
    from urllib.parse import unquote

    from partnerapp.domain.addresses import as_stored

    partner, _ = _target(product, license_id)
    no_body(router.current_event)
    from partnerapp.store.resend_limits import ResendLimits

    address = as_stored(unquote(email))  # spelled as the invitation stored it
    actor = partner_actor(partner.partner_id)
    limits = ResendLimits(dependencies().settings)
    item, _ = _change_once(
        product,
        license_id,
        "resend_invitation",
        {"email": address},
        limits.limited(lambda lic, now: management.resend_invitation(lic, address, actor, now), address),
    )
    return _details(item)


@Doc(
    "Customize the offer",
    "An extra discount or a longer trial, on partner-managed licenses whose product allows it.",
    body="management.OfferSchema",
    response="licenses.LicenseDetailsSchema",
    errors=(400, 401, 403, 404),
    idempotent=True,
    parameters=paths.PRODUCT,
)
@router.post(f"{ONE}/offer")
def customize_offer(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.management import OfferSchema

    partner, _ = _target(product, license_id)
    body = json_body(router.current_event)
    data = load(OfferSchema, body)
    actor = partner_actor(partner.partner_id)
    item, _ = _change_once(
        product,
        license_id,
        "offer",
        body,
        lambda lic, now: management.customize_offer(
            lic, data.get("extra_discount_percent"), data.get("extend_trial_days"), actor, now
        ),
    )
    return _details(item)


@Doc(
    "Start the subscription",
    "Partner-managed licenses only. `token` is not kept and nothing is charged: giving it "
    "records a payment method on file (cc_added).",
    body="management.CreateSubscriptionSchema",
    success=201,
    success_description="Created.",
    no_body=True,
    errors=(400, 401, 403, 404, 409),
    idempotent=True,
    parameters=paths.PRODUCT,
)
@router.post(f"{ONE}/subscription")
def create_subscription(product: str, license_id: str) -> Response[str]:
    """Text API "Create Subscription": 201, no payload. `token` records a payment method on
    file (cc_added); nothing is charged and the token is not kept."""
    from partnerapp.schemas.management import CreateSubscriptionSchema

    partner, _ = _target(product, license_id)
    body = json_body(router.current_event)
    data = load(CreateSubscriptionSchema, body)
    actor = partner_actor(partner.partner_id)
    _change_once(
        product,
        license_id,
        "create_subscription",
        body,
        lambda lic, now: management.create_subscription(
            lic, data["plan"], data["billing_cycle"], data["seats"], actor, now, card_on_file=True
        ),
    )
    return Response(status_code=201, body="")


@Doc(
    "Change the subscription",
    "409 when the license has no active subscription.",
    body="management.SubscriptionChangeSchema",
    success=204,
    success_description="Changed.",
    no_body=True,
    errors=(400, 401, 403, 404, 409),
    parameters=paths.PRODUCT,
)
@router.put(f"{ONE}/subscription")
def change_subscription(product: str, license_id: str) -> Response[str]:
    """Text API "Update Subscription": 204; 409 when there is none."""
    from partnerapp.schemas.management import SubscriptionChangeSchema

    partner, number = _target(product, license_id)
    changes = load(SubscriptionChangeSchema, json_body(router.current_event))
    actor = partner_actor(partner.partner_id)
    dependencies().manager.change(
        partner.partner_id,
        product,
        number,
        lambda lic, now: management.change_subscription(lic, changes, actor, now),
    )
    return no_content()


@Doc(
    "Close the subscription",
    "`expire` true: the license expires at once; false (default): at the end of the billing "
    "cycle. `password` must be the API token the request is authorized with (403 otherwise).",
    body="management.CloseSubscriptionSchema",
    success=204,
    success_description="Closed.",
    no_body=True,
    errors=(400, 401, 403, 404, 409),
    parameters=paths.PRODUCT,
)
@router.delete(f"{ONE}/subscription")
def close_subscription(product: str, license_id: str) -> Response[str]:
    """Text API "Close Subscription": 204. `password` is checked against this request's API
    token (there are no passwords here); `expire` true ends it at once."""
    import hmac

    from partnerapp.schemas.management import CloseSubscriptionSchema

    partner, number = _target(product, license_id)
    data = load(CloseSubscriptionSchema, json_body(router.current_event))
    token = bearer_token(router.current_event) or ""
    if not hmac.compare_digest(data["password"].encode(), token.encode()):
        raise ApiError(
            403,
            "authorization",
            "The password is incorrect: send the API token this request is authorized with.",
            {"password": ["Incorrect."]},
        )
    actor = partner_actor(partner.partner_id)
    dependencies().manager.change(
        partner.partner_id,
        product,
        number,
        lambda lic, now: management.close_subscription(lic, data["expire"], actor, now),
    )
    return no_content()


@Doc(
    "Give a new payment method",
    "The token is not kept and nothing is charged: the license records a payment method on file.",
    body="management.BillingSchema",
    success=204,
    success_description="Recorded.",
    no_body=True,
    errors=(400, 401, 403, 404),
    parameters=paths.PRODUCT,
)
@router.put(f"{ONE}/billing")
def update_billing(product: str, license_id: str) -> Response[str]:
    """Text API "Update License Billing": 204. The token is not kept (nothing is charged):
    the license records a payment method on file."""
    from partnerapp.schemas.management import BillingSchema

    partner, number = _target(product, license_id)
    load(BillingSchema, json_body(router.current_event))
    actor = partner_actor(partner.partner_id)
    dependencies().manager.change(
        partner.partner_id, product, number, lambda lic, now: management.update_billing(lic, actor, now)
    )
    return no_content()


@Doc(
    "Hand the subscription over to the customer",
    "`new_owner` (one of the license's users) becomes its owner; the customer manages and pays "
    "the subscription from now on.",
    body="management.TransferSchema",
    response="licenses.TransferredLicenseSchema",
    errors=(400, 401, 403, 404, 409),
    idempotent=True,
    parameters=paths.PRODUCT,
)
@router.post(f"{ONE}/transfer")
def transfer(product: str, license_id: str) -> dict[str, Any]:
    """Text API "Transfer License": the customer manages the subscription from now on and
    `new_owner` (one of the license's users) owns it. 200 with the license."""
    from partnerapp.schemas.licenses import dump_transferred
    from partnerapp.schemas.management import TransferSchema

    partner, _ = _target(product, license_id)
    body = json_body(router.current_event)
    new_owner = load(TransferSchema, body)["new_owner"]
    actor = partner_actor(partner.partner_id)
    item, _ = _change_once(
        product,
        license_id,
        "transfer",
        body,
        lambda lic, now: management.transfer_to_client(lic, actor, now, new_owner),
    )
    return dump_transferred(item)


@Doc(
    "What changed on a license, and who changed it",
    response="history.HistorySchema",
    errors=(401, 404),
    parameters=paths.PRODUCT,
)
@router.get(f"{ONE}/history")
def license_history(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.history import dump_history

    partner, number = _target(product, license_id)
    return dump_history(dependencies().manager.history(partner.partner_id, product, number))
