"""An invitation email's link: opening it shows the invitation, the button accepts it once,
the person takes a seat, and the seats used are what a partner-managed license is billed."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from tests.conftest import (
    LICENSES,
    ApiClient,
    ApiResponse,
    PartnerAccount,
    license_details,
    new_license,
    run_sweep,
)
from tests.lifecycle_support import FakeClock, accept_tokens, billing_event, post_billing_event

ACCEPT = "/web/invitations/accept"
ANN = "ann@acme.example"


def accept(api: ApiClient, token: str) -> ApiResponse:
    form = urlencode({"token": token}).encode()
    return api.post(ACCEPT, body=form, headers={"content-type": "application/x-www-form-urlencoded"})


def invited(api: ApiClient, partner: PartnerAccount, *operators: str) -> dict[str, Any]:
    item = new_license(api, partner, operators=[{"email": e, "role": "agent"} for e in operators])
    run_sweep()
    return item


def test_opening_the_link_shows_the_invitation_and_accepts_nothing(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = invited(api, partner, ANN)
    [token] = accept_tokens(ANN)
    # When the link is opened (as a person, or a mail scanner prefetching it, would)
    page = api.get(f"{ACCEPT}?token={token}")
    # Then it shows the invitation with a button, and nothing is accepted yet
    assert page.status == 200
    assert b"Join Acme Corporation on LiveChat" in page.body and b'name="token"' in page.body
    assert page.header("content-type") == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in (page.header("content-security-policy") or "")
    after = license_details(api, partner, item)
    assert after["seats_used"] == 0 and after["invited_agents"][0]["invitation_status"] == "sent"


def test_accepting_takes_a_seat_once_and_shows_what_to_do_next(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = invited(api, partner, ANN)
    [token] = accept_tokens(ANN)
    accepted = accept(api, token)
    assert accepted.status == 200, accepted.body
    assert b"Welcome to LiveChat" in accepted.body and b"What to do next" in accepted.body
    assert f"Sign in to LiveChat with this email address: {ANN}".encode() in accepted.body
    license_ = license_details(api, partner, item)
    assert license_["seats_used"] == 1
    assert license_["invited_agents"] == [{"email": ANN, "role": "agent", "invitation_status": "accepted"}]
    history = api.get(f"{LICENSES}/livechat/{item['license']}/history", token=partner.token).json()["history"]
    assert history[-1]["action"] == "invitation_accepted" and history[-1]["who"] == "invitee"
    assert history[-1]["details"] == {"email": ANN, "role": "agent"}
    # The link works once: used again, it says so and takes no second seat
    again = accept(api, token)
    assert again.status == 409 and b"already accepted" in again.body
    assert api.get(f"{ACCEPT}?token={token}").status == 200  # the page still says where to go
    assert license_details(api, partner, item)["seats_used"] == 1


def test_the_customer_accepts_too_and_every_acceptance_is_a_seat(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = invited(api, partner, ANN, "bob@acme.example")
    for person in ("owner@acme.example", ANN):
        assert accept(api, accept_tokens(person)[-1]).status == 200
    license_ = license_details(api, partner, item)
    assert license_["seats_used"] == 2 and license_["client_invitation_status"] == "accepted"
    assert {a["email"]: a["invitation_status"] for a in license_["invited_agents"]} == {
        ANN: "accepted",
        "bob@acme.example": "sent",
    }


def test_a_resend_voids_the_older_link(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> None:
    item = invited(api, partner, ANN)
    [old] = accept_tokens(ANN)
    resent = api.post(f"{LICENSES}/livechat/{item['license']}/operators/{ANN}/resend", token=partner.token)
    assert resent.status == 200
    run_sweep()
    old_again, new = accept_tokens(ANN)
    assert old_again == old and new != old
    refused = accept(api, old)
    assert refused.status == 404 and b"does not work" in refused.body
    assert accept(api, new).status == 200
    assert license_details(api, partner, item)["seats_used"] == 1


def test_an_expired_link_and_forged_links_accept_nothing(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = invited(api, partner, ANN)
    [token] = accept_tokens(ANN)
    license_id, seq, secret = token.split(".")
    forged = [
        "",
        "not-a-token",
        f"{license_id}.{seq}.{'A' * 43}",  # the right invitation, a guessed secret
        f"{license_id}.0.{secret}",  # another invitation of the license, this link's secret
        f"{int(license_id) + 10}.{seq}.{secret}",
    ]
    for bad in forged:
        assert accept(api, bad).status == 404, bad
        assert api.get(f"{ACCEPT}?token={bad}").status == 404, bad
    clock.advance(days=15)  # links work for 14 days
    # opened from the email (GET) or its button pressed (POST): the page says it expired
    opened = api.get(f"{ACCEPT}?{urlencode({'token': token})}")
    assert opened.status == 410 and b"has expired" in opened.body
    expired = accept(api, token)
    assert expired.status == 410 and b"has expired" in expired.body
    assert license_details(api, partner, item)["seats_used"] == 0


def test_a_license_that_ended_takes_no_new_seats(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = invited(api, partner, ANN)
    path = f"{LICENSES}/livechat/{item['license']}"
    subscribed = api.post(
        f"{path}/subscription",
        token=partner.token,
        json_body={"plan": "team", "billing_cycle": "monthly", "seats": 2, "token": "tok_1"},
    )
    assert subscribed.status == 201, subscribed.body
    close = {"password": partner.token, "expire": True}
    assert api.request("DELETE", f"{path}/subscription", token=partner.token, json_body=close).status == 204
    ended = accept(api, accept_tokens(ANN)[0])
    assert ended.status == 410 and b"This license has ended" in ended.body
    assert license_details(api, partner, item)["seats_used"] == 0


def test_a_double_click_on_accept_takes_one_seat(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # (Two environments racing on one license's versioned write: test_concurrency.py.)
    item = invited(api, partner, ANN)
    [token] = accept_tokens(ANN)
    statuses = [accept(api, token).status for _ in range(2)]
    assert statuses == [200, 409]
    assert license_details(api, partner, item)["seats_used"] == 1


def test_a_partner_managed_license_is_billed_for_the_seats_used(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given 3 invited operators of whom 2 accept, and a 5-seat Team subscription
    item = invited(api, partner, ANN, "bob@acme.example", "cy@acme.example")
    for person in (ANN, "bob@acme.example"):
        assert accept(api, accept_tokens(person)[0]).status == 200
    path = f"{LICENSES}/livechat/{item['license']}"
    api.post(
        f"{path}/subscription",
        token=partner.token,
        json_body={"plan": "team", "billing_cycle": "monthly", "seats": 5, "token": "tok_1"},
    )
    # Then the first invoice bills the 2 seats used: 2 x $41.00, less the 20% partner discount
    [invoice] = api.get(f"{LICENSES}/{item['license']}/invoices", token=partner.token).json()["result"]
    assert (invoice["seats"], invoice["gross"], invoice["amount"]) == (2, 82, 65.6)
    assert invoice["savings"] == 16.4


def test_an_invoice_is_issued_until_the_billing_system_reports_its_payment(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a partner-managed Team subscription billing 2 seats used ($65.60 a month)
    item = invited(api, partner, ANN, "bob@acme.example")
    for person in (ANN, "bob@acme.example"):
        assert accept(api, accept_tokens(person)[0]).status == 200
    api.post(
        f"{LICENSES}/livechat/{item['license']}/subscription",
        token=partner.token,
        json_body={"plan": "team", "billing_cycle": "monthly", "seats": 5, "token": "tok_1"},
    )
    invoices = f"{LICENSES}/{item['license']}/invoices"
    [invoice] = api.get(invoices, token=partner.token).json()["result"]
    # Then it is issued; a payment short of it leaves it so; once the payments cover it, it is paid
    assert (invoice["amount"], invoice["status"]) == (65.6, "issued")
    for number, cents in ((1, 6000), (2, 560)):
        event = billing_event(f"evt_inv_{number}", "payment.succeeded", clock(), license=item["license"],
                              amount_cents=cents)  # fmt: skip
        assert post_billing_event(api, event, clock()).status == 200
        [invoice] = api.get(invoices, token=partner.token).json()["result"]
        assert invoice["status"] == ("issued" if number == 1 else "paid")
