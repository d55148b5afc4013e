"""`POST .../licenses?product=...&dry_run=true`: the create's checks, nothing stored or sent."""

from __future__ import annotations

from tests.conftest import (
    LICENSES,
    ApiClient,
    PartnerAccount,
    license_body,
    new_license,
    run_sweep,
    sent_emails,
)

DRY_RUN = f"{LICENSES}?product=livechat&dry_run=true"
CREATE = f"{LICENSES}?product=livechat"


# Counting takes its window (date_from and date_to are required): one that holds every license.
COUNT_ALL = f"{LICENSES}/count?date_from=2000-01-01&date_to=2099-12-31"


def count(api: ApiClient, partner: PartnerAccount) -> int:
    answer = api.get(COUNT_ALL, token=partner.token)
    return int(answer.json()["trials"])


def test_a_valid_dry_run_answers_what_would_be_created_and_stores_and_sends_nothing(
    api: ApiClient, partner: PartnerAccount
) -> None:
    body = license_body(
        data_center="fra",
        trial_duration=21,
        identifier="crm-7",
        operators=[{"email": "ann@acme.example", "role": "agent"}],
    )
    answer = api.post(DRY_RUN, token=partner.token, json_body=body)
    assert answer.status == 200, answer.body
    would = answer.json()["would_create"]
    assert answer.json()["dry_run"] is True
    assert would["client_email"] == "owner@acme.example" and would["data_center"] == "eu-west3"
    assert would["trial_duration"] == 21 and would["identifier"] == "crm-7"
    assert would["operators"] == [{"email": "ann@acme.example", "role": "agent"}]
    run_sweep()
    assert count(api, partner) == 0
    assert sent_emails() == []


def test_a_dry_run_refuses_what_the_create_refuses(api: ApiClient, partner: PartnerAccount) -> None:
    bad = api.post(
        DRY_RUN, token=partner.token, json_body=license_body(client_email="nope", trial_duration=5)
    )
    assert bad.status == 400
    assert set(bad.json()["error"]["fields"]) == {"client_email", "trial_duration"}
    ruled = api.post(
        f"{LICENSES}?product=chatbot&dry_run=true",
        token=partner.token,
        json_body=license_body(operators=[{"email": "ann@acme.example", "role": "agent"}]),
    )
    assert ruled.status == 403
    assert "operators" in ruled.json()["error"]["fields"]
    assert count(api, partner) == 0


def test_a_dry_run_of_an_existing_email_and_product_is_a_409(api: ApiClient, partner: PartnerAccount) -> None:
    new_license(api, partner, client_email="Owner@Acme.example")
    duplicate = api.post(DRY_RUN, token=partner.token, json_body=license_body())
    assert duplicate.status == 409
    assert "client_email" in duplicate.json()["error"]["fields"]
    other_product = api.post(
        f"{LICENSES}?product=chatbot&dry_run=true", token=partner.token, json_body=license_body()
    )
    assert other_product.status == 200
    assert count(api, partner) == 1


def test_another_partners_license_is_no_duplicate_for_a_dry_run(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    new_license(api, other_partner)
    assert api.post(DRY_RUN, token=partner.token, json_body=license_body()).status == 200


def test_a_dry_run_does_not_use_up_the_idempotency_key(api: ApiClient, partner: PartnerAccount) -> None:
    headers = {"Idempotency-Key": "csv-row-2"}
    checked = api.post(DRY_RUN, token=partner.token, json_body=license_body(), headers=headers)
    assert checked.status == 200
    created = api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers)
    assert created.status == 201
    assert created.header("Idempotent-Replayed") is None
    assert count(api, partner) == 1


def test_dry_run_false_creates_and_a_bad_value_is_a_400_naming_it(
    api: ApiClient, partner: PartnerAccount
) -> None:
    bad = api.post(f"{CREATE}&dry_run=maybe", token=partner.token, json_body=license_body())
    assert bad.status == 400
    assert "dry_run" in bad.json()["error"]["fields"]
    assert count(api, partner) == 0
    created = api.post(f"{CREATE}&dry_run=false", token=partner.token, json_body=license_body())
    assert created.status == 201
    assert count(api, partner) == 1


def test_the_openapi_document_states_the_dry_run_and_its_200() -> None:
    from partnerapp_infra import openapi

    create = openapi.generate()["paths"][LICENSES]["post"]
    [dry_run] = [p for p in create["parameters"] if p["name"] == "dry_run"]
    assert dry_run["in"] == "query" and dry_run["schema"]["type"] == "boolean"
    assert "nothing is stored or sent" in dry_run["description"]
    answer = create["responses"]["200"]["content"]["application/json"]["schema"]
    name = answer["$ref"].rsplit("/", 1)[-1]
    assert openapi.generate()["components"]["schemas"][name]["required"] == ["dry_run", "would_create"]
    assert "201" in create["responses"]  # the documented create is unchanged
