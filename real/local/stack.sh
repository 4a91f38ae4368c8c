#!/usr/bin/env bash
# The code runner on one machine, all on 127.0.0.1: dynalite (DynamoDB), fauxqs
# (SQS), the jobs table and queues, haproxy over N archlab-api processes (the
# ALB stand-in, with active /health checks), and N archlab-worker processes.
#   stack.sh up [options]      start everything, print the client env
#   stack.sh status [--run-dir DIR]
#   stack.sh down [--run-dir DIR]
# Run `stack.sh --help` for the options. See README.md beside this file.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
# shellcheck source=lib/procs.sh
source "$here/lib/procs.sh"

run_dir=${ARCHLAB_STACK_RUN_DIR:-/tmp/archlab-stack-$(id -u)}
bin_dir="$repo/build"
api_bin="" worker_bin=""
base_port=18600
dynamodb_port="" sqs_port="" lb_port="" stats_port="" api_first_port=""
api_count=2 api_threads=4 worker_count=2
table=archlab-jobs queue=archlab-jobs.fifo dlq=archlab-jobs-dlq.fifo
visibility_timeout_s=30 max_receive_count=3
wait_s=20 stop_timeout_s=5
api_extra="" worker_extra="" trace_dir=""
region=${AWS_REGION:-us-east-1}

usage() {
  cat <<EOF
usage: stack.sh up|down|status [options]
  --run-dir DIR            pid files, logs, env.sh (default $run_dir)
  --bin-dir DIR            where archlab-api / archlab-worker are (default $bin_dir;
                           also searched: DIR/real/api, DIR/real/worker)
  --api-bin PATH           explicit archlab-api; --worker-bin PATH likewise
  --base-port N            dynalite N, fauxqs N+1, haproxy N+10, stats N+9, apis N+20.. (default $base_port)
  --dynamodb-port N --sqs-port N --lb-port N --stats-port N --api-first-port N
  --apis N                 api processes behind haproxy (default $api_count)
  --api-threads N          passed to each api (default $api_threads)
  --workers N              worker processes (default $worker_count)
  --table NAME --queue NAME.fifo --dlq NAME.fifo
  --visibility-timeout-s N (default $visibility_timeout_s)   --max-receive-count N (default $max_receive_count)
  --api-extra "ARGS"       more flags for every api; --worker-extra "ARGS" for every worker
  --trace-dir DIR          every api and worker appends one JSON line per job there (its calls and
                           their times: what a slow job is made of; real/local/trace_report.py)
  --wait-s N               bound on each start-up wait (default $wait_s)
  --stop-timeout-s N       TERM, then KILL after N s (default $stop_timeout_s)
EOF
}

# ---------------------------------------------------------------------------
# THE ONE PLACE where the api and worker command lines are built. Align these
# with real/api and real/worker; everything else in this script is generic.
# AWS settings also go by env (see client_env), so flags may be dropped freely.
api_command() {  # $1 = port, $2 = api index
  cmd=("$api_bin" --address 127.0.0.1 --port "$1" --threads "$api_threads"
       --queue-url "$queue_url" --table "$table" --timings-file "$run_dir/timings/api$2.json")
  [[ -z "$trace_dir" ]] || cmd+=(--trace-file "$trace_dir/api$2.jsonl")
  # shellcheck disable=SC2206
  cmd+=($api_extra)
}
worker_command() {  # $1 = worker index
  cmd=("$worker_bin" --queue-url "$queue_url" --table "$table" --visibility-timeout-s "$visibility_timeout_s"
       --max-attempts "$max_receive_count" --timings-file "$run_dir/timings/worker$1.json")
  [[ -z "$trace_dir" ]] || cmd+=(--trace-file "$trace_dir/worker$1.jsonl")
  # shellcheck disable=SC2206
  cmd+=($worker_extra)
}
# ---------------------------------------------------------------------------

