"""Text Partner API v2, "Solution Partner": License Metrics (count), the Solution Licenses
Report, the CSV report and the Solution Summary, each with the docs' example request."""

from __future__ import annotations

import csv
import io

from tests.compat.conftest import CompatServer, Partner
from tests.compat.test_licenses import create

COUNT = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/count?date_from=2022-09-01&date_to=2023-08-31 \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""  # noqa: E501 (the docs' text)
REPORT = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/reports/license?date_from=2023-03-25T00:00:00Z&date_to=2023-03-26T23:59:59Z&aggregation=month&license_status=trial \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""  # noqa: E501 (the docs' text)
CSV = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/licenses/search/csv?%5B%7B%22field%22%3A%22credit_card%22%2C%22value%22%3A%22no%22%2C%22operator%22%3A%22exists%22%7D%2C%7B%22field%22%3A%22payment_origin%22%2C%22value%22%3A%22partner%22%2C%22operator%22%3A%22equals%22%7D%2C%7B%22field%22%3A%22license_details%22%2C%22value%22%3A%22Client%20Name%22%2C%22operator%22%3A%22contains%22%7D%2C%7B%22field%22%3A%22license_created_at%22%2C%22value%22%3A%222023-11-01%2000%3A00%3A00%22%2C%22operator%22%3A%22greater_or_equal%22%7D%5D \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""  # noqa: E501 (the docs' text)
SUMMARY = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners/solutions/summary \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""
CSV_HEADER = (
    "License ID,Managed by,Status,Client name,Client email,Client identifier,Created,Product,Credit card,"
    "Card problem,Commission level,Discount level,Total earnings,Total savings"
)


def test_license_metrics_count_their_window(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get License Metrics" - `{trials, paid, expired}` for licenses created in the window."""
    created = create(compat_server, partner, "joe@example.com")
    answer = compat_server.curl(COUNT, token=partner.token)
    assert answer.status == 200 and answer.json() == {"trials": 0, "paid": 0, "expired": 0}  # 2022-2023
    day = created["creation_timestamp"][:10]
    today = COUNT.replace("2022-09-01", day).replace("2023-08-31", day)
    assert compat_server.curl(today, token=partner.token).json() == {"trials": 1, "paid": 0, "expired": 0}


def test_solution_licenses_report(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Solution Licenses Report" - `{items: [{date_range: {from, to}, total}]}`."""
    answer = compat_server.curl(REPORT, token=partner.token)
    assert answer.status == 200, answer.body
    assert answer.json() == {
        "items": [{"date_range": {"from": "2023-03-01 00:00:00", "to": "2023-03-31 23:59:59"}, "total": 0}]
    }
    created = create(compat_server, partner, "joe@example.com")
    day = created["creation_timestamp"][:10]
    now = REPORT.replace("2023-03-25", day).replace("2023-03-26", day).replace("=month", "=day")
    (item,) = compat_server.curl(now, token=partner.token).json()["items"]
    assert item == {"date_range": {"from": f"{day} 00:00:00", "to": f"{day} 23:59:59"}, "total": 1}
    paid = now.replace("license_status=trial", "license_status=paid")
    assert compat_server.curl(paid, token=partner.token).json()["items"][0]["total"] == 0


def test_solution_licenses_csv_report(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Solution Licenses CSV Report" - the example's query (the URL-encoded filters
    with no `filters=` before them) and its columns, money and levels as `20.00`."""
    create(compat_server, partner, "client@test.com")  # "Joe Doe": not the example's "Client Name"
    wanted = compat_server.curl(
        f"curl --request POST --url '{compat_server.base}/v2/partners/solutions/licenses?product=livechat' "
        f"--header 'Authorization: Bearer {partner.token}' --data 'client_name=Client Name"
        "&client_email=named@test.com&payment_origin=partner&identifier=client-identifier'"
    )
    assert wanted.status == 201, wanted.body
    answer = compat_server.curl(CSV, token=partner.token)
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.body.decode())))
    assert ",".join(rows[0]) == CSV_HEADER
    assert len(rows) == 2
    row = rows[1]
    assert row[0] == wanted.json()["license"]
    assert row[1:6] == ["partner", "trial", "Client Name", "named@test.com", "client-identifier"]
    assert row[7:] == ["LiveChat", "no", "", "0.00", "20.00", "0.00", "0.00"]


def test_solution_summary(compat_server: CompatServer, partner: Partner) -> None:
    """Docs: "Get Solution Summary" - trials, paid, expired, commission, discount, written as the
    docs' example writes them (strings)."""
    assert compat_server.curl(SUMMARY, token=partner.token).json() == {
        "trials": "0", "paid": "0", "expired": "0", "commission": "0.00", "discount": "0.00",
    }  # fmt: skip
    create(compat_server, partner, "joe@example.com")
    answer = compat_server.curl(SUMMARY, token=partner.token)
    assert answer.status == 200 and answer.json()["trials"] == "1"
