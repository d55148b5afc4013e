"""The CloudFormation each stack deploys: template.yaml through the offline SAM transform,
once per test session."""

from __future__ import annotations

from typing import Any

import pytest

from partnerapp_infra.aws import sam_transform, stacks


@pytest.fixture(scope="session")
def deployed() -> dict[str, dict[str, Any]]:
    """Data region -> the resources its stack creates (conditions evaluated)."""
    return {r: stacks.resources_in(r, sam_transform.transform(r)) for r in stacks.DATA_REGIONS}


@pytest.fixture(scope="session")
def home(deployed: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return deployed[stacks.HOME_DATA_REGION]
