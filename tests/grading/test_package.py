#!/usr/bin/env python3
"""archlab grade --package: a self-contained grader (the binary, its libraries, the lab) in each package.

Gradescope: the zip has setup.sh and run_autograder at its root and grader/ beside them, is the
same bytes every time; setup.sh installs nothing (installers on PATH that record a call are never
called); run_autograder, run with a clean environment, grades with the packaged binary, which loads
its libraries from the package; it always writes results.json (a grade, or a zero saying why);
hidden checks use Gradescope's own visibility and execution_time is reported.
PrairieLearn: the question folder has info.json (external grading, an entrypoint that exists),
question.html (a file upload) and tests/run.sh, which grades /grade/student into
/grade/results/results.json (here a stand-in root)."""
import json, os, re, shutil, stat, subprocess, sys, tempfile, zipfile

ARCHLAB = sys.argv[1]
HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
SOLUTION = os.path.join(REPO, "labs", "00-queueing", "solution")
HIDDEN = os.path.join(HERE, "hidden-00.json")
HOST_LIBRARIES = re.compile(r"/(ld-linux[^/]*|libc\.so[^/]*|libm\.so[^/]*|libmvec[^/]*|libpthread[^/]*|libdl[^/]*|librt[^/]*)$")
INSTALLERS = ("apt-get", "apt", "dpkg", "pip", "pip3", "python3-pip", "curl", "wget", "cmake", "make", "snap", "conda")
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


def clean_env(**extra):
    return dict({"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LANG": "C"}, **extra)


def loads_own_libraries(wrapper, lib_dir, what):
    # LD_DEBUG=libs names every library as the loader initialises it: all but the C library family
    # must come from the package (the host has them too; the package's must win).
    run = subprocess.run(["/bin/sh", wrapper, "--version"], capture_output=True, text=True, timeout=60, env=clean_env(LD_DEBUG="libs"))
    loaded = set(re.findall(r"calling init: (\S+)", run.stderr))
    foreign = sorted(p for p in loaded if not p.startswith(lib_dir + "/") and not HOST_LIBRARIES.search(p) and not p.endswith("/sh")
                     and "/dash" not in p)
    own = [p for p in loaded if p.startswith(lib_dir + "/")]
    if run.returncode != 0 or not any("libsimgrid" in p for p in own):
        fail(f"{what}: the packaged archlab does not start with its own libsimgrid: exit {run.returncode}, from the package {own}")
    if foreign:
        fail(f"{what}: libraries loaded from the host instead of the package: {foreign}")


def gradescope(tmp):
    zip_path = os.path.join(tmp, "autograder.zip")
    result = grade("--package", "gradescope", "00", "--hidden", HIDDEN, "-o", zip_path)
    if not graded_ok(result, "gradescope package"):
        return
    with open(zip_path, "rb") as f:
        first = f.read()
    grade("--package", "gradescope", "00", "--hidden", HIDDEN, "-o", zip_path)
    with open(zip_path, "rb") as f:
        if f.read() != first:
            fail("gradescope: two packages of the same lab differ")
    ag = os.path.join(tmp, "ag")
    source = os.path.join(ag, "source")
    with zipfile.ZipFile(zip_path) as archive:
        if archive.testzip() is not None:
            fail("gradescope: corrupt zip")
        names = archive.namelist()
        for needed in ("setup.sh", "run_autograder", "hidden.json", "grader/archlab", "grader/bin/archlab",
                       "grader/labs/00-queueing/rubric.json", "grader/labs/00-queueing/scenarios.json"):
            if needed not in names:
                fail(f"gradescope: no {needed}")
        if not any(n.startswith("grader/lib/libsimgrid") for n in names):
            fail("gradescope: SimGrid's library is not in grader/lib")
        if any(n.startswith("kit/") or "/solution/" in n or "/known_bad/" in n for n in names):
            fail("gradescope: the package carries sources or the lab's solution")
        if any(re.search(r"/(libc|libm|ld-linux[^/]*)\.so", n) for n in names):
            fail("gradescope: the C library must come from the host, not the package")
        archive.extractall(source)
        for name in names:  # extractall does not keep modes
            os.chmod(os.path.join(source, name), (archive.getinfo(name).external_attr >> 16) & 0o777)
        for script in ("setup.sh", "run_autograder", "grader/archlab", "grader/bin/archlab"):
            if script in names and not (archive.getinfo(script).external_attr >> 16) & stat.S_IXUSR:
                fail(f"gradescope: {script} is not executable")
    # setup.sh installs nothing: every installer on PATH records that it was called.
    fake_bin, calls = os.path.join(tmp, "fake-bin"), os.path.join(tmp, "installer-calls")
    os.makedirs(fake_bin)
    for name in INSTALLERS:
        with open(os.path.join(fake_bin, name), "w") as f:
            f.write(f"#!/bin/sh\necho {name} \"$@\" >> {calls}\nexit 1\n")
        os.chmod(os.path.join(fake_bin, name), 0o755)
    setup = subprocess.run(["bash", os.path.join(source, "setup.sh")], capture_output=True, text=True, timeout=120,
                           env=clean_env(PATH=fake_bin + ":/usr/bin:/bin"))
    if setup.returncode != 0:
        fail(f"gradescope: setup.sh failed: {setup.stderr[-1000:]}")
    if os.path.exists(calls):
        with open(calls) as f:
            fail(f"gradescope: setup.sh called installers: {f.read()}")
    loads_own_libraries(os.path.join(source, "grader", "archlab"), os.path.join(source, "grader", "lib"), "gradescope")

    submission = os.path.join(ag, "submission")
    os.makedirs(os.path.join(submission, "nested"))
    shutil.copy(os.path.join(SOLUTION, "submission.json"), os.path.join(submission, "nested", "submission.json"))
    results = os.path.join(ag, "results", "results.json")

    def autograde(**extra):
        if os.path.exists(results):
            os.remove(results)
        run = subprocess.run([os.path.join(source, "run_autograder")], capture_output=True, text=True, timeout=300,
                             env=clean_env(AG_ROOT=ag, **extra))
        if run.returncode != 0 or not os.path.exists(results):
            fail(f"gradescope: run_autograder exit {run.returncode}, results.json written: {os.path.exists(results)}\n{run.stderr}")
            return {}
        with open(results) as f:
            return json.load(f)

    report = autograde()  # the packaged grader, nothing from this machine's build
    tests = report.get("tests", [])
    if report.get("score") != 16 or len(tests) != 11:
        fail(f"gradescope: the solution (in a sub-folder) scored {report.get('score')} with {len(tests)} tests")
    hidden = [t for t in tests if t["name"].startswith("hidden check")]
    if len(hidden) != 3 or any(t["visibility"] != "after_published" for t in hidden):
        fail(f"gradescope: hidden checks must use Gradescope's after_published: {hidden}")
    if any(t["visibility"] != "visible" for t in tests if t not in hidden):
        fail("gradescope: the rubric's visible checks must be visible")
    if not isinstance(report.get("execution_time"), int) or report["execution_time"] < 0:
        fail(f"gradescope: execution_time must be whole seconds: {report.get('execution_time')!r}")
    report = autograde(ARCHLAB="/bin/false")
    if report.get("score") != 0 or "could not grade" not in report.get("output", ""):
        fail(f"gradescope: a failing grader must still give results.json with a zero: {report}")
    shutil.rmtree(os.path.join(submission, "nested"))
    report = autograde()
    if report.get("score") != 0 or "No submission.json" not in report.get("output", ""):
        fail(f"gradescope: an empty submission must get a zero saying so: {report}")


