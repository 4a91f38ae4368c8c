#!/usr/bin/env python3
"""archlab run: the model language's features, outputs and load balancer behaviour, checked on
small models. Each check prints a line; the last line is 'N passed, M failed'."""
import csv, json, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="archlab-run-test-")
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def write_model(name, model):
    path = os.path.join(TMP, name + ".json")
    with open(path, "w") as f:
        json.dump(model, f)
    return path


def run(model_path, *args):
    result = subprocess.run([ARCHLAB, "run", model_path, "--json", "--quiet", *args], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"FAIL archlab run {model_path} {args}: exit {result.returncode}\n{result.stderr}")
    return json.loads(result.stdout)


def mm1(requests=200000, **server):
    return {"name": "mm1", "components": {
        "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 8.0}},
        "server": {"type": "service", "instances": 1, "concurrency": 1, "service_time_ms": {"dist": "exponential", "mean": 100}, **server}},
        "run": {"requests": requests, "warmup_requests": 2000, "seed": 1}}


# --- the variations of the M/M/1 model the issue names all run --------------------------------
base = write_model("mm1", mm1())
for label, sets in [("concurrency 4", ["server.concurrency=4"]),
                    ("constant service", ['server.service_time_ms={"dist":"constant","value":100}']),
                    ("lognormal service", ['server.service_time_ms={"dist":"lognormal","mean":100,"cv":1.5}'])]:
    summary = run(base, *sum([["--set", s] for s in sets], []))
    check(f"mm1 with {label} runs", summary["clients"]["users"]["completed"] == 198000)

# queue_capacity 3: an arrival that finds 3 waiting is rejected; M/M/1/4 blocking = (1-r) r^4 / (1 - r^5)
summary = run(write_model("mm1k", mm1(queue_capacity=3)))
users = summary["clients"]["users"]
r = 0.8
blocking = (1 - r) * r ** 4 / (1 - r ** 5)
check("queue_capacity 3 rejects like M/M/1/4", abs(users["rejected"] / users["sent"] - blocking) < 0.005,
      f"{users['rejected'] / users['sent']:.4f} vs {blocking:.4f}")
check("rejections show on the component too", summary["components"]["server"]["rejected"] == users["rejected"])
check("errors count every request the user saw fail, and error_rate is their share of those sent",
      users["errors"] == users["rejected"] + users["failed"] and users["errors"] > 0
      and abs(users["error_rate"] - users["errors"] / users["sent"]) < 1e-12, str(users))

# --- determinism and --seed ------------------------------------------------------------------
a, b, c = run(base), run(base), run(base, "--seed", "2")
a.pop("wall_clock"); b.pop("wall_clock"); c.pop("wall_clock")
check("same seed, same summary", json.dumps(a) == json.dumps(b))
check("--seed changes the draws", a["clients"]["users"]["latency_ms"] != c["clients"]["users"]["latency_ms"] and c["seed"] == 2)
check("summary has the documented keys", all(k in a["clients"]["users"] for k in ("sent", "completed", "rejected", "failed", "throughput_per_s"))
      and all(k in a["clients"]["users"]["latency_ms"] for k in ("mean", "p50", "p90", "p95", "p99", "max"))
      and all(k in a["components"]["server"] for k in ("type", "utilization", "queue_length_mean", "completed", "rejected")))
check("warm-up requests are left out", a["clients"]["users"]["sent"] == 198000)

# --- empirical distribution from a CSV next to the model -------------------------------------
with open(os.path.join(TMP, "samples.csv"), "w") as f:
    f.write("service_ms\n50\n150\n")
summary = run(write_model("empirical", mm1(requests=50000, service_time_ms={"dist": "empirical", "file": "samples.csv"})))
check("empirical samples from a CSV file: mean service 100 ms gives utilisation 0.8",
      abs(summary["components"]["server"]["utilization"] - 0.8) < 0.02, str(summary["components"]["server"]["utilization"]))

