"""What the license pages' tests share: licenses made through the partner API and read back
through it (what the pages changed is checked where the API sees it)."""

from __future__ import annotations

from typing import Any

from tests.conftest import LICENSES, ApiClient, PartnerAccount, new_license


def create_license(api: ApiClient, partner: PartnerAccount, product: str = "livechat", **body: Any) -> int:
    return int(new_license(api, partner, product, **body)["license"])


def read_license(api: ApiClient, partner: PartnerAccount, product: str, license_id: int) -> dict[str, Any]:
    answer = api.get(f"{LICENSES}/{product}/{license_id}", token=partner.token)
    assert answer.status == 200, answer.body
    return answer.json()  # type: ignore[no-any-return]


def read_history(
    api: ApiClient, partner: PartnerAccount, product: str, license_id: int
) -> list[dict[str, Any]]:
    answer = api.get(f"{LICENSES}/{product}/{license_id}/history", token=partner.token)
    assert answer.status == 200, answer.body
    return answer.json()["history"]  # type: ignore[no-any-return]


def subscribe(api: ApiClient, partner: PartnerAccount, license_id: int) -> None:
    """Make a partner-managed LiveChat trial paid, as the API does."""
    answer = api.post(
        f"{LICENSES}/livechat/{license_id}/subscription",
        token=partner.token,
        json_body={"plan": "team", "billing_cycle": "monthly", "seats": 2, "token": "tok_1"},
    )
    assert answer.status == 201, answer.body
