"""Checkov on what is deployed: template.yaml and each data region's stack after the SAM
transform. No check fails; a check that does not fit is skipped in the resource's Metadata
with its reason, and the reason must survive the transform to count."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from partnerapp_infra import paths
from partnerapp_infra.aws import sam_transform, stacks, template

# checkov pins a boto3 older than the functions', so `make test` installs it in a venv of its
# own (requirements-checkov.txt); CHECKOV names another executable.
CHECKOV = Path(os.environ.get("CHECKOV", paths.REPO_ROOT / ".venv-checkov" / "bin" / "checkov"))
# Offline: no update check, no download of the check-to-guideline mapping or external modules.
OFFLINE = {"CKV_SKIP_PACKAGE_UPDATE_CHECK": "true", "BC_SKIP_MAPPING": "TRUE"}
NO_COMMENT = "No comment provided"
ARGUMENTS = ("--framework", "cloudformation", "--output", "json", "--skip-download")


def _checkov(path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [str(CHECKOV), "--file", str(path), *ARGUMENTS],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **OFFLINE},
    )
    assert result.returncode in (0, 1), result.stderr  # 1: checks failed; anything else: a crash
    report: dict[str, Any] = json.loads(result.stdout)
    assert report["summary"]["parsing_errors"] == 0, report["summary"]
    return report


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """What checkov reports for template.yaml and for each stack, run once per file."""
    assert CHECKOV.exists(), f"{CHECKOV} is missing: `make test` installs it (requirements-checkov.txt)"
    folder = tmp_path_factory.mktemp("stacks")
    found = {"template.yaml": _checkov(template.TEMPLATE_PATH)}
    for data_region in stacks.DATA_REGIONS:
        stack = folder / f"{data_region}.json"
        stack.write_text(json.dumps(sam_transform.transform(data_region), default=str))
        found[data_region] = _checkov(stack)
    return found


def _checks(report: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
    return report["results"].get(outcome, [])  # type: ignore[no-any-return]


def test_checkov_fails_no_check_in_the_template_nor_in_either_stack(
    reports: dict[str, dict[str, Any]],
) -> None:
    # Given the template and both transformed stacks; when checkov reads them; then nothing fails.
    for name, report in reports.items():
        failed = [f"{c['check_id']} {c['resource']}" for c in _checks(report, "failed_checks")]
        assert failed == [], (name, failed)
        assert report["summary"]["passed"] > 0, name  # it did check something


def test_every_skipped_check_states_its_reason(reports: dict[str, dict[str, Any]]) -> None:
    # Checkov itself reads a skip without a comment as this placeholder: that is no reason.
    def explained(check: dict[str, Any]) -> bool:
        comment = str(check["check_result"].get("suppress_comment") or "").strip()
        return comment not in ("", NO_COMMENT)

    for name, report in reports.items():
        skipped = _checks(report, "skipped_checks")
        assert [c["check_id"] for c in skipped if not explained(c)] == [], name
    for name, body in template.load_template()["Resources"].items():
        for skip in (body.get("Metadata") or {}).get("checkov", {}).get("skip", []):
            assert skip["id"].startswith("CKV") and len(skip.get("comment", "").split()) >= 5, (name, skip)


def test_the_stacks_keep_the_templates_suppressions(reports: dict[str, dict[str, Any]]) -> None:
    # SAM rewrites functions into Lambda functions and roles: their skips must come along.
    def suppressed(report: dict[str, Any]) -> set[tuple[str, str]]:
        return {(c["check_id"], c["resource"].split(".")[-1]) for c in _checks(report, "skipped_checks")}

    in_template = suppressed(reports["template.yaml"])
    assert in_template
    for data_region in stacks.DATA_REGIONS:
        assert suppressed(reports[data_region]) == in_template, data_region
