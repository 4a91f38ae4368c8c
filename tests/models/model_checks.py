"""What the model tests share: running archlab on a model, and checks that print what they measured.

    checks = Checks()
    runs = run_scenarios(ARCHLAB, MODEL, ["as-written", "fixed"])
    checks.check("fixed: no job lost", runs["fixed"]["jobs"]["unfinished"] == 0, "0 unfinished")
    checks.finish()   # prints the tally and exits 1 if any check failed
"""
import csv, json, os, subprocess, sys, tempfile
from concurrent.futures import ThreadPoolExecutor


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def check(self, name, condition, measured):
        self.passed, self.failed = self.passed + bool(condition), self.failed + (not condition)
        print(f"{'ok  ' if condition else 'FAIL'} {name}  [{measured}]")

    def bad_settings(self, archlab, model, cases):
        """Each (--set setting, JSON path) exits 2 naming that path."""
        for setting, place in cases:
            result = subprocess.run([archlab, "run", model, "--quiet", "--set", setting], capture_output=True, text=True, timeout=60)
            self.check(f"bad input {setting}: exit 2 naming {place}", result.returncode == 2 and place in result.stderr,
                       f"exit {result.returncode}: {result.stderr.strip()[:160]}")

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed")
        sys.exit(1 if self.failed else 0)


def run_model(archlab, model, *arguments, timeout_s=600):
    """The JSON summary of `archlab run MODEL ARGUMENTS`; a failed run ends the test with its stderr."""
    result = subprocess.run([archlab, "run", model, "--json", "--quiet", *arguments], capture_output=True, text=True, timeout=timeout_s)
    if result.returncode != 0:
        sys.exit(f"FAIL archlab run {' '.join(arguments)}: exit {result.returncode}\n{result.stderr}")
    summary = json.loads(result.stdout)
    summary.pop("wall_clock", None)  # the host's speed, not the simulation's
    return summary


def run_scenarios(archlab, model, names, workers=2):
    """Each named scenario's summary, two runs at a time."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return dict(zip(names, pool.map(lambda name: run_model(archlab, model, "--scenario", name), names)))


def signal_series(archlab, model, scenario, component, name):
    """One signal of `component` in a run of `scenario` (its signals.csv), as [(interval end s, value)]."""
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([archlab, "run", model, "--scenario", scenario, "--out", out, "--quiet"], capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            sys.exit(f"FAIL archlab run --scenario {scenario} --out: exit {result.returncode}\n{result.stderr}")
        with open(os.path.join(out, "signals.csv")) as signals:
            return [(float(row["time_s"]), float(row["value"])) for row in csv.DictReader(signals)
                    if row["component"] == component and row["signal"] == name]


def signal_totals(archlab, model, scenario, component, names, from_s, to_s):
    """The sums of `component`'s signals `names` over the intervals ending within (from_s, to_s] of a run
    of `scenario` (its signals.csv), as {name: total}."""
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([archlab, "run", model, "--scenario", scenario, "--out", out, "--quiet"], capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            sys.exit(f"FAIL archlab run --scenario {scenario} --out: exit {result.returncode}\n{result.stderr}")
        totals = {name: 0.0 for name in names}
        with open(os.path.join(out, "signals.csv")) as signals:
            for row in csv.DictReader(signals):
                if row["component"] == component and row["signal"] in totals and from_s < float(row["time_s"]) <= to_s:
                    totals[row["signal"]] += float(row["value"])
    return totals
