# --out inside a file (the model file itself): refused before the simulation, exit 2, nothing written.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
m = model()
m["run"]["requests"] = 100000000  # long enough that only an early check passes the time limit
print(json.dumps(m))
