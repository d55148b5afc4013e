"""`/web/article-feedback`: "Was this article helpful?" on every help-center article.

A plain form post (no JavaScript) is answered 303 back to the article, at the anchor of its
thank-you (the static page shows it with CSS `:target`); the page's script sends the same
form with `Accept: application/json` and shows the answer in place. No sign-in: anybody
reading the article may answer, posts must come from the site's pages, and each client has
a small budget per minute. After a "no", `/web/article-feedback/comment` takes an optional
"What were you looking for?" text.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.shared.cookies import Cookie, SameSite

from partnerapp.api import browser
from partnerapp.api.client_address import client_address
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError, error_response
from partnerapp.api.responses import json_response
from partnerapp.domain.article_votes import ARTICLES, COMMENT_THANKS, THANKS

if TYPE_CHECKING:
    from partnerapp.services.article_feedback import ArticleFeedback

router = APIGatewayHttpRouter()
logger = Logger(child=True)

VOTE_PATH = "/web/article-feedback"
COMMENT_PATH = "/web/article-feedback/comment"
NEEDS_NO_FIRST = (
    "Answer \u201cNo\u201d to \u201cWas this article helpful?\u201d first: this question follows it."
)


def _feedback() -> ArticleFeedback:
    # Cheap to build: it holds the process's one DynamoDB client (store.clients caches it).
    from partnerapp.services.article_feedback import ArticleFeedback

    return ArticleFeedback(dependencies().settings)


@router.post(VOTE_PATH)
def vote() -> Response[str]:
    event = router.current_event
    as_json = _wants_json(event.headers)
    try:
        fields = _accepted_post(event)
        loaded = _load("vote", fields)
        if loaded["website"]:
            logger.info("article feedback honeypot filled: nothing counted")
            return _voted(loaded["article"], loaded["answer"], as_json, cookie=None)
        from partnerapp.services.article_feedback import VOTE_COOKIE_DAYS, vote_cookie_name

        article, answer = loaded["article"], loaded["answer"]
        name = vote_cookie_name(article)
        recorded = _feedback().vote(article, answer, browser_cookie(event, name), dependencies().clock())
    except ApiError as error:
        return _refused(error, as_json)
    if recorded.changed:
        _count_metric(f"ArticleHelpful{answer.capitalize()}", article)
    cookie = _vote_cookie(name, recorded.cookie_value, int(timedelta(days=VOTE_COOKIE_DAYS).total_seconds()))
    return _voted(article, answer, as_json, cookie=cookie)


@router.post(COMMENT_PATH)
def comment() -> Response[str]:
    event = router.current_event
    as_json = _wants_json(event.headers)
    try:
        fields = _accepted_post(event)
        loaded = _load("comment", fields)
        article = loaded["article"]
        if not loaded["website"]:
            from partnerapp.services.article_feedback import vote_cookie_name

            counted = _feedback().counted_vote(article, browser_cookie(event, vote_cookie_name(article)))
            if counted is None or counted.answer != "no":
                raise ApiError(409, "conflict", NEEDS_NO_FIRST, {"comment": [NEEDS_NO_FIRST]})
            _feedback().comment(article, loaded["comment"], dependencies().clock())
            _count_metric("ArticleComment", article)
    except ApiError as error:
        return _refused(error, as_json)
    if as_json:
        return json_response(200, {"thanks": COMMENT_THANKS})
    return browser.see_other(f"{ARTICLES[article].path}#feedback-sent")


def _count_metric(name: str, article: str) -> None:
    """One CloudWatch metric (EMF) per answer, with the article as its dimension: its own
    blob, so the article never becomes a dimension of the request's other metrics."""
    with single_metric(name=name, unit=MetricUnit.Count, value=1) as metric:
        metric.add_dimension(name="article", value=article)


def _accepted_post(event: Any) -> list[tuple[str, str]]:
    """Same origin, within the client's budget, and a form body: its fields in order."""
    browser.require_same_origin(event)
    wait = _feedback().wait_seconds(
        client_address(event, dependencies().settings.local), dependencies().clock()
    )
    if wait is not None:
        raise ApiError(
            429,
            "rate_limited",
            "Too many answers from here in a minute; please try again shortly.",
            headers={"Retry-After": str(wait)},
        )
    return parse_qsl(browser.form_body(event), keep_blank_values=True)


def _load(kind: str, pairs: list[tuple[str, str]]) -> dict[str, Any]:
    from marshmallow import ValidationError

    from partnerapp.schemas.article_feedback import CommentSchema, VoteSchema

    twice = sorted(name for name, n in Counter(name for name, _ in pairs).items() if n > 1)
    if twice:
        raise ApiError(400, "validation", "A field is sent twice.", {n: ["Duplicated field."] for n in twice})
    schema = VoteSchema() if kind == "vote" else CommentSchema()
    try:
        loaded: dict[str, Any] = schema.load(dict(pairs))
    except ValidationError as error:
        fields = {k: [str(m) for m in v] for k, v in error.normalized_messages().items()}
        raise ApiError(400, "validation", "Some fields are missing or invalid.", fields) from None
    return loaded


def browser_cookie(event: Any, name: str) -> str | None:
    for cookie in event.cookies or []:
        key, _, value = cookie.partition("=")
        if key.strip() == name and value.strip():
            return value.strip()  # type: ignore[no-any-return]
    return None


def _vote_cookie(name: str, value: str, max_age: int) -> Cookie:
    # Sent back only to the feedback routes; the pages never need to read it.
    return Cookie(
        name=name,
        value=value,
        path=VOTE_PATH,
        secure=not dependencies().settings.local,
        http_only=True,
        max_age=max_age,
        same_site=SameSite.LAX_MODE,
    )


def _wants_json(headers: dict[str, str]) -> bool:
    return "application/json" in (headers.get("accept") or "")


def _voted(article: str, answer: str, as_json: bool, cookie: Cookie | None) -> Response[str]:
    cookies = [cookie] if cookie else None
    if as_json:
        body = {"answer": answer, "thanks": THANKS[answer], "ask_comment": answer == "no"}
        response = json_response(200, body)
        response.cookies = cookies or []
        return response
    return browser.see_other(f"{ARTICLES[article].path}#feedback-{answer}", cookies=cookies)


def _refused(error: ApiError, as_json: bool) -> Response[str]:
    if as_json:
        return error_response(error)
    from partnerapp.web import pages

    problems = [f"{name}: {' '.join(messages)}" for name, messages in error.fields.items()]
    page = pages.message_page(
        "Your answer was not recorded",
        [error.message, *problems],
        [("/index.html", "Back to the help center")],
    )
    response = browser.html(error.status, page)
    response.headers.update(error.headers)
    return response
