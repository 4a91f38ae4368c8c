# A scenario's `set` value nested 100,000 objects deep, applied with --scenario.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
text = json.dumps(model())
print(text[:-1] + ', "scenarios": {"deep": {"set": {"server.concurrency": ' + '{"a": ' * 100000 + "1" + "}" * 100000 + "}}}}")
