"""`partnerapp-client import-licenses FILE.csv`: create licenses from a CSV file, one per row.

Talks to the partner API at PARTNERAPP_API_URL with the token in PARTNERAPP_TOKEN. Exit code
0 when every row was created or already existed (with --dry-run: would be created or already
exists), 1 otherwise (a row refused or failed, the file unreadable, the run interrupted)."""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from pathlib import Path

from partnerapp.schemas import license_rows
from partnerapp.schemas.license_rows import CsvFormatError, Outcome, Row
from partnerapp_client.http import PartnerApi, TokenRefused
from partnerapp_client.importer import DEFAULT_CONCURRENCY, Importer, Interrupted
from partnerapp_client.progress import ImportProgress

MAX_CONCURRENCY = 32


def _concurrency(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if not 1 <= value <= MAX_CONCURRENCY:
        raise argparse.ArgumentTypeError(f"must be a whole number from 1 to {MAX_CONCURRENCY}")
    return value


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="partnerapp-client", description="The Partner API from your terminal.")
    commands = top.add_subparsers(dest="command", required=True)
    command = commands.add_parser(
        "import-licenses",
        help="create a license per row of a CSV file",
        description="Create a license per row of FILE (CSV with a header row). Running the same "
        "file again creates nothing twice and finishes the rest.",
    )
    command.add_argument("file", type=Path, help="the CSV file")
    command.add_argument("--dry-run", action="store_true", help="check every row; create and send nothing")
    command.add_argument("--out", type=Path, help="write every row with its license, status and error here")
    command.add_argument(
        "--concurrency", type=_concurrency, default=DEFAULT_CONCURRENCY, help="rows sent at once (default 4)"
    )
    command.add_argument("--quiet", action="store_true", help="no progress bar and no summary")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    token, url = os.environ.get("PARTNERAPP_TOKEN", ""), os.environ.get("PARTNERAPP_API_URL", "")
    if not token or not url:
        return _fail("Set PARTNERAPP_TOKEN (your API token) and PARTNERAPP_API_URL (the API's address).")
    try:
        content = args.file.read_bytes()
        rows = license_rows.read_rows(content.decode("utf-8"))
    except OSError as error:
        return _fail(f"Cannot read {args.file}: {error.strerror}.")
    except UnicodeDecodeError:
        return _fail(f"{args.file} is not UTF-8 text: save it as CSV UTF-8.")
    except CsvFormatError as error:
        return _fail(f"{args.file}: {error}")
    importer = Importer(PartnerApi(url, token), content, dry_run=args.dry_run, concurrency=args.concurrency)
    return _run(importer, rows, args)


def _run(importer: Importer, rows: list[Row], args: argparse.Namespace) -> int:
    interrupted = False
    with ImportProgress(len(rows), dry_run=args.dry_run, quiet=args.quiet) as progress:
        try:
            outcomes = importer.run(rows, progress.row_done)
        except Interrupted as stopped:
            interrupted, outcomes = True, stopped.outcomes
        except TokenRefused as error:
            return _fail(str(error))
    outcomes = _with_rows_not_run(rows, outcomes)
    if args.out:
        args.out.write_text(license_rows.results_csv(outcomes), encoding="utf-8", newline="")
    if not args.quiet:
        _report(outcomes, interrupted)
    return 0 if not interrupted and all(o.succeeded for o in outcomes) else 1


def _with_rows_not_run(rows: list[Row], outcomes: list[Outcome]) -> list[Outcome]:
    seen = {o.row.number for o in outcomes}
    return outcomes + [Outcome(row, license_rows.NOT_RUN) for row in rows if row.number not in seen]


def _report(outcomes: list[Outcome], interrupted: bool) -> None:
    for outcome in sorted(outcomes, key=lambda o: o.row.number):
        for column, messages in outcome.errors.items():
            for message in messages:
                print(f"row {outcome.row.number}: {column}: {message}", file=sys.stderr)
    counts = Counter(o.status for o in outcomes)
    summary = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(counts.items()))
    print(f"{len(outcomes)} rows: {summary}.", file=sys.stderr)
    if interrupted:
        print("Interrupted: run the same command on the same file to finish.", file=sys.stderr)


def _fail(message: str) -> int:
    print(f"partnerapp-client: {message}", file=sys.stderr)
    return 1


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
