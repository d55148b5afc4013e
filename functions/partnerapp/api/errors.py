"""The API's error answers: `{"error": {"type", "message", "fields"}}` with the status code."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response

from partnerapp.domain.errors import Conflict, DomainError, Limited, NotFound, RuleViolation, StillInProgress


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        fields: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error_type = error_type
        self.message = message
        self.fields = fields or {}
        self.headers = headers or {}


def unauthorized() -> ApiError:
    # One message for missing, malformed, unknown and revoked tokens: nothing to probe.
    return ApiError(
        401,
        "authentication",
        "A valid bearer token is required.",
        headers={"WWW-Authenticate": 'Bearer realm="partner-api"'},
    )


def not_found(message: str = "Not found.") -> ApiError:
    return ApiError(404, "not_found", message)


def method_not_allowed(allowed: list[str]) -> ApiError:
    return ApiError(
        405,
        "method_not_allowed",
        f"This path answers {', '.join(allowed)} only.",
        headers={"Allow": ", ".join(allowed)},
    )


def unavailable() -> ApiError:
    return ApiError(
        503, "unavailable", "The service is busy; please retry in a moment.", headers={"Retry-After": "2"}
    )


# AWS answers that mean "not now" rather than "no": throttling and transient capacity limits.
_TRANSIENT_CODES = {
    "ProvisionedThroughputExceededException", "ThrottlingException", "RequestLimitExceeded",
    "TransactionConflictException", "InternalServerError", "ServiceUnavailable", "LimitExceededException",
}  # fmt: skip
_TRANSIENT_CANCELLATIONS = {"ThrottlingError", "ProvisionedThroughputExceeded", "TransactionConflict"}
_TRANSIENT_NETWORK = {
    "EndpointConnectionError",
    "ConnectTimeoutError",
    "ReadTimeoutError",
    "ConnectionClosedError",
}


def is_transient(error: Exception) -> bool:
    """Whether a boto3 failure is worth a retry (told apart without importing botocore here)."""
    if type(error).__name__ in _TRANSIENT_NETWORK:
        return True
    details = getattr(error, "response", None)
    if not isinstance(details, dict):
        return False
    code = details.get("Error", {}).get("Code", "")
    if code == "TransactionCanceledException":
        reasons = {r.get("Code") for r in details.get("CancellationReasons", [])}
        return bool(reasons & _TRANSIENT_CANCELLATIONS)
    return code in _TRANSIENT_CODES


def validation(fields: dict[str, Any], message: str = "Some fields are missing or invalid.") -> ApiError:
    return ApiError(400, "validation", message, fields)


_DOMAIN_STATUS: list[tuple[type[DomainError], int, str]] = [
    (RuleViolation, 403, "authorization"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
]


def from_domain(error: DomainError) -> ApiError:
    if isinstance(error, Limited):
        headers = {"Retry-After": str(error.retry_after)}
        return ApiError(429, "rate_limited", error.message, error.fields, headers)
    if isinstance(error, StillInProgress):
        return ApiError(409, "conflict", error.message, headers={"Retry-After": "1"})
    for kind, status, error_type in _DOMAIN_STATUS:
        if isinstance(error, kind):
            return ApiError(status, error_type, error.message, error.fields)
    return ApiError(400, "validation", error.message, error.fields)


def error_response(error: ApiError) -> Response[str]:
    body: dict[str, Any] = {"type": error.error_type, "message": error.message}
    if error.fields:
        body["fields"] = error.fields
    return Response(
        status_code=error.status,
        content_type="application/json",
        body=json.dumps({"error": body}),
        headers=error.headers,
    )
