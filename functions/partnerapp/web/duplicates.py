"""A license the customer already has: what the create form says about it, at the field the
partner typed (the API's own message names its wire field, `client_email`)."""

from __future__ import annotations

from partnerapp import catalog


def message(product: str) -> str:
    name = catalog.PRODUCTS[product].name if catalog.product(product) else "product"
    return (
        f"You already have a {name} license for this customer email: "
        "open it, or enter another customer's email."
    )


def page(product: str, license_id: int) -> str:
    return f"/web/licenses/{product}/{license_id}"
