#!/usr/bin/env python3
"""models/code-runner.json: each failure mode of the code playground shows, and its remedy removes
it (the table of issue 3). Runs every scenario pair and checks the effect from the summaries.

usage: test_code_runner.py ARCHLAB [MODEL]"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_scenarios  # noqa: E402

ARCHLAB = sys.argv[1]
MODEL = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "models", "code-runner.json")
checks = Checks()
check = checks.check


names = ["as-written", "fixed"]
for mode in ["one-group", "sleep-cap", "status-peeks-queue", "crash-before-delete", "lost-job", "poison-message",
             "runaway-code", "backend-failure", "scaling-lag", "polling-load"]:
    names += [mode, mode + "-fixed"]
runs = run_scenarios(ARCHLAB, MODEL, names)


def jobs(name):
    return runs[name]["jobs"]


def workers(name):
    return runs[name]["components"]["workers"]


# --- the seed as written, and with every remedy ------------------------------------------------
j = jobs("as-written")
check("as-written: the seed works under modest load", j["submitted"] > 0 and j["unfinished"] <= j["submitted"] * 0.05,
      f"{j['completed']} of {j['submitted']} completed, {j['unfinished']} unfinished")
j = jobs("fixed")
check("fixed: every job completes exactly once", j["submitted"] > 0 and j["completed"] == j["submitted"] and j["executed_more_than_once"] == 0,
      f"{j['completed']} of {j['submitted']}, {j['executed_more_than_once']} executed twice")
check("fixed: the run has a cost", runs["fixed"]["cost_usd"]["total"] > 0, f"${runs['fixed']['cost_usd']['total']:.4f}")

# --- each failure mode beside its remedy -----------------------------------------------------------
bad, good = jobs("one-group")["throughput_per_s"], jobs("one-group-fixed")["throughput_per_s"]
check("one-group: a group per job gives at least 3x the jobs/s", good >= 3 * bad, f"{bad:.3f} -> {good:.3f} jobs/s")
check("one-group: workers scale out to 3 or more in both", workers("one-group")["instances"]["max"] >= 3 and workers("one-group-fixed")["instances"]["max"] >= 3,
      f"max {workers('one-group')['instances']['max']} and {workers('one-group-fixed')['instances']['max']} instances")

bad, good = jobs("sleep-cap")["latency_s"]["p50"], jobs("sleep-cap-fixed")["latency_s"]["p50"]
check("sleep-cap: without the sleep the p50 job latency is at least 5x lower", good * 5 <= bad, f"p50 {bad:.2f} s -> {good:.2f} s")

bad, good = jobs("status-peeks-queue")["dead_lettered"], jobs("status-peeks-queue-fixed")["dead_lettered"]
check("status-peeks-queue: status polls alone dead-letter jobs, none once status reads the table", bad > 0 and good == 0,
      f"dead-lettered {bad} -> {good}")

bad, good = jobs("crash-before-delete")["executed_more_than_once"], jobs("crash-before-delete-fixed")["executed_more_than_once"]
check("crash-before-delete: jobs run twice, none once workers skip finished jobs", bad > 0 and good == 0, f"executed more than once {bad} -> {good}")

bad, good = jobs("lost-job")["unfinished"], jobs("lost-job-fixed")["unfinished"]
check("lost-job: deleting before writing loses jobs, deleting after loses none", bad > 0 and good == 0, f"unfinished {bad} -> {good}")

bad, good = jobs("poison-message"), jobs("poison-message-fixed")
check("poison-message: the poison job blocks later jobs", bad["unfinished"] > 1, f"{bad['unfinished']} unfinished")
check("poison-message: with a DLQ only the poison job is dead-lettered, the rest complete",
      good["dead_lettered"] == 1 and good["unfinished"] == 0, f"{good['dead_lettered']} dead-lettered, {good['unfinished']} unfinished")

bad, good = jobs("runaway-code"), jobs("runaway-code-fixed")
check("runaway-code: endless code leaves jobs unfinished", bad["unfinished"] > 0, f"{bad['unfinished']} unfinished")
check("runaway-code: with a time limit it fails and the rest complete", good["failed"] == 1 and good["unfinished"] == 0,
      f"{good['failed']} failed, {good['unfinished']} unfinished")

bad, good = runs["backend-failure"]["clients"]["browser"]["failed"], runs["backend-failure-fixed"]["clients"]["browser"]["failed"]
check("backend-failure: browser errors while the ALB detects the dead server; quick checks leave at most a third",
      bad > 0 and good * 3 <= bad, f"browser errors {bad} -> {good}")

bad, good = jobs("scaling-lag")["latency_s"]["p99"], jobs("scaling-lag-fixed")["latency_s"]["p99"]
check("scaling-lag: target tracking on backlog per instance at least halves the p99 job latency", good * 2 <= bad, f"p99 {bad:.1f} s -> {good:.1f} s")

bad, good = runs["polling-load"]["components"]["table"]["throttled"], runs["polling-load-fixed"]["components"]["table"]["throttled"]
check("polling-load: polling throttles the provisioned table, not the on-demand one", bad > 0 and good == 0, f"throttled {bad} -> {good}")

checks.finish()
