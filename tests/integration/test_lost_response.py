"""Lost responses: every path that writes, run once per write with that write's first answer
lost after DynamoDB applied it, so the SDK retries it (partnerapp_infra.local.faults). Whichever
write it is, the partner, the customer and the invited people see what they would have seen
without the fault: one 201 and the right license, one email per person, one history entry,
no false 409, no invitation stuck, no session or link refused."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
from moto import mock_aws

from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.faults import LostResponses, WriteAttempt, never, nth_write
from tests.conftest import (
    LICENSES,
    SITE_URL,
    ApiClient,
    PartnerAccount,
    assert_counts_kept,
    license_body,
    license_details,
    make_partner,
    new_license,
    reset_process_state,
    run_sweep,
    sent_emails,
)
from tests.lifecycle_support import (
    FakeClock,
    WebhookReceiver,
    accept_tokens,
    billing_event,
    post_billing_event,
    run_function,
    send_emails,
)

CREATE = f"{LICENSES}?product=livechat"
ANN, BOB = "ann@acme.example", "bob@acme.example"
OWNER = "owner@acme.example"
LOGIN = "agency@partner.example"


@dataclass
class World:
    """One fresh emulated AWS with a partner, and what the path's set-up made in it."""

    api: ApiClient
    partner: PartnerAccount
    clock: FakeClock
    made: dict[str, Any]


@dataclass(frozen=True)
class Path:
    """`act` is run with the fault on; `setup` and `check` without it."""

    setup: Callable[[World], None]
    act: Callable[[World], Any]
    check: Callable[[World, Any], None]


@pytest.fixture
def environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in {**local_stack.fake_credentials(), **local_stack.local_environment(SITE_URL)}.items():
        monkeypatch.setenv(name, value)
    local_stack.serialize_emulated_dynamodb()
    from partnerapp.domain import timestamps

    # The mail handlers bind the real clock at import (see the `clock` fixture).
    from partnerapp.handlers import mailer, outbox_sweep, ses_events  # noqa: F401

    clock = FakeClock()
    monkeypatch.setattr(timestamps, "utc_now", clock)
    yield
    reset_process_state()


@contextlib.contextmanager
def fresh_world() -> Iterator[World]:
    from partnerapp.domain import timestamps

    reset_process_state()
    clock = timestamps.utc_now
    assert isinstance(clock, FakeClock)
    with mock_aws():
        local_stack.bootstrap(SITE_URL)
        yield World(ApiClient(), make_partner(LOGIN, "Agency One"), clock, {})


def each_write_lost(path: Path) -> list[WriteAttempt]:
    """Run `path` without a fault (counting the writes its action makes), then once for each
    of them with its first answer lost; `check` must hold every time. The writes lost."""
    with fresh_world() as world:
        path.setup(world)
        with LostResponses(never()) as counted:
            outcome = path.act(world)
        path.check(world, outcome)
    assert counted.writes, "the path made no write"
    lost: list[WriteAttempt] = []
    # A write refused by its condition was not applied: it has no answer to lose.
    for n in [w.number for w in counted.writes if w.applied]:
        with fresh_world() as world:
            path.setup(world)
            with LostResponses(nth_write(n), no_backoff=True) as fault:
                outcome = path.act(world)
            [dropped] = fault.dropped
            # botocore retried it: the very next attempt is the same operation, its 2nd attempt
            retry = fault.writes[dropped.number]
            assert (retry.operation, retry.table, retry.attempt) == (dropped.operation, dropped.table, 2)
            path.check(world, outcome)
            assert_counts_kept(world.partner.partner_id)  # moved once, whichever answer was lost
            lost.append(dropped)
    return lost


def operations(lost: list[WriteAttempt]) -> set[str]:
    return {w.operation for w in lost}


def history(world: World, license_id: int) -> list[str]:
    path = f"{LICENSES}/livechat/{license_id}/history"
    return [h["action"] for h in world.api.get(path, token=world.partner.token).json()["history"]]


def listed(world: World) -> list[dict[str, Any]]:
    return world.api.get(LICENSES, token=world.partner.token).json()["result"]  # type: ignore[no-any-return]


def recipients() -> list[str]:
    return sorted(to for e in sent_emails() for to in e["to"])


