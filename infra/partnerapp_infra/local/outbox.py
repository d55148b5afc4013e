"""The local outbox: every email the emulated SES accepted, read back from moto, and the page
that shows them (/_dev/outbox)."""

from __future__ import annotations

import html
import json
import re
import urllib.request
from email import message_from_string, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any

# The headers a person checking an email wants to see (as local mail catchers show them).
SHOWN_HEADERS = ("From", "Reply-To", "List-Unsubscribe", "List-Unsubscribe-Post", "X-SES-MESSAGE-TAGS")


def sent_emails(endpoint: str) -> list[dict[str, Any]]:
    """`[{"to", "subject", "text", "html", "sent_at", "headers", "tags"}]`, oldest first."""
    # The endpoint is the local emulator the dev server itself started or was given (so an
    # http URL of ours, never a user's: S310/B310). moto dumps its whole state here (every
    # table's items too): with thousands of licenses on a busy machine that takes tens of
    # seconds, so the wait is generous.
    url = f"{endpoint}/moto-api/data.json"
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 # nosec B310
        data = json.load(response)
    raw_messages = data.get("ses", {}).get("RawMessage", [])
    emails = [_parse(message) for message in raw_messages]
    return sorted(emails, key=lambda e: e["sent_at"])


def _parse(raw: dict[str, Any]) -> dict[str, Any]:
    message = message_from_string(raw["raw_data"], policy=policy.default)
    assert isinstance(message, EmailMessage)
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return {
        # moto lists the To header and the SES destination both: keep each address once.
        "to": list(dict.fromkeys(raw.get("destinations") or [str(message["To"])])),
        "subject": str(message["Subject"]),
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "sent_at": parsedate_to_datetime(str(message["Date"])).strftime("%Y-%m-%d %H:%M:%S"),
        "message_id": raw.get("id"),
        "headers": {name: str(message[name]) for name in SHOWN_HEADERS if message[name] is not None},
        "tags": _tags(str(message["X-SES-MESSAGE-TAGS"] or "")),
    }


def _tags(header: str) -> dict[str, str]:
    pairs = (part.strip().partition("=") for part in header.split(",") if "=" in part)
    return {name: value for name, _, value in pairs}


# --- the outbox page (/_dev/outbox) -----------------------------------------------------------

# The page shows each email's HTML part in a frame: the email's own inline styles may apply
# there (a srcdoc frame inherits this policy), and sandbox="" runs none of its script, submits
# no form and gives it no origin. Nothing is loaded from anywhere.
PAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
# One column on a phone, the two parts side by side from about 50rem; long links wrap.
PAGE_STYLE = (
    "body{font-family:sans-serif;margin:1rem;overflow-wrap:anywhere}"
    "article{border-top:1px solid #ccc;padding:.5rem 0}"
    ".parts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,24rem),1fr));gap:1rem}"
    "pre{white-space:pre-wrap;margin:0}"
    "iframe{width:100%;min-height:24rem;border:1px solid #ccc}dt{font-weight:600}dd{margin:0 0 .25rem}"
)
# What a mail client makes clickable: http(s) addresses only (never javascript: or data:),
# up to a space, quote or angle bracket, without the sentence's closing punctuation.
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")
CLOSING_PUNCTUATION = ".,;:!?)]}"


def page(emails: list[dict[str, Any]]) -> str:
    """The outbox as a page, newest first."""
    rows = "".join(_entry(n, e) for n, e in enumerate(reversed(emails)))
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'><title>Local outbox</title>"
        f"<style>{PAGE_STYLE}</style></head>"
        f"<body><h1>Local outbox ({len(emails)} sent)</h1>{rows or '<p>No email sent yet.</p>'}</body></html>"
    )


def linked_text(text: str) -> str:
    """`text` escaped, its web addresses made links (their text escaped the same way)."""
    out, done = [], 0
    for found in WEB_ADDRESS.finditer(text):
        address = found.group().rstrip(CLOSING_PUNCTUATION)
        shown = html.escape(address)
        out += [html.escape(text[done : found.start()]), f'<a href="{shown}">{shown}</a>']
        done = found.start() + len(address)
    return "".join([*out, html.escape(text[done:])])


def _entry(n: int, email: dict[str, Any]) -> str:
    headers = "".join(
        f"<dt>{html.escape(name)}</dt><dd>{html.escape(value)}</dd>"
        for name, value in email["headers"].items()
    )
    subject = html.escape(email["subject"])
    frame = (
        f"<iframe sandbox='' title='HTML part of: {subject}' srcdoc='{html.escape(email['html'])}'></iframe>"
        if email["html"]
        else "<p>No HTML part.</p>"
    )
    return (
        f"<article data-email='{n}'><h2>{subject}</h2><p>To: {html.escape(', '.join(email['to']))}"
        f" &middot; {html.escape(email['sent_at'])} UTC</p><dl class='headers'>{headers}</dl>"
        f"<div class='parts'><section><h3>Text</h3><pre>{linked_text(email['text'])}</pre></section>"
        f"<section><h3>HTML</h3>{frame}</section></div></article>"
    )
