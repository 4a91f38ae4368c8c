#!/usr/bin/env bash
# Load test of archlab-api alone: `--fake-backends` (in-memory table and queue,
# so this measures the HTTP server and the routes, not AWS) on 127.0.0.1, driven
# by wrk (-t1, 1 and 32 connections, --latency) against GET /health and
# POST /submit-code. A fresh server per row (the fake table grows with every
# submit). Prints a Markdown table; stops only the server it started, by pid.
#
# Environment: ARCHLAB_API (default <repo>/build/real/api/archlab-api),
# API_THREADS (io threads, default 2), DURATION_S (per row, default 5),
# CONNECTIONS (default "1 32").
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
api="${ARCHLAB_API:-$repo/build/real/api/archlab-api}"
threads="${API_THREADS:-2}"
duration="${DURATION_S:-5}"
connections="${CONNECTIONS:-1 32}"
[[ -x "$api" ]] || { echo "real_api.sh: no archlab-api at $api (build it, or set ARCHLAB_API)" >&2; exit 1; }
command -v wrk > /dev/null || { echo "real_api.sh: wrk not found (Debian package wrk)" >&2; exit 1; }
work="$(mktemp -d)"
server_pid=""

stop_server() {  # TERM, up to 5 s for a clean exit, then KILL; only our own pid
    [[ -n "$server_pid" ]] || return 0
    kill -TERM "$server_pid" 2> /dev/null || true
    for _ in $(seq 50); do kill -0 "$server_pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$server_pid" 2> /dev/null || true
    wait "$server_pid" 2> /dev/null || true
    server_pid=""
}
trap 'stop_server; rm -rf "$work"' EXIT

start_server() {  # sets port; --port 0 and the listening line avoid port clashes
    "$api" --fake-backends --port 0 --threads "$threads" --drain-delay-s 0 > "$work/api.out" 2> "$work/api.err" &
    server_pid=$!
    for _ in $(seq 100); do
        port="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/api.out" 2> /dev/null | cut -d: -f3 || true)"
        [[ -n "$port" ]] && return 0
        kill -0 "$server_pid" 2> /dev/null || break
        sleep 0.1
    done
    echo "real_api.sh: archlab-api did not start:" >&2
    cat "$work/api.err" >&2
    exit 1
}

# wrk's done() prints one machine-readable line: requests, duration µs,
# p50/p99/max µs, non-2xx answers, socket errors.
cat > "$work/report.lua" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.0f %.0f %.0f %d %d\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
end
LUA
{ cat "$work/report.lua"; printf '%s\n' 'wrk.method = "POST"' "wrk.body = '{\"code\":\"1+1\"}'" \
    'wrk.headers["Content-Type"] = "application/json"'; } > "$work/submit.lua"

row() {  # label, lua script, path, connections
    start_server
    wrk -t1 -c"$4" -d"${duration}s" --latency -s "$2" "http://127.0.0.1:$port$3" > "$work/wrk.out" 2>&1 || true
    stop_server
    local result
    result="$(grep '^RESULT' "$work/wrk.out" || true)"
    [[ -n "$result" ]] || { echo "real_api.sh: wrk gave no result:" >&2; cat "$work/wrk.out" >&2; exit 1; }
    read -r _ requests duration_us p50 p99 max non2xx sockerr <<< "$result"
    awk -v label="$1" -v c="$4" -v n="$requests" -v d="$duration_us" -v p50="$p50" -v p99="$p99" -v max="$max" \
        -v bad="$non2xx" -v err="$sockerr" 'BEGIN {
        printf "| %s | %d | %.0f | %.0f | %.0f | %.2f | %d | %d |\n", label, c, n / (d / 1e6), p50, p99, max / 1000, bad, err }'
}

echo "archlab-api --fake-backends, $threads io thread(s); wrk -t1 -d${duration}s; $(nproc) cores shared by wrk and server"
echo
echo "| route | conns | req/s | p50 µs | p99 µs | max ms | non-2xx | socket errors |"
echo "|---|---|---|---|---|---|---|---|"
for c in $connections; do row "GET /health" "$work/report.lua" /health "$c"; done
for c in $connections; do row "POST /submit-code" "$work/submit.lua" /submit-code "$c"; done
