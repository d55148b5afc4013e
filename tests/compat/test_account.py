"""Text Partner API v2, "Account": Get Stats, Get Earnings, Get Commission Report - each docs
example sent unchanged to the dev server, its keys, types and figures checked after real
licenses and a real (signed) payment; and the documented methods this service does not offer,
which answer a JSON 501 `not_supported`."""

# ruff: noqa: E501 - the docs' curl examples are copied verbatim, long lines and all

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from partnerapp_infra.local.emulator import LOCAL_BILLING_SECRET
from tests.compat.conftest import CompatServer, CurlAnswer, Partner

STATS = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/stats \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

EARNINGS = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/earnings \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

COMMISSION_REPORT = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/reports/commission?date_from=2022-12-15T00:00:00Z&date_to=2023-02-14T23:59:59Z&aggregation=month&filters=%5B%7B%22field%22%3A%22product%22%2C%22value%22%3A%22livechat%22%2C%22operator%22%3A%22equals%22%7D%5D \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

LICENSES = "/v2/partners/solutions/licenses"


def _post_json(server: CompatServer, path: str, body: Any, headers: dict[str, str]) -> CurlAnswer:
    arguments = " ".join(f"--header '{name}: {value}'" for name, value in headers.items())
    return server.curl(
        f"curl --request POST --url '{server.base}{path}' --header 'Content-Type: application/json' "
        f"{arguments} --data '{json.dumps(body)}'"
    )


def _new_license(server: CompatServer, partner: Partner, product: str, payment_origin: str) -> str:
    """A trial made through the API (the setup, not the method under test): its id."""
    body = {
        "client_name": "Compat Customer",
        "client_email": f"{product}-{payment_origin}@customer.example",
        "payment_origin": payment_origin,
    }
    answer = _post_json(
        server, f"{LICENSES}?product={product}", body, {"Authorization": f"Bearer {partner.token}"}
    )
    assert answer.status == 201, answer.body
    return str(answer.json()["license"])


def _billing_event(server: CompatServer, event_type: str, **data: Any) -> None:
    """What the billing system sends: a signed event (the local stack's billing secret)."""
    now = datetime.now(UTC).replace(microsecond=0)
    event = {
        "id": f"evt_{time.time_ns()}",
        "type": event_type,
        "created": now.strftime("%Y-%m-%d %H:%M:%S"),
        "data": data,
    }
    body = json.dumps(event)
    stamp = int(now.timestamp())
    mac = hmac.new(LOCAL_BILLING_SECRET.encode(), f"{stamp}.{body}".encode(), hashlib.sha256).hexdigest()
    answer = _post_json(server, "/v2/billing/events", event, {"Billing-Signature": f"t={stamp},v1={mac}"})
    assert answer.status == 200 and answer.json()["result"] == "applied", answer.body


def test_get_stats_counts_the_partners_licenses(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Get Stats" - per program and product: trials, trials_cc, paid
    empty = compat_server.curl(STATS, token=partner.token)
    assert empty.status == 200
    zero = {"trials": 0, "trials_cc": 0, "paid": 0}
    affiliate = {
        "livechat": zero,
        "chatbot": zero,
        "helpdesk": zero,
        "partner_program": {**zero, "partners_referred": 0},
    }
    assert empty.json() == {
        "affiliate": affiliate,
        "solution": {"livechat": zero, "chatbot": zero, "helpdesk": zero},
    }
    _new_license(compat_server, partner, "livechat", "partner")
    _new_license(compat_server, partner, "livechat", "client")
    paid = _new_license(compat_server, partner, "chatbot", "client")
    _billing_event(compat_server, "subscription.created", license=int(paid))
    stats = compat_server.curl(STATS, token=partner.token).json()
    assert stats["solution"] == {
        "livechat": {"trials": 2, "trials_cc": 0, "paid": 0},
        "chatbot": {"trials": 0, "trials_cc": 0, "paid": 1},
        "helpdesk": zero,
    }
    assert stats["affiliate"] == affiliate
    # Only the partner's own licenses
    assert compat_server.curl(STATS, token=compat_server.new_partner().token).json() == empty.json()


def test_get_earnings_in_dollars_from_a_recorded_payment(
    compat_server: CompatServer, partner: Partner
) -> None:
    # Docs: "Get Earnings" - every documented key, amounts as JSON numbers in dollars
    before = compat_server.curl(EARNINGS, token=partner.token)
    assert before.status == 200
    body = before.json()
    assert set(body) == {
        "balance", "blocked", "commission_total", "commission_last_30_days", "withdrawals", "pending",
        "affiliate", "solution",
    }  # fmt: skip
    assert set(body["affiliate"]) == {
        "commission_total",
        "commission_last_30_days",
        "livechat",
        "chatbot",
        "partner_program",
    }
    assert set(body["solution"]) == {"commission_total", "commission_last_30_days", "livechat", "chatbot"}
    assert set(body["solution"]["chatbot"]) == {"discount", "commission_total", "commission_last_30_days"}
    assert body["commission_total"] == 0
    # A customer-managed ChatBot license pays $123.45: the 20% commission is $24.69
    license_id = _new_license(compat_server, partner, "chatbot", "client")
    _billing_event(compat_server, "payment.succeeded", license=int(license_id), amount_cents=12345)
    after = compat_server.curl(EARNINGS, token=partner.token).json()
    assert after["solution"]["chatbot"] == {
        "discount": 0,
        "commission_total": 24.69,
        "commission_last_30_days": 24.69,
    }
    assert after["solution"]["livechat"] == {
        "discount": 0,
        "commission_total": 0,
        "commission_last_30_days": 0,
    }
    assert (after["commission_total"], after["commission_last_30_days"]) == (24.69, 24.69)
    # As GET /balance: paid today, the commission is pending (held 30 days), not yet available
    assert (
        after["solution"]["commission_total"],
        after["blocked"],
        after["pending"],
        after["withdrawals"],
        after["balance"],
    ) == (24.69, 0, 24.69, 0, 0)
    assert after["affiliate"]["commission_total"] == 0
    assert all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in after["solution"]["chatbot"].values()
    )


