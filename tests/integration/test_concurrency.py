"""Concurrent requests, as production runs them: many Lambda execution environments at once
(worker processes, each with its own copy of the handler) against the same tables (moto run
as a server in this process, so the test reads what the workers wrote). The uniqueness rule,
idempotency and optimistic versioning must hold under these races."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest

from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.apigw import HttpRequest, HttpResponse
from partnerapp_infra.local.environments import EnvironmentPool
from tests.conftest import (
    LICENSES,
    SITE_URL,
    ApiClient,
    PartnerAccount,
    assert_counts_kept,
    license_body,
    run_sweep,
    sent_emails,
)
from tests.dev_servers import free_port

CREATE = f"{LICENSES}?product=livechat"
ENVIRONMENTS = 8


@pytest.fixture(scope="module")
def environments() -> Iterator[EnvironmentPool]:
    """Eight environments of the API function, sharing the emulated AWS of each test (the
    `aws` fixture) through a moto server: moto keeps its state per process, and this server
    serves this process's."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    environment = {
        **local_stack.fake_credentials(),
        **local_stack.local_environment(SITE_URL),
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}",
    }
    try:
        with EnvironmentPool(ENVIRONMENTS, environment) as pool:
            yield pool
    finally:
        server.stop()


def request(method: str, path: str, token: str, body: Any = None, **headers: str) -> HttpRequest:
    raw_path, _, query = path.partition("?")
    all_headers = {"host": "127.0.0.1:8000", "authorization": f"Bearer {token}", **headers}
    if body is not None:
        all_headers["content-type"] = "application/json"
    data = json.dumps(body).encode() if body is not None else b""
    return HttpRequest(method, raw_path, query, list(all_headers.items()), data)


def statuses(answers: list[tuple[HttpResponse, float]]) -> list[int]:
    return [answer.status for answer, _ in answers]


def _header(answer: HttpResponse, name: str) -> str | None:
    return next((v for k, v in answer.headers.items() if k.lower() == name.lower()), None)


def send_everything() -> None:
    while run_sweep()["sent"]:  # the sweep sends in batches, as often as it is run
        pass


def test_concurrent_duplicates_create_exactly_one_license(
    environments: EnvironmentPool, api: ApiClient, partner: PartnerAccount
) -> None:
    # Given 24 requests for the same customer and product, in eight environments at once
    answers = environments.handle_all([request("POST", CREATE, partner.token, license_body())] * 24)
    # Then one wins and every other one is told it is a duplicate
    assert sorted(statuses(answers)) == [201] + [409] * 23
    send_everything()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]
    listed = api.get(LICENSES, token=partner.token).json()["result"]
    assert len(listed) == 1
    assert_counts_kept(partner.partner_id)


def test_fifty_retries_with_one_key_create_one_license_and_one_email(
    environments: EnvironmentPool, api: ApiClient, partner: PartnerAccount
) -> None:
    # Given 50 copies of one request with one Idempotency-Key, at once
    same = request("POST", CREATE, partner.token, license_body(), **{"idempotency-key": "double-click"})
    answers = environments.handle_all([same] * 50)
    # Then every one answers 201 with the same license: one created it, 49 replay its answer.
    # (The uniqueness rule alone, without idempotency, would give one 201 and 49 409s.)
    assert statuses(answers) == [201] * 50
    bodies = {json.dumps(json.loads(answer.body), sort_keys=True) for answer, _ in answers}
    assert len(bodies) == 1
    replayed = [_header(answer, "Idempotent-Replayed") for answer, _ in answers]
    assert sorted(replayed, key=str) == [None] + ["true"] * 49
    created = json.loads(bodies.pop())["license"]
    send_everything()
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]
    assert [item["license"] for item in api.get(LICENSES, token=partner.token).json()["result"]] == [created]
    assert_counts_kept(partner.partner_id)


def test_two_hundred_distinct_creates_are_all_kept(
    environments: EnvironmentPool, api: ApiClient, partner: PartnerAccount
) -> None:
    bodies = [
        license_body(client_email=f"customer{n}@acme.example", data_center="eu" if n % 2 else "us")
        for n in range(200)
    ]
    answers = environments.handle_all([request("POST", CREATE, partner.token, body) for body in bodies])
    assert statuses(answers) == [201] * 200
    # each answer is its own request's license, in its requested region
    for body, (answer, _) in zip(bodies, answers, strict=True):
        created = json.loads(answer.body)
        read = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token).json()
        assert read["client_email"] == body["client_email"]
    assert (
        api.get(f"{LICENSES}/count?date_from=2000-01-01&date_to=2999-12-31", token=partner.token).json()[
            "trials"
        ]
        == 200
    )
    send_everything()
    assert sorted(e["to"][0] for e in sent_emails()) == sorted(b["client_email"] for b in bodies)
    assert_counts_kept(partner.partner_id)


