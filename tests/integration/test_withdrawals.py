"""`POST`/`GET /v2/partners/withdrawals` (Text API "Request Withdrawal", "Get Withdrawals") and
`partnerapp withdrawals set-status`: a request takes everything available, or is refused
with the reason; exactly one withdrawal per request, also when two race or a retry repeats
it; paid or rejected by an operator, rejected giving the money back; an email at each step."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from partnerapp_infra.cli.main import main as partnerapp
from tests.conftest import ApiClient, PartnerAccount, new_license, sent_emails
from tests.lifecycle_support import FakeClock, billing_event, post_billing_event, run_function

WITHDRAWALS = "/v2/partners/withdrawals"
BALANCE = "/v2/partners/balance"
PAYOUT = {
    "type": "individual",
    "company": "Joe Doe",
    "address": "Main Street 1",
    "city": "Springfield",
    "country": "US",
    "paypal": "joe@doe.example",
}
START = datetime(2025, 1, 10, 9, 0, tzinfo=UTC)


def earn(api: ApiClient, partner: PartnerAccount, clock: FakeClock, cents: int, event_id: str) -> None:
    """A customer-managed license's payment of `cents` now (its commission is 20% of it)."""
    license_id = new_license(api, partner, client_email=f"{event_id}@b.example", payment_origin="client")[
        "license"
    ]
    event = billing_event(event_id, "payment.succeeded", clock(), license=int(license_id), amount_cents=cents)
    assert post_billing_event(api, event, clock()).status == 200


def available_after_hold(api: ApiClient, partner: PartnerAccount, clock: FakeClock, cents: int) -> None:
    """`cents` of commission, available: earned 31 days ago, with payout details set."""
    clock.now = START
    earn(api, partner, clock, cents * 5, "evt_old")
    clock.now = START + timedelta(days=31)
    assert api.request("PUT", "/v2/partners/billing", token=partner.token, json_body=PAYOUT).status == 204


def balance(api: ApiClient, partner: PartnerAccount) -> dict[str, Any]:
    return api.get(BALANCE, token=partner.token).json()  # type: ignore[no-any-return]


def listed(api: ApiClient, partner: PartnerAccount, query: str = "") -> list[dict[str, Any]]:
    answer = api.get(f"{WITHDRAWALS}{query}", token=partner.token)
    assert answer.status == 200, answer.body
    return answer.json()["result"]  # type: ignore[no-any-return]


def emails_to(partner_login: str) -> list[str]:
    run_function("LifecycleFunction")
    return [e["subject"] for e in sent_emails() if partner_login in e["to"] and "Withdrawal" in e["subject"]]


def set_status(partner: PartnerAccount, number: int, status: str) -> int:
    return partnerapp(
        ["withdrawals", "set-status", "--partner-id", partner.partner_id, "--withdrawal-id", str(number),
         "--status", status]
    )  # fmt: skip


