#!/usr/bin/env python3
"""Stand-in for archlab-worker (real/worker): long-polls the jobs queue,
"runs" each job, writes the result once (conditional on pending, so a
redelivered message never writes twice), then deletes the message. It runs no
JavaScript: it evaluates plain arithmetic like the default job `1+1` and
answers anything else with a fixed text. Same flags as stack.sh passes."""
import argparse
import ast
import operator
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from aws_json import AwsError, call, now_ms  # noqa: E402

OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
             ast.USub: operator.neg, ast.UAdd: operator.pos}


def arithmetic(node):
    if isinstance(node, ast.Expression):
        return arithmetic(node.body)
    if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
        return node.value
    if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](arithmetic(node.left), arithmetic(node.right))
    if isinstance(node, ast.UnaryOp) and type(node.op) in OPERATORS:
        return OPERATORS[type(node.op)](arithmetic(node.operand))
    raise ValueError("not arithmetic")


def run(code):
    try:
        value = arithmetic(ast.parse(code.strip(), mode="eval"))
        return "Executed", str(int(value) if float(value).is_integer() else value)
    except (SyntaxError, ValueError, ZeroDivisionError, OverflowError):
        return "Executed", "stand-in worker: only runs plain arithmetic"


def handle(args, message):
    execution_id = message["Body"]
    started_at_ms = now_ms()
    got = call("dynamodb", "DynamoDB_20120810.GetItem", {
        "TableName": args.table, "Key": {"execution_id": {"S": execution_id}}, "ConsistentRead": True})
    if "Item" in got:
        status, result = run(got["Item"].get("code", {}).get("S", ""))
        try:
            call("dynamodb", "DynamoDB_20120810.UpdateItem", {
                "TableName": args.table, "Key": {"execution_id": {"S": execution_id}},
                "UpdateExpression": "SET #s = :s, #r = :r, started_at_ms = :b, finished_at_ms = :f",
                "ConditionExpression": "#s = :pending",
                "ExpressionAttributeNames": {"#s": "status", "#r": "result"},
                "ExpressionAttributeValues": {":s": {"S": status}, ":r": {"S": result}, ":pending": {"S": "pending"},
                                              ":b": {"N": str(started_at_ms)}, ":f": {"N": str(now_ms())}}})
        except AwsError as error:
            if error.type != "ConditionalCheckFailedException":
                raise
    call("sqs", "AmazonSQS.DeleteMessage", {"QueueUrl": args.queue_url, "ReceiptHandle": message["ReceiptHandle"]})


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queue-url", default=os.environ.get("ARCHLAB_QUEUE_URL"))
    parser.add_argument("--table", default=os.environ.get("ARCHLAB_TABLE", "archlab-jobs"))
    parser.add_argument("--wait-time-s", type=int, default=2, help="long poll; short so TERM is quick")
    args = parser.parse_args()
    if not args.queue_url:
        parser.error("--queue-url (or ARCHLAB_QUEUE_URL) is required")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("stand-in worker polling", args.queue_url, flush=True)
    while True:
        try:
            received = call("sqs", "AmazonSQS.ReceiveMessage", {
                "QueueUrl": args.queue_url, "MaxNumberOfMessages": 10, "WaitTimeSeconds": args.wait_time_s})
            for message in received.get("Messages", []):
                handle(args, message)
        except (AwsError, OSError) as error:
            # Left undeleted, the message comes back after the visibility timeout.
            print("stand-in worker:", error, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
