#!/usr/bin/env python3
"""What a real run's slow jobs are made of, from the stack's per-job traces.

usage: trace_report.py TRACE_DIR [--result LOADGEN.json]... [--json] [--gap-s 1.5] [--permutations 200] [--seed 1]

TRACE_DIR is what `stack.sh up --trace-dir DIR` made: api*.jsonl (one line per submission) and
worker*.jsonl (one line per message), each {"id", "calls": [[operation, start_unix_us,
duration_us], ...]}. A job's two halves are joined by id and cut into consecutive stretches that
add up exactly to its latency (the API's start to the worker's result write answered):

  api      request start -> SendMessage start (parsing, PutItem)
  wait     SendMessage start -> the worker's ReceiveMessage start, when later (the workers were busy)
  delivery the later of the two -> ReceiveMessage answered (the model's SQS latency)
  get, run, update    the worker's GetItem, sandbox run and UpdateItem; own: the gaps between them

Runs one after another on one stack (bench/real_stack.sh's rates) are told apart by the
archlab-loadgen results given (--result: the jobs submitted in each one's window), else by a pause
of more than --gap-s between submissions. For each run: the latency's mean, p50, p99; the stretches
of the 1 % slowest jobs beside everyone's; how strongly stretches of one job go together
(Spearman); and the p99 the same stretches would give if each were drawn on its own: every
stretch shuffled across the run's jobs (--permutations times). A p99 above the shuffled one is
slowness that several stretches of one job share.
"""
import argparse
import glob
import json
import os
import random
import sys

STRETCHES = ["api", "wait", "delivery", "get", "run", "update", "own"]


def read_lines(pattern):
    out = {}
    for path in sorted(glob.glob(pattern)):
        with open(path) as f:
            for number, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    doc = json.loads(line)
                except json.JSONDecodeError as error:
                    sys.exit(f"trace_report.py: {path}:{number}: not JSON ({error})")
                out.setdefault(doc["id"], []).append(doc)
    return out


def first(calls, name):
    for operation, start_us, duration_us in calls:
        if operation == name:
            return start_us, duration_us
    return None


def job_stretches(api_doc, worker_doc):
    """Stretches in ms of one job, or None when a call is missing (a redelivery, a failed job)."""
    a, w = api_doc["calls"], worker_doc["calls"]
    request, send = first(a, "api.request"), first(a, "sqs.SendMessage")
    receive, get, run, update = (first(w, name) for name in
                                 ("sqs.ReceiveMessage", "dynamodb.GetItem", "worker.run", "dynamodb.UpdateItem"))
    if None in (request, send, receive, get, run, update):
        return None
    t0, sent = request[0], send[0]
    received = receive[0] + receive[1]
    waited = max(0, receive[0] - sent)
    worker_own = (get[0] - received) + (run[0] - get[0] - get[1]) + (update[0] - run[0] - run[1])
    ms = {"api": (sent - t0) / 1000, "wait": waited / 1000,
          "delivery": (received - max(sent, receive[0])) / 1000,
          "get": get[1] / 1000, "run": run[1] / 1000, "update": update[1] / 1000, "own": worker_own / 1000}
    ms["latency"] = sum(ms[name] for name in STRETCHES)
    ms["t0_s"] = t0 / 1e6
    return ms


