"""One way in and secrets read at run time, on the local stack.

With the origin check configured, the API answers only requests carrying CloudFront's
origin header (403 otherwise, logged without any header's value). Secrets come from the
emulator's Secrets Manager through powertools' cache: a rotated value arrives within the
cache age, and during a rotation both values are accepted. The cache's clock is moved
forward by the test; nothing waits on the wall clock.
"""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from partnerapp import runtime_secrets
from partnerapp.settings import get_settings
from partnerapp_infra.aws import template
from partnerapp_infra.local import emulator as local_stack
from tests.conftest import LICENSES, SITE_URL, ApiClient, PartnerAccount, license_body, sent_emails
from tests.lifecycle_support import billing_signature

MAX_AGE = int(template.parameter_default("SecretsMaxAgeSeconds"))
NEW_ORIGIN_VALUE = "rotated-origin-verify-value-0123456789abcdef"
NEW_BILLING_SECRET = "rotated-billing-events-secret-0123456789abc"


class CacheClock:
    """The secrets cache's time, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime.now()

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def cache_clock(aws: dict[str, str]) -> Iterator[CacheClock]:
    clock = CacheClock()
    runtime_secrets.use_clock(clock)
    yield clock
    runtime_secrets.reset()


@pytest.fixture
def origin_check(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The local stack with the origin check on, configured as a developer would."""
    monkeypatch.setenv("PARTNERAPP_LOCAL_ORIGIN_VERIFY", "1")
    configured = local_stack.local_environment(SITE_URL, function="ApiFunction")
    monkeypatch.setenv("ORIGIN_VERIFY_SECRET_ID", configured["ORIGIN_VERIFY_SECRET_ID"])
    get_settings.cache_clear()


def put_secret(secret_id: str, value: str) -> None:
    client = boto3.client("secretsmanager", region_name=local_stack.HOME_REGION)
    client.put_secret_value(SecretId=secret_id, SecretString=value)


def with_origin(value: str) -> dict[str, str]:
    return {"x-origin-verify": value}


def test_the_check_is_off_locally_unless_configured(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARTNERAPP_LOCAL_ORIGIN_VERIFY", raising=False)
    unconfigured = local_stack.local_environment(SITE_URL, function="ApiFunction")["ORIGIN_VERIFY_SECRET_ID"]
    assert unconfigured == ""
    monkeypatch.setenv("ORIGIN_VERIFY_SECRET_ID", unconfigured)
    get_settings.cache_clear()
    assert api.get("/v2/partners", token=partner.token, through_edge=False).status == 200


def test_without_the_origin_header_every_request_is_403_and_changes_nothing(
    origin_check: None, api: ApiClient, partner: PartnerAccount
) -> None:
    refused = [
        api.get("/v2/partners/status", through_edge=False),
        api.get("/v2/partners", token=partner.token, through_edge=False),
        api.get("/v2/no-such-route", through_edge=False),  # not even a 404 to learn from
        api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(),
                 through_edge=False),
        api.post("/web/sign-in", body=b"email=agency%40partner.example", through_edge=False,
                 headers={"content-type": "application/x-www-form-urlencoded", "origin": SITE_URL}),
    ]  # fmt: skip
    for answer in refused:
        assert answer.status == 403, answer.body
        assert answer.json()["error"]["type"] == "forbidden"
        assert answer.header("Cache-Control") == "no-store"
    listed = api.get(LICENSES, token=partner.token)  # through the edge: served
    assert listed.status == 200 and listed.json()["result"] == []
    assert sent_emails() == []  # no invitation, no sign-in link


