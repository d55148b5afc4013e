"""Every email: rendering is escaped where it must be, headers cannot be injected, one layout,
the same content in the text and HTML parts, and customers told which partner set them up."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from html.parser import HTMLParser
from pathlib import Path

import pytest

from partnerapp.domain.licenses import NewLicense, start_trial
from partnerapp.domain.notices import PARTNER, TRIAL_EXPIRING
from partnerapp.domain.text import FORBIDDEN
from partnerapp.mail import render as mail_render
from partnerapp.mail.notices import render_notice
from partnerapp.mail.render import Email, render_invitation
from partnerapp.mail.sender import build_mime
from tests import email_samples

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
ACCEPT_LINK = email_samples.ACCEPT


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


# --- Issue 25: one layout, the same content in both parts, the partner named ----------------

TEMPLATE_DIR = Path(mail_render.__file__).parent / "templates"
URL = re.compile(r"https?://[^\s<>\"]+")


class _Shown(HTMLParser):
    """What a reader of the HTML part sees (the words of the body) and the links it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.links: set[str] = set()
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "title", "style"):
            self._hidden += 1
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.add(href)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "title", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.words += re.findall(r"\w+", data)


def shown_in_html(html: str) -> _Shown:
    parser = _Shown()
    parser.feed(html)
    return parser


def test_every_template_has_a_sample_email() -> None:
    names = {p.name.removesuffix(".html.j2") for p in TEMPLATE_DIR.glob("[!_]*.html.j2")}
    assert names == set(email_samples.TEMPLATES)
    assert {p.name.removesuffix(".txt.j2") for p in TEMPLATE_DIR.glob("[!_]*.txt.j2")} == names


@pytest.mark.parametrize("kind", sorted(email_samples.every_email()))
def test_the_text_part_says_what_the_html_part_says(kind: str) -> None:
    email = email_samples.every_email()[kind]
    html = shown_in_html(email.html)
    # The same words in the same order (punctuation aside), and the same links
    assert re.findall(r"\w+", URL.sub(" ", email.text)) == html.words
    assert set(URL.findall(email.text)) == html.links


@pytest.mark.parametrize("kind", sorted(email_samples.every_email()))
def test_every_email_has_the_shared_responsive_layout(kind: str) -> None:
    html = email_samples.every_email()[kind].html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert "max-width: 600px" in html and 'role="presentation"' in html
    assert shown_in_html(html).words[:2] == ["Partner", "App"]  # the brand, first


def test_a_customer_invitation_names_the_partner_and_replies_go_to_them() -> None:
    email = email_samples.invitations()["invitation_partner_managed"]
    assert "Acme Agency set up your LiveChat trial for Globex Corporation." in email.text
    assert "Acme Agency manages the subscription for you." in email.text
    assert "<strong>Acme Agency</strong> set up your LiveChat trial" in email.html
    parsed = message_from_bytes(build_mime(email, "invitations@partnerapp.example"), policy=policy.default)
    assert parsed["Reply-To"] == "hello@acme-agency.example"
    assert parsed["From"] == "invitations@partnerapp.example"


def test_an_operator_invitation_names_the_partner_too() -> None:
    email = email_samples.invitations()["invitation_operator"]
    assert "Acme Agency invited you to join Globex Corporation on LiveChat as agent." in email.text
    assert ("Reply-To", "hello@acme-agency.example") in email.headers


def test_without_the_partner_on_record_the_invitation_still_goes_out_unnamed() -> None:
    email = email_samples.invitations()["invitation_no_partner_record"]
    assert "Your LiveChat trial for Globex Corporation has been set up." in email.text
    assert "Your partner manages the subscription for you." in email.text
    assert ACCEPT_LINK in email.text and not any(name == "Reply-To" for name, _ in email.headers)
    assert "None" not in email.text and "Reply to this email" not in email.text


def test_the_customer_reminder_names_the_partner_and_replies_go_to_them() -> None:
    email = email_samples.notices()["trial_expiring_customer_partner"]
    assert "Acme Agency set up your LiveChat trial. It ends on 2026-12-10 12:00:00 UTC." in email.text
    assert "Reply to this email to reach Acme Agency." in email.text
    assert ("Reply-To", "hello@acme-agency.example") in email.headers


@pytest.mark.parametrize(
    "kind", ["trial_expiring_partner_partner", "summary_weekly", "withdrawal_paid", "sign_in"]
)
def test_emails_to_the_partner_have_no_reply_to(kind: str) -> None:
    assert not any(name == "Reply-To" for name, _ in email_samples.every_email()[kind].headers)


def test_a_partner_name_is_escaped_in_the_html_part() -> None:
    item = replace(email_samples.trial(), partner_name="<b>Acme</b> & Co")
    email = render_invitation(item, item.invitations[0], ACCEPT_LINK)
    assert "&lt;b&gt;Acme&lt;/b&gt; &amp; Co</strong> set up" in email.html and "<b>Acme" not in email.html
    assert "<b>Acme</b> & Co set up" in email.text
