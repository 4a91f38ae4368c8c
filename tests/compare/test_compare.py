#!/usr/bin/env python3
"""archlab compare: the measured load and timings reach the model, every mapped figure is
compared, the errors are the arithmetic they claim, and bad input exits 2 naming what is wrong."""
import json, math, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(REPO, "models", "code-runner.json")
SAMPLE = os.path.join(REPO, "tests", "compare", "sample-result.json")
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
    work = next(s for s in report["calibration"] if s.startswith("workers.steps.1.work_ms="))
    fitted = json.loads(work.split("=", 1)[1])
    expect(abs(fitted["mean"] - 500) < 1e-9 and abs(fitted["cv"] - math.sqrt((0.5 / 0.3) ** 2 - 1)) < 1e-9,
           f"the run step is the measured run time (mean 500 ms, lognormal through the median): {fitted}")
    submitted = rows["jobs submitted"]["simulated"]
    expect(100 <= submitted <= 200, f"the simulation offered about 0.5/s for 300 s: {submitted} submitted")
    for row in report["figures"]:
        if row["simulated"] is not None and row["measured"]:
            wanted = 100 * (row["simulated"] - row["measured"]) / row["measured"]
            expect(abs(row["error_pct"] - wanted) < 1e-6, f"{row['figure']}: error {row['error_pct']} is not {wanted}")
    expect(rows["jobs unfinished"]["measured"] == 2, "measured figures are read from the result")

    again = compare(MODEL, SAMPLE, "--scenario", "fixed", "--json")
    expect(again.stdout == result.stdout, "the same result and model give the same comparison")

text = compare(MODEL, SAMPLE, "--scenario", "fixed")
expect(text.returncode == 0 and "mean absolute error" in text.stdout and "--set workers.steps.1.work_ms=" in text.stdout,
       "the text report shows the calibration and the error table", text)

with tempfile.TemporaryDirectory() as tmp:
    lacking = dict(sample, jobs={k: v for k, v in sample["jobs"].items() if k != "run_s"})
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
        ("result lacks run_s", [MODEL, path], "/jobs/run_s/mean: missing or not a number"),
        ("bad map", [MODEL, SAMPLE, "--map", broken_map], "figures: must be a non-empty list"),
        ("no map beside the model", [os.path.join(REPO, "models", "queueing", "mm1.json"), SAMPLE], "does not exist"),
    ]:
        bad = compare(*args)
        expect(bad.returncode == 2 and wanted in bad.stderr and "Traceback" not in bad.stderr and "terminate" not in bad.stderr,
               f"{name}: exit 2 naming '{wanted}'", bad)

print(f"compare: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
