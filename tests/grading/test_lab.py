#!/usr/bin/env python3
"""archlab lab list / lab show: every labs/NN-name folder with its title and goal; the README of
one; --labs and ARCHLAB_LABS choose the folder; an unknown lab exits 2 with the labs it knows."""
import json, os, subprocess, sys, tempfile

ARCHLAB = sys.argv[1]
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
failures = []


def lab(*args, env=None):
    return subprocess.run([ARCHLAB, "lab", *args], capture_output=True, text=True, timeout=60, env=env)


def expect(condition, message, result=None):
    if not condition:
        failures.append(message)
        print("FAIL " + message + (f"\n  stdout: {result.stdout[:400]}\n  stderr: {result.stderr.strip()}" if result else ""))


result = lab("list")
expect(result.returncode == 0 and "00  Lab 00: Queueing" in result.stdout, "lab list shows lab 00 with its title", result)
expect("Predict a service's latency" in result.stdout, "lab list shows the goal", result)

result = lab("list", "--json")
listed = json.loads(result.stdout) if result.returncode == 0 else []
on_disk = sorted(d for d in os.listdir(os.path.join(REPO, "labs")) if os.path.isdir(os.path.join(REPO, "labs", d)) and d[:2].isdigit() and d[2:3] == "-")
expect([entry["folder"] for entry in listed] == on_disk, f"lab list --json lists every labs/NN-name folder: {on_disk}", result)
expect(all(entry["title"] and entry["goal"] for entry in listed), "every lab has a title and a goal", result)

with open(os.path.join(REPO, "labs", "00-queueing", "README.md")) as f:
    readme = f.read()
for name in ("00", "00-queueing", os.path.join(REPO, "labs", "00-queueing")):
    result = lab("show", name)
    expect(result.returncode == 0 and result.stdout.startswith(readme), f"lab show {name} prints the README", result)

result = lab("show", "99")
expect(result.returncode == 2 and "error: 99: no such lab" in result.stderr and "00-queueing" in result.stderr,
       "an unknown lab exits 2 naming the known ones", result)
result = lab("frobnicate")
expect(result.returncode == 2, "an unknown lab subcommand exits 2", result)

with tempfile.TemporaryDirectory() as tmp:
    os.makedirs(os.path.join(tmp, "05-pixels"))
    os.makedirs(os.path.join(tmp, "not-a-lab"))
    with open(os.path.join(tmp, "05-pixels", "README.md"), "w") as f:
        f.write("# Lab 05: pixel board\n\nCache the board.\n\n## Steps\n")
    result = lab("list", "--labs", tmp)
    expect(result.returncode == 0 and "05  Lab 05: pixel board\n    Cache the board." in result.stdout and "not-a-lab" not in result.stdout,
           "--labs DIR lists that folder's labs only", result)
    result = lab("list", env=dict(os.environ, ARCHLAB_LABS=tmp))
    expect(result.returncode == 0 and "Lab 05" in result.stdout, "ARCHLAB_LABS chooses the labs folder", result)
    result = lab("list", "--labs", os.path.join(tmp, "missing"))
    expect(result.returncode == 2 and "no labs folder here" in result.stderr, "a missing labs folder exits 2", result)



def without_comments(text):
    # JSON with // comments, as archlab reads it; a // inside a string stays.
    out, in_string, i = [], False, 0
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(text[i:i + 2] if c == "\\" else c)
            i += 2 if c == "\\" else 1
            in_string = c != '"'
            continue
        if text.startswith("//", i):
            i = text.find("\n", i) if text.find("\n", i) >= 0 else len(text)
            continue
        in_string = c == '"'
        out.append(c)
        i += 1
    return json.loads("".join(out))


# Every lab is complete, and what a student runs is what the grader runs: scenarios in the starter
# or the solution are the lab's own, and both models validate.
for folder in on_disk:
    path = os.path.join(REPO, "labs", folder)
    for part in ("README.md", "starter.json", "rubric.json", "solution/submission.json", "known_bad"):
        expect(os.path.exists(os.path.join(path, part)), f"{folder} has {part}")
    notebooks = [n for n in os.listdir(os.path.join(REPO, "notebooks")) if n.startswith(folder[:2] + "-") and n.endswith(".ipynb")]
    expect(len(notebooks) == 1, f"{folder} has one notebook in notebooks/ (found {notebooks})")
    scenarios_file = os.path.join(path, "scenarios.json")
    if not os.path.exists(scenarios_file):
        continue
    with open(scenarios_file) as f:
        lab_scenarios = without_comments(f.read())["scenarios"]
    for model in ("starter.json", "solution/submission.json"):
        with open(os.path.join(path, model)) as f:
            carried = without_comments(f.read()).get("scenarios")
        expect(carried is None or carried == lab_scenarios, f"{folder}/{model}: its scenarios, if any, are the lab's own")
        result = subprocess.run([ARCHLAB, "validate", os.path.join(path, model)], capture_output=True, text=True, timeout=60)
        expect(result.returncode == 0, f"{folder}/{model} validates", result)

print(f"lab.cli: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
