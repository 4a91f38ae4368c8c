#!/usr/bin/env python3
"""models/examples/zone-egress.json: tasks that pull their image at every launch, through each zone's
route. With one NAT gateway in zone a, an outage of zone a leaves zone b's replacements unable to
pull (launch failures, a fleet at half strength, requests refused); a NAT gateway per zone or ECR's
interface endpoints let them start (at least 5 × fewer refused requests), the endpoints for less
money. Bad routes exit 2 naming their place.

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

for setting, place in [("nat_a.kind=gateway", "components.nat_a.kind"),
                       ("tasks.image_pull.routes.1.zone=us-east-1c", "components.tasks.image_pull.routes[1].zone"),
                       ("tasks.image_pull.routes.0.through=users", "components.tasks.image_pull.routes[0].through")]:
    result = subprocess.run([ARCHLAB, "run", MODEL, "--quiet", "--set", setting], capture_output=True, text=True, timeout=60)
    check(f"bad input {setting}: exit 2 naming {place}", result.returncode == 2 and place in result.stderr,
          f"exit {result.returncode}: {result.stderr.strip()[:160]}")
result = subprocess.run([ARCHLAB, "run", MODEL, "--quiet", "--scenario", "az-outage-endpoints", "--set", "nat_a.kind=gateway"],
                        capture_output=True, text=True, timeout=60)
check("a gateway endpoint cannot serve ECR: exit 2", result.returncode == 2 and "ECR has no gateway endpoint" in result.stderr,
      result.stderr.strip()[:200])

checks.finish()
