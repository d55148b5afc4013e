"""Managing one license: change, operators, offer, subscription, invoices, transfer and
history. Every route acts only on the signed-in partner's licenses (another partner's is a
404) and asks the catalog's rules (403)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp import catalog
from partnerapp.api import idempotency
from partnerapp.api.auth import require_partner
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import not_found
from partnerapp.api.requests import json_body, no_body
from partnerapp.api.responses import json_response
from partnerapp.api.validation import load
from partnerapp.domain import management
from partnerapp.domain.errors import RuleViolation
from partnerapp.domain.history import partner_actor
from partnerapp.domain.licenses import License, Operator
from partnerapp.domain.partners import Partner

if TYPE_CHECKING:
    from partnerapp.services.management import Change

router = APIGatewayHttpRouter()

LICENSES = "/v2/partners/solutions/licenses"
ONE = f"{LICENSES}/<product>/<license_id>"


def _target(product: str, license_id: str) -> tuple[Partner, int]:
    partner = require_partner(router.current_event)
    if catalog.product(product) is None or not license_id.isdigit() or len(license_id) > 18:
        raise not_found("License not found.")
    return partner, int(license_id)


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


@router.put(ONE)
def update_license(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.management import UpdateLicenseSchema

    partner, number = _target(product, license_id)
    changes = load(UpdateLicenseSchema, json_body(router.current_event))
    actor = partner_actor(partner.partner_id)
    outcome = dependencies().manager.change(
        partner.partner_id,
        product,
        number,
        lambda item, now: management.update_details(item, changes, actor, now),
    )
    return _details(outcome.license)


@router.post(f"{ONE}/operators")
def add_operators(product: str, license_id: str) -> list[dict[str, Any]]:
    from partnerapp.schemas.management import OperatorsSchema

    partner, _ = _target(product, license_id)
    body = json_body(router.current_event)
    data = load(OperatorsSchema, body)
    operators = [Operator(o["email"], o["role"]) for o in data["operators"]]
    actor = partner_actor(partner.partner_id)
    _, codes = _change_once(
        product,
        license_id,
        "add_operators",
        body,
        lambda item, now: management.add_operators(item, operators, actor, now),
    )
    return [{"operator": o.email, "status_code": code} for o, code in zip(operators, codes, strict=True)]


@router.post(f"{ONE}/operators/<email>/resend")
def resend_invitation(product: str, license_id: str, email: str) -> dict[str, Any]:
    from urllib.parse import unquote

    partner, _ = _target(product, license_id)
    no_body(router.current_event)
    address = unquote(email).strip().lower()
    actor = partner_actor(partner.partner_id)
    item, _ = _change_once(
        product,
        license_id,
        "resend_invitation",
        {"email": address},
        lambda lic, now: management.resend_invitation(lic, address, actor, now),
    )
    return _details(item)


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


@router.post(f"{ONE}/subscription")
def create_subscription(product: str, license_id: str) -> Response[str]:
    from partnerapp.schemas.management import SubscriptionSchema

    partner, _ = _target(product, license_id)
    body = json_body(router.current_event)
    data = load(SubscriptionSchema, body)
    actor = partner_actor(partner.partner_id)
    item, _ = _change_once(
        product,
        license_id,
        "create_subscription",
        body,
        lambda lic, now: management.create_subscription(
            lic, data["plan"], data["billing_cycle"], data["seats"], actor, now
        ),
    )
    return json_response(201, _details(item))


@router.put(f"{ONE}/subscription")
def change_subscription(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.management import SubscriptionChangeSchema

    partner, number = _target(product, license_id)
    changes = load(SubscriptionChangeSchema, json_body(router.current_event))
    actor = partner_actor(partner.partner_id)
    outcome = dependencies().manager.change(
        partner.partner_id,
        product,
        number,
        lambda lic, now: management.change_subscription(lic, changes, actor, now),
    )
    return _details(outcome.license)


@router.delete(f"{ONE}/subscription")
def close_subscription(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.management import CloseSubscriptionSchema

    partner, number = _target(product, license_id)
    query = load(CloseSubscriptionSchema, dict(router.current_event.query_string_parameters or {}))
    actor = partner_actor(partner.partner_id)
    outcome = dependencies().manager.change(
        partner.partner_id,
        product,
        number,
        lambda lic, now: management.close_subscription(lic, query["expire"], actor, now),
    )
    return _details(outcome.license)


@router.get(f"{ONE}/invoices")
def list_invoices(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.licenses import dump_invoice

    partner, number = _target(product, license_id)
    manager = dependencies().manager
    if not catalog.partner_manages(manager.owned(partner.partner_id, product, number).payment_origin):
        raise RuleViolation("The customer manages this subscription; its invoices are theirs.")
    return {"invoices": [dump_invoice(i) for i in manager.invoices(partner.partner_id, product, number)]}


@router.post(f"{ONE}/transfer")
def transfer(product: str, license_id: str) -> dict[str, Any]:
    partner, _ = _target(product, license_id)
    no_body(router.current_event)
    actor = partner_actor(partner.partner_id)
    item, _ = _change_once(
        product, license_id, "transfer", {}, lambda lic, now: management.transfer_to_client(lic, actor, now)
    )
    return _details(item)


@router.get(f"{ONE}/history")
def license_history(product: str, license_id: str) -> dict[str, Any]:
    from partnerapp.schemas.licenses import dump_history

    partner, number = _target(product, license_id)
    return {"history": dump_history(dependencies().manager.history(partner.partner_id, product, number))}
