"""One license's page through the handlers: what it shows, and each form on it (plain posts,
no JavaScript) changing the license through the same rules as the API, or saying why not."""

from __future__ import annotations

import re
from datetime import timedelta

from partnerapp.domain.timestamps import from_wire, to_wire
from tests.conftest import ApiClient, PartnerAccount, run_sweep, sent_emails
from tests.site.conftest import Answer, MovableClock, WebClient
from tests.site.license_support import create_license, read_history, read_license, subscribe


def _url(license_id: int, product: str = "livechat") -> str:
    return f"/web/licenses/{product}/{license_id}"


def _version(page: str) -> str:
    found = re.search(r'name="version" value="(\d+)"', page)
    assert found, "the page has no form"
    return found[1]


def _post(web: WebClient, license_id: int, action: str, product: str = "livechat", **fields: str) -> Answer:
    """Post a form of the license page as the browser would: with the version it showed."""
    version = _version(web.get(_url(license_id, product)).text)
    return web.post_form(f"{_url(license_id, product)}/{action}", {"version": version, **fields})


def _not_allowed(page: str, heading_id: str) -> str:
    """The reason the page gives under a section (or sub-section) where an action is refused."""
    section = page[page.index(f'id="{heading_id}"') :]
    found = re.search(
        r"<p class=\"not-allowed\" data-not-allowed><strong>Not available:</strong> ([^<]+)</p>", section
    )
    assert found, f"no reason under #{heading_id}"
    return found[1].replace("&#39;", "'")


