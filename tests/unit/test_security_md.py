"""SECURITY.md's threat model names, for every row, tests that exist: a renamed or deleted
test breaks this, not the document's claim silently."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

from partnerapp_infra.paths import REPO_ROOT

SECURITY_MD = REPO_ROOT / "SECURITY.md"
NODE_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)(?:::(\w+))?`")
TOPICS = (
    "tokens",
    "sessions",
    "sign-in links",
    "invitation links",
    "webhooks (signing)",
    "webhooks (ssrf)",
    "billing events",
    "the edge",
    "secrets",
    "residency",
    "tenant isolation",
)


def threat_rows() -> list[list[str]]:
    lines = [line for line in SECURITY_MD.read_text().splitlines() if line.startswith("|")]
    header, separator, *rows = lines
    assert [c.strip() for c in header.strip("|").split("|")] == [
        "asset", "threat", "where it is stopped", "test that proves it"
    ]  # fmt: skip
    assert set(separator) <= set("|- ")
    return [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]


@cache
def defined_in(path: Path) -> set[str]:
    """`name` for module-level functions, `Class::method` for test classes' methods."""
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ClassDef):
            names |= {f"{node.name}::{f.name}" for f in node.body if isinstance(f, ast.FunctionDef)}
    return names


def test_every_row_names_tests_that_exist() -> None:
    rows = threat_rows()
    assert len(rows) >= len(TOPICS)
    for asset, threat, stopped, proof in rows:
        assert asset and threat and stopped, asset
        named = NODE_ID.findall(proof)
        assert named, f"row {asset!r}: {threat!r} names no test"
        for file, first, second in named:
            path = REPO_ROOT / file
            assert path.is_file(), file
            name = f"{first}::{second}" if second else first
            assert name.split("::")[-1].startswith("test_"), name
            assert name in defined_in(path), f"{file}::{name} is not defined"


def test_the_model_covers_every_asset_the_issue_names() -> None:
    assets = [row[0].lower() for row in threat_rows()]
    for topic in TOPICS:
        assert any(topic in asset for asset in assets), topic
