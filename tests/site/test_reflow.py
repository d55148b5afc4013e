"""Every page of the help center and of the partner's account at a phone's width: at 320 CSS px
nothing scrolls sideways (WCAG 1.4.10, Reflow) and axe-core finds no WCAG A/AA violation at 320
and at 1280 px. Each page is kept as a screenshot at 320, 768 and 1280 px in
build/test-artifacts/screenshots/ (git-ignored), for a person to look at after a run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from partnerapp_infra.paths import REPO_ROOT
from tests.site.conftest import GUIDE, SiteServer, create_in_browser, sign_in
from tests.site.test_accessibility import AXE, audit

pytestmark = pytest.mark.devserver

SCREENSHOTS = REPO_ROOT / "build" / "test-artifacts" / "screenshots"
NARROWEST, TABLET, DESKTOP = 320, 768, 1280
HEIGHT = 720

# What sticks out to the right of the viewport, unless a scrolling box of its own (a labelled,
# focusable region: a wide table) holds it. Names the outermost few, for the failure.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = e => ['auto', 'scroll', 'hidden'].includes(getComputedStyle(e).overflowX);
  const inScroller = e => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) return true;
    return false;
  };
  const sticksOut = e => {
    const box = e.getBoundingClientRect();
    return box.width > 0 && box.right > width + 0.5;
  };
  const describe = e => {
    const classes = typeof e.className === 'string' ? e.className.trim().replaceAll(' ', '.') : '';
    const text = e.textContent.trim().slice(0, 40);
    const right = Math.round(e.getBoundingClientRect().right);
    return `${e.tagName.toLowerCase()}.${classes} "${text}" (right edge ${right} px)`;
  };
  const wide = [...document.body.querySelectorAll('*')]
    .filter(e => sticksOut(e) && !inScroller(e) && !(e.parentElement && sticksOut(e.parentElement)));
  return {scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 8).map(describe)};
}"""


@dataclass
class Visit:
    """A page as a person reaches it: `open` leaves the browser on it."""

    name: str
    open: Callable[[Any, dict[str, str]], None]
    signed_in: bool = True
    status: int = 200  # the page's own answer: a 404 page is a page to reflow too


def go(path: str) -> Callable[[Any, dict[str, str]], None]:
    return lambda page, _: page.goto(path)


def go_to(key: str) -> Callable[[Any, dict[str, str]], None]:
    """A page whose address the setup below found (a license, a link from an email)."""
    return lambda page, found: page.goto(found[key])


def post_from_page(path: str, fields: dict[str, str]) -> Callable[[Any, dict[str, str]], None]:
    """The page a form's answer shows: a form posted by the browser itself, as without script."""

    def open_answer(page: Any, _: dict[str, str]) -> None:
        page.goto(GUIDE)
        with page.expect_navigation():
            page.evaluate(
                """([action, fields]) => {
                  const form = document.createElement('form');
                  form.method = 'post'; form.action = action;
                  for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement('input');
                    input.type = 'hidden'; input.name = name; input.value = value; form.append(input);
                  }
                  document.body.append(form); form.submit();
                }""",
                [path, fields],
            )

    return open_answer


def import_dry_run(page: Any, _: dict[str, str]) -> None:
    page.goto("/web/licenses/import")
    csv_text = (
        "product,client_name,client_email,payment_origin\n"
        "livechat,Reflow Import Limited,someone.with.a.long.address@reflow-import.example,partner\n"
        "livechat,Bad,nope,partner\n"
    )
    page.get_by_label("CSV file (up to 200 rows)").set_input_files(
        {"name": "customers.csv", "mimeType": "text/csv", "buffer": csv_text.encode()}
    )
    page.get_by_role("button", name="Check the file").click()
    page.locator("[data-import-checked]").wait_for()


def token_revoke(page: Any, _: dict[str, str]) -> None:
    page.goto("/web/tokens")
    page.get_by_role("row", name="Reflow").get_by_role("link", name="Revoke").click()
    page.get_by_role("button", name="Revoke token").wait_for()


