#!/usr/bin/env python3
"""Elastic Load Balancing (ALB target groups) as docs/aws-facts.md §2 documents it,
checked on small models: a client → a load balancer → a service's instances. Health changes come
from the load balancer's lines in events.log.
Usage: python3 test_elb.py path/to/archlab"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import behaviour, event_times, finish, run  # noqa: E402

INTERVAL_S, TIMEOUT_S, UNHEALTHY, HEALTHY = 10, 5, 3, 2


def model(name, web, faults=(), rates=((0, 50),), duration_s=400, seed=1):
    schedule = [{"at_s": at_s, "rate_per_s": rate} for at_s, rate in rates[1:]]
    return {"name": name, "components": {
        "users": {"type": "client", "target": "alb", "arrivals": {"process": "poisson", "rate_per_s": rates[0][1], "schedule": schedule}},
        "alb": {"type": "load_balancer", "targets": ["web"],
                "health_check": {"interval_s": INTERVAL_S, "timeout_s": TIMEOUT_S, "unhealthy_threshold": UNHEALTHY, "healthy_threshold": HEALTHY}},
        "web": {"type": "service", "concurrency": 4, "service_time_ms": {"dist": "exponential", "mean": 20}, **web}},
        "run": {"duration_s": duration_s, "seed": seed}, "faults": list(faults)}


def alb_times(events, *words):
    return event_times([line for line in events if "  alb  " in line], *words)


# --- Unhealthy after interval × threshold -------------------------------------------------------------
# Checks of one target come every interval at a phase of their own, so the first check after the
# fault comes 0+ to 1 interval later, and the target is marked at the threshold-th failing check:
# (threshold − 1) × interval < delay ≤ threshold × interval. A dead instance refuses the check at once;
# a hung one never answers, so each check fails only when its timeout runs out: the same window,
# shifted by the timeout. Both sit inside [interval × threshold − interval, interval × threshold + timeout].
FAULT_S = 100.37
for action, shift_s in (("kill", 0), ("hang", TIMEOUT_S)):
    delays = []
    for seed in range(1, 7):  # each seed draws other check phases
        faults = [{"at_s": FAULT_S, "action": action, "target": "web", "instance": 1}]
        _, events = run(model(f"{action}-{seed}", {"instances": 3}, faults, seed=seed), name=f"{action}-{seed}")
        delays += [t - FAULT_S for t in alb_times(events, "web#1 marked unhealthy")]
    low, high = (UNHEALTHY - 1) * INTERVAL_S + shift_s, UNHEALTHY * INTERVAL_S + shift_s
    word = "killed" if action == "kill" else "hung"
    behaviour(f"ALB: a {word} instance is marked unhealthy after interval × unhealthy threshold "
              f"(({UNHEALTHY} − 1) × {INTERVAL_S}{' + timeout' if shift_s else ''} < delay ≤ {UNHEALTHY} × {INTERVAL_S}{' + timeout' if shift_s else ''})",
              len(delays) == 6 and all(low < d <= high + 1e-9 for d in delays)
              and all(UNHEALTHY * INTERVAL_S - INTERVAL_S <= d <= UNHEALTHY * INTERVAL_S + TIMEOUT_S for d in delays),
              "delays " + ", ".join(f"{d:.2f}" for d in delays))

# A hung instance takes requests and never answers them; once it is out of rotation nothing more
# reaches it, and its recovery (a restart) brings it back after healthy_threshold passes.
faults = [{"at_s": FAULT_S, "action": "hang", "target": "web", "instance": 1, "for_s": 100}]
summary, events = run(model("hang-recover", {"instances": 3}, faults), name="hang-recover")
back = [t - (FAULT_S + 100) for t in alb_times(events, "web#1 healthy again")]
behaviour("ALB: a target that answers again is healthy after healthy_threshold passes ((threshold − 1) × interval < delay ≤ threshold × interval)",
          len(back) == 1 and (HEALTHY - 1) * INTERVAL_S < back[0] <= HEALTHY * INTERVAL_S, f"healthy again {back} s after the recovery")
behaviour("ALB: requests routed to a hung target before it is taken out get no answer (they fail when it restarts)",
          summary["clients"]["users"]["failed"] > 0 and summary["components"]["web"]["failed"] > 0,
          f"{summary['clients']['users']['failed']} requests failed")

# --- Targets registered and deregistered at run time ------------------------------------------------
scaling = {"min": 3, "max": 4, "launch_time_s": 45}
faults = [{"at_s": 150, "action": "kill", "target": "web", "instance": 0}]
summary, events = run(model("register", {"scaling": scaling}, faults), name="register")
registered = alb_times(events, "target web#3 registered")
healthy = alb_times(events, "target web#3 healthy (takes traffic) after 1 passed")
targets = summary["components"]["alb"]["targets"]
behaviour("ALB: a new target starts in the initial state and takes traffic after 1 passing check (within one interval)",
          registered == [195.0] and len(healthy) == 1 and 0 < healthy[0] - registered[0] <= INTERVAL_S and targets["web#3"]["requests"] > 0,
          f"registered at {registered}, healthy at {healthy}, {targets.get('web#3', {}).get('requests')} requests")
behaviour("Auto Scaling: an instance that stops running is terminated and deregistered from the target group at once (no ALB health-check delay)",
          alb_times(events, "target web#0 deregistered") == [150.0] and not alb_times(events, "web#0 marked unhealthy"),
          f"deregistered at {alb_times(events, 'target web#0 deregistered')}")

tracking = {"type": "target_tracking", "signal": "cpu_utilization", "target": 50}
scaling = {"min": 1, "max": 4, "desired": 4, "instance_warmup_s": 60, "policies": [tracking]}
summary, events = run(model("drain", {"scaling": scaling}, rates=((0, 400), (600, 50)), duration_s=2400), name="drain")
deregistered = alb_times(events, "deregistered: draining")
users = summary["clients"]["users"]
behaviour("ALB: a target retired by scale-in is drained: no new requests, those in flight answered (no errors)",
          len(deregistered) >= 1 and users["failed"] == 0 and users["rejected"] == 0 and summary["components"]["web"]["scaling"]["scale_ins"] >= 1,
          f"deregistered at {deregistered}; client failed {users['failed']}, rejected {users['rejected']}")

# --- Network load balancers: zones and cross-zone balancing ----------------------------------------------
# Three instances over two zones (a holds #0 and #2, b holds #1). Cross-zone off, AWS's default for an
# NLB: each zone's node gets half the flows and keeps them in its zone, so #1 takes half the requests
# alone. On, every target takes a third.
def nlb_model(name, cross_zone):
    built = model(name, {"instances": 3, "zones": ["a", "b"]}, duration_s=200)
    built["components"]["alb"].update({"kind": "network", "zones": ["a", "b"]})
    if cross_zone is not None:
        built["components"]["alb"]["cross_zone"] = cross_zone
    return built


for cross_zone, expected in ((None, {"web#0": 0.25, "web#1": 0.5, "web#2": 0.25}), (True, {"web#0": 1 / 3, "web#1": 1 / 3, "web#2": 1 / 3})):
    nlb_summary, _ = run(nlb_model(f"nlb-cross-{cross_zone}", cross_zone), name=f"nlb-cross-{cross_zone}")
    targets = nlb_summary["components"]["alb"]["targets"]
    total = sum(t["requests"] for t in targets.values())
    shares = {name: targets[name]["requests"] / total for name in expected}
    label = "off (the NLB default): the lone target of a zone takes that zone's half" if cross_zone is None else "on: every target takes an equal share"
    behaviour(f"NLB cross-zone load balancing {label}",
              all(abs(shares[name] - share) < 0.03 for name, share in expected.items()),
              ", ".join(f"{name} {share:.3f}" for name, share in shares.items()))

# A hung process: its kernel still accepts TCP connections, so an NLB's TCP check (its default) passes
# and the target keeps its flows; an HTTP check times out and takes it out.
for protocol in ("tcp", "http"):
    hung = nlb_model(f"nlb-hang-{protocol}", None)
    hung["components"]["alb"]["health_check"]["protocol"] = protocol
    hung["faults"] = [{"at_s": 50, "action": "hang", "target": "web", "instance": 1}]
    hung_summary, hung_events = run(hung, name=f"nlb-hang-{protocol}")
    marked = alb_times(hung_events, "web#1 marked unhealthy")
    if protocol == "tcp":
        behaviour("NLB TCP health check: a hung target still accepts the connection, passes, and is never taken out",
                  marked == [] and hung_summary["clients"]["users"]["in_flight_at_end"] > 100,
                  f"marked unhealthy at {marked}; {hung_summary['clients']['users']['in_flight_at_end']} requests stuck at the end")
    else:
        behaviour("NLB HTTP health check: a hung target times out its checks and is taken out",
                  len(marked) == 1 and 50 < marked[0] <= 50 + UNHEALTHY * INTERVAL_S + TIMEOUT_S, f"marked unhealthy at {marked}")

# --- Pricing ------------------------------------------------------------------------------------------
cost = summary.get("cost_usd")
if cost is not None:
    lines = {line["item"]: line["quantity"] for line in cost["lines"] if line["component"] == "alb"}
    requests = summary["components"]["alb"]["requests"]
    behaviour("ALB pricing: load balancer-hours plus LCU-hours, an LCU being 25 new connections/s (one per request assumed)",
              abs(lines.get("alb.hour", 0) - 2400 / 3600) < 1e-9 and abs(lines.get("alb.lcu_hour", 0) - requests / 25 / 3600) < 1e-9,
              f"{lines}, {requests} requests")

finish()
