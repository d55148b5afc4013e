"""Build the static help-center site into build/site/ (`make site`).

Pages are Jinja templates (autoescaped) from templates/ and, for what the API function also
renders (the layout, the create-license form, sign-in), from functions/partnerapp/web/templates/:
one source for both. Assets are copied from site/ to /assets/. The form's rules come from the
catalog and the create schema, the API reference from the generated OpenAPI document.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import rcssmin
import rjsmin
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, PackageLoader, StrictUndefined
from markupsafe import Markup, escape

from partnerapp import catalog
from partnerapp.domain import article_votes
from partnerapp.web import forms, pages
from partnerapp.web.rules import form_rules
from partnerapp_infra import openapi
from partnerapp_infra.paths import REPO_ROOT
from partnerapp_infra.site import article_facts, help_center, reference, search

TEMPLATES = REPO_ROOT / "templates"
ASSETS = REPO_ROOT / "site"
DEFAULT_OUT = REPO_ROOT / "build" / "site"
OUT_ENV = "PARTNERAPP_SITE_DIR"  # where the dev server looks for the built site


@dataclass(frozen=True)
class Page:
    path: str  # the URL path, also the file under the output folder
    template: str
    title: str
    description: str
    article: bool = False  # listed on the home page and searchable


ARTICLES = [
    Page(
        "/guides/setting-up-licenses.html",
        "guides/setting-up-licenses.html.j2",
        "Setting up licenses for your customers",
        "Create LiveChat and ChatBot trial licenses for your customers, step by step, right from this guide.",
        article=True,
    ),
    Page(
        "/guides/managing-licenses.html",
        "guides/managing-licenses.html.j2",
        "Managing a license after you create it",
        "Follow invitations, extend a trial, add an extra discount, run the subscription, hand it over.",
        article=True,
    ),
    Page(
        "/guides/payment-types.html",
        "guides/payment-types.html.j2",
        "Payment types compared",
        "Partner-managed or customer-managed: who pays, what you earn and what each product allows.",
        article=True,
    ),
    Page(
        "/reference/api.html",
        "reference/api.html.j2",
        "Partner API reference",
        "Automate license setup: every endpoint, field and status code of the partner API.",
        article=True,
    ),
]
OTHER_PAGES = [
    Page(
        "/sign-in.html",
        "sign_in.html.j2",
        "Sign in",
        "Sign in to the partner help center with a one-time link.",
    ),
    Page(
        "/sign-in-sent.html", "sign-in-sent.html.j2", "Check your email", "Your sign-in link is on its way."
    ),
    Page(
        "/signed-out.html",
        "signed-out.html.j2",
        "Signed out",
        "You are signed out of the partner help center.",
    ),
    Page(
        "/license-received.html", "license-received.html.j2", "Request received", "We received your request."
    ),
    Page("/404.html", "404.html.j2", "Page not found", "There is no page at this address."),
    Page(
        "/articles.html",
        "articles.html.j2",
        "All articles",
        "Every article of the partner help center and its sections, by category.",
    ),
]
HOME = Page(
    "/index.html", "index.html.j2", "Partner help center", "Guides for LiveChat and ChatBot partners."
)


def shelf() -> help_center.Shelf:
    """The articles by category, as their front matter declares (checked: see help_center)."""
    categories = help_center.load_categories(TEMPLATES / "categories.toml")
    return help_center.shelve(list(ARTICLES), TEMPLATES, categories)


def category_pages(shelved: help_center.Shelf) -> list[Page]:
    return [Page(c.path, "category.html.j2", c.title, c.description) for c in shelved.categories.values()]


def environment() -> Environment:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(TEMPLATES), PackageLoader("partnerapp.web", "templates")]),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["code_spans"] = code_spans
    return pages.install_globals(env)


def code_spans(text: str) -> Markup:
    """`name` in the OpenAPI prose as <code>name</code>; everything else stays escaped text."""
    html = Markup()
    for index, part in enumerate(text.split("`")):
        # Odd parts sat between backticks; `%` on Markup escapes the part it inserts.
        html += Markup("<code>%s</code>") % part if index % 2 else escape(part)
    return html


def _terms(product: str, origin: str) -> list[tuple[str, str]]:
    """One column of the compare table: what a payment origin means for one product."""
    partner_managed = catalog.partner_manages(origin)
    trial = catalog.TRIAL
    return [
        ("Who pays the invoices", "You, the partner" if partner_managed else "The customer"),
        (
            "What you earn",
            f"{catalog.discount_percent(origin)}% discount on every invoice, for life"
            if partner_managed
            else f"{catalog.commission_percent(origin)}% recurring commission once the trial converts",
        ),
        (
            "Subscription details",
            "Yours; hidden from the customer"
            if partner_managed
            else "The customer's; hidden from you and read-only",
        ),
        (
            "What is billed",
            "Only the seats actually used (accepted invitations)"
            if partner_managed
            else "The plan the customer chooses",
        ),
        ("Invite additional users", "Yes" if catalog.can_invite_operators(product, origin) else "No"),
        (
            "Customize the offer (extra discount, longer trial)",
            "Yes" if catalog.can_customize_offer(product, origin) else "No",
        ),
        ("Trial length", f"{trial.default_days} days, or {trial.min_days} to {trial.max_days} if you choose"),
    ]


def payment_comparison() -> list[dict[str, Any]]:
    """The compare table, per product: a row per term, a cell per payment origin."""
    products = []
    for code, product in catalog.PRODUCTS.items():
        columns = [_terms(code, origin) for origin in catalog.PAYMENT_ORIGINS]
        rows = [
            {"label": label, "cells": [column[index][1] for column in columns]}
            for index, (label, _) in enumerate(columns[0])
        ]
        products.append({"code": code, "name": product.name, "rows": rows})
    return products


def _context(page: Page, **extra: Any) -> dict[str, Any]:
    return {
        "title": page.title,
        "description": page.description,
        "current": page.path,
        "partner": None,
        "rules": form_rules(),
        "values": pages.form_values(),
        "errors": {},
        "email": "",
        "operator_rows": forms.blank_operator_rows([]),
        "embedded": True,
        "catalog": catalog.rules_document(),
        "comparison": payment_comparison(),
        "limits": {
            "max_trial_days": catalog.MAX_TRIAL_DAYS_WITH_EXTENSIONS,
            "max_extra_discount": catalog.MAX_EXTRA_DISCOUNT_PERCENT,
            "trial_reminder_days": catalog.TRIAL_REMINDER_DAYS,
            "invitation_link_days": catalog.INVITATION_LINK_DAYS,
        },
        "payment_origins": [
            {"code": o, "label": "Partner-managed" if catalog.partner_manages(o) else "Customer-managed"}
            for o in catalog.PAYMENT_ORIGINS
        ],
        **extra,
    }


def _feedback(page: Page) -> dict[str, Any] | None:
    """What the article's "Was this article helpful?" block needs, from the feedback rules."""
    article = next((a for a in article_votes.ARTICLES.values() if a.path == page.path), None)
    if article is None:
        return None
    return {
        "article": article.article_id,
        "thanks": article_votes.THANKS,
        "question": article_votes.COMMENT_QUESTION,
        "comment_thanks": article_votes.COMMENT_THANKS,
        "max_length": article_votes.COMMENT_MAX_LENGTH,
    }


