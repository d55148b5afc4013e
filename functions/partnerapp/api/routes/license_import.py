"""`/web/licenses/import`: the signed-in partner's CSV import. A multipart upload (or the CSV
re-posted by the dry run's "Create" button) is checked or created row by row within the
request; the file is never stored. `/web/licenses/import/results` answers the results CSV
the page computed (signed, so it can only be a download of this partner's own results)."""

from __future__ import annotations

import hmac

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.router import APIGatewayHttpRouter

from partnerapp.api import browser
from partnerapp.api.dependencies import dependencies
from partnerapp.api.errors import ApiError
from partnerapp.api.requests import form_fields, media_type, raw_body
from partnerapp.domain.partners import Partner
from partnerapp.web import license_import as view

router = APIGatewayHttpRouter()
logger = Logger(child=True)

# 200 rows with a few invited users each, urlencoded when the dry run posts them back.
MAX_IMPORT_BYTES = 512 * 1024
SIGN_IN_REASON = "Importing licenses acts for your partner account: sign in first."


def _partner_or_page() -> Partner | Response[str]:
    from partnerapp.web import pages

    partner = browser.signed_in_partner(router.current_event)
    if partner is None:
        return browser.html(
            401,
            pages.sign_in_first_page(
                "Sign in to import licenses", SIGN_IN_REASON, browser.here(router.current_event)
            ),
        )
    return partner


@router.get(view.PAGE)
def import_form() -> Response[str]:
    partner = _partner_or_page()
    if not isinstance(partner, Partner):
        return partner
    return browser.html(200, view.import_page(partner))


def _fields() -> dict[str, str]:
    from partnerapp.web.uploads import BadUpload, form_parts

    event = router.current_event
    data = raw_body(event, limit=MAX_IMPORT_BYTES)
    kind = media_type(event)
    try:
        if kind == "multipart/form-data":
            return form_parts(event.headers.get("content-type", ""), data)
        if kind == browser.FORM:
            return dict(form_fields(data))  # a repeated field is a 400, as on every form
    except (BadUpload, UnicodeDecodeError, ValueError) as error:
        raise ApiError(400, "validation", str(error) or "The form is malformed.") from None
    raise ApiError(415, "unsupported_media_type", "Upload the file with the page's form.")


@router.post(view.PAGE)
def import_rows() -> Response[str]:
    from partnerapp.schemas import license_rows

    browser.require_same_origin(router.current_event)
    partner = _partner_or_page()
    if not isinstance(partner, Partner):
        return partner
    fields = _fields()
    create = fields.get("action") == "create"
    # The upload, or the same file posted back by the dry run's button (base64: a hidden
    # field's line breaks are not kept as they were by every browser).
    text = fields["file"] if "file" in fields else view.unpack(fields.get("csv", ""))
    if text is None:
        return browser.html(
            400, view.import_page(partner, problem="The form lost the file: upload it again.")
        )
    try:
        rows = license_rows.read_rows(text)
    except license_rows.CsvFormatError as error:
        return browser.html(400, view.import_page(partner, problem=str(error)))
    if not rows:
        return browser.html(400, view.import_page(partner, problem="The file has a header but no rows."))
    if len(rows) > view.MAX_ROWS:
        problem = (
            f"The file has {len(rows)} rows; up to {view.MAX_ROWS} are imported at once here. Split "
            "it, or import it with partnerapp-client import-licenses."
        )
        return browser.html(413, view.import_page(partner, problem=problem))
    deps = dependencies()
    run = view.ImportRun(partner, deps.creator, create=create)
    outcomes = run.outcomes(rows)
    # Counts only: never the customers' names or emails.
    logger.info(
        "license import", extra={"partner_id": partner.partner_id, "rows": len(rows), "create": create}
    )
    results = license_rows.results_csv(outcomes)
    signature = view.results_signature(deps.settings.keyed_hash_secret, partner.partner_id, results)
    page = view.import_page(partner, csv_text=text, outcomes=outcomes, created=create, signature=signature)
    return browser.html(200, page)


@router.post(view.RESULTS)
def import_results() -> Response[str]:
    browser.require_same_origin(router.current_event)
    partner = _partner_or_page()
    if not isinstance(partner, Partner):
        return partner
    fields = _fields()
    results, signature = view.unpack(fields.get("results", "")) or "", fields.get("signature", "")
    expected = view.results_signature(dependencies().settings.keyed_hash_secret, partner.partner_id, results)
    if not results or not hmac.compare_digest(signature, expected):
        raise ApiError(400, "validation", "These results were not made by this page: import the file again.")
    return Response(
        status_code=200,
        content_type="text/csv; charset=utf-8",
        body=results,
        headers={"Content-Disposition": 'attachment; filename="import-results.csv"'},
    )
