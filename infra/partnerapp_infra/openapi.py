"""The partner API's OpenAPI document, generated from the code (`python -m partnerapp_infra.openapi`).

- Paths and methods: the ApiFunction's HttpApi routes in template.yaml under /v2/ (the
  browser routes under /web/ are the help center's own, not part of the partner API).
- Request bodies and query strings: the marshmallow schemas the routes load, through apispec.
- Response examples: the real dump functions run on sample data; their JSON Schema is
  inferred from those examples, so a changed response changes the document.
- Prose (summaries, field descriptions) lives in `OPERATIONS` and `FIELD_DOCS` below: every
  route must have an entry, which the site's build tests check.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema
from marshmallow import fields as ma_fields

from partnerapp import catalog
from partnerapp.api.idempotency import KEY_PATTERN, MAX_KEY_LENGTH
from partnerapp.schemas import billing, earnings, licenses, management, organizations, partners, webhooks
from partnerapp_infra import template

API_PREFIX = "/v2/"
TITLE = "Partner API"
VERSION = "2"
DESCRIPTION = (
    "A compatible subset of the Text (LiveChat) Partner API v2, Solution Partner methods: the same "
    "paths, field names, enumerations, timestamps (`YYYY-MM-DD HH:MM:SS`, UTC) and status codes. "
    "Authenticate with `Authorization: Bearer <token>`. The POSTs that create or change a license, "
    "an organization or a webhook accept an `Idempotency-Key` header: a retry with the same key and "
    "body replays the first answer and changes nothing."
)


@dataclass(frozen=True)
class Doc:
    """What the code cannot say about one operation: its summary and which schemas it reads."""

    summary: str
    description: str = ""
    body: type[Schema] | None = None
    query: type[Schema] | None = None
    success: int = 200
    success_description: str = "Done."
    # The success body's marshmallow schema: the route dumps its answer through it, and the
    # document states it from the same class (issue 10 moves every operation onto it).
    response: type[Schema] | None = None
    response_many: bool = False
    # Response examples from the code: the first is shown, all decide what is required.
    examples: Callable[[], list[Any]] | None = None
    public: bool = False
    errors: tuple[int, ...] = field(default=(400, 401, 404))
    # Honours an Idempotency-Key (the route runs its change through api/idempotency.once).
    idempotent: bool = False


# --- sample data for response examples (run through the real dump functions) --------------

_NOW = datetime(2025, 3, 3, 9, 30, tzinfo=UTC)


def _sample_license(full: bool = True) -> Any:
    """A license with every optional field set, or (full=False) with none of them."""
    from partnerapp.domain.licenses import Invitation, License, Subscription

    item = License(
        license_id=4821930571,
        partner_id="3f2a9c1e7b6d4a58",
        product="livechat",
        client_name="Acme Corporation",
        client_email="owner@acme.example",
        payment_origin="partner",
        data_center="eu-west3",
        created_at=_NOW,
        trial_ends_at=_NOW + timedelta(days=catalog.TRIAL.default_days),
        identifier="crm-1001",
        purchase_order="PO-2025-17",
        invitations=(
            Invitation(seq=0, email="owner@acme.example", role="owner", status="sent"),
            Invitation(seq=1, email="ann@acme.example", role="agent", status="sent"),
        ),
    )
    if full:  # converted, in an organization, its subscription cancelled at the end of the cycle
        return replace(
            item,
            status="paid",
            paid=True,
            cc_added=True,
            organization_id="7c1d0e5a9b2f4e31",
            organization_name="Acme Group",
            subscription=Subscription("team", "monthly", 5, _NOW, ends_at=_NOW + timedelta(days=30)),
            conversion_timestamp=_NOW,
        )
    return replace(item, identifier=None, purchase_order=None, invitations=item.invitations[:1])


def _sample_licenses() -> list[Any]:
    """Every shape a license takes on the wire: full, minimal, with a running subscription,
    and customer-managed (no subscription fields at all)."""
    from partnerapp.domain.licenses import Subscription

    minimal = _sample_license(full=False)
    running = replace(minimal, subscription=Subscription("starter", "annual", 2, _NOW))
    return [_sample_license(True), minimal, running, replace(minimal, payment_origin="client")]


def _sample_partner() -> Any:
    from partnerapp.domain.partners import Partner

    return Partner("3f2a9c1e7b6d4a58", "ops@agency.example", "Agency Ops", "ops@agency.example", _NOW)


def _sample_token() -> Any:
    from partnerapp.domain.partners import ApiToken

    return ApiToken("9b1c2d3e4f5a", "3f2a9c1e7b6d4a58", "crm", _NOW)


def _created() -> list[Any]:
    from partnerapp.schemas.licenses import dump_created_license

    return [dump_created_license(item) for item in _sample_licenses()]


def _details() -> list[Any]:
    from partnerapp.schemas.licenses import dump_license_details

    return [dump_license_details(item) for item in _sample_licenses()]


def _listing() -> list[Any]:
    from partnerapp.schemas.licenses import dump_license_list

    return [dump_license_list(_sample_licenses(), None, paged=False)]


def _by_status() -> list[Any]:
    from partnerapp.schemas.licenses import dump_status_list

    return [dump_status_list(_sample_licenses(), "MDAwMS0wMS0wMSAwMDowMDowMA==")]


def _transferred() -> list[Any]:
    from partnerapp.schemas.licenses import dump_transferred

    return [dump_transferred(replace(item, payment_origin="client")) for item in _sample_licenses()]


def _profile() -> list[Any]:
    from partnerapp.schemas.partners import dump_partner

    return [dump_partner(_sample_partner())]


def _new_token() -> list[Any]:
    from partnerapp.schemas.partners import dump_token

    return [dump_token(_sample_token(), "pat_" + "x" * 43)]


def _tokens() -> list[Any]:
    from partnerapp.schemas.partners import dump_token

    return [{"tokens": [dump_token(_sample_token())]}]


def _status() -> list[Any]:
    from partnerapp.api.routes.partners import status

    return [status()]


def _error() -> Any:
    from partnerapp.api.errors import error_response, validation

    answer = error_response(validation({"client_email": ["Not a valid email address."]}))
    return json.loads(str(answer.body))


def _earnings() -> list[Any]:
    from datetime import date

    from partnerapp.domain.earnings import COMMISSION, SAVINGS, EarningRecord, summarize
    from partnerapp.schemas.earnings import dump_earnings

    records = [
        EarningRecord(_NOW, 4821930571, "livechat", SAVINGS, 1640),
        EarningRecord(_NOW + timedelta(days=20), 7731002413, "chatbot", COMMISSION, 1180),
    ]
    return [dump_earnings(summarize(records, date(2025, 3, 1), date(2025, 4, 30)))]


def _sample_webhook() -> Any:
    from partnerapp.domain.events import LICENSE_CONVERTED, LICENSE_CREATED
    from partnerapp.domain.webhooks import Webhook

    return Webhook("5e0c3b7a9d214f68", "3f2a9c1e7b6d4a58", "https://crm.agency.example/hooks/partnerapp",
                   (LICENSE_CREATED, LICENSE_CONVERTED), _NOW)  # fmt: skip


def _webhook_created() -> list[Any]:
    return [webhooks.dump_webhook(_sample_webhook(), "whsec_" + "x" * 43)]


def _webhook_list() -> list[Any]:
    return [{"webhooks": [webhooks.dump_webhook(_sample_webhook())]}]


def _sample_deliveries() -> list[Any]:
    from partnerapp.domain import webhooks as rules
    from partnerapp.domain.webhooks import Delivery

    delivered = Delivery("5e0c3b7a9d214f68", "evt_4821930571_1_0", "license.created", "k1", _NOW,
                         status=rules.DELIVERED, attempts=1, last_attempt_at=_NOW, delivered_at=_NOW,
                         response_status=200)  # fmt: skip
    retrying = Delivery("5e0c3b7a9d214f68", "evt_4821930571_4_0", "license.converted", "k2", _NOW,
                        attempts=2, next_attempt_at=_NOW + timedelta(seconds=20), last_attempt_at=_NOW,
                        response_status=503, error="HTTP 503")  # fmt: skip
    return [delivered, retrying]


def _deliveries() -> list[Any]:
    return [{"deliveries": [webhooks.dump_delivery(d) for d in _sample_deliveries()]}]


def _test_delivery() -> list[Any]:
    from partnerapp.domain.webhooks import Delivery

    queued = Delivery(
        "5e0c3b7a9d214f68", "evt_test_2f9a0c1b7e3d", "webhook.test", "k3", _NOW, next_attempt_at=_NOW
    )
    return [{"delivery": webhooks.dump_delivery(queued)}]


def _billing_answers() -> list[Any]:
    return [
        {"received": True, "event_id": "evt_9Q2x", "result": result}
        for result in ("applied", "duplicate", "ignored")
    ]


LICENSE = "/v2/partners/solutions/licenses/{product}/{license_id}"
WEBHOOK = "/v2/partners/webhooks/{webhook_id}"
OPERATIONS: dict[str, Doc] = {
    "GET /v2/partners/status": Doc("Liveness", examples=_status, public=True, errors=()),
    "GET /v2/partners": Doc("The signed-in partner's profile", examples=_profile, errors=(401,)),
    "POST /v2/partners/tokens": Doc(
        "Create an API token",
        "The secret is in this response only; it is stored as a hash.",
        body=partners.CreateTokenSchema,
        success=201,
        examples=_new_token,
        errors=(400, 401),
    ),
    "GET /v2/partners/tokens": Doc("List API tokens", examples=_tokens, errors=(401,)),
    "DELETE /v2/partners/tokens/{token_id}": Doc(
        "Revoke an API token", "It stops working at once.", success=204, success_description="Revoked."
    ),
    "POST /v2/partners/solutions/licenses": Doc(
        "Create a trial license",
        "Starts the trial and emails the customer an invitation; each invited operator gets one "
        "too. Operators are allowed only on partner-managed LiveChat licenses (403 otherwise); a "
        "second license of a product for the same client_email is a 409; any coupon_id is a 403 "
        "(no coupon is offered here). data_center: `dal`/`us-south1` or `fra`/`eu-west3`.",
        body=licenses.CreateLicenseSchema,
        query=licenses.ProductQuerySchema,
        success=201,
        response=licenses.CreatedLicenseSchema,
        examples=_created,
        errors=(400, 401, 403, 409, 413, 415, 422),
        idempotent=True,
    ),
    "GET /v2/partners/solutions/licenses": Doc(
        "List licenses, newest first",
        "Across both data regions: every license created in the window. With `limit` (our "
        "addition) one page at a time, and `next_cursor`.",
        query=management.ListQuerySchema,
        response=licenses.LicenseListSchema,
        examples=_listing,
        errors=(400, 401),
    ),
    "GET /v2/partners/solutions/licenses/count": Doc(
        "Count licenses by status",
        "Among the licenses created from date_from to date_to.",
        query=management.CountQuerySchema,
        response=management.CountSchema,
        errors=(400, 401),
    ),
    "GET /v2/partners/solutions/licenses/search/csv": Doc(
        "Search licenses as CSV",
        "`filters` is a JSON array of {field, operator, value}; the bare URL-encoded array as the "
        "whole query (the docs' example) is read the same. Money and levels as `20.00`.",
        query=management.CsvQuerySchema,
        success_description="A CSV file.",
        errors=(400, 401),
    ),
    "GET /v2/partners/solutions/licenses/{status}": Doc(
        "List licenses of one status",
        query=management.StatusQuerySchema,
        response=licenses.StatusListSchema,
        examples=_by_status,
    ),
    "GET /v2/partners/solutions/reports/license": Doc(
        "Licenses that reached a status, per day, week or month",
        "trial: trials started; paid: conversions; expired: expirations, inside the window.",
        query=management.LicenseReportQuerySchema,
        response=management.LicenseReportSchema,
        errors=(400, 401),
    ),
    "GET /v2/partners/solutions/summary": Doc(
        "Solution summary",
        "Licenses by status, commission earned and discount saved to date (strings, as the docs).",
        response=management.SummarySchema,
        errors=(401,),
    ),
    f"GET {LICENSE}": Doc(
        "A license with money, seats and invitations",
        response=licenses.LicenseDetailsSchema,
        examples=_details,
        errors=(401, 404),
    ),
    f"PUT {LICENSE}": Doc(
        "Change a license's details",
        success=204,
        success_description="Changed.",
        body=management.UpdateLicenseSchema,
    ),
    "PUT /v2/solutions/licenses/{product}/{license_id}": Doc(
        "Change a license's details (the path of the docs' own example)",
        "The same operation as PUT /v2/partners/solutions/licenses/{product}/{license_id}.",
        success=204,
        success_description="Changed.",
        body=management.UpdateLicenseSchema,
    ),
    f"POST {LICENSE}/operators": Doc(
        "Invite more operators",
        "Partner-managed LiveChat licenses only; answers a status code per operator (200 invited, "
        "400 refused).",
        body=management.OperatorsSchema,
        response=licenses.OperatorResultsSchema,
        errors=(400, 401, 403, 404),
        idempotent=True,
    ),
    f"POST {LICENSE}/operators/{{email}}/resend": Doc(
        "Send an invitation again",
        response=licenses.LicenseDetailsSchema,
        examples=_details,
        errors=(401, 403, 404),
        idempotent=True,
    ),
    f"POST {LICENSE}/offer": Doc(
        "Customize the offer",
        "An extra discount or a longer trial, on partner-managed licenses whose product allows it.",
        body=management.OfferSchema,
        response=licenses.LicenseDetailsSchema,
        examples=_details,
        errors=(400, 401, 403, 404),
        idempotent=True,
    ),
    f"POST {LICENSE}/subscription": Doc(
        "Start the subscription",
        "Partner-managed licenses only. `token` is not kept and nothing is charged: giving it "
        "records a payment method on file (cc_added).",
        body=management.CreateSubscriptionSchema,
        success=201,
        success_description="Created.",
        errors=(400, 401, 403, 404, 409),
        idempotent=True,
    ),
    f"PUT {LICENSE}/subscription": Doc(
        "Change the subscription",
        "409 when the license has no active subscription.",
        body=management.SubscriptionChangeSchema,
        success=204,
        success_description="Changed.",
        errors=(400, 401, 403, 404, 409),
    ),
    f"DELETE {LICENSE}/subscription": Doc(
        "Close the subscription",
        "`expire` true: the license expires at once; false (default): at the end of the billing "
        "cycle. `password` must be the API token the request is authorized with (403 otherwise).",
        body=management.CloseSubscriptionSchema,
        success=204,
        success_description="Closed.",
        errors=(400, 401, 403, 404, 409),
    ),
    f"PUT {LICENSE}/billing": Doc(
        "Give a new payment method",
        "The token is not kept and nothing is charged: the license records a payment method on file.",
        body=management.BillingSchema,
        success=204,
        success_description="Recorded.",
        errors=(400, 401, 403, 404),
    ),
    "GET /v2/partners/solutions/licenses/{license_id}/invoices": Doc(
        "Invoices of a partner-managed subscription",
        "Newest first; amounts in dollars.",
        response=licenses.InvoiceListSchema,
        errors=(401, 403, 404),
    ),
    "GET /v2/partners/solutions/licenses/{license_id}/invoices/{invoice_no}": Doc(
        "One invoice as a PDF", success_description="The invoice (application/pdf).", errors=(401, 403, 404)
    ),
    f"POST {LICENSE}/transfer": Doc(
        "Hand the subscription over to the customer",
        "`new_owner` (one of the license's users) becomes its owner; the customer manages and pays "
        "the subscription from now on.",
        body=management.TransferSchema,
        response=licenses.TransferredLicenseSchema,
        examples=_transferred,
        errors=(400, 401, 403, 404, 409),
        idempotent=True,
    ),
    f"GET {LICENSE}/history": Doc(
        "What changed on a license, and who changed it", response=licenses.HistorySchema, errors=(401, 404)
    ),
    "POST /v2/partners/solutions/organizations": Doc(
        "Create an organization",
        "A customer (its owner: client_email) whose licenses are grouped together. Answers its `id`.",
        body=organizations.CreateOrganizationSchema,
        success=201,
        response=organizations.CreatedOrganizationSchema,
        errors=(400, 401, 409),
        idempotent=True,
    ),
    "GET /v2/partners/solutions/organizations/{organization_id}": Doc(
        "An organization", response=organizations.OrganizationSchema, errors=(401, 404)
    ),
    "GET /v2/partners/solutions/organizations/{organization_id}/licenses": Doc(
        "An organization's licenses", response=organizations.OrganizationLicensesSchema, errors=(401, 404)
    ),
    "POST /v2/partners/solutions/organizations/{organization_id}/licenses": Doc(
        "Create a license for an organization",
        "client_email must be the organization's owner; the region is the organization's.",
        body=organizations.OrganizationLicenseSchema,
        query=licenses.ProductQuerySchema,
        success=201,
        response=licenses.CreatedLicenseSchema,
        examples=_created,
        errors=(400, 401, 403, 404, 409),
        idempotent=True,
    ),
    "GET /v2/partners/earnings": Doc(
        "Your earnings by month and by license",
        "Commission (20% of the recorded payments of customer-managed licenses) and savings (the "
        "discount on the invoices of partner-managed ones), in integer cents, for the period "
        "(the last 12 months by default; at most 60).",
        query=earnings.EarningsQuerySchema,
        examples=_earnings,
        errors=(400, 401),
    ),
    "POST /v2/partners/webhooks": Doc(
        "Register a webhook endpoint",
        "An https URL on a public address and the events to send it. The signing `secret` is in "
        "this response only. Each delivery is a POST of `{id, type, created_at, data}` (ids and "
        "enumerations only) with `Webhook-Id`, `Webhook-Timestamp` and `Webhook-Signature: "
        't=<unix time>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`: refuse a signature '
        "more than 5 minutes old. A failed delivery (not 2xx within 5 s) is retried with exponential "
        "backoff for about 3.5 hours; each endpoint gets its events in order.",
        body=webhooks.CreateWebhookSchema,
        success=201,
        examples=_webhook_created,
        errors=(400, 401, 403, 413, 415, 422),
        idempotent=True,
    ),
    "GET /v2/partners/webhooks": Doc("List webhook endpoints", examples=_webhook_list, errors=(401,)),
    f"DELETE {WEBHOOK}": Doc(
        "Delete a webhook endpoint",
        "Deliveries not made yet are cancelled.",
        success=204,
        success_description="Deleted.",
        errors=(401, 404),
    ),
    f"GET {WEBHOOK}/deliveries": Doc(
        "The endpoint's deliveries, newest first",
        "Status `pending`, `delivered`, `failed` (given up) or `cancelled`, with the attempts made.",
        examples=_deliveries,
        errors=(401, 404),
    ),
    f"POST {WEBHOOK}/test": Doc(
        "Send a test event",
        "Queues a `webhook.test` event to this endpoint, delivered like any other within a minute.",
        success=202,
        success_description="Queued.",
        examples=_test_delivery,
        errors=(401, 404),
    ),
    "POST /v2/billing/events": Doc(
        "Report a billing event (for the billing system)",
        "Not for partners: authenticated by `Billing-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "
        '"<t>.<body>" with the billing secret>`, within 5 minutes. `subscription.created` (data: '
        "`license`) converts the license to paid; `payment.succeeded` (data: `license`, `amount_cents`, "
        "`currency`) records a payment and the partner's commission. An event id is applied once; "
        "other event types are acknowledged and ignored.",
        body=billing.EnvelopeSchema,
        examples=_billing_answers,
        public=True,
        errors=(400, 401, 404, 409, 413, 415),
    ),
}

FIELD_DOCS: dict[str, str] = {
    "client_name": "The customer: a company or a person.",
    "client_email": "The customer's email; their invitation goes here. Trimmed and lower-cased.",
    "payment_origin": "Who manages the subscription: `partner` (you pay, with a lifetime discount) or "
    "`client` (the customer pays, you earn a commission).",
    "trial_duration": "Trial length in days.",
    "data_center": "Where the customer's data lives: `us-south1` (USA) or `eu-west3` (EU); "
    "`dal`/`us` and `fra`/`eu` are accepted too.",
    "identifier": "Your own reference for the customer, for example a CRM id.",
    "purchase_order": "Your purchase order number.",
    "organization_name": "The customer's organization.",
    "operators": "Additional users to invite (partner-managed LiveChat only).",
    "email": "The person's email address.",
    "role": "`administrator` or `agent`.",
    "label": "A name that tells your tokens apart.",
    "product": "`livechat` or `chatbot`.",
    "limit": "How many licenses per page.",
    "next_cursor": "From the previous page's answer, to get the next page.",
    "date_from": "Created on or after this date (`YYYY-MM-DD` or a timestamp).",
    "date_to": "Created on or before this date (`YYYY-MM-DD` or a timestamp).",
    "plan": "The subscription plan.",
    "billing_cycle": "How often it is invoiced.",
    "seats": "Seats in the subscription.",
    "extra_discount_percent": "Discount on top of the partner discount.",
    "extend_trial_days": "Days added to the trial.",
    "expire": "`now`, or at the `end_of_cycle`.",
    "filters": "A JSON array of {field, operator, value} filters.",
    "url": "Where deliveries are POSTed: https, on a public address.",
    "events": "The events to send: `license.created`, `license.trial_expiring`, `license.expired`, "
    "`license.converted`, `operator.accepted`.",
    "webhook_id": "The endpoint's id, from its creation.",
}

ERROR_DESCRIPTIONS = {
    400: "Bad or missing fields; `fields` names each one.",
    401: "No valid bearer token.",
    403: "A partner rule does not allow it.",
    404: "Unknown, or another partner's.",
    409: "It clashes with what exists (a duplicate, or a change in progress).",
    413: "The body is larger than 64 KB.",
    415: "The body is not JSON.",
    422: "This Idempotency-Key was used with a different request.",
    429: "Over the partner's request budget; retry after `Retry-After` seconds.",
    503: "Busy or briefly unreachable storage; nothing was changed, retry after `Retry-After` seconds "
    "(with the same Idempotency-Key).",
}
RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait.", "schema": {"type": "string"}}}

# Every error answer (api/errors.py): `fields` only when there are fields to name; a field's
# messages are a list, or an object for nested fields (operators.0.email).
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["type", "message"],
            "properties": {
                "type": {"type": "string"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": ["array", "object"]},
                },
            },
        }
    },
}


# Bodies whose schema asks for at least one of its (optional) fields: a rule apispec cannot
# read from the marshmallow validator, stated here for the document.
AT_LEAST_ONE_FIELD = (
    management.UpdateLicenseSchema,
    management.OfferSchema,
    management.SubscriptionChangeSchema,
)


def _require_some_field(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    for schema in AT_LEAST_ONE_FIELD:
        schemas[schema.__name__.removesuffix("Schema")]["minProperties"] = 1


def error_statuses(route: template.Route, doc: Doc) -> tuple[int, ...]:
    """The errors an operation can answer: those its entry names, and those every operation of
    its kind can (a token, a JSON body, an id in the path, the storage behind it)."""
    implied = {503}
    if not doc.public:
        implied |= {401, 429}
    if doc.body is not None:
        implied |= {400, 413, 415}
    if doc.query is not None:
        implied.add(400)
    if re.search(r"\{\w+\}", route.path):
        implied.add(404)
    if doc.idempotent:
        implied |= {400, 409, 422}  # a malformed key; a twin still running; a key reused
    return tuple(sorted(set(doc.errors) | implied))


def _data_center_enum(_: Any, field_obj: ma_fields.Field[Any], **__: Any) -> dict[str, Any]:
    from partnerapp.schemas.fields import DataCenterCode

    if isinstance(field_obj, DataCenterCode):
        return {"enum": [c for code, center in catalog.DATA_CENTERS.items() for c in (code, *center.aliases)]}
    return {}


def infer_schema(*examples: Any) -> dict[str, Any]:
    """A JSON Schema of example values (what the dump functions produce): a property is
    required when every example has it, so give a full and a minimal example."""
    first = examples[0]
    if first is None:
        return {"type": "null"}
    if isinstance(first, bool):
        return {"type": "boolean"}
    if isinstance(first, int):
        return {"type": "integer"}
    if isinstance(first, float):
        return {"type": "number"}
    if isinstance(first, str):
        return {"type": "string"}
    if isinstance(first, list):
        items = [item for example in examples for item in example]
        return {"type": "array", "items": infer_schema(*items) if items else {}}
    names = list(dict.fromkeys(str(k) for example in examples for k in example))
    properties = {name: _property([e[name] for e in examples if name in e]) for name in names}
    required = sorted(name for name in names if all(name in example for example in examples))
    return {"type": "object", "properties": properties, "required": required}


def _property(values: list[Any]) -> dict[str, Any]:
    present = [value for value in values if value is not None]
    schema: dict[str, Any] = infer_schema(*present) if present else {"type": "null"}
    if present and len(present) < len(values):
        schema["type"] = [schema["type"], "null"]  # null in some examples: nullable
    return schema


def api_routes() -> list[template.Route]:
    routes = [
        r for r in template.http_routes() if r.function == "ApiFunction" and r.path.startswith(API_PREFIX)
    ]
    return sorted(routes, key=lambda r: (r.path, r.method))


def route_key(route: template.Route) -> str:
    return f"{route.method} {route.path}"


def _handler_names() -> dict[str, str]:
    from partnerapp.api.app import app

    return {f"{r.method} {r.path}": r.func.__name__ for r in app._static_routes + app._dynamic_routes}


def doc_for(route: template.Route) -> Doc:
    """The route's entry in OPERATIONS; a route added without one is still listed, named
    after its handler (the build tests ask for an entry)."""
    if route_key(route) in OPERATIONS:
        return OPERATIONS[route_key(route)]
    name = _handler_names().get(f"{route.method} {route.flask_rule}", route.path.rsplit("/", 1)[-1])
    return Doc(name.replace("_", " ").capitalize())


def _operation(route: template.Route) -> dict[str, Any]:
    doc = doc_for(route)
    parameters: list[dict[str, Any]] = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": {"type": "string"},
            "description": FIELD_DOCS.get(name, ""),
        }
        for name in re.findall(r"\{(\w+)\}", route.path)
    ]
    if doc.query:
        parameters.append({"in": "query", "schema": doc.query})
    operation: dict[str, Any] = {
        "operationId": re.sub(r"\W+", "_", f"{route.method} {route.path}").strip("_").lower(),
        "summary": doc.summary,
        "parameters": parameters,
        "responses": _responses(route, doc),
    }
    if doc.description:
        operation["description"] = doc.description
    if doc.idempotent:
        parameters.append(
            {
                "in": "header",
                "name": "Idempotency-Key",
                "required": False,
                "description": "Your id for this change (1 to 255 printable ASCII characters).",
                "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH, "pattern": KEY_PATTERN},
            }
        )
    if doc.body:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": doc.body}},
        }
    operation["security"] = [] if doc.public else [{"bearer": []}]
    return operation


def _responses(route: template.Route, doc: Doc) -> dict[str, Any]:
    success: dict[str, Any] = {"description": doc.success_description}
    if doc.examples is not None:
        examples = doc.examples()
        success["content"] = {"application/json": {"schema": infer_schema(*examples), "example": examples[0]}}
    responses: dict[str, Any] = {str(doc.success): success}
    for status in error_statuses(route, doc):
        responses[str(status)] = {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        if status in (429, 503):
            responses[str(status)]["headers"] = RETRY_AFTER
    return responses


def _describe_fields(document: dict[str, Any]) -> None:
    """Field descriptions by name, wherever a schema or parameter has that field."""
    for schema in document.get("components", {}).get("schemas", {}).values():
        for name, prop in schema.get("properties", {}).items():
            if name in FIELD_DOCS and "description" not in prop:
                prop["description"] = FIELD_DOCS[name]
    for operations in document["paths"].values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if not parameter.get("description") and parameter["name"] in FIELD_DOCS:
                    parameter["description"] = FIELD_DOCS[parameter["name"]]


@functools.cache
def _generate() -> str:
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title=TITLE,
        version=VERSION,
        openapi_version="3.1.0",
        plugins=[plugin],
        info={"description": DESCRIPTION},
    )
    plugin.converter.add_attribute_function(_data_center_enum)  # type: ignore[union-attr]
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.schema("Error", {**ERROR_SCHEMA, "example": _error()})
    for route in api_routes():
        spec.path(path=route.path, operations={route.method.lower(): _operation(route)})
    document = spec.to_dict()
    _describe_fields(document)
    _require_some_field(document)
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def generate() -> dict[str, Any]:
    """The document as data (a fresh copy each call)."""
    loaded: dict[str, Any] = json.loads(_generate())
    return loaded


def generate_text() -> str:
    """The document as the site serves it at /openapi.json (stable key order)."""
    return _generate()


if __name__ == "__main__":
    print(generate_text(), end="")
