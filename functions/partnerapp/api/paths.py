"""Path parameters, checked with ASCII patterns before any use.

Never `str.isdigit()`: it is true for `²` and other Unicode digits, which `int()` then refuses
(a 500). A value that does not fit its pattern is simply not there: 404, like an unknown id."""

from __future__ import annotations

import re

from partnerapp import catalog
from partnerapp.api.errors import not_found
from partnerapp.schemas import descriptions

_LICENSE_ID = re.compile(r"[0-9]{1,18}")
_INVOICE_NO = re.compile(r"[0-9]{1,9}")
# Organization ids are UUIDs (older ones: hex digits), lower-case.
_ORGANIZATION_ID = re.compile(r"[0-9a-f][0-9a-f-]{0,39}")


def license_number(license_id: str) -> int:
    if not _LICENSE_ID.fullmatch(license_id):
        raise not_found("License not found.")
    return int(license_id)


def product_and_license(product: str, license_id: str) -> int:
    if catalog.product(product) is None:
        raise not_found("License not found.")
    return license_number(license_id)


def invoice_number(invoice_no: str) -> int:
    if not _INVOICE_NO.fullmatch(invoice_no):
        raise not_found("Invoice not found.")
    return int(invoice_no)


def organization_id(value: str) -> str:
    if not _ORGANIZATION_ID.fullmatch(value):
        raise not_found("Organization not found.")
    return value


# The prose of the path parameters that several operations share, for their `@Doc`s.
PRODUCT = {"product": descriptions.PRODUCT}
