"""The local stand-in for AWS: moto on a port, the template's tables in two moto regions,
a verified sender identity with its configuration set, and a demo partner. Used by the dev
server, the CLI and tests.

In AWS each data region has its own stack; locally one process plays every stack, so it
serves every data region and gets every variable any function gets."""

from __future__ import annotations

import copy
import functools
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any

import boto3
from botocore.exceptions import ClientError

from partnerapp_infra.aws import template

HOME_REGION = "us-east-1"
# Each data region gets its own emulated AWS region, as in production.
DATA_REGIONS = {"us-south1": "us-east-1", "eu-west3": "eu-central-1"}
PARTNERS_TABLE = "partnerapp-partners"
IDEMPOTENCY_TABLE = "partnerapp-idempotency"
# Only for the local emulator. The functions read these from the emulator's Secrets
# Manager, as they read production's from AWS's: the same code path.
LOCAL_HASH_SECRET = "local-development-only-keyed-hash-secret-000"  # noqa: S105 - emulator only  # nosec B105
# What the billing system signs its events with, locally (`partnerapp billing sign` uses it).
LOCAL_BILLING_SECRET = "local-development-only-billing-events-secret"  # noqa: S105 - emulator only  # nosec B105
# The value CloudFront adds in AWS; locally the check is off unless
# PARTNERAPP_LOCAL_ORIGIN_VERIFY=1, and then a caller must send it as X-Origin-Verify.
LOCAL_ORIGIN_VERIFY_SECRET = "local-development-only-origin-verify-value"  # noqa: S105 - emulator only  # nosec B105
ORIGIN_VERIFY_SECRET_ID = "partnerapp/origin-verify"  # noqa: S105 - a name, not a value  # nosec B105
# The stacks' SES configuration set (bounce and complaint events), created in each moto region.
CONFIGURATION_SET = "partnerapp-local"


def local_environment(site_url: str, function: str | None = None) -> dict[str, str]:
    """The handlers' environment: every variable the template sets for `function` (for every
    function when None) given a local value."""
    licenses_table = template.parameter_default("LicensesTableName")
    values = {
        "PARTNERAPP_MODE": "local",
        "HOME_REGION": HOME_REGION,
        "PARTNERS_TABLE": PARTNERS_TABLE,
        "IDEMPOTENCY_TABLE": IDEMPOTENCY_TABLE,
        "LICENSE_TABLES": ",".join(
            f"{center}={region}:{licenses_table}" for center, region in DATA_REGIONS.items()
        ),
        "SENDER_EMAIL": template.parameter_default("SenderEmail"),
        "ACCOUNTS_SENDER_EMAIL": template.parameter_default("AccountsSenderEmail"),
        "SITE_URL": site_url,
        "KEYED_HASH_SECRET_ID": template.parameter_default("KeyedHashSecretId"),
        "BILLING_EVENTS_SECRET_ID": template.parameter_default("BillingEventsSecretId"),
        "ORIGIN_VERIFY_SECRET_ID": ORIGIN_VERIFY_SECRET_ID if origin_verify_enabled() else "",
        "SECRETS_MAX_AGE_SECONDS": template.parameter_default("SecretsMaxAgeSeconds"),
        "SES_CONFIGURATION_SET": CONFIGURATION_SET,
        "SERVED_DATA_CENTERS": ",".join(DATA_REGIONS),
        # The template's default unless set (`make bench` lifts it to measure, not be refused).
        "RATE_LIMIT_PER_MINUTE": os.environ.get(
            "RATE_LIMIT_PER_MINUTE", template.parameter_default("ApiRateLimitPerMinute")
        ),
    }
    environment: dict[str, str] = {}
    for name, value in template.function_environment(function).items():
        if name in values:
            environment[name] = values[name]
        elif isinstance(value, str):
            environment[name] = value  # a literal in the template (Powertools settings)
        else:
            raise KeyError(f"template variable {name} has no local value")
    environment.update(
        AWS_DEFAULT_REGION=HOME_REGION,
        AWS_REGION=HOME_REGION,
        POWERTOOLS_TRACE_DISABLED="true",
        POWERTOOLS_METRICS_DISABLED="true",
    )
    return environment


def origin_verify_enabled() -> bool:
    """Whether the local API checks CloudFront's origin header (off unless asked for)."""
    return os.environ.get("PARTNERAPP_LOCAL_ORIGIN_VERIFY", "") == "1"


