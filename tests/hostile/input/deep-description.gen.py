# A description nested 100,000 lists deep: the reader refuses it before anything copies it.
import json, sys, os
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _base import model
text = json.dumps(model())
print(text[:-1] + ', "description": ' + "[" * 100000 + "]" * 100000 + "}")
