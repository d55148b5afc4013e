"""Article feedback in the home region's partners table: vote counters, comments, budgets.

Keys (no personal data: no IP address, no session, nothing about who voted)
  ARTICLE#<article> / VOTES#<yyyy-mm-dd>           yes and no counters of one day (atomic ADD)
  ARTICLE#<article> / COMMENT#<at>#<id>           one "What were you looking for?" text, with
                                                  its day; kept COMMENT_DAYS (TTL expires_at)
  FEEDBACKCLIENT#<keyed hash> / RATE              posts of one client in one minute (TTL): the
                                                  hash covers the address and the minute, so it
                                                  names nobody and changes every minute

Reads are Queries on one article's partition: a day range of counters, the newest comments.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.article_votes import CounterMove, DayCounts
from partnerapp.settings import Settings
from partnerapp.store import clients
from partnerapp.store.codec import from_item, to_item, to_values
from partnerapp.store.errors import is_condition_failure

COMMENT_DAYS = 400
BUDGET_WINDOW = timedelta(minutes=1)


def article_pk(article_id: str) -> str:
    return f"ARTICLE#{article_id}"


def votes_sk(day: date) -> str:
    return f"VOTES#{day.isoformat()}"


COMMENT_PREFIX = "COMMENT#"


class ArticleFeedbackStore:
    def __init__(self, settings: Settings) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)

    def count(self, article_id: str, moves: list[CounterMove]) -> bool:
        """Apply a vote's counter moves together; False (nothing applied) when a count to
        take back is not there. One transaction whose ClientRequestToken the SDK repeats on
        a retry, so a write whose answer was lost is applied once, not twice."""
        actions = [self._move(article_id, day, [m for m in moves if m.day == day]) for day in _days(moves)]
        if not actions:
            return True
        try:
            self._db.transact_write_items(TransactItems=actions, ClientRequestToken=uuid.uuid4().hex)
        except ClientError as error:
            if is_condition_failure(error):
                return False
            raise
        return True

    def _move(self, article_id: str, day: date, moves: list[CounterMove]) -> dict[str, Any]:
        names = {f"#a{i}": m.answer for i, m in enumerate(moves)}
        values: dict[str, Any] = {f":d{i}": m.delta for i, m in enumerate(moves)}
        update: dict[str, Any] = {
            "TableName": self._table,
            "Key": to_item({"pk": article_pk(article_id), "sk": votes_sk(day)}),
            "UpdateExpression": "ADD " + ", ".join(f"#a{i} :d{i}" for i in range(len(moves))),
            "ExpressionAttributeNames": names,
        }
        taken_back = [f"#a{i} >= :one" for i, m in enumerate(moves) if m.delta < 0]
        if taken_back:
            update["ConditionExpression"] = " AND ".join(taken_back)
            values[":one"] = 1
        update["ExpressionAttributeValues"] = to_values(values)
        return {"Update": update}

    def add_comment(self, article_id: str, text: str, now: datetime) -> None:
        """Store one comment with its article and day only. The id is new per request, so a
        repeated put of the same item (a lost answer, retried) finds itself and is fine."""
        comment_id = uuid.uuid4().hex
        item = {
            "pk": article_pk(article_id),
            "sk": f"{COMMENT_PREFIX}{now.strftime('%Y%m%dT%H%M%S')}#{comment_id}",
            "day": now.date().isoformat(),
            "text": text,
            "expires_at": int((now + timedelta(days=COMMENT_DAYS)).timestamp()),
        }
        try:
            self._db.put_item(
                TableName=self._table,
                Item=to_item(item),
                ConditionExpression="attribute_not_exists(pk) OR (#text = :text AND #day = :day)",
                ExpressionAttributeNames={"#text": "text", "#day": "day"},
                ExpressionAttributeValues=to_values({":text": text, ":day": item["day"]}),
            )
        except ClientError as error:
            if not is_condition_failure(error):
                raise

    def daily_counts(self, article_id: str, first: date, last: date) -> list[DayCounts]:
        items = self._query(
            KeyConditionExpression="pk = :pk AND sk BETWEEN :first AND :last",
            ExpressionAttributeValues=to_values(
                {":pk": article_pk(article_id), ":first": votes_sk(first), ":last": votes_sk(last)}
            ),
        )
        return [
            DayCounts(date.fromisoformat(i["sk"].removeprefix("VOTES#")), i.get("yes", 0), i.get("no", 0))
            for i in items
        ]

    def latest_comments(self, article_id: str, limit: int) -> list[dict[str, str]]:
        """The newest `limit` comments: their day and text (nothing else is stored)."""
        response = self._db.query(
            TableName=self._table,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=to_values({":pk": article_pk(article_id), ":prefix": COMMENT_PREFIX}),
            ScanIndexForward=False,
            Limit=limit,
        )
        return [{"day": i["day"], "text": i["text"]} for i in map(from_item, response.get("Items", []))]

    def _query(self, **query: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        start: dict[str, Any] | None = None
        while True:
            page = self._db.query(
                TableName=self._table, **query, **({"ExclusiveStartKey": start} if start else {})
            )
            items.extend(from_item(i) for i in page.get("Items", []))
            start = page.get("LastEvaluatedKey")
            if not start:
                return items


def _days(moves: list[CounterMove]) -> list[date]:
    return list(dict.fromkeys(m.day for m in moves))


class ClientBudget:
    """Feedback posts per client and minute: one conditional ADD per post, refused past the
    budget, whichever Lambda instance serves it. The client is a keyed hash of its address
    and the minute (computed by the caller), stored only until the minute is over."""

    def __init__(self, settings: Settings, per_minute: int) -> None:
        self._table = settings.partners_table
        self._db = clients.dynamodb(settings.home_region)
        self._limit = per_minute

    def allow(self, client_key: str, now: datetime) -> int | None:
        """None when the post may go ahead; else the seconds until the next minute."""
        window_start = now.replace(second=0, microsecond=0)
        try:
            self._db.update_item(
                TableName=self._table,
                Key=to_item({"pk": f"FEEDBACKCLIENT#{client_key}", "sk": "RATE"}),
                UpdateExpression="ADD hits :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeValues=to_values(
                    {
                        ":one": 1,
                        ":limit": self._limit,
                        ":expires": int((window_start + 2 * BUDGET_WINDOW).timestamp()),
                    }
                ),
            )
        except ClientError as error:
            if is_condition_failure(error):
                return max(int((window_start + BUDGET_WINDOW - now).total_seconds()), 1)
            raise
        return None
