"""A catalogue of hostile inputs against every JSON POST/PUT of the partner API: each is a
clear 4xx (never a 5xx) and stores nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body

ORGS = "/v2/partners/solutions/organizations"


def _json(values: dict[str, Any]) -> bytes:
    return json.dumps(values).encode()


NASTY_BODIES: list[tuple[str, bytes]] = [
    ("huge", _json({"client_name": "x" * 70_000})),
    ("deep", b'{"a":' * 200 + b"1" + b"}" * 200),
    ("duplicate keys", b'{"client_name": "Acme Corp", "client_name": "Evil Corp"}'),
    ("not an object", b'["client_name", "Acme Corp"]'),
    ("null", b"null"),
    ("number", b"42"),
    ("truncated", b'{"client_name": "Acme'),
    ("invalid utf-8", b'{"client_name": "\xff\xfe"}'),
    ("nul byte", _json({"client_name": "Acme\u0000Corp", "label": "a\u0000b", "plan": "a\u0000"})),
    (
        "crlf",
        _json({"client_name": "Acme\r\nBcc: x@y.example", "label": "l\r\nx", "organization_name": "o\r\n"}),
    ),
    ("nosql operator", _json({"client_email": {"$gt": ""}, "label": {"$ne": None}, "seats": {"$gt": 0}})),
    (
        "wrong types",
        _json(
            {
                "client_name": 5,
                "payment_origin": True,
                "trial_duration": "14",
                "operators": "a",
                "label": 7,
                "extend_trial_days": "3",
                "seats": "2",
                "plan": 1,
            }
        ),
    ),
]


def _routes(item: dict[str, Any]) -> list[tuple[str, str]]:
    one = f"{LICENSES}/{item['product']}/{item['license']}"
    return [
        ("POST", f"{LICENSES}?product=livechat"),
        ("POST", "/v2/partners/tokens"),
        ("PUT", one),
        ("POST", f"{one}/operators"),
        ("POST", f"{one}/offer"),
        ("POST", f"{one}/subscription"),
        ("PUT", f"{one}/subscription"),
        ("POST", ORGS),
        ("POST", f"{ORGS}/{item['organization_id']}/licenses?product=chatbot"),
    ]


def _state(api: ApiClient, partner: PartnerAccount, item: dict[str, Any]) -> tuple[Any, ...]:
    one = f"{LICENSES}/{item['product']}/{item['license']}"
    return (
        api.get(f"{LICENSES}/count?date_from=2000-01-01&date_to=2999-12-31", token=partner.token).json(),
        api.get(f"{one}/history", token=partner.token).json(),
        api.get("/v2/partners/tokens", token=partner.token).json(),
        api.get(f"{ORGS}/{item['organization_id']}/licenses", token=partner.token).json(),
    )


@pytest.mark.parametrize("name,body", NASTY_BODIES, ids=[n for n, _ in NASTY_BODIES])
def test_every_write_route_refuses_nasty_bodies(
    api: ApiClient, partner: PartnerAccount, name: str, body: bytes
) -> None:
    created = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body())
    item = {
        **created.json(),
        **api.get(f"{LICENSES}/livechat/{created.json()['license']}", token=partner.token).json(),
    }
    before = _state(api, partner, item)
    for method, route in _routes(item):
        response = api.request(
            method, route, token=partner.token, body=body, headers={"content-type": "application/json"}
        )
        error = response.json()["error"]
        if name == "huge":  # refused before it is read
            assert (response.status, error["type"]) == (413, "payload_too_large"), (method, route)
            continue
        # a 400 that names what is wrong: the body (not JSON, too deep) or its fields
        assert response.status == 400, (method, route, response.status, response.body[:200])
        assert error["type"] == "validation" and error["fields"], (method, route, error)
    assert _state(api, partner, item) == before


def test_text_that_looks_like_code_is_just_text(api: ApiClient, partner: PartnerAccount) -> None:
    sneaky = 'Robert\'); DROP TABLE licenses;-- {"$ne": 1}'
    created = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        json_body=license_body(client_name=sneaky, identifier="' OR '1'='1"),
    )
    assert created.status == 201
    stored = api.get(f"{LICENSES}/livechat/{created.json()['license']}", token=partner.token).json()
    assert stored["client_name"] == sneaky and stored["identifier"] == "' OR '1'='1"


# Right-to-left text with a right-to-left mark, full-width letters, accents, CJK. (An override,
# which reorders what follows it, is refused: test_text_at_the_door.py.)
UNICODE_NAMES = [
    "\u05d0\u05e7\u05de\u05d4\u200f Corp",
    "\uff21\uff43\uff4d\uff45 Corp",
    "Zo\u00eb & S\u00f8n AB",
    "\u682a\u5f0f\u4f1a\u793e\u30c6\u30b9\u30c8",
]


@pytest.mark.parametrize("name", UNICODE_NAMES)
def test_unicode_names_are_kept_as_typed(api: ApiClient, partner: PartnerAccount, name: str) -> None:
    created = api.post(
        f"{LICENSES}?product=chatbot",
        token=partner.token,
        json_body=license_body(client_name=name, client_email="u@acme.example"),
    )
    assert created.status == 201
    assert created.json()["client_name"] == name.strip()
