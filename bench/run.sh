#!/usr/bin/env bash
# archlab speed benchmark: archlab vs SimPy 3 vs a plain C++ event loop on M/M/1 and M/M/4,
# plus one long archlab M/M/1 run to show that peak memory does not grow with the run length.
# See bench/README.md. Needs no network.
#
# Environment:
#   BENCH_REQUESTS      requests per run (default 1000000)
#   BENCH_BIG_REQUESTS  requests of the long archlab M/M/1 run (default 10 x BENCH_REQUESTS)
#   BENCH_WARMUP        warm-up requests excluded from the means (default min(10000, BENCH_REQUESTS/10))
#   BENCH_SEED          seed for every run (default 1)
#   ARCHLAB             archlab binary (default <repo>/build/archlab)
#   ARCHLAB_BEFORE      another archlab binary (e.g. an older commit's) measured in the same run, side by side
#   PYTHON              interpreter with SimPy 3 (default /usr/bin/python3)
#   CXX                 C++ compiler for the plain loop (default g++)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
archlab="${ARCHLAB:-$repo/build/archlab}"
python="${PYTHON:-/usr/bin/python3}"
cxx="${CXX:-g++}"
gnu_time=/usr/bin/time

requests="${BENCH_REQUESTS:-1000000}"
big_requests="${BENCH_BIG_REQUESTS:-$((requests * 10))}"
if [[ -n "${BENCH_WARMUP:-}" ]]; then
    warmup="$BENCH_WARMUP"
else
    warmup=$((requests / 10 < 10000 ? requests / 10 : 10000))
fi
seed="${BENCH_SEED:-1}"

die() { echo "run.sh: $*" >&2; exit 1; }
[[ "$requests" =~ ^[0-9]+$ && "$requests" -ge 10 ]] || die "BENCH_REQUESTS must be an integer >= 10"
[[ "$big_requests" =~ ^[0-9]+$ && "$big_requests" -gt "$warmup" ]] || die "BENCH_BIG_REQUESTS must be an integer > warm-up"
[[ "$warmup" =~ ^[0-9]+$ && "$warmup" -lt "$requests" ]] || die "BENCH_WARMUP must be an integer < BENCH_REQUESTS"
[[ -x "$archlab" ]] || die "archlab binary not found at $archlab (build it: cmake -S $repo -B $repo/build && cmake --build $repo/build --target archlab)"
[[ -x "$gnu_time" ]] || die "GNU time not found at $gnu_time"
"$python" -c 'import simpy' 2>/dev/null || die "$python cannot import simpy (apt-get install python3-simpy3)"
command -v "$cxx" >/dev/null || die "C++ compiler '$cxx' not found"

mm1_model="$repo/models/queueing/mm1.json"
[[ -f "$mm1_model" ]] || die "missing $mm1_model"
# M/M/4 at lambda = 32/s, mu = 10/s: prefer the dedicated model, otherwise derive it from mm1.json.
if [[ -f "$repo/models/queueing/mmc.json" ]]; then
    mmc_args=("$repo/models/queueing/mmc.json")
    mmc_source="models/queueing/mmc.json"
else
    mmc_args=("$mm1_model" --set server.concurrency=4 --set users.arrivals.rate_per_s=32)
    mmc_source="models/queueing/mm1.json --set server.concurrency=4 --set users.arrivals.rate_per_s=32"
fi

tmp="$(mktemp -d "${TMPDIR:-/tmp}/archlab-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# measure NAME CMD... : run CMD, keep its stdout in $tmp/NAME.json, its wall time in ns in
# $tmp/NAME.ns and its peak resident set (KB, GNU time %M) in $tmp/NAME.mem.
measure() {
    local name="$1"; shift
    local start end
    echo "  running $name ..." >&2
    start=$(date +%s%N)
    if ! "$gnu_time" -f '%M' -o "$tmp/$name.mem" "$@" >"$tmp/$name.json" 2>"$tmp/$name.err"; then
        cat "$tmp/$name.err" >&2
        die "$name failed: $*"
    fi
    end=$(date +%s%N)
    echo $((end - start)) >"$tmp/$name.ns"
}

cpu_model="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)"
commit="$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [[ "$commit" != unknown && -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]]; then
    commit="$commit (working tree modified)"
fi

echo "# archlab speed benchmark"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "- machine: $(nproc) CPUs, ${cpu_model:-unknown CPU}, $(uname -sr)"
echo "- archlab $commit; plain loop built with $("$cxx" --version | head -1) -O2; SimPy $("$python" -c 'import simpy; print(simpy.__version__)') on $("$python" --version 2>&1)"
echo "- warm-up: the first $warmup requests of each run are excluded from the means; seed $seed"
echo "- archlab M/M/4 model: $mmc_source"
echo

echo "building plain_loop ..." >&2
"$cxx" -O2 -std=c++20 -o "$tmp/plain_loop" "$here/plain_loop.cpp"

archlab_common=(--json --quiet --set "run.requests=$requests" --set "run.warmup_requests=$warmup" --set "run.seed=$seed")

measure archlab_mm1   "$archlab" run "$mm1_model" "${archlab_common[@]}"
measure archlab_mm4   "$archlab" run "${mmc_args[@]}" "${archlab_common[@]}"
measure simpy_mm1     "$python" "$here/simpy_mmc.py" 8 0.1 1 "$requests" "$warmup" "$seed"
measure simpy_mm4     "$python" "$here/simpy_mmc.py" 32 0.1 4 "$requests" "$warmup" "$seed"
measure plain_mm1     "$tmp/plain_loop" 8 0.1 1 "$requests" "$warmup" "$seed"
measure plain_mm4     "$tmp/plain_loop" 32 0.1 4 "$requests" "$warmup" "$seed"
measure archlab_mm1_big "$archlab" run "$mm1_model" --json --quiet --set "run.requests=$big_requests" \
    --set "run.warmup_requests=$warmup" --set "run.seed=$seed"
