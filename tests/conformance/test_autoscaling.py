#!/usr/bin/env python3
"""EC2 Auto Scaling and CloudWatch as docs/aws-facts.md §3 documents them, checked
on small models: a client with a rate schedule → a load balancer → a scaled service. Scaling
activities and instance events come from the service's lines in events.log.
Usage: python3 test_autoscaling.py path/to/archlab"""
import math, os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import behaviour, event_times, finish, run  # noqa: E402

# Every model: 4 workers per instance, 100 ms per request, so one instance serves 40 requests/s at
# 100 % CPU; the ALB checks every 10 s, so a new instance takes traffic within 10 s of InService.


def model(name, scaling, rates, duration_s, queue_capacity=None, seed=1):
    """`rates`: [(at_s, requests per s), ...], the first at 0."""
    schedule = [{"at_s": at_s, "rate_per_s": rate} for at_s, rate in rates[1:]]
    web = {"type": "service", "concurrency": 4, "service_time_ms": {"dist": "exponential", "mean": 100}, "scaling": scaling}
    if queue_capacity is not None:
        web["queue_capacity"] = queue_capacity
    return {"name": name, "components": {
        "users": {"type": "client", "target": "alb", "arrivals": {"process": "poisson", "rate_per_s": rates[0][1], "schedule": schedule}},
        "alb": {"type": "load_balancer", "targets": ["web"], "health_check": {"interval_s": 10, "timeout_s": 5}},
        "web": web},
        "run": {"duration_s": duration_s, "seed": seed}}


def web_times(events, *words):
    return event_times([line for line in events if "  web  " in line], *words)


# --- Instance warm-up ---------------------------------------------------------------------------
# A step policy adds 2 when CPU > 70 for 3 of 3 minutes. The load jumps from 20/s to 90/s at 600 s:
# 2 instances saturate, 4 run at about 56 %. The alarm stays in ALARM a few minutes after the first
# scale-out (its window still holds the old datapoints), and Auto Scaling re-runs the policy every
# minute it lasts. Adjustments count from the current capacity, which leaves out warming instances.
step = {"type": "step", "signal": "cpu_utilization", "threshold": 70, "comparison": ">", "evaluation_periods": 3,
        "steps": [{"lower": 0, "change": 2}]}
runs = {}
for warmup_s in (600, 0):
    scaling = {"min": 2, "max": 12, "launch_time_s": 60, "instance_warmup_s": warmup_s, "policies": [step]}
    runs[warmup_s] = run(model(f"warmup-{warmup_s}", scaling, [(0, 20), (600, 90)], 2400, queue_capacity=50), name=f"warmup-{warmup_s}")
outs_long = web_times(runs[600][1], "scale-out:")
outs_none = web_times(runs[0][1], "scale-out:")
first = outs_long[0] if outs_long else None
behaviour("Instance warm-up: while the new instances warm up, the same alarm adds none (they count toward desired, not toward current capacity)",
          first is not None and len([t for t in outs_long if first <= t < first + 600]) == 1
          and runs[600][0]["components"]["web"]["instances"]["max"] == 4,
          f"warm-up 600 s: scale-outs at {outs_long}, at most {runs[600][0]['components']['web']['instances']['max']} instances")
behaviour("Instance warm-up: without it, the new instances count at once and the same alarm scales out again",
          len([t for t in outs_none if outs_none[0] <= t < outs_none[0] + 300]) >= 2,
          f"warm-up 0 s: scale-outs at {outs_none}, at most {runs[0][0]['components']['web']['instances']['max']} instances")

# --- Simple scaling and its cooldown --------------------------------------------------------------
# 200 requests/s need 8 instances to bring CPU under 70 %, so the alarm stays in ALARM for a long
# time. Simple scaling adds one, then waits for the launch and the 300 s cooldown; step scaling with
# no warm-up keeps reacting every time an instance is InService.
simple = {"type": "simple", "signal": "cpu_utilization", "threshold": 70, "comparison": ">", "change": 1, "cooldown_s": 300}
scaling = {"min": 1, "max": 10, "launch_time_s": 60, "instance_warmup_s": 0, "policies": [simple]}
summary, events = run(model("simple", scaling, [(0, 200)], 3600, queue_capacity=50), name="simple")
outs = web_times(events, "scale-out:")
gaps = [b - a for a, b in zip(outs, outs[1:])]
behaviour("Simple scaling: after an activity the policy waits for it to finish and for the cooldown (spacing >= launch + 300 s)",
          len(outs) >= 3 and all(gap >= 60 + 300 for gap in gaps), f"scale-outs at {outs}")
behaviour("Simple scaling: the alarm breaching every minute inside the cooldown gives one activity per cooldown",
          len(outs) <= 3600 // 360 + 1 and summary["components"]["web"]["scaling"]["scale_outs"] == len(outs),
          f"{len(outs)} activities in 3600 s of continuous breach")
