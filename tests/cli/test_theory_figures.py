#!/usr/bin/env python3
"""archlab theory's closed forms beyond the mean: Wq, P(wait) and the p95/p99 of the response time
of M/M/c, each next to what the simulation measured. Last line 'N passed, M failed'."""
import json, math, subprocess, sys

ARCHLAB, MODELS = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if condition else (passed, failed + 1)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else " " + str(detail)))


def theory(model):
    result = subprocess.run([ARCHLAB, "theory", f"{MODELS}/queueing/{model}.json", "--json"], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"FAIL theory {model}: exit {result.returncode}\n{result.stderr}")
    return {row["figure"]: row for row in json.loads(result.stdout)["figures"]}


mm1 = theory("mm1")  # lambda 8/s, mu 10/s: T ~ Exp(2/s)
check("M/M/1 p99 = ln(100) / (mu - lambda)", math.isclose(mm1["p99 response (ms)"]["theory"], 1000 * math.log(100) / 2, rel_tol=1e-9))
check("M/M/1 p95 = ln(20) / (mu - lambda)", math.isclose(mm1["p95 response (ms)"]["theory"], 1000 * math.log(20) / 2, rel_tol=1e-9))
check("M/M/1 Wq = rho / (mu - lambda)", math.isclose(mm1["server mean wait Wq (ms)"]["theory"], 400, rel_tol=1e-9))
check("M/M/1 P(wait) = rho", math.isclose(mm1["server P(wait) (%)"]["theory"], 80, rel_tol=1e-9))
mmc = theory("mmc")  # M/M/4 at rho 0.8
for figure in ["p95 response (ms)", "p99 response (ms)", "server mean wait Wq (ms)"]:
    for name, rows in [("M/M/1", mm1), ("M/M/4", mmc)]:
        row = rows[figure]
        check(f"{name} {figure}: the simulation within 3% of theory", abs(row["error"]) < 3, row)
check("M/M/4 P(wait) is Erlang C(4, 3.2) = 59.64%", abs(mmc["server P(wait) (%)"]["theory"] - 59.643) < 0.001, mmc["server P(wait) (%)"])
for name, rows in (("M/M/1", mm1), ("M/M/4", mmc)):
    row = rows["server P(wait) (%)"]
    check(f"{name} P(wait) measured by the run (the share of accepted requests that waited) within 1 point of theory",
          row["simulated"] is not None and abs(row["simulated"] - row["theory"]) < 1, row)
check("no percentiles where no closed form exists (M/G/1)", "p99 response (ms)" not in theory("mg1"))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
