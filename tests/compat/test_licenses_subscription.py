"""Text Partner API v2, "Solution Partner": subscriptions, billing, invoices and the transfer.
The docs give no curl text for the subscription and billing calls: these send the documented
body fields the way the docs' other examples send bodies (curl's form, `--data`)."""

from __future__ import annotations

import re

from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_licenses import create, details

ONE = "https://api.livechatinc.com/v2/partners/solutions/licenses/livechat/<LICENSE_ID>"
CREATE_SUBSCRIPTION = f"""curl --request POST \\
	--url {ONE}/subscription \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data 'token=C12ibIjbXbqSAhKjxQWERTY&plan=team&billing_cycle=monthly&seats=10'"""
UPDATE_SUBSCRIPTION = f"""curl --request PUT \\
	--url {ONE}/subscription \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data 'plan=business&billing_cycle=annual&seats=4'"""
CLOSE_SUBSCRIPTION = f"""curl --request DELETE \\
	--url {ONE}/subscription \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data 'password=<PASSWORD>&expire=<EXPIRE>'"""
UPDATE_BILLING = f"""curl --request PUT \\
	--url {ONE}/billing \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data 'token=C12ibIjbXbqSAhKjxQWERTY'"""
INVOICES = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/321/invoices \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""
INVOICE_PDF = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/321/invoices/123 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""
# "Transfer License": the February 2026 example, `.../licenses/livechat/104130623/transfer` with
# the form body (the May 2025 one posted to `.../licenses/transfer`, naming no license).
TRANSFER = f"""curl --request POST \\
	--url {ONE}/transfer \\
	--data 'new_owner=joe@doe.com' \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""


def subscribed(server: CompatServer, partner: Partner, email: str = "joe@example.com") -> str:
    license_id = create(server, partner, email)["license"]
    answer = server.curl(CREATE_SUBSCRIPTION, token=partner.token, license_id=license_id)
    assert (answer.status, answer.body) == (201, b""), answer.body
    return license_id


def test_create_subscription(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Create Subscription" - 201 without payload; 409 when one exists. The token is not
    charged or kept here: the license shows a payment method on file (cc_added)."""
    license_id = subscribed(compat_server, partner)
    body = details(compat_server, partner, license_id)
    assert (body["status"], body["paid"], body["cc_added"]) == ("paid", True, True)
    assert (body["plan"], body["billing_cycle"]) == ("team", "monthly")
    again = compat_server.curl(CREATE_SUBSCRIPTION, token=partner.token, license_id=license_id)
    assert again.status == 409
    no_token = CREATE_SUBSCRIPTION.replace("token=C12ibIjbXbqSAhKjxQWERTY&", "")
    other = create(compat_server, partner, "other@example.com")["license"]
    refused = compat_server.curl(no_token, token=partner.token, license_id=other)
    assert refused.status == 400 and "token" in refused.json()["error"]["fields"]


