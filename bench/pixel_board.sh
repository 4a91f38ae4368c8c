#!/usr/bin/env bash
# Speed of the pixel board (issue 15): the model with 10,000 connected browsers for a simulated hour
# (target: under 20 s wall on the 2-core dev machine), as written, fixed and in its fan-out meltdown;
# and a cache-only model (Zipf keys over a million items, an LRU node of 100,000) at full speed
# (target: at least 2 M requests a second). Prints a Markdown table: simulated time, requests sent,
# events, wall time, requests and events per second, peak memory.
#
# Environment: ARCHLAB (default <repo>/build/archlab), BENCH_CACHE_REQUESTS (requests of the cache-only
# run, default 10,000,000).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
archlab="${ARCHLAB:-$repo/build/archlab}"
cache_requests="${BENCH_CACHE_REQUESTS:-10000000}"
gnu_time=/usr/bin/time
[[ -x "$archlab" ]] || { echo "pixel_board.sh: no archlab at $archlab (build it first)" >&2; exit 1; }
[[ -x "$gnu_time" ]] || { echo "pixel_board.sh: GNU time not found at $gnu_time" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cat > "$work/cache-only.json" <<JSON
{
  "name": "cache-only",
  "components": {
    "readers": { "type": "client", "target": "cache", "operation": "get",
                 "arrivals": { "process": "poisson", "rate_per_s": 100000 },
                 "keys": { "dist": "zipf", "alpha": 0.8, "count": 1000000 } },
    "cache": { "type": "cache", "capacity_items": 100000, "eviction": "lru" }
  },
  "run": { "requests": $cache_requests, "warmup_requests": 100000, "seed": 1 }
}
JSON

row() {  # label, model, then archlab arguments
    local label="$1" model="$2"; shift 2
    local start_ns end_ns
    start_ns=$(date +%s%N)
    "$gnu_time" -f '%M' -o "$work/rss" "$archlab" run "$model" --json --quiet "$@" > "$work/out.json"
    end_ns=$(date +%s%N)
    python3 - "$label" "$work/out.json" "$(cat "$work/rss")" "$(( (end_ns - start_ns) / 1000000 ))" <<'PY'
import json, sys
label, path, rss_kb, wall_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = json.load(open(path))
w = s["wall_clock"]
sent = sum(c["sent"] for c in s["clients"].values())
downloads = sum(c.get("board_loads", 0) for c in s["clients"].values())
requests = sent + downloads
print(f"| {label} | {s['sim_time_s']:.0f} | {requests} | {w['events']} | {wall_ms / 1000:.2f} | {w['run_s']:.2f} "
      f"| {requests / max(w['run_s'], 1e-9) / 1e6:.2f} | {w['events_per_s'] / 1e6:.2f} | {rss_kb / 1024:.1f} |")
PY
}

model="$repo/models/pixel-board.json"
echo "| run | simulated s | requests (writes + downloads) | events | wall s (process) | wall s (run) | M requests/s | M events/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
row "pixel board as written, 10,000 browsers, 1 h" "$model" --scenario as-written --set run.duration_s=3600
row "pixel board fixed, 10,000 browsers, 1 h" "$model" --scenario fixed --set run.duration_s=3600
row "pixel board fan-out meltdown (200 pixels/s), 1 h" "$model" --scenario fan-out-cost --set run.duration_s=3600
row "cache only: Zipf 0.8 over 1 M keys, LRU of 100,000" "$work/cache-only.json"
