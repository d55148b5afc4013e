"""A new token's secret carried across the redirect after creating it (Post/Redirect/Get), so
a reload of the page neither posts again nor shows the secret again.

The secret is never stored on our side (only its digest), so it rides in a cookie: sealed
(AES-GCM, bound to the partner), HttpOnly, for the tokens page only, for two minutes at most,
and cleared by the very page that shows it.
"""

from __future__ import annotations

import json

from aws_lambda_powertools.shared.cookies import Cookie, SameSite
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerapp.secret_box import SecretBox
from partnerapp.settings import Settings

COOKIE = "new_token"
PATH = "/web/tokens"
LIFETIME_SECONDS = 120


def _box(settings: Settings) -> SecretBox:
    return SecretBox(settings.keyed_hash_secret, "new-token-shown-once")


def _cookie(settings: Settings, value: str, max_age: int) -> Cookie:
    return Cookie(
        name=COOKIE,
        value=value,
        path=PATH,
        secure=not settings.local,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.STRICT_MODE,
    )


def carry(settings: Settings, partner_id: str, created: dict[str, str]) -> Cookie:
    """The cookie that takes `created` (label and secret) to the next page of this partner."""
    return _cookie(settings, _box(settings).seal(json.dumps(created), partner_id), LIFETIME_SECONDS)


def cleared(settings: Settings) -> Cookie:
    return _cookie(settings, "", 0)


def take(settings: Settings, event: APIGatewayProxyEventV2, partner_id: str) -> dict[str, str] | None:
    """What `carry` sealed for this partner, or None (no cookie, another partner's, tampered)."""
    for cookie in event.cookies:
        name, _, value = cookie.partition("=")
        if name.strip() != COOKIE or not value.strip():
            continue
        try:
            created = json.loads(_box(settings).open(value.strip(), partner_id))
        except ValueError:
            return None
        return {"label": str(created["label"]), "secret": str(created["secret"])}
    return None
