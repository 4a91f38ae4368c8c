#!/usr/bin/env bash
# archlab-api --fake-backends end to end: starts on an ephemeral port, serves a
# submit and a status check, and on SIGTERM answers /health with 503, closes
# and exits 0. Stops only the process it started, by pid; every wait is bounded.
set -euo pipefail
api="$1"
work="$(mktemp -d)"
pid=""
cleanup() { [[ -n "$pid" ]] && kill -KILL "$pid" 2> /dev/null; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; cat "$work/err" >&2 || true; exit 1; }

"$api" --fake-backends --port 0 --threads 2 --drain-delay-s 3 > "$work/out" 2> "$work/err" &
pid=$!
port=""
for _ in $(seq 100); do
    port="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/out" 2> /dev/null | cut -d: -f3 || true)"
    [[ -n "$port" ]] && break
    sleep 0.1
done
[[ -n "$port" ]] || fail "no listening line"
base="http://127.0.0.1:$port"
curl -sf -m 10 "$base/health" | grep -q '"ok"' || fail "health not ok"
id="$(curl -sf -m 10 -H 'Content-Type: application/json' -d '{"code":"1+1"}' "$base/submit-code" |
    sed -n 's/.*"executionId":"\([0-9a-f-]*\)".*/\1/p')"
[[ -n "$id" ]] || fail "no executionId"
curl -sf -m 10 "$base/check-status/$id" | grep -q '"status":"pending"' || fail "status not pending"

kill -TERM "$pid"
code=""
for _ in $(seq 50); do  # /health must turn 503 during the drain delay
    code="$(curl -s -m 5 -o /dev/null -w '%{http_code}' "$base/health" || true)"
    [[ "$code" == 503 ]] && break
    sleep 0.05
done
[[ "$code" == 503 ]] || fail "health answered $code while draining, not 503"
for _ in $(seq 150); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
kill -0 "$pid" 2> /dev/null && fail "still running 15 s after SIGTERM"
status=0
wait "$pid" || status=$?
pid=""
[[ "$status" == 0 ]] || fail "exit status $status"
echo "ok: submit, status, 503 while draining, exit 0"
