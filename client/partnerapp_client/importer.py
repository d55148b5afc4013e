"""One license per CSV row, through the API's create call (or its dry run), a few rows at a
time. What each answer means for the row is decided here; the rules are the API's."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from typing import Any

from partnerapp.schemas import license_rows
from partnerapp.schemas.license_rows import Outcome, Row
from partnerapp_client.http import PartnerApi, Reply, TokenRefused, Unreachable

DEFAULT_CONCURRENCY = 4


def license_id(body: Any) -> str:
    """The license id of a create's answer, whether the API sends it as a number or (the
    Text API's documented form) a string, at the top or under `result`."""
    if not isinstance(body, dict):
        return ""
    found = body.get("license")
    if isinstance(body.get("result"), dict):
        found = body["result"].get("license", found)
    if isinstance(found, dict):
        found = found.get("license")
    return "" if found is None else str(found)


def outcome_of(row: Row, reply: Reply, dry_run: bool) -> Outcome:
    if reply.status == 201:
        replayed = (reply.header("Idempotent-Replayed") or "").lower() == "true"
        status = license_rows.EXISTED if replayed else license_rows.CREATED
        return Outcome(row, status, license=license_id(reply.body))
    if reply.status == 200 and dry_run:
        return Outcome(row, license_rows.WOULD_CREATE)
    error = reply.body.get("error", {}) if isinstance(reply.body, dict) else {}
    if reply.status == 409 and reply.header("Retry-After") is None:
        # One license per email and product: it is there already (made earlier, by this file
        # or otherwise). Counted as done, not as an error.
        return Outcome(row, license_rows.EXISTED)
    errors = license_rows.column_errors(error.get("fields") or {})
    message = str(error.get("message") or f"HTTP {reply.status}")
    errors = errors or {license_rows.ROW_FIELD: [message]}
    status = license_rows.REFUSED if 400 <= reply.status < 500 else license_rows.FAILED
    return Outcome(row, status, errors=errors)


class Importer:
    def __init__(self, api: PartnerApi, content: bytes, *, dry_run: bool, concurrency: int) -> None:
        self._api = api
        self._content = content
        self._dry_run = dry_run
        self._concurrency = concurrency
        self.stop = threading.Event()  # set on Ctrl-C: rows not started are left for the next run

    def one(self, row: Row) -> Outcome:
        if self.stop.is_set():
            return Outcome(row, license_rows.NOT_RUN)
        product, body = license_rows.create_call(row)
        key = license_rows.import_key(self._content, row.number)
        try:
            reply = self._api.create_license(product, body, key, self._dry_run)
            return outcome_of(row, reply, self._dry_run)
        except Unreachable as error:
            return Outcome(row, license_rows.FAILED, errors={license_rows.ROW_FIELD: [str(error)]})
        except TokenRefused:
            raise  # no row can go through: the run stops
        except Exception as error:
            # One row's fault (an answer this client cannot read, say) never stops the others:
            # the row is failed with its reason, and running the file again retries it.
            reason = f"not imported: {type(error).__name__}: {error}"[:300]
            return Outcome(row, license_rows.FAILED, errors={license_rows.ROW_FIELD: [reason]})

    def run(self, rows: list[Row], done: Callable[[Outcome], None]) -> list[Outcome]:
        """Every row's outcome; `done` is called as each one finishes. A row repeating an
        earlier row's email and product is refused without a call. On Ctrl-C the rows in
        flight finish (their answers are kept), no other starts, and Interrupted is raised."""
        repeated = license_rows.in_file_duplicates(rows)
        outcomes: list[Outcome] = []
        for row in rows:
            if row.number in repeated:
                errors = license_rows.duplicate_errors(repeated[row.number])
                outcomes.append(Outcome(row, license_rows.REFUSED, errors=errors))
                done(outcomes[-1])
        collected: set[Future[Outcome]] = set()

        def collect(futures: list[Future[Outcome]]) -> None:
            for future in as_completed(futures):
                if future not in collected:
                    collected.add(future)
                    outcomes.append(future.result())
                    done(outcomes[-1])

        with ThreadPoolExecutor(max_workers=self._concurrency) as pool:
            futures = [pool.submit(self.one, row) for row in rows if row.number not in repeated]
            try:
                collect(futures)
            except KeyboardInterrupt:
                self.stop.set()
                collect(futures)
                raise Interrupted(outcomes) from None
            except BaseException:
                self.stop.set()  # e.g. the token refused: the other rows need not be tried
                raise
        return outcomes


class Interrupted(Exception):
    """Ctrl-C: the outcomes so far (rows not started are NOT_RUN)."""

    def __init__(self, outcomes: list[Outcome]) -> None:
        super().__init__("interrupted")
        self.outcomes = outcomes
