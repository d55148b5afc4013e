"""The lifecycle and money rules, pure: schedule, reminders, conversion, commission rounding,
earnings sums, signatures, sealed secrets, webhook targets and the earnings chart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from partnerapp import signing
from partnerapp.domain import conversion, events, history, lifecycle
from partnerapp.domain.earnings import (
    COMMISSION,
    MONTH,
    SAVINGS,
    EarningRecord,
    commission_buckets,
    summarize,
)
from partnerapp.domain.history import HistoryEntry
from partnerapp.domain.licenses import License, NewLicense, Operator, Subscription, start_trial
from partnerapp.domain.money import percent_of
from partnerapp.secret_box import SecretBox
from partnerapp.services import invitation_links, webhook_targets
from partnerapp.services.webhook_targets import UnsafeTarget
from partnerapp.web.charts import count_ceiling, nice_ceiling
from partnerapp.web.earnings import ONE_DOLLAR, chart, money

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def trial(payment_origin: str = "partner") -> License:
    operators = (Operator("ann@acme.example", "agent"),) if payment_origin == "partner" else ()
    request = NewLicense(
        "livechat", "Acme Corporation", "o@acme.example", payment_origin, "eu-west3", operators=operators
    )
    return start_trial("p1", request, 123456783, NOW)


# --- the schedule -------------------------------------------------------------------------


def test_a_trial_is_looked_at_for_its_reminder_then_its_end() -> None:
    item = trial()
    assert lifecycle.next_check_at(item) == NOW + timedelta(days=11)
    reminded = replace(item, trial_reminder_sent_at=NOW + timedelta(days=11))
    assert lifecycle.next_check_at(reminded) == NOW + timedelta(days=14)
    assert lifecycle.next_check_at(replace(item, status="expired")) is None


def test_a_partner_subscription_is_looked_at_for_each_cycle_and_its_end() -> None:
    subscribed = replace(
        trial(),
        status="paid",
        subscription=Subscription("team", "monthly", 3, datetime(2026, 1, 31, tzinfo=UTC)),
    )
    assert lifecycle.next_check_at(subscribed) == datetime(2026, 1, 31, tzinfo=UTC)
    two_invoiced = replace(subscribed, invoices_issued=2)
    assert lifecycle.next_check_at(two_invoiced) == datetime(2026, 3, 31, tzinfo=UTC)  # Jan 31 + 2 months
    closing = replace(
        two_invoiced, subscription=replace(subscribed.subscription, ends_at=datetime(2026, 3, 31, tzinfo=UTC))
    )  # type: ignore[arg-type]
    assert lifecycle.next_check_at(closing) == datetime(2026, 3, 31, tzinfo=UTC)  # the end, no 3rd invoice
    assert lifecycle.next_invoice_at(closing) is None
    customer_managed = replace(subscribed, payment_origin="client")
    assert lifecycle.next_check_at(customer_managed) is None  # the billing system's, not ours


@pytest.mark.parametrize(
    ("after", "action"),
    [
        (timedelta(days=11) - timedelta(seconds=1), None),
        (timedelta(days=11), lifecycle.REMIND),
        (timedelta(days=14) - timedelta(seconds=1), lifecycle.REMIND),
        (timedelta(days=14), lifecycle.EXPIRE),
    ],
)
def test_what_is_due_when(after: timedelta, action: str | None) -> None:
    assert lifecycle.trial_action(trial(), NOW + after) == action


def test_a_reminder_is_due_once_and_goes_to_both() -> None:
    outcome = lifecycle.remind(trial(), NOW + timedelta(days=11), "ops@agency.example")
    assert [(n.audience, n.to) for n in outcome.notices] == [
        ("customer", "o@acme.example"),
        ("partner", "ops@agency.example"),
    ]
    assert lifecycle.trial_action(outcome.license, NOW + timedelta(days=12)) is None
    assert [e.action for e in outcome.entries] == [history.TRIAL_EXPIRING]


def test_an_expired_trial_records_when_it_ended() -> None:
    outcome = lifecycle.expire(
        trial(), NOW + timedelta(days=15), NOW + timedelta(days=14), lifecycle.TRIAL_ENDED
    )
    assert (outcome.license.status, outcome.license.expired_at) == ("expired", NOW + timedelta(days=14))
    assert outcome.entries[0].details == {"reason": "trial_ended", "ended_at": NOW + timedelta(days=14)}


# --- money ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "percent", "expected"),
    [
        (4999, 20, 1000),
        (12345, 20, 2469),
        (2, 20, 0),
        (3, 20, 1),
        (5, 30, 2),
        (15, 10, 2),
        (14, 10, 1),
        (0, 20, 0),
    ],
)
def test_percentages_round_half_up_to_the_cent(amount: int, percent: int, expected: int) -> None:
    assert percent_of(amount, percent) == expected


def test_a_payment_converts_and_earns_the_commission_of_its_origin() -> None:
    customer = conversion.record_payment(trial("client"), "evt_1", 4999, NOW, NOW)
    assert customer.license.status == "paid" and customer.license.conversion_timestamp == NOW
    assert customer.license.total_earnings_cents == 1000 and customer.payments[0].commission_cents == 1000
    assert [e.action for e in customer.entries] == [history.CONVERTED, history.PAYMENT_RECORDED]
    partner = conversion.record_payment(trial("partner"), "evt_2", 4999, NOW, NOW)
    assert partner.payments[0].commission_cents == 0 and partner.license.total_earnings_cents == 0
    again = conversion.convert(customer.license, NOW + timedelta(days=1), NOW)
    assert again.entries == () and again.license.conversion_timestamp == NOW


def test_earnings_add_up_by_month_and_by_license() -> None:
    records = [
        EarningRecord(datetime(2025, 1, 10, tzinfo=UTC), 11, "livechat", SAVINGS, 1640),
        EarningRecord(datetime(2025, 3, 15, tzinfo=UTC), 23, "chatbot", COMMISSION, 2469),
        EarningRecord(datetime(2025, 3, 31, 23, 59, 59, tzinfo=UTC), 11, "livechat", SAVINGS, 2460),
        EarningRecord(datetime(2025, 4, 1, tzinfo=UTC), 23, "chatbot", COMMISSION, 999),  # outside
    ]
    report = summarize(records, date(2025, 1, 1), date(2025, 3, 31))
    assert (report.totals.commission_cents, report.totals.savings_cents) == (2469, 4100)
    assert {m: t.total_cents for m, t in report.months.items()} == {
        "2025-01": 1640,
        "2025-02": 0,
        "2025-03": 4929,
    }
    assert [(row.license_id, row.totals.total_cents) for row in report.licenses] == [(11, 4100), (23, 2469)]


# --- events ----------------------------------------------------------------------------------


def test_only_lifecycle_changes_are_events_and_they_carry_no_personal_data() -> None:
    item = trial()
    created = HistoryEntry(NOW, "partner:p1", history.CREATED, {"product": "livechat"})
    event = events.event_for(item, 1, 0, created)
    assert (
        event is not None and event.event_type == "license.created" and event.event_id == "evt_123456783_1_0"
    )
    assert "acme" not in repr(event.data).lower()
    updated = HistoryEntry(NOW, "partner:p1", history.UPDATED, {"after": {"client_name": "X"}})
    assert events.event_for(item, 2, 0, updated) is None
    accepted = HistoryEntry(
        NOW, "invitee", history.INVITATION_ACCEPTED, {"email": "ann@acme.example", "role": "agent"}
    )
    data = events.event_for(replace(item, seats_used=1), 3, 0, accepted).data  # type: ignore[union-attr]
    assert data["role"] == "agent" and data["seats"] == 1 and "ann@acme.example" not in repr(data)


# --- signatures, secrets, links ------------------------------------------------------------------


def test_signatures_check_the_body_the_secret_and_the_time() -> None:
    secret, body, t = b"s" * 32, b'{"a":1}', 1_800_000_000
    header = signing.signature_header(secret, t, body)
    assert signing.verify(header, body, secret, t + 299)
    assert not signing.verify(header, body, secret, t + 301)  # a replay later is refused
    assert not signing.verify(header, body, secret, t - 301)
    assert not signing.verify(header, body + b" ", secret, t)
    assert not signing.verify(header, body, b"x" * 32, t)
    rotated = f"{header},v1={'0' * 64}"
    assert signing.verify(rotated, body, secret, t)  # any listed signature may match
    for bad in (None, "", "t=abc,v1=00", f"v1={signing.signature(secret, t, body)}", f"t={t}"):
        assert not signing.verify(bad, body, secret, t)


def test_a_sealed_secret_opens_only_for_its_own_record() -> None:
    box = SecretBox(b"k" * 40, "webhook-secrets")
    sealed = box.seal("whsec_abc", "p1/w1")
    assert box.open(sealed, "p1/w1") == "whsec_abc" and "whsec_abc" not in sealed
    assert box.seal("whsec_abc", "p1/w1") != sealed  # a fresh nonce every time
    with pytest.raises(ValueError, match="does not open"):
        box.open(sealed, "p2/w1")
    with pytest.raises(ValueError, match="does not open"):
        SecretBox(b"j" * 40, "webhook-secrets").open(sealed, "p1/w1")
    with pytest.raises(ValueError, match="does not open"):
        box.open(sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB"), "p1/w1")


def test_invitation_link_tokens_name_their_invitation() -> None:
    link = invitation_links.issue(123456783, 2, NOW)
    assert invitation_links.parse(link.token) == (123456783, 2)
    assert link.expires_at == NOW + timedelta(days=14) and link.token not in link.digest
    for bad in (None, "", "123.2", "123.2.short", f"{link.token}x", "a.2." + "x" * 43):
        assert invitation_links.parse(bad) is None


# --- webhook targets -------------------------------------------------------------------------------


INTERNAL = (
    "127.0.0.1", "10.1.1.1", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
    "0.0.0.0",  # noqa: S104 - an address to refuse, not one to bind
    "224.0.0.1", "::1", "fe80::1", "fc00::1", "::ffff:10.0.0.1", "240.0.0.1",
)  # fmt: skip


@pytest.mark.parametrize("address", INTERNAL)
def test_internal_addresses_are_not_public(address: str) -> None:
    assert not webhook_targets.is_public(address)


def test_public_addresses_are() -> None:
    assert webhook_targets.is_public("93.184.216.34") and webhook_targets.is_public("2606:4700::1111")
    assert webhook_targets.is_public("::ffff:93.184.216.34")


def test_targets_are_checked_on_every_resolved_address() -> None:
    dns = {"ok.example": ["93.184.216.34"], "bad.example": ["93.184.216.34", "10.0.0.1"]}

    def resolver(host: str, port: int) -> list[str]:
        return dns[host]

    ok = webhook_targets.check_url("https://ok.example:8443/hook?x=1", allow_private=False)
    assert webhook_targets.resolve(ok, False, resolver) == ["93.184.216.34"]
    bad = webhook_targets.check_url("https://bad.example/hook", allow_private=False)
    with pytest.raises(UnsafeTarget, match="private"):
        webhook_targets.resolve(bad, False, resolver)
    assert webhook_targets.resolve(bad, True, resolver)  # local mode: anything goes
    for url in (
        "http://ok.example/",
        "https://ok.example/#x",
        "https://u@ok.example/",
        "https:///x",
        "https://ok.example:0/",
    ):
        with pytest.raises(UnsafeTarget):
            webhook_targets.check_url(url, allow_private=False)


# --- the chart ---------------------------------------------------------------------------------------


def test_money_and_the_axis_are_exact() -> None:
    assert (money(0), money(5), money(100_000_099)) == ("$0.00", "$0.05", "$1,000,000.99")
    assert [nice_ceiling(c, ONE_DOLLAR) for c in (0, 101, 1640, 4929, 10_000, 10_001)] == [
        100,
        200,
        2000,
        5000,
        10_000,
        20_000,
    ]


def test_bars_are_as_tall_as_their_share_of_the_axis() -> None:
    records = [
        EarningRecord(datetime(2025, 1, 5, tzinfo=UTC), 1, "livechat", SAVINGS, 2500),
        EarningRecord(datetime(2025, 2, 5, tzinfo=UTC), 1, "livechat", COMMISSION, 5000),
    ]
    report = summarize(records, date(2025, 1, 1), date(2025, 2, 28))
    # the commission bars are the commission report's months (GET /v2/partners/reports/commission)
    start, end = datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC)
    drawn = chart(report.months, commission_buckets(records, start, end, MONTH))
    january, february = drawn.columns
    plot = drawn.baseline - 12  # the top margin
    (jan_savings, jan_commission), (_, feb_commission) = january.rects, february.rects
    assert feb_commission.height == plot and jan_savings.height == plot / 2
    assert jan_commission.height == 0 and january.label == "Jan 25"
    assert [line.label for line in drawn.grid] == ["$0.00", "$12.50", "$25.00", "$37.50", "$50.00"]


def test_count_axes_have_whole_gridlines() -> None:
    assert [count_ceiling(n) for n in (0, 3, 4, 5, 9, 30, 41)] == [4, 4, 4, 8, 20, 40, 80]