def test_the_page_shows_the_license_its_invitations_and_history(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(
        api,
        partner,
        client_name="Acme Corporation",
        purchase_order="PO-77",
        operators=[{"email": "ann@acme.example", "role": "administrator"}],
    )
    stored = read_license(api, partner, "livechat", number)
    page = signed_in.get(_url(number))
    assert page.status == 200
    assert "<h1>LiveChat license for Acme Corporation</h1>" in page.text
    assert f"<strong data-license-id>{number}</strong>" in page.text
    assert f"<dd data-trial-ends>{stored['end_timestamp']} UTC</dd>" in page.text
    assert "<dt>Purchase order</dt><dd>PO-77</dd>" in page.text
    assert "20% discount on every invoice" in page.text
    assert '<tr><th scope="row">ann@acme.example</th><td>administrator</td><td>pending</td>' in page.text
    assert '<tr data-action="created"><td>' in page.text and "Trial started, managed by you" in page.text
    # Every action of a partner-managed LiveChat trial is on offer
    for action in ("operators", "offer", "subscription", "transfer"):
        assert f'action="{_url(number)}/{action}"' in page.text, action
    assert "data-not-allowed" not in page.text


def test_another_partners_license_is_not_found_and_signed_out_asks_to_sign_in(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    theirs = create_license(api, other_partner, client_email="owner@rival.example")
    before = read_license(api, other_partner, "livechat", theirs)
    assert signed_in.get(_url(theirs)).status == 404
    assert signed_in.get(_url(theirs, "chatbot")).status == 404
    assert signed_in.get("/web/licenses/skype/1").status == 404
    # Its forms are as unknown: a post changes nothing
    refused = signed_in.post_form(f"{_url(theirs)}/offer", {"version": "1", "extend_trial_days": "5"})
    assert refused.status == 404 and "License not found" in refused.text
    assert read_license(api, other_partner, "livechat", theirs) == before
    # Signed out, the page and its forms ask to sign in
    mine = create_license(api, partner)
    stranger = WebClient()
    assert stranger.get(_url(mine)).status == 401
    answer = stranger.post_form(f"{_url(mine)}/transfer", {"version": "1", "confirm": "yes"})
    assert answer.status == 401 and 'href="/sign-in.html"' in answer.text
    assert read_license(api, partner, "livechat", mine)["payment_origin"] == "partner"
    # A post from another site is refused before anything else
    cross_site = WebClient(origin="https://evil.example", cookies=dict(signed_in.cookies))
    assert cross_site.post_form(f"{_url(mine)}/transfer", {"version": "1", "confirm": "yes"}).status == 403
    assert read_license(api, partner, "livechat", mine)["payment_origin"] == "partner"


def test_extending_the_trial_shows_the_new_end_and_the_history_entry(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)
    before = from_wire(read_license(api, partner, "livechat", number)["end_timestamp"])
    answer = _post(signed_in, number, "offer", extend_trial_days="10")
    assert answer.status == 303
    assert answer.header("location") == f"{_url(number)}?done=trial_extended"
    new_end = to_wire(before + timedelta(days=10))
    assert read_license(api, partner, "livechat", number)["end_timestamp"] == new_end
    page = signed_in.get(answer.header("location") or "")
    assert f"Trial extended: it now ends {new_end} UTC." in page.text
    assert f"<dd data-trial-ends>{new_end} UTC</dd>" in page.text
    assert f"Trial extended by 10 days: ends {new_end} (was {to_wire(before)})" in page.text
    assert [e["action"] for e in read_history(api, partner, "livechat", number)][-1] == "trial_extended"


def test_the_extra_discount_is_saved_on_top_of_the_partner_discount(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)
    answer = _post(signed_in, number, "offer", extra_discount_percent="10")
    assert answer.status == 303 and answer.header("location") == f"{_url(number)}?done=offer_changed"
    stored = read_license(api, partner, "livechat", number)
    assert (stored["extra_discount_percent"], stored["discount_percent"]) == (10, 30)
    page = signed_in.get(answer.header("location") or "").text
    assert "your discount on this license is now 30%." in page
    assert 'name="extra_discount_percent" value="10"' in page and "Extra discount 0% → 10%" in page


def test_bad_input_is_shown_next_to_its_field_and_changes_nothing(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)
    before = read_license(api, partner, "livechat", number)
    for typed, message in (
        ("ten", "Enter a whole number from 1 to "),
        ("0", "Enter a whole number from 1 to "),
        ("", "Enter a number of days."),
    ):
        answer = _post(signed_in, number, "offer", extend_trial_days=typed)
        assert answer.status == 400, typed
        text = answer.text
        assert re.search(
            r'id="extend_trial_days-error"><span class="visually-hidden">Error:</span> [^<]*'
            + re.escape(message),
            text,
        ), typed
        assert '<a href="#extend_trial_days">Extend the trial by: ' in text
        assert f'name="extend_trial_days" value="{typed}"' in text
        assert 'aria-invalid="true" aria-describedby="extend_trial_days-error extend_trial_days-hint"' in text
    bad_discount = _post(signed_in, number, "offer", extra_discount_percent="31")
    assert bad_discount.status == 400 and 'id="extra_discount_percent-error"' in bad_discount.text
    assert "Enter a whole number from 0 to 30." in bad_discount.text
    assert read_license(api, partner, "livechat", number) == before
    assert len(read_history(api, partner, "livechat", number)) == 1


def test_the_sixty_day_cap_is_explained_and_enforced(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)  # a 14-day trial: 46 more days allowed
    page = signed_in.get(_url(number)).text
    assert "up to 46 more days" in page and 'max="46"' in page
    assert _post(signed_in, number, "offer", extend_trial_days="40").status == 303
    assert "up to 6 more days" in signed_in.get(_url(number)).text
    too_long = _post(signed_in, number, "offer", extend_trial_days="7")
    assert too_long.status == 403
    assert "A trial may last at most 60 days from creation; 6 more days allowed." in too_long.text
    assert _post(signed_in, number, "offer", extend_trial_days="6").status == 303
    page = signed_in.get(_url(number)).text
    assert (
        _not_allowed(page, "trial") == "A trial may last at most 60 days from creation; 0 more days allowed."
    )
    end = read_license(api, partner, "livechat", number)["end_timestamp"]
    again = signed_in.post_form(
        f"{_url(number)}/offer", {"version": _version(page), "extend_trial_days": "1"}
    )
    assert again.status == 403 and "0 more days allowed" in again.text
    assert read_license(api, partner, "livechat", number)["end_timestamp"] == end


def test_a_customer_managed_license_gives_the_reasons_and_refuses_the_forms(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner, payment_origin="client")
    page = signed_in.get(_url(number)).text
    assert _not_allowed(page, "invite") == "Only a partner-managed subscription can invite additional users."
    offer = "Only partner-managed LiveChat licenses can have their offer customized."
    assert _not_allowed(page, "trial") == offer and _not_allowed(page, "discount") == offer
    assert _not_allowed(page, "subscription") == "The customer manages this subscription."
    assert _not_allowed(page, "transfer") == "The customer manages this subscription."
    assert "data-subscription" not in page and "20% recurring commission" in page
    # Posting the forms anyway (as of the page's version): the reason comes back, nothing changes
    before = read_license(api, partner, "livechat", number)

    def post(action: str, **fields: str) -> Answer:
        return signed_in.post_form(f"{_url(number)}/{action}", {"version": "1", **fields})

    refused = post("offer", extend_trial_days="5")
    assert refused.status == 403 and f'<a href="#trial">Trial extension: {offer}</a>' in refused.text
    invite = post("operators", **{"operators-0-email": "x@acme.example", "operators-0-role": "agent"})
    assert invite.status == 403 and "can invite additional users" in invite.text
    subscription = post("subscription", plan="team", billing_cycle="monthly", seats="2")
    assert subscription.status == 403
    assert read_license(api, partner, "livechat", number) == before


def test_chatbot_and_paid_licenses_say_why_they_cannot_be_extended(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    bot = create_license(api, partner, "chatbot", client_email="bot@acme.example")
    page = signed_in.get(_url(bot, "chatbot")).text
    assert _not_allowed(page, "invite") == "ChatBot licenses cannot invite additional users."
    assert "LiveChat licenses can have their offer customized" in _not_allowed(page, "trial")
    paid = create_license(api, partner, client_email="paid@acme.example")
    subscribe(api, partner, paid)
    page = signed_in.get(_url(paid)).text
    assert _not_allowed(page, "trial") == "Only a license in trial can have its trial extended."
    refused = _post(signed_in, paid, "offer", extend_trial_days="3")
    assert refused.status == 403 and "Only a license in trial can have its trial extended." in refused.text


def test_inviting_and_resending_from_the_page(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    # Bad rows come back marked, with what was typed, and nobody is invited
    bad = _post(
        signed_in,
        number,
        "operators",
        **{
            "operators-0-email": "bob@acme.example",
            "operators-0-role": "agent",
            "operators-1-email": "ann@acme.example",
            "operators-1-role": "agent",
        },
    )
    assert bad.status == 409
    assert re.search(
        r'id="operators-1-email-error"><span class="visually-hidden">Error:</span> Already invited', bad.text
    )
    assert 'value="bob@acme.example"' in bad.text
    invalid = _post(
        signed_in, number, "operators", **{"operators-0-email": "not-an-email", "operators-0-role": "agent"}
    )
    assert invalid.status == 400 and 'id="operators-0-email-error"' in invalid.text
    assert [a["email"] for a in read_license(api, partner, "livechat", number)["invited_agents"]] == [
        "ann@acme.example"
    ]
    # A good row invites the user
    good = _post(
        signed_in,
        number,
        "operators",
        **{"operators-0-email": "Bob@Acme.example", "operators-0-role": "administrator"},
    )
    assert good.status == 303 and (good.header("location") or "").endswith("?done=invited")
    agents = read_license(api, partner, "livechat", number)["invited_agents"]
    assert [(a["email"], a["role"]) for a in agents] == [
        ("ann@acme.example", "agent"),
        ("bob@acme.example", "administrator"),
    ]
    # And an invitation is sent again from its row
    run_sweep()
    resent = _post(signed_in, number, "operators/resend", email="ann@acme.example")
    assert resent.status == 303 and (resent.header("location") or "").endswith("?done=resent")
    run_sweep()
    assert len([e for e in sent_emails() if e["to"] == ["ann@acme.example"]]) == 2
    page = signed_in.get(_url(number)).text
    assert (
        "Invitation sent again to ann@acme.example" in page
        and "Invited bob@acme.example (administrator)" in page
    )


def test_the_subscription_is_created_changed_and_closed_from_the_page(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)
    missing = _post(signed_in, number, "subscription", plan="gold", billing_cycle="monthly", seats="")
    assert missing.status == 400
    assert 'id="plan-error"' in missing.text and 'id="seats-error"' in missing.text
    assert read_license(api, partner, "livechat", number)["status"] == "trial"
    created = _post(signed_in, number, "subscription", plan="team", billing_cycle="monthly", seats="3")
    assert created.status == 303
    stored = read_license(api, partner, "livechat", number)
    assert (
        stored["status"] == "paid"
        and stored["subscription"]["plan"] == "team"
        and stored["subscription"]["seats"] == 3
    )
    page = signed_in.get(_url(number)).text
    assert "<dt>Plan</dt><dd>Team, monthly</dd>" in page and "$41.00 per seat per month" in page
    assert f'action="{_url(number)}/subscription/change"' in page
    changed = _post(
        signed_in, number, "subscription/change", plan="business", billing_cycle="annual", seats="5"
    )
    assert changed.status == 303
    assert read_license(api, partner, "livechat", number)["subscription"]["seats"] == 5
    same = _post(signed_in, number, "subscription/change", plan="business", billing_cycle="annual", seats="5")
    assert (same.header("location") or "").endswith("?done=unchanged")
    closed = _post(signed_in, number, "subscription/close", expire="true")
    assert closed.status == 303
    stored = read_license(api, partner, "livechat", number)
    assert stored["status"] == "expired" and stored["subscription"]["ends_at"] is not None
    page = signed_in.get(_url(number)).text
    assert _not_allowed(page, "subscription") == "An expired license cannot be subscribed."


def test_the_transfer_asks_for_confirmation_and_cannot_be_undone(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)
    unconfirmed = _post(signed_in, number, "transfer")
    assert unconfirmed.status == 400
    assert re.search(
        r'id="confirm-error"><span class="visually-hidden">Error:</span> Tick the box', unconfirmed.text
    )
    assert read_license(api, partner, "livechat", number)["payment_origin"] == "partner"
    stranger = _post(signed_in, number, "transfer", confirm="yes", new_owner="nobody@elsewhere.example")
    assert stranger.status == 400  # the new owner must be one of the license's people
    assert read_license(api, partner, "livechat", number)["payment_origin"] == "partner"
    done = _post(signed_in, number, "transfer", confirm="yes")
    assert done.status == 303 and (done.header("location") or "").endswith("?done=transferred")
    stored = read_license(api, partner, "livechat", number)
    assert stored["payment_origin"] == "client" and stored["subscription"] is None
    page = signed_in.get(done.header("location") or "").text
    assert "the customer manages and pays the subscription from now on" in page
    assert _not_allowed(page, "transfer") == "The customer manages this subscription."
    assert "Handed to the customer" in page


def test_a_stale_page_or_a_double_click_changes_nothing(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    number = create_license(api, partner)
    version = _version(signed_in.get(_url(number)).text)
    form = {"version": version, "extend_trial_days": "7"}
    first = signed_in.post_form(f"{_url(number)}/offer", form)
    second = signed_in.post_form(f"{_url(number)}/offer", form)
    assert first.status == 303 and second.status == 409
    assert "The license changed since this page was shown" in second.text
    history = read_history(api, partner, "livechat", number)
    assert [e["action"] for e in history].count("trial_extended") == 1


def test_pages_rendered_for_the_license_carry_the_page_headers(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.web.headers import PAGE_SECURITY_HEADERS

    number = create_license(api, partner)
    for answer in (signed_in.get(_url(number)), _post(signed_in, number, "transfer")):
        for name, value in PAGE_SECURITY_HEADERS.items():
            assert answer.header(name) == value, name
        assert " style=" not in answer.text and "<script>" not in answer.text


def test_the_resend_button_past_its_limit_answers_the_page_with_the_reason(
    clock: MovableClock, signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.store.resend_limits import PER_PERSON, RESENDS_PER_PERSON_HOUR

    number = create_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    # Given the invitation resent as often as an hour allows
    for _ in range(RESENDS_PER_PERSON_HOUR):
        assert _post(signed_in, number, "operators/resend", email="ann@acme.example").status == 303
    # When the partner presses "Resend" once more
    refused = _post(signed_in, number, "operators/resend", email="ann@acme.example")
    # Then the license page comes back (HTML, not JSON) saying why, and when to try: 10:00
    next_hour = clock.now.replace(hour=10, minute=0, second=0)
    assert clock.now.hour == 9 and refused.status == 429
    assert refused.header("retry-after") == str(int((next_hour - clock.now).total_seconds()))
    assert (refused.header("content-type") or "").startswith("text/html")
    assert PER_PERSON in refused.text
