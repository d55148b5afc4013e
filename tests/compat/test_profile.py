"""Text Partner API v2, "Account": Get Profile and Update Profile, sent with the real curl.

The docs give Update Profile's method, path and body fields but no example request; the
requests here are written in the docs' own example style (`--request`, `--url`, `--header`,
`--data`), once as JSON and once form-encoded, and each change is checked with a second read.
"""

from __future__ import annotations

from tests.compat.conftest import CompatServer, Partner

GET_PROFILE = """curl --request GET \\
	--url https://api.livechatinc.com/v2/partners \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>'"""

UPDATE_PROFILE_JSON = """curl --request PUT \\
	--url https://api.livechatinc.com/v2/partners/profile \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--header 'Content-Type: application/json' \\
	--data '{
  "first_name": "Joe",
  "last_name": "Doe",
  "contact_name": "Jane Doe",
  "contact_email": "jane@email.com",
  "send_monthly_summary": true,
  "send_reseller_weekly_summary": false,
  "send_newsletter": false,
  "send_notifications": true
}'"""

UPDATE_PROFILE_FORM = """curl --request PUT \\
	--url https://api.livechatinc.com/v2/partners/profile \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data first_name=Joe \\
	--data last_name=Doe \\
	--data 'contact_name=Jane Doe' \\
	--data contact_email=jane@email.com \\
	--data send_reseller_weekly_summary=true"""

UPDATE_PROFILE_MISSING = """curl --request PUT \\
	--url https://api.livechatinc.com/v2/partners/profile \\
	--header 'Authorization: Bearer <YOUR_API_TOKEN>' \\
	--data first_name=Joe"""

DOCUMENTED_KEYS = {
    "partner_id",
    "login",
    "first_name",
    "last_name",
    "contact_name",
    "contact_email",
    "solution_status",
    "properties",
}


def test_get_profile_has_every_documented_key(compat_server: CompatServer, partner: Partner) -> None:
    answer = compat_server.curl(GET_PROFILE, token=partner.token)
    assert answer.status == 200
    profile = answer.json()
    assert set(profile) >= DOCUMENTED_KEYS
    assert (profile["partner_id"], profile["login"]) == (partner.partner_id, partner.login)
    assert isinstance(profile["properties"], dict)


def test_update_profile_as_json_is_204_and_read_back(compat_server: CompatServer, partner: Partner) -> None:
    answer = compat_server.curl(UPDATE_PROFILE_JSON, token=partner.token)
    assert (answer.status, answer.body) == (204, b"")
    profile = compat_server.curl(GET_PROFILE, token=partner.token).json()
    assert {k: profile[k] for k in ("first_name", "last_name", "contact_name", "contact_email")} == {
        "first_name": "Joe",
        "last_name": "Doe",
        "contact_name": "Jane Doe",
        "contact_email": "jane@email.com",
    }
    assert (profile["send_monthly_summary"], profile["send_notifications"]) == (True, True)
    assert profile["login"] == partner.login


def test_update_profile_form_encoded_is_204_and_read_back(
    compat_server: CompatServer, partner: Partner
) -> None:
    # curl --data sends application/x-www-form-urlencoded
    answer = compat_server.curl(UPDATE_PROFILE_FORM, token=partner.token)
    assert answer.status == 204, answer.body
    profile = compat_server.read("/v2/partners", partner.token).json()
    assert (profile["contact_name"], profile["send_reseller_weekly_summary"]) == ("Jane Doe", True)


def test_update_profile_missing_fields_is_400_naming_them(
    compat_server: CompatServer, partner: Partner
) -> None:
    before = compat_server.read("/v2/partners", partner.token).json()
    answer = compat_server.curl(UPDATE_PROFILE_MISSING, token=partner.token)
    assert answer.status == 400
    assert set(answer.json()["error"]["fields"]) == {"last_name", "contact_name", "contact_email"}
    assert compat_server.read("/v2/partners", partner.token).json() == before
    assert compat_server.curl(UPDATE_PROFILE_JSON, token="pat_not-a-token").status == 401
