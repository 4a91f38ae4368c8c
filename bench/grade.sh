#!/usr/bin/env bash
# Speed of the grader (issue 6): a lab's solution alone, with the example hidden checks, and a class
# of BENCH_COPIES copies graded with -j 2 (with and without hidden checks). Prints a Markdown table:
# submissions, simulations started, wall time, time per submission, grader peak RSS.
#
# Environment: ARCHLAB (default <repo>/build/archlab), BENCH_LAB (00 or 01, default 00),
# BENCH_COPIES (default 50), BENCH_JOBS (default 2).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
archlab="${ARCHLAB:-$repo/build/archlab}"
copies="${BENCH_COPIES:-50}"
jobs="${BENCH_JOBS:-2}"
lab="${BENCH_LAB:-00}"
case "$lab" in
  00) solution="$repo/labs/00-queueing/solution" ;;   # validate + run + theory; hidden: 3 more runs
  01) solution="$repo/labs/01-code-runner/solution" ;; # validate + steady + spike; hidden: 3 more runs
  *) echo "grade.sh: BENCH_LAB must be 00 or 01" >&2; exit 1 ;;
esac
simulations=3
hidden_simulations=6
hidden="$repo/tests/grading/hidden-$lab.json"
gnu_time=/usr/bin/time
[[ -x "$archlab" ]] || { echo "grade.sh: no archlab at $archlab (build it first)" >&2; exit 1; }
[[ -x "$gnu_time" ]] || { echo "grade.sh: GNU time not found at $gnu_time" >&2; exit 1; }
[[ "$copies" =~ ^[0-9]+$ && "$copies" -ge 1 ]] || { echo "grade.sh: BENCH_COPIES must be a whole number >= 1" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for i in $(seq -w 1 "$copies"); do
    mkdir -p "$work/class/student$i"
    cp "$solution/submission.json" "$work/class/student$i/"
done

# label, submissions, simulations per submission (validate + runs), then archlab grade arguments
row() {
    local label="$1" submissions="$2" per_submission="$3"; shift 3
    local start end
    start=$(date +%s.%N)
    "$gnu_time" -f '%M' -o "$work/rss" "$archlab" grade "$@" > "$work/out" 2> "$work/err" || {
        echo "grade.sh: '$label' failed:" >&2; cat "$work/err" >&2; exit 1; }
    end=$(date +%s.%N)
    python3 - "$label" "$submissions" "$per_submission" "$start" "$end" "$(cat "$work/rss")" <<'PY'
import sys
label, n, per, start, end, rss_kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
wall = end - start
print(f"| {label} | {n} | {n * per} | {wall:.2f} | {wall / n:.3f} | {rss_kb / 1024:.1f} |")
PY
}

echo "| grading | submissions | simulations | wall s | s per submission | grader peak RSS MB |"
echo "|---|---|---|---|---|---|"
echo "lab $lab"
row "solution, -j 1" 1 "$simulations" "$lab" "$solution" -o "$work/one.txt"
row "solution + hidden checks, -j 1" 1 "$hidden_simulations" "$lab" "$solution" --hidden "$hidden" -o "$work/one-hidden.txt"
row "$copies copies, -j $jobs" "$copies" "$simulations" "$lab" "$work/class" -j "$jobs" -o "$work/out-class"
row "$copies copies + hidden checks, -j $jobs" "$copies" "$hidden_simulations" "$lab" "$work/class" --hidden "$hidden" -j "$jobs" -o "$work/out-hidden"
python3 - "$work/out-class/gradebook.csv" <<'PY' || { echo "grade.sh: the copies did not all get full marks" >&2; exit 1; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if rows and all(r["score"] == r["max_score"] for r in rows) else 1)
PY
