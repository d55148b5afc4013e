"""Text Partner API v2, "Solution Partner": creating, listing, reading and changing licenses.
Each test sends the docs' example request as the docs print it (their curl text), and reads
the change back through the API."""

from __future__ import annotations

import json
import re

from tests.compat.conftest import CompatServer, CurlAnswer, Partner

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
LICENSE_ID = re.compile(r"^[0-9]+$")

# "Create License" (May 2025 docs): the docs give the body fields, no curl text; this is the
# call they describe, with the body as JSON.
CREATE = """curl --request POST \\
	--url 'https://api.livechatinc.com/v2/partners/solutions/licenses?product=livechat' \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--header 'Content-Type: application/json' \\
	--data '{"client_name": "Joe Doe", "client_email": "<EMAIL>", "payment_origin": "<ORIGIN>", \
"purchase_order": "Test license", "data_center": "<DC>"}'"""

LIST = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

BY_STATUS = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/paid \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

DETAILS = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/livechat/123 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

UPDATE = """curl --request PUT \\
	--url https://api.livechatinc.com/v2/solutions/licenses/livechat/123 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data 'client_name=Jane Doe'"""

OPERATORS = """curl --request POST \\
  --url 'https://api.labs.livechatinc.com/v2/partners/solutions/licenses/livechat/123/operators' \\
  --header 'Content-Type: application/json' \\
  --header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
  --data '{
    "operators": [
      {
        "email": "joe@example.com",
        "role": "agent"
      },
      {
        "email": "jane@example.com",
        "role": "administrator"
      }
    ]
  }'"""

CREATED_FIELDS = {
    "license": str, "product": str, "creation_timestamp": str, "end_timestamp": str, "client_name": str,
    "client_email": str, "cc_added": bool, "paid": bool, "payment_origin": str, "status": str,
}  # fmt: skip
DETAILS_FIELDS = {
    "license": str, "client_name": str, "client_email": str, "purchase_order": str, "payment_origin": str,
    "creation_timestamp": str, "end_timestamp": str, "conversations": int, "conversations_last_30_days": int,
    "cc_added": bool, "paid": bool, "ql": bool, "seats": int, "total_discount": (int, float),
    "discount_percent": int, "total_commission": (int, float), "commission_percent": int, "data_center": str,
    "status": str, "invited_agents": list,
}  # fmt: skip


def create(
    server: CompatServer, partner: Partner, email: str, origin: str = "partner", dc: str = "dal"
) -> dict:
    answer = server.curl(CREATE, token=partner.token, email=email, origin=origin, dc=dc)
    assert answer.status == 201, answer.body
    return dict(answer.json())


def details(server: CompatServer, partner: Partner, license_id: str) -> dict:
    answer = server.curl(DETAILS.replace("/123", f"/{license_id}"), token=partner.token)
    assert answer.status == 200, answer.body
    return dict(answer.json())


def has_types(body: dict, fields: dict) -> None:
    for name, kind in fields.items():
        assert isinstance(body[name], kind), (name, body[name])


