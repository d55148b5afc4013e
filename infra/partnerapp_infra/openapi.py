"""The partner API's OpenAPI document, generated from the code (`python -m partnerapp_infra.openapi`).

- Paths and methods: the ApiFunction's HttpApi routes in template.yaml under /v2/ (the
  browser routes under /web/ are the help center's own, not part of the partner API).
- Each operation's summary, prose and shape: the `@Doc(...)` on its route function
  (partnerapp/api/documented.py), beside the code that answers it.
- Request bodies, query strings and response bodies: the marshmallow schemas the routes load
  with and dump through, through apispec (`Doc.body`, `Doc.query`, `Doc.response`): one
  declaration of the wire format, and its fields' prose (`metadata={"description": ...}`).
  An operation states its response schema, or that its answer has no body (`no_body`) or
  is not JSON (`media`); `missing_responses()` names any that does neither
  (tests/infra/test_openapi_document.py fails on one).
- Links: from each create to the operations on what it created (`CREATES`), so
  schemathesis' stateful phase acts on real objects.
- A route without a `@Doc` is still listed, named after its handler; `undocumented()` names
  it (the site's build tests fail on one).
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema
from marshmallow import fields as ma_fields

from partnerapp import catalog
from partnerapp.api.documented import Doc, doc_of
from partnerapp.api.idempotency import KEY_PATTERN, MAX_KEY_LENGTH
from partnerapp.schemas import (
    management,
)
from partnerapp_infra.aws import template
from partnerapp_infra.not_offered import NOT_OFFERED

API_PREFIX = "/v2/"
TITLE = "Partner API"
VERSION = "2"
DESCRIPTION = (
    "The Text (LiveChat) Partner API v2, as its public documentation describes it, for the methods "
    "this service offers: the same paths, field names, enumerations, timestamps (`YYYY-MM-DD "
    "HH:MM:SS`, UTC) and status codes, with bodies as JSON or URL-encoded forms. The documented "
    'methods this service does not offer are listed here too, each marked "(not offered)": after '
    "authentication they answer 501 `not_supported`. Authenticate with `Authorization: Bearer <token>`. "
    "The POSTs that create or change a license, an organization or a webhook accept an "
    "`Idempotency-Key` header: a retry with the same key and body replays the first answer and "
    "changes nothing."
)


# Each create, and where the ids of what it created are: a path parameter -> a runtime
# expression, or the response fields that may hold it (the first the response schema has).
CREATES: dict[str, dict[str, str | tuple[str, ...]]] = {
    "POST /v2/partners/solutions/licenses": {
        "product": "$request.query.product",
        "license_id": ("license", "license_id"),
    },
    "POST /v2/partners/solutions/organizations/{organization_id}/licenses": {
        "product": "$request.query.product",
        "license_id": ("license", "license_id"),
    },
    "POST /v2/partners/solutions/organizations": {"organization_id": ("id", "organization_id")},
    "POST /v2/partners/webhooks": {"webhook_id": ("id",)},
    "POST /v2/partners/tokens": {"token_id": ("id",)},
}

ERROR_DESCRIPTIONS = {
    400: "Bad or missing fields; `fields` names each one.",
    401: "No valid bearer token.",
    403: "A partner rule does not allow it.",
    404: "Unknown, or another partner's.",
    409: "It clashes with what exists (a duplicate, or a change in progress).",
    413: "The body is larger than 64 KB.",
    415: "The body is not JSON.",
    422: "This Idempotency-Key was used with a different request.",
    429: "Over the partner's request budget; retry after `Retry-After` seconds.",
    503: "Busy or briefly unreachable storage; nothing was changed, retry after `Retry-After` seconds "
    "(with the same Idempotency-Key).",
}
NOT_OFFERED_DESCRIPTION = (
    "Documented in the Text Partner API and not offered by this service: after authentication, "
    "a JSON 501 `not_supported`."
)
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}}

# Every error answer (api/errors.py): `fields` only when there are fields to name; a field's
# messages are a list, or an object for nested fields (operators.0.email).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "message"],
            "properties": {
                "type": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": ["array", "object"]},
                },
            },
        }
    },
}


# Bodies whose schema asks for at least one of its (optional) fields: a rule apispec cannot
# read from the marshmallow validator, stated here for the document.
AT_LEAST_ONE_FIELD = (
    management.UpdateLicenseSchema,
    management.OfferSchema,
    management.SubscriptionChangeSchema,
)


def _require_some_field(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for schema in AT_LEAST_ONE_FIELD:
        schemas[schema.__name__.removesuffix("Schema")]["minProperties"] = 1


def _error() -> Any:
    from partnerapp.api.errors import error_response, validation

    answer = error_response(validation({"client_email": ["Not a valid email address."]}))
    return json.loads(str(answer.body))


def error_statuses(route: template.Route, doc: Doc) -> tuple[int, ...]:
    """The errors an operation can answer: those its entry names, and those every operation of
    its kind can (a token, a JSON body, an id in the path, the storage behind it)."""
    implied = {503}
    if not doc.public:
        implied |= {401, 429}
    if doc.body is not None:
        implied |= {400, 413, 415}
    if doc.query is not None:
        implied.add(400)
    if re.search(r"\{\w+\}", route.path):
        implied.add(404)
    if doc.idempotent:
        implied |= {400, 409, 422}  # a malformed key; a twin still running; a key reused
    return tuple(sorted(set(doc.errors) | implied))


def _data_center_enum(_: Any, field_obj: ma_fields.Field[Any], **__: Any) -> dict[str, Any]:
    from partnerapp.schemas.fields import DataCenterCode

    if isinstance(field_obj, DataCenterCode):
        return {"enum": [c for code, center in catalog.DATA_CENTERS.items() for c in (code, *center.aliases)]}
    return {}


def api_routes() -> list[template.Route]:
    routes = [
        r for r in template.http_routes() if r.function == "ApiFunction" and r.path.startswith(API_PREFIX)
    ]
    return sorted(routes, key=lambda r: (r.path, r.method))


def route_key(route: template.Route) -> str:
    return f"{route.method} {route.path}"


@functools.cache
def _handlers() -> dict[str, Any]:
    """Each route's function, by method and Flask-style path (the resolver's routes are fixed
    once the app is imported)."""
    from partnerapp.api.app import app

    return {f"{r.method} {r.path}": r.func for r in app._static_routes + app._dynamic_routes}


def _handler(route: template.Route) -> Any:
    return _handlers().get(f"{route.method} {route.flask_rule}")


def declared_doc(route: template.Route) -> Doc | None:
    """The `@Doc` on the function that serves the route, if it has one."""
    handler = _handler(route)
    return None if handler is None else doc_of(handler, route.flask_rule)


def doc_for(route: template.Route) -> Doc:
    """The route's `@Doc`; a route added without one is still listed, named after its
    handler (`undocumented()` names it)."""
    if (doc := declared_doc(route)) is not None:
        return doc
    handler = _handler(route)
    name = route.path.rsplit("/", 1)[-1] if handler is None else handler.__name__
    return Doc(name.replace("_", " ").capitalize())


def undocumented() -> list[str]:
    """The partner API's routes whose function carries no `@Doc` (a test keeps this empty)."""
    return [route_key(route) for route in api_routes() if declared_doc(route) is None]


