"""Reading SES events: only hard bounces and complaints count, addresses are normalized and
the invitation is named by the tags the mailer set."""

from __future__ import annotations

from partnerapp.domain.feedback import (
    INVITATION_BOUNCED,
    INVITATION_COMPLAINED,
    RecipientFeedback,
    parse_ses_event,
)
from tests.ses_events import ses_event


def test_a_permanent_bounce_names_its_recipients_and_invitation() -> None:
    event = ses_event("Bounce", ["Owner <Owner@Acme.example>", "owner@acme.example"], 123456783, 2)
    assert parse_ses_event(event) == RecipientFeedback(
        INVITATION_BOUNCED, ("owner@acme.example",), 123456783, 2
    )


def test_a_complaint_counts_and_legacy_notifications_are_read_too() -> None:
    event = ses_event("Complaint", ["ann@acme.example"])
    legacy = {"notificationType": event.pop("eventType"), **event}
    assert parse_ses_event(legacy) == RecipientFeedback(
        INVITATION_COMPLAINED, ("ann@acme.example",), None, None
    )


def test_transient_and_undetermined_bounces_and_other_events_are_ignored() -> None:
    for bounce_type in ("Transient", "Undetermined"):
        assert parse_ses_event(ses_event("Bounce", ["a@acme.example"], bounce_type=bounce_type)) is None
    assert parse_ses_event(ses_event("Delivery", ["a@acme.example"])) is None
    assert parse_ses_event({"eventType": "Send"}) is None
    assert parse_ses_event({}) is None


def test_half_tagged_or_malformed_tags_name_no_invitation() -> None:
    event = ses_event("Bounce", ["a@acme.example"], 123456781, 0)
    event["mail"]["tags"]["invitation_seq"] = ["zero"]
    assert parse_ses_event(event) == RecipientFeedback(INVITATION_BOUNCED, ("a@acme.example",), None, None)


def test_a_bounce_without_a_usable_address_is_ignored() -> None:
    event = ses_event("Bounce", ["not an address"])
    assert parse_ses_event(event) is None
