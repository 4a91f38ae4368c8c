#!/usr/bin/python3
"""M/M/c in SimPy 3, written the canonical way, as the benchmark's reference.

One generator process creates customers at Poisson times; each customer is its
own process that requests a slot of a simpy.Resource(capacity=c), holds it for
an exponential service time, releases it and records its response time.

Usage: simpy_mmc.py rate_per_s mean_service_s servers requests warmup seed
  requests  total customers generated (the first `warmup` of them, by arrival
            order, are simulated but excluded from the mean)
Prints one line of JSON:
  {"system":"simpy","simpy_version":...,"requests":N,"measured":M,
   "mean_response_ms":X,"sim_time_s":T,"wall_s":W,"requests_per_s":R}

Run it with Debian's interpreter (/usr/bin/python3) where python3-simpy3 is installed.
"""
import json
import random
import sys
import time

import simpy


class Stats:
    def __init__(self):
        self.total = 0.0
        self.count = 0


def customer(env, index, server, rng, mean_service, warmup, stats):
    arrived = env.now
    with server.request() as req:
        yield req
        yield env.timeout(rng.expovariate(1.0 / mean_service))
    if index >= warmup:
        stats.total += env.now - arrived
        stats.count += 1


def source(env, server, rng, rate, mean_service, requests, warmup, stats):
    for index in range(requests):
        env.process(customer(env, index, server, rng, mean_service, warmup, stats))
        if index + 1 < requests:
            yield env.timeout(rng.expovariate(rate))


def main(argv):
    if len(argv) != 7:
        sys.stderr.write(f"usage: {argv[0]} rate_per_s mean_service_s servers requests warmup seed\n")
        return 2
    rate = float(argv[1])
    mean_service = float(argv[2])
    servers = int(argv[3])
    requests = int(argv[4])
    warmup = int(argv[5])
    seed = int(argv[6])
    if rate <= 0 or mean_service <= 0 or servers < 1 or requests <= 0 or not 0 <= warmup < requests:
        sys.stderr.write("invalid arguments\n")
        return 2

    t0 = time.perf_counter()
    rng = random.Random(seed)
    env = simpy.Environment()
    server = simpy.Resource(env, capacity=servers)
    stats = Stats()
    # The first arrival happens after one inter-arrival time, as in the other two systems.
    def start():
        yield env.timeout(rng.expovariate(rate))
        yield env.process(source(env, server, rng, rate, mean_service, requests, warmup, stats))
    env.process(start())
    env.run()
    wall = time.perf_counter() - t0

    print(json.dumps({
        "system": "simpy",
        "simpy_version": getattr(simpy, "__version__", "?"),
        "requests": requests,
        "measured": stats.count,
        "mean_response_ms": 1000.0 * stats.total / stats.count if stats.count else 0.0,
        "sim_time_s": env.now,
        "wall_s": wall,
        "requests_per_s": requests / wall if wall > 0 else 0.0,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