def local_secrets() -> dict[str, str]:
    """Secret id -> the value the local stack stores for it."""
    return {
        template.parameter_default("KeyedHashSecretId"): LOCAL_HASH_SECRET,
        template.parameter_default("BillingEventsSecretId"): LOCAL_BILLING_SECRET,
        ORIGIN_VERIFY_SECRET_ID: json.dumps({"current": LOCAL_ORIGIN_VERIFY_SECRET}),
    }


def create_secrets() -> None:
    """The secrets the functions read at run time, in the emulator's Secrets Manager (in
    every region a function runs in, as the deploy steps replicate them)."""
    for region in sorted({HOME_REGION, *DATA_REGIONS.values()}):
        client = boto3.client("secretsmanager", region_name=region)
        for name, value in local_secrets().items():
            try:
                client.create_secret(Name=name, SecretString=value)
            except ClientError as error:
                if error.response["Error"]["Code"] != "ResourceExistsException":
                    raise


def fake_credentials() -> dict[str, str]:
    # The emulator accepts any credentials: a placeholder value, not a secret.
    return dict.fromkeys(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"), "testing")


def apply(environment: Mapping[str, str]) -> None:
    os.environ.update(environment)


def create_tables() -> None:
    """Create the template's tables where production has them (home region, data regions)."""
    licenses_table = template.parameter_default("LicensesTableName")
    _create(HOME_REGION, PARTNERS_TABLE, template.table_definition("PartnersTable"))
    _create(HOME_REGION, IDEMPOTENCY_TABLE, template.table_definition("IdempotencyTable"))
    for region in sorted(set(DATA_REGIONS.values())):
        _create(region, licenses_table, template.table_definition("LicensesTable"))


def _create(region: str, name: str, definition: dict[str, Any]) -> None:
    client = boto3.client("dynamodb", region_name=region)
    try:
        client.create_table(TableName=name, **definition)
    except ClientError as error:
        if error.response["Error"]["Code"] != "ResourceInUseException":
            raise


def verify_sender(sender: str) -> None:
    for region in sorted(set(DATA_REGIONS.values())):
        client = boto3.client("sesv2", region_name=region)
        try:
            client.create_email_identity(EmailIdentity=sender)
        except ClientError as error:
            if error.response["Error"]["Code"] != "AlreadyExistsException":
                raise


def create_configuration_sets(name: str) -> None:
    """The configuration set each stack creates beside its identity (SES refuses a send that
    names an unknown one; moto does not check, but the local stack should match AWS's)."""
    for region in sorted(set(DATA_REGIONS.values())):
        client = boto3.client("sesv2", region_name=region)
        try:
            client.create_configuration_set(ConfigurationSetName=name)
        except ClientError as error:
            if error.response["Error"]["Code"] != "AlreadyExistsException":
                raise


def unverify_sender(sender: str) -> None:
    """Make SES refuse to send (MessageRejected), as during an outage or a lost identity."""
    for region in sorted(set(DATA_REGIONS.values())):
        boto3.client("sesv2", region_name=region).delete_email_identity(EmailIdentity=sender)


_dynamodb_lock = threading.RLock()


# ClientRequestToken -> the answer of the transaction it applied (DynamoDB keeps them 10 minutes).
_applied_transactions: OrderedDict[str, object] = OrderedDict()
_REMEMBERED_TRANSACTIONS = 10_000


def serialize_emulated_dynamodb() -> None:
    """Make moto's DynamoDB keep two promises of the real service the code relies on.

    - Each write (and each transaction) is atomic: moto does not guard its tables against
      concurrent threads (a transaction deep-copies a table another thread is writing), so
      the emulator handles one call at a time, and conditional writes race as in AWS.
    - A retried transaction is not applied twice: the SDK gives TransactWriteItems a
      ClientRequestToken and reuses it on its retries (after a timeout, say), and DynamoDB
      answers a token it has applied with that success. moto ignores the token; without it a
      retry would fail its own `attribute_not_exists` condition.

    And two speed-ups that keep the promise of atomicity: moto backs up every table a
    transaction names (a deep copy of the whole table, growing with it) to roll a failed one
    back; here only the items it names are backed up (`_roll_back_items_only`). With every
    call queued behind the lock, whole-table copies made each create wait for the copies of
    the creates ahead of it: seconds under 8 clients, past the SDK's read timeout. And moto
    answers a Query on a table's key by sorting every item of the table; here it reads the
    one partition the Query names (`_query_one_partition`), as DynamoDB does.
    """
    from moto.dynamodb.responses import DynamoHandler

    _roll_back_items_only()
    _query_one_partition()

    original: Callable[..., object] = DynamoHandler.call_action
    if getattr(original, "serialized", False):
        return

    @functools.wraps(original)
    def call_action(self: object) -> object:
        with _dynamodb_lock:
            return original(self)

    transact: Callable[..., object] = DynamoHandler.transact_write_items

    @functools.wraps(transact)
    def transact_write_items(self: Any) -> object:
        token = self.body.get("ClientRequestToken")
        if token in _applied_transactions:
            return _applied_transactions[token]
        answer = transact(self)
        if token:
            _applied_transactions[token] = answer
            while len(_applied_transactions) > _REMEMBERED_TRANSACTIONS:
                _applied_transactions.popitem(last=False)
        return answer

    call_action.serialized = True  # type: ignore[attr-defined]
    DynamoHandler.call_action = call_action  # type: ignore[method-assign]
    DynamoHandler.transact_write_items = transact_write_items  # type: ignore[method-assign,assignment]


def _query_one_partition() -> None:
    """A Query on a table's own key (no index) looks at the items of its partition only."""
    from moto.dynamodb.models.table import Table

    original: Callable[..., Any] = Table.query
    if getattr(original, "one_partition", False):
        return

    @functools.wraps(original)
    def query(self: Any, hash_key: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        if index_name is not None or not self.range_key_attr or hash_key is None:
            return original(self, hash_key, *args, **kwargs)
        partition = list(self.items.get(hash_key, {}).values())
        self.all_items = lambda: partition  # moto filters and sorts what this returns
        try:
            return original(self, hash_key, *args, **kwargs)
        finally:
            del self.all_items

    query.one_partition = True  # type: ignore[attr-defined]
    Table.query = query  # type: ignore[method-assign]


class _NoTableCopies:
    """Stands in for the `copy` module inside moto's DynamoDB models while a transaction runs
    under `_roll_back_items_only`: its whole-table backup becomes the table itself."""

    active = False

    @classmethod
    def deepcopy(cls, value: Any, memo: Any = None) -> Any:
        from moto.dynamodb.models.table import Table

        if cls.active and isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)


def _roll_back_items_only() -> None:
    """Back up only the items a transaction names (at most 100), and put them back, with the
    table's stream, if it fails: the same all-or-nothing answer as moto's own rollback."""
    import moto.dynamodb.models as models

    original: Callable[..., None] = models.DynamoDBBackend.transact_write_items
    if getattr(original, "items_only", False):
        return

    @functools.wraps(original)
    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = [_backup(self, item) for item in transact_items]
        streams = {id(t): (t, len(t.stream_shard.items)) for t in self.tables.values() if t.stream_shard}
        _NoTableCopies.active = True
        try:
            original(self, transact_items)
        except Exception:
            for backup in reversed([b for b in saved if b is not None]):
                _restore(*backup)
            for table, length in streams.values():
                del table.stream_shard.items[length:]
            raise
        finally:
            _NoTableCopies.active = False

    transact_write_items.items_only = True  # type: ignore[attr-defined]
    models.DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]
    models.copy = _NoTableCopies  # type: ignore[assignment,attr-defined]