def prairielearn(tmp):
    question = os.path.join(tmp, "question")
    result = grade("--package", "prairielearn", "00", "--hidden", HIDDEN, "-o", question)
    if not graded_ok(result, "prairielearn package"):
        return
    again = grade("--package", "prairielearn", "00", "-o", question)
    if again.returncode != 2 or "exists" not in again.stderr:
        fail(f"prairielearn: writing over a question folder must be refused (exit 2): {again.returncode} {again.stderr}")
    with open(os.path.join(question, "info.json")) as f:
        info = json.load(f)
    options = info.get("externalGradingOptions", {})
    if info.get("gradingMethod") != "External" or options.get("enabled") is not True or not options.get("image"):
        fail(f"prairielearn: info.json must enable external grading with an image: {info}")
    if not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", info.get("uuid", "")):
        fail(f"prairielearn: info.json needs a uuid: {info.get('uuid')}")
    entrypoint = options.get("entrypoint", "")
    if not entrypoint.startswith("/grade/tests/"):  # PrairieLearn mounts the question's tests/ at /grade/tests
        fail(f"prairielearn: the entrypoint must be in the question's tests/: {entrypoint}")
    else:
        run_sh = os.path.join(question, "tests", entrypoint[len("/grade/tests/"):])
        if not os.access(run_sh, os.X_OK):
            fail(f"prairielearn: {run_sh} is missing or not executable")
    with open(os.path.join(question, "question.html")) as f:
        if 'pl-file-upload file-names="submission.json"' not in f.read():
            fail("prairielearn: question.html must ask for submission.json")
    root = os.path.join(tmp, "grade")
    shutil.copytree(os.path.join(question, "tests"), os.path.join(root, "tests"))
    os.makedirs(os.path.join(root, "student"))
    shutil.copy(os.path.join(SOLUTION, "submission.json"), os.path.join(root, "student", "submission.json"))
    loads_own_libraries(os.path.join(root, "tests", "grader", "archlab"), os.path.join(root, "tests", "grader", "lib"), "prairielearn")
    results = os.path.join(root, "results", "results.json")

    def autograde():
        run = subprocess.run([os.path.join(root, "tests", "run.sh")], capture_output=True, text=True, timeout=300, env=clean_env(GRADE_ROOT=root))
        if run.returncode != 0 or not os.path.exists(results):
            fail(f"prairielearn: run.sh exit {run.returncode}, results.json written: {os.path.exists(results)}\n{run.stderr}")
            return {}
        with open(results) as f:
            return json.load(f)

    report = autograde()
    if report.get("gradable") is not True or report.get("score") != 1 or len(report.get("tests", [])) != 11:
        fail(f"prairielearn: the solution must be gradable with score 1 and 11 tests: {str(report)[:400]}")
    os.remove(os.path.join(root, "student", "submission.json"))
    report = autograde()
    if report.get("gradable") is not False or "No submission.json" not in report.get("message", ""):
        fail(f"prairielearn: a missing file must be not gradable, saying so: {report}")


with tempfile.TemporaryDirectory() as tmp:
    for part in (gradescope, prairielearn):
        os.makedirs(os.path.join(tmp, part.__name__))
        part(os.path.join(tmp, part.__name__))
print(f"grading.package: {len(failures)} failure(s)")
sys.exit(1 if failures else 0)
