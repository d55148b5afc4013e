"""Earnings: commission and savings per month and per license, checked against figures worked
out by hand, read from an index (no Scan), and only ever the signed-in partner's own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import botocore.client
import pytest

from tests.conftest import LICENSES, ApiClient, PartnerAccount, new_license
from tests.integration.test_withdrawals import WITHDRAWALS, available_after_hold, earn, set_status
from tests.lifecycle_support import (
    FakeClock,
    accept_tokens,
    billing_event,
    post_billing_event,
    run_function,
    send_emails,
)

EARNINGS = "/v2/partners/earnings/by-month"


def accept(api: ApiClient, email: str) -> None:
    form = urlencode({"token": accept_tokens(email)[-1]}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    assert api.post("/web/invitations/accept", body=form, headers=headers).status == 200


def earn_a_quarter(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> tuple[int, int]:
    """Jan-Mar 2025. L1, partner-managed, US: 2 of 3 Team seats used ($41.00 each), 20% off;
    10% extra discount from Jan 20. L2, customer-managed, EU: pays $49.99 in Feb, $123.45 in Mar.

    Savings:    Jan 8200 x 20% = 1640;  Feb 8200 x 30% = 2460;  Mar 2460   -> 6560
    Commission: Feb 4999 x 20% = 999.8 -> 1000;  Mar 12345 x 20% = 2469   -> 3469
    """
    clock.now = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)
    l1 = new_license(
        api, partner, operators=[{"email": e, "role": "agent"} for e in ("ann@a.example", "bob@a.example")]
    )
    l2 = new_license(api, partner, client_email="pay@b.example", payment_origin="client", data_center="eu")
    send_emails(clock)
    accept(api, "ann@a.example")
    accept(api, "bob@a.example")
    path = f"{LICENSES}/livechat/{l1['license']}"
    subscription = {"plan": "team", "billing_cycle": "monthly", "seats": 3, "token": "tok_1"}
    assert api.post(f"{path}/subscription", token=partner.token, json_body=subscription).status == 201
    run_function("LifecycleFunction")
    clock.now = datetime(2025, 1, 20, tzinfo=UTC)
    assert (
        api.post(f"{path}/offer", token=partner.token, json_body={"extra_discount_percent": 10}).status == 200
    )
    for month, cents in ((2, 4999), (3, 12345)):
        clock.now = datetime(2025, month, 10, 9, 0, tzinfo=UTC)
        run_function("LifecycleFunction")
        clock.now = datetime(2025, month, 15, 12, 0, tzinfo=UTC)
        event = billing_event(
            f"evt_{month}", "payment.succeeded", clock(), license=l2["license"], amount_cents=cents
        )
        assert post_billing_event(api, event, clock()).status == 200
    clock.now = datetime(2025, 3, 20, tzinfo=UTC)
    return int(l1["license"]), int(l2["license"])  # the earnings report writes ids as numbers


def test_a_quarter_of_earnings_by_month_and_by_license(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    l1, l2 = earn_a_quarter(api, partner, clock)
    answer = api.get(f"{EARNINGS}?date_from=2025-01-01&date_to=2025-03-31", token=partner.token)
    assert answer.status == 200, answer.body
    report = answer.json()
    assert (report["date_from"], report["date_to"], report["currency"]) == ("2025-01-01", "2025-03-31", "USD")
    assert report["totals"] == {"commission_cents": 3469, "savings_cents": 6560, "total_cents": 10029}
    assert report["months"] == [
        {"month": "2025-01", "commission_cents": 0, "savings_cents": 1640, "total_cents": 1640},
        {"month": "2025-02", "commission_cents": 1000, "savings_cents": 2460, "total_cents": 3460},
        {"month": "2025-03", "commission_cents": 2469, "savings_cents": 2460, "total_cents": 4929},
    ]
    assert report["licenses"] == [
        {
            "license": l1,
            "product": "livechat",
            "commission_cents": 0,
            "savings_cents": 6560,
            "total_cents": 6560,
        },
        {
            "license": l2,
            "product": "livechat",
            "commission_cents": 3469,
            "savings_cents": 0,
            "total_cents": 3469,
        },
    ]
    # The license shows the same running totals it was credited with
    assert sum(m["total_cents"] for m in report["months"]) == report["totals"]["total_cents"]


def test_a_period_counts_only_its_own_days(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> None:
    earn_a_quarter(api, partner, clock)
    february = api.get(f"{EARNINGS}?date_from=2025-02-01&date_to=2025-02-28", token=partner.token).json()
    assert february["totals"] == {"commission_cents": 1000, "savings_cents": 2460, "total_cents": 3460}
    assert [m["month"] for m in february["months"]] == ["2025-02"]
    # the day of a payment is included at both ends
    one_day = api.get(f"{EARNINGS}?date_from=2025-03-15&date_to=2025-03-15", token=partner.token).json()
    assert one_day["totals"]["commission_cents"] == 2469 and one_day["totals"]["savings_cents"] == 0
    # by default, the last 12 calendar months up to today (the clock says 2025-03-20)
    default = api.get(EARNINGS, token=partner.token).json()
    assert (default["date_from"], default["date_to"]) == ("2024-04-01", "2025-03-20")
    assert len(default["months"]) == 12 and default["totals"]["total_cents"] == 10029


def test_earnings_are_read_from_the_index_and_only_the_partners_own(
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    earn_a_quarter(api, partner, clock)
    calls: list[tuple[str, str | None]] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            calls.append((operation, params.get("IndexName")))
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    rival = api.get(f"{EARNINGS}?date_from=2025-01-01&date_to=2025-03-31", token=other_partner.token).json()
    assert rival["totals"]["total_cents"] == 0 and rival["licenses"] == []
    assert ("Query", "earnings") in calls and not any(op == "Scan" for op, _ in calls)
    assert [c for c in calls if c[1] not in (None, "earnings")] == []  # no other index, no listing


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_from=2025-13-01", "date_from"),
        ("date_to=yesterday", "date_to"),
        ("date_from=2025-03-01&date_to=2025-02-01", "date_from"),
        ("date_from=2015-01-01&date_to=2025-02-01", "date_from"),
        ("month=2025-01", "month"),
    ],
)
def test_a_bad_period_is_a_400_naming_the_field(
    api: ApiClient, partner: PartnerAccount, query: str, field: str
) -> None:
    answer = api.get(f"{EARNINGS}?{query}", token=partner.token)
    assert answer.status == 400 and field in answer.json()["error"]["fields"], answer.body


def test_earnings_need_a_token(api: ApiClient) -> None:
    assert api.get(EARNINGS).status == 401


# --- the Text API's Get Earnings and Get Commission Report, from the same records ---------

SUMMARY = "/v2/partners/earnings"
COMMISSION = "/v2/partners/reports/commission"


def test_get_earnings_sums_the_quarter_in_dollars(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    earn_a_quarter(api, partner, clock)  # the clock ends on 2025-03-20
    answer = api.get(SUMMARY, token=partner.token)
    assert answer.status == 200, answer.body
    body = answer.json()
    # Savings 6560 cents; commission 1000 (Feb 15) + 2469 (Mar 15), of which only March's is
    # in the last 30 days (from Feb 18)
    assert body["solution"]["livechat"] == {
        "discount": 65.6,
        "commission_total": 34.69,
        "commission_last_30_days": 24.69,
    }
    assert body["solution"]["chatbot"] == {"discount": 0, "commission_total": 0, "commission_last_30_days": 0}
    assert (body["solution"]["commission_total"], body["solution"]["commission_last_30_days"]) == (
        34.69,
        24.69,
    )
    assert (body["commission_total"], body["commission_last_30_days"]) == (34.69, 24.69)
    # The balance's figures: March's commission is still held (pending), February's is available
    assert (body["balance"], body["pending"], body["withdrawals"], body["blocked"]) == (10, 24.69, 0, 0)
    assert body["affiliate"]["commission_total"] == 0


def _agree(api: ApiClient, partner: PartnerAccount) -> dict[str, Any]:
    """`GET /earnings` and `GET /balance` say the same: balance is what is available."""
    earnings = api.get(SUMMARY, token=partner.token).json()
    balance = api.get("/v2/partners/balance", token=partner.token).json()
    assert (earnings["balance"], earnings["pending"], earnings["withdrawals"]) == (
        balance["available"],
        balance["pending"],
        balance["withdrawn"],
    )
    assert earnings["commission_total"] == float(balance["total"])
    return balance  # type: ignore[no-any-return]


def test_earnings_and_the_balance_agree_through_a_withdrawals_life(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # After payments: $80.00 available (paid 31 days ago) and $10.00 pending (paid today)
    available_after_hold(api, partner, clock, 8000)
    earn(api, partner, clock, 5000, "evt_new")
    assert _agree(api, partner) == {"pending": 10, "withdrawn": 0, "available": 80, "total": "90.00"}
    # After a withdrawal request: the $80.00 is withdrawn
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    assert _agree(api, partner) == {"pending": 10, "withdrawn": 80, "available": 0, "total": "90.00"}
    # After its rejection: available again
    assert set_status(partner, 1, "rejected") == 0
    assert _agree(api, partner) == {"pending": 10, "withdrawn": 0, "available": 80, "total": "90.00"}
    # After a second request, paid: withdrawn for good
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    assert set_status(partner, 2, "paid") == 0
    assert _agree(api, partner) == {"pending": 10, "withdrawn": 80, "available": 0, "total": "90.00"}


def _report(api: ApiClient, partner: PartnerAccount, query: str) -> list[tuple[str, str, float]]:
    answer = api.get(f"{COMMISSION}?{query}", token=partner.token)
    assert answer.status == 200, answer.body
    return [(i["date_range"]["from"], i["date_range"]["to"], i["total"]) for i in answer.json()["items"]]


def test_the_commission_report_by_month_week_and_day(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    earn_a_quarter(api, partner, clock)
    quarter = "date_from=2025-01-01T00:00:00Z&date_to=2025-03-31T23:59:59Z"
    assert _report(api, partner, f"{quarter}&aggregation=month") == [
        ("2025-01-01 00:00:00", "2025-01-31 23:59:59", 0),
        ("2025-02-01 00:00:00", "2025-02-28 23:59:59", 10.0),
        ("2025-03-01 00:00:00", "2025-03-31 23:59:59", 24.69),
    ]
    # Weeks run Monday to Sunday; the whole week is shown, its total is the window's
    assert _report(
        api, partner, "date_from=2025-02-12T00:00:00Z&date_to=2025-02-23T23:59:59Z&aggregation=week"
    ) == [
        ("2025-02-10 00:00:00", "2025-02-16 23:59:59", 10.0),
        ("2025-02-17 00:00:00", "2025-02-23 23:59:59", 0),
    ]
    # A window that starts after the February payment leaves it out of February's bucket
    assert _report(
        api, partner, "date_from=2025-02-16T00:00:00Z&date_to=2025-02-28T23:59:59Z&aggregation=month"
    ) == [("2025-02-01 00:00:00", "2025-02-28 23:59:59", 0)]
    # A bare date is a whole day
    assert _report(api, partner, "date_from=2025-03-15&date_to=2025-03-15&aggregation=day") == [
        ("2025-03-15 00:00:00", "2025-03-15 23:59:59", 24.69)
    ]


@pytest.mark.parametrize(
    ("filters", "totals"),
    [
        ('[{"field": "product", "value": "livechat", "operator": "equals"}]', [10.0, 24.69]),
        ('[{"field": "product", "value": "chatbot", "operator": "equals"}]', [0, 0]),
        ('[{"field": "product", "value": "helpdesk", "operator": "equals"}]', [0, 0]),
        ('[{"field": "program", "value": "solution", "operator": "equals"}]', [10.0, 24.69]),
        ('[{"field": "program", "value": "affiliate", "operator": "equals"}]', [0, 0]),
        ("[]", [10.0, 24.69]),
    ],
)
def test_the_commission_report_filters(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, filters: str, totals: list[float]
) -> None:
    earn_a_quarter(api, partner, clock)
    query = urlencode(
        {
            "date_from": "2025-02-01T00:00:00Z",
            "date_to": "2025-03-31T23:59:59Z",
            "aggregation": "month",
            "filters": filters,
        }
    )
    assert [total for _, _, total in _report(api, partner, query)] == totals


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("date_to=2025-03-31T23:59:59Z&aggregation=month", "date_from"),
        ("date_from=2025-01-01T00:00:00Z&aggregation=month", "date_to"),
        ("date_from=2025-01-01T00:00:00Z&date_to=2025-03-31T23:59:59Z", "aggregation"),
        ("date_from=2025-01-01T00:00:00Z&date_to=2025-03-31T23:59:59Z&aggregation=year", "aggregation"),
        ("date_from=01/01/2025&date_to=2025-03-31T23:59:59Z&aggregation=day", "date_from"),
        ("date_from=2025-04-01T00:00:00Z&date_to=2025-03-31T23:59:59Z&aggregation=day", "date_from"),
        ("date_from=2015-01-01T00:00:00Z&date_to=2025-03-31T23:59:59Z&aggregation=day", "date_from"),
        ("date_from=2025-01-01&date_to=2025-03-31&aggregation=day&filters=not-json", "filters"),
        ('date_from=2025-01-01&date_to=2025-03-31&aggregation=day&filters={"field":"product"}', "filters"),
        (
            'date_from=2025-01-01&date_to=2025-03-31&aggregation=day&filters=[{"field":"prod","value":"livechat","operator":"equals"}]',
            "filters",
        ),
        (
            'date_from=2025-01-01&date_to=2025-03-31&aggregation=day&filters=[{"field":"product","value":"livechat","operator":"contains"}]',
            "filters",
        ),
        ("date_from=2025-01-01&date_to=2025-03-31&aggregation=day&product=livechat", "product"),
    ],
)
def test_a_bad_commission_report_query_is_a_400_naming_the_field(
    api: ApiClient, partner: PartnerAccount, query: str, field: str
) -> None:
    answer = api.get(f"{COMMISSION}?{query}", token=partner.token)
    assert answer.status == 400 and field in answer.json()["error"]["fields"], answer.body


def test_the_documented_earnings_need_a_token(api: ApiClient) -> None:
    assert api.get(SUMMARY).status == 401
    assert api.get(f"{COMMISSION}?date_from=2025-01-01&date_to=2025-01-02&aggregation=day").status == 401