def test_a_request_takes_everything_available(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given $80.00 available (a $400.00 payment 31 days ago) and $10.00 still pending
    available_after_hold(api, partner, clock, 8000)
    earn(api, partner, clock, 5000, "evt_new")
    # When the partner asks to be paid
    answer = api.post(WITHDRAWALS, token=partner.token)
    # Then one withdrawal of everything available, to the payout details' PayPal login
    assert answer.status == 201, answer.body
    assert answer.json() == {
        "withdrawal_id": 1,
        "request_timestamp": clock().strftime("%Y-%m-%d %H:%M:%S"),
        "action_timestamp": "",
        "status": "pending",
        "amount": 80,
        "invoice_id": f"2025/1/{partner.partner_id}",
        "paypal": "joe@doe.example",
    }
    assert balance(api, partner) == {"pending": 10, "withdrawn": 80, "available": 0, "total": "90.00"}
    assert listed(api, partner) == [answer.json()]
    # and the partner is told
    assert emails_to("agency@partner.example") == ["Withdrawal 1 requested: $80.00"]


def test_without_payout_details_it_is_a_409_and_nothing_changes(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    clock.now = START
    earn(api, partner, clock, 50000, "evt_old")
    clock.now = START + timedelta(days=31)
    answer = api.post(WITHDRAWALS, token=partner.token)
    assert answer.status == 409
    assert "PUT /v2/partners/billing" in answer.json()["error"]["message"]
    assert listed(api, partner) == []
    assert balance(api, partner)["available"] == 100


def test_below_the_minimum_it_is_a_403_saying_so(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given $49.99 available and $100.00 pending
    available_after_hold(api, partner, clock, 4999)
    earn(api, partner, clock, 50000, "evt_new")
    answer = api.post(WITHDRAWALS, token=partner.token)
    assert answer.status == 403
    assert answer.json()["error"]["message"] == (
        "Not enough money to withdraw: $49.99 is available, the minimum is $50.00."
    )
    assert listed(api, partner) == []
    assert balance(api, partner)["withdrawn"] == 0


def test_a_body_is_refused_by_name(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> None:
    available_after_hold(api, partner, clock, 8000)
    answer = api.post(WITHDRAWALS, token=partner.token, json_body={"amount": 10})
    assert answer.status == 400 and "amount" in answer.json()["error"]["fields"]
    assert listed(api, partner) == []


def test_the_same_idempotency_key_is_one_withdrawal(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    available_after_hold(api, partner, clock, 8000)
    headers = {"idempotency-key": "payday"}
    first = api.post(WITHDRAWALS, token=partner.token, headers=headers)
    again = api.post(WITHDRAWALS, token=partner.token, headers=headers)
    assert (first.status, again.status) == (201, 201)
    assert first.json() == again.json()
    assert len(listed(api, partner)) == 1
    # Without the key, a second request finds nothing left
    assert api.post(WITHDRAWALS, token=partner.token).status == 403


def test_two_requests_at_once_make_one_withdrawal(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given $80.00 available, and a second request whose write lands between the first's
    # reading of the balance and its own write
    from partnerapp.services.withdrawals import Withdrawals
    from partnerapp.settings import get_settings
    from partnerapp.store.withdrawals import WithdrawalStore

    available_after_hold(api, partner, clock, 8000)
    write = WithdrawalStore.request
    raced: list[int] = []

    def racing(self: WithdrawalStore, *args: Any) -> None:
        if not raced:
            raced.append(0)  # the second request's own write is not raced again
            raced[0] = Withdrawals(get_settings(), clock).request(partner.partner_id).amount_cents
        write(self, *args)

    monkeypatch.setattr(WithdrawalStore, "request", racing)
    # When the first goes on to write
    first = api.post(WITHDRAWALS, token=partner.token)
    # Then the one that wrote first has it all, and the other is told nothing is left
    assert (raced, first.status) == ([8000], 403)
    assert [w["amount"] for w in listed(api, partner)] == [80]
    assert balance(api, partner)["withdrawn"] == 80


def test_an_operator_pays_or_rejects_and_the_partner_is_told(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given withdrawal 1 ($80.00) requested
    available_after_hold(api, partner, clock, 8000)
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    # When the operator pays it
    clock.advance(hours=2)
    assert set_status(partner, 1, "paid") == 0
    # Then it shows as paid, when, and stays withdrawn
    [paid] = listed(api, partner)
    assert (paid["status"], paid["action_timestamp"]) == ("paid", clock().strftime("%Y-%m-%d %H:%M:%S"))
    assert balance(api, partner)["withdrawn"] == 80
    # and setting it again is harmless, but it cannot be rejected now
    assert set_status(partner, 1, "paid") == 0
    assert set_status(partner, 1, "rejected") == 1
    # Given withdrawal 2 of a later $60.00
    earn(api, partner, clock, 30000, "evt_later")
    clock.advance(days=31)
    assert api.post(WITHDRAWALS, token=partner.token).json()["withdrawal_id"] == 2
    # When it is rejected, Then its amount is available again
    assert set_status(partner, 2, "rejected") == 0
    assert balance(api, partner) == {"pending": 0, "withdrawn": 80, "available": 60, "total": "140.00"}
    assert [(w["withdrawal_id"], w["status"]) for w in listed(api, partner)] == [(2, "rejected"), (1, "paid")]
    assert emails_to("agency@partner.example") == [
        "Withdrawal 1 requested: $80.00",
        "Withdrawal 1 paid: $80.00",
        "Withdrawal 2 requested: $60.00",
        "Withdrawal 2 rejected: $60.00 is available again",
    ]
    # An unknown withdrawal, or another partner's, is refused
    assert set_status(partner, 9, "paid") == 1


def test_listed_newest_first_within_the_dates_asked(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, clock: FakeClock
) -> None:
    available_after_hold(api, partner, clock, 8000)  # requested Feb 10
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    earn(api, partner, clock, 30000, "evt_later")
    clock.advance(days=31)  # Mar 13
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    assert [w["withdrawal_id"] for w in listed(api, partner)] == [2, 1]
    assert [w["withdrawal_id"] for w in listed(api, partner, "?date_from=2025-03-01")] == [2]
    assert [w["withdrawal_id"] for w in listed(api, partner, "?date_to=2025-02-10")] == [1]
    assert listed(api, partner, "?date_from=2025-02-11&date_to=2025-03-12") == []
    bad = api.get(f"{WITHDRAWALS}?date_from=2025-03-01&date_to=2025-02-01", token=partner.token)
    assert bad.status == 400 and "date_from" in bad.json()["error"]["fields"]
    assert api.get(f"{WITHDRAWALS}?date_to=March", token=partner.token).status == 400
    # Only the partner's own
    assert listed(api, other_partner) == []


def _withdrawal_emails(partner_login: str) -> list[str]:
    """The withdrawal emails SES has accepted for the partner, without running any job."""
    return [e["subject"] for e in sent_emails() if partner_login in e["to"] and "Withdrawal" in e["subject"]]


def test_each_withdrawal_email_goes_out_at_once_and_only_once(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    login = "agency@partner.example"
    available_after_hold(api, partner, clock, 8000)
    # When the partner asks (and the SDK sends the same request again with its key)
    keyed = {"Idempotency-Key": "withdraw-once"}
    assert api.post(WITHDRAWALS, token=partner.token, headers=keyed).status == 201
    # Then the email is already sent: no lifecycle run in between
    assert _withdrawal_emails(login) == ["Withdrawal 1 requested: $80.00"]
    assert api.post(WITHDRAWALS, token=partner.token, headers=keyed).status == 201
    assert _withdrawal_emails(login) == ["Withdrawal 1 requested: $80.00"]
    # When the operator pays it, twice
    assert set_status(partner, 1, "paid") == 0
    assert _withdrawal_emails(login) == ["Withdrawal 1 requested: $80.00", "Withdrawal 1 paid: $80.00"]
    assert set_status(partner, 1, "paid") == 0
    # Then the lifecycle job finds nothing more to send: each email went once
    assert emails_to(login) == ["Withdrawal 1 requested: $80.00", "Withdrawal 1 paid: $80.00"]


def test_a_withdrawal_email_ses_refuses_is_sent_by_the_next_run(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnerapp.mail import sender

    login = "agency@partner.example"
    available_after_hold(api, partner, clock, 8000)
    real_send = sender.send

    def refused(*_: Any, **__: Any) -> str:
        raise sender.SendFailed("Throttling: Maximum sending rate exceeded")

    # Given SES refusing for a moment: the request is still done, its email waits
    monkeypatch.setattr(sender, "send", refused)
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    assert _withdrawal_emails(login) == []
    monkeypatch.setattr(sender, "send", real_send)
    # When the job runs after the retry's backoff, Then it goes out, once
    clock.advance(minutes=10)
    assert emails_to(login) == ["Withdrawal 1 requested: $80.00"]
    assert emails_to(login) == ["Withdrawal 1 requested: $80.00"]


def test_the_partners_account_emails_come_from_the_accounts_address(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a withdrawal (an email about the partner's own account, like the sign-in link)
    login = "agency@partner.example"
    available_after_hold(api, partner, clock, 8000)
    assert api.post(WITHDRAWALS, token=partner.token).status == 201
    # Then it comes from the accounts address, not the one customers' invitations come from
    withdrawals = [e for e in sent_emails() if login in e["to"] and "Withdrawal" in e["subject"]]
    senders = {e["headers"]["From"] for e in withdrawals}
    assert senders == {"accounts@partnerapp.example"}
