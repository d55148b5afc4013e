"""The partner API function (HTTP API, payload format 2.0)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext

from partnerapp.api import edge
from partnerapp.api.app import app, with_security_headers

# Registers SnapStart's runtime hooks: the runtime runs only those its handler's module imports.
from partnerapp.handlers import snapstart  # noqa: F401

# No powertools Tracer here: the X-Ray SDK would add ~100 ms to every cold start of the
# latency-critical API. The template turns on Lambda's active tracing for this function.
logger = Logger()
metrics = Metrics()


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_HTTP)
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # Before routing: a request that went around CloudFront learns nothing, not even a 404.
    refused = edge.refusal(event)
    if refused is not None:
        return with_security_headers(refused)
    return with_security_headers(app.resolve(event, context))
