"""The sign-in page's request: the email of a partner account."""

from __future__ import annotations

from marshmallow import Schema

from partnerapp.schemas.fields import EmailAddress


class SignInRequestSchema(Schema):
    email = EmailAddress(required=True)
