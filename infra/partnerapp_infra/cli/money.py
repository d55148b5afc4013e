"""`partnerapp withdrawals ...`: an operator's side of the partners' withdrawals.

partnerapp withdrawals list --partner-id ID
partnerapp withdrawals set-status --partner-id ID --withdrawal-id N --status paid|rejected

Setting a status is one transaction with the partner's email (sent by the next lifecycle
run); `rejected` gives the amount back to the partner's available balance. Setting a
withdrawal to the status it has already is answered as done, so a repeat is harmless.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

GROUPS = ("withdrawals",)


def add_parsers(groups: Any) -> None:
    from partnerapp.domain.withdrawals import DECIDED

    withdrawals = groups.add_parser("withdrawals", help="partners' withdrawals").add_subparsers(
        dest="action", required=True
    )
    listing = withdrawals.add_parser("list", help="a partner's withdrawals, newest first (JSON)")
    listing.add_argument("--partner-id", required=True)
    status = withdrawals.add_parser("set-status", help="pay or reject a pending withdrawal")
    status.add_argument("--partner-id", required=True)
    status.add_argument("--withdrawal-id", required=True, type=int)
    status.add_argument("--status", required=True, choices=DECIDED)


def run(args: argparse.Namespace) -> int:
    from partnerapp.domain.errors import DomainError
    from partnerapp.domain.timestamps import utc_now
    from partnerapp.schemas.withdrawals import dump_withdrawal
    from partnerapp.services.withdrawals import Withdrawals
    from partnerapp.settings import get_settings

    service = Withdrawals(get_settings(), utc_now)
    try:
        if args.action == "list":
            found = service.listed(args.partner_id, None, None)
            print(json.dumps({"result": [dump_withdrawal(w) for w in found]}))
            return 0
        decided = service.decide(args.partner_id, args.withdrawal_id, args.status)
    except DomainError as error:
        print(f"partnerapp: {error.message}", file=sys.stderr)
        return 1
    print(json.dumps(dump_withdrawal(decided)))
    return 0
