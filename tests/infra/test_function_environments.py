"""Each function does its job with nothing but the environment the template gives it (its
Globals plus its own variables, with local values): a variable the code reads but the
template does not set for that function fails here, not in AWS."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from boto3.dynamodb.types import TypeSerializer

from partnerapp.store import keys
from partnerapp_infra.aws import template
from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.lambda_context import LocalLambdaContext
from tests.conftest import (
    LICENSES,
    SITE_URL,
    ApiClient,
    FakeClock,
    PartnerAccount,
    license_body,
    reset_process_state,
    sent_emails,
)
from tests.infra.test_iam import _TRANSACTION_ENTRIES, _listed, statements
from tests.lifecycle_support import WebhookReceiver
from tests.ses_events import ses_event, through_sns


@pytest.fixture
def only_its_environment(
    monkeypatch: pytest.MonkeyPatch, deployed: dict[str, dict[str, Any]]
) -> Iterator[Callable[[str], None]]:
    """Narrow the process environment to what the template sets for one function; from then
    on, every DynamoDB call is noted with the table (or index) it names, and each must be
    granted to that function's own role, for that action on that table."""
    import botocore.client

    calls: set[tuple[str, str]] = set()
    narrowed: list[str] = []
    real_call = botocore.client.BaseClient._make_api_call

    def noting(client: Any, operation: str, params: dict[str, Any]) -> Any:
        if client.meta.service_model.service_name == "dynamodb":
            calls.update(_needs(client.meta.region_name, operation, params))
        return real_call(client, operation, params)

    def narrow(function: str) -> None:
        every = set(template.function_environment())
        own = local_stack.local_environment(SITE_URL, function=function)
        for name in every - set(own):
            monkeypatch.delenv(name, raising=False)
        for name, value in own.items():
            monkeypatch.setenv(name, value)
        reset_process_state()  # a cold start: settings are read again
        narrowed.append(function)
        monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", noting)

    yield narrow
    assert calls or not narrowed, "no DynamoDB call was noted"
    for function in narrowed:
        granted = set().union(
            *(_role_grants(resources, data_region, function) for data_region, resources in deployed.items()
              if function in resources)
        )  # fmt: skip
        assert not {call for call in calls if not _is_granted(call, granted)}, function


def _needs(region: str, operation: str, params: dict[str, Any]) -> set[tuple[str, str]]:
    """What a DynamoDB call needs: (IAM action, "region:table" or "region:table/index/name");
    a transaction's entries need the actions of their kind, each on its own table."""
    if operation == "TransactWriteItems":
        return {
            (f"dynamodb:{_TRANSACTION_ENTRIES[kind]}", f"{region}:{entry['TableName']}")
            for item in params["TransactItems"]
            for kind, entry in item.items()
        }
    table = f"{region}:{params['TableName']}"
    where = f"{table}/index/{params['IndexName']}" if "IndexName" in params else table
    return {(f"dynamodb:{operation}", where)}


def _is_granted(call: tuple[str, str], granted: set[tuple[str, str]]) -> bool:
    action, resource = call

    def covers(where: str) -> bool:
        return resource == where or (where.endswith("/index/*") and resource.startswith(where[:-1]))

    return any(action == allowed and covers(where) for allowed, where in granted)


def _role_grants(resources: dict[str, Any], data_region: str, function: str) -> set[tuple[str, str]]:
    """(action, resource) for each DynamoDB grant of the function's role in one stack."""
    role = resources[function]["Properties"]["Role"]["Fn::GetAtt"][0]
    return {
        (action, _table_of(resource, resources, data_region))
        for _, statement in statements({role: resources[role]})
        if statement["Effect"] == "Allow"
        for action in _listed(statement["Action"])
        if action.startswith("dynamodb:")
        for resource in _listed(statement["Resource"])
    }


def _table_of(resource: Any, resources: dict[str, Any], data_region: str) -> str:
    """A DynamoDB resource of the template, as "region:table[/index/name]" with the local
    values of its parameters (the local stack uses the template's defaults)."""
    stack_region = local_stack.DATA_REGIONS[data_region]
    if "Fn::GetAtt" in resource:
        logical_id, _ = resource["Fn::GetAtt"]
        return f"{stack_region}:{_table_name(logical_id, resources)}"
    text = resource["Fn::Sub"]
    assert isinstance(text, str), resource
    for logical_id in re.findall(r"\$\{(\w+)\.Arn\}", text):
        arn = f"arn:aws:dynamodb:{stack_region}:0:table/{_table_name(logical_id, resources)}"
        text = text.replace(f"${{{logical_id}.Arn}}", arn)
    values = {
        "AWS::Partition": "aws",
        "AWS::AccountId": "0",
        "AWS::Region": stack_region,
        **{name: template.parameter_default(name) for name in ("UsRegion", "EuRegion", "LicensesTableName")},
    }
    for name, value in values.items():
        text = text.replace(f"${{{name}}}", value)
    assert "${" not in text, text
    _, _, _, region, _, path = text.split(":", 5)
    return f"{region}:{path.removeprefix('table/')}"


# The home tables are named by CloudFormation in AWS; the local stack gives them these.
_LOCAL_NAMES = {
    "PartnersTable": local_stack.PARTNERS_TABLE,
    "IdempotencyTable": local_stack.IDEMPOTENCY_TABLE,
}


def _table_name(logical_id: str, resources: dict[str, Any]) -> str:
    name = resources[logical_id]["Properties"].get("TableName") or _LOCAL_NAMES[logical_id]
    return template.parameter_default(name["Ref"]) if isinstance(name, dict) else str(name)


def handler(function: str) -> Callable[[dict[str, Any], Any], Any]:
    return template.resolve_handler(template.function_handler_path(function))


