#!/usr/bin/env python3
"""archlab compare: the measured load and timings reach the model, every mapped figure is
compared, the errors are the arithmetic they claim, each measured call latency moves the
prediction the way it should, and bad input exits 2 naming what is wrong."""
import json, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(REPO, "models", "code-runner.json")
SAMPLE = os.path.join(REPO, "tests", "compare", "sample-result.json")
# A real run: bench/real_stack.sh at 20 jobs/s for 40 s (archlab-loadgen --timings-dir), kept as measured.
MEASURED = os.path.join(REPO, "tests", "compare", "local-stack-20.json")
failures = []


def expect(condition, message, result=None):
    if not condition:
        failures.append(message)
        print("FAIL " + message + (f"\n  stdout: {result.stdout[:600]}\n  stderr: {result.stderr.strip()[:600]}" if result else ""))


def compare(*args):
    return subprocess.run([ARCHLAB, "compare", *args], capture_output=True, text=True, timeout=300)


with open(SAMPLE) as f:
    sample = json.load(f)
result = compare(MODEL, SAMPLE, "--scenario", "fixed", "--json")
expect(result.returncode == 0, "compare runs", result)
if result.returncode == 0:
    report = json.loads(result.stdout)
    rows = {row["figure"]: row for row in report["figures"]}
    expect(len(rows) == 8, f"every mapped figure is reported: {list(rows)}")
    calibration = " ".join(report["calibration"])
    expect('"rate_per_s":0.5' in calibration and '"at_s":300.0' in calibration, f"the measured load is offered: {calibration}")
    expect(report["replications"]["count"] == 10 and all("simulated_range" in row for row in report["figures"]),
           f"the simulated figure is a mean over 10 seeds, with its range: {report['replications']}")
    expect(rows["job latency p50 (s)"]["measured"] == 0.9, "job latency is measured by the workers (job.latency)")
    def calibrated(path):
        return json.loads(next(s for s in report["calibration"] if s.startswith(path + "=")).split("=", 1)[1])

    operations = sample["operations_s"]
    # A job is drawn in the pieces one real job lived them (models/compare/code-runner.json): the
    # calls inside a piece are in its time, so the model's own latencies for them are 0.
    for path in ["jobs.api_latency_ms", "table.latency_ms.get", "table.latency_ms.put", "table.latency_ms.update",
                 "workers.steps.0.work_ms"]:
        expect(calibrated(path) == 0, f"{path} is inside a measured piece: 0, not {calibrated(path)}")
    for path, role, operation in [("workers.steps.1.work_ms", "worker", "worker.job"),
                                  ("workers.steps.3.work_ms", "worker", "sqs.DeleteMessage"),
                                  ("api.handlers.submit.service_time_ms", "api", "api.submit"),
                                  ("api.handlers.status.service_time_ms", "api", "api.status")]:
        value = calibrated(path)
        wanted_ms = [q * 1000 for q in operations[role][operation]["quantiles"]]
        expect(value.get("dist") == "empirical" and all(abs(a - b) < 1e-9 for a, b in zip(value["samples"], wanted_ms))
               and len(value["samples"]) == len(wanted_ms),
               f"{path} draws from the measured {role} {operation} times, in ms: {value}")
    expect(rows["jobs submitted"]["kind"] == "fitted" and rows["job latency p50 (s)"]["kind"] == "predicted",
           f"the offered load is fitted, the latencies predicted: {rows['jobs submitted']}, {rows['job latency p50 (s)']}")
    submitted = rows["jobs submitted"]["simulated"]
    expect(135 <= submitted <= 165, f"the simulations offered 150 jobs over 300 s on average: {submitted} submitted")
    for row in report["figures"]:
        if row["simulated"] is not None and row["measured"]:
            wanted = 100 * (row["simulated"] - row["measured"]) / row["measured"]
            expect(abs(row["error_pct"] - wanted) < 1e-6, f"{row['figure']}: error {row['error_pct']} is not {wanted}")
    expect(rows["jobs unfinished"]["measured"] == 2, "measured figures are read from the result")

    again = compare(MODEL, SAMPLE, "--scenario", "fixed", "--json")
    expect(again.stdout == result.stdout, "the same result and model give the same comparison")


