#!/usr/bin/env python3
"""The event pipeline of models/clip-uploads.json (bucket → notification → topic → queue and HTTP
endpoint) run through the CLI: what each scenario is there to show. The last line is 'N passed, M failed'."""
import json, os, subprocess, sys

ARCHLAB = sys.argv[1]
MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "models", "clip-uploads.json")
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    passed += bool(condition)
    failed += not condition
    print(f"{'ok  ' if condition else 'FAIL'} {name} {'' if condition else detail}")


def run(*args):
    result = subprocess.run([ARCHLAB, "run", MODEL, "--json", "--quiet", *args], capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"FAIL archlab run {args}: exit {result.returncode}\n{result.stderr}")
    return json.loads(result.stdout)["components"]


base = run()
puts = base["clips"]["by_operation"]["put"]
notified = base["clips"]["notifications"][0]
topic = base["uploaded"]
queue_figures = topic["subscriptions"]["trim_jobs"]
check("every put under raw/ with .mp4 is notified once", notified["sent"] == puts and notified["delivered"] == puts, notified)
check("every notification is published", topic["published"] == puts, topic["published"])
check("the topic fans out to both subscriptions (deliveries = publishes × subscriptions)",
      queue_figures["delivered"] + topic["subscriptions"]["frontend"]["delivered"] == 2 * topic["published"], topic["subscriptions"])
check("the bucket keeps every clip", base["clips"]["objects"] == puts, base["clips"]["objects"])
check("the workers trim what the queue was sent (all but the last few in progress)",
      0 <= puts - base["trimmers"]["completed"] <= 5, base["trimmers"]["completed"])

down = run("--scenario", "frontend-down")["uploaded"]["subscriptions"]["frontend"]
check("frontend-down: the default HTTP/S policy drops notifications", down["dropped"] > 0 and down["retried"] > 0, down)
check("frontend-down: the SQS subscription is untouched", run("--scenario", "frontend-down")["uploaded"]["subscriptions"]["trim_jobs"]["dropped"] == 0)
fixed = run("--scenario", "frontend-down-fixed")["uploaded"]["subscriptions"]["frontend"]
check("frontend-down-fixed: nothing dropped, everything delivered or dead-lettered",
      fixed["dropped"] == 0 and fixed["delivered"] + fixed["dead_lettered"] == fixed["matched"], fixed)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
