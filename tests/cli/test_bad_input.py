#!/usr/bin/env python3
"""Bad input gets a clear error naming where and what, exit status 2, and writes nothing."""
import json, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]

MM1 = {
    "name": "mm1",
    "components": {
        "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 8.0}},
        "server": {"type": "service", "instances": 1, "concurrency": 1, "service_time_ms": {"dist": "exponential", "mean": 100}},
    },
    "run": {"requests": 1000, "seed": 1},
}

def variant(path, value):
    model = json.loads(json.dumps(MM1))
    node = model
    keys = path.split(".")
    for key in keys[:-1]:
        node = node[key]
    if value is None:
        del node[keys[-1]]
    else:
        node[keys[-1]] = value
    return json.dumps(model)

CODE_RUNNER = open(os.path.join(os.path.dirname(__file__), "..", "..", "models", "code-runner.json")).read()

# (name, model text, extra args, expected text in stderr)
CASES = [
    ("crash at a step the workers lack", CODE_RUNNER,
     ["--set", 'faults=[{"at_s": 10, "action": "crash", "target": "workers", "step": "remove"}]'],
     "faults[0].step: 'workers' has no step 'remove' (its steps: get, run, update, delete)"),
    ("negative mean", variant("components.server.service_time_ms.mean", -5), [], "components.server.service_time_ms.mean: must be > 0"),
    ("misspelt key", variant("components.server.concurency", 2), [], "components.server.concurency: unknown parameter (did you mean 'concurrency'?)"),
    ("unknown type", variant("components.server.type", "servise"), [], "components.server.type: unknown component type 'servise' (did you mean 'service'?)"),
    ("dangling target", variant("components.users.target", "sever"), [], "components.users.target: no component named 'sever' (did you mean 'server'?)"),
    ("bad distribution", variant("components.server.service_time_ms", {"dist": "exponentail", "mean": 1}), [], "components.server.service_time_ms.dist: unknown distribution 'exponentail'"),
    ("lognormal without cv", variant("components.server.service_time_ms", {"dist": "lognormal", "mean": 100}), [], "components.server.service_time_ms.cv: is required"),
    ("concurrency zero", variant("components.server.concurrency", 0), [], "components.server.concurrency: must be >= 1"),
    ("fractional instances", variant("components.server.instances", 1.5), [], "components.server.instances: must be a whole number"),
    ("no run length", variant("run.requests", None), [], "run: give exactly one of duration_s"),
    ("warm-up too long", variant("run.warmup_requests", 5000), [], "run.warmup_requests: must be less than run.requests"),
    ("bad policy", None, ["--set", "x=1"], "--set x=1: 'x' is neither a top-level key"),
    ("unknown scenario", None, ["--scenario", "nope"], "--scenario: no scenario named 'nope'"),
    ("syntax error", '{\n  "name": "x",\n  "components": { "a": }\n}', [], ":3:"),
    ("missing file", "MISSING", [], "no such file"),
    ("bad flag", None, ["--frobnicate"], "frobnicate"),
    ("top-level typo", json.dumps({**MM1, "compnents": {}}), [], "compnents: unknown top-level key (did you mean 'components'?)"),
    ("fault on a client", json.dumps({**MM1, "faults": [{"at_s": 1, "target": "users"}]}), [], "faults[0].action: a client cannot take the fault 'kill' (it takes none)"),
    ("crash with no step", json.dumps({**MM1, "faults": [{"at_s": 1, "action": "crash", "target": "server"}]}), [], "faults[0].action: a service cannot take the fault 'crash' (it takes: kill, recover, hang, slow, fail, zone_outage)"),
    ("zone outage with no zone", json.dumps({**MM1, "faults": [{"at_s": 1, "action": "zone_outage"}]}), [], "faults[0].zone: a zone_outage needs the zone that goes down"),
    ("scenario extends an unknown one", json.dumps({**MM1, "scenarios": {"a": {"extends": ["nope"]}}}), ["--scenario", "a"], "scenarios.a.extends: names no scenario of this model"),
    ("fault instance out of range", json.dumps({**MM1, "faults": [{"at_s": 1, "target": "server", "instance": 3}]}), [], "faults[0].instance: must be below 1"),
    ("several problems at once", variant("components.server.concurrency", -1).replace('"mean": 100', '"mean": 0'), [], "components.server.service_time_ms.mean: must be > 0"),
    ("empirical file missing", variant("components.server.service_time_ms", {"dist": "empirical", "file": "nope.csv"}), [], "cannot read samples file"),
    ("--set path of 60,000 segments", None, ["--set", "run." + "a." * 60000 + "b=1"], "--set run.a.a.a"),
    ("--set value 60,000 lists deep", None, ["--set", "run.seed=" + "[" * 60000 + "]" * 60000], "objects and lists nest deeper than 64 levels"),
    ("weights mismatch", json.dumps({"components": {"u": {"type": "client", "target": "lb", "arrivals": {"rate_per_s": 1}},
                                                   "lb": {"type": "load_balancer", "targets": ["s"], "weights": [1, 2]},
                                                   "s": {"type": "service"}}, "run": {"duration_s": 10}}), [], "components.lb.weights: needs one weight per target (1)"),
]

