"""100,000 services nobody calls: once 160 KB each (16 GB); refused past the component limit."""
import json
components = {"users": {"type": "client", "target": "s0", "arrivals": {"rate_per_s": 8}}}
for i in range(100000):
    components[f"s{i}"] = {"type": "service"}
print(json.dumps({"name": "many-unused-services", "components": components, "run": {"requests": 1000}}))
