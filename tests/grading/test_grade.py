#!/usr/bin/env python3
"""archlab grade, end to end on lab 00: known-bad submissions get their expected grades, the
solution full marks, the report formats their required structure, the same submission the same
bytes, a class a gradebook; limits stop runaway models; bad input exits 2 and writes nothing.

Hostile submissions (batch mode) each get their own result line and the class goes on: a document
nested 100,000 deep, 1e999, a symlinked or self-linked student folder, a hard link to /etc/passwd, a
folder called submission.json, formula names, NUL bytes. A stopped grader leaves no temporary
copies and no simulations behind (limits mode). A terminal sees one line per student (batch mode).

usage: test_grade.py ARCHLAB MODE [LAB]   (MODE: known_bad, solution, formats, determinism, batch, limits,
bad_input, hostile, signals, progress; LAB: the lab's number, 00 by default; known_bad and solution work for any lab)
"""
import csv, json, os, pty, re, select, shutil, signal, subprocess, sys, tempfile, time
import xml.etree.ElementTree as ET

ARCHLAB, MODE = sys.argv[1], sys.argv[2]
LAB_ID = sys.argv[3] if len(sys.argv) > 3 else "00"
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
LAB = os.path.join(REPO, "labs", next(d for d in sorted(os.listdir(os.path.join(REPO, "labs"))) if d.startswith(LAB_ID + "-")))
SOLUTION = os.path.join(LAB, "solution")
KNOWN_BAD = os.path.join(LAB, "known_bad")
HIDDEN = os.path.join(HERE, f"hidden-{LAB_ID}.json")
CRASH_SIGNS = ("terminate called", "what():", "Aborted", "Segmentation", "core dumped")

failures = []


def fail(message):
    failures.append(message)
    print("FAIL " + message)


def grade(*args, timeout=300, env=None):
    return subprocess.run([ARCHLAB, "grade", *args], capture_output=True, text=True, timeout=timeout, env=env)


def graded_ok(result, what):
    if result.returncode != 0:
        fail(f"{what}: exit status {result.returncode}, wanted 0\n  stderr: {result.stderr.strip()}")
        return False
    return True


def check_expected(name, report, expected):
    failed = [c["id"] for c in report["checks"] if not c["passed"]]
    if report["score"] != expected["score"] or report["max_score"] != expected["max_score"]:
        fail(f"{name}: score {report['score']}/{report['max_score']}, wanted {expected['score']}/{expected['max_score']}")
    if failed != expected["failed"]:
        fail(f"{name}: failed checks {failed}, wanted {expected['failed']}")
    for check_id, words in expected.get("messages", {}).items():
        check = next((c for c in report["checks"] if c["id"] == check_id), None)
        text = json.dumps(check) if check else ""
        if words not in text:
            fail(f"{name}: check {check_id} does not say {words!r}: {text}")
    if "note" in expected and expected["note"] not in report.get("note", ""):
        fail(f"{name}: note {report.get('note')!r} lacks {expected['note']!r}")


def known_bad(tmp):
    # One class run over every known-bad submission; the grader's private copies must all be gone.
    env = dict(os.environ, TMPDIR=os.path.join(tmp, "scratch"))
    os.makedirs(env["TMPDIR"])
    out = os.path.join(tmp, "out")
    started = time.monotonic()
    result = grade(LAB_ID, KNOWN_BAD, "-j", "2", "--format", "json", "-o", out, env=env)
    if not graded_ok(result, "known_bad"):
        return
    names = sorted(d for d in os.listdir(KNOWN_BAD) if os.path.isdir(os.path.join(KNOWN_BAD, d)))
    if len(names) < 4:
        fail(f"only {len(names)} known-bad submissions")
    for name in names:
        with open(os.path.join(KNOWN_BAD, name, "expected.json")) as f:
            expected = json.load(f)
        with open(os.path.join(out, "feedback", name + ".json")) as f:
            check_expected(name, json.load(f), expected)
    if os.listdir(env["TMPDIR"]):
        fail(f"workspaces left behind: {os.listdir(env['TMPDIR'])}")
    print(f"known_bad: {len(names)} submissions graded in {time.monotonic() - started:.1f} s")