failures = 0
with tempfile.TemporaryDirectory() as tmp:
    for name, text, args, expected in CASES:
        model = os.path.join(tmp, "model.json")
        out_dir = os.path.join(tmp, "out-" + name.replace(" ", "-"))
        if text == "MISSING":
            model = os.path.join(tmp, "missing.json")
        else:
            with open(model, "w") as f:
                f.write(text if text is not None else json.dumps(MM1))
        for command in (["run", model, "--out", out_dir] + args, ["validate", model] + args):
            result = subprocess.run([ARCHLAB] + command, capture_output=True, text=True, timeout=60)
            problems = []
            if result.returncode != 2:
                problems.append(f"exit status {result.returncode}, wanted 2")
            if expected not in result.stderr:
                problems.append(f"stderr lacks {expected!r}")
            if any(bad in result.stderr for bad in ("terminate called", "what():", "Aborted", "Segmentation")):
                problems.append("looks like a crash")
            if os.path.exists(out_dir):
                problems.append("wrote an output folder")
            if problems:
                failures += 1
                print(f"FAIL {name} ({command[0]}): {'; '.join(problems)}\n  stderr: {result.stderr.strip()}")
    # The several-problems case reports both, one line each.
    with open(os.path.join(tmp, "model.json"), "w") as f:
        f.write(variant("components.server.concurrency", -1).replace('"mean": 100', '"mean": 0'))
    result = subprocess.run([ARCHLAB, "validate", os.path.join(tmp, "model.json")], capture_output=True, text=True)
    if len([line for line in result.stderr.splitlines() if line.startswith("error: ")]) != 2:
        failures += 1
        print("FAIL several problems: wanted two error lines, got:\n" + result.stderr)

    # --out is checked before the simulation (a long run, so that a late check would time out) and
    # nothing is written: under a file, a dangling link, a folder where a file goes.
    long_run = os.path.join(tmp, "long.json")
    with open(long_run, "w") as f:
        f.write(variant("run.requests", 100000000))
    open(os.path.join(tmp, "a-file"), "w").close()
    os.symlink(os.path.join(tmp, "nowhere"), os.path.join(tmp, "dangling"))
    os.makedirs(os.path.join(tmp, "taken", "timeseries.csv"))
    OUT_CASES = [("under a file", "a-file/out", "which is not a folder"),
                 ("dangling link", "dangling", "is a link to nothing"),
                 ("a folder where a file goes", "taken", "timeseries.csv is in the way")]
    if os.geteuid() != 0:  # root writes anywhere
        os.makedirs(os.path.join(tmp, "read-only"))
        os.chmod(os.path.join(tmp, "read-only"), 0o555)
        OUT_CASES.append(("unwritable", "read-only/out", "not writable"))
    for name, out, expected in OUT_CASES:
        before = sorted(os.listdir(tmp)) + sorted(os.listdir(os.path.join(tmp, "taken")))
        try:
            result = subprocess.run([ARCHLAB, "run", long_run, "--quiet", "--out", os.path.join(tmp, out)], capture_output=True, text=True, timeout=10)
            problem = None if result.returncode == 2 and expected in result.stderr else f"exit {result.returncode}, stderr {result.stderr.strip()!r}"
        except subprocess.TimeoutExpired:
            problem = "not refused before the simulation"
        after = sorted(os.listdir(tmp)) + sorted(os.listdir(os.path.join(tmp, "taken")))
        if problem is None and after != before:
            problem = f"wrote something: {sorted(set(after) - set(before))}"
        if problem:
            failures += 1
            print(f"FAIL --out {name}: {problem}")
    # A good --out gets all five files (model.json: the model as run) and nothing else (no staging folder left).
    out = os.path.join(tmp, "good", "nested")
    good_model = os.path.join(tmp, "good.json")
    with open(good_model, "w") as f:
        json.dump(MM1, f)
    result = subprocess.run([ARCHLAB, "run", good_model, "--quiet", "--out", out], capture_output=True, text=True, timeout=60)
    written = sorted(os.listdir(out)) if os.path.isdir(out) else []
    if result.returncode != 0 or written != ["events.log", "model.json", "signals.csv", "summary.json", "timeseries.csv"] or os.listdir(os.path.join(tmp, "good")) != ["nested"]:
        failures += 1
        print(f"FAIL --out good: exit {result.returncode}, wrote {written}, {result.stderr.strip()}")

checks = len(CASES) * 2 + 1 + len(OUT_CASES) + 1
print(f"{checks - failures} passed, {failures} failed")
sys.exit(1 if failures else 0)
