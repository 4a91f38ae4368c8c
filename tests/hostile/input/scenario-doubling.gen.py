# 41 scenarios, each extending the previous one twice: 2^40 applications if nothing bounds them.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
m = model()
m["scenarios"] = {"s0": {"set": {"server.concurrency": 2}}}
for i in range(1, 41):
    m["scenarios"][f"s{i}"] = {"extends": [f"s{i - 1}", f"s{i - 1}"]}
print(json.dumps(m))
