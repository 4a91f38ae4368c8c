#!/usr/bin/env python3
"""Faults under load on the local stack (127.0.0.1 only, bounded in time, everything stopped by pid):

1. a worker killed with SIGKILL mid-job: every job still completes, once, in the table;
2. an API server killed under load: haproxy takes it out, the failed submissions are counted and
   no accepted job is lost;
3. a poison message lands in the dead-letter queue after maxReceiveCount and the other jobs finish;
4. an endless loop, a memory bomb, an output flood and attempts to reach files, sockets or other
   processes each end as a failed job at their limit.

usage: fault_test.py ARCHLAB_API ARCHLAB_WORKER ARCHLAB_LOADGEN   (exit 77: emulators not installed)
"""
import json, os, random, shutil, socket, subprocess, sys, tempfile, time, urllib.request

API, WORKER, LOADGEN = sys.argv[1:4]
HERE = os.path.dirname(os.path.abspath(__file__))
STACK = os.path.join(os.path.dirname(HERE), "stack.sh")
VISIBILITY_S, MAX_RECEIVES = 6, 3  # short, so redelivery and redrive happen within the test
failures = []


def check(condition, message, detail=""):
    print(("ok   " if condition else "FAIL ") + message + ("" if condition else f"\n     {detail}"))
    if not condition:
        failures.append(message)