def solution(tmp):
    # Full marks, with and without the instructor's hidden checks (which must add points).
    result = grade(LAB_ID, SOLUTION, "--format", "json")
    if not graded_ok(result, "solution"):
        return
    report = json.loads(result.stdout)
    max_score = report["max_score"]
    if report["score"] != max_score or max_score <= 0:
        fail(f"solution: {report['score']}/{max_score}, wanted full marks: " + str([c for c in report["checks"] if not c["passed"]]))
    result = grade(LAB_ID, os.path.join(SOLUTION, "submission.json"), "--hidden", HIDDEN, "--format", "json", "--instructor")
    if graded_ok(result, "solution with hidden checks"):
        report = json.loads(result.stdout)
        if report["score"] != report["max_score"] or report["max_score"] <= max_score:
            fail(f"solution with hidden checks: {report['score']}/{report['max_score']}, wanted full marks above {max_score}: "
                 + str([c for c in report["checks"] if not c["passed"]]))
    result = grade(LAB_ID, SOLUTION)
    whole = f"score: {max_score:g}/{max_score:g}"
    if graded_ok(result, "solution as text") and whole not in result.stdout:
        fail(f"solution as text: no '{whole}' line\n" + result.stdout)


def formats(tmp):
    too_few = os.path.join(KNOWN_BAD, "too-few-workers")
    result = grade("00", too_few, "--hidden", HIDDEN, "--format", "gradescope")
    if graded_ok(result, "gradescope"):
        results = json.loads(result.stdout)
        if not isinstance(results.get("score"), (int, float)) or not isinstance(results.get("tests"), list):
            fail("gradescope: needs a numeric score and a tests list")
        for test in results.get("tests", []):
            for key, kind in (("name", str), ("score", (int, float)), ("max_score", (int, float)), ("output", str), ("visibility", str)):
                if not isinstance(test.get(key), kind):
                    fail(f"gradescope: test {test.get('name')} lacks {key}")
            if test.get("visibility") not in ("hidden", "after_due_date", "after_published", "visible"):
                fail(f"gradescope: bad visibility {test.get('visibility')}")
        if abs(sum(t["score"] for t in results["tests"]) - results["score"]) > 1e-9:
            fail("gradescope: the tests' scores do not add up to the score")
        hidden = [t for t in results["tests"] if t["name"].startswith("hidden check")]
        if len(hidden) != 3 or any(t["output"] not in ("passed", "failed") for t in hidden):
            fail(f"gradescope: hidden checks must show only passed/failed: {hidden}")
        if "856" in result.stdout or "10 %" in result.stdout:
            fail("gradescope: a hidden check's measurement or title leaked")
    result = grade("00", too_few, "--hidden", HIDDEN, "--format", "prairielearn")
    if graded_ok(result, "prairielearn"):
        results = json.loads(result.stdout)
        tests = results.get("tests", [])
        if results.get("gradable") is not True or not 0 <= results.get("score", -1) <= 1 or not tests:
            fail(f"prairielearn: wants gradable true, a score in [0, 1] and tests: {results}")
        elif abs(sum(t["points"] for t in tests) / sum(t["max_points"] for t in tests) - results["score"]) > 1e-9:
            fail("prairielearn: score is not the fraction of points")
        if any(not isinstance(t.get(k), kind) for t in tests for k, kind in (("name", str), ("points", (int, float)), ("max_points", (int, float)), ("output", str))):
            fail("prairielearn: every test needs name, points, max_points and output")
        if "856" in result.stdout or "10 %" in result.stdout:
            fail("prairielearn: a hidden check's measurement or title leaked")
    result = grade("00", os.path.join(KNOWN_BAD, "syntax-error"), "--format", "prairielearn")
    if graded_ok(result, "prairielearn, broken submission"):
        results = json.loads(result.stdout)
        if results.get("gradable") is not False or not results.get("format_errors") or results.get("score") != 0:
            fail(f"prairielearn: a submission that cannot be read is not gradable, with format_errors: {results}")
    result = grade("00", too_few, "--hidden", HIDDEN, "--format", "junit")
    if graded_ok(result, "junit"):
        root = ET.fromstring(result.stdout)
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        if root.tag not in ("testsuites", "testsuite") or len(suites) != 1:
            fail(f"junit: root {root.tag} with {len(suites)} suites")
        else:
            cases = suites[0].findall("testcase")
            failed = [c for c in cases if c.find("failure") is not None]
            if int(suites[0].get("tests")) != len(cases) or int(suites[0].get("failures")) != len(failed):
                fail("junit: tests/failures attributes do not match the test cases")
            if len(cases) != 11 or len(failed) != 4:  # p99 and the three hidden p99 checks
                fail(f"junit: {len(cases)} cases, {len(failed)} failures; wanted 11 and 4")
            if any(not c.get("name") or not c.get("classname") for c in cases):
                fail("junit: every testcase needs name and classname")
    result = grade("00", too_few, "--format", "text")
    if graded_ok(result, "text") and ("FAIL" not in result.stdout or "hint:" not in result.stdout or "required <= 550 ms" not in result.stdout):
        fail("text: wants FAIL lines with what was required and the hint\n" + result.stdout)
    out = os.path.join(tmp, "report.xml")
    result = grade("00", too_few, "--format", "junit", "-o", out)
    if graded_ok(result, "junit -o") and (result.stdout or not os.path.exists(out)):
        fail("-o FILE: the report goes to the file, nothing to stdout")


