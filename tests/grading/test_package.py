#!/usr/bin/env python3
"""archlab grade --package gradescope: the zip has setup.sh and run_autograder at its root and the
kit's source beside them, is the same bytes every time, configures on its own, and run_autograder
always writes results.json (a grade, or a zero saying why)."""
import json, os, shutil, stat, subprocess, sys, tempfile, zipfile

ARCHLAB = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SOLUTION = os.path.join(REPO, "labs", "00-queueing", "solution")
HIDDEN = os.path.join(HERE, "hidden-00.json")
failures = []


def fail(message):
    failures.append(message)
    print("FAIL " + message)


def grade(*args):
    return subprocess.run([ARCHLAB, "grade", *args], capture_output=True, text=True, timeout=300)


def graded_ok(result, what):
    if result.returncode != 0:
        fail(f"{what}: exit status {result.returncode}, wanted 0\n  stderr: {result.stderr.strip()}")
        return False
    return True


def package(tmp):
    # The Gradescope autograder: setup.sh and run_autograder at the zip's root, the kit's source
    # beside them; run_autograder always writes results.json.
    zip_path = os.path.join(tmp, "autograder.zip")
    result = grade("--package", "gradescope", "00", "--hidden", HIDDEN, "-o", zip_path)
    if not graded_ok(result, "package"):
        return
    with open(zip_path, "rb") as f:
        first = f.read()
    grade("--package", "gradescope", "00", "--hidden", HIDDEN, "-o", zip_path)
    with open(zip_path, "rb") as f:
        if f.read() != first:
            fail("package: two packages of the same lab differ")
    source = os.path.join(tmp, "ag", "source")
    with zipfile.ZipFile(zip_path) as archive:
        if archive.testzip() is not None:
            fail("package: corrupt zip")
        names = archive.namelist()
        for needed in ("setup.sh", "run_autograder", "hidden.json", "kit/CMakeLists.txt", "kit/sim/CMakeLists.txt",
                       "kit/labs/00-queueing/rubric.json", "kit/models/prices/aws-us-east-1.json"):
            if needed not in names:
                fail(f"package: no {needed}")
        archive.extractall(source)
        for script in ("setup.sh", "run_autograder"):
            mode = archive.getinfo(script).external_attr >> 16
            if not mode & stat.S_IXUSR:
                fail(f"package: {script} is not executable")
            os.chmod(os.path.join(source, script), mode & 0o777)  # extractall does not keep modes
    ag = os.path.join(tmp, "ag")
    submission = os.path.join(ag, "submission")
    os.makedirs(os.path.join(submission, "nested"))
    shutil.copy(os.path.join(SOLUTION, "submission.json"), os.path.join(submission, "nested", "submission.json"))
    results = os.path.join(ag, "results", "results.json")

    def autograde(archlab):
        if os.path.exists(results):
            os.remove(results)
        run = subprocess.run([os.path.join(source, "run_autograder")], capture_output=True, text=True, timeout=300,
                             env=dict(os.environ, AG_ROOT=ag, ARCHLAB=archlab))
        if run.returncode != 0 or not os.path.exists(results):
            fail(f"package: run_autograder exit {run.returncode}, results.json written: {os.path.exists(results)}\n{run.stderr}")
            return {}
        with open(results) as f:
            return json.load(f)

    report = autograde(ARCHLAB)
    if report.get("score") != 16 or len(report.get("tests", [])) != 11:
        fail(f"package: the solution (in a sub-folder) scored {report.get('score')} with {len(report.get('tests', []))} tests")
    report = autograde("/bin/false")
    if report.get("score") != 0 or "could not grade" not in report.get("output", ""):
        fail(f"package: a failing grader must still give results.json with a zero: {report}")
    shutil.rmtree(os.path.join(submission, "nested"))
    report = autograde(ARCHLAB)
    if report.get("score") != 0 or "No submission.json" not in report.get("output", ""):
        fail(f"package: an empty submission must get a zero saying so: {report}")
    # The kit configures on its own (setup.sh builds it the same way).
    configure = subprocess.run(["cmake", "-S", os.path.join(source, "kit"), "-B", os.path.join(tmp, "kit-build")],
                               capture_output=True, text=True, timeout=300)
    if configure.returncode != 0:
        fail(f"package: the kit does not configure:\n{configure.stderr[-2000:]}")


with tempfile.TemporaryDirectory() as tmp:
    package(tmp)
print(f"grading.package: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
