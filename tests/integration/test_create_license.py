"""Creating a trial license through the partner API, as a partner's script would."""

from __future__ import annotations

from datetime import datetime, timedelta

import boto3
import pytest

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body


def stored_items(license_id: int, region: str) -> list[dict]:
    client = boto3.client("dynamodb", region_name=region)
    response = client.query(
        TableName="partnerapp-licenses",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"LICENSE#{license_id}"}},
    )
    return response["Items"]


def test_partner_managed_livechat_trial_is_created_with_text_api_fields(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given a partner with an API token
    # When they create a LiveChat license they manage, with two invited users, in the EU
    response = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        json_body=license_body(
            data_center="fra",
            trial_duration=21,
            identifier="ACME-42",
            purchase_order="PO-7",
            operators=[
                {"email": "ann@acme.example", "role": "administrator"},
                {"email": "bob@acme.example", "role": "agent"},
            ],
        ),
    )
    # Then the answer is the Text Partner API's 201 body
    assert response.status == 201, response.body
    body = response.json()
    assert isinstance(body["license"], str) and body["license"].isascii() and body["license"].isdigit()
    assert body["product"] == "livechat"
    assert body["status"] == "trial"
    assert body["payment_origin"] == "partner"
    assert body["data_center"] == "eu-west3"
    assert body["client_name"] == "Acme Corporation"
    assert body["client_email"] == "owner@acme.example"
    assert body["cc_added"] is False and body["paid"] is False
    assert body["identifier"] == "ACME-42" and body["purchase_order"] == "PO-7"
    assert body["operators"] == [
        {"email": "ann@acme.example", "role": "administrator"},
        {"email": "bob@acme.example", "role": "agent"},
    ]
    created = datetime.strptime(body["creation_timestamp"], "%Y-%m-%d %H:%M:%S")
    ends = datetime.strptime(body["end_timestamp"], "%Y-%m-%d %H:%M:%S")
    assert ends - created == timedelta(days=21)
    # And the license and three invitations are stored in the EU table only
    eu_items = stored_items(body["license"], "eu-central-1")
    assert sorted(i["sk"]["S"] for i in eu_items if not i["sk"]["S"].startswith("HISTORY#")) == [
        "LICENSE",
        "LICENSE#INVITE#00",
        "LICENSE#INVITE#01",
        "LICENSE#INVITE#02",
    ]
    assert all(i["status"]["S"] == "pending" for i in eu_items if i["sk"]["S"].startswith("LICENSE#INVITE#"))
    # and its creation is the first entry of its history, written in the same transaction
    assert [i["action"]["S"] for i in eu_items if i["sk"]["S"].startswith("HISTORY#")] == ["created"]
    assert stored_items(body["license"], "us-east-1") == []


def test_defaults_are_a_14_day_trial_in_the_usa(api: ApiClient, partner: PartnerAccount) -> None:
    response = api.post(
        f"{LICENSES}?product=chatbot", token=partner.token, json_body=license_body(payment_origin="client")
    )
    assert response.status == 201, response.body
    body = response.json()
    assert body["data_center"] == "us-south1"
    created = datetime.strptime(body["creation_timestamp"], "%Y-%m-%d %H:%M:%S")
    ends = datetime.strptime(body["end_timestamp"], "%Y-%m-%d %H:%M:%S")
    assert ends - created == timedelta(days=14)
    assert "operators" not in body and "identifier" not in body
    # the license, the customer's invitation and the history entry of its creation
    assert len(stored_items(body["license"], "us-east-1")) == 3


@pytest.mark.parametrize(
    "alias,expected",
    [
        ("dal", "us-south1"),
        ("us", "us-south1"),
        ("eu", "eu-west3"),
        ("eu-west3", "eu-west3"),
        ("US-SOUTH1", "us-south1"),
    ],
)
def test_data_center_aliases(api: ApiClient, partner: PartnerAccount, alias: str, expected: str) -> None:
    response = api.post(
        f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(data_center=alias)
    )
    assert response.status == 201
    assert response.json()["data_center"] == expected


def test_created_license_reads_back_with_money_and_invitations(
    api: ApiClient, partner: PartnerAccount
) -> None:
    created = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        json_body=license_body(operators=[{"email": "ann@acme.example", "role": "agent"}]),
    ).json()
    response = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token)
    assert response.status == 200
    body = response.json()
    assert body["license"] == created["license"]
    assert body["creation_timestamp"] == created["creation_timestamp"]
    assert body["discount_percent"] == 20 and body["commission_percent"] == 0
    assert body["seats"] == 0
    assert body["client_invitation_status"] == "pending"
    assert body["invited_agents"] == [
        {"email": "ann@acme.example", "role": "agent", "invitation_status": "pending"}
    ]


def test_customer_managed_license_earns_commission_not_discount(
    api: ApiClient, partner: PartnerAccount
) -> None:
    created = api.post(
        f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(payment_origin="client")
    ).json()
    body = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token).json()
    assert body["discount_percent"] == 0 and body["commission_percent"] == 20


def test_second_license_for_same_customer_and_product_is_409(api: ApiClient, partner: PartnerAccount) -> None:
    first = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body())
    assert first.status == 201
    # the same customer, written differently, in another data region
    again = api.post(
        f"{LICENSES}?product=livechat",
        token=partner.token,
        json_body=license_body(client_email=" OWNER@acme.example", data_center="eu"),
    )
    assert again.status == 409
    assert again.json()["error"]["type"] == "conflict"
    assert "client_email" in again.json()["error"]["fields"]
    # another product for the same customer is fine, and so is another partner's license
    assert (
        api.post(f"{LICENSES}?product=chatbot", token=partner.token, json_body=license_body()).status == 201
    )


def test_two_partners_may_each_set_up_the_same_customer(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    assert (
        api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body()).status == 201
    )
    assert (
        api.post(f"{LICENSES}?product=livechat", token=other_partner.token, json_body=license_body()).status
        == 201
    )


def test_another_partners_license_is_not_found(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    created = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body()).json()
    response = api.get(f"{LICENSES}/livechat/{created['license']}", token=other_partner.token)
    assert response.status == 404
    assert response.json()["error"]["type"] == "not_found"
    # the same answer as for a license that does not exist at all
    assert api.get(f"{LICENSES}/livechat/123456781", token=other_partner.token).json() == response.json()


@pytest.mark.parametrize(
    "path", ["chatbot/{id}", "nosuch/{id}", "livechat/abc", "livechat/99999999999999999999"]
)
def test_wrong_product_or_id_in_the_path_is_not_found(
    api: ApiClient, partner: PartnerAccount, path: str
) -> None:
    created = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body()).json()
    response = api.get(f"{LICENSES}/" + path.format(id=created["license"]), token=partner.token)
    assert response.status == 404
