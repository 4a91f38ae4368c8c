#!/usr/bin/env bash
# Speed of the code-runner model (issue 3): `as-written` at the seed's scale, and `fixed` for one
# simulated hour at 100 jobs/s (target: each under 5 s wall on the 2-core dev machine). Prints a
# Markdown table: simulated time, jobs, events, wall time, events/s, peak memory.
#
# Environment: ARCHLAB (default <repo>/build/archlab), BENCH_RATE (jobs/s for the fixed run, default 100),
# ARCHLAB_BEFORE (another build, e.g. an older commit's, measured row by row beside it), BENCH_DAY=1
# (also a simulated day of the sized group: target under 200 MB).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
archlab="${ARCHLAB:-$repo/build/archlab}"
rate="${BENCH_RATE:-100}"
model="$repo/models/code-runner.json"
gnu_time=/usr/bin/time
[[ -x "$archlab" ]] || { echo "code_runner.sh: no archlab at $archlab (build it first)" >&2; exit 1; }
[[ -x "$gnu_time" ]] || { echo "code_runner.sh: GNU time not found at $gnu_time" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

before="${ARCHLAB_BEFORE:-}"
[[ -z "$before" || -x "$before" ]] || { echo "code_runner.sh: ARCHLAB_BEFORE is not an executable: $before" >&2; exit 1; }

row() {  # label, then archlab arguments; with ARCHLAB_BEFORE, the same row for that build too
    local label="$1"; shift
    one_row "$archlab" "$label" "$@"
    [[ -z "$before" ]] || one_row "$before" "$label (before)" "$@"
}

one_row() {  # binary, label, then archlab arguments
    local binary="$1" label="$2"; shift 2
    "$gnu_time" -f '%M' -o "$work/rss" "$binary" run "$model" --json --quiet "$@" > "$work/out.json"
    python3 - "$label" "$work/out.json" "$(cat "$work/rss")" <<'PY'
import json, sys
label, path, rss_kb = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = json.load(open(path))
w, j = s["wall_clock"], s.get("jobs", {})
print(f"| {label} | {s['sim_time_s']:.0f} | {j.get('submitted', 0)} | {j.get('completed', 0)} | {w['events']} | {w['run_s']:.2f} | {w['events_per_s'] / 1e6:.2f} | {rss_kb / 1024:.1f} |")
PY
}

echo "| run | simulated s | jobs submitted | jobs completed | events | wall s | M events/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
row "as-written (0.1 jobs/s)" --scenario as-written
# The fixed group sized for the load (min 110 workers), then as the scenario has it (min 1): target
# tracking on backlog per instance scales in while the backlog is near 0, so the group swings and
# the run has more events (browsers poll longer while jobs wait).
row "fixed, ${rate} jobs/s, group min 110" --scenario fixed --set "browser.arrivals.rate_per_s=$rate" \
    --set 'browser.arrivals.schedule=[]' --set workers.scaling.max=400 --set workers.scaling.desired=120 --set workers.scaling.min=110
row "fixed, ${rate} jobs/s, group min 1" --scenario fixed --set "browser.arrivals.rate_per_s=$rate" \
    --set 'browser.arrivals.schedule=[]' --set workers.scaling.max=400 --set workers.scaling.desired=120
if [[ "${BENCH_DAY:-0}" == 1 ]]; then
    row "fixed, ${rate} jobs/s, group min 110, one day" --scenario fixed --set "browser.arrivals.rate_per_s=$rate" \
        --set 'browser.arrivals.schedule=[]' --set workers.scaling.max=400 --set workers.scaling.desired=120 \
        --set workers.scaling.min=110 --set run.duration_s=86400
fi
