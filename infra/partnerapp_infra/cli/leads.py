"""`partnerapp leads ...`: an operator's side of the partners' leads.

partnerapp leads list --partner-id ID
partnerapp leads set-status --partner-id ID --lead-id N --status contacted|qualified|won|lost

A status moves new -> contacted -> qualified -> won, and any open lead may be lost; each
change is in the lead's history. Setting the status a lead has already is answered as done,
so a repeat is harmless.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from partnerapp.domain.leads import STATUSES

GROUPS = ("leads",)


def add_parsers(groups: Any) -> None:
    leads = groups.add_parser("leads", help="partners' leads").add_subparsers(dest="action", required=True)
    listing = leads.add_parser("list", help="a partner's leads, newest first (JSON)")
    listing.add_argument("--partner-id", required=True)
    status = leads.add_parser("set-status", help="move a lead along")
    status.add_argument("--partner-id", required=True)
    status.add_argument("--lead-id", required=True)
    status.add_argument("--status", required=True, choices=STATUSES[1:])


def run(args: argparse.Namespace) -> int:
    from partnerapp.domain.errors import DomainError
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.schemas.leads import dump_lead, dump_leads
    from partnerapp.services.leads import Leads
    from partnerapp.settings import get_settings

    service = Leads(get_settings())
    try:
        if args.action == "list":
            print(json.dumps(dump_leads(service.listed(args.partner_id))))
            return 0
        moved = service.decide(args.partner_id, args.lead_id, args.status, utc_now())
    except DomainError as error:
        print(f"partnerapp: {error.message}", file=sys.stderr)
        return 1
    print(json.dumps(dump_lead(moved)))
    return 0
