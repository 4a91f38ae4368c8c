#!/usr/bin/env python3
"""archlab run with CPU work (cpu_ms): SimGrid executions on the instances' vCPUs, through the CLI (a
process per run, one engine each). Each check prints a line; the last line is 'N passed, M failed'."""
import json, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]
TMP = tempfile.mkdtemp(prefix="archlab-cpu-test-")
passed = failed = 0


def check(name, condition, detail=""):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def run(model, *args, env=None):
    path = os.path.join(TMP, model["name"] + ".json")
    with open(path, "w") as f:
        json.dump(model, f)
    result = subprocess.run([ARCHLAB, "run", path, "--json", "--quiet", *args], capture_output=True, text=True, timeout=300,
                            env={**os.environ, **(env or {})})
    if result.returncode != 0:
        raise SystemExit(f"FAIL archlab run {path} {args}: exit {result.returncode}\n{result.stderr}")
    return result.stdout


def cpu_bound(concurrency, instance_type="t3.micro", rate_per_s=40.0):
    """Offered more than the CPU can do: cpu_ms mean 100 on 2 vCPUs is 20 requests/s at most."""
    return {"name": f"cpu-{concurrency}", "components": {
        "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": rate_per_s}},
        "server": {"type": "service", "instances": 1, "concurrency": concurrency, "instance_type": instance_type,
                   "cpu_ms": {"dist": "exponential", "mean": 100}, "service_time_ms": {"dist": "constant", "value": 0}}},
        "run": {"duration_s": 400, "warmup_s": 20, "seed": 3}}


def throughput(output):
    return json.loads(output)["components"]["server"]["throughput_per_s"]


for concurrency, expected in [(1, 10), (2, 20), (8, 20), (64, 20)]:
    got = throughput(run(cpu_bound(concurrency)))
    check(f"cpu_ms mean 100 on a 2-vCPU t3.micro, concurrency {concurrency}: {expected} requests/s (got {got:.2f})",
          abs(got - expected) < 0.03 * expected)

# One worker never shares its vCPU: constant cpu_ms 100 is then exactly service_time_ms 100 (M/D/1 at
# rho 0.8, the same arrivals), to SimGrid's precision.
md1_cpu = cpu_bound(1, rate_per_s=8.0)
md1_cpu["run"] = {"requests": 50000, "warmup_requests": 1000, "seed": 1}
md1_cpu["components"]["server"]["cpu_ms"] = {"dist": "constant", "value": 100}
md1_time = json.loads(json.dumps(md1_cpu))
md1_time["name"] = "md1-time"
del md1_time["components"]["server"]["cpu_ms"]
md1_time["components"]["server"]["service_time_ms"] = {"dist": "constant", "value": 100}
with_cpu = json.loads(run(md1_cpu))["components"]["server"]["latency_ms"]["mean"]
with_time = json.loads(run(md1_time))["components"]["server"]["latency_ms"]["mean"]
check(f"one worker: cpu_ms 100 is service_time_ms 100 (mean response {with_cpu:.6f} ms and {with_time:.6f} ms)",
      abs(with_cpu - with_time) < 1e-6 * with_time)


# Four workers sharing two vCPUs, exponential CPU: with n requests in, they leave at min(n, 2) times the
# rate of one vCPU however the CPU is shared, so the count in the system is M/M/2's and so is the mean
# response (Little): lambda 16, mu 10, W = C(2, 1.6) / (2 mu - lambda) + 1 / mu = 277.8 ms.
mm2 = cpu_bound(4, rate_per_s=16.0)
mm2["run"] = {"requests": 300000, "warmup_requests": 3000, "seed": 1}
mean_ms = json.loads(run(mm2))["components"]["server"]["latency_ms"]["mean"]
check(f"four workers on 2 vCPUs, exponential cpu_ms: M/M/2's mean response 277.8 ms (got {mean_ms:.1f})", abs(mean_ms - 277.78) < 0.03 * 277.78)


def worker_loops(loops):
    """Workers polling a queue that never empties (60 jobs/s offered) and answers at once, each job 100 ms
    of CPU on a t3.micro: nothing but the CPU takes time."""
    return {"name": f"loops-{loops}", "components": {
        "users": {"type": "client", "target": "api", "arrivals": {"process": "poisson", "rate_per_s": 60}},
        "api": {"type": "service", "concurrency": 100, "service_time_ms": {"dist": "constant", "value": 0},
                "calls": [{"target": "jobs", "operation": "send"}]},
        "jobs": {"type": "queue", "api_latency_ms": {"dist": "constant", "value": 0}},
        "workers": {"type": "consumers", "queue": "jobs", "workers_per_instance": loops, "wait_time_s": 20,
                    "steps": [{"name": "run", "cpu_ms": {"dist": "constant", "value": 100}}, {"name": "delete", "deletes_message": True}]}},
        "run": {"duration_s": 200, "warmup_s": 20, "seed": 1}}


# Lab 01's loops: two loops on a 2-vCPU instance run a job in 100 ms each, four in 200 ms (each loop at
# half the rate), and the instance does 20 jobs/s either way.
for loops, job_ms in [(2, 100), (4, 200)]:
    workers = json.loads(run(worker_loops(loops)))["components"]["workers"]
    check(f"{loops} worker loops on a t3.micro: a 100 ms CPU job takes {job_ms} ms (got {workers['latency_ms']['mean']:.2f}), "
          f"20 jobs/s in all (got {workers['throughput_per_s']:.2f})",
          abs(workers["latency_ms"]["mean"] - job_ms) < 0.01 * job_ms and abs(workers["throughput_per_s"] - 20) < 0.02 * 20)


# Zone names are data: whatever they are, they do not collide with the platform's own names.
odd = cpu_bound(2, rate_per_s=5.0)
odd["name"] = "odd-zones"
odd["run"] = {"duration_s": 20, "seed": 1}
odd["components"]["server"].update({"instances": 4, "zones": ["internet", "region", "a", "hardware:a"]})
odd_throughput = throughput(run(odd))
check(f"zones named internet, region, a and hardware:a run like any others (got {odd_throughput:.2f} requests/s)", odd_throughput > 4)


def deterministic_part(output):
    summary = json.loads(output)
    summary.pop("wall_clock")  # how long it took: the one figure that may differ
    return summary


first, second = deterministic_part(run(cpu_bound(8))), deterministic_part(run(cpu_bound(8)))
check("same model and seed, same summary, with CPU work", first == second)
forced = deterministic_part(run(cpu_bound(8), env={"ARCHLAB_DRIVER": "simgrid"}))
check("a model with CPU work runs on SimGrid's engine whatever ARCHLAB_DRIVER says", forced == first)

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
