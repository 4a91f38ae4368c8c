#!/usr/bin/env python3
"""API Gateway as docs/aws-facts.md §6 documents it (throttling, integration
timeout; pricing §7), checked on small models: a client → api_gateway → a service.
Usage: python3 test_api_gateway.py path/to/archlab"""
import os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import ARCHLAB, behaviour, finish, run, write_model  # noqa: E402


def model(name, arrivals, gateway=None, service_time_ms=1, duration_s=5, concurrency=20000):
    return {"name": name,
            "components": {
                "users": {"type": "client", "target": "gw", "arrivals": arrivals},
                "gw": {"type": "api_gateway", "target": "app", **(gateway or {})},
                "app": {"type": "service", "concurrency": concurrency, "service_time_ms": service_time_ms}},
            "run": {"duration_s": duration_s, "seed": 1}}


def spike(rate_per_s, at_s, for_s):
    return {"process": "constant", "rate_per_s": 0, "schedule": [{"at_s": at_s, "rate_per_s": rate_per_s, "for_s": for_s}]}


# --- Throttling: a token bucket of 10,000 per s with a burst of 5,000 ----------------------------
summary, _ = run(model("spike", spike(100000, 1, 0.1)), name="spike")
gw, users = summary["components"]["gw"], summary["clients"]["users"]
admitted = gw["requests"] - gw["throttled"]
expected = 5000 + 10000 * 0.1
behaviour("API Gateway: the token bucket admits rate + burst: 10,000 requests in 0.1 s → 5,000 + 10,000 x 0.1 = 6,000 pass, the rest get 429",
          abs(gw["requests"] - 10000) <= 2 and abs(admitted - expected) <= 0.01 * expected and users["rejected"] == gw["throttled"],
          f"{gw['requests']} requests, {admitted} admitted, {gw['throttled']} throttled (429), client saw {users['rejected']} rejected")

summary, _ = run(model("steady", {"process": "constant", "rate_per_s": 10000}, duration_s=3), name="steady")
gw = summary["components"]["gw"]
behaviour("API Gateway: a steady 10,000 requests per second (the account's rate) is never throttled",
          gw["throttled"] == 0 and gw["requests"] >= 29990, f"{gw['requests']} requests, {gw['throttled']} throttled")

summary, _ = run(model("over", {"process": "constant", "rate_per_s": 12000}, duration_s=10), name="over")
gw = summary["components"]["gw"]
admitted = gw["requests"] - gw["throttled"]
behaviour("API Gateway: sustained demand above the rate is served at the rate once the burst is spent (12,000/s for 10 s → 5,000 + 100,000)",
          abs(admitted - 105000) <= 50, f"{gw['requests']} requests, {admitted} admitted")

# --- Integration timeout: 29 s, then 504 ---------------------------------------------------------
arrivals = {"process": "constant", "rate_per_s": 0, "schedule": [{"at_s": 1, "rate_per_s": 10, "for_s": 1}]}
summary, events = run(model("timeout", arrivals, {"latency_ms": 0}, service_time_ms=40000, duration_s=60, concurrency=100), name="timeout")
gw, users = summary["components"]["gw"], summary["clients"]["users"]
first = [line for line in events if "first integration timeout" in line]
waited_s = float(first[0].split("504 after ")[1].split()[0]) if first else -1
behaviour("API Gateway: an integration that has not answered within 29 s (REST default) gets the caller a 504 at 29 s",
          users["sent"] >= 9 and gw["integration_timeouts"] == users["sent"] == users["failed"] and abs(waited_s - 29) < 0.001,
          f"{gw['integration_timeouts']} of {users['sent']} timed out, the first after {waited_s} s")
behaviour("API Gateway: the integration's late answer is dropped (the caller already has its 504)",
          gw["late_answers_ignored"] == users["sent"] and users["completed"] == 0, f"{gw['late_answers_ignored']} late answers ignored")

summary, _ = run(model("in-time", arrivals, {"latency_ms": 0}, service_time_ms=28000, duration_s=60, concurrency=100), name="in-time")
gw, users = summary["components"]["gw"], summary["clients"]["users"]
behaviour("API Gateway: an integration answering within the timeout (28 s < 29 s) passes its answer on",
          gw["integration_timeouts"] == 0 and users["completed"] == users["sent"] >= 9, f"{users['completed']} of {users['sent']} completed")

# An HTTP API waits at most 30 s.
path = write_model("http-timeout", model("http-timeout", arrivals, {"api_type": "http", "integration_timeout_ms": 31000}))
result = subprocess.run([ARCHLAB, "validate", path], capture_output=True, text=True)
behaviour("API Gateway: an HTTP API's integration timeout is at most 30 s",
          result.returncode != 0 and "30,000 ms" in (result.stdout + result.stderr), (result.stdout + result.stderr).strip()[:160])

# --- Pricing: per request, REST $3.50 and HTTP $1.00 per million; throttled requests are not billed --
for api_type, price in (("rest", 3.5e-6), ("http", 1.0e-6)):
    summary, _ = run(model(f"bill-{api_type}", spike(100000, 1, 0.1), {"api_type": api_type}), name=f"bill-{api_type}")
    gw = summary["components"]["gw"]
    billed = sum(line["usd"] for line in summary["cost_usd"]["lines"] if line["item"] == f"apigateway.{api_type}.request")
    expected = (gw["requests"] - gw["throttled"]) * price
    behaviour(f"API Gateway pricing: a {api_type.upper()} API is billed ${price * 1e6:.2f} per million requests, throttled ones excepted",
              abs(billed - expected) < 1e-12, f"${billed:.6f} for {gw['requests'] - gw['throttled']} requests")

finish()
