"""Invitation emails: sent from the outbox, retried through an SES outage, dead-lettered
after a bounded number of tries, never lost and never sent twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from boto3.dynamodb.types import TypeSerializer

from partnerapp.domain.delivery import RETRY_POLICY
from partnerapp.services.delivery import InvitationMailer
from partnerapp.settings import get_settings
from partnerapp_infra.aws import template
from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.lambda_context import LocalLambdaContext
from tests.conftest import (
    LICENSES,
    ApiClient,
    PartnerAccount,
    new_license,
    run_sweep,
    sent_emails,
)

SENDER = "invitations@partnerapp.example"


def test_customer_and_each_operator_receive_one_invitation(api: ApiClient, partner: PartnerAccount) -> None:
    license_ = new_license(
        api,
        partner,
        data_center="eu",
        client_name="Acme <b>Corp</b>",
        operators=[
            {"email": "ann@acme.example", "role": "administrator"},
            {"email": "bob@acme.example", "role": "agent"},
        ],
    )
    run_sweep()
    run_sweep()  # a second round finds nothing more to send
    emails = sent_emails()
    assert sorted(e["to"][0] for e in emails) == [
        "ann@acme.example",
        "bob@acme.example",
        "owner@acme.example",
    ]
    assert all(e["region"] == "eu-central-1" for e in emails)  # sent from the customer's data region
    customer = next(e for e in emails if e["to"] == ["owner@acme.example"])
    assert customer["subject"] == "Your LiveChat trial is ready"
    assert license_["end_timestamp"] in customer["text"]
    # the name is escaped in the HTML part, kept as typed in the text part
    assert "Acme &lt;b&gt;Corp&lt;/b&gt;" in customer["html"] and "<b>Corp" not in customer["html"]
    assert "Acme <b>Corp</b>" in customer["text"]
    ann = next(e for e in emails if e["to"] == ["ann@acme.example"])
    assert ann["subject"] == "You are invited to LiveChat as administrator"
    details = api.get(f"{LICENSES}/livechat/{license_['license']}", token=partner.token).json()
    assert details["client_invitation_status"] == "sent"
    assert {a["invitation_status"] for a in details["invited_agents"]} == {"sent"}


def test_ses_outage_delays_the_invitation_but_never_loses_the_license(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given SES refuses every send
    local_stack.unverify_sender(SENDER)
    # When a license is created, it is still created
    license_ = new_license(api, partner)
    report = run_sweep()
    assert report["retrying"] == 1 and report["sent"] == 0
    assert sent_emails() == []
    details = api.get(f"{LICENSES}/livechat/{license_['license']}", token=partner.token).json()
    assert details["status"] == "trial" and details["client_invitation_status"] == "pending"
    # And once SES works again, the invitation goes out when its retry is due, exactly once
    local_stack.verify_sender(SENDER)
    mailer = InvitationMailer(get_settings())
    assert mailer.deliver_due(datetime.now(UTC)).sent == 0  # not due yet: backoff
    later = datetime.now(UTC) + timedelta(minutes=1)
    assert mailer.deliver_due(later).sent == 1
    assert mailer.deliver_due(later + timedelta(hours=1)).sent == 0
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_invitation_is_dead_lettered_after_bounded_tries_and_shown_failed(
    api: ApiClient, partner: PartnerAccount
) -> None:
    local_stack.unverify_sender(SENDER)
    license_ = new_license(api, partner)
    mailer = InvitationMailer(get_settings())
    moment = datetime.now(UTC)
    outcomes = []
    for _ in range(RETRY_POLICY.max_attempts + 3):
        outcomes.append(mailer.deliver_due(moment))
        moment += RETRY_POLICY.delay_after(RETRY_POLICY.max_attempts) + timedelta(seconds=1)
    assert sum(o.retrying for o in outcomes) == RETRY_POLICY.max_attempts - 1
    assert sum(o.dead_lettered for o in outcomes) == 1
    details = api.get(f"{LICENSES}/livechat/{license_['license']}", token=partner.token).json()
    assert details["client_invitation_status"] == "failed"
    assert details["status"] == "trial"  # the license itself is intact
    local_stack.verify_sender(SENDER)
    assert mailer.deliver_due(moment + timedelta(days=1)).sent == 0  # dead letters are not resent
    assert sent_emails() == []


def _stream_record(license_id: int, seq: int) -> dict:
    serialize = TypeSerializer().serialize
    image = {
        "pk": f"LICENSE#{license_id}",
        "sk": f"LICENSE#INVITE#{seq:02d}",
        "entity": "invitation",
        "license_id": license_id,
        "seq": seq,
        "status": "pending",
    }
    return {
        "eventID": str(seq),
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/partnerapp-licenses/stream/2026",
        "dynamodb": {
            "Keys": {"pk": serialize(image["pk"]), "sk": serialize(image["sk"])},
            "NewImage": {k: serialize(v) for k, v in image.items()},
            "SequenceNumber": str(100 + seq),
            "SizeBytes": 100,
            "StreamViewType": "NEW_IMAGE",
        },
    }


def _mailer_handler():  # type: ignore[no-untyped-def]
    return template.resolve_handler(template.function_handler_path("MailerFunction"))


def test_stream_mailer_sends_at_once_and_the_sweep_does_not_send_again(
    api: ApiClient, partner: PartnerAccount
) -> None:
    license_ = new_license(api, partner)
    event = {"Records": [_stream_record(license_["license"], 0)]}
    assert _mailer_handler()(event, LocalLambdaContext()) == {"batchItemFailures": []}
    # sent by the stream mailer itself, before any sweep
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]
    _mailer_handler()(event, LocalLambdaContext())  # the stream delivers a record twice: still one email
    run_sweep()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_stream_mailer_reports_the_record_it_could_not_process(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    license_ = new_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    from partnerapp.store.outbox import Outbox

    real_claim = Outbox.claim

    def operator_claim_fails(self: Outbox, license_id: int, sk: str, now: datetime, link=None):  # type: ignore[no-untyped-def]
        if sk == "LICENSE#INVITE#01":
            raise RuntimeError("DynamoDB unavailable")
        return real_claim(self, license_id, sk, now, link)

    monkeypatch.setattr(Outbox, "claim", operator_claim_fails)
    event = {"Records": [_stream_record(license_["license"], 0), _stream_record(license_["license"], 1)]}
    assert _mailer_handler()(event, LocalLambdaContext()) == {
        "batchItemFailures": [{"itemIdentifier": "101"}]
    }
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]
    monkeypatch.undo()
    run_sweep()  # the failed item stayed in the outbox: it is delivered, the other is not resent
    assert sorted(e["to"][0] for e in sent_emails()) == ["ann@acme.example", "owner@acme.example"]