# --- create ------------------------------------------------------------------------------


def _create(world: World, **overrides: Any) -> Any:
    operators = [{"email": ANN, "role": "agent"}, {"email": BOB, "role": "administrator"}]
    body = license_body(operators=operators, **overrides)
    return world.api.post(CREATE, token=world.partner.token, json_body=body)


def _check_created(world: World, answer: Any, already: int = 0) -> None:
    assert answer.status == 201, answer.body  # never a false 409
    created = answer.json()
    assert [i["license"] for i in listed(world) if i["product"] == "livechat"] == [created["license"]]
    assert len(listed(world)) == already + 1
    details = license_details(world.api, world.partner, created)
    assert details["client_email"] == OWNER
    assert history(world, created["license"]).count("created") == 1
    run_sweep()
    run_sweep()
    assert recipients() == sorted([ANN, BOB, OWNER, *[OWNER] * already])  # one invitation each, none stuck
    again = world.api.post(CREATE, token=world.partner.token, json_body=license_body())
    assert again.status == 409  # and the customer does have a license now


def _token_used_today(world: World) -> None:
    # The token's first use of the day notes the day on it, and the first request claims a
    # batch of the partner's request budget: done here, the create's own writes are left.
    assert world.api.get("/v2/partners", token=world.partner.token).status == 200


def test_a_create_survives_any_of_its_writes_losing_its_answer(environment: None) -> None:
    lost = each_write_lost(Path(_token_used_today, _create, _check_created))
    # A US license for a new client: one transaction in the home region (the guard, the
    # organization's pointer and item, the license, its invitations and history)
    assert [(w.operation, w.table) for w in lost] == [("TransactWriteItems", "partnerapp-partners")]


def test_an_eu_create_survives_any_of_its_writes_losing_its_answer(environment: None) -> None:
    lost = each_write_lost(
        Path(_token_used_today, lambda world: _create(world, data_center="eu"), _check_created)
    )
    # the home region's transaction (guard, organization pointer), then the EU one
    assert [(w.operation, w.table) for w in lost] == [
        ("TransactWriteItems", "partnerapp-partners"),
        ("TransactWriteItems", "partnerapp-licenses"),  # in eu-central-1
    ]


def _chatbot_for_the_owner(world: World) -> None:
    body = license_body(client_email=OWNER)
    made = world.api.post(f"{LICENSES}?product=chatbot", token=world.partner.token, json_body=body)
    assert made.status == 201, made.body
    run_sweep()


def test_a_create_for_a_client_with_an_organization_survives_lost_answers(environment: None) -> None:
    # The client has an organization already (their chatbot license): the create writing
    # everything at once meets its pointer, and the step-by-step path reuses it
    lost = each_write_lost(
        Path(_chatbot_for_the_owner, _create, lambda world, answer: _check_created(world, answer, already=1))
    )
    assert {"PutItem", "TransactWriteItems"} <= operations(lost)
    assert any(w.table == "partnerapp-partners" and w.operation == "PutItem" for w in lost)


def test_a_create_whose_transaction_never_answers_is_still_one_license(environment: None) -> None:
    # Given every attempt of the license's transaction applied (the first) or answered as
    # applied (its retries, by their token), and every answer lost: the SDK gives up
    with fresh_world() as world:
        every_answer = LostResponses(lambda _n, operation, _a: operation == "TransactWriteItems", True)
        with every_answer:
            answer = _create(world)
        assert [w.attempt for w in every_answer.dropped] == [1, 2, 3], every_answer.writes
        # Then the license that is there is this request's: created, once, with its emails
        _check_created(world, answer)


def _create_with_key(world: World) -> Any:
    headers = {"Idempotency-Key": "lost-answers-1"}
    first = world.api.post(CREATE, token=world.partner.token, json_body=license_body(), headers=headers)
    return first


def _check_keyed(world: World, first: Any) -> None:
    assert first.status == 201, first.body
    headers = {"Idempotency-Key": "lost-answers-1"}
    replay = world.api.post(CREATE, token=world.partner.token, json_body=license_body(), headers=headers)
    assert replay.status == 201 and replay.json() == first.json()
    assert replay.header("Idempotent-Replayed") == "true"
    assert [i["license"] for i in listed(world)] == [first.json()["license"]]


