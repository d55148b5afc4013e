"""Leads (Text API "Submit Lead", "Get Leads", "Get Lead Details", "Get Lead History") and
`partnerapp leads set-status`: the documented fields required, the contact data kept in the
region its `region` names, a partner's own leads only, statuses moved along by an operator
with each move in the history, and one lead per submit even when an answer is lost."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import boto3

from partnerapp_infra.cli.main import main as partnerapp
from tests.conftest import ApiClient, PartnerAccount
from tests.integration.test_lost_response import Path, World, each_write_lost, environment  # noqa: F401

LEADS = "/v2/partners/solutions/leads"
LEAD = {
    "partner_name": "John Doe",
    "partner_email": "john@partner.example",
    "company_name": "ACME Inc.",
    "contact_email": "contact@acme.example",
    "domain": "www.acme.example",
    "first_name": "Jane",
    "last_name": "Smith",
    "accepts_requirements": True,
    "monetization_type": "rev_share",
}


def submit(api: ApiClient, partner: PartnerAccount, **changes: Any) -> str:
    answer = api.post(LEADS, token=partner.token, json_body={**LEAD, **changes})
    assert answer.status == 201, answer.body
    return str(answer.json()["lead_id"])


def move(partner: PartnerAccount, lead_id: str, status: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()):
        return partnerapp(["leads", "set-status", "--partner-id", partner.partner_id, "--lead-id", lead_id,
                           "--status", status])  # fmt: skip


def history(api: ApiClient, partner: PartnerAccount, lead_id: str) -> list[str]:
    return [e["name"] for e in api.get(f"{LEADS}/{lead_id}/history", token=partner.token).json()["result"]]


def kept_in(data_center: str, partner: PartnerAccount) -> list[str]:
    """The lead ids whose items are in that data center's table."""
    from partnerapp.settings import get_settings

    table = get_settings().table_for(data_center)
    db = boto3.client("dynamodb", region_name=table.aws_region)
    items = db.scan(TableName=table.table_name)["Items"]
    return [i["lead_id"]["S"] for i in items if i.get("pk", {}).get("S") == f"LEADS#{partner.partner_id}"]


def test_each_missing_or_wrong_field_is_named_and_nothing_is_kept(
    api: ApiClient, partner: PartnerAccount
) -> None:
    required = ("partner_name", "partner_email", "company_name", "contact_email", "domain", "first_name",
                "last_name", "accepts_requirements", "monetization_type")  # fmt: skip
    answer = api.post(LEADS, token=partner.token, json_body={"region": "DE"})
    assert answer.status == 400 and set(answer.json()["error"]["fields"]) == set(required)
    wrong = {**LEAD, "accepts_requirements": False, "monetization_type": "bounty", "contact_email": "nope"}
    answer = api.post(LEADS, token=partner.token, json_body=wrong)
    assert set(answer.json()["error"]["fields"]) == {
        "accepts_requirements",
        "monetization_type",
        "contact_email",
    }
    assert api.get(LEADS, token=partner.token).json() == {"result": []}


def test_a_lead_is_kept_in_the_region_it_names(api: ApiClient, partner: PartnerAccount) -> None:
    german = submit(api, partner, region="de")
    american = submit(api, partner, region="US")
    unnamed = submit(api, partner)
    assert kept_in("eu-west3", partner) == [german]
    assert sorted(kept_in("us-south1", partner)) == sorted([american, unnamed])
    listed = [row["lead_id"] for row in api.get(LEADS, token=partner.token).json()["result"]]
    assert sorted(listed) == sorted([german, american, unnamed])
    shown = api.get(f"{LEADS}/{german}", token=partner.token).json()
    assert (shown["region"], shown["company_name"], shown["job_title"]) == ("de", "ACME Inc.", "")


