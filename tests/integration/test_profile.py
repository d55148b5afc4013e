"""`GET /v2/partners` and `PUT /v2/partners/profile`: the documented fields, every bad field
named with nothing changed, both body encodings, and the opt-ins' schedules kept in step."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from tests.conftest import ApiClient, PartnerAccount

PROFILE = "/v2/partners/profile"
GOOD = {
    "first_name": "Joe",
    "last_name": "Doe",
    "contact_name": "Jane Doe",
    "contact_email": "Jane@Agency.example",
    "send_monthly_summary": True,
    "send_reseller_weekly_summary": False,
    "send_newsletter": True,
    "send_notifications": False,
}


def profile(api: ApiClient, partner: PartnerAccount) -> dict[str, Any]:
    answer = api.get("/v2/partners", token=partner.token)
    assert answer.status == 200
    return answer.json()  # type: ignore[no-any-return]


def schedules(partner: PartnerAccount) -> list[str]:
    """The partner's summary schedule items, as stored."""
    import boto3

    from partnerapp.settings import get_settings

    settings = get_settings()
    table = boto3.client("dynamodb", region_name=settings.home_region)
    items = table.query(
        TableName=settings.partners_table,
        KeyConditionExpression="pk = :pk AND begins_with(sk, :schedule)",
        ExpressionAttributeValues={
            ":pk": {"S": f"PARTNER#{partner.partner_id}"},
            ":schedule": {"S": "SCHEDULE#"},
        },
    )["Items"]
    return sorted(item["kind"]["S"] for item in items)


def test_an_update_is_204_and_the_next_read_shows_it(api: ApiClient, partner: PartnerAccount) -> None:
    answer = api.request("PUT", PROFILE, token=partner.token, json_body=GOOD)
    assert (answer.status, answer.body) == (204, b"")
    shown = profile(api, partner)
    assert {k: shown[k] for k in GOOD} == {**GOOD, "contact_email": "jane@agency.example"}
    # the login (the sign-in address) is not the contact email and does not change
    assert shown["login"] == "agency@partner.example"
    assert schedules(partner) == ["monthly"]


def test_a_form_encoded_update_types_the_booleans(api: ApiClient, partner: PartnerAccount) -> None:
    form = {**as_form(GOOD), "send_monthly_summary": "false", "send_reseller_weekly_summary": "true"}
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = api.request("PUT", PROFILE, token=partner.token, body=urlencode(form).encode(), headers=headers)
    assert answer.status == 204, answer.body
    shown = profile(api, partner)
    assert (shown["send_monthly_summary"], shown["send_reseller_weekly_summary"]) == (False, True)
    assert schedules(partner) == ["weekly"]


def test_an_opt_in_left_out_keeps_its_value(api: ApiClient, partner: PartnerAccount) -> None:
    assert api.request("PUT", PROFILE, token=partner.token, json_body=GOOD).status == 204
    required_only = {k: GOOD[k] for k in ("first_name", "last_name", "contact_name", "contact_email")}
    assert api.request("PUT", PROFILE, token=partner.token, json_body=required_only).status == 204
    assert profile(api, partner)["send_monthly_summary"] is True


def test_turning_opt_ins_off_removes_their_schedules(api: ApiClient, partner: PartnerAccount) -> None:
    every = {**GOOD, "send_reseller_weekly_summary": True, "send_notifications": True}
    assert api.request("PUT", PROFILE, token=partner.token, json_body=every).status == 204
    assert schedules(partner) == ["monthly", "notifications", "weekly"]
    none = {**GOOD, "send_monthly_summary": False}
    assert api.request("PUT", PROFILE, token=partner.token, json_body=none).status == 204
    assert schedules(partner) == []


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"first_name": None}, "first_name"),
        ({"last_name": ""}, "last_name"),
        ({"contact_name": "x" * 101}, "contact_name"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"contact_name": "Jane\r\nBcc: x@evil.example"}, "contact_name"),
        ({"send_monthly_summary": "yes"}, "send_monthly_summary"),
        ({"send_notifications": 1}, "send_notifications"),
        ({"favourite_colour": "blue"}, "favourite_colour"),
    ],
)
def test_a_bad_field_is_named_and_nothing_changes(
    api: ApiClient, partner: PartnerAccount, change: dict[str, Any], field: str
) -> None:
    before = profile(api, partner)
    body = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    answer = api.request("PUT", PROFILE, token=partner.token, json_body=body)
    assert answer.status == 400
    assert field in answer.json()["error"]["fields"]
    assert profile(api, partner) == before
    assert schedules(partner) == []


def test_every_missing_required_field_is_named(api: ApiClient, partner: PartnerAccount) -> None:
    answer = api.request("PUT", PROFILE, token=partner.token, json_body={})
    assert answer.status == 400
    assert set(answer.json()["error"]["fields"]) == {
        "first_name",
        "last_name",
        "contact_name",
        "contact_email",
    }


def test_without_a_token_it_is_401_and_a_partner_changes_only_their_own(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    assert api.request("PUT", PROFILE, json_body=GOOD).status == 401
    assert api.request("PUT", PROFILE, token=other_partner.token, json_body=GOOD).status == 204
    assert profile(api, partner)["contact_name"] == "Agency One"
    assert profile(api, other_partner)["contact_name"] == "Jane Doe"


def test_a_repeat_whose_first_answer_was_lost_changes_nothing_more(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # The same PUT twice (a client retrying after a lost answer): the second finds its values
    assert api.request("PUT", PROFILE, token=partner.token, json_body=GOOD).status == 204
    assert api.request("PUT", PROFILE, token=partner.token, json_body=GOOD).status == 204
    assert schedules(partner) == ["monthly"]


@pytest.mark.parametrize("value", ["0", "1", "yes", "TRUE", ""])
def test_a_form_boolean_is_true_or_false_and_nothing_else(
    api: ApiClient, partner: PartnerAccount, value: str
) -> None:
    # As the OpenAPI document's boolean in a form, and as the docs' examples send them
    form = {**as_form(GOOD), "send_monthly_summary": value}
    headers = {"content-type": "application/x-www-form-urlencoded"}
    answer = api.request("PUT", PROFILE, token=partner.token, body=urlencode(form).encode(), headers=headers)
    assert answer.status == 400, answer.body
    assert "send_monthly_summary" in answer.json()["error"]["fields"]
    assert schedules(partner) == []


def as_form(body: dict[str, Any]) -> dict[str, str]:
    """A JSON body's values as a form sends them (curl's `--data name=true`)."""
    return {k: str(v).lower() if isinstance(v, bool) else str(v) for k, v in body.items()}