def schema_named(name: str) -> type[Schema]:
    """A `@Doc`'s schema, named `"<module>.<Class>"` in partnerapp.schemas."""
    module, _, class_name = name.partition(".")
    found: type[Schema] = getattr(importlib.import_module(f"partnerapp.schemas.{module}"), class_name)
    return found


def _body_content(body: type[Schema]) -> dict[str, Any]:
    """JSON always; a URL-encoded form too when every field is a single value (as the docs'
    curl examples send them; api/requests.py and schemas/wire.py read both)."""
    content: dict[str, Any] = {"application/json": {"schema": body}}
    if not any(
        isinstance(f, ma_fields.List | ma_fields.Nested | ma_fields.Dict) for f in body().fields.values()
    ):
        content["application/x-www-form-urlencoded"] = {"schema": body}
    return content


def _operation(route: template.Route) -> dict[str, Any]:
    doc = doc_for(route)
    parameters: list[dict[str, Any]] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "string"},
            "description": doc.parameters.get(name, ""),
        }
        for name in re.findall(r"\{(\w+)\}", route.path)
    ]
    if doc.query:
        parameters.append({"in": "query", "schema": schema_named(doc.query)})
    operation: dict[str, Any] = {
        "operationId": operation_id(route),
        "summary": doc.summary,
        "parameters": parameters,
        "responses": _responses(route, doc),
    }
    if doc.description:
        operation["description"] = doc.description
    if doc.idempotent:
        parameters.append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "description": "Your id for this change (1 to 255 printable ASCII characters).",
                "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
            }
        )
    if doc.body:
        operation["requestBody"] = {"required": True, "content": _body_content(schema_named(doc.body))}
    operation["security"] = [] if doc.public else [{"bearer": []}]
    return operation


