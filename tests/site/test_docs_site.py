"""The engineers' docs site (mkdocs.yml, docs/) builds with --strict, holds every page and
SECURITY.md's threat model, and its pages fetch nothing from the network: no web font, and the
architecture diagram drawn by the mermaid copy `make docs` unpacks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from partnerapp_infra.paths import REPO_ROOT

DOCS = REPO_ROOT / "docs"


@pytest.fixture(scope="module")
def docs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("docs-site")
    build = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(build, cwd=REPO_ROOT, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
    return site


def test_every_page_is_built_and_the_security_page_holds_the_threat_model(docs_site: Path) -> None:
    for source in DOCS.glob("*.md"):
        assert (docs_site / source.with_suffix(".html").name).is_file(), source.name
    security = (docs_site / "security.html").read_text()
    assert "Threat model" in security
    assert "tests/unit/test_security_md.py" in security  # SECURITY.md's own text, included


def test_the_pages_fetch_nothing_and_the_diagram_is_drawn_offline(docs_site: Path, chromium: Any) -> None:
    assert (docs_site / "javascripts" / "mermaid.min.js").is_file(), "`make docs` unpacks mermaid into docs/"
    requested: list[str] = []

    def only_local(route: Any) -> None:
        requested.append(route.request.url)
        route.continue_() if route.request.url.startswith("file:") else route.abort()

    page = chromium.new_page()
    try:
        page.route("**/*", only_local)
        for name in ("index.html", "security.html", "architecture.html"):
            page.goto((docs_site / name).as_uri(), wait_until="load")
        diagram = page.wait_for_selector("div.mermaid", timeout=15_000)
        box = diagram.bounding_box()
        assert page.locator("pre.mermaid").count() == 0  # its source replaced by the drawing
    finally:
        page.close()
    assert box and box["height"] > 100, box
    assert requested
    assert not sorted({url for url in requested if not url.startswith("file:")})
