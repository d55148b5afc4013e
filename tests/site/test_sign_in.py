"""Passwordless sign-in through the handlers: link by email, session cookie, sign-out."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import boto3
import pytest

from partnerapp.domain.timestamps import utc_now
from partnerapp_infra.local import emulator as local_stack
from tests.conftest import FakeClock, PartnerAccount, sent_emails
from tests.site.conftest import WebClient, link_token, links_sent_to, newest_link, relative

LOGIN = "agency@partner.example"


def _partners_items() -> list[dict[str, Any]]:
    # Tests may look at the whole table; the functions only ever Get or Query.
    table = boto3.client("dynamodb", region_name="us-east-1")
    return table.scan(TableName="partnerapp-partners")["Items"]  # type: ignore[no-any-return]


def test_a_partner_gets_a_one_time_link_that_signs_them_in(web: WebClient, partner: PartnerAccount) -> None:
    # When the partner asks for a link with their login (in any case, with spaces)
    asked = web.post_form("/web/sign-in", {"email": "  Agency@Partner.example "})
    # Then the page says to check the email, and the email holds a link to the site
    assert asked.status == 303 and asked.header("location") == "/sign-in-sent.html"
    [email] = [e for e in sent_emails() if LOGIN in e["to"]]
    assert email["subject"] == "Your sign-in link for the partner help center"
    assert "expires in 15 minutes" in email["text"]
    link = newest_link(LOGIN)
    assert link.startswith("http://127.0.0.1:8000/web/sign-in/confirm?token=")
    assert len(link_token(link)) == 43  # 32 random bytes, URL-safe base64
    # When they open it, the page only offers a button: nothing is signed in yet
    shown = web.get(relative(link))
    assert shown.status == 200 and shown.cookies == []
    assert 'action="/web/sign-in/confirm"' in shown.text and "Sign in</button>" in shown.text
    assert web.get("/web/session").json() == {"signed_in": False}
    # When they press it
    opened = web.post_form("/web/sign-in/confirm", {"token": link_token(link)})
    # Then a session cookie is set and they land on the create-license form
    assert opened.status == 303
    assert opened.header("location") == "/guides/setting-up-licenses.html#create-license"
    [cookie] = opened.cookies
    assert cookie.startswith("partner_session=")
    assert len(cookie.split(";")[0].removeprefix("partner_session=")) == 43  # 32 random bytes
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # local mode is plain http; outside it the cookie is Secure
    status = web.get("/web/session")
    assert status.status == 200
    assert status.json() == {"signed_in": True, "partner": {"contact_name": "Agency One", "login": LOGIN}}


def test_the_sign_in_link_comes_from_the_accounts_address_not_invitations(
    web: WebClient, partner: PartnerAccount
) -> None:
    web.post_form("/web/sign-in", {"email": LOGIN})
    [email] = [e for e in sent_emails() if LOGIN in e["to"]]
    assert email["headers"]["From"] == "accounts@partnerapp.example"
    assert "Reply-To" not in email["headers"]  # replies to a sign-in link need no one


def test_the_link_works_once(web: WebClient, partner: PartnerAccount) -> None:
    web.sign_in(LOGIN)
    # When the same link is opened again, in another browser
    again = WebClient().get(relative(newest_link(LOGIN)))
    # Then it is refused with a page that offers a new link, and no session is started
    assert again.status == 400 and again.cookies == []
    pressed = WebClient().post_form("/web/sign-in/confirm", {"token": link_token(newest_link(LOGIN))})
    assert pressed.status == 400 and pressed.cookies == []
    assert "This sign-in link no longer works" in again.text
    assert 'href="/sign-in.html"' in again.text


def test_an_expired_link_is_refused(web: WebClient, partner: PartnerAccount) -> None:
    from partnerapp.services.sign_in import SignIn
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    # Given a link issued 16 minutes ago
    settings = get_settings()
    past = SignIn(settings, lambda: utc_now() - timedelta(minutes=16), PartnerRepository(settings))
    past.request_link(LOGIN)
    # When it is opened now
    opened = web.use_link(newest_link(LOGIN))
    # Then it no longer signs in
    assert opened.status == 400 and opened.cookies == []
    assert web.get("/web/session").json() == {"signed_in": False}


def test_unknown_and_known_emails_get_the_same_answer(web: WebClient, partner: PartnerAccount) -> None:
    known = web.post_form("/web/sign-in", {"email": LOGIN})
    unknown = web.post_form("/web/sign-in", {"email": "nobody@partner.example"})
    assert (known.status, known.header("location"), known.body) == (
        unknown.status,
        unknown.header("location"),
        unknown.body,
    )
    assert [e["to"] for e in sent_emails()] == [[LOGIN]]


def test_secrets_are_stored_only_as_digests(web: WebClient, partner: PartnerAccount) -> None:
    web.sign_in(LOGIN)
    session_id = next(iter(web.cookies.values()))
    token = newest_link(LOGIN).rpartition("token=")[2]
    stored = repr(_partners_items())
    assert session_id not in stored and token not in stored
    sessions = [i for i in _partners_items() if i["pk"]["S"].startswith("SESSION#")]
    assert len(sessions) == 1 and int(sessions[0]["expires_at"]["N"]) > utc_now().timestamp()


def test_signing_out_revokes_the_session_on_the_server(web: WebClient, partner: PartnerAccount) -> None:
    web.sign_in(LOGIN)
    copied = WebClient(cookies=dict(web.cookies))
    # When the partner signs out
    out = web.post_form("/web/sign-out", {})
    # Then the cookie is cleared, and even a copy of it no longer works
    assert out.status == 303 and out.header("location") == "/signed-out.html"
    assert any("Max-Age=0" in c for c in out.cookies)
    assert copied.get("/web/session").json() == {"signed_in": False}
    assert not [i for i in _partners_items() if i["pk"]["S"].startswith("SESSION#")]


def test_a_bad_email_is_named_and_nothing_is_sent(web: WebClient, partner: PartnerAccount) -> None:
    answer = web.post_form("/web/sign-in", {"email": "not-an-email"})
    assert answer.status == 400
    assert answer.header("content-type") == "text/html; charset=utf-8"
    assert "There is a problem" in answer.text and "Enter a valid email address, like" in answer.text
    assert 'value="not-an-email"' in answer.text and 'aria-invalid="true"' in answer.text
    empty = web.post_form("/web/sign-in", {"email": " "})
    assert empty.status == 400 and "Enter the email address of your partner account." in empty.text
    assert sent_emails() == []


def test_links_per_partner_are_capped(web: WebClient, partner: PartnerAccount, clock: FakeClock) -> None:
    # Someone typing a partner's address again and again cannot flood their inbox.
    for _ in range(7):
        assert web.post_form("/web/sign-in", {"email": LOGIN}).status == 303
    assert len(links_sent_to(LOGIN)) == 5


def test_cross_site_posts_are_refused(partner: PartnerAccount, aws: dict[str, str]) -> None:
    for origin in ("https://evil.example", None):
        client = WebClient(origin=origin)
        answer = client.post_form("/web/sign-in", {"email": LOGIN})
        assert answer.status == 403  # a form post is a browser's: a page, not JSON
        assert "<h1>This request was refused</h1>" in answer.text and "Cross-site" in answer.text
    same_origin_but_cross_site_fetch = WebClient().post_form(
        "/web/sign-in", {"email": LOGIN}, headers={"sec-fetch-site": "cross-site"}
    )
    assert same_origin_but_cross_site_fetch.status == 403
    assert sent_emails() == []


def test_a_forged_or_missing_session_is_not_signed_in(web: WebClient, partner: PartnerAccount) -> None:
    assert web.get("/web/session").json() == {"signed_in": False}
    web.cookies["partner_session"] = "forged-session-id"
    assert web.get("/web/session").json() == {"signed_in": False}
    web.cookies["partner_session"] = "x" * 5000
    assert web.get("/web/session").json() == {"signed_in": False}
    assert WebClient().get("/web/sign-in/confirm").status == 400


def test_sign_in_secrets_and_emails_stay_out_of_the_logs(
    web: WebClient, partner: PartnerAccount, json_logs: io.StringIO
) -> None:
    web.sign_in("Agency@Partner.example")
    web.post_form("/web/sign-in", {"email": "stranger@elsewhere.example"})
    logged = json_logs.getvalue()
    assert "sign-in link sent" in logged and partner.partner_id in logged
    token = newest_link(LOGIN).rpartition("token=")[2]
    session_id = next(iter(web.cookies.values()))
    for secret in (token, session_id, LOGIN, "stranger@elsewhere.example"):
        assert secret.lower() not in logged.lower()


def test_when_ses_fails_the_page_is_the_same_and_a_new_link_can_be_asked(
    web: WebClient, partner: PartnerAccount, aws: dict[str, str]
) -> None:
    local_stack.unverify_sender(aws["ACCOUNTS_SENDER_EMAIL"])
    failed = web.post_form("/web/sign-in", {"email": LOGIN})
    assert failed.status == 303 and failed.header("location") == "/sign-in-sent.html"
    assert sent_emails() == []
    local_stack.verify_sender(aws["ACCOUNTS_SENDER_EMAIL"])
    assert web.sign_in(LOGIN).status == 303
    assert web.get("/web/session").json()["signed_in"] is True


def test_outside_local_mode_the_cookie_is_secure_and_host_only(aws: dict[str, str]) -> None:
    from dataclasses import replace

    from partnerapp.api.browser import session_cookie
    from partnerapp.settings import get_settings

    cookie = str(session_cookie(replace(get_settings(), mode="aws"), "abc", 28800))
    assert cookie.startswith("__Host-partner_session=abc")
    for attribute in ("Path=/", "Max-Age=28800", "HttpOnly", "Secure", "SameSite=Lax"):
        assert attribute in cookie
    assert "Domain" not in cookie


def test_opening_the_link_spends_nothing_so_mail_scanners_cannot_use_it_up(
    web: WebClient, partner: PartnerAccount
) -> None:
    # Given a link that a mail scanner fetched twice before the partner
    web.post_form("/web/sign-in", {"email": LOGIN})
    link = newest_link(LOGIN)
    for _ in range(2):
        assert WebClient().get(relative(link)).status == 200
    # When the partner opens it and presses the button
    # Then they are signed in
    assert web.use_link(link).status == 303
    assert web.get("/web/session").json()["signed_in"] is True


def test_another_site_cannot_sign_a_browser_in_with_its_own_link(
    web: WebClient, partner: PartnerAccount
) -> None:
    # Given a link of the partner's account, posted from another site (login cross-site forgery)
    web.post_form("/web/sign-in", {"email": LOGIN})
    token = link_token(newest_link(LOGIN))
    forged = WebClient(origin="https://evil.example").post_form("/web/sign-in/confirm", {"token": token})
    # Then it is refused, and the link still works for the partner
    assert forged.status == 403 and forged.cookies == []
    assert web.use_link(newest_link(LOGIN)).status == 303


class FakeTime:
    """The answer floor's clock and sleeper: sleeping moves it, and so does the work the
    service does (each `work(seconds)`), so a test knows exactly when an answer left."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.pauses.append(seconds)
        self.now += seconds

    def work(self, seconds: float, then: Any) -> Any:
        def slow(*args: Any, **kwargs: Any) -> Any:
            self.now += seconds
            return then(*args, **kwargs)

        return slow


