"""Every method of the Text Partner API docs that this service does not offer (the Affiliate
and Partner Directory sections, and the Account's partners-referred report) answers a JSON 501
`not_supported`, whatever the method: never a page,
never a bare 404. tests/compat/test_account.py sends a sample of the docs' own examples."""

from __future__ import annotations

import pytest

from tests.conftest import ApiClient, PartnerAccount

P = "/v2/partners"
# (docs section: method name) -> (HTTP method, the documented path with the docs' example ids)
NOT_OFFERED = {
    "Account: Get Partners Referred Earnings Report": ("GET", f"{P}/partners-referred/reports/commission"),
    "Affiliate: Create Campaign": ("POST", f"{P}/affiliates/campaigns"),
    "Affiliate: Search Campaigns": ("GET", f"{P}/affiliates/campaigns/search"),
    "Affiliate: Get Campaigns": ("GET", f"{P}/affiliates/campaigns"),
    "Affiliate: Disable Campaign": ("DELETE", f"{P}/affiliates/campaigns/123"),
    "Affiliate: Get Affiliate Licenses": ("GET", f"{P}/affiliates/licenses"),
    "Affiliate: Get Performance Report": ("GET", f"{P}/affiliates/performance"),
    "Affiliate: Get Partners Referred": ("GET", f"{P}/affiliates/partners-referred"),
    "Affiliate: Get Affiliate Links": ("GET", f"{P}/affiliates/links"),
    "Affiliate: Get Trials Metrics": ("GET", f"{P}/affiliates/metrics/trials"),
    "Affiliate: Get Earnings Metrics": ("GET", f"{P}/affiliates/metrics/earnings"),
    "Affiliate: Get Conversions Metrics": ("GET", f"{P}/affiliates/metrics/conversions"),
    "Affiliate: Get Clicks Metrics": ("GET", f"{P}/affiliates/metrics/clicks"),
    "Affiliate: Get Referred Partners Commission Metrics": (
        "GET",
        f"{P}/partners-referred/metrics/commission",
    ),
    "Affiliate: Get Trials Report": ("GET", f"{P}/affiliates/reports/trials"),
    "Affiliate: Get Earnings Report": ("GET", f"{P}/affiliates/reports/earnings"),
    "Affiliate: Get Conversions Report": ("GET", f"{P}/affiliates/reports/conversions"),
    "Affiliate: Get Clicks Report": ("GET", f"{P}/affiliates/reports/clicks"),
    "Affiliate: Get Licenses By Status": ("GET", f"{P}/affiliates/licenses/paid"),
    "Affiliate: Get Campaigns Earnings Metric": ("GET", f"{P}/affiliates/campaigns/123/metrics/earnings"),
    "Affiliate: Get Campaigns Earnings Report": ("GET", f"{P}/affiliates/campaigns/123/reports/earnings"),
    "Affiliate: Get Campaigns Summary": ("GET", f"{P}/affiliates/campaigns/123/summary"),
    **{
        f"Affiliate: Get Best Performing Campaigns {kind.title()} {what}": (
            "GET",
            f"{P}/affiliates/campaigns/best-performing/{what.lower()}/{kind}",
        )
        for kind in ("clicks", "trials", "conversions", "earnings")
        for what in ("Reports", "Metrics")
    },
    "Affiliate: Get Summary": ("GET", f"{P}/affiliates/summary"),
    "Partner Directory: Upload Logo": ("POST", f"{P}/experts/profile/logo"),
    "Partner Directory: Create Expert Profile": ("POST", f"{P}/experts/profile"),
    "Partner Directory: Get Expert Profile": ("GET", f"{P}/experts/profile"),
    "Partner Directory: Update Expert Profile": ("PUT", f"{P}/experts/profile"),
    "Partner Directory: Get Comments": ("GET", f"{P}/experts/comments"),
    "Partner Directory: Get Expert Stats": ("GET", f"{P}/experts/stats"),
    "Partner Directory: Get Expert History": ("GET", f"{P}/experts/history"),
}


def test_every_section_is_listed() -> None:
    # 1 Account method (partners-referred), the Affiliate section's 30 and the 7 Partner
    # Directory methods (the Solution section's are all served)
    sections = [name.split(":")[0] for name in NOT_OFFERED]
    assert [sections.count(s) for s in ("Account", "Affiliate", "Solution", "Partner Directory")] == [
        1,
        30,
        0,
        7,
    ]


@pytest.mark.parametrize("name", sorted(NOT_OFFERED))
def test_a_method_not_offered_is_a_json_501(api: ApiClient, partner: PartnerAccount, name: str) -> None:
    method, path = NOT_OFFERED[name]
    answer = api.request(method, path, token=partner.token)
    assert answer.status == 501, (name, answer.body)
    assert answer.header("content-type") == "application/json"
    assert answer.json()["error"]["type"] == "not_supported"


def test_an_unknown_path_is_still_a_404(api: ApiClient, partner: PartnerAccount) -> None:
    # Only documented paths are "not supported"; a typo stays a plain not-found
    answer = api.get(f"{P}/affiliate", token=partner.token)
    assert answer.status == 404 and answer.json()["error"]["type"] == "not_found"
    assert api.get(f"{P}/experts-x", token=partner.token).status == 404
