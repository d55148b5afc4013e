"""The license list's page links: the way back travels in them, kept to MAX_BACK pages, and
what comes back in a link is checked before it is used."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from partnerapp.web import license_list
from partnerapp.web.license_list import MAX_BACK, Filters, Listing


def _query(link: str | None) -> dict[str, str]:
    assert link is not None
    return {k: v[0] for k, v in parse_qs(urlsplit(link).query).items()}


def test_deep_pages_keep_the_last_pages_way_back_and_then_offer_the_first_page() -> None:
    filters = Filters(status="trial")
    listing = Listing(cursor="c2", next_cursor="c3", number=2)
    for number in range(3, MAX_BACK + 5):  # follow "Next page" well past the kept way back
        query = _query(license_list._next(listing, filters))
        position, errors = license_list.read_position(query)
        assert errors == {} and position.number == number and query["status"] == "trial"
        listing = Listing(
            cursor=position.cursor, back=list(position.back), number=number, next_cursor=f"c{number + 1}"
        )
    assert len(listing.back) == MAX_BACK and listing.back[-1] == f"c{listing.number - 1}"
    # Walking back: each "Previous page" is the page before, until the kept way back ends
    steps = 0
    while (link := license_list._previous(listing, filters)) is not None:
        position, _ = license_list.read_position(_query(link))
        assert position.number == listing.number - 1 and position.cursor == listing.back[-1]
        listing = Listing(cursor=position.cursor, back=list(position.back), number=position.number)
        steps += 1
    assert steps == MAX_BACK and listing.number > 2  # from here, "First page"


def test_a_link_s_way_back_and_number_are_checked() -> None:
    assert license_list.read_position({"page": "0"})[1] == {"page": ["A page number from 1 to 100,000."]}
    assert "cursor" in license_list.read_position({"cursor": "c9", "back": "c1,<script>"})[1]
    too_long = ",".join(f"c{n}" for n in range(MAX_BACK + 1))
    assert "cursor" in license_list.read_position({"cursor": "c9", "back": too_long})[1]
    assert license_list.read_position({"cursor": "c2"}) == (license_list.Position("c2", (), 2), {})
