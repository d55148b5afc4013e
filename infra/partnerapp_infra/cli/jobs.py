"""`partnerapp lifecycle run`, `partnerapp webhooks run` and `partnerapp billing sign`: run a
scheduled job once (what its EventBridge schedule does), or sign a billing event by hand."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from typing import Any

GROUPS = ("lifecycle", "webhooks", "billing")


def add_parsers(groups: Any) -> None:
    lifecycle = groups.add_parser("lifecycle", help="trial reminders and ends, invoices").add_subparsers(
        dest="action", required=True
    )
    lifecycle.add_parser("run", help="run the lifecycle job once, now")
    webhooks = groups.add_parser("webhooks", help="webhook deliveries").add_subparsers(
        dest="action", required=True
    )
    webhooks.add_parser("run", help="hand new events on to endpoints and send what is due, once")
    billing = groups.add_parser("billing", help="the billing system's events").add_subparsers(
        dest="action", required=True
    )
    sign = billing.add_parser("sign", help="print the Billing-Signature header for a body (stdin)")
    sign.add_argument("--timestamp", type=int, help="unix time to sign with (default: now)")


def run(args: argparse.Namespace) -> int:
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.settings import get_settings

    settings = get_settings()
    now = utc_now()
    if args.group == "lifecycle":
        from partnerapp.services.lifecycle import run_lifecycle

        # What the job itself prints (its metrics as EMF lines, as on Lambda) goes to stderr:
        # stdout is the command's report alone, for scripts to read.
        with contextlib.redirect_stdout(sys.stderr):
            report = run_lifecycle(settings, now)
        print(json.dumps(report))
        return 0
    if args.group == "webhooks":
        from partnerapp.services.webhook_run import run_once

        # A poison event or delivery is retried, then given up: it is in the report, not an exit code
        with contextlib.redirect_stdout(sys.stderr):
            webhooks_report = run_once(settings, now)
        print(json.dumps(webhooks_report))
        return 0
    return _sign(settings.billing_events_secret, args.timestamp or int(now.timestamp()))


def _sign(secret: bytes | None, timestamp: int) -> int:
    from partnerapp import signing

    if secret is None:
        print("partnerapp: BILLING_EVENTS_SECRET_ID is not set", file=sys.stderr)
        return 2
    body = sys.stdin.buffer.read()
    print(signing.signature_header(secret, timestamp, body))
    return 0
