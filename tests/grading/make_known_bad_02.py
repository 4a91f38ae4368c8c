#!/usr/bin/env python3
"""Maintainer's tool, not a test: writes labs/02-mythical-mysfits/known_bad/*/submission.json from the
lab's solution (each a one-line change of it) and its starter. After changing the solution, run it,
then re-measure each expected.json (archlab grade 02 labs/02-mythical-mysfits/known_bad --format json -o DIR)
and check that each case still fails what it is there to fail."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from known_bad_lab import KnownBadLab  # noqa: E402

lab = KnownBadLab("02-mythical-mysfits")
sbody, variant = lab.starter, lab.variant

ENDPOINTS = '"nat_a": { "type": "vpc_endpoint", "label": "ECR endpoints", "kind": "interface", "service": "ecr", "endpoints": 2, "zones": ["us-east-1a", "us-east-1b"] },'
ONE_NAT = '"nat_a": { "type": "nat_gateway", "label": "NAT gateway (a)", "zone": "us-east-1a", "subnet": "public" },'
TASKS = '"scaling": { "min": 12, "max": 12, "desired": 12, "launch_time_s": 60 },'
cases = {
  'as-written': ('the starter as handed out: every failure mode at once', sbody),
  'one-nat-gateway': ('the solution with the starter\'s single NAT gateway in us-east-1a for both zones: no replacement can pull its image while that zone is down',
      variant((ENDPOINTS, ONE_NAT))),
  'two-nat-gateways': ('a NAT gateway in each zone, each zone routed through its own: every launch pulls its image, but two gateways bill more than the ECR endpoints',
      variant((ENDPOINTS, ONE_NAT + '\n    "nat_b": { "type": "nat_gateway", "label": "NAT gateway (b)", "zone": "us-east-1b", "subnet": "public" },'),
              ('{ "zone": "us-east-1b", "through": "nat_a" }', '{ "zone": "us-east-1b", "through": "nat_b" }'))),
  'six-tasks': ('six tasks of a quarter vCPU: enough for an afternoon and for a zone outage, not for the minute at 600 requests a second',
      variant((TASKS, TASKS.replace('12', '6')))),
  'autoscaled': ('two tasks and target tracking on CPU up to twelve: the rush is over before the new tasks serve',
      variant((TASKS, '"scaling": { "min": 2, "max": 12, "desired": 2, "launch_time_s": 60,\n                 "policies": [ { "type": "target_tracking", "signal": "cpu_utilization", "target": 50 } ] },'))),
  'workshop-health-checks': ('the solution with the workshop\'s health checks, 10 s apart and 3 to be unhealthy: the hung task keeps its share for half a minute',
      variant(('"health_check": { "protocol": "http", "interval_s": 5, "timeout_s": 4, "healthy_threshold": 3, "unhealthy_threshold": 2 }',
               '"health_check": { "protocol": "http", "interval_s": 10, "timeout_s": 6, "healthy_threshold": 3, "unhealthy_threshold": 3 }'))),
  'tcp-health-checks': ('the solution with TCP health checks, the NLB\'s default: the hung task\'s kernel still accepts the connection, so the check passes and the task keeps its share',
      variant(('"health_check": { "protocol": "http", "interval_s": 5,', '"health_check": { "protocol": "tcp", "interval_s": 5,'))),
  'stage-throttle': ('the solution behind the starter\'s stage throttle of 150 requests a second, burst 100: 429s in the rush',
      variant(('"rate_per_s": 1000, "burst": 1000,', '"rate_per_s": 150, "burst": 100,'))),
  'filter-by-scan': ('the solution with the filter still a Scan: every filter reads the whole catalogue, and the read units cost more than the ceiling allows',
      variant(('"filter": { "calls": [ { "target": "mysfits_table", "operation": "query" } ] },',
               '"filter": { "calls": [ { "target": "mysfits_table", "operation": "scan" } ] },'))),
  'default-buffering': ('the solution with Firehose\'s default buffering, 60 s for the transform and 300 s for S3: clicks land minutes late',
      variant(('"buffer_interval_s": 60, "transform_interval_s": 10,', '"buffer_interval_s": 300,'))),
  'default-transform-retries': ('the solution with Firehose\'s default 3 retries of a failed transform: batches that fail 4 times go to processing-failed/',
      variant(('"transform_retries": 50', '"transform_retries": 3'))),
}
lab.write(cases)
