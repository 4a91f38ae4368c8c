#!/usr/bin/env python3
"""models/examples/metastable-retries.json held to the fixed-point model of retries (issue 17): the good
state without a trigger, the overloaded state outliving a 10 s trigger, and recovery when retries are
paid from the SDK's retry quota.

usage: test_metastable_retries.py ARCHLAB MODEL"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_model, signal_totals  # noqa: E402

ARCHLAB, MODEL = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check
LAMBDA, MU, RETRIES = 40, 100, 3  # the model's rates and retries
# Theory (retry_theory.test.cpp computes these): the good state makes 40.005 attempts a second.
GOOD_ATTEMPTS_PER_REQUEST = 40.005 / LAMBDA

good = run_model(ARCHLAB, MODEL, "--scenario", "as-written")
calls = good["clients"]["callers"]["calls"]["server"]
per_request = calls["attempts"] / calls["calls"]
check("no trigger: the good state, no request lost", good["clients"]["callers"]["failed"] == 0, good["clients"]["callers"]["failed"])
check("no trigger: attempts per request within 0.1 % of the good fixed point",
      abs(per_request - GOOD_ATTEMPTS_PER_REQUEST) <= 0.001, f"{per_request:.5f} against {GOOD_ATTEMPTS_PER_REQUEST:.5f}")


def after_trigger(scenario):
    """From a minute after the 10 s trigger (ending at 610 s) to the end: goodput, and attempts per request."""
    callers = signal_totals(ARCHLAB, MODEL, scenario, "callers", ["arrivals", "completed", "failed"], 670, 1800)
    server = signal_totals(ARCHLAB, MODEL, scenario, "server", ["arrivals", "completed"], 670, 1800)
    return callers["completed"] / max(callers["arrivals"], 1), server["arrivals"] / max(callers["arrivals"], 1), server["completed"] / 1130


goodput, attempts, served_per_s = after_trigger("trigger")
check("trigger: the overload outlives it: goodput below 5 %", goodput < 0.05, f"{goodput:.2%}")
check("trigger: every request makes its R + 1 attempts", abs(attempts - (RETRIES + 1)) < 0.05, f"{attempts:.3f}")
check("trigger: the server saturated, serving attempts nobody waits for", served_per_s > 0.97 * MU, f"{served_per_s:.1f} a second")
goodput_budget, attempts_budget, _ = after_trigger("trigger-with-budget")
check("trigger-with-budget: the line drains, goodput at least 95 %", goodput_budget >= 0.95, f"{goodput_budget:.2%}")
check("trigger-with-budget: about one attempt a request", attempts_budget < 1.05, f"{attempts_budget:.3f}")


def theory(*arguments):
    return subprocess.run([ARCHLAB, "theory", MODEL, "--json", *arguments], capture_output=True, text=True, timeout=120)


result = theory()
figures = {row["figure"]: row for row in json.loads(result.stdout)["figures"]} if result.returncode == 0 else {}
check("archlab theory recognises the model and its good state holds", result.returncode == 0
      and figures["attempts per request"]["passes"], result.stdout[-300:] if result.returncode else figures.get("attempts per request"))
check("archlab theory: the tipping point at 97.37 attempts a second, the overloaded state at 4 × 40",
      abs(figures.get("tipping point (attempts/s)", {}).get("theory", 0) - 97.369) < 0.01
      and figures.get("overloaded state (attempts/s)", {}).get("theory") == 160, {k: figures[k]["theory"] for k in figures})
tipped = theory("--set", "callers.timeout_ms=100", "--check")
check("archlab theory --check at a 100 ms timeout: the run left the good state (exit 1)", tipped.returncode == 1, tipped.returncode)
budget = theory("--set", "callers.retry.budget=sdk_standard")
check("archlab theory with a retry quota: not the model it solves, exit 2 naming the retry",
      budget.returncode == 2 and "components.callers.retry" in budget.stderr, budget.stderr.strip()[:160])
checks.finish()
