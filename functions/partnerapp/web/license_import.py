"""The site's CSV import (`/web/licenses/import`): each row checked (dry run) or created
through the API's own schema, catalog rules and `LicenseCreator`, within one request. The file
is never stored: each row's license goes straight to its region's table."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_lambda_powertools import Logger

from partnerapp import catalog
from partnerapp.domain.errors import Conflict, DomainError
from partnerapp.hashing import keyed_digest
from partnerapp.schemas import license_rows
from partnerapp.schemas.license_rows import Outcome, Row
from partnerapp.services import dead_letters
from partnerapp.web import pages

if TYPE_CHECKING:
    from partnerapp.domain.licenses import NewLicense
    from partnerapp.domain.partners import Partner
    from partnerapp.services.licensing import LicenseCreator

PAGE = "/web/licenses/import"
RESULTS = "/web/licenses/import/results"
# A file of the static site (site/samples/), every column filled in; tests/site/test_license_import.py
# checks its header is FIELD_COLUMNS and that each of its rows passes the dry run.
SAMPLE = "/assets/samples/licenses-sample.csv"
SAMPLE_ROWS = 3
logger = Logger(child=True)
MAX_ROWS = 200  # what one request creates well within the API's time limit
STATUS_TEXT = {
    license_rows.WOULD_CREATE: "Would be created",
    license_rows.CREATED: "Created",
    license_rows.EXISTED: "Already existed",
    license_rows.REFUSED: "Refused",
    license_rows.FAILED: "Failed: try again",
}


@dataclass(frozen=True)
class ImportRun:
    partner: Partner
    creator: LicenseCreator
    create: bool  # False: a dry run

    def outcomes(self, rows: list[Row]) -> list[Outcome]:
        repeated = license_rows.in_file_duplicates(rows)
        return [
            Outcome(row, license_rows.REFUSED, errors=license_rows.duplicate_errors(repeated[row.number]))
            if row.number in repeated
            else self.one(row)
            for row in rows
        ]

    def one(self, row: Row) -> Outcome:
        """The row's outcome; a row that raises is failed with the reason, and the import goes
        on (running the file again retries it: rows created meanwhile come back existed)."""
        try:
            return self._checked(row)
        except Exception as error:
            # The error's type only: its message may quote the row's customer.
            logger.error("import row failed", extra={"row": row.number, "error_type": type(error).__name__})
            dead_letters.count_dead_letter()
            return Outcome(row, license_rows.FAILED, errors={license_rows.ROW_FIELD: [row_failed(error)]})

    def _checked(self, row: Row) -> Outcome:
        from marshmallow import ValidationError

        from partnerapp.schemas.licenses import load_new_license

        product, body = license_rows.create_call(row)
        errors = (
            {}
            if catalog.product(product)
            else {"product": [f"Must be one of: {', '.join(catalog.PRODUCTS)}."]}
        )
        try:
            request = load_new_license(product, body)
        except ValidationError as error:
            errors.update(license_rows.column_errors(error.normalized_messages()))
        if errors:
            return Outcome(row, license_rows.REFUSED, errors=errors)
        try:
            return self._apply(row, request)
        except Conflict:
            existing = self.creator.existing(self.partner.partner_id, request.client_email, request.product)
            return Outcome(row, license_rows.EXISTED, license=str(existing or ""))
        except DomainError as refused:
            errors = license_rows.column_errors(refused.fields) or {license_rows.ROW_FIELD: [refused.message]}
            return Outcome(row, license_rows.REFUSED, errors=errors)

    def _apply(self, row: Row, request: NewLicense) -> Outcome:
        if not self.create:
            self.creator.check(self.partner.partner_id, request)
            return Outcome(row, license_rows.WOULD_CREATE)
        created = self.creator.create(self.partner, request)
        return Outcome(row, license_rows.CREATED, license=str(created.license_id))


def row_failed(error: Exception) -> str:
    return (
        f"Not imported: an error on our side ({type(error).__name__}). Import the file again; "
        "rows created already are counted as existing."
    )


def pack(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def unpack(value: str) -> str | None:
    try:
        return base64.b64decode(value, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return None


def results_signature(secret: bytes, partner_id: str, results: str) -> str:
    """The results CSV comes back to be downloaded (nothing is stored): signed, so the download
    answers only what this site computed for this partner."""
    return keyed_digest(secret, "license-import-results", partner_id, results)


@dataclass(frozen=True)
class RowView:
    number: int
    product: str
    client_email: str
    client_name: str
    status: str
    status_text: str
    license: str
    url: str
    errors: list[tuple[str, str]]


def _view(outcome: Outcome) -> RowView:
    cells = outcome.row.cells
    product = cells.get("product", "")
    url = f"/web/licenses/{product}/{outcome.license}" if outcome.license and catalog.product(product) else ""
    return RowView(
        number=outcome.row.number,
        product=product,
        client_email=cells.get("client_email", ""),
        client_name=cells.get("client_name", ""),
        status=outcome.status,
        status_text=STATUS_TEXT.get(outcome.status, outcome.status),
        license=outcome.license,
        url=url,
        errors=[(column, text) for column, texts in outcome.errors.items() for text in texts],
    )


def import_page(
    partner: Partner,
    *,
    problem: str = "",
    csv_text: str = "",
    outcomes: list[Outcome] | None = None,
    created: bool = False,
    signature: str = "",
) -> str:
    outcomes = outcomes or []
    views = [_view(o) for o in outcomes]
    counts = {status: sum(1 for v in views if v.status == status) for status in STATUS_TEXT}
    return (
        pages.environment()
        .get_template("license_import.html.j2")
        .render(
            title="Import licenses from a CSV file",
            description="Create many licenses at once from a spreadsheet: check every row, then create.",
            current=PAGE,
            partner=partner,
            problem=problem,
            csv_text=pack(csv_text),
            rows=views,
            counts=counts,
            status_text=STATUS_TEXT,
            checked=bool(outcomes) and not created,
            created=created,
            creatable=counts[license_rows.WOULD_CREATE],
            results=pack(license_rows.results_csv(outcomes)) if outcomes else "",
            signature=signature,
            max_rows=MAX_ROWS,
            columns=license_rows.FIELD_COLUMNS,
            required=license_rows.REQUIRED_COLUMNS,
            separator=license_rows.LIST_SEPARATOR,
            page=PAGE,
            results_url=RESULTS,
            sample=SAMPLE,
            sample_rows=SAMPLE_ROWS,
        )
    )
