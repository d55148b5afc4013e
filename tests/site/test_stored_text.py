"""Text stored before the door checked it (issue 22) still makes valid pages: a control
character, a line separator or a bidi override is shown as U+FFFD, never printed raw."""

from __future__ import annotations

import boto3

from partnerapp.domain.text import FORBIDDEN
from tests.conftest import ApiClient, PartnerAccount
from tests.site.conftest import WebClient
from tests.site.license_support import create_license

STORED = "Acme\u0085Corp\u009b \u2028\u202eX"


def _store_name_as_before(license_id: int, name: str) -> None:
    """Write the name straight to the table, as a create did before the door refused it."""
    boto3.client("dynamodb", region_name="us-east-1").update_item(
        TableName="partnerapp-licenses",
        Key={"pk": {"S": f"LICENSE#{license_id}"}, "sk": {"S": "LICENSE"}},
        UpdateExpression="SET client_name = :name",
        ExpressionAttributeValues={":name": {"S": name}},
    )


def test_a_stored_name_with_control_characters_is_shown_as_replacement_characters(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    # Given a license whose client name holds C1 controls, U+2028 and an override
    number = create_license(api, partner, client_name="Acme Corporation")
    _store_name_as_before(number, STORED)
    # When the partner opens its page and the list of licenses
    for url in (f"/web/licenses/livechat/{number}", "/web/licenses"):
        page = signed_in.get(url)
        # Then the pages show the name with U+FFFD, and hold no forbidden code point
        assert page.status == 200, url
        assert "Acme\ufffdCorp\ufffd \ufffd\ufffdX" in page.text, url
        assert FORBIDDEN.search(page.text.replace("\n", "").replace("\r", "").replace("\t", "")) is None, url
