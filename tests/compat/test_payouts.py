"""Text Partner API v2, "Account": Get Billing and Update Billing (the partner's payout
details) - the docs' example request sent unchanged, answered with the docs' example keys."""

from __future__ import annotations

from urllib.parse import urlencode

from tests.compat.conftest import CompatServer, Partner

GET_BILLING = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/billing \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

# The docs' example answer of "Get Billing": what "Update Billing" (no example request in the
# docs; its documented body fields, sent as curl's default form encoding) stores.
EXAMPLE_BILLING = {
    "company": "Awesome Company",
    "vat": "123",
    "address": "Wall Street 123",
    "city": "New York",
    "zip_code": "10005",
    "country": "US",
    "paypal": "paypal@email.com",
    "type": "business",
}


def update_billing(server: CompatServer, partner: Partner, fields: dict[str, str]) -> int:
    answer = server.curl(
        f"curl --request PUT --url '{server.base}/v2/partners/billing' "
        f"--data '{urlencode(fields)}' --header 'Authorization: Bearer {partner.token}'"
    )
    assert answer.body == b"", answer.body
    return answer.status


def test_update_billing_then_get_billing(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Update Billing" - 204 No Content
    assert update_billing(compat_server, partner, EXAMPLE_BILLING) == 204
    # Docs: "Get Billing" - the example's keys and values (plus `state`, which update takes)
    answer = compat_server.curl(GET_BILLING, token=partner.token)
    assert answer.status == 200, answer.body
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == {**EXAMPLE_BILLING, "state": ""}


def test_update_billing_names_a_bad_country(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "400 - Bad Request - missing or incorrect parameters"
    answer = compat_server.curl(
        f"curl --request PUT --url '{compat_server.base}/v2/partners/billing' "
        f"--data '{urlencode({**EXAMPLE_BILLING, 'country': 'Neverland'})}' "
        f"--header 'Authorization: Bearer {partner.token}'"
    )
    assert answer.status == 400 and "country" in answer.json()["error"]["fields"]
