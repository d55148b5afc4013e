"""`partnerapp aggregates verify|rebuild --partner-id ID [--partner-id ID ...]`: the kept
counts checked against, or rebuilt from, the partners' licenses (partnerapp_infra.cli.recount),
and the kept commission total from their commission records (commission_aggregates).
The report is JSON on stdout; verify exits 1 naming every difference, rebuild exits 1 when a
region could not be written (its counts changed while it recounted: run it again)."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

GROUPS = ("aggregates",)


def add_parsers(groups: Any) -> None:
    kept = "the kept license counts and commission total"
    aggregates = groups.add_parser("aggregates", help=kept).add_subparsers(dest="action", required=True)
    for action, text in (
        ("verify", "recount the partners' licenses and commission; compare with what is kept"),
        ("rebuild", "write the kept counts and commission total from the licenses and payments"),
    ):
        command = aggregates.add_parser(action, help=text)
        command.add_argument("--partner-id", action="append", required=True, dest="partner_ids")
        if action == "rebuild":
            command.add_argument("--state", type=Path, help="notes what is done; run again to resume")


def run(args: argparse.Namespace) -> int:
    from partnerapp.settings import get_settings
    from partnerapp_infra.cli import recount as aggregates

    settings = get_settings()
    if args.action == "verify":
        report = aggregates.verify(settings, args.partner_ids)
    else:
        report = aggregates.rebuild(settings, args.partner_ids, args.state)
    print(json.dumps(asdict(report), indent=1))
    return 1 if report.differences else 0
