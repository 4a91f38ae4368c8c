#!/usr/bin/env python3
"""models/examples/clickstream.json: Firehose through the CLI. With AWS's default hints at 10 clicks/s
the interval flushes first and the mean delay is the size-or-time buffer's (time-only limit
T(1 + λT/2)/(1 + λT) plus the put); a one-minute interval cuts it fivefold for five times the
objects; a transform adds its own buffer's wait and sends the destination batches; a failing transform sends its batches to the error output and loses no record; a
burst fills the buffer before the interval. Bad stream parameters exit 2 naming their place.

usage: test_clickstream_example.py ARCHLAB MODEL"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_model  # noqa: E402

ARCHLAB, MODEL = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check


def run(*arguments):
    return run_model(ARCHLAB, MODEL, *arguments, timeout_s=300)


def time_only_delay_s(rate_per_s, interval_s):
    return interval_s * (1 + rate_per_s * interval_s / 2) / (1 + rate_per_s * interval_s)


def accounted(stream):
    return stream["records_delivered"] + stream["records_failed"] + stream["records_buffered_at_end"]


base = run()
stream = base["components"]["clicks"]
delay = stream["delivery_delay_s"]["mean"]
# An hour holds only 11 flushes of 300 s: the sample mean is the formula's within a few per cent
# (the unit tests hold it to 1% over 400,000 records).
check("as written: the mean delay is the buffer's (300 s at 10/s: 150.05 s) within 2%",
      abs(delay / time_only_delay_s(10, 300) - 1) < 0.02, f"{delay:.2f} s")
check("as written: one object per flush", base["components"]["lake"]["objects"] == stream["flushes"],
      f"{base['components']['lake']['objects']} objects, {stream['flushes']} flushes")
check("as written: every record delivered or still buffered", accounted(stream) == stream["records_in"], f"{accounted(stream)} of {stream['records_in']}")

short = run("--scenario", "one-minute-buffer")
short_stream = short["components"]["clicks"]
check("one-minute-buffer: mean delay 30.03 s within 2%",
      abs(short_stream["delivery_delay_s"]["mean"] / time_only_delay_s(10, 60) - 1) < 0.02,
      f"{short_stream['delivery_delay_s']['mean']:.2f} s")
check("one-minute-buffer: about five times the flushes", 4.5 <= short_stream["flushes"] / stream["flushes"] <= 5.5,
      f"{short_stream['flushes']} against {stream['flushes']}")

# With the transform: 30.05 s in its buffer (60 s, time-only), then batches about 60 s apart in the
# destination's 300 s buffer, five a flush, waiting 300 − (0 + 60 + 120 + 180 + 240)/5 = 180 s on average.
enriched = run("--scenario", "enriched")["components"]["clicks"]
expected_s = time_only_delay_s(10, 60) + 180
check("enriched: the two buffers add up (30.05 s + 180 s) within 2%",
      abs(enriched["delivery_delay_s"]["mean"] / expected_s - 1) < 0.02, f"{enriched['delivery_delay_s']['mean']:.2f} s")

failing = run("--scenario", "failing-transform")
failing_stream = failing["components"]["clicks"]
check("failing-transform: records in the error output, each failed batch invoked 4 times",
      failing_stream["records_failed"] > 0 and failing_stream["transform_failures"] % 4 == 0,
      f"{failing_stream['records_failed']} failed, {failing_stream['transform_failures']} failed invocations")
check("failing-transform: no record lost", accounted(failing_stream) == failing_stream["records_in"],
      f"{accounted(failing_stream)} of {failing_stream['records_in']}")

burst = run("--scenario", "burst")
burst_stream = burst["components"]["clicks"]
check("burst: the size fills the buffer first (median delay under the interval's)", burst_stream["delivery_delay_s"]["p50"] < 60,
      f"p50 {burst_stream['delivery_delay_s']['p50']:.1f} s")
check("same seed, same summary", run("--scenario", "burst") == burst, "two runs")

checks.bad_settings(ARCHLAB, MODEL, [("clicks.buffer_size_mib=0", "components.clicks.buffer_size_mib"),
                                          ("clicks.buffer_interval_s=901", "components.clicks.buffer_interval_s"),
                                          ("clicks.destination=enrich", "components.clicks.destination"),
                                          ("clicks.transform=lake", "components.clicks.transform"),
                                          ("clicks.transform_retries=301", "components.clicks.transform_retries")])

checks.finish()
