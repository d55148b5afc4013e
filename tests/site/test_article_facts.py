"""Every article's facts: the reading time counted from its text, and the "Updated" date of
its front matter, which must change when its text does (the stored hash says so)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from partnerapp_infra.site import article_facts
from partnerapp_infra.site.builder import ARTICLES, TEMPLATES, Page, article_texts

TEXTS = article_texts()


@pytest.mark.parametrize("page", ARTICLES, ids=[p.path for p in ARTICLES])
def test_the_front_matter_is_of_the_articles_current_text(page: Page) -> None:
    source = TEMPLATES / page.template
    stored = article_facts.read_front_matter(source)
    current = article_facts.text_digest(TEXTS[page])
    assert stored.text_sha256 == current, (
        f"The text of {page.path} changed but {article_facts.front_matter_path(source).name} did not: "
        "set its `updated` date and hash with `python -m partnerapp_infra.site.article_stamp`, "
        "and commit it with the change."
    )


@pytest.mark.parametrize("page", ARTICLES, ids=[p.path for p in ARTICLES])
def test_each_article_shows_its_reading_time_and_updated_date(built_site: Path, page: Page) -> None:
    html = (built_site / page.path.lstrip("/")).read_text(encoding="utf-8")
    stored = article_facts.read_front_matter(TEMPLATES / page.template)
    minutes = article_facts.reading_minutes(TEXTS[page])
    facts = re.search(r'<p class="article-facts"[^>]*>(.*?)</p>', html, re.S)
    assert facts, page.path
    assert f"{minutes} min read" in facts.group(1)
    assert f'<time datetime="{stored.updated.isoformat()}">' in facts.group(1)
    assert stored.updated.strftime("%B %-d, %Y") in facts.group(1)
    # The facts sit right under the title
    assert html.index("</h1>") < html.index('class="article-facts"') < html.index("</h1>") + 200


def test_the_guide_reads_in_minutes_counted_at_200_words_a_minute() -> None:
    [guide] = [p for p in ARTICLES if p.path == "/guides/setting-up-licenses.html"]
    words = len(re.findall(r"\w+", TEXTS[guide]))
    assert article_facts.reading_minutes(TEXTS[guide]) == -(-words // 200)
    assert "Creating a ChatBot account" in TEXTS[guide]


def test_the_text_is_the_articles_prose_only() -> None:
    html = (
        "<main><article><h1>Title</h1><p data-not-prose>4 min read <span>Updated</span></p>"
        "<p>One two <em>three</em>.</p><script>var x = 1;</script>"
        '<form><label>Field</label><input name="a"></form>'
        "<section data-not-prose><h2>Was this article helpful?</h2><p>Yes</p></section></article>"
        "<footer>Not in the article</footer></main>"
    )
    assert article_facts.article_text(html) == "Title One two three ."
    assert article_facts.reading_minutes("word " * 200) == 1
    assert article_facts.reading_minutes("word " * 201) == 2


def test_a_changed_text_no_longer_matches_its_stored_hash(tmp_path: Path) -> None:
    # Given an article whose front matter was stamped for its text
    source = tmp_path / "guide.html.j2"
    source.write_text("", encoding="utf-8")
    stamped = article_facts.FrontMatter(date(2026, 1, 2), article_facts.text_digest("Old text"))
    article_facts.stamp(source, stamped.updated, stamped.text_sha256)
    assert article_facts.read_front_matter(source) == stamped
    # When the text changes, the stored hash is another text's
    assert article_facts.read_front_matter(source).text_sha256 != article_facts.text_digest("New text")


def test_stamping_keeps_the_category_and_related_articles(tmp_path: Path) -> None:
    template_file = tmp_path / "guide.html.j2"
    article_facts.front_matter_path(template_file).write_text(
        '# note\nupdated = 2026-01-01\ntext_sha256 = "old"\ncategory = "licenses"\nrelated = ["/a.html"]\n',
        encoding="utf-8",
    )
    article_facts.stamp(template_file, date(2026, 12, 7), "new")
    stored = article_facts.read_front_matter(template_file)
    assert (stored.updated, stored.text_sha256) == (date(2026, 12, 7), "new")
    assert (stored.category, stored.related) == ("licenses", ("/a.html",))


def test_the_facts_module_does_not_import_the_site_builder() -> None:
    """Imports run one way: the builder uses the facts; the stamp command uses both."""
    source = Path(article_facts.__file__).read_text(encoding="utf-8")
    assert "site_builder" not in re.sub(r'""".*?"""|#.*', "", source, flags=re.S)