@pytest.fixture
def real_answer_floor() -> None:
    """Keeps the service's own answer floor (tests/conftest.py sets it to 0 for the rest)."""


def _timed_service(time: FakeTime, monkeypatch: pytest.MonkeyPatch, lookup: float, send: float) -> Any:
    """The sign-in service on fake time, where looking a login up takes `lookup` seconds and
    sending the email `send` seconds, at the service's own floor (the `real_answer_floor`
    fixture keeps it)."""
    from partnerapp.mail import sender
    from partnerapp.services import sign_in
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    monkeypatch.setattr(sender, "send", time.work(send, sender.send))
    settings = get_settings()
    partners = PartnerRepository(settings)
    monkeypatch.setattr(partners, "find_by_login", time.work(lookup, partners.find_by_login))
    return sign_in.SignIn(settings, utc_now, partners, pause=time.sleep, timer=time)


@pytest.mark.usefixtures("real_answer_floor")
def test_asking_for_a_link_takes_the_same_total_time_for_any_address(
    partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a service whose lookup takes 1/8 s and whose email takes 1/2 s more
    time = FakeTime()
    service = _timed_service(time, monkeypatch, lookup=0.125, send=0.5)
    # When a partner's address (lookup + email) and an unknown one (lookup only) ask
    answered_at = []
    for email in (LOGIN, "nobody@partner.example"):
        started = time.now
        service.request_link(email)
        answered_at.append(time.now - started)
    # Then both answers leave exactly one second after they were asked: the service waited
    # what the work left of the second, not a fixed pause on top of it
    assert answered_at == [1.0, 1.0]
    assert time.pauses == [0.375, 0.875]
    assert len(links_sent_to(LOGIN)) == 1


@pytest.mark.usefixtures("real_answer_floor")
def test_work_slower_than_the_floor_is_not_paused_further(
    partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    time = FakeTime()
    service = _timed_service(time, monkeypatch, lookup=0.25, send=1.5)
    service.request_link(LOGIN)
    assert time.pauses == [0.0] and time.now == 1001.75


@pytest.mark.usefixtures("real_answer_floor")
def test_the_floor_holds_when_sending_fails(
    partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch, aws: dict[str, str]
) -> None:
    local_stack.unverify_sender(aws["ACCOUNTS_SENDER_EMAIL"])
    time = FakeTime()
    service = _timed_service(time, monkeypatch, lookup=0.25, send=0.25)
    service.request_link(LOGIN)
    assert time.now == 1001.0 and sent_emails() == []


def test_a_link_works_until_fifteen_minutes_have_passed(
    web: WebClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    web.post_form("/web/sign-in", {"email": LOGIN})
    first = newest_link(LOGIN)
    clock.advance(minutes=15, seconds=-1)
    assert web.use_link(first).status == 303
    WebClient().post_form("/web/sign-in", {"email": LOGIN})
    second = newest_link(LOGIN)
    clock.advance(minutes=15)
    assert WebClient().use_link(second).status == 400


def test_a_session_lasts_eight_hours(web: WebClient, partner: PartnerAccount, clock: FakeClock) -> None:
    web.sign_in(LOGIN)
    clock.advance(hours=8, seconds=-1)
    assert web.get("/web/session").json()["signed_in"] is True
    clock.advance(seconds=1)
    assert web.get("/web/session").json() == {"signed_in": False}


def test_the_link_cap_is_per_fifteen_minute_window(
    web: WebClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # The clock starts at a window's first second: six asks, five links
    for _ in range(6):
        web.post_form("/web/sign-in", {"email": LOGIN})
    clock.advance(minutes=15, seconds=-1)  # the window's last second
    web.post_form("/web/sign-in", {"email": LOGIN})
    assert len(links_sent_to(LOGIN)) == 5
    clock.advance(seconds=1)  # a new window
    web.post_form("/web/sign-in", {"email": LOGIN})
    assert len(links_sent_to(LOGIN)) == 6


def test_a_link_of_a_closed_account_signs_nobody_in(web: WebClient, partner: PartnerAccount) -> None:
    web.post_form("/web/sign-in", {"email": LOGIN})
    boto3.client("dynamodb", region_name="us-east-1").delete_item(
        TableName="partnerapp-partners",
        Key={"pk": {"S": f"PARTNER#{partner.partner_id}"}, "sk": {"S": "PROFILE"}},
    )
    assert web.use_link(newest_link(LOGIN)).status == 400
    assert web.get("/web/session").json() == {"signed_in": False}


def test_secrets_of_the_issued_size_are_looked_up_and_longer_ones_never(
    partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnerapp.hashing import secret_digest
    from partnerapp.services import sign_in
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    # A secret is hashed and looked up only up to 100 characters (longer ones are not ours,
    # and hashing them is work anyone could make us do).
    settings = get_settings()
    service = sign_in.SignIn(settings, utc_now, PartnerRepository(settings))
    hashed: list[str] = []
    monkeypatch.setattr(sign_in, "secret_digest", lambda text: hashed.append(text) or secret_digest(text))
    for size in (100, 101):
        secret = "s" * size
        assert service.redeem(secret) is None and service.is_usable(secret) is False
        assert service.partner(secret) is None
        service.sign_out(secret)
    assert hashed == ["s" * 100] * 4


class _DynamoDBCalls:
    """Records the DynamoDB operations made while entered (each attempt as sent)."""

    def __init__(self) -> None:
        self.operations: list[str] = []
        self._original: Any = None

    def __enter__(self) -> _DynamoDBCalls:
        from botocore.endpoint import Endpoint

        self._original = original = Endpoint._do_get_response

        def get_response(endpoint: Any, request: Any, operation_model: Any, context: Any) -> Any:
            if endpoint._endpoint_prefix == "dynamodb":
                self.operations.append(operation_model.name)
            return original(endpoint, request, operation_model, context)

        Endpoint._do_get_response = get_response
        return self

    def __exit__(self, *_: object) -> None:
        from botocore.endpoint import Endpoint

        Endpoint._do_get_response = self._original


@pytest.mark.parametrize(
    ("secret", "looked_up"),
    [("s" * 100, True), ("s" * 101, False), ("", False), (None, False)],
)
def test_a_secret_that_cannot_be_ours_is_refused_without_reading_the_store(
    partner: PartnerAccount, secret: str | None, looked_up: bool
) -> None:
    # Issued links and sessions are 43 characters: a longer value (up to 100 is tolerated)
    # or an empty one is refused before it is hashed or looked up, so junk cookies cost nothing.
    from partnerapp.services import sign_in
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    settings = get_settings()
    service = sign_in.SignIn(settings, utc_now, PartnerRepository(settings))
    with _DynamoDBCalls() as calls:
        answers = [service.partner(secret), service.is_usable(secret), service.redeem(secret)]
        service.sign_out(secret)
    assert answers == [None, False, None]
    assert bool(calls.operations) is looked_up
