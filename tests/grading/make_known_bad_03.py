#!/usr/bin/env python3
"""Maintainer's tool, not a test: writes labs/03-ecs-containers/known_bad/*/submission.json from the
lab's solution (each a one-line change of it) and its starter. After changing the solution, run it,
then re-measure each expected.json (archlab grade 03 labs/03-ecs-containers/known_bad --format json -o DIR)
and check that each case still fails what it is there to fail."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from known_bad_lab import KnownBadLab  # noqa: E402

lab = KnownBadLab("03-ecs-containers")
body, sbody, variant = lab.solution, lab.starter, lab.variant


RETRY = '"retry": { "max_attempts": 3, "base_ms": 100, "cap_ms": 2000, "jitter": "full", "budget": "sdk_standard" },'
BREAKER = '''
          "circuit_breaker": { "failure_rate": 0.5, "window_calls": 100, "min_calls": 50, "open_s": 5, "half_open_calls": 10 },
          "fallback": { "target": "process_fallback" } },'''
MAIN_SAMPLING = '{ "target": "xray", "operation": "put_segment", "sample_rate": 0.05, "sample_reservoir_per_s": 1 }\n      ]'
cases = {
    'as-written': ('the starter as handed out: every failure mode at once', sbody),
    'no-breaker': ('the solution without the circuit breaker and the fallback: main waits out every timeout while process is slow',
                   variant((RETRY + BREAKER, RETRY[:-1] + ' },'))),
    'long-ttl': ('the solution with the CDK\'s default TTL of 60 s: answers keep the old tasks\' addresses long after they stop',
                 variant(('"ttl_s": 1,', '"ttl_s": 60,'))),
    'trace-everything': ('the solution tracing every request in both services: the daemon drops segments while the X-Ray API is slow',
                         variant(('"sample_rate": 0.05, "sample_reservoir_per_s": 1 }\n      ]', '"sample_rate": 1, "sample_reservoir_per_s": 0 }\n      ]'),
                                 ('"calls": [ { "target": "xray", "operation": "put_segment", "sample_rate": 0.05, "sample_reservoir_per_s": 1 } ]',
                                  '"calls": [ { "target": "xray", "operation": "put_segment", "sample_rate": 1, "sample_reservoir_per_s": 0 } ]'))),
    'one-message-group': ('the solution with the starter\'s one message group: one batch in flight, every message behind the slow one',
                          variant(('"message_group": "per_key"', '"message_group": "constant"'))),
    'long-timeout': ('the solution giving an attempt 5 s: the timeout bounds nothing a user waits for',
                     variant(('{ "target": "process_dns", "timeout_ms": 1000,', '{ "target": "process_dns", "timeout_ms": 5000,'))),
    'oversized-process': ('the solution with process on eight tasks as well: nothing fails, but six tasks too many cost more than the ceiling',
                          variant(('"scaling": { "min": 2, "max": 2, "desired": 2, "launch_time_s": 60 },\n      // eight threads',
                                   '"scaling": { "min": 8, "max": 8, "desired": 8, "launch_time_s": 60 },\n      // eight threads'))),
    'more-tasks': ('the starter with process on eight tasks instead of any policy: enough capacity to ride out the storm, at a price, and still the stale addresses, the lost traces and the one group',
                   sbody.replace('"scaling": { "min": 2, "max": 2, "desired": 2, "launch_time_s": 60 },\n      // eight threads',
                                 '"scaling": { "min": 8, "max": 8, "desired": 8, "launch_time_s": 60 },\n      // eight threads', 1)),
}
assert MAIN_SAMPLING in body
lab.write(cases, keep_comments=('as-written', 'more-tasks'))
