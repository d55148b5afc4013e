"""Schemathesis against the running dev server, from the OpenAPI document the code generates:
every operation, valid and invalid requests, with a partner's token. Every built-in check runs:
no answer may be a 5xx, every status and body must be one the document declares, invalid
requests must be refused and valid ones accepted."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from partnerapp_infra import openapi
from tests.fuzz.conftest import FuzzServer

pytestmark = pytest.mark.devserver

EXAMPLES_PER_OPERATION = 25
# What a schema-valid request may also be answered, beyond schemathesis' defaults: 422 when the
# generated Idempotency-Key was already used with another body (the key's contract).
ACCEPTED = ["2xx", "401", "403", "404", "409", "422", "429"]
# Values no schema can tell valid from invalid, so a 400 naming them is a right answer: an
# opaque page cursor, a JSON filter list in a string, a webhook host that must resolve to a
# public address, an earnings period of at most 60 months (a rule across two fields).
OPAQUE_VALUES = (
    r"^/v2/partners/(solutions/licenses(/\{status\})?|solutions/licenses/search/csv|webhooks|earnings)$"
)

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "max-examples": EXAMPLES_PER_OPERATION, "deterministic": True},
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}},
        "operations": [
            {
                "include-path-regex": OPAQUE_VALUES,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "400"]}},
            }
        ],
    }
)
schema = schemathesis.openapi.from_dict(openapi.generate(), config=CONFIG)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests(case: schemathesis.Case, fuzz_server: FuzzServer) -> None:
    case.call_and_validate(
        base_url=fuzz_server.base, headers={"Authorization": f"Bearer {fuzz_server.token}"}
    )
