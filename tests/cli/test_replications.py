#!/usr/bin/env python3
"""archlab run --replications / --precision: each figure's mean and Student-t half-width are those of
the seeds run one by one, the same whatever -j, and the precision rule stops where it says.
Each check prints a line; the last line is 'N passed, M failed'."""
import json, math, os, shutil, statistics, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="archlab-replications-test-")
passed = failed = 0
T_975 = {2: 4.303, 3: 3.182, 4: 2.776}  # Student t, two-sided 95%, by degrees of freedom (printed tables)


def check(name, condition, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if condition else (passed, failed + 1)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else " " + str(detail)))


def archlab(*args):
    return subprocess.run([ARCHLAB, *args], capture_output=True, text=True, timeout=300)


def run_json(*args):
    result = archlab("run", *args, "--json", "--quiet")
    if result.returncode != 0:
        raise SystemExit(f"FAIL archlab run {args}: exit {result.returncode}\n{result.stderr}")
    return json.loads(result.stdout)


MODEL = os.path.join(TMP, "mm1.json")
with open(MODEL, "w") as f:
    json.dump({"components": {
        "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 5.0}},
        "server": {"type": "service", "instances": 1, "concurrency": 1, "service_time_ms": {"dist": "exponential", "mean": 100}}},
        "run": {"requests": 4000, "warmup_requests": 200, "seed": 11}}, f)

replicated = run_json(MODEL, "--replications", "4", "-j", "2")
check("four replications from the model's seed", replicated["replications"] == 4 and replicated["seeds_from"] == 11, replicated.get("seeds_from"))
singles = [run_json(MODEL, "--seed", str(seed))["clients"]["users"]["latency_ms"]["mean"] for seed in range(11, 15)]
figure = replicated["figures"]["clients.users.latency_ms.mean"]
check("the mean is the mean of the seeds run one by one", math.isclose(figure["mean"], statistics.mean(singles), rel_tol=1e-12),
      (figure["mean"], singles))
expected_half = T_975[3] * statistics.stdev(singles) / math.sqrt(4)
check("the half-width is t(0.975, 3) s / sqrt(4)", math.isclose(figure["half_width"], expected_half, rel_tol=1e-3), (figure["half_width"], expected_half))
check("seeds differ, so the interval is not empty", figure["half_width"] > 0)
check("a figure that cannot move has no width", replicated["figures"]["clients.users.sent"]["half_width"] == 0)
check("main figures are marked", figure["main"] and not replicated["figures"]["clients.users.latency_ms.p99"]["main"])
check("the same answer with -j 1", run_json(MODEL, "--replications", "4", "-j", "1") == replicated)
text = archlab("run", MODEL, "--replications", "3").stdout
check("the table names the interval", "95% confidence interval (Student t)" in text and "* clients.users.latency_ms.mean" in text, text[:300])

precise = run_json(MODEL, "--precision", "0.05", "-j", "2", "--max-replications", "40")
n = precise["replications"]
check("--precision stops once the main figures are within 5%", precise["precision"]["reached"] and 3 <= n < 40, precise.get("precision"))
check("... and they are", all(f["half_width"] <= 0.05 * abs(f["mean"]) for f in precise["figures"].values() if f["main"]))
if n > 3:  # the rule stops at the first tight count: one replication fewer was not tight
    fewer = run_json(MODEL, "--replications", str(n - 1))
    check("... and one fewer was not", any(f["half_width"] > 0.05 * abs(f["mean"]) for f in fewer["figures"].values() if f["main"]))
check("--precision gives the same count with -j 1", run_json(MODEL, "--precision", "0.05", "--max-replications", "40")["replications"] == n)
bounded = run_json(MODEL, "--precision", "0.0001", "--max-replications", "4", "-j", "2")
check("an unreachable precision stops at the bound and says so", bounded["replications"] == 4 and not bounded["precision"]["reached"], bounded.get("precision"))

for args, where in [(["--replications", "3", "--out", os.path.join(TMP, "out")], "--replications"),
                    (["--replications", "0"], "--replications"),
                    (["--precision", "0.02", "--max-replications", "2"], "--max-replications"),
                    (["--replications", "3", "--set", "server.concurrency=two"], "components.server.concurrency")]:
    result = archlab("run", MODEL, *args)
    check(f"bad input {args} → exit 2 naming {where}", result.returncode == 2 and where in result.stderr, (result.returncode, result.stderr))
check("nothing written for a refused --out", not os.path.exists(os.path.join(TMP, "out")))

shutil.rmtree(TMP)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