def test_a_create_with_an_idempotency_key_survives_lost_answers(environment: None) -> None:
    lost = each_write_lost(Path(lambda _: None, _create_with_key, _check_keyed))
    assert any(w.table == "partnerapp-idempotency" for w in lost)  # the key's record too


# --- change ------------------------------------------------------------------------------


def _made_license(world: World) -> None:
    world.made["item"] = new_license(world.api, world.partner, payment_origin="client")


def _change(world: World) -> Any:
    path = f"{LICENSES}/livechat/{world.made['item']['license']}"
    body = {"client_name": "Acme Holdings"}
    return world.api.request("PUT", path, token=world.partner.token, json_body=body)


def _check_changed(world: World, answer: Any) -> None:
    assert answer.status == 204, answer.body
    details = license_details(world.api, world.partner, world.made["item"])
    assert details["client_name"] == "Acme Holdings"
    actions = history(world, world.made["item"]["license"])
    assert len(actions) == 2 and actions.count("created") == 1  # one entry for the change


def test_a_change_survives_lost_answers(environment: None) -> None:
    assert "TransactWriteItems" in operations(each_write_lost(Path(_made_license, _change, _check_changed)))


def _invite(world: World) -> Any:
    path = f"{LICENSES}/livechat/{world.made['item']['license']}/operators"
    body = {"operators": [{"email": ANN, "role": "agent"}]}
    return world.api.post(path, token=world.partner.token, json_body=body)


def _check_invited(world: World, answer: Any) -> None:
    assert answer.status == 200, answer.body
    [invited] = answer.json()["result"]
    assert (invited["operator"], invited["status_code"]) == (ANN, 200)
    run_sweep()
    run_sweep()
    assert recipients().count(ANN) == 1


def _partner_managed_license(world: World) -> None:
    world.made["item"] = new_license(world.api, world.partner)


def test_inviting_people_survives_lost_answers(environment: None) -> None:
    each_write_lost(Path(_partner_managed_license, _invite, _check_invited))


# --- sending -----------------------------------------------------------------------------


def _license_with_invitations(world: World) -> None:
    body = license_body(operators=[{"email": ANN, "role": "agent"}, {"email": BOB, "role": "agent"}])
    answer = world.api.post(CREATE, token=world.partner.token, json_body=body)
    assert answer.status == 201
    world.made["item"] = answer.json()


def _sweep(world: World) -> Any:
    return run_sweep()


def _check_sent(world: World, report: Any) -> None:
    run_sweep()  # nothing left over, nothing sent again
    assert recipients() == sorted([ANN, BOB, OWNER])
    statuses = [a["invitation_status"] for a in license_details(world.api, world.partner, world.made["item"])[
        "invited_agents"
    ]]  # fmt: skip
    assert statuses == ["sent", "sent"]  # none stuck in the outbox


def test_sending_invitations_survives_lost_answers(environment: None) -> None:
    lost = each_write_lost(Path(_license_with_invitations, _sweep, _check_sent))
    assert operations(lost) == {"UpdateItem"}  # claim and mark sent, for each invitation


# --- acceptance --------------------------------------------------------------------------


def _invited_and_sent(world: World) -> None:
    _license_with_invitations(world)
    run_sweep()
    [world.made["token"]] = accept_tokens(ANN)


def _accept(world: World) -> Any:
    form = urlencode({"token": world.made["token"]}).encode()
    headers = {"content-type": "application/x-www-form-urlencoded"}
    return world.api.post("/web/invitations/accept", body=form, headers=headers)


def _check_accepted(world: World, answer: Any) -> None:
    assert answer.status == 200, answer.body
    details = license_details(world.api, world.partner, world.made["item"])
    by_email = {a["email"]: a["invitation_status"] for a in details["invited_agents"]}
    assert by_email == {ANN: "accepted", BOB: "sent"} and details["seats_used"] == 1
    assert history(world, world.made["item"]["license"]).count("invitation_accepted") == 1


def test_accepting_an_invitation_survives_lost_answers(environment: None) -> None:
    each_write_lost(Path(_invited_and_sent, _accept, _check_accepted))


