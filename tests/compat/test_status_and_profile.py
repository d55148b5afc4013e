"""Text Partner API v2, "Introduction": Status and Authorization."""

from __future__ import annotations

from tests.compat.conftest import CompatServer, Partner

# The February 2026 docs: `GET https://api.livechatinc.com/v2/partners/status`; the May 2025
# ones sent it as `curl -I` (a HEAD request), which scripts still do.
STATUS = "curl -I https://api.livechatinc.com/v2/partners/status"
STATUS_GET = "curl --request GET --url https://api.livechatinc.com/v2/partners/status"

PROFILE = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""


def test_status_answers_head_as_the_docs_send_it(compat_server: CompatServer) -> None:
    # Docs (May 2025): "Status" - `curl -I` (a HEAD request), 200 when the API is up.
    answer = compat_server.curl(STATUS)
    assert answer.status == 200
    # `curl -I` prints the answer's headers as its output: here that is all there is, no body
    head, _, rest = answer.body.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and rest == b""
    assert answer.headers["content-type"] == "application/json"
    # Docs (February 2026): "API status" - `GET .../status`
    got = compat_server.curl(STATUS_GET)
    assert got.status == 200 and got.json() == {"status": "ok"}


def test_authorization_example_reads_the_profile(compat_server: CompatServer, partner: Partner) -> None:
    # Docs: "Authorization" and "Get Profile" - a bearer token identifies the partner.
    answer = compat_server.curl(PROFILE, token=partner.token)
    assert answer.status == 200
    assert answer.json()["login"] == partner.login
    assert compat_server.curl(PROFILE, token="pat_not-a-token").status == 401
