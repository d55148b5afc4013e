"""The kept commission total (store/commission_totals.py) for `partnerapp aggregates
verify|rebuild`: recounted from the partner's commission records, region by region (one
Query on the earnings index, never a Scan), compared shard by shard with the kept one, and
written back where it differs.

A payment adds to its shard in its own transaction; the total of payments recorded before
the total was kept at all, or of a total moved by hand, is only set right here. Each write
is conditional on the value read before the recount: a payment that lands meanwhile makes
that region's rebuild refuse (run it again), never lose the payment.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from botocore.exceptions import ClientError

from partnerapp.domain.earnings import COMMISSION
from partnerapp.services.balance import FOREVER
from partnerapp.services.earnings import EPOCH
from partnerapp.settings import Settings
from partnerapp.store import keys, writes
from partnerapp.store.codec import to_item, to_values
from partnerapp.store.commission_totals import CommissionTotals
from partnerapp.store.commission_writes import ENTITY
from partnerapp.store.earnings import EarningsLedger
from partnerapp.store.errors import is_condition_failure
from partnerapp.store.licenses import RegionalTables
from partnerapp.store.tally_writes import shard_of

NAME = "commission_cents"


class TotalChanged(Exception):
    """A payment moved the kept total while it was recounted."""


def recount(settings: Settings, partner_id: str, data_center: str) -> dict[str, int]:
    """What each shard of the region's total should hold, by its sort key."""
    records = EarningsLedger(settings).records_in(data_center, partner_id, EPOCH, FOREVER)
    shards: Counter[str] = Counter()
    for record in records:
        if record.kind == COMMISSION:
            shards[keys.commission_total_sk(shard_of(record.license_id))] += record.cents
    return dict(shards)


def kept(settings: Settings, partner_id: str, data_center: str) -> dict[str, int]:
    return CommissionTotals(settings).stored(partner_id, data_center)


def differences(center: str, kept: dict[str, int], recounted: dict[str, int]) -> list[str]:
    """One line per shard whose kept total is not its records' sum ("none": no item kept)."""
    lines = []
    for sk in sorted(kept.keys() | recounted.keys()):
        have, want = kept.get(sk), recounted.get(sk, 0)
        if (have or 0) != want:
            shown = "none" if have is None else str(have)
            lines.append(f"{center} {sk} {NAME}: kept {shown}, recount {want}")
    return lines


def write(
    settings: Settings, partner_id: str, center: str, before: dict[str, int], wanted: dict[str, int]
) -> None:
    """Set each shard that differs to its recount (an absolute value: a second run writes
    nothing more). Raises TotalChanged when a shard is no longer what `before` read."""
    db, table = RegionalTables(settings).locate(center)
    for sk in sorted(before.keys() | wanted.keys()):
        if before.get(sk, 0) == wanted.get(sk, 0):
            continue
        _put(db, table, partner_id, sk, before.get(sk), wanted.get(sk, 0))


def _put(db: Any, table: str, partner_id: str, sk: str, was: int | None, cents: int) -> None:
    writer = writes.new_writer()
    found = "attribute_not_exists(pk)" if was is None else f"{NAME} = :was"
    # As read before the recount, or as this very put left it (the SDK's retry of it).
    condition = f"({found}) OR ({writes.WRITER} = {writes.WRITER_VALUE} AND {NAME} = :cents)"
    values = {":cents": cents, writes.WRITER_VALUE: writer, **({":was": was} if was is not None else {})}
    item = {"pk": keys.earned_pk(partner_id), "sk": sk, "entity": ENTITY, NAME: cents, writes.WRITER: writer}
    try:
        db.put_item(
            TableName=table,
            Item=to_item(item),
            ConditionExpression=condition,
            ExpressionAttributeValues=to_values(values),
        )
    except ClientError as error:
        if is_condition_failure(error):
            raise TotalChanged from None
        raise
