"""Text Partner API v2: what the values mean, not only their shape (issue 23). Each test sends
the docs' example as they print it (host, token and ids replaced) and reads a value a
partner's script acts on: seats, the end of the current period, an operator's own status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_licenses import LIST, create, details
from tests.compat.test_licenses_subscription import (
    CLOSE_SUBSCRIPTION,
    INVOICES,
    UPDATE_SUBSCRIPTION,
    subscribed,
)

WIRE = "%Y-%m-%d %H:%M:%S"


def _at(text: str) -> datetime:
    return datetime.strptime(text, WIRE).replace(tzinfo=UTC)


def _listed(server: CompatServer, partner: Partner, license_id: str) -> dict:
    rows = server.curl(LIST, token=partner.token).json()["result"]
    return dict(next(row for row in rows if row["license"] == license_id))


def test_seats_are_the_subscriptions_and_seats_used_their_own(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Given a subscription for 10 seats and nobody yet using one, when the partner reads the
    license (details, list) and its invoice, then `seats` is 10, `seats_used` 0, and the invoice
    bills the seats used (0) while saying how many were subscribed (10)."""
    license_id = subscribed(compat_server, partner)  # the example body: seats=10
    body = details(compat_server, partner, license_id)
    assert (body["seats"], body["seats_used"]) == (10, 0)
    assert (_listed(compat_server, partner, license_id)["seats"], body["subscription"]["seats"]) == (10, 10)
    invoices = compat_server.curl(INVOICES.replace("/321/", f"/{license_id}/"), token=partner.token)
    (invoice,) = invoices.json()["result"]
    assert (invoice["seats"], invoice["seats_subscribed"], invoice["amount"]) == (0, 10, 0)
    changed = compat_server.curl(UPDATE_SUBSCRIPTION, token=partner.token, license_id=license_id)
    assert changed.status == 204
    assert details(compat_server, partner, license_id)["seats"] == 4


def test_a_trial_has_no_seats_subscribed(compat_server: CompatServer, partner: Partner) -> None:
    """Given a trial (no subscription), its details say 0 seats subscribed and 0 used."""
    license_id = create(compat_server, partner, "joe@example.com")["license"]
    body = details(compat_server, partner, license_id)
    assert (body["seats"], body["seats_used"]) == (0, 0)


def test_end_timestamp_is_the_end_of_the_current_period(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Given a trial, a paid license and one expired at once, `end_timestamp` is the trial's
    end, the end of the current (monthly) billing cycle, and the moment it expired."""
    trial = create(compat_server, partner, "trial@example.com")
    created = _at(trial["creation_timestamp"])
    trial_end = details(compat_server, partner, trial["license"])["end_timestamp"]
    assert _at(trial_end) == created + timedelta(days=14)
    paid = subscribed(compat_server, partner, "paid@example.com")
    body = details(compat_server, partner, paid)
    started = _at(body["subscription"]["started_at"])
    month_later = _month_later(started)
    assert _at(body["end_timestamp"]) == month_later
    assert _at(_listed(compat_server, partner, paid)["end_timestamp"]) == month_later
    gone = subscribed(compat_server, partner, "gone@example.com")
    closed = compat_server.curl(
        CLOSE_SUBSCRIPTION, token=partner.token, license_id=gone, password=partner.token, expire="true"
    )
    assert closed.status == 204
    after = details(compat_server, partner, gone)
    assert after["status"] == "expired"
    assert _at(after["end_timestamp"]) <= datetime.now(UTC)


def _month_later(moment: datetime) -> datetime:
    """The same day and time a calendar month on (these tests never run on a 29th-31st edge
    that matters: a subscription made now ends within the next month either way)."""
    month = moment.month % 12 + 1
    year = moment.year + (moment.month == 12)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError(moment)
