#!/usr/bin/env bash
# Quick start, step 2: install everything missing (real/, notebooks), build every target, and run
# the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
ctest --test-dir build -j"$(nproc)" --output-on-failure --no-tests=error "$@"
