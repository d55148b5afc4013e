"""The site's CSV import (`/web/licenses/import`) through the handlers, as a browser posts it:
the upload's dry run row by row, the create, the results download, and what is refused."""

from __future__ import annotations

import base64
import csv
import io
import re
from typing import Any
from urllib.parse import urlencode

from tests.conftest import LICENSES, ApiClient, PartnerAccount, new_license, run_sweep, sent_emails
from tests.site.conftest import Answer, WebClient

PAGE = "/web/licenses/import"
GOOD_AND_BAD = (
    "product,client_name,client_email,payment_origin,data_center,operator_emails,operator_roles\r\n"
    "livechat,Acme Corporation,owner@acme.example,partner,fra,ann@acme.example,agent\r\n"
    "chatbot,Beta Company,beta@beta.example,client,us,,\r\n"
    "livechat,Bad,not-an-email,partner,,,\r\n"
    "livechat,Acme Again Ltd,OWNER@acme.example,partner,,,\r\n"
    "chatbot,Gamma Company,gamma@gamma.example,client,,ann@gamma.example,agent\r\n"
    "livechat,Existing Customer,existing@delta.example,client,,,\r\n"
)


# Counting takes its window (date_from and date_to are required): one that holds every license.
COUNT_ALL = f"{LICENSES}/count?date_from=2000-01-01&date_to=2099-12-31"


def upload(web: WebClient, text: str, name: str = "file") -> Answer:
    boundary = "----partnerappTestBoundary7MA4YWxk"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="customers.csv"\r\n'
        f"Content-Type: text/csv\r\n\r\n{text}\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\ncheck\r\n--{boundary}--\r\n'
    ).encode()
    return web.request(
        "POST", PAGE, body=body, headers={"content-type": f"multipart/form-data; boundary={boundary}"}
    )


def statuses(html: str) -> dict[int, str]:
    return {int(n): s for n, s in re.findall(r'<tr data-row="(\d+)" data-status="(\w+)">', html)}


def hidden(html: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)">', html)
    assert found, name
    return found[1]


def invited() -> list[str]:
    """Everyone emailed but the partner (whose sign-in link is in the outbox too)."""
    return sorted(to for e in sent_emails() for to in e["to"] if to != "agency@partner.example")


def trials(api: ApiClient, partner: PartnerAccount) -> int:
    return int(api.get(COUNT_ALL, token=partner.token).json()["trials"])


