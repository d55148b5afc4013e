"""A regional stack's functions serve their own data region only: the sweep and the stream
mailer never read or write another region's table (its IAM role could not either)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from partnerapp.store import clients
from partnerapp_infra.local import emulator as local_stack
from tests.conftest import (
    ApiClient,
    PartnerAccount,
    new_license,
    reset_process_state,
    run_sweep,
    sent_emails,
)

EU, US = local_stack.DATA_REGIONS["eu-west3"], local_stack.DATA_REGIONS["us-south1"]


@pytest.fixture
def eu_stack(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The EU stack's functions (SERVED_DATA_CENTERS=eu-west3), with every DynamoDB call
    made in the US region recorded (the in-process home API's too, until a test clears it)."""
    monkeypatch.setenv("SERVED_DATA_CENTERS", "eu-west3")
    reset_process_state()
    us_calls: list[str] = []
    clients.dynamodb(US).meta.events.register(
        "before-call.dynamodb", lambda model, **_: us_calls.append(model.name)
    )
    yield us_calls
    monkeypatch.delenv("SERVED_DATA_CENTERS")
    reset_process_state()


def test_the_eu_sweep_sends_eu_invitations_and_never_reads_the_us_table(
    api: ApiClient, partner: PartnerAccount, eu_stack: list[str]
) -> None:
    # Given one license in each data region (created through the home API)
    eu_license = new_license(api, partner, data_center="eu", client_email="eu@acme.example")
    new_license(api, partner, data_center="us", client_email="us@acme.example")
    eu_stack.clear()  # the home API wrote to the US region; from here on only the EU stack runs
    # When the EU stack's sweep runs
    report = run_sweep()
    # Then only the EU customer is written to, from the EU region, without a US call
    assert report["sent"] == 1
    assert [(e["to"], e["region"]) for e in sent_emails()] == [(["eu@acme.example"], EU)]
    assert eu_stack == []
    assert eu_license["data_center"] == "eu-west3"


def test_the_eu_stream_mailer_leaves_a_us_invitation_alone(
    api: ApiClient, partner: PartnerAccount, eu_stack: list[str]
) -> None:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.services.delivery import DeliveryReport, InvitationMailer
    from partnerapp.settings import get_settings

    us_license = new_license(api, partner, data_center="us")
    eu_stack.clear()
    report = DeliveryReport()
    InvitationMailer(get_settings()).deliver(int(us_license["license"]), 0, utc_now(), report)
    assert report.skipped == 1 and report.sent == 0
    assert eu_stack == [] and sent_emails() == []


def test_the_home_stack_serves_every_region_when_unset(api: ApiClient, partner: PartnerAccount) -> None:
    # Locally (and for the API) SERVED_DATA_CENTERS is every data region.
    new_license(api, partner, data_center="eu", client_email="eu@acme.example")
    new_license(api, partner, data_center="us", client_email="us@acme.example")
    assert run_sweep()["sent"] == 2
    assert sorted(e["region"] for e in sent_emails()) == sorted([EU, US])