need_value() { [[ $# -ge 2 && -n "$2" ]] || { echo "stack.sh: $1 needs a value" >&2; exit 2; }; }
need_number() { [[ "$2" =~ ^[0-9]+$ ]] || { echo "stack.sh: $1 must be a whole number, got '$2'" >&2; exit 2; }; }

action=${1:-}
[[ "$action" == -h || "$action" == --help ]] && { usage; exit 0; }
[[ "$action" =~ ^(up|down|status)$ ]] || { usage >&2; exit 2; }
shift
while [[ $# -gt 0 ]]; do
  option=$1
  case "$option" in
    -h|--help) usage; exit 0 ;;
    --run-dir|--bin-dir|--api-bin|--worker-bin|--table|--queue|--dlq|--api-extra|--worker-extra|--trace-dir|--base-port|\
    --dynamodb-port|--sqs-port|--lb-port|--stats-port|--api-first-port|--apis|--api-threads|--workers|\
    --visibility-timeout-s|--max-receive-count|--wait-s|--stop-timeout-s) ;;
    *) echo "stack.sh: unknown option $option (see --help)" >&2; exit 2 ;;
  esac
  need_value "$@"
  value=$2
  case "$option" in
    --run-dir) run_dir=$value ;;
    --bin-dir) bin_dir=$value ;;
    --api-bin) api_bin=$value ;;
    --worker-bin) worker_bin=$value ;;
    --table) table=$value ;;
    --queue) queue=$value ;;
    --dlq) dlq=$value ;;
    --api-extra) api_extra=$value ;;
    --worker-extra) worker_extra=$value ;;
    --trace-dir) trace_dir=$value ;;
    --base-port) need_number "$@"; base_port=$value ;;
    --dynamodb-port) need_number "$@"; dynamodb_port=$value ;;
    --sqs-port) need_number "$@"; sqs_port=$value ;;
    --lb-port) need_number "$@"; lb_port=$value ;;
    --stats-port) need_number "$@"; stats_port=$value ;;
    --api-first-port) need_number "$@"; api_first_port=$value ;;
    --apis) need_number "$@"; api_count=$value ;;
    --api-threads) need_number "$@"; api_threads=$value ;;
    --workers) need_number "$@"; worker_count=$value ;;
    --visibility-timeout-s) need_number "$@"; visibility_timeout_s=$value ;;
    --max-receive-count) need_number "$@"; max_receive_count=$value ;;
    --wait-s) need_number "$@"; wait_s=$value ;;
    --stop-timeout-s) need_number "$@"; stop_timeout_s=$value ;;
    *) echo "stack.sh: unknown option $option (see --help)" >&2; exit 2 ;;
  esac
  shift 2
done
dynamodb_port=${dynamodb_port:-$base_port}
sqs_port=${sqs_port:-$((base_port + 1))}
stats_port=${stats_port:-$((base_port + 9))}
lb_port=${lb_port:-$((base_port + 10))}
api_first_port=${api_first_port:-$((base_port + 20))}

status() {
  local name any=0 pid start
  [[ -f "$run_dir/order" ]] || { echo "stack: not running (no $run_dir/order)"; return 3; }
  while read -r name; do
    read -r pid start <"$run_dir/pids/$name.pid" 2>/dev/null || pid="?"
    if pidfile_alive "$run_dir/pids/$name.pid"; then
      printf '  %-10s pid %-8s running\n' "$name" "$pid"; any=1
    else
      printf '  %-10s pid %-8s STOPPED (log %s)\n' "$name" "$pid" "$run_dir/logs/$name.log"
    fi
  done <"$run_dir/order"
  if [[ -f "$run_dir/ports" ]]; then
    # shellcheck disable=SC1091
    source "$run_dir/ports"
    # haproxy's own view of the api servers (the ALB target health stand-in).
    local csv
    csv=$({ exec 3<>"/dev/tcp/127.0.0.1/$stats_port" &&
            printf 'GET /stats;csv HTTP/1.0\r\n\r\n' >&3 && timeout 2 cat <&3; } 2>/dev/null || true)
    echo "$csv" | awk -F, '$1=="api" && $2!="BACKEND" {printf "  haproxy    server %-8s %s\n", $2, $18}'
  fi
  [[ -f "$run_dir/env.sh" ]] && { echo "client env ($run_dir/env.sh):"; sed 's/^/  /' "$run_dir/env.sh"; }
  ((any)) || return 3
}

