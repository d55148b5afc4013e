"""The local outbox: every email the emulated SES accepted, read back from moto."""

from __future__ import annotations

import json
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