if [[ -n "${ARCHLAB_BEFORE:-}" ]]; then
    [[ -x "$ARCHLAB_BEFORE" ]] || die "ARCHLAB_BEFORE is not an executable: $ARCHLAB_BEFORE"
    measure before_mm1 "$ARCHLAB_BEFORE" run "$mm1_model" "${archlab_common[@]}"
    measure before_mm4 "$ARCHLAB_BEFORE" run "${mmc_args[@]}" "${archlab_common[@]}"
fi

"$python" - "$tmp" "$requests" "$big_requests" "$warmup" <<'EOF'
import json, math, os, sys

tmp, requests, big_requests, warmup = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])

def erlang_c_w_ms(lam, mean_s, c):
    """Mean response time (ms) of M/M/c by the Erlang C formula."""
    a = lam * mean_s            # offered load in Erlangs
    rho = a / c
    top = a ** c / math.factorial(c) / (1 - rho)
    p_wait = top / (sum(a ** k / math.factorial(k) for k in range(c)) + top)
    return 1000.0 * (p_wait * mean_s / (c - a) + mean_s)

theory = {"M/M/1": erlang_c_w_ms(8, 0.1, 1), "M/M/4": erlang_c_w_ms(32, 0.1, 4)}

runs = [  # name, system, model, requests
    ("archlab_mm1", "archlab", "M/M/1", requests),
    ("simpy_mm1", "SimPy 3", "M/M/1", requests),
    ("plain_mm1", "plain C++ loop", "M/M/1", requests),
    ("archlab_mm4", "archlab", "M/M/4", requests),
    ("simpy_mm4", "SimPy 3", "M/M/4", requests),
    ("plain_mm4", "plain C++ loop", "M/M/4", requests),
    ("archlab_mm1_big", "archlab", "M/M/1", big_requests),
]
if os.path.exists(os.path.join(tmp, "before_mm1.json")):
    runs[3:3] = [("before_mm1", "archlab (before)", "M/M/1", requests)]
    runs[7:7] = [("before_mm4", "archlab (before)", "M/M/4", requests)]

res = {}
for name, system, model, n in runs:
    with open(os.path.join(tmp, name + ".json")) as f:
        out = json.load(f)
    with open(os.path.join(tmp, name + ".ns")) as f:
        wall = int(f.read()) / 1e9
    with open(os.path.join(tmp, name + ".mem")) as f:
        mem_kb = int(f.read().split()[-1])
    if system.startswith("archlab"):
        mean = out["clients"]["users"]["latency_ms"]["mean"]
        engine = out["wall_clock"]
    else:
        mean = out["mean_response_ms"]
        engine = {"run_s": out["wall_s"], "requests_per_s": out["requests_per_s"]}
    res[name] = dict(system=system, model=model, n=n, wall=wall, rps=n / wall, mem_mb=mem_kb / 1024,
                     mean=mean, engine=engine)

def ratio(a, b):
    return f"{res[a]['rps'] / res[b]['rps']:.2f}x"

print("| system | model | requests | wall time (s) | simulated requests/s | peak memory (MB) | mean response (ms) | theory (ms) | archlab / SimPy | archlab / plain loop |")
print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for name, system, model, n in runs:
    r = res[name]
    if name in ("archlab_mm1", "archlab_mm4", "before_mm1", "before_mm4"):
        tag = name.split("_")[1]
        vs_simpy, vs_plain = ratio(name, "simpy_" + tag), ratio(name, "plain_" + tag)
    else:
        vs_simpy = vs_plain = "—"
    print(f"| {system} | {model} | {n:,} | {r['wall']:.3f} | {r['rps']:,.0f} | {r['mem_mb']:.1f} | "
          f"{r['mean']:.2f} | {theory[model]:.2f} | {vs_simpy} | {vs_plain} |")

print()
print("Wall time is the whole process (start-up, model parsing, simulation, summary), measured outside it.")
print("Each system's own timing of its simulation loop alone:")
for name, system, model, n in runs:
    e = res[name]["engine"]
    print(f"- {system}, {model}, {n:,} requests: {e['run_s']:.3f} s, {e['requests_per_s']:,.0f} requests/s")

print()
mm1, big = res["archlab_mm1"], res["archlab_mm1_big"]
checks = [
    (f"archlab M/M/1 >= 3,000,000 simulated requests/s", mm1["rps"] >= 3e6, f"{mm1['rps']:,.0f}"),
    (f"archlab M/M/1 within 4x the plain loop's time", res["plain_mm1"]["rps"] <= 4 * mm1["rps"], ratio("archlab_mm1", "plain_mm1")),
    (f"archlab M/M/1 >= 5x SimPy", mm1["rps"] >= 5 * res["simpy_mm1"]["rps"], ratio("archlab_mm1", "simpy_mm1")),
    (f"archlab M/M/1 peak memory < 100 MB at {big['n']:,} requests", big["mem_mb"] < 100, f"{big['mem_mb']:.1f} MB"),
]
print("Targets:")
for label, ok, value in checks:
    print(f"- {'PASS' if ok else 'FAIL'}: {label} ({value})")
EOF