def test_a_partner_sees_only_its_own_leads(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    theirs = submit(api, other_partner)
    assert api.get(LEADS, token=partner.token).json() == {"result": []}
    for path in (f"{LEADS}/{theirs}", f"{LEADS}/{theirs}/history", f"{LEADS}/12x", f"{LEADS}/99999992"):
        answer = api.get(path, token=partner.token)
        assert answer.status == 404 and answer.json()["error"]["type"] == "not_found", path
    assert move(partner, theirs, "contacted") == 1
    assert api.get(f"{LEADS}/{theirs}", token=other_partner.token).json()["status"] == "new"


def test_an_operator_moves_a_lead_along_and_each_move_is_in_its_history(
    api: ApiClient, partner: PartnerAccount
) -> None:
    lead_id = submit(api, partner)
    assert move(partner, lead_id, "qualified") == 1  # not before it was contacted
    for status in ("contacted", "contacted", "qualified", "won"):  # a repeat is answered as done
        assert move(partner, lead_id, status) == 0
    assert move(partner, lead_id, "lost") == 1  # a won lead stays won
    assert api.get(f"{LEADS}/{lead_id}", token=partner.token).json()["status"] == "won"
    assert history(api, partner, lead_id) == [
        "lead_was_created", "lead_was_contacted", "lead_was_qualified", "lead_was_won",
    ]  # fmt: skip
    early = submit(api, partner, contact_email="early@acme.example")
    assert move(partner, early, "lost") == 0 and history(api, partner, early)[-1] == "lead_was_lost"


def test_a_submit_or_a_move_losing_its_answer_is_done_once(environment: None) -> None:  # noqa: F811
    def submitted(world: World) -> Any:
        return world.api.post(LEADS, token=world.partner.token, json_body=LEAD)

    def one_lead(world: World, answer: Any) -> None:
        assert answer.status == 201, answer.body
        listed = world.api.get(LEADS, token=world.partner.token).json()["result"]
        assert [row["lead_id"] for row in listed] == [answer.json()["lead_id"]]

    lost = each_write_lost(Path(lambda _: None, submitted, one_lead))
    assert ("PutItem", "partnerapp-licenses") in [(w.operation, w.table) for w in lost], lost

    def a_lead(world: World) -> None:
        world.made["lead"] = submit(world.api, world.partner)

    def moved(world: World) -> Any:
        return move(world.partner, world.made["lead"], "contacted")

    def moved_once(world: World, code: Any) -> None:
        assert code == 0
        assert history(world.api, world.partner, world.made["lead"]) == [
            "lead_was_created",
            "lead_was_contacted",
        ]

    lost = each_write_lost(Path(a_lead, moved, moved_once))
    assert ("UpdateItem", "partnerapp-licenses") in [(w.operation, w.table) for w in lost], lost


KEYED = {"Idempotency-Key": "lead-submit-1"}


def _submit_with_key(world: World) -> Any:
    return world.api.post(LEADS, token=world.partner.token, json_body=LEAD, headers=KEYED)


def _replayed_as_one_lead(world: World, first: Any) -> None:
    """The SDK's retry of a submit whose answer it lost: the same lead, answered again."""
    assert first.status == 201, first.body
    again = world.api.post(LEADS, token=world.partner.token, json_body=LEAD, headers=KEYED)
    assert again.status == 201 and again.json() == first.json()
    assert again.header("Idempotent-Replayed") == "true"
    listed = world.api.get(LEADS, token=world.partner.token).json()["result"]
    assert [row["lead_id"] for row in listed] == [first.json()["lead_id"]]
    assert history(world.api, world.partner, first.json()["lead_id"]) == ["lead_was_created"]


def test_a_keyed_submit_retried_after_a_lost_answer_is_one_lead(environment: None) -> None:  # noqa: F811
    lost = each_write_lost(Path(lambda _: None, _submit_with_key, _replayed_as_one_lead))
    assert any(w.table == "partnerapp-idempotency" for w in lost), lost  # the key's record too


def test_the_same_key_with_another_lead_is_refused_and_keeps_nothing(
    api: ApiClient, partner: PartnerAccount
) -> None:
    first = api.post(LEADS, token=partner.token, json_body=LEAD, headers=KEYED)
    assert first.status == 201, first.body
    other = {**LEAD, "company_name": "Other Corp."}
    answer = api.post(LEADS, token=partner.token, json_body=other, headers=KEYED)
    assert answer.status == 422 and answer.json()["error"]["type"] == "idempotency_key_reused"
    assert "Idempotency-Key" in answer.json()["error"]["fields"]
    listed = api.get(LEADS, token=partner.token).json()["result"]
    assert [row["lead_id"] for row in listed] == [first.json()["lead_id"]]
    malformed = api.post(LEADS, token=partner.token, json_body=LEAD, headers={"Idempotency-Key": "\x01"})
    assert malformed.status == 400 and "Idempotency-Key" in malformed.json()["error"]["fields"]
