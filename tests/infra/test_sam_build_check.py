"""`make sam-build`'s artifact check and SnapStart's hooks library: Lambda's Python runtime
provides `snapshot_restore_py`, so the functions do not package it, the check does not ask for
it in an artifact, and its import check links this machine's copy in as the runtime's own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from partnerapp_infra import paths
from partnerapp_infra.aws import check_sam_build

HANDLER = "partnerapp.handlers.api.lambda_handler"


def test_the_hooks_library_comes_from_the_runtime_not_the_artifact(tmp_path: Path) -> None:
    assert "snapshot_restore_py" in check_sam_build.third_party_imports()
    requirements = (paths.REPO_ROOT / "functions" / "requirements.txt").read_text()
    assert "snapshot-restore-py" not in requirements
    # An artifact with the handler and every package the runtime does not provide passes ...
    (tmp_path / "partnerapp" / "handlers").mkdir(parents=True)
    (tmp_path / "partnerapp" / "handlers" / "api.py").write_text("")
    for name in check_sam_build.third_party_imports() - check_sam_build.RUNTIME_PROVIDED:
        (tmp_path / name).mkdir()
    assert check_sam_build.check_artifact(tmp_path, HANDLER) == []
    # ... and one without a package the runtime does not provide is refused, naming it.
    (tmp_path / "marshmallow").rmdir()
    assert check_sam_build.check_artifact(tmp_path, HANDLER) == [
        "marshmallow is imported but not packaged: is it in functions/requirements.txt?"
    ]


def test_the_import_check_gives_the_artifact_the_runtimes_hooks_library(tmp_path: Path) -> None:
    for name in check_sam_build.RUNTIME_LINKED:
        check_sam_build._link_installed(name, tmp_path)
    # -S: no site-packages, so the module can only come from the links
    probe = "import snapshot_restore_py as hooks; print(hooks.register_after_restore.__name__)"
    ran = subprocess.run(
        [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.insert(0, {str(tmp_path)!r}); {probe}"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert ran.stdout.strip() == "register_after_restore"
    assert (tmp_path / "snapshot_restore_py.py").resolve().is_file()
