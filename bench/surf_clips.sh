#!/usr/bin/env bash
# Speed of the surf-clip pipeline (issue 14): a simulated day at 10 clips/s (target: under 5 s wall
# on the 2-core dev machine, memory not growing with the clips), and the model's `as-written` hour at
# a clip a second. Prints a Markdown table: simulated time, clips, events, wall time, events/s, peak
# memory.
#
# Environment: ARCHLAB (default <repo>/build/archlab), BENCH_RATE (clips/s for the day, default 10),
# BENCH_DURATION_S (simulated seconds of the long run, default 86400), ARCHLAB_BEFORE (another
# build, e.g. an older commit's, measured row by row beside it).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
archlab="${ARCHLAB:-$repo/build/archlab}"
rate="${BENCH_RATE:-10}"
duration_s="${BENCH_DURATION_S:-86400}"
model="$repo/models/surf-clips.json"
gnu_time=/usr/bin/time
[[ -x "$archlab" ]] || { echo "surf_clips.sh: no archlab at $archlab (build it first)" >&2; exit 1; }
[[ -x "$gnu_time" ]] || { echo "surf_clips.sh: GNU time not found at $gnu_time" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

before="${ARCHLAB_BEFORE:-}"
[[ -z "$before" || -x "$before" ]] || { echo "surf_clips.sh: ARCHLAB_BEFORE is not an executable: $before" >&2; exit 1; }

row() {  # label, then archlab arguments; with ARCHLAB_BEFORE, the same row for that build too
    local label="$1"; shift
    one_row "$archlab" "$label" "$@"
    [[ -z "$before" ]] || one_row "$before" "$label (before)" "$@"
}

one_row() {  # binary, label, then archlab arguments
    local binary="$1" label="$2"; shift 2
    local start_ns end_ns
    start_ns=$(date +%s%N)
    "$gnu_time" -f '%M' -o "$work/rss" "$binary" run "$model" --json --quiet "$@" > "$work/out.json"
    end_ns=$(date +%s%N)
    python3 - "$label" "$work/out.json" "$(cat "$work/rss")" "$(( (end_ns - start_ns) / 1000000 ))" <<'PY'
import json, sys
label, path, rss_kb, wall_ms = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
s = json.load(open(path))
w, j = s["wall_clock"], s.get("jobs", {})
print(f"| {label} | {s['sim_time_s']:.0f} | {j.get('submitted', 0)} | {j.get('completed', 0)} | {w['events']} "
      f"| {wall_ms / 1000:.2f} | {w['run_s']:.2f} | {w['events_per_s'] / 1e6:.2f} | {rss_kb / 1024:.1f} |")
PY
}

echo "| run | simulated s | clips submitted | clips completed | events | wall s (process) | wall s (run) | M events/s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|---|"
row "as-written (1 clip/s, 45 min)" --scenario as-written
# The schedule that stops the uploads at 2700 s goes, so clips arrive for the whole run.
row "${rate} clips/s, $(( duration_s / 3600 )) h" --scenario as-written --set "surfers.arrivals.rate_per_s=$rate" \
    --set 'surfers.arrivals.schedule=[]' --set "run.duration_s=$duration_s"