# --- sign-in -----------------------------------------------------------------------------


def _ask_and_open(world: World) -> Any:
    from tests.site.conftest import WebClient, link_token, newest_link

    web = WebClient()
    asked = web.post_form("/web/sign-in", {"email": LOGIN})
    opened = web.post_form("/web/sign-in/confirm", {"token": link_token(newest_link(LOGIN))})
    return asked, opened, web.get("/web/session").json()


def _check_signed_in(world: World, outcome: Any) -> None:
    asked, opened, session = outcome
    assert asked.status == 303 and opened.status == 303
    assert session["signed_in"] is True  # the link worked once, for the one who opened it
    assert recipients() == [LOGIN]  # one link sent


def test_signing_in_survives_lost_answers(environment: None) -> None:
    lost = each_write_lost(Path(lambda _: None, _ask_and_open, _check_signed_in))
    assert {"PutItem", "UpdateItem"} <= operations(lost)  # link, session; rate and redemption


# --- lifecycle ---------------------------------------------------------------------------


def _trial_near_its_end(world: World) -> None:
    world.made["item"] = new_license(world.api, world.partner, payment_origin="client")
    world.clock.advance(days=11, hours=1)


def _lifecycle(world: World) -> Any:
    return run_function("LifecycleFunction")


def _check_reminded(world: World, report: Any) -> None:
    send_emails(world.clock)
    send_emails(world.clock)
    reminders = [
        to
        for e in sent_emails()
        if "trial ends on" in e["subject"] or "Trial ending" in e["subject"]
        for to in e["to"]
    ]
    assert sorted(reminders) == sorted([LOGIN, OWNER])  # one each
    assert history(world, world.made["item"]["license"]).count("trial_expiring") == 1


def test_the_lifecycle_job_survives_lost_answers(environment: None) -> None:
    each_write_lost(Path(_trial_near_its_end, _lifecycle, _check_reminded))


# --- billing events ----------------------------------------------------------------------


def _subscribe(world: World) -> Any:
    at = world.clock()
    event = billing_event("evt_lost_1", "subscription.created", at, license=world.made["item"]["license"])
    return post_billing_event(world.api, event, at)


def _check_converted(world: World, answer: Any) -> None:
    assert answer.status == 200 and answer.json()["result"] == "applied", answer.body
    assert license_details(world.api, world.partner, world.made["item"])["status"] == "paid"
    assert history(world, world.made["item"]["license"]).count("converted") == 1


def test_a_billing_event_survives_lost_answers(environment: None) -> None:
    each_write_lost(Path(_made_license, _subscribe, _check_converted))


# --- webhooks ----------------------------------------------------------------------------

WEBHOOKS = "/v2/partners/webhooks"


def _register(world: World) -> Any:
    body = {"url": world.made["receiver"].url, "events": ["license.created"]}
    return world.api.post(WEBHOOKS, token=world.partner.token, json_body=body)


def _check_registered(world: World, answer: Any) -> None:
    assert answer.status == 201, answer.body
    hooks = world.api.get(WEBHOOKS, token=world.partner.token).json()["webhooks"]
    assert [h["id"] for h in hooks] == [answer.json()["id"]]


def test_registering_a_webhook_survives_lost_answers(environment: None, receiver: WebhookReceiver) -> None:
    def setup(world: World) -> None:
        world.made["receiver"] = receiver

    each_write_lost(Path(setup, _register, _check_registered))


def test_delivering_webhooks_survives_lost_answers(environment: None, receiver: WebhookReceiver) -> None:
    def setup(world: World) -> None:
        receiver.received.clear()
        world.made["receiver"] = receiver
        world.made["hook"] = _register(world).json()
        world.made["item"] = new_license(world.api, world.partner)

    def deliver(world: World) -> Any:
        return run_function("WebhooksFunction")

    def check(world: World, report: Any) -> None:
        run_function("WebhooksFunction")  # whatever is left over goes now, nothing twice
        assert [r.json()["type"] for r in receiver.received] == ["license.created"]
        log = world.api.get(f"{WEBHOOKS}/{world.made['hook']['id']}/deliveries", token=world.partner.token)
        assert [d["status"] for d in log.json()["deliveries"]] == ["delivered"]

    each_write_lost(Path(setup, deliver, check))


