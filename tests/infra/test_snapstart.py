"""SnapStart in the CloudFormation each stack deploys (the offline SAM transform): the API
function snapshots its published versions, the HTTP API invokes the alias SAM publishes
(never $LATEST, which SnapStart does not serve), and nothing SnapStart refuses is configured."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from partnerapp_infra.aws import sam_transform, stacks, template

API = "ApiFunction"


def of_type(resources: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in resources.items() if body["Type"] == kind}


def alias_name() -> str:
    return str(template.load_template()["Resources"][API]["Properties"]["AutoPublishAlias"])


def test_the_api_function_snapshots_its_published_versions_behind_one_alias(home: dict[str, Any]) -> None:
    assert home[API]["Properties"]["SnapStart"] == {"ApplyOn": "PublishedVersions"}
    (version_id, version), *others = of_type(home, "AWS::Lambda::Version").items()
    assert others == [] and version["Properties"]["FunctionName"] == {"Ref": API}
    ((alias_id, alias),) = of_type(home, "AWS::Lambda::Alias").items()
    assert alias["Properties"] == {
        "Name": alias_name(),
        "FunctionName": {"Ref": API},
        "FunctionVersion": {"Fn::GetAtt": [version_id, "Version"]},
    }
    assert alias_id == f"{API}Alias{alias_name()}"
    # A replaced version is deleted (and its snapshot with it): nothing invokes it once the
    # alias has moved to the new one.
    assert version["DeletionPolicy"] == "Delete"


def test_a_change_to_any_property_of_the_function_publishes_a_new_version(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Otherwise the alias would keep invoking a version with the old timeout, say.
    def version_after(change: dict[str, Any]) -> str:
        changed = copy.deepcopy(template.load_template())
        changed["Resources"][API]["Properties"].update(change)
        monkeypatch.setattr(sam_transform.template, "load_template", lambda: changed)
        resources = sam_transform.transform(stacks.HOME_DATA_REGION)["Resources"]
        (version,) = of_type(resources, "AWS::Lambda::Version")
        return version

    original = version_after({})
    assert version_after({"Timeout": 9}) != original
    assert version_after({"Description": "Partner API, described anew"}) != original


def test_only_the_api_function_uses_snapstart_and_only_in_the_home_stack(
    deployed: dict[str, dict[str, Any]],
) -> None:
    for data_region, resources in deployed.items():
        snapshotted = {
            name
            for name, function in of_type(resources, "AWS::Lambda::Function").items()
            if "SnapStart" in function["Properties"]
        }
        home = data_region == stacks.HOME_DATA_REGION
        assert snapshotted == ({API} if home else set()), data_region
        published = of_type(resources, "AWS::Lambda::Version") | of_type(resources, "AWS::Lambda::Alias")
        assert {body["Properties"]["FunctionName"]["Ref"] for body in published.values()} == (
            {API} if home else set()
        ), data_region


def test_every_route_invokes_the_alias_never_the_unpublished_function(home: dict[str, Any]) -> None:
    alias = f"{API}Alias{alias_name()}"
    integrations = [
        _unwrap(operation)["x-amazon-apigateway-integration"]
        for operations in home["HttpApi"]["Properties"]["Body"]["paths"].values()
        for operation in _unwrap(operations).values()
    ]
    assert len(integrations) == len(template.http_routes() + template.fallback_routes())
    for integration in integrations:
        uri = _unwrap(integration["uri"])["Fn::Sub"]
        assert uri.endswith(f"/functions/${{{alias}}}/invocations"), uri
    assert f"{API}.Arn" not in json.dumps(home["HttpApi"])


def test_api_gateway_may_invoke_the_alias_and_nothing_else(home: dict[str, Any]) -> None:
    alias = f"{API}Alias{alias_name()}"
    permissions = of_type(home, "AWS::Lambda::Permission").values()
    from_gateway = [
        p["Properties"] for p in permissions if p["Properties"]["Principal"] == "apigateway.amazonaws.com"
    ]
    assert len(from_gateway) == len(template.http_routes() + template.fallback_routes())
    assert {json.dumps(p["FunctionName"]) for p in from_gateway} == {json.dumps({"Ref": alias})}


def test_nothing_snapstart_refuses_is_configured(home: dict[str, Any]) -> None:
    # Lambda refuses SnapStart with provisioned concurrency, EFS or more than 512 MB of /tmp,
    # and offers it on Python from 3.12.
    function = home[API]["Properties"]
    assert "FileSystemConfigs" not in function
    assert function.get("EphemeralStorage", {"Size": 512})["Size"] <= 512
    runtime = function["Runtime"]
    assert runtime.startswith("python3.") and int(runtime.removeprefix("python3.")) >= 12
    for body in of_type(home, "AWS::Lambda::Alias").values():
        assert "ProvisionedConcurrencyConfig" not in body["Properties"]


def test_the_api_functions_alarms_and_logs_cover_every_version(home: dict[str, Any]) -> None:
    # The FunctionName dimension alone sums every version and alias; the log group is the
    # function's, whichever version writes.
    for alarm in of_type(home, "AWS::CloudWatch::Alarm").values():
        dimensions = alarm["Properties"].get("Dimensions", [])
        if {"Name": "FunctionName", "Value": {"Ref": API}} in dimensions:
            assert dimensions == [{"Name": "FunctionName", "Value": {"Ref": API}}]
    assert home[API]["Properties"]["LoggingConfig"] == {"LogGroup": {"Ref": "ApiFunctionLogs"}}


def _unwrap(value: Any) -> Any:
    # SAM wraps a conditional function's routes in Fn::If [condition, route, NoValue]
    while isinstance(value, dict) and set(value) == {"Fn::If"}:
        value = value["Fn::If"][1]
    return value
