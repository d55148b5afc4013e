"""Recording article feedback: a browser's vote (remembered in a signed cookie, so a second
vote changes the first), the optional comment after a "no", and the per-client budget.

The cookie is signed with the keyed-hash secret: a browser can only hand back a vote we
counted for it, so a forged cookie cannot take counts away from an article.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import date, datetime

from partnerapp.domain import article_votes
from partnerapp.domain.article_votes import CountedVote
from partnerapp.hashing import keyed_digest
from partnerapp.settings import Settings
from partnerapp.store.article_feedback import ArticleFeedbackStore, ClientBudget

POSTS_PER_CLIENT_MINUTE = 10
VOTE_COOKIE_DAYS = 365


def vote_cookie_name(article_id: str) -> str:
    return f"article_vote_{article_id.replace('-', '_')}"


@dataclass(frozen=True)
class Recorded:
    answer: str
    cookie_value: str  # what the browser keeps: the answer, the day it counts on, a signature
    changed: bool  # False when the browser had given this answer already


class ArticleFeedback:
    def __init__(self, settings: Settings) -> None:
        self._secret = settings.keyed_hash_secret
        self._store = ArticleFeedbackStore(settings)
        self._budget = ClientBudget(settings, POSTS_PER_CLIENT_MINUTE)

    # --- the per-client budget ---------------------------------------------------------------
    def wait_seconds(self, client_address: str, now: datetime) -> int | None:
        """None if this client may post now; else how long until it may. Only a keyed hash
        of the address and the minute is stored, for that minute."""
        minute = now.strftime("%Y%m%dT%H%M")
        return self._budget.allow(keyed_digest(self._secret, "feedback-client", client_address, minute), now)

    # --- votes ---------------------------------------------------------------------------------
    def vote(self, article_id: str, answer: str, cookie_value: str | None, now: datetime) -> Recorded:
        previous = self.counted_vote(article_id, cookie_value)
        today = now.date()
        moves = article_votes.moves_for(previous, answer, today)
        if not moves:
            return Recorded(answer, cookie_value or "", changed=False)
        if not self._store.count(article_id, moves):
            # The count to take back is gone (its day expired, or the cookie is from another
            # table): count the new answer alone.
            moves = article_votes.moves_for(None, answer, today)
            self._store.count(article_id, moves)
        return Recorded(answer, self._sign(article_id, answer, today), changed=True)

    def counted_vote(self, article_id: str, cookie_value: str | None) -> CountedVote | None:
        """The vote the cookie says this browser made on the article, if we signed it."""
        answer, _, rest = (cookie_value or "").partition(".")
        day_text, _, signature = rest.partition(".")
        if answer not in article_votes.ANSWERS or not signature:
            return None
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            return None
        expected = self._signature(article_id, answer, day)
        return CountedVote(answer, day) if hmac.compare_digest(expected, signature) else None

    def _sign(self, article_id: str, answer: str, day: date) -> str:
        return f"{answer}.{day.isoformat()}.{self._signature(article_id, answer, day)}"

    def _signature(self, article_id: str, answer: str, day: date) -> str:
        return keyed_digest(self._secret, "article-vote", article_id, answer, day.isoformat())[:32]

    # --- comments ------------------------------------------------------------------------------
    def comment(self, article_id: str, text: str, now: datetime) -> None:
        self._store.add_comment(article_id, text, now)
