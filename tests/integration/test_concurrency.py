"""Concurrent requests: the uniqueness rule and idempotency hold under races."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body, run_sweep, sent_emails

CREATE = f"{LICENSES}?product=livechat"


def test_concurrent_duplicates_create_exactly_one_license(api: ApiClient, partner: PartnerAccount) -> None:
    # Given twelve requests for the same customer and product, racing each other
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(
            pool.map(lambda _: api.post(CREATE, token=partner.token, json_body=license_body()), range(12))
        )
    statuses = sorted(r.status for r in responses)
    # Then one wins and every other one is told it is a duplicate
    assert statuses == [201] + [409] * 11
    run_sweep()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_concurrent_retries_with_one_key_create_one_license(api: ApiClient, partner: PartnerAccount) -> None:
    # Given 50 copies of one request with one Idempotency-Key, at once
    headers = {"Idempotency-Key": "double-click"}
    with ThreadPoolExecutor(max_workers=16) as pool:
        responses = list(
            pool.map(
                lambda _: api.post(CREATE, token=partner.token, json_body=license_body(), headers=headers),
                range(50),
            )
        )
    created = [r for r in responses if r.status == 201]
    assert {r.json()["license"] for r in created} and len({r.json()["license"] for r in created}) == 1
    assert all(r.status in (201, 409) for r in responses)
    run_sweep()
    assert len(sent_emails()) == 1


def test_concurrent_distinct_creates_are_all_kept(api: ApiClient, partner: PartnerAccount) -> None:
    def create(n: int) -> int:
        body = license_body(client_email=f"customer{n}@acme.example", data_center="eu" if n % 2 else "us")
        return api.post(CREATE, token=partner.token, json_body=body).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(200)))
    assert statuses == [201] * 200
    while run_sweep()["sent"]:  # the sweep sends in batches, as often as it is run
        pass
    assert len(sent_emails()) == 200
    assert len({e["to"][0] for e in sent_emails()}) == 200
