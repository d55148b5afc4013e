"""Text Partner API v2: what the values mean, not only their shape (issue 23). Each test sends
the docs' example as they print it (host, token and ids replaced) and reads a value a
partner's script acts on: seats, the end of the current period, an operator's own status."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_licenses import CREATE, LIST, OPERATORS, UPDATE, create, details
from tests.compat.test_licenses_subscription import (
    CLOSE_SUBSCRIPTION,
    INVOICES,
    TRANSFER,
    UPDATE_SUBSCRIPTION,
    subscribed,
)
from tests.compat.test_organizations import CREATE_IN_ORGANIZATION, ORGANIZATION_LICENSES, organization

WIRE = "%Y-%m-%d %H:%M:%S"


def _at(text: str) -> datetime:
    return datetime.strptime(text, WIRE).replace(tzinfo=UTC)


def _listed(server: CompatServer, partner: Partner, license_id: str) -> dict:
    rows = server.curl(LIST, token=partner.token).json()["result"]
    return dict(next(row for row in rows if row["license"] == license_id))


def test_seats_are_the_subscriptions_and_seats_used_their_own(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Given a subscription for 10 seats and nobody yet using one, when the partner reads the
    license (details, list) and its invoice, then `seats` is 10, `seats_used` 0, and the invoice
    bills the seats used (0) while saying how many were subscribed (10)."""
    license_id = subscribed(compat_server, partner)  # the example body: seats=10
    body = details(compat_server, partner, license_id)
    assert (body["seats"], body["seats_used"]) == (10, 0)
    assert (_listed(compat_server, partner, license_id)["seats"], body["subscription"]["seats"]) == (10, 10)
    invoices = compat_server.curl(INVOICES.replace("/321/", f"/{license_id}/"), token=partner.token)
    (invoice,) = invoices.json()["result"]
    assert (invoice["seats"], invoice["seats_subscribed"], invoice["amount"]) == (0, 10, 0)
    changed = compat_server.curl(UPDATE_SUBSCRIPTION, token=partner.token, license_id=license_id)
    assert changed.status == 204
    assert details(compat_server, partner, license_id)["seats"] == 4


def test_a_trial_has_no_seats_subscribed(compat_server: CompatServer, partner: Partner) -> None:
    """Given a trial (no subscription), its details say 0 seats subscribed and 0 used."""
    license_id = create(compat_server, partner, "joe@example.com")["license"]
    body = details(compat_server, partner, license_id)
    assert (body["seats"], body["seats_used"]) == (0, 0)


