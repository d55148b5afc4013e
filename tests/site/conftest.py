"""Fixtures for the help center: a browser-like client of the handlers (cookies, Origin),
the built site, and the dev server with a real Chromium for the browser tests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from partnerapp_infra.local.apigw import HttpRequest, HttpResponse
from partnerapp_infra.local.gateway import LocalGateway
from tests.conftest import SITE_URL, PartnerAccount, sent_emails
from tests.dev_servers import dev_server

GUIDE = "/guides/setting-up-licenses.html"
LINK = re.compile(r"https?://\S+/web/sign-in/confirm\?token=[\w-]+")


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


@dataclass
class WebClient:
    """Calls the API handler as a browser on the help center would: it keeps the cookies the
    answers set and sends the site's Origin on posts (override `origin` to act cross-site).
    `source_ip` is the address its connection comes from, as the dev server passes it on."""

    origin: str | None = SITE_URL
    source_ip: str = "127.0.0.1"
    cookies: dict[str, str] = field(default_factory=dict)
    gateway: LocalGateway = field(default_factory=LocalGateway)

    def request(
        self, method: str, url: str, *, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> Answer:
        path, _, query = url.partition("?")
        all_headers = {"host": urlsplit(SITE_URL).netloc, **(headers or {})}
        if method == "POST" and self.origin is not None:
            all_headers.setdefault("origin", self.origin)
        if self.cookies:
            all_headers["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        answer: HttpResponse = self.gateway.handle(
            HttpRequest(
                method=method,
                path=path,
                query_string=query,
                headers=list(all_headers.items()),
                body=body,
                source_ip=self.source_ip,
            )
        )
        for cookie in answer.cookies:
            name, _, rest = cookie.partition("=")
            value = rest.split(";")[0]
            if "Max-Age=0" in cookie or not value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value
        return Answer(answer.status, answer.headers, answer.cookies, answer.body)

    def get(self, url: str, **kwargs: Any) -> Answer:
        return self.request("GET", url, **kwargs)

    def post_form(self, url: str, fields: dict[str, str] | list[tuple[str, str]], **kwargs: Any) -> Answer:
        headers = {"content-type": "application/x-www-form-urlencoded", **kwargs.pop("headers", {})}
        return self.request("POST", url, body=urlencode(fields).encode(), headers=headers, **kwargs)

    def post_json(self, url: str, data: Any, **kwargs: Any) -> Answer:
        headers = {"content-type": "application/json", **kwargs.pop("headers", {})}
        return self.request("POST", url, body=json.dumps(data).encode(), headers=headers, **kwargs)

    def sign_in(self, email: str) -> Answer:
        """Ask for a link, open the newest one emailed to `email`, and press its button."""
        asked = self.post_form("/web/sign-in", {"email": email})
        assert asked.status == 303, asked.text
        return self.use_link(newest_link(email.strip().lower()))

    def use_link(self, link: str) -> Answer:
        """Open a sign-in link and press "Sign in" (what the page's form posts)."""
        opened = self.get(relative(link))
        if opened.status != 200:
            return opened
        return self.post_form("/web/sign-in/confirm", {"token": link_token(link)})


def relative(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def link_token(link: str) -> str:
    return link.rpartition("token=")[2]


def links_sent_to(email: str) -> list[str]:
    return [m for e in sent_emails() if email in e["to"] for m in LINK.findall(e["text"])]


def newest_link(email: str) -> str:
    links = links_sent_to(email)
    assert links, f"no sign-in link was emailed to {email}"
    return links[-1]


@dataclass
class MovableClock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch, aws: dict[str, str]) -> MovableClock:
    """Installed before the first request builds the app's dependencies (each test's AWS starts
    them afresh), so every service, session and rule of the app runs on this clock."""
    from partnerapp.domain import timestamps

    moving = MovableClock(datetime(2026, 1, 5, 9, 30, tzinfo=UTC))
    monkeypatch.setattr(timestamps, "utc_now", moving)
    return moving


@pytest.fixture
def web(aws: dict[str, str]) -> WebClient:
    return WebClient()


@pytest.fixture
def signed_in(web: WebClient, partner: PartnerAccount) -> WebClient:
    answer = web.sign_in("agency@partner.example")
    assert answer.status == 303 and web.cookies, answer.text
    return web


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from partnerapp_infra.site.builder import build

    out = tmp_path_factory.mktemp("site") / "site"
    build(out)
    return out


# --- the dev server and a real browser ---------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass
class SiteServer:
    base: str
    aws_endpoint: str

    def read(self, path: str) -> tuple[int, dict[str, str], bytes]:
        import urllib.error
        import urllib.request

        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, dict(response.headers.items()), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers.items()), error.read()

    def outbox(self) -> list[dict[str, Any]]:
        return json.loads(self.read("/_dev/outbox.json")[2])  # type: ignore[no-any-return]

    def wait_for_emails(self, to: str, count: int, seconds: float = 15) -> list[dict[str, Any]]:
        import time

        deadline = time.monotonic() + seconds
        while True:
            found = [e for e in self.outbox() if to in e["to"]]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.25)

    def sign_in_link(self, email: str) -> str:
        [message] = self.wait_for_emails(email, 1)[-1:]
        links = LINK.findall(message["text"])
        assert links, message["text"]
        return links[-1]  # type: ignore[no-any-return]

    def new_partner(self, name: str) -> str:
        """A partner account made with the admin CLI, as an operator would; returns its login."""
        import os
        import subprocess
        import sys
        import uuid

        from partnerapp_infra.paths import REPO_ROOT

        login = f"{name.lower().replace(' ', '-')}-{uuid.uuid4().hex[:8]}@partner.example"
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PARTNERS_"))}
        environment["AWS_ENDPOINT_URL"] = self.aws_endpoint
        subprocess.run(
            [
                sys.executable,
                "-m",
                "partnerapp_infra.cli.main",
                "partners",
                "create",
                "--name",
                name,
                "--email",
                login,
            ],
            env=environment,
            capture_output=True,
            check=True,
            cwd=REPO_ROOT,
        )
        return login


