"""Who the emails come from (issue 25): invitations and customers' emails from SenderEmail, a
partner's own account emails (the sign-in link, summaries, withdrawals) from
AccountsSenderEmail, both at SenderDomain, and the functions that send them may send from it."""

from __future__ import annotations

from typing import Any

from partnerapp_infra.aws import template
from tests.infra.test_iam import _listed, statements


def test_the_sign_in_link_has_a_sender_of_its_own_at_the_sending_domain() -> None:
    domain = template.parameter_default("SenderDomain")
    accounts = template.parameter_default("AccountsSenderEmail")
    assert accounts == f"accounts@{domain}"
    assert template.parameter_default("SenderEmail") == f"invitations@{domain}"


def test_the_api_function_is_told_the_accounts_sender() -> None:
    assert template.function_environment("ApiFunction")["ACCOUNTS_SENDER_EMAIL"] == {
        "Ref": "AccountsSenderEmail"
    }


def test_the_api_function_may_send_from_the_accounts_address(home: dict[str, Any]) -> None:
    grants = [
        str(resource)
        for role, statement in statements(home)
        if role == "ApiFunctionRole" and "ses:SendRawEmail" in _listed(statement["Action"])
        for resource in _listed(statement["Resource"])
    ]
    assert any("identity/${AccountsSenderEmail}" in grant for grant in grants), grants


def test_the_lifecycle_function_may_send_the_summaries_from_the_accounts_address(
    home: dict[str, Any],
) -> None:
    assert template.function_environment("LifecycleFunction")["ACCOUNTS_SENDER_EMAIL"] == {
        "Ref": "AccountsSenderEmail"
    }
    grants = [
        str(resource)
        for role, statement in statements(home)
        if role == "LifecycleFunctionRole" and "ses:SendRawEmail" in _listed(statement["Action"])
        for resource in _listed(statement["Resource"])
    ]
    assert any("identity/${AccountsSenderEmail}" in grant for grant in grants), grants
