"""The kept counts behind the license count, the licenses report, the summary and the stats
(store/tallies.py): after licenses are created, converted, extended, expired and paid across
both regions and many moments, every documented window and aggregation answers what a
recount of the licenses themselves says, and `partnerapp aggregates verify` finds nothing.
`rebuild` puts back counts that went wrong, and resumes a run that stopped."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from partnerapp.domain.licenses import License
from tests.conftest import LICENSES, ApiClient, PartnerAccount, new_license
from tests.integration.test_earnings import earn_a_quarter
from tests.integration.test_lost_response import Path as LostPath
from tests.integration.test_lost_response import World, each_write_lost, environment  # noqa: F401
from tests.lifecycle_support import FakeClock, billing_event, post_billing_event, run_function

SOLUTIONS = "/v2/partners/solutions"
# Moments chosen on and around the edges a window is cut at: midnight, the hour, the minute.
MOMENTS = [
    datetime(2025, 4, 5, 9, 0, 0, tzinfo=UTC),
    datetime(2025, 4, 5, 9, 0, 30, tzinfo=UTC),
    datetime(2025, 4, 5, 23, 59, 59, tzinfo=UTC),
    datetime(2025, 4, 6, 0, 0, 0, tzinfo=UTC),
    datetime(2025, 4, 20, 13, 45, 10, tzinfo=UTC),
    datetime(2025, 5, 1, 0, 0, 0, tzinfo=UTC),
    datetime(2025, 5, 14, 8, 15, 0, tzinfo=UTC),
    datetime(2025, 6, 3, 17, 0, 0, tzinfo=UTC),
    datetime(2025, 6, 20, 6, 0, 0, tzinfo=UTC),
]
WINDOWS = [
    ("2025-04-05", "2025-04-05"),
    ("2025-04-05T09:00:10Z", "2025-04-06T00:00:00Z"),
    ("2025-04-05T09:00:00Z", "2025-04-05T09:00:29Z"),
    ("2025-01-01", "2025-06-30"),
    ("2025-05-01T00:00:00Z", "2025-05-14T08:14:59Z"),
    ("2025-04-05T23:59:59Z", "2025-05-14T08:15:00Z"),
    ("2024-01-01", "2026-12-31"),
]


def _moment(text: str, end: bool) -> datetime:
    if "T" in text:
        return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
    return day + timedelta(days=1, seconds=-1) if end else day


def _licenses(partner: PartnerAccount) -> list[License]:
    """The licenses themselves, from the store: what a recount counts."""
    from partnerapp.settings import get_settings
    from partnerapp.store.listing import LicenseListing, ListFilter

    return list(LicenseListing(get_settings()).all(ListFilter(partner.partner_id)))


def _reached(item: License, status: str) -> datetime | None:
    return {"trial": item.created_at, "paid": item.conversion_timestamp, "expired": item.expired_at}[status]


def _get(api: ApiClient, partner: PartnerAccount, path: str) -> Any:
    answer = api.get(path, token=partner.token)
    assert answer.status == 200, (path, answer.body)
    return answer.json()


def _live_a_quarter(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> None:
    """Licenses of both products in both regions at MOMENTS; some converted, extended,
    closed or expired by the lifecycle job; commission and savings earned (earn_a_quarter)."""
    earn_a_quarter(api, partner, clock)
    made = []
    for n, moment in enumerate(MOMENTS):
        clock.now = moment
        product = ("livechat", "chatbot")[n % 3 == 2]
        body = {"client_email": f"c{n}@q.example", "data_center": ("us-south1", "eu-west3")[n % 2]}
        made.append(
            new_license(api, partner, product, payment_origin=("partner", "client")[n % 4 == 3], **body)
        )
    path = f"{LICENSES}/livechat"
    clock.now = datetime(2025, 4, 10, 10, 0, 0, tzinfo=UTC)
    subscription = {"plan": "team", "billing_cycle": "monthly", "seats": 2, "token": "tok_1"}
    for item in (made[0], made[1]):
        answer = api.post(
            f"{path}/{item['license']}/subscription", token=partner.token, json_body=subscription
        )
        assert answer.status == 201, answer.body
    clock.now = datetime(2025, 5, 2, 7, 30, 0, tzinfo=UTC)
    close = {"password": partner.token, "expire": True}
    assert api.request("DELETE", f"{path}/{made[1]['license']}/subscription", token=partner.token,
                       json_body=close).status == 204  # fmt: skip
    extend = {"extend_trial_days": 10}
    assert api.post(f"{path}/{made[4]['license']}/offer", token=partner.token, json_body=extend).status == 200
    clock.now = datetime(2025, 5, 20, 12, 0, 5, tzinfo=UTC)
    converted = billing_event("evt_q", "subscription.created", clock(), license=made[3]["license"])
    assert post_billing_event(api, converted, clock()).status == 200
    clock.now = datetime(2025, 6, 25, 0, 0, 0, tzinfo=UTC)
    run_function("LifecycleFunction")  # trials past their end expire
    clock.now = datetime(2025, 6, 30, 12, 0, 0, tzinfo=UTC)


@pytest.fixture
def quarter(api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, clock: FakeClock) -> None:
    _live_a_quarter(api, partner, clock)
    clock.now = MOMENTS[2]
    new_license(api, other_partner, client_email="rival@q.example")  # counted for the other only
    clock.now = datetime(2025, 6, 30, 12, 0, 0, tzinfo=UTC)


def test_every_window_counts_what_a_recount_of_the_licenses_says(
    quarter: None, api: ApiClient, partner: PartnerAccount
) -> None:
    licenses = _licenses(partner)
    statuses = Counter(item.status for item in licenses)
    assert statuses["trial"] and statuses["paid"] and statuses["expired"]  # the scenario has each
    for date_from, date_to in WINDOWS:
        start, end = _moment(date_from, False), _moment(date_to, True)
        inside = Counter(item.status for item in licenses if start <= item.created_at <= end)
        answer = _get(api, partner, f"{LICENSES}/count?date_from={date_from}&date_to={date_to}")
        assert answer == {"trials": inside["trial"], "paid": inside["paid"], "expired": inside["expired"]}, (
            date_from,
            date_to,
        )


@pytest.mark.parametrize("aggregation", ["day", "week", "month"])
def test_every_report_counts_what_a_recount_of_the_licenses_says(
    quarter: None, api: ApiClient, partner: PartnerAccount, aggregation: str
) -> None:
    licenses = _licenses(partner)
    for status in ("trial", "paid", "expired"):
        for date_from, date_to in WINDOWS[:6]:
            start, end = _moment(date_from, False), _moment(date_to, True)
            query = (
                f"date_from={date_from}&date_to={date_to}&aggregation={aggregation}&license_status={status}"
            )
            items = _get(api, partner, f"{SOLUTIONS}/reports/license?{query}")["items"]
            for item in items:
                first = datetime.strptime(item["date_range"]["from"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
                last = datetime.strptime(item["date_range"]["to"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
                expected = sum(
                    1
                    for license in licenses
                    if (at := _reached(license, status)) is not None
                    and max(first, start) <= at <= min(last, end)
                )
                assert item["total"] == expected, (status, date_from, date_to, item)
            reached = [_reached(lic, status) for lic in licenses]
            assert sum(item["total"] for item in items) == sum(
                1 for at in reached if at is not None and start <= at <= end
            )


def test_the_summary_and_the_stats_are_a_recount_of_the_licenses(
    quarter: None, api: ApiClient, partner: PartnerAccount
) -> None:
    licenses = _licenses(partner)
    statuses = Counter(item.status for item in licenses)
    summary = _get(api, partner, f"{SOLUTIONS}/summary")
    commission = sum(item.total_earnings_cents for item in licenses)
    savings = sum(item.total_savings_cents for item in licenses)
    assert commission and savings
    assert summary == {
        "trials": str(statuses["trial"]),
        "paid": str(statuses["paid"]),
        "expired": str(statuses["expired"]),
        "commission": f"{commission / 100:.2f}",
        "discount": f"{savings / 100:.2f}",
    }
    stats = _get(api, partner, "/v2/partners/stats")["solution"]
    for product in ("livechat", "chatbot"):
        mine = [item for item in licenses if item.product == product]
        assert stats[product] == {
            "trials": sum(item.status == "trial" for item in mine),
            "trials_cc": sum(item.status == "trial" and item.cc_added for item in mine),
            "paid": sum(item.status == "paid" for item in mine),
        }


def _verify(*partner_ids: str) -> tuple[int, dict[str, Any]]:
    from partnerapp_infra.cli import main as cli

    return _cli(cli.main, ["aggregates", "verify", *[f"--partner-id={p}" for p in partner_ids]])


def _cli(main: Any, argv: list[str]) -> tuple[int, dict[str, Any]]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(argv)
    return code, json.loads(out.getvalue())


def _tamper(partner: PartnerAccount, sk_prefix: str, name: str, by: int) -> None:
    """Move one kept count behind the application's back."""
    from partnerapp.settings import get_settings
    from partnerapp.store.licenses import RegionalTables
    from partnerapp.store.tallies import TallyReader

    reader = TallyReader(get_settings())
    for center in RegionalTables(get_settings()).data_centers:
        for item in reader.stored_items(partner.partner_id, center):
            if item["sk"].startswith(sk_prefix) and name in item:
                db, table = RegionalTables(get_settings()).locate(center)
                db.update_item(
                    TableName=table,
                    Key={"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}},
                    UpdateExpression="ADD #n :by",
                    ExpressionAttributeNames={"#n": name},
                    ExpressionAttributeValues={":by": {"N": str(by)}},
                )
                return
    raise AssertionError(f"no kept count {sk_prefix} {name}")


def test_verify_finds_nothing_then_names_a_count_that_went_wrong_and_rebuild_puts_it_back(
    quarter: None, api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, tmp_path: Path
) -> None:
    from partnerapp_infra.cli import main as cli

    # Given counts kept by the application alone: verify exits 0
    code, report = _verify(partner.partner_id, other_partner.partner_id)
    assert (code, report["differences"], report["regions_checked"]) == (0, [], 4)
    before = _get(api, partner, f"{SOLUTIONS}/summary")
    # When one count is moved behind the application's back
    _tamper(partner, "T#", "n#livechat#trial", 3)
    assert _get(api, partner, f"{SOLUTIONS}/summary")["trials"] == str(int(before["trials"]) + 3)
    # Then verify exits 1 naming it
    code, report = _verify(partner.partner_id, other_partner.partner_id)
    assert code == 1
    [line] = report["differences"]
    assert line.startswith(partner.partner_id) and " T n#livechat#trial: kept " in line
    # When rebuild runs with a state file, and again: the counts are back, the second run skips
    state = tmp_path / "rebuild.json"
    argv = ["aggregates", "rebuild", f"--partner-id={partner.partner_id}", f"--state={state}"]
    assert _cli(cli.main, argv)[0] == 0
    code, again = _cli(cli.main, argv)
    assert (code, again["regions_written"], again["regions_skipped"]) == (0, 0, 2)
    assert _verify(partner.partner_id, other_partner.partner_id) == (0, {**report, "differences": []})
    assert _get(api, partner, f"{SOLUTIONS}/summary") == before
    # And a rebuild without state, run twice, writes the same counts (idempotent)
    plain = ["aggregates", "rebuild", f"--partner-id={partner.partner_id}"]
    assert _cli(cli.main, plain)[0] == 0 and _cli(cli.main, plain)[0] == 0
    assert _verify(partner.partner_id)[0] == 0
    assert _get(api, partner, f"{SOLUTIONS}/summary") == before


def test_rebuild_puts_back_counts_that_were_lost(
    quarter: None, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store.licenses import RegionalTables
    from partnerapp.store.tallies import TallyReader
    from partnerapp_infra.cli import main as cli

    # Given a partner whose kept counts are gone (as before counts were kept at all)
    before = _get(api, partner, f"{LICENSES}/count?date_from=2025-04-01&date_to=2025-06-30")
    tables = RegionalTables(get_settings())
    for center in tables.data_centers:
        db, table = tables.locate(center)
        for item in TallyReader(get_settings()).stored_items(partner.partner_id, center):
            db.delete_item(TableName=table, Key={"pk": {"S": item["pk"]}, "sk": {"S": item["sk"]}})
    assert _get(api, partner, f"{LICENSES}/count?date_from=2025-04-01&date_to=2025-06-30") == {
        "trials": 0,
        "paid": 0,
        "expired": 0,
    }
    assert _verify(partner.partner_id)[0] == 1
    # When rebuild runs, Then every answer is what it was, and verify exits 0
    assert _cli(cli.main, ["aggregates", "rebuild", f"--partner-id={partner.partner_id}"])[0] == 0
    assert _get(api, partner, f"{LICENSES}/count?date_from=2025-04-01&date_to=2025-06-30") == before
    assert _verify(partner.partner_id)[0] == 0


# --- the kept commission total (store/commission_totals.py) -------------------------------


def _kept_totals(partner: PartnerAccount) -> list[tuple[str, str, dict[str, Any]]]:
    """(data center, sort key, item) of each kept commission total item of the partner."""
    from partnerapp.settings import get_settings
    from partnerapp.store.codec import from_item
    from partnerapp.store.licenses import RegionalTables

    tables = RegionalTables(get_settings())
    found = []
    for center in tables.data_centers:
        db, table = tables.locate(center)
        pk = {":pk": {"S": f"EARNED#{partner.partner_id}"}}
        for item in db.query(
            TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues=pk
        )["Items"]:
            found.append((center, item["sk"]["S"], from_item(item)))
    return found


def _change_total(partner: PartnerAccount, center: str, sk: str, expression: str, cents: int = 0) -> None:
    from partnerapp.settings import get_settings
    from partnerapp.store.licenses import RegionalTables

    db, table = RegionalTables(get_settings()).locate(center)
    key = {"pk": {"S": f"EARNED#{partner.partner_id}"}, "sk": {"S": sk}}
    if expression == "delete":
        db.delete_item(TableName=table, Key=key)
    else:
        db.update_item(TableName=table, Key=key, UpdateExpression=expression,
                       ExpressionAttributeValues={":by": {"N": str(cents)}})  # fmt: skip


def _total(api: ApiClient, partner: PartnerAccount) -> str:
    return str(_get(api, partner, "/v2/partners/balance")["total"])


def test_a_tampered_commission_total_is_named_and_rebuilt(
    quarter: None, api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    from partnerapp_infra.cli import main as cli

    # Given totals kept by the payments alone: verify finds nothing
    right = _total(api, partner)
    assert right == "34.69"  # earn_a_quarter's two commissions, $10.00 and $24.69
    assert _verify(partner.partner_id, other_partner.partner_id)[0] == 0
    # When one kept total is moved by $5.00 behind the application's back
    [(center, sk, _)] = _kept_totals(partner)
    _change_total(partner, center, sk, "ADD commission_cents :by", 500)
    assert _total(api, partner) == "39.69"
    # Then verify exits 1 naming it, and only it
    code, report = _verify(partner.partner_id, other_partner.partner_id)
    assert code == 1
    assert report["differences"] == [
        f"{partner.partner_id} {center} {sk} commission_cents: kept 3969, recount 3469"
    ]
    # When rebuild runs, twice: the total is what the payments say, and verify exits 0
    rebuild = ["aggregates", "rebuild", f"--partner-id={partner.partner_id}"]
    assert _cli(cli.main, rebuild)[0] == 0 and _cli(cli.main, rebuild)[0] == 0
    assert _total(api, partner) == right
    assert _verify(partner.partner_id, other_partner.partner_id)[0] == 0


def test_a_missing_commission_total_is_named_and_rebuilt_from_the_payments(
    quarter: None, api: ApiClient, partner: PartnerAccount
) -> None:
    from partnerapp_infra.cli import main as cli

    # Given payments recorded before the total was kept: no total item at all
    right = _total(api, partner)
    for center, sk, _ in _kept_totals(partner):
        _change_total(partner, center, sk, "delete")
    assert _total(api, partner) == "0.00"
    # Then verify names the total that is missing
    code, report = _verify(partner.partner_id)
    assert code == 1 and len(report["differences"]) == 1
    assert report["differences"][0].endswith("commission_cents: kept none, recount 3469")
    # When rebuild runs, Then the balance's total is the payments' again
    assert _cli(cli.main, ["aggregates", "rebuild", f"--partner-id={partner.partner_id}"])[0] == 0
    assert _total(api, partner) == right
    assert _verify(partner.partner_id)[0] == 0
    assert [item["commission_cents"] for _, _, item in _kept_totals(partner)] == [3469]


def test_a_rebuild_meeting_a_payment_meanwhile_refuses_that_region_and_loses_nothing(
    quarter: None, api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    from partnerapp_infra.cli import commission_recount as commission_aggregates
    from partnerapp_infra.cli import main as cli

    # Given a total that is wrong, and a payment adding $1.00 to it while rebuild recounts
    [(center, sk, _)] = _kept_totals(partner)
    _change_total(partner, center, sk, "ADD commission_cents :by", 500)
    recount = commission_aggregates.recount

    def a_payment_lands(settings: Any, partner_id: str, data_center: str) -> dict[str, int]:
        counted = recount(settings, partner_id, data_center)
        if data_center == center:
            _change_total(partner, center, sk, "ADD commission_cents :by", 100)
        return counted

    monkeypatch.setattr(commission_aggregates, "recount", a_payment_lands)
    code, report = _cli(cli.main, ["aggregates", "rebuild", f"--partner-id={partner.partner_id}"])
    # Then that region is refused, by name, and the payment's addition is still there
    assert code == 1
    assert report["differences"] == [
        f"{partner.partner_id} {center}: commission total counts changed while recounting; run again"
    ]
    assert [item["commission_cents"] for _, _, item in _kept_totals(partner)] == [3469 + 500 + 100]


def test_a_rebuild_losing_its_answer_sets_the_commission_total_once(environment: None) -> None:  # noqa: F811
    from partnerapp_infra.cli import main as cli

    def tampered(world: World) -> None:
        earn_a_quarter(world.api, world.partner, world.clock)
        [(center, sk, _)] = _kept_totals(world.partner)
        _change_total(world.partner, center, sk, "ADD commission_cents :by", 500)

    def rebuilt(world: World) -> int:
        code, _ = _cli(cli.main, ["aggregates", "rebuild", f"--partner-id={world.partner.partner_id}"])
        return code

    def set_right(world: World, code: int) -> None:
        # The SDK's retry of the applied put is recognised as its own: no "changed meanwhile"
        assert code == 0
        assert _total(world.api, world.partner) == "34.69"
        assert _verify(world.partner.partner_id)[0] == 0

    lost = each_write_lost(LostPath(tampered, rebuilt, set_right))
    assert "PutItem" in [w.operation for w in lost], lost  # the total's conditional put
