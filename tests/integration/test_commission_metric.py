"""`GET /v2/partners/metrics/commission` (Text API "Get Commission Metric"): the commission of
a window in dollars, with the documented product and program filters."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import ApiClient, PartnerAccount, new_license
from tests.lifecycle_support import FakeClock, billing_event, post_billing_event

METRIC = "/v2/partners/metrics/commission"


def pay(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, product: str, cents: int, at: datetime
) -> None:
    clock.now = at
    created = new_license(
        api, partner, product, client_email=f"{product}{cents}@b.example", payment_origin="client"
    )
    event = billing_event(
        f"evt_{product}_{cents}", "payment.succeeded", at, license=int(created["license"]), amount_cents=cents
    )
    assert post_billing_event(api, event, at).status == 200


def value(api: ApiClient, partner: PartnerAccount, query: str) -> object:
    answer = api.get(f"{METRIC}?{query}", token=partner.token)
    assert answer.status == 200, answer.body
    return answer.json()["value"]


def test_the_sum_of_a_window_by_product_and_program(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given LiveChat pays $100.00 in Jan and ChatBot $50.00 in Feb (20%: $20.00 and $10.00)
    pay(api, partner, clock, "livechat", 10000, datetime(2025, 1, 15, tzinfo=UTC))
    pay(api, partner, clock, "chatbot", 5000, datetime(2025, 2, 15, tzinfo=UTC))
    clock.now = datetime(2025, 3, 1, tzinfo=UTC)
    window = "date_from=2025-01-01T00:00:00Z&date_to=2025-02-28T23:59:59Z"
    assert value(api, partner, window) == 30
    assert value(api, partner, f"{window}&product=livechat&program=solution") == 20
    assert value(api, partner, f"{window}&product=chatbot") == 10
    assert value(api, partner, "date_from=2025-02-01T00:00:00Z&date_to=2025-02-28T23:59:59Z") == 10
    # The Affiliate program and HelpDesk earn nothing here
    assert value(api, partner, f"{window}&program=affiliate") == 0
    assert value(api, partner, f"{window}&product=helpdesk") == 0
    # Without dates: the last 365 days
    assert value(api, partner, "") == 30
    # Only the partner's own
    assert value(api, other_partner, window) == 0


def test_bad_parameters_are_named(api: ApiClient, partner: PartnerAccount) -> None:
    for query, field in (
        ("product=helpdesk2", "product"),
        ("program=reseller", "program"),
        ("date_from=yesterday", "date_from"),
        ("date_from=2025-03-01T00:00:00Z&date_to=2025-01-01T00:00:00Z", "date_from"),
    ):
        answer = api.get(f"{METRIC}?{query}", token=partner.token)
        assert answer.status == 400 and field in answer.json()["error"]["fields"], query
