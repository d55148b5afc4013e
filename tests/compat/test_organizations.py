"""Text Partner API v2, "Solution Partner" (February 2026 docs): organizations. Create one,
read its `id`, create a license inside it with the owner's email, read both back. The docs
give the body fields; these calls send them as JSON."""

from __future__ import annotations

import re

from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_licenses import CREATED_FIELDS, details, has_types

ORGANIZATIONS = "https://api.livechatinc.com/v2/partners/solutions/organizations"
CREATE_ORGANIZATION = f"""curl --request POST \\
	--url {ORGANIZATIONS} \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--header 'Content-Type: application/json' \\
	--data '{{"organization_name": "Acme Group", "client_name": "Joe Doe", \
"client_email": "joe@example.com", "data_center": "eu-west3", "identifier": "acme-1"}}'"""
GET_ORGANIZATION = f"""curl --request GET \\
	--url {ORGANIZATIONS}/<ORGANIZATION_ID> \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""
ORGANIZATION_LICENSES = f"""curl --request GET \\
	--url {ORGANIZATIONS}/<ORGANIZATION_ID>/licenses \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""
CREATE_IN_ORGANIZATION = f"""curl --request POST \\
	--url '{ORGANIZATIONS}/<ORGANIZATION_ID>/licenses?product=livechat' \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--header 'Content-Type: application/json' \\
	--data '{{"client_name": "Joe Doe", "client_email": "<EMAIL>", "payment_origin": "partner", \
"trial_duration": 30, "purchase_order": "PO-1"}}'"""
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def organization(server: CompatServer, partner: Partner) -> str:
    answer = server.curl(CREATE_ORGANIZATION, token=partner.token)
    assert answer.status == 201, answer.body
    assert list(answer.json()) == ["id"] and UUID.match(answer.json()["id"])
    return str(answer.json()["id"])


def test_create_organization_answers_its_id(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Create Organization" - 201 `{id}`; the same owner in the same region is a 409."""
    organization(compat_server, partner)
    assert compat_server.curl(CREATE_ORGANIZATION, token=partner.token).status == 409


def test_get_organization(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Organization" - organization_id, name, data_center, products, created_at (ISO)."""
    organization_id = organization(compat_server, partner)
    answer = compat_server.curl(GET_ORGANIZATION, token=partner.token, organization_id=organization_id)
    assert answer.status == 200
    body = answer.json()
    assert (body["organization_id"], body["name"], body["data_center"]) == (
        organization_id,
        "Acme Group",
        "eu-west3",
    )
    assert body["products"] == [] and re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$", body["created_at"])
    created = compat_server.curl(CREATE_IN_ORGANIZATION, token=partner.token, organization_id=organization_id,
                                 email="joe@example.com")  # fmt: skip
    assert created.status == 201
    again = compat_server.curl(GET_ORGANIZATION, token=partner.token, organization_id=organization_id)
    assert again.json()["products"] == [{"product": "LiveChat"}]


def test_create_license_inside_an_organization(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Create License" (in an organization) - the owner's email, the organization's
    region; 201 with the create fields. Another email is a 400; a coupon the partner has not got a 403."""
    organization_id = organization(compat_server, partner)
    answer = compat_server.curl(CREATE_IN_ORGANIZATION, token=partner.token, organization_id=organization_id,
                                email="joe@example.com")  # fmt: skip
    assert answer.status == 201, answer.body
    created = answer.json()
    has_types(created, CREATED_FIELDS)
    assert created["end_timestamp"] > created["creation_timestamp"]
    body = details(compat_server, partner, created["license"])
    assert (body["data_center"], body["organization_id"], body["purchase_order"]) == (
        "fra",
        organization_id,
        "PO-1",
    )
    stranger = compat_server.curl(
        CREATE_IN_ORGANIZATION, token=partner.token, organization_id=organization_id, email="x@example.com"
    )
    assert stranger.status == 400 and "client_email" in stranger.json()["error"]["fields"]
    coupon = CREATE_IN_ORGANIZATION.replace('"trial_duration"', '"coupon_id": 1, "trial_duration"')
    refused = compat_server.curl(coupon, token=partner.token, organization_id=organization_id,
                                 email="joe@example.com")  # fmt: skip
    assert refused.status == 403 and "coupon_id" in refused.json()["error"]["fields"]


def test_get_organization_licenses(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Organization Licenses" - `{total, limit, results: [{organization_id,
    organization_name, client_name, client_email, arr, licenses: [{external_license_id, product}]}]}`."""
    organization_id = organization(compat_server, partner)
    created = compat_server.curl(CREATE_IN_ORGANIZATION, token=partner.token, organization_id=organization_id,
                                 email="joe@example.com").json()  # fmt: skip
    answer = compat_server.curl(ORGANIZATION_LICENSES, token=partner.token, organization_id=organization_id)
    assert answer.status == 200
    body = answer.json()
    assert (body["total"], body["limit"]) == (1, 15)  # the docs' example: one result, pages of 15
    (entry,) = body["results"]
    assert (entry["organization_id"], entry["organization_name"], entry["client_email"]) == (
        organization_id, "Acme Group", "joe@example.com",
    )  # fmt: skip
    assert entry["arr"] == 0  # a trial bills nothing
    assert [(i["external_license_id"], i["product"]) for i in entry["licenses"]] == [
        (created["license"], "livechat")
    ]
