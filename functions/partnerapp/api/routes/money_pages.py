"""`/web/payouts` and `/web/leads`: the signed-in partner's payout details (shown and saved
through the API's `UpdatePayoutSchema`, as `PUT /v2/partners/billing`) with the balance, and
the partner's leads. Plain forms and links: they work without JavaScript."""

from __future__ import annotations

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.domain.balance import Balance
from partnerapp.domain.partners import Partner

router = APIGatewayHttpRouter()
PAYOUTS = "/web/payouts"


def _partner(title: str, reason: str) -> Partner | Response[str]:
    from partnerapp.web import pages

    partner = browser.signed_in_partner(router.current_event)
    if partner is None:
        return browser.html(401, pages.sign_in_first_page(title, reason, browser.here(router.current_event)))
    return partner


def _payouts_partner() -> Partner | Response[str]:
    return _partner("Sign in to see your payouts", "Your payout details and balance are shown to you only.")


def _balance(partner_id: str) -> Balance:
    from partnerapp.services.balance import BalanceReader

    deps = dependencies()
    return BalanceReader(deps.settings).balance(partner_id, deps.clock())


@router.get(PAYOUTS)
def payouts_page() -> Response[str]:
    from partnerapp.store.payouts import PayoutStore
    from partnerapp.web import money_pages

    found = _payouts_partner()
    if isinstance(found, Response):
        return found
    details = PayoutStore(dependencies().settings).get(found.partner_id)
    saved = (router.current_event.query_string_parameters or {}).get("done") == "saved"
    notice = "Your payout details are saved." if saved else None
    values = money_pages.payout_values(details)
    page = money_pages.payouts_page(found, values, _balance(found.partner_id), notice=notice)
    return browser.html(200, page)


@router.post(PAYOUTS)
def save_payouts() -> Response[str]:
    from marshmallow import ValidationError

    from partnerapp.schemas.payouts import UpdatePayoutSchema
    from partnerapp.store.payouts import PayoutStore
    from partnerapp.web import forms, money_pages

    event = router.current_event
    browser.require_same_origin(event)
    found = _payouts_partner()
    if isinstance(found, Response):
        return found
    body, shown = money_pages.payout_submission(browser.form_body(event))
    try:
        details = UpdatePayoutSchema().load(body)
    except ValidationError as error:
        errors = forms.field_errors(error.normalized_messages())
        page = money_pages.payouts_page(found, shown, _balance(found.partner_id), errors=errors)
        return browser.html(400, page)
    PayoutStore(dependencies().settings).put(found.partner_id, details)
    return browser.see_other(f"{PAYOUTS}?done=saved")


@router.get("/web/leads")
def leads_page() -> Response[str]:
    from partnerapp.services.leads import Leads
    from partnerapp.web import money_pages

    found = _partner("Sign in to see your leads", "Your leads are shown to you only, once signed in.")
    if isinstance(found, Response):
        return found
    leads = Leads(dependencies().settings).listed(found.partner_id)
    return browser.html(200, money_pages.leads_page(found, leads))
