"""Sign-in carries a safe, same-site relative `next` (issue 25, item 4): a page opened while
signed out links to sign-in with `next=<that page>`, `next` travels through the emailed link
and its confirm step, and signing in lands there. Anything that could leave the site falls
back to the default page."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from partnerapp.domain.return_paths import safe_next
from tests.conftest import PartnerAccount, sent_emails
from tests.site.conftest import GUIDE, WebClient, relative

LOGIN = "agency@partner.example"
DEFAULT = f"{GUIDE}#create-license"
FULL_LINK = re.compile(r"https?://\S+/web/sign-in/confirm\?token=[\w-]+(?:&next=[^\s\"<>]+)?")
ATTEMPTS = [
    "//evil.example",
    "//evil.example/web/tokens",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/web/tokens",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example/web/tokens",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/%252F%252Fevil.example",
    "/%09/evil.example",
    "/web/tokens\r\nLocation: https://evil.example",
    "/web/tokens\x00",
    " /web/tokens",
    "/web/" + "x" * 600,
]


def emailed_link(email: str) -> str:
    links = [m for e in sent_emails() if email in e["to"] for m in FULL_LINK.findall(e["text"])]
    assert links, "no sign-in link was emailed"
    return links[-1].replace("&amp;", "&")


def sign_in_with_next(web: WebClient, wanted: str) -> tuple[str, str]:
    """Ask for a link with `next`, open it, press Sign in: (the emailed link, where it lands)."""
    asked = web.post_form("/web/sign-in", {"email": LOGIN, "next": wanted})
    assert asked.status == 303, asked.text
    link = emailed_link(LOGIN)
    opened = web.get(relative(link))
    assert opened.status == 200, opened.text
    hidden = re.search(r'<input type="hidden" name="next" value="([^"]*)">', opened.text)
    form = {"token": parse_qs(urlsplit(link).query)["token"][0]}
    if hidden:
        form["next"] = hidden[1].replace("&amp;", "&")
    landed = web.post_form("/web/sign-in/confirm", form)
    assert landed.status == 303, landed.text
    return link, landed.header("location") or ""


def test_a_page_opened_signed_out_returns_there_after_signing_in(
    web: WebClient, partner: PartnerAccount
) -> None:
    wall = web.get("/web/licenses?status=trial&page=2")
    assert wall.status == 401
    assert 'href="/web/sign-in?next=/web/licenses%3Fstatus%3Dtrial%26page%3D2"' in wall.text
    form = web.get("/web/sign-in?next=/web/licenses%3Fstatus%3Dtrial%26page%3D2")
    assert form.status == 200
    assert '<input type="hidden" name="next" value="/web/licenses?status=trial&amp;page=2">' in form.text
    link, landed = sign_in_with_next(web, "/web/licenses?status=trial&page=2")
    assert parse_qs(urlsplit(link).query)["next"] == ["/web/licenses?status=trial&page=2"]
    assert landed == "/web/licenses?status=trial&page=2"
    assert web.get(landed).status == 200  # signed in, on the page asked for


def test_without_next_signing_in_lands_on_the_guide(web: WebClient, partner: PartnerAccount) -> None:
    link, landed = sign_in_with_next(web, "")
    assert "next=" not in link and landed == DEFAULT


@pytest.mark.parametrize("attempt", ATTEMPTS[:9])
def test_an_open_redirect_attempt_lands_on_the_default(
    web: WebClient, partner: PartnerAccount, attempt: str
) -> None:
    link, landed = sign_in_with_next(web, attempt)
    assert "next=" not in link and landed == DEFAULT
    assert "evil" not in web.get("/web/sign-in?next=" + attempt.replace("&", "%26")).text


def test_a_forged_next_on_the_confirm_step_is_refused_too(web: WebClient, partner: PartnerAccount) -> None:
    assert web.post_form("/web/sign-in", {"email": LOGIN}).status == 303
    token = parse_qs(urlsplit(emailed_link(LOGIN)).query)["token"][0]
    opened = web.get(f"/web/sign-in/confirm?token={token}&next=//evil.example")
    assert opened.status == 200 and "evil" not in opened.text
    landed = web.post_form("/web/sign-in/confirm", {"token": token, "next": "https://evil.example"})
    assert landed.status == 303 and landed.header("location") == DEFAULT


@pytest.mark.parametrize("attempt", ATTEMPTS)
def test_only_same_site_relative_paths_are_kept(attempt: str) -> None:
    assert safe_next(attempt) is None


@pytest.mark.parametrize(
    "kept", ["/web/tokens", "/guides/payment-types.html", "/web/licenses?status=trial&page=2", "/web/a%20b"]
)
def test_same_site_paths_are_kept_as_sent(kept: str) -> None:
    assert safe_next(kept) == kept


def test_the_static_pages_sign_in_link_returns_to_them(built_site: Path) -> None:
    guide = (built_site / GUIDE.lstrip("/")).read_text()
    assert f'href="/web/sign-in?next={GUIDE}"' in guide
    # The sign-in page itself does not return to itself
    assert 'href="/sign-in.html"' in (built_site / "sign-in.html").read_text()