# --- closed loop: the interactive response time law X = N / (R + Z) -------------------------------
closed = {"components": {
    "users": {"type": "client", "target": "server", "arrivals": {"process": "closed", "users": 10, "think_time_ms": {"dist": "exponential", "mean": 1000}}},
    "server": {"type": "service", "concurrency": 2, "service_time_ms": {"dist": "exponential", "mean": 150}}},
    "run": {"duration_s": 20000, "warmup_s": 500, "seed": 3}}
users = run(write_model("closed", closed))["clients"]["users"]
law = users["throughput_per_s"] * (users["latency_ms"]["mean"] / 1000 + 1.0)
check("closed loop obeys X (R + Z) = N", abs(law - 10) < 0.1, f"X(R+Z) = {law:.3f}")

# --- client timeouts -----------------------------------------------------------------------
summary = run(write_model("timeouts", {**mm1(requests=20000), "components": {**mm1()["components"], "users": {
    **mm1()["components"]["users"], "timeout_ms": 300}}}))
users = summary["clients"]["users"]
check("requests slower than timeout_ms fail as timed out", users["timed_out"] > 0 and users["failed"] == users["timed_out"]
      and users["latency_ms"]["max"] <= 300, str(users))

# --- --out writes summary.json, timeseries.csv and events.log ----------------------------------
lb = {"components": {
    "users": {"type": "client", "target": "alb", "arrivals": {"process": "poisson", "rate_per_s": 50,
              "schedule": [{"at_s": 200, "rate_per_s": 150, "for_s": 50}]}},
    "alb": {"type": "load_balancer", "targets": ["web"], "health_check": {"interval_s": 10, "unhealthy_threshold": 3, "healthy_threshold": 2}},
    "web": {"type": "service", "instances": 3, "concurrency": 4, "service_time_ms": {"dist": "exponential", "mean": 20}}},
    "run": {"duration_s": 400, "seed": 5, "timeseries_interval_s": 10},
    "faults": [{"at_s": 100, "action": "kill", "target": "web", "instance": 2, "for_s": 200}]}
out = os.path.join(TMP, "out")
summary = run(write_model("lb", lb), "--out", out)
check("--out writes the three files", all(os.path.exists(os.path.join(out, f)) for f in ("summary.json", "timeseries.csv", "events.log")))
with open(os.path.join(out, "timeseries.csv")) as f:
    rows = list(csv.DictReader(f))
check("timeseries: one row per component per interval", len(rows) == 3 * 40, str(len(rows)))
arrivals = {int(float(r["time_s"])): int(r["arrivals"]) for r in rows if r["component"] == "users"}
check("timeseries shows the spike (150/s from 200 s to 250 s)", arrivals[240] > 2 * arrivals[100], f"{arrivals[240]} vs {arrivals[100]}")
with open(os.path.join(out, "events.log")) as f:
    events = f.read().splitlines()
unhealthy = [float(line.split()[0]) for line in events if "web#2 marked unhealthy" in line]
check("ALB marks a killed instance unhealthy after interval × threshold (120 s < t <= 130 s)",
      len(unhealthy) == 1 and 120 < unhealthy[0] <= 130, str(events))
healthy = [float(line.split()[0]) for line in events if "web#2 healthy again" in line]
check("and healthy again after healthy_threshold passes once it recovers (310 s < t <= 320 s)",
      len(healthy) == 1 and 310 < healthy[0] <= 320, str(events))
targets = summary["components"]["alb"]["targets"]
check("the load balancer spread requests over all three instances", all(t["requests"] > 0 for t in targets.values()))
check("requests sent to the dead instance before detection failed", 0 < summary["clients"]["users"]["failed"] < 50 * 30 / 3 + 50,
      str(summary["clients"]["users"]["failed"]))

# fail-open: with every instance dead and marked unhealthy, the ALB still sends to all of them
lb["faults"] = [{"at_s": 100, "action": "kill", "target": "web"}]
summary = run(write_model("failopen", lb))
targets = summary["components"]["alb"]["targets"]
check("fail-open: all targets unhealthy, traffic still reaches each one", all(not t["healthy_at_end"] for t in targets.values())
      and min(t["requests"] for t in targets.values()) > 1000, str(targets))

