#!/usr/bin/env python3
"""Amazon ECS services (rolling updates) and target-group deregistration, as docs/aws-facts.md §6
documents them, checked on small models: a client → a load balancer → a container service whose
desired count the service scheduler keeps, and a deploy fault that rolls out a new revision.
Usage: python3 test_ecs.py path/to/archlab"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import behaviour, event_times, finish, run  # noqa: E402

DEPLOY_S, LAUNCH_S, INTERVAL_S = 100, 30, 5


def model(name, deployment=None, tasks=4, service_time_ms=20, delay_s=None, rate_per_s=50):
    service = {"type": "container_service", "task_cpu": 0.25, "task_memory_gb": 0.5, "concurrency": 8,
               "service_time_ms": {"dist": "constant", "value": service_time_ms},
               "scaling": {"min": tasks, "max": tasks, "desired": tasks, "launch_time_s": LAUNCH_S}}
    if deployment:
        service["deployment"] = deployment
    balancer = {"type": "load_balancer", "targets": ["app"],
                "health_check": {"interval_s": INTERVAL_S, "timeout_s": 2, "healthy_threshold": 2, "unhealthy_threshold": 2}}
    if delay_s is not None:
        balancer["deregistration_delay_s"] = delay_s
    return {"name": name, "components": {
        "users": {"type": "client", "target": "lb", "arrivals": {"process": "poisson", "rate_per_s": rate_per_s}, "timeout_ms": 600000},
        "lb": balancer, "app": service},
        "run": {"duration_s": 400, "seed": 3},
        "faults": [{"at_s": DEPLOY_S, "action": "deploy", "target": "app"}]}


# --- The defaults, 100 % and 200 %: new tasks first, old ones only once new ones are healthy --------
summary, events = run(model("defaults"), name="defaults")
started = event_times(events, "InService")
first_healthy = event_times(events, "  lb  ", "healthy (takes traffic)")
retiring = event_times(events, "retiring")
done = event_times(events, "deployment 1 complete")
behaviour("ECS maximumPercent 200: with 4 tasks, 4 new tasks start at once (before any old one stops)",
          len(started) == 4 and all(abs(t - (DEPLOY_S + LAUNCH_S)) < 1e-6 for t in started), f"InService at {started}")
behaviour("ECS minimumHealthyPercent 100: no old task stops before a new one has passed its load balancer health check",
          len(retiring) == 4 and min(retiring) >= min(first_healthy) > DEPLOY_S + LAUNCH_S,
          f"first new task healthy at {min(first_healthy):.2f} s, old ones retiring from {min(retiring):.2f} s")
behaviour("ECS rolling update with 100 % / 200 %: no request is refused or fails during the deployment",
          summary["clients"]["users"]["errors"] == 0 and len(done) == 1,
          f"{summary['clients']['users']['errors']} errors, complete at {done}")
scaling = summary["components"]["app"]["scaling"]
behaviour("ECS: the service ends with its desired count of new tasks, and the old ones were stopped",
          summary["components"]["app"]["instances"]["at_end"] == 4 and scaling["deployments"]["stopped_old"] == 4
          and scaling["deployments"]["completed"] == 1, str(scaling["deployments"]))

# --- minimumHealthyPercent 0, maximumPercent 100: everything stops, then starts ------------------------
summary, events = run(model("stop-first", {"minimum_healthy_percent": 0, "maximum_percent": 100}), name="stop-first")
retiring = event_times(events, "retiring")
started = event_times(events, "InService")
users = summary["clients"]["users"]
behaviour("ECS minimumHealthyPercent 0 with maximumPercent 100: every old task stops at once, and the new ones start only after",
          len(retiring) == 4 and all(t == DEPLOY_S for t in retiring) and min(started) >= DEPLOY_S + LAUNCH_S,
          f"retiring at {sorted(set(retiring))}, new InService from {min(started):.2f} s")
# nothing serves from the deployment until a new task's first check: launch time plus up to an interval
expected = 50 * LAUNCH_S
behaviour("ECS minimumHealthyPercent 0: requests are refused (503) while no task serves, about rate × launch time of them",
          expected * 0.8 <= users["rejected"] <= 50 * (LAUNCH_S + INTERVAL_S) * 1.2,
          f"{users['rejected']} rejected, rate × launch time = {expected}")

# --- 50 % / 100 %: two batches ----------------------------------------------------------------------------
summary, events = run(model("halves", {"minimum_healthy_percent": 50, "maximum_percent": 100}), name="halves")
retiring = sorted(event_times(events, "retiring"))
done = event_times(events, "deployment 1 complete")
behaviour("ECS minimumHealthyPercent 50 with maximumPercent 100: two old tasks stop, two new start, then the other two",
          retiring[:2] == [DEPLOY_S, DEPLOY_S] and retiring[2] >= DEPLOY_S + LAUNCH_S and len(done) == 1 and done[0] >= DEPLOY_S + 2 * LAUNCH_S,
          f"retiring at {retiring}, complete at {done}")

# --- Rounding: one task, 50 % and 150 %, cannot move --------------------------------------------------------
summary, events = run(model("stuck", {"minimum_healthy_percent": 50, "maximum_percent": 150}, tasks=1), name="stuck")
behaviour("ECS rounds minimumHealthyPercent up and maximumPercent down: one task with 50 % / 150 % cannot be replaced",
          any("cannot progress" in line for line in events) and summary["components"]["app"]["scaling"]["deployments"]["completed"] == 0,
          next((line.strip() for line in events if "cannot progress" in line), "no such line"))

# --- Deregistration delay ------------------------------------------------------------------------------------
# Requests of 20 s against a delay of 5 s: what an old task still holds when the delay ends fails (502).
summary, events = run(model("short-delay", service_time_ms=20000, delay_s=5, rate_per_s=2), name="short-delay")
cut = [line for line in events if "deregistration delay ends" in line]
behaviour("ELB deregistration delay: a request still open when the delay ends fails (502), and the task stops",
          len(cut) >= 1 and summary["clients"]["users"]["failed"] > 0, f"{len(cut)} tasks cut, {summary['clients']['users']['failed']} failed")
summary, events = run(model("long-delay", service_time_ms=20000, delay_s=300, rate_per_s=2), name="long-delay")
behaviour("ELB deregistration delay 300 s (the default): draining targets finish their 20 s requests; none fails",
          summary["clients"]["users"]["failed"] == 0 and not any("deregistration delay ends" in line for line in events),
          f"{summary['clients']['users']['failed']} failed")
# --- The account's Fargate vCPU quota ---------------------------------------------------------------------
# Eight quarter-vCPU tasks wanted, a quota of 1.5 vCPU: six run, the other launches are refused and retried.
quota_model = model("quota", tasks=2)
quota_model["faults"] = []
quota_model["components"]["app"]["account_vcpu_quota"] = 1.5
quota_model["components"]["app"]["scaling"] = {"min": 2, "max": 8, "desired": 2, "launch_time_s": LAUNCH_S,
                                               "policies": [{"type": "target_tracking", "signal": "cpu_utilization", "target": 20}]}
quota_model["components"]["app"]["cpu_ms"] = {"dist": "constant", "value": 8}
quota_model["components"]["users"]["arrivals"]["rate_per_s"] = 60
summary, events = run(quota_model, name="quota")
app = summary["components"]["app"]
behaviour("Fargate On-Demand vCPU quota: no more tasks run than the quota holds (1.5 vCPU of quarter-vCPU tasks: 6)",
          app["instances"]["max"] == 6 and app["scaling"]["refused_at_max"] > 0,
          f"at most {app['instances']['max']} tasks, {app['scaling']['refused_at_max']} launches refused")
behaviour("Fargate On-Demand vCPU quota: a refused launch is said in the events",
          any("vCPU quota is in use" in line for line in events), next((line.strip() for line in events if "quota" in line), "no such line"))
# A Fargate task is billed from its launch if it starts; a launch the quota refuses is never billed.
scaling = app["scaling"]
started = scaling["launched"] - scaling["refused_at_max"] - scaling["launch_failures"]
expected_hours = app["instances"]["mean"] * 400 / 3600 + started * LAUNCH_S / 3600
behaviour("Fargate billing: the tasks that ran, from their launch; the refused launches not at all",
          abs(scaling["instance_hours"] - expected_hours) < 1e-6,
          f"{scaling['instance_hours']:.4f} task-hours billed, {expected_hours:.4f} run; {scaling['refused_at_max']} refused launches")
finish()