def _shelf_context(shelved: help_center.Shelf, page: Page) -> dict[str, Any]:
    """Where the article sits (breadcrumbs) and what to read next (related articles)."""
    return {"breadcrumbs": shelved.breadcrumbs(page.path), "related": shelved.related(page.path)}


def _render_article(
    env: Environment, page: Page, api_view: dict[str, Any], shelved: help_center.Shelf
) -> tuple[str, str]:
    """The article's page and its text. The facts line is not part of the text, so the text
    is read from a first rendering, and the reading time is counted from it."""
    facts = article_facts.read_front_matter(TEMPLATES / page.template)
    template = env.get_template(page.template)
    extra = {"api": api_view, "article_feedback": _feedback(page), **_shelf_context(shelved, page)}
    draft = template.render(_context(page, **extra, article_facts={"minutes": 0, "updated": facts.updated}))
    text = article_facts.article_text(draft)
    minutes = article_facts.reading_minutes(text)
    html = template.render(
        _context(page, **extra, article_facts={"minutes": minutes, "updated": facts.updated})
    )
    return html, text


def article_texts() -> dict[Page, str]:
    """Each article's text as built: what its reading time and front matter hash are of."""
    env = environment()
    api_view = reference.view(openapi.generate())
    shelved = shelf()
    texts = {}
    for page in ARTICLES:
        facts = {"minutes": 0, "updated": date.min}  # the facts line is not text
        extra = {
            "api": api_view,
            "article_feedback": _feedback(page),
            "article_facts": facts,
            **_shelf_context(shelved, page),
        }
        texts[page] = article_facts.article_text(
            env.get_template(page.template).render(_context(page, **extra))
        )
    return texts


