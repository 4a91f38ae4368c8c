#!/usr/bin/env python3
"""A tiny stand-in for the code runner API, for testing archlab-loadgen.

Python stdlib only, 127.0.0.1 on a free port (printed as the first stdout
line: "port N"). Jobs finish by themselves: each is "started" queue_wait_s
after submission and "finished" complete_after_s after it. The job's code
picks the outcome: "fail" -> status failed, "hang" -> stays pending, anything
else -> Executed with result "2". --reject-every N answers every Nth
submission with 503. GET /counts tells how many submissions and status reads
it served. Exits by itself after --lifetime-s, so a lost process cannot linger.
"""
import argparse
import itertools
import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

parser = argparse.ArgumentParser()
parser.add_argument("--complete-after-s", type=float, default=0.3)
parser.add_argument("--queue-wait-s", type=float, default=0.1)
parser.add_argument("--reject-every", type=int, default=0)
parser.add_argument("--lifetime-s", type=float, default=60)
args = parser.parse_args()

lock = threading.Lock()
jobs = {}
counts = {"submits": 0, "status_reads": 0}
submit_numbers = itertools.count(1)


def now_ms():
    return int(time.time() * 1000)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_):
        pass

    def answer(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/submit-code":
            return self.answer(404, {"error": "no such route"})
        number = next(submit_numbers)
        if args.reject_every and number % args.reject_every == 0:
            return self.answer(503, {"error": "rejected on purpose"})
        code = json.loads(body)["code"]
        execution_id = str(uuid.uuid4())
        with lock:
            counts["submits"] += 1
            jobs[execution_id] = {"code": code, "submitted_at_ms": now_ms()}
        self.answer(200, {"executionId": execution_id, "message": "Code submitted successfully"})

    def do_GET(self):
        if self.path == "/health":
            return self.answer(200, {"status": "ok"})
        if self.path == "/counts":
            with lock:
                return self.answer(200, dict(counts))
        if not self.path.startswith("/check-status/"):
            return self.answer(404, {"error": "no such route"})
        with lock:
            counts["status_reads"] += 1
            job = jobs.get(self.path[len("/check-status/"):])
        if job is None:
            return self.answer(404, {"error": "Execution ID not found"})
        submitted = job["submitted_at_ms"]
        finished = submitted + int(args.complete_after_s * 1000)
        document = {"status": "pending", "result": "", "submitted_at_ms": submitted}
        if job["code"] != "hang" and now_ms() >= finished:
            document.update(status="failed" if job["code"] == "fail" else "Executed",
                            result="error" if job["code"] == "fail" else "2",
                            started_at_ms=submitted + int(args.queue_wait_s * 1000), finished_at_ms=finished)
        self.answer(200, document)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
threading.Timer(args.lifetime_s, server.shutdown).start()
print(f"port {server.server_address[1]}", flush=True)
server.serve_forever()
