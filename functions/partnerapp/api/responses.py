"""JSON responses with the status codes the Text Partner API uses."""

from __future__ import annotations

import json
from typing import Any

from aws_lambda_powertools.event_handler import Response


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> Response[str]:
    return Response(
        status_code=status, content_type="application/json", body=json.dumps(body), headers=headers or {}
    )


def no_content() -> Response[str]:
    return Response(status_code=204, body="")
