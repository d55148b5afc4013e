"""The "Your licenses" page through the handlers: the table, its filters and pages, the CSV
file and the trials chart, for the signed-in partner only."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime
from typing import Any

import botocore.client
import pytest

from tests.conftest import ApiClient, PartnerAccount
from tests.site.conftest import MovableClock, WebClient
from tests.site.license_support import create_license, subscribe

PAGE = "/web/licenses"


def _rows(html: str) -> list[int]:
    """The license ids in the table, top to bottom."""
    return [int(n) for n in re.findall(r'<tr data-license="(\d+)">', html)]


@pytest.fixture
def dynamodb_reads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """Every DynamoDB call the code under test makes: (operation, request, response)."""
    calls: list[tuple[str, dict[str, Any], dict[str, Any]]] = []
    original = botocore.client.BaseClient._make_api_call

    def recording(self: Any, operation: str, params: dict[str, Any]) -> Any:
        response = original(self, operation, params)
        if self.meta.service_model.service_name == "dynamodb":
            calls.append((operation, params, response))
        return response

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recording)
    return calls


def _next_page(html: str) -> str | None:
    found = re.search(r'<a href="([^"]+)" rel="next">Next page</a>', html)
    return found[1].replace("&amp;", "&") if found else None


def test_the_table_shows_the_partners_licenses_from_both_regions(
    clock: MovableClock,
    signed_in: WebClient,
    api: ApiClient,
    partner: PartnerAccount,
    other_partner: PartnerAccount,
) -> None:
    # Given licenses in both data regions, one paid, and another partner's license
    us = create_license(api, partner, client_name="Acme Corporation", client_email="owner@acme.example")
    clock.advance(minutes=1)
    eu = create_license(
        api,
        partner,
        "chatbot",
        client_name="Globex Europe",
        client_email="owner@globex.example",
        payment_origin="client",
        data_center="eu-west3",
    )
    subscribe(api, partner, us)
    theirs = create_license(api, other_partner, client_name="Rival Customer", client_email="x@rival.example")
    # When the partner opens "Your licenses"
    page = signed_in.get(PAGE)
    # Then both of theirs are listed, newest first, and nothing of the other partner's
    assert page.status == 200 and page.header("content-type") == "text/html; charset=utf-8"
    assert _rows(page.text) == [eu, us] and theirs not in _rows(page.text)
    assert "Rival Customer" not in page.text
    # And each row says status, product, customer, who manages it, trial end and seats
    eu_row = page.text[page.text.index(f'data-license="{eu}"') :].split("</tr>")[0]
    assert f'href="/web/licenses/chatbot/{eu}">Globex Europe</a>' in eu_row
    assert "<td>Trial</td><td>ChatBot</td><td>Customer</td>" in eu_row
    assert re.search(r"<td>\d{4}-\d\d-\d\d</td><td>0</td>$", eu_row)
    us_row = page.text[page.text.index(f'data-license="{us}"') :].split("</tr>")[0]
    assert "<td>Paid</td><td>LiveChat</td><td>You (partner)</td>" in us_row
    assert "not in trial" in us_row
    # And the header links here, marked as the current page
    assert '<a href="/web/licenses" aria-current="page">Your licenses</a>' in page.text


def test_filters_narrow_the_table_by_status_and_product(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    paid = create_license(api, partner, client_email="paid@acme.example")
    trial = create_license(api, partner, client_email="trial@acme.example")
    bot = create_license(api, partner, "chatbot", client_email="bot@acme.example", data_center="eu-west3")
    subscribe(api, partner, paid)
    assert _rows(signed_in.get(f"{PAGE}?status=paid").text) == [paid]
    assert _rows(signed_in.get(f"{PAGE}?product=chatbot").text) == [bot]
    assert _rows(signed_in.get(f"{PAGE}?status=trial&product=livechat").text) == [trial]
    both = signed_in.get(f"{PAGE}?status=trial&product=chatbot")
    assert _rows(both.text) == [bot]
    # The form shows the filters in use
    assert '<option value="trial" selected>Trial</option>' in both.text
    assert '<option value="chatbot" selected>ChatBot</option>' in both.text
    none = signed_in.get(f"{PAGE}?status=expired")
    assert none.status == 200 and _rows(none.text) == [] and "No licenses match these filters" in none.text


def test_an_unknown_filter_is_named_next_to_its_field(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    create_license(api, partner)
    page = signed_in.get(f"{PAGE}?status=cancelled&product=skype")
    assert page.status == 400
    assert re.search(
        r'id="status-error"><span class="visually-hidden">Error:</span> Choose one of: Trial, Paid', page.text
    )
    assert (
        'id="product-error"' in page.text
        and '<a href="#product">Product: Choose one of: LiveChat, ChatBot.</a>' in page.text
    )
    assert 'aria-invalid="true" aria-describedby="status-error"' in page.text
    assert _rows(page.text) == []


@pytest.mark.parametrize("product", [None, "livechat"])
def test_pages_walk_every_license_once(
    clock: MovableClock,
    signed_in: WebClient,
    api: ApiClient,
    partner: PartnerAccount,
    monkeypatch: pytest.MonkeyPatch,
    product: str | None,
) -> None:
    from partnerapp.web import license_list

    monkeypatch.setattr(license_list, "PAGE_SIZE", 3)
    # Given eight licenses across both regions and both products
    created = []
    for n in range(8):
        name = "chatbot" if n % 3 == 0 else "livechat"
        region = "eu-west3" if n % 2 else "us-south1"
        clock.advance(minutes=1)  # newest first is by creation time
        created.append(
            (name, create_license(api, partner, name, client_email=f"c{n}@acme.example", data_center=region))
        )
    expected = [number for name, number in reversed(created) if product in (None, name)]
    # When the partner follows "Next page" to the end
    seen: list[int] = []
    url: str | None = PAGE + (f"?product={product}" if product else "")
    while url:
        page = signed_in.get(url)
        assert page.status == 200, page.text
        rows = _rows(page.text)
        assert 0 < len(rows) <= 3
        seen += rows
        url = _next_page(page.text)
        if url:
            assert "First page" in signed_in.get(url).text and (not product or f"product={product}" in url)
    # Then every license was shown once, newest first
    assert seen == expected


def _link(html: str, text: str) -> str | None:
    found = re.search(rf'<a href="([^"]+)"[^>]*>{text}</a>', html)
    return found[1].replace("&amp;", "&") if found else None


def _shown(html: str) -> str:
    found = re.search(r"<p[^>]*data-license-count[^>]*>(.*?)</p>", html, re.S)
    return re.sub(r"\s+", " ", found[1]).strip() if found else ""


@pytest.mark.parametrize("status", [None, "trial"])
def test_previous_page_walks_back_and_each_page_says_which_of_how_many(
    clock: MovableClock,
    signed_in: WebClient,
    api: ApiClient,
    partner: PartnerAccount,
    monkeypatch: pytest.MonkeyPatch,
    status: str | None,
) -> None:
    from partnerapp.web import license_list

    monkeypatch.setattr(license_list, "PAGE_SIZE", 3)
    # Given eight licenses in both regions, one of them paid
    created = []
    for n in range(8):
        clock.advance(minutes=1)
        region = "eu-west3" if n % 2 else "us-south1"
        created.append(create_license(api, partner, client_email=f"c{n}@acme.example", data_center=region))
    subscribe(api, partner, created[0])
    total = 7 if status else 8
    # When the partner follows "Next page" to the last page
    pages: list[list[int]] = []
    url: str | None = PAGE + (f"?status={status}" if status else "")
    while url:
        page = signed_in.get(url)
        assert page.status == 200, page.text
        pages.append(_rows(page.text))
        # Then each page says which licenses of how many it shows
        first = 3 * (len(pages) - 1) + 1
        noun = "trial licenses" if status else "licenses"
        assert _shown(page.text) == f"{first} to {first + len(pages[-1]) - 1} of {total} {noun}"
        url = _next_page(page.text)
    assert len(pages) == 3
    # And "Previous page" goes back through the same pages to the first, which has none
    back = [pages[-1]]
    url = _link(page.text, "Previous page")
    while url:
        page = signed_in.get(url)
        assert page.status == 200, page.text
        back.append(_rows(page.text))
        url = _link(page.text, "Previous page")
    assert back == list(reversed(pages))
    assert "First page" not in page.text and (not status or "status=trial" in (_next_page(page.text) or ""))


def test_a_page_number_that_is_not_one_is_refused_by_name(signed_in: WebClient) -> None:
    page = signed_in.get(f"{PAGE}?page=abc")
    assert (
        page.status == 400
        and "Page: A page number from 1 to 100,000." in page.text
        and 'id="page"' in page.text
    )


def test_a_page_link_of_other_filters_is_refused(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnerapp.web import license_list

    monkeypatch.setattr(license_list, "PAGE_SIZE", 1)
    for n in range(2):
        create_license(api, partner, client_email=f"c{n}@acme.example")
    link = _next_page(signed_in.get(PAGE).text)
    assert link and "cursor=" in link
    cursor = link.split("cursor=")[1]
    page = signed_in.get(f"{PAGE}?status=paid&cursor={cursor}")
    assert page.status == 400 and "This page link belongs to other filters or is out of date." in page.text
    assert signed_in.get(f"{PAGE}?cursor=not-a-cursor").status == 400


def test_the_csv_download_has_the_apis_columns_and_the_filters_rows(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    from partnerapp.services.reports import CSV_COLUMNS

    chat = create_license(api, partner, client_name="Acme Corporation", client_email="owner@acme.example")
    create_license(api, partner, "chatbot", client_email="bot@acme.example", data_center="eu-west3")
    create_license(api, other_partner, client_email="owner@rival.example")
    page = signed_in.get(f"{PAGE}?product=livechat")
    assert 'href="/web/licenses/csv?product=livechat" download' in page.text
    answer = signed_in.get("/web/licenses/csv?product=livechat")
    assert answer.status == 200 and answer.header("content-type") == "text/csv; charset=utf-8"
    assert answer.header("content-disposition") == 'attachment; filename="licenses.csv"'
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0] == list(CSV_COLUMNS)
    assert [(r[0], r[1], r[2], r[3], r[7]) for r in rows[1:]] == [
        (str(chat), "partner", "trial", "Acme Corporation", "LiveChat")
    ]
    everything = list(csv.reader(io.StringIO(signed_in.get("/web/licenses/csv").text)))
    assert len(everything) == 3  # the header and this partner's two
    assert signed_in.get("/web/licenses/csv?product=skype").status == 400


def test_the_chart_counts_trials_and_conversions_per_month(
    clock: MovableClock, api: ApiClient, partner: PartnerAccount, web: WebClient
) -> None:
    # Given two trials started in January 2026, one in March, and one from long ago
    clock.now = datetime(2024, 6, 1, 12, tzinfo=UTC)
    old = create_license(api, partner, client_email="old@acme.example")
    clock.now = datetime(2026, 1, 10, 12, tzinfo=UTC)
    first = create_license(api, partner, client_email="a@acme.example")
    create_license(api, partner, "chatbot", client_email="b@acme.example", data_center="eu-west3")
    clock.now = datetime(2026, 3, 3, 12, tzinfo=UTC)
    create_license(api, partner, client_email="c@acme.example")
    # And conversions in March: one of January's trials, and the trial from long ago
    subscribe(api, partner, first)
    old_conversion = api.post(
        "/v2/partners/solutions/licenses/livechat/" + str(old) + "/subscription",
        token=partner.token,
        json_body={"plan": "starter", "billing_cycle": "annual", "seats": 1, "token": "tok_1"},
    )
    assert old_conversion.status == 201
    # When the partner looks in April 2026
    clock.now = datetime(2026, 4, 20, 12, tzinfo=UTC)
    web.sign_in("agency@partner.example")
    page = web.get(PAGE)
    assert page.status == 200
    # Then the table beside the chart has every month from May 2025 to April 2026
    table = page.text[page.text.index("<table data-trials>") :]
    months = re.findall(r'<tr><th scope="row">(\d{4}-\d\d)</th><td>(\d+)</td><td>(\d+)</td></tr>', table)
    assert [m for m, _, _ in months] == [f"2025-{n:02d}" for n in range(5, 13)] + [
        f"2026-{n:02d}" for n in range(1, 5)
    ]
    counts = {m: (int(t), int(c)) for m, t, c in months}
    assert counts["2026-01"] == (2, 0) and counts["2026-03"] == (1, 2)
    assert sum(t for t, _ in counts.values()) == 3  # the 2024 trial is outside the twelve months
    # And the chart draws them: inline SVG, no script, no style attribute
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert "<script" not in svg and "style=" not in svg
    assert "<title>2026-01: 2 trials started, 0 conversions</title>" in svg
    assert "<title>2026-03: 1 trial started, 2 conversions</title>" in svg
    assert svg.count('fill="#1a5fb4"') == 2 and svg.count('fill="#26734d"') == 1  # no bar for zero
    # The axis is whole numbers, up to the nearest step above the tallest bar
    assert re.findall(r'fill="#3c4043">(\d+)</text>', svg)[:5] == ["0", "1", "2", "3", "4"]
    # And the two January bars, on a 0..4 axis, are half the plot high
    heights = [
        float(h)
        for h in re.findall(
            r'<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="([\d.]+)" fill="#1a5fb4"', svg
        )
    ]
    assert heights == [118.0, 59.0]


def test_the_chart_reads_only_its_twelve_months_whatever_the_partners_total(
    clock: MovableClock,
    api: ApiClient,
    partner: PartnerAccount,
    web: WebClient,
    monkeypatch: pytest.MonkeyPatch,
    dynamodb_reads: list[tuple[str, dict[str, Any], dict[str, Any]]],
) -> None:
    from partnerapp.web import license_list

    monkeypatch.setattr(license_list, "PAGE_SIZE", 1)  # the table reads one license per region
    # Given thirty licenses from two years ago in both regions, five of them converted then
    clock.now = datetime(2024, 3, 1, 12, tzinfo=UTC)
    for n in range(30):
        old = create_license(
            api, partner, client_email=f"old{n}@acme.example", data_center=("us-south1", "eu-west3")[n % 2]
        )
        if n % 6 == 0:
            subscribe(api, partner, old)
    # And three recent trials, one of them converted this month
    clock.now = datetime(2026, 3, 10, 12, tzinfo=UTC)
    recent = [create_license(api, partner, client_email=f"new{n}@acme.example") for n in range(2)]
    recent.append(create_license(api, partner, client_email="eu@acme.example", data_center="eu-west3"))
    subscribe(api, partner, recent[0])
    # When the partner opens the page
    clock.now = datetime(2026, 4, 2, 12, tzinfo=UTC)
    web.sign_in("agency@partner.example")
    dynamodb_reads.clear()
    page = web.get(PAGE)
    assert page.status == 200
    assert "<title>2026-03: 3 trials started, 1 conversion</title>" in page.text
    # Then every read is a GetItem or a Query on a key, never a Scan
    operations = [operation for operation, _, _ in dynamodb_reads]
    assert set(operations) <= {"GetItem", "BatchGetItem", "Query", "UpdateItem", "PutItem"}
    # And the table reads its one license per region, the chart only kept counts: one Query
    # per region on the partner's counts, bounded by the twelve months, whose month items
    # hold the four recent events (three trials, one conversion), none of the thirty old ones
    queries = [(request, response) for operation, request, response in dynamodb_reads if operation == "Query"]
    table = [response for request, response in queries if request.get("IndexName") == "by_partner"]
    assert sum(response["ScannedCount"] for response in table) <= 2
    chart = [(request, response) for request, response in queries if "IndexName" not in request]
    assert len(chart) == 2
    for request, response in chart:
        bounds = request["ExpressionAttributeValues"]
        assert (bounds[":low"]["S"], bounds[":high"]["S"]) == ("R#M#202505", "R#M#202604#~")
        assert all(item["sk"]["S"].startswith("R#M#2026") for item in response["Items"])
    assert sum(response["ScannedCount"] for _, response in chart) <= 4


def test_signed_out_the_pages_ask_to_sign_in(web: WebClient) -> None:
    for url in (PAGE, "/web/licenses/csv"):
        page = web.get(url)
        assert page.status == 401 and f'href="/web/sign-in?next={url}"' in page.text, url
        assert "text/csv" not in (page.header("content-type") or "")