def test_the_dry_run_shows_each_row_with_its_errors_and_creates_nothing(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    new_license(api, partner, client_email="existing@delta.example")
    answer = upload(signed_in, GOOD_AND_BAD)
    assert answer.status == 200, answer.text
    assert statuses(answer.text) == {
        2: "would_create", 3: "would_create", 4: "refused", 5: "refused", 6: "refused", 7: "existed",
    }  # fmt: skip
    assert "<strong>client_email</strong>: Not a valid email address." in answer.text
    assert "<strong>client_name</strong>: Length must be between 5 and 100." in answer.text
    assert "<strong>client_email</strong>: Also in row 2 of this file" in answer.text
    assert "<strong>operator_emails</strong>: ChatBot licenses cannot invite additional users" in answer.text
    assert "Create 2 licenses" in answer.text
    run_sweep()
    assert trials(api, partner) == 1
    assert invited() == ["existing@delta.example"]


def test_create_makes_the_good_rows_once_and_the_results_download(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    checked = upload(signed_in, GOOD_AND_BAD)
    form = {"csv": hidden(checked.text, "csv"), "action": "create"}
    created = signed_in.post_form(PAGE, form)
    assert created.status == 200, created.text
    assert statuses(created.text) == {
        2: "created",
        3: "created",
        4: "refused",
        5: "refused",
        6: "refused",
        7: "created",
    }
    assert "Done: 3 created, 0 already existed, 3 not created." in created.text
    listed = api.get(LICENSES, token=partner.token).json()["result"]
    assert sorted((item["client_email"], item["data_center"]) for item in listed) == [
        ("beta@beta.example", "us-south1"),
        ("existing@delta.example", "us-south1"),
        ("owner@acme.example", "eu-west3"),
    ]
    # Each row's license links to its page
    for item in listed:
        assert f'href="/web/licenses/{item["product"]}/{item["license"]}"' in created.text
    run_sweep()
    assert invited() == [
        "ann@acme.example", "beta@beta.example", "existing@delta.example", "owner@acme.example",
    ]  # fmt: skip

    # The results as CSV: every row with its license, status and errors
    download = signed_in.post_form(
        f"{PAGE}/results",
        {"results": hidden(created.text, "results"), "signature": hidden(created.text, "signature")},
    )
    assert download.status == 200
    assert download.header("content-type") == "text/csv; charset=utf-8"
    assert "attachment" in (download.header("content-disposition") or "")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert [row["status"] for row in rows] == [
        "created",
        "created",
        "refused",
        "refused",
        "refused",
        "created",
    ]
    assert rows[0]["license"] == str(
        next(i["license"] for i in listed if i["client_email"] == "owner@acme.example")
    )
    assert rows[2]["error_field"] == "client_name;client_email"

    # Posting the same file again (a double click, a reload) creates nothing more
    again = signed_in.post_form(PAGE, form)
    assert statuses(again.text)[2] == statuses(again.text)[3] == "existed"
    assert trials(api, partner) == 3


def test_results_not_signed_by_the_page_are_refused(signed_in: WebClient) -> None:
    forged = base64.b64encode(b'product\r\n=HYPERLINK("http://evil.example")\r\n').decode()
    answer = signed_in.post_form(f"{PAGE}/results", {"results": forged, "signature": "0" * 64})
    assert answer.status == 400


def test_a_file_without_a_header_or_with_too_many_rows_is_refused_whole(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    headless = upload(signed_in, "livechat,Acme Corporation,owner@acme.example,partner\r\n")
    assert headless.status == 400
    assert "Unknown column(s) &#39;livechat&#39;" in headless.text and "must be the header" in headless.text
    header = "product,client_name,client_email,payment_origin\r\n"
    many = header + "".join(f"livechat,Customer {i:04d},c{i}@acme.example,partner\r\n" for i in range(201))
    too_many = upload(signed_in, many)
    assert too_many.status == 413
    assert "The file has 201 rows; up to 200" in too_many.text
    assert trials(api, partner) == 0


def test_the_import_needs_a_signed_in_partner_and_a_post_from_the_site(
    web: WebClient, signed_in: WebClient, api: ApiClient, partner: PartnerAccount
) -> None:
    assert WebClient().get(PAGE).status == 401
    page = signed_in.get(PAGE)
    assert page.status == 200 and 'enctype="multipart/form-data"' in page.text
    assert 'href="/web/licenses/import"' in signed_in.get("/web/licenses").text
    signed_in.origin = "https://evil.example"
    assert upload(signed_in, GOOD_AND_BAD).status == 403
    signed_in.origin = None
    stranger = WebClient()
    stranger.cookies = {}
    assert upload(stranger, GOOD_AND_BAD).status == 401
    assert trials(api, partner) == 0


def test_a_malformed_upload_is_a_400(signed_in: WebClient) -> None:
    answer = signed_in.request(
        "POST", PAGE, body=b"not multipart", headers={"content-type": "multipart/form-data; boundary=zzz"}
    )
    assert answer.status == 400
    form = signed_in.request("POST", PAGE, body=urlencode({"csv": "%%%", "action": "create"}).encode(),
                             headers={"content-type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert form.status == 400 and "upload it again" in form.text


def test_a_row_that_raises_is_failed_with_its_reason_and_the_rows_after_it_are_created(
    signed_in: WebClient, api: ApiClient, partner: PartnerAccount, monkeypatch: Any, capsys: Any
) -> None:
    import json

    from partnerapp.services.licensing import LicenseCreator

    # Given a file whose second row's create raises (a header the email library refuses, say)
    real = LicenseCreator.create

    def create(self: Any, partner_id: str, request: Any) -> Any:
        if request.client_email == "poison@beta.example":
            raise ValueError("Header values may not contain linefeed or carriage return characters")
        return real(self, partner_id, request)

    monkeypatch.setattr(LicenseCreator, "create", create)
    text = (
        "product,client_name,client_email,payment_origin\r\n"
        "livechat,Acme Corporation,owner@acme.example,partner\r\n"
        "livechat,Poison Company,poison@beta.example,partner\r\n"
        "livechat,Gamma Company,gamma@gamma.example,partner\r\n"
    )
    checked = upload(signed_in, text)
    assert statuses(checked.text) == {2: "would_create", 3: "would_create", 4: "would_create"}
    capsys.readouterr()
    # When the partner creates them
    created = signed_in.post_form(PAGE, {"csv": hidden(checked.text, "csv"), "action": "create"})
    # Then the page answers, the good rows are created, and the bad one is failed with why
    assert created.status == 200, created.text
    assert statuses(created.text) == {2: "created", 3: "failed", 4: "created"}
    assert "Not imported: an error on our side (ValueError). Import the file again" in created.text
    listed = api.get(LICENSES, token=partner.token).json()["result"]
    assert sorted(item["client_email"] for item in listed) == ["gamma@gamma.example", "owner@acme.example"]
    # And the operator's metric counts it
    blobs = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert sum(int(b.get("JobItemDeadLettered", [0])[0]) for b in blobs) == 1


SAMPLE = "/assets/samples/licenses-sample.csv"


def test_the_page_links_a_sample_file_that_has_every_column_and_passes_the_dry_run(
    signed_in: WebClient, built_site: Any
) -> None:
    from partnerapp.schemas.license_rows import FIELD_COLUMNS

    page = signed_in.get(PAGE)
    assert f'<a href="{SAMPLE}" download>' in page.text
    # The sample, as the built site serves it: every column the import reads, in order
    sample = (built_site / SAMPLE.lstrip("/")).read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(sample)))
    assert tuple(rows[0]) == FIELD_COLUMNS and len(rows) > 2
    assert f"(CSV, {len(rows) - 1} rows)" in page.text
    # And every row of it would be created as it is
    checked = upload(signed_in, sample)
    assert checked.status == 200, checked.text
    assert set(statuses(checked.text).values()) == {"would_create"}
    assert f"Create {len(rows) - 1} licenses" in checked.text


def test_every_button_of_the_import_is_styled_as_the_sites_other_buttons(signed_in: WebClient) -> None:
    pages = [signed_in.get(PAGE).text, upload(signed_in, GOOD_AND_BAD).text]
    buttons = [b for text in pages for b in re.findall(r"<button[^>]*>[^<]*</button>", text)]
    assert any("Check the file" in b for b in buttons) and any("Create 3 licenses" in b for b in buttons)
    unstyled = [b for b in buttons if not re.search(r'class="[^"]*\b(primary|secondary|link-button)\b', b)]
    assert unstyled == []