stepping = dict(step, evaluation_periods=1, steps=[{"lower": 0, "change": 1}])
scaling = {"min": 1, "max": 10, "launch_time_s": 60, "instance_warmup_s": 0, "policies": [stepping]}
summary, events = run(model("step-keeps-reacting", scaling, [(0, 200)], 1800, queue_capacity=50), name="step-keeps-reacting")
step_outs = web_times(events, "scale-out:")
behaviour("Step scaling: the policy keeps reacting to the alarm while activities run (no cooldown)",
          len(step_outs) >= 3 and min(b - a for a, b in zip(step_outs, step_outs[1:])) < 300, f"scale-outs at {step_outs}")

# --- Capacity bounds ------------------------------------------------------------------------------
# Target tracking at 50 % CPU wants 10 instances for 200 requests/s, but max is 3; later 10/s wants
# fewer than min = 2.
tracking = {"type": "target_tracking", "signal": "cpu_utilization", "target": 50}
scaling = {"min": 2, "max": 3, "launch_time_s": 60, "instance_warmup_s": 60, "policies": [tracking]}
summary, events = run(model("bounds", scaling, [(0, 200), (1800, 10)], 5400, queue_capacity=50), name="bounds")
web = summary["components"]["web"]
refusals = [line for line in events if "  web  " in line and ("scale-out refused" in line or "capped at max" in line)]
behaviour("Capacity bounds: desired capacity stays between min and max whatever the policy asks",
          web["instances"]["min"] >= 2 and web["instances"]["max"] <= 3 and web["instances"]["at_end"] == 2
          and web["scaling"]["desired_at_end"] == 2, f"instances {web['instances']}")
behaviour("Capacity bounds: a scale-out the max stops is refused visibly (event log and refused_at_max)",
          web["scaling"]["refused_at_max"] > 0 and len(refusals) >= 1, f"refused_at_max {web['scaling']['refused_at_max']}: {refusals[:2]}")

# --- Target tracking: out after 3 datapoints, in after 15 ------------------------------------------
# The load rises at 600 s (datapoints above target from the period ending 660 s) and falls at 3600 s
# with the group held at its max, so no datapoint is below the target before the fall. Datapoints
# reach the alarm 60 s after their period (metric_delay_s) and alarms are evaluated every minute.
# After the fall, 30 requests/s keep 3 instances at about 25 % CPU: 1.5 instances' worth, so the
# group goes to 2 (removing 1.5 rounded down to 1), where 37.5 % stays under the target.
scaling = {"min": 1, "max": 3, "launch_time_s": 60, "instance_warmup_s": 120, "metric_delay_s": 60, "policies": [tracking]}
summary, events = run(model("tracking", scaling, [(0, 10), (600, 200), (3600, 30)], 6000, queue_capacity=50), name="tracking")
outs = web_times(events, "scale-out:")
ins = web_times(events, "scale-in:")
behaviour("Target tracking: scale-out after 3 datapoints above the target (3 one-minute periods, then the publication delay)",
          len(outs) >= 1 and outs[0] == 600 + 3 * 60 + 60, f"load up at 600 s, first scale-out at {outs[:1]}")
behaviour("Target tracking: scale-in only after 15 datapoints below the target (15 one-minute periods, then the publication delay)",
          len(ins) >= 1 and ins[0] == 3600 + 15 * 60 + 60 and not [t for t in ins if t < 3600 + 15 * 60],
          f"load down at 3600 s, scale-ins at {ins}")

def rounded_in(line, target):
    """From "... latest 25.7 on 3 instances): desired 3 → 2, ...": whether the new capacity is
    ceil(instances × metric / target), the instances being those the datapoint was measured on."""
    latest, _, instances = line.split("latest ")[1].split(")")[0].split()[:3]
    new = int(line.split("desired ")[1].split(",")[0].split(" → ")[1])
    return new == math.ceil(int(instances) * float(latest) / target - 1e-9), f"{instances} × {latest} / {target} → {new}"


in_lines = [line for line in events if "  web  scale-in:" in line]
checks = [rounded_in(line, 50) for line in in_lines]
behaviour("Target tracking: scale-in removes instances rounded down, so capacity = ceil(instances × metric / target)",
          checks and all(ok for ok, _ in checks) and summary["components"]["web"]["instances"]["at_end"] == 2,
          "; ".join(text for _, text in checks) + f"; {summary['components']['web']['instances']['at_end']} at the end")

# --- Health: a stopped instance is replaced -------------------------------------------------------
scaling = {"min": 3, "max": 6, "launch_time_s": 45}
m = model("replace", scaling, [(0, 30)], 900)
m["faults"] = [{"at_s": 300, "action": "kill", "target": "web", "instance": 0}]
summary, events = run(m, name="replace")
replaced = web_times(events, "launching a replacement")
ready = web_times(events, "web#3 InService")
web = summary["components"]["web"]
behaviour("Health checks: an instance that stops running is terminated and replaced; desired capacity is unchanged",
          replaced == [300.0] and ready == [345.0] and web["scaling"]["desired_at_end"] == 3 and web["instances"]["at_end"] == 3,
          f"replacement launched at {replaced}, InService at {ready}")
behaviour("Billing starts at launch, Pending included: the replacement is billed from 300 s, the dead instance until 300 s",
          abs(web["scaling"]["instance_hours"] - 3 * 900 / 3600) < 1e-9, f"{web['scaling']['instance_hours']} instance-hours for 3 × 900 s")

finish()