case "$action" in
  down)
    [[ -d "$run_dir/pids" ]] || { echo "stack: nothing to stop in $run_dir"; exit 0; }
    stop_all "$stop_timeout_s"
    echo "stack: stopped (logs kept in $run_dir/logs)"
    exit 0 ;;
  status) status; exit $? ;;
esac

# ----------------------------------------------------------------- up
"$here/install.sh" --check || die "the emulators are not installed: run $here/install.sh (or scripts/install-deps.sh)"
command -v haproxy >/dev/null || die "haproxy not found: apt-get install haproxy (scripts/install-deps.sh does it)"
find_bin() {  # NAME SUBDIR
  local candidate
  for candidate in "$bin_dir/$1" "$bin_dir/real/$2/$1"; do
    [[ -x "$candidate" ]] && { echo "$candidate"; return 0; }
  done
  return 0  # not found: the caller says so
}
[[ -n "$api_bin" ]] || api_bin=$(find_bin archlab-api api)
[[ -n "$worker_bin" ]] || worker_bin=$(find_bin archlab-worker worker)
[[ -n "$api_bin" && -x "$api_bin" ]] || die "archlab-api not found in $bin_dir (build it, or pass --api-bin PATH)"
if ((worker_count > 0)); then
  [[ -n "$worker_bin" && -x "$worker_bin" ]] || die "archlab-worker not found in $bin_dir (build it, or pass --worker-bin PATH)"
fi