SIGNED_OUT = [
    Visit("index", go("/index.html"), signed_in=False),
    Visit("guide-setting-up-licenses", go(GUIDE), signed_in=False),
    Visit("guide-payment-types", go("/guides/payment-types.html"), signed_in=False),
    Visit("api-reference", go("/reference/api.html"), signed_in=False),
    Visit("not-found", go("/no-such-page.html"), signed_in=False, status=404),
    Visit("sign-in", go("/sign-in.html"), signed_in=False),
    Visit("sign-in-sent", go("/sign-in-sent.html"), signed_in=False),
    Visit("sign-in-confirm", go_to("sign_in_link"), signed_in=False),
    Visit("signed-out", go("/signed-out.html"), signed_in=False),
    Visit("license-received", go("/license-received.html"), signed_in=False),
    Visit("invitation", go_to("invitation_link"), signed_in=False),
    Visit("unsubscribe", go_to("unsubscribe_link"), signed_in=False),
    Visit("unsubscribe-link-expired", go("/web/unsubscribe?token=out-of-date"), signed_in=False, status=400),
    Visit("signed-out-licenses", go("/web/licenses"), signed_in=False, status=401),
]
SIGNED_IN = [
    Visit("guide-with-the-wizard", go(GUIDE)),
    Visit("licenses", go("/web/licenses")),
    Visit("licenses-page-2", go_to("second_page")),
    Visit("license", go_to("license")),
    Visit(
        "create-license-with-errors",
        post_from_page(
            "/web/licenses", {"product": "livechat", "payment_origin": "partner", "client_name": ""}
        ),
        status=400,
    ),
    Visit("import", go("/web/licenses/import")),
    Visit("import-dry-run", import_dry_run),
    Visit("tokens", go("/web/tokens")),
    Visit("token-revoke", token_revoke),
    Visit("profile", go("/web/profile")),
    Visit("earnings", go("/web/earnings")),
    Visit("payouts", go("/web/payouts")),
    Visit("leads", go("/web/leads")),
    Visit("dev-outbox", go("/_dev/outbox")),
]


@dataclass
class Browsers:
    signed_out: Any
    signed_in: Any
    found: dict[str, str]
    server: SiteServer
    login: str


@pytest.fixture(scope="module")
def browsers(chromium: Any, site_server: SiteServer) -> Iterator[Browsers]:
    """One partner, signed in, with enough licenses for a second page, a token and an email of
    each kind; and a browser that never signed in."""
    assert AXE.exists(), "axe-core is missing: `make test` installs it with npm"
    contexts = [chromium.new_context(base_url=site_server.base, bypass_csp=True) for _ in range(2)]
    signed_out, signed_in = (context.new_page() for context in contexts)
    for page in (signed_out, signed_in):
        page.set_default_timeout(15_000)
    login = site_server.new_partner("Reflow Agency With A Rather Long Trading Name")
    sign_in(signed_in, site_server, login)
    found = _set_up(signed_in, site_server)
    signed_out.goto("/sign-in.html")
    signed_out.get_by_label("Partner account email").fill(login)
    signed_out.get_by_role("button", name="Email me a sign-in link").click()
    signed_out.wait_for_url("**/sign-in-sent.html")
    site_server.wait_for_emails(login, 2)
    found["sign_in_link"] = site_server.sign_in_link(login)
    found["unsubscribe_link"] = _unsubscribe_link(site_server)
    yield Browsers(signed_out, signed_in, found, site_server, login)
    for context in contexts:
        context.close()


def _set_up(page: Any, server: SiteServer) -> dict[str, str]:
    for n in range(16):  # one more than a page of the list
        create_in_browser(page, server, f"Reflow Customer {n:02d}", f"owner{n:02d}@reflow-customer.example")
    page.goto("/web/licenses")
    second_page = page.get_by_role("link", name="Next page").get_attribute("href")
    license_url = page.get_by_role("link", name="Reflow Customer 15").get_attribute("href")
    page.goto("/web/tokens")
    page.get_by_label("Label").fill("Reflow")
    page.get_by_role("button", name="Create token").click()
    page.locator("[data-new-token]").wait_for()
    [invitation] = server.wait_for_emails("owner00@reflow-customer.example", 1)[-1:]
    link = next(word for word in invitation["text"].split() if "/web/invitations/accept?token=" in word)
    return {"second_page": second_page, "license": license_url, "invitation_link": link}


def _unsubscribe_link(server: SiteServer) -> str:
    """A summary email's link, signed with the dev server's own secret (the summaries are sent
    on their schedule, not while a test waits)."""
    import boto3

    from partnerapp import runtime_secrets
    from partnerapp.mail.summaries import WEEKLY
    from partnerapp.services import unsubscribe_links
    from partnerapp_infra.aws import template
    from partnerapp_infra.local.emulator import HOME_REGION

    secrets = boto3.client(
        "secretsmanager",
        endpoint_url=server.aws_endpoint,
        region_name=HOME_REGION,
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    secret_id = template.parameter_default("KeyedHashSecretId")
    raw = secrets.get_secret_value(SecretId=secret_id)["SecretString"]
    secret = runtime_secrets.parse(secret_id, raw).current
    return unsubscribe_links.url("", secret, "reflow-partner", WEEKLY, datetime.now(UTC))


def overflow(page: Any) -> dict[str, Any]:
    return page.evaluate(OVERFLOW)  # type: ignore[no-any-return]


def _shoot(page: Any, name: str, width: int) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    # The API reference is tall: a whole-page capture of it takes a while on a busy machine.
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True, timeout=90_000)


