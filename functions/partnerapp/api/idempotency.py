"""`Idempotency-Key` on POST, with powertools idempotency, scoped by partner.

The record holds only a keyed digest of the request and a reference to what was created
(never the customer's data), so it can live in the home region: a replay re-reads the
resource from its own region and answers it again.
"""

from __future__ import annotations

import functools
import json
import re
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from partnerapp import per_environment
from partnerapp.api.errors import ApiError
from partnerapp.hashing import keyed_digest
from partnerapp.settings import get_settings

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Powertools' idempotency imports boto3: it is imported by the init under SnapStart
# (`prepare`), else when a request first carries an Idempotency-Key; never by the handler's
# import (see the import row of `make bench`).

HEADER = "idempotency-key"
MAX_KEY_LENGTH = 255
# Printable ASCII, no space at either end (HTTP trims those anyway): what the OpenAPI
# document declares, so a client's generator and the API agree on what a key is.
KEY_PATTERN = r"^[!-~]([ -~]*[!-~])?$"
RECORD_TTL_SECONDS = 24 * 3600
IN_PROGRESS_WAIT_SECONDS = 5.0


@functools.cache
def _config() -> IdempotencyConfig:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    return IdempotencyConfig(
        event_key_jmespath="[partner_id, key, operation]",
        payload_validation_jmespath="request_digest",
        expires_after_seconds=RECORD_TTL_SECONDS,
        # Not mutated (True -> False is equivalent): every record names partner, key and operation
        # (`once` passes only a key it checked), so there is never a missing key to raise on.
        raise_on_no_idempotency_key=True,  # pragma: no mutate
    )


@functools.cache
def _once() -> Callable[..., dict[str, Any]]:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, idempotent_function

    from partnerapp.store import clients
    from partnerapp.store.idempotency_client import SelfRecognisingClient

    settings = get_settings()
    store = DynamoDBPersistenceLayer(
        table_name=settings.idempotency_table,
        boto3_client=SelfRecognisingClient(clients.dynamodb(settings.home_region)),
    )

    @idempotent_function(data_keyword_argument="request", persistence_store=store, config=_config())
    def run(request: dict[str, Any], action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        return action()

    return run  # type: ignore[no-any-return]


def prepare() -> None:
    """Build the persistence layer now (powertools' idempotency and its client): the API's
    init does it, so the first request with an Idempotency-Key does not."""
    _once()


# The persistence layer holds an SDK client: a SnapStart restore builds it again, on the
# restored environment's own (partnerapp.per_environment).
@per_environment.register
def _forget() -> None:
    _once.cache_clear()


def idempotency_key(headers: dict[str, str]) -> str | None:
    key = headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if len(key) > MAX_KEY_LENGTH or not re.fullmatch(KEY_PATTERN, key):
        raise ApiError(
            400,
            "validation",
            "Idempotency-Key must be 1 to 255 printable ASCII characters.",
            {"Idempotency-Key": ["Must be 1 to 255 printable ASCII characters."]},
        )
    return key


def request_ref(headers: dict[str, str], *, partner_id: str, operation: str, request: Any) -> str | None:
    """A keyed digest naming this very request (partner, key, operation and body), or None
    without a key. A create stores it with what it claims: if the request is run again
    after its in-progress lock expired (a first run slower than its window), the second run
    recognises its first run's work by it, where the lock no longer tells them apart."""
    key = idempotency_key(headers)
    if key is None:
        return None
    body = json.dumps(request, sort_keys=True)
    return keyed_digest(get_settings().keyed_hash_secret, "request", partner_id, operation, key, body)


def run_once(
    *,
    partner_id: str,
    key: str,
    operation: str,
    request: Any,
    action: Callable[[], dict[str, Any]],
    context: LambdaContext | None,
) -> tuple[dict[str, Any], bool]:
    """Run `action` once per (partner, key, operation); returns (result, replayed)."""
    from aws_lambda_powertools.utilities.idempotency.exceptions import (
        IdempotencyAlreadyInProgressError,
        IdempotencyPersistenceLayerError,
        IdempotencyValidationError,
    )

    digest = keyed_digest(get_settings().keyed_hash_secret, operation, json.dumps(request, sort_keys=True))
    record = {"partner_id": partner_id, "key": key, "operation": operation, "request_digest": digest}
    ran = False

    def tracked() -> dict[str, Any]:
        nonlocal ran
        ran = True
        return action()

    if context is not None:
        _config().register_lambda_context(context)
    deadline = time.monotonic() + IN_PROGRESS_WAIT_SECONDS
    while True:
        try:
            result = _once()(request=record, action=tracked)
            return result, not ran
        except IdempotencyValidationError:
            raise ApiError(
                422,
                "idempotency_key_reused",
                "This Idempotency-Key was used with a different request.",
                {"Idempotency-Key": ["Already used with a different request."]},
            ) from None
        except IdempotencyAlreadyInProgressError:
            # A twin request is still running: wait for its answer rather than fail it.
            if time.monotonic() > deadline:
                raise ApiError(
                    409,
                    "conflict",
                    "A request with this Idempotency-Key is still in progress.",
                    headers={"Retry-After": "1"},
                ) from None
            time.sleep(0.1)
        except IdempotencyPersistenceLayerError:
            raise ApiError(
                503, "unavailable", "Please retry in a moment.", headers={"Retry-After": "2"}
            ) from None


def once(
    headers: dict[str, str],
    *,
    partner_id: str,
    operation: str,
    request: Any,
    action: Callable[[], dict[str, Any]],
    context: LambdaContext | None,
) -> tuple[dict[str, Any], bool]:
    """Run a POST's action once per `Idempotency-Key` (or simply run it without a key).

    `action` returns what is remembered: references and codes, never customer data; the route
    builds its answer from that, so a replay answers like the first time."""
    key = idempotency_key(headers)
    if key is None:
        return action(), False
    return run_once(
        partner_id=partner_id, key=key, operation=operation, request=request, action=action, context=context
    )
