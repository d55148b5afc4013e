"""The client's importer takes each row on its own: a row whose call or answer raises is
failed with its reason and the rows after it are still sent; a refused token still stops
the run (no row could go through)."""

from __future__ import annotations

from typing import Any

import pytest

from partnerapp.schemas import license_rows
from partnerapp_client.http import Reply, TokenRefused
from partnerapp_client.importer import Importer

FILE = (
    "product,client_name,client_email,payment_origin\r\n"
    "livechat,Acme Corporation,owner@acme.example,partner\r\n"
    "livechat,Poison Company,poison@beta.example,partner\r\n"
    "livechat,Gamma Company,gamma@gamma.example,partner\r\n"
)


class FakeApi:
    """Answers 201 for every row but the one for `fails_for`, whose call raises `error`."""

    def __init__(self, fails_for: str, error: Exception) -> None:
        self.fails_for = fails_for
        self.error = error
        self.sent: list[str] = []

    def create_license(self, product: str, body: dict[str, Any], key: str, dry_run: bool) -> Reply:
        if body["client_email"] == self.fails_for:
            raise self.error
        self.sent.append(body["client_email"])
        return Reply(201, {"license": 100 + len(self.sent)})


def run(api: FakeApi) -> dict[str, tuple[str, dict[str, list[str]]]]:
    importer = Importer(api, FILE.encode(), dry_run=False, concurrency=1)  # type: ignore[arg-type]
    outcomes = importer.run(license_rows.read_rows(FILE), lambda _: None)
    return {o.row.cells["client_email"]: (o.status, o.errors) for o in outcomes}


def test_a_row_that_raises_is_failed_with_its_reason_and_the_others_are_created() -> None:
    # Given an API call that raises for the second row (an answer the client cannot read)
    api = FakeApi("poison@beta.example", KeyError("license"))
    # When the file is imported
    found = run(api)
    # Then the other rows are created, and that one is failed with why
    assert sorted(api.sent) == ["gamma@gamma.example", "owner@acme.example"]
    assert found["owner@acme.example"][0] == found["gamma@gamma.example"][0] == license_rows.CREATED
    assert found["poison@beta.example"] == (
        license_rows.FAILED,
        {license_rows.ROW_FIELD: ["not imported: KeyError: 'license'"]},
    )


def test_a_refused_token_still_stops_the_run() -> None:
    with pytest.raises(TokenRefused):
        run(FakeApi("owner@acme.example", TokenRefused("401")))
