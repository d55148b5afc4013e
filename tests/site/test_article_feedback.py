""" "Was this article helpful?" through the handlers, as a browser posts it: votes counted once
per browser and article, a changed vote moving its count, the comment after a "no", and
hostile input refused with nothing stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import boto3
import pytest

from tests.site.conftest import MovableClock, WebClient

VOTE = "/web/article-feedback"
COMMENT = "/web/article-feedback/comment"
GUIDE_ID = "setting-up-licenses"
JSON = {"accept": "application/json"}


def _partners_items() -> list[dict[str, Any]]:
    # Tests may look at the whole table; the functions only ever Get or Query.
    table = boto3.client("dynamodb", region_name="us-east-1")
    return table.scan(TableName="partnerapp-partners")["Items"]  # type: ignore[no-any-return]


def _feedback_items() -> list[dict[str, Any]]:
    return [i for i in _partners_items() if i["pk"]["S"].startswith("ARTICLE#")]


def counts(article: str, day: date) -> tuple[int, int]:
    from partnerapp.settings import get_settings
    from partnerapp.store.article_feedback import ArticleFeedbackStore

    found = ArticleFeedbackStore(get_settings()).daily_counts(article, day, day)
    return (found[0].yes, found[0].no) if found else (0, 0)


def comments(article: str) -> list[dict[str, str]]:
    from partnerapp.settings import get_settings
    from partnerapp.store.article_feedback import ArticleFeedbackStore

    return ArticleFeedbackStore(get_settings()).latest_comments(article, 50)


def vote(web: WebClient, answer: str, article: str = GUIDE_ID, **kwargs: Any) -> Any:
    return web.post_form(VOTE, {"article": article, "answer": answer, "website": ""}, **kwargs)


@pytest.fixture
def today(clock: MovableClock) -> date:
    return clock.now.date()


def test_a_vote_without_script_is_counted_and_answered_with_its_thank_you(
    web: WebClient, today: date
) -> None:
    # When a reader answers "Yes" with the page's plain form
    answer = vote(web, "yes")
    # Then the browser goes back to the article's thank-you, and the yes is counted today
    assert answer.status == 303
    assert answer.header("location") == "/guides/setting-up-licenses.html#feedback-yes"
    assert counts(GUIDE_ID, today) == (1, 0)
    # And the browser keeps its vote in a first-party cookie for the feedback route only
    [cookie] = answer.cookies
    assert cookie.startswith("article_vote_setting_up_licenses=yes.")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/web/article-feedback" in cookie


def test_a_browser_votes_once_per_article_and_a_change_moves_the_count(web: WebClient, today: date) -> None:
    vote(web, "yes")
    # When the same browser answers "Yes" again, the count stays
    assert vote(web, "yes").status == 303
    assert counts(GUIDE_ID, today) == (1, 0)
    # When it changes its mind, the count moves from yes to no
    assert vote(web, "no").header("location") == "/guides/setting-up-licenses.html#feedback-no"
    assert counts(GUIDE_ID, today) == (0, 1)
    # Another browser's vote adds to it, and other articles are counted apart
    vote(WebClient(), "yes")
    vote(web, "yes", article="payment-types")
    assert counts(GUIDE_ID, today) == (1, 1)
    assert counts("payment-types", today) == (1, 0)


def test_a_change_on_a_later_day_takes_the_count_from_the_day_it_was_given(
    web: WebClient, clock: MovableClock
) -> None:
    first_day = clock.now.date()
    vote(web, "yes")
    clock.advance(days=2)
    vote(web, "no")
    assert counts(GUIDE_ID, first_day) == (0, 0)
    assert counts(GUIDE_ID, clock.now.date()) == (0, 1)


def test_with_script_the_answer_comes_back_as_json_with_the_thank_you(web: WebClient, today: date) -> None:
    yes = vote(web, "yes", headers=JSON)
    assert yes.status == 200
    assert yes.json() == {"answer": "yes", "thanks": "Thank you! We're happy to help.", "ask_comment": False}
    no = vote(web, "no", headers=JSON)
    assert no.json() == {"answer": "no", "thanks": "Got it! Thanks for your feedback.", "ask_comment": True}
    assert counts(GUIDE_ID, today) == (0, 1)


def test_a_forged_vote_cookie_cannot_take_a_count_away(web: WebClient, today: date) -> None:
    vote(WebClient(), "yes")
    # Given a browser whose cookie claims a yes it never gave
    web.cookies["article_vote_setting_up_licenses"] = f"yes.{today.isoformat()}.{'0' * 32}"
    # When it answers no, its no is counted and the other reader's yes stays
    vote(web, "no")
    assert counts(GUIDE_ID, today) == (1, 1)


def test_the_comment_after_a_no_is_stored_with_the_article_and_day_only(
    web: WebClient, clock: MovableClock, today: date
) -> None:
    vote(web, "no")
    answer = web.post_form(
        COMMENT,
        {"article": GUIDE_ID, "comment": "  How do I   move a license\nto another partner? ", "website": ""},
    )
    assert answer.status == 303
    assert answer.header("location") == "/guides/setting-up-licenses.html#feedback-sent"
    assert comments(GUIDE_ID) == [
        {"day": today.isoformat(), "text": "How do I move a license to another partner?"}
    ]
    [item] = [i for i in _feedback_items() if i["sk"]["S"].startswith("COMMENT#")]
    assert set(item) == {"pk", "sk", "day", "text", "expires_at"}  # nothing about who sent it
    kept_days = (int(item["expires_at"]["N"]) - int(clock.now.timestamp())) / 86400
    assert kept_days == 400
    # No address is stored anywhere, not even hashed beside the vote or comment
    assert "198.51.100.23" not in str(_partners_items())
    # And the script gets the same as JSON
    again = web.post_form(COMMENT, {"article": GUIDE_ID, "comment": "Transfers."}, headers=JSON)
    assert again.status == 200 and again.json()["thanks"].startswith("Thanks")


def test_a_comment_needs_a_no_first(web: WebClient) -> None:
    refused = web.post_form(COMMENT, {"article": GUIDE_ID, "comment": "Hello"}, headers=JSON)
    assert refused.status == 409 and "comment" in refused.json()["error"]["fields"]
    vote(web, "yes")
    assert web.post_form(COMMENT, {"article": GUIDE_ID, "comment": "Hello"}).status == 409
    assert comments(GUIDE_ID) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"article": "../../etc/passwd", "answer": "yes"}, "article"),
        ({"article": "x" * 5000, "answer": "yes"}, "article"),
        ({"article": GUIDE_ID, "answer": "maybe"}, "answer"),
        ({"article": GUIDE_ID}, "answer"),
        ({"article": GUIDE_ID, "answer": "yes", "user": "ann@acme.example"}, "user"),
    ],
)
def test_a_bad_vote_is_a_400_naming_the_field_and_counts_nothing(
    web: WebClient, fields: dict[str, str], field: str
) -> None:
    answer = web.post_form(VOTE, fields, headers=JSON)
    assert answer.status == 400, answer.text
    assert field in answer.json()["error"]["fields"]
    # Without script the same refusal is a page saying so
    page = web.post_form(VOTE, fields)
    assert page.status == 400 and "Your answer was not recorded" in page.text
    assert _feedback_items() == [] and answer.cookies == []


def test_a_field_sent_twice_is_refused(web: WebClient) -> None:
    answer = web.post_form(VOTE, [("article", GUIDE_ID), ("answer", "yes"), ("answer", "no")], headers=JSON)
    assert answer.status == 400 and answer.json()["error"]["fields"] == {"answer": ["Duplicated field."]}
    assert _feedback_items() == []


@pytest.mark.parametrize(
    "comment",
    [
        "x" * 501,
        "a" * 30_000,
        "<script>alert(1)</script>",
        'Nice <img src=x onerror="alert(1)">',
        "bell \x07 in it",
        "   ",
        "C1 \x9b control",
        "an \u202eoverride",
        "a \ufffe noncharacter",
    ],
    ids=["501 chars", "30k chars", "script", "img onerror", "control char", "blank", "C1", "bidi", "nonchar"],
)
def test_a_bad_comment_is_a_400_and_stores_nothing(web: WebClient, comment: str) -> None:
    vote(web, "no")
    before = _feedback_items()
    answer = web.post_form(COMMENT, {"article": GUIDE_ID, "comment": comment}, headers=JSON)
    assert answer.status == 400, answer.text
    assert "comment" in answer.json()["error"]["fields"]
    assert _feedback_items() == before


def test_a_body_over_64_kb_is_a_413(web: WebClient) -> None:
    vote(web, "no")
    answer = web.post_form(COMMENT, {"article": GUIDE_ID, "comment": "a" * 70_000}, headers=JSON)
    assert answer.status == 413
    assert comments(GUIDE_ID) == []


def test_posts_from_another_site_and_other_media_types_are_refused(today: date) -> None:
    other_site = WebClient(origin="https://evil.example")
    assert vote(other_site, "yes").status == 403
    no_origin = WebClient(origin=None)
    assert vote(no_origin, "yes").status == 403
    as_json = WebClient().post_json(VOTE, {"article": GUIDE_ID, "answer": "yes"})
    assert as_json.status == 415
    assert counts(GUIDE_ID, today) == (0, 0)


def test_a_filled_honeypot_looks_like_success_and_counts_nothing(web: WebClient, today: date) -> None:
    answer = web.post_form(VOTE, {"article": GUIDE_ID, "answer": "yes", "website": "http://spam.example"})
    assert answer.status == 303 and answer.header("location").endswith("#feedback-yes")
    assert counts(GUIDE_ID, today) == (0, 0) and answer.cookies == []


def test_a_flood_from_one_client_is_rate_limited_and_others_are_not(web: WebClient, today: date) -> None:
    from partnerapp.services.article_feedback import POSTS_PER_CLIENT_MINUTE

    flooder = "203.0.113.9"
    # Each post from a new browser (no cookie) would count: the budget is per client address
    answers = [
        vote(WebClient(source_ip=flooder), "yes", headers=JSON) for _ in range(POSTS_PER_CLIENT_MINUTE + 3)
    ]
    statuses = [a.status for a in answers]
    assert statuses == [200] * POSTS_PER_CLIENT_MINUTE + [429] * 3
    assert answers[-1].header("retry-after") and answers[-1].json()["error"]["type"] == "rate_limited"
    assert counts(GUIDE_ID, today) == (POSTS_PER_CLIENT_MINUTE, 0)
    # Another reader is unaffected, and the flooder's address is stored nowhere
    assert vote(WebClient(source_ip="192.0.2.44"), "no").status == 303
    assert counts(GUIDE_ID, today) == (POSTS_PER_CLIENT_MINUTE, 1)
    assert flooder not in str(_partners_items())


def test_a_client_rotating_x_forwarded_for_stays_within_its_one_budget(today: date) -> None:
    from partnerapp.services.article_feedback import POSTS_PER_CLIENT_MINUTE

    # Given one client that sends a new X-Forwarded-For with every post
    answers = [
        vote(WebClient(source_ip="203.0.113.9"), "yes", headers={**JSON, "x-forwarded-for": f"192.0.2.{n}"})
        for n in range(1, POSTS_PER_CLIENT_MINUTE + 3)
    ]
    # Then its budget is still the one of its address: the posts past it are refused
    assert [a.status for a in answers] == [200] * POSTS_PER_CLIENT_MINUTE + [429] * 2
    assert counts(GUIDE_ID, today) == (POSTS_PER_CLIENT_MINUTE, 0)


def test_each_counted_answer_is_a_cloudwatch_metric_of_its_article(
    web: WebClient, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    capsys.readouterr()
    vote(web, "yes")
    vote(web, "yes")  # the same answer again: not counted, no metric
    vote(web, "no")
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    emitted = [
        (m["Name"], blob["article"])
        for blob in blobs
        for d in blob["_aws"]["CloudWatchMetrics"]
        for m in d["Metrics"]
        if m["Name"].startswith("ArticleHelpful")
    ]
    assert emitted == [("ArticleHelpfulYes", GUIDE_ID), ("ArticleHelpfulNo", GUIDE_ID)]


def test_the_report_shows_counts_shares_over_7_and_30_days_and_the_latest_comments(
    clock: MovableClock, capsys: pytest.CaptureFixture[str]
) -> None:
    from partnerapp_infra.cli import main as cli

    # Given three yes and one no twenty days ago, and one yes and one no (with a comment) today
    for answer in ("yes", "yes", "yes", "no"):
        vote(WebClient(), answer)
    clock.advance(days=20)
    vote(WebClient(), "yes")
    commenter = WebClient()
    vote(commenter, "no")
    commenter.post_form(COMMENT, {"article": GUIDE_ID, "comment": 'Where is the "transfer" button?'})
    capsys.readouterr()
    # When the operator prints the report
    assert cli.main(["feedback", "report"]) == 0
    printed = capsys.readouterr().out
    # Then the guide shows both windows and the comment (quoted, on one line)
    guide = printed[printed.index("Setting up licenses for your customers (setting-up-licenses)") :]
    assert guide.splitlines()[1:5] == [
        "  last 7 days: yes 1, no 1, 50% helpful",
        "  last 30 days: yes 4, no 2, 67% helpful",
        "  latest comments:",
        f'    {clock.now.date().isoformat()}  "Where is the \\"transfer\\" button?"',
    ]
    assert "Payment types compared (payment-types)\n  last 7 days: yes 0, no 0, no answers" in printed


def test_each_vote_is_one_transaction_with_its_own_client_request_token(web: WebClient) -> None:
    """DynamoDB applies a TransactWriteItems once per ClientRequestToken (for ten minutes), and
    the SDK repeats a call whose answer was lost with the same parameters: so it counts once."""
    from partnerapp.settings import get_settings
    from partnerapp.store import clients

    sent: list[dict[str, Any]] = []
    db = clients.dynamodb(get_settings().home_region)
    db.meta.events.register(
        "provide-client-params.dynamodb.TransactWriteItems", lambda params, **_: sent.append(params)
    )
    vote(web, "yes")
    vote(web, "no")
    assert [len(p["TransactItems"]) for p in sent] == [1, 1]  # same day: one item, both counters
    tokens = [p["ClientRequestToken"] for p in sent]
    assert all(tokens) and len(set(tokens)) == 2
