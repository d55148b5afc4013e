"""What the edge records and how alarms travel, as each stack deploys them: CloudFront and the
WAF log to a private bucket that forgets after 30 days, without credentials or the fields that
carry customers' data; the alarm topic is encrypted with a key only this account's alarms use;
the viewer TLS minimum is raised wherever it can be."""

from __future__ import annotations

from typing import Any

from tests.infra.test_security import of_type

LOG_RETENTION_DAYS = 30
# Paths hold customers' addresses (/operators/{email}/...), query strings one-use link tokens;
# addresses, agents, referrers and cookies identify people: none is logged.
UNLOGGED_FIELDS = {
    "cs-uri-stem",
    "cs-uri-query",
    "cs(Cookie)",
    "cs(Referer)",
    "cs(User-Agent)",
    "c-ip",
    "x-forwarded-for",
}


def _only(resources: dict[str, Any], kind: str) -> dict[str, Any]:
    (found,) = of_type(resources, kind).values()
    return found["Properties"]  # type: ignore[no-any-return]


def test_the_alarm_topic_is_encrypted_with_a_key_only_this_accounts_alarms_use(
    deployed: dict[str, dict[str, Any]],
) -> None:
    for data_region, resources in deployed.items():
        topic = resources["AlarmTopic"]["Properties"]
        assert topic["KmsMasterKeyId"] == {"Fn::GetAtt": ["AlarmTopicKey", "Arn"]}, data_region
        key = resources["AlarmTopicKey"]["Properties"]
        assert key["EnableKeyRotation"] is True
        by_service = {
            s["Principal"]["Service"]: s for s in key["KeyPolicy"]["Statement"] if "Service" in s["Principal"]
        }
        # CloudWatch cannot publish to a topic whose key it may not use (not even aws/sns).
        assert set(by_service) == {"cloudwatch.amazonaws.com"}
        statement = by_service["cloudwatch.amazonaws.com"]
        assert set(statement["Action"]) == {"kms:GenerateDataKey*", "kms:Decrypt"}
        assert statement["Condition"]["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
        assert statement["Condition"]["ArnLike"] == {
            "aws:SourceArn": {
                "Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"
            }
        }


def test_the_viewer_tls_minimum_is_raised_where_a_domain_is_given(home: dict[str, Any]) -> None:
    certificate = home["SiteDistribution"]["Properties"]["DistributionConfig"]["ViewerCertificate"]
    condition, with_domain, without = certificate["Fn::If"]
    assert condition == "HasSiteDomain"
    assert with_domain["MinimumProtocolVersion"] == "TLSv1.2_2021"
    assert with_domain["SslSupportMethod"] == "sni-only"
    # CloudFront's default certificate takes no minimum version: nothing to raise there.
    assert without == {"CloudFrontDefaultCertificate": True}


def test_cloudfront_access_logs_reach_the_log_bucket_without_personal_fields(home: dict[str, Any]) -> None:
    source = _only(home, "AWS::Logs::DeliverySource")
    assert source["LogType"] == "ACCESS_LOGS"
    assert source["ResourceArn"] == {
        "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${SiteDistribution}"
    }
    destination = _only(home, "AWS::Logs::DeliveryDestination")
    assert destination["DestinationResourceArn"] == {"Fn::GetAtt": ["EdgeLogsBucket", "Arn"]}
    delivery = _only(home, "AWS::Logs::Delivery")
    assert delivery["DeliverySourceName"] == {"Ref": "SiteAccessLogSource"}
    assert delivery["DeliveryDestinationArn"] == {"Fn::GetAtt": ["SiteAccessLogDestination", "Arn"]}
    fields = set(delivery["RecordFields"])
    assert {"date", "time", "sc-status", "cs-method", "x-edge-request-id", "ssl-protocol"} <= fields
    assert not fields & UNLOGGED_FIELDS


def test_the_waf_logs_what_it_blocks_or_counts_with_credentials_redacted(home: dict[str, Any]) -> None:
    logging = _only(home, "AWS::WAFv2::LoggingConfiguration")
    assert logging["ResourceArn"] == {"Fn::GetAtt": ["EdgeWebAcl", "Arn"]}
    assert logging["LogDestinationConfigs"] == [{"Fn::GetAtt": ["EdgeLogsBucket", "Arn"]}]
    redacted = logging["RedactedFields"]
    assert {f["SingleHeader"]["Name"] for f in redacted if "SingleHeader" in f} == {"authorization", "cookie"}
    assert {"QueryString": {}} in redacted and {"UriPath": {}} in redacted
    kept = logging["LoggingFilter"]
    assert kept["DefaultBehavior"] == "DROP"
    (rule,) = kept["Filters"]
    assert rule["Behavior"] == "KEEP"
    actions = {c["ActionCondition"]["Action"] for c in rule["Conditions"]}
    assert actions == {"BLOCK", "COUNT"}
    # WAF writes only to buckets so named
    name = home["EdgeLogsBucket"]["Properties"]["BucketName"]["Fn::Sub"]
    assert name.startswith("aws-waf-logs-")


def test_the_log_bucket_is_private_encrypted_and_forgets_after_30_days(home: dict[str, Any]) -> None:
    bucket = home["EdgeLogsBucket"]["Properties"]
    assert bucket["PublicAccessBlockConfiguration"] == dict.fromkeys(
        ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"), True
    )
    (encryption,) = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert encryption["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    (rule,) = bucket["LifecycleConfiguration"]["Rules"]
    assert rule["Status"] == "Enabled" and rule["ExpirationInDays"] == LOG_RETENTION_DAYS
    assert rule["NoncurrentVersionExpiration"]["NoncurrentDays"] <= LOG_RETENTION_DAYS
    policy = home["EdgeLogsBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    writers = [s for s in policy if s["Effect"] == "Allow"]
    assert {s["Principal"]["Service"] for s in writers} == {"delivery.logs.amazonaws.com"}
    for statement in writers:  # only deliveries of this account's logs (no confused deputy)
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == {"Ref": "AWS::AccountId"}
    (tls_only,) = [s for s in policy if s["Effect"] == "Deny"]
    assert tls_only["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
