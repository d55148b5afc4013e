"""`python -m partnerapp_infra.site.article_stamp`: give every article whose text changed today's
date and its new hash in its front matter (see `article_facts`). A module of its own because it
needs both the builder (the articles' text as built) and the facts; the builder imports the
facts, so the facts cannot import the builder."""

from __future__ import annotations

import sys
from datetime import UTC, datetime

from partnerapp_infra.site import article_facts
from partnerapp_infra.site import builder as site_builder


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args not in ([], ["stamp"]):  # `stamp` kept as a harmless word for the old habit
        print("usage: python -m partnerapp_infra.site.article_stamp", file=sys.stderr)
        return 2
    today = datetime.now(UTC).date()
    for page, text in site_builder.article_texts().items():
        source = site_builder.TEMPLATES / page.template
        digest = article_facts.text_digest(text)
        current = article_facts.front_matter_path(source).is_file() and (
            article_facts.read_front_matter(source).text_sha256 == digest
        )
        if not current:
            article_facts.stamp(source, today, digest)
            name = article_facts.front_matter_path(source).relative_to(site_builder.TEMPLATES)
            print(f"stamped {name}: {today}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
