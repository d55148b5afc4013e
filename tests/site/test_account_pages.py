"""The account pages through the handler, as a browser meets them: API tokens (created with
the secret shown once, listed with the day last used, revoked after a confirmation) and the
profile (saved through the API's schema, errors by their fields)."""

from __future__ import annotations

import re
from typing import Any

import botocore.client
import pytest

from tests.conftest import ApiClient, PartnerAccount
from tests.site.conftest import MovableClock, WebClient

SECRET = re.compile(r'id="new-token" type="text" value="(pat_[\w-]+)"')
PROFILE_FORM = {
    "version": "1",
    "first_name": "Joe",
    "last_name": "Doe",
    "contact_name": "Jane Doe",
    "contact_email": "jane@agency.example",
    "send_reseller_weekly_summary": "true",
}


def create_token(client: WebClient, label: str) -> str:
    made = client.post_form("/web/tokens", {"label": label})
    assert made.status == 303, made.text
    page = client.get(made.header("location") or "")
    found = SECRET.search(page.text)
    assert found, page.text
    return found[1]


def token_id_of(page: str, label: str) -> str:
    found = re.search(rf'<tr data-token-id="(\w+)">\s*<th scope="row">{label}</th>', page)
    assert found, page
    return found[1]


def test_a_token_made_on_the_page_works_until_it_is_revoked(signed_in: WebClient, api: ApiClient) -> None:
    secret = create_token(signed_in, "CRM sync")
    assert api.get("/v2/partners", token=secret).json()["login"] == "agency@partner.example"
    listing = signed_in.get("/web/tokens")
    # Listed with its label and dates, the secret never shown again
    assert "CRM sync" in listing.text and secret not in listing.text
    token_id = token_id_of(listing.text, "CRM sync")
    # Opening "Revoke" only asks; the token still works
    confirm = signed_in.get(f"/web/tokens/{token_id}/revoke")
    assert confirm.status == 200 and "Revoke the token “CRM sync”?" in confirm.text
    assert api.get("/v2/partners", token=secret).status == 200
    revoked = signed_in.post_form(f"/web/tokens/{token_id}/revoke", {})
    assert revoked.status == 303 and revoked.header("location") == "/web/tokens?done=revoked"
    assert api.get("/v2/partners", token=secret).status == 401
    after = signed_in.get("/web/tokens?done=revoked")
    assert f'data-token-id="{token_id}"' not in after.text and "The token is revoked" in after.text


def test_the_label_hint_states_both_limits_of_the_schema(signed_in: WebClient) -> None:
    page = signed_in.get("/web/tokens").text
    assert 'id="label-hint">What uses the token, such as “CRM sync”: 3 to 64 characters.</p>' in page
    assert 'maxlength="64"' in page


def test_a_token_needs_a_label_shown_by_its_field(signed_in: WebClient) -> None:
    page = signed_in.post_form("/web/tokens", {"label": "  "})
    assert page.status == 400
    assert 'id="label-error"' in page.text and 'aria-invalid="true"' in page.text
    assert "data-new-token" not in page.text
    too_long = signed_in.post_form("/web/tokens", {"label": "x" * 65})
    assert too_long.status == 400 and "Use at most 64 characters." in too_long.text
    too_short = signed_in.post_form("/web/tokens", {"label": "ab"})
    assert too_short.status == 400 and "Use at least 3 characters." in too_short.text
    assert "maximum length" not in too_long.text + too_short.text


