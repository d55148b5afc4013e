"""The guide's two procedures ("Creating a LiveChat account", "Creating a ChatBot account")
and the create-license form agree step by step: read from the built page, from the form the
server renders again, and from the wizard in a real browser for each product."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from partnerapp import catalog
from tests.site.conftest import GUIDE, SiteServer, WebClient, choose, next_step, sign_in


class _Steps(HTMLParser):
    """Each procedure's items (form step, title) and the form's steps (key, number, title)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.procedures: dict[str, list[tuple[str, str]]] = {}
        self.headings: dict[str, str] = {}
        self.form: list[dict[str, str]] = []
        self._procedure: str | None = None
        self._capture: tuple[dict[str, str], str] | None = None
        self._heading: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "h3" and values.get("id", "").endswith("-steps"):
            self._heading = values["id"].removesuffix("-steps")
            self.headings[self._heading] = ""
        if tag == "ol" and "data-procedure" in values:
            self._procedure = values["data-procedure"]
            self.procedures[self._procedure] = []
        if tag == "li" and self._procedure and "data-form-step" in values:
            self.procedures[self._procedure].append((values["data-form-step"], ""))
        if tag == "fieldset" and "data-step" in values:
            self.form.append(
                {
                    "key": values["data-step"],
                    "number": "",
                    "title": "",
                    "requires": values.get("data-requires", ""),
                }
            )
        if "data-step-title" in values:
            target = {"title": ""}
            self._capture = (target, "title")
        if "data-step-number" in values:
            self._capture = ({"number": ""}, "number")

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            self._procedure = None
        if tag == "h3":
            self._heading = None
        if self._capture and tag in ("strong", "span"):
            target, name = self._capture
            text = target[name].strip()
            if self._procedure:
                key, _ = self.procedures[self._procedure][-1]
                self.procedures[self._procedure][-1] = (key, text)
            elif self.form:
                self.form[-1][name] = text
            self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture:
            target, name = self._capture
            target[name] += data
        if self._heading:
            self.headings[self._heading] += data


def _form_steps_for(form: list[dict[str, str]], product: str) -> list[dict[str, str]]:
    """The form's steps a partner meets for the product: a step that needs invitations only
    where some subscription of the product may invite users."""
    invites = any(catalog.can_invite_operators(product, origin) for origin in catalog.PAYMENT_ORIGINS)
    return [step for step in form if step["requires"] != "invites" or invites]


def test_the_guide_has_one_numbered_procedure_per_product(built_site: Path) -> None:
    parsed = _Steps((built_site / GUIDE.lstrip("/")).read_text(encoding="utf-8"))
    assert parsed.headings == {
        "livechat": "Creating a LiveChat account",
        "chatbot": "Creating a ChatBot account",
    }
    assert [key for key, _ in parsed.procedures["livechat"]] == [
        "product",
        "payment",
        "basics",
        "invite",
        "review",
    ]
    # ChatBot has no invite step
    assert [key for key, _ in parsed.procedures["chatbot"]] == ["product", "payment", "basics", "review"]


def test_each_procedure_and_the_built_form_agree_step_by_step(built_site: Path) -> None:
    parsed = _Steps((built_site / GUIDE.lstrip("/")).read_text(encoding="utf-8"))
    for product, procedure in parsed.procedures.items():
        form = _form_steps_for(parsed.form, product)
        assert [(s["key"], s["title"]) for s in form] == procedure, product
    # Before a product is chosen the plain form shows every step, numbered as the fullest procedure
    assert [s["number"] for s in parsed.form] == [f"Step {n}" for n in range(1, len(parsed.form) + 1)]
    assert len(parsed.form) == len(parsed.procedures["livechat"])


