"""Browser routes answer HTML always (issue 25, item 2): an error a form can show is shown at
its field on the form it came from, any other error is a page with the same status, and
creating a token is safe to reload. Scripts asking for JSON still get JSON."""

from __future__ import annotations

import re
from typing import Any

import botocore.client
import pytest
from botocore.exceptions import EndpointConnectionError

from tests.conftest import ApiClient, PartnerAccount
from tests.site.conftest import WebClient

PAGE = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
SECRET = re.compile(r'id="new-token" type="text" value="(pat_[\w-]+)"')


def token_rows(client: WebClient) -> list[str]:
    """The labels listed on the page, but the fixture's own token "tests"."""
    return [label for label in _labels(client) if label != "tests"]


def _labels(client: WebClient) -> list[str]:
    row = re.compile(r'<tr data-token-id="\w+">\s*<th scope="row">([^<]*)</th>')
    return row.findall(client.get("/web/tokens").text)


def test_a_label_taken_in_another_case_is_shown_at_the_field(signed_in: WebClient) -> None:
    assert signed_in.post_form("/web/tokens", {"label": "CRM sync"}).status == 303
    again = signed_in.post_form("/web/tokens", {"label": "crm SYNC"}, headers=PAGE)
    assert again.status == 409 and again.header("content-type").startswith("text/html")  # type: ignore[union-attr]
    assert '"error"' not in again.text and "<form" in again.text
    assert 'id="label-error"' in again.text and 'aria-invalid="true"' in again.text
    assert "You already have a token labelled “crm SYNC”" in again.text
    assert 'value="crm SYNC"' in again.text  # what was typed, shown again
    assert token_rows(signed_in) == ["CRM sync"]


def test_creating_a_token_is_safe_to_reload_and_shows_the_secret_once(
    signed_in: WebClient, api: ApiClient
) -> None:
    created = signed_in.post_form("/web/tokens", {"label": "nightly"}, headers=PAGE)
    assert created.status == 303 and created.header("location") == "/web/tokens?done=created"
    shown = signed_in.get("/web/tokens?done=created", headers=PAGE)
    found = SECRET.search(shown.text)
    assert shown.status == 200 and found, shown.text
    assert api.get("/v2/partners", token=found[1]).status == 200
    # The reload a browser does after the redirect: no error, no second token, no secret again
    reload = signed_in.get("/web/tokens?done=created", headers=PAGE)
    assert reload.status == 200 and found[1] not in reload.text and "data-new-token" not in reload.text
    assert "Its secret is shown only once" in reload.text
    assert token_rows(signed_in) == ["nightly"]


def test_the_secret_cookie_of_another_partner_shows_nothing(
    signed_in: WebClient, other_partner: PartnerAccount
) -> None:
    assert signed_in.post_form("/web/tokens", {"label": "mine"}).status == 303
    other = WebClient()
    assert other.sign_in("rival@partner.example").status == 303
    other.cookies["new_token"] = signed_in.cookies["new_token"]
    page = other.get("/web/tokens?done=created", headers=PAGE)
    assert page.status == 200 and "data-new-token" not in page.text and "pat_" not in page.text


def _dynamodb_down(monkeypatch: pytest.MonkeyPatch) -> None:
    original = botocore.client.BaseClient._make_api_call

    def unreachable(self: Any, operation: str, params: dict[str, Any]) -> Any:
        if self.meta.service_model.service_name == "dynamodb":
            raise EndpointConnectionError(endpoint_url="http://127.0.0.1:8000")
        return original(self, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", unreachable)


def test_with_the_database_down_a_browser_gets_a_503_page(
    signed_in: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    _dynamodb_down(monkeypatch)
    for answer in (
        signed_in.get("/web/tokens", headers=PAGE),
        signed_in.post_form("/web/profile", {"first_name": "Joe"}),  # a form post is a browser's
    ):
        assert answer.status == 503 and answer.header("retry-after") == "2"
        assert answer.header("content-type").startswith("text/html")  # type: ignore[union-attr]
        assert "<h1>The help center is busy</h1>" in answer.text and "Nothing was saved" in answer.text
    # The page's own script asks for JSON and gets it
    script = signed_in.get("/web/session", headers={"accept": "application/json"})
    assert script.status == 503 and script.json()["error"]["type"] == "unavailable"


def test_a_refused_cross_site_post_is_a_page_for_a_browser(signed_in: WebClient) -> None:
    cross_site = WebClient(origin="https://evil.example", cookies=dict(signed_in.cookies))
    answer = cross_site.post_form("/web/tokens", {"label": "evil"})
    assert answer.status == 403 and answer.header("content-type").startswith("text/html")  # type: ignore[union-attr]
    assert "Cross-site requests are refused" in answer.text and 'href="/index.html"' in answer.text
    # A page's script posting a form (the article feedback) asks for JSON and gets it
    scripted = cross_site.post_form("/web/tokens", {"label": "evil"}, headers={"accept": "application/json"})
    assert scripted.status == 403 and scripted.json()["error"]["type"] == "cross_site"