def test_update_subscription(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Update Subscription" - 204; the details show the new plan; 409 when none exists."""
    license_id = subscribed(compat_server, partner)
    answer = compat_server.curl(UPDATE_SUBSCRIPTION, token=partner.token, license_id=license_id)
    assert (answer.status, answer.body) == (204, b"")
    body = details(compat_server, partner, license_id)
    assert (body["plan"], body["billing_cycle"], body["subscription"]["seats"]) == ("business", "annual", 4)
    trial = create(compat_server, partner, "trial@example.com")["license"]
    assert compat_server.curl(UPDATE_SUBSCRIPTION, token=partner.token, license_id=trial).status == 409


def test_close_subscription_expire_true_and_false(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Close Subscription" - 204. `expire=true` expires the license at once, `false` at
    the end of the billing cycle. `password` is the API token here; anything else is a 403."""
    now = subscribed(compat_server, partner, "now@example.com")
    wrong = compat_server.curl(
        CLOSE_SUBSCRIPTION, token=partner.token, license_id=now, password="hunter2", expire="true"
    )
    assert wrong.status == 403 and details(compat_server, partner, now)["status"] == "paid"
    done = compat_server.curl(
        CLOSE_SUBSCRIPTION, token=partner.token, license_id=now, password=partner.token, expire="true"
    )
    assert (done.status, done.body) == (204, b"")
    assert details(compat_server, partner, now)["status"] == "expired"
    later = subscribed(compat_server, partner, "later@example.com")
    done = compat_server.curl(
        CLOSE_SUBSCRIPTION, token=partner.token, license_id=later, password=partner.token, expire="false"
    )
    assert done.status == 204
    body = details(compat_server, partner, later)
    assert body["status"] == "paid" and body["subscription"]["ends_at"] > body["subscription"]["started_at"]


def test_update_license_billing(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Update License Billing" - 204; here the license then shows a payment method on
    file (cc_added) and its history says so. The token itself is not kept."""
    license_id = create(compat_server, partner, "joe@example.com")["license"]
    assert details(compat_server, partner, license_id)["cc_added"] is False
    answer = compat_server.curl(UPDATE_BILLING, token=partner.token, license_id=license_id)
    assert (answer.status, answer.body) == (204, b"")
    assert details(compat_server, partner, license_id)["cc_added"] is True
    history = compat_server.read(
        f"/v2/partners/solutions/licenses/livechat/{license_id}/history", partner.token
    )
    assert history.json()["history"][-1]["action"] == "billing_updated"
    assert "C12ibIjbXbqSAhKjxQWERTY" not in history.body.decode()


def test_get_license_invoices(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get License's Invoices" - under /licenses/<license_id>/invoices, `{result: [...]}`
    with invoice_no, date, plan, seats, billing_cycle, amount (dollars) and status."""
    license_id = subscribed(compat_server, partner)
    answer = compat_server.curl(INVOICES.replace("/321/", f"/{license_id}/"), token=partner.token)
    assert answer.status == 200, answer.body
    (invoice,) = answer.json()["result"]
    assert {k: invoice[k] for k in ("invoice_no", "plan", "billing_cycle", "status")} == {
        "invoice_no": 1, "plan": "team", "billing_cycle": "monthly", "status": "paid",
    }  # fmt: skip
    assert re.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$", invoice["date"])
    assert isinstance(invoice["seats"], int) and isinstance(invoice["amount"], int | float)


def test_get_license_invoice_pdf(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get License's Invoice PDF" - `application/pdf`; a missing invoice is a 404."""
    license_id = subscribed(compat_server, partner)
    example = INVOICE_PDF.replace("/321/", f"/{license_id}/")
    answer = compat_server.curl(example.replace("/123 ", "/1 "), token=partner.token)
    assert answer.status == 200 and answer.headers["content-type"] == "application/pdf"
    pdf = answer.body
    assert pdf.startswith(b"%PDF-1.4\n") and pdf.rstrip().endswith(b"%%EOF")
    # every object is where the cross-reference table says it is
    start = int(pdf.rsplit(b"startxref\n", 1)[1].split(b"\n")[0])
    assert pdf[start:].startswith(b"xref")
    offsets = re.findall(rb"(\d{10}) 00000 n", pdf[start:])
    for number, offset in enumerate(offsets, start=1):
        assert pdf[int(offset) :].startswith(b"%d 0 obj" % number)
    assert f"license {license_id}".encode() in pdf and b"Invoice 1" in pdf
    assert compat_server.curl(example, token=partner.token).status == 404  # invoice 123


def test_transfer_license_to_new_owner(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Transfer License" - `new_owner` (one of the license's users) becomes the owner;
    200 with the details fields plus recurrent, expired, blocked."""
    license_id = create(compat_server, partner, "joe@example.com")["license"]
    invite = (
        f"curl --request POST --url '{compat_server.base}/v2/partners/solutions/licenses/livechat/"
        f"{license_id}/operators' --header 'Authorization: Bearer {partner.token}' "
        "--header 'Content-Type: application/json' "
        """--data '{"operators": [{"email": "joe@doe.com", "role": "administrator"}]}'"""
    )
    assert compat_server.curl(invite).status == 200
    stranger = compat_server.curl(TRANSFER.replace("joe@doe.com", "nobody@doe.com"), token=partner.token,
                                  license_id=license_id)  # fmt: skip
    assert stranger.status == 400 and "new_owner" in stranger.json()["error"]["fields"]
    answer = compat_server.curl(TRANSFER, token=partner.token, license_id=license_id)
    assert answer.status == 200, answer.body
    body = answer.json()
    assert (body["recurrent"], body["expired"], body["blocked"]) == (False, False, False)
    assert body["payment_origin"] == "client" and body["license"] == license_id
    after = details(compat_server, partner, license_id)
    assert after["owner_email"] == "joe@doe.com" and after["payment_origin"] == "client"
    assert compat_server.curl(TRANSFER, token=partner.token, license_id=license_id).status == 403