def test_create_license_flat_with_dal_and_fra(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Create License" (May 2025) - 201 with the license id as a string; `dal` is the
    USA region and `fra` the EU one; a coupon the partner has not got is not allowed (403); a
    second license of the product for the same email is a 409."""
    created = create(compat_server, partner, "joe@example.com")
    has_types(created, CREATED_FIELDS)
    assert LICENSE_ID.match(created["license"]) and TIMESTAMP.match(created["creation_timestamp"])
    assert (created["status"], created["cc_added"], created["paid"]) == ("trial", False, False)
    assert details(compat_server, partner, created["license"])["data_center"] == "dal"
    european = create(compat_server, partner, "eu@example.com", dc="fra")
    assert details(compat_server, partner, european["license"])["data_center"] == "fra"
    again = compat_server.curl(
        CREATE, token=partner.token, email="joe@example.com", origin="partner", dc="dal"
    )
    assert again.status == 409
    coupon = CREATE.replace('"data_center"', '"coupon_id": 1, "data_center"')
    refused = compat_server.curl(
        coupon, token=partner.token, email="c@example.com", origin="partner", dc="dal"
    )
    assert refused.status == 403 and "coupon_id" in refused.json()["error"]["fields"]
    assert len(compat_server.curl(LIST, token=partner.token).json()["result"]) == 2  # nothing more made


def test_get_solution_licenses_lists_under_result(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Solution Licenses" - `{result: [...]}`; date_from/date_to as YYYY-MM-DDTHH:mm:ssZ."""
    created = create(compat_server, partner, "joe@example.com")
    answer = compat_server.curl(LIST, token=partner.token)
    assert answer.status == 200
    rows = answer.json()["result"]
    assert [r["license"] for r in rows] == [created["license"]]
    has_types(rows[0], CREATED_FIELDS)
    day = created["creation_timestamp"][:10]
    inside = LIST.replace("/licenses ", f"/licenses?date_from={day}T00:00:00Z&date_to={day}T23:59:59Z ")
    assert [r["license"] for r in compat_server.curl(inside, token=partner.token).json()["result"]] == [
        created["license"]
    ]
    before = LIST.replace(
        "/licenses ", "/licenses?date_from=2019-01-01T00:00:00Z&date_to=2019-12-31T23:59:59Z "
    )
    assert compat_server.curl(before, token=partner.token).json()["result"] == []


def test_get_solution_licenses_by_status(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Solution Licenses by Status" - `{results: [{license_id, ...}], next_cursor}`."""
    trial = create(compat_server, partner, "trial@example.com")
    paid = create(compat_server, partner, "paid@example.com")
    subscribe = compat_server.curl(
        f"curl --request POST --url '{compat_server.base}/v2/partners/solutions/licenses/livechat/"
        f"{paid['license']}/subscription' --header 'Authorization: Bearer {partner.token}' "
        "--data 'token=tok_1&plan=team&billing_cycle=monthly&seats=2'"
    )
    assert subscribe.status == 201, subscribe.body
    answer = compat_server.curl(BY_STATUS, token=partner.token)
    assert answer.status == 200
    body = answer.json()
    assert set(body) == {"results", "next_cursor"} and body["next_cursor"] is None
    (row,) = body["results"]
    assert row["license_id"] == paid["license"] and row["status"] == "paid"
    assert TIMESTAMP.match(row["creation_timestamp"]) and TIMESTAMP.match(row["conversion_timestamp"])
    assert set(row) >= {"product", "client_name", "client_email", "payment_origin", "expiration_timestamp"}
    trials = compat_server.curl(BY_STATUS.replace("/paid", "/trial"), token=partner.token).json()["results"]
    assert [r["license_id"] for r in trials] == [trial["license"]]


def test_get_license_details_has_every_documented_field(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Docs: "Get License Details" - every top-level field of the example, with its type."""
    created = create(compat_server, partner, "joe@example.com")
    body = details(compat_server, partner, created["license"])
    has_types(body, DETAILS_FIELDS)
    assert body["license"] == created["license"] and body["purchase_order"] == "Test license"
    assert (body["plan"], body["billing_cycle"]) == (None, None)  # no subscription yet
    assert (body["conversations"], body["ql"], body["total_discount"], body["discount_percent"]) == (
        0,
        False,
        0,
        20,
    )
    missing = compat_server.curl(DETAILS.replace("/123", "/9999999991"), token=partner.token)
    assert missing.status == 404


def test_update_license_details_form_encoded(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Update License Details" - the example's own path (no /partners) and its form body;
    204, and the details show the new name."""
    created = create(compat_server, partner, "joe@example.com")
    answer = compat_server.curl(UPDATE.replace("/123", f"/{created['license']}"), token=partner.token)
    assert (answer.status, answer.body) == (204, b"")
    assert details(compat_server, partner, created["license"])["client_name"] == "Jane Doe"
    short = compat_server.curl(
        UPDATE.replace("/123", f"/{created['license']}").replace("Jane Doe", "Jo"), token=partner.token
    )
    assert short.status == 400 and "client_name" in short.json()["error"]["fields"]


def test_invite_license_operators(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Invite License Operators" - `{result: [{operator, status_code}]}`: 200 invited,
    400 refused (the example's jane@example.com is already on the license here)."""
    created = create(compat_server, partner, "jane@example.com")
    example = OPERATORS.replace("https://api.labs.livechatinc.com", "https://api.livechatinc.com")
    answer = compat_server.curl(example.replace("/123/", f"/{created['license']}/"), token=partner.token)
    assert answer.status == 200, answer.body
    assert answer.json() == {
        "result": [
            {"operator": "joe@example.com", "status_code": 200},
            {"operator": "jane@example.com", "status_code": 400},
        ]
    }
    invited = details(compat_server, partner, created["license"])["invited_agents"]
    assert [(a["email"], a["role"]) for a in invited] == [("joe@example.com", "agent")]
    client = create(compat_server, partner, "c@example.com", origin="client")
    refused = compat_server.curl(example.replace("/123/", f"/{client['license']}/"), token=partner.token)
    assert refused.status == 403  # the partner does not manage that subscription


def test_hostile_path_values_are_not_found(compat_server: CompatServer, partner: Partner) -> None:
    """A Unicode digit in a path id ("²" passes str.isdigit()) is a 404, never a 500."""
    for method, path in [
        ("PUT", "/v2/partners/solutions/licenses/chatbot/%C2%B2/subscription"),
        ("GET", "/v2/partners/solutions/licenses/livechat/%C2%B2"),
        ("GET", "/v2/partners/solutions/licenses/%C2%B2/invoices"),
        ("GET", "/v2/partners/solutions/licenses/1/invoices/%C2%B2"),
        ("GET", "/v2/partners/solutions/organizations/%C2%B2"),
    ]:
        answer: CurlAnswer = compat_server.curl(
            f"curl --request {method} --url '{compat_server.base}{path}' "
            f"--header 'Authorization: Bearer {partner.token}' --header 'Content-Type: application/json' "
            f"--data '{json.dumps({'plan': 'team'})}'"
            if method == "PUT"
            else f"curl --request {method} --url '{compat_server.base}{path}' "
            f"--header 'Authorization: Bearer {partner.token}'"
        )
        assert answer.status == 404, (path, answer.status, answer.body)