def test_twenty_concurrent_updates_never_lose_one(
    environments: EnvironmentPool, api: ApiClient, partner: PartnerAccount
) -> None:
    created = api.post(CREATE, token=partner.token, json_body=license_body(trial_duration=14)).json()
    offer = f"{LICENSES}/livechat/{created['license']}/offer"
    answers = environments.handle_all(
        [request("POST", offer, partner.token, {"extend_trial_days": 1}) for _ in range(20)]
    )
    # Each change is applied, or refused as a conflict after its retries: never silently lost
    assert set(statuses(answers)) <= {200, 409}
    extended = statuses(answers).count(200)
    assert extended >= 1
    after = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token).json()
    start = datetime.fromisoformat(created["end_timestamp"])
    days = (datetime.fromisoformat(after["end_timestamp"]) - start).days
    assert days == extended  # every accepted change is in the license
    history = api.get(f"{LICENSES}/livechat/{created['license']}/history", token=partner.token).json()
    assert [h["action"] for h in history["history"]].count("trial_extended") == extended
    assert_counts_kept(partner.partner_id)


def test_racing_conversions_extensions_and_closes_keep_every_count(
    environments: EnvironmentPool, api: ApiClient, partner: PartnerAccount
) -> None:
    # Given ten trials in both regions
    made = [
        api.post(CREATE, token=partner.token, json_body=license_body(
            client_email=f"race{n}@acme.example", data_center="eu" if n % 2 else "us"
        )).json()["license"]
        for n in range(10)
    ]  # fmt: skip
    # When each is subscribed, extended and closed at once, in eight environments
    subscription = {"plan": "team", "billing_cycle": "monthly", "seats": 2, "token": "tok_1"}
    close = {"password": partner.token, "expire": True}
    changes = []
    for license_id in made:
        path = f"{LICENSES}/livechat/{license_id}"
        changes += [
            request("POST", f"{path}/subscription", partner.token, subscription),
            request("POST", f"{path}/offer", partner.token, {"extend_trial_days": 2}),
            request("DELETE", f"{path}/subscription", partner.token, close),
        ]
    answers = environments.handle_all(changes)
    # Then each change was applied or refused by a rule (403, 409), never lost or a 5xx
    assert set(statuses(answers)) <= {200, 201, 204, 403, 409}, statuses(answers)
    assert statuses(answers)[0::3].count(201) == 10  # every trial converted
    # And every count equals a recount of the licenses as they ended up
    assert_counts_kept(partner.partner_id)
    counted = api.get(f"{LICENSES}/count?date_from=2000-01-01&date_to=2999-12-31", token=partner.token).json()
    assert counted["trials"] == 0 and counted["paid"] + counted["expired"] == 10


WITHDRAWALS = "/v2/partners/withdrawals"


def test_racing_withdrawal_requests_make_exactly_one_withdrawal_and_one_email(
    environments: EnvironmentPool, api: ApiClient, partner: PartnerAccount
) -> None:
    from datetime import UTC, timedelta

    from tests.conftest import new_license
    from tests.lifecycle_support import billing_event, post_billing_event, run_function

    # Given $100.00 of commission available (a $500.00 payment 31 days ago) and payout details
    now = datetime.now(UTC).replace(microsecond=0)
    paid = new_license(api, partner, client_email="pay@b.example", payment_origin="client")["license"]
    event = billing_event("evt_race", "payment.succeeded", now - timedelta(days=31), license=int(paid),
                          amount_cents=50000)  # fmt: skip
    assert post_billing_event(api, event, now).status == 200
    payout = {"type": "business", "company": "Agency One", "address": "Main Street 1", "city": "Springfield",
              "country": "US", "paypal": "pay@agency.example"}  # fmt: skip
    assert api.request("PUT", "/v2/partners/billing", token=partner.token, json_body=payout).status == 204
    # (every environment warm, so the requests below overlap rather than queue behind imports)
    warm = [request("GET", WITHDRAWALS, partner.token), request("GET", "/v2/partners/balance", partner.token)]
    assert set(statuses(environments.handle_all(warm * ENVIRONMENTS))) == {200}
    # When 16 requests to withdraw it arrive at once, in eight environments
    answers = environments.handle_all([request("POST", WITHDRAWALS, partner.token)] * 16)
    # Then one takes it all, and every other one is told nothing is left to withdraw
    assert sorted(statuses(answers)) == [201] + [403] * 15
    [won] = [json.loads(answer.body) for answer, _ in answers if answer.status == 201]
    assert (won["withdrawal_id"], won["amount"]) == (1, 100)
    listed = api.get(WITHDRAWALS, token=partner.token).json()["result"]
    assert [(w["withdrawal_id"], w["amount"]) for w in listed] == [(1, 100)]
    balance = api.get("/v2/partners/balance", token=partner.token).json()
    assert balance == {"pending": 0, "withdrawn": 100, "available": 0, "total": "100.00"}
    # and one email, sent by the winner at once; the lifecycle job has nothing more to send
    withdrawal_emails = ["Withdrawal 1 requested: $100.00"]
    assert [e["subject"] for e in sent_emails() if "Withdrawal" in e["subject"]] == withdrawal_emails
    run_function("LifecycleFunction")
    assert [e["subject"] for e in sent_emails() if "Withdrawal" in e["subject"]] == withdrawal_emails
