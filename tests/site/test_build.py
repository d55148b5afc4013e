"""The built help-center site: every page renders, links resolve, nothing is left of the
templates, the rules and the API reference come from the code, and the form page is lean."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from partnerapp import catalog
from partnerapp_infra import openapi
from partnerapp_infra.aws import template
from partnerapp_infra.site.builder import ARTICLES, HOME, OTHER_PAGES, category_pages, shelf

PAGES = [HOME, *ARTICLES, *OTHER_PAGES, *category_pages(shelf())]
FORM_PAGE_BUDGET = 60 * 1024


class Page(HTMLParser):
    """What a test needs of a page: its ids, links, scripts and attributes."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str, str]] = []  # (tag, attribute, url)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.data: dict[str, str] = {}
        self._json_script: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        self.tags.append((tag, values))
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for attribute in ("href", "src", "action"):
            if values.get(attribute):
                self.links.append((tag, attribute, values[attribute] or ""))
        if tag == "script" and values.get("type") == "application/json":
            self._json_script = values.get("id") or ""

    def handle_data(self, data: str) -> None:
        if self._json_script is not None:
            self.data[self._json_script] = self.data.get(self._json_script, "") + data

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._json_script = None


def _read(site: Path, path: str) -> str:
    return (site / path.lstrip("/")).read_text(encoding="utf-8")


def _routes() -> set[tuple[str, str]]:
    return {(r.method, r.path) for r in template.http_routes()}


def _is_route(path: str) -> bool:
    for _, route_path in _routes():
        pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(route_path)) + "$"
        if re.match(pattern, path):
            return True
    return False


@pytest.mark.parametrize("page", PAGES, ids=[p.path for p in PAGES])
def test_every_page_renders_completely(built_site: Path, page: object) -> None:
    path = page.path  # type: ignore[attr-defined]
    text = _read(built_site, path)
    parsed = Page(text)
    assert text.startswith("<!doctype html>") and '<html lang="en">' in text
    assert f"<title>{page.title} · Partner help center</title>" in text  # type: ignore[attr-defined]
    assert sum(1 for tag, _ in parsed.tags if tag == "h1") == 1
    assert "main" in {tag for tag, _ in parsed.tags}
    # Nothing of the template language is left in the output (JSON data may end in "}}")
    for marker in ("{{", "{%", "%}", "{#", "#}"):
        assert marker not in text, f"{marker} in {path}"


def test_no_template_syntax_in_any_built_file(built_site: Path) -> None:
    for file in built_site.rglob("*"):
        if file.suffix in (".html", ".json", ".js", ".css"):
            text = file.read_text(encoding="utf-8")
            assert not re.search(r"\{\{|\{%|\{#", text), file


def test_every_internal_link_resolves(built_site: Path) -> None:
    for file in built_site.rglob("*.html"):
        for tag, attribute, url in Page(file.read_text(encoding="utf-8")).links:
            parts = urlsplit(url)
            assert not parts.scheme and not parts.netloc, f"{file.name}: {url} leaves the site"
            target_path = parts.path or "/" + str(file.relative_to(built_site))
            target = built_site / target_path.lstrip("/")
            assert target.is_file() or _is_route(target_path), f"{file.name}: {tag} {attribute}={url}"
            if parts.fragment and target.is_file():
                ids = Page(target.read_text(encoding="utf-8")).ids
                assert parts.fragment in ids, f"{file.name}: #{parts.fragment} not in {target_path}"


def test_pages_have_no_inline_script_or_style(built_site: Path) -> None:
    # The CSP allows scripts and styles from files only; inline ones would be blocked.
    for file in built_site.rglob("*.html"):
        for tag, values in Page(file.read_text(encoding="utf-8")).tags:
            assert "style" not in values, f"{file.name}: style attribute on {tag}"
            assert not [name for name in values if name.startswith("on")], f"{file.name}: handler on {tag}"
            if tag == "script":
                assert values.get("src") or values.get("type") == "application/json", file.name
            assert tag != "style", file.name