mkdir -p "$run_dir/pids" "$run_dir/logs" "$run_dir/timings"
[[ -z "$trace_dir" ]] || mkdir -p "$trace_dir"
for f in "$run_dir"/pids/*.pid; do
  [[ -e "$f" ]] || continue
  pidfile_alive "$f" && die "a stack is already running from $run_dir ($(basename "$f" .pid) is alive): run 'stack.sh down --run-dir $run_dir' first"
done
rm -f "$run_dir"/pids/*.pid "$run_dir/order" "$run_dir/env.sh" "$run_dir"/timings/*.json
all_ports=("$dynamodb_port" "$sqs_port" "$stats_port" "$lb_port")
for ((i = 0; i < api_count; i++)); do all_ports+=($((api_first_port + i))); done
for port in "${all_ports[@]}"; do
  port_is_open "$port" && die "port $port on 127.0.0.1 is already in use (pick others with --base-port)"
done
echo "dynamodb_port=$dynamodb_port sqs_port=$sqs_port stats_port=$stats_port lb_port=$lb_port" >"$run_dir/ports"

# Whatever fails from here on (set -e or die) takes down what was started.
is_up=0
trap 'if ((!is_up)); then echo "stack.sh: start-up failed; stopping what was started" >&2; stop_all "$stop_timeout_s"; fi' EXIT

export AWS_REGION=$region AWS_DEFAULT_REGION=$region
export AWS_ACCESS_KEY_ID=${AWS_ACCESS_KEY_ID:-test} AWS_SECRET_ACCESS_KEY=${AWS_SECRET_ACCESS_KEY:-test}
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$dynamodb_port" AWS_ENDPOINT_URL_SQS="http://127.0.0.1:$sqs_port"

log() { echo "$run_dir/logs/$1.log"; }
start_process dynalite "$(log dynalite)" -- node "$here/node_modules/dynalite/cli.js" \
  --host 127.0.0.1 --port "$dynamodb_port" --createTableMs 0 --deleteTableMs 0 --updateTableMs 0
start_process fauxqs "$(log fauxqs)" -- env FAUXQS_PORT="$sqs_port" node "$here/fauxqs-loopback.mjs"
wait_for_port dynalite "$dynamodb_port" "$wait_s"
wait_for_port fauxqs "$sqs_port" "$wait_s"

resources=$(node "$here/create-resources.mjs" --sqs-endpoint "$AWS_ENDPOINT_URL_SQS" \
  --dynamodb-endpoint "$AWS_ENDPOINT_URL_DYNAMODB" --region "$region" --table "$table" --queue "$queue" \
  --dlq "$dlq" --visibility-timeout-s "$visibility_timeout_s" --max-receive-count "$max_receive_count" \
  --timeout-s "$wait_s")
json_field() { node -e 'process.stdout.write(String(JSON.parse(process.argv[1])[process.argv[2]]))' "$resources" "$1"; }
queue_url=$(json_field queue_url)
dlq_url=$(json_field dlq_url)

cat >"$run_dir/env.sh" <<EOF
export AWS_REGION=$region
export AWS_ACCESS_KEY_ID=$AWS_ACCESS_KEY_ID
export AWS_SECRET_ACCESS_KEY=$AWS_SECRET_ACCESS_KEY
export AWS_ENDPOINT_URL_SQS=$AWS_ENDPOINT_URL_SQS
export AWS_ENDPOINT_URL_DYNAMODB=$AWS_ENDPOINT_URL_DYNAMODB
export ARCHLAB_QUEUE_URL=$queue_url
export ARCHLAB_DLQ_URL=$dlq_url
export ARCHLAB_TABLE=$table
export ARCHLAB_LB_URL=http://127.0.0.1:$lb_port
export ARCHLAB_TIMINGS_DIR=$run_dir/timings
EOF
# The binaries get the same settings by env too, whatever their flags.
export ARCHLAB_QUEUE_URL=$queue_url ARCHLAB_DLQ_URL=$dlq_url ARCHLAB_TABLE=$table

declare -a cmd
servers=""
for ((i = 0; i < api_count; i++)); do
  port=$((api_first_port + i))
  api_command "$port" "$i"
  start_process "api$i" "$(log "api$i")" -- "${cmd[@]}"
  servers+="    server api$i 127.0.0.1:$port check"$'\n'
done
for ((i = 0; i < api_count; i++)); do
  wait_for_http "api$i" $((api_first_port + i)) /health "$wait_s"
done

# haproxy stands in for the ALB: round robin, active checks like a target group.
cat >"$run_dir/haproxy.cfg" <<EOF
global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    option http-keep-alive
frontend api_lb
    bind 127.0.0.1:$lb_port
    default_backend api
backend api
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
$servers
frontend stats
    bind 127.0.0.1:$stats_port
    stats enable
    stats uri /stats
EOF
haproxy -c -q -f "$run_dir/haproxy.cfg" || die "haproxy rejected $run_dir/haproxy.cfg"
start_process haproxy "$(log haproxy)" -- haproxy -db -f "$run_dir/haproxy.cfg"
wait_for_port haproxy "$lb_port" "$wait_s"
wait_for_http haproxy "$lb_port" /health "$wait_s"

for ((i = 0; i < worker_count; i++)); do
  worker_command "$i"
  start_process "worker$i" "$(log "worker$i")" -- "${cmd[@]}"
done
sleep 0.5  # a worker with bad flags or env exits at once: catch it here
for ((i = 0; i < worker_count; i++)); do
  pidfile_alive "$run_dir/pids/worker$i.pid" || { tail -n 20 "$(log "worker$i")" >&2; die "worker$i exited at start-up"; }
done
# shellcheck disable=SC2034  # read by the EXIT trap
is_up=1

echo "stack: up (run dir $run_dir; stop with: $0 down --run-dir $run_dir)"
echo "load balancer: http://127.0.0.1:$lb_port   haproxy stats: http://127.0.0.1:$stats_port/stats"
echo "client env (also in $run_dir/env.sh):"
cat "$run_dir/env.sh"
