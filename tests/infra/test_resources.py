"""What the stacks deploy does what the issue asks: durable tables, a safe stream mailer,
SES feedback wired to its handler, a private site behind CloudFront with the pages' security
headers, the API on the same domain, and an alarm for every way things fail."""

from __future__ import annotations

import fnmatch
import inspect
import json
import re
from typing import Any

from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

from partnerapp.web.headers import PAGE_SECURITY_HEADERS
from partnerapp_infra import paths
from partnerapp_infra.aws import sam_transform, stacks, template

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"  # CloudFront's managed policy


def of_type(resources: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {name: body for name, body in resources.items() if body["Type"] == kind}


def test_every_table_survives_mistakes(deployed: dict[str, dict[str, Any]]) -> None:
    for resources in deployed.values():
        for name, table in of_type(resources, "AWS::DynamoDB::Table").items():
            props = table["Properties"]
            assert props["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True, name
            assert props["DeletionProtectionEnabled"] is True, name
            assert table["DeletionPolicy"] == table["UpdateReplacePolicy"] == "Retain", name


def test_items_that_expire_have_their_ttl(home: dict[str, Any]) -> None:
    partners = home["PartnersTable"]["Properties"]["TimeToLiveSpecification"]
    assert partners == {"AttributeName": "expires_at", "Enabled": True}  # links, sessions, rate windows
    sessions = (paths.REPO_ROOT / "functions/partnerapp/store/sessions.py").read_text()
    assert '"expires_at"' in sessions
    # the idempotency table is shaped as powertools writes it
    defaults = inspect.signature(DynamoDBPersistenceLayer).parameters
    idempotency = home["IdempotencyTable"]["Properties"]
    assert idempotency["KeySchema"] == [{"AttributeName": defaults["key_attr"].default, "KeyType": "HASH"}]
    assert idempotency["TimeToLiveSpecification"] == {
        "AttributeName": defaults["expiry_attr"].default,
        "Enabled": True,
    }


def test_the_mailer_reads_new_images_safely_and_dead_letters_what_fails(deployed: dict[str, Any]) -> None:
    for resources in deployed.values():
        table = resources["LicensesTable"]["Properties"]
        assert table["StreamSpecification"]["StreamViewType"] in ("NEW_IMAGE", "NEW_AND_OLD_IMAGES")
        (mapping,) = of_type(resources, "AWS::Lambda::EventSourceMapping").values()
        props = mapping["Properties"]
        assert props["EventSourceArn"] == {"Fn::GetAtt": ["LicensesTable", "StreamArn"]}
        assert props["FunctionName"] == {"Ref": "MailerFunction"}
        assert props["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
        assert props["BisectBatchOnFunctionError"] is True
        assert 0 <= props["MaximumRetryAttempts"] <= 10
        assert 1 <= props["BatchSize"] <= 100
        destination = props["DestinationConfig"]["OnFailure"]["Destination"]
        assert destination == {"Fn::GetAtt": ["MailerDeadLetterQueue", "Arn"]}
        pattern = json.loads(props["FilterCriteria"]["Filters"][0]["Pattern"])
        assert "invitation" in pattern["dynamodb"]["NewImage"]["entity"]["S"]  # new emails only


def _alarms_on(resources: dict[str, Any], dimension: str, target: Any) -> list[dict[str, Any]]:
    return [
        alarm["Properties"]
        for alarm in of_type(resources, "AWS::CloudWatch::Alarm").values()
        if {"Name": dimension, "Value": target} in alarm["Properties"].get("Dimensions", [])
    ]


def test_every_function_and_queue_has_an_alarm_in_its_stack(deployed: dict[str, dict[str, Any]]) -> None:
    for resources in deployed.values():
        for name in of_type(resources, "AWS::Lambda::Function"):
            metrics = {a["MetricName"] for a in _alarms_on(resources, "FunctionName", {"Ref": name})}
            assert "Errors" in metrics, name
        for name in of_type(resources, "AWS::SQS::Queue"):
            (alarm,) = _alarms_on(resources, "QueueName", {"Fn::GetAtt": [name, "QueueName"]})
            assert alarm["MetricName"] == "ApproximateNumberOfMessagesVisible" and alarm["Threshold"] == 1
        for alarm in of_type(resources, "AWS::CloudWatch::Alarm").values():
            assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]


def test_api_throttles_5xx_and_ses_reputation_are_watched(home: dict[str, Any]) -> None:
    metrics = {
        (a["Properties"]["Namespace"], a["Properties"]["MetricName"])
        for a in of_type(home, "AWS::CloudWatch::Alarm").values()
    }
    assert {
        ("AWS/ApiGateway", "5xx"),
        ("AWS/Lambda", "Throttles"),
        ("PartnerApp", "ApiThrottledRequests"),
        ("AWS/SES", "Reputation.BounceRate"),
        ("AWS/SES", "Reputation.ComplaintRate"),
    } <= metrics
    (metric_filter,) = of_type(home, "AWS::Logs::MetricFilter").values()
    assert metric_filter["Properties"]["LogGroupName"] == {"Ref": "ApiAccessLogs"}
    assert "$.errorType" in metric_filter["Properties"]["FilterPattern"]


def test_functions_run_arm64_python312_with_powertools_and_their_own_log_group(
    deployed: dict[str, Any],
) -> None:
    for resources in deployed.values():
        for name, function in of_type(resources, "AWS::Lambda::Function").items():
            props = function["Properties"]
            assert props["Runtime"] == "python3.12" and props["Architectures"] == ["arm64"], name
            assert props["TracingConfig"] == {"Mode": "Active"}, name
            variables = props["Environment"]["Variables"]
            assert {"POWERTOOLS_SERVICE_NAME", "POWERTOOLS_LOG_LEVEL"} <= set(variables), name
            group = props["LoggingConfig"]["LogGroup"]["Ref"]
            assert resources[group]["Properties"]["RetentionInDays"] == 30, name


def test_the_http_api_is_throttled_logged_and_cors_limited_to_the_site(home: dict[str, Any]) -> None:
    stage = next(iter(of_type(home, "AWS::ApiGatewayV2::Stage").values()))["Properties"]
    assert stage["DefaultRouteSettings"]["ThrottlingRateLimit"] > 0
    assert stage["DefaultRouteSettings"]["ThrottlingBurstLimit"] > 0
    assert stage["AccessLogSettings"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]}
    log_format = stage["AccessLogSettings"]["Format"]
    record = json.loads(re.sub(r"\$context\.[\w.]+", '"x"', log_format).replace('""x""', '"x"'))
    assert {"requestId", "status", "routeKey", "errorType"} <= set(record)
    assert "sourceIp" not in log_format and "userAgent" not in log_format  # no personal data
    cors = home["HttpApi"]["Properties"]["Body"]["x-amazon-apigateway-cors"]
    assert {r.method for r in template.http_routes()} <= set(cors["allowMethods"])
    # SAM writes the SiteUrl parameter's value in: the one origin allowed is the stack's site
    assert cors["allowOrigins"] == [stacks.parameters(stacks.HOME_DATA_REGION)["SiteUrl"]]
    other = sam_transform.transform(stacks.HOME_DATA_REGION, {"SiteUrl": "https://help.partner.example"})
    other_cors = other["Resources"]["HttpApi"]["Properties"]["Body"]["x-amazon-apigateway-cors"]
    assert other_cors["allowOrigins"] == ["https://help.partner.example"]


def _unwrap(value: Any) -> Any:
    # SAM wraps a conditional function's routes in Fn::If [condition, route, NoValue]
    while isinstance(value, dict) and set(value) == {"Fn::If"}:
        value = value["Fn::If"][1]
    return value


def test_the_deployed_api_has_exactly_the_template_routes_on_the_api_function(home: dict[str, Any]) -> None:
    paths = home["HttpApi"]["Properties"]["Body"]["paths"]
    # The function's published alias (SnapStart serves published versions only).
    alias = (
        "ApiFunctionAlias"
        + template.load_template()["Resources"]["ApiFunction"]["Properties"]["AutoPublishAlias"]
    )
    deployed_routes = {
        (method.upper(), path)
        for path, operations in paths.items()
        for method, operation in _unwrap(operations).items()
        if f"${{{alias}}}" in json.dumps(_unwrap(operation))
    }
    any_method = "X-AMAZON-APIGATEWAY-ANY-METHOD"  # SAM's spelling of Method: ANY
    routes = template.http_routes() + template.fallback_routes()
    assert deployed_routes == {(any_method if r.method == "ANY" else r.method, r.path) for r in routes}


def test_the_site_bucket_is_private_versioned_and_encrypted(home: dict[str, Any]) -> None:
    bucket = home["SiteBucket"]["Properties"]
    assert set(bucket["PublicAccessBlockConfiguration"].values()) == {True}
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"]
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    readers = [
        s
        for s in home["SiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
        if s["Effect"] == "Allow"
    ]
    for statement in readers:  # only this distribution, through origin access control
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert "distribution/${SiteDistribution}" in json.dumps(statement["Condition"])


def _distribution(home: dict[str, Any]) -> dict[str, Any]:
    return home["SiteDistribution"]["Properties"]["DistributionConfig"]  # type: ignore[no-any-return]


def test_cloudfront_serves_the_bucket_through_origin_access_control(home: dict[str, Any]) -> None:
    config = _distribution(home)
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["site"]["OriginAccessControlId"] == {"Fn::GetAtt": ["SiteOriginAccessControl", "Id"]}
    assert origins["site"]["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    assert origins["api"]["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert config["DefaultCacheBehavior"]["TargetOriginId"] == "site"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"


def test_every_api_route_is_served_on_the_sites_domain(home: dict[str, Any]) -> None:
    api_patterns = [
        b["PathPattern"] for b in _distribution(home)["CacheBehaviors"] if b["TargetOriginId"] == "api"
    ]
    routes = template.http_routes()
    for route in routes:
        concrete = re.sub(r"\{\w+\+?\}", "x", route.path)
        assert any(fnmatch.fnmatchcase(concrete, p) for p in api_patterns), route.route_key
    for pattern in api_patterns:  # and no behavior sends the site's pages to the API for nothing
        assert any(fnmatch.fnmatchcase(re.sub(r"\{\w+\+?\}", "x", r.path), pattern) for r in routes), pattern
    for behavior in _distribution(home)["CacheBehaviors"]:  # API answers are never cached
        assert behavior["CachePolicyId"] == CACHING_DISABLED
        assert {"POST", "DELETE", "PATCH", "PUT"} <= set(behavior["AllowedMethods"])


def _rendered_headers(policy: dict[str, Any]) -> dict[str, str]:
    """The headers a CloudFront response-headers policy adds, as a browser sees them."""
    security = policy["SecurityHeadersConfig"]
    hsts = security["StrictTransportSecurity"]
    rendered = {
        "Content-Security-Policy": security["ContentSecurityPolicy"]["ContentSecurityPolicy"],
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": security["FrameOptions"]["FrameOption"],
        "Referrer-Policy": security["ReferrerPolicy"]["ReferrerPolicy"],
        "Strict-Transport-Security": f"max-age={hsts['AccessControlMaxAgeSec']}"
        + ("; includeSubDomains" if hsts["IncludeSubdomains"] else "")
        + ("; preload" if hsts["Preload"] else ""),
    }
    rendered.update({h["Header"]: h["Value"] for h in policy["CustomHeadersConfig"]["Items"]})
    return rendered


def test_cloudfront_adds_the_pages_security_headers_to_everything(home: dict[str, Any]) -> None:
    policy = home["SiteSecurityHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]
    assert _rendered_headers(policy) == PAGE_SECURITY_HEADERS  # the dev server's, the API pages'
    csp = PAGE_SECURITY_HEADERS["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    config = _distribution(home)
    behaviors = [config["DefaultCacheBehavior"], *config["CacheBehaviors"]]
    assert all(b["ResponseHeadersPolicyId"] == {"Ref": "SiteSecurityHeaders"} for b in behaviors)


def test_ses_reports_bounces_and_complaints_to_the_feedback_function(deployed: dict[str, Any]) -> None:
    for resources in deployed.values():
        destination = resources["SesFeedbackDestination"]["Properties"]
        assert destination["ConfigurationSetName"] == {"Ref": "SesConfigurationSet"}
        event_destination = destination["EventDestination"]
        assert set(event_destination["MatchingEventTypes"]) == {"bounce", "complaint"}
        assert event_destination["SnsDestination"]["TopicARN"] == {"Ref": "SesEventsTopic"}
        (subscription,) = [
            s["Properties"]
            for s in of_type(resources, "AWS::SNS::Subscription").values()
            if s["Properties"]["TopicArn"] == {"Ref": "SesEventsTopic"}
        ]
        assert subscription["Endpoint"] == {"Fn::GetAtt": ["SesEventsFunction", "Arn"]}
        identity = resources["SenderIdentity"]["Properties"]
        assert identity["EmailIdentity"] == {"Ref": "SenderDomain"}
        assert identity["ConfigurationSetAttributes"] == {
            "ConfigurationSetName": {"Ref": "SesConfigurationSet"}
        }
        for function in of_type(resources, "AWS::Lambda::Function").values():
            variables = function["Properties"]["Environment"]["Variables"]
            assert variables["SES_CONFIGURATION_SET"] == {"Ref": "SesConfigurationSet"}


def test_a_dead_lettered_job_item_raises_the_alarm_in_every_stack(
    deployed: dict[str, dict[str, Any]],
) -> None:
    from partnerapp.services.dead_letters import DEAD_LETTER_METRIC

    for resources in deployed.values():
        variables = [
            f["Properties"]["Environment"]["Variables"]
            for f in of_type(resources, "AWS::Lambda::Function").values()
        ]
        services = {v.get("POWERTOOLS_SERVICE_NAME") for v in variables}
        namespaces = {v.get("POWERTOOLS_METRICS_NAMESPACE") for v in variables}
        (alarm,) = [
            a["Properties"]
            for a in of_type(resources, "AWS::CloudWatch::Alarm").values()
            if a["Properties"]["MetricName"] == DEAD_LETTER_METRIC
        ]
        # The metric as powertools emits it: the namespace and the service dimension it adds
        assert {alarm["Namespace"]} == namespaces and alarm["Threshold"] == 1
        assert alarm["Dimensions"] == [{"Name": "service", "Value": value} for value in services]


def test_the_webhook_jobs_poison_items_raise_an_alarm(home: dict[str, Any]) -> None:
    """What the webhooks job counts (partnerapp.services.webhook_run, an EMF metric with the
    service as its dimension) is what the alarm watches, in the namespace the functions get."""
    from partnerapp.services import webhook_run

    variables = template.load_template()["Globals"]["Function"]["Environment"]["Variables"]
    (alarm,) = (
        a["Properties"]
        for a in of_type(home, "AWS::CloudWatch::Alarm").values()
        if a["Properties"]["MetricName"] == webhook_run.ERRORS_METRIC
    )
    assert alarm["Namespace"] == variables["POWERTOOLS_METRICS_NAMESPACE"]
    assert alarm["Dimensions"] == [{"Name": "service", "Value": variables["POWERTOOLS_SERVICE_NAME"]}]
    assert (alarm["Statistic"], alarm["Threshold"], alarm["ComparisonOperator"]) == (
        "Sum",
        1,
        "GreaterThanOrEqualToThreshold",
    )
