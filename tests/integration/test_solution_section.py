"""The Solution section's API: list, inspect and manage licenses, as a partner's script would."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from tests.conftest import (
    LICENSES,
    ApiClient,
    PartnerAccount,
    new_license,
    run_sweep,
    sent_emails,
)

ORGS = "/v2/partners/solutions/organizations"


def path(item: dict[str, Any], suffix: str = "") -> str:
    return f"{LICENSES}/{item['product']}/{item['license']}{suffix}"


# --- listing -------------------------------------------------------------------------------


def test_pages_cover_both_regions_newest_first_without_gaps_or_repeats(
    api: ApiClient, partner: PartnerAccount, dynamodb_calls: list[str]
) -> None:
    # Given 11 licenses, alternating between the US and the EU
    created = [new_license(api, partner, client_email=f"c{n}@acme.example",
                           data_center="us" if n % 2 else "eu") for n in range(11)]  # fmt: skip
    # When the partner pages through 4 at a time
    seen: list[dict[str, Any]] = []
    cursor: str | None = None
    pages = 0
    while True:
        dynamodb_calls.clear()
        query = "limit=4" + (f"&next_cursor={cursor}" if cursor else "")
        response = api.get(f"{LICENSES}?{query}", token=partner.token)
        assert response.status == 200, response.body
        # Then each page costs at most one Query per region (plus the token lookups), no Scan
        assert dynamodb_calls.count("Query") <= 2 and "Scan" not in dynamodb_calls
        body = response.json()
        seen += body["result"]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # And every license came exactly once, newest first
    assert pages == 3
    assert sorted(i["license"] for i in seen) == sorted(c["license"] for c in created)
    order = [(i["creation_timestamp"], i["license"]) for i in seen]
    assert order == sorted(order, reverse=True)
    assert {i["data_center"] for i in seen} == {"us-south1", "eu-west3"}


def test_default_page_is_15_and_limit_is_bounded(api: ApiClient, partner: PartnerAccount) -> None:
    for n in range(16):
        new_license(api, partner, client_email=f"d{n}@acme.example")
    # The documented by-status listing pages 15 at a time (max 15); the list has them all.
    first = api.get(f"{LICENSES}/trial", token=partner.token).json()
    assert len(first["results"]) == 15 and first["next_cursor"]
    assert len(api.get(LICENSES, token=partner.token).json()["result"]) == 16
    for limit in ("0", "16", "x"):
        response = api.get(f"{LICENSES}/trial?limit={limit}", token=partner.token)
        assert response.status == 400 and "limit" in response.json()["error"]["fields"]


def test_a_cursor_only_works_for_its_own_listing(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    for n in range(3):
        new_license(api, partner, client_email=f"e{n}@acme.example")
    cursor = api.get(f"{LICENSES}?limit=1", token=partner.token).json()["next_cursor"]
    assert api.get(f"{LICENSES}?next_cursor={cursor}", token=other_partner.token).status == 400
    assert api.get(f"{LICENSES}/trial?next_cursor={cursor}", token=partner.token).status == 400
    assert api.get(f"{LICENSES}?next_cursor=garbage", token=partner.token).status == 400


def test_date_filters(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner)
    today = item["creation_timestamp"][:10]
    assert (
        len(api.get(f"{LICENSES}?date_from={today}&date_to={today}", token=partner.token).json()["result"])
        == 1
    )
    # the docs' own format, YYYY-MM-DDTHH:mm:ssZ, bounds the window to the second
    created = item["creation_timestamp"].replace(" ", "T") + "Z"
    exact = api.get(f"{LICENSES}?date_from={created}&date_to={created}", token=partner.token).json()
    assert [i["license"] for i in exact["result"]] == [item["license"]]
    later = api.get(f"{LICENSES}?date_from={today}T23:59:59Z", token=partner.token).json()["result"]
    assert later == [] or item["creation_timestamp"].endswith("23:59:59")
    assert api.get(f"{LICENSES}?date_from=2999-01-01", token=partner.token).json()["result"] == []
    assert api.get(f"{LICENSES}?date_to=2000-01-01", token=partner.token).json()["result"] == []
    bad = api.get(f"{LICENSES}?date_from=yesterday", token=partner.token)
    assert bad.status == 400 and "date_from" in bad.json()["error"]["fields"]


def test_by_status_and_counts(api: ApiClient, partner: PartnerAccount) -> None:
    paid = new_license(api, partner, client_email="paid@acme.example")
    new_license(api, partner, client_email="trial@acme.example", data_center="eu")
    subscribed = api.post(
        path(paid, "/subscription"),
        token=partner.token,
        json_body={"plan": "team", "billing_cycle": "monthly", "seats": 3, "token": "tok_1"},
    )
    assert subscribed.status == 201
    trials = api.get(f"{LICENSES}/trial", token=partner.token).json()["results"]
    assert [i["client_email"] for i in trials] == ["trial@acme.example"]
    paids = api.get(f"{LICENSES}/paid", token=partner.token).json()["results"]
    assert [i["license_id"] for i in paids] == [paid["license"]]
    assert api.get(f"{LICENSES}/expired", token=partner.token).json()["results"] == []
    today = paid["creation_timestamp"][:10]
    count = api.get(f"{LICENSES}/count?date_from={today}&date_to={today}", token=partner.token)
    assert count.json() == {"trials": 1, "paid": 1, "expired": 0}
    before = api.get(f"{LICENSES}/count?date_from=2020-01-01&date_to=2020-12-31", token=partner.token)
    assert before.json() == {"trials": 0, "paid": 0, "expired": 0}  # the window acts
    assert api.get(f"{LICENSES}/count", token=partner.token).status == 400  # the docs require it
    assert api.get(f"{LICENSES}/archived", token=partner.token).status == 404


# --- changing one license -------------------------------------------------------------------


def test_update_client_name_and_purchase_order(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner)
    response = api.request(
        "PUT",
        path(item),
        token=partner.token,
        json_body={"client_name": "Acme Holdings", "purchase_order": "PO-9"},
    )
    assert response.status == 204 and response.body == b""
    after = api.get(path(item), token=partner.token).json()
    assert after["client_name"] == "Acme Holdings" and after["purchase_order"] == "PO-9"
    bad_bodies = [({"client_name": "Ab"}, "client_name"), ({"client_email": "x@y.example"}, "client_email"),
                  ({}, "client_name"), ({"purchase_order": "PO-10"}, "client_name")]  # fmt: skip
    for body, field in bad_bodies:
        bad = api.request("PUT", path(item), token=partner.token, json_body=body)
        assert bad.status == 400 and field in bad.json()["error"]["fields"]


def test_invite_operators_then_resend(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    response = api.post(
        path(item, "/operators"),
        token=partner.token,
        json_body={
            "operators": [
                {"email": "bob@acme.example", "role": "administrator"},
                {"email": "ann@acme.example", "role": "agent"},
            ]
        },
    )
    assert response.status == 200
    assert response.json() == {
        "result": [
            {"operator": "bob@acme.example", "status_code": 200},
            {"operator": "ann@acme.example", "status_code": 400},
        ]
    }
    run_sweep()
    assert sorted(e["to"][0] for e in sent_emails()) == [
        "ann@acme.example",
        "bob@acme.example",
        "owner@acme.example",
    ]
    resent = api.post(path(item, "/operators/bob%40acme.example/resend"), token=partner.token)
    assert resent.status == 200
    run_sweep()
    assert [e["to"][0] for e in sent_emails()].count("bob@acme.example") == 2
    assert api.post(path(item, "/operators/zed@acme.example/resend"), token=partner.token).status == 404


@pytest.mark.parametrize("product,origin", [("livechat", "client"), ("chatbot", "partner")])
def test_operators_refused_where_the_rules_say_no(
    api: ApiClient, partner: PartnerAccount, product: str, origin: str
) -> None:
    item = new_license(api, partner, product=product, payment_origin=origin)
    response = api.post(
        path(item, "/operators"),
        token=partner.token,
        json_body={"operators": [{"email": "bob@acme.example", "role": "agent"}]},
    )
    assert response.status == 403


def test_offer_and_trial_extension(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner, trial_duration=30)
    response = api.post(
        path(item, "/offer"),
        token=partner.token,
        json_body={"extra_discount_percent": 10, "extend_trial_days": 20},
    )
    assert response.status == 200
    body = response.json()
    assert body["discount_percent"] == 30 and body["extra_discount_percent"] == 10
    assert body["end_timestamp"] > item["end_timestamp"]
    over = api.post(path(item, "/offer"), token=partner.token, json_body={"extend_trial_days": 11})
    assert over.status == 403 and "extend_trial_days" in over.json()["error"]["fields"]
    too_much = api.post(path(item, "/offer"), token=partner.token, json_body={"extra_discount_percent": 31})
    assert too_much.status == 400
    client = new_license(api, partner, client_email="c@acme.example", payment_origin="client")
    assert (
        api.post(path(client, "/offer"), token=partner.token, json_body={"extend_trial_days": 1}).status
        == 403
    )


def test_subscription_lifecycle_and_invoices(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner)
    created = api.post(
        path(item, "/subscription"),
        token=partner.token,
        json_body={"plan": "starter", "billing_cycle": "annual", "seats": 2, "token": "tok_1"},
    )
    assert created.status == 201 and created.body == b""
    details = api.get(path(item), token=partner.token).json()
    assert details["status"] == "paid" and details["plan"] == "starter" and details["cc_added"] is True
    again = api.post(
        path(item, "/subscription"),
        token=partner.token,
        json_body={"plan": "starter", "billing_cycle": "annual", "seats": 2, "token": "tok_1"},
    )
    assert again.status == 409
    changed = api.request(
        "PUT", path(item, "/subscription"), token=partner.token, json_body={"plan": "business"}
    )
    assert changed.status == 204
    assert api.get(path(item), token=partner.token).json()["plan"] == "business"
    invoices = api.get(f"{LICENSES}/{item['license']}/invoices", token=partner.token).json()["result"]
    assert len(invoices) == 1
    assert invoices[0]["seats"] == 0 and invoices[0]["discount_percent"] == 20  # nobody accepted yet
    close = {"password": partner.token, "expire": True}
    closed = api.request("DELETE", path(item, "/subscription"), token=partner.token, json_body=close)
    assert closed.status == 204
    assert api.get(path(item), token=partner.token).json()["status"] == "expired"
    again_closed = api.request("DELETE", path(item, "/subscription"), token=partner.token, json_body=close)
    assert again_closed.status == 409


def test_customer_managed_subscription_is_hidden_and_refused(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner, payment_origin="client")
    assert api.get(path(item), token=partner.token).json()["subscription"] is None
    body = {"plan": "team", "billing_cycle": "monthly", "seats": 1, "token": "tok_1"}
    assert api.post(path(item, "/subscription"), token=partner.token, json_body=body).status == 403
    assert (
        api.request("PUT", path(item, "/subscription"), token=partner.token, json_body={"seats": 2}).status
        == 403
    )
    close = {"password": partner.token}
    assert (
        api.request("DELETE", path(item, "/subscription"), token=partner.token, json_body=close).status == 403
    )
    # The customer's own invoices are not the partner's: none was issued here (not a 403: the
    # docs list none for invoices)
    invoices = api.get(f"{LICENSES}/{item['license']}/invoices", token=partner.token)
    assert (invoices.status, invoices.json()) == (200, {"result": []})


def test_transfer_is_irreversible(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner)
    owner = {"new_owner": item["client_email"]}
    moved = api.post(path(item, "/transfer"), token=partner.token, json_body=owner)
    assert moved.status == 200
    body = moved.json()
    assert body["payment_origin"] == "client"
    assert (body["discount_percent"], body["commission_percent"]) == (0, 20)
    assert body["subscription"] is None and body["recurrent"] is False
    assert api.post(path(item, "/transfer"), token=partner.token, json_body=owner).status == 403


def test_history_records_every_change_with_who_and_when(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner)
    update = {"client_name": item["client_name"], "purchase_order": "PO-1"}  # the name as it was
    api.request("PUT", path(item), token=partner.token, json_body=update)
    api.post(
        path(item, "/operators"),
        token=partner.token,
        json_body={"operators": [{"email": "bob@acme.example", "role": "agent"}]},
    )
    api.post(path(item, "/offer"), token=partner.token, json_body={"extend_trial_days": 3})
    api.post(
        path(item, "/subscription"),
        token=partner.token,
        json_body={"plan": "team", "billing_cycle": "monthly", "seats": 1, "token": "tok_1"},
    )
    api.post(path(item, "/transfer"), token=partner.token, json_body={"new_owner": "bob@acme.example"})
    history = api.get(path(item, "/history"), token=partner.token).json()["history"]
    assert [h["action"] for h in history] == [
        "created",
        "updated",
        "invited",
        "trial_extended",
        "subscription_created",
        "converted",
        "owner_changed",
        "transferred",
    ]
    assert all(h["who"] == f"partner:{partner.partner_id}" and h["at"] for h in history)
    assert history[1]["details"] == {"before": {"purchase_order": None}, "after": {"purchase_order": "PO-1"}}


def test_retried_post_with_the_same_key_changes_once(api: ApiClient, partner: PartnerAccount) -> None:
    item = new_license(api, partner)
    headers = {"Idempotency-Key": "extend-once"}
    first = api.post(
        path(item, "/offer"), token=partner.token, json_body={"extend_trial_days": 5}, headers=headers
    )
    again = api.post(
        path(item, "/offer"), token=partner.token, json_body={"extend_trial_days": 5}, headers=headers
    )
    assert first.status == again.status == 200
    assert first.json()["end_timestamp"] == again.json()["end_timestamp"]
    actions = [h["action"] for h in api.get(path(item, "/history"), token=partner.token).json()["history"]]
    assert actions.count("trial_extended") == 1


# --- CSV and organizations ---------------------------------------------------------------------


def test_csv_search_with_filters(api: ApiClient, partner: PartnerAccount) -> None:
    new_license(api, partner, client_name="=HYPERLINK(evil)", client_email="a@acme.example", identifier="A-1")
    new_license(api, partner, product="chatbot", client_email="b@acme.example", payment_origin="client")
    filters = json.dumps([{"field": "license_product", "operator": "equals", "value": "livechat"}])
    response = api.get(f"{LICENSES}/search/csv?filters={filters}", token=partner.token)
    assert response.status == 200 and (response.header("Content-Type") or "").startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.body.decode())))
    assert rows[0] == [
        "License ID",
        "Managed by",
        "Status",
        "Client name",
        "Client email",
        "Client identifier",
        "Created",
        "Product",
        "Credit card",
        "Card problem",
        "Commission level",
        "Discount level",
        "Total earnings",
        "Total savings",
    ]
    assert len(rows) == 2
    assert rows[1][1:6] == ["partner", "trial", "'=HYPERLINK(evil)", "a@acme.example", "A-1"]
    assert rows[1][7:] == ["LiveChat", "no", "", "0.00", "20.00", "0.00", "0.00"]
    carded = json.dumps([{"field": "credit_card", "operator": "exists", "value": "yes"}])
    assert len(api.get(f"{LICENSES}/search/csv?filters={carded}", token=partner.token).body.splitlines()) == 1
    everything = api.get(f"{LICENSES}/search/csv", token=partner.token).body.decode().strip().splitlines()
    assert len(everything) == 3
    contains = json.dumps([{"field": "license_details", "operator": "contains", "value": "b@acme"}])
    assert (
        len(api.get(f"{LICENSES}/search/csv?filters={contains}", token=partner.token).body.splitlines()) == 2
    )
    bad = api.get(
        f"{LICENSES}/search/csv?filters=" + json.dumps([{"field": "x", "operator": "equals"}]),
        token=partner.token,
    )
    assert bad.status == 400 and "filters" in bad.json()["error"]["fields"]


def test_organizations_group_a_clients_licenses(api: ApiClient, partner: PartnerAccount) -> None:
    created = api.post(
        ORGS,
        token=partner.token,
        json_body={
            "organization_name": "Acme Group",
            "client_name": "Acme Corporation",
            "client_email": "boss@acme.example",
            "data_center": "eu",
            "identifier": "ACME",
        },
    )
    assert created.status == 201 and list(created.json()) == ["id"]
    org = api.get(f"{ORGS}/{created.json()['id']}", token=partner.token).json()
    assert org["organization_id"] == created.json()["id"] and org["name"] == "Acme Group"
    assert org["data_center"] == "eu-west3" and org["products"] == []
    license_ = api.post(
        f"{ORGS}/{org['organization_id']}/licenses?product=livechat",
        token=partner.token,
        json_body={
            "payment_origin": "partner",
            "client_name": "Acme Corporation",
            "client_email": "boss@acme.example",
        },
    )
    assert license_.status == 201
    assert license_.json()["client_email"] == "boss@acme.example"
    assert license_.json()["organization_name"] == "Acme Group"
    # a license created the usual way for the same client joins the same organization
    chatbot = new_license(api, partner, product="chatbot", client_email="boss@acme.example", data_center="eu")
    details = api.get(path(chatbot), token=partner.token).json()
    assert details["organization_id"] == org["organization_id"]
    listed = api.get(f"{ORGS}/{org['organization_id']}/licenses", token=partner.token).json()
    assert listed["total"] == 1 and listed["results"][0]["organization_id"] == org["organization_id"]
    assert sorted(i["product_code"] for i in listed["results"][0]["licenses"]) == ["chatbot", "livechat"]
    assert api.get(f"{ORGS}/{org['organization_id']}", token=partner.token).json()["products"] == [
        {"product": "ChatBot"},
        {"product": "LiveChat"},
    ]
    duplicate = api.post(
        ORGS,
        token=partner.token,
        json_body={
            "organization_name": "Again",
            "client_name": "Acme Corporation",
            "client_email": "boss@acme.example",
            "data_center": "eu",
        },
    )
    assert duplicate.status == 409


def test_licenses_without_an_organization_create_one_per_client(
    api: ApiClient, partner: PartnerAccount
) -> None:
    first = api.get(path(new_license(api, partner)), token=partner.token).json()
    second = api.get(path(new_license(api, partner, product="chatbot")), token=partner.token).json()
    other = api.get(
        path(new_license(api, partner, client_email="z@acme.example")), token=partner.token
    ).json()
    assert first["organization_id"] == second["organization_id"] != other["organization_id"]
    org = api.get(f"{ORGS}/{first['organization_id']}", token=partner.token).json()
    assert org["client_email"] == "owner@acme.example" and org["name"] == "Acme Corporation"


# --- isolation --------------------------------------------------------------------------------

ROUTES = [
    ("GET", ""), ("PUT", ""), ("POST", "/operators"), ("POST", "/operators/ann%40acme.example/resend"),
    ("POST", "/offer"), ("POST", "/subscription"), ("PUT", "/subscription"), ("DELETE", "/subscription"),
    ("PUT", "/billing"), ("POST", "/transfer"), ("GET", "/history"),
]  # fmt: skip


BODIES: dict[tuple[str, str], Any] = {
    ("PUT", ""): {"client_name": "Stolen Corp"},
    ("POST", "/operators"): {"operators": [{"email": "x@y.example", "role": "agent"}]},
    ("POST", "/offer"): {"extend_trial_days": 1},
    ("POST", "/subscription"): {"plan": "team", "billing_cycle": "monthly", "seats": 1, "token": "tok_1"},
    ("PUT", "/subscription"): {"seats": 2},
    ("PUT", "/billing"): {"token": "tok_1"},
    ("POST", "/transfer"): {"new_owner": "ann@acme.example"},
}


@pytest.mark.parametrize("method,suffix", ROUTES)
def test_another_partners_license_is_404_on_every_route(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount, method: str, suffix: str
) -> None:
    item = new_license(api, partner, operators=[{"email": "ann@acme.example", "role": "agent"}])
    body = BODIES.get((method, suffix))
    if (method, suffix) == ("DELETE", "/subscription"):  # its password is the caller's own token
        body = {"password": other_partner.token, "expire": True}
    response = api.request(method, path(item, suffix), token=other_partner.token, json_body=body)
    assert response.status == 404
    invoices = f"{LICENSES}/{item['license']}/invoices"
    assert api.get(invoices, token=other_partner.token).status == 404
    assert api.get(f"{invoices}/1", token=other_partner.token).status == 404
    # and nothing changed for the owner
    history = api.get(path(item, "/history"), token=partner.token).json()["history"]
    assert [h["action"] for h in history] == ["created"]


def test_another_partners_organization_is_404(
    api: ApiClient, partner: PartnerAccount, other_partner: PartnerAccount
) -> None:
    org_id = api.get(path(new_license(api, partner)), token=partner.token).json()["organization_id"]
    assert api.get(f"{ORGS}/{org_id}", token=other_partner.token).status == 404
    assert api.get(f"{ORGS}/{org_id}/licenses", token=other_partner.token).status == 404
    response = api.post(
        f"{ORGS}/{org_id}/licenses?product=chatbot",
        token=other_partner.token,
        json_body={
            "payment_origin": "client",
            "client_name": "Acme Corporation",
            "client_email": "o@x.example",
        },
    )
    assert response.status == 404
    assert api.get(LICENSES, token=other_partner.token).json()["result"] == []
    window = "date_from=2000-01-01&date_to=2999-12-31"
    assert api.get(f"{LICENSES}/count?{window}", token=other_partner.token).json() == {
        "trials": 0,
        "paid": 0,
        "expired": 0,
    }
