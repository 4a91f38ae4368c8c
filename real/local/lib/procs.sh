# shellcheck shell=bash disable=SC2154  # run_dir is set by the script that sources this
# Process and port helpers for stack.sh (sourced, not run). Every wait here is
# bounded, and a process is only ever signalled when both its pid and its
# kernel start time match what we recorded, so a recycled pid is never hit.

die() { echo "stack.sh: $*" >&2; exit 1; }

# Kernel start time (clock ticks since boot) of a pid, empty when it is gone.
# Field 22 of /proc/PID/stat, counted after the ")" that closes the command
# name, because the name itself may hold spaces.
proc_start_time() {
  local stat
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 0
  stat=${stat##*) }
  # shellcheck disable=SC2086
  set -- $stat
  echo "${20}"
}

# True when the process recorded in pid file $1 is still the one we started.
pidfile_alive() {
  local pid start
  [[ -f "$1" ]] || return 1
  read -r pid start <"$1" || return 1
  [[ -n "$pid" && -n "$start" && "$(proc_start_time "$pid")" == "$start" ]]
}

# start_process NAME LOG -- command...: starts it detached from our stdin and
# stdout (so callers such as ctest do not wait on the pipes), records
# "pid starttime" in $run_dir/pids/NAME.pid and the start order in $run_dir/order.
start_process() {
  local name=$1 log=$2
  shift 3
  "$@" </dev/null >>"$log" 2>&1 &
  local pid=$!
  local start=""
  for _ in 1 2 3 4 5 6 7 8 9 10; do  # /proc entry appears at once; bounded anyway
    start=$(proc_start_time "$pid")
    [[ -n "$start" ]] && break
    sleep 0.05
  done
  [[ -n "$start" ]] || { echo "stack.sh: $name exited at once; log $log:" >&2; tail -n 20 "$log" >&2; return 1; }
  echo "$pid $start" >"$run_dir/pids/$name.pid"
  echo "$name" >>"$run_dir/order"
}

port_is_open() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for_port NAME PORT TIMEOUT_S: fails early if the process died.
wait_for_port() {
  local name=$1 port=$2 deadline=$((SECONDS + $3))
  until port_is_open "$port"; do
    if ! pidfile_alive "$run_dir/pids/$name.pid"; then
      echo "stack.sh: $name died before listening on 127.0.0.1:$port; log $run_dir/logs/$name.log:" >&2
      tail -n 20 "$run_dir/logs/$name.log" >&2
      return 1
    fi
    ((SECONDS < deadline)) || { echo "stack.sh: $name not listening on 127.0.0.1:$port after $3 s" >&2; return 1; }
    sleep 0.1
  done
}

# HTTP status code of GET http://127.0.0.1:PORT/PATH, empty on failure. Plain
# bash (/dev/tcp) so no HTTP client package is needed; read is time-bounded.
http_get_status() {
  local port=$1 path=$2 line=""
  {
    exec 3<>"/dev/tcp/127.0.0.1/$port" || return 0
    printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
    IFS= read -r -t 2 line <&3 || true
    exec 3>&-
  } 2>/dev/null
  line=${line#HTTP/1.? }
  echo "${line%% *}"
}

# wait_for_http NAME PORT PATH TIMEOUT_S: until GET answers 200.
wait_for_http() {
  local name=$1 port=$2 path=$3 deadline=$((SECONDS + $4)) code=""
  for (( ; ; )); do
    code=$(http_get_status "$port" "$path")
    [[ "$code" == 200 ]] && return 0
    ((SECONDS < deadline)) || { echo "stack.sh: $name: GET $path on 127.0.0.1:$port gave '${code:-no answer}' for $4 s" >&2; return 1; }
    sleep 0.2
  done
}

# Stops every process of $run_dir in reverse start order: TERM to all, wait up
# to STOP_TIMEOUT_S, then KILL whatever is left. Only pids we recorded.
stop_all() {
  local stop_timeout_s=${1:-5} name pid start
  local -a names=() live=()
  [[ -f "$run_dir/order" ]] && mapfile -t names < <(tac "$run_dir/order")
  for name in "${names[@]}"; do
    if pidfile_alive "$run_dir/pids/$name.pid"; then
      read -r pid start <"$run_dir/pids/$name.pid"
      kill -TERM "$pid" 2>/dev/null && live+=("$name")
    fi
  done
  local deadline=$((SECONDS + stop_timeout_s))
  while ((SECONDS < deadline)); do
    local -a still=()
    for name in "${live[@]}"; do pidfile_alive "$run_dir/pids/$name.pid" && still+=("$name"); done
    live=("${still[@]}")
    ((${#live[@]} == 0)) && break
    sleep 0.1
  done
  for name in "${live[@]}"; do
    if pidfile_alive "$run_dir/pids/$name.pid"; then
      read -r pid start <"$run_dir/pids/$name.pid"
      echo "stack.sh: $name (pid $pid) ignored TERM for ${stop_timeout_s} s; sending KILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
    fi
  done
  rm -f "$run_dir"/pids/*.pid "$run_dir/order"
}
