"""Bounces and complaints: SES reports them (configuration set -> SNS -> SesEventsFunction),
the invitation shows it, and the address is never written to again from its data region."""

from __future__ import annotations

import io
from typing import Any

import boto3
import pytest

from partnerapp.store import clients
from partnerapp_infra.aws import template
from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.lambda_context import LocalLambdaContext
from tests.conftest import (
    ApiClient,
    PartnerAccount,
    license_details,
    new_license,
    run_sweep,
    sent_emails,
)
from tests.ses_events import ses_event, through_sns

EU, US = local_stack.DATA_REGIONS["eu-west3"], local_stack.DATA_REGIONS["us-south1"]
LICENSES_TABLE = template.parameter_default("LicensesTableName")


def ses_events_handler(event: dict[str, Any]) -> dict[str, int]:
    handler = template.resolve_handler(template.function_handler_path("SesEventsFunction"))
    return handler(event, LocalLambdaContext())  # type: ignore[no-any-return]


def suppression_items(aws_region: str) -> list[dict[str, Any]]:
    # A test may scan the emulated table; the functions never do.
    items = boto3.client("dynamodb", region_name=aws_region).scan(TableName=LICENSES_TABLE)["Items"]
    return [i for i in items if i["pk"]["S"].startswith("SUPPRESSED#")]


def test_a_hard_bounce_marks_the_invitation_and_stops_further_sends(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given an EU customer's invitation that went out
    first = new_license(api, partner, data_center="eu")
    run_sweep()
    assert license_details(api, partner, first)["client_invitation_status"] == "sent"
    # When SES reports a hard bounce for it, from the EU region
    bounce = ses_event("Bounce", ["owner@acme.example"], first["license"], 0)
    assert ses_events_handler(through_sns(EU, bounce)) == {"recorded": 1, "ignored": 0}
    # Then the license shows it
    assert license_details(api, partner, first)["client_invitation_status"] == "bounced"
    # And the next license for that address creates the trial but sends nothing
    second = new_license(api, partner, product="chatbot", data_center="eu", client_email="Owner@Acme.example")
    report = run_sweep()
    assert report["suppressed"] == 1 and report["sent"] == 0
    assert license_details(api, partner, second)["client_invitation_status"] == "bounced"
    assert license_details(api, partner, second)["status"] == "trial"
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]  # the first email only


def test_the_suppression_list_stays_in_its_region_and_holds_no_address(
    api: ApiClient, partner: PartnerAccount
) -> None:
    created = new_license(api, partner, data_center="eu")
    run_sweep()
    ses_events_handler(through_sns(EU, ses_event("Bounce", ["owner@acme.example"], created["license"], 0)))
    (item,) = suppression_items(EU)
    assert "@" not in str(item) and "acme" not in str(item)  # a keyed hash, not the address
    assert item["outcome"] == {"S": "bounced"}
    assert suppression_items(US) == []
    # An EU bounce says nothing in the US: a US license for that address is still sent.
    new_license(api, partner, product="chatbot", data_center="us")
    assert run_sweep()["sent"] == 1


def test_a_complaint_outranks_a_bounce_and_is_kept(api: ApiClient, partner: PartnerAccount) -> None:
    created = new_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    run_sweep()
    license_id = created["license"]
    ses_events_handler(through_sns(US, ses_event("Complaint", ["Ann <ANN@acme.example>"], license_id, 1)))
    ses_events_handler(through_sns(US, ses_event("Bounce", ["ann@acme.example"], license_id, 1)))  # late
    shown = license_details(api, partner, created)
    assert shown["invited_agents"] == [
        {"email": "ann@acme.example", "role": "agent", "invitation_status": "complained"}
    ]
    assert shown["client_invitation_status"] == "sent"  # the customer's own email is untouched
    (item,) = suppression_items(US)
    assert item["outcome"] == {"S": "complained"}


def test_transient_bounces_and_deliveries_change_nothing(api: ApiClient, partner: PartnerAccount) -> None:
    created = new_license(api, partner)
    run_sweep()
    event = through_sns(
        US,
        ses_event("Bounce", ["owner@acme.example"], created["license"], 0, bounce_type="Transient"),
        ses_event("Delivery", ["owner@acme.example"], created["license"], 0),
    )
    assert ses_events_handler(event) == {"recorded": 0, "ignored": 2}
    assert license_details(api, partner, created)["client_invitation_status"] == "sent"
    assert suppression_items(US) == []


def test_a_bounce_of_an_email_that_is_no_invitation_still_suppresses_the_address(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # e.g. a sign-in link: no license tags, the event's region says where to suppress
    assert ses_events_handler(through_sns(US, ses_event("Bounce", ["owner@acme.example"]))) == {
        "recorded": 1,
        "ignored": 0,
    }
    created = new_license(api, partner)
    assert run_sweep()["suppressed"] == 1
    assert license_details(api, partner, created)["client_invitation_status"] == "bounced"


def test_a_regional_function_ignores_another_regions_events(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    created = new_license(api, partner, data_center="eu")
    run_sweep()
    # Given the US stack's function (it serves us-south1 only)
    monkeypatch.setenv("SERVED_DATA_CENTERS", "us-south1")
    from tests.conftest import reset_process_state

    reset_process_state()
    # When an EU event reaches it, it records nothing: neither region's data is touched
    event = through_sns(EU, ses_event("Bounce", ["owner@acme.example"], created["license"], 0))
    assert ses_events_handler(event) == {"recorded": 0, "ignored": 1}
    assert suppression_items(EU) == [] and suppression_items(US) == []
    monkeypatch.delenv("SERVED_DATA_CENTERS")
    reset_process_state()
    assert license_details(api, partner, created)["client_invitation_status"] == "sent"


def test_invitations_are_sent_with_the_configuration_set_and_their_tags(
    api: ApiClient, partner: PartnerAccount
) -> None:
    sent: list[dict[str, Any]] = []
    client = clients.sesv2(EU)
    client.meta.events.register(
        "provide-client-params.sesv2.SendEmail", lambda params, **_: sent.append(params)
    )
    created = new_license(api, partner, data_center="eu")
    run_sweep()
    (request,) = sent
    assert request["ConfigurationSetName"] == local_stack.CONFIGURATION_SET
    assert {t["Name"]: t["Value"] for t in request["EmailTags"]} == {
        "license_id": str(created["license"]),
        "invitation_seq": "0",
    }


def test_feedback_logs_carry_no_address(
    api: ApiClient, partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    created = new_license(api, partner)
    run_sweep()
    ses_events_handler(through_sns(US, ses_event("Complaint", ["owner@acme.example"], created["license"], 0)))
    new_license(api, partner, product="chatbot")
    run_sweep()
    captured = json_logs.getvalue()
    assert "recipient feedback recorded" in captured and "address suppressed" in captured
    assert "owner@acme.example" not in captured
