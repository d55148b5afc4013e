"""The help center's earnings chart draws each month's commission from the documented
commission report (`GET /v2/partners/reports/commission`, by month), over the savings of the
report by month: the figures a partner's script reads are the ones the page shows."""

from __future__ import annotations

from datetime import UTC, datetime

from partnerapp.domain.earnings import Bucket, Totals
from partnerapp.web.earnings import chart


def test_the_commission_bars_come_from_the_commission_report() -> None:
    months = {
        "2025-01": Totals(commission_cents=0, savings_cents=1640),
        "2025-02": Totals(savings_cents=2460),
    }
    report = [
        Bucket(datetime(2025, 1, 1, tzinfo=UTC), datetime(2025, 1, 31, 23, 59, 59, tzinfo=UTC), 1000),
        Bucket(datetime(2025, 2, 1, tzinfo=UTC), datetime(2025, 2, 28, 23, 59, 59, tzinfo=UTC), 0),
    ]
    drawn = chart(months, report)
    assert [c.title for c in drawn.columns] == [
        "2025-01: $10.00 commission, $16.40 saved",
        "2025-02: $0.00 commission, $24.60 saved",
    ]
