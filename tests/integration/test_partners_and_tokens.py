"""Partners read their profile and manage their own labelled API tokens."""

from __future__ import annotations

import boto3
import pytest

from tests.conftest import ApiClient, PartnerAccount

TOKENS = "/v2/partners/tokens"


def test_status_needs_no_token(api: ApiClient) -> None:
    response = api.get("/v2/partners/status")
    assert response.status == 200
    assert response.json() == {"status": "ok"}


def test_profile_of_the_signed_in_partner(api: ApiClient, partner: PartnerAccount) -> None:
    response = api.get("/v2/partners", token=partner.token)
    assert response.status == 200
    # The Text API's documented keys, then the opt-ins PUT /v2/partners/profile sets (all off
    # for a new account: each one is opted into)
    assert response.json() == {
        "partner_id": partner.partner_id,
        "login": "agency@partner.example",
        "first_name": "",
        "last_name": "",
        "contact_name": "Agency One",
        "contact_email": "agency@partner.example",
        "solution_status": "accepted",
        "properties": {},
        "send_monthly_summary": False,
        "send_reseller_weekly_summary": False,
        "send_newsletter": False,
        "send_notifications": False,
    }


@pytest.mark.parametrize(
    "authorization", [None, "", "Bearer", "Bearer nope", "Basic abc", "Bearer " + "x" * 500]
)
def test_missing_or_bad_token_is_401_with_one_message(
    api: ApiClient, partner: PartnerAccount, authorization: str | None
) -> None:
    headers = {"authorization": authorization} if authorization is not None else {}
    response = api.get("/v2/partners", headers=headers)
    assert response.status == 401
    assert response.json() == {
        "error": {"type": "authentication", "message": "A valid bearer token is required."}
    }
    assert (
        response.header(
            "WWW-Authenticate",
        )
        is not None
    )


def test_token_lifecycle_create_list_use_revoke(api: ApiClient, partner: PartnerAccount) -> None:
    # When the partner creates a labelled token
    created = api.post(TOKENS, token=partner.token, json_body={"label": "CRM sync"})
    assert created.status == 201
    body = created.json()
    assert body["label"] == "CRM sync" and body["token"].startswith("pat_") and isinstance(body["id"], int)
    assert isinstance(body["creation_timestamp"], str)
    # Then it works, and the listing (newest first) shows a hint of it, never the secret
    assert api.get("/v2/partners", token=body["token"]).status == 200
    listed = api.get(TOKENS, token=partner.token).json()["result"]
    assert [t["label"] for t in listed] == ["CRM sync", "tests"] and listed[0]["id"] == body["id"]
    assert listed[0]["token"] == body["token"][:8] + "..."
    assert all(len(t["token"]) == 11 and t["token"] != partner.token for t in listed)
    # When it is revoked, it stops working at once, with the same 401 as an unknown token
    assert api.delete(f"{TOKENS}/{body['id']}", token=partner.token).status == 204
    assert api.get("/v2/partners", token=body["token"]).status == 401
    assert [t["label"] for t in api.get(TOKENS, token=partner.token).json()["result"]] == ["tests"]
    # And revoking it again is a 404; its label is free again
    assert api.post(TOKENS, token=partner.token, json_body={"label": "CRM sync"}).json()["id"] > body["id"]
    assert api.delete(f"{TOKENS}/{body['id']}", token=partner.token).status == 404


def test_tokens_are_stored_only_as_digests(api: ApiClient, partner: PartnerAccount) -> None:
    secret = api.post(TOKENS, token=partner.token, json_body={"label": "ci-token"}).json()["token"]
    items = boto3.client("dynamodb", region_name="us-east-1").query(
        TableName="partnerapp-partners",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"PARTNER#{partner.partner_id}"}},
    )["Items"]
    assert items, "the partner's items are there"
    assert secret not in str(items)
    assert partner.token not in str(items)


def test_a_partner_cannot_revoke_another_partners_token(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    theirs = api.post(TOKENS, token=other_partner.token, json_body={"label": "theirs"}).json()
    assert api.delete(f"{TOKENS}/{theirs['id']}", token=partner.token).status == 404
    assert api.get("/v2/partners", token=theirs["token"]).status == 200
    assert [t["label"] for t in api.get(TOKENS, token=partner.token).json()["result"]] == ["tests"]


def test_a_label_already_taken_is_a_409_and_issues_nothing(api: ApiClient, partner: PartnerAccount) -> None:
    answer = api.post(TOKENS, token=partner.token, json_body={"label": "TESTS"})
    assert answer.status == 409 and "label" in answer.json()["error"]["fields"]
    assert [t["label"] for t in api.get(TOKENS, token=partner.token).json()["result"]] == ["tests"]


@pytest.mark.parametrize("token_id", ["abc", "%C2%B2", "-1"])
def test_a_token_id_that_is_not_a_number_is_a_400(
    api: ApiClient, partner: PartnerAccount, token_id: str
) -> None:
    answer = api.delete(f"{TOKENS}/{token_id}", token=partner.token)
    assert answer.status == 400 and "token_id" in answer.json()["error"]["fields"]


@pytest.mark.parametrize(
    "body,field",
    [
        ({}, "label"),
        ({"label": ""}, "label"),
        ({"label": "l" * 65}, "label"),
        ({"label": "ab"}, "label"),  # at least 3 characters, as documented
        ({"label": "okay", "scope": "all"}, "scope"),
    ],
)
def test_token_label_is_validated(api: ApiClient, partner: PartnerAccount, body: dict, field: str) -> None:
    response = api.post(TOKENS, token=partner.token, json_body=body)
    assert response.status == 400
    assert field in response.json()["error"]["fields"]
    assert len(api.get(TOKENS, token=partner.token).json()["result"]) == 1