def test_the_form_rendered_again_for_chatbot_has_its_procedures_numbers(
    built_site: Path, signed_in: WebClient
) -> None:
    # When a ChatBot license is sent without script and with a mistake
    answer = signed_in.post_form(
        "/web/licenses",
        {"product": "chatbot", "payment_origin": "partner", "client_name": "Ac", "website": ""},
    )
    assert answer.status == 400
    # Then the form comes back with the ChatBot procedure's steps and numbers, and no invite step
    guide = _Steps((built_site / GUIDE.lstrip("/")).read_text(encoding="utf-8"))
    again = _Steps(answer.text)
    expected = [(f"Step {n}", title) for n, (_, title) in enumerate(guide.procedures["chatbot"], start=1)]
    assert [(s["number"], s["title"]) for s in again.form] == expected
    assert 'data-step="invite"' not in answer.text and "Invited user 1" not in answer.text


# --- in the browser: the wizard shows each product's procedure, number by number -------------


@pytest.fixture
def wizard(chromium: Any, site_server: SiteServer) -> Iterator[Any]:
    context = chromium.new_context(base_url=site_server.base)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, site_server, site_server.new_partner("Procedure Agency"))
    page.locator("[data-wizard]").wait_for(state="visible")
    yield page
    context.close()


def _shown_step(page: Any) -> tuple[str, str]:
    step = page.locator("[data-step]:visible")
    expect(step).to_have_count(1)
    return step.locator("[data-step-number]").inner_text(), step.locator("[data-step-title]").inner_text()


@pytest.mark.devserver
@pytest.mark.parametrize(
    ("product", "origin"),
    [("LiveChat", "I manage it (partner-managed)"), ("ChatBot", "I manage it (partner-managed)")],
)
def test_the_wizard_walks_the_products_procedure(wizard: Any, product: str, origin: str) -> None:
    page = wizard
    code = product.lower()
    procedure = [
        (f"Step {n}", li.locator("[data-step-title]").inner_text())
        for n, li in enumerate(page.locator(f'[data-procedure="{code}"] > li').all(), start=1)
    ]
    choose(page, product)
    shown = [_shown_step(page)]
    next_step(page)
    choose(page, origin)
    shown.append(_shown_step(page))
    next_step(page)
    page.get_by_label("Customer name").fill("Procedure Customer")
    page.get_by_label("Customer email").fill(f"owner@{code}-procedure.example")
    shown.append(_shown_step(page))
    next_step(page)
    if _shown_step(page)[1] == "Invite users":
        shown.append(_shown_step(page))
        next_step(page)
    shown.append(_shown_step(page))
    # Then the wizard showed exactly the product's procedure, with its numbers
    assert shown == procedure
    # And the progress list above the form counts the same steps with the same numbers
    progress = page.locator("[data-wizard-progress] li").all_inner_texts()
    assert [item.split(".")[0] for item in progress] == [
        number.removeprefix("Step ") for number, _ in procedure
    ]
    review = page.locator("[data-review]").inner_text()
    # And a ChatBot summary says nothing of invited users
    assert ("Invited users" in review) == (code == "livechat")
    expect(page.get_by_role("button", name="Create a license")).to_be_visible()


@pytest.mark.devserver
def test_without_script_the_form_shows_the_checked_products_procedure(
    chromium: Any, site_server: SiteServer
) -> None:
    context = chromium.new_context(base_url=site_server.base, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(GUIDE)

    def shown() -> list[str]:
        legends = page.locator("[data-step]:visible > legend").all_inner_texts()
        return [re.sub(r"\s+", " ", text).replace(" (partner-managed LiveChat only)", "") for text in legends]

    def procedure(code: str) -> list[str]:
        items = page.locator(f'[data-procedure="{code}"] [data-step-title]').all_inner_texts()
        return [f"Step {n} {title}" for n, title in enumerate(items, start=1)]

    # Before a choice, every step, numbered as the fullest procedure
    assert shown() == procedure("livechat")
    # A ChatBot partner sees the ChatBot procedure: no invite step, "Create" is step 4
    choose(page, "ChatBot")
    assert shown() == procedure("chatbot")
    expect(page.locator("#operators-0-email")).to_be_hidden()
    # And back to LiveChat, its five steps
    choose(page, "LiveChat")
    assert shown() == procedure("livechat")
    context.close()
