"""`make bench`'s rows for the kept counts: what each aggregate read costs (DynamoDB calls and
items read) for a partner with 50, 5,000 and 50,000 licenses, seeded directly with their
counts; what a whole listing reads per license; and what the counters cost while eight
clients create at once. The bench fails when a read's cost grows with the partner's size:
more than 2 calls more, or more than twice the items (and 40 more) than at 50 licenses, or a
whole listing reading more than 1.1 items per license.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from partnerapp_infra.quality.bench_calls import Api, BenchFailed, DynamoCall, Row, observed_dynamodb_calls

SIZES = (50, 5_000, 50_000)
NOW = datetime(2026, 6, 30, 12, 0, 0, tzinfo=UTC)
SPAN_DAYS = 730  # every partner's licenses are spread over the same two years
S = "/v2/partners/solutions"
READS: dict[str, str] = {
    "GET /solutions/summary": f"{S}/summary",
    "GET /stats": "/v2/partners/stats",
    "GET /solutions/licenses/count, one year": f"{S}/licenses/count?date_from=2025-07-01&date_to=2026-06-30",
    "GET /solutions/licenses/count, to the second": (
        f"{S}/licenses/count?date_from=2025-07-01T09:13:27Z&date_to=2026-06-30T17:41:05Z"
    ),
    "GET /solutions/reports/license, months of a year": (
        f"{S}/reports/license?date_from=2025-07-01T00:00:00Z&date_to=2026-06-30T23:59:59Z"
        "&aggregation=month&license_status=paid"
    ),
    "GET /solutions/reports/license, days of a month": (
        f"{S}/reports/license?date_from=2026-06-01T00:00:00Z&date_to=2026-06-30T23:59:59Z"
        "&aggregation=day&license_status=trial"
    ),
}
ALLOWED_EXTRA_CALLS = 2
ALLOWED_ITEMS = (2.0, 40)  # at most twice the items, or 40 more
MAX_ITEMS_PER_LICENSE = 1.1


def _license(partner_id: str, n: int, rng: random.Random) -> Any:
    from partnerapp.domain.licenses import NewLicense, new_license_id, start_trial

    center = "us-south1" if n % 2 else "eu-west3"
    request = NewLicense(("livechat", "chatbot")[n % 5 == 4], "Seeded Customer", f"s{n}@example.com",
                         "partner", center)  # fmt: skip
    created = NOW - timedelta(seconds=rng.randrange(SPAN_DAYS * 86_400))
    item = start_trial(partner_id, request, new_license_id(10_000_000 + n, center), created)
    fate = rng.random()
    if fate < 0.3:
        return replace(item, status="paid", paid=True, conversion_timestamp=created + timedelta(days=7))
    if fate < 0.6 and item.trial_ends_at < NOW:
        return replace(item, status="expired", expired_at=item.trial_ends_at)
    return item


def seed(partner_id: str, count: int) -> None:
    """`count` licenses in both regions, and their kept counts (as the API would have left
    them), written in batches: one at a time through the API would measure the seeding."""
    from partnerapp.settings import get_settings
    from partnerapp.store import records
    from partnerapp.store.licenses import RegionalTables
    from partnerapp_infra.cli.recount import per_shard, write_counts

    rng = random.Random(count)  # the same licenses every run; no secret  # nosec B311
    tables = RegionalTables(get_settings())
    by_center: dict[str, list[Any]] = {center: [] for center in tables.data_centers}
    for n in range(count):
        item = _license(partner_id, n, rng)
        by_center[item.data_center].append(item)
    for center, items in by_center.items():
        db, table = tables.locate(center)
        for start in range(0, len(items), 25):
            batch = [{"PutRequest": {"Item": records.item(records.license_values(item))}}
                     for item in items[start : start + 25]]  # fmt: skip
            pending: dict[str, Any] = {table: batch}
            while pending:
                pending = db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
        write_counts(db, table, partner_id, per_shard(items), [])


def _cost(calls: list[DynamoCall]) -> tuple[int, int]:
    return len(calls), sum(call.scanned for call in calls)


def _measured(action: Callable[[], object]) -> tuple[int, int]:
    with observed_dynamodb_calls() as calls:
        action()
    return _cost(calls)


def _getter(api: Api, path: str) -> Callable[[], object]:
    return lambda: api.call("GET", path)


def _weekly(partner_id: str) -> Callable[[], object]:
    from partnerapp.domain.summaries import Period
    from partnerapp.services.summary_figures import SummaryFigures
    from partnerapp.settings import get_settings

    week = Period("2026-W26", datetime(2026, 6, 22, tzinfo=UTC), datetime(2026, 6, 29, tzinfo=UTC))
    figures = SummaryFigures(get_settings())
    return lambda: figures.weekly(partner_id, week, NOW)


def _chart(partner_id: str) -> Callable[[], object]:
    from partnerapp.settings import get_settings
    from partnerapp.store.trials import TrialCounts

    counts = TrialCounts(get_settings())
    return lambda: counts.per_month(partner_id, "2025-07", "2026-06")


def measure_aggregates() -> list[Row]:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    partners = PartnerRepository(get_settings())
    costs: dict[str, list[tuple[int, int]]] = {}
    listed: list[float] = []
    for size in SIZES:
        partner = partners.create(f"counts{size}@bench.example", f"Counts {size}", utc_now())
        api = Api(partners.issue_token(partner, "bench", utc_now())[1])
        api.call("GET", "/v2/partners")  # a token's first use notes its day and claims the budget
        seed(partner.partner_id, size)
        for name, path in READS.items():
            costs.setdefault(name, []).append(_measured(_getter(api, path)))
        costs.setdefault("weekly summary figures", []).append(_measured(_weekly(partner.partner_id)))
        costs.setdefault("licenses page chart, 12 months", []).append(_measured(_chart(partner.partner_id)))
        whole = _measured(_getter(api, f"{S}/licenses"))
        listed.append(whole[1] / size)
        costs.setdefault("GET /solutions/licenses, whole window", []).append(whole)
    rows = [(f"{name}: calls / items at {' / '.join(f'{s:,}' for s in SIZES)}", _cells(found))
            for name, found in costs.items()]  # fmt: skip
    rows.append(("whole listing: items read per license", " / ".join(f"{x:.2f}" for x in listed)))
    _check(costs, listed)
    return rows


def _cells(found: list[tuple[int, int]]) -> str:
    return " / ".join(f"{calls} / {items}" for calls, items in found)


def _check(costs: dict[str, list[tuple[int, int]]], listed: list[float]) -> None:
    for name, found in costs.items():
        if "whole window" in name:
            continue
        (calls, items), *larger = found
        for more_calls, more_items in larger:
            too_many = more_items > max(items * ALLOWED_ITEMS[0], items + ALLOWED_ITEMS[1])
            if more_calls > calls + ALLOWED_EXTRA_CALLS or too_many:
                raise BenchFailed(f"{name} grows with the partner: {_cells(found)}")
    if max(listed) > MAX_ITEMS_PER_LICENSE:
        raise BenchFailed(f"a whole listing reads {max(listed):.2f} items per license")


def counter_load(
    partner_id: str, before: dict[str, dict[str, Any]], seconds: float, creates: int
) -> list[Row]:
    """What the kept counts cost during a round of creates (`before`: kept_items before it):
    item updates per create, and the busiest item's updates and write units per second (a
    transactional write costs two units per started KB; a partition serves 1,000 a second)."""
    after = kept_items(partner_id)
    moved = {key: _moved(before.get(key, {}), item) for key, item in after.items()}
    busiest = max(moved, key=lambda key: moved[key])
    per_second = moved[busiest] / seconds
    units = 2 * -(-sum(len(k) + len(str(v)) for k, v in after[busiest].items()) // 1024)
    return [
        ("kept counts: item updates per create", f"{sum(moved.values()) / creates:.1f}"),
        (
            "kept counts: busiest item while 8 clients create",
            f"{busiest.split('/')[1]}: {per_second:.1f} updates/s x {units} WCU"
            f" = {per_second * units:.0f} WCU/s",
        ),
    ]


def _moved(old: dict[str, Any], new: dict[str, Any]) -> int:
    """Each create adds 1 to one count of each item it touches: the counts moved are updates."""
    skip = ("pk", "sk", "entity", "partner_id")
    return sum(abs(int(v) - int(old.get(k, 0))) for k, v in new.items() if k not in skip)


def kept_items(partner_id: str) -> dict[str, dict[str, Any]]:
    from partnerapp.settings import get_settings
    from partnerapp.store.licenses import RegionalTables
    from partnerapp.store.tallies import TallyReader

    reader = TallyReader(get_settings())
    return {
        f"{center}/{item['sk']}": item
        for center in RegionalTables(get_settings()).data_centers
        for item in reader.stored_items(partner_id, center)
    }
