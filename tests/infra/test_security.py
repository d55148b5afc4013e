"""The stacks as an attacker reads them (after the offline SAM transform, both data regions):
no secret value in configuration, secrets readable by name only, data encrypted where it
rests or travels, and one way in - CloudFront, with its WAF and its origin header."""

from __future__ import annotations

import json
import re
from typing import Any

from partnerapp.api import edge
from partnerapp_infra.aws import sam_transform, stacks, template
from tests.infra.test_iam import statements

SECRET_PARAMETERS = {"KeyedHashSecretId", "BillingEventsSecretId"}
ARN_OF_NAMED_SECRET = re.compile(
    r"^arn:\$\{AWS::Partition\}:secretsmanager:\$\{AWS::Region\}:\$\{AWS::AccountId\}:secret:\$\{(\w+)\}-\?{6}$"
)


def of_type(resources: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in resources.items() if body["Type"] == kind}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_no_secret_value_in_any_environment_or_output() -> None:
    for data_region in stacks.DATA_REGIONS:
        document = sam_transform.transform(data_region)
        resources = stacks.resources_in(data_region, document)
        for name, function in of_type(resources, "AWS::Lambda::Function").items():
            variables = function["Properties"]["Environment"]["Variables"]
            rendered = json.dumps(variables)
            assert "resolve:" not in rendered, (data_region, name)  # no dynamic reference
            # secrets are named (…_SECRET_ID), never given
            named = [v for v in variables if "SECRET" in v and v != "SECRETS_MAX_AGE_SECONDS"]
            assert all(v.endswith("_SECRET_ID") for v in named), (name, named)
            for variable in (v for v in variables if v.endswith("_SECRET_ID")):
                value = variables[variable]
                assert value in ({"Ref": "OriginVerifySecret"}, *({"Ref": p} for p in SECRET_PARAMETERS)), (
                    name
                )
        assert "resolve:" not in json.dumps(document.get("Outputs", {})), data_region
        # The one dynamic reference of a stack is the origin header CloudFront sends.
        rendered = {name: json.dumps(body) for name, body in resources.items()}
        assert {name for name, text in rendered.items() if "resolve:" in text} <= {"SiteDistribution"}


def test_functions_read_only_the_named_secrets_they_use(deployed: dict[str, dict[str, Any]]) -> None:
    for data_region, resources in deployed.items():
        granted: dict[str, set[str]] = {}
        for role, statement in statements(resources):
            actions = _listed(statement["Action"])
            if not any(a.startswith("secretsmanager:") for a in actions):
                continue
            assert actions == ["secretsmanager:GetSecretValue"], (role, actions)
            for resource in _listed(statement["Resource"]):
                if resource == {"Ref": "OriginVerifySecret"}:
                    granted.setdefault(role, set()).add("OriginVerifySecret")
                    continue
                found = ARN_OF_NAMED_SECRET.match(resource["Fn::Sub"])
                assert found and found.group(1) in SECRET_PARAMETERS, (role, resource)
                granted.setdefault(role, set()).add(found.group(1))
        every_function = {f"{name}Role" for name in of_type(resources, "AWS::Lambda::Function")}
        assert set(granted) == every_function, data_region  # each uses the keyed-hash secret
        for role, secrets in granted.items():
            expected = {"KeyedHashSecretId"}
            if role == "ApiFunctionRole":
                expected |= {"BillingEventsSecretId", "OriginVerifySecret"}
            assert secrets == expected, (data_region, role)