def test_a_wrong_origin_value_is_403_and_logged_without_any_headers_value(
    origin_check: None, api: ApiClient, partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    guessed = "guessed-origin-value-that-is-long-enough-000"
    answer = api.get("/v2/partners", token=partner.token, through_edge=False, headers=with_origin(guessed))
    assert answer.status == 403
    logged = json_logs.getvalue()
    records = [json.loads(line) for line in logged.splitlines() if line.startswith("{")]
    refusals = [r for r in records if r.get("origin_header") == "wrong"]
    assert {r["route"] for r in refusals} == {"GET /v2/partners"}  # (the fixture hears it twice)
    assert guessed not in logged and partner.token not in logged
    assert local_stack.LOCAL_ORIGIN_VERIFY_SECRET not in logged


def test_outside_local_mode_an_unconfigured_check_refuses_everything(
    aws: dict[str, str], api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARTNERAPP_MODE", "aws")
    monkeypatch.delenv("ORIGIN_VERIFY_SECRET_ID")
    get_settings.cache_clear()
    assert api.get("/v2/partners/status").status == 403  # closed, not open


def test_a_rotated_origin_value_is_honoured_within_the_cache_age_and_both_during_the_overlap(
    origin_check: None, api: ApiClient, partner: PartnerAccount, cache_clock: CacheClock
) -> None:
    old = local_stack.LOCAL_ORIGIN_VERIFY_SECRET

    def status_with(value: str) -> int:
        return api.get(
            "/v2/partners", token=partner.token, through_edge=False, headers=with_origin(value)
        ).status

    assert (status_with(old), status_with(NEW_ORIGIN_VALUE)) == (200, 403)
    # Rotation, step 1: the new value is current, the old one still accepted
    put_secret(
        local_stack.ORIGIN_VERIFY_SECRET_ID, json.dumps({"current": NEW_ORIGIN_VALUE, "previous": old})
    )
    cache_clock.advance(MAX_AGE - 1)
    assert (status_with(old), status_with(NEW_ORIGIN_VALUE)) == (200, 403)  # still the cached value
    cache_clock.advance(2)
    assert (status_with(old), status_with(NEW_ORIGIN_VALUE)) == (200, 200)  # the overlap
    # Step 2, once CloudFront sends the new value: the old one is dropped
    put_secret(local_stack.ORIGIN_VERIFY_SECRET_ID, json.dumps({"current": NEW_ORIGIN_VALUE}))
    cache_clock.advance(MAX_AGE + 1)
    assert (status_with(old), status_with(NEW_ORIGIN_VALUE)) == (403, 200)


def _post_event(api: ApiClient, secret: str, event_id: str) -> int:
    # A type we do not act on: acknowledged (200) once its signature is good, 401 before.
    event = {"id": event_id, "type": "invoice.finalized", "created": "2026-01-01 00:00:00", "data": {}}
    body = json.dumps(event).encode()
    headers = {
        "content-type": "application/json",
        "billing-signature": billing_signature(body, int(time.time()), secret),
    }
    return api.post("/v2/billing/events", body=body, headers=headers).status


def test_a_rotated_billing_secret_is_honoured_within_the_cache_age_and_both_during_the_overlap(
    api: ApiClient, cache_clock: CacheClock
) -> None:
    old, new = local_stack.LOCAL_BILLING_SECRET, NEW_BILLING_SECRET
    secret_id = template.parameter_default("BillingEventsSecretId")
    assert (_post_event(api, old, "evt_1"), _post_event(api, new, "evt_2")) == (200, 401)
    put_secret(secret_id, json.dumps({"current": new, "previous": old}))
    cache_clock.advance(MAX_AGE + 1)
    assert (_post_event(api, old, "evt_3"), _post_event(api, new, "evt_4")) == (200, 200)
    put_secret(secret_id, new)  # rotation over: a plain value again
    cache_clock.advance(MAX_AGE + 1)
    assert (_post_event(api, old, "evt_5"), _post_event(api, new, "evt_6")) == (401, 200)


def test_the_functions_environment_names_secrets_and_holds_no_value(aws: dict[str, str]) -> None:
    values = local_stack.local_secrets().values()
    for function in template.resources("AWS::Serverless::Function"):
        environment = local_stack.local_environment(SITE_URL, function=function)
        assert not any(secret in value for value in environment.values() for secret in values), function
    assert not any(secret in value for value in os.environ.values() for secret in values)
    # ... and still the keyed hash is the one stored in Secrets Manager
    assert get_settings().keyed_hash_secret == local_stack.LOCAL_HASH_SECRET.encode()


def test_a_missing_secret_fails_naming_its_id_and_no_value(
    aws: dict[str, str], api: ApiClient, partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    secret_id = template.parameter_default("KeyedHashSecretId")
    client = boto3.client("secretsmanager", region_name=local_stack.HOME_REGION)
    client.delete_secret(SecretId=secret_id, ForceDeleteWithoutRecovery=True)
    runtime_secrets.reset()
    with pytest.raises(runtime_secrets.SecretError, match=f"secret {secret_id} cannot be read"):
        _ = get_settings().keyed_hash_secret
    answer = api.get("/v2/partners", token=partner.token)
    assert answer.status == 500  # nothing is served with a made-up key
    assert local_stack.LOCAL_HASH_SECRET not in json_logs.getvalue()


def test_a_throttled_secret_read_is_a_503_to_retry_and_serves_once_it_passes(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from botocore.exceptions import ClientError

    runtime_secrets.reset()  # a cold start: nothing cached yet
    client = runtime_secrets._provider().client
    real = client.get_secret_value
    throttled = ClientError(
        {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "GetSecretValue"
    )

    def refuse(**kwargs: Any) -> Any:
        raise throttled

    monkeypatch.setattr(client, "get_secret_value", refuse)
    answer = api.get("/v2/partners", token=partner.token)
    assert answer.status == 503 and answer.header("Retry-After") == "2"
    monkeypatch.setattr(client, "get_secret_value", real)
    assert api.get("/v2/partners", token=partner.token).status == 200


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("x" * 32, runtime_secrets.SecretVersions(b"x" * 32)),
        (
            json.dumps({"current": "n" * 32, "previous": "o" * 32}),
            runtime_secrets.SecretVersions(b"n" * 32, b"o" * 32),
        ),
        (json.dumps({"current": "n" * 32, "previous": ""}), runtime_secrets.SecretVersions(b"n" * 32)),
    ],
)
def test_a_secret_is_a_value_or_current_and_previous(raw: str, expected: Any) -> None:
    assert runtime_secrets.parse("id", raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "short",
        json.dumps({"previous": "o" * 32}),
        json.dumps({"current": "n" * 32, "previous": "short"}),
        "{oops",
    ],
)
def test_a_short_or_malformed_secret_is_refused_without_showing_it(raw: str) -> None:
    with pytest.raises(runtime_secrets.SecretError) as refused:
        runtime_secrets.parse("partnerapp/some-secret", raw)
    assert "partnerapp/some-secret" in str(refused.value) and raw not in str(refused.value)
