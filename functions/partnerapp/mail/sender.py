"""Send a rendered email through SESv2 as a MIME message (text and HTML alternatives)."""

from __future__ import annotations

from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from partnerapp.domain.addresses import as_stored
from partnerapp.domain.text import for_header
from partnerapp.mail.render import Email
from partnerapp.store import clients


class SendFailed(Exception):
    """SES refused or could not be reached; the caller schedules another attempt."""


def build_mime(email: Email, sender: str, tags: Mapping[str, str] | None = None) -> bytes:
    # EmailMessage raises on a line break in a header value (CR, LF, and also NEL and U+2028,
    # which a name stored before the door checked may hold): every value is made one line
    # first, so no field can inject a header and no stored name can stop a send. The To is
    # the address as the door normalises it, also for one stored before (an ASCII domain).
    message = EmailMessage()
    message["From"] = sender
    message["To"] = for_header(as_stored(email.to))
    message["Subject"] = for_header(email.subject)
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    for name, value in email.headers:
        message[name] = for_header(value)
    if tags:
        # The same tags as the API parameter, which SES uses instead (and strips this header):
        # here only so a local outbox, which sees the message alone, can show them.
        message["X-SES-MESSAGE-TAGS"] = ", ".join(f"{name}={value}" for name, value in tags.items())
    message.set_content(email.text)
    message.add_alternative(email.html, subtype="html")
    return message.as_bytes()


def send(
    email: Email,
    sender: str,
    region: str,
    *,
    configuration_set: str | None = None,
    tags: Mapping[str, str] | None = None,
) -> str:
    """Send, returning SES's message id; raises SendFailed on any SES or network failure.

    The configuration set publishes bounces and complaints (to SNS, then the ses_events
    function); the tags come back in those events and name what the email was about.
    """
    request: dict[str, Any] = {
        "FromEmailAddress": sender,
        "Destination": {"ToAddresses": [as_stored(email.to)]},
        "Content": {"Raw": {"Data": build_mime(email, sender, tags)}},
    }
    if configuration_set:
        request["ConfigurationSetName"] = configuration_set
    if tags:
        request["EmailTags"] = [{"Name": name, "Value": value} for name, value in tags.items()]
    try:
        response = clients.sesv2(region).send_email(**request)
    except (ClientError, BotoCoreError) as error:
        raise SendFailed(_describe(error)) from error
    return str(response["MessageId"])


def _describe(error: Exception) -> str:
    if isinstance(error, ClientError):
        details = error.response.get("Error", {})
        return f"{details.get('Code', 'Error')}: {details.get('Message', '')}".strip()
    return type(error).__name__