@pytest.mark.parametrize("visit", SIGNED_OUT + SIGNED_IN, ids=lambda v: v.name)
def test_the_page_reflows_at_320_px_and_axe_finds_nothing_at_320_and_1280(
    visit: Visit, browsers: Browsers, record_property: Any
) -> None:
    page = browsers.signed_in if visit.signed_in else browsers.signed_out
    page.set_viewport_size({"width": NARROWEST, "height": HEIGHT})
    visit.open(page, browsers.found)
    page.wait_for_load_state("load")
    assert page.evaluate("performance.getEntriesByType('navigation')[0].responseStatus") == visit.status
    _shoot(page, visit.name, NARROWEST)
    found = overflow(page)
    assert found["scrollWidth"] <= NARROWEST and not found["wide"], found
    audit(page, f"{visit.name} at {NARROWEST} px", record_property)
    for width in (TABLET, DESKTOP):
        page.set_viewport_size({"width": width, "height": HEIGHT})
        _shoot(page, visit.name, width)
    audit(page, f"{visit.name} at {DESKTOP} px", record_property)


# --- at 390 px, the phone of the issue ---------------------------------------------------------

PHONE = 390
READABLE_PX = 10  # the smallest chart label a person reads without zooming


def _lines(page: Any, selector: str) -> list[list[str]]:
    """The texts of the visible elements matched by `selector`, line by line."""
    found = page.locator(selector).evaluate_all(
        "es => es.filter(e => e.offsetParent)"
        ".map(e => [Math.round(e.getBoundingClientRect().top), e.textContent.trim()])"
    )
    lines: list[tuple[int, list[str]]] = []
    for top, text in sorted(found):
        if lines and top - lines[-1][0] <= 8:
            lines[-1][1].append(text)
        else:
            lines.append((top, [text]))
    return [texts for _, texts in lines]


def test_the_signed_out_header_takes_two_rows_at_most_on_a_phone(browsers: Browsers) -> None:
    page = browsers.signed_out
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})
    page.goto("/index.html")
    lines = _lines(page, ".site-header a")
    assert len(lines) <= 2, lines


def test_sign_out_and_every_account_link_are_on_screen_on_a_phone(browsers: Browsers) -> None:
    page = browsers.signed_in
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})
    page.goto("/web/profile")
    session = page.locator("[data-session]")
    for name in ("Your licenses", "Your earnings", "Payouts", "Your leads", "API tokens", "Profile"):
        box = session.get_by_role("link", name=name).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, name
    sign_out = session.get_by_role("button", name="Sign out")
    box = sign_out.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    sign_out.click()
    page.wait_for_url("**/signed-out.html")
    sign_in(page, browsers.server, browsers.login)


@pytest.mark.parametrize("path", ["/web/earnings", "/web/licenses"])
def test_the_charts_labels_are_readable_on_a_phone(browsers: Browsers, path: str) -> None:
    page = browsers.signed_in
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})
    page.goto(path)
    sizes = page.locator("figure svg text").evaluate_all(
        "ts => ts.filter(t => t.getBoundingClientRect().height > 0)"
        ".map(t => t.getBoundingClientRect().height)"
    )
    assert sizes and min(sizes) >= READABLE_PX, sizes


# --- the list's pages and the import's sample, as a partner uses them on a phone -----------------


def test_a_partner_pages_forward_and_back_through_the_list_on_a_phone(browsers: Browsers) -> None:
    page = browsers.signed_in
    page.set_viewport_size({"width": PHONE, "height": HEIGHT})
    page.goto("/web/licenses")
    count = page.locator("[data-license-count]")
    expect(count).to_have_text("1 to 15 of 16 licenses")
    page.get_by_role("link", name="Next page").click()
    expect(count).to_have_text("16 to 16 of 16 licenses")
    expect(page.locator("[data-licenses] tbody tr")).to_have_count(1)
    page.get_by_role("link", name="Previous page").click()
    expect(count).to_have_text("1 to 15 of 16 licenses")
    expect(page.get_by_role("link", name="Previous page")).to_have_count(0)


def test_the_import_pages_sample_file_downloads_with_every_column(browsers: Browsers) -> None:
    from partnerapp.schemas.license_rows import FIELD_COLUMNS

    page = browsers.signed_in
    page.goto("/web/licenses/import")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download a sample file").click()
    header = Path(download.value.path()).read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",") == list(FIELD_COLUMNS)
    assert download.value.suggested_filename == "licenses-sample.csv"