def procedures_css(rules: dict[str, Any]) -> str:
    """Without script, the form shows the checked product's procedure: its step numbers and
    none of the steps it does not have. Built from the rules, so no product is named by hand."""
    chosen = '.wizard:not([data-scripted]):has(input[name="product"][value="{code}"]:checked)'
    lines = [
        "/* Built by partnerapp_infra.site.builder from the form's rules (partnerapp.web.rules). */",
        "[data-number-for] { display: none; }",
    ]
    for code, keys in rules["procedures"].items():
        scope = chosen.format(code=code)
        lines.append(
            f'{scope} legend:has([data-number-for="{code}"]) [data-step-number] {{ display: none; }}'
        )
        lines.append(f'{scope} [data-number-for="{code}"] {{ display: inline-block; }}')
        lines.extend(
            f'{scope} [data-step="{k}"] {{ display: none; }}' for k in rules["step_order"] if k not in keys
        )
    return "\n".join(lines) + "\n"


def _write(out: Path, path: str, text: str) -> Path:
    target = out / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return target


def build(out: Path = DEFAULT_OUT) -> list[Path]:
    """Build the whole site into `out`, replacing what was there; returns the files written."""
    staging = out.with_name(f"{out.name}.building-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    written = _build_into(staging)
    old = out.with_name(f"{out.name}.old-{os.getpid()}")
    if out.exists():
        out.rename(old)
    staging.rename(out)
    shutil.rmtree(old, ignore_errors=True)
    return [out / path.relative_to(staging) for path in written]


def _build_into(out: Path) -> list[Path]:
    env = environment()
    document = openapi.generate()
    written = [_write(out, "/openapi.json", openapi.generate_text())]
    api_view = reference.view(document)
    shelved = shelf()
    rendered: dict[str, str] = {}
    for page in ARTICLES:
        rendered[page.path] = _render_article(env, page, api_view, shelved)[0]
        written.append(_write(out, page.path, rendered[page.path]))
    outline = _outline(shelved, rendered)
    for page in OTHER_PAGES:
        html = env.get_template(page.template).render(_context(page, api=api_view, outline=outline))
        written.append(_write(out, page.path, html))
    for page, category in zip(category_pages(shelved), shelved.categories.values(), strict=True):
        extra = {"category": category, "category_articles": shelved.in_category(category.key)}
        html = env.get_template(page.template).render(
            _context(page, breadcrumbs=shelved.breadcrumbs(page.path), **extra)
        )
        written.append(_write(out, page.path, html))
    index = search.index([(p.path, p.title, rendered[p.path]) for p in ARTICLES])
    written.append(_write(out, "/search-index.json", json.dumps(index, separators=(",", ":"))))
    home = env.get_template(HOME.template).render(_context(HOME, outline=outline))
    written.append(_write(out, HOME.path, home))
    written.append(_write(out, "/assets/css/procedures.css", procedures_css(form_rules())))
    for source in sorted(p for p in ASSETS.rglob("*") if p.is_file()):
        target = out / "assets" / source.relative_to(ASSETS)
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy_asset(source, target)
        written.append(target)
    return written


def _copy_asset(source: Path, target: Path) -> None:
    """Our CSS and scripts go out minified: their comments say why for the next engineer and
    cost every visitor bytes (the form page's budget, tests/site/test_build.py). What is
    already minified (vendor/) and everything else is copied as it is."""
    if source.suffix == ".css":
        target.write_text(rcssmin.cssmin(source.read_text()))
    elif source.suffix == ".js" and "vendor" not in source.parts:
        target.write_text(rjsmin.jsmin(source.read_text()))
    else:
        shutil.copyfile(source, target)


def _outline(shelved: help_center.Shelf, rendered: dict[str, str]) -> list[dict[str, Any]]:
    """Each category with its articles and their top-level sections (h2), for the home page
    and the all-articles page."""
    return [
        {
            "category": category,
            "articles": [
                {
                    "path": a.path,
                    "title": a.title,
                    "description": a.description,
                    "sections": [s for s in search.sections(a.path, rendered[a.path]) if s["level"] == "h2"],
                }
                for a in shelved.in_category(category.key)
            ],
        }
        for category in shelved.categories.values()
    ]


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    files = build(out)
    print(f"Built {len(files)} files into {out}")


if __name__ == "__main__":
    main()
