#!/usr/bin/env python3
"""Stand-in for archlab-api (real/api), so the local stack and the load
generator can be exercised before the C++ server exists. Same routes, same
flags as stack.sh passes, same table rows and queue messages as job_ports.hpp.
Not a reference implementation: no input limits, no retries, no metrics."""
import argparse
import json
import os
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_json import AwsError, call, now_ms  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=4, help="accepted for flag compatibility")
    parser.add_argument("--queue-url", default=os.environ.get("ARCHLAB_QUEUE_URL"))
    parser.add_argument("--table", default=os.environ.get("ARCHLAB_TABLE", "archlab-jobs"))
    args = parser.parse_args()
    if not args.queue_url:
        parser.error("--queue-url (or ARCHLAB_QUEUE_URL) is required")
    return args


ARGS = parse_args()


def item_to_document(item):
    document = {"executionId": item["execution_id"]["S"], "status": item["status"]["S"],
                "result": item.get("result", {}).get("S", "")}
    for name in ("submitted_at_ms", "started_at_ms", "finished_at_ms"):
        if name in item:
            document[name] = int(item[name]["N"])
    return document


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as haproxy and the load generator expect

    def log_message(self, *args):
        pass

    def answer(self, status, document):
        body = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path == "/health":
            return self.answer(200, {"status": "ok"})
        if self.path.startswith("/check-status/"):
            execution_id = self.path[len("/check-status/"):]
            try:
                got = call("dynamodb", "DynamoDB_20120810.GetItem", {
                    "TableName": ARGS.table, "Key": {"execution_id": {"S": execution_id}}, "ConsistentRead": True})
            except (AwsError, OSError) as error:
                return self.answer(500, {"error": str(error)})
            if "Item" not in got:
                return self.answer(404, {"error": "Execution ID not found"})
            return self.answer(200, item_to_document(got["Item"]))
        self.answer(404, {"error": "no such route"})

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.path != "/submit-code":
            return self.answer(404, {"error": "no such route"})
        try:
            code = json.loads(body)["code"]
            if not isinstance(code, str):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return self.answer(400, {"error": "body must be {\"code\": string}"})
        execution_id = str(uuid.uuid4())
        try:
            call("dynamodb", "DynamoDB_20120810.PutItem", {"TableName": ARGS.table, "Item": {
                "execution_id": {"S": execution_id}, "code": {"S": code}, "status": {"S": "pending"},
                "result": {"S": ""}, "submitted_at_ms": {"N": str(now_ms())}},
                "ConditionExpression": "attribute_not_exists(execution_id)"})
            call("sqs", "AmazonSQS.SendMessage", {"QueueUrl": ARGS.queue_url, "MessageBody": execution_id,
                                                   "MessageGroupId": execution_id,
                                                   "MessageDeduplicationId": execution_id})
        except (AwsError, OSError) as error:
            return self.answer(500, {"error": str(error)})
        self.answer(200, {"executionId": execution_id, "message": "Code submitted successfully"})


if __name__ == "__main__":
    server = ThreadingHTTPServer((ARGS.address, ARGS.port), Handler)
    server.daemon_threads = True
    print(f"stand-in api on http://{ARGS.address}:{ARGS.port}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
