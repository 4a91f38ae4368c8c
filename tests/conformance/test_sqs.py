#!/usr/bin/env python3
"""SQS (standard and FIFO) as docs/aws-facts.md §1 documents it, checked on small
models: a producer client → a service that sends to the queue, and a poller client → a service
that receives from it (and never deletes). Times come from the queue's lines in events.log.
Usage: python3 test_sqs.py path/to/archlab"""
import os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from conformance import ARCHLAB, behaviour, event_times, finish, run, write_model  # noqa: E402

LATENCY_MS = 2  # every SQS call in these models; queue-side times in the log do not include it


def at(first_s, count=1, interval_s=1.0):
    """Constant arrivals: `count` requests, the first at `first_s`, then every `interval_s`."""
    interval_s = min(interval_s, first_s)
    return {"process": "constant", "rate_per_s": 0,
            "schedule": [{"at_s": first_s - interval_s, "rate_per_s": 1 / interval_s},
                         {"at_s": first_s + (count - 0.5) * interval_s, "rate_per_s": 0}]}


def model(name, queue, sends=None, polls=None, receive=None, duration_s=60, more=None):
    components = {"q": {"type": "queue", "api_latency_ms": LATENCY_MS, "short_poll_miss_probability": 0, **queue}}
    if sends:
        components["producer"] = {"type": "client", "target": "sender", "arrivals": sends}
        components["sender"] = {"type": "service", "concurrency": 100, "service_time_ms": 0,
                                "calls": [{"target": "q", "operation": "send"}]}
    if polls:
        components["poller"] = {"type": "client", "target": "receiver", "arrivals": polls}
        call = {"target": "q", "operation": "receive", "max_messages": 1, "wait_time_s": 20, "visibility_timeout_s": 30}
        components["receiver"] = {"type": "service", "concurrency": 1000, "service_time_ms": 0, "calls": [{**call, **(receive or {})}]}
    components.update(more or {})
    return {"name": name, "components": components, "run": {"duration_s": duration_s, "seed": 1}}


def refused(name, components):
    """Runs a model that must be refused as bad input: returns (exit status, error text)."""
    path = write_model(name, {"name": name, "components": components, "run": {"duration_s": 10}})
    result = subprocess.run([ARCHLAB, "run", path, "--quiet"], capture_output=True, text=True, timeout=60)
    return result.returncode, result.stderr.strip()


def q_lines(events, *words):
    return event_times([line for line in events if "  q  " in line], *words)


# --- Visibility timeout -------------------------------------------------------------------------
summary, events = run(model("visibility", {}, sends=at(1), polls=at(2), receive={"wait_time_s": 0}, duration_s=40), name="visibility")
received = q_lines(events, "message 1 received")
again = q_lines(events, "message 1 visible again")
behaviour("Visibility timeout: a received, undeleted message is visible again exactly one visibility timeout (30 s) after the receive",
          received == [2.0] and again == [32.0], f"received at {received}, visible again at {again}")
q = summary["components"]["q"]
behaviour("Visibility timeout: the message stays in the queue (at-least-once), counted visible, not deleted",
          q["depth"]["at_end"] == 1 and q["in_flight_at_end"] == 0 and q["deleted"] == 0, f"depth {q['depth']}, in flight {q['in_flight_at_end']}")
behaviour("Pricing: every API call is a billed request, empty receives included",
          q["requests"] == 2 and q["sent"] == 1 and q["received"] == 1, f"requests {q['requests']}")

# --- Dead-letter queue --------------------------------------------------------------------------
dlq_queue = {"dead_letter_queue": "dlq", "max_receive_count": 2, "visibility_timeout_s": 5}
summary, events = run(model("redrive", dlq_queue, sends=at(1), polls=at(4, 6, 4.0), receive={"wait_time_s": 0, "visibility_timeout_s": 5},
                            duration_s=30, more={"dlq": {"type": "queue", "api_latency_ms": LATENCY_MS}}), name="redrive")
received = q_lines(events, "message 1 received")
moved = q_lines(events, "moved to dead-letter queue dlq after 2 receives")
again = q_lines(events, "visible again")
behaviour("DLQ: the receive after maxReceiveCount (2) receives moves the message to the dead-letter queue instead of returning it",
          received == [4.0, 12.0] and moved == [20.0], f"received at {received}, moved at {moved}")
