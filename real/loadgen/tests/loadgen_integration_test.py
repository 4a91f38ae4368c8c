#!/usr/bin/env python3
"""End-to-end test of archlab-loadgen against fake_api.py on 127.0.0.1.

usage: loadgen_integration_test.py PATH/TO/archlab-loadgen
Every process is bounded in time and stopped by its pid. Prints
"N passed, N failed" and exits non-zero on any failure.
"""
import json
import os
import select
import socket
import subprocess
import sys
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
LOADGEN = sys.argv[1]
results = {"passed": 0, "failed": 0}


def check(name, condition, detail=""):
    results["passed" if condition else "failed"] += 1
    print(f"{'ok  ' if condition else 'FAIL'} {name}" + ("" if condition else f": {detail}"), flush=True)


class FakeApi:
    def __init__(self, *extra):
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, "fake_api.py"), "--lifetime-s", "90",
                                         *extra], stdout=subprocess.PIPE, text=True)
        ready, _, _ = select.select([self.process.stdout], [], [], 10)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("port "):
            self.stop()
            raise RuntimeError(f"fake API did not start (got {line!r})")
        self.url = f"http://127.0.0.1:{int(line.split()[1])}"

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def loadgen(*args, timeout_s=60):
    done = subprocess.run([LOADGEN, *args], capture_output=True, text=True, timeout=timeout_s)
    summary = json.loads(done.stdout) if done.returncode == 0 else None
    return done, summary


def run_against(api, *extra):
    done, summary = loadgen("--url", api.url, "--poll-interval-s", "0.1", "--arrivals", "fixed", *extra)
    if summary is None:
        raise RuntimeError(f"loadgen failed rc={done.returncode}: {done.stderr}")
    return summary


def main():
    api = FakeApi("--complete-after-s", "0.3", "--queue-wait-s", "0.1")
    try:
        summary = run_against(api, "--rate-per-s", "20", "--duration-s", "2", "--verify")
        jobs = summary["jobs"]
        check("all 40 jobs submitted and completed", jobs["submitted"] == 40 and jobs["completed"] == 40, jobs)
        check("no errors, none unfinished", jobs["errors"] == 0 and jobs["unfinished"] == 0 and jobs["failed"] == 0, jobs)
        check("throughput is completed over duration", abs(jobs["throughput_per_s"] - 20) < 1e-9, jobs)
        check("latency from server times is the fake's 0.3 s", jobs["latency_source"] == "server"
              and abs(jobs["latency_s"]["p50"] - 0.3) < 0.002 and abs(jobs["latency_s"]["max"] - 0.3) < 0.002, jobs)
        check("queue wait 0.1 s and run time 0.2 s", abs(jobs["queue_wait_s"]["p99"] - 0.1) < 0.002
              and abs(jobs["run_s"]["mean"] - 0.2) < 0.002, jobs)
        seen = jobs["seen_latency_s"]
        check("client-seen latency is 0.3 s plus at most a poll interval", 0.29 < seen["p50"] < 0.6, seen)
        http = summary["http"]
        check("only 200 answers, no transport errors", list(http["status_counts"]) == ["200"]
              and http["transport_errors"] == 0, http)
        with urllib.request.urlopen(f"{api.url}/counts", timeout=10) as answer:
            counts = json.load(answer)
        check("the API saw exactly 40 submissions", counts.get("submits") == 40, counts)
        check("verify re-read every job, all unchanged", summary.get("verify") == {
            "checked": 40, "unchanged": 40, "changed": 0, "errors": 0}, summary.get("verify"))
        check("load section echoes the settings", summary["load"]["rate_per_s"] == 20
              and summary["load"]["arrivals"] == "fixed" and summary["load"]["poll_interval_s"] == 0.1, summary["load"])
        check("open loop: submissions left on time", summary["load"]["max_submit_lag_s"] < 0.2, summary["load"])

        jobs = run_against(api, "--rate-per-s", "10", "--duration-s", "1", "--code", "fail")["jobs"]
        check("failed jobs are counted as failed", jobs["failed"] == 10 and jobs["completed"] == 0, jobs)

        jobs = run_against(api, "--rate-per-s", "10", "--duration-s", "1", "--code", "hang", "--give-up-s", "0.8")["jobs"]
        check("never-finishing jobs are given up as unfinished", jobs["unfinished"] == 10, jobs)
        check("no latency figures without completed jobs", jobs["latency_s"]["p50"] is None, jobs)

        # One connection for 20 jobs/s with slow polls still works, just later.
        summary = run_against(api, "--rate-per-s", "20", "--duration-s", "1", "--max-connections", "1")
        check("one connection still completes every job", summary["jobs"]["completed"] == 20, summary["jobs"])
    finally:
        api.stop()

    rejecting = FakeApi("--reject-every", "4")
    try:
        summary = run_against(rejecting, "--rate-per-s", "20", "--duration-s", "1")
        jobs = summary["jobs"]
        check("rejected submissions are errors", jobs["errors"] == 5 and jobs["completed"] == 15, jobs)
        check("503s are counted", summary["http"]["status_counts"].get("503") == 5, summary["http"])
    finally:
        rejecting.stop()

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    done, summary = loadgen("--url", f"http://127.0.0.1:{closed_port}", "--rate-per-s", "5", "--duration-s", "1",
                            "--arrivals", "fixed")
    check("refused connections are errors and transport errors", summary is not None
          and summary["jobs"]["errors"] == 5 and summary["http"]["transport_errors"] == 5, summary)

    done, _ = loadgen("--url", "http://127.0.0.1:1", "--rate-per-s", "-3", "--duration-s", "1")
    check("bad flags exit 2 with a message", done.returncode == 2 and "--rate-per-s" in done.stderr, done.stderr)
    done, _ = loadgen("--url", "http://127.0.0.1:1", "--rate-per-s", "1", "--duration-s", "1", "--code-file",
                      os.path.join(HERE, "no-such-file.js"))
    check("missing code file exits 2", done.returncode == 2 and "code-file" in done.stderr, done.stderr)


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # a crash is a failure, reported as such
        check("test ran to the end", False, repr(error))
    print(f"{results['passed']} passed, {results['failed']} failed")
    sys.exit(1 if results["failed"] else 0)
