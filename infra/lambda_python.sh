#!/usr/bin/env bash
# Prints the path of a python3.12 (the functions' Lambda runtime), found on PATH or among
# pyenv's versions; fails with a message when there is none. Used by `make sam-build` and
# `make test-lambda-runtime`.
set -euo pipefail
for candidate in python3.12 "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.12*/bin/python3.12; do
  # A pyenv shim exists even where its version is not selected: ask the interpreter itself.
  if "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null; then
    "$candidate" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "python3.12 (the functions' Lambda runtime) is needed, on PATH or under pyenv" >&2
exit 1