def test_last_used_is_kept_to_the_day_with_one_write_a_day(
    clock: MovableClock, signed_in: WebClient, api: ApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = create_token(signed_in, "nightly")
    token_id = token_id_of(signed_in.get("/web/tokens").text, "nightly")
    row = re.compile(rf'data-token-id="{token_id}">.*?</tr>', re.S)
    assert "Never" in row.search(signed_in.get("/web/tokens").text)[0]  # type: ignore[index]
    writes: list[str] = []
    original = botocore.client.BaseClient._make_api_call

    def counting(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if operation in ("UpdateItem", "PutItem", "TransactWriteItems") and "RATE#" not in str(params):
            writes.append(operation)
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", counting)
    for _ in range(3):
        assert api.get("/v2/partners", token=secret).status == 200
    assert writes == ["UpdateItem", "UpdateItem"]  # the lookup item and the listed token, once
    clock.advance(days=1)
    assert api.get("/v2/partners", token=secret).status == 200
    assert len(writes) == 4
    monkeypatch.undo()
    assert signed_in.sign_in("agency@partner.example").status == 303  # a day on: a new session
    shown = row.search(signed_in.get("/web/tokens").text)[0]  # type: ignore[index]
    assert clock.now.date().isoformat() in shown


def test_another_partners_token_cannot_be_revoked_from_the_page(
    signed_in: WebClient, other_partner: PartnerAccount, api: ApiClient
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    [theirs] = PartnerRepository(get_settings()).list_tokens(other_partner.partner_id)
    assert signed_in.get(f"/web/tokens/{theirs.token_id}/revoke").status == 404
    assert signed_in.post_form(f"/web/tokens/{theirs.token_id}/revoke", {}).status == 404
    assert api.get("/v2/partners", token=other_partner.token).status == 200


def test_token_posts_from_another_site_are_refused(signed_in: WebClient, api: ApiClient) -> None:
    cross_site = WebClient(origin="https://evil.example", cookies=dict(signed_in.cookies))
    assert cross_site.post_form("/web/tokens", {"label": "evil"}).status == 403
    assert "evil" not in signed_in.get("/web/tokens").text


def test_signed_out_the_account_pages_ask_to_sign_in(web: WebClient) -> None:
    for path in ("/web/tokens", "/web/profile"):
        page = web.get(path)
        assert page.status == 401 and f'href="/web/sign-in?next={path}"' in page.text


def test_the_profile_saves_and_the_api_shows_it(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    page = signed_in.get("/web/profile")
    assert page.status == 200 and 'value="Agency One"' in page.text
    saved = signed_in.post_form("/web/profile", PROFILE_FORM)
    assert saved.status == 303 and saved.header("location") == "/web/profile?done=saved"
    shown = api.get("/v2/partners", token=partner.token).json()
    assert (shown["first_name"], shown["contact_email"]) == ("Joe", "jane@agency.example")
    assert shown["send_reseller_weekly_summary"] is True and shown["send_monthly_summary"] is False
    again = signed_in.get("/web/profile?done=saved")
    assert "Your profile is saved." in again.text and 'value="Jane Doe"' in again.text


def test_profile_errors_are_shown_by_their_fields_and_nothing_changes(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    bad = {**PROFILE_FORM, "first_name": "J" * 101, "contact_email": "nope"}
    page = signed_in.post_form("/web/profile", bad)
    assert page.status == 400
    for field in ("first_name", "contact_email"):
        assert f'id="{field}-error"' in page.text
        assert f'<a href="#{field}">' in page.text  # the summary links to the field
    assert 'value="nope"' in page.text  # what was typed is shown again
    assert 'id="last_name-error"' not in page.text
    assert api.get("/v2/partners", token=partner.token).json()["first_name"] == ""


def test_a_stale_profile_form_changes_nothing(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    assert signed_in.post_form("/web/profile", PROFILE_FORM).status == 303
    stale = signed_in.post_form("/web/profile", {**PROFILE_FORM, "first_name": "Stale"})  # version 1 again
    assert stale.status == 409 and "changed elsewhere" in stale.text
    assert api.get("/v2/partners", token=partner.token).json()["first_name"] == "Joe"


def test_an_opt_in_saves_alone_while_the_names_are_empty(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    before = api.get("/v2/partners", token=partner.token).json()
    assert (before["first_name"], before["last_name"]) == ("", "")
    page = signed_in.get("/web/profile")
    assert 'id="first_name-hint">Optional' in page.text  # the form says so before any error
    # What the browser posts: every field as shown (names empty), one box ticked
    form = {
        "version": "1",
        "first_name": "",
        "last_name": "",
        "contact_name": before["contact_name"],
        "contact_email": before["contact_email"],
        "send_monthly_summary": "true",
    }
    saved = signed_in.post_form("/web/profile", form)
    assert saved.status == 303, saved.text
    after = api.get("/v2/partners", token=partner.token).json()
    assert after["send_monthly_summary"] is True and (after["first_name"], after["last_name"]) == ("", "")


def test_a_name_once_set_cannot_be_emptied(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    assert signed_in.post_form("/web/profile", PROFILE_FORM).status == 303
    page = signed_in.post_form("/web/profile", {**PROFILE_FORM, "version": "2", "first_name": " "})
    assert page.status == 400 and 'id="first_name-error"' in page.text
    assert '<a href="#first_name">First name:' in page.text
    assert api.get("/v2/partners", token=partner.token).json()["first_name"] == "Joe"
