"""The API reference page's content, read from the generated OpenAPI document: operations
grouped by resource, each with its parameters, request body and responses, every body named
by its schema (the marshmallow schema the code loads or dumps with), in plain words."""

from __future__ import annotations

import json
from typing import Any

METHOD_ORDER = {"get": 0, "head": 1, "post": 2, "put": 3, "delete": 4}
GROUPS = [
    ("/v2/partners/solutions/organizations", "Organizations"),
    ("/v2/partners/solutions/licenses", "Licenses"),
    ("/v2/partners/tokens", "API tokens"),
    ("/v2/partners/earnings", "Earnings and reports"),
    ("/v2/partners/reports", "Earnings and reports"),
    ("/v2/partners/webhooks", "Webhooks"),
    ("/v2/partners", "Partner account"),
    ("/", "Other"),
]


def schema_name(reference: str) -> str:
    return reference.rsplit("/", 1)[-1]


def type_text(prop: dict[str, Any]) -> str:
    """`string (email)`, `array of Operator`, `integer` ... as a reader would say it."""
    if "$ref" in prop:
        return schema_name(prop["$ref"])
    kind = prop.get("type", "any")
    if isinstance(kind, list):
        kind = " or ".join(kind)
    if kind == "array":
        return f"array of {type_text(prop.get('items', {}))}"
    if prop.get("format"):
        return f"{kind} ({prop['format']})"
    return str(kind)


def rules_text(prop: dict[str, Any]) -> str:
    """The field's limits: enumeration, lengths, range and default."""
    parts = []
    if "enum" in prop:
        parts.append("one of " + ", ".join(str(v) for v in prop["enum"]))
    low, high = prop.get("minLength"), prop.get("maxLength")
    if low and high:
        parts.append(f"{low} to {high} characters")
    elif high:
        parts.append(f"at most {high} characters")
    if "minimum" in prop or "maximum" in prop:
        parts.append(f"{prop.get('minimum', '')} to {prop.get('maximum', '')}".strip())
    if "maxItems" in prop:
        parts.append(f"at most {prop['maxItems']} items")
    if "default" in prop:
        parts.append(f"default {json.dumps(prop['default'])}")
    return "; ".join(parts)


def fields_of(schema: dict[str, Any]) -> list[dict[str, Any]]:
    required = set(schema.get("required", []))
    return [
        {
            "name": name,
            "type": type_text(prop),
            "link": schema_name(prop["$ref"] if "$ref" in prop else prop.get("items", {}).get("$ref", "")),
            "required": name in required,
            "rules": rules_text(prop),
            "description": prop.get("description", ""),
        }
        for name, prop in sorted(schema.get("properties", {}).items())
    ]


def _parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    schema = parameter.get("schema", {})
    return {
        "name": parameter["name"],
        "where": parameter["in"],
        "type": type_text(schema),
        "link": "",
        "required": bool(parameter.get("required")),
        "rules": rules_text(schema),
        "description": parameter.get("description", ""),
    }


def _response(status: str, response: dict[str, Any]) -> dict[str, Any]:
    """A response's status, words, and its body: a schema (or a list of one), a file type, or
    nothing."""
    contents: dict[str, Any] = response.get("content", {})
    media, content = next(iter(contents.items()), ("", None))
    schema: dict[str, Any] = (content or {}).get("schema", {})
    many = schema.get("type") == "array" and "$ref" in schema.get("items", {})
    reference = schema["items"]["$ref"] if many else schema.get("$ref", "")
    return {
        "status": status,
        "description": response["description"],
        "schema": schema_name(reference) if reference else "",
        "many": many,
        "media": "" if reference or not media else media,
        "links": sorted(response.get("links", {})),
    }


def _operation(path: str, method: str, operation: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    body = content.get("application/json", {}).get("schema", {})
    return {
        "id": operation["operationId"],
        "method": method.upper(),
        "path": path,
        "summary": operation["summary"],
        "description": operation.get("description", ""),
        "public": operation.get("security") == [],
        "parameters": [_parameter(p) for p in operation.get("parameters", [])],
        "body": schema_name(body["$ref"]) if "$ref" in body else "",
        "form": "application/x-www-form-urlencoded" in content,
        "responses": [_response(s, r) for s, r in sorted(operation["responses"].items())],
    }


NOT_OFFERED_STATUS = "501"  # what a documented method this service does not offer answers


def compatibility(groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The page's compatibility facts, from the document: how many of the documented methods
    are served, and each one that is not (it answers 501 after authentication)."""
    operations = [op for group in groups for op in group["operations"]]
    missing = [op for op in operations if any(r["status"] == NOT_OFFERED_STATUS for r in op["responses"])]
    return {
        "served": len(operations) - len(missing),
        "not_offered": [
            {
                "id": op["id"],
                "method": op["method"],
                "path": op["path"],
                "name": op["summary"].removesuffix(" (not offered)"),
            }
            for op in missing
        ],
    }


def view(document: dict[str, Any]) -> dict[str, Any]:
    groups: dict[str, list[dict[str, Any]]] = {title: [] for _, title in GROUPS}
    names = {
        op["operationId"]: f"{method.upper()} {path}"
        for path, ops in document["paths"].items()
        for method, op in ops.items()
    }
    for path, operations in sorted(document["paths"].items()):
        title = next(title for prefix, title in GROUPS if path.startswith(prefix))
        for method, operation in sorted(operations.items(), key=lambda item: METHOD_ORDER.get(item[0], 9)):
            shown = _operation(path, method, operation)
            for response in shown["responses"]:
                response["links"] = [{"id": i, "name": names[i]} for i in response["links"]]
            groups[title].append(shown)
    schemas = document.get("components", {}).get("schemas", {})
    grouped: list[dict[str, Any]] = [
        {"title": t, "id": t.lower().replace(" ", "-"), "operations": ops} for t, ops in groups.items() if ops
    ]
    return {
        "title": document["info"]["title"],
        "version": document["info"]["version"],
        "description": document["info"].get("description", ""),
        "groups": grouped,
        "compatibility": compatibility(grouped),
        "schemas": [{"name": name, "fields": fields_of(schema)} for name, schema in sorted(schemas.items())],
    }
