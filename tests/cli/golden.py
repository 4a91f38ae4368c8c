#!/usr/bin/env python3
"""Every model is a test: its summary (and each scenario's), rounded to 4 significant digits, must
match the golden file beside it, and two runs must print byte-identical summaries.

usage: golden.py ARCHLAB MODEL.json [--update]
"""
import json, math, os, subprocess, sys

archlab, model = sys.argv[1], sys.argv[2]
update = "--update" in sys.argv[3:]
golden_path = model[: -len(".json")] + ".golden.json"


def rounded(value):
    if isinstance(value, float):
        return 0.0 if value == 0 else round(value, 3 - int(math.floor(math.log10(abs(value)))))
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [rounded(item) for item in value]
    return value


def run(scenario):
    args = [archlab, "run", model, "--json", "--quiet"] + (["--scenario", scenario] if scenario else [])
    result = subprocess.run(args, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        sys.exit(f"FAIL {' '.join(args[1:])}: exit {result.returncode}\n{result.stderr}")
    summary = json.loads(result.stdout)
    summary.pop("wall_clock")
    return summary


listing = subprocess.run([archlab, "validate", model, "--json"], capture_output=True, text=True)
if listing.returncode != 0:
    sys.exit(f"FAIL {model} does not validate:\n{listing.stderr}")
scenarios = [""] + json.loads(listing.stdout)["scenarios"]

actual = {}
failures = 0
for scenario in scenarios:
    first, second = run(scenario), run(scenario)
    if json.dumps(first, sort_keys=True) != json.dumps(second, sort_keys=True):
        failures += 1
        print(f"FAIL {model} {scenario or '(as written)'}: two runs with the same seed differ")
    actual[scenario or "(as written)"] = rounded(first)

if update:
    with open(golden_path, "w") as f:
        json.dump(actual, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"wrote {golden_path}")
    sys.exit(0)

if not os.path.exists(golden_path):
    sys.exit(f"FAIL no golden file {golden_path}: run with --update (cmake --build build --target update-golden)")
with open(golden_path) as f:
    expected = json.load(f)


def diff(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            yield from diff(a.get(key), b.get(key), f"{path}.{key}" if path else key)
    elif a != b:
        yield f"{path}: golden {b!r}, now {a!r}"


differences = list(diff(actual, expected))
for line in differences[:20]:
    print("DIFF " + line)
failures += 1 if differences else 0
print(f"{max(0, len(scenarios) - failures)} passed, {failures} failed")
sys.exit(1 if failures else 0)
