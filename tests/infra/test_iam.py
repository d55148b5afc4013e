"""Least privilege, checked on what each stack deploys (after the SAM transform): no
wildcard grants, no Scan, and every DynamoDB call the code makes is granted."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from typing import Any

from partnerapp_infra import paths

# What SAM attaches by itself for logs, X-Ray and reading a DynamoDB stream: AWS managed,
# resource "*" by design. Anything else managed (AdministratorAccess ...) fails.
SAM_MANAGED_POLICIES = {
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess",
    "arn:aws:iam::aws:policy/service-role/AWSLambdaDynamoDBExecutionRole",
}
RESOURCE_POLICIES = {
    "AWS::S3::BucketPolicy": "PolicyDocument",
    "AWS::SNS::TopicPolicy": "PolicyDocument",
    "AWS::SQS::QueuePolicy": "PolicyDocument",
}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def statements(resources: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every statement of every role's inline policies and every resource policy."""
    for name, body in resources.items():
        props = body.get("Properties", {})
        documents = []
        if body["Type"] == "AWS::IAM::Role":
            documents = [p["PolicyDocument"] for p in props.get("Policies", [])]
        elif body["Type"] in RESOURCE_POLICIES:
            documents = [props[RESOURCE_POLICIES[body["Type"]]]]
        for document in documents:
            for statement in _listed(document["Statement"]):
                yield name, statement


def test_no_statement_allows_every_action_or_every_resource(deployed: dict[str, dict[str, Any]]) -> None:
    for data_region, resources in deployed.items():
        for name, statement in statements(resources):
            if statement["Effect"] != "Allow":
                continue  # a Deny (TLS only) may be broad
            where = (data_region, name, statement.get("Sid"))
            assert not any("*" in action for action in _listed(statement["Action"])), where
            assert "*" not in _listed(statement.get("Resource")), where
            assert statement.get("Principal") != "*", where
            assert "NotAction" not in statement and "NotResource" not in statement, where


def test_roles_carry_only_the_managed_policies_sam_needs(deployed: dict[str, dict[str, Any]]) -> None:
    for resources in deployed.values():
        for name, body in resources.items():
            if body["Type"] == "AWS::IAM::Role":
                managed = set(body["Properties"].get("ManagedPolicyArns", []))
                assert managed <= SAM_MANAGED_POLICIES, name


def _dynamodb_actions(resources: dict[str, Any]) -> set[str]:
    return {
        action
        for _, statement in statements(resources)
        if statement["Effect"] == "Allow"
        for action in _listed(statement["Action"])
        if action.startswith("dynamodb:")
    }


# boto3 client methods and transaction entries, as the IAM actions they need
_CALLS = {
    "get_item": "GetItem", "query": "Query", "put_item": "PutItem", "update_item": "UpdateItem",
    "delete_item": "DeleteItem", "scan": "Scan", "batch_get_item": "BatchGetItem",
    "batch_write_item": "BatchWriteItem", "transact_get_items": "GetItem",
}  # fmt: skip
_TRANSACTION_ENTRIES = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}
# powertools' idempotency persistence layer (the API's Idempotency-Key)
_IDEMPOTENCY = {"GetItem", "PutItem", "UpdateItem", "DeleteItem"}


def dynamodb_actions_the_code_uses() -> set[str]:
    used: set[str] = set()
    for path in (paths.REPO_ROOT / "functions" / "partnerapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in _CALLS:
                used.add(_CALLS[node.attr])
            if isinstance(node, ast.Dict):
                used |= {
                    _TRANSACTION_ENTRIES[k.value]
                    for k in node.keys
                    if isinstance(k, ast.Constant) and k.value in _TRANSACTION_ENTRIES
                }
    return {f"dynamodb:{a}" for a in used}


def test_the_code_never_scans_and_no_function_may(deployed: dict[str, dict[str, Any]]) -> None:
    assert "dynamodb:Scan" not in dynamodb_actions_the_code_uses()
    for resources in deployed.values():
        assert not _dynamodb_actions(resources) & {"dynamodb:Scan", "dynamodb:BatchWriteItem"}


def test_every_dynamodb_call_the_code_makes_is_granted(home: dict[str, Any]) -> None:
    used = dynamodb_actions_the_code_uses() | {f"dynamodb:{a}" for a in _IDEMPOTENCY}
    assert {"dynamodb:Query", "dynamodb:PutItem", "dynamodb:DeleteItem"} <= used  # the AST walk finds calls
    assert used <= _dynamodb_actions(home)


def test_every_ses_send_grant_covers_the_configuration_set(deployed: dict[str, dict[str, Any]]) -> None:
    # SES checks the configuration set named in a send as a resource of its own.
    for resources in deployed.values():
        sends = [s for _, s in statements(resources) if "ses:SendEmail" in _listed(s["Action"])]
        assert sends
        for statement in sends:
            assert any("configuration-set/" in str(r) for r in _listed(statement["Resource"])), statement