def percentile(values, fraction):
    """Nearest rank, as archlab-loadgen's figures."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = max(1, -(-int(fraction * len(ordered) * 1000000) // 1000000))
    return ordered[min(rank, len(ordered)) - 1]


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2
        i = j + 1
    return out


def spearman(x, y):
    rx, ry = ranks(x), ranks(y)
    n = len(x)
    mx, my = sum(rx) / n, sum(ry) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return sxy / (sxx * syy) ** 0.5 if sxx > 0 and syy > 0 else None


def split_runs(jobs, gap_s):
    jobs = sorted(jobs, key=lambda job: job["t0_s"])
    runs, current = [], []
    for job in jobs:
        if current and job["t0_s"] - current[-1]["t0_s"] > gap_s:
            runs.append(current)
            current = []
        current.append(job)
    if current:
        runs.append(current)
    return runs


def shuffled_p99_ms(jobs, groups, permutations, rng):
    """Mean p99 of the jobs' latency without waiting when each group of stretches is shuffled across
    jobs on its own: the stretches of a group stay together (one job's), groups are drawn apart."""
    n = len(jobs)
    columns = [[sum(job[name] for name in group) for job in jobs] for group in groups]
    p99s = []
    for _ in range(permutations):
        for column in columns:
            rng.shuffle(column)
        p99s.append(percentile([sum(column[i] for column in columns) for i in range(n)], 0.99))
    return sum(p99s) / len(p99s) if p99s else None


def report_run(jobs, permutations, rng):
    n = len(jobs)
    latency = [job["latency"] for job in jobs]
    p99 = percentile(latency, 0.99)
    slow = sorted(jobs, key=lambda job: job["latency"])[-max(1, n // 100):]
    mean = {name: sum(job[name] for job in jobs) / n for name in STRETCHES}
    slow_mean = {name: sum(job[name] for job in slow) / len(slow) for name in STRETCHES}
    # Each stretch drawn on its own: shuffle every column separately, add up again.
    shuffled_p99 = shuffled_p99_ms(jobs, [[name] for name in STRETCHES if name != "wait"], permutations, rng)
    worker_block_p99 = shuffled_p99_ms(jobs, [["api"], ["delivery"], ["get", "run", "update", "own"]], permutations, rng)
    no_wait = [job["latency"] - job["wait"] for job in jobs]
    correlations = {}
    for i, a in enumerate(STRETCHES):
        for b in STRETCHES[i + 1:]:
            if a != "wait" and b != "wait":
                correlations[f"{a}~{b}"] = spearman([job[a] for job in jobs], [job[b] for job in jobs])
    # Bursts: is a slow job's neighbour in time slow too? (the next job's latency, by rank)
    order = sorted(jobs, key=lambda job: job["t0_s"])
    neighbour = spearman([job["latency"] for job in order[:-1]], [job["latency"] for job in order[1:]]) if n > 2 else None
    return {
        "jobs": n, "start_unix_s": jobs[0]["t0_s"], "span_s": jobs[-1]["t0_s"] - jobs[0]["t0_s"],
        "latency_ms": {"mean": sum(latency) / n, "p50": percentile(latency, 0.5), "p99": p99, "max": max(latency)},
        "latency_without_wait_ms": {"p99": percentile(no_wait, 0.99)},
        "p99_if_stretches_independent_ms": shuffled_p99,
        "p99_if_worker_block_independent_ms": worker_block_p99,
        "stretch_mean_ms": mean, "slowest_1pct_stretch_mean_ms": slow_mean,
        "slowest_jobs": [{name: round(job[name], 3) for name in STRETCHES + ["latency"]} for job in slow[-5:]],
        "spearman": correlations, "neighbour_spearman": neighbour,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trace_dir")
    parser.add_argument("--result", action="append", default=[],
                        help="an archlab-loadgen result: report the jobs it submitted (repeat for several runs)")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--gap-s", type=float, default=1.5)
    parser.add_argument("--permutations", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not os.path.isdir(args.trace_dir):
        sys.exit(f"trace_report.py: {args.trace_dir} is not a directory")
    api = read_lines(os.path.join(args.trace_dir, "api*.jsonl"))
    worker = read_lines(os.path.join(args.trace_dir, "worker*.jsonl"))
    jobs, unjoined = [], 0
    for job_id, docs in api.items():
        # The first delivery's line: a redelivered job's later lines are another story.
        deliveries = sorted(worker.get(job_id, []), key=lambda doc: doc.get("receive_count", 1))
        stretches = job_stretches(docs[0], deliveries[0]) if deliveries else None
        if stretches is None:
            unjoined += 1
        else:
            jobs.append(stretches)
    rng = random.Random(args.seed)
    if args.result:
        runs = []
        for path in args.result:
            with open(path) as f:
                load = json.load(f)["load"]
            if "started_at_unix_s" not in load:
                sys.exit(f"trace_report.py: {path}: no load.started_at_unix_s (an archlab-loadgen older than the traces)")
            start = load["started_at_unix_s"]
            # submissions leave at most max_submit_lag_s late; the API starts them a moment after
            end = start + load["duration_s"] + load.get("max_submit_lag_s", 0) + 1
            window = [job for job in jobs if start <= job["t0_s"] < end]
            if window:
                runs.append(dict(report_run(window, args.permutations, rng), result=path))
    else:
        runs = [report_run(run, args.permutations, rng) for run in split_runs(jobs, args.gap_s)]
    result = {"runs": runs, "unjoined_submissions": unjoined}
    if args.json:
        print(json.dumps(result, indent=1))
        return
    for run in runs:
        l = run["latency_ms"]
        print((f"{run['result']}: " if "result" in run else "") + f"run of {run['jobs']} jobs over {run['span_s']:.0f} s: latency mean {l['mean']:.2f} p50 {l['p50']:.2f} "
              f"p99 {l['p99']:.2f} max {l['max']:.1f} ms; p99 without waiting for a worker "
              f"{run['latency_without_wait_ms']['p99']:.2f}; if stretches were independent {run['p99_if_stretches_independent_ms']:.2f}, "
              f"if only the worker's were kept together {run['p99_if_worker_block_independent_ms']:.2f}")
        print("  stretch      " + " ".join(f"{name:>8}" for name in STRETCHES))
        print("  mean (ms)    " + " ".join(f"{run['stretch_mean_ms'][name]:8.2f}" for name in STRETCHES))
        print("  slowest 1 %  " + " ".join(f"{run['slowest_1pct_stretch_mean_ms'][name]:8.2f}" for name in STRETCHES))
        strong = {k: v for k, v in run["spearman"].items() if v is not None and abs(v) >= 0.2}
        print("  spearman ≥ 0.2: " + (", ".join(f"{k} {v:+.2f}" for k, v in strong.items()) or "none") +
              (f"; neighbour in time {run['neighbour_spearman']:+.2f}" if run["neighbour_spearman"] is not None else ""))
    if unjoined:
        print(f"{unjoined} submissions without a complete worker line (not finished, or redelivered)")


if __name__ == "__main__":
    main()
