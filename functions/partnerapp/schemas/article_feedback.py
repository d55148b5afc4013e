"""The article feedback forms on the wire: a vote (`article`, `answer`) and, after a "no",
a comment (`article`, `comment`). Both carry the honeypot `website`; unknown fields are
refused (marshmallow's default), so nothing sent is silently dropped."""

from __future__ import annotations

import re
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

from partnerapp.domain.article_votes import ANSWERS, ARTICLES, COMMENT_MAX_LENGTH, clean_comment
from partnerapp.schemas.fields import refuse_forbidden

HONEYPOT = "website"
# Markup is refused rather than stored: a comment is plain text for whoever reads the report.
_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!?][^>]*>")


class CommentText(fields.String):
    """Plain text of 1..COMMENT_MAX_LENGTH characters once whitespace is folded."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        raw = super()._deserialize(value, attr, data, **kwargs)
        # A cap on what is sent, before any work on it: a huge body is refused as it is.
        if len(raw) > 2 * COMMENT_MAX_LENGTH:
            raise ValidationError(f"Use at most {COMMENT_MAX_LENGTH} characters.")
        text = clean_comment(raw)
        if not text:
            raise ValidationError("Write what you were looking for, or leave the page as it is.")
        if len(text) > COMMENT_MAX_LENGTH:
            raise ValidationError(f"Use at most {COMMENT_MAX_LENGTH} characters.")
        refuse_forbidden(text)  # after folding: line breaks have become spaces
        if _TAG.search(text):
            raise ValidationError("Write plain text: HTML tags are not accepted.")
        return text


class _Article(fields.String):
    def __init__(self) -> None:
        super().__init__(
            required=True,
            validate=validate.OneOf(list(ARTICLES), error="There is no such article in the help center."),
        )


class VoteSchema(Schema):
    article = _Article()
    answer = fields.String(required=True, validate=validate.OneOf(ANSWERS, error="Answer yes or no."))
    website = fields.String(load_default="")


class CommentSchema(Schema):
    article = _Article()
    comment = CommentText(required=True)
    website = fields.String(load_default="")
