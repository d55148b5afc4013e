"""Imports run one way in every package of ours: import-linter's `acyclic_siblings`
contract (pyproject.toml, [tool.importlinter]) finds any circle of modules or subpackages,
through imports at the top or inside a function alike, and names the imports that would
break it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from partnerapp_infra.paths import REPO_ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_no_package_of_ours_has_an_import_circle() -> None:
    # This tree's packages, whatever the virtualenv has installed.
    path = os.pathsep.join(str(REPO_ROOT / d) for d in ("functions", "infra", "client"))
    checked = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": path}, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No import circles KEPT" in checked.stdout
