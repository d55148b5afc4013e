"""Invitation emails: rendering is escaped where it must be, and headers cannot be injected."""

from __future__ import annotations

from datetime import UTC, datetime
from email import message_from_bytes, policy

import pytest

from partnerapp.domain.licenses import NewLicense, start_trial
from partnerapp.domain.notices import PARTNER, TRIAL_EXPIRING
from partnerapp.domain.text import FORBIDDEN
from partnerapp.mail.notices import render_notice
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
    raw = build_mime(
        Email("o@acme.example", "Hi\r\nBcc: victim@example.com", "t", "h"), "from@partnerapp.example"
    )
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Bcc"] is None
    assert parsed["Subject"] == "Hi\ufffd\ufffdBcc: victim@example.com"


# Names stored before the door refused them (issue 22): NEL and U+2028 are line breaks to the
# email package, which refused the whole header and so stopped every mailer sweep at that item.
STORED_NAMES = ["Acme\u2028Corp", "Acme\u0085Corp", "Acme\u009bCorp\u2029", "\u202eevil Corp\ud800"]


@pytest.mark.parametrize("name", STORED_NAMES)
def test_a_stored_name_that_cannot_travel_still_makes_a_well_formed_trial_notice(name: str) -> None:
    # Given a trial whose client name was stored before the door checked it
    trial = start_trial("p1", NewLicense("livechat", name, "o@acme.example", "partner", "us-south1"), 7, NOW)
    # When the partner's trial-ending notice is rendered and built
    email = render_notice(trial, TRIAL_EXPIRING, PARTNER, "partner@agency.example", "https://p.example")
    parsed = message_from_bytes(build_mime(email, "from@partnerapp.example"), policy=policy.default)
    # Then it is one message, the name shown with U+FFFD where it held what cannot travel
    assert "\ufffd" in parsed["Subject"] and "\n" not in parsed["Subject"]
    for part in ("plain", "html"):
        body = parsed.get_body((part,)).get_content()  # type: ignore[union-attr]
        assert FORBIDDEN.search(body.replace("\n", "").replace("\r", "")) is None, part
        assert "\ufffd" in body, part


def test_an_address_stored_with_a_unicode_domain_is_sent_to_its_ascii_form() -> None:
    raw = build_mime(Email("owner@b\u00fccher.example", "Hello", "t", "h"), "from@partnerapp.example")
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["To"] == "owner@xn--bcher-kva.example"
    assert b"=?utf-8?" not in raw.split(b"\n\n")[0]
