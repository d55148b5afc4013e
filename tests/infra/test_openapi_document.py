"""The OpenAPI document states every answer from the marshmallow schema the route dumps
through (none inferred from examples), names any gap, and links each create to the
operations on what it created."""

from __future__ import annotations

import ast
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from partnerapp.api.documented import Doc
from partnerapp.domain.partners import ApiToken
from partnerapp.schemas import partners
from partnerapp_infra import openapi
from partnerapp_infra.aws.template import Route
from partnerapp_infra.paths import REPO_ROOT as REPO

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


def _change_doc(monkeypatch: pytest.MonkeyPatch, key: str, doc: Doc | None) -> None:
    """The route `key` as if its function's `@Doc` said `doc` (None: had none)."""
    declared = openapi.declared_doc
    monkeypatch.setattr(
        openapi, "declared_doc", lambda route: doc if openapi.route_key(route) == key else declared(route)
    )


def _route(key: str) -> Route:
    return next(r for r in openapi.api_routes() if openapi.route_key(r) == key)


def test_an_operation_without_a_response_schema_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "GET /v2/partners/tokens"
    _change_doc(monkeypatch, key, replace(openapi.doc_for(_route(key)), response=None))
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


def test_a_license_create_with_a_response_schema_links_to_every_operation_on_the_license() -> None:
    # The create states its answer (with `license`): the links follow from the schema
    found = openapi.links(_route("POST /v2/partners/solutions/licenses"))
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


# --- the prose beside what it describes -----------------------------------------------------

SIDE_TABLES = {"OPERATIONS", "FIELD_DOCS"}


def test_every_operation_has_a_summary_from_its_routes_doc() -> None:
    # Given the document a partner's tooling reads, every operation says what it does in a
    # line, and each served one says it in the `@Doc` on its route (none named after a handler)
    document = openapi.generate()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert operation["summary"].strip(), (method, path)
    assert openapi.undocumented() == []


def test_a_route_without_its_doc_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "GET /v2/partners/coupons"
    _change_doc(monkeypatch, key, None)
    assert openapi.undocumented() == [key]
    assert openapi.doc_for(_route(key)).summary == "Coupons"  # listed, named after its handler


def _described(schema_name: str | None) -> dict[str, str]:
    if schema_name is None:
        return {}
    fields = openapi.schema_named(schema_name)().fields
    return {
        f.data_key or name: f.metadata["description"]
        for name, f in fields.items()
        if "description" in f.metadata
    }


def test_field_prose_is_the_schema_fields_own() -> None:
    # Every description of a body's, an answer's or a query's field in the document is the
    # one on that marshmallow field, and every field's description reaches the document
    document = openapi.generate()
    schemas = document["components"]["schemas"]
    for route in openapi.api_routes():
        doc = openapi.doc_for(route)
        operation = document["paths"][route.path][route.method.lower()]
        for name in (doc.body, doc.response):
            if name is not None:
                component = schemas[name.rsplit(".", 1)[-1].removesuffix("Schema")]
                shown = {
                    p: v["description"] for p, v in component["properties"].items() if "description" in v
                }
                assert shown == _described(name), (route.path, name)
        queried = {p["name"]: p.get("description") for p in operation["parameters"] if p["in"] == "query"}
        assert {n: d for n, d in queried.items() if d} == _described(doc.query), route.path


def test_path_parameters_are_described_by_their_routes_doc() -> None:
    document = openapi.generate()
    resend = document["paths"][
        "/v2/partners/solutions/licenses/{product}/{license_id}/operators/{email}/resend"
    ]
    described = {p["name"]: p["description"] for p in resend["post"]["parameters"] if p["in"] == "path"}
    assert described == {
        "product": "`livechat` or `chatbot`.",
        "license_id": "",
        "email": "The person's email address.",
    }


def test_the_resend_limits_the_document_states_are_the_enforced_ones() -> None:
    # The route writes the numbers out (importing the store module would load boto3 with the
    # handler): they must be resend_limits' own
    from partnerapp.store import resend_limits

    resend = openapi.generate()["paths"][
        "/v2/partners/solutions/licenses/{product}/{license_id}/operators/{email}/resend"
    ]["post"]
    assert f"resent {resend_limits.RESENDS_PER_PERSON_HOUR} times a clock hour" in resend["description"]
    assert f"invitations {resend_limits.RESENDS_PER_LICENSE_DAY} times a UTC day" in resend["description"]


def _side_tables(source: Path) -> list[str]:
    """The module-level names in SIDE_TABLES that `source` assigns."""
    found = []
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            found += [f"{source.relative_to(REPO)}: {name}" for name in names if name in SIDE_TABLES]
    return found


def test_no_module_keeps_operation_or_field_prose_in_a_side_table() -> None:
    sources = [p for top in ("functions", "infra", "client") for p in (REPO / top).rglob("*.py")]
    assert sources
    assert [found for source in sources for found in _side_tables(source)] == []
