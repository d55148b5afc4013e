"""The emails a partner opts into on their profile, as pure rules: which period each one
covers and when the next one is due.

- weekly reseller summary (`send_reseller_weekly_summary`): the ISO week, Monday 00:00 UTC to
  the next Monday, sent once that week is over;
- monthly summary (`send_monthly_summary`): the calendar month (UTC), sent once it is over;
- notifications (`send_notifications`): trials converted and invitations bounced, gathered
  per hour and sent after the hour only when something happened.

A job that runs late (or after a pause) sends the latest finished period only: an old week's
summary would be news nobody needs, and it would come after a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from partnerapp.domain.partners import MONTHLY_SUMMARY, NOTIFICATIONS, WEEKLY_SUMMARY

WEEKLY = "weekly"
MONTHLY = "monthly"
NOTICES = "notifications"
KINDS = (WEEKLY, MONTHLY, NOTICES)
OPT_IN_OF = {WEEKLY: WEEKLY_SUMMARY, MONTHLY: MONTHLY_SUMMARY, NOTICES: NOTIFICATIONS}
KIND_OF = {opt_in: kind for kind, opt_in in OPT_IN_OF.items()}
ENDING_SOON_DAYS = 7  # the weekly summary lists the trials ending within this many days


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime
    end: datetime  # exclusive

    @property
    def name(self) -> str:
        """Names the period in keys and subjects: `2026-W02`, `2026-01`, `2026-01-05T09`."""
        if self.kind == WEEKLY:
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        if self.kind == MONTHLY:
            return self.start.strftime("%Y-%m")
        return self.start.strftime("%Y-%m-%dT%H")


def _start_of(kind: str, moment: datetime) -> datetime:
    """The start of the period of `kind` that contains `moment`."""
    moment = moment.astimezone(UTC)
    if kind == WEEKLY:
        day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
        return day - timedelta(days=day.weekday())
    if kind == MONTHLY:
        return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return moment.replace(minute=0, second=0, microsecond=0)


def _next_start(kind: str, start: datetime) -> datetime:
    if kind == WEEKLY:
        return start + timedelta(days=7)
    if kind == MONTHLY:
        return (start + timedelta(days=32)).replace(day=1)
    return start + timedelta(hours=1)


def next_due_at(kind: str, moment: datetime) -> datetime:
    """When the period running at `moment` is over, and its email due."""
    return _next_start(kind, _start_of(kind, moment))


def latest_finished(kind: str, now: datetime) -> Period:
    """The last period of `kind` that is over at `now`."""
    end = _start_of(kind, now)
    start = _start_of(kind, end - timedelta(seconds=1))
    return Period(kind, start, end)
