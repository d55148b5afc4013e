"""template.yaml, the code and the dev server stay in step."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from partnerapp_infra import paths
from partnerapp_infra.aws import stacks, template
from partnerapp_infra.local import emulator as local_stack

FUNCTIONS = paths.REPO_ROOT / "functions"
# How the functions read their environment (settings.py's helpers included).
READERS = ("os.environ.get", "os.getenv", "_required", "_optional", "os.environ.__getitem__")


@pytest.mark.parametrize(
    "scenario", [[], *(["--parameters", f"DataRegion={r}"] for r in stacks.DATA_REGIONS)]
)
def test_cfn_lint_passes_for_the_template_and_each_data_region(scenario: list[str]) -> None:
    # Errors, warnings and informational findings all fail: the exit code is 0 only if clean.
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), "--include-checks", "I", *scenario, "--", str(template.TEMPLATE_PATH)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_handler_resolves_to_a_function_in_functions() -> None:
    functions = template.resources("AWS::Serverless::Function")
    assert {"ApiFunction", "MailerFunction", "OutboxSweepFunction", "SesEventsFunction"} <= set(functions)
    for name in functions:
        handler = template.resolve_handler(template.function_handler_path(name))
        assert callable(handler)
        assert Path(sys.modules[handler.__module__].__file__ or "").is_relative_to(FUNCTIONS)


def _environment_variables_read_by_the_functions() -> set[str]:
    names: set[str] = set()
    for path in (FUNCTIONS / "partnerapp").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if (
                isinstance(node, ast.Call)
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                func = ast.unparse(node.func)
                if func in READERS:
                    names.add(node.args[0].value)
    return names


def test_every_variable_a_function_reads_is_set_by_the_template() -> None:
    read = _environment_variables_read_by_the_functions()
    assert {"PARTNERS_TABLE", "LICENSE_TABLES", "KEYED_HASH_SECRET_ID", "SERVED_DATA_CENTERS"} <= read
    set_by_template = set(template.function_environment())
    lambda_runtime = {"AWS_REGION"}  # set by Lambda itself
    assert read - set_by_template - lambda_runtime == set()


def test_the_api_serves_exactly_the_template_routes() -> None:
    from partnerapp.api.app import app

    served = {f"{r.method} {r.path}" for r in app._static_routes + app._dynamic_routes}
    in_template = {
        f"{r.method} {r.flask_rule}" for r in template.http_routes() if r.function == "ApiFunction"
    }
    assert served == in_template


def test_local_environment_gives_every_template_variable_a_value() -> None:
    environment = local_stack.local_environment("http://127.0.0.1:8000")
    assert set(template.function_environment()) <= set(environment)
    assert environment["PARTNERAPP_MODE"] == "local"
    # one local process plays every stack: it serves every data region
    assert environment["SERVED_DATA_CENTERS"] == "us-south1,eu-west3"
    for name in template.resources("AWS::Serverless::Function"):
        own = local_stack.local_environment("http://127.0.0.1:8000", function=name)
        assert set(template.function_environment(name)) <= set(own)


def test_home_tables_are_set_only_for_the_home_stacks_functions() -> None:
    # A regional stack has no partners table: its functions must not be told of one. The home
    # stack's functions (the API, the lifecycle job, webhooks) serve every data region.
    functions = template.resources("AWS::Serverless::Function")
    assert {"ApiFunction", "LifecycleFunction", "WebhooksFunction"} <= set(functions)
    for name, function in functions.items():
        variables = template.function_environment(name)
        home = function.get("Condition") == "IsHome"
        assert ("PARTNERS_TABLE" in variables) is home, name
        assert ("SERVED_DATA_CENTERS" in variables) is not home, name


def test_tables_are_defined_once_in_the_template() -> None:
    licenses = template.table_definition("LicensesTable")
    assert {i["IndexName"] for i in licenses["GlobalSecondaryIndexes"]} == {
        "by_partner",
        "by_status",
        "by_organization",
        "outbox",
        "lifecycle",
        "events",
        "earnings",
        "conversions",
    }
    partners = template.table_definition("PartnersTable")
    assert {i["IndexName"] for i in partners["GlobalSecondaryIndexes"]} == {"webhook_pending", "partner_due"}
    assert licenses["StreamSpecification"]["StreamEnabled"] is True
