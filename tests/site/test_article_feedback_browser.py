""" "Was this article helpful?" in a real browser (Chromium through Playwright) against the dev
server, with and without JavaScript; the counts and comments read back with
`partnerapp feedback report`, as an operator reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import expect

from partnerapp_infra.paths import REPO_ROOT
from tests.site.conftest import GUIDE, SiteServer

pytestmark = pytest.mark.devserver

YES_THANKS = "Thank you! We're happy to help."
NO_THANKS = "Got it! Thanks for your feedback."


def report(server: SiteServer) -> dict[str, dict[str, Any]]:
    """`partnerapp feedback report --json` against the dev server's emulator, by article."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PARTNERS_"))}
    environment["AWS_ENDPOINT_URL"] = server.aws_endpoint
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "partnerapp_infra.cli.main",
            "feedback",
            "report",
            "--json",
            "--comments",
            "50",
        ],
        env=environment,
        capture_output=True,
        check=True,
        cwd=REPO_ROOT,
        text=True,
    )
    return {a["article"]: a for a in json.loads(done.stdout)}


def week(server: SiteServer, article: str = "setting-up-licenses") -> tuple[int, int]:
    seven = report(server)[article]["windows"][0]
    assert seven["days"] == 7
    return seven["yes"], seven["no"]


@pytest.fixture(params=[True, False], ids=["with script", "without script"])
def reader(
    request: pytest.FixtureRequest, chromium: Any, site_server: SiteServer, unused_feedback_budget: None
) -> Iterator[Any]:
    """A reader's browser, with or without JavaScript, with the per-client budget unused."""
    context = chromium.new_context(base_url=site_server.base, java_script_enabled=request.param)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_a_vote_is_counted_once_per_browser_and_a_change_moves_it(
    reader: Any, site_server: SiteServer
) -> None:
    page = reader
    before = week(site_server)
    # Given a reader at the end of the guide
    page.goto(GUIDE)
    feedback = page.get_by_role("region", name="Was this article helpful?")
    expect(feedback).to_be_visible()
    # When they answer yes, they see its thank-you in place of the question
    feedback.get_by_role("button", name="Yes").click()
    expect(feedback.get_by_text(YES_THANKS)).to_be_visible()
    expect(feedback.get_by_role("button", name="Yes")).to_be_hidden()
    assert week(site_server) == (before[0] + 1, before[1])
    # When they come back and answer yes again, nothing more is counted
    page.goto(GUIDE)
    feedback.get_by_role("button", name="Yes").click()
    expect(feedback.get_by_text(YES_THANKS)).to_be_visible()
    assert week(site_server) == (before[0] + 1, before[1])
    # When they change their mind, the count moves from yes to no, with the no thank-you
    page.goto(GUIDE)
    feedback.get_by_role("button", name="No").click()
    expect(feedback.get_by_text(NO_THANKS)).to_be_visible()
    expect(feedback.get_by_text(YES_THANKS)).to_be_hidden()
    assert week(site_server) == (before[0], before[1] + 1)


def test_the_comment_after_a_no_reaches_the_report(reader: Any, site_server: SiteServer) -> None:
    page = reader
    comment = f"How do I transfer a license to a colleague? ({uuid.uuid4().hex[:8]})"
    page.goto("/guides/payment-types.html")
    feedback = page.get_by_role("region", name="Was this article helpful?")
    feedback.get_by_role("button", name="No").click()
    expect(feedback.get_by_text(NO_THANKS)).to_be_visible()
    # The question follows the no, and the answer is optional
    box = feedback.get_by_label("What were you looking for? (optional)")
    expect(box).to_be_visible()
    box.fill(comment)
    feedback.get_by_role("button", name="Send").click()
    expect(feedback.get_by_text("Thanks, we read every answer")).to_be_visible()
    expect(box).to_be_hidden()
    comments = report(site_server)["payment-types"]["comments"]
    assert [c["text"] for c in comments].count(comment) == 1


def test_a_scripted_comment_is_refused_and_not_reported(
    chromium: Any, site_server: SiteServer, unused_feedback_budget: None
) -> None:
    context = chromium.new_context(base_url=site_server.base)
    page = context.new_page()
    page.goto("/reference/api.html")
    feedback = page.get_by_role("region", name="Was this article helpful?")
    feedback.get_by_role("button", name="No").click()
    box = feedback.get_by_label("What were you looking for? (optional)")
    box.fill("<script>alert('x')</script>")
    feedback.get_by_role("button", name="Send").click()
    # Then the reader is told why, next to the box, and nothing reaches the report
    expect(feedback.get_by_text("Write plain text: HTML tags are not accepted.")).to_be_visible()
    expect(box).to_have_attribute("aria-invalid", "true")
    assert all("<script>" not in c["text"] for c in report(site_server)["api-reference"]["comments"])
    context.close()


def test_the_report_prints_counts_shares_and_comments(site_server: SiteServer) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "PARTNERS_"))}
    environment["AWS_ENDPOINT_URL"] = site_server.aws_endpoint
    done = subprocess.run(
        [sys.executable, "-m", "partnerapp_infra.cli.main", "feedback", "report"],
        env=environment,
        capture_output=True,
        check=True,
        cwd=REPO_ROOT,
        text=True,
    )
    data = report(site_server)
    for article in data.values():
        assert f"{article['title']} ({article['article']})" in done.stdout
        for w in article["windows"]:
            share = "no answers" if w["helpful_percent"] is None else f"{w['helpful_percent']}% helpful"
            assert f"  last {w['days']} days: yes {w['yes']}, no {w['no']}, {share}" in done.stdout
