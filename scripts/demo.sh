#!/usr/bin/env bash
# Quick start, step 1: install what the simulator needs (if missing), build the archlab CLI only,
# and run the demo model. scripts/test.sh installs and builds the rest (real/, notebooks, tests).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh --sim-only
scripts/build.sh --sim-only
echo
echo "== archlab run models/three-tier.json --scenario instance-failure"
build/archlab run models/three-tier.json --scenario instance-failure --out out/three-tier
echo
echo "Figures over time and events are in out/three-tier/. Next: build/archlab theory models/queueing/mm1.json"
