"""Licenses as rows of a CSV file: the bulk-creation format that the partner's command-line
client (`partnerapp-client import-licenses`) and the site's import page both read and write.

Pure standard library (no marshmallow): the client imports it without the API's dependencies.
A row is turned into the documented create call's body; the API's own schema and rules judge
it, so the file format adds no rule of its own beyond its shape:

- the first row is the header, with the create fields' names (`product` plus the body's
  fields); operators are two columns, `operator_emails` and `operator_roles`, each a list
  separated by `;` (the n-th email gets the n-th role);
- an empty cell leaves the field out (the API applies its default);
- the results columns (`license`, `status`, `error_field`, `error_message`) are accepted and
  ignored on input, so a results file can be fixed and fed back as it is.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

FIELD_COLUMNS: tuple[str, ...] = (
    "product",
    "client_name",
    "client_email",
    "payment_origin",
    "data_center",
    "trial_duration",
    "identifier",
    "purchase_order",
    "organization_name",
    "operator_emails",
    "operator_roles",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("product", "client_name", "client_email", "payment_origin")
RESULT_COLUMNS: tuple[str, ...] = ("license", "status", "error_field", "error_message")
LIST_SEPARATOR = ";"
ROW_FIELD = "row"  # an error about the row as a whole, not one of its cells

# What happened to a row. A dry run answers WOULD_CREATE where a real run answers CREATED.
CREATED = "created"
WOULD_CREATE = "would_create"
EXISTED = "existed"  # a license of the product for that email was already there: not an error
REFUSED = "refused"  # the row breaks a rule: fix it and feed it back
FAILED = "failed"  # the service could not answer (after retries): run the file again
NOT_RUN = "not_run"  # the run was stopped before this row
SUCCESSFUL = frozenset({CREATED, WOULD_CREATE, EXISTED})

_INTEGER = re.compile(r"^[+-]?[0-9]+$")


class CsvFormatError(ValueError):
    """The file cannot be read as license rows at all (nothing was sent or stored)."""


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet shows it: the header is row 1
    cells: dict[str, str]


@dataclass
class Outcome:
    row: Row
    status: str
    license: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def succeeded(self) -> bool:
        return self.status in SUCCESSFUL


def read_rows(text: str) -> list[Row]:
    """The data rows of a CSV text; raises CsvFormatError naming what is wrong with the header."""
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        raise CsvFormatError("The file is empty: the first row must be the header, naming the columns.")
    header = [name.strip() for name in records[0]]
    _check_header(header)
    rows = []
    for index, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # a blank line is no row
        if len(record) > len(header):
            raise CsvFormatError(f"Row {index} has {len(record)} cells but the header names {len(header)}.")
        cells = {name: _read_cell(value) for name, value in zip(header, record, strict=False)}
        rows.append(Row(index, {name: cells.get(name, "") for name in FIELD_COLUMNS if name in header}))
    return rows


def _check_header(header: list[str]) -> None:
    known = set(FIELD_COLUMNS) | set(RESULT_COLUMNS)
    unknown = [name for name in header if name not in known]
    if unknown:
        raise CsvFormatError(
            f"Unknown column(s) {', '.join(repr(n) for n in unknown)} in the first row, which must be "
            f"the header. Columns: {', '.join(FIELD_COLUMNS)}."
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise CsvFormatError(f"Column(s) {', '.join(repeated)} appear more than once in the header.")
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise CsvFormatError(f"The header lacks the required column(s) {', '.join(missing)}.")


def create_call(row: Row) -> tuple[str, dict[str, Any]]:
    """The product (the create call's query) and the JSON body a row stands for."""
    cells = row.cells
    body: dict[str, Any] = {}
    for name in FIELD_COLUMNS[1:-2]:
        value = cells.get(name, "")
        if value:
            # A whole number is sent as one; anything else as typed, for the API to name.
            body[name] = int(value) if name == "trial_duration" and _INTEGER.match(value) else value
    operators = _operators(cells.get("operator_emails", ""), cells.get("operator_roles", ""))
    if operators:
        body["operators"] = operators
    return cells.get("product", ""), body


def _operators(emails: str, roles: str) -> list[dict[str, str]]:
    def split(cell: str) -> list[str]:
        return [part.strip() for part in cell.split(LIST_SEPARATOR)] if cell.strip() else []

    operators = []
    for email, role in zip_longest(split(emails), split(roles)):
        # A missing email or role is left out, so the API names it for that operator.
        operators.append({k: v for k, v in (("email", email), ("role", role)) if v})
    return operators


def client_key(row: Row) -> tuple[str, str]:
    """What makes two rows the same license: the email as the API compares it, and the product."""
    return row.cells.get("client_email", "").strip().lower(), row.cells.get("product", "").strip()


def in_file_duplicates(rows: Iterable[Row]) -> dict[int, int]:
    """Each row repeating an earlier row's (client_email, product): its number -> the earlier one."""
    first: dict[tuple[str, str], int] = {}
    repeated: dict[int, int] = {}
    for row in rows:
        key = client_key(row)
        if not key[0]:
            continue
        if key in first:
            repeated[row.number] = first[key]
        else:
            first[key] = row.number
    return repeated


def duplicate_errors(earlier_row: int) -> dict[str, list[str]]:
    return {
        "client_email": [f"Also in row {earlier_row} of this file: one license per client_email and product."]
    }


def column_errors(fields: Mapping[str, Any]) -> dict[str, list[str]]:
    """The API's `fields` of an error, by the file's column names."""
    named: dict[str, list[str]] = {}
    for name, messages in fields.items():
        if name == "operators" and isinstance(messages, Mapping):
            for index, per_field in messages.items():
                for part, texts in _as_mapping(per_field).items():
                    column = {"email": "operator_emails", "role": "operator_roles"}.get(
                        part, "operator_emails"
                    )
                    prefix = f"operator {int(index) + 1}: " if str(index).isdigit() else ""
                    named.setdefault(column, []).extend(prefix + text for text in _texts(texts))
            continue
        column = name if name in FIELD_COLUMNS else ROW_FIELD
        if name == "operators":
            column = "operator_emails"
        named.setdefault(column, []).extend(_texts(messages))
    return named


def _as_mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {"_schema": value}


def _texts(value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [text for inner in value.values() for text in _texts(inner)]
    if isinstance(value, list | tuple):
        return [text for inner in value for text in _texts(inner)]
    return [str(value)]


def import_key(content: bytes, row_number: int) -> str:
    """The row's Idempotency-Key: the same file's same row always gets the same key, so running
    the file again replays what was created instead of creating it twice."""
    return f"csv-{hashlib.sha256(content).hexdigest()[:40]}-row-{row_number}"


def results_csv(outcomes: Iterable[Outcome]) -> str:
    """Every input row with its license, status and errors: the file to fix and feed back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([*FIELD_COLUMNS, *RESULT_COLUMNS])
    for outcome in sorted(outcomes, key=lambda o: o.row.number):
        cells = [_safe_cell(outcome.row.cells.get(name, "")) for name in FIELD_COLUMNS]
        fields = list(outcome.errors)
        messages = [f"{name}: {text}" for name in fields for text in outcome.errors[name]]
        writer.writerow(
            [*cells, outcome.license, outcome.status, LIST_SEPARATOR.join(fields), " | ".join(messages)]
        )
    return out.getvalue()


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    # A cell a spreadsheet would run as a formula is kept as text (CSV injection), as in the
    # licenses CSV; reading a results file back takes the quote off again (`_read_cell`).
    return "'" + value if value[:1] in _FORMULA_STARTS else value


def _read_cell(value: str) -> str:
    value = value.strip()
    return value[1:] if value[:1] == "'" and value[1:2] in _FORMULA_STARTS else value
