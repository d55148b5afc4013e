"""The SAM transform, offline: template.yaml to the CloudFormation each stack deploys.

aws-sam-translator (installed with cfn-lint) does what CloudFormation's transform does, with
the managed-policy map cfn-lint ships, so no AWS call is made. Run as a module to print one
stack's template: `python -m partnerapp_infra.aws.sam_transform eu-west3`.
"""

from __future__ import annotations

import copy
import functools
import importlib.util
import json
import sys
from pathlib import Path
from typing import Any

from partnerapp_infra.aws import template

# Where each data region's stack is deployed (the template's Rules require it).
STACK_REGIONS = {"us-south1": "us-east-1", "eu-west3": "eu-central-1"}
FAKE_CODE_URI = "s3://partnerapp-artifacts/functions.zip"


@functools.cache
def managed_policy_map() -> dict[str, str]:
    """cfn-lint's copy of the AWS managed policies, read without importing cfn-lint (whose
    SAM plugin relaxes the translator's own validation for the whole process)."""
    spec = importlib.util.find_spec("cfnlint")
    assert spec is not None and spec.submodule_search_locations, "cfn-lint is not installed"
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "Serverless" / "ManagedPolicies.json"
    loaded: dict[str, str] = json.loads(path.read_text())
    return loaded


def transform(data_region: str, parameters: dict[str, str] | None = None) -> dict[str, Any]:
    """The CloudFormation template of the `data_region` stack, as `sam deploy` would send it."""
    import boto3
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator

    sam = copy.deepcopy(template.load_template())
    for body in sam["Resources"].values():
        if body["Type"] == "AWS::Serverless::Function":
            body["Properties"]["CodeUri"] = FAKE_CODE_URI  # what `sam package` puts there
    sam["Globals"]["Function"].pop("CodeUri", None)
    session = boto3.session.Session(region_name=STACK_REGIONS[data_region])
    translator = Translator(managed_policy_map(), Parser(), boto_session=session)
    values = {"DataRegion": data_region, **(parameters or {})}
    transformed: dict[str, Any] = translator.translate(
        sam, parameter_values=values, get_managed_policy_map=managed_policy_map
    )
    return transformed


def main(argv: list[str]) -> None:
    data_region = argv[1] if len(argv) > 1 else "us-south1"
    json.dump(transform(data_region), sys.stdout, indent=2, default=str)
    print()


if __name__ == "__main__":
    main(sys.argv)
