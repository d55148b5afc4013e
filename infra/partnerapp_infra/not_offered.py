"""The Text Partner API's documented methods this service does not offer, as the OpenAPI
document lists them: each answers 401 without a valid token, then the JSON 501
`not_supported` (api/unsupported.py matches their paths). A method that gets a route here
leaves this list's effect by itself: the document lists a served route instead."""

from __future__ import annotations

P = "/v2/partners"
_BEST = ("clicks", "trials", "conversions", "earnings")

# (HTTP method, documented path, the docs' section and method name)
NOT_OFFERED: tuple[tuple[str, str, str], ...] = (
    ("GET", f"{P}/partners-referred/reports/commission", "Account: Get Partners Referred Earnings Report"),
    ("GET", f"{P}/billing", "Account: Get Billing"),
    ("PUT", f"{P}/billing", "Account: Update Billing"),
    ("GET", f"{P}/balance", "Account: Get Balance"),
    ("GET", f"{P}/metrics/commission", "Account: Get Commission Metric"),
    ("POST", f"{P}/withdrawals", "Account: Request Withdrawal"),
    ("GET", f"{P}/withdrawals", "Account: Get Withdrawals"),
    ("POST", f"{P}/affiliates/campaigns", "Affiliate: Create Campaign"),
    ("GET", f"{P}/affiliates/campaigns", "Affiliate: Get Campaigns"),
    ("GET", f"{P}/affiliates/campaigns/search", "Affiliate: Search Campaigns"),
    ("DELETE", f"{P}/affiliates/campaigns/{{campaign_id}}", "Affiliate: Disable Campaign"),
    ("GET", f"{P}/affiliates/licenses", "Affiliate: Get Affiliate Licenses"),
    ("GET", f"{P}/affiliates/licenses/{{status}}", "Affiliate: Get Licenses By Status"),
    ("GET", f"{P}/affiliates/performance", "Affiliate: Get Performance Report"),
    ("GET", f"{P}/affiliates/partners-referred", "Affiliate: Get Partners Referred"),
    ("GET", f"{P}/affiliates/links", "Affiliate: Get Affiliate Links"),
    *(("GET", f"{P}/affiliates/metrics/{kind}", f"Affiliate: Get {kind.title()} Metrics") for kind in _BEST),
    *(("GET", f"{P}/affiliates/reports/{kind}", f"Affiliate: Get {kind.title()} Report") for kind in _BEST),
    (
        "GET",
        f"{P}/partners-referred/metrics/commission",
        "Affiliate: Get Referred Partners Commission Metrics",
    ),
    (
        "GET",
        f"{P}/affiliates/campaigns/{{campaign_id}}/metrics/earnings",
        "Affiliate: Get Campaigns Earnings Metric",
    ),
    (
        "GET",
        f"{P}/affiliates/campaigns/{{campaign_id}}/reports/earnings",
        "Affiliate: Get Campaigns Earnings Report",
    ),
    ("GET", f"{P}/affiliates/campaigns/{{campaign_id}}/summary", "Affiliate: Get Campaigns Summary"),
    *(
        (
            "GET",
            f"{P}/affiliates/campaigns/best-performing/{what}/{kind}",
            f"Affiliate: Get Best Performing Campaigns {kind.title()} {what.title()}",
        )
        for kind in _BEST
        for what in ("reports", "metrics")
    ),
    ("GET", f"{P}/affiliates/summary", "Affiliate: Get Summary"),
    ("POST", f"{P}/experts/profile/logo", "Partner Directory: Upload Logo"),
    ("POST", f"{P}/experts/profile", "Partner Directory: Create Expert Profile"),
    ("GET", f"{P}/experts/profile", "Partner Directory: Get Expert Profile"),
    ("PUT", f"{P}/experts/profile", "Partner Directory: Update Expert Profile"),
    ("GET", f"{P}/experts/comments", "Partner Directory: Get Comments"),
    ("GET", f"{P}/experts/stats", "Partner Directory: Get Expert Stats"),
    ("GET", f"{P}/experts/history", "Partner Directory: Get Expert History"),
)
