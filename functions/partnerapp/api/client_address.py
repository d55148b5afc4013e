"""Who a per-client budget (the article feedback's) is for: an address the client cannot choose.

In AWS every request reaches the API through CloudFront (the origin check refuses the rest),
and CloudFront itself sets `CloudFront-Viewer-Address` to the address it was connected from,
`ip:port` (IPv6 unbracketed: the port is after the last colon). The distribution's origin
request policy (AllViewerExceptHostHeader) passes it on. Locally the dev server puts the
socket's address in requestContext.http.sourceIp, as API Gateway does.

X-Forwarded-For is never read: the client writes its first entries, and behind CloudFront and
API Gateway which entry is whose depends on hops this code cannot see.
"""

from __future__ import annotations

from typing import Any

VIEWER_ADDRESS = "cloudfront-viewer-address"


def client_address(event: Any, local: bool) -> str:
    """The viewer's address from CloudFront in AWS; the socket's address locally (and in AWS
    without the header, which only a request that skipped CloudFront lacks: its source)."""
    if not local:
        viewer = viewer_ip(event.headers.get(VIEWER_ADDRESS) or "")
        if viewer:
            return viewer
    return str(event.request_context.http.source_ip)


def viewer_ip(value: str) -> str | None:
    """The ip of `ip:port` (IPv4 or IPv6); None when it is not of that form."""
    host, colon, port = value.strip().rpartition(":")
    host = host.strip("[]")
    if not colon or not host or not port.isdigit():
        return None
    return host
