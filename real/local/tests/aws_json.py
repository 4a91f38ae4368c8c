"""AWS JSON 1.0 calls (SQS and DynamoDB) for the Python stand-ins, stdlib only.

The emulators check no signature, only that an Authorization header exists, so
the header is well formed but not computed: these stand-ins only ever talk to
the local stack, never to AWS.
"""
import http.client
import json
import os
import threading
import time
import urllib.parse

_local = threading.local()


class AwsError(Exception):
    def __init__(self, status, body):
        super().__init__(f"HTTP {status}: {body}")
        self.status = status
        self.type = str(body.get("__type", "")).split("#")[-1] if isinstance(body, dict) else ""


def _connection(endpoint):
    # One keep-alive connection per thread and endpoint: a new TCP connection
    # per call would make the stand-ins, not the design, the bottleneck.
    cache = getattr(_local, "connections", None)
    if cache is None:
        cache = _local.connections = {}
    if endpoint not in cache:
        parts = urllib.parse.urlsplit(endpoint)
        cache[endpoint] = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    return cache[endpoint]


def call(service, target, payload):
    endpoint = os.environ[f"AWS_ENDPOINT_URL_{service.upper()}"]
    region = os.environ.get("AWS_REGION", "us-east-1")
    day = time.strftime("%Y%m%d", time.gmtime())
    headers = {
        "Content-Type": "application/x-amz-json-1.0",
        "X-Amz-Target": target,
        "X-Amz-Date": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()),
        "Authorization": f"AWS4-HMAC-SHA256 Credential={os.environ.get('AWS_ACCESS_KEY_ID', 'test')}/{day}/{region}/"
                         f"{service}/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, "
                         f"Signature={'0' * 64}",
    }
    body = json.dumps(payload)
    for attempt in (1, 2):  # a kept-alive connection the server closed: retry once on a new one
        connection = _connection(endpoint)
        try:
            connection.request("POST", "/", body=body, headers=headers)
            response = connection.getresponse()
            text = response.read()
            break
        except (ConnectionError, http.client.HTTPException):
            connection.close()
            _local.connections.pop(endpoint, None)
            if attempt == 2:
                raise
    result = json.loads(text) if text else {}
    if response.status != 200:
        raise AwsError(response.status, result)
    return result


def now_ms():
    return int(time.time() * 1000)