def port_free(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


def free_base_port():
    for _ in range(30):  # below the ephemeral range, where outgoing connections bind
        base = random.randrange(20000, 32000)
        if all(port_free(base + offset) for offset in (0, 1, 9, 10, 20, 21)):
            return base
    sys.exit("no free block of ports")


def read_pid(run_dir, name):
    with open(os.path.join(run_dir, "pids", name + ".pid")) as f:
        return int(f.read().split()[0])


def http_json(url, body=None, timeout_s=5):
    request = urllib.request.Request(url, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout_s) as response:
        return json.loads(response.read())


def submit(lb_url, code):
    return http_json(lb_url + "/submit-code", {"code": code})["executionId"]


def wait_for_end(lb_url, execution_id, bound_s):
    deadline = time.monotonic() + bound_s
    while time.monotonic() < deadline:
        status = http_json(f"{lb_url}/check-status/{execution_id}")
        if status["status"] != "pending":
            return status
        time.sleep(0.2)
    return {"status": "pending", "result": "(still pending when the test stopped waiting)"}


def loadgen(lb_url, out_file, rate_per_s, duration_s, code):
    return subprocess.Popen([LOADGEN, "--url", lb_url, "--rate-per-s", str(rate_per_s), "--duration-s", str(duration_s),
                             "--arrivals", "fixed", "--poll-interval-s", "0.2", "--give-up-s", "60", "--verify",
                             "--code", code], stdout=open(out_file, "w"), stderr=subprocess.DEVNULL)


def finished(process, out_file, bound_s=120):
    process.wait(timeout=bound_s)
    with open(out_file) as f:
        return json.load(f)


if subprocess.run([os.path.join(os.path.dirname(HERE), "install.sh"), "--check"]).returncode != 0:
    print("SKIP: emulators not installed (real/local/install.sh)")
    sys.exit(77)
if not shutil.which("haproxy"):
    print("SKIP: haproxy not installed")
    sys.exit(77)

run_dir = tempfile.mkdtemp(prefix="archlab-faults.")
base = free_base_port()
up = subprocess.run([STACK, "up", "--api-bin", API, "--worker-bin", WORKER, "--run-dir", run_dir, "--base-port", str(base),
                     "--workers", "2", "--visibility-timeout-s", str(VISIBILITY_S), "--max-receive-count", str(MAX_RECEIVES),
                     "--wait-s", "30"], capture_output=True, text=True, timeout=120)
try:
    if up.returncode != 0:
        print("FAIL stack.sh up:\n" + up.stdout + up.stderr)
        sys.exit(1)
    env = {}
    with open(os.path.join(run_dir, "env.sh")) as f:
        for line in f:
            if line.startswith("export "):
                key, value = line[len("export "):].strip().split("=", 1)
                env[key] = value
    os.environ.update(env)
    lb_url = env["ARCHLAB_LB_URL"]
    sys.path.insert(0, HERE)
    import aws_json  # the emulators' JSON protocol, stdlib only

    # 1. SIGKILL a worker mid-job: 2 jobs/s of 1 s each keep both workers busy all the time.
    busy = "var t = Date.now(); while (Date.now() - t < 1000) {} 'done'"
    out = os.path.join(run_dir, "kill-worker.json")
    load = loadgen(lb_url, out, 2, 8, busy)
    time.sleep(3)
    os.kill(read_pid(run_dir, "worker0"), 9)
    result = finished(load, out)
    jobs, verify = result["jobs"], result["verify"]
    check(jobs["submitted"] == 16 and jobs["completed"] == 16 and jobs["errors"] == 0,
          "worker killed mid-job: every job completed", json.dumps(jobs))
    check(verify["checked"] == 16 and verify["unchanged"] == 16 and verify["changed"] == 0,
          "worker killed mid-job: every result written once and never overwritten", json.dumps(verify))

    # 2. SIGKILL an API server under load: haproxy takes it out; what failed is counted, nothing accepted is lost.
    out = os.path.join(run_dir, "kill-api.json")
    load = loadgen(lb_url, out, 10, 8, "1+1")
    time.sleep(2)
    os.kill(read_pid(run_dir, "api1"), 9)
    result = finished(load, out)
    jobs = result["jobs"]
    accepted = jobs["submitted"] - jobs["errors"]
    check(jobs["submitted"] == 80 and accepted > 0 and jobs["completed"] == accepted and jobs["unfinished"] == 0,
          f"API server killed: every accepted job completed ({accepted} accepted, {jobs['errors']} submissions failed)",
          json.dumps(jobs))
    check(result["verify"]["changed"] == 0, "API server killed: no result overwritten", json.dumps(result["verify"]))
    statuses = [http_json(lb_url + "/health")["status"] for _ in range(4)]
    check(statuses == ["ok"] * 4, "after the kill every request goes to the live API server", str(statuses))

    # 3. A poison message (a body no worker can read) goes to the DLQ after maxReceiveCount; others finish.
    aws_json.call("sqs", "AmazonSQS.SendMessage", {"QueueUrl": env["ARCHLAB_QUEUE_URL"], "MessageBody": "not a job",
                                                   "MessageGroupId": "poison", "MessageDeduplicationId": "poison-1"})
    ids = [submit(lb_url, f"{n} * 2") for n in range(5)]
    ends = [wait_for_end(lb_url, execution_id, 60) for execution_id in ids]
    check([end["result"] for end in ends] == ["0", "2", "4", "6", "8"], "the jobs around the poison message finish", str(ends))
    in_dlq, deadline = 0, time.monotonic() + (MAX_RECEIVES + 2) * VISIBILITY_S + 40
    while time.monotonic() < deadline and in_dlq == 0:
        attributes = aws_json.call("sqs", "AmazonSQS.GetQueueAttributes",
                                   {"QueueUrl": env["ARCHLAB_DLQ_URL"], "AttributeNames": ["ApproximateNumberOfMessages"]})
        in_dlq = int(attributes.get("Attributes", {}).get("ApproximateNumberOfMessages", "0"))
        time.sleep(1)
    check(in_dlq == 1, f"the poison message is in the DLQ after {MAX_RECEIVES} receives", f"{in_dlq} in the DLQ")

    # 4. Hostile code fails cleanly at its limit, through the whole stack.
    hostile = {
        "endless loop": ("while (true) {}", "timeout"),
        "memory bomb": ("var s = 'x'; while (true) s = s + s;", "memory_limit"),
        "output flood": ("while (true) console.log('flood flood flood flood');", "output_limit"),
        "read a file": ("require('fs').readFileSync('/etc/passwd')", "error"),
        "open a socket": ("new XMLHttpRequest()", "error"),
        "start a process": ("process.exit(1)", "error"),
    }
    ids = {name: submit(lb_url, code) for name, (code, _) in hostile.items()}
    for name, (code, kind) in hostile.items():
        end = wait_for_end(lb_url, ids[name], 60)
        check(end["status"] == "failed" and end["result"].startswith(kind), f"{name}: failed with '{kind}'", json.dumps(end))
    check(http_json(lb_url + "/health")["status"] == "ok", "the stack is still healthy after the hostile jobs")
finally:
    subprocess.run([STACK, "down", "--run-dir", run_dir], capture_output=True, timeout=60)
    if failures:
        for log in sorted(os.listdir(os.path.join(run_dir, "logs"))) if os.path.isdir(os.path.join(run_dir, "logs")) else []:
            with open(os.path.join(run_dir, "logs", log), errors="replace") as f:
                print(f"--- {log}\n" + "".join(f.readlines()[-10:]))
    shutil.rmtree(run_dir, ignore_errors=True)

print(f"{len(failures)} failure(s)")
sys.exit(1 if failures else 0)
