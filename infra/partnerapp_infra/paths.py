"""Where the repository is, for the tools that read its files (templates, site, SECURITY.md)."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
