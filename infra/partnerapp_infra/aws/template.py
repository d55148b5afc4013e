"""Read template.yaml: the one description of tables, functions and routes.

The dev server, the emulator bootstrap and the tests take everything from here rather than
keeping a second list.
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from partnerapp_infra.paths import REPO_ROOT

TEMPLATE_PATH = REPO_ROOT / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """SafeLoader that keeps CloudFormation's short tags (!Ref, !Sub ...) as plain data."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = str(value).split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@functools.cache
def load_template(path: Path = TEMPLATE_PATH) -> dict[str, Any]:
    with path.open() as handle:
        loaded: dict[str, Any] = yaml.load(handle, Loader=_CloudFormationLoader)  # noqa: S506 - SafeLoader subclass  # nosec B506
    return loaded


def resources(of_type: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in load_template()["Resources"].items() if body["Type"] == of_type}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # as in the template: /v2/.../{product}
    function: str  # logical id of the function serving it

    @property
    def route_key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def flask_rule(self) -> str:
        return re.sub(r"\{(\w+)\+?\}", r"<\1>", self.path)


def _all_http_routes() -> list[Route]:
    routes = []
    for name, function in resources("AWS::Serverless::Function").items():
        for event in (function["Properties"].get("Events") or {}).values():
            if event["Type"] == "HttpApi":
                props = event["Properties"]
                routes.append(Route(props["Method"].upper(), props["Path"], name))
    return routes


def http_routes() -> list[Route]:
    """The routes of the API's operations: a method and a path each."""
    return [r for r in _all_http_routes() if r.method != "ANY"]


def fallback_routes() -> list[Route]:
    """The catch-all routes (method ANY): what API Gateway invokes when no operation matches."""
    return [r for r in _all_http_routes() if r.method == "ANY"]


def function_handler_path(logical_id: str) -> str:
    return str(load_template()["Resources"][logical_id]["Properties"]["Handler"])


def resolve_handler(handler_path: str) -> Callable[[dict[str, Any], Any], Any]:
    module_name, _, attribute = handler_path.rpartition(".")
    return getattr(importlib.import_module(module_name), attribute)  # type: ignore[no-any-return]


def function_environment(logical_id: str | None = None) -> dict[str, Any]:
    """The variables a function gets (Globals merged with its own Environment), unresolved;
    without a function, every variable any function gets (what one local process needs)."""
    variables = dict(load_template()["Globals"]["Function"]["Environment"]["Variables"])
    names = [logical_id] if logical_id else list(resources("AWS::Serverless::Function"))
    for name in names:
        own = load_template()["Resources"][name]["Properties"].get("Environment") or {}
        variables.update(own.get("Variables") or {})
    return variables


def table_definition(logical_id: str) -> dict[str, Any]:
    """CreateTable arguments for a table in the template (name supplied by the caller)."""
    props = load_template()["Resources"][logical_id]["Properties"]
    definition: dict[str, Any] = {
        "AttributeDefinitions": props["AttributeDefinitions"],
        "KeySchema": props["KeySchema"],
        "BillingMode": props.get("BillingMode", "PAY_PER_REQUEST"),
    }
    if "GlobalSecondaryIndexes" in props:
        definition["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
    if "StreamSpecification" in props:
        definition["StreamSpecification"] = {"StreamEnabled": True, **props["StreamSpecification"]}
    return definition


def parameter_default(name: str) -> str:
    return str(load_template()["Parameters"][name]["Default"])
