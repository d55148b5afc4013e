"""Text Partner API v2, "Solution Partner": Submit Lead, Get Leads, Get Lead Details and Get
Lead History - the docs' example requests sent unchanged (the example ids replaced by the
lead's own), answered with the docs' example keys and types; statuses moved with the admin
CLI as an operator moves them."""

from __future__ import annotations

import os
import re
import subprocess
import sys

from partnerapp_infra.paths import REPO_ROOT
from tests.compat.conftest import CompatServer, Partner

SUBMIT_LEAD = """curl --request POST \\
  --url https://api.livechatinc.com/v2/partners/solutions/leads \\
  --header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
  --header 'Content-Type: application/json' \\
  --data '{
    "partner_name": "John Doe",
    "partner_email": "john@partner.com",
    "company_name": "ACME Inc.",
    "contact_email": "contact@acme.com",
    "domain": "www.acme.com",
    "first_name": "Jane",
    "last_name": "Smith",
    "accepts_requirements": true,
    "monetization_type": "flat_fee"
  }'"""

GET_LEADS = """curl --request GET \\
  --url https://api.livechatinc.com/v2/partners/solutions/leads \\
  --header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

GET_LEAD = """curl --request GET \\
  --url https://api.livechatinc.com/v2/partners/solutions/leads/123 \\
  --header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

GET_LEAD_HISTORY = """curl --request GET \\
  --url https://api.livechatinc.com/v2/partners/solutions/leads/54321/history \\
  --header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

WIRE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")
# The docs' "Get Lead Details" example's keys.
DETAILS_KEYS = {
    "partner_id", "external_lead_id", "status", "fee_amount", "company_name", "contact_email", "domain",
    "first_name", "last_name", "region", "job_title", "phone_number", "description", "updated_at",
}  # fmt: skip


def set_status(server: CompatServer, partner: Partner, lead_id: str, status: str) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment["AWS_ENDPOINT_URL"] = server.aws_endpoint
    subprocess.run(
        [sys.executable, "-m", "partnerapp_infra.cli.main", "leads", "set-status", "--partner-id",
         partner.partner_id, "--lead-id", lead_id, "--status", status],
        env=environment, capture_output=True, check=True, cwd=REPO_ROOT, text=True,
    )  # fmt: skip


def test_submit_lead_then_list_detail_and_history(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Submit Lead" - {"lead_id": "123"}: the id as a string
    submitted = compat_server.curl(SUBMIT_LEAD, token=partner.token)
    assert submitted.status == 201, submitted.body
    assert list(submitted.json()) == ["lead_id"]
    lead_id = submitted.json()["lead_id"]
    assert isinstance(lead_id, str) and lead_id.isdigit()
    # Docs: "Get Leads" - {result: [{lead_id, company_name, contact_email, status}]}
    listed = compat_server.curl(GET_LEADS, token=partner.token)
    assert listed.status == 200 and listed.json() == {
        "result": [{"lead_id": lead_id, "company_name": "ACME Inc.", "contact_email": "contact@acme.com",
                    "status": "new"}]
    }  # fmt: skip
    # Docs: "Get Lead Details" - the example's keys
    details = compat_server.curl(GET_LEAD.replace("/123", f"/{lead_id}"), token=partner.token)
    assert details.status == 200, details.body
    shown = details.json()
    assert set(shown) == DETAILS_KEYS and WIRE_TIME.match(shown["updated_at"])
    assert (shown["external_lead_id"], shown["status"], shown["fee_amount"]) == (lead_id, "new", 0)
    assert (shown["domain"], shown["first_name"], shown["last_name"]) == ("www.acme.com", "Jane", "Smith")
    # Docs: "Get Lead History" - {result: [{name: lead_was_created, created_at}]}, then each move
    history = GET_LEAD_HISTORY.replace("/54321/", f"/{lead_id}/")
    first = compat_server.curl(history, token=partner.token).json()["result"]
    assert [entry["name"] for entry in first] == ["lead_was_created"] and WIRE_TIME.match(
        first[0]["created_at"]
    )
    set_status(compat_server, partner, lead_id, "contacted")
    after = compat_server.curl(history, token=partner.token).json()["result"]
    assert [entry["name"] for entry in after] == ["lead_was_created", "lead_was_contacted"]


def test_a_lead_without_accepting_requirements_is_a_400(
    compat_server: CompatServer, partner: Partner
) -> None:
    refused = compat_server.curl(
        SUBMIT_LEAD.replace('"accepts_requirements": true', '"accepts_requirements": false'),
        token=partner.token,
    )
    assert refused.status == 400 and "accepts_requirements" in refused.json()["error"]["fields"]
    other = compat_server.curl(SUBMIT_LEAD.replace("flat_fee", "bounty"), token=partner.token)
    assert other.status == 400 and "monetization_type" in other.json()["error"]["fields"]
    assert compat_server.curl(GET_LEADS, token=partner.token).json() == {"result": []}
    assert compat_server.curl(GET_LEAD, token=partner.token).status == 404
