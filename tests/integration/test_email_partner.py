"""A customer's emails name the partner who set the trial up, and replies reach that partner
(issue 25): kept on the license when it is made, so each data region's mailer has it."""

from __future__ import annotations

from tests.conftest import ApiClient, PartnerAccount, new_license, run_sweep, sent_emails


def test_the_invitations_name_the_partner_and_take_replies_to_them(
    api: ApiClient, partner: PartnerAccount
) -> None:
    # Given the partner "Agency One" (contact agency@partner.example) sets up an EU trial
    new_license(api, partner, data_center="eu", operators=[{"email": "ann@acme.example", "role": "agent"}])
    # When the EU region's mailer sends its invitations
    run_sweep()
    emails = {e["to"][0]: e for e in sent_emails()}
    customer, operator = emails["owner@acme.example"], emails["ann@acme.example"]
    # Then each names the partner, and a reply goes to the partner's contact address (as the
    # dev outbox, whose parser these emails come through, shows it)
    assert "Agency One set up your LiveChat trial for Acme Corporation." in customer["text"]
    assert "Agency One manages the subscription for you." in customer["text"]
    assert "Agency One invited you to join Acme Corporation on LiveChat as agent." in operator["text"]
    for email in (customer, operator):
        assert email["headers"]["Reply-To"] == "agency@partner.example"
        assert email["headers"]["From"] == "invitations@partnerapp.example"
