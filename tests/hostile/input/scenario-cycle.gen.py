# Scenarios extending each other in a circle: refused with the whole circle.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
m = model()
m["scenarios"] = {"a": {"extends": ["b"]}, "b": {"extends": ["c"]}, "c": {"extends": ["a"]}}
print(json.dumps(m))
