"""template.yaml, the code and the dev server stay in step."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from partnerapp_infra import local_stack, template

FUNCTIONS = template.REPO_ROOT / "functions"


def test_cfn_lint_passes() -> None:
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run(
        [str(cfn_lint), str(template.TEMPLATE_PATH)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_handler_resolves_to_a_function_in_functions() -> None:
    functions = template.resources("AWS::Serverless::Function")
    assert {"ApiFunction", "MailerFunction", "OutboxSweepFunction"} <= set(functions)
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
                if func in ("os.environ.get", "os.getenv", "_required", "os.environ.__getitem__"):
                    names.add(node.args[0].value)
    return names


def test_every_variable_a_function_reads_is_set_by_the_template() -> None:
    read = _environment_variables_read_by_the_functions()
    assert {"PARTNERS_TABLE", "LICENSE_TABLES", "KEYED_HASH_SECRET"} <= read
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


def test_tables_are_defined_once_in_the_template() -> None:
    licenses = template.table_definition("LicensesTable")
    assert {i["IndexName"] for i in licenses["GlobalSecondaryIndexes"]} == {
        "by_partner",
        "by_status",
        "by_organization",
        "outbox",
    }
    assert licenses["StreamSpecification"]["StreamEnabled"] is True