def test_deleting_a_webhook_survives_lost_answers(environment: None, receiver: WebhookReceiver) -> None:
    def setup(world: World) -> None:
        world.made["receiver"] = receiver
        world.made["hook"] = _register(world).json()

    def delete(world: World) -> Any:
        return world.api.delete(f"{WEBHOOKS}/{world.made['hook']['id']}", token=world.partner.token)

    def check(world: World, answer: Any) -> None:
        assert answer.status == 204, answer.body  # not a 404 for the endpoint it deleted
        assert world.api.get(WEBHOOKS, token=world.partner.token).json()["webhooks"] == []

    each_write_lost(Path(setup, delete, check))


# --- organizations and partners ----------------------------------------------------------


def _organization(world: World) -> Any:
    body = {"organization_name": "Acme Group", "client_name": "Acme Owner", "client_email": OWNER}
    return world.api.post("/v2/partners/solutions/organizations", token=world.partner.token, json_body=body)


def _check_organization(world: World, answer: Any) -> None:
    assert answer.status == 201, answer.body
    item = new_license(world.api, world.partner)  # the client's license joins it
    assert license_details(world.api, world.partner, item)["organization_id"] == answer.json()["id"]


def test_creating_an_organization_survives_lost_answers(environment: None) -> None:
    each_write_lost(Path(lambda _: None, _organization, _check_organization))


def test_a_new_partner_and_token_survive_lost_answers(environment: None) -> None:
    def act(world: World) -> Any:
        return make_partner("second@partner.example", "Agency Two")

    def check(world: World, account: Any) -> None:
        assert world.api.get("/v2/partners", token=account.token).status == 200

    lost = each_write_lost(Path(lambda _: None, act, check))
    # The request token keeps the transactions from failing; the token number's counter (an
    # UpdateItem ADD) only skips a number when it is repeated.
    assert operations(lost) == {"TransactWriteItems", "UpdateItem"}


def _second_token(world: World) -> None:
    made = world.api.post("/v2/partners/tokens", token=world.partner.token, json_body={"label": "second"})
    assert made.status == 201, made.body
    world.made["second"] = made.json()


def test_a_profile_change_survives_lost_answers(environment: None) -> None:
    # One transaction: the profile, its summary schedule and every token's copy of it
    profile = {"first_name": "Jane", "last_name": "Doe", "contact_name": "Jane Doe",
               "contact_email": "jane@partner.example", "send_monthly_summary": True}  # fmt: skip

    def act(world: World) -> Any:
        return world.api.request("PUT", "/v2/partners/profile", token=world.partner.token, json_body=profile)

    def check(world: World, answer: Any) -> None:
        assert answer.status == 204, answer.body  # not a 409 from its own first attempt
        for token in (world.partner.token, world.made["second"]["token"]):
            shown = world.api.get("/v2/partners", token=token).json()
            assert (shown["contact_name"], shown["send_monthly_summary"]) == ("Jane Doe", True)

    lost = each_write_lost(Path(_second_token, act, check))
    assert "TransactWriteItems" in operations(lost)


def test_revoking_a_token_survives_lost_answers(environment: None) -> None:
    def act(world: World) -> Any:
        return world.api.delete(
            f"/v2/partners/tokens/{world.made['second']['id']}", token=world.partner.token
        )

    def check(world: World, answer: Any) -> None:
        assert answer.status == 204, answer.body  # not a 404 for the token it revoked
        assert world.api.get("/v2/partners", token=world.made["second"]["token"]).status == 401
        labels = [
            t["label"]
            for t in world.api.get("/v2/partners/tokens", token=world.partner.token).json()["result"]
        ]
        assert labels == ["tests"]
        # its label is free again, and the profile counts one token less
        again = world.api.post(
            "/v2/partners/tokens", token=world.partner.token, json_body={"label": "second"}
        )
        assert again.status == 201, again.body

    lost = each_write_lost(Path(_second_token, act, check))
    assert "TransactWriteItems" in operations(lost)


# --- subscriptions, offers, resends, SES feedback ----------------------------------------


