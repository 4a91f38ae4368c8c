# Ten scenarios (within the depth limit), each extending the previous one four times: 4^9 applications.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
m = model()
m["scenarios"] = {"s0": {"faults": [{"at_s": 1, "target": "server", "action": "slow"}]}}
for i in range(1, 10):
    m["scenarios"][f"s{i}"] = {"extends": [f"s{i - 1}"] * 4}
print(json.dumps(m))
