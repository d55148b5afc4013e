"""Every job takes its items one at a time: one item that raises (a header the email library
refuses, a template error) is counted, retried with backoff, dead-lettered with its reason
after its limit, and never stops the items after it."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from partnerapp.domain.delivery import RetryPolicy
from partnerapp.services import delivery
from partnerapp.services.delivery import InvitationMailer
from partnerapp.settings import get_settings
from tests.conftest import LICENSES, ApiClient, FakeClock, PartnerAccount, new_license, sent_emails
from tests.lifecycle_support import run_function

HEADER_REFUSED = "Header values may not contain linefeed or carriage return characters"
TWO_TRIES = RetryPolicy(max_attempts=2)


def dead_letter_metrics(printed: str) -> int:
    """How many JobItemDeadLettered counts the functions emitted (CloudWatch EMF lines)."""
    blobs = [json.loads(line) for line in printed.splitlines() if '"_aws"' in line]
    return sum(int(blob.get("JobItemDeadLettered", [0])[0]) for blob in blobs)


def refuse_rendering_of(monkeypatch: pytest.MonkeyPatch, client_name: str) -> None:
    """The invitation of the license for `client_name` fails to render, as the email library
    fails on a header it refuses; every other renders as usual."""
    real = delivery.render_invitation

    def render(item: Any, *args: Any) -> Any:
        if item.client_name == client_name:
            raise ValueError(HEADER_REFUSED)
        return real(item, *args)

    monkeypatch.setattr(delivery, "render_invitation", render)


def stored_invitation(license_id: int) -> dict[str, Any]:
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"LICENSE#{license_id}"}, "sk": {"S": "LICENSE#INVITE#00"}}
    return table.get_item(TableName="partnerapp-licenses", Key=key)["Item"]  # type: ignore[no-any-return]


def test_the_sweep_sends_the_good_emails_around_a_poison_one_then_dead_letters_it(
    api: ApiClient,
    partner: PartnerAccount,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given three new licenses, the second one's invitation failing to render
    names = ["First Client", "Poison Client", "Third Client"]
    ids = [
        int(str(new_license(api, partner, client_name=n, client_email=f"c{i}@acme.example")["license"]))
        for i, n in enumerate(names)
    ]
    refuse_rendering_of(monkeypatch, "Poison Client")
    mailer = InvitationMailer(get_settings(), TWO_TRIES)
    now = datetime.now(UTC) + timedelta(minutes=1)
    capsys.readouterr()
    # When the sweep runs
    first = mailer.deliver_due(now)
    # Then the good ones are sent, and the poison one is counted and due again after a backoff
    assert (first.sent, first.retrying, first.dead_lettered) == (2, 1, 0)
    assert sorted(e["to"][0] for e in sent_emails()) == ["c0@acme.example", "c2@acme.example"]
    poison = stored_invitation(ids[1])
    assert poison["status"] == {"S": "pending"} and poison["attempts"] == {"N": "1"}
    assert poison["last_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}
    assert mailer.deliver_due(now).sent == 0  # not due again before its backoff ends
    # When the sweep runs after the backoff and the item uses its last attempt
    second = mailer.deliver_due(now + timedelta(minutes=1))
    # Then it is dead-lettered with its reason, the partner sees it failed, the metric counts it
    assert (second.sent, second.retrying, second.dead_lettered) == (0, 0, 1)
    poison = stored_invitation(ids[1])
    assert poison["status"] == {"S": "failed"} and "outbox_due" not in poison
    assert poison["last_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}
    shown = api.get(f"{LICENSES}/livechat/{ids[1]}", token=partner.token).json()
    assert shown["client_invitation_status"] == "failed"
    assert dead_letter_metrics(capsys.readouterr().out) == 1
    assert len(sent_emails()) == 2


def test_the_stream_mailer_records_a_poison_record_and_sends_the_rest_of_its_batch(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.integration.test_mailer_records import _invitation, _record, _stream

    # Given a stream batch of three new invitations, the second one failing to render
    names = ["First Client", "Poison Client", "Third Client"]
    ids = [
        int(str(new_license(api, partner, client_name=n, client_email=f"c{i}@acme.example")["license"]))
        for i, n in enumerate(names)
    ]
    refuse_rendering_of(monkeypatch, "Poison Client")
    # When the mailer takes the batch
    answer = _stream(*(_record("INSERT", _invitation(i)) for i in ids))
    # Then no record goes back to the stream (which would retry the whole shard behind it):
    # the good ones are sent, the poison one waits in the outbox for the sweep's retry
    assert answer == {"batchItemFailures": []}
    assert sorted(e["to"][0] for e in sent_emails()) == ["c0@acme.example", "c2@acme.example"]
    poison = stored_invitation(ids[1])
    assert poison["status"] == {"S": "pending"} and poison["attempts"] == {"N": "1"}
    assert poison["last_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}


def stored_license(license_id: int) -> dict[str, Any]:
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"LICENSE#{license_id}"}, "sk": {"S": "LICENSE"}}
    return table.get_item(TableName="partnerapp-licenses", Key=key)["Item"]  # type: ignore[no-any-return]


def test_the_lifecycle_reminds_the_good_trials_around_a_poison_one_then_dead_letters_it(
    api: ApiClient,
    partner: PartnerAccount,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from partnerapp.domain import lifecycle
    from partnerapp.store.lifecycle_failures import LIFECYCLE_RETRY

    # Given three trials whose reminders are due, the second one's reminder raising
    names = ["First Client", "Poison Client", "Third Client"]
    ids = [
        int(str(new_license(api, partner, client_name=n, client_email=f"c{i}@acme.example")["license"]))
        for i, n in enumerate(names)
    ]
    real = lifecycle.remind

    def remind(item: Any, *args: Any) -> Any:
        if item.client_name == "Poison Client":
            raise ValueError(HEADER_REFUSED)
        return real(item, *args)

    monkeypatch.setattr(lifecycle, "remind", remind)
    clock.advance(days=11, hours=1)
    capsys.readouterr()
    # When the job runs
    report = run_function("LifecycleFunction")
    # Then the good trials are reminded, the poison one is counted and tried again after 10 minutes
    assert (report["reminded"], report["retrying"], report["dead_lettered"]) == (2, 1, 0)
    poison = stored_license(ids[1])
    assert poison["lifecycle_attempts"] == {"N": "1"}
    assert poison["lifecycle_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}
    assert run_function("LifecycleFunction")["retrying"] == 0  # not before its backoff ends
    # When it fails on every retry, each after its backoff
    reports = []
    for attempt in range(1, LIFECYCLE_RETRY.max_attempts):
        clock.now += LIFECYCLE_RETRY.delay_after(attempt)
        reports.append(run_function("LifecycleFunction"))
    # Then it is dead-lettered with its reason, out of the job's way, and the metric counts it
    assert [(r["retrying"], r["dead_lettered"]) for r in reports] == [(1, 0)] * 3 + [(0, 1)]
    poison = stored_license(ids[1])
    assert "lifecycle_due" not in poison and "lifecycle_failed_at" in poison
    assert poison["lifecycle_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}
    assert dead_letter_metrics(capsys.readouterr().out) == 1
    clock.advance(hours=2)
    assert run_function("LifecycleFunction")["retrying"] == 0
    for good in (ids[0], ids[2]):
        path = f"{LICENSES}/livechat/{good}/history"
        actions = [h["action"] for h in api.get(path, token=partner.token).json()["history"]]
        assert actions.count("trial_expiring") == 1


AGENCIES = ["one@partner.example", "poison@partner.example", "three@partner.example"]


def weekly_opt_ins(api: ApiClient, clock: FakeClock) -> list[PartnerAccount]:
    """Three partners opted into the weekly summary on Monday 2026-01-05; it is now the next
    Monday, 10:00, their summaries of week 2026-W02 due."""
    from tests.conftest import make_partner
    from tests.integration.test_summaries import opt_in

    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    accounts = [make_partner(login, f"Agency {n}") for n, login in enumerate(AGENCIES)]
    for account, login in zip(accounts, AGENCIES, strict=True):
        opt_in(api, account, f"reports-{login}", send_reseller_weekly_summary=True)
    clock.now = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    return accounts


def weekly_sent_to() -> list[str]:
    return sorted(
        e["to"][0] for e in sent_emails() if e["subject"].startswith("Your weekly reseller summary")
    )


def partners_item(pk: str, sk: str) -> dict[str, Any]:
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": pk}, "sk": {"S": sk}}
    return table.get_item(TableName="partnerapp-partners", Key=key)["Item"]  # type: ignore[no-any-return]


def test_the_summaries_send_the_good_emails_around_a_poison_one_then_give_it_up(
    api: ApiClient, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from partnerapp.services import summaries
    from partnerapp.services.summaries import SummaryJob
    from partnerapp.store import keys

    # Given three weekly summaries due, the second partner's failing to render
    accounts = weekly_opt_ins(api, clock)
    real = summaries.render_summary

    def render(partner: Any, *args: Any) -> Any:
        if partner.partner_id == accounts[1].partner_id:
            raise ValueError(HEADER_REFUSED)
        return real(partner, *args)

    monkeypatch.setattr(summaries, "render_summary", render)
    job = SummaryJob(get_settings(), TWO_TRIES)
    capsys.readouterr()
    # When the job runs
    first = job.run(clock())
    # Then the good ones are sent, the poison one is counted and due again after a backoff
    assert (first.queued, first.sent, first.retrying, first.failed) == (3, 2, 1, 0)
    assert weekly_sent_to() == ["reports-one@partner.example", "reports-three@partner.example"]
    mail_key = (keys.partner_pk(accounts[1].partner_id), keys.summary_sk("weekly", "2026-W02"))
    poison = partners_item(*mail_key)
    assert poison["status"] == {"S": "pending"} and poison["attempts"] == {"N": "1"}
    assert poison["last_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}
    # When it fails its last attempt, after the backoff
    clock.advance(minutes=1)
    second = job.run(clock())
    # Then it is given up with its reason, and the metric counts it
    assert (second.sent, second.retrying, second.failed) == (0, 0, 1)
    poison = partners_item(*mail_key)
    assert poison["status"] == {"S": "failed"} and "due_at" not in poison
    assert poison["last_error"] == {"S": f"ValueError: {HEADER_REFUSED}"}
    assert dead_letter_metrics(capsys.readouterr().out) == 1
    assert len(weekly_sent_to()) == 2


def test_the_summaries_queue_the_good_ones_around_a_poison_schedule_then_skip_its_period(
    api: ApiClient, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from partnerapp.domain.delivery import SCHEDULED_JOB_RETRY
    from partnerapp.services.summary_figures import SummaryFigures
    from partnerapp.store import keys

    # Given three weekly summaries due, the second partner's figures raising
    accounts = weekly_opt_ins(api, clock)
    real = SummaryFigures.weekly

    def weekly(self: Any, partner_id: str, *args: Any) -> Any:
        if partner_id == accounts[1].partner_id:
            raise KeyError("figures")
        return real(self, partner_id, *args)

    monkeypatch.setattr(SummaryFigures, "weekly", weekly)
    capsys.readouterr()
    # When the lifecycle job runs
    first = run_function("LifecycleFunction")
    # Then the good ones are queued and sent, the poison one is counted and tried again later
    assert (first["summaries_queued"], first["summaries_sent"], first["summaries_retrying"]) == (2, 2, 1)
    schedule_key = (keys.partner_pk(accounts[1].partner_id), keys.schedule_sk("weekly"))
    schedule = partners_item(*schedule_key)
    assert schedule["attempts"] == {"N": "1"} and schedule["last_error"] == {"S": "KeyError: 'figures'"}
    assert run_function("LifecycleFunction")["summaries_retrying"] == 0  # not before its backoff
    # When it fails on every retry, each after its backoff
    reports = []
    for attempt in range(1, SCHEDULED_JOB_RETRY.max_attempts):
        clock.now += SCHEDULED_JOB_RETRY.delay_after(attempt)
        reports.append(run_function("LifecycleFunction"))
    # Then that week's summary is given up with its reason, the schedule is at the next week,
    # and the metric counts it
    assert [(r["summaries_retrying"], r["summaries_failed"]) for r in reports] == [(1, 0)] * 3 + [(0, 1)]
    schedule = partners_item(*schedule_key)
    assert schedule["failed_period"] == {"S": "2026-W02"} and "attempts" not in schedule
    assert schedule["due_at"]["S"].startswith("2026-01-19")
    assert dead_letter_metrics(capsys.readouterr().out) == 1
    assert weekly_sent_to() == ["reports-one@partner.example", "reports-three@partner.example"]


def test_the_sweep_goes_on_past_an_item_it_cannot_even_claim(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from partnerapp.store.outbox import Outbox

    # Given three invitations due, DynamoDB failing the claim of the second one
    ids = [
        int(str(new_license(api, partner, client_email=f"c{i}@acme.example")["license"])) for i in range(3)
    ]
    real = Outbox.claim

    def claim(self: Outbox, license_id: int, *args: Any) -> Any:
        if license_id == ids[1]:
            raise ClientError({"Error": {"Code": "InternalServerError"}}, "UpdateItem")
        return real(self, license_id, *args)

    monkeypatch.setattr(Outbox, "claim", claim)
    # When the sweep runs
    report = InvitationMailer(get_settings()).deliver_due(datetime.now(UTC) + timedelta(minutes=1))
    # Then the others are sent, and that one is counted and left due, unchanged, for the next pass
    assert (report.sent, report.errors) == (2, 1)
    assert sorted(e["to"][0] for e in sent_emails()) == ["c0@acme.example", "c2@acme.example"]
    untouched = stored_invitation(ids[1])
    assert untouched["status"] == {"S": "pending"} and untouched.get("attempts", {"N": "0"}) == {"N": "0"}


def test_the_lifecycle_goes_on_when_a_failure_cannot_even_be_recorded(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from partnerapp.domain import lifecycle
    from partnerapp.store.lifecycle_failures import LifecycleFailures

    # Given three reminders due, the second one raising, and DynamoDB refusing to record that
    ids = [
        int(str(new_license(api, partner, client_name=n, client_email=f"c{i}@acme.example")["license"]))
        for i, n in enumerate(["First Client", "Poison Client", "Third Client"])
    ]
    real = lifecycle.remind

    def remind(item: Any, *args: Any) -> Any:
        if item.client_name == "Poison Client":
            raise ValueError(HEADER_REFUSED)
        return real(item, *args)

    def record(*_: Any) -> Any:
        raise ClientError({"Error": {"Code": "InternalServerError"}}, "UpdateItem")

    monkeypatch.setattr(lifecycle, "remind", remind)
    monkeypatch.setattr(LifecycleFailures, "record", record)
    clock.advance(days=11, hours=1)
    # When the job runs
    report = run_function("LifecycleFunction")
    # Then the others are reminded, and that one is counted and left due for the next run
    assert (report["reminded"], report["errors"], report["retrying"]) == (2, 1, 0)
    assert "lifecycle_attempts" not in stored_license(ids[1]) and "lifecycle_due" in stored_license(ids[1])


def test_the_summaries_go_on_when_an_email_cannot_even_be_claimed(
    api: ApiClient, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    from partnerapp.store.summaries import SummaryStore

    # Given three weekly summaries due, DynamoDB failing the claim of the second one's email
    accounts = weekly_opt_ins(api, clock)
    real = SummaryStore.claim

    def claim(self: SummaryStore, mail: Any, *args: Any) -> Any:
        if mail.partner_id == accounts[1].partner_id:
            raise ClientError({"Error": {"Code": "InternalServerError"}}, "UpdateItem")
        return real(self, mail, *args)

    monkeypatch.setattr(SummaryStore, "claim", claim)
    # When the lifecycle job runs
    report = run_function("LifecycleFunction")
    # Then the others are sent, and that one is counted and left pending for the next run
    assert (report["summaries_sent"], report["summaries_errors"]) == (2, 1)
    assert weekly_sent_to() == ["reports-one@partner.example", "reports-three@partner.example"]
    monkeypatch.setattr(SummaryStore, "claim", real)
    clock.advance(minutes=10)
    assert run_function("LifecycleFunction")["summaries_sent"] == 1


def test_the_sweep_sends_the_trial_reminders_around_one_whose_subject_is_refused(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's case: the trial-ending notice to the partner names the client in its
    Subject, and the email library refuses that header."""
    from partnerapp.mail import sender
    from tests.lifecycle_support import send_emails

    # Given three trials reminded by the lifecycle job, one client's name refused in a header
    for n, name in enumerate(["First Client", "Poison Client", "Third Client"]):
        new_license(api, partner, client_name=name, client_email=f"c{n}@acme.example")
    send_emails(clock)  # the invitations
    clock.advance(days=11, hours=1)
    assert run_function("LifecycleFunction")["reminded"] == 3
    real = sender.build_mime

    def build_mime(email: Any, *args: Any, **kwargs: Any) -> bytes:
        if "Poison Client" in email.subject:
            raise ValueError(HEADER_REFUSED)
        return real(email, *args, **kwargs)

    monkeypatch.setattr(sender, "build_mime", build_mime)
    # When the sweep sends them
    report = InvitationMailer(get_settings()).deliver_due(clock())
    # Then every other reminder goes out, and that one waits for its retry with the reason
    assert (report.sent, report.retrying) == (5, 1)
    subjects = [e["subject"] for e in sent_emails() if "rial end" in e["subject"]]
    assert len(subjects) == 5 and not any("Poison Client" in s for s in subjects)
