"""`partnerapp feedback report`: "Was this article helpful?" per article: the yes and no
counts and the share helpful over the last 7 and 30 days, and the newest comments.

Reads one Query of day counters and one of comments per article (never a Scan).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

GROUPS = ("feedback",)
LATEST_COMMENTS = 5


def add_parsers(groups: Any) -> None:
    feedback = groups.add_parser("feedback", help="article feedback").add_subparsers(
        dest="action", required=True
    )
    report = feedback.add_parser("report", help="yes/no per article over 7 and 30 days, newest comments")
    report.add_argument("--comments", type=int, default=LATEST_COMMENTS, help="comments per article (1..50)")
    report.add_argument("--json", action="store_true", help="print the report as JSON")


def report(comments: int) -> list[dict[str, Any]]:
    from partnerapp.domain import article_votes
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.article_feedback import ArticleFeedbackStore

    store = ArticleFeedbackStore(get_settings())
    today = utc_now().date()
    longest = max(article_votes.REPORT_WINDOWS_DAYS)
    articles = []
    for article in article_votes.ARTICLES.values():
        counts = store.daily_counts(article.article_id, article_votes.window_start(today, longest), today)
        windows = [article_votes.summarize(counts, today, days) for days in article_votes.REPORT_WINDOWS_DAYS]
        articles.append(
            {
                "article": article.article_id,
                "title": article.title,
                "windows": [
                    {"days": w.days, "yes": w.yes, "no": w.no, "helpful_percent": w.helpful_percent}
                    for w in windows
                ],
                "comments": store.latest_comments(article.article_id, comments),
            }
        )
    return articles


def _text(articles: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for article in articles:
        lines.append(f"{article['title']} ({article['article']})")
        for w in article["windows"]:
            share = "no answers" if w["helpful_percent"] is None else f"{w['helpful_percent']}% helpful"
            lines.append(f"  last {w['days']} days: yes {w['yes']}, no {w['no']}, {share}")
        lines.append("  latest comments:" if article["comments"] else "  latest comments: none")
        # json.dumps quotes the text, so whatever a reader typed prints as one safe line.
        lines.extend(f"    {c['day']}  {json.dumps(c['text'])}" for c in article["comments"])
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    import sys

    if not 1 <= args.comments <= 50:
        print("partnerapp: --comments must be from 1 to 50", file=sys.stderr)
        return 2
    articles = report(args.comments)
    print(json.dumps(articles, indent=2) if args.json else _text(articles))
    return 0
