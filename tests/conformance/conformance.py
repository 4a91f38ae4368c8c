"""Shared plumbing for the conformance tests: each test_*.py states documented AWS behaviours one
by one (citing docs/aws-facts.md) and checks each on a small model run by the real
archlab binary. Usage: python3 test_x.py path/to/archlab. Each check prints a line; the script exits
1 when any check failed."""
import json, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1] if len(sys.argv) > 1 else "build/archlab"
TMP = tempfile.mkdtemp(prefix="archlab-conformance-")
_results = {"passed": 0, "failed": 0}


def behaviour(aws_behaviour, condition, measured=""):
    """One documented behaviour: `aws_behaviour` names it as AWS documents it; `measured` says what the run showed."""
    if condition:
        _results["passed"] += 1
        print(f"ok   {aws_behaviour}  [{measured}]")
    else:
        _results["failed"] += 1
        print(f"FAIL {aws_behaviour}  [{measured}]")


def write_model(name, model):
    path = os.path.join(TMP, name + ".json")
    with open(path, "w") as f:
        json.dump(model, f, indent=1)
    return path


def run(model, *args, name="model"):
    """Runs a model (a dict, or a path) and returns (summary, events): the summary JSON and the lines of events.log."""
    path = model if isinstance(model, str) else write_model(name, model)
    out = os.path.join(TMP, name + "-out")
    result = subprocess.run([ARCHLAB, "run", path, "--quiet", "--out", out, *args], capture_output=True, text=True, timeout=300)
    if result.returncode != 0:
        print(f"FAIL archlab run {path} {' '.join(args)}: exit {result.returncode}\n{result.stderr}")
        sys.exit(1)
    with open(os.path.join(out, "summary.json")) as f:
        summary = json.load(f)
    with open(os.path.join(out, "events.log")) as f:
        events = f.read().splitlines()
    return summary, events


def event_times(events, *words):
    """Times of the event lines that contain all `words`."""
    return [float(line.split()[0]) for line in events if all(word in line for word in words)]


def finish():
    print(f"{_results['passed']} passed, {_results['failed']} failed")
    sys.exit(1 if _results["failed"] else 0)
