#!/usr/bin/env python3
"""Maintainer's tool, not a test: writes labs/05-pixel-board/known_bad/*/submission.json from the
lab's solution (each a one-line change of it) and its starter. After changing the solution, run it,
then re-measure each expected.json (archlab grade 05 labs/05-pixel-board/known_bad --format json -o DIR)
and check that each case still fails what it is there to fail."""
import os, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from known_bad_lab import KnownBadLab  # noqa: E402

lab = KnownBadLab("05-pixel-board")
body, sbody, variant = lab.solution, lab.starter, lab.variant

CATCH_UP = '        "catch_up": { "target": "sockets", "operation": "resync", "timeout_ms": 5000 },\n'
cases = {
    'as-written': ('the starter as handed out: every failure mode at once', sbody),
    'no-sequence-numbers': ('the solution without numbered updates: a lost message or an old board leaves a browser behind until it reloads',
                            variant(('        "resync": "sequence",\n', ''), (CATCH_UP, ''))),
    'catch-up-from-origin': ('the solution asking the API, behind the CDN, for what was missed instead of the socket servers: in sync, but every gap and every old board is an origin request',
                             variant((CATCH_UP, ''))),
    'no-history': ('the solution with socket servers that keep no updates: every resync fails, the browser takes the whole board as it comes, and that board is older than what it was sent',
                   variant(('"history_updates": 10000, "coalesce_ms": 100', '"history_updates": 0, "coalesce_ms": 100'))),
    'reconnect-at-once': ('the solution with the starter\'s reconnect handler: 5,000 browsers reconnect together and each asks the API for a fresh board',
                          variant(('"reconnect": { "base_ms": 30000, "cap_ms": 30000, "jitter": "full" }',
                                   '"reconnect": { "base_ms": 0 },\n        "reconnect_board": { "target": "alb", "timeout_ms": 10000 }'))),
    'no-coalescing': ('the solution sending every update on its own: at 200 pixels a second the servers cannot write two million messages a second, and close their connections',
                      variant(('"history_updates": 10000, "coalesce_ms": 100', '"history_updates": 10000'))),
    'more-servers': ('the solution with six socket servers instead of coalescing: no buffer fills, but twenty times the messages lose twenty times as many, and the servers cost more',
                     variant(('"history_updates": 10000, "coalesce_ms": 100', '"history_updates": 10000'),
                             ('"instances": 2, "instance_type": "t3.small"', '"instances": 6, "instance_type": "t3.small"'))),
    'no-replica': ('the solution without the Multi-AZ replica: a lost Redis node refuses every write until its replacement is filled again',
                   variant(('      "replicas": 1, "multi_az": true,\n', ''))),
}
lab.write(cases)
