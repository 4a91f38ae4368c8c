#!/usr/bin/env bash
# Installs the Debian 12 packages archlab needs, only those missing. As root it runs apt-get; as
# anyone else it prints the exact command to run. Idempotent.
#   install-deps.sh              everything: the simulator, real/, the notebooks (what scripts/test.sh needs)
#   install-deps.sh --sim-only   the simulator and its CLI only (what scripts/demo.sh needs)
set -euo pipefail

sim_only=false
case "${1:-}" in
  "") ;;
  --sim-only) sim_only=true ;;
  *) echo "install-deps.sh: unknown option '$1' (expected nothing or --sim-only)" >&2; exit 2 ;;
esac

# The simulator and the archlab CLI (Catch2 too: the top-level CMakeLists.txt looks for it).
sim_packages=(build-essential cmake pkg-config libsimgrid-dev libboost-graph-dev libgraphviz-dev graphviz
              libcli11-dev nlohmann-json3-dev catch2 python3)
# real/: HTTP server (Boost.Beast), AWS signing and clients (OpenSSL, libcurl), the job sandbox
# (Duktape, seccomp), the local stack's load balancer and the benchmark's load tool, CloudFormation
# template tests. notebooks/: executed headless in the test suite. chromium: the run report opened in a browser.
# slurm-wlm, munge: archlab sweep --slurm run for real on a one-node Slurm the test starts.
rest_packages=(libssl-dev libboost-dev libcurl4-openssl-dev duktape-dev libseccomp-dev haproxy wrk nodejs python3-yaml
               python3-nbconvert python3-ipykernel python3-matplotlib chromium slurm-wlm munge)

packages=("${sim_packages[@]}")
$sim_only || packages+=("${rest_packages[@]}")

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done

if [[ ${#missing[@]} -gt 0 ]]; then
  command="apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=600 ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then
    echo "archlab needs these Debian packages. Please run, as root:" >&2
    echo "  apt-get update && $command" >&2
    exit 1
  fi
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq -o DPkg::Lock::Timeout=600 >&2
  # shellcheck disable=SC2086
  $command >&2
fi

# The local AWS stand-ins (DynamoDB and SQS emulators) come from the npm registry at pinned
# versions; this is setup, so tests never download. The simulator does not use them.
local_stack_install="$(dirname "$0")/../real/local/install.sh"
if ! $sim_only && [[ -x "$local_stack_install" ]]; then
  "$local_stack_install"
fi