behaviour("DLQ: the move happens during a later ReceiveMessage, not when the visibility timeout runs out",
          again and again[-1] == 17.0 and moved and moved[0] > again[-1], f"visible again at {again}, moved at {moved}")
dlq = summary["components"]["dlq"]
behaviour("DLQ: the moved message waits in the dead-letter queue",
          summary["components"]["q"]["dead_lettered"] == 1 and dlq["depth"]["at_end"] == 1 and dlq["dead_letters_in"] == 1,
          f"q dead_lettered {summary['components']['q']['dead_lettered']}, dlq depth {dlq['depth']}")
behaviour("DLQ: the dead-letter queue keeps the original enqueue time",
          any("arrived from q" in line and "sent at 1.000" in line for line in events), "dlq line: " +
          next((line.strip() for line in events if "arrived from q" in line), "none"))

# --- FIFO message groups ------------------------------------------------------------------------
fifo = {"fifo": True, "message_group": "constant"}
summary, events = run(model("fifo-group", fifo, sends=at(1, 2), polls=at(1, 40), duration_s=40), name="fifo-group")
first = q_lines(events, "message 1 received")
second = q_lines(events, "message 2 received")
behaviour("FIFO: a message group stays blocked while its batch is in flight (message 2 is not received while message 1 is)",
          first and first[0] <= 1.0 and not [t for t in second if t < 31.0], f"message 1 received at {first}, message 2 at {second}")
behaviour("FIFO: a redelivered message goes back to the head of its group (message 1 again at 31 s, before message 2)",
          31.0 in first and not second, f"message 1 received at {first}, message 2 at {second}")
summary, events = run(model("fifo-groups", {**fifo, "message_group": "per_job"}, sends=at(1, 2), polls=at(1, 40), duration_s=20),
                      name="fifo-groups")
behaviour("FIFO: other message groups are not blocked (each message its own group: message 2 received at once)",
          q_lines(events, "message 2 received") == [2.0], f"message 2 received at {q_lines(events, 'message 2 received')}")
summary, events = run(model("standard-order", {}, sends=at(1, 2), polls=at(1, 40), duration_s=20), name="standard-order")
behaviour("Standard: no group blocking, message 2 is received while message 1 is in flight",
          q_lines(events, "message 2 received") == [2.0], f"message 2 received at {q_lines(events, 'message 2 received')}")

# --- Long polling -------------------------------------------------------------------------------
summary, events = run(model("long-poll", {}, sends=at(5), polls=at(1), duration_s=30), name="long-poll")
answered = q_lines(events, "long poll answered after 4.000 s")
poller = summary["clients"]["poller"]
behaviour("Long polling: a receive waiting for messages returns as soon as one arrives, not at the end of its wait",
          answered == [5.0] and abs(poller["latency_ms"]["max"] - (4000 + LATENCY_MS)) < 10,
          f"answered at {answered}, poller latency {poller['latency_ms']['max']:.1f} ms")
summary, events = run(model("long-poll-empty", {}, polls=at(1), duration_s=30), name="long-poll-empty")
behaviour("Long polling: with no message the receive returns empty at the end of WaitTimeSeconds (20 s)",
          q_lines(events, "long poll ended empty") == [21.0] and summary["components"]["q"]["empty_receives"] == 1,
          f"ended at {q_lines(events, 'long poll ended empty')}")
summary, events = run(model("queue-wait", {"receive_wait_time_s": 10}, sends=at(5), polls=at(1), receive={"wait_time_s": 0}, duration_s=30),
                      name="queue-wait")
behaviour("Long polling: a receive that sets no wait uses the queue's ReceiveMessageWaitTimeSeconds",
          q_lines(events, "long poll answered after 4.000 s") == [5.0], f"answered at {q_lines(events, 'long poll answered')}")

