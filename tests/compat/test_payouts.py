"""Text Partner API v2, "Account": Get Billing and Update Billing (the partner's payout
details) and Get Balance - the docs' example requests sent unchanged, answered with the docs'
example keys and types."""

# ruff: noqa: E501 - the docs' curl examples are copied verbatim, long lines and all

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

from partnerapp_infra.local.emulator import LOCAL_BILLING_SECRET
from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_account import _billing_event, _new_license

GET_BILLING = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/billing \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

GET_BALANCE = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/balance \\
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


def test_get_balance_after_a_payment(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Get Balance" - pending, withdrawn, available as numbers; total as a string
    empty = compat_server.curl(GET_BALANCE, token=partner.token)
    assert empty.status == 200, empty.body
    assert empty.json() == {"pending": 0, "withdrawn": 0, "available": 0, "total": "0.00"}
    # A customer-managed ChatBot license pays $123.45 today: $24.69 commission, pending 30 days
    license_id = _new_license(compat_server, partner, "chatbot", "client")
    _billing_event(compat_server, "payment.succeeded", license=int(license_id), amount_cents=12345)
    after = compat_server.curl(GET_BALANCE, token=partner.token).json()
    assert after == {"pending": 24.69, "withdrawn": 0, "available": 0, "total": "24.69"}


REQUEST_WITHDRAWAL = """curl --request POST \\
	--url https://api.livechatinc.com/v2/partners/withdrawals \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

GET_WITHDRAWALS = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/withdrawals \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""


def _old_payment(server: CompatServer, license_id: str, cents: int) -> None:
    """A payment the billing system reports as made 40 days ago (past the 30-day hold)."""
    paid = datetime.now(UTC).replace(microsecond=0) - timedelta(days=40)
    event = {
        "id": f"evt_{time.time_ns()}",
        "type": "payment.succeeded",
        "created": paid.strftime("%Y-%m-%d %H:%M:%S"),
        "data": {"license": int(license_id), "amount_cents": cents},
    }
    body = json.dumps(event)
    stamp = int(time.time())
    mac = hmac.new(LOCAL_BILLING_SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    answer = server.curl(
        f"curl --request POST --url '{server.base}/v2/billing/events' "
        "--header 'Content-Type: application/json' "
        f"--header 'Billing-Signature: t={stamp},v1={mac}' --data '{body}'"
    )
    assert answer.status == 200, answer.body


def test_request_withdrawal_then_get_withdrawals(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "409 - Conflict - billing info not found"
    assert compat_server.curl(REQUEST_WITHDRAWAL, token=partner.token).status == 409
    assert update_billing(compat_server, partner, EXAMPLE_BILLING) == 204
    # Docs: "403 - Forbidden - not enough money to withdraw (min. $50)"
    assert compat_server.curl(REQUEST_WITHDRAWAL, token=partner.token).status == 403
    # Given $304.00 available (a $1,520.00 payment 40 days ago)
    _old_payment(compat_server, _new_license(compat_server, partner, "livechat", "client"), 152000)
    # Docs: "Request Withdrawal" - 201 with the example's keys and types
    answer = compat_server.curl(REQUEST_WITHDRAWAL, token=partner.token)
    assert answer.status == 201, answer.body
    made = answer.json()
    assert set(made) == {
        "withdrawal_id", "request_timestamp", "action_timestamp", "status", "amount", "invoice_id", "paypal",
    }  # fmt: skip
    assert (made["withdrawal_id"], made["action_timestamp"], made["status"]) == (1, "", "pending")
    assert (made["amount"], made["paypal"]) == (304, "paypal@email.com")
    # Docs: "Get Withdrawals" - {result: [...]}, newest first
    listed = compat_server.curl(GET_WITHDRAWALS, token=partner.token)
    assert listed.status == 200 and listed.json() == {"result": [made]}


COMMISSION_METRIC = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/metrics/commission?date_from=2022-01-01T10:10:10Z&date_to=2022-12-01T10:10:10Z&product=livechat&program=solution \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""


def test_get_commission_metric(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Get Commission Metric" - {value}, in dollars, for the docs' window and filters
    answer = compat_server.curl(COMMISSION_METRIC, token=partner.token)
    assert answer.status == 200, answer.body
    assert answer.json() == {"value": 0}
    # The same filters over today, after a LiveChat payment of $49.99 ($10.00) and a ChatBot one
    _billing_event(
        compat_server,
        "payment.succeeded",
        license=int(_new_license(compat_server, partner, "livechat", "client")),
        amount_cents=4999,
    )
    _billing_event(
        compat_server,
        "payment.succeeded",
        license=int(_new_license(compat_server, partner, "chatbot", "client")),
        amount_cents=10000,
    )
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    now = COMMISSION_METRIC.replace("2022-01-01T10:10:10Z", f"{today}T00:00:00Z").replace(
        "2022-12-01T10:10:10Z", f"{today}T23:59:59Z"
    )
    assert compat_server.curl(now, token=partner.token).json() == {"value": 10}
