"""Check what `sam build` produced: every function of template.yaml has an artifact that
holds its handler, nothing local-only, and every third-party package functions/ imports
(beyond what Lambda's Python runtime provides). On an arm64 machine, the artifacts are also
imported, module by module, with the runtime's Python.

`make sam-build` runs `sam build` (no Docker, no AWS) and then
`python -m partnerapp_infra.aws.check_sam_build BUILD_DIR PYTHON312`.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from partnerapp_infra import paths
from partnerapp_infra.aws import template

# What Lambda's Python runtime ships: boto3 and what it needs, and SnapStart's runtime hooks
# library. Everything else comes from functions/requirements.txt into each artifact.
RUNTIME_PROVIDED = {
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "dateutil",
    "urllib3",
    "six",
    "snapshot_restore_py",
}
# What the import check links in from this machine as the runtime's own.
RUNTIME_LINKED = ("boto3", "s3transfer", "snapshot_restore_py")
# The handler as Lambda imports it, then every module beside it (the API imports most of them
# on its first request only). No environment is read at import time.
IMPORT_EVERYTHING = """
import importlib, pkgutil, sys
module, _, name = sys.argv[1].rpartition(".")
assert callable(getattr(importlib.import_module(module), name))
import partnerapp
for found in pkgutil.walk_packages(partnerapp.__path__, "partnerapp."):
    importlib.import_module(found.name)
"""


def third_party_imports() -> set[str]:
    """Top-level names of the packages functions/partnerapp imports from outside itself."""
    names: set[str] = set()
    for path in (paths.REPO_ROOT / "functions" / "partnerapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in ("partnerapp", "__future__")}


def check_artifact(artifact: Path, handler: str) -> list[str]:
    problems = []
    if not (artifact / (handler.rpartition(".")[0].replace(".", "/") + ".py")).is_file():
        problems.append(f"{handler} is missing")
    problems += [
        f"local-only {d}/ packaged" for d in ("partnerapp_infra", "tests") if (artifact / d).exists()
    ]
    for name in sorted(third_party_imports() - RUNTIME_PROVIDED):
        if not ((artifact / name).is_dir() or (artifact / f"{name}.py").is_file()):
            problems.append(f"{name} is imported but not packaged: is it in functions/requirements.txt?")
    return problems


def import_on_runtime(artifact: Path, handler: str, python: str) -> str | None:
    """Import everything from the artifact with the runtime's Python; the error, if any."""
    with tempfile.TemporaryDirectory() as runtime:
        for name in RUNTIME_LINKED:  # linked from here: Lambda provides them
            _link_installed(name, Path(runtime))
        result = subprocess.run(
            [python, "-c", IMPORT_EVERYTHING, handler],
            env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": f"{artifact}{os.pathsep}{runtime}"},
            capture_output=True,
            text=True,
            check=False,
        )
    return result.stderr if result.returncode else None


def _link_installed(name: str, into: Path) -> None:
    """Link this machine's installed package or single-file module `name` into `into`."""
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.origin, f"{name} is not installed"
    if spec.submodule_search_locations:  # a package: its folder
        (into / name).symlink_to(next(iter(spec.submodule_search_locations)))
    else:  # a module of one file, as snapshot_restore_py is
        (into / f"{name}.py").symlink_to(spec.origin)


def main(argv: list[str]) -> None:
    build_dir, python = Path(argv[1]), argv[2]
    built: dict[str, Any] = template.load_template(build_dir / "template.yaml")
    functions = {n: b for n, b in built["Resources"].items() if b["Type"] == "AWS::Serverless::Function"}
    if set(functions) != set(template.resources("AWS::Serverless::Function")):
        raise SystemExit("the build does not hold every function of template.yaml")
    # The artifacts hold arm64 binaries (cryptography's, say): only an arm64 machine loads them.
    importable = platform.machine() in ("aarch64", "arm64")
    for name, body in functions.items():
        artifact, handler = build_dir / body["Properties"]["CodeUri"], body["Properties"]["Handler"]
        problems = check_artifact(artifact, handler)
        error = import_on_runtime(artifact, handler, python) if importable and not problems else None
        if problems or error:
            raise SystemExit(f"{name}: " + "; ".join(problems) + (error or ""))
        imported = ", imports on python3.12" if importable else ""
        print(f"{name}: {handler} packaged with its dependencies{imported}")
    if not importable:
        print(f"(not imported: this machine is {platform.machine()}, the artifacts are arm64)")


if __name__ == "__main__":
    main(sys.argv)
