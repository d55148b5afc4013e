#!/usr/bin/env bash
# `sam build` without Docker or AWS, then a check that every artifact imports on the
# functions' runtime. SAM's Python builder needs that runtime (python3.12) on PATH: it is
# found on PATH or among pyenv's versions. Called by `make sam-build`.
set -euo pipefail
cd "$(dirname "$0")/.."

python312() {
  local candidate
  for candidate in python3.12 "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.12*/bin/python3.12; do
    # A pyenv shim exists even where its version is not selected: ask the interpreter itself.
    if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
      "$candidate" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  echo "sam build needs python3.12 (the functions' runtime) on PATH or under pyenv" >&2
  return 1
}

PY312="$(python312)"
export PATH="$(dirname "$PY312"):$PATH"
export SAM_CLI_TELEMETRY=0
rm -rf build/sam
.venv-sam/bin/sam build --template-file template.yaml --build-dir build/sam
.venv/bin/python -m partnerapp_infra.check_sam_build build/sam "$PY312"
