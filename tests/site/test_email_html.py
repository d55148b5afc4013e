"""Every email's HTML part as a reader meets it: valid HTML by the Nu HTML checker (vnu-jar from
npm, `make test` installs it), and one column that fits a 320 CSS px screen without scrolling
sideways (WCAG 1.4.10), in Chromium. Each check also runs on a broken control page, so a checker
that reports nothing cannot pass the emails unseen."""

from __future__ import annotations

import json
import shutil
import subprocess  # nosec B404: runs java on vnu.jar with our own file paths
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from partnerapp_infra.paths import REPO_ROOT
from tests.email_samples import every_email

VNU = REPO_ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NARROW = 320
# Invalid (an obsolete element) and too wide for a phone: both checks must catch it.
CONTROL = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Control</title></head>'
    '<body><center><div style="width: 600px;">A fixed 600 px column</div></center></body></html>'
)


@pytest.fixture(scope="module")
def html_parts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each email kind's HTML part as a file, and the control as `control`."""
    folder = tmp_path_factory.mktemp("email-html")
    parts = {kind: email.html for kind, email in every_email().items()} | {"control": CONTROL}
    for kind, html in parts.items():
        (folder / f"{kind}.html").write_text(html, encoding="utf-8")
    return {kind: folder / f"{kind}.html" for kind in parts}


def nu_errors(files: list[Path]) -> dict[str, list[str]]:
    """The checker's errors by file stem, from one Java start for every file."""
    java = shutil.which("java")
    assert java, "Java is missing: the Nu HTML checker runs on it"
    assert VNU.exists(), "vnu-jar is missing: `make test` installs it with npm"
    run = subprocess.run(  # nosec B603: a fixed command, our own files
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    errors: dict[str, list[str]] = {}
    for message in json.loads(run.stderr)["messages"]:  # vnu writes its report to stderr
        stem = Path(unquote(urlsplit(message.get("url", "")).path)).stem
        errors.setdefault(stem, []).append(f"line {message.get('lastLine')}: {message['message']}")
    return errors


def test_every_html_part_passes_the_nu_html_checker(html_parts: dict[str, Path]) -> None:
    errors = nu_errors(list(html_parts.values()))
    assert "control" in errors, "the checker found nothing wrong with the invalid control page"
    emails = {kind: found for kind, found in errors.items() if kind != "control"}
    assert emails == {}, json.dumps(emails, indent=1, ensure_ascii=False)


def test_every_html_part_reflows_at_320_px(chromium: Any, html_parts: dict[str, Path]) -> None:
    context = chromium.new_context(viewport={"width": NARROW, "height": 640})
    page = context.new_page()
    widths = {}
    for kind, path in html_parts.items():
        page.goto(path.as_uri())
        widths[kind] = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert widths.pop("control") > NARROW  # the measure sees a page that overflows
    assert {kind: width for kind, width in widths.items() if width > NARROW} == {}
