"""Webhooks: partners register endpoints for license events; deliveries are signed, arrive in
order, are retried with backoff for a bounded time, logged, and never go to internal
addresses outside local mode. A real HTTP receiver on 127.0.0.1 plays the partner's endpoint."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import boto3
import pytest

from partnerapp.domain.timestamps import from_wire
from partnerapp_infra.cli import main as cli
from partnerapp_infra.local import emulator as local_stack
from tests.conftest import ApiClient, PartnerAccount, new_license
from tests.lifecycle_support import (
    FakeClock,
    WebhookReceiver,
    accept_tokens,
    billing_event,
    post_billing_event,
    run_function,
    send_emails,
)

WEBHOOKS = "/v2/partners/webhooks"
ALL_EVENTS = [
    "license.created",
    "license.trial_expiring",
    "license.expired",
    "license.converted",
    "operator.accepted",
]


def register(
    api: ApiClient, partner: PartnerAccount, url: str, events: list[str] | None = None
) -> dict[str, Any]:
    answer = api.post(WEBHOOKS, token=partner.token, json_body={"url": url, "events": events or ALL_EVENTS})
    assert answer.status == 201, answer.body
    return answer.json()  # type: ignore[no-any-return]


def deliveries(api: ApiClient, partner: PartnerAccount, hook: dict[str, Any]) -> list[dict[str, Any]]:
    answer = api.get(f"{WEBHOOKS}/{hook['id']}/deliveries", token=partner.token)
    assert answer.status == 200, answer.body
    return answer.json()["deliveries"]  # type: ignore[no-any-return]


def types(receiver: WebhookReceiver) -> list[str]:
    return [r.json()["type"] for r in receiver.received]


# --- registering endpoints ---------------------------------------------------------------


def test_register_list_and_delete_an_endpoint(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.created", "license.converted"])
    assert hook["secret"].startswith("whsec_") and len(hook["secret"]) > 40
    assert hook["events"] == ["license.created", "license.converted"] and hook["url"] == receiver.url
    # The secret is shown once; it is stored encrypted, not as it was shown
    listed = api.get(WEBHOOKS, token=partner.token).json()["webhooks"]
    assert listed == [{k: v for k, v in hook.items() if k != "secret"}]
    stored = boto3.client("dynamodb", region_name="us-east-1").get_item(
        TableName="partnerapp-partners",
        Key={"pk": {"S": f"PARTNER#{partner.partner_id}"}, "sk": {"S": f"WEBHOOK#{hook['id']}"}},
    )["Item"]
    assert stored["secret"]["S"].startswith("v1:") and hook["secret"] not in json.dumps(stored)
    # Another partner neither sees nor touches it
    assert api.get(WEBHOOKS, token=other_partner.token).json() == {"webhooks": []}
    for method, suffix in (("DELETE", ""), ("GET", "/deliveries"), ("POST", "/test")):
        assert (
            api.request(method, f"{WEBHOOKS}/{hook['id']}{suffix}", token=other_partner.token).status == 404
        )
    assert api.delete(f"{WEBHOOKS}/{hook['id']}", token=partner.token).status == 204
    assert api.delete(f"{WEBHOOKS}/{hook['id']}", token=partner.token).status == 404
    assert api.get(WEBHOOKS, token=partner.token).json() == {"webhooks": []}


def test_a_retried_registration_answers_the_same_endpoint_and_secret(
    api: ApiClient, partner: PartnerAccount, receiver: WebhookReceiver
) -> None:
    body = {"url": receiver.url, "events": ["license.created"]}
    headers = {"Idempotency-Key": "hook-1"}
    first = api.post(WEBHOOKS, token=partner.token, json_body=body, headers=headers)
    again = api.post(WEBHOOKS, token=partner.token, json_body=body, headers=headers)
    assert first.status == again.status == 201 and again.header("Idempotent-Replayed") == "true"
    assert again.json() == first.json()
    assert len(api.get(WEBHOOKS, token=partner.token).json()["webhooks"]) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"events": ["license.created"]}, "url"),
        ({"url": "https://hooks.example.com", "events": []}, "events"),
        ({"url": "https://hooks.example.com", "events": ["license.deleted"]}, "events"),
        ({"url": "https://hooks.example.com", "events": ["license.created", "license.created"]}, "events"),
        ({"url": "ftp://hooks.example.com", "events": ["license.created"]}, "url"),
        ({"url": "https://hooks.example.com/" + "x" * 2048, "events": ["license.created"]}, "url"),
    ],
)
def test_a_bad_endpoint_is_a_400_naming_the_field_and_nothing_is_stored(
    api: ApiClient, partner: PartnerAccount, body: dict[str, Any], field: str
) -> None:
    answer = api.post(WEBHOOKS, token=partner.token, json_body=body)
    assert answer.status == 400 and field in answer.json()["error"]["fields"], answer.body
    assert api.get(WEBHOOKS, token=partner.token).json() == {"webhooks": []}


def test_at_most_ten_endpoints(api: ApiClient, partner: PartnerAccount, receiver: WebhookReceiver) -> None:
    for _ in range(10):
        register(api, partner, receiver.url)
    answer = api.post(
        WEBHOOKS, token=partner.token, json_body={"url": receiver.url, "events": ["license.created"]}
    )
    assert answer.status == 403


FAKE_DNS = {
    "hooks.agency.example": ["93.184.216.34"],
    "internal.agency.example": ["10.1.2.3"],
    "mixed.agency.example": ["93.184.216.34", "127.0.0.1"],
    "sixtofour.agency.example": ["2002:a00:1::1"],  # 6to4 of 10.0.0.1
    "metadata.agency.example": ["169.254.169.254"],
}


@pytest.fixture
def aws_mode(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The API as deployed (not local mode, behind CloudFront's origin header), with a DNS
    the test controls."""
    from partnerapp.api import dependencies
    from partnerapp.settings import get_settings

    monkeypatch.setenv("PARTNERAPP_MODE", "aws")
    monkeypatch.setenv("ORIGIN_VERIFY_SECRET_ID", local_stack.ORIGIN_VERIFY_SECRET_ID)
    get_settings.cache_clear()
    dependencies.dependencies.cache_clear()

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in FAKE_DNS:
            raise socket.gaierror("no such host")
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in FAKE_DNS[host]]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)


