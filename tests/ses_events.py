"""SES bounce and complaint events as the SesEventsFunction receives them: an SES
event-publishing message, published to an SNS topic in the emulated region, delivered to
Lambda as an SNS event."""

from __future__ import annotations

import json
from typing import Any

import boto3

from partnerapp.domain.feedback import invitation_tags


def ses_event(
    kind: str,
    recipients: list[str],
    license_id: int | None = None,
    seq: int | None = None,
    bounce_type: str = "Permanent",
) -> dict[str, Any]:
    """The configuration set's event for one sent email (fields as SES documents them)."""
    tags: dict[str, list[str]] = {"ses:configuration-set": ["partnerapp-local"]}
    if license_id is not None and seq is not None:
        tags.update({name: [value] for name, value in invitation_tags(license_id, seq).items()})
    event: dict[str, Any] = {
        "eventType": kind,
        "mail": {
            "timestamp": "2026-11-26T12:00:00.000Z",
            "source": "invitations@partnerapp.example",
            "sendingAccountId": "123456789012",
            "messageId": "0100019a-test-message",
            "destination": recipients,
            "headersTruncated": False,
            "tags": tags,
        },
    }
    if kind == "Bounce":
        event["bounce"] = {
            "bounceType": bounce_type,
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": r,
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1",
                }
                for r in recipients
            ],
            "timestamp": "2026-11-26T12:00:05.000Z",
            "feedbackId": "0100019a-feedback",
        }
    elif kind == "Complaint":
        event["complaint"] = {
            "complainedRecipients": [{"emailAddress": r} for r in recipients],
            "complaintFeedbackType": "abuse",
            "timestamp": "2026-11-26T13:00:00.000Z",
            "feedbackId": "0100019a-feedback",
        }
    elif kind == "Delivery":
        event["delivery"] = {"recipients": recipients, "smtpResponse": "250 ok"}
    return event


def through_sns(aws_region: str, *messages: dict[str, Any]) -> dict[str, Any]:
    """Publish each message to a topic in `aws_region` and return the Lambda SNS event SNS
    would invoke the subscribed function with (read back through an SQS subscription)."""
    sns = boto3.client("sns", region_name=aws_region)
    sqs = boto3.client("sqs", region_name=aws_region)
    topic = sns.create_topic(Name="partnerapp-ses-events")["TopicArn"]
    queue = sqs.create_queue(QueueName="ses-events-tap")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    subscription = sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn)["SubscriptionArn"]
    for message in messages:
        sns.publish(TopicArn=topic, Message=json.dumps(message))
    received = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10)["Messages"]
    sqs.delete_queue(QueueUrl=queue)
    sns.unsubscribe(SubscriptionArn=subscription)
    return {"Records": [_lambda_record(json.loads(m["Body"]), subscription) for m in received]}


def _lambda_record(envelope: dict[str, Any], subscription: str) -> dict[str, Any]:
    # Lambda's SNS event spells two keys differently from the SQS/HTTP envelope.
    sns = {key: value for key, value in envelope.items() if key not in ("SigningCertURL", "UnsubscribeURL")}
    sns.update(
        SigningCertUrl=envelope.get("SigningCertURL", ""),
        UnsubscribeUrl=envelope.get("UnsubscribeURL", ""),
        Subject=envelope.get("Subject"),
        MessageAttributes=envelope.get("MessageAttributes", {}),
    )
    return {"EventSource": "aws:sns", "EventVersion": "1.0", "EventSubscriptionArn": subscription, "Sns": sns}