def _backup(backend: Any, entry: dict[str, Any]) -> tuple[Any, Any, Any, Any] | None:
    """(table, hash key, range key, a copy of the item or None) for one transaction item."""
    operation: dict[str, Any] = next(iter(entry.values()), {})
    table = backend.tables.get(operation.get("TableName"))
    if table is None:
        return None  # moto answers a missing table itself, before writing anything
    key = operation.get("Key") or {
        name: operation["Item"][name]
        for name in (table.hash_key_attr, table.range_key_attr)
        if name and name in operation.get("Item", {})
    }
    try:
        hash_key, range_key = backend.get_keys_value(table, key)
    except Exception:  # a malformed key: moto refuses it before writing anything
        return None
    return table, hash_key, range_key, copy.deepcopy(table.get_item(hash_key, range_key))


def _restore(table: Any, hash_key: Any, range_key: Any, item: Any) -> None:
    if not table.has_range_key:
        if item is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = item
        return
    partition = table.items[hash_key]
    if item is None:
        partition.pop(range_key, None)
    else:
        partition[range_key] = item
    if not partition:
        table.items.pop(hash_key, None)


def bootstrap(site_url: str) -> dict[str, str]:
    """Set the environment for the handlers and prepare the emulator; returns the environment."""
    environment = local_environment(site_url)
    apply(environment)
    create_tables()
    create_secrets()
    verify_sender(environment["SENDER_EMAIL"])
    verify_sender(environment["ACCOUNTS_SENDER_EMAIL"])
    create_configuration_sets(environment["SES_CONFIGURATION_SET"])
    return environment
