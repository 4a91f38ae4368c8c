#!/usr/bin/env bash
# End-to-end test of stack.sh with the real archlab-api and archlab-worker
# (paths as $1 and $2): up, status, load through archlab-loadgen (path as $3)
# and haproxy, a health-check failover, down. Skips (77) when
# the emulators are not installed (real/local/install.sh) or haproxy is missing.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
api_bin=${1:?archlab-api path} worker_bin=${2:?archlab-worker path} loadgen=${3:-}
# shellcheck source=/dev/null
source "$here/lib/procs.sh"

"$here/install.sh" --check || { echo "SKIP: emulators not installed (run real/local/install.sh)"; exit 77; }
command -v haproxy >/dev/null || { echo "SKIP: haproxy not installed"; exit 77; }

passed=0 failed=0
check() {  # NAME COMMAND...
  local name=$1; shift
  if "$@"; then echo "ok   $name"; passed=$((passed + 1)); else echo "FAIL $name"; failed=$((failed + 1)); fi
}

# A base port whose whole block (N .. N+21) is free; bounded number of tries.
base_port=""
for _ in $(seq 1 20); do
  candidate=$((20000 + RANDOM % 12000))  # below the ephemeral range (32768+), where outgoing connections bind
  busy=0
  for offset in 0 1 9 10 20 21; do port_is_open $((candidate + offset)) && busy=1; done
  ((busy)) || { base_port=$candidate; break; }
done
[[ -n "$base_port" ]] || { echo "FAIL no free port block found"; exit 1; }

run_dir=$(mktemp -d /tmp/archlab-stack-test.XXXXXX)
cleanup() {
  "$here/stack.sh" down --run-dir "$run_dir" >/dev/null 2>&1 || true
  if ((failed > 0)); then  # the logs say why; they go with the run dir
    for log in "$run_dir"/logs/*.log "$run_dir"/*.out "$run_dir"/load.*; do
      [[ -s "$log" ]] && { echo "--- $log"; tail -n 15 "$log"; }
    done
  fi
  rm -rf "$run_dir"
}
trap cleanup EXIT

timeout 90 "$here/stack.sh" up --api-bin "$api_bin" --worker-bin "$worker_bin" --run-dir "$run_dir" --base-port "$base_port" --wait-s 30 \
  --trace-dir "$run_dir/traces" >"$run_dir/up.out" 2>&1 ||
  { echo "FAIL stack.sh up:"; cat "$run_dir/up.out"; exit 1; }
lb_port=$((base_port + 10))
check "up prints the load balancer URL" grep -q "load balancer: http://127.0.0.1:$lb_port" "$run_dir/up.out"
check "up prints the queue URL" grep -q "ARCHLAB_QUEUE_URL=http://.*archlab-jobs.fifo" "$run_dir/up.out"
check "status exits 0" bash -c "'$here/stack.sh' status --run-dir '$run_dir' >'$run_dir/status.out'"
check "haproxy sees both apis UP" test "$(grep -c 'server api[01] *UP' "$run_dir/status.out")" -eq 2
check "health through haproxy" test "$(http_get_status "$lb_port" /health)" = 200
check "a second up is refused" bash -c "! '$here/stack.sh' up --api-bin '$api_bin' --worker-bin '$worker_bin' --run-dir '$run_dir' --base-port $base_port 2>/dev/null"

if [[ -n "$loadgen" && -x "$loadgen" ]]; then
  timeout 60 "$loadgen" --url "http://127.0.0.1:$lb_port" --rate-per-s 10 --duration-s 2 --arrivals fixed --poll-interval-s 0.2 \
    --give-up-s 20 --verify --timings-dir "$run_dir/timings" >"$run_dir/load.json" 2>"$run_dir/load.err" || true
  check "loadgen: every job completed once through haproxy, queue and table" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
j, v = s["jobs"], s["verify"]
ok = j["submitted"] == 20 and j["completed"] == 20 and v["unchanged"] == 20 and j["latency_source"] == "server"
print(json.dumps(j)) if not ok else None
sys.exit(0 if ok else 1)' "$run_dir/load.json"
  # The pieces archlab compare draws a job from, timed by the processes themselves: one of each
  # per job, and no piece longer than the job it is part of.
  check "timings: api.submit and worker.job once per job, each within the job's latency" python3 -c '
import json, sys
ops = json.load(open(sys.argv[1]))["operations_s"]
api, worker = ops["api"], ops["worker"]
ok = (api["api.submit"]["count"] == 20 and worker["worker.job"]["count"] == 20 and api["api.status"]["count"] >= 20
      and api["api.submit"]["mean"] + worker["worker.job"]["mean"] <= worker["job.latency"]["mean"] * 1.05)
print(json.dumps({k: ops[r][k] for r, k in (("api", "api.submit"), ("worker", "worker.job"), ("worker", "job.latency"))})) if not ok else None
sys.exit(0 if ok else 1)' "$run_dir/load.json"
  python3 "$here/trace_report.py" "$run_dir/traces" --result "$run_dir/load.json" --json --permutations 20 >"$run_dir/traces.json" 2>&1 || true
  check "traces: every job joined, its stretches adding up to its latency" python3 -c '
import json, sys
report = json.load(open(sys.argv[1]))
run = report["runs"][0] if len(report["runs"]) == 1 else None
ok = run is not None and run["jobs"] == 20 and report["unjoined_submissions"] == 0 and all(
    abs(sum(v for k, v in job.items() if k != "latency") - job["latency"]) < 0.01 and min(job.values()) >= 0
    for job in run["slowest_jobs"])
print(json.dumps(report)[:2000]) if not ok else None
sys.exit(0 if ok else 1)' "$run_dir/traces.json"
fi

# Health checks: stop api1 (our own pid); haproxy must mark it DOWN within
# fall 2 × inter 1 s (+ slack) and keep answering through api0.
read -r api1_pid _ <"$run_dir/pids/api1.pid"
kill -TERM "$api1_pid"
down_seen=0
for _ in $(seq 1 100); do  # 10 s: fall 2 × inter 1 s, with room for a loaded machine
  # Captured first: with pipefail, grep -q leaving early would SIGPIPE status.
  state=$("$here/stack.sh" status --run-dir "$run_dir" 2>/dev/null || true)
  [[ "$state" =~ server\ api1\ +DOWN ]] && { down_seen=1; break; }
  sleep 0.1
done
check "haproxy marks a dead api DOWN within 10 s" test "$down_seen" = 1
all_ok=1
for _ in 1 2 3 4; do [[ "$(http_get_status "$lb_port" /health)" == 200 ]] || all_ok=0; done
check "the load balancer still answers with one api" test "$all_ok" = 1

pids=$(cat "$run_dir"/pids/*.pid | cut -d' ' -f1)
check "down exits 0" bash -c "'$here/stack.sh' down --run-dir '$run_dir' >/dev/null"
alive=0
for pid in $pids; do kill -0 "$pid" 2>/dev/null && alive=1; done
check "down stopped every process it started" test "$alive" = 0
check "status after down says not running" bash -c "! '$here/stack.sh' status --run-dir '$run_dir' >/dev/null"
check "the load balancer port is free again" bash -c "! (exec 3<>/dev/tcp/127.0.0.1/$lb_port) 2>/dev/null"

echo "$passed passed, $failed failed"
((failed == 0))
