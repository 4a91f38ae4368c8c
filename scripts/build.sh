#!/usr/bin/env bash
# Configures and builds archlab into build/ (the CLI lands at build/archlab). Idempotent.
#   build.sh              everything: the simulator, its unit tests, real/ (what scripts/test.sh runs)
#   build.sh --sim-only   the archlab CLI only, without real/ (what scripts/demo.sh runs)
set -euo pipefail
cd "$(dirname "$0")/.."
case "${1:-}" in
  "") with_real=ON; targets=() ;;
  --sim-only) with_real=OFF; targets=(--target archlab) ;;
  *) echo "build.sh: unknown option '$1' (expected nothing or --sim-only)" >&2; exit 2 ;;
esac
# ARCHLAB_WITH_REAL is set every time: a cached OFF from a demo build must not hide real/ from the tests.
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DARCHLAB_WITH_REAL="$with_real" >/dev/null
cmake --build build -j"$(nproc)" "${targets[@]}"
