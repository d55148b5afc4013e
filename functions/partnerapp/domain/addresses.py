"""One mailbox, one spelling: an email address as every rule, key and email uses it."""

from __future__ import annotations

import idna


class NotAnAddress(ValueError):
    """The text cannot be a deliverable address: a local part not in ASCII, or a domain that
    is no valid IDNA name."""


def normalise_email(value: str) -> str:
    """`Owner@Bücher.Example` -> `owner@xn--bcher-kva.example`.

    The domain is converted to its ASCII (IDNA 2008, UTS 46) form, so both spellings of an
    internationalised domain are one customer and the To header is plain ASCII. The whole
    address is lower case: providers treat local parts case-insensitively, and one customer
    typing `Ann@` once and `ann@` later must meet the one-license rule."""
    local, at, domain = value.strip().rpartition("@")
    if not at or not local or not domain:
        return value.strip().lower()  # not an address at all: the validator says so as always
    if not local.isascii():
        # SES sends only to ASCII local parts (no SMTPUTF8): accepting one would fail later.
        raise NotAnAddress("The part before @ must be ASCII.")
    return f"{local.lower()}@{_ascii_domain(domain).lower()}"


def as_stored(value: str) -> str:
    """`value` as an address already stored is spelled, for a lookup or a send: normalised,
    or only trimmed and lower-cased when it is no address (the lookup then finds nothing)."""
    try:
        return normalise_email(value)
    except NotAnAddress:
        return value.strip().lower()


def _ascii_domain(domain: str) -> str:
    # An ASCII domain is left to the address validator, as it always was: only a Unicode
    # one needs converting (and may be refused here, e.g. for a space or a symbol).
    if domain.isascii():
        return domain
    try:
        return idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError:
        raise NotAnAddress("The domain is not a valid domain name.") from None