@pytest.fixture
def local_dns(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local mode (private addresses allowed), with a DNS the test controls; 127.0.0.1 and
    other names resolve as they do."""
    real = socket.getaddrinfo
    FAKE_DNS["hooks.agency.example"] = ["127.0.0.1"]

    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in FAKE_DNS:
            return real(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port)) for address in FAKE_DNS[host]]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    yield
    FAKE_DNS["hooks.agency.example"] = ["93.184.216.34"]


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.agency.example/partnerapp",  # not https
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://169.254.169.254/latest/meta-data",  # link-local: the metadata service
        "https://10.0.0.8/hook",
        "https://192.168.1.20/hook",
        "https://100.64.0.1/hook",  # carrier-grade NAT
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",
        "https://user:pass@hooks.agency.example/hook",
        "https://internal.agency.example/hook",  # a public-looking name, a private address
        "https://mixed.agency.example/hook",  # one bad answer among good ones is enough
        "https://[2002:a00:1::1]/hook",  # 6to4: judged by the IPv4 it carries, 10.0.0.1
        "https://[64:ff9b::a00:1]/hook",  # NAT64 of 10.0.0.1
        "https://[::a00:1]/hook",  # IPv4-compatible 10.0.0.1
        "https://sixtofour.agency.example/hook",
        "https://hooks.agency.example/café",  # the HTTP client cannot send it
        "https://hooks.agency.example/a b",
        "https://nowhere.example/hook",
    ],
)
def test_outside_local_mode_only_public_https_endpoints_are_accepted(
    aws_mode: None, api: ApiClient, partner: PartnerAccount, url: str
) -> None:
    answer = api.post(WEBHOOKS, token=partner.token, json_body={"url": url, "events": ["license.created"]})
    assert answer.status == 400 and "url" in answer.json()["error"]["fields"], answer.body
    assert api.get(WEBHOOKS, token=partner.token).json() == {"webhooks": []}


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data",  # the cloud metadata service
        "http://[fd00:ec2::254]/latest/meta-data",  # the same over IPv6
        "http://[::ffff:169.254.169.254]/latest/meta-data",
        "http://[2002:a9fe:a9fe::1]/latest/meta-data",  # 6to4 of it
        "http://[fe80::1]/hook",
        "http://metadata.agency.example/hook",  # a name for it
        "http://127.0.0.1:8080/café",
        "http://127.0.0.1:8080/a b",
        "http://127.0.0.1:8080/a\tb",  # urlsplit would drop the tab: not what was given
    ],
)
def test_in_local_mode_link_local_metadata_and_unsendable_urls_are_refused(
    local_dns: None, api: ApiClient, partner: PartnerAccount, url: str
) -> None:
    answer = api.post(WEBHOOKS, token=partner.token, json_body={"url": url, "events": ["license.created"]})
    assert answer.status == 400 and "url" in answer.json()["error"]["fields"], answer.body
    assert api.get(WEBHOOKS, token=partner.token).json() == {"webhooks": []}


def test_in_local_mode_a_name_that_later_points_at_the_metadata_service_gets_nothing(
    local_dns: None, api: ApiClient, partner: PartnerAccount, receiver: WebhookReceiver
) -> None:
    port = receiver.url.split(":")[2].split("/")[0]
    hook = register(api, partner, f"http://hooks.agency.example:{port}/hooks/partnerapp", ["license.created"])
    FAKE_DNS["hooks.agency.example"] = ["169.254.169.254"]  # DNS rebinding, as a name may
    new_license(api, partner)
    run_function("WebhooksFunction")
    assert receiver.received == []
    [delivery] = deliveries(api, partner, hook)
    assert (delivery["status"], delivery["attempts"]) == ("pending", 1)
    assert delivery["error"] == "refused: Must not point at a link-local or metadata-service address."


def test_a_public_endpoint_is_accepted_and_rechecked_at_each_delivery(
    aws_mode: None, api: ApiClient, partner: PartnerAccount
) -> None:
    hook = register(api, partner, "https://hooks.agency.example/partnerapp", ["license.created"])
    # Later the name points inside (DNS rebinding): the delivery is refused, not sent there
    FAKE_DNS["hooks.agency.example"] = ["10.0.0.9"]
    try:
        new_license(api, partner)
        run_function("WebhooksFunction")
    finally:
        FAKE_DNS["hooks.agency.example"] = ["93.184.216.34"]
    [delivery] = deliveries(api, partner, hook)
    assert delivery["status"] == "pending" and delivery["attempts"] == 1
    assert delivery["error"].startswith("refused") and delivery["response_status"] is None


# --- deliveries ---------------------------------------------------------------------------


def test_a_licenses_events_arrive_signed_in_order_without_personal_data(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url)
    item = new_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    send_emails(clock)
    form = urlencode({"token": accept_tokens("ann@acme.example")[0]}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    assert api.post("/web/invitations/accept", body=form, headers=headers).status == 200
    clock.advance(days=11, hours=1)
    run_function("LifecycleFunction")
    subscribed = billing_event("evt_s", "subscription.created", clock(), license=item["license"])
    assert post_billing_event(api, subscribed, clock()).status == 200
    report = run_function("WebhooksFunction")
    assert (report["events"], report["delivered"]) == (4, 4)
    received = receiver.verified(hook["secret"], clock())
    assert types(receiver) == [
        "license.created",
        "operator.accepted",
        "license.trial_expiring",
        "license.converted",
    ]
    for request in received:
        body = request.json()
        assert request.headers["webhook-id"] == body["id"] and request.path == "/hooks/partnerapp"
        assert request.headers["content-type"] == "application/json"
        assert body["data"]["license"] == item["license"]
        assert b"@" not in request.body and b"Acme" not in request.body  # ids and enumerations only
    created, accepted, expiring, converted = (r.json()["data"] for r in received)
    assert created["end_timestamp"] == item["end_timestamp"] and created["status"] == "trial"
    assert (accepted["role"], accepted["seats"]) == ("agent", 1)
    assert expiring["end_timestamp"] == item["end_timestamp"]
    assert converted["status"] == "paid" and converted["payment_origin"] == "partner"
    # Nothing is sent twice
    assert run_function("WebhooksFunction")["delivered"] == 0
    assert [d["status"] for d in deliveries(api, partner, hook)] == ["delivered"] * 4


def test_an_endpoint_gets_only_the_events_it_subscribed_to(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.expired"])
    item = new_license(api, partner, payment_origin="client")
    clock.advance(days=15)
    run_function("LifecycleFunction")
    run_function("WebhooksFunction")
    [expired] = receiver.verified(hook["secret"], clock())
    assert expired.json()["type"] == "license.expired"
    assert expired.json()["data"] | {} == {
        "license": item["license"],
        "product": "livechat",
        "payment_origin": "client",
        "status": "expired",
        "data_center": "us-south1",
        "reason": "trial_ended",
        "expired_at": item["end_timestamp"],
    }


def test_a_failing_endpoint_is_retried_with_backoff_and_keeps_its_order(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.created"])
    first = new_license(api, partner, client_email="one@acme.example")
    clock.advance(seconds=1)
    second = new_license(api, partner, client_email="two@acme.example")
    receiver.statuses = [500, 503]
    # First attempt fails; the second event waits behind the first
    report = run_function("WebhooksFunction")
    assert (report["retrying"], report["delivered"], report["waiting"]) == (1, 0, 1)
    log = {d["event_id"]: d for d in deliveries(api, partner, hook)}
    head = next(d for d in log.values() if d["attempts"] == 1)
    assert (head["status"], head["response_status"], head["error"]) == ("pending", 500, "HTTP 500")
    # Not due again before its backoff (10 s)
    clock.advance(seconds=5)
    assert run_function("WebhooksFunction")["retrying"] == 0 and len(receiver.received) == 1
    clock.advance(seconds=5)
    assert run_function("WebhooksFunction")["retrying"] == 1  # 503: next in 20 s
    clock.advance(seconds=20)
    assert run_function("WebhooksFunction")["delivered"] == 2
    licenses = [r.json()["data"]["license"] for r in receiver.verified(hook["secret"], clock())]
    assert licenses == [first["license"]] * 3 + [second["license"]]
    assert sorted((d["status"], d["attempts"]) for d in deliveries(api, partner, hook)) == [
        ("delivered", 1),
        ("delivered", 3),
    ]


def test_a_delivery_is_given_up_after_a_bounded_time_and_the_next_one_goes(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.created"])
    new_license(api, partner, client_email="one@acme.example")
    clock.advance(seconds=1)
    new_license(api, partner, client_email="two@acme.example")
    receiver.statuses = [500] * 12
    started = clock()
    while True:
        run_function("WebhooksFunction")
        retrying = [d for d in deliveries(api, partner, hook) if d["attempts"] and d["status"] == "pending"]
        if not retrying:
            break
        clock.now = from_wire(retrying[0]["next_attempt_at"])  # its next attempt is due
    # 12 attempts, 10 s doubling to 1 h apart: given up 3 h 25 min after the first; then the
    # next event, which waited behind it, went at once
    assert clock() - started == timedelta(seconds=12_310)
    statuses = sorted((d["status"], d["attempts"]) for d in deliveries(api, partner, hook))
    assert statuses == [("delivered", 1), ("failed", 12)]
    assert len(receiver.received) == 13


def test_a_test_event_on_demand(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.expired"])
    queued = api.post(f"{WEBHOOKS}/{hook['id']}/test", token=partner.token)
    assert queued.status == 202 and queued.json()["delivery"]["status"] == "pending"
    run_function("WebhooksFunction")
    [test] = receiver.verified(hook["secret"], clock())
    assert test.json()["type"] == "webhook.test" and test.json()["data"] == {"webhook": hook["id"]}
    [logged] = deliveries(api, partner, hook)
    assert (logged["event_type"], logged["status"], logged["response_status"]) == (
        "webhook.test",
        "delivered",
        200,
    )


def test_deleting_an_endpoint_cancels_what_it_was_still_owed(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.created"])
    receiver.statuses = [500]
    new_license(api, partner)
    run_function("WebhooksFunction")
    assert api.delete(f"{WEBHOOKS}/{hook['id']}", token=partner.token).status == 204
    clock.advance(minutes=1)
    assert run_function("WebhooksFunction")["cancelled"] == 1
    assert len(receiver.received) == 1  # only the failed attempt before the delete


def test_an_endpoint_whose_secret_no_longer_opens_gets_no_unsigned_delivery(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.created"])
    # As after a rotation of the keyed-hash secret the webhook secrets are sealed with
    boto3.client("dynamodb", region_name="us-east-1").update_item(
        TableName="partnerapp-partners",
        Key={"pk": {"S": f"PARTNER#{partner.partner_id}"}, "sk": {"S": f"WEBHOOK#{hook['id']}"}},
        UpdateExpression="SET secret = :other",
        ExpressionAttributeValues={":other": {"S": "v1:" + "A" * 60}},
    )
    new_license(api, partner)
    assert run_function("WebhooksFunction")["failed"] == 1
    assert receiver.received == []
    [delivery] = deliveries(api, partner, hook)
    assert delivery["status"] == "failed" and "register the endpoint again" in delivery["error"]


# --- one bad delivery never stops a run ------------------------------------------------------


def _edit_endpoint(partner: PartnerAccount, hook: dict[str, Any], url: str) -> None:
    """As an endpoint stored before its URL was checked for what the HTTP client can send."""
    boto3.client("dynamodb", region_name="us-east-1").update_item(
        TableName="partnerapp-partners",
        Key={"pk": {"S": f"PARTNER#{partner.partner_id}"}, "sk": {"S": f"WEBHOOK#{hook['id']}"}},
        UpdateExpression="SET #url = :url",
        ExpressionAttributeNames={"#url": "url"},
        ExpressionAttributeValues={":url": {"S": url}},
    )


def _poison_delivery(hook: dict[str, Any]) -> None:
    """A queued delivery whose event id cannot be a header value: sending it raises."""
    table = boto3.client("dynamodb", region_name="us-east-1")
    [item] = table.query(
        TableName="partnerapp-partners",
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"WEBHOOK#{hook['id']}"}},
    )["Items"]
    table.update_item(
        TableName="partnerapp-partners",
        Key={"pk": item["pk"], "sk": item["sk"]},
        UpdateExpression="SET event_id = :id",
        ExpressionAttributeValues={":id": {"S": "evt_poison\nX-Injected: 1"}},
    )


def test_an_endpoint_stored_with_an_unsendable_url_never_stops_the_run(
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
    clock: FakeClock,
    receiver: WebhookReceiver,
) -> None:
    bad = register(api, partner, receiver.url, ["license.created"])
    good = register(api, other_partner, receiver.url, ["license.created"])
    _edit_endpoint(partner, bad, f"{receiver.url}/café")
    new_license(api, partner)
    new_license(api, other_partner)
    report = run_function("WebhooksFunction")
    assert (report["delivered"], report["retrying"]) == (1, 1)
    [arrived] = receiver.verified(good["secret"], clock())
    assert arrived.json()["type"] == "license.created"
    [logged] = deliveries(api, partner, bad)
    assert (logged["status"], logged["attempts"]) == ("pending", 1)
    assert logged["error"].startswith("refused: Must be printable ASCII without spaces")


def test_a_delivery_whose_send_raises_is_retried_then_given_up_and_the_others_go_on(
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
    clock: FakeClock,
    receiver: WebhookReceiver,
    capsys: pytest.CaptureFixture[str],
) -> None:
    poison = register(api, partner, receiver.url, ["license.created"])
    good = register(api, other_partner, receiver.url, ["license.created"])
    assert api.post(f"{WEBHOOKS}/{poison['id']}/test", token=partner.token).status == 202
    _poison_delivery(poison)
    new_license(api, other_partner)
    # The operator's run: it goes on past the poison delivery, exits 0 and reports it
    capsys.readouterr()
    assert cli.main(["webhooks", "run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["delivered"], report["retrying"], report["errors"]) == (1, 1, 1)
    [logged] = deliveries(api, partner, poison)
    assert (logged["status"], logged["attempts"]) == ("pending", 1)
    assert logged["error"] == "could not be sent: ValueError"
    # Retried with the usual backoff until given up, the reason in the partner's log; the
    # other partner's later events go on meanwhile
    started = clock()
    while logged["status"] == "pending":
        clock.now = from_wire(logged["next_attempt_at"])
        new_license(api, other_partner, client_email=f"client{logged['attempts']}@acme.example")
        assert run_function("WebhooksFunction")["errors"] == 1
        [logged] = deliveries(api, partner, poison)
    assert clock() - started == timedelta(seconds=12_310)  # as any failing delivery
    assert (logged["status"], logged["attempts"]) == ("failed", 12)
    assert logged["error"] == "could not be sent: ValueError"
    assert [d["status"] for d in deliveries(api, other_partner, good)] == ["delivered"] * 12
    assert len(receiver.verified(good["secret"], clock(), tolerance=13_000)) == 12


def _event_entry(item: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The history entry that carries a license's `license.created` event, and its region."""
    for region in sorted(set(local_stack.DATA_REGIONS.values())):
        found = boto3.client("dynamodb", region_name=region).query(
            TableName="partnerapp-licenses",
            KeyConditionExpression="pk = :pk",
            FilterExpression="event_type = :type",
            ExpressionAttributeValues={
                ":pk": {"S": f"LICENSE#{item['license']}"},
                ":type": {"S": "license.created"},
            },
        )["Items"]
        if found:
            return region, found[0]
    raise AssertionError("no event entry")


def _poison_event(item: dict[str, Any]) -> None:
    """Event data no JSON body can hold (a set, as a hand-written record might have)."""
    region, entry = _event_entry(item)
    boto3.client("dynamodb", region_name=region).update_item(
        TableName="partnerapp-licenses",
        Key={"pk": entry["pk"], "sk": entry["sk"]},
        UpdateExpression="SET event_data.seats = :set",
        ExpressionAttributeValues={":set": {"SS": ["a", "b"]}},
    )


def _emitted(output: str, metric: str) -> int:
    """The value of `metric` in the EMF lines a run printed (0 if none)."""
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{") and '"_aws"' in line]
    values = [line[metric] for line in lines if metric in line]
    return sum(sum(v) if isinstance(v, list) else v for v in values)


def _event_retry(item: dict[str, Any]) -> dict[str, Any]:
    """The operator's record of a license's `license.created` event that could not be handed on."""
    _, entry = _event_entry(item)
    return boto3.client("dynamodb", region_name="us-east-1").get_item(  # type: ignore[no-any-return]
        TableName="partnerapp-partners",
        Key={"pk": {"S": "EVENT_RETRIES"}, "sk": {"S": f"EVENT#{entry['event_id']['S']}"}},
    )["Item"]


def test_an_event_whose_hand_on_raises_is_retried_then_given_up_and_the_others_go_on(
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
    clock: FakeClock,
    receiver: WebhookReceiver,
    capsys: pytest.CaptureFixture[str],
) -> None:
    hook = register(api, partner, receiver.url, ["license.created"])
    good = register(api, other_partner, receiver.url, ["license.created"])
    poisoned = new_license(api, partner)
    _poison_event(poisoned)
    new_license(api, other_partner)
    capsys.readouterr()
    report = run_function("WebhooksFunction")
    # The other event goes on; the poison one is counted, and the operator's alarm metric too
    assert (report["events"], report["event_errors"], report["delivered"]) == (1, 1, 1)
    assert _emitted(capsys.readouterr().out, "WebhookJobErrors") == 1
    record = _event_retry(poisoned)
    assert (record["status"]["S"], record["attempts"]["N"]) == ("retrying", "1")
    assert record["error"] == {"S": "could not be handed on: TypeError"}
    # Not tried again before its backoff, then retried until given up: out of the index, the
    # reason kept with the event; the other partner's later events go on meanwhile
    assert run_function("WebhooksFunction")["events_waiting"] == 1
    started = clock()
    while record["status"]["S"] == "retrying":
        clock.now = from_wire(record["retry_at"]["S"])
        new_license(api, other_partner, client_email=f"client{record['attempts']['N']}@acme.example")
        report = run_function("WebhooksFunction")
        assert (report["event_errors"], report["delivered"]) == (1, 1)
        record = _event_retry(poisoned)
    assert clock() - started == timedelta(seconds=12_310)
    assert report["events_given_up"] == 1 and record["attempts"] == {"N": "12"}
    _, entry = _event_entry(poisoned)
    assert "event_key" not in entry and entry["event_error"] == {"S": "could not be handed on: TypeError"}
    assert run_function("WebhooksFunction")["event_errors"] == 0
    assert deliveries(api, partner, hook) == []
    assert [d["status"] for d in deliveries(api, other_partner, good)] == ["delivered"] * 12


def test_an_event_that_raised_once_goes_at_its_next_try_once_it_can(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock, receiver: WebhookReceiver
) -> None:
    hook = register(api, partner, receiver.url, ["license.created"])
    item = new_license(api, partner)
    region, entry = _event_entry(item)
    _poison_event(item)
    assert run_function("WebhooksFunction")["event_errors"] == 1
    # Repaired (by an operator, say) before its next try: it goes then, once
    boto3.client("dynamodb", region_name=region).update_item(
        TableName="partnerapp-licenses",
        Key={"pk": entry["pk"], "sk": entry["sk"]},
        UpdateExpression="SET event_data = :data",
        ExpressionAttributeValues={":data": entry["event_data"]},
    )
    clock.now = from_wire(_event_retry(item)["retry_at"]["S"])
    report = run_function("WebhooksFunction")
    assert (report["events"], report["event_errors"], report["delivered"]) == (1, 0, 1)
    [arrived] = receiver.verified(hook["secret"], clock())
    assert arrived.json()["data"]["license"] == item["license"]
    assert _event_retry(item)["status"] == {"S": "handed_on"}
    assert run_function("WebhooksFunction")["events"] == 0


def test_an_event_record_that_cannot_be_read_stops_neither_the_run_nor_the_events_after_it(
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
    clock: FakeClock,
    receiver: WebhookReceiver,
) -> None:
    register(api, partner, receiver.url, ["license.created"])
    good = register(api, other_partner, receiver.url, ["license.created"])
    broken = new_license(api, partner)
    region, entry = _event_entry(broken)
    boto3.client("dynamodb", region_name=region).update_item(  # as a hand-edited record might be
        TableName="partnerapp-licenses",
        Key={"pk": entry["pk"], "sk": entry["sk"]},
        UpdateExpression="SET #at = :garbage",
        ExpressionAttributeNames={"#at": "at"},
        ExpressionAttributeValues={":garbage": {"S": "not a time"}},
    )
    new_license(api, other_partner)
    report = run_function("WebhooksFunction")
    assert (report["events"], report["event_errors"], report["delivered"]) == (1, 1, 1)
    assert len(receiver.verified(good["secret"], clock())) == 1
    record = _event_retry(broken)
    assert (record["status"]["S"], record["error"]["S"]) == (
        "retrying",
        "could not be handed on: UnreadableEvent",
    )
