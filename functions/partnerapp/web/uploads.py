"""A browser's multipart/form-data post read with the standard library's email parser (the
MIME format a form upload is), so no hand-written boundary splitting: field name -> text."""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser


class BadUpload(ValueError):
    """The body is not a multipart form the browser would send."""


def form_parts(content_type: str, body: bytes) -> dict[str, str]:
    """Each part's field name and its text (UTF-8); a repeated field or a part that is not
    text is refused, never merged or guessed."""
    if "\r" in content_type or "\n" in content_type:
        raise BadUpload("The Content-Type header is malformed.")
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not isinstance(message, EmailMessage) or not message.is_multipart() or message.defects:
        raise BadUpload("The upload is not a valid multipart form.")
    fields: dict[str, str] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.get_content_disposition() != "form-data":
            raise BadUpload("A part of the upload has no form field name.")
        if name in fields:
            raise BadUpload(f"The field {name!r} appears twice.")
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            raise BadUpload(f"The field {name!r} is not a single value.")
        try:
            fields[name] = payload.decode("utf-8")
        except UnicodeDecodeError:
            raise BadUpload(f"The field {name!r} is not UTF-8 text: save the file as CSV UTF-8.") from None
    return fields