def test_end_timestamp_is_the_end_of_the_current_period(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Given a trial, a paid license and one expired at once, `end_timestamp` is the trial's
    end, the end of the current (monthly) billing cycle, and the moment it expired."""
    trial = create(compat_server, partner, "trial@example.com")
    created = _at(trial["creation_timestamp"])
    trial_end = details(compat_server, partner, trial["license"])["end_timestamp"]
    assert _at(trial_end) == created + timedelta(days=14)
    paid = subscribed(compat_server, partner, "paid@example.com")
    body = details(compat_server, partner, paid)
    started = _at(body["subscription"]["started_at"])
    month_later = _month_later(started)
    assert _at(body["end_timestamp"]) == month_later
    assert _at(_listed(compat_server, partner, paid)["end_timestamp"]) == month_later
    gone = subscribed(compat_server, partner, "gone@example.com")
    closed = compat_server.curl(
        CLOSE_SUBSCRIPTION, token=partner.token, license_id=gone, password=partner.token, expire="true"
    )
    assert closed.status == 204
    after = details(compat_server, partner, gone)
    assert after["status"] == "expired"
    assert _at(after["end_timestamp"]) <= datetime.now(UTC)


def _month_later(moment: datetime) -> datetime:
    """The same day and time a calendar month on (these tests never run on a 29th-31st edge
    that matters: a subscription made now ends within the next month either way)."""
    month = moment.month % 12 + 1
    year = moment.year + (moment.month == 12)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    raise AssertionError(moment)


def test_one_bad_operator_is_refused_alone(compat_server: CompatServer, partner: Partner) -> None:
    """Given the docs' invite example where the first address is not an email address, when
    it is sent, then the answer is 200 with that operator's own `status_code` 400 naming the
    field, and the good operator is invited."""
    license_id = create(compat_server, partner, "owner@example.com")["license"]
    example = OPERATORS.replace("https://api.labs.livechatinc.com", "https://api.livechatinc.com")
    bad = example.replace("joe@example.com", "joe@").replace("/123/", f"/{license_id}/")
    answer = compat_server.curl(bad, token=partner.token)
    assert answer.status == 200, answer.body
    refused, invited = answer.json()["result"]
    assert (refused["operator"], refused["status_code"], list(refused["fields"])) == ("joe@", 400, ["email"])
    assert invited == {"operator": "jane@example.com", "status_code": 200}
    agents = details(compat_server, partner, license_id)["invited_agents"]
    assert [(a["email"], a["role"]) for a in agents] == [("jane@example.com", "administrator")]


def test_update_license_without_client_name_is_a_400(compat_server: CompatServer, partner: Partner) -> None:
    """Given the docs' update example with `purchase_order` instead of the required
    `client_name`, when it is sent, then it is a 400 naming `client_name`, and nothing changed."""
    license_id = create(compat_server, partner, "joe@example.com")["license"]
    example = UPDATE.replace("/123", f"/{license_id}").replace("client_name=Jane Doe", "purchase_order=PO-7")
    answer = compat_server.curl(example, token=partner.token)
    assert answer.status == 400 and "client_name" in answer.json()["error"]["fields"]
    assert details(compat_server, partner, license_id)["purchase_order"] == "Test license"


def test_no_content_answers_carry_no_html_content_type(compat_server: CompatServer, partner: Partner) -> None:
    """Given the docs' update example (a 204), the answer has no body and no `text/html` type."""
    license_id = create(compat_server, partner, "joe@example.com")["license"]
    answer = compat_server.curl(UPDATE.replace("/123", f"/{license_id}"), token=partner.token)
    assert (answer.status, answer.body) == (204, b"")
    assert "content-type" not in answer.headers, answer.headers


COUNT = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/count?date_from=2022-09-01&date_to=2023-08-31 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""  # noqa: E501 (the docs' text)


def test_empty_or_missing_dates_are_a_400_naming_them(compat_server: CompatServer, partner: Partner) -> None:
    """Given the docs' count example with `date_from` emptied or left out, and the licenses list
    with an empty `date_to`, each is a 400 naming that field (the count's dates are required)."""
    create(compat_server, partner, "joe@example.com")
    for example, field in [
        (COUNT.replace("date_from=2022-09-01", "date_from="), "date_from"),
        (COUNT.replace("date_from=2022-09-01&", ""), "date_from"),
        (COUNT.replace("&date_to=2023-08-31", "&date_to="), "date_to"),
        (LIST.replace("/licenses ", "/licenses?date_to= "), "date_to"),
        (LIST.replace("/licenses ", "/licenses?date_from=&date_to=2030-01-01T00:00:00Z "), "date_from"),
    ]:
        answer = compat_server.curl(example, token=partner.token)
        assert answer.status == 400, (example, answer.status, answer.body)
        assert field in answer.json()["error"]["fields"], answer.body


def test_coupon_id_is_an_int_as_documented(compat_server: CompatServer, partner: Partner) -> None:
    """Given the create example with the docs' `"coupon_id": 1`, the answer is the documented
    403 (the partner has no coupon 1), not a type error; a coupon_id that is not a number is a
    400 naming it. Nothing is created either way."""
    with_coupon = CREATE.replace('"data_center"', '"coupon_id": 1, "data_center"')
    refused = compat_server.curl(
        with_coupon, token=partner.token, email="c@example.com", origin="partner", dc="dal"
    )
    assert refused.status == 403 and "coupon_id" in refused.json()["error"]["fields"], refused.body
    text = with_coupon.replace('"coupon_id": 1', '"coupon_id": "SPRING"')
    wrong = compat_server.curl(text, token=partner.token, email="c@example.com", origin="partner", dc="dal")
    assert wrong.status == 400 and "coupon_id" in wrong.json()["error"]["fields"]
    assert compat_server.curl(LIST, token=partner.token).json()["result"] == []


def test_details_and_transfer_name_the_data_center_as_their_docs(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Given licenses created in `dal` and in `fra`, the details and the transfer answer name
    the region as their docs' examples do (`"data_center": "dal"`)."""
    american = create(compat_server, partner, "joe@example.com")["license"]
    european = create(compat_server, partner, "eu@example.com", dc="fra")["license"]
    assert details(compat_server, partner, american)["data_center"] == "dal"
    assert details(compat_server, partner, european)["data_center"] == "fra"
    invite = OPERATORS.replace("https://api.labs.livechatinc.com", "https://api.livechatinc.com")
    invited = compat_server.curl(invite.replace("/123/", f"/{american}/"), token=partner.token)
    assert invited.status == 200
    moved = compat_server.curl(
        TRANSFER.replace("joe@doe.com", "jane@example.com"), token=partner.token, license_id=american
    )
    assert moved.status == 200 and moved.json()["data_center"] == "dal", moved.body


def test_invoices_after_a_transfer_are_still_listed(compat_server: CompatServer, partner: Partner) -> None:
    """Given a subscribed license transferred to its customer, the docs' invoices example
    answers 200 (the docs list no 403) with the invoice issued while the partner managed it;
    nothing is owed on it (no seat used), so it is `paid`."""
    license_id = subscribed(compat_server, partner, "jane@example.com")
    example = INVOICES.replace("/321/", f"/{license_id}/")
    (before,) = compat_server.curl(example, token=partner.token).json()["result"]
    invite = OPERATORS.replace("https://api.labs.livechatinc.com", "https://api.livechatinc.com")
    assert compat_server.curl(invite.replace("/123/", f"/{license_id}/"), token=partner.token).status == 200
    moved = compat_server.curl(TRANSFER.replace("joe@doe.com", "joe@example.com"), token=partner.token,
                               license_id=license_id)  # fmt: skip
    assert moved.status == 200, moved.body
    answer = compat_server.curl(example, token=partner.token)
    assert answer.status == 200, answer.body
    assert answer.json()["result"] == [before] and before["status"] == "paid"


def test_organization_licenses_name_the_product_by_its_code(
    compat_server: CompatServer, partner: Partner
) -> None:
    """Given a license in an organization, the docs' "Get Organization Licenses" answers its
    `product` as the code the docs show (`"livechat"`), the one the license paths take."""
    organization_id = organization(compat_server, partner)
    created = compat_server.curl(CREATE_IN_ORGANIZATION, token=partner.token, organization_id=organization_id,
                                 email="joe@example.com").json()  # fmt: skip
    answer = compat_server.curl(ORGANIZATION_LICENSES, token=partner.token, organization_id=organization_id)
    (entry,) = answer.json()["results"]
    assert [(i["external_license_id"], i["product"]) for i in entry["licenses"]] == [
        (created["license"], "livechat")
    ]


AFFILIATE_SUMMARY = """curl --request POST \\
	--url https://api.livechatinc.com/v2/partners/affiliates/summary \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""


def test_methods_not_offered_authenticate_first(compat_server: CompatServer, partner: Partner) -> None:
    """Given the docs' Affiliate "Get Summary" example (a method not offered here), without a
    valid token it is the 401 every method gives; with the partner's token, the JSON 501."""
    assert compat_server.curl(AFFILIATE_SUMMARY, token="pat_not-a-token").status == 401
    anonymous = AFFILIATE_SUMMARY.replace(" \\\n\t--header 'Authorization: Bearer <YOUR_API_TOKEN>'", "")
    assert compat_server.curl(anonymous).status == 401
    answer = compat_server.curl(AFFILIATE_SUMMARY, token=partner.token)
    assert answer.status == 501 and answer.json()["error"]["type"] == "not_supported"