def missing_responses() -> list[str]:
    """The operations that state no success answer: no response schema, no `no_body`, no
    `media` (a test keeps this list empty)."""
    return [route_key(route) for route in api_routes() if not states_its_answer(doc_for(route))]


def states_its_answer(doc: Doc) -> bool:
    return doc.response is not None or doc.no_body or doc.media is not None


def _success(doc: Doc) -> dict[str, Any]:
    success: dict[str, Any] = {"description": doc.success_description}
    if doc.response is not None:
        response = schema_named(doc.response)
        schema: Any = {"type": "array", "items": response} if doc.response_many else response
        success["content"] = {"application/json": {"schema": schema}}
    elif doc.media is not None:
        success["content"] = {doc.media: {"schema": {"type": "string"}}}
    return success


def _responses(route: template.Route, doc: Doc) -> dict[str, Any]:
    responses: dict[str, Any] = {str(doc.success): _success(doc)}
    for other in doc.also:
        responses[str(other.status)] = {
            "description": other.description,
            "content": {"application/json": {"schema": schema_named(other.response)}},
        }
    for status in error_statuses(route, doc):
        responses[str(status)] = {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        if status in (429, 503):
            responses[str(status)]["headers"] = RETRY_AFTER
    return responses


def not_offered() -> list[tuple[str, str, str]]:
    """The documented methods not offered, less any that a route serves by now."""
    served = {route_key(route) for route in api_routes()}
    return [entry for entry in NOT_OFFERED if f"{entry[0]} {entry[1]}" not in served]


def not_offered_operation_id(method: str, path: str) -> str:
    return re.sub(r"\W+", "_", f"{method} {path}").strip("_").lower()


def _not_offered_operation(method: str, path: str, name: str) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "operationId": not_offered_operation_id(method, path),
        "summary": f"{name} (not offered)",
        "description": NOT_OFFERED_DESCRIPTION,
        "parameters": [
            {"in": "path", "name": param, "required": True, "schema": {"type": "string"}}
            for param in re.findall(r"\{(\w+)\}", path)
        ],
        "responses": {
            "401": {"description": ERROR_DESCRIPTIONS[401], **error},
            "429": {"description": ERROR_DESCRIPTIONS[429], "headers": RETRY_AFTER, **error},
            "501": {"description": "Not offered by this service.", **error},
        },
        "security": [{"bearer": []}],
    }


def operation_id(route: template.Route) -> str:
    return re.sub(r"\W+", "_", f"{route.method} {route.path}").strip("_").lower()


def _response_fields(doc: Doc) -> set[str]:
    """The names a response schema puts on the wire (data_key where one is set)."""
    if doc.response is None:
        return set()
    return {f.data_key or name for name, f in schema_named(doc.response)().fields.items()}


def links(create: template.Route) -> dict[str, Any]:
    """OpenAPI links from a create's answer to every operation on what it created: those
    whose path parameters the create's request or answer all give (and its own id among them)."""
    sources = CREATES.get(route_key(create))
    if sources is None:
        return {}
    fields = _response_fields(doc_for(create))
    values: dict[str, str] = {}
    for name, source in sources.items():
        if isinstance(source, str):
            values[name] = source
        elif found := next((f for f in source if f in fields), None):
            values[name] = f"$response.body#/{found}"
    own_ids = {name for name, source in sources.items() if not isinstance(source, str)} & set(values)
    found_links: dict[str, Any] = {}
    for target in api_routes():
        wanted = set(re.findall(r"\{(\w+)\}", target.path))
        if target is create or not wanted & own_ids or not wanted <= set(values):
            continue
        found_links[operation_id(target)] = {
            "operationId": operation_id(target),
            "parameters": {name: values[name] for name in sorted(wanted)},
        }
    return found_links


@functools.cache
def _generate() -> str:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": DESCRIPTION},
    )
    plugin.converter.add_attribute_function(_data_center_enum)  # type: ignore[union-attr]
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", {**ERROR_SCHEMA, "example": _error()})
    for route in api_routes():
        operation = _operation(route)
        if found := links(route):
            operation["responses"][str(doc_for(route).success)]["links"] = found
        spec.path(path=route.path, operations={route.method.lower(): operation})
    for method, path, name in not_offered():
        spec.path(path=path, operations={method.lower(): _not_offered_operation(method, path, name)})
    document = spec.to_dict()
    _require_some_field(document)
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def generate() -> dict[str, Any]:
    """The document as data (a fresh copy each call)."""
    loaded: dict[str, Any] = json.loads(_generate())
    return loaded


def generate_text() -> str:
    """The document as the site serves it at /openapi.json (stable key order)."""
    return _generate()


if __name__ == "__main__":
    print(generate_text(), end="")
