"""Help-center pages the API function renders (Jinja, autoescaped): the form with errors,
sign-in and short messages. The static site builder loads the
same templates, so the layout and the form have one source."""

from __future__ import annotations

import functools
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from partnerapp import catalog
from partnerapp.domain.partners import Partner
from partnerapp.domain.return_paths import sign_in_href
from partnerapp.domain.text import shown
from partnerapp.web import forms


def product_options(rules: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The product choices of the form, each with what it allows, from the catalog's rules."""
    return [
        (
            code,
            product["name"],
            "You invite the customer's team when you manage the subscription."
            if any(product["invites"].values())
            else "The customer invites their own team.",
        )
        for code, product in rules["products"].items()
    ]


def install_globals(env: Environment) -> Environment:
    """What the shared templates call; the site builder installs the same into its environment."""
    env.globals["label_of"] = forms.label_of
    env.globals["product_options"] = product_options
    env.globals["sign_in_href"] = sign_in_href
    return env


@functools.cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("partnerapp.web", "templates"),
        autoescape=True,  # every template is HTML; partners' and customers' text is data
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Text stored before the door checked it shows U+FFFD, so the page stays valid HTML.
        finalize=shown,
    )
    return install_globals(env)


def _render(template: str, **context: Any) -> str:
    context.setdefault("partner", None)
    context.setdefault("current", "")
    context.setdefault("back", "")  # the page a signed-out partner returns to after signing in
    return environment().get_template(template).render(context)


def render(template: str, **context: Any) -> str:
    """A page of the shared layout (the account pages render through this)."""
    return _render(template, **context)


def form_values(typed: dict[str, str] | None = None) -> dict[str, str]:
    """The form's starting values (the catalog's defaults), overlaid with what was typed."""
    values = {
        "data_center": catalog.DEFAULT_DATA_CENTER,
        "trial_duration": str(catalog.TRIAL.default_days),
    }
    values.update(typed or {})
    return values


def create_license_page(
    *,
    rules: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, list[str]],
    operator_rows: list[dict[str, str]],
    partner: Partner | None,
    intro: str,
    existing: str | None = None,
) -> str:
    """`existing`: the page of the license a duplicate customer already has (linked at the field)."""
    return _render(
        "create_license.html.j2",
        title="Create a license",
        description="Create a LiveChat or ChatBot trial license for a customer.",
        rules=rules,
        values=form_values(values),
        errors=errors,
        operator_rows=forms.blank_operator_rows(operator_rows),
        partner=partner,
        intro=intro,
        embedded=False,
        existing=existing,
    )


def sign_in_page(email: str, errors: dict[str, list[str]], next_path: str | None = None) -> str:
    """`next_path`: where signing in returns to (already checked by return_paths.safe_next)."""
    return _render(
        "sign_in.html.j2",
        title="Sign in",
        description="Sign in to the partner help center with a one-time link.",
        current="/sign-in.html",
        email=email,
        errors=errors,
        next_path=next_path or "",
    )


def message_page(
    heading: str,
    paragraphs: list[str],
    links: list[tuple[str, str]],
    partner: Partner | None = None,
    back: str = "",
) -> str:
    return _render(
        "message.html.j2",
        title=heading,
        description=paragraphs[0] if paragraphs else heading,
        heading=heading,
        paragraphs=paragraphs,
        links=links,
        partner=partner,
        back=back,
    )


def sign_in_confirm_page(token: str, next_path: str | None = None) -> str:
    """What the emailed link opens: one button that signs in (POST), and then goes to
    `next_path` (checked already) or the default."""
    return _render(
        "sign_in_confirm.html.j2",
        title="Sign in to the partner help center",
        description="Confirm to sign in with the link from your email.",
        token=token,
        next_path=next_path or "",
        partner=None,
    )


def sign_in_first_page(heading: str, reason: str, back: str = "") -> str:
    """A signed-in page asked for without a session: where to sign in, and back to `back`
    (the page asked for) once signed in."""
    return message_page(heading, [reason], [(sign_in_href(back), "Sign in")], back=back)


def license_not_found_page(partner: Partner) -> str:
    # Unknown and another partner's license look the same: nothing tells them apart.
    return message_page(
        "License not found",
        ["There is no such license among yours."],
        [
            ("/web/licenses", "Your licenses"),
            ("/guides/setting-up-licenses.html#create-license", "Create a license"),
        ],
        partner,
    )


# What a browser is shown when a help-center route cannot answer with its own page.
ERROR_HEADINGS = {
    400: "This request could not be read",
    403: "This request was refused",
    404: "Page not found",
    405: "This page cannot be used that way",
    409: "This changed meanwhile",
    415: "This request could not be read",
    429: "Too many requests",
    503: "The help center is busy",
}
HOME = ("/index.html", "Help center home")


def error_page(status: int, message: str) -> str:
    """A page for an error no form could show at a field: what happened and where to go."""
    heading = ERROR_HEADINGS.get(status, "Something went wrong on our side")
    paragraphs = [message]
    if status >= 500:
        paragraphs.append("Nothing was saved. Go back and try again in a moment.")
    return message_page(heading, paragraphs, [HOME])
