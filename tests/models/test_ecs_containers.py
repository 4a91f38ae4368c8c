#!/usr/bin/env python3
"""models/ecs-containers.json: the third seed's failure modes so far (stale discovery, a cascade from a
slow dependency, a retry storm that outlives its trigger, telemetry lost in a burst), each beside its
remedy, with the effects issue 17 asks for.

usage: test_ecs_containers.py ARCHLAB MODEL"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model_checks import Checks, run_scenarios, signal_totals  # noqa: E402

ARCHLAB, MODEL = sys.argv[1], sys.argv[2]
checks = Checks()
check = checks.check


def lost(summary):
    users = summary["clients"]["users"]
    return users["failed"] + users["rejected"]


def users_lost_share(scenario, from_s, to_s):
    """The share of the users' requests lost (failed or refused) in the intervals ending within (from_s, to_s]."""
    totals = signal_totals(ARCHLAB, MODEL, scenario, "users", ["arrivals", "failed", "rejected"], from_s, to_s)
    return (totals["failed"] + totals["rejected"]) / max(totals["arrivals"], 1)


names = ["as-written", "fixed", "stale-discovery", "stale-discovery-fixed", "telemetry-loss", "telemetry-loss-fixed",
         "ordered-consumer", "ordered-consumer-fixed", "account-limits", "account-limits-fixed"]
runs = run_scenarios(ARCHLAB, MODEL, names)
base, fixed = runs["as-written"], runs["fixed"]
for name, summary in (("as written", base), ("fixed", fixed)):
    check(f"{name}: no user request lost", lost(summary) == 0, lost(summary))
    check(f"{name}: no trace segment dropped", summary["components"]["xray"]["segments"]["dropped"] == 0,
          summary["components"]["xray"]["segments"]["dropped"])
check("fixed: sampling sends at most a tenth of the segments",
      fixed["components"]["xray"]["segments"]["sent"] * 10 <= base["components"]["xray"]["segments"]["sent"],
      f"{fixed['components']['xray']['segments']['sent']} against {base['components']['xray']['segments']['sent']}")

stale, stale_fixed = runs["stale-discovery"], runs["stale-discovery-fixed"]
stale_calls, stale_calls_fixed = stale["components"]["process_dns"]["failed_stale"], stale_fixed["components"]["process_dns"]["failed_stale"]
check("stale-discovery: calls to an old address fail, and the users lose requests", stale_calls > 0 and lost(stale) > 0,
      f"{stale_calls} stale calls, {lost(stale)} users' requests lost")
check("stale-discovery-fixed: at least 5 × fewer failed calls", stale_calls_fixed * 5 <= stale_calls, f"{stale_calls_fixed} against {stale_calls}")
check("stale-discovery-fixed: no user request lost", lost(stale_fixed) == 0, lost(stale_fixed))

loss, loss_fixed = runs["telemetry-loss"], runs["telemetry-loss-fixed"]
dropped, dropped_fixed = loss["components"]["xray"]["segments"]["dropped"], loss_fixed["components"]["xray"]["segments"]["dropped"]
check("telemetry-loss: segments dropped", dropped > 0, dropped)
check("telemetry-loss: the users' requests unaffected (the same with and without the remedy)",
      loss["clients"]["users"] == loss_fixed["clients"]["users"], f"{lost(loss)} lost against {lost(loss_fixed)}")
check("telemetry-loss-fixed: at least 10 × fewer drops", dropped_fixed * 10 <= dropped, f"{dropped_fixed} against {dropped}")

ordered, ordered_fixed = runs["ordered-consumer"]["components"]["work_queue"], runs["ordered-consumer-fixed"]["components"]["work_queue"]
check("ordered-consumer: one group: the queue wait's p99 at least 10 × a group per user's (at least 1 ms)",
      ordered["wait_s"]["p99"] >= 10 * max(ordered_fixed["wait_s"]["p99"], 0.001), f"{ordered['wait_s']['p99']:.2f} s against {ordered_fixed['wait_s']['p99']:.3f} s")
check("ordered-consumer-fixed: no message waits a second", ordered_fixed["wait_s"]["max"] < 1, f"{ordered_fixed['wait_s']['max']:.3f} s")

limited, limited_fixed = runs["account-limits"], runs["account-limits-fixed"]
refused, refused_fixed = (run["components"]["process"]["scaling"]["refused_at_max"] for run in (limited, limited_fixed))
p99, p99_fixed = (run["clients"]["users"]["latency_ms"]["p99"] for run in (limited, limited_fixed))
check("account-limits: launches refused at the quota, and a higher p99", refused > 0 and p99 > p99_fixed,
      f"{refused} refused, p99 {p99:.0f} ms against {p99_fixed:.0f} ms")
check("account-limits: at least twice the users' requests lost", lost(limited) >= 2 * lost(limited_fixed), f"{lost(limited)} against {lost(limited_fixed)}")
check("account-limits-fixed: none refused", refused_fixed == 0, refused_fixed)

# process is slowed from 600 s to 900 s
during, during_fixed = users_lost_share("cascading-failure", 600, 900), users_lost_share("cascading-failure-fixed", 600, 900)
check("cascading-failure: more than half the users' requests lost during the slowdown", during > 0.5, f"{during:.1%}")
check("cascading-failure-fixed: at least 90 % of them served", during_fixed <= 0.1, f"{1 - during_fixed:.1%} served")

breaker = signal_totals(ARCHLAB, MODEL, "cascading-failure-fixed", "main", ["short_circuited"], 0, 1800)["short_circuited"]
fixed_calls = run_scenarios(ARCHLAB, MODEL, ["cascading-failure-fixed"])["cascading-failure-fixed"]["components"]["main"]["calls"]["process_dns"]
check("cascading-failure-fixed: main's short_circuited signal counts the calls its breaker refused (no warm-up: all of them)",
      breaker > 0 and breaker == fixed_calls["short_circuited"], f"{breaker:.0f} against {fixed_calls['short_circuited']}")

# the trigger: process ten times slower from 600 s to 620 s; goodput is measured from then to the end
untriggered = 1 - users_lost_share("busy-hour-retries", 620, 1800)
storm, storm_fixed = 1 - users_lost_share("retry-storm", 620, 1800), 1 - users_lost_share("retry-storm-fixed", 620, 1800)
check("busy-hour-retries (no trigger): goodput at least 99 %", untriggered >= 0.99, f"{untriggered:.2%}")
check("retry-storm: goodput after the trigger below 30 %: the overload outlives it", storm < 0.3, f"{storm:.2%}")
check("retry-storm-fixed: goodput after the trigger at least 90 %", storm_fixed >= 0.9, f"{storm_fixed:.2%}")

checks.bad_settings(ARCHLAB, MODEL, [("process_dns.ttl_s=-1", "components.process_dns.ttl_s"),
                                     ("process_dns.targets=[\"work_queue\"]", "components.process_dns.targets"),
                                     ("xray.batch_segments=0", "components.xray.batch_segments"),
                                     ("main.calls.2.sample_rate=2", "components.main.calls[2].sample_rate")])
again = run_scenarios(ARCHLAB, MODEL, ["stale-discovery"])["stale-discovery"]
check("same seed, same summary", again == stale, "two runs")
checks.finish()
