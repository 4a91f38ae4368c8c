#!/usr/bin/env python3
"""models/examples/sqs-function.json: Lambda's SQS event source through the CLI. A burst past the
function's reserved concurrency gets its batches throttled and jobs dead-lettered unprocessed (the
throttled-to-dlq failure mode); the mapping's maximum_concurrency at the reservation removes both.
Bad mapping parameters exit 2 naming their place.

usage: test_sqs_function_example.py ARCHLAB MODEL"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_model  # noqa: E402

ARCHLAB, MODEL = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check


def run(*arguments):
    return run_model(ARCHLAB, MODEL, *arguments, timeout_s=300)


base = run()
check("as written: nothing throttled, nothing dead-lettered",
      base["components"]["trim"]["throttled"] == 0 and base["jobs"]["dead_lettered"] == 0,
      f"throttled {base['components']['trim']['throttled']}, dead-lettered {base['jobs']['dead_lettered']}")

burst = run("--scenario", "throttled-to-dlq")
throttled, dead = burst["components"]["trim"]["throttled"], burst["jobs"]["dead_lettered"]
check("throttled-to-dlq: dead-lettered > 0 with throttles > 0", dead > 0 and throttled > 0, f"dead-lettered {dead}, throttled {throttled}")
check("throttled-to-dlq: the dead-lettered jobs never ran (invocations = completed + unfinished still running)",
      burst["components"]["trim"]["invocations"] <= burst["jobs"]["completed"] + burst["jobs"]["unfinished"],
      f"invocations {burst['components']['trim']['invocations']}, completed {burst['jobs']['completed']}")
check("throttled-to-dlq: the pollers ramped past the reservation of 10", burst["components"]["mapping"]["pollers"]["max"] > 10,
      burst["components"]["mapping"]["pollers"]["max"])

fixed = run("--scenario", "throttled-to-dlq-fixed")
check("throttled-to-dlq-fixed: 0 dead-lettered", fixed["jobs"]["dead_lettered"] == 0, fixed["jobs"]["dead_lettered"])
check("throttled-to-dlq-fixed: 0 throttled", fixed["components"]["trim"]["throttled"] == 0, fixed["components"]["trim"]["throttled"])
check("same seed, same summary", run("--scenario", "throttled-to-dlq") == burst, "two runs")

checks.bad_settings(ARCHLAB, MODEL, [("mapping.batch_size=20", "components.mapping.maximum_batching_window_s"),
                                          ("mapping.maximum_concurrency=1", "components.mapping.maximum_concurrency"),
                                          ("mapping.function=results", "components.mapping.function"),
                                          ("mapping.queue=trim", "components.mapping.queue"),
                                          ("mapping.maximum_batching_window_s=301", "components.mapping.maximum_batching_window_s")])

checks.finish()
