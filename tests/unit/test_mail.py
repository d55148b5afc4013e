"""Invitation emails: rendering is escaped where it must be, and headers cannot be injected."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from partnerapp.domain.licenses import NewLicense, start_trial
from partnerapp.mail.render import Email, render_invitation
from partnerapp.mail.sender import build_mime

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


def test_invitation_escapes_html_and_states_the_trial() -> None:
    trial = start_trial(
        "p1",
        NewLicense("chatbot", "<script>x</script> Inc", "o@acme.example", "client", "us-south1"),
        123456781,
        NOW,
    )
    link = "https://partners.example.com/web/invitations/accept?token=123456781.0.secret"
    email = render_invitation(trial, trial.invitations[0], link)
    assert "<script>" not in email.html and "&lt;script&gt;" in email.html
    assert "2026-12-10 12:00:00" in email.text
    assert "ChatBot" in email.subject
    assert "add a payment method" in email.text  # customer-managed: they manage the subscription
    assert link in email.text and f'href="{link}"' in email.html  # this email's own accept link


def test_mime_message_has_text_and_html_parts() -> None:
    raw = build_mime(
        Email("o@acme.example", "Hello", "plain body", "<p>html body</p>"), "from@partnerapp.example"
    )
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["To"] == "o@acme.example" and parsed["Subject"] == "Hello"
    assert parsed.get_body(("plain",)).get_content().strip() == "plain body"  # type: ignore[union-attr]
    assert parsed.get_body(("html",)).get_content().strip() == "<p>html body</p>"  # type: ignore[union-attr]


def test_header_injection_is_impossible() -> None:
    with pytest.raises(ValueError, match=r"linefeed|newline|carriage"):
        build_mime(
            Email("o@acme.example", "Hi\r\nBcc: victim@example.com", "t", "h"), "from@partnerapp.example"
        )
