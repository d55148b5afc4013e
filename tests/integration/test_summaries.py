"""The summaries the profile's opt-ins promise, with the clock moved and the lifecycle job
run at chosen times: one email per partner and period, figures as the API gives them, none
for a partner who opted out, a one-click unsubscribe link and headers that turn it off."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from tests.conftest import LICENSES, ApiClient, PartnerAccount, new_license, sent_emails
from tests.integration.test_earnings import accept, earn_a_quarter
from tests.lifecycle_support import FakeClock, billing_event, post_billing_event, run_function, send_emails
from tests.ses_events import ses_event, through_sns

PROFILE = {
    "first_name": "Joe",
    "last_name": "Doe",
    "contact_name": "Jane Doe",
    "contact_email": "reports@agency.example",
}
UNSUBSCRIBE = re.compile(r"Unsubscribe with one click: (\S+)")


def opt_in(
    api: ApiClient, partner: PartnerAccount, email: str = "reports@agency.example", **opt_ins: bool
) -> None:
    body = {**PROFILE, "contact_email": email, **opt_ins}
    assert api.request("PUT", "/v2/partners/profile", token=partner.token, json_body=body).status == 204


def summaries(to: str, subject_start: str) -> list[dict[str, Any]]:
    return [e for e in sent_emails() if to in e["to"] and e["subject"].startswith(subject_start)]


def figure(email: dict[str, Any], label: str) -> int:
    found = re.search(rf"- {re.escape(label)}: (\d+)", email["text"])
    assert found, email["text"]
    return int(found[1])


def listed(api: ApiClient, partner: PartnerAccount, path: str) -> list[dict[str, Any]]:
    body = api.get(path, token=partner.token).json()
    return body.get("result", body.get("results"))  # type: ignore[no-any-return]


def test_an_opted_in_partner_gets_one_weekly_summary_per_week_with_the_apis_figures(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a Monday, a partner opted into the weekly summary and another who opted out again
    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    opt_in(api, partner, send_reseller_weekly_summary=True)
    opt_in(api, other_partner, "rival-reports@agency.example", send_reseller_weekly_summary=True)
    opt_in(api, other_partner, "rival-reports@agency.example", send_reseller_weekly_summary=False)
    # And that week: three trials, an accepted invitation, one converted
    new_license(api, partner, operators=[{"email": "ann@a.example", "role": "agent"}])
    new_license(api, partner, client_email="b@b.example")
    eu = new_license(api, partner, client_email="c@c.example", payment_origin="client", data_center="eu")
    new_license(api, other_partner)
    send_emails(clock)
    accept(api, "ann@a.example")
    clock.now = datetime(2026, 1, 7, 12, 0, tzinfo=UTC)
    converted = billing_event("evt_w1", "subscription.created", clock(), license=eu["license"])
    assert post_billing_event(api, converted, clock()).status == 200

    # When the job runs after the week is over, and again
    clock.now = datetime(2026, 1, 12, 10, 0, tzinfo=UTC)
    run_function("LifecycleFunction")
    clock.advance(minutes=30)
    run_function("LifecycleFunction")

    # Then one weekly summary, with what the API says of that week
    [weekly] = summaries("reports@agency.example", "Your weekly reseller summary")
    assert weekly["subject"] == "Your weekly reseller summary, week 2026-W02"
    week = listed(api, partner, f"{LICENSES}?date_from=2026-01-05&date_to=2026-01-11&limit=100")
    assert figure(weekly, "Trials started") == len(week) == 3
    trials = listed(api, partner, f"{LICENSES}/trial?limit=15")
    paid = listed(api, partner, f"{LICENSES}/paid?limit=15")
    assert figure(weekly, "Conversions") == len(paid) == 1
    seats = sum(
        api.get(f"{LICENSES}/livechat/{item['license_id']}", token=partner.token).json()["seats_used"]
        for item in trials + paid
    )
    assert figure(weekly, "Seats used (trial and paid licenses)") == seats == 1
    assert figure(weekly, "Trials ending in the next 7 days") == len(trials) == 2
    assert "- 2026-01-19: 2 LiveChat" in weekly["text"]  # both trials end that day
    assert "Acme" not in weekly["text"]  # ids only: no customer's name leaves its region
    # And the partner who opted out gets none
    assert summaries("rival-reports@agency.example", "Your weekly") == []

    # When the next week is over: one more, for that week
    clock.now = datetime(2026, 1, 19, 8, 0, tzinfo=UTC)
    run_function("LifecycleFunction")
    later = summaries("reports@agency.example", "Your weekly reseller summary")
    assert [e["subject"] for e in later] == [
        "Your weekly reseller summary, week 2026-W02",
        "Your weekly reseller summary, week 2026-W03",
    ]
    assert figure(later[-1], "Trials started") == 0


def test_the_monthly_summary_has_the_months_earnings_per_product_as_the_api(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    clock.now = datetime(2025, 1, 10, 8, 0, tzinfo=UTC)
    opt_in(api, partner, send_monthly_summary=True)
    earn_a_quarter(api, partner, clock)  # runs the job on Jan 10, Feb 10 and Mar 10
    run_function("LifecycleFunction")  # Mar 20: nothing new
    monthly = summaries("reports@agency.example", "Your monthly summary")
    assert [e["subject"] for e in monthly] == [
        "Your monthly summary, 2025-01",
        "Your monthly summary, 2025-02",
    ]
    for email, month, last_day in ((monthly[0], "2025-01", 31), (monthly[1], "2025-02", 28)):
        api_month = api.get(
            f"/v2/partners/earnings/by-month?date_from={month}-01&date_to={month}-{last_day}",
            token=partner.token,
        ).json()["totals"]
        money = {k: f"${v // 100:,}.{v % 100:02d}" for k, v in api_month.items()}
        assert (
            f"Your earnings in {month}: {money['total_cents']}\n"
            f"(commission {money['commission_cents']}, saved on invoices {money['savings_cents']})"
        ) in email["text"]
        # every license here is LiveChat: its line is the month's whole
        assert (
            f"- LiveChat: commission {money['commission_cents']}, saved {money['savings_cents']}"
            in email["text"]
        )
    assert "$34.60" in monthly[1]["text"]  # Feb: commission $10.00 + saved $24.60 (test_earnings)


def test_the_unsubscribe_link_and_headers_turn_the_opt_in_off(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    opt_in(api, partner, send_reseller_weekly_summary=True, send_monthly_summary=True)
    clock.now = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    run_function("LifecycleFunction")
    [weekly] = summaries("reports@agency.example", "Your weekly")
    link = UNSUBSCRIBE.search(weekly["text"])[1]  # type: ignore[index]
    assert weekly["headers"]["List-Unsubscribe"] == f"<{link}>"
    assert weekly["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert weekly["tags"] == {"summary": "weekly"}
    path = f"{urlsplit(link).path}?{urlsplit(link).query}"
    token = urlsplit(link).query.removeprefix("token=")

    # Opening the link shows one button and changes nothing (mail scanners open links)
    shown = api.get(path)
    assert shown.status == 200 and b">Unsubscribe</button>" in shown.body
    assert api.get("/v2/partners", token=partner.token).json()["send_reseller_weekly_summary"] is True
    # A link altered to name another summary does nothing
    forged = token.replace(".weekly.", ".monthly.")
    assert api.get(f"/web/unsubscribe?{urlencode({'token': forged})}").status == 400
    # The button turns the weekly summary off, and only it
    form = {"content-type": "application/x-www-form-urlencoded"}
    done = api.post("/web/unsubscribe", body=urlencode({"token": token}).encode(), headers=form)
    assert done.status == 200 and b"You are unsubscribed" in done.body
    shown_profile = api.get("/v2/partners", token=partner.token).json()
    assert (shown_profile["send_reseller_weekly_summary"], shown_profile["send_monthly_summary"]) == (
        False,
        True,
    )
    # Used again: nothing more changes
    assert api.post("/web/unsubscribe", body=urlencode({"token": token}).encode(), headers=form).status == 200
    # And no weekly summary comes any more
    clock.now = datetime(2026, 1, 19, 9, 0, tzinfo=UTC)
    run_function("LifecycleFunction")
    assert len(summaries("reports@agency.example", "Your weekly")) == 1
    # After 60 days the link no longer works
    clock.now = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert api.get(path).status == 400


def test_a_mail_clients_one_click_post_unsubscribes_without_a_session_or_origin(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    clock.now = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
    opt_in(api, partner, send_monthly_summary=True)
    clock.now = datetime(2026, 2, 1, 0, 15, tzinfo=UTC)
    run_function("LifecycleFunction")
    [monthly] = summaries("reports@agency.example", "Your monthly summary, 2026-01")
    link = monthly["headers"]["List-Unsubscribe"].strip("<>")
    # RFC 8058: POST to the header's URL with this body
    one_click = api.post(
        f"{urlsplit(link).path}?{urlsplit(link).query}",
        body=b"List-Unsubscribe=One-Click",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status == 200
    assert api.get("/v2/partners", token=partner.token).json()["send_monthly_summary"] is False


def test_notifications_tell_of_conversions_and_bounces_once(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # The SES feedback handler keeps the real clock: the fake one starts at real time here
    opt_in(api, partner, send_notifications=True)
    bounced = new_license(api, partner, client_email="gone@nowhere.example", data_center="eu")
    converted = new_license(api, partner, client_email="buyer@b.example")
    send_emails(clock)
    from partnerapp_infra.aws import template
    from partnerapp_infra.local.lambda_context import LocalLambdaContext

    feedback = template.resolve_handler(template.function_handler_path("SesEventsFunction"))
    bounce = ses_event("Bounce", ["gone@nowhere.example"], int(bounced["license"]), 0)
    assert feedback(through_sns("eu-central-1", bounce), LocalLambdaContext())["recorded"] == 1
    event = billing_event("evt_n1", "subscription.created", clock(), license=converted["license"])
    assert post_billing_event(api, event, clock()).status == 200

    # Two runs per hour over the next two hours (the events are in one of the two hours)
    start = clock().replace(minute=0, second=0, microsecond=0)
    for at in (timedelta(hours=1, minutes=5), timedelta(hours=1, minutes=40), timedelta(hours=2, minutes=5)):
        clock.now = start + at
        run_function("LifecycleFunction")
    notices = summaries("reports@agency.example", "Your licenses:")
    text = "\n".join(e["text"] for e in notices)
    assert text.count(f"License {converted['license']} (LiveChat): the trial converted") == 1
    assert text.count(f"License {bounced['license']} (LiveChat): an invitation (owner) bounced") == 1
    # A quiet hour sends nothing
    clock.now = start + timedelta(hours=5, minutes=5)
    run_function("LifecycleFunction")
    assert len(summaries("reports@agency.example", "Your licenses:")) == len(notices)


@pytest.mark.parametrize("with_token", [True, False])
def test_a_lost_answer_to_the_queuing_write_still_sends_one_summary(
    api: ApiClient,
    partner: PartnerAccount,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    with_token: bool,
) -> None:
    """A transaction whose answer was lost is repeated: with its ClientRequestToken (the
    SDK's retry) DynamoDB answers it as done; without (a repeat past the token's 10 minutes)
    its conditions fail, and it finds the email it queued and knows that was its own attempt."""
    import botocore.client

    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    opt_in(api, partner, send_reseller_weekly_summary=True)
    original = botocore.client.BaseClient._make_api_call

    def answer_lost_once(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation == "TransactWriteItems" and "SUMMARY#" in str(params):
            original(self, operation, params)  # applied; its answer never arrives
            if not with_token:
                params = {k: v for k, v in params.items() if k != "ClientRequestToken"}
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", answer_lost_once)
    clock.now = datetime(2026, 1, 12, 9, 0, tzinfo=UTC)
    run_function("LifecycleFunction")
    run_function("LifecycleFunction")
    assert len(summaries("reports@agency.example", "Your weekly reseller summary")) == 1
