#!/usr/bin/env python3
"""models/examples/zone-egress.json: tasks that pull their image at every launch, through each zone's
route. With one NAT gateway in zone a, an outage of zone a leaves zone b's replacements unable to
pull (launch failures, a fleet at half strength, requests refused); a NAT gateway per zone or ECR's
interface endpoints let them start (at least 5 × fewer refused requests), the endpoints for less
money. A task's Fargate size is billed per vCPU- and GB-hour and is the CPU its work runs on. Bad
routes and sizes exit 2 naming their place.

usage: test_zone_egress_example.py ARCHLAB MODEL"""
import os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_model  # noqa: E402

ARCHLAB, MODEL = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check


def run(*arguments):
    return run_model(ARCHLAB, MODEL, *arguments, timeout_s=300)


def lost(summary):
    users = summary["clients"]["users"]
    return users["failed"] + users["rejected"]


base = run()
lines = {line["item"]: line["quantity"] for line in base["cost_usd"]["lines"] if line["component"] == "tasks"}
check("as written: four tasks of 0.5 vCPU and 1 GB for an hour bill 2 vCPU-hours and 4 GB-hours",
      abs(lines.get("fargate.vcpu_hour", 0) - 2) < 1e-9 and abs(lines.get("fargate.gb_hour", 0) - 4) < 1e-9, lines)
check("as written: nothing lost, no launch", lost(base) == 0 and base["components"]["tasks"]["scaling"]["launch_failures"] == 0,
      f"lost {lost(base)}")

outage = run("--scenario", "az-outage")
failures = outage["components"]["tasks"]["scaling"]["launch_failures"]
check("az-outage: zone b's replacements fail to pull through zone a's NAT gateway", failures > 0, f"{failures} launch failures")
check("az-outage: the fleet runs at half strength for the outage",
      outage["components"]["tasks"]["instances"]["mean"] < 3.5, outage["components"]["tasks"]["instances"])
check("az-outage: requests are refused", lost(outage) > 0, lost(outage))

for scenario in ("az-outage-fixed", "az-outage-endpoints"):
    fixed = run("--scenario", scenario)
    check(f"{scenario}: no launch failure", fixed["components"]["tasks"]["scaling"]["launch_failures"] == 0,
          fixed["components"]["tasks"]["scaling"]["launch_failures"])
    check(f"{scenario}: at least 5 × fewer requests lost", lost(fixed) * 5 <= lost(outage), f"{lost(fixed)} against {lost(outage)}")
    if scenario == "az-outage-endpoints":
        check("az-outage-endpoints: cheaper than a NAT gateway per zone", fixed["cost_usd"]["total"] < run("--scenario", "az-outage-fixed")["cost_usd"]["total"],
              fixed["cost_usd"]["by_component"])
check("same seed, same summary", run("--scenario", "az-outage") == outage, "two runs")

checks.bad_settings(ARCHLAB, MODEL, [("nat_a.kind=gateway", "components.nat_a.kind"),
                                          ("tasks.task_memory_gb=8", "components.tasks.task_memory_gb"),
                                          ("tasks.task_cpu=0.3", "components.tasks.task_cpu"),
                                          ("tasks.image_pull.routes.1.zone=us-east-1c", "components.tasks.image_pull.routes[1].zone"),
                                          ("tasks.image_pull.routes.0.through=users", "components.tasks.image_pull.routes[0].through")])
result = subprocess.run([ARCHLAB, "run", MODEL, "--quiet", "--scenario", "az-outage-endpoints", "--set", "nat_a.kind=gateway"],
                        capture_output=True, text=True, timeout=60)
check("a gateway endpoint cannot serve ECR: exit 2", result.returncode == 2 and "ECR has no gateway endpoint" in result.stderr,
      result.stderr.strip()[:200])

# A task's CPU size is the machine its cpu_ms runs on: a quarter of a vCPU is four times slower.
import json, tempfile  # noqa: E402
with tempfile.TemporaryDirectory() as folder:
    model = os.path.join(folder, "cpu.json")
    with open(model, "w") as f:
        json.dump({"name": "cpu", "run": {"requests": 20}, "components": {
            "u": {"type": "client", "target": "t", "arrivals": {"process": "constant", "rate_per_s": 1}},
            "t": {"type": "container_service", "task_cpu": 0.25, "task_memory_gb": 0.5, "service_time_ms": 0,
                  "cpu_ms": {"dist": "constant", "value": 100}}}}, f)
    means = {}
    for cpu, memory in (("0.25", "0.5"), ("1", "2")):
        summary = run_model(ARCHLAB, model, "--set", f"t.task_cpu={cpu}", "--set", f"t.task_memory_gb={memory}", timeout_s=60)
        means[cpu] = summary["clients"]["u"]["latency_ms"]["mean"]
    check("container_service: 100 ms of CPU takes 400 ms on a 0.25 vCPU task, 100 ms on 1 vCPU",
          abs(means["0.25"] - 400) < 1 and abs(means["1"] - 100) < 1, means)

checks.finish()
