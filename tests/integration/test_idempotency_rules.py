"""The edges of `Idempotency-Key`: which keys are accepted, how long a record is kept, how
long a twin request waits for one still in progress, and a store that fails. (The replay
itself: test_idempotency.py.)"""

from __future__ import annotations

import time
from typing import Any

import boto3
import pytest

from partnerapp.api import idempotency
from partnerapp.api.errors import ApiError
from tests.conftest import LICENSES, ApiClient, PartnerAccount, license_body

CREATE = f"{LICENSES}?product=livechat"


# Counting takes its window (date_from and date_to are required): one that holds every license.
COUNT_ALL = f"{LICENSES}/count?date_from=2000-01-01&date_to=2099-12-31"


def _records() -> list[dict[str, Any]]:
    # Test-only: the whole (tiny) emulated table.
    table = boto3.client("dynamodb", region_name="us-east-1")
    return table.scan(TableName="partnerapp-idempotency")["Items"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    ("key", "accepted"),
    [
        ("k" * 255, True),
        ("k" * 256, False),
        ("  order-1  ", True),  # HTTP trims the spaces around
        ("a", True),
        ("~!", True),
        ("order 1", True),
        ("order\u00e91", False),
        ("order\t1", False),
    ],
)
def test_a_key_is_1_to_255_printable_ascii_characters(
    api: ApiClient, partner: PartnerAccount, key: str, accepted: bool
) -> None:
    answer = api.post(CREATE, token=partner.token, json_body=license_body(), headers={"Idempotency-Key": key})
    if accepted:
        assert answer.status == 201, answer.body
        assert len(_records()) == 1
    else:
        assert answer.status == 400
        assert answer.json()["error"]["fields"] == {
            "Idempotency-Key": ["Must be 1 to 255 printable ASCII characters."]
        }
        assert _records() == []


def test_a_record_is_kept_for_24_hours_and_bounded_by_the_functions_time(
    api: ApiClient, partner: PartnerAccount
) -> None:
    before = int(time.time())
    assert (
        api.post(
            CREATE, token=partner.token, json_body=license_body(), headers={"Idempotency-Key": "k1"}
        ).status
        == 201
    )
    after = int(time.time()) + 1
    [record] = _records()
    assert before + 24 * 3600 <= int(record["expiration"]["N"]) <= after + 24 * 3600
    # the in-progress mark ends with the function's own deadline (the Lambda context's)
    assert "in_progress_expiration" in record


class _FakeTime:
    """Replaces the module's `time`: sleeping moves the monotonic clock, in tenths exactly."""

    def __init__(self) -> None:
        self.ticks = 0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self.ticks / 10

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.ticks += round(seconds * 10)


def test_a_twin_request_waits_five_seconds_for_one_in_progress_then_is_409(
    aws: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = _FakeTime()
    monkeypatch.setattr(idempotency, "time", fake)
    twin: list[ApiError] = []

    def first() -> dict[str, Any]:
        # while the first request runs, its twin (same partner, key, operation and body) comes
        try:
            idempotency.run_once(partner_id="p1", key="k", operation="op", request={"a": 1},
                                 action=lambda: {"twin": True}, context=None)  # fmt: skip
        except ApiError as error:
            twin.append(error)
        return {"first": True}

    result, replayed = idempotency.run_once(
        partner_id="p1", key="k", operation="op", request={"a": 1}, action=first, context=None
    )
    assert (result, replayed) == ({"first": True}, False)
    [refused] = twin
    assert (refused.status, refused.error_type, refused.headers) == (409, "conflict", {"Retry-After": "1"})
    # it polled every tenth of a second until five seconds had passed
    assert fake.sleeps == [0.1] * 51
    # and the first one's answer is what the twin gets once it is done
    again = idempotency.run_once(
        partner_id="p1", key="k", operation="op", request={"a": 1}, action=lambda: {"x": 1}, context=None
    )
    assert again == ({"first": True}, True)


def test_a_failing_store_is_503_with_retry_after(
    api: ApiClient, partner: PartnerAccount, monkeypatch: pytest.MonkeyPatch
) -> None:
    boto3.client("dynamodb", region_name="us-east-1").delete_table(TableName="partnerapp-idempotency")
    answer = api.post(CREATE, token=partner.token, json_body=license_body(), headers={"Idempotency-Key": "k"})
    assert answer.status == 503 and answer.header("Retry-After") == "2"
    assert answer.json()["error"]["type"] == "unavailable"
    assert api.get(COUNT_ALL, token=partner.token).json() == {
        "trials": 0,
        "paid": 0,
        "expired": 0,
    }
