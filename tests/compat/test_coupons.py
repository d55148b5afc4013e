"""Text Partner API v2, "Account: Get Coupons", and `coupon_id` on "Create License": the docs'
example request sent unchanged, answered with the docs' example; coupons made with the admin
CLI as an operator makes them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

from partnerapp_infra.paths import REPO_ROOT
from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_licenses import CREATE, DETAILS

GET_COUPONS = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/coupons \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

# The docs' example answer of "Get Coupons".
EXAMPLE = {
    "result": [
        {"id": 1, "label": "30% off first payment"},
        {"id": 2, "label": "$25 discount"},
    ]
}


def make_coupon(server: CompatServer, partner: Partner, label: str, percent: int, product: str) -> int:
    """`partnerapp coupons create`, as an operator runs it: the new coupon's id."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    environment["AWS_ENDPOINT_URL"] = server.aws_endpoint
    until = (datetime.now(UTC) + timedelta(days=30)).date().isoformat()
    done = subprocess.run(
        [sys.executable, "-m", "partnerapp_infra.cli.main", "coupons", "create", "--partner-id",
         partner.partner_id, "--label", label, "--discount-percent", str(percent),
         "--valid-until", until, "--product", product],
        env=environment, capture_output=True, check=True, cwd=REPO_ROOT, text=True,
    )  # fmt: skip
    return int(json.loads(done.stdout)["id"])


def test_get_coupons_as_the_docs_example(compat_server: CompatServer, partner: Partner) -> None:
    # Given no coupon yet, the docs' request answers an empty result
    empty = compat_server.curl(GET_COUPONS, token=partner.token)
    assert empty.status == 200, empty.body
    assert empty.json() == {"result": []}
    # When an operator makes the docs' two coupons
    make_coupon(compat_server, partner, "30% off first payment", 30, "livechat")
    make_coupon(compat_server, partner, "$25 discount", 10, "livechat")
    # Then the docs' request answers the docs' example, exactly
    answer = compat_server.curl(GET_COUPONS, token=partner.token)
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    assert answer.json() == EXAMPLE


def test_create_license_with_a_coupon_gets_its_discount(
    compat_server: CompatServer, partner: Partner
) -> None:
    livechat = make_coupon(compat_server, partner, "10% off", 10, "livechat")
    chatbot = make_coupon(compat_server, partner, "ChatBot 5% off", 5, "chatbot")
    # A coupon for another product, and one the partner has not got: the docs' 403 naming it
    for coupon_id in (chatbot, 99):
        with_coupon = CREATE.replace('"data_center"', f'"coupon_id": {coupon_id}, "data_center"')
        refused = compat_server.curl(
            with_coupon, token=partner.token, email="c@example.com", origin="partner", dc="dal"
        )
        assert refused.status == 403 and "coupon_id" in refused.json()["error"]["fields"], refused.body
    # The LiveChat coupon: created, with its discount on top of the partner's 20%
    with_coupon = CREATE.replace('"data_center"', f'"coupon_id": {livechat}, "data_center"')
    created = compat_server.curl(
        with_coupon, token=partner.token, email="c@example.com", origin="partner", dc="dal"
    )
    assert created.status == 201, created.body
    license_id = created.json()["license"]
    shown = compat_server.curl(DETAILS.replace("123", license_id), token=partner.token).json()
    assert (shown["extra_discount_percent"], shown["discount_percent"]) == (10, 30)
