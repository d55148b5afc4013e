"""The CSV format of bulk creation (`partnerapp.schemas.license_rows`): header, cells, errors
by column, the results file and each row's Idempotency-Key."""

from __future__ import annotations

import pytest

from partnerapp.schemas import license_rows
from partnerapp.schemas.license_rows import CsvFormatError, Outcome

HEADER = "product,client_name,client_email,payment_origin,trial_duration,operator_emails,operator_roles\n"


def test_a_row_becomes_the_create_calls_product_and_body() -> None:
    [row] = license_rows.read_rows(
        HEADER
        + "livechat, Acme Corporation ,owner@acme.example,partner,21,"
        + "ann@acme.example; bob@acme.example,agent;administrator\n"
    )
    assert row.number == 2
    product, body = license_rows.create_call(row)
    assert product == "livechat"
    assert body == {
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
        "payment_origin": "partner",
        "trial_duration": 21,
        "operators": [
            {"email": "ann@acme.example", "role": "agent"},
            {"email": "bob@acme.example", "role": "administrator"},
        ],
    }


def test_empty_cells_are_left_out_and_a_non_number_is_sent_as_typed() -> None:
    [row] = license_rows.read_rows(
        HEADER + "chatbot,Acme Corporation,owner@acme.example,client,two weeks,,\n"
    )
    assert license_rows.create_call(row)[1] == {
        "client_name": "Acme Corporation",
        "client_email": "owner@acme.example",
        "payment_origin": "client",
        "trial_duration": "two weeks",
    }


def test_an_email_without_its_role_is_sent_without_one_for_the_api_to_name() -> None:
    [row] = license_rows.read_rows(
        HEADER + "livechat,Acme Corporation,o@acme.example,partner,,a@x.example;b@x.example,agent\n"
    )
    assert license_rows.create_call(row)[1]["operators"] == [
        {"email": "a@x.example", "role": "agent"},
        {"email": "b@x.example"},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The file is empty"),
        ("livechat,Acme Corporation,owner@acme.example,partner\n", "Unknown column(s) 'livechat'"),
        ("product,client_name,client_email,payment_origin,colour\n", "Unknown column(s) 'colour'"),
        (
            "product,client_name,client_email,client_email,payment_origin\n",
            "client_email appear more than once",
        ),
        ("product,client_name,client_email\n", "lacks the required column(s) payment_origin"),
        (HEADER + "livechat,a,b,c,14,,,extra\n", "Row 2 has 8 cells but the header names 7"),
    ],
)
def test_a_file_that_is_not_license_rows_is_refused_with_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(CsvFormatError, match=message.replace("(", r"\(").replace(")", r"\)")):
        license_rows.read_rows(text)


def test_repeats_inside_the_file_are_found_as_the_api_compares_emails() -> None:
    rows = license_rows.read_rows(
        HEADER
        + "livechat,Acme Corporation,owner@acme.example,partner,,,\n"
        + "chatbot,Acme Corporation,owner@acme.example,client,,,\n"
        + "livechat,Acme Again,OWNER@Acme.example ,partner,,,\n"
        + "\n"
        + "livechat,Acme Thrice,owner@acme.example,partner,,,\n"
    )
    assert [row.number for row in rows] == [2, 3, 4, 6]  # a blank line is no row
    assert license_rows.in_file_duplicates(rows) == {4: 2, 6: 2}


def test_api_errors_are_named_by_the_files_columns() -> None:
    fields = {
        "client_email": ["Not a valid email address."],
        "operators": {"1": {"role": ["Must be one of: administrator, agent."]}, "0": {"email": ["Bad."]}},
        "_schema": ["The body must be a JSON object."],
    }
    assert license_rows.column_errors(fields) == {
        "client_email": ["Not a valid email address."],
        "operator_roles": ["operator 2: Must be one of: administrator, agent."],
        "operator_emails": ["operator 1: Bad."],
        "row": ["The body must be a JSON object."],
    }
    assert license_rows.column_errors({"operators": ["ChatBot licenses cannot invite"]}) == {
        "operator_emails": ["ChatBot licenses cannot invite"]
    }


def test_the_results_file_keeps_every_row_and_reads_back_as_the_same_rows() -> None:
    rows = license_rows.read_rows(
        HEADER + "livechat,=SUM(A1),owner@acme.example,partner,,,\nchatbot,Beta Company,bad,client,,,\n"
    )
    outcomes = [
        Outcome(rows[1], license_rows.REFUSED, errors={"client_email": ["Not a valid email address."]}),
        Outcome(rows[0], license_rows.CREATED, license="123451"),
    ]
    text = license_rows.results_csv(outcomes)
    lines = text.splitlines()
    assert lines[0].endswith("license,status,error_field,error_message")
    assert "'=SUM(A1)" in lines[1] and lines[1].endswith("123451,created,,")  # no formula, rows in order
    assert lines[2].endswith("refused,client_email,client_email: Not a valid email address.")
    again = license_rows.read_rows(text)
    assert [r.cells for r in again] == [{**r.cells, "data_center": "", "identifier": "", "purchase_order": "",
                                         "organization_name": ""} for r in rows]  # fmt: skip


def test_each_rows_key_depends_on_the_file_and_the_row() -> None:
    key = license_rows.import_key(b"a,b\n", 2)
    assert key == license_rows.import_key(b"a,b\n", 2)
    assert key != license_rows.import_key(b"a,b\n", 3)
    assert key != license_rows.import_key(b"a,c\n", 2)
    assert len(key) <= 255 and key.isascii()
