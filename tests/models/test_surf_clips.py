#!/usr/bin/env python3
"""models/surf-clips.json: each failure mode of the surf-clip pipeline shows, and its remedy removes it
(the table of issue 14). Runs every scenario and checks the effect from the summaries.

usage: test_surf_clips.py ARCHLAB [MODEL]"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_scenarios  # noqa: E402

ARCHLAB = sys.argv[1]
MODEL = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "models", "surf-clips.json")
checks = Checks()
check = checks.check


MODES = ["function-timeout", "visibility-timeout", "partial-failure", "throttled-to-dlq", "connection-storm", "cold-starts",
         "memory-cost", "notification-delivery"]
names = ["as-written", "fixed"] + [name for mode in MODES for name in (mode, mode + "-fixed")]
runs = run_scenarios(ARCHLAB, MODEL, names)


def jobs(name):
    return runs[name]["jobs"]


def part(name, component):
    return runs[name]["components"][component]


def cost_per_clip(name):
    return runs[name]["cost_usd"]["total"] / max(1, jobs(name)["completed"])


def dropped(name):
    return part(name, "clip_ready")["subscriptions"]["frontend"]["dropped"]


# --- the seed as written, and with every remedy ------------------------------------------------
j = jobs("as-written")
check("as-written: the pipeline trims clips", j["submitted"] > 1000 and j["completed"] >= 0.99 * j["submitted"],
      f"{j['completed']} of {j['submitted']} completed")
j = jobs("fixed")
check("fixed: every clip is trimmed exactly once, its outputs written once, its notification delivered",
      j["completed"] == j["submitted"] and j["executed_more_than_once"] == 0 and j["outputs_written_more_than_once"] == 0
      and dropped("fixed") == 0,
      f"{j['completed']} of {j['submitted']}, {j['executed_more_than_once']} run twice, {j['outputs_written_more_than_once']} written twice")

# --- each failure mode beside its remedy -----------------------------------------------------------
trim, j = part("function-timeout", "trim"), jobs("function-timeout")
check("function-timeout: long clips time out and end dead-lettered or unfinished",
      trim["timed_out"] > 0 and j["dead_lettered"] + j["unfinished"] > 0,
      f"{trim['timed_out']} timed out, {j['dead_lettered']} dead-lettered, {j['unfinished']} unfinished")
j = jobs("function-timeout-fixed")
check("function-timeout-fixed: 0 unfinished, 0 dead-lettered", j["unfinished"] == 0 and j["dead_lettered"] == 0 and j["submitted"] > 0,
      f"{j['unfinished']} unfinished of {j['submitted']}")

bad, good = jobs("visibility-timeout")["executed_more_than_once"], jobs("visibility-timeout-fixed")["executed_more_than_once"]
check("visibility-timeout: clips trimmed twice; at 6 x the function timeout none", bad > 0 and good == 0, f"{bad} -> {good}")

bad, good = jobs("partial-failure")["outputs_written_more_than_once"], jobs("partial-failure-fixed")["outputs_written_more_than_once"]
check("partial-failure: retries write a second clip; deterministic keys and upserts none", bad > 0 and good == 0, f"{bad} -> {good}")
check("partial-failure-fixed: the retries still happen (the remedy is idempotence, not luck)",
      jobs("partial-failure-fixed")["executed_more_than_once"] > 0, f"{jobs('partial-failure-fixed')['executed_more_than_once']} run twice")

j, trim = jobs("throttled-to-dlq"), part("throttled-to-dlq", "trim")
check("throttled-to-dlq: throttled messages reach the DLQ", j["dead_lettered"] > 0 and trim["throttled"] > 0,
      f"{j['dead_lettered']} dead-lettered, {trim['throttled']} throttles")
j = jobs("throttled-to-dlq-fixed")
check("throttled-to-dlq-fixed: maximum_concurrency: 0 dead-lettered", j["dead_lettered"] == 0, f"{j['dead_lettered']} dead-lettered")

bad = part("connection-storm", "clip_metadata")["connections"]
good = part("connection-storm-fixed", "clip_metadata")["connections"]
check("connection-storm: the database refuses connections; capped concurrency: none",
      bad["refused"] > 0 and bad["peak"] == 250 and good["refused"] == 0,
      f"refused {bad['refused']} at peak {bad['peak']} -> {good['refused']} at peak {good['peak']}")

bad, good = part("cold-starts", "trim"), part("cold-starts-fixed", "trim")
check("cold-starts: cold starts, and a provisioned environment makes the invocation p99 at least 2x lower",
      bad["cold_starts"] > 0 and good["latency_ms"]["p99"] * 2 <= bad["latency_ms"]["p99"],
      f"{bad['cold_starts']} cold starts; p99 {bad['latency_ms']['p99']:.0f} -> {good['latency_ms']['p99']:.0f} ms")

bad, good = cost_per_clip("memory-cost"), cost_per_clip("memory-cost-fixed")
p50_bad, p50_good = jobs("memory-cost")["latency_s"]["p50"], jobs("memory-cost-fixed")["latency_s"]["p50"]
check("memory-cost: more memory is cheaper per completed clip and faster", good < bad and p50_good < p50_bad,
      f"${bad * 1000:.4f} -> ${good * 1000:.4f} per 1,000 clips; p50 {p50_bad:.1f} -> {p50_good:.1f} s")

bad, good = dropped("notification-delivery"), dropped("notification-delivery-fixed")
check("notification-delivery: notifications dropped while the front end is down; delivery policy + DLQ: none",
      bad > 0 and good == 0, f"{bad} -> {good}")

checks.finish()