def test_the_form_gets_the_servers_rules(built_site: Path) -> None:
    from partnerapp.web.rules import form_rules

    shipped = json.loads(Page(_read(built_site, "/guides/setting-up-licenses.html")).data["license-rules"])
    assert shipped == form_rules()
    assert shipped["products"]["chatbot"]["invites"] == {"partner": False, "client": False}
    assert shipped["products"]["livechat"]["invites"] == {"partner": True, "client": False}
    assert shipped["fields"]["client_name"]["min_length"] == 5


def test_the_guide_embeds_the_form_in_its_steps(built_site: Path) -> None:
    text = _read(built_site, "/guides/setting-up-licenses.html")
    steps, form, choices = (
        text.index('id="steps"'),
        text.index('id="create-license"'),
        text.index('id="choices"'),
    )
    assert steps < form < choices
    for words in (
        "20% discount for the lifetime",
        "20% recurring commission",
        "seats actually used",
        "ChatBot",
    ):
        assert words in text
    assert 'action="/web/licenses"' in text and 'name="website"' in text


def test_payment_types_are_compared_from_the_catalog(built_site: Path) -> None:
    text = _read(built_site, "/guides/payment-types.html")
    for code, product in catalog.PRODUCTS.items():
        section = text[text.index(f'id="{code}"') :]
        row = re.search(r"Invite additional users</th>\s*<td>(\w+)</td><td>(\w+)</td>", section)
        assert row, code
        expected = tuple(
            "Yes" if catalog.can_invite_operators(code, o) else "No" for o in catalog.PAYMENT_ORIGINS
        )
        assert row.groups() == expected, product.name
    assert f"{catalog.PARTNER_DISCOUNT_PERCENT}% discount on every invoice, for life" in text


def test_the_openapi_document_matches_the_code(built_site: Path) -> None:
    from partnerapp.schemas.licenses import CreateLicenseSchema

    # The served document is what the code generates now
    served = _read(built_site, "/openapi.json")
    assert served == openapi.generate_text()
    document = json.loads(served)
    # Its operations are exactly the template's partner API routes, each documented, and the
    # documented methods not offered (the template's `/v2/{proxy+}` takes them to the API)
    in_template = {
        (r.method.lower(), r.path)
        for r in template.http_routes()
        if r.function == "ApiFunction" and r.path.startswith("/v2/")
    }
    not_offered = {(method.lower(), path) for method, path, _ in openapi.not_offered()}
    in_document = {(method, path) for path, ops in document["paths"].items() for method in ops}
    assert in_document == in_template | not_offered and not in_template & not_offered
    assert openapi.undocumented() == []  # each route carries its `@Doc`
    # And the create body is the marshmallow schema the API loads
    create = document["components"]["schemas"]["CreateLicense"]
    schema = CreateLicenseSchema()
    assert set(create["properties"]) == set(schema.fields)
    assert set(create["required"]) == {name for name, f in schema.fields.items() if f.required}
    assert create["properties"]["client_name"]["minLength"] == 5


def test_the_api_reference_shows_every_operation_and_schema(built_site: Path) -> None:
    document = json.loads(_read(built_site, "/openapi.json"))
    ids = Page(_read(built_site, "/reference/api.html")).ids
    for operations in document["paths"].values():
        for operation in operations.values():
            assert operation["operationId"] in ids
    for name in document["components"]["schemas"]:
        assert f"schema-{name}" in ids


def test_the_search_index_covers_every_article(built_site: Path) -> None:
    documents = json.loads(_read(built_site, "/search-index.json"))["documents"]
    assert {urlsplit(url).path for url in documents} == {a.path for a in ARTICLES}
    commission = [url for url, d in documents.items() if "commission" in d["text"].lower()]
    assert any(url.startswith("/guides/setting-up-licenses.html#") for url in commission)


def test_the_form_page_with_its_css_and_js_stays_under_60_kb(built_site: Path) -> None:
    page = "/guides/setting-up-licenses.html"
    text = _read(built_site, page)
    assets = {url for tag, _, url in Page(text).links if tag in ("link", "script", "img")}
    assert {"/assets/css/site.css", "/assets/js/site.js", "/assets/js/license-form.js"} <= assets
    total = len(text.encode()) + sum((built_site / url.lstrip("/")).stat().st_size for url in assets)
    print(f"form page with its CSS, JS and images: {total} bytes of {FORM_PAGE_BUDGET}")
    assert total < FORM_PAGE_BUDGET
