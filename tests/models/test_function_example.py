#!/usr/bin/env python3
"""models/examples/function.json: the function's behaviours show through the CLI. Throttles at the
reservation track Erlang B, a burst past it is throttled, a quiet API's cold-start share is near
e^(-lambda K), and provisioned concurrency removes its cold starts; bad function parameters exit 2
naming their place.

usage: test_function_example.py ARCHLAB MODEL"""
import json, math, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_model  # noqa: E402

ARCHLAB, MODEL = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check


def run(*arguments):
    return run_model(ARCHLAB, MODEL, *arguments, timeout_s=300)["components"]["handler"]


def erlang_b(servers, offered):
    blocking = 1.0
    for k in range(1, servers + 1):
        blocking = offered * blocking / (k + offered * blocking)
    return blocking


base = run()
calls = base["invocations"] + base["throttled"]
share = base["throttled"] / calls
# The offered load is the arrival rate times the mean time an invocation holds its environment.
offered = calls / 600 * base["concurrency"]["mean"] / (base["invocations"] / 600)
check("as written: throttled share near Erlang B(20, a)", abs(share - erlang_b(20, offered)) < 0.004,
      f"{share:.4f} vs B(20, {offered:.2f}) = {erlang_b(20, offered):.4f}")
check("as written: concurrency never above the reservation", base["concurrency"]["max"] <= 20, base["concurrency"]["max"])

burst = run("--scenario", "burst")
check("burst: far more throttles than as written", burst["throttled"] > 10 * base["throttled"], f"{burst['throttled']} vs {base['throttled']}")

quiet = run("--scenario", "quiet")
cold = quiet["cold_starts"] / quiet["invocations"]
expected = math.exp(-0.008 * 300)
check("quiet: cold-start share near e^(-lambda K)", abs(cold - expected) < 0.03, f"{cold:.4f} vs {expected:.4f}")
provisioned = run("--scenario", "quiet-provisioned")
check("quiet with provisioned concurrency: cold starts at most a tenth", provisioned["cold_starts"] * 10 <= quiet["cold_starts"],
      f"{provisioned['cold_starts']} vs {quiet['cold_starts']}")
check("same seed, same summary", run() == base, "two runs")

checks.bad_settings(ARCHLAB, MODEL, [("handler.memory_mb=64", "components.handler.memory_mb"),
                                          ("handler.timeout_s=901", "components.handler.timeout_s"),
                                          ("handler.provisioned_concurrency=30", "components.handler.provisioned_concurrency"),
                                          ("handler.reserved_concurrency=950", "components.handler.reserved_concurrency"),
                                          ("handler.on_failure=items", "components.handler.on_failure")])

checks.finish()