def scaled_call(result, role, operation, factor):
    """The measured result with one call's mean and percentiles multiplied by factor."""
    changed = json.loads(json.dumps(result))
    block = changed["operations_s"][role][operation]
    for key in ("mean", "p50", "p90", "p99"):
        block[key] *= factor
    block["quantiles"] = [q * factor for q in block["quantiles"]]
    return changed


with open(MEASURED) as f:
    measured = json.load(f)
with tempfile.TemporaryDirectory() as tmp:
    def predicted(result):
        path = os.path.join(tmp, "result.json")
        with open(path, "w") as f:
            json.dump(result, f)
        run = compare(MODEL, path, "--scenario", "local-stack", "--json")
        expect(run.returncode == 0, "compare runs on a measured local-stack result", run)
        return {row["figure"]: row for row in json.loads(run.stdout)["figures"]} if run.returncode == 0 else None

    base = predicted(measured)
    if base:
        # The stored run's predicted figures within 15 % (the hardening issue's target).
        for name, row in base.items():
            if row["kind"] == "predicted" and row["error_pct"] is not None:
                expect(abs(row["error_pct"]) <= 15, f"{name}: predicted within 15 % of the real run: {row}")
        mean = base["job latency mean (s)"]["simulated"]
        # A slower piece of the job's path makes jobs slower by about that much; one off the path does not.
        for role, operation, factor in [("worker", "worker.job", 3), ("api", "api.submit", 5)]:
            added_s = measured["operations_s"][role][operation]["mean"] * (factor - 1)
            slower = predicted(scaled_call(measured, role, operation, factor))
            if slower:
                grown = slower["job latency mean (s)"]["simulated"] - mean
                expect(0.7 * added_s < grown < 1.3 * added_s,
                       f"{role} {operation} × {factor} adds about {added_s * 1e3:.2f} ms to the mean job latency: {grown * 1e3:.2f} ms")
        faster = predicted(scaled_call(measured, "worker", "worker.job", 0.5))
        if faster:
            expect(faster["job latency p50 (s)"]["simulated"] < base["job latency p50 (s)"]["simulated"],
                   "a faster run step gives a faster median job")
        # A call off the job's path (the API's status reads) leaves the job latency alone.
        reads = predicted(scaled_call(measured, "api", "api.status", 5))
        if reads:
            expect(abs(reads["job latency mean (s)"]["simulated"] - mean) < 0.02 * mean,
                   "the API's status reads do not change the job latency")

text = compare(MODEL, SAMPLE, "--scenario", "fixed")
expect(text.returncode == 0 and "mean absolute error" in text.stdout and "--set workers.steps.1.work_ms=" in text.stdout,
       "the text report shows the calibration and the error table", text)

with tempfile.TemporaryDirectory() as tmp:
    lacking = json.loads(json.dumps(sample))
    del lacking["operations_s"]["worker"]["worker.job"]["quantiles"]
    path = os.path.join(tmp, "lacking.json")
    with open(path, "w") as f:
        json.dump(lacking, f)
    broken_map = os.path.join(tmp, "map.json")
    with open(broken_map, "w") as f:
        f.write('{"sets": {}, "figures": []}')
    not_json = os.path.join(tmp, "garbage.json")
    with open(not_json, "w") as f:
        f.write("{ nope")
    for name, args, wanted in [
        ("missing result", [MODEL, os.path.join(tmp, "none.json")], "none.json"),
        ("result not JSON", [MODEL, not_json], "garbage.json:1:"),
        ("result lacks the run timing", [MODEL, path], "/operations_s/worker/worker.job/quantiles: missing or empty"),
        ("bad map", [MODEL, SAMPLE, "--map", broken_map], "figures: must be a non-empty list"),
        ("no map beside the model", [os.path.join(REPO, "models", "queueing", "mm1.json"), SAMPLE], "does not exist"),
    ]:
        bad = compare(*args)
        expect(bad.returncode == 2 and wanted in bad.stderr and "Traceback" not in bad.stderr and "terminate" not in bad.stderr,
               f"{name}: exit 2 naming '{wanted}'", bad)

print(f"compare: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
