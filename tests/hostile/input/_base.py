"""The small valid model the generated cases start from (not a case: no .expect.json)."""
import copy

MM1 = {
    "name": "mm1",
    "components": {
        "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 8.0}},
        "server": {"type": "service", "instances": 1, "concurrency": 1, "service_time_ms": {"dist": "exponential", "mean": 100}},
    },
    "run": {"requests": 1000, "seed": 1},
}


def model():
    return copy.deepcopy(MM1)
