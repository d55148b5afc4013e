"""The OpenAPI document states every answer from the marshmallow schema the route dumps
through (none inferred from examples), names any gap, and links each create to the
operations on what it created."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from partnerapp.domain.partners import ApiToken
from partnerapp.schemas import partners
from partnerapp_infra import openapi

# The document as last reviewed: what partners' generated clients and validators read.
REVIEWED = Path(__file__).with_name("openapi.json")


def _success(document: dict, method: str, path: str) -> dict:
    responses = document["paths"][path][method]["responses"]
    return next(r for status, r in responses.items() if status.startswith("2"))


def test_the_document_is_the_reviewed_one() -> None:
    # Any change to a schema that partners can see (a field, a type, required or not, a
    # bound, a description) shows here as a diff to review with the change.
    # Generated afresh, not from the process's cache, so that `make mutate` sees which
    # schemas this test reads.
    assert openapi._generate.__wrapped__() == REVIEWED.read_text(), (
        "The OpenAPI document changed: review the difference, then write it with "
        "`python -m partnerapp_infra.openapi > tests/infra/openapi.json` and commit it with the change."
    )


def test_every_operation_states_its_answer() -> None:
    assert openapi.missing_responses() == []


def test_an_operation_without_a_response_schema_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "GET /v2/partners/tokens"
    changed = {**openapi.OPERATIONS, key: replace(openapi.OPERATIONS[key], response=None)}
    monkeypatch.setattr(openapi, "OPERATIONS", changed)
    assert openapi.missing_responses() == [key]


def test_json_answers_are_component_schemas_with_no_example() -> None:
    document = openapi.generate()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            for status, response in operation["responses"].items():
                for media, content in response.get("content", {}).items():
                    assert "example" not in content, (method, path, status)
                    if media == "application/json":
                        schema = content["schema"]
                        assert "$ref" in schema or "$ref" in schema.get("items", {}), (method, path, status)
    assert "properties" not in _success(document, "get", "/v2/partners/tokens")["content"]["application/json"]


def test_the_documented_token_shape_is_the_one_dumped() -> None:
    document = openapi.generate()
    token = document["components"]["schemas"]["Token"]
    dumped = partners.dump_token(
        ApiToken("12", "p", "crm", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), "pat_abcd...")
    )
    assert set(token["properties"]) == set(dumped) == set(token["required"])
    assert token["properties"]["id"]["type"] == "integer" and isinstance(dumped["id"], int)
    assert token["additionalProperties"] is False
    listing = _success(document, "get", "/v2/partners/tokens")["content"]["application/json"]["schema"]
    assert listing == {"$ref": "#/components/schemas/TokenList"}
    assert _success(document, "head", "/v2/partners/status").get("content") is None


def test_creates_link_to_the_operations_on_what_they_created() -> None:
    document = openapi.generate()
    token_links = _success(document, "post", "/v2/partners/tokens")["links"]
    assert token_links == {
        "delete_v2_partners_tokens_token_id": {
            "operationId": "delete_v2_partners_tokens_token_id",
            "parameters": {"token_id": "$response.body#/id"},
        }
    }
    webhook_links = _success(document, "post", "/v2/partners/webhooks")["links"]
    assert set(webhook_links) == {
        "delete_v2_partners_webhooks_webhook_id",
        "get_v2_partners_webhooks_webhook_id_deliveries",
        "post_v2_partners_webhooks_webhook_id_test",
    }
    ids = {op["operationId"] for ops in document["paths"].values() for op in ops.values()}
    for path, operations in document["paths"].items():
        for operation in operations.values():
            for response in operation["responses"].values():
                assert set(response.get("links", {})) <= ids, path


def test_a_license_create_with_a_response_schema_links_to_every_operation_on_the_license(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Once the create states its answer (with `license`), the links follow from the schema
    from marshmallow import Schema, fields

    class Created(Schema):
        license = fields.String(required=True)

    key = "POST /v2/partners/solutions/licenses"
    changed = {**openapi.OPERATIONS, key: replace(openapi.OPERATIONS[key], response=Created)}
    monkeypatch.setattr(openapi, "OPERATIONS", changed)
    create = next(r for r in openapi.api_routes() if openapi.route_key(r) == key)
    found = openapi.links(create)
    assert "get_v2_partners_solutions_licenses_product_license_id" in found
    assert "get_v2_partners_solutions_licenses_product_license_id_history" in found
    assert found["get_v2_partners_solutions_licenses_product_license_id"]["parameters"] == {
        "license_id": "$response.body#/license",
        "product": "$request.query.product",
    }
    # an operation needing more than the create gives (an operator's email) is not linked
    assert not any("resend" in name for name in found)


def test_the_methods_not_offered_are_listed_as_501_after_authentication() -> None:
    # Given the documented methods this service does not offer, when a partner's tooling reads
    # the document, then each is there, behind the bearer token, answering 401 or 501
    from partnerapp_infra.not_offered import NOT_OFFERED

    document = openapi.generate()
    served = {openapi.route_key(route) for route in openapi.api_routes()}
    for method, path, name in NOT_OFFERED:
        if f"{method} {path}" in served:
            continue  # offered since (another issue's route): listed as served
        operation = document["paths"][path][method.lower()]
        assert set(operation["responses"]) == {"401", "429", "501"}, name
        assert operation["security"] == [{"bearer": []}] and name in operation["summary"]