def determinism(tmp):
    args = ("00", os.path.join(KNOWN_BAD, "too-few-workers"), "--hidden", HIDDEN, "--format", "json", "--instructor", "-j", "2")
    first, second = grade(*args), grade(*args)
    if graded_ok(first, "determinism") and graded_ok(second, "determinism") and first.stdout != second.stdout:
        fail("determinism: two gradings of the same submission differ")


def batch(tmp):
    klass = os.path.join(tmp, "class")
    for i in range(4):
        os.makedirs(os.path.join(klass, f"student{i:02d}"))
        shutil.copy(os.path.join(SOLUTION, "submission.json"), os.path.join(klass, f"student{i:02d}", "submission.json"))
    shutil.copytree(os.path.join(KNOWN_BAD, "too-few-workers"), os.path.join(klass, "student04"))
    os.makedirs(os.path.join(klass, "student05"))  # handed in nothing
    os.makedirs(os.path.join(klass, "student06"))  # a link to a file outside: never read
    os.symlink("/etc/passwd", os.path.join(klass, "student06", "submission.json"))
    out = os.path.join(tmp, "out")
    result = grade("00", klass, "-j", "2", "-o", out, "--hidden", HIDDEN, "--format", "gradescope")
    if not graded_ok(result, "batch"):
        return
    with open(os.path.join(out, "gradebook.csv")) as f:
        rows = list(csv.DictReader(f))
    if [r["student"] for r in rows] != [f"student{i:02d}" for i in range(7)]:
        fail(f"batch: students {[r['student'] for r in rows]}")
        return
    wanted = {"student00": "16", "student04": "8", "student05": "0", "student06": "0"}
    for row in rows:
        if row["student"] in wanted and row["score"] != wanted[row["student"]]:
            fail(f"batch: {row['student']} scored {row['score']}, wanted {wanted[row['student']]}")
        if row["max_score"] != "16":
            fail(f"batch: max_score {row['max_score']}")
    if not {"p99", "fewest-workers", "p99-busier", "note"} <= set(rows[0].keys()):
        fail(f"batch: gradebook columns {list(rows[0].keys())}")
    if rows[4]["p99"] != "0" or rows[0]["p99"] != "4":
        fail("batch: per-check points wrong")
    if "no submission.json" not in rows[5]["note"]:
        fail(f"batch: student05's note {rows[5]['note']!r}")
    if "leads outside the submission folder" not in rows[6]["note"] or "root:" in result.stdout:
        fail(f"batch: student06's link must be refused unread: {rows[6]['note']!r}")
    for i in range(7):
        path = os.path.join(out, "feedback", f"student{i:02d}.results.json")
        if not os.path.exists(path):
            fail(f"batch: no feedback file {path}")
        else:
            with open(path) as f:
                json.load(f)
    if "student04" not in result.stdout:
        fail("batch: stdout should list the class")
    # The Slurm path, its steps run here one after the other: a part per student, then the merge, must
    # give the gradebook of the class graded in one process (text feedback, the hidden checks in).
    staged = os.path.join(tmp, "staged")
    written = grade("00", klass, "--slurm", "-o", staged, "--hidden", HIDDEN)
    if graded_ok(written, "batch --slurm") and "7 tasks" not in written.stdout:
        fail(f"batch --slurm: {written.stdout}")
    for i in range(7):
        graded_ok(grade("00", klass, "--student-index", str(i), "-o", os.path.join(staged, "slurm", "parts", str(i)), "--hidden", HIDDEN),
                  f"batch --student-index {i}")
    merged = grade("00", klass, "--merge", "-o", staged, "--hidden", HIDDEN)
    whole = os.path.join(tmp, "whole")
    graded_ok(grade("00", klass, "-o", whole, "--hidden", HIDDEN), "batch, text")
    if graded_ok(merged, "batch --merge"):
        for name in ["gradebook.csv"] + [os.path.join("feedback", f) for f in sorted(os.listdir(os.path.join(whole, "feedback")))]:
            with open(os.path.join(staged, name), "rb") as a, open(os.path.join(whole, name), "rb") as b:
                if a.read() != b.read():
                    fail(f"batch --merge: {name} differs from grading the class in one process")


