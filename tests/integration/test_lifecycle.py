"""The lifecycle job: a reminder to the partner and the customer 3 days before a trial ends,
exactly once however the job runs; the trial's end; invoices as cycles begin; the end of a
closed subscription. The clock is moved by the tests, never waited for."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3
import botocore.client
import pytest

from partnerapp.services.lifecycle import LifecycleJob
from partnerapp.settings import get_settings
from partnerapp_infra.cli import main as cli
from tests.conftest import (
    LICENSES,
    ApiClient,
    PartnerAccount,
    license_details,
    new_license,
    run_sweep,
    sent_emails,
)
from tests.lifecycle_support import FakeClock, run_function, send_emails

PARTNER_EMAIL = "agency@partner.example"


def history(api: ApiClient, partner: PartnerAccount, item: dict[str, Any]) -> list[dict[str, Any]]:
    path = f"{LICENSES}/livechat/{item['license']}/history"
    return api.get(path, token=partner.token).json()["history"]  # type: ignore[no-any-return]


def reminders() -> list[dict[str, Any]]:
    return [e for e in sent_emails() if "trial ends on" in e["subject"] or "Trial ending" in e["subject"]]


def test_the_reminder_goes_to_partner_and_customer_exactly_once(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a customer-managed 14-day trial in the EU
    item = new_license(api, partner, payment_origin="client", data_center="eu")
    # When the job runs just before the reminder is due, nothing happens
    clock.advance(days=11, minutes=-1)
    assert run_function("LifecycleFunction")["reminded"] == 0
    # and when four runs overlap once it is due, and it runs again later
    clock.advance(minutes=2)
    with ThreadPoolExecutor(max_workers=4) as pool:
        reports = list(pool.map(lambda _: LifecycleJob(get_settings()).run(clock()), range(4)))
    assert sum(r.reminded for r in reports) == 1
    clock.advance(hours=6)
    assert run_function("LifecycleFunction")["reminded"] == 0
    send_emails(clock)
    send_emails(clock)
    # Then the partner and the customer got one reminder each, from the customer's region
    sent = reminders()
    assert sorted(e["to"][0] for e in sent) == [PARTNER_EMAIL, "owner@acme.example"]
    assert {e["region"] for e in sent} == {"eu-central-1"}
    customer = next(e for e in sent if e["to"] == ["owner@acme.example"])
    assert customer["subject"] == f"Your LiveChat trial ends on {item['end_timestamp'][:10]}"
    assert item["end_timestamp"] in customer["text"] and "add a payment method" in customer["text"]
    to_partner = next(e for e in sent if e["to"] == [PARTNER_EMAIL])
    assert str(item["license"]) in to_partner["subject"] and "Acme Corporation" in to_partner["subject"]
    assert "20% commission" in to_partner["text"]
    assert [h["action"] for h in history(api, partner, item)].count("trial_expiring") == 1
    assert license_details(api, partner, item)["status"] == "trial"


def test_the_partners_address_is_kept_in_the_region_only_until_it_is_sent(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, data_center="eu")
    clock.advance(days=11, hours=1)
    run_function("LifecycleFunction")
    table = boto3.client("dynamodb", region_name="eu-central-1")
    key = {"pk": {"S": f"LICENSE#{item['license']}"}, "sk": {"S": "MAIL#trial_expiring#partner"}}
    assert table.get_item(TableName="partnerapp-licenses", Key=key)["Item"]["recipient"] == {
        "S": PARTNER_EMAIL
    }
    send_emails(clock)
    stored = table.get_item(TableName="partnerapp-licenses", Key=key)["Item"]
    assert stored["status"] == {"S": "sent"} and "recipient" not in stored


def test_the_trial_ends_at_its_end_and_a_missed_reminder_is_not_sent_late(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner, payment_origin="client")
    run_sweep()
    # The job did not run in the reminder window (say, an outage); it runs after the end
    clock.advance(days=14, seconds=1)
    assert run_function("LifecycleFunction")["expired"] == 1
    assert run_function("LifecycleFunction")["expired"] == 0
    send_emails(clock)
    assert reminders() == []  # announcing an end that is past would only confuse
    assert license_details(api, partner, item)["status"] == "expired"
    expired = api.get(f"{LICENSES}/expired", token=partner.token).json()["results"]
    assert [i["license_id"] for i in expired] == [item["license"]]
    last = history(api, partner, item)[-1]
    assert (last["action"], last["who"], last["details"]["reason"]) == ("expired", "system", "trial_ended")
    assert last["details"]["ended_at"] == item["end_timestamp"]


def test_an_extended_trial_is_reminded_and_ended_on_its_new_dates(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner)  # partner-managed LiveChat: the offer can extend the trial
    path = f"{LICENSES}/livechat/{item['license']}"
    assert api.post(f"{path}/offer", token=partner.token, json_body={"extend_trial_days": 10}).status == 200
    clock.advance(days=12)  # past the old reminder date, before the new one (day 21)
    assert run_function("LifecycleFunction")["reminded"] == 0
    clock.advance(days=9, hours=1)
    assert run_function("LifecycleFunction")["reminded"] == 1
    clock.advance(days=2)  # past the old end, before the new one (day 24)
    assert run_function("LifecycleFunction")["expired"] == 0
    clock.advance(days=1)
    assert run_function("LifecycleFunction")["expired"] == 1
    assert license_details(api, partner, item)["status"] == "expired"


def test_a_run_with_nothing_due_reads_no_license(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        new_license(api, partner, client_email=f"c{n}@acme.example", data_center="eu" if n % 2 else "us")
    calls: list[tuple[str, str | None]] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            calls.append((operation, params.get("IndexName")))
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    assert run_function("LifecycleFunction")["unchanged"] == 0
    # one Query per shard of the sparse index in each data region, then one of the partners'
    # sparse summaries index per summary kind and one for summary emails to send; nothing else
    assert calls == [("Query", "lifecycle")] * 8 + [("Query", "partner_due")] * 4


def test_the_job_invoices_each_cycle_as_it_begins_and_ends_a_closed_subscription(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    item = new_license(api, partner)
    path = f"{LICENSES}/livechat/{item['license']}"
    subscription = {"plan": "starter", "billing_cycle": "monthly", "seats": 1, "token": "tok_1"}
    assert api.post(f"{path}/subscription", token=partner.token, json_body=subscription).status == 201
    assert run_function("LifecycleFunction")["invoiced"] == 1  # the first cycle begins at once
    clock.advance(days=20)
    assert run_function("LifecycleFunction")["invoiced"] == 0
    close = {"password": partner.token, "expire": False}
    closed = api.request("DELETE", f"{path}/subscription", token=partner.token, json_body=close)
    assert closed.status == 204 and license_details(api, partner, item)["status"] == "paid"
    clock.advance(days=12)  # past the end of the first cycle: no second invoice, the license ends
    report = run_function("LifecycleFunction")
    assert (report["invoiced"], report["expired"]) == (0, 1)
    assert license_details(api, partner, item)["status"] == "expired"
    assert history(api, partner, item)[-1]["details"]["reason"] == "subscription_ended"
    assert len(api.get(f"{LICENSES}/{item['license']}/invoices", token=partner.token).json()["result"]) == 1


def test_partnerapp_lifecycle_run_runs_the_job_once(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    new_license(api, partner)
    clock.advance(days=12)
    capsys.readouterr()  # what the API function printed (its metrics) is not the command's
    assert cli.main(["lifecycle", "run"]) == 0
    assert json.loads(capsys.readouterr().out)["reminded"] == 1
    assert cli.main(["lifecycle", "run"]) == 0
    assert json.loads(capsys.readouterr().out)["reminded"] == 0


def _partner_reminder(item: dict[str, Any]) -> dict[str, Any]:
    table = boto3.client("dynamodb", region_name="eu-central-1")
    key = {"pk": {"S": f"LICENSE#{item['license']}"}, "sk": {"S": "MAIL#trial_expiring#partner"}}
    return table.get_item(TableName="partnerapp-licenses", Key=key)["Item"]  # type: ignore[no-any-return]


def test_a_reminder_that_cannot_be_sent_forgets_the_partners_address(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, aws: dict[str, str]
) -> None:
    from partnerapp.domain.delivery import RetryPolicy
    from partnerapp.services.delivery import InvitationMailer
    from partnerapp_infra.local import emulator as local_stack

    # Given a reminder due while SES refuses every email
    item = new_license(api, partner, data_center="eu")
    send_emails(clock)  # the invitation
    clock.advance(days=11, hours=1)
    run_function("LifecycleFunction")
    local_stack.unverify_sender(aws["SENDER_EMAIL"])
    # When its attempts run out (a policy of two, so the test need not retry ten times)
    mailer = InvitationMailer(get_settings(), RetryPolicy(max_attempts=2))
    assert mailer.deliver_due(clock()).retrying == 2  # the partner's and the customer's
    assert "recipient" in _partner_reminder(item)  # kept while it may still be sent
    clock.advance(minutes=1)
    assert mailer.deliver_due(clock()).dead_lettered == 2
    # Then the reminder is dead-lettered and the partner's address is gone from the region
    stored = _partner_reminder(item)
    assert stored["status"] == {"S": "failed"} and "recipient" not in stored
    assert reminders() == []


def test_a_reminder_to_a_suppressed_address_forgets_the_partners_address(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    from partnerapp.store.licenses import LicenseRepository
    from partnerapp.store.suppressions import SuppressionList

    # Given a partner's address that bounced in the EU, and a reminder due there
    item = new_license(api, partner, data_center="eu")
    license_id = int(str(item["license"]))
    stored_license = LicenseRepository(get_settings()).get(license_id)
    assert stored_license is not None
    SuppressionList(get_settings()).add(stored_license.data_center, PARTNER_EMAIL, "bounced", clock())
    clock.advance(days=11, hours=1)
    run_function("LifecycleFunction")
    # When the mailer comes to it
    send_emails(clock)
    # Then nothing is sent to the partner, the reminder is closed, and the address is gone
    stored = _partner_reminder(item)
    assert stored["status"] == {"S": "bounced"} and "recipient" not in stored
    assert [e["to"] for e in reminders()] == [["owner@acme.example"]]
