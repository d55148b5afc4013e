"""Coupons: made with `partnerapp coupons create`, listed by `GET /v2/partners/coupons` while
valid, applied by `coupon_id` on both license creates; an unknown, expired, other-product or
other partner's coupon is the docs' 403 naming coupon_id, and nothing is created."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from partnerapp_infra.cli.main import main as partnerapp
from tests.conftest import ApiClient, PartnerAccount, license_body, license_details
from tests.integration.test_lost_response import Path, World, each_write_lost, environment  # noqa: F401
from tests.lifecycle_support import FakeClock

COUPONS = "/v2/partners/coupons"
LICENSES = "/v2/partners/solutions/licenses"
ORGS = "/v2/partners/solutions/organizations"


def make_coupon(
    partner: PartnerAccount, clock: FakeClock, percent: int = 10, days: int = 7, product: str = "livechat"
) -> int:
    until = (clock() + timedelta(days=days)).date().isoformat()
    code = partnerapp(
        ["coupons", "create", "--partner-id", partner.partner_id, "--label", f"{percent}% off",
         "--discount-percent", str(percent), "--valid-until", until, "--product", product]
    )  # fmt: skip
    assert code == 0
    listed = [c["id"] for c in coupons_made(partner)]
    return int(listed[-1])


def coupons_made(partner: PartnerAccount) -> list[dict[str, Any]]:
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert partnerapp(["coupons", "list", "--partner-id", partner.partner_id]) == 0
    return json.loads(out.getvalue())["result"]  # type: ignore[no-any-return]


def create_with(api: ApiClient, partner: PartnerAccount, coupon_id: int, **fields: Any) -> Any:
    body = license_body(coupon_id=coupon_id, **fields)
    return api.post(f"{LICENSES}?product=livechat", token=partner.token, json_body=body)


def refused_by_name(answer: Any) -> str:
    assert answer.status == 403, answer.body
    assert list(answer.json()["error"]["fields"]) == ["coupon_id"]
    return str(answer.json()["error"]["fields"]["coupon_id"][0])


def no_licenses(api: ApiClient, partner: PartnerAccount) -> bool:
    return api.get(LICENSES, token=partner.token).json()["result"] == []


def test_a_coupon_is_listed_and_used_until_its_last_day(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    # Given a 15% coupon valid for 7 more days
    coupon = make_coupon(partner, clock, percent=15, days=7)
    assert api.get(COUPONS, token=partner.token).json() == {"result": [{"id": coupon, "label": "15% off"}]}
    # On its last day it still applies: 20% + 15%
    clock.advance(days=7)
    made = create_with(api, partner, coupon)
    assert made.status == 201, made.body
    shown = license_details(api, partner, made.json())
    assert (shown["extra_discount_percent"], shown["discount_percent"]) == (15, 35)
    # The day after, it is gone from the list and refused, saying why
    clock.advance(days=1)
    assert api.get(COUPONS, token=partner.token).json() == {"result": []}
    reason = refused_by_name(create_with(api, partner, coupon, client_email="next@acme.example"))
    assert "expired" in reason
    assert len(api.get(LICENSES, token=partner.token).json()["result"]) == 1


def test_another_partners_or_a_customer_managed_coupon_is_refused(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, clock: FakeClock
) -> None:
    theirs = make_coupon(other_partner, clock)
    assert "No such coupon" in refused_by_name(create_with(api, partner, theirs))
    assert api.get(COUPONS, token=partner.token).json() == {"result": []}
    mine = make_coupon(partner, clock)
    customer_managed = create_with(api, partner, mine, payment_origin="client")
    assert "partner-managed" in refused_by_name(customer_managed)
    chatbot_only = make_coupon(partner, clock, product="chatbot")
    assert "not for livechat" in refused_by_name(create_with(api, partner, chatbot_only))
    assert no_licenses(api, partner)


def test_a_dry_run_checks_the_coupon(api: ApiClient, partner: PartnerAccount, clock: FakeClock) -> None:
    body = license_body(coupon_id=7)
    answer = api.post(f"{LICENSES}?product=livechat&dry_run=true", token=partner.token, json_body=body)
    refused_by_name(answer)


def test_a_coupon_on_a_license_in_an_organization(
    api: ApiClient, partner: PartnerAccount, clock: FakeClock
) -> None:
    org = {
        "organization_name": "Acme",
        "client_name": "Acme Corporation",
        "client_email": "boss@acme.example",
    }
    org_id = api.post(ORGS, token=partner.token, json_body=org).json()["id"]
    path = f"{ORGS}/{org_id}/licenses?product=livechat"
    body = {
        "payment_origin": "partner",
        "client_name": "Acme Corporation",
        "client_email": "boss@acme.example",
    }
    refused_by_name(api.post(path, token=partner.token, json_body={**body, "coupon_id": 3}))
    coupon = make_coupon(partner, clock, percent=30)
    made = api.post(path, token=partner.token, json_body={**body, "coupon_id": coupon})
    assert made.status == 201, made.body
    assert license_details(api, partner, made.json())["discount_percent"] == 50


def test_the_cli_keeps_coupons_within_the_cap(
    partner: PartnerAccount, clock: FakeClock, capsys: pytest.CaptureFixture[str]
) -> None:
    until = (clock() + timedelta(days=3)).date().isoformat()
    base = [
        "coupons",
        "create",
        "--partner-id",
        partner.partner_id,
        "--label",
        "Big",
        "--product",
        "livechat",
    ]
    assert partnerapp([*base, "--discount-percent", "31", "--valid-until", until]) == 1
    assert "1 to 30" in capsys.readouterr().err
    yesterday = (clock() - timedelta(days=1)).date().isoformat()
    assert partnerapp([*base, "--discount-percent", "5", "--valid-until", yesterday]) == 1
    assert "in the past" in capsys.readouterr().err
    assert partnerapp(["coupons", "list", "--partner-id", "nobody"]) == 1
    assert coupons_made(partner) == []


def test_numbers_follow_on_and_a_lost_answer_makes_one_coupon(environment: None) -> None:  # noqa: F811
    def act(world: World) -> Any:
        return make_coupon(world.partner, world.clock)

    def check(world: World, coupon_id: Any) -> None:
        assert coupon_id == 1 and [c["id"] for c in coupons_made(world.partner)] == [1]
        assert make_coupon(world.partner, world.clock) == 2

    lost = each_write_lost(Path(lambda _: None, act, check))
    assert [(w.operation, w.table) for w in lost] == [("PutItem", "partnerapp-partners")]