def scratch_env(tmp):
    env = dict(os.environ, TMPDIR=os.path.join(tmp, "scratch"))
    os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


def processes_in(folder):
    """Processes whose working folder is inside `folder` (the grader's simulations run in its copies)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.readlink(f"/proc/{pid}/cwd").startswith(folder):
                found.append(int(pid))
        except OSError:
            pass
    return found


def hostile(tmp):
    klass = os.path.join(tmp, "class")
    solution = os.path.join(SOLUTION, "submission.json")
    with open(solution) as f:
        solution_text = f.read()

    def student(name, text=None):
        os.makedirs(os.path.join(klass, name))
        if text is not None:
            with open(os.path.join(klass, name, "submission.json"), "w") as f:
                f.write(text)

    student("alice", solution_text)
    student("target", solution_text)
    os.symlink("target", os.path.join(klass, "bob"))            # a student folder that is a link
    os.symlink("loop", os.path.join(klass, "loop"))              # a link to itself
    student("carol")                                            # a hard link to a file that is not hers
    secret = os.path.join(tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write("root:x:0:0:secret-of-the-grading-machine\n")
    try:
        os.link("/etc/passwd", os.path.join(klass, "carol", "submission.json"))
        leaked = "root:"
    except OSError:  # /etc on another filesystem: a file the test owns, outside the submission
        os.link(secret, os.path.join(klass, "carol", "submission.json"))
        leaked = "secret-of-the-grading-machine"
    student("dave")
    os.makedirs(os.path.join(klass, "dave", "submission.json"))  # a folder called submission.json
    formulas = ['=HYPERLINK("evil.example","x")', "+1+1", "-2", "@SUM(A1)"]
    for name in formulas:
        student(name, solution_text)
    student("nul", solution_text.replace('"components": {', '"components": {"a\\u0000b\\u001b[31m": {"type": "nonsense"}, ', 1))
    student("rawnul", '{"name": "x\x00y"}')
    depth = 100000
    deep = '{"a":' * depth + "1" + "}" * depth
    student("deep", deep)
    student("huge", '{"name": "huge", "components": {}, "run": {"requests": 1e999}}')
    if not len(deep) < 1 << 20:
        fail("hostile: the deep document must be under the 1 MiB cap to test the depth")

    env = scratch_env(tmp)
    out = os.path.join(tmp, "out")
    result = grade("00", klass, "-j", "2", "-o", out, "--format", "text", env=env)
    if any(sign in result.stderr for sign in CRASH_SIGNS) or not graded_ok(result, "hostile class"):
        fail(f"hostile: the grader must survive the class: {result.stderr[-2000:]}")
        return
    with open(os.path.join(out, "gradebook.csv"), newline="") as f:
        rows = {r["student"]: r for r in csv.DictReader(f)}
    wanted = {"alice": "", "target": "", "bob": "is a link", "loop": "is a link", "carol": "other hard links",
              "dave": "is a folder, not a file", "nul": "unknown component type", "rawnul": "JSON syntax error",
              "deep": "nests deeper than", "huge": "is too large"}
    for name, note in wanted.items():
        row = rows.get(name)
        if row is None:
            fail(f"hostile: {name} has no gradebook row: {sorted(rows)}")
        elif note and note not in row["note"]:
            fail(f"hostile: {name}'s note {row['note']!r} lacks {note!r}")
        elif not note and row["score"] != row["max_score"]:
            fail(f"hostile: {name} scored {row['score']}/{row['max_score']}, wanted full marks")
    for name in formulas:
        if "'" + name not in rows:
            fail(f"hostile: the gradebook must neutralise the formula {name!r}: {sorted(rows)}")
    everything = result.stdout
    for folder, _, files in os.walk(out):
        for name in files:
            with open(os.path.join(folder, name), "rb") as f:
                everything += f.read().decode("utf-8", "replace")
    if leaked in everything:
        fail("hostile: the hard-linked file's content reached the feedback or the gradebook")
    if "\x00" in everything or "\x1b" in everything:
        fail("hostile: a NUL or escape byte reached the text report, the table or the gradebook")
    if os.listdir(env["TMPDIR"]):
        fail(f"hostile: temporary folders left behind: {os.listdir(env['TMPDIR'])}")
    # One student's folder holding a folder called submission.json is that one submission, not a class.
    result = grade("00", os.path.join(klass, "dave"), "--format", "json")
    if graded_ok(result, "folder called submission.json") and "is a folder, not a file" not in json.loads(result.stdout).get("note", ""):
        fail(f"hostile: dave/ must be one submission with a note: {result.stdout[:300]}")


def signals(tmp):
    # Stopped mid-class, by a signal it handles, by one it cannot (SIGKILL) or by a crash of its
    # own (SIGSEGV), the grader leaves no copy of any submission and no simulation running.
    klass = os.path.join(tmp, "class")
    for i in range(3):
        shutil.copytree(os.path.join(KNOWN_BAD, "loops-forever"), os.path.join(klass, f"s{i}"))
    for how in (signal.SIGTERM, signal.SIGINT, signal.SIGKILL, signal.SIGSEGV):
        env = scratch_env(os.path.join(tmp, how.name))
        scratch = env["TMPDIR"]
        grader = subprocess.Popen([ARCHLAB, "grade", "00", klass, "-j", "2", "-o", os.path.join(tmp, "out-" + how.name), "--wall-limit-s", "60"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not processes_in(scratch):
            time.sleep(0.05)
        if not processes_in(scratch):
            fail(f"signals: no simulation started within 30 s ({how.name})")
        grader.send_signal(how)
        try:
            _, err = grader.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            grader.kill()
            fail(f"signals: the grader did not stop within 20 s of {how.name}")
            continue
        if grader.returncode != -how:
            fail(f"signals: the grader should die of {how.name}, exit status {grader.returncode}")
        if how in (signal.SIGTERM, signal.SIGINT) and "was removed" not in err:
            fail(f"signals: {how.name}: no word that the temporary folder was removed: {err!r}")
        deadline = time.monotonic() + 10  # after SIGKILL or a crash, the janitor removes it
        while time.monotonic() < deadline and (os.listdir(scratch) or processes_in(scratch)):
            time.sleep(0.05)
        if os.listdir(scratch):
            fail(f"signals: {how.name}: temporary folders left behind: {os.listdir(scratch)}")
        left = processes_in(scratch)
        if left:
            fail(f"signals: {how.name}: simulations still running: {left}")
            for pid in left:
                os.kill(pid, signal.SIGKILL)


def on_terminal(args):
    """What a command writes when its stdout and stderr are a terminal."""
    primary, secondary = pty.openpty()
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=secondary, stderr=secondary)
    os.close(secondary)
    seen, deadline = b"", time.monotonic() + 120
    while time.monotonic() < deadline:
        ready, _, _ = select.select([primary], [], [], 1)
        if not ready:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # the terminal closes when the process exits
            break
        if not chunk:
            break
        seen += chunk
    os.close(primary)
    process.wait(timeout=30)
    return seen.decode("utf-8", "replace").replace("\r\n", "\n")


def progress(tmp):
    # On a terminal, a line per student as it finishes; to a pipe, only the table at the end.
    klass = os.path.join(tmp, "class")
    for name in ("ann", "ben"):
        os.makedirs(os.path.join(klass, name))
        shutil.copy(os.path.join(SOLUTION, "submission.json"), os.path.join(klass, name))
    os.makedirs(os.path.join(klass, "cat"))
    args = [ARCHLAB, "grade", "00", klass, "-o", os.path.join(tmp, "out")]
    line = re.compile(r"^\[\d/3\] (ann|ben|cat) ", re.M)
    text = on_terminal(args)
    if sorted(m.group(1) for m in line.finditer(text)) != ["ann", "ben", "cat"]:
        fail(f"progress: on a terminal, wanted one [n/3] line per student:\n{text}")
    result = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if graded_ok(result, "progress, not a terminal") and (line.search(result.stdout) or line.search(result.stderr)):
        fail(f"progress: no progress lines when not a terminal:\n{result.stdout}{result.stderr}")
    # One submission: its runs count up on a terminal, and the line is gone before the report.
    one = [ARCHLAB, "grade", "00", os.path.join(SOLUTION, "submission.json")]
    runs = re.compile(r"runs: (\d+)/(\d+) · ")
    counts = [(int(a), int(b)) for a, b in runs.findall(on_terminal(one))]
    if not counts or counts[-1][0] != counts[-1][1] or counts[0][0] != 0:
        fail(f"progress: one submission on a terminal, wanted runs counted from 0 to all: {counts}")
    result = subprocess.run(one, capture_output=True, text=True, timeout=120)
    if graded_ok(result, "one submission, not a terminal") and (runs.search(result.stdout) or runs.search(result.stderr)):
        fail(f"progress: no runs line when not a terminal:\n{result.stderr}")


def limits(tmp):
    # A runaway model is stopped at the wall-clock limit: zero for the checks that need a run, and
    # the grader answers in about the limit, not later.
    started = time.monotonic()
    result = grade("00", os.path.join(KNOWN_BAD, "loops-forever"), "--wall-limit-s", "2", "--format", "json")
    took = time.monotonic() - started
    if graded_ok(result, "wall limit"):
        report = json.loads(result.stdout)
        p99 = next(c for c in report["checks"] if c["id"] == "p99")
        if p99["passed"] or "wall-clock limit of 2 s" not in p99["message"]:
            fail(f"wall limit: p99 check {p99}")
        if took > 15:
            fail(f"wall limit: grading took {took:.1f} s with a 2 s limit")
    # A model that eats memory hits RLIMIT_AS: a clear zero, not a crashed grader.
    lab = os.path.join(tmp, "99-memory")
    os.makedirs(os.path.join(lab, "hog"))
    with open(os.path.join(lab, "README.md"), "w") as f:
        f.write("# memory\n\nA lab whose rubric allows 150 MB.\n")
    with open(os.path.join(lab, "rubric.json"), "w") as f:
        json.dump({"title": "memory", "limits": {"wall_s": 30, "cpu_s": 30, "memory_mb": 150}, "runs": {"as-written": {}},
                   "checks": [{"id": "lost", "title": "nothing lost", "points": 1, "kind": "nothing_lost", "run": "as-written"}]}, f)
    with open(os.path.join(lab, "hog", "submission.json"), "w") as f:
        json.dump({"name": "hog", "components": {
            "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 10000}},
            "server": {"type": "service", "service_time_ms": {"dist": "exponential", "mean": 100}}},
            "run": {"requests": 20000000, "seed": 1}}, f)
    result = grade(lab, os.path.join(lab, "hog"), "--format", "json")
    if graded_ok(result, "memory limit"):
        check = json.loads(result.stdout)["checks"][0]
        if check["passed"] or "memory" not in check["message"]:
            fail(f"memory limit: {check}")
    for sign in CRASH_SIGNS:
        if sign in result.stderr:
            fail(f"memory limit: the grader itself crashed: {result.stderr}")


def bad_input(tmp):
    broken_lab = os.path.join(tmp, "labs", "07-broken")
    os.makedirs(broken_lab)
    with open(os.path.join(broken_lab, "README.md"), "w") as f:
        f.write("# broken\n\nA lab with a broken rubric.\n")
    with open(os.path.join(broken_lab, "rubric.json"), "w") as f:
        json.dump({"title": "broken", "runs": {"r": {"scenario": "missing"}},
                   "checks": [{"id": "a", "title": "a", "points": -1, "kind": "figure", "run": "r", "figure": "/x",
                               "require": {"op": "<==", "value": 1}}]}, f)
    bad_hidden = os.path.join(tmp, "hidden.json")
    with open(bad_hidden, "w") as f:
        f.write('{"checks": [{"id": "p99", "title": "clash", "points": 1, "kind": "theory", "run": "target"}]}')
    out_file = os.path.join(tmp, "never-written.json")
    sub = os.path.join(SOLUTION, "submission.json")
    cases = [
        ("unknown lab", ["42", sub], "error: 42: no such lab"),
        ("missing submission", ["00", os.path.join(tmp, "nope.json")], "nope.json: no such file or folder"),
        ("empty folder", ["00", tmp + "/labs/07-broken"], "holds no submission.json"),
        ("bad rubric", ["--labs", os.path.join(tmp, "labs"), "07", sub], "rubric.json: checks[0].points: must be given: a number > 0"),
        ("bad rubric op", [broken_lab, sub], "rubric.json: checks[0].require.op: must be one of"),
        ("bad rubric scenario", [broken_lab, sub], "rubric.json: runs.r.scenario: names no scenario"),
        ("bad hidden file", ["00", sub, "--hidden", bad_hidden], "hidden.json: checks[0].id: another check has the id 'p99'"),
        ("missing hidden file", ["00", sub, "--hidden", os.path.join(tmp, "none.json")], "none.json: no such file"),
        ("bad format", ["00", sub, "--format", "pdf"], "--format: unknown format 'pdf'"),
        ("class without -o", ["00", KNOWN_BAD], "--out: grading a class writes"),
        ("-o is a folder", ["00", sub, "-o", tmp], "is a folder"),
        ("bad -j", ["00", sub, "-j", "0", "-o", out_file], "jobs"),
        ("no submission", ["00"], "error: submission: give at least one"),
        ("unknown package", ["--package", "moodle", "00", "-o", out_file], "--package: unknown package 'moodle'"),
        ("package without -o", ["--package", "gradescope", "00"], "--out: give the zip to write"),
        ("package with submissions", ["--package", "gradescope", "00", sub, "-o", out_file], "grades nothing"),
        ("--slurm for one submission", ["00", sub, "--slurm", "-o", out_file], "--slurm: is for a class"),
        ("two Slurm steps at once", ["00", KNOWN_BAD, "--slurm", "--merge", "-o", os.path.join(tmp, "steps")], "are different steps"),
        ("--student-index past the class", ["00", KNOWN_BAD, "--student-index", "99", "-o", os.path.join(tmp, "part")],
         "--student-index: the class has"),
        ("--merge before the tasks", ["00", KNOWN_BAD, "--merge", "-o", os.path.join(tmp, "unmerged")],
         "has not finished"),
    ]
    for name, args, expected in cases:
        result = grade(*args)
        problems = []
        if result.returncode != 2:
            problems.append(f"exit status {result.returncode}, wanted 2")
        if expected not in result.stderr:
            problems.append(f"stderr lacks {expected!r}")
        if any(sign in result.stderr for sign in CRASH_SIGNS):
            problems.append("looks like a crash")
        if os.path.exists(out_file) or os.path.exists(os.path.join(tmp, "unmerged", "gradebook.csv")):
            problems.append("wrote the output file")
        if problems:
            fail(f"bad input '{name}': {'; '.join(problems)}\n  stderr: {result.stderr.strip()}")


def batch_and_hostile(tmp):
    for part in (batch, hostile, progress):
        os.makedirs(os.path.join(tmp, part.__name__))
        part(os.path.join(tmp, part.__name__))


def limits_and_signals(tmp):
    for part in (limits, signals):
        os.makedirs(os.path.join(tmp, part.__name__))
        part(os.path.join(tmp, part.__name__))


# batch and limits also run the hostile, progress and signal cases (the ctest names stay as they were).
MODES = {"known_bad": known_bad, "solution": solution, "formats": formats, "determinism": determinism,
         "batch": batch_and_hostile, "limits": limits_and_signals, "bad_input": bad_input,
         "hostile": hostile, "signals": signals, "progress": progress}
with tempfile.TemporaryDirectory() as tmp:
    MODES[MODE](tmp)
print(f"grading.{MODE}: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