def test_starting_a_subscription_survives_lost_answers(environment: None) -> None:
    def act(world: World) -> Any:
        path = f"{LICENSES}/livechat/{world.made['item']['license']}/subscription"
        body = {"token": "tok_visa", "plan": "starter", "billing_cycle": "monthly", "seats": 2}
        return world.api.post(path, token=world.partner.token, json_body=body)

    def check(world: World, answer: Any) -> None:
        assert answer.status == 201, answer.body  # never a false 409
        details = license_details(world.api, world.partner, world.made["item"])
        assert details["status"] == "paid"
        assert history(world, world.made["item"]["license"]).count("converted") == 1

    each_write_lost(Path(_partner_managed_license, act, check))


def test_extending_a_trial_survives_lost_answers(environment: None) -> None:
    def act(world: World) -> Any:
        path = f"{LICENSES}/livechat/{world.made['item']['license']}/offer"
        return world.api.post(path, token=world.partner.token, json_body={"extend_trial_days": 3})

    def check(world: World, answer: Any) -> None:
        assert answer.status == 200, answer.body
        actions = history(world, world.made["item"]["license"])
        assert actions.count("trial_extended") == 1  # applied once: one entry, three days
        after = license_details(world.api, world.partner, world.made["item"])["end_timestamp"]
        assert after > world.made["item"]["end_timestamp"]

    each_write_lost(Path(_partner_managed_license, act, check))


def test_the_last_resend_an_hour_allows_survives_lost_answers(environment: None) -> None:
    """The resend counters' transaction recognises its own retry: a lost answer of the third
    resend of the hour is neither counted twice nor refused by its own count."""
    from partnerapp.store.resend_limits import RESENDS_PER_PERSON_HOUR

    def resend(world: World) -> Any:
        path = f"{LICENSES}/livechat/{world.made['item']['license']}/operators/{ANN}/resend"
        return world.api.post(path, token=world.partner.token)

    def setup(world: World) -> None:
        _license_with_invitations(world)
        assert [resend(world).status for _ in range(RESENDS_PER_PERSON_HOUR - 1)] == [200, 200]

    def check(world: World, answer: Any) -> None:
        assert answer.status == 200, answer.body
        assert resend(world).status == 429  # and that was the hour's last one

    lost = each_write_lost(Path(setup, resend, check))
    assert "TransactWriteItems" in operations(lost)


def test_resending_an_invitation_survives_lost_answers(environment: None) -> None:
    def setup(world: World) -> None:
        _license_with_invitations(world)
        run_sweep()

    def act(world: World) -> Any:
        path = f"{LICENSES}/livechat/{world.made['item']['license']}/operators/{ANN}/resend"
        answer = world.api.post(path, token=world.partner.token)
        run_sweep()
        return answer

    def check(world: World, answer: Any) -> None:
        assert answer.status == 200, answer.body
        run_sweep()
        assert recipients().count(ANN) == 2  # the first email and one resend, not two
        [_, newest] = accept_tokens(ANN)
        form = urlencode({"token": newest}).encode()
        headers = {"content-type": "application/x-www-form-urlencoded"}
        assert world.api.post("/web/invitations/accept", body=form, headers=headers).status == 200

    each_write_lost(Path(setup, act, check))


def test_a_bounce_report_survives_lost_answers(environment: None) -> None:
    from tests.integration.test_ses_feedback import ses_events_handler
    from tests.ses_events import ses_event, through_sns

    def setup(world: World) -> None:
        world.made["item"] = new_license(world.api, world.partner, data_center="eu")
        run_sweep()

    def act(world: World) -> Any:
        bounce = ses_event("Bounce", [OWNER], world.made["item"]["license"], 0)
        return ses_events_handler(through_sns(local_stack.DATA_REGIONS["eu-west3"], bounce))

    def check(world: World, report: Any) -> None:
        assert report == {"recorded": 1, "ignored": 0}
        details = license_details(world.api, world.partner, world.made["item"])
        assert details["client_invitation_status"] == "bounced"
        second = new_license(world.api, world.partner, product="chatbot", data_center="eu")
        assert run_sweep()["suppressed"] == 1  # the address stays suppressed
        assert license_details(world.api, world.partner, second)["client_invitation_status"] == "bounced"

    each_write_lost(Path(setup, act, check))
