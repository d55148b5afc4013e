"""Schemathesis against the running dev server, from the OpenAPI document the code generates,
with a partner's token: every operation, valid and invalid requests, aimed at real objects
(the seeded ids stand in for the generated path parameters), then the stateful phase, which
follows the document's links from each create to the operations on what it created. Every
built-in check runs: no answer may be a 5xx, every status and body must be one the document
declares, invalid requests must be refused, and a valid one may be answered only 2xx or the
few refusals its operation can truly give (`expected_statuses`)."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from hypothesis.errors import FlakyStrategyDefinition

from partnerapp_infra import openapi
from partnerapp_infra.aws.template import Route
from tests.fuzz.conftest import FuzzServer

pytestmark = pytest.mark.devserver

EXAMPLES_PER_OPERATION = 15
STATEFUL_SCENARIOS = 15
STATEFUL_STEPS = 6
# Values no schema can tell valid from invalid, so a 400 naming them is a right answer: an
# opaque page cursor, a JSON filter list in a string, a webhook host that must resolve to a
# public address, a period of at most 60 months or a report, count, withdrawals or metric window
# (rules across two fields),
# an organization's license whose client_email must be the organization's owner, a transfer's
# new_owner who must be one of the license's people (rules across two objects).
OPAQUE_VALUES = re.compile(
    r"^/v2/partners/(solutions/licenses(/\{status\}|/count)?|solutions/licenses/search/csv|webhooks"
    r"|earnings/by-month|reports/commission|solutions/reports/license"
    r"|solutions/organizations/\{organization_id\}/licenses"
    r"|solutions/licenses/\{product\}/\{license_id\}/transfer|withdrawals|metrics/commission)$"
)
# The seeded objects that stay for the whole run; the webhook and the token are deleted by the
# operations that delete them, after which their id is rightly a 404.
LASTING_IDS = {"product", "license_id", "organization_id"}
# What an operation's state can answer a valid request beyond its documented refusals:
# closing or changing a subscription that is not running (the seeded license's, once closed)
# is the documented 409; the seeded invitation resent past its limit (3 an hour) the 429.
STATE_REFUSALS = {
    "DELETE /v2/partners/solutions/licenses/{product}/{license_id}/subscription": {404, 409},
    "PUT /v2/partners/solutions/licenses/{product}/{license_id}/subscription": {409},
    "POST /v2/partners/solutions/licenses/{product}/{license_id}/operators/{email}/resend": {429},
    # no payout details until a PUT sets them
    "GET /v2/partners/billing": {404},
}
# Never for a valid request here: the token is valid and the budget far above the run. (The
# billing system's endpoint takes no token but a signature the fuzzer cannot make: its 401.)
NEVER = {400, 413, 415, 429, 503}


def expected_statuses(route: Route) -> list[str]:
    """2xx, or what the operation's own rules may answer a well-formed request: its documented
    refusals (403, 409), 404 only when what it acts on can be gone, 422 for a reused
    Idempotency-Key, 400 where a value's validity is opaque to the schema."""
    doc = openapi.doc_for(route)
    allowed = set(doc.errors) - NEVER
    if not doc.public:
        allowed.discard(401)
    if set(re.findall(r"\{(\w+)\}", route.path)) <= LASTING_IDS:
        allowed.discard(404)
    allowed |= STATE_REFUSALS.get(openapi.route_key(route), set())
    if doc.idempotent:
        allowed |= {409, 422}  # a twin still running; a generated key reused with another body
    if OPAQUE_VALUES.match(route.path):
        allowed.add(400)
    return ["2xx", *map(str, sorted(allowed))]


def config(extra: tuple[str, ...] = ()) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
            "operations": [
                {
                    "include-operation-id": openapi.operation_id(route),
                    "checks": {
                        "positive_data_acceptance": {"expected-statuses": [*expected_statuses(route), *extra]}
                    },
                }
                for route in openapi.api_routes()
            ]
            # The methods not offered answer only 401 or 501, which no fuzzing can vary:
            # tests/integration/test_not_offered.py sends each one.
            + [
                {"include-operation-id": openapi.not_offered_operation_id(method, path), "enabled": False}
                for method, path, _ in openapi.not_offered()
            ],
        }
    )


schema = schemathesis.openapi.from_dict(openapi.generate(), config=config())
# In the stateful phase an id comes from a link (what a create made, which a later step may
# have deleted) or is generated: a 404 is a right answer there.
stateful_schema = schemathesis.openapi.from_dict(openapi.generate(), config=config(("404",)))
HYPOTHESIS = settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))


@schema.parametrize()
@settings(HYPOTHESIS, max_examples=EXAMPLES_PER_OPERATION)
def test_generated_requests(case: schemathesis.Case, fuzz_server: FuzzServer) -> None:
    # The partner's real objects instead of random ids, which would only ever be a 404
    case.path_parameters = {
        name: fuzz_server.ids.get(name, value) for name, value in (case.path_parameters or {}).items()
    }  # (token_id: the seeded token's, never the fuzzer's own)
    case.call_and_validate(
        base_url=fuzz_server.base, headers={"Authorization": f"Bearer {fuzz_server.token}"}
    )


def test_stateful_links(fuzz_server: FuzzServer) -> None:
    machine = stateful_schema.as_state_machine()
    finished: list[int] = []

    class Workflow(machine):  # type: ignore[misc, valid-type]
        def before_call(self, case: schemathesis.Case) -> None:
            # The fuzzer's own bearer token is never revoked (every later step would be a 401);
            # a link gives the id as the number it is in the create's answer
            if str((case.path_parameters or {}).get("token_id")) == fuzz_server.ids["own_token_id"]:
                case.path_parameters = {**case.path_parameters, "token_id": fuzz_server.ids["token_id"]}

        def get_call_kwargs(self, case: schemathesis.Case) -> dict[str, object]:
            return {"base_url": fuzz_server.base, "headers": {"Authorization": f"Bearer {fuzz_server.token}"}}

        def teardown(self) -> None:
            finished.append(1)

    # Scenarios run against one server whose state they change, so hypothesis can meet a
    # replayed prefix answered differently (what was created is a 409 now, what was deleted a
    # 404) and stop with FlakyStrategyDefinition: as schemathesis' own runner does, start
    # again (random, so another path) until the scenarios are done. No shrinking, for the
    # same reason: the first failure (a FailureGroup, never caught) is reported as it happened.
    for _ in range(STATEFUL_SCENARIOS):
        remaining = STATEFUL_SCENARIOS - len(finished)
        if remaining <= 0:
            break
        try:
            Workflow.run(
                settings=settings(
                    HYPOTHESIS,
                    derandomize=False,
                    max_examples=remaining,
                    stateful_step_count=STATEFUL_STEPS,
                    phases=[Phase.generate],
                )
            )
        except FlakyStrategyDefinition:
            continue
    assert len(finished) >= STATEFUL_SCENARIOS