def create_license(api: ApiClient, partner: PartnerAccount) -> dict[str, Any]:
    response = api.post(
        f"{LICENSES}?product=livechat", token=partner.token, json_body=license_body(data_center="eu")
    )
    assert response.status == 201, response.body
    return response.json()  # type: ignore[no-any-return]


def _stream_record(license_id: int) -> dict[str, Any]:
    serialize = TypeSerializer().serialize
    image = {"pk": keys.license_pk(license_id), "sk": keys.invite_sk(0), "entity": "invitation",
             "license_id": license_id, "seq": 0, "status": "pending"}  # fmt: skip
    return {
        "eventID": "1",
        "eventName": "INSERT",
        "eventSource": "aws:dynamodb",
        "dynamodb": {"NewImage": {k: serialize(v) for k, v in image.items()}, "SequenceNumber": "1"},
    }


def _scheduled(logical_id: str) -> bool:
    events = template.load_template()["Resources"][logical_id]["Properties"].get("Events") or {}
    return bool(events) and all(e["Type"] == "Schedule" for e in events.values())


SCHEDULED = sorted(name for name in template.resources("AWS::Serverless::Function") if _scheduled(name))


def _snake(logical_id: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in logical_id).lstrip("_")


def test_every_function_in_the_template_is_run_here() -> None:
    # Scheduled functions are run by the parametrized test below; every other trigger needs
    # a representative event, written here as test_<function>.
    explicit = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    for name in template.resources("AWS::Serverless::Function"):
        assert name in SCHEDULED or _snake(name) in explicit, f"add test_{_snake(name)} for {name}"


# What each scheduled run must have done, as its report counts it; the test checks the
# effect itself too (the email, the queued reminder, the request the endpoint received).
SCHEDULED_EFFECTS = {
    "LifecycleFunction": ("reminded", 1),
    "OutboxSweepFunction": ("sent", 1),
    "WebhooksFunction": ("delivered", 1),
}


@pytest.mark.parametrize("function", SCHEDULED)
def test_scheduled_function(
    function: str,
    api: ApiClient,
    partner: PartnerAccount,
    clock: FakeClock,
    only_its_environment: Callable[[str], None],
) -> None:
    # Given a trial begun 11 days and 2 hours ago (its reminder is due), with its invitation
    # waiting, and a webhook for its license.created event
    receiver = WebhookReceiver().start()
    try:
        clock.now = datetime.now(UTC).replace(microsecond=0) - timedelta(days=11, hours=2)
        hook = {"url": receiver.url, "events": ["license.created"]}
        assert api.post("/v2/partners/webhooks", token=partner.token, json_body=hook).status == 201
        created = create_license(api, partner)
        clock.now = datetime.now(UTC).replace(microsecond=0)
        # When the function runs with only its own environment
        only_its_environment(function)
        report = handler(function)(
            {"source": "aws.events", "detail-type": "Scheduled Event"}, LocalLambdaContext()
        )
        # Then it did its job
        counter, count = SCHEDULED_EFFECTS[function]
        assert report[counter] == count, report
        effects = {
            "LifecycleFunction": lambda: _reminder_status(created["license"]) == "pending",
            "OutboxSweepFunction": lambda: [e["to"] for e in sent_emails()] == [["owner@acme.example"]],
            "WebhooksFunction": lambda: [r.json()["type"] for r in receiver.received] == ["license.created"],
        }
        assert effects[function](), function
    finally:
        receiver.stop()


def _reminder_status(license_id: Any) -> str | None:
    import boto3

    from partnerapp import catalog

    center = catalog.data_center_of_license(int(str(license_id)))
    assert center is not None
    region = local_stack.DATA_REGIONS[center.code]
    key = {"pk": {"S": f"LICENSE#{license_id}"}, "sk": {"S": "MAIL#trial_expiring#partner"}}
    found = boto3.client("dynamodb", region_name=region).get_item(TableName="partnerapp-licenses", Key=key)
    return found["Item"]["status"]["S"] if "Item" in found else None


def test_api_function(
    api: ApiClient, partner: PartnerAccount, only_its_environment: Callable[[str], None]
) -> None:
    only_its_environment("ApiFunction")
    assert "SERVED_DATA_CENTERS" not in os.environ  # the API serves every region
    created = create_license(api, partner)
    again = api.get(f"{LICENSES}/livechat/{created['license']}", token=partner.token)
    assert again.status == 200


def test_mailer_function(
    api: ApiClient, partner: PartnerAccount, only_its_environment: Callable[[str], None]
) -> None:
    created = create_license(api, partner)
    only_its_environment("MailerFunction")
    assert "PARTNERS_TABLE" not in os.environ  # a regional function has no home tables
    result = handler("MailerFunction")(
        {"Records": [_stream_record(created["license"])]}, LocalLambdaContext()
    )
    assert result == {"batchItemFailures": []}
    assert [e["to"] for e in sent_emails()] == [["owner@acme.example"]]


def test_outbox_sweep_function(
    api: ApiClient, partner: PartnerAccount, only_its_environment: Callable[[str], None]
) -> None:
    create_license(api, partner)
    only_its_environment("OutboxSweepFunction")
    assert handler("OutboxSweepFunction")({"source": "aws.events"}, LocalLambdaContext())["sent"] == 1


def test_ses_events_function(
    api: ApiClient, partner: PartnerAccount, only_its_environment: Callable[[str], None]
) -> None:
    created = create_license(api, partner)
    only_its_environment("SesEventsFunction")
    event = through_sns(
        local_stack.DATA_REGIONS["eu-west3"],
        ses_event("Complaint", ["owner@acme.example"], created["license"], 0),
    )
    assert handler("SesEventsFunction")(event, LocalLambdaContext()) == {"recorded": 1, "ignored": 0}
