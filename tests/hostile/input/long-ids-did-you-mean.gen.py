# Two 100,000-character ids, one naming the other with a typo: the "did you mean" must not be quadratic.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
m = model()
long_id = "s" * 100000
m["components"][long_id] = m["components"].pop("server")
m["components"]["users"]["target"] = long_id[:-1] + "x"
print(json.dumps(m))
