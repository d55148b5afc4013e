#!/usr/bin/env bash
# `sam build` without Docker or AWS, then a check that every artifact imports on the
# functions' runtime. SAM's Python builder needs that runtime (python3.12) on PATH
# (infra/lambda_python.sh finds it). Called by `make sam-build`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY312="$(infra/lambda_python.sh)"
export PATH="$(dirname "$PY312"):$PATH"
export SAM_CLI_TELEMETRY=0
rm -rf build/sam
.venv-sam/bin/sam build --template-file template.yaml --build-dir build/sam
.venv/bin/python -m partnerapp_infra.aws.check_sam_build build/sam "$PY312"
