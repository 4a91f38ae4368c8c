#!/usr/bin/env bash
# Quick start, step 1: install what is missing, build, and run the demo model.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
echo
echo "== archlab run models/three-tier.json --scenario instance-failure"
build/archlab run models/three-tier.json --scenario instance-failure --out out/three-tier
echo
echo "Figures over time and events are in out/three-tier/. Next: build/archlab theory models/queueing/mm1.json"
