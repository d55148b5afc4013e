"""The Text Partner API's documented paths this project does not serve (docs/compatibility.md):
a partner's script gets a clear JSON 501 naming the section, never an HTML page or a bare 404
that reads like a typo."""

from __future__ import annotations

import re

from partnerapp.api.errors import ApiError

PREFIX = "/v2/partners"
# Documented path (under /v2/partners) -> the docs' section it belongs to.
OUT_OF_SCOPE: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(rf"^{re.escape(PREFIX)}{pattern}/?$"), section)
    for pattern, section in (
        (r"/affiliates(/.*)?", "Affiliate Partner"),
        (r"/partners-referred(/.*)?", "Affiliate Partner"),
        (r"/experts(/.*)?", "Partner Directory"),
    )
)


def unsupported_section(path: str) -> str | None:
    """The docs' section of a documented path this project does not serve, or None."""
    for pattern, section in OUT_OF_SCOPE:
        if pattern.match(path):
            return section
    return None


def not_supported(section: str) -> ApiError:
    return ApiError(
        501,
        "not_supported",
        f"This Text Partner API method ({section}) is not offered by this service; "
        "see the compatibility table in its documentation.",
    )
