#!/usr/bin/env python3
"""archlab report and run --report, as a user runs them: the page of a one-hour code-runner run is one
self-contained file (nothing it would fetch: no http(s) address, no src= but data: URIs, no stylesheet
link) within the 3 MB budget, the same bytes from `report` as from `run --report` and from run to run;
bad input is exit 2 with a message naming the file, and leaves nothing half-written.

usage: test_report_cli.py ARCHLAB REPO
"""
import os, re, shutil, subprocess, sys, tempfile

archlab, repo = sys.argv[1], sys.argv[2]
model = os.path.join(repo, "models", "code-runner.json")
BUDGET_BYTES = 3 * 1024 * 1024
failures = 0


def check(what, ok, detail=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    failures += 0 if ok else 1


def run(*args):
    return subprocess.run([archlab, *args], capture_output=True, text=True, timeout=300)


def leftovers(folder):
    return [name for name in os.listdir(folder) if "partial" in name]


with tempfile.TemporaryDirectory() as tmp:
    out = os.path.join(tmp, "hour")
    # The model's run section is one hour (run.duration_s 3600); said again so that the budget is for an hour.
    result = run("run", model, "--set", "run.duration_s=3600", "--out", out, "--report", "--quiet")
    check("run --out --report exits 0", result.returncode == 0, result.stderr)
    page_path = os.path.join(out, "report.html")
    check("run --report writes DIR/report.html and model.json",
          os.path.isfile(page_path) and os.path.isfile(os.path.join(out, "model.json")), os.listdir(out))
    page = open(page_path, encoding="utf-8").read()
    size = os.path.getsize(page_path)
    print(f"     report.html of a one-hour code-runner run: {size} bytes (events.log {os.path.getsize(os.path.join(out, 'events.log'))})")
    check("within 3 MB", size <= BUDGET_BYTES, f"{size} bytes")
    check("no http:// or https:// anywhere", not re.search(r"https?://", page), re.findall(r".{30}https?://.{30}", page)[:3])
    sources = re.findall(r"""\bsrc\s*=\s*["']?([^"'\s>]*)""", page, re.I)
    check("src= only for data: URIs", all(s.startswith("data:") for s in sources), sources[:5])
    check("no <link>, @import or url() to another file",
          not re.search(r"<link\b|@import|url\((?!\s*['\"]?(data:|#))", page, re.I), re.findall(r".{20}(?:<link|@import|url\().{20}", page)[:3])
    check("one inline script holds the data, one the code; one inline SVG",
          page.count('<script type="application/json" id="report-data">') == 1 and page.count("<svg") == 1 and page.count("</html>") == 1)
    check("every component of the model has a live card cell",
          all(f'id="a_state:{c}' in page for c in ("browser", "api_gateway", "alb", "api", "jobs", "table", "workers")))

    again = os.path.join(tmp, "again.html")
    result = run("report", out, "-o", again)
    check("report RUN_DIR -o FILE exits 0", result.returncode == 0, result.stderr)
    check("report gives the same bytes as run --report", os.path.isfile(again) and open(again, encoding="utf-8").read() == page)
    second = os.path.join(tmp, "hour2")
    run("run", model, "--set", "run.duration_s=3600", "--out", second, "--report", "--quiet")
    check("same model and seed: the same page", open(os.path.join(second, "report.html"), encoding="utf-8").read() == page)
    os.remove(page_path)
    result = run("report", out)
    check("without -o the page goes to RUN_DIR/report.html", result.returncode == 0 and os.path.isfile(page_path), result.stderr)

    # Bad input: exit 2, the place named, nothing written.
    def bad(what, args, expected, folder):
        before = sorted(os.listdir(folder))
        result = run(*args)
        check(f"{what}: exit 2 naming {expected!r}", result.returncode == 2 and expected in result.stderr,
              f"exit {result.returncode}: {result.stderr.strip()}")
        check(f"{what}: nothing half-written", sorted(os.listdir(folder)) == before and not leftovers(folder), os.listdir(folder))

    bad("no such folder", ["report", os.path.join(tmp, "nowhere")], "nowhere: no such run folder", tmp)
    empty = os.path.join(tmp, "empty")
    os.mkdir(empty)
    bad("a folder without summary.json", ["report", empty, "-o", os.path.join(tmp, "x.html")], "summary.json: missing", tmp)
    broken = os.path.join(tmp, "broken")
    shutil.copytree(out, broken)
    os.remove(os.path.join(broken, "report.html"))
    with open(os.path.join(broken, "signals.csv"), "a") as f:
        f.write("3630,jobs,visible_messages,lots\n")
    bad("a broken signals.csv", ["report", broken], "signals.csv: line ", broken)
    shutil.copy(os.path.join(out, "signals.csv"), os.path.join(broken, "signals.csv"))
    os.remove(os.path.join(broken, "events.log"))
    bad("no events.log", ["report", broken], "events.log: missing", broken)
    shutil.copy(os.path.join(out, "events.log"), os.path.join(broken, "events.log"))
    os.remove(os.path.join(broken, "model.json"))
    bad("no model.json", ["report", broken], "model.json: missing", broken)
    result = run("report", broken, "--model", model)
    check("--model stands in for model.json", result.returncode == 0 and open(os.path.join(broken, "report.html"), encoding="utf-8").read() == page,
          result.stderr)
    os.remove(os.path.join(broken, "report.html"))
    other = os.path.join(repo, "models", "three-tier.json")
    bad("--model of another model", ["report", broken, "--model", other], "another model", broken)
    bad("-o in a folder that does not exist", ["report", out, "-o", os.path.join(tmp, "no", "such", "r.html")], "does not exist", tmp)
    bad("-o that is a folder", ["report", out, "-o", empty], "is a folder", tmp)
    bad("-o under a file", ["report", out, "-o", os.path.join(out, "summary.json", "r.html")], "does not exist", out)
    result = run("run", model, "--report", "--quiet")
    check("run --report without --out: exit 2 naming --report", result.returncode == 2 and "--report" in result.stderr, result.stderr)

sys.exit(1 if failures else 0)