# --- Short polling ------------------------------------------------------------------------------
receivers = {
    "short_poller": {"type": "client", "target": "short_receiver", "arrivals": at(20)},
    "short_receiver": {"type": "service", "service_time_ms": 0,
                       "calls": [{"target": "q", "operation": "receive", "max_messages": 10, "wait_time_s": 0, "visibility_timeout_s": 0}]},
}
summary, events = run(model("short-poll", {"short_poll_miss_probability": 0.5}, sends=at(1, 10), polls=at(21), duration_s=30,
                            receive={"max_messages": 10}, more=receivers), name="short-poll")
short = len(q_lines(events, "received,"))
long_ = len([t for t in q_lines(events, "received,") if t == 21.0])
behaviour("Short polling samples a subset of servers: with fewer than 1,000 messages it can return fewer than are available",
          0 < short - long_ < 10, f"short poll got {short - long_} of 10")
behaviour("Long polling queries every server: it returns every available message (up to MaxNumberOfMessages)",
          long_ == 10, f"long poll got {long_} of 10")

# --- In-flight limit ----------------------------------------------------------------------------
summary, events = run(model("in-flight", {"in_flight_limit": 2}, sends=at(1, 3), polls=at(10, 2), duration_s=20,
                            receive={"max_messages": 10, "wait_time_s": 0}), name="in-flight")
q = summary["components"]["q"]
behaviour("In-flight limit: receives hand out no more than the limit; a standard short poll beyond it fails (OverLimit)",
          q["received"] == 2 and q["in_flight_at_end"] == 2 and summary["clients"]["poller"]["failed"] == 1,
          f"received {q['received']}, poller failed {summary['clients']['poller']['failed']}")

# --- Delay queue, retention ---------------------------------------------------------------------
summary, events = run(model("delay", {"delay_s": 10}, sends=at(1), polls=at(2), duration_s=30), name="delay")
behaviour("Delay queue: a message is invisible for DelaySeconds after its send",
          q_lines(events, "message 1 received") == [11.0], f"sent at {q_lines(events, 'message 1 sent')}, received at {q_lines(events, 'message 1 received')}")
summary, events = run(model("retention", {"message_retention_s": 60}, sends=at(1), duration_s=90), name="retention")
behaviour("Retention: a message older than MessageRetentionPeriod is deleted",
          q_lines(events, "message 1 expired") == [61.0] and summary["components"]["q"]["expired"] == 1,
          f"expired at {q_lines(events, 'message 1 expired')}")

# --- FIFO deduplication -------------------------------------------------------------------------
# Jobs carry the deduplication ID: `api` sends each job twice at once, then asks `later` to send it again 301 s on.
dedup = {
    "producer": {"type": "client", "target": "api", "arrivals": at(1),
                 "jobs": {"first_poll_after_s": 1000}},  # no status request within the run
    "api": {"type": "service", "service_time_ms": 0,
            "calls": [{"target": "q", "operation": "send"}, {"target": "q", "operation": "send"}, {"target": "later"}]},
    "later": {"type": "service", "service_time_ms": 301000, "calls": [{"target": "q", "operation": "send"}]},
}
summary, events = run(model("dedup", {"fifo": True, "deduplication": "per_job"}, duration_s=400, more=dedup), name="dedup")
q = summary["components"]["q"]
sends = q_lines(events, "sent (job 1)")
behaviour("FIFO deduplication: a send with an ID seen in the last 5 minutes is accepted but not delivered; after the window it is",
          q["duplicates_dropped"] == 1 and q["sent"] == 2 and len(sends) == 2 and sends[1] - sends[0] > 300,
          f"sent {q['sent']} at {sends}, duplicates dropped {q['duplicates_dropped']}")

# --- Redrive policy rules ----------------------------------------------------------------------
status, error = refused("fifo-dlq", {"q": {"type": "queue", "fifo": True, "dead_letter_queue": "dlq", "max_receive_count": 3},
                                     "dlq": {"type": "queue"}})
behaviour("DLQ: the dead-letter queue of a FIFO queue must itself be FIFO",
          status == 2 and "components.q.dead_letter_queue" in error, error)
status, error = refused("dlq-count", {"q": {"type": "queue", "dead_letter_queue": "dlq"}, "dlq": {"type": "queue"}})
behaviour("DLQ: a redrive policy needs maxReceiveCount (1 to 1000)", status == 2 and "components.q.max_receive_count" in error, error)

finish()