# events.log with --out holds every event: a queue logs every message (the terminal's short view thins
# them, 200 lines per kind), and the terminal view ends with how many more there are.
code_runner = os.path.join(os.path.dirname(__file__), "..", "..", "models", "code-runner.json")
events_out = os.path.join(TMP, "all-events")
result = subprocess.run([ARCHLAB, "run", code_runner, "--scenario", "fixed", "--set", "run.duration_s=1200",
                         "--set", "browser.arrivals.rate_per_s=1", "--set", "browser.arrivals.schedule=[]", "--out", events_out],
                        capture_output=True, text=True, timeout=120)
with open(os.path.join(events_out, "events.log")) as f:
    lines = f.read().splitlines()
sent = [line for line in lines if " sent (job " in line]
with open(os.path.join(events_out, "summary.json")) as f:
    submitted = json.load(f)["jobs"]["submitted"]
check("events.log holds a send line for every job the queue took (past 200)", len(sent) > 200 and len(sent) >= submitted - 5,
      f"{len(sent)} send lines, {submitted} jobs")
check("no 'no more ... lines logged' in the complete log", not any("no more" in line for line in lines))
check("the terminal view says how many more events there are", f"... and {len(lines) - 25} more" in result.stdout, result.stdout[-300:])

# signals.csv: every declared signal of every component, long format
with open(os.path.join(events_out, "signals.csv")) as f:
    rows = f.read().splitlines()
check("signals.csv starts with time_s,component,signal,value", rows[0] == "time_s,component,signal,value", rows[0])
check("signals.csv has the queue's visible_messages and the table's throttled",
      any(",jobs,visible_messages," in row for row in rows) and any(",table,throttled," in row for row in rows))

# no progress line when stderr is not a terminal
result = subprocess.run([ARCHLAB, "run", base, "--quiet"], capture_output=True, text=True)
check("no progress output when stderr is not a terminal", result.returncode == 0 and result.stderr == "" and result.stdout == "")

# caches: the example model's CDN (a TTL cache whose timer is set on a miss) against the TTL hit-ratio
# formula, sum of p_i x/(1+x) with x = lambda p_i T, Zipf(0.8) over 10,000 keys at 200 per s
catalog = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "cached-catalog.json")
harmonic = sum(k ** -0.8 for k in range(1, 10001))
for scenario, ttl_s in [(None, 60), ("short-ttl", 5)]:
    summary = run(catalog, *(["--scenario", scenario] if scenario else []))
    expected = sum((k ** -0.8 / harmonic) * (x / (1 + x)) for k in range(1, 10001) for x in [200 * k ** -0.8 / harmonic * ttl_s])
    edge = summary["components"]["edge"]
    check(f"cached-catalog: the CDN's hit ratio at TTL {ttl_s} s matches the TTL formula",
          abs(edge["hit_ratio"] - expected) < 0.01, f"{edge['hit_ratio']} vs {expected}")
    check(f"cached-catalog: writes make stale hits at TTL {ttl_s} s", edge["stale_hits"] > 0 and summary["components"]["cache"]["stale_hits"] > 0)
bad = write_model("bad-keys", {"name": "bad-keys", "components": {
    "users": {"type": "client", "target": "api", "arrivals": {"rate_per_s": 1}, "mix": {"read": 1},
              "keys_by_kind": {"wrte": {"dist": "zipf", "count": 10}}},
    "api": {"type": "service"}}, "run": {"duration_s": 10}})
result = subprocess.run([ARCHLAB, "run", bad, "--quiet"], capture_output=True, text=True, timeout=60)
check("keys_by_kind naming a kind not in mix: exit 2, naming where", result.returncode == 2 and "components.users.keys_by_kind.wrte" in result.stderr,
      result.stderr)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
