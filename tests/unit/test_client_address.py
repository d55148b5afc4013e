"""The address a per-client budget is for: CloudFront's viewer address in AWS, the socket's
locally, and never the X-Forwarded-For a client writes itself."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEventV2

from partnerapp.api.client_address import client_address

EDGE_IP = "130.176.0.10"  # API Gateway's source: the CloudFront edge that forwarded the request


def event(headers: dict[str, str], source_ip: str = EDGE_IP) -> APIGatewayProxyEventV2:
    return APIGatewayProxyEventV2(
        {"version": "2.0", "headers": headers, "requestContext": {"http": {"sourceIp": source_ip}}}
    )


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("203.0.113.9:46532", "203.0.113.9"),
        ("2001:db8:85a3::8a2e:370:7334:443", "2001:db8:85a3::8a2e:370:7334"),
        ("[2001:db8::1]:443", "2001:db8::1"),
    ],
)
def test_in_aws_the_client_is_the_viewer_address_cloudfront_set(viewer: str, expected: str) -> None:
    headers = {"cloudfront-viewer-address": viewer, "x-forwarded-for": "192.0.2.1, 192.0.2.2"}
    assert client_address(event(headers), local=False) == expected


@pytest.mark.parametrize("viewer", [None, "", "203.0.113.9", "not an address:port"])
def test_in_aws_without_a_usable_viewer_address_the_client_is_the_source(viewer: str | None) -> None:
    headers = {"x-forwarded-for": "192.0.2.1"} | (
        {"cloudfront-viewer-address": viewer} if viewer is not None else {}
    )
    assert client_address(event(headers), local=False) == EDGE_IP


def test_locally_the_client_is_the_socket_address_whatever_the_headers_claim() -> None:
    headers = {"cloudfront-viewer-address": "203.0.113.9:1", "x-forwarded-for": "192.0.2.1"}
    assert client_address(event(headers, source_ip="127.0.0.1"), local=True) == "127.0.0.1"
