#!/usr/bin/env python3
"""archlab sweep: the grid's CSV and plots agree with run --replications at each point, a sweep
resumes without rerunning the points done, and bad input is refused before anything runs.
Each check prints a line; the last line is 'N passed, M failed'."""
import csv, json, os, shutil, subprocess, sys, tempfile
import xml.etree.ElementTree as ET

ARCHLAB = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="archlab-sweep-test-")
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if condition else (passed, failed + 1)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else " " + str(detail)))


def archlab(*args):
    return subprocess.run([ARCHLAB, *args], capture_output=True, text=True, timeout=300)


MODEL = os.path.join(TMP, "mm1.json")
with open(MODEL, "w") as f:
    json.dump({"components": {
        "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 5.0}},
        "server": {"type": "service", "instances": 1, "concurrency": 1, "service_time_ms": {"dist": "exponential", "mean": 100}}},
        "run": {"requests": 3000, "warmup_requests": 100, "seed": 3}}, f)
OUT = os.path.join(TMP, "sweep")
VARY = ["--vary", "server.concurrency=1,2", "--vary", "users.arrivals.rate_per_s=4,8"]


def sweep(*args, out=OUT):
    return archlab("sweep", MODEL, *VARY, "--replications", "2", "-j", "2", "-o", out, *args)


def rows():
    with open(os.path.join(OUT, "sweep.csv")) as f:
        return list(csv.DictReader(f))


first = sweep()
check("a 2 × 2 sweep runs", first.returncode == 0, first.stderr)
check("no progress line when stderr is not a terminal", first.stderr == "", first.stderr)
table = rows()
check("one row per point, the last --vary fastest", [(r["server.concurrency"], r["users.arrivals.rate_per_s"]) for r in table]
      == [("1", "4"), ("1", "8"), ("2", "4"), ("2", "8")], table[:1])
replicated = json.loads(archlab("run", MODEL, "--set", "server.concurrency=2", "--set", "users.arrivals.rate_per_s=8",
                                "--replications", "2", "--json").stdout)["figures"]["clients.users.latency_ms.mean"]
point = table[3]
check("a point's mean and interval are run --replications' at its values",
      abs(float(point["clients.users.latency_ms.mean.mean"]) - replicated["mean"]) < 1e-6 * replicated["mean"]
      and abs(float(point["clients.users.latency_ms.mean.ci95"]) - replicated["half_width"]) < 1e-6 * replicated["mean"],
      (point["clients.users.latency_ms.mean.mean"], replicated))
check("more load, longer waits (one worker)", float(table[1]["clients.users.latency_ms.mean.mean"]) > float(table[0]["clients.users.latency_ms.mean.mean"]))
plot = ET.parse(os.path.join(OUT, "clients_users_latency_ms_mean.svg")).getroot()
circles = plot.findall(".//{http://www.w3.org/2000/svg}circle")
check("a plot per main figure: four points, a line per rate", len(circles) == 4 and
      len(plot.findall(".//{http://www.w3.org/2000/svg}g")) == 2, len(circles))
check("... and the bill and p99 are plotted too", all(os.path.exists(os.path.join(OUT, name)) for name in
      ["cost_usd_total.svg", "clients_users_latency_ms_p99.svg", "components_server_utilization.svg"]))

# Resume: a point marked by hand stays as it is (it is not run again), a point removed runs again.
points = os.path.join(OUT, "points")
with open(os.path.join(points, "point-00000.json")) as f:
    marked = json.load(f)
for figures in marked["replications"]:
    figures["clients.users.latency_ms.mean"] = 12345.0
with open(os.path.join(points, "point-00000.json"), "w") as f:
    json.dump(marked, f)
os.remove(os.path.join(points, "point-00002.json"))
again = sweep()
table2 = rows()
check("a resumed sweep says so and skips the points done", again.returncode == 0 and "3 of 4 points are done" in again.stdout
      and table2[0]["clients.users.latency_ms.mean.mean"] == "12345", (again.stdout, table2[0]["clients.users.latency_ms.mean.mean"]))
check("... and runs the missing one, with the same result as before (same seeds)", table2[2] == table[2])

merge_gap = os.path.join(points, "point-00001.json")
os.remove(merge_gap)
merged = sweep("--merge")
check("--merge with a point missing: exit 1, the rest written", merged.returncode == 1 and "1 points are not done" in merged.stderr
      and len(rows()) == 3, (merged.returncode, merged.stderr))
other = archlab("sweep", MODEL, "--vary", "server.concurrency=1,3", "-o", OUT)
check("a folder holding another sweep is refused (exit 2)", other.returncode == 2 and "holds another sweep" in other.stderr, other.stderr)

slurm = sweep("--slurm")
array = open(os.path.join(OUT, "slurm", "array.sbatch")).read()
check("--slurm writes an array of one task per point and a merge step", slurm.returncode == 0 and "#SBATCH --array=0-3" in array
      and "--point \"$SLURM_ARRAY_TASK_ID\"" in array and "--merge" in open(os.path.join(OUT, "slurm", "merge.sbatch")).read(), slurm.stderr)

fresh = os.path.join(TMP, "never")
for args, where in [(["--vary", "server.nosuch=1,2"], "components.server.nosuch"),
                    (["--vary", "server.concurrency=1,two"], "components.server.concurrency"),
                    (["--vary", "server.concurrency"], "--vary server.concurrency"),
                    (["--vary", "server.concurrency=1", "--vary", "server.concurrency=2"], "is varied twice"),
                    (["--vary", "server.concurrency=1", "--point", "5"], "--point")]:
    result = archlab("sweep", MODEL, *args, "-o", fresh)
    check(f"bad input {args} → exit 2 naming {where}, nothing written", result.returncode == 2 and where in result.stderr
          and not os.path.exists(fresh), (result.returncode, result.stderr))

shutil.rmtree(TMP)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