@pytest.fixture(scope="session")
def site_server(built_site: Path) -> Iterator[SiteServer]:
    from partnerapp_infra.site.builder import OUT_ENV

    with dev_server(**{OUT_ENV: str(built_site)}) as running:
        yield SiteServer(running.base, running.aws_endpoint)


@pytest.fixture
def unused_feedback_budget(site_server: SiteServer) -> None:
    """Every browser here connects from 127.0.0.1: to the article feedback's per-client budget
    they are one client, as readers behind one address are. Each test starts with that
    budget unused, as it would be a minute later."""
    import boto3

    from partnerapp_infra.local.emulator import HOME_REGION, PARTNERS_TABLE

    db = boto3.client(
        "dynamodb",
        endpoint_url=site_server.aws_endpoint,
        region_name=HOME_REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    budgets = db.scan(
        TableName=PARTNERS_TABLE,
        FilterExpression="begins_with(pk, :budget)",
        ExpressionAttributeValues={":budget": {"S": "FEEDBACKCLIENT#"}},
    )["Items"]
    for item in budgets:
        db.delete_item(TableName=PARTNERS_TABLE, Key={"pk": item["pk"], "sk": item["sk"]})


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert CHROMIUM.exists(), "Debian's chromium is missing: `make test` installs it"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


# --- what a partner does in the browser --------------------------------------------------------


def sign_in(page: Any, server: SiteServer, login: str) -> None:
    """As a partner does it: the sign-in page, then the link from the email."""
    page.goto("/sign-in.html")
    page.get_by_label("Partner account email").fill(login)
    page.get_by_role("button", name="Email me a sign-in link").click()
    page.wait_for_url("**/sign-in-sent.html")
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    page.goto(server.sign_in_link(login))
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_url(f"**{GUIDE}#create-license")


def choose(page: Any, label: str) -> None:
    page.get_by_label(label, exact=True).check()


def next_step(page: Any) -> None:
    page.get_by_role("button", name="Next").click()


def create_in_browser(page: Any, server: SiteServer, client_name: str, client_email: str) -> None:
    """A license made as the guide's plain form makes it, in the signed-in browser."""
    answer = page.request.post(
        "/web/licenses",
        form={
            "product": "livechat",
            "payment_origin": "partner",
            "client_name": client_name,
            "client_email": client_email,
            "website": "",
        },
        headers={"Origin": server.base},
        max_redirects=0,
    )
    assert answer.status == 303, answer.text()
