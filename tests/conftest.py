"""Shared fixtures: a fresh emulated AWS per test (moto), tables built from template.yaml,
and an API client that calls the Lambda handler through the local gateway."""

from __future__ import annotations

import functools
import io
import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import botocore.loaders
import botocore.session
import pytest
from moto import mock_aws

from partnerapp_infra.aws import template
from partnerapp_infra.local import emulator as local_stack
from partnerapp_infra.local.apigw import HttpRequest, HttpResponse
from partnerapp_infra.local.gateway import LocalGateway

SITE_URL = "http://127.0.0.1:8000"
ORIGIN_HEADER = "x-origin-verify"  # what CloudFront adds (partnerapp.api.edge)

# Every test starts as a cold start does, with new sessions and clients; each new session
# would read and parse the same service models from disk again (most of a test's set-up).
# The models never change within a run, so the sessions of the test process share one
# loader: its cache of parsed models. What a session or client holds is still its own.
botocore.session.create_loader = functools.cache(botocore.loaders.create_loader)  # type: ignore[attr-defined]

# Lambda sets a function's environment before it imports the function's modules, and
# powertools' Metrics reads its namespace when a module makes one: the test process has it
# before any test imports a route, or a route imported first counts metrics under no
# namespace and fails once 100 of them are due to be written.
os.environ.setdefault(
    "POWERTOOLS_METRICS_NAMESPACE",
    str(template.function_environment("ApiFunction")["POWERTOOLS_METRICS_NAMESPACE"]),
)


def reset_process_state() -> None:
    """What a Lambda cold start would give: no cached settings, clients or services."""
    from partnerapp import runtime_secrets
    from partnerapp.api import dependencies, idempotency
    from partnerapp.handlers import mailer, ses_events
    from partnerapp.settings import get_settings
    from partnerapp.store import clients

    get_settings.cache_clear()
    clients.reset()
    dependencies.dependencies.cache_clear()
    idempotency._once.cache_clear()
    idempotency._config.cache_clear()
    mailer._mailer.cache_clear()
    ses_events._recorder.cache_clear()
    runtime_secrets.reset()


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    for name, value in {**local_stack.fake_credentials(), **local_stack.local_environment(SITE_URL)}.items():
        monkeypatch.setenv(name, value)
    reset_process_state()
    local_stack.serialize_emulated_dynamodb()
    with mock_aws():
        environment = local_stack.bootstrap(SITE_URL)
        yield environment
    reset_process_state()


