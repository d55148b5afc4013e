"""Which stream records the mailer acts on: a new or changed email item that is pending
(an invitation or a lifecycle `mail` item) is sent at once; removals, other entities and
items no longer pending are left alone (the item stays for the sweep, if it is due)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeSerializer

from partnerapp.services.delivery import InvitationMailer
from partnerapp.settings import get_settings
from partnerapp_infra.aws import template
from partnerapp_infra.local.lambda_context import LocalLambdaContext
from tests.conftest import ApiClient, FakeClock, PartnerAccount, new_license, sent_emails
from tests.lifecycle_support import run_function


def _record(event_name: str, image: dict[str, Any], *, old: bool = False) -> dict[str, Any]:
    serialize = TypeSerializer().serialize
    typed = {k: serialize(v) for k, v in image.items()}
    change: dict[str, Any] = {
        "Keys": {"pk": typed["pk"], "sk": typed["sk"]},
        "SequenceNumber": "100",
        "SizeBytes": 100,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    change["OldImage" if old else "NewImage"] = typed
    return {
        "eventID": "1",
        "eventName": event_name,
        "eventSource": "aws:dynamodb",
        "awsRegion": "us-east-1",
        "eventSourceARN": "arn:aws:dynamodb:us-east-1:123456789012:table/partnerapp-licenses/stream/2026",
        "dynamodb": change,
    }


def _invitation(license_id: int, **changes: Any) -> dict[str, Any]:
    image = {
        "pk": f"LICENSE#{license_id}",
        "sk": "LICENSE#INVITE#00",
        "entity": "invitation",
        "license_id": license_id,
        "seq": 0,
        "status": "pending",
    }
    return {**image, **changes}


def _stream(*records: dict[str, Any]) -> Any:
    handler = template.resolve_handler(template.function_handler_path("MailerFunction"))
    return handler({"Records": list(records)}, LocalLambdaContext())


def test_removals_other_entities_and_settled_items_send_nothing(
    api: ApiClient, partner: PartnerAccount
) -> None:
    license_id = int(str(new_license(api, partner)["license"]))
    answers = [
        _stream(_record("REMOVE", _invitation(license_id), old=True)),
        _stream(_record("MODIFY", _invitation(license_id, status="sent"))),
        _stream(_record("MODIFY", _invitation(license_id, status="failed"))),
        _stream(_record("INSERT", _invitation(license_id, entity="license", sk="LICENSE"))),
        _stream(_record("INSERT", _invitation(license_id, entity="history", sk="HISTORY#1"))),
    ]
    assert answers == [{"batchItemFailures": []}] * 5
    assert sent_emails() == []
    # the invitation was never claimed by them: it is still pending, and goes out once
    later = datetime.now(UTC) + timedelta(minutes=5)
    assert InvitationMailer(get_settings()).deliver_due(later).sent == 1
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_a_pending_invitation_changed_back_to_due_is_sent_by_the_stream(
    api: ApiClient, partner: PartnerAccount
) -> None:
    license_id = int(str(new_license(api, partner)["license"]))
    assert _stream(_record("MODIFY", _invitation(license_id))) == {"batchItemFailures": []}
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_a_lifecycle_email_goes_out_through_the_stream(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # a trial begun 11 days and 2 hours ago, so its reminder is due by the real clock the
    # mailer reads
    clock.now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=11, hours=2)
    item = new_license(api, partner, data_center="eu")
    license_id = int(str(item["license"]))
    clock.advance(days=11, hours=1)
    assert run_function("LifecycleFunction")["reminded"] == 1
    reminder = {
        "pk": f"LICENSE#{license_id}",
        "sk": "MAIL#trial_expiring#partner",
        "entity": "mail",
        "license_id": license_id,
        "status": "pending",
    }
    assert _stream(_record("INSERT", reminder)) == {"batchItemFailures": []}
    assert [e["to"] for e in sent_emails() if "trial" in e["subject"].lower()] == [["agency@partner.example"]]


def test_the_sweep_retries_a_failed_send_by_the_default_policy(
    api: ApiClient, partner: PartnerAccount, aws: dict[str, str]
) -> None:
    import boto3

    from partnerapp.store import keys
    from partnerapp_infra.local import emulator as local_stack
    from tests.conftest import run_sweep

    # Given SES refusing, the sweep function (as scheduled: its own default policy) runs once
    license_id = int(str(new_license(api, partner)["license"]))
    local_stack.unverify_sender(aws["SENDER_EMAIL"])
    before = datetime.now(UTC).replace(microsecond=0)
    assert run_sweep()["retrying"] == 1
    after = datetime.now(UTC)
    # Then the invitation is due again 2 s after that attempt (then 4, 8 ... 900; 10 tries)
    table = boto3.client("dynamodb", region_name="us-east-1")
    key = {"pk": {"S": f"LICENSE#{license_id}"}, "sk": {"S": "LICENSE#INVITE#00"}}
    stored = table.get_item(TableName="partnerapp-licenses", Key=key)["Item"]
    assert stored["attempts"] == {"N": "1"} and stored["status"] == {"S": "pending"}
    due = stored["outbox_due"]["S"]
    assert (
        keys.outbox_due(before + timedelta(seconds=2)) <= due <= keys.outbox_due(after + timedelta(seconds=2))
    )
