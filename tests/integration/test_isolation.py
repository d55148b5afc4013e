"""Two partners side by side: nothing of one is seen, changed or usable by the other.

Every route that takes an object's id in its path is called with the other partner's ids (the
list of routes comes from template.yaml, so a new one cannot be left out); tokens, sessions,
sign-in links and webhooks of one never act for the other; and the logs of all this hold no
token and no personal data."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

from partnerapp_infra.aws import template
from tests.conftest import (
    LICENSES,
    ApiClient,
    PartnerAccount,
    license_body,
    new_license,
    run_sweep,
    sent_emails,
)
from tests.lifecycle_support import WebhookReceiver, run_function
from tests.site.conftest import WebClient, links_sent_to, newest_link

# Path parameters that name one partner's object; {product} and {status} name none.
ID_PARAMETERS = {"license_id", "organization_id", "webhook_id", "token_id", "email"}
LICENSE = "/v2/partners/solutions/licenses/{product}/{license_id}"
ORGANIZATION = "/v2/partners/solutions/organizations/{organization_id}"
INVOICES = "/v2/partners/solutions/licenses/{license_id}/invoices"
INTRUDER_TOKEN = "<the intruder's own token>"  # replaced by it when sent
WEBHOOK = "/v2/partners/webhooks/{webhook_id}"
WEB_LICENSE = "/web/licenses/{product}/{license_id}"
# What a help-center form would post: enough to change something if the intruder were let in.
FORM = {
    "email": "mole@intruder.example",
    "role": "administrator",
    "extra_discount_percent": "30",
    "plan": "team",
    "billing_cycle": "monthly",
    "seats": "9",
    "expire": "true",
    "new_owner": "mole@intruder.example",
    "version": "1",
}

# What the intruder sends to each route: a body that would change something if it were let in.
CROSS_PARTNER_CALLS: dict[str, Any] = {
    f"GET {LICENSE}": None,
    f"PUT {LICENSE}": {"client_name": "Taken Over Ltd", "purchase_order": "PO-STOLEN"},
    f"GET {LICENSE}/history": None,
    f"GET {INVOICES}": None,
    f"GET {INVOICES}/{{invoice_no}}": None,
    f"POST {LICENSE}/offer": {"extra_discount_percent": 30, "extend_trial_days": 10},
    f"POST {LICENSE}/operators": {"operators": [{"email": "mole@intruder.example", "role": "administrator"}]},
    f"POST {LICENSE}/operators/{{email}}/resend": None,
    f"POST {LICENSE}/subscription": {
        "plan": "team",
        "billing_cycle": "monthly",
        "seats": 3,
        "token": "tok_x",
    },
    f"PUT {LICENSE}/subscription": {"seats": 9},
    f"DELETE {LICENSE}/subscription": {"password": INTRUDER_TOKEN, "expire": True},
    f"PUT {LICENSE}/billing": {"token": "tok_x"},
    f"POST {LICENSE}/transfer": {"new_owner": "agent@victim.example"},
    "PUT /v2/solutions/licenses/{product}/{license_id}": {"client_name": "Taken Over Ltd"},
    f"GET {ORGANIZATION}": None,
    f"GET {ORGANIZATION}/licenses": None,
    f"POST {ORGANIZATION}/licenses": {
        "payment_origin": "partner",
        "client_name": "Victim Group Owner",
        "client_email": "group@victim.example",
    },
    "DELETE /v2/partners/tokens/{token_id}": None,
    f"DELETE {WEBHOOK}": None,
    f"GET {WEBHOOK}/deliveries": None,
    f"POST {WEBHOOK}/test": None,
    # The help center's license page and its forms, with a session cookie instead of a token
    f"GET {WEB_LICENSE}": None,
    f"POST {WEB_LICENSE}/operators": FORM,
    f"POST {WEB_LICENSE}/operators/resend": FORM,
    f"POST {WEB_LICENSE}/offer": FORM,
    f"POST {WEB_LICENSE}/subscription": FORM,
    f"POST {WEB_LICENSE}/subscription/change": FORM,
    f"POST {WEB_LICENSE}/subscription/close": FORM,
    f"POST {WEB_LICENSE}/transfer": FORM,
    # The tokens page: the revoke confirmation and its button
    "GET /web/tokens/{token_id}/revoke": None,
    "POST /web/tokens/{token_id}/revoke": FORM,
}


def routes_with_object_ids() -> set[str]:
    return {
        r.route_key for r in template.http_routes() if set(re.findall(r"\{(\w+)\}", r.path)) & ID_PARAMETERS
    }


@dataclass
class Holdings:
    """What the victim partner owns, with the ids an intruder would aim at."""

    product: str
    license_id: str
    email: str
    organization_id: str
    webhook_id: str
    token_id: str
    invoice_no: str = "1"  # the subscription's first invoice, issued as its first cycle began

    def path(self, route_path: str) -> str:
        return route_path.format(**vars(self))


def _created(answer: Any) -> Any:
    assert answer.status in (201, 200), answer.body
    return answer.json()


def give_holdings(api: ApiClient, owner: PartnerAccount) -> Holdings:
    """A partner-managed LiveChat license with an invited agent and a running subscription, an
    organization with a license, a webhook that has deliveries, and a second API token."""
    created = _created(
        api.post(
            f"{LICENSES}?product=livechat",
            token=owner.token,
            json_body=license_body(
                client_name="Victim Customer Inc",
                client_email="owner@victim.example",
                operators=[{"email": "agent@victim.example", "role": "agent"}],
            ),
        )
    )
    license_path = f"{LICENSES}/livechat/{created['license']}"
    subscribed = api.post(
        f"{license_path}/subscription",
        token=owner.token,
        json_body={"plan": "starter", "billing_cycle": "monthly", "seats": 2, "token": "tok_1"},
    )
    assert subscribed.status == 201, subscribed.body  # no payload, as documented
    organization = _created(
        api.post(
            "/v2/partners/solutions/organizations",
            token=owner.token,
            json_body={
                "organization_name": "Victim Group",
                "client_name": "Victim Group Owner",
                "client_email": "group@victim.example",
            },
        )
    )
    organization_id = organization["id"]
    _created(
        api.post(
            f"/v2/partners/solutions/organizations/{organization_id}/licenses?product=chatbot",
            token=owner.token,
            json_body={
                "payment_origin": "client",
                "client_name": "Victim Group Owner",
                "client_email": "group@victim.example",
            },
        )
    )
    webhook = _created(
        api.post(
            "/v2/partners/webhooks",
            token=owner.token,
            json_body={"url": "http://127.0.0.1:9/victim-hook", "events": ["license.created"]},
        )
    )
    assert api.post(f"/v2/partners/webhooks/{webhook['id']}/test", token=owner.token).status == 202
    token = _created(api.post("/v2/partners/tokens", token=owner.token, json_body={"label": "crm"}))
    run_sweep()
    return Holdings(
        "livechat",
        str(created["license"]),
        "agent@victim.example",
        organization_id,
        webhook["id"],
        token["id"],
    )


def what_the_owner_sees(api: ApiClient, owner: PartnerAccount, held: Holdings) -> dict[str, Any]:
    views = {
        "license": held.path(LICENSE),
        "history": held.path(f"{LICENSE}/history"),
        "invoices": held.path(INVOICES),
        "licenses": LICENSES,
        "organization": held.path(ORGANIZATION),
        "organization licenses": held.path(f"{ORGANIZATION}/licenses"),
        "webhooks": "/v2/partners/webhooks",
        "deliveries": held.path(f"{WEBHOOK}/deliveries"),
        "tokens": "/v2/partners/tokens",
        "profile": "/v2/partners",
    }
    seen: dict[str, Any] = {}
    for name, path in views.items():
        answer = api.get(path, token=owner.token)
        assert answer.status == 200, (name, answer.body)
        seen[name] = answer.json()
    return seen


def test_every_route_with_an_object_id_is_in_the_cross_partner_list() -> None:
    # A route added to the template with an id in its path must be added here too
    assert routes_with_object_ids() == set(CROSS_PARTNER_CALLS)


def test_another_partners_ids_are_not_found_on_every_route_and_nothing_changes(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    # Given a partner with a license, a subscription, an organization, a webhook and a token
    held = give_holdings(api, other_partner)
    # And another partner, signed in to the help center too
    intruder_browser = WebClient()
    assert intruder_browser.sign_in("agency@partner.example").status == 303
    before = what_the_owner_sees(api, other_partner, held)
    emails_before = len(sent_emails())
    # When that other partner calls every route with the first one's ids
    answers = {}
    for route_key, body in CROSS_PARTNER_CALLS.items():
        method, path = route_key.split(" ", 1)
        url = held.path(path) + ("?product=livechat" if path.endswith("/licenses") else "")
        if path.startswith("/web/") and method == "GET":
            answers[route_key] = intruder_browser.get(url).status
        elif path.startswith("/web/"):
            answers[route_key] = intruder_browser.post_form(url, body).status
        else:
            if isinstance(body, dict) and body.get("password") == INTRUDER_TOKEN:
                body = {**body, "password": partner.token}  # the intruder's own, right password
            answers[route_key] = api.request(method, url, token=partner.token, json_body=body).status
    run_sweep()
    # Then each answer is a 404, as for an id that does not exist
    assert answers == dict.fromkeys(CROSS_PARTNER_CALLS, 404)
    # And the owner sees exactly what they saw before, and no email went out
    assert what_the_owner_sees(api, other_partner, held) == before
    assert len(sent_emails()) == emails_before
    # And the intruder has none of it among their own objects
    for path, key in [(LICENSES, "result"), ("/v2/partners/webhooks", "webhooks")]:
        assert api.get(path, token=partner.token).json()[key] == []
    tokens = api.get("/v2/partners/tokens", token=partner.token).json()["result"]
    assert int(held.token_id) not in {t["id"] for t in tokens}
    # And the logs of it all name no customer and hold no token
    captured = json_logs.getvalue()
    assert "license_id" in captured  # the logs are there...
    for secret in (
        partner.token,
        other_partner.token,
        "owner@victim.example",
        "agent@victim.example",
        "group@victim.example",
        "Victim Customer Inc",
        "Taken Over Ltd",
        "mole@intruder.example",
        *intruder_browser.cookies.values(),
    ):
        assert secret not in captured  # ...without what they must not hold


def test_a_token_acts_only_for_its_own_partner(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    # Given each partner's token
    # When each reads "its" profile
    mine = api.get("/v2/partners", token=partner.token).json()
    theirs = api.get("/v2/partners", token=other_partner.token).json()
    # Then each sees only itself
    assert mine["partner_id"] == partner.partner_id and mine["login"] == "agency@partner.example"
    assert theirs["partner_id"] == other_partner.partner_id and theirs["login"] == "rival@partner.example"
    # And a license created with one token belongs to that partner alone
    created = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body()).json()
    path = f"{LICENSES}/livechat/{created['license']}"
    assert api.get(path, token=partner.token).status == 200
    assert api.get(path, token=other_partner.token).status == 404
    # And the other partner may create the same customer's license: theirs, not a duplicate
    again = api.post(f"{LICENSES}?product=livechat", token=other_partner.token, json_body=license_body())
    assert again.status == 201 and again.json()["license"] != created["license"]
    # And one partner revoking their own token leaves the other's working
    token = api.post("/v2/partners/tokens", token=partner.token, json_body={"label": "xyz"}).json()
    assert api.delete(f"/v2/partners/tokens/{token['id']}", token=partner.token).status == 204
    assert api.get("/v2/partners", token=token["token"]).status == 401
    assert api.get("/v2/partners", token=other_partner.token).status == 200


def test_an_idempotency_key_of_one_partner_replays_nothing_for_the_other(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    # Given a license created by one partner with an Idempotency-Key
    key = {"Idempotency-Key": "shared-crm-order-1"}
    first = api.post(
        f"{LICENSES}?product=livechat", token=partner.token, headers=key, json_body=license_body()
    )
    assert first.status == 201
    # When the other partner sends the same key and body
    second = api.post(
        f"{LICENSES}?product=livechat", token=other_partner.token, headers=key, json_body=license_body()
    )
    # Then they get a license of their own, not a replay of the first partner's
    assert second.status == 201 and second.header("Idempotent-Replayed") is None
    assert second.json()["license"] != first.json()["license"]


def test_sessions_and_sign_in_links_act_only_for_their_own_partner(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    # Given the second partner's license
    theirs = api.post(f"{LICENSES}?product=livechat", token=other_partner.token, json_body=license_body())
    their_page = f"/web/licenses/livechat/{theirs.json()['license']}"
    # When the first partner asks for a sign-in link
    web = WebClient()
    assert web.post_form("/web/sign-in", {"email": "agency@partner.example"}).status == 303
    # Then only the first partner's inbox gets one
    assert links_sent_to("agency@partner.example") and not links_sent_to("rival@partner.example")
    # And asking with the second partner's login does not hand that link to the first
    link = newest_link("agency@partner.example")
    # When the link is opened
    assert web.use_link(link).status == 303
    # Then the session is the first partner's, and shows the second partner's license as unknown
    session = web.get("/web/session").json()
    assert session == {
        "signed_in": True,
        "partner": {"contact_name": "Agency One", "login": "agency@partner.example"},
    }
    assert web.get(their_page).status == 404
    # And the session id does not work as an API token, nor an API token as a session
    [session_id] = web.cookies.values()
    assert api.get("/v2/partners", token=session_id).status == 401
    cookie_name = next(iter(web.cookies))
    forged = WebClient(cookies={cookie_name: other_partner.token})
    assert forged.get("/web/session").json() == {"signed_in": False}
    assert forged.get(their_page).status == 401
    # And the link, once used, signs no one in again
    reuse = WebClient()
    assert reuse.use_link(link).status == 400
    assert reuse.get("/web/session").json() == {"signed_in": False}
    # And the second partner's own sign-in gives their session, not the first's
    rival = WebClient()
    assert rival.sign_in("rival@partner.example").status == 303
    assert rival.get("/web/session").json()["partner"]["login"] == "rival@partner.example"
    assert rival.get(their_page).status == 200
    assert set(rival.cookies.values()).isdisjoint(web.cookies.values())
    # And no link token, session id, API token or login reached the logs
    captured = json_logs.getvalue()
    link_token = link.split("token=", 1)[1]
    for secret in (link_token, session_id, *rival.cookies.values(), partner.token, other_partner.token):
        assert secret not in captured
    assert "agency@partner.example" not in captured and "rival@partner.example" not in captured


def test_webhooks_and_their_deliveries_are_seen_only_by_their_partner(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    # Given each partner with a webhook at an endpoint of their own, and a license each
    receivers = {p.partner_id: WebhookReceiver().start() for p in (partner, other_partner)}
    try:
        hooks, licenses = {}, {}
        for owner in (partner, other_partner):
            answer = api.post(
                "/v2/partners/webhooks",
                token=owner.token,
                json_body={"url": receivers[owner.partner_id].url, "events": ["license.created"]},
            )
            assert answer.status == 201
            hooks[owner.partner_id] = answer.json()
            licenses[owner.partner_id] = str(new_license(api, owner)["license"])
        # When the webhooks function runs
        assert run_function("WebhooksFunction")["delivered"] == 2
        # Then each endpoint received its own partner's event only
        for owner in (partner, other_partner):
            [received] = receivers[owner.partner_id].received
            assert received.json()["type"] == "license.created"
            assert str(received.json()["data"]["license"]) == licenses[owner.partner_id]
    finally:
        for receiver in receivers.values():
            receiver.stop()
    for owner, rival in [(partner, other_partner), (other_partner, partner)]:
        # and each partner's list shows its own endpoint, no secret, and only its deliveries
        listed = api.get("/v2/partners/webhooks", token=owner.token).json()["webhooks"]
        assert [w["id"] for w in listed] == [hooks[owner.partner_id]["id"]]
        assert all("secret" not in w for w in listed)
        mine = api.get(f"/v2/partners/webhooks/{hooks[owner.partner_id]['id']}/deliveries", token=owner.token)
        [delivery] = mine.json()["deliveries"]
        [received] = receivers[owner.partner_id].received
        assert (delivery["event_id"], delivery["status"]) == (received.json()["id"], "delivered")
        # while the other partner's webhook is not found, for its deliveries or its test
        theirs = hooks[rival.partner_id]["id"]
        assert api.get(f"/v2/partners/webhooks/{theirs}/deliveries", token=owner.token).status == 404
        assert api.post(f"/v2/partners/webhooks/{theirs}/test", token=owner.token).status == 404
