"""`partnerapp-client import-licenses FILE.csv`: create licenses from a CSV file, one per row.

Talks to the partner API at PARTNERAPP_API_URL with the token in PARTNERAPP_TOKEN (the
environment only: a token on the command line would show in the process list). Exit code 0
when every row was created or already existed (with --dry-run: would be created or already
exists), 1 otherwise (a row refused or failed, the file unreadable, the run interrupted), 2
for a command line click refuses (an unknown option, --concurrency out of range)."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

import click

from partnerapp.schemas import license_rows
from partnerapp.schemas.license_rows import CsvFormatError, Outcome, Row
from partnerapp_client.http import PartnerApi, TokenRefused
from partnerapp_client.importer import DEFAULT_CONCURRENCY, Importer, Interrupted
from partnerapp_client.progress import ImportProgress

MAX_CONCURRENCY = 32
PROG = "partnerapp-client"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """The Partner API from your terminal."""


@cli.command("import-licenses")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check every row; create and send nothing.")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write every row with its result here."
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, MAX_CONCURRENCY),
    default=DEFAULT_CONCURRENCY,
    show_default=True,
    help="Rows sent at once.",
)
@click.option("--quiet", is_flag=True, help="No progress bar and no summary.")
def import_licenses(file: Path, dry_run: bool, out: Path | None, concurrency: int, quiet: bool) -> None:
    """Create a license per row of FILE (CSV with a header row). Running the same file again
    creates nothing twice and finishes the rest."""
    # The file is checked here, not by click.Path(exists=True): an unreadable file is exit 1
    # with our message, as scripts written against the first client expect.
    sys.exit(_import(file, dry_run=dry_run, out=out, concurrency=concurrency, quiet=quiet))


def _import(file: Path, *, dry_run: bool, out: Path | None, concurrency: int, quiet: bool) -> int:
    token, url = os.environ.get("PARTNERAPP_TOKEN", ""), os.environ.get("PARTNERAPP_API_URL", "")
    if not token or not url:
        return _fail("Set PARTNERAPP_TOKEN (your API token) and PARTNERAPP_API_URL (the API's address).")
    try:
        content = file.read_bytes()
        rows = license_rows.read_rows(content.decode("utf-8"))
    except OSError as error:
        return _fail(f"Cannot read {file}: {error.strerror}.")
    except UnicodeDecodeError:
        return _fail(f"{file} is not UTF-8 text: save it as CSV UTF-8.")
    except CsvFormatError as error:
        return _fail(f"{file}: {error}")
    importer = Importer(PartnerApi(url, token), content, dry_run=dry_run, concurrency=concurrency)
    return _run(importer, rows, dry_run=dry_run, out=out, quiet=quiet)


def _run(importer: Importer, rows: list[Row], *, dry_run: bool, out: Path | None, quiet: bool) -> int:
    interrupted = False
    with ImportProgress(len(rows), dry_run=dry_run, quiet=quiet) as progress:
        try:
            outcomes = importer.run(rows, progress.row_done)
        except Interrupted as stopped:
            interrupted, outcomes = True, stopped.outcomes
        except TokenRefused as error:
            return _fail(str(error))
    outcomes = _with_rows_not_run(rows, outcomes)
    if out:
        out.write_text(license_rows.results_csv(outcomes), encoding="utf-8", newline="")
    if not quiet:
        _report(outcomes, interrupted)
    return 0 if not interrupted and all(o.succeeded for o in outcomes) else 1


def _with_rows_not_run(rows: list[Row], outcomes: list[Outcome]) -> list[Outcome]:
    seen = {o.row.number for o in outcomes}
    return outcomes + [Outcome(row, license_rows.NOT_RUN) for row in rows if row.number not in seen]


def _report(outcomes: list[Outcome], interrupted: bool) -> None:
    for outcome in sorted(outcomes, key=lambda o: o.row.number):
        for column, messages in outcome.errors.items():
            for message in messages:
                click.echo(f"row {outcome.row.number}: {column}: {message}", err=True)
    counts = Counter(o.status for o in outcomes)
    summary = ", ".join(f"{n} {status.replace('_', ' ')}" for status, n in sorted(counts.items()))
    click.echo(f"{len(outcomes)} rows: {summary}.", err=True)
    if interrupted:
        click.echo("Interrupted: run the same command on the same file to finish.", err=True)


def _fail(message: str) -> int:
    click.echo(f"{PROG}: {message}", err=True)
    return 1


def run() -> None:
    cli(prog_name=PROG)


if __name__ == "__main__":
    run()
