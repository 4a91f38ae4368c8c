#!/usr/bin/env python3
"""DynamoDB as docs/aws-facts.md §5 documents it, checked on small models: a client
→ a service whose calls ask the table for get / put / update, the table's figures and events.log,
and the AWS SDK's standard retry mode, which runs in the caller (its call site: components.api.calls.t).
Arrivals are evenly spaced so that per-second demand is exact.
Usage: python3 test_dynamodb.py path/to/archlab"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import behaviour, event_times, finish, run  # noqa: E402


def constant(rate_per_s, schedule=None):
    return {"process": "constant", "rate_per_s": rate_per_s, **({"schedule": schedule} if schedule else {})}


def model(name, table, arrivals, calls=None, duration_s=None, requests=None):
    client = {"type": "client", "target": "api", "arrivals": arrivals}
    api = {"type": "service", "concurrency": 5000, "service_time_ms": 0, "calls": calls or [{"target": "t", "operation": "put"}]}
    run_settings = {"seed": 1, **({"duration_s": duration_s} if duration_s else {"requests": requests})}
    return {"name": name, "components": {"users": client, "api": api, "t": {"type": "table", **table}}, "run": run_settings}


def line_usd(summary, item):
    return sum(line["usd"] for line in summary["cost_usd"]["lines"] if line["item"] == item)


# --- Capacity units ------------------------------------------------------------------------------
read_then_write = [{"target": "t", "operation": "get"}, {"target": "t", "operation": "put"}]
for consistent, read_factor in ((False, 0.5), (True, 1.0)):
    summary, _ = run(model("units", {"item_size_bytes": 10000, "consistent_reads": consistent}, constant(100), calls=read_then_write,
                           requests=1000), name=f"units-{consistent}")
    t = summary["components"]["t"]
    gets, puts = t["by_operation"]["get"], t["by_operation"]["put"]
    behaviour(f"Item size sets capacity units: a 10,000-byte item costs ceil(10000/4096) x {read_factor} = {3 * read_factor} RCU per "
              f"{'strongly' if consistent else 'eventually'} consistent read and ceil(10000/1024) = 10 WCU per write",
              gets == puts == 1000 and t["read_units_consumed"] == 3 * read_factor * gets and t["write_units_consumed"] == 10 * puts,
              f"{gets} gets → {t['read_units_consumed']} RCU, {puts} puts → {t['write_units_consumed']} WCU")
    if not consistent:
        expected = t["read_units_consumed"] * 0.125e-6 + t["write_units_consumed"] * 0.625e-6
        billed = line_usd(summary, "dynamodb.on_demand.read_unit") + line_usd(summary, "dynamodb.on_demand.write_unit")
        behaviour("On-demand pricing: billed per request unit consumed ($0.125 per million RRU, $0.625 per million WRU)",
                  abs(billed - expected) < 1e-12, f"billed ${billed:.8f}, expected ${expected:.8f}")

# --- Provisioned: burst credit, then throttling ---------------------------------------------------
# 20 writes/s of 1 KB against 10 WCU: the 300 s of credit (3,000 units) lasts 3,000 / (20 - 10) = 300 s.
summary, events = run(model("burst", {"capacity_mode": "provisioned", "write_capacity_units": 10}, constant(20), duration_s=400), name="burst")
t = summary["components"]["t"]
first = event_times(events, "first throttled write")
behaviour("DynamoDB provisioned: throttling starts when capacity and burst credit (300 s of unused capacity) run out, "
          "at credit / (demand - rate) = 3000 / (20 - 10) = 300 s",
          t["first_throttle_s"] is not None and abs(t["first_throttle_s"] - 300) <= 3 and len(first) == 1 and abs(first[0] - 300) <= 3,
          f"first throttle at {t['first_throttle_s']} s, logged at {first}")
behaviour("DynamoDB provisioned: once the credit is gone, writes are served at the provisioned rate (10 WCU/s)",
          abs(t["write_units_consumed"] - (20 * 300 + 10 * 100)) <= 20, f"{t['write_units_consumed']} WCU consumed in 400 s")
sdk = summary["components"]["api"]["calls"]["t"]  # the caller's SDK: its call site to the table
failed_calls = summary["clients"]["users"]["failed"]
behaviour("DynamoDB answers each attempt once: a throttled attempt is ProvisionedThroughputExceeded to the caller's SDK",
          t["rejected"] == t["throttled"] == sdk["rejected"] > 0, f"{t['throttled']} throttled attempts, {sdk['rejected']} seen by the SDK")
behaviour("AWS SDK standard retry mode, in the caller: a throttled call is retried, 3 attempts at most, while its retry quota "
          "lasts; the caller sees ProvisionedThroughputExceeded when the attempts or the quota run out",
          sdk["retries"] > 0 and sdk["attempts"] == sdk["calls"] + sdk["retries"] <= 3 * sdk["calls"] and 0 < failed_calls <= sdk["rejected"],
          f"{sdk['calls']} calls, {sdk['attempts']} attempts ({sdk['retries']} retries), {failed_calls} calls given up")
wcu_hours = 10 * 400 / 3600
behaviour("Provisioned pricing: billed per provisioned WCU-hour ($0.00065), whatever is consumed",
          abs(line_usd(summary, "dynamodb.provisioned.wcu_hour") - wcu_hours * 0.00065) < 1e-12,
          f"${line_usd(summary, 'dynamodb.provisioned.wcu_hour'):.8f} for {wcu_hours:.3f} WCU-hours")

for name, table, calls in (("one-attempt", {"sdk_max_attempts": 1}, None),
                           ("own-retry", {}, [{"target": "t", "operation": "put", "retry": {"max_attempts": 1}}])):
    summary, _ = run(model(name, {"capacity_mode": "provisioned", "write_capacity_units": 10, **table}, constant(20), calls=calls,
                           duration_s=400), name=name)
    t, sdk = summary["components"]["t"], summary["components"]["api"]["calls"]["t"]
    how = "sdk_max_attempts 1" if name == "one-attempt" else "the call's own retry.max_attempts 1, replacing the SDK's default 3"
    behaviour(f"AWS SDK max_attempts is the caller's setting: with a single attempt ({how}) ProvisionedThroughputExceededException "
              "reaches the caller at once",
              sdk["retries"] == 0 and summary["clients"]["users"]["failed"] == t["throttled"] > 0,
              f"{t['throttled']} throttled, {summary['clients']['users']['failed']} calls failed, {sdk['retries']} retries")

# --- On-demand: up to 2 x the previous peak ------------------------------------------------------
# 100 KB items: one put is 100 WRU. 30 puts/s = 3,000 WRU/s, under a new table's 4,000.
big = {"item_size_bytes": 100 * 1024}
summary, events = run(model("fresh", big, constant(55), duration_s=30), name="on-demand-fresh")
t = summary["components"]["t"]
behaviour("DynamoDB on-demand: a new table instantly sustains 4,000 WRU/s; 5,500 WRU/s is throttled",
          t["throttled"] > 0 and t["first_throttle_s"] < 1 and abs(t["write_units_consumed"] - 4000 * 30) <= 4000,
          f"{t['throttled']} throttled, {t['write_units_consumed'] / 30:.0f} WRU/s consumed")
steps = [{"at_s": 1900, "rate_per_s": 55}, {"at_s": 2000, "rate_per_s": 80}]
summary, events = run(model("peak", big, constant(30, steps), duration_s=2100), name="on-demand-peak")
t = summary["components"]["t"]
first = t["first_throttle_s"]
behaviour("DynamoDB on-demand: after a 3,000 WRU/s peak, 5,500 WRU/s (under 2 x the previous peak) is not throttled",
          first is not None and first >= 2000, f"first throttle at {first} s")
expected = 3000 * 1900 + 5500 * 100 + 6000 * 100
behaviour("DynamoDB on-demand: beyond 2 x the previous peak within 30 minutes is throttled: 8,000 WRU/s is served at 6,000",
          first is not None and first < 2001 and abs(t["write_units_consumed"] - expected) <= 0.01 * expected,
          f"{t['write_units_consumed']:.0f} WRU consumed, expected {expected}")

# --- Per-partition ceiling -----------------------------------------------------------------------
for share, expect_throttle in ((1.0, True), (0.5, False)):
    # 150 writes/s of 10 KB = 1,500 WCU/s, well within the table's 40,000
    summary, _ = run(model("hot", {"capacity_mode": "provisioned", "write_capacity_units": 40000, "item_size_bytes": 10240,
                                   "hot_key_share": share, "sdk_max_attempts": 1}, constant(150), duration_s=20), name=f"hot-{share}")
    t = summary["components"]["t"]
    hot_wcu_per_s = 1500 * share
    if expect_throttle:
        behaviour("DynamoDB partitions: one partition key takes at most 1,000 WCU/s, even when the table has capacity left",
                  t["throttled_by_hot_partition"] > 0 and abs(t["write_units_consumed"] / 20 - 1000) <= 60,
                  f"{hot_wcu_per_s:.0f} WCU/s on one key → {t['write_units_consumed'] / 20:.0f} WCU/s served")
    else:
        behaviour("DynamoDB partitions: a hot key under the 1,000 WCU/s ceiling is not throttled",
                  t["throttled"] == 0, f"{hot_wcu_per_s:.0f} WCU/s on one key, {t['throttled']} throttled")

# --- Conditional writes --------------------------------------------------------------------------
# Jobs submitted through the api (put, then send) and run by a worker: its first conditional update
# writes the result, the second finds it there. The client's first poll comes after the run.
worker_steps = [{"name": "run", "work_ms": 100, "runs_job": True},
                {"name": "write", "target": "t", "operation": "update", "conditional": True, "writes_result": True},
                {"name": "again", "target": "t", "operation": "update", "conditional": True},
                {"name": "delete", "deletes_message": True}]
jobs_model = {
    "name": "conditional",
    "components": {
        "users": {"type": "client", "target": "api", "arrivals": constant(2),
                  "jobs": {"submit_kind": "submit", "status_kind": "status", "first_poll_after_s": 1000}},
        "api": {"type": "service", "concurrency": 100, "service_time_ms": 0,
                "calls": [{"target": "t", "operation": "put"}, {"target": "jobs", "operation": "send"}]},
        "jobs": {"type": "queue"},
        "workers": {"type": "consumers", "queue": "jobs", "workers_per_instance": 4, "wait_time_s": 20, "steps": worker_steps},
        "t": {"type": "table", "item_size_bytes": 2048},
    },
    "run": {"duration_s": 60, "seed": 1},
}
summary, _ = run(jobs_model, name="conditional")
t = summary["components"]["t"]
updates, puts = t["by_operation"]["update"], t["by_operation"]["put"]
completed = summary.get("jobs", {}).get("completed", -1)
behaviour("DynamoDB: a conditional write on an item that already has its result fails (ConditionalCheckFailedException): once per job",
          t["conditional_check_failed"] > 100 and abs(t["conditional_check_failed"] - updates / 2) <= 4,
          f"{updates} conditional updates, {t['conditional_check_failed']} failed the check; jobs {summary.get('jobs')}")
behaviour("DynamoDB: a conditional write that fails still consumes WCU, by item size (2 KB: 2 WCU)",
          t["write_units_consumed"] == 2 * (puts + updates), f"{t['write_units_consumed']} WCU for {puts + updates} writes")

# --- Faults --------------------------------------------------------------------------------------
faulty = model("faults", {}, constant(10), duration_s=30)
faulty["faults"] = [{"at_s": 10, "action": "fail", "target": "t", "failure_probability": 1, "for_s": 10}]
summary, events = run(faulty, name="faults")
t = summary["components"]["t"]
sdk = summary["components"]["api"]["calls"]["t"]
failed_calls = summary["clients"]["users"]["failed"]
# 10 calls/s fail for 10 s. The quota starts full (500 tokens) and a retry after a 500 costs 5: the
# first 50 calls take 2 retries each, the quota is then empty, and the other calls get one attempt.
behaviour("AWS SDK standard retry mode: internal errors (HTTP 500) are retried, and the retry quota (500 tokens, 5 per retry) "
          "lets exactly 500 / 5 = 100 retries through an outage; later calls get one attempt and the caller sees the error",
          sdk["retries"] == 100 and abs(failed_calls - 100) <= 3 and t["failed"] == sdk["failed"] == failed_calls + 100
          and t["failed_attempts"] == t["failed"] and len(event_times(events, "fail:")) == 1,
          f"{failed_calls} calls failed after {sdk['failed']} failed attempts ({sdk['retries']} retries)")

latencies = []
for factor in (1, 10):
    slow = model(f"slow-{factor}", {"latency_ms": {"put": {"dist": "constant", "value": 5}}}, constant(10), duration_s=10)
    slow["faults"] = [{"at_s": 0, "action": "slow", "target": "t", "latency_factor": factor}] if factor > 1 else []
    summary, _ = run(slow, name=f"slow-{factor}")
    latencies.append(summary["components"]["t"]["latency_ms"]["mean"])
behaviour("A slow table (fault 'slow', factor 10) answers 10 times later", abs(latencies[1] / latencies[0] - 10) < 0.01,
          f"mean latency {latencies[0]:.2f} ms → {latencies[1]:.2f} ms")

finish()