@dataclass
class ApiResponse:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class ApiClient:
    """Calls the deployed handler code exactly as API Gateway would, without a server.

    Requests carry the origin header CloudFront adds in AWS (the local stack's value; the
    check is off locally unless configured); `through_edge=False` sends one without it."""

    def __init__(self) -> None:
        self._gateway = LocalGateway()

    def request(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        json_body: Any = None,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        through_edge: bool = True,
    ) -> ApiResponse:
        edge = {ORIGIN_HEADER: local_stack.LOCAL_ORIGIN_VERIFY_SECRET} if through_edge else {}
        all_headers = {"host": "127.0.0.1:8000", **edge, **(headers or {})}
        if token is not None:
            all_headers["authorization"] = f"Bearer {token}"
        if json_body is not None:
            body = json.dumps(json_body).encode()
            all_headers.setdefault("content-type", "application/json")
        raw_path, _, query = path.partition("?")
        answer: HttpResponse = self._gateway.handle(
            HttpRequest(
                method=method,
                path=raw_path,
                query_string=query,
                headers=list(all_headers.items()),
                body=body or b"",
            )
        )
        return ApiResponse(answer.status, answer.headers, answer.body)

    def get(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("POST", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> ApiResponse:
        return self.request("DELETE", path, **kwargs)


class FakeClock:
    """Stands in for `timestamps.utc_now`: the API, the sign-in service, the rate limiter,
    the lifecycle job and webhooks read it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture
def clock(aws: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    """Time the tests move: what the API and the jobs read as now. It starts at a fixed
    moment (a minute's first second), so windows of a minute or 15 minutes never roll over
    while a test runs, however slowly."""
    from partnerapp.api import dependencies
    from partnerapp.domain import timestamps

    # The mail handlers bind the real clock at import: import them first, so a module first
    # imported under a fake clock never keeps it (emails go out in real time).
    from partnerapp.handlers import mailer, outbox_sweep, ses_events  # noqa: F401

    fake = FakeClock(datetime.now(UTC).replace(minute=0, second=0, microsecond=0))
    monkeypatch.setattr(timestamps, "utc_now", fake)
    dependencies.dependencies.cache_clear()  # built again on the next request, with this clock
    return fake


@pytest.fixture(autouse=True)
def instant_sign_in_answers(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Asking for a sign-in link answers after a fixed second (so its timing tells nobody
    whether an account exists); tests that ask need not wait it out. The tests of the floor
    itself (test_sign_in.py, on fake time) ask for `real_answer_floor` and keep it; so does
    the dev server the browser tests drive."""
    from partnerapp.services import sign_in

    if "real_answer_floor" not in request.fixturenames:
        monkeypatch.setattr(sign_in, "ANSWER_SECONDS", 0.0)


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    """Everything the functions log, formatted as in Lambda (JSON with every extra key)."""
    from aws_lambda_powertools.logging.formatter import LambdaPowertoolsFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(LambdaPowertoolsFormatter())
    # The service's logger, and the root for module loggers created before the service name
    # was set (the order tests import modules in is not Lambda's).
    loggers = [logging.getLogger("partnerapp"), logging.getLogger()]
    for logger in loggers:
        logger.addHandler(handler)
    yield stream
    for logger in loggers:
        logger.removeHandler(handler)


@pytest.fixture
def api(aws: dict[str, str]) -> ApiClient:
    return ApiClient()


@dataclass(frozen=True)
class PartnerAccount:
    partner_id: str
    token: str


def make_partner(login: str, name: str = "Partner Agency") -> PartnerAccount:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings
    from partnerapp.store.partners import PartnerRepository

    partners = PartnerRepository(get_settings())
    partner = partners.create(login, name, utc_now())
    _, token = partners.issue_token(partner, "tests", utc_now())
    return PartnerAccount(partner.partner_id, token)


@pytest.fixture
def partner(aws: dict[str, str]) -> PartnerAccount:
    return make_partner("agency@partner.example", "Agency One")


@pytest.fixture
def other_partner(aws: dict[str, str]) -> PartnerAccount:
    return make_partner("rival@partner.example", "Agency Two")


def sent_emails() -> list[dict[str, Any]]:
    """Every email the emulated SES accepted, in both data regions, oldest first."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    from partnerapp_infra.local.outbox import _parse

    emails = []
    for region in sorted(set(local_stack.DATA_REGIONS.values())):
        backend = ses_backends[DEFAULT_ACCOUNT_ID][region]
        emails += [
            {**_parse({"raw_data": m.raw_data, "destinations": m.destinations, "id": m.id}), "region": region}
            for m in backend.sent_messages
        ]
    return emails


def run_sweep() -> dict[str, int]:
    """Run the outbox sweep function once, as the schedule (or the dev server) does."""
    from partnerapp_infra.aws import template
    from partnerapp_infra.local.lambda_context import LocalLambdaContext

    handler = template.resolve_handler(template.function_handler_path("OutboxSweepFunction"))
    return handler({"source": "aws.events"}, LocalLambdaContext())  # type: ignore[no-any-return]


LICENSES = "/v2/partners/solutions/licenses"


def license_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
        "payment_origin": "partner",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not None}


def new_license(
    api: ApiClient, partner: PartnerAccount, product: str = "livechat", **fields: Any
) -> dict[str, Any]:
    """A trial created through the API (201 asserted); its creation answer."""
    response = api.post(
        f"{LICENSES}?product={product}", token=partner.token, json_body=license_body(**fields)
    )
    assert response.status == 201, response.body
    return response.json()  # type: ignore[no-any-return]


def license_details(api: ApiClient, partner: PartnerAccount, created: dict[str, Any]) -> dict[str, Any]:
    """The license as `GET .../<product>/<license_id>` shows it now."""
    path = f"{LICENSES}/{created['product']}/{created['license']}"
    return api.get(path, token=partner.token).json()  # type: ignore[no-any-return]


SCORE_PREFIX = "score: "


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Show the scores tests record (`record_property("score: ...", text)`, such as the
    accessibility audit's), also when the tests ran in xdist workers."""
    lines = sorted(
        {
            f"{name.removeprefix(SCORE_PREFIX)}: {value}"
            for reports in terminalreporter.stats.values()
            for report in reports
            for name, value in getattr(report, "user_properties", [])
            if name.startswith(SCORE_PREFIX)
        }
    )
    if lines:
        terminalreporter.write_sep("-", "scores")
        for line in lines:
            terminalreporter.write_line(line)


def assert_counts_kept(*partner_ids: str) -> None:
    """`partnerapp aggregates verify`: the partners' kept counts equal a recount of their
    licenses (what the count, report, summary and stats answer from)."""
    from partnerapp.settings import get_settings
    from partnerapp_infra.cli import recount as aggregates

    assert aggregates.verify(get_settings(), partner_ids).differences == []
