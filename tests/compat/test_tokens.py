"""Text Partner API v2, "Account": Create API Token, Get API Tokens, Revoke API Token - each
docs example sent as the docs send it (the create is a URL-encoded form)."""

from __future__ import annotations

import re

from tests.compat.conftest import CompatServer, Partner

CREATE = """curl --request POST \\
	--data 'label=My first API token' \\
	--url https://api.livechatinc.com/v2/partners/tokens \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

LIST = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/tokens \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

REVOKE = """curl --request DELETE \\
	--url https://api.livechatinc.com/v2/partners/tokens/1 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

PROFILE = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def test_create_api_token_from_the_docs_form(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Create API Token" - 201 with id (a number), token, creation_timestamp, label
    answer = compat_server.curl(CREATE, token=partner.token)
    assert answer.status == 201, answer.body
    body = answer.json()
    assert set(body) == {"id", "token", "creation_timestamp", "label"}
    assert isinstance(body["id"], int) and not isinstance(body["id"], bool)
    assert body["label"] == "My first API token" and TIMESTAMP.match(body["creation_timestamp"])
    # The token it gives works at once
    assert compat_server.curl(PROFILE, token=body["token"]).json()["login"] == partner.login
    # Docs: 409 when the label is taken
    again = compat_server.curl(CREATE, token=partner.token)
    assert again.status == 409 and again.json()["error"]["type"] == "conflict"


def test_get_api_tokens_lists_them_without_their_secrets(
    compat_server: CompatServer, partner: Partner
) -> None:
    created = compat_server.curl(CREATE, token=partner.token).json()
    # Docs: "Get API Tokens" - {result: [{id, token, creation_timestamp, label}]}, newest first
    answer = compat_server.curl(LIST, token=partner.token)
    assert answer.status == 200
    result = answer.json()["result"]
    assert [t["label"] for t in result] == ["My first API token", "cli"]
    for token in result:
        assert set(token) == {"id", "token", "creation_timestamp", "label"}
        assert isinstance(token["id"], int) and TIMESTAMP.match(token["creation_timestamp"])
    # Secrets are hashes here: `token` is a hint, the secret's first 8 characters and "..."
    assert result[0]["id"] == created["id"]
    assert result[0]["token"] == created["token"][:8] + "..." != created["token"]
    assert partner.token not in answer.body.decode() and created["token"] not in answer.body.decode()


def test_revoke_api_token_stops_it_at_once(compat_server: CompatServer, partner: Partner) -> None:
    created = compat_server.curl(CREATE, token=partner.token).json()
    assert compat_server.curl(PROFILE, token=created["token"]).status == 200
    # Docs: "Revoke API Token" - 204; the docs' example revokes their token 1, this one ours
    example = REVOKE.replace("/tokens/1 ", f"/tokens/{created['id']} ")
    answer = compat_server.curl(example, token=partner.token)
    assert answer.status == 204 and answer.body == b""
    # The revoked token is refused, is no longer listed, and revoking it again is a 404
    assert compat_server.curl(PROFILE, token=created["token"]).status == 401
    listed = compat_server.curl(LIST, token=partner.token).json()["result"]
    assert created["id"] not in [t["id"] for t in listed]
    assert compat_server.curl(example, token=partner.token).status == 404
    # Docs: 400 for an incorrect id
    assert compat_server.curl(REVOKE.replace("/tokens/1 ", "/tokens/one "), token=partner.token).status == 400
