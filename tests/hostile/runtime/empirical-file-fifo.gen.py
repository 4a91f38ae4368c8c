"""An empirical distribution whose file is a FIFO: reading it would wait for a writer for ever. The FIFO
is made at a fixed path of this user's, so that repeated runs leave one behind at most."""
import json, os, stat, tempfile
fifo = os.path.join(tempfile.gettempdir(), f"archlab-hostile-fifo-{os.getuid()}")
if not (os.path.exists(fifo) and stat.S_ISFIFO(os.stat(fifo).st_mode)):
    if os.path.lexists(fifo):
        os.remove(fifo)
    os.mkfifo(fifo)
print(json.dumps({"name": "empirical-file-fifo", "run": {"requests": 1000}, "components": {
    "users": {"type": "client", "target": "s", "arrivals": {"rate_per_s": 8}},
    "s": {"type": "service", "service_time_ms": {"dist": "empirical", "file": fifo}}}}))
