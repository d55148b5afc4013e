"""The sparse `conversions` index behind the trials chart: a license is in it once converted
(by the partner's subscription or the billing system's event), keyed by partner and
conversion time, and a trial is not; the chart's counts per month are read from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body
from tests.lifecycle_support import FakeClock, billing_event, post_billing_event


def _create(api: ApiClient, partner: PartnerAccount, **fields: Any) -> int:
    answer = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(**fields))
    assert answer.status == 201, answer.body
    return int(answer.json()["license"])


def _conversions(data_center: str) -> list[dict[str, Any]]:
    """Everything in one region's `conversions` index (a test may look; the app only Queries)."""
    from partnerapp.settings import get_settings
    from partnerapp.store.codec import from_item
    from partnerapp.store.licenses import RegionalTables

    db, table = RegionalTables(get_settings()).locate(data_center)
    return [from_item(i) for i in db.scan(TableName=table, IndexName="conversions")["Items"]]


def test_only_converted_licenses_are_in_the_conversions_index(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a trial, a partner-managed license subscribed by the partner, and a customer-managed
    # one in the EU converted by the billing system
    clock.now = datetime(2026, 2, 3, 10, 0, tzinfo=UTC)
    trial = _create(api, partner, client_email="trial@acme.example")
    by_partner = _create(api, partner, client_email="sub@acme.example")
    by_customer = _create(
        api, partner, client_email="eu@acme.example", payment_origin="client", data_center="eu"
    )
    clock.now = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    subscription = {"plan": "team", "billing_cycle": "monthly", "seats": 1, "token": "tok_1"}
    path = f"{LICENSES}/livechat/{by_partner}/subscription"
    assert api.post(path, token=partner.token, json_body=subscription).status == 201
    event = billing_event("evt_1", "subscription.created", clock(), license=by_customer)
    assert post_billing_event(api, event, clock()).status == 200
    # Then each region's index holds its converted license, by partner and conversion time
    us, eu = _conversions("us-south1"), _conversions("eu-west3")
    assert [(i["pk"], i["conv_pk"], i["conv_sk"]) for i in us] == [
        (f"LICENSE#{by_partner}", f"PARTNER#{partner.partner_id}", f"20260304T050607#{by_partner}")
    ]
    assert [i["pk"] for i in eu] == [f"LICENSE#{by_customer}"]
    assert f"LICENSE#{trial}" not in [i["pk"] for i in us + eu]
    # And it holds keys only: nothing of the customer's is copied into it
    assert set(us[0]) == set(eu[0]) == {"pk", "sk", "conv_pk", "conv_sk"}


def test_the_chart_counts_come_from_the_window_only(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store.trials import TrialCounts

    clock.now = datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    before = _create(api, partner, client_email="dec@acme.example")
    clock.now = datetime(2026, 1, 1, 0, 0, 0, tzinfo=UTC)
    _create(api, partner, client_email="jan@acme.example", data_center="eu")
    subscription = {"plan": "team", "billing_cycle": "monthly", "seats": 1, "token": "tok_1"}
    path = f"{LICENSES}/livechat/{before}/subscription"
    assert api.post(path, token=partner.token, json_body=subscription).status == 201
    counts = TrialCounts(get_settings()).per_month(partner.partner_id, "2026-01", "2026-02")
    # The December trial is outside the months; its January conversion is inside
    assert dict(counts.trials) == {"2026-01": 1}
    assert dict(counts.conversions) == {"2026-01": 1}
    assert TrialCounts(get_settings()).per_month(partner.partner_id, "2025-12", "2025-12").trials == {
        "2025-12": 1
    }