def test_the_ses_events_topic_is_encrypted_with_a_key_ses_may_use(
    deployed: dict[str, dict[str, Any]],
) -> None:
    for data_region, resources in deployed.items():
        topic = resources["SesEventsTopic"]["Properties"]
        assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": ["SesEventsKey", "Arn"]}, data_region
        key = resources["SesEventsKey"]
        assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
        policy = key["Properties"]["KeyPolicy"]["Statement"]
        by_service = {s["Principal"].get("Service"): s for s in policy if "Service" in s["Principal"]}
        assert set(by_service) == {"ses.amazonaws.com", "sns.amazonaws.com"}
        for statement in by_service.values():
            assert set(statement["Action"]) == {"kms:GenerateDataKey", "kms:Decrypt"}
            # only on this account's behalf (no confused deputy)
            assert statement["Condition"] == {
                "StringEquals": {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
            }


def test_queues_and_tables_state_their_encryption(deployed: dict[str, dict[str, Any]]) -> None:
    for data_region, resources in deployed.items():
        queues = of_type(resources, "AWS::SQS::Queue")
        assert {"MailerDeadLetterQueue", "SesEventsDeadLetterQueue"} <= set(queues)
        for name, queue in queues.items():
            props = queue["Properties"]
            assert props.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in props, (data_region, name)
        tables = of_type(resources, "AWS::DynamoDB::Table")
        assert tables
        for name, table in tables.items():
            assert table["Properties"]["SSESpecification"] == {"SSEEnabled": True, "SSEType": "KMS"}, name


def _web_acl(home: dict[str, Any]) -> dict[str, Any]:
    (acl,) = of_type(home, "AWS::WAFv2::WebACL").values()
    return acl["Properties"]  # type: ignore[no-any-return]


def test_the_web_acl_is_on_the_distribution_in_the_home_stack_only(
    deployed: dict[str, dict[str, Any]],
) -> None:
    home = deployed[stacks.HOME_DATA_REGION]
    assert _web_acl(home)["Scope"] == "CLOUDFRONT"
    distribution = home["SiteDistribution"]["Properties"]["DistributionConfig"]
    assert distribution["WebACLId"] == {"Fn::GetAtt": ["EdgeWebAcl", "Arn"]}
    # CloudFront-scope web ACLs live in us-east-1: a rule keeps the home stack there
    assert stacks.failed_rules(stacks.HOME_DATA_REGION, "us-east-1") == []
    moved = {"UsRegion": "us-west-2"}
    assert stacks.failed_rules(stacks.HOME_DATA_REGION, "us-west-2", moved) == ["HomeEdgeInUsEast1"]
    assert stacks.failed_rules("eu-west3", "eu-central-1", moved) == []
    for data_region, resources in deployed.items():
        if data_region != stacks.HOME_DATA_REGION:
            assert not of_type(resources, "AWS::WAFv2::WebACL"), data_region


def _rate_rules(acl: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        rule["Name"]: rule["Statement"]["RateBasedStatement"]
        for rule in acl["Rules"]
        if "RateBasedStatement" in rule["Statement"]
    }


def test_the_web_acl_has_managed_rules_and_rate_limits_set_by_parameters(home: dict[str, Any]) -> None:
    acl = _web_acl(home)
    managed = {
        rule["Statement"]["ManagedRuleGroupStatement"]["Name"]
        for rule in acl["Rules"]
        if "ManagedRuleGroupStatement" in rule["Statement"]
    }
    assert managed == {"AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"}
    rates = _rate_rules(acl)
    assert rates["rate-per-client-ip"]["AggregateKeyType"] == "IP"
    assert rates["rate-per-client-ip"]["Limit"] == {"Ref": "WafRateLimitPerIp"}
    per_token = rates["rate-per-authorization"]
    assert per_token["AggregateKeyType"] == "CUSTOM_KEYS"
    assert [k["Header"]["Name"] for k in per_token["CustomKeys"]] == ["authorization"]
    assert per_token["Limit"] == {"Ref": "WafRateLimitPerToken"}
    sign_in = rates["rate-sign-in"]
    match = sign_in["ScopeDownStatement"]["ByteMatchStatement"]
    assert (match["FieldToMatch"], match["PositionalConstraint"], match["SearchString"]) == (
        {"UriPath": {}},
        "STARTS_WITH",
        "/web/sign-in",
    )
    assert sign_in["Limit"] == {"Ref": "WafSignInRateLimit"}
    # the sign-in route exists, and the tight limit is tighter than the others' defaults
    assert {r.path for r in template.http_routes()} >= {"/web/sign-in", "/web/sign-in/confirm"}
    limits = {
        name: int(template.parameter_default(name)) for name in ("WafRateLimitPerIp", "WafRateLimitPerToken")
    }
    assert int(template.parameter_default("WafSignInRateLimit")) < min(limits.values())
    # a partner meets the API's own 429 (with its budget's Retry-After) before the edge's
    assert limits["WafRateLimitPerToken"] > 5 * int(template.parameter_default("ApiRateLimitPerMinute"))
    assert {rule["Priority"] for rule in acl["Rules"]} == set(range(len(acl["Rules"])))
    # over a limit: 429 with Retry-After and the API's error shape, as the API's own limit
    for rule in (r for r in acl["Rules"] if r["Name"] in rates):
        response = rule["Action"]["Block"]["CustomResponse"]
        assert response["ResponseCode"] == 429
        assert [h["Name"] for h in response["ResponseHeaders"]] == ["retry-after"]
        body = json.loads(acl["CustomResponseBodies"][response["CustomResponseBodyKey"]]["Content"])
        assert body["error"]["type"] == "too_many_requests"  # the type the API's own 429 has


def test_blocked_requests_raise_an_alarm(home: dict[str, Any]) -> None:
    acl = _web_acl(home)
    alarms = [
        a["Properties"]
        for a in of_type(home, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["Namespace"] == "AWS/WAFV2"
    ]
    assert [a["MetricName"] for a in alarms] == ["BlockedRequests"]
    dimensions = {d["Name"]: d["Value"] for d in alarms[0]["Dimensions"]}
    assert dimensions == {"WebACL": acl["VisibilityConfig"]["MetricName"], "Rule": "ALL"}
    assert alarms[0]["Threshold"] == {"Ref": "WafBlockedRequestsAlarmThreshold"}
    assert alarms[0]["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_cloudfront_sends_the_origin_header_the_api_checks(home: dict[str, Any]) -> None:
    distribution = home["SiteDistribution"]["Properties"]["DistributionConfig"]
    (api_origin,) = [o for o in distribution["Origins"] if o["Id"] == "api"]
    (header,) = api_origin["OriginCustomHeaders"]
    assert header["HeaderName"].lower() == edge.ORIGIN_HEADER
    condition, rotated, created = header["HeaderValue"]["Fn::If"]
    assert condition == "HasOriginVerifyVersion"
    assert created["Fn::Sub"] == "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString:current}}"
    assert rotated["Fn::Sub"] == (
        "{{resolve:secretsmanager:${OriginVerifySecret}:SecretString:current::${OriginVerifySecretVersionId}}}"
    )
    # the API is told the same secret, and the secret is generated with a `current` value
    variables = home["ApiFunction"]["Properties"]["Environment"]["Variables"]
    assert variables["ORIGIN_VERIFY_SECRET_ID"] == {"Ref": "OriginVerifySecret"}
    generated = home["OriginVerifySecret"]["Properties"]["GenerateSecretString"]
    assert generated["GenerateStringKey"] == "current" and generated["PasswordLength"] >= 32
    # every route of the API is behind an origin that sends it
    api_patterns = {b["PathPattern"] for b in distribution["CacheBehaviors"] if b["TargetOriginId"] == "api"}
    assert api_patterns == {"/v2/*", "/web/*"}
