"""A chain of 20,000 services, each calling the next (once 3 GB); refused past the component limit."""
import json
length = 20000
components = {"users": {"type": "client", "target": "s0", "arrivals": {"rate_per_s": 8}}}
for i in range(length):
    components[f"s{i}"] = {"type": "service", "calls": [{"target": f"s{i + 1}"}] if i + 1 < length else []}
print(json.dumps({"name": "long-call-chain", "components": components, "run": {"requests": 1000}}))
