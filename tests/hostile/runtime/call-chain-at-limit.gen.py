"""A chain of 999 services, each calling the next: within the component limit, so it runs, in bounded memory."""
import json
length = 999
components = {"users": {"type": "client", "target": "s0", "arrivals": {"rate_per_s": 8}}}
for i in range(length):
    components[f"s{i}"] = {"type": "service", "service_time_ms": 1, "calls": [{"target": f"s{i + 1}"}] if i + 1 < length else []}
print(json.dumps({"name": "call-chain-at-limit", "components": components, "run": {"requests": 100}}))
