#!/usr/bin/env bash
# Installs the local AWS emulators (dynalite, fauxqs) at the versions pinned in
# package-lock.json, into node_modules/ beside this file. This is setup: it is
# the only step that reaches the npm registry; builds and tests never do.
# Idempotent: runs `npm ci` only when node_modules is missing or was installed
# from another lock file.
#   install.sh           install if needed
#   install.sh --check   exit 0 when installed and current, 1 otherwise (no install)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
stamp="$here/node_modules/.archlab-lock-sha256"

# dynalite 4.0.0 and fauxqs 1.9.2 declare node >= 20 (fauxqs 2.x would need
# 22.5); Debian 12's own nodejs is 18, which is too old.
if ! command -v node >/dev/null; then
  echo "real/local/install.sh: node not found; the local stack needs Node.js >= 20 (Debian 12's nodejs 18 is too old)" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "real/local/install.sh: node $(node --version) is too old; dynalite 4.0.0 and fauxqs 1.9.2 need Node.js >= 20" >&2
  exit 1
fi

lock_sha=$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)
if [[ -f "$stamp" && "$(cat "$stamp")" == "$lock_sha" && -d "$here/node_modules/dynalite" && -d "$here/node_modules/fauxqs" ]]; then
  [[ "${1:-}" == --check ]] || echo "real/local: emulators already installed" >&2
  exit 0
fi
[[ "${1:-}" == --check ]] && exit 1

command -v npm >/dev/null || { echo "real/local/install.sh: npm not found (it comes with Node.js >= 20)" >&2; exit 1; }
echo "real/local: installing the pinned emulators with npm ci" >&2
# --ignore-scripts: classic-level (dynalite's LevelDB) ships linux prebuilds,
# so nothing needs compiling, and no package runs code at install time.
(cd "$here" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
echo "$lock_sha" >"$stamp"
