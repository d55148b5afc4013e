"""Which stack holds what: template.yaml's conditions and rules, evaluated for one stack.

One template deploys a stack per data region; its `Conditions` decide which resources a
stack gets and its `Rules` where the stack may be deployed. Evaluating them here lets the
tests say "the EU stack has no partners table" about the very template that is deployed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from partnerapp_infra.aws import template

DATA_REGIONS = ("us-south1", "eu-west3")
HOME_DATA_REGION = "us-south1"


def parameters(data_region: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The stack's parameter values: the template's defaults, its data region, overrides."""
    values = {
        name: str(spec.get("Default", "")) for name, spec in template.load_template()["Parameters"].items()
    }
    values.update(overrides or {})
    values["DataRegion"] = data_region
    return values


def evaluate(expression: Any, values: Mapping[str, str], document: Mapping[str, Any]) -> Any:
    """A condition or rule expression (Fn::Equals/Not/And/Or, Condition, Ref) to its value."""
    if not isinstance(expression, dict):
        return expression
    ((function, argument),) = expression.items()
    if function == "Ref":
        return values[argument]
    if function == "Condition":
        return evaluate(document["Conditions"][argument], values, document)
    if function == "Fn::Equals":
        left, right = (evaluate(a, values, document) for a in argument)
        return left == right
    if function == "Fn::Not":
        return not evaluate(argument[0], values, document)
    if function == "Fn::And":
        return all(evaluate(a, values, document) for a in argument)
    if function == "Fn::Or":
        return any(evaluate(a, values, document) for a in argument)
    raise ValueError(f"cannot evaluate {function}")


def resources_in(
    data_region: str, document: Mapping[str, Any] | None = None, overrides: Mapping[str, str] | None = None
) -> dict[str, dict[str, Any]]:
    """The resources (of `document`: template.yaml, or a transformed copy) one stack creates."""
    document = document or template.load_template()
    values = parameters(data_region, overrides)
    return {
        name: body
        for name, body in document["Resources"].items()
        if "Condition" not in body or evaluate({"Condition": body["Condition"]}, values, document)
    }


def failed_rules(data_region: str, aws_region: str, overrides: Mapping[str, str] | None = None) -> list[str]:
    """The template's Rules a stack of `data_region` deployed in `aws_region` would break."""
    document = template.load_template()
    values = {**parameters(data_region, overrides), "AWS::Region": aws_region}
    broken = []
    for name, rule in (document.get("Rules") or {}).items():
        if "RuleCondition" in rule and not evaluate(rule["RuleCondition"], values, document):
            continue
        if not all(evaluate(a["Assert"], values, document) for a in rule["Assertions"]):
            broken.append(name)
    return broken
