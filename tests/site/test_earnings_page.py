"""The help center's earnings page: the signed-in partner's report as a chart and tables."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body
from tests.lifecycle_support import billing_event, post_billing_event
from tests.site.conftest import WebClient


def test_the_page_charts_and_tabulates_the_partners_earnings(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    created = api.post(
        f"{LICENSES}?product=chatbot",
        token=partner.token,
        json_body=license_body(payment_origin="client", client_name="Acme <Corporation>"),
    ).json()
    now = datetime.now(UTC).replace(microsecond=0)
    event = billing_event("evt_page", "payment.succeeded", now, license=created["license"], amount_cents=4999)
    assert post_billing_event(api, event, now).status == 200
    month = now.strftime("%Y-%m")
    page = signed_in.get("/web/earnings")
    assert page.status == 200, page.text
    assert page.header("content-type") == "text/html; charset=utf-8"
    # $49.99 paid: 20% commission is $10.00 (9.998 rounded half up)
    assert re.search(r"<dd data-total>\$10\.00</dd>", page.text)
    assert re.search(r"<dd data-commission>\$10\.00</dd>", page.text)
    assert f'<tr><th scope="row">{month}</th><td>$10.00</td><td>$0.00</td><td>$10.00</td></tr>' in page.text
    # By license: the customer, linked to the license's page, and its number
    license_url = f"/web/licenses/chatbot/{created['license']}"
    assert (
        f'<tr><th scope="row"><a href="{license_url}">Acme &lt;Corporation&gt;</a> '
        f'<span class="muted">#{created["license"]}</span></th><td>ChatBot</td><td>$10.00</td>'
    ) in page.text
    assert signed_in.get(license_url).status == 200
    # The chart is inline SVG, drawn by the server (no script; no style attribute: the CSP forbids it)
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert svg.count('fill="#26734d"') == 1 and "<script" not in svg and "style=" not in svg
    assert f"{month}: $10.00 commission, $0.00 saved" in svg
    assert "Signed in as" in page.text
    # The balance, as GET /v2/partners/balance gives it: paid today, so pending, not yet available
    balance = api.get("/v2/partners/balance", token=partner.token).json()
    assert (balance["pending"], balance["available"]) == (10, 0)
    for figure, dollars in (
        ("available", "0.00"),
        ("pending", "10.00"),
        ("withdrawn", "0.00"),
        ("total", "10.00"),
    ):
        assert re.search(rf'<td data-figure="{figure}">\${re.escape(dollars)}</td>', page.text), figure


def test_a_bad_period_is_shown_next_to_its_field(signed_in: WebClient) -> None:
    page = signed_in.get("/web/earnings?date_from=2025-05-01&date_to=2025-04-01")
    assert page.status == 400
    assert 'id="date_from-error"' in page.text and "on or before date_to" in page.text
    assert 'value="2025-05-01"' in page.text


def test_signed_out_the_page_asks_to_sign_in(web: WebClient) -> None:
    page = web.get("/web/earnings")
    assert page.status == 401 and 'href="/web/sign-in?next=/web/earnings"' in page.text


def test_customer_names_are_read_in_batches_and_only_for_the_partners_own_licenses(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store.license_names import customer_names

    ours = [
        int(
            api.post(
                f"{LICENSES}?product=livechat",
                token=partner.token,
                json_body=license_body(
                    client_name=f"Customer {n}", client_email=f"c{n}@acme.example", data_center=dc
                ),
            ).json()["license"]
        )
        for n, dc in enumerate(["us-south1", "eu-west3", "us-south1"])
    ]
    theirs = api.post(
        f"{LICENSES}?product=livechat", token=other_partner.token, json_body=license_body()
    ).json()
    names = customer_names(get_settings(), partner.partner_id, [*ours, int(theirs["license"]), 999999990])
    assert names == {ours[0]: "Customer 0", ours[1]: "Customer 1", ours[2]: "Customer 2"}
