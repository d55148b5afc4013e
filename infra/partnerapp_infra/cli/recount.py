"""`partnerapp aggregates verify|rebuild`: the kept counts (store/tallies.py) against a recount
of the licenses themselves, and rebuilt from them; and the kept commission total against a
recount of the commission records (partnerapp_infra.cli.commission_recount), region by region.

verify  recounts each named partner's licenses, region by region, and compares every count
        with the kept one; it prints each difference and exits 1 if there is any.
rebuild writes the recount as the kept counts (absolute values: running it again writes the
        same). With --state FILE it notes each partner and region done and skips them when
        run again, so a long rebuild that stopped resumes where it was. It refuses to write a
        region whose kept counts changed while it recounted (a license changed meanwhile):
        run it again, ideally while the partner's licenses are quiet.

Both read every license of the partner (the one place that does): an operator's tool for
backfills and checks, never a request's path.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from partnerapp.domain import tallies
from partnerapp.domain.licenses import License
from partnerapp.settings import Settings
from partnerapp.store.codec import to_item
from partnerapp.store.licenses import RegionalTables
from partnerapp.store.listing import LicenseListing, ListFilter
from partnerapp.store.tallies import TallyReader
from partnerapp.store.tally_writes import ENTITY, shard_of, tally_pk
from partnerapp_infra.cli import commission_recount as commission_aggregates

CHANGED_MEANWHILE = "counts changed while recounting; run again"
Sharded = dict[tuple[str, int], Counter[str]]  # (bucket, shard) -> counts


@dataclass
class Report:
    partners: int = 0
    regions_checked: int = 0
    regions_written: int = 0
    regions_skipped: int = 0
    differences: list[str] = field(default_factory=list)


def licenses_by_region(settings: Settings, partner_id: str) -> dict[str, list[License]]:
    found: dict[str, list[License]] = defaultdict(list)
    for item in LicenseListing(settings).all(ListFilter(partner_id)):
        found[item.data_center].append(item)
    return found


def differences(center: str, kept: tallies.Counts, recounted: tallies.Counts) -> list[str]:
    """One line per count that is not what the licenses say."""
    lines = []
    for bucket in sorted(kept.keys() | recounted.keys()):
        have, want = kept.get(bucket, Counter()), recounted.get(bucket, Counter())
        for name in sorted(have.keys() | want.keys()):
            if have[name] != want[name]:
                lines.append(f"{center} {bucket} {name}: kept {have[name]}, recount {want[name]}")
    return lines


def verify(settings: Settings, partner_ids: Iterable[str]) -> Report:
    report = Report()
    reader = TallyReader(settings)
    for partner_id in partner_ids:
        report.partners += 1
        licenses = licenses_by_region(settings, partner_id)
        for center in RegionalTables(settings).data_centers:
            recounted = tallies.add_up(licenses.get(center, []))
            kept = reader.stored(partner_id, center)
            report.regions_checked += 1
            lines = differences(center, kept, recounted) + commission_aggregates.differences(
                center,
                commission_aggregates.kept(settings, partner_id, center),
                commission_aggregates.recount(settings, partner_id, center),
            )
            report.differences += [f"{partner_id} {line}" for line in lines]
    return report


def per_shard(items: list[License]) -> Sharded:
    sharded: Sharded = defaultdict(Counter)
    for item in items:
        for bucket, names in tallies.contributions(item).items():
            sharded[(bucket, shard_of(item.license_id))].update(names)
    return sharded


def write_counts(db: Any, table: str, partner_id: str, wanted: Sharded, stale: Iterable[str]) -> None:
    """Put every (bucket, shard) item as `wanted` says, and delete the kept ones (`stale`,
    their sort keys) that no license counts in any more."""
    puts = {
        f"{bucket}#{shard}": {
            "pk": tally_pk(partner_id),
            "sk": f"{bucket}#{shard}",
            "entity": ENTITY,
            "partner_id": partner_id,
            **{name: count for name, count in names.items() if count},
        }
        for (bucket, shard), names in wanted.items()
    }
    requests = [{"PutRequest": {"Item": to_item(values)}} for values in puts.values()]
    requests += [
        {"DeleteRequest": {"Key": {"pk": {"S": tally_pk(partner_id)}, "sk": {"S": sk}}}}
        for sk in stale
        if sk not in puts
    ]
    for start in range(0, len(requests), 25):  # BatchWriteItem's limit
        pending: dict[str, Any] = {table: requests[start : start + 25]}
        while pending:
            pending = db.batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}


def rebuild(settings: Settings, partner_ids: Iterable[str], state: Path | None) -> Report:
    report = Report()
    done = set(json.loads(state.read_text())) if state and state.exists() else set()
    reader = TallyReader(settings)
    centers = RegionalTables(settings).data_centers
    for partner_id in partner_ids:
        report.partners += 1
        todo = [center for center in centers if f"{partner_id}/{center}" not in done]
        report.regions_skipped += len(centers) - len(todo)
        # Kept counts read before and after the recount: a change in between is seen.
        before = {center: _by_sort_key(reader.stored_items(partner_id, center)) for center in todo}
        licenses = licenses_by_region(settings, partner_id) if todo else {}
        totals_before = {center: commission_aggregates.kept(settings, partner_id, center) for center in todo}
        for center in todo:
            if _by_sort_key(reader.stored_items(partner_id, center)) != before[center]:
                report.differences.append(f"{partner_id} {center}: {CHANGED_MEANWHILE}")
                continue
            db, table = RegionalTables(settings).locate(center)
            write_counts(db, table, partner_id, per_shard(licenses.get(center, [])), before[center])
            try:
                wanted = commission_aggregates.recount(settings, partner_id, center)
                commission_aggregates.write(settings, partner_id, center, totals_before[center], wanted)
            except commission_aggregates.TotalChanged:
                report.differences.append(f"{partner_id} {center}: commission total {CHANGED_MEANWHILE}")
                continue
            report.regions_written += 1
            done.add(f"{partner_id}/{center}")
            if state:
                state.write_text(json.dumps(sorted(done)))
    return report


def _by_sort_key(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["sk"]: item for item in items}
