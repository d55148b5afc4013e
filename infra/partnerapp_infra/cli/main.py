"""`partnerapp`: the admin command line. Talks to AWS, or to AWS_ENDPOINT_URL when set.

partnerapp partners create --name NAME --email EMAIL
partnerapp tokens create --partner-id ID [--label LABEL]
partnerapp lifecycle run            (the lifecycle job once: reminders, expiries, invoices)
partnerapp webhooks run             (hand events on to webhooks and send what is due, once)
partnerapp billing sign < body.json (the Billing-Signature header for a billing event)
partnerapp feedback report          ("Was this article helpful?" per article, with comments)
partnerapp aggregates verify|rebuild --partner-id ID   (the kept license counts)
partnerapp withdrawals list|set-status ...             (partners' withdrawals: cli_money)
partnerapp coupons create|list ...                     (partners' coupons: cli_coupons)
partnerapp leads list|set-status ...                   (partners' leads: cli_leads)
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence

from marshmallow import ValidationError

from partnerapp.domain.errors import Conflict
from partnerapp.domain.timestamps import to_wire, utc_now
from partnerapp.schemas.partners import NewPartnerSchema
from partnerapp.settings import SettingsError, get_settings
from partnerapp.store.partners import PartnerRepository
from partnerapp_infra.cli import aggregates as cli_aggregates
from partnerapp_infra.cli import coupons as cli_coupons
from partnerapp_infra.cli import feedback as cli_feedback
from partnerapp_infra.cli import jobs as cli_jobs
from partnerapp_infra.cli import leads as cli_leads
from partnerapp_infra.cli import money as cli_money


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="partnerapp", description="Partner App administration")
    groups = parser.add_subparsers(dest="group", required=True)
    partners = groups.add_parser("partners", help="partner accounts").add_subparsers(
        dest="action", required=True
    )
    create = partners.add_parser("create", help="create a partner and its first API token")
    create.add_argument("--name", required=True, help="contact name")
    create.add_argument("--email", required=True, help="login and contact email")
    tokens = groups.add_parser("tokens", help="API tokens").add_subparsers(dest="action", required=True)
    issue = tokens.add_parser("create", help="issue another API token for a partner")
    issue.add_argument("--partner-id", required=True)
    issue.add_argument("--label", help="unique among the partner's tokens (default: cli and the time)")
    cli_jobs.add_parsers(groups)
    cli_feedback.add_parsers(groups)
    cli_aggregates.add_parsers(groups)
    cli_money.add_parsers(groups)
    cli_coupons.add_parsers(groups)
    cli_leads.add_parsers(groups)
    return parser


def _configure_local_defaults() -> None:
    """Against the local emulator, use the dev server's table names and regions."""
    if os.environ.get("AWS_ENDPOINT_URL") and "PARTNERS_TABLE" not in os.environ:
        from partnerapp_infra.local import emulator as local_stack

        for name, value in local_stack.fake_credentials().items():
            os.environ.setdefault(name, value)
        for name, value in local_stack.local_environment(site_url="http://127.0.0.1:8000").items():
            os.environ.setdefault(name, value)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    _configure_local_defaults()
    jobs = cli_jobs.GROUPS + cli_feedback.GROUPS + cli_aggregates.GROUPS
    if args.group in jobs + cli_money.GROUPS + cli_coupons.GROUPS + cli_leads.GROUPS:
        try:
            if args.group in cli_leads.GROUPS:
                return cli_leads.run(args)
            if args.group in cli_coupons.GROUPS:
                return cli_coupons.run(args)
            if args.group in cli_money.GROUPS:
                return cli_money.run(args)
            if args.group in cli_aggregates.GROUPS:
                return cli_aggregates.run(args)
            if args.group in cli_feedback.GROUPS:
                return cli_feedback.run(args)
            return cli_jobs.run(args)
        except SettingsError as error:
            print(f"partnerapp: {error}", file=sys.stderr)
            return 2
    try:
        partners = PartnerRepository(get_settings())
    except SettingsError as error:
        print(f"partnerapp: {error}", file=sys.stderr)
        return 2
    now = utc_now()
    if args.group == "partners":
        try:
            new = NewPartnerSchema().load({"name": args.name, "email": args.email})
        except ValidationError as error:
            for field, messages in error.normalized_messages().items():
                print(f"partnerapp: --{field}: {' '.join(messages)}", file=sys.stderr)
            return 2
        try:
            partner = partners.create(new["email"], new["name"], now)
        except Conflict as error:
            print(f"partnerapp: {error.message}", file=sys.stderr)
            return 1
        _, token = partners.issue_token(partner, "cli", now)
        print(json.dumps({"partner_id": partner.partner_id, "token": token}))
        return 0
    holder = partners.get(args.partner_id)
    if holder is None:
        print("partnerapp: no such partner", file=sys.stderr)
        return 1
    try:
        issued, token = partners.issue_token(holder, args.label or f"cli {to_wire(now)}", now)
    except Conflict as error:
        print(f"partnerapp: {error.message}", file=sys.stderr)
        return 1
    print(json.dumps({"partner_id": args.partner_id, "id": int(issued.token_id), "token": token}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
