"""One template, a stack per data region: what each stack holds, where it may be deployed,
and the samconfig environments that deploy them."""

from __future__ import annotations

import json
import tomllib
from typing import Any

import pytest

from partnerapp_infra import paths
from partnerapp_infra.aws import sam_transform, stacks, template

HOME_ONLY = {
    "PartnersTable", "IdempotencyTable", "HttpApi", "ApiFunction", "ApiAccessLogs",
    "SiteBucket", "SiteBucketPolicy", "SiteDistribution", "SiteOriginAccessControl", "SiteSecurityHeaders",
}  # fmt: skip
EVERY_STACK = {
    "LicensesTable", "MailerFunction", "OutboxSweepFunction", "SesEventsFunction",
    "MailerDeadLetterQueue", "SesEventsDeadLetterQueue", "SenderIdentity", "SesConfigurationSet",
    "SesFeedbackDestination", "SesEventsTopic", "AlarmTopic", "SesBounceRateAlarm",
}  # fmt: skip


@pytest.mark.parametrize("data_region", stacks.DATA_REGIONS)
def test_the_sam_transform_succeeds_offline_for_each_stack(data_region: str) -> None:
    transformed = sam_transform.transform(data_region)
    types = {body["Type"] for body in transformed["Resources"].values()}
    assert not any(t.startswith("AWS::Serverless::") for t in types)
    assert {"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::Lambda::EventSourceMapping"} <= types
    json.dumps(transformed)  # plain data: what CloudFormation receives


def test_each_stack_owns_its_share(deployed: dict[str, dict[str, Any]]) -> None:
    home, eu = set(deployed["us-south1"]), set(deployed["eu-west3"])
    assert home >= HOME_ONLY | EVERY_STACK
    assert eu >= EVERY_STACK
    assert eu & HOME_ONLY == set()
    # and nothing the transform generated for the API (routes, permissions, stage) is in the EU stack
    assert not any(name.startswith(("ApiFunction", "HttpApi", "Site")) for name in eu)


def _references(value: Any) -> set[str]:
    """Logical ids and parameters a value refers to (Ref, GetAtt, ${...} in Sub)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, inner in value.items():
            if key == "Ref":
                found.add(inner)
            elif key == "Fn::GetAtt":
                found.add(inner[0] if isinstance(inner, list) else inner.split(".")[0])
            elif key == "Fn::Sub":
                text = inner if isinstance(inner, str) else inner[0]
                found |= {name.split(".")[0] for name in _placeholders(text)}
                found |= _references(inner[1] if isinstance(inner, list) else None)
            else:
                found |= _references(inner)
    elif isinstance(value, list):
        for inner in value:
            found |= _references(inner)
    return found


def _placeholders(text: str) -> set[str]:
    import re

    return {m for m in re.findall(r"\$\{([^}!]+)\}", text) if not m.startswith("AWS::")}


def test_a_regional_stack_refers_to_nothing_it_does_not_hold(deployed: dict[str, dict[str, Any]]) -> None:
    eu = deployed["eu-west3"]
    parameters = set(template.load_template()["Parameters"])
    for name, body in eu.items():
        dangling = _references(body) - set(eu) - parameters - {"AWS::NoValue"}
        assert not {d for d in dangling if not d.startswith("AWS::")}, (name, dangling)


def test_regional_functions_reach_only_their_own_regions_data(deployed: dict[str, dict[str, Any]]) -> None:
    # Only the home stack's functions (the API, the lifecycle job, webhooks) reach licenses in
    # any region; every other role names its own stack's table (LicensesTable), never a region
    # by parameter.
    home_roles = {
        f"{name}Role"
        for name, body in template.resources("AWS::Serverless::Function").items()
        if body.get("Condition") == "IsHome"
    }
    assert {"ApiFunctionRole", "LifecycleFunctionRole", "WebhooksFunctionRole"} <= home_roles
    for data_region, resources in deployed.items():
        for name, body in resources.items():
            if body["Type"] == "AWS::IAM::Role" and name not in home_roles:
                used = _references(body["Properties"].get("Policies", []))
                assert not used & {"UsRegion", "EuRegion", "LicensesTableName"}, (data_region, name)


@pytest.mark.parametrize(
    ("data_region", "aws_region"), stacks_regions := list(sam_transform.STACK_REGIONS.items())
)
def test_rules_keep_each_stack_in_its_data_regions_aws_region(data_region: str, aws_region: str) -> None:
    assert stacks.failed_rules(data_region, aws_region) == []
    elsewhere = next(r for d, r in stacks_regions if d != data_region)
    assert len(stacks.failed_rules(data_region, elsewhere)) == 1


def test_a_custom_site_domain_needs_its_certificate() -> None:
    assert stacks.failed_rules("us-south1", "us-east-1", {"SiteDomainName": "partners.example.com"}) == [
        "SiteDomainNeedsCertificate"
    ]
    certificate = "arn:aws:acm:us-east-1:111122223333:certificate/abc"
    overrides = {"SiteDomainName": "partners.example.com", "SiteCertificateArn": certificate}
    assert stacks.failed_rules("us-south1", "us-east-1", overrides) == []


def _samconfig() -> dict[str, Any]:
    with (paths.REPO_ROOT / "samconfig.toml").open("rb") as handle:
        return tomllib.load(handle)


def _overrides(environment: dict[str, Any]) -> dict[str, str]:
    entries = environment["deploy"]["parameters"]["parameter_overrides"]
    assert all("=" in e and e.partition("=")[2] for e in entries), "SAM refuses empty values"
    return dict(e.partition("=")[::2] for e in entries)


def test_samconfig_deploys_one_stack_per_data_region_where_the_rules_allow() -> None:
    config = _samconfig()
    environments = {name: config[name] for name in ("us", "eu")}
    parameters = set(template.load_template()["Parameters"])
    regions = {}
    for name, environment in environments.items():
        deploy = environment["deploy"]["parameters"]
        overrides = _overrides(environment)
        assert set(overrides) <= parameters, name
        assert stacks.failed_rules(overrides["DataRegion"], deploy["region"], overrides) == [], name
        assert deploy["capabilities"] == "CAPABILITY_IAM"
        regions[overrides["DataRegion"]] = deploy["stack_name"]
    assert set(regions) == set(stacks.DATA_REGIONS)  # every data region, each once
    assert len(set(regions.values())) == 2
    assert _overrides(environments["us"])["DataRegion"] == stacks.HOME_DATA_REGION


def test_samconfig_stacks_agree_on_what_they_share() -> None:
    us, eu = (_overrides(_samconfig()[name]) for name in ("us", "eu"))
    for shared in ("UsRegion", "EuRegion", "LicensesTableName", "SiteUrl", "KeyedHashSecretId"):
        assert us[shared] == eu[shared], shared
