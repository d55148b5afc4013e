"""API Gateway HTTP API (payload format 2.0): build the event a request becomes, and turn
the handler's answer back into status, headers, cookies and body."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from partnerapp_infra.aws.template import Route

_TEXT_TYPES = ("application/json", "application/x-www-form-urlencoded", "text/")


@dataclass
class HttpRequest:
    method: str
    path: str
    query_string: str = ""
    headers: Iterable[tuple[str, str]] = ()
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    path_parameters: dict[str, str] = field(default_factory=dict)


def _is_utf8(data: bytes) -> bool:
    """API Gateway passes a body it cannot hand over as text base64-encoded."""
    try:
        data.decode()
    except UnicodeDecodeError:
        return False
    return True


def build_event(route: Route, request: HttpRequest) -> dict[str, Any]:
    headers: dict[str, str] = {}
    cookies: list[str] = []
    for name, value in request.headers:
        key = name.lower()
        if key == "cookie":
            cookies += [c.strip() for c in value.split(";") if c.strip()]
            continue
        # HTTP API joins repeated headers with commas.
        headers[key] = f"{headers[key]},{value}" if key in headers else value
    content_type = headers.get("content-type", "")
    is_text = not request.body or (
        any(content_type.startswith(t) for t in _TEXT_TYPES) and _is_utf8(request.body)
    )
    query: dict[str, str] = {}
    for name, value in parse_qsl(request.query_string, keep_blank_values=True):
        query[name] = f"{query[name]},{value}" if name in query else value
    now = datetime.now(UTC)
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route.route_key,
        "rawPath": request.path,
        "rawQueryString": request.query_string,
        "headers": headers,
        "requestContext": {
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": headers.get("host", "localhost"),
            "domainPrefix": "local",
            "http": {
                "method": request.method,
                "path": request.path,
                "protocol": "HTTP/1.1",
                "sourceIp": request.source_ip,
                "userAgent": headers.get("user-agent", ""),
            },
            "requestId": str(uuid.uuid4()),
            "routeKey": route.route_key,
            "stage": "$default",
            "time": now.strftime("%d/%b/%Y:%H:%M:%S +0000"),
            "timeEpoch": int(time.time() * 1000),
        },
        "isBase64Encoded": not is_text,
    }
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if request.path_parameters:
        event["pathParameters"] = dict(request.path_parameters)
    if request.body:
        event["body"] = request.body.decode() if is_text else base64.b64encode(request.body).decode()
    return event


@dataclass
class HttpResponse:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes


def read_result(result: Mapping[str, Any] | str) -> HttpResponse:
    """HTTP API's reading of a handler's answer (a bare string or dict is a 200 JSON body)."""
    if isinstance(result, str) or "statusCode" not in result:
        text = result if isinstance(result, str) else json.dumps(result)
        return HttpResponse(200, {"content-type": "application/json"}, [], text.encode())
    raw = result.get("body") or ""
    body = base64.b64decode(raw) if result.get("isBase64Encoded") else str(raw).encode()
    headers = {str(k): str(v) for k, v in (result.get("headers") or {}).items()}
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers[name] = ",".join(values)
    return HttpResponse(int(result["statusCode"]), headers, list(result.get("cookies") or []), body)
