"""Text and email addresses are checked at the door (issue 22, findings 2-4): what cannot travel
through HTML, email headers, CSV and JSON is a 400 naming the field, in JSON and in forms,
before anything is written; one mailbox is one customer however its domain is spelled."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import (
    LICENSES,
    ApiClient,
    PartnerAccount,
    license_body,
    new_license,
    run_sweep,
    sent_emails,
)

ORGS = "/v2/partners/solutions/organizations"
COUNT_ALL = f"{LICENSES}/count?date_from=2000-01-01&date_to=2999-12-31"
LONE = "\ud800"


def _state(api: ApiClient, partner: PartnerAccount, one: str) -> tuple[Any, ...]:
    return (
        api.get(COUNT_ALL, token=partner.token).json(),
        api.get(one, token=partner.token).json(),
        api.get(f"{one}/history", token=partner.token).json(),
        api.get("/v2/partners/tokens", token=partner.token).json(),
        api.get("/v2/partners", token=partner.token).json(),
        api.get("/v2/partners/webhooks", token=partner.token).json(),
    )


def _send(api: ApiClient, partner: PartnerAccount, method: str, path: str, body: dict[str, Any]) -> Any:
    # json.dumps writes a lone surrogate as the escape `\ud800`: valid JSON, as a script sends it.
    raw = json.dumps(body).encode()
    return api.request(
        method, path, token=partner.token, body=raw, headers={"content-type": "application/json"}
    )


def _surrogate_cases(one: str, org_id: str) -> list[tuple[str, str, dict[str, Any], str]]:
    """(method, path, body, the field holding the surrogate): each body valid but for that field."""
    profile = {
        "first_name": "Ann",
        "last_name": "Lee",
        "contact_name": "Ann Lee",
        "contact_email": "a@p.example",
    }
    return [
        (
            "POST",
            f"{LICENSES}?product=livechat",
            license_body(client_name=f"Acme {LONE} Corp", client_email="s1@acme.example"),
            "client_name",
        ),
        (
            "POST",
            f"{LICENSES}?product=livechat&dry_run=true",
            license_body(client_name=f"Acme{LONE}Co", client_email="s2@acme.example"),
            "client_name",
        ),
        (
            "POST",
            f"{LICENSES}?product=chatbot",
            license_body(identifier=LONE, client_email="s3@acme.example"),
            "identifier",
        ),
        (
            "POST",
            f"{LICENSES}?product=chatbot",
            license_body(purchase_order=f"PO{LONE}", client_email="s4@acme.example"),
            "purchase_order",
        ),
        (
            "POST",
            f"{LICENSES}?product=chatbot",
            license_body(client_email=f"x{LONE}@acme.example"),
            "client_email",
        ),
        ("PUT", one, {"client_name": f"Renamed {LONE} Corp"}, "client_name"),
        ("POST", "/v2/partners/tokens", {"label": f"ci {LONE}"}, "label"),
        ("PUT", "/v2/partners/profile", {**profile, "contact_name": f"Ann{LONE}"}, "contact_name"),
        (
            "POST",
            ORGS,
            {"organization_name": f"Org{LONE}", "client_name": "Owner Name", "client_email": "o@org.example"},
            "organization_name",
        ),
        (
            "POST",
            f"{ORGS}/{org_id}/licenses?product=chatbot",
            {
                "client_name": f"Owner{LONE}Name",
                "client_email": "o@org.example",
                "payment_origin": "client",
                "trial_duration": 14,
            },
            "client_name",
        ),
        (
            "POST",
            "/v2/partners/webhooks",
            {"url": f"https://hooks.example/{LONE}", "events": ["license.created"]},
            "url",
        ),
    ]


def test_a_lone_surrogate_is_a_400_naming_its_field_on_every_route_and_changes_nothing(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given a license and an organization of the partner's
    created = new_license(api, partner)
    one = f"{LICENSES}/livechat/{created['license']}"
    org = api.post(
        ORGS,
        token=partner.token,
        json_body={
            "organization_name": "Org One",
            "client_name": "Owner Name",
            "client_email": "o@org.example",
        },
    )
    assert org.status == 201, org.body
    before = _state(api, partner, one)
    for method, path, body, field in _surrogate_cases(one, org.json()["id"]):
        # When a body holds "\ud800" in one field
        answer = _send(api, partner, method, path, body)
        # Then it is a 400 naming that field, the dry run included, and nothing is stored
        assert answer.status == 400, (method, path, answer.status, answer.body[:300])
        error = answer.json()["error"]
        assert error["type"] == "validation" and field in error["fields"], (method, path, error)
    assert _state(api, partner, one) == before


def test_a_lone_surrogate_in_an_operator_is_named_where_it_sits(
    api: ApiClient, partner: PartnerAccount
) -> None:
    operators = [
        {"email": "a@acme.example", "role": "agent"},
        {"email": f"b{LONE}@acme.example", "role": "agent"},
    ]
    answer = _send(api, partner, "POST", f"{LICENSES}?product=livechat", license_body(operators=operators))
    assert answer.status == 400
    assert "email" in answer.json()["error"]["fields"]["operators"]["1"]


UNSAFE_NAMES = [
    ("line separator", "Acme\u2028Corp"),
    ("paragraph separator", "Acme\u2029Corp"),
    ("next line (NEL)", "Acme\u0085Corp"),
    ("C1 control", "Acme\u009bCorp"),
    ("right-to-left override", "\u202eevil\u202c Corp"),
    ("isolate", "Acme \u2066Corp\u2069"),
    ("noncharacter", "Acme\ufdd0Corp"),
    ("plane noncharacter", "Acme \U0010fffe Corp"),
    ("tab", "Acme\tCorp"),
]


@pytest.mark.parametrize("kind,name", UNSAFE_NAMES, ids=[k for k, _ in UNSAFE_NAMES])
def test_a_name_that_cannot_travel_is_refused_by_name_in_json(
    api: ApiClient, partner: PartnerAccount, kind: str, name: str
) -> None:
    # When a create carries a client name with a code point no header or page can carry
    answer = api.post(
        f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(client_name=name)
    )
    # Then it is a 400 that names client_name and the code point, and no license exists
    assert answer.status == 400, answer.body
    message = answer.json()["error"]["fields"]["client_name"][0]
    assert message.startswith("Must not contain") and "U+" in message
    assert api.get(COUNT_ALL, token=partner.token).json()["trials"] == 0


def test_a_name_that_cannot_travel_is_refused_by_name_in_a_form(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given a license, renamed the way the docs' curl example does it (a form)
    created = new_license(api, partner)
    one = f"{LICENSES}/livechat/{created['license']}"
    for name in ("Acme\u2028Corp", "Acme\u0085Corp", "Acme\u0080Corp"):
        answer = api.request(
            "PUT",
            one,
            token=partner.token,
            body=urlencode({"client_name": name}).encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 400, answer.body
        assert "client_name" in answer.json()["error"]["fields"]
    assert api.get(one, token=partner.token).json()["client_name"] == "Acme Corporation"


def test_a_form_value_that_is_not_utf8_is_named(api: ApiClient, partner: PartnerAccount) -> None:
    created = new_license(api, partner)
    one = f"{LICENSES}/livechat/{created['license']}"
    # A lone surrogate's bytes (what a UTF-16 string encodes to, unpaired), and a stray byte
    for body in (b"client_name=Acme%ED%A0%80Corp", b"client_name=Acme\xffCorp&purchase_order=PO-1"):
        answer = api.request(
            "PUT",
            one,
            token=partner.token,
            body=body,
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert answer.status == 400, answer.body
        assert answer.json()["error"]["fields"] == {"client_name": ["Not UTF-8 text."]}
    assert api.get(one, token=partner.token).json()["client_name"] == "Acme Corporation"


def test_names_in_any_script_are_still_kept_as_typed(api: ApiClient, partner: PartnerAccount) -> None:
    # Hebrew, a right-to-left mark, an emoji, an accent
    name = "\u05e9\u05dc\u05d5\u05dd \u200fAcme\u200f \U0001f600 Zo\u00eb"
    created = new_license(api, partner, client_name=name)
    assert created["client_name"] == name


def test_a_unicode_domain_and_its_ascii_form_are_one_customer(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given a trial for owner@bücher.example
    first = new_license(api, partner, client_email="Owner@B\u00fccher.Example")
    # Then it is stored, shown and emailed in the ASCII form
    assert first["client_email"] == "owner@xn--bcher-kva.example"
    # When the same mailbox is sent in its ASCII spelling
    second = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        json_body=license_body(client_email="owner@xn--bcher-kva.example"),
    )
    # Then it is the documented duplicate, not a second trial
    assert second.status == 409, second.body
    run_sweep()
    (email,) = sent_emails()
    assert email["to"] == ["owner@xn--bcher-kva.example"]


def test_an_address_that_cannot_be_delivered_is_named(api: ApiClient, partner: PartnerAccount) -> None:
    for address in ("j\u00f6rg@acme.example", "owner@b\u00fccher\u2603 .example"):
        answer = api.post(
            f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(client_email=address)
        )
        assert answer.status == 400, (address, answer.body)
        assert answer.json()["error"]["fields"]["client_email"][0].startswith("Not a valid email address")


def test_the_operators_partner_command_passes_the_same_door(
    api: ApiClient, aws: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from partnerapp_infra.cli import main as cli

    # When an operator creates a partner whose name holds U+2028
    refused = cli.main(["partners", "create", "--name", "Ann\u2028Lee", "--email", "ann@p.example"])
    # Then the command names the option and creates nothing (the login is still free)
    assert refused == 2
    assert "--name: Must not contain a line or paragraph separator" in capsys.readouterr().err
    assert cli.main(["partners", "create", "--name", "Ann Lee", "--email", "ann@p.example"]) == 0
    capsys.readouterr()
    # And a Unicode domain becomes the partner's login in its ASCII form
    assert cli.main(["partners", "create", "--name", "Ann Lee", "--email", "Ann@B\u00fccher.example"]) == 0
    token = json.loads(capsys.readouterr().out)["token"]
    assert api.get("/v2/partners", token=token).json()["login"] == "ann@xn--bcher-kva.example"


def test_an_invitation_is_resent_by_either_spelling_of_its_domain(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given an operator invited at a Unicode domain (stored in its ASCII form)
    operators = [{"email": "ann@b\u00fccher.example", "role": "agent"}]
    item = new_license(api, partner, operators=operators)
    run_sweep()
    # When the partner resends it by the address as they typed it
    one = f"{LICENSES}/livechat/{item['license']}"
    resent = api.post(f"{one}/operators/ann%40b%C3%BCcher.example/resend", token=partner.token)
    # Then it is that invitation, sent again to the ASCII address
    assert resent.status == 200, resent.body
    run_sweep()
    assert [e["to"][0] for e in sent_emails()].count("ann@xn--bcher-kva.example") == 2