def test_get_commission_report_by_month(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Get Commission Report" - the docs' own window: one item per month it touches
    answer = compat_server.curl(COMMISSION_REPORT, token=partner.token)
    assert answer.status == 200, answer.body
    assert answer.json() == {
        "items": [
            {"date_range": {"from": "2022-12-01 00:00:00", "to": "2022-12-31 23:59:59"}, "total": 0},
            {"date_range": {"from": "2023-01-01 00:00:00", "to": "2023-01-31 23:59:59"}, "total": 0},
            {"date_range": {"from": "2023-02-01 00:00:00", "to": "2023-02-28 23:59:59"}, "total": 0},
        ]
    }
    # The same request over this month, after a LiveChat and a ChatBot payment: the filter
    # keeps the LiveChat commission only ($49.99 x 20% = $10.00, rounded half up once)
    livechat = _new_license(compat_server, partner, "livechat", "client")
    chatbot = _new_license(compat_server, partner, "chatbot", "client")
    _billing_event(compat_server, "payment.succeeded", license=int(livechat), amount_cents=4999)
    _billing_event(compat_server, "payment.succeeded", license=int(chatbot), amount_cents=10000)
    now = datetime.now(UTC)
    month_start = now.strftime("%Y-%m-01T00:00:00Z")
    this_month = COMMISSION_REPORT.replace("2022-12-15T00:00:00Z", month_start).replace(
        "2023-02-14T23:59:59Z", now.strftime("%Y-%m-%dT23:59:59Z")
    )
    items = compat_server.curl(this_month, token=partner.token).json()["items"]
    assert [(i["date_range"]["from"][:7], i["total"]) for i in items] == [(now.strftime("%Y-%m"), 10.0)]
    unfiltered = this_month.split("&filters=")[0] + " \\\n\t--header 'Authorization: Bearer <YOUR_API_TOKEN>'"
    assert compat_server.curl(unfiltered, token=partner.token).json()["items"][0]["total"] == 30.0
    # Docs: 400 for missing or incorrect parameters, naming them
    wrong = compat_server.curl(
        COMMISSION_REPORT.replace("aggregation=month", "aggregation=year"), token=partner.token
    )
    assert wrong.status == 400 and "aggregation" in wrong.json()["error"]["fields"]


# The docs' examples of methods this service does not offer, verbatim (docs/compatibility.md),
# one per section and kind.
NOT_OFFERED = {
    "Get Partners Referred Earnings Report": """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/partners-referred/reports/commission?aggregation=month&date_from=2022-03-25T00:00:00Z&date_to=2022-05-04T00:00:00Z \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'""",
    "Create Campaign": """curl --request POST \\
	--url https://api.livechatinc.com/v2/partners/affiliates/campaigns?product=livechat \\
	--data 'name=New campaign&link=https://www.livechat.com/features/&trial_duration=30&coupon_id=1' \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'""",
    "Disable Campaign": """curl --request DELETE \\
	--url https://api.livechatinc.com/v2/partners/affiliates/campaigns/123 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'""",
}
# Partner Directory's methods have no example request in the docs: their documented paths.
NOT_OFFERED["Get Expert Profile"] = (
    "curl --request GET --url https://api.livechatinc.com/v2/partners/experts/profile "
    "--header 'Authorization: Bearer <YOUR_API_TOKEN>'"
)


@pytest.mark.parametrize("method", sorted(NOT_OFFERED))
def test_methods_not_offered_answer_a_json_501(
    compat_server: CompatServer, partner: Partner, method: str
) -> None:
    answer = compat_server.curl(NOT_OFFERED[method], token=partner.token)
    assert answer.status == 501, answer.body
    assert answer.headers["content-type"] == "application/json"
    error = answer.json()["error"]
    assert error["type"] == "not_supported" and "not offered" in error["message"]
