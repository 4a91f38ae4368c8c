#!/usr/bin/env bash
# The real code runner on one machine: brings up real/local/stack.sh (dynalite,
# fauxqs, haproxy over 2 archlab-api, N archlab-worker), drives it with
# archlab-loadgen at a few open-loop rates, prints a Markdown table and takes
# the stack down (also on failure or Ctrl-C). Everything stays on 127.0.0.1.
#
# usage: bench/real_stack.sh [more stack.sh up options]
# Environment:
#   BUILD_DIR          where archlab-loadgen, archlab-api, archlab-worker are (default <repo>/build)
#   BENCH_RATES        jobs/s, space separated (default "5 20 50")
#   BENCH_DURATION_S   seconds of submissions per rate (default 20)
#   BENCH_POLL_S       status poll interval (default 0.2)
#   BENCH_GIVE_UP_S    stop polling a job after this (default 60)
#   BENCH_JSON_DIR     keep each run's loadgen JSON here (default: a temp dir, removed)
#   BENCH_COMPARE      1 (default, when build/archlab exists): also run `archlab compare` on each
#                      run (models/code-runner.json, scenario local-stack) and print its errors
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
build_dir=${BUILD_DIR:-$repo/build}
rates=${BENCH_RATES:-"5 20 50"}
duration_s=${BENCH_DURATION_S:-20}
poll_s=${BENCH_POLL_S:-0.2}
give_up_s=${BENCH_GIVE_UP_S:-60}
stack="$repo/real/local/stack.sh"
archlab="$build_dir/archlab"
compare=${BENCH_COMPARE:-1}
[[ -x "$archlab" ]] || compare=0

loadgen=""
for candidate in "$build_dir/real/loadgen/archlab-loadgen" "$build_dir/archlab-loadgen"; do
  [[ -x "$candidate" ]] && { loadgen=$candidate; break; }
done
[[ -n "$loadgen" ]] || {
  echo "real_stack.sh: no archlab-loadgen under $build_dir (cmake --build $build_dir --target archlab-loadgen)" >&2
  exit 1
}

work=$(mktemp -d /tmp/archlab-bench-real.XXXXXX)
json_dir=${BENCH_JSON_DIR:-$work}
mkdir -p "$json_dir"
run_dir="$json_dir/stack"  # kept with the JSON when BENCH_JSON_DIR is set
cleanup() {
  "$stack" down --run-dir "$run_dir" >&2 || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM  # runs the EXIT trap, so the stack always goes down

# Stack ports: its own block, away from stack.sh's default, so a stack someone
# left up does not collide with the benchmark's.
echo "real_stack.sh: starting the stack" >&2
"$stack" up --run-dir "$run_dir" --bin-dir "$build_dir" --base-port "${BENCH_BASE_PORT:-18800}" "$@" >"$work/up.out" ||
  { cat "$work/up.out" >&2; exit 1; }
# shellcheck disable=SC1091
source "$run_dir/env.sh"
echo "real_stack.sh: load balancer $ARCHLAB_LB_URL" >&2

echo "| rate (jobs/s) | submitted | completed | failed | unfinished | errors | throughput (jobs/s) | p50 latency (s) | p99 latency (s) | p50 seen (s) | p99 seen (s) | p50 queue wait (s) | HTTP non-2xx | transport errors |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
for rate in $rates; do
  echo "real_stack.sh: $rate jobs/s for $duration_s s" >&2
  out="$json_dir/loadgen-$rate.json"
  # Bounded: submissions, then at most give_up_s of polling, plus slack.
  timeout $((${duration_s%.*} + ${give_up_s%.*} + 60)) "$loadgen" --url "$ARCHLAB_LB_URL" --rate-per-s "$rate" \
    --duration-s "$duration_s" --poll-interval-s "$poll_s" --give-up-s "$give_up_s" --verify \
    --timings-dir "$ARCHLAB_TIMINGS_DIR" >"$out"
  # The machine may be shared: the load average says how disturbed a run may be.
  echo "real_stack.sh: $rate jobs/s done; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  python3 - "$rate" "$out" <<'PY'
import json, sys
rate, path = sys.argv[1], sys.argv[2]
s = json.load(open(path))
j, h = s["jobs"], s["http"]
def f(v):
    return "–" if v is None else f"{v:.3f}"
non_2xx = sum(n for code, n in h["status_counts"].items() if not code.startswith("2"))
print(f"| {rate} | {j['submitted']} | {j['completed']} | {j['failed']} | {j['unfinished']} | {j['errors']} | "
      f"{j['throughput_per_s']:.2f} | {f(j['latency_s']['p50'])} | {f(j['latency_s']['p99'])} | "
      f"{f(j['seen_latency_s']['p50'])} | {f(j['seen_latency_s']['p99'])} | {f(j['queue_wait_s']['p50'])} | "
      f"{non_2xx} | {h['transport_errors']} |")
v = s.get("verify")
if v and (v["changed"] or v["errors"]):
    print(f"real_stack.sh: exactly-once check at {rate} jobs/s: {v}", file=sys.stderr)
PY
done
echo
echo "latency: job submission to result written (server times; latency_source in the JSON says if the client's view"
echo "was used); seen: scheduled submission to the poll that saw the result (poll every $poll_s s)."
if ((compare)); then
  echo
  echo "archlab compare (models/code-runner.json, scenario local-stack), error of each figure in %:"
  for rate in $rates; do
    "$archlab" compare "$repo/models/code-runner.json" "$json_dir/loadgen-$rate.json" --scenario local-stack --json \
      >"$json_dir/compare-$rate.json"
  done
  python3 - "$json_dir" $rates <<'PY'
import json, sys
json_dir, rates = sys.argv[1], sys.argv[2:]
reports = {rate: json.load(open(f"{json_dir}/compare-{rate}.json")) for rate in rates}
figures = [(row["figure"], row["kind"]) for row in reports[rates[0]]["figures"]]
print("| figure | kind | " + " | ".join(f"{rate} jobs/s" for rate in rates) + " |")
print("|---|---|" + "---|" * len(rates))
for i, (name, kind) in enumerate(figures):
    cells = []
    for rate in rates:
        error = reports[rate]["figures"][i]["error_pct"]
        cells.append("–" if error is None else f"{error:+.1f}")
    print(f"| {name} | {kind} | " + " | ".join(cells) + " |")
print("| mean absolute error, predicted figures | | " +
      " | ".join("–" if reports[rate]["predicted_mean_absolute_error_pct"] is None
                 else f"{reports[rate]['predicted_mean_absolute_error_pct']:.1f}" for rate in rates) + " |")
PY
fi
