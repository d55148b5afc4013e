"""The local gateway speaks API Gateway's HTTP API payload 2.0, with routes from the template."""

from __future__ import annotations

import base64

from partnerapp_infra.aws import template
from partnerapp_infra.local.apigw import HttpRequest, build_event, read_result
from partnerapp_infra.local.gateway import LocalGateway


def test_routes_come_from_the_template() -> None:
    keys = {r.route_key for r in template.http_routes()}
    assert "POST /v2/partners/solutions/licenses" in keys
    assert "GET /v2/partners/solutions/licenses/{product}/{license_id}" in keys


def test_gateway_matches_path_parameters() -> None:
    matched = LocalGateway().match("GET", "/v2/partners/solutions/licenses/livechat/123456781")
    assert matched is not None
    route, parameters = matched
    assert route.function == "ApiFunction"
    assert parameters == {"product": "livechat", "license_id": "123456781"}
    assert LocalGateway().match("PATCH", "/v2/partners/solutions/licenses/livechat/1") is None


def test_event_has_the_payload_2_0_shape() -> None:
    route = template.Route("POST", "/v2/partners/solutions/licenses", "ApiFunction")
    event = build_event(
        route,
        HttpRequest(
            method="POST",
            path="/v2/partners/solutions/licenses",
            query_string="product=livechat&x=1&x=2",
            headers=[
                ("Content-Type", "application/json"),
                ("Cookie", "a=1; b=2"),
                ("X-Many", "1"),
                ("X-Many", "2"),
            ],
            body=b'{"a": 1}',
        ),
    )
    assert event["version"] == "2.0"
    assert event["routeKey"] == "POST /v2/partners/solutions/licenses"
    assert event["queryStringParameters"] == {"product": "livechat", "x": "1,2"}
    assert event["headers"]["x-many"] == "1,2"
    assert event["cookies"] == ["a=1", "b=2"]
    assert event["body"] == '{"a": 1}' and event["isBase64Encoded"] is False
    assert event["requestContext"]["http"]["method"] == "POST"
    assert event["requestContext"]["requestId"]


def test_binary_bodies_are_base64_encoded() -> None:
    route = template.Route("POST", "/x", "ApiFunction")
    event = build_event(
        route, HttpRequest(method="POST", path="/x", headers=[("content-type", "image/png")], body=b"\x89PNG")
    )
    assert event["isBase64Encoded"] is True and base64.b64decode(event["body"]) == b"\x89PNG"


def test_reading_handler_results() -> None:
    assert (
        read_result({"statusCode": 201, "headers": {"a": "b"}, "body": "{}", "cookies": ["s=1"]}).status
        == 201
    )
    plain = read_result({"ok": True})
    assert plain.status == 200 and plain.body == b'{"ok": true}'
