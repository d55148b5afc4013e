"""The partner API's OpenAPI document, generated from the code (`python -m partnerapp_infra.openapi`).

- Paths and methods: the ApiFunction's HttpApi routes in template.yaml under /v2/ (the
  browser routes under /web/ are the help center's own, not part of the partner API).
- Request bodies, query strings and response bodies: the marshmallow schemas the routes load
  with and dump through, through apispec (`Doc.body`, `Doc.query`, `Doc.response`): one
  declaration of the wire format. An operation states its response schema, or that its answer
  has no body (`no_body`) or is not JSON (`media`); `missing_responses()` names any that
  does neither (tests/infra/test_openapi_document.py fails on one).
- Links: from each create to the operations on what it created (`CREATES`), so
  schemathesis' stateful phase acts on real objects.
- Prose (summaries, field descriptions) lives in `OPERATIONS` and `FIELD_DOCS` below: every
  route must have an entry, which the site's build tests check.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from marshmallow import Schema
from marshmallow import fields as ma_fields

from partnerapp import catalog
from partnerapp.api.idempotency import KEY_PATTERN, MAX_KEY_LENGTH
from partnerapp.schemas import (
    balance,
    billing,
    commission_metric,
    coupons,
    earnings,
    history,
    leads,
    licenses,
    management,
    organizations,
    partners,
    payouts,
    profile,
    webhooks,
    withdrawals,
)
from partnerapp.store import resend_limits
from partnerapp_infra import template
from partnerapp_infra.not_offered import NOT_OFFERED

API_PREFIX = "/v2/"
TITLE = "Partner API"
VERSION = "2"
DESCRIPTION = (
    "The Text (LiveChat) Partner API v2, as its public documentation describes it, for the methods "
    "this service offers: the same paths, field names, enumerations, timestamps (`YYYY-MM-DD "
    "HH:MM:SS`, UTC) and status codes, with bodies as JSON or URL-encoded forms. The README's "
    "compatibility table lists every documented method, whether it is served, the test that sends "
    "its documented example, and each deliberate difference; the Affiliate, Partner Directory and "
    "Leads methods answer 501 `not_supported`. Authenticate with `Authorization: Bearer <token>`. "
    "The POSTs that create or change a license, an organization or a webhook accept an "
    "`Idempotency-Key` header: a retry with the same key and body replays the first answer and "
    "changes nothing."
)


@dataclass(frozen=True)
class OtherSuccess:
    """A second success answer of one operation (e.g. a create's dry run: 200, not 201)."""

    status: int
    description: str
    response: type[Schema]


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
    # document states it from the same class.
    response: type[Schema] | None = None
    response_many: bool = False
    # The success answer has no payload (204, or a 201/202 with none).
    no_body: bool = False
    # The success answer is a file, not JSON (`text/csv`, `application/pdf`).
    media: str | None = None
    public: bool = False
    errors: tuple[int, ...] = field(default=(400, 401, 404))
    # Honours an Idempotency-Key (the route runs its change through api/idempotency.once).
    idempotent: bool = False
    also: tuple[OtherSuccess, ...] = ()


LICENSE = "/v2/partners/solutions/licenses/{product}/{license_id}"
WEBHOOK = "/v2/partners/webhooks/{webhook_id}"
OPERATIONS: dict[str, Doc] = {
    "GET /v2/partners/status": Doc("Liveness", response=partners.StatusSchema, public=True, errors=()),
    "HEAD /v2/partners/status": Doc(
        "Liveness, as the docs check it (`curl -I`)",
        success_description="The API is up.",
        no_body=True,
        public=True,
        errors=(),
    ),
    "GET /v2/partners": Doc("The signed-in partner's profile", response=profile.ProfileSchema, errors=(401,)),
    "PUT /v2/partners/profile": Doc(
        "Update the profile",
        "Every field is replaced; an opt-in left out keeps its value. send_reseller_weekly_summary, "
        "send_monthly_summary and send_notifications start or stop those emails; send_newsletter is "
        "kept and shown back, and no newsletter is sent from here.",
        body=profile.UpdateProfileSchema,
        success=204,
        success_description="Saved.",
        no_body=True,
        errors=(400, 401, 409, 413, 415),
    ),
    "GET /v2/partners/stats": Doc(
        "Your licenses by product: in trial, in trial with a card added, paid",
        "The Affiliate program is not part of this service: its numbers are always 0.",
        response=partners.StatsSchema,
        errors=(401,),
    ),
    "POST /v2/partners/tokens": Doc(
        "Create an API token",
        "The secret is in this response only; it is stored as a hash. A label already used by "
        "another of your tokens is a 409, and so is a 51st token: a partner holds at most 50.",
        body=partners.CreateTokenSchema,
        success=201,
        response=partners.TokenSchema,
        errors=(400, 401, 409),
    ),
    "GET /v2/partners/tokens": Doc(
        "List API tokens, newest first",
        "Secrets are stored only as hashes, so `token` holds a hint instead: the secret's first "
        "8 characters and `...`.",
        response=partners.TokenListSchema,
        errors=(401,),
    ),
    "DELETE /v2/partners/tokens/{token_id}": Doc(
        "Revoke an API token",
        "It stops working at once.",
        success=204,
        success_description="Revoked.",
        no_body=True,
    ),
    "POST /v2/partners/solutions/licenses": Doc(
        "Create a trial license",
        "Starts the trial and emails the customer an invitation; each invited operator gets one "
        "too. Operators are allowed only on partner-managed LiveChat licenses (403 otherwise); a "
        "second license of a product for the same client_email is a 409; a coupon_id adds that "
        "coupon's discount to the offer (403 if unknown, expired or not for the product). "
        "data_center: `dal`/`us-south1` or `fra`/`eu-west3`. With "
        "`dry_run=true` the "
        "same checks run (schema, catalog rules, an existing license for the email) and a 200 "
        "tells what would be created: nothing is stored or sent, and the Idempotency-Key is not used.",
        body=licenses.CreateLicenseSchema,
        query=licenses.CreateLicenseQuerySchema,
        success=201,
        response=licenses.CreatedLicenseSchema,
        errors=(400, 401, 403, 409, 413, 415, 422),
        idempotent=True,
        also=(OtherSuccess(200, "Dry run: what would be created; nothing was.", licenses.DryRunSchema),),
    ),
    "GET /v2/partners/solutions/licenses": Doc(
        "List licenses, newest first",
        "Across both data regions: every license created in the window. With `limit` (our "
        "addition) one page at a time, and `next_cursor`.",
        query=management.ListQuerySchema,
        response=licenses.LicenseListSchema,
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
        media="text/csv",
        errors=(400, 401),
    ),
    "GET /v2/partners/solutions/licenses/{status}": Doc(
        "List licenses of one status",
        query=management.StatusQuerySchema,
        response=licenses.StatusListSchema,
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
        errors=(401, 404),
    ),
    f"PUT {LICENSE}": Doc(
        "Change a license's details",
        success=204,
        success_description="Changed.",
        no_body=True,
        body=management.UpdateLicenseSchema,
    ),
    "PUT /v2/solutions/licenses/{product}/{license_id}": Doc(
        "Change a license's details (the path of the docs' own example)",
        "The same operation as PUT /v2/partners/solutions/licenses/{product}/{license_id}.",
        success=204,
        success_description="Changed.",
        no_body=True,
        body=management.UpdateLicenseSchema,
    ),
    f"POST {LICENSE}/operators": Doc(
        "Invite more operators",
        "Partner-managed LiveChat licenses only; answers a status code per operator (200 invited, "
        "400 refused).",
        body=management.OperatorBatchSchema,
        response=licenses.OperatorResultsSchema,
        errors=(400, 401, 403, 404),
        idempotent=True,
    ),
    f"POST {LICENSE}/operators/{{email}}/resend": Doc(
        "Send an invitation again",
        f"Each person's invitation can be resent {resend_limits.RESENDS_PER_PERSON_HOUR} times a clock "
        f"hour, and one license's invitations {resend_limits.RESENDS_PER_LICENSE_DAY} times a UTC day; past "
        "either the answer is 429 with `Retry-After` (until that hour or day ends) and no email is sent.",
        response=licenses.LicenseDetailsSchema,
        errors=(401, 403, 404),
        idempotent=True,
    ),
    f"POST {LICENSE}/offer": Doc(
        "Customize the offer",
        "An extra discount or a longer trial, on partner-managed licenses whose product allows it.",
        body=management.OfferSchema,
        response=licenses.LicenseDetailsSchema,
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
        no_body=True,
        errors=(400, 401, 403, 404, 409),
        idempotent=True,
    ),
    f"PUT {LICENSE}/subscription": Doc(
        "Change the subscription",
        "409 when the license has no active subscription.",
        body=management.SubscriptionChangeSchema,
        success=204,
        success_description="Changed.",
        no_body=True,
        errors=(400, 401, 403, 404, 409),
    ),
    f"DELETE {LICENSE}/subscription": Doc(
        "Close the subscription",
        "`expire` true: the license expires at once; false (default): at the end of the billing "
        "cycle. `password` must be the API token the request is authorized with (403 otherwise).",
        body=management.CloseSubscriptionSchema,
        success=204,
        success_description="Closed.",
        no_body=True,
        errors=(400, 401, 403, 404, 409),
    ),
    f"PUT {LICENSE}/billing": Doc(
        "Give a new payment method",
        "The token is not kept and nothing is charged: the license records a payment method on file.",
        body=management.BillingSchema,
        success=204,
        success_description="Recorded.",
        no_body=True,
        errors=(400, 401, 403, 404),
    ),
    "GET /v2/partners/solutions/licenses/{license_id}/invoices": Doc(
        "Invoices of a partner-managed subscription",
        "Newest first; amounts in dollars. A customer-managed license lists those issued while "
        "the partner managed it (none when it never was).",
        response=licenses.InvoiceListSchema,
        errors=(401, 404),
    ),
    "GET /v2/partners/solutions/licenses/{license_id}/invoices/{invoice_no}": Doc(
        "One invoice as a PDF",
        success_description="The invoice (application/pdf).",
        media="application/pdf",
        errors=(401, 404),
    ),
    f"POST {LICENSE}/transfer": Doc(
        "Hand the subscription over to the customer",
        "`new_owner` (one of the license's users) becomes its owner; the customer manages and pays "
        "the subscription from now on.",
        body=management.TransferSchema,
        response=licenses.TransferredLicenseSchema,
        errors=(400, 401, 403, 404, 409),
        idempotent=True,
    ),
    f"GET {LICENSE}/history": Doc(
        "What changed on a license, and who changed it",
        response=history.HistorySchema,
        errors=(401, 404),
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
    "POST /v2/partners/solutions/leads": Doc(
        "Submit a lead (the docs' Submit Lead)",
        "`accepts_requirements` must be true; `monetization_type` `flat_fee` or `rev_share`. The "
        "contact data is kept in the region `region` names: a European country code (or `EU`) in "
        "the EU, anything else in the USA. Its status starts `new`; an operator moves it.",
        body=leads.SubmitLeadSchema,
        success=201,
        response=leads.SubmittedLeadSchema,
        errors=(400, 401, 409, 413, 415, 422),
        idempotent=True,
    ),
    "GET /v2/partners/solutions/leads": Doc(
        "Your leads, newest first (the docs' Get Leads)", response=leads.LeadListSchema, errors=(401,)
    ),
    "GET /v2/partners/solutions/leads/{lead_id}": Doc(
        "A lead (the docs' Get Lead Details)",
        "Status `new`, `contacted`, `qualified`, `won` or `lost`; `fee_amount` is 0. Another "
        "partner's lead is a 404.",
        response=leads.LeadDetailsSchema,
        errors=(401, 404),
    ),
    "GET /v2/partners/solutions/leads/{lead_id}/history": Doc(
        "A lead's changes, oldest first (the docs' Get Lead History)",
        "`lead_was_created`, then one `lead_was_<status>` per status change.",
        response=leads.LeadHistorySchema,
        errors=(401, 404),
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
        errors=(400, 401, 403, 404, 409),
        idempotent=True,
    ),
    "GET /v2/partners/earnings": Doc(
        "Your earnings, in dollars",
        "Solution commission (20% of the recorded payments of customer-managed licenses) in total "
        "and over the last 30 days, and per product the `discount` saved on the invoices of "
        "partner-managed licenses. `balance`, `pending` and `withdrawals` are `available`, `pending` "
        "and `withdrawn` of GET /v2/partners/balance, read the same way; `blocked` is 0, and so is "
        "every Affiliate figure.",
        response=earnings.EarningsSchema,
        errors=(401,),
    ),
    "GET /v2/partners/reports/commission": Doc(
        "Commission by day, week or month",
        "One item per day, week (Monday to Sunday) or calendar month from the one holding "
        "`date_from` to the one holding `date_to`; each `total` (dollars) counts the commission "
        "earned inside the window. Filters combine with AND; `program: affiliate` is always 0 here.",
        query=earnings.CommissionQuerySchema,
        response=earnings.CommissionReportSchema,
        errors=(400, 401),
    ),
    "GET /v2/partners/earnings/by-month": Doc(
        "Your earnings by month and by license, in cents",
        "Commission and savings in integer cents for the period (the last 12 months by default; "
        "at most 60), as the help center's earnings page tabulates them.",
        query=earnings.EarningsQuerySchema,
        response=earnings.EarningsByMonthSchema,
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
        response=webhooks.CreatedWebhookSchema,
        errors=(400, 401, 403, 413, 415, 422),
        idempotent=True,
    ),
    "GET /v2/partners/webhooks": Doc(
        "List webhook endpoints", response=webhooks.WebhookListSchema, errors=(401,)
    ),
    f"DELETE {WEBHOOK}": Doc(
        "Delete a webhook endpoint",
        "Deliveries not made yet are cancelled.",
        success=204,
        success_description="Deleted.",
        no_body=True,
        errors=(401, 404),
    ),
    f"GET {WEBHOOK}/deliveries": Doc(
        "The endpoint's deliveries, newest first",
        "Status `pending`, `delivered`, `failed` (given up) or `cancelled`, with the attempts made.",
        response=webhooks.DeliveryListSchema,
        errors=(401, 404),
    ),
    f"POST {WEBHOOK}/test": Doc(
        "Send a test event",
        "Queues a `webhook.test` event to this endpoint, delivered like any other within a minute.",
        success=202,
        success_description="Queued.",
        response=webhooks.QueuedDeliverySchema,
        errors=(401, 404),
    ),
    "GET /v2/partners/billing": Doc(
        "Your payout details (the docs' Get Billing)",
        "Where withdrawals are paid. 404 until they are set with PUT.",
        response=payouts.PayoutSchema,
        errors=(401, 404),
    ),
    "PUT /v2/partners/billing": Doc(
        "Set your payout details (the docs' Update Billing)",
        "Replaces them whole: `type` `business` or `individual`, `country` an ISO 3166-1 alpha-2 "
        "code, `paypal` the PayPal login withdrawals are paid to; `zip_code`, `vat` and `state` "
        "are optional (left out: empty).",
        body=payouts.UpdatePayoutSchema,
        success=204,
        success_description="Saved.",
        no_body=True,
        errors=(400, 401, 413, 415),
    ),
    "GET /v2/partners/balance": Doc(
        "What you may withdraw (the docs' Get Balance)",
        "In dollars: a payment's commission is `pending` for 30 days after the payment, then "
        "`available`; `withdrawn` is what withdrawals took (requested or paid; a rejected one "
        "gives it back). `total` (every commission earned) is a string with two decimals, as the "
        "docs' example writes it.",
        response=balance.BalanceSchema,
        errors=(401,),
    ),
    "POST /v2/partners/withdrawals": Doc(
        "Ask to be paid everything available (the docs' Request Withdrawal)",
        "One withdrawal of the whole available balance, to the payout details' PayPal login, "
        "`pending` until paid or rejected by an operator (a rejected one is available again); "
        "an email at each step, sent at once. 403 below $50.00 available, 409 without payout details.",
        success=201,
        response=withdrawals.WithdrawalSchema,
        errors=(400, 401, 403, 409),
        idempotent=True,
    ),
    "GET /v2/partners/withdrawals": Doc(
        "Your withdrawals, newest first (the docs' Get Withdrawals)",
        query=withdrawals.WithdrawalsQuerySchema,
        response=withdrawals.WithdrawalListSchema,
        errors=(400, 401),
    ),
    "GET /v2/partners/coupons": Doc(
        "Your active coupons (the docs' Get Coupons)",
        "Coupons an operator made for you, not yet past their last day. Give one's `id` as "
        "`coupon_id` when creating a partner-managed license: its discount is added to the "
        "license's offer.",
        response=coupons.CouponListSchema,
        errors=(401,),
    ),
    "GET /v2/partners/metrics/commission": Doc(
        "Commission earned in a window (the docs' Get Commission Metric)",
        "In dollars. Without dates: the last 365 days. `product` and `program` default to `all`; "
        "the Affiliate program and HelpDesk earn nothing here (0).",
        query=commission_metric.CommissionMetricQuerySchema,
        response=commission_metric.CommissionMetricSchema,
        errors=(400, 401),
    ),
    "POST /v2/billing/events": Doc(
        "Report a billing event (for the billing system)",
        "Not for partners: authenticated by `Billing-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of "
        '"<t>.<body>" with the billing secret>`, within 5 minutes. `subscription.created` (data: '
        "`license`) converts the license to paid; `payment.succeeded` (data: `license`, `amount_cents`, "
        "`currency`) records a payment and the partner's commission. An event id is applied once; "
        "other event types are acknowledged and ignored.",
        body=billing.EnvelopeSchema,
        response=billing.BillingAnswerSchema,
        public=True,
        errors=(400, 401, 404, 409, 413, 415),
    ),
}

# Each create, and where the ids of what it created are: a path parameter -> a runtime
# expression, or the response fields that may hold it (the first the response schema has).
CREATES: dict[str, dict[str, str | tuple[str, ...]]] = {
    "POST /v2/partners/solutions/licenses": {
        "product": "$request.query.product",
        "license_id": ("license", "license_id"),
    },
    "POST /v2/partners/solutions/organizations/{organization_id}/licenses": {
        "product": "$request.query.product",
        "license_id": ("license", "license_id"),
    },
    "POST /v2/partners/solutions/organizations": {"organization_id": ("id", "organization_id")},
    "POST /v2/partners/webhooks": {"webhook_id": ("id",)},
    "POST /v2/partners/tokens": {"token_id": ("id",)},
}

FIELD_DOCS: dict[str, str] = {
    "client_name": "The customer: a company or a person.",
    "lead_id": "A lead's id (a number, as a string).",
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
    "dry_run": "`true`: run every check of the create (schema, rules, an existing license for the "
    "email) and answer 200 with what would be created; nothing is stored or sent, and the "
    "Idempotency-Key is not used.",
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
NOT_OFFERED_DESCRIPTION = (
    "Documented in the Text Partner API and not offered by this service (see the README's "
    "compatibility table): after authentication, a JSON 501 `not_supported`."
)
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


def _error() -> Any:
    from partnerapp.api.errors import error_response, validation

    answer = error_response(validation({"client_email": ["Not a valid email address."]}))
    return json.loads(str(answer.body))


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


def _body_content(body: type[Schema]) -> dict[str, Any]:
    """JSON always; a URL-encoded form too when every field is a single value (as the docs'
    curl examples send them; api/requests.py and schemas/wire.py read both)."""
    content: dict[str, Any] = {"application/json": {"schema": body}}
    if not any(
        isinstance(f, ma_fields.List | ma_fields.Nested | ma_fields.Dict) for f in body().fields.values()
    ):
        content["application/x-www-form-urlencoded"] = {"schema": body}
    return content


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
        "operationId": operation_id(route),
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
        operation["requestBody"] = {"required": True, "content": _body_content(doc.body)}
    operation["security"] = [] if doc.public else [{"bearer": []}]
    return operation


def missing_responses() -> list[str]:
    """The operations that state no success answer: no response schema, no `no_body`, no
    `media` (a test keeps this list empty)."""
    return [route_key(route) for route in api_routes() if not states_its_answer(doc_for(route))]


def states_its_answer(doc: Doc) -> bool:
    return doc.response is not None or doc.no_body or doc.media is not None


def _success(doc: Doc) -> dict[str, Any]:
    success: dict[str, Any] = {"description": doc.success_description}
    if doc.response is not None:
        schema: Any = {"type": "array", "items": doc.response} if doc.response_many else doc.response
        success["content"] = {"application/json": {"schema": schema}}
    elif doc.media is not None:
        success["content"] = {doc.media: {"schema": {"type": "string"}}}
    return success


def _responses(route: template.Route, doc: Doc) -> dict[str, Any]:
    responses: dict[str, Any] = {str(doc.success): _success(doc)}
    for other in doc.also:
        responses[str(other.status)] = {
            "description": other.description,
            "content": {"application/json": {"schema": other.response}},
        }
    for status in error_statuses(route, doc):
        responses[str(status)] = {
            "description": ERROR_DESCRIPTIONS[status],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        if status in (429, 503):
            responses[str(status)]["headers"] = RETRY_AFTER
    return responses


def not_offered() -> list[tuple[str, str, str]]:
    """The documented methods not offered, less any that a route serves by now."""
    served = {route_key(route) for route in api_routes()}
    return [entry for entry in NOT_OFFERED if f"{entry[0]} {entry[1]}" not in served]


def not_offered_operation_id(method: str, path: str) -> str:
    return re.sub(r"\W+", "_", f"{method} {path}").strip("_").lower()


def _not_offered_operation(method: str, path: str, name: str) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return {
        "operationId": not_offered_operation_id(method, path),
        "summary": f"{name} (not offered)",
        "description": NOT_OFFERED_DESCRIPTION,
        "parameters": [
            {"in": "path", "name": param, "required": True, "schema": {"type": "string"}}
            for param in re.findall(r"\{(\w+)\}", path)
        ],
        "responses": {
            "401": {"description": ERROR_DESCRIPTIONS[401], **error},
            "429": {"description": ERROR_DESCRIPTIONS[429], "headers": RETRY_AFTER, **error},
            "501": {"description": "Not offered by this service.", **error},
        },
        "security": [{"bearer": []}],
    }


def operation_id(route: template.Route) -> str:
    return re.sub(r"\W+", "_", f"{route.method} {route.path}").strip("_").lower()


def _response_fields(doc: Doc) -> set[str]:
    """The names a response schema puts on the wire (data_key where one is set)."""
    if doc.response is None:
        return set()
    return {f.data_key or name for name, f in doc.response().fields.items()}


def links(create: template.Route) -> dict[str, Any]:
    """OpenAPI links from a create's answer to every operation on what it created: those
    whose path parameters the create's request or answer all give (and its own id among them)."""
    sources = CREATES.get(route_key(create))
    if sources is None:
        return {}
    fields = _response_fields(doc_for(create))
    values: dict[str, str] = {}
    for name, source in sources.items():
        if isinstance(source, str):
            values[name] = source
        elif found := next((f for f in source if f in fields), None):
            values[name] = f"$response.body#/{found}"
    own_ids = {name for name, source in sources.items() if not isinstance(source, str)} & set(values)
    found_links: dict[str, Any] = {}
    for target in api_routes():
        wanted = set(re.findall(r"\{(\w+)\}", target.path))
        if target is create or not wanted & own_ids or not wanted <= set(values):
            continue
        found_links[operation_id(target)] = {
            "operationId": operation_id(target),
            "parameters": {name: values[name] for name in sorted(wanted)},
        }
    return found_links


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
        operation = _operation(route)
        if found := links(route):
            operation["responses"][str(doc_for(route).success)]["links"] = found
        spec.path(path=route.path, operations={route.method.lower(): operation})
    for method, path, name in not_offered():
        spec.path(path=path, operations={method.lower(): _not_offered_operation(method, path, name)})
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
