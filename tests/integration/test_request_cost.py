"""What a request costs in DynamoDB calls (one read authenticates: the token's item carries
its partner's profile), and what keeps that copy of the profile true: every profile change
rewrites it, a token is issued with the profile as it is, and revoking still works at once."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body, make_partner

PROFILE = {
    "first_name": "Jane",
    "last_name": "Doe",
    "contact_name": "Jane Doe",
    "contact_email": "jane@partner.example",
}


@pytest.fixture
def warm(api: ApiClient, partner: PartnerAccount) -> None:
    """The token's first use today (which notes the day on it, once a day) and the first
    batch of the partner's request budget are behind us: what is left is every request's cost."""
    assert api.get("/v2/partners", token=partner.token).status == 200


def test_a_get_is_one_read_to_authenticate_and_one_for_the_license(
    warm: None, api: ApiClient, partner: PartnerAccount, dynamodb_calls: list[str]
) -> None:
    created = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body()).json()
    dynamodb_calls.clear()
    answer = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token)
    assert answer.status == 200
    assert dynamodb_calls == ["GetItem", "Query"]  # the token, the license (its partition)


def test_a_list_page_is_one_read_to_authenticate_and_one_query_per_region(
    warm: None, api: ApiClient, partner: PartnerAccount, dynamodb_calls: list[str]
) -> None:
    answer = api.get(f"{LICENSES}?limit=15", token=partner.token)
    assert answer.status == 200
    assert dynamodb_calls == ["GetItem", "Query", "Query"]


@pytest.mark.parametrize(
    ("data_center", "calls"),
    [
        # the token, then the guard, the organization and the license in one transaction
        ("us", ["GetItem", "TransactWriteItems"]),
        # the home region's transaction (guard, organization pointer), then the EU one
        ("eu", ["GetItem", "TransactWriteItems", "TransactWriteItems"]),
    ],
)
def test_a_create_for_a_new_client_is_auth_and_one_transaction_per_region(
    warm: None,
    api: ApiClient,
    partner: PartnerAccount,
    dynamodb_calls: list[str],
    data_center: str,
    calls: list[str],
) -> None:
    body = license_body(data_center=data_center)
    answer = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=body)
    assert answer.status == 201, answer.body
    assert dynamodb_calls == calls  # and no read-back of what was just written
    # The answer, built from what was written, is what a read finds (the details name the
    # data center as their docs do, `dal`/`fra`; the create answer as its docs do)
    from partnerapp import catalog

    created = answer.json()
    shown = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token).json()
    same = [k for k in created if k in shown and k != "data_center"]
    assert {k: shown[k] for k in same} == {k: created[k] for k in same}
    named = [catalog.resolve_data_center(x["data_center"]) for x in (created, shown)]
    assert named[0] is not None and named[0] == named[1]


def test_a_second_product_for_the_same_client_reuses_its_organization(
    warm: None, api: ApiClient, partner: PartnerAccount
) -> None:
    chat = api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body())
    bot = api.post(f"{LICENSES}?product=chatbot", token=partner.token, json_body=license_body())
    assert (chat.status, bot.status) == (201, 201), bot.body
    shown = [
        api.get(f"{LICENSES}/{product}/{answer.json()['license']}", token=partner.token).json()
        for product, answer in (("livechat", chat), ("chatbot", bot))
    ]
    assert len({license["organization_id"] for license in shown}) == 1
    again = api.post(f"{LICENSES}?product=chatbot", token=partner.token, json_body=license_body())
    assert again.status == 409


def test_a_profile_change_is_seen_at_once_through_every_token(
    api: ApiClient, partner: PartnerAccount, dynamodb_calls: list[str]
) -> None:
    second = api.post("/v2/partners/tokens", token=partner.token, json_body={"label": "second"})
    assert second.status == 201
    other_token = second.json()["token"]
    assert api.request("PUT", "/v2/partners/profile", token=partner.token, json_body=PROFILE).status == 204
    api.get("/v2/partners", token=other_token)  # its first use today notes the day
    dynamodb_calls.clear()
    shown = api.get("/v2/partners", token=other_token).json()
    assert {k: shown[k] for k in PROFILE} == PROFILE
    assert dynamodb_calls == ["GetItem"]  # from the token's item alone


def test_a_token_issued_from_an_outdated_profile_copies_the_current_one(partner: PartnerAccount) -> None:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.services.profiles import update_profile

    partners = repository()
    outdated = partners.get(partner.partner_id)
    assert outdated is not None
    update_profile(partners, partner.partner_id, PROFILE, utc_now())
    _, secret = partners.issue_token(outdated, "after the change", utc_now())
    found = partners.authenticate(secret)
    assert found is not None and found.contact_name == "Jane Doe" and found.version == 2


def test_a_profile_change_that_missed_a_new_token_is_refused_and_done_again(
    api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.services.profiles import update_profile, with_changes
    from partnerapp.store.partners import ProfileConflict

    partners = repository()
    read_before = partners.get(partner.partner_id)
    assert read_before is not None
    # A token issued after the change read the profile (it copies the profile as it was)
    _, late = partners.issue_token(read_before, "late", utc_now())
    with pytest.raises(ProfileConflict):
        partners.update_profile(read_before, with_changes(read_before, PROFILE), utc_now())
    # The service reads again and rewrites every copy, the late token's too
    update_profile(partners, partner.partner_id, PROFILE, utc_now())
    for token in (partner.token, late):
        assert api.get("/v2/partners", token=token).json()["contact_name"] == "Jane Doe"


def test_a_profile_change_never_brings_a_revoked_token_back(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.hashing import secret_digest
    from partnerapp.services.profiles import with_changes
    from partnerapp.store.partners import ProfileConflict

    partners = repository()
    token, secret = partners.issue_token(partners.get(partner.partner_id), "short-lived", utc_now())  # type: ignore[arg-type]
    current = partners.get(partner.partner_id)
    assert current is not None
    listed = [secret_digest(partner.token), secret_digest(secret)]
    partners.revoke_token(partner.partner_id, token.token_id)
    # The change listed the tokens before the revocation
    monkeypatch.setattr(partners, "_token_digests", lambda _partner_id: listed)
    with pytest.raises(ProfileConflict):
        partners.update_profile(current, with_changes(current, PROFILE), utc_now())
    assert partners.authenticate(secret) is None
    assert api.get("/v2/partners", token=secret).status == 401
    assert api.get("/v2/partners", token=partner.token).json()["contact_name"] == "Agency One"


def test_a_partner_holds_at_most_fifty_tokens(api: ApiClient, partner: PartnerAccount) -> None:
    from partnerapp.domain.timestamps import utc_now

    partners = repository()
    for n in range(49):  # with the fixture's own, 50
        holder = partners.get(partner.partner_id)
        assert holder is not None
        partners.issue_token(holder, f"token {n}", utc_now())
    refused = api.post("/v2/partners/tokens", token=partner.token, json_body={"label": "one too many"})
    assert refused.status == 409
    assert "at most 50 tokens" in refused.json()["error"]["message"]
    listed = api.get("/v2/partners/tokens", token=partner.token).json()["result"]
    assert len(listed) == 50
    one = next(t for t in listed if t["label"] == "token 0")
    assert api.delete(f"/v2/partners/tokens/{one['id']}", token=partner.token).status == 204
    again = api.post("/v2/partners/tokens", token=partner.token, json_body={"label": "room again"})
    assert again.status == 201


def test_each_partner_sees_only_their_own_profile_through_their_tokens(api: ApiClient) -> None:
    first, second = make_partner("one@partner.example", "One"), make_partner("two@partner.example", "Two")
    assert api.request("PUT", "/v2/partners/profile", token=first.token, json_body=PROFILE).status == 204
    assert api.get("/v2/partners", token=second.token).json()["contact_name"] == "Two"
    assert api.get("/v2/partners", token=first.token).json()["partner_id"] == first.partner_id


def repository() -> Any:
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    return PartnerRepository(get_settings())


def test_a_secret_issued_twice_is_a_conflict_not_a_second_token(partner: PartnerAccount) -> None:
    from partnerapp.domain.errors import Conflict
    from partnerapp.domain.timestamps import utc_now

    partners = repository()
    holder = partners.get(partner.partner_id)
    with pytest.raises(Conflict, match="issued already"):
        partners.issue_token(holder, "again", utc_now(), secret=partner.token)
    assert [t.label for t in partners.list_tokens(partner.partner_id)] == ["tests"]


AGGREGATE_READS = {
    # the token; then per region a BatchGetItem of the totals' shards
    "/v2/partners/solutions/summary": ["GetItem", "BatchGetItem", "BatchGetItem"],
    "/v2/partners/stats": ["GetItem", "BatchGetItem", "BatchGetItem"],
    # per region: one Query of the window's month items, one BatchGetItem of its edges' items
    f"{LICENSES}/count?date_from=2020-01-01T10:00:05Z&date_to=2030-06-30T07:00:00Z": [
        "GetItem", "Query", "BatchGetItem", "Query", "BatchGetItem",
    ],
    f"{LICENSES}/count?date_from=2020-01-01&date_to=2030-12-31": ["GetItem", "Query", "Query"],
    "/v2/partners/solutions/reports/license?date_from=2020-01-01T00:00:00Z&date_to=2030-12-31T23:59:59Z"
    "&aggregation=month&license_status=trial": ["GetItem", "Query", "Query"],
}  # fmt: skip


def test_counts_summaries_and_reports_cost_the_same_for_two_licenses_or_thirty(
    warm: None, api: ApiClient, partner: PartnerAccount, dynamodb_calls: list[str]
) -> None:
    answers: dict[str, list[Any]] = {path: [] for path in AGGREGATE_READS}
    made = 0
    for total in (2, 30):
        for n in range(made, total):
            body = license_body(client_email=f"c{n}@acme.example", data_center=("us", "eu")[n % 2])
            assert api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=body).status == 201
        made = total
        for path, calls in AGGREGATE_READS.items():
            dynamodb_calls.clear()
            answer = api.get(path, token=partner.token)
            assert answer.status == 200, answer.body
            # kept counts only: no license is read (an UpdateItem is the request budget's next
            # batch, claimed every thirtieth request or so of an environment)
            assert [c for c in dynamodb_calls if c != "UpdateItem"] == calls, path
            answers[path].append(answer.json())
    for path, (few, many) in answers.items():
        assert few != many, path  # and they count the licenses that came
