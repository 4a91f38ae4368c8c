#!/usr/bin/env python3
"""The hostile-input corpus: every case must end, within its time and memory, with the exit status and
the message it expects — never a signal, a hang, a stack trace, or a half-written output folder.

usage: run_corpus.py ARCHLAB DIR

A case is DIR/<name>.expect.json beside its input, which is either DIR/<name>.json (a model, read as
bytes, so it may be malformed on purpose) or DIR/<name>.gen.py (a script printing the model to
stdout, for inputs too large to keep in the repository). The expectation:

  {"args": ["run", "{model}", "--out", "{tmp}/out"],   # default ["run", "{model}", "--quiet"]
   "exit": 2,                                        # default 2
   "stderr": "regex searched in standard error",      # optional
   "stdout": "regex searched in standard output",     # optional
   "timeout_s": 30, "memory_mb": 1024}               # defaults

{model} is the case's model file, {tmp} a fresh folder, {dir} the case folder. When a run exits 2,
every path under {tmp} named in its arguments must not exist afterwards (nothing half-written).
"""
import glob, json, os, re, resource, subprocess, sys, tempfile

archlab, folder = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])  # cases run inside a temp folder
passed = failed = 0


def limit_memory(memory_mb):
    def apply():
        size = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))
    return apply


def check(name, expect_path):
    with open(expect_path) as f:
        expect = json.load(f)
    base = expect_path[: -len(".expect.json")]
    with tempfile.TemporaryDirectory(prefix="archlab-hostile-") as tmp:
        model = base + ".json"
        if os.path.exists(base + ".gen.py"):
            model = os.path.join(tmp, "model.json")
            with open(model, "wb") as out:
                subprocess.run([sys.executable, base + ".gen.py"], stdout=out, check=True, timeout=60)
        elif not os.path.exists(model):
            return f"no input: neither {base}.json nor {base}.gen.py"
        values = {"model": model, "tmp": tmp, "dir": os.path.dirname(expect_path)}
        args = [a.format(**values) for a in expect.get("args", ["run", "{model}", "--quiet"])]
        timeout_s = expect.get("timeout_s", 30)
        try:
            result = subprocess.run([archlab] + args, capture_output=True, timeout=timeout_s, stdin=subprocess.DEVNULL,
                                    preexec_fn=limit_memory(expect.get("memory_mb", 1024)), cwd=tmp)
        except subprocess.TimeoutExpired:
            return f"did not end within {timeout_s} s"
        stderr = result.stderr.decode(errors="replace")
        stdout = result.stdout.decode(errors="replace")
        if result.returncode < 0:
            return f"killed by signal {-result.returncode}\n{stderr[-2000:]}"
        want_exit = expect.get("exit", 2)
        if result.returncode != want_exit:
            return f"exit {result.returncode}, expected {want_exit}\n{stderr[-2000:]}"
        for stream, text in (("stderr", stderr), ("stdout", stdout)):
            if stream in expect and not re.search(expect[stream], text):
                return f"{stream} lacks /{expect[stream]}/:\n{text[-2000:]}"
        if "terminate called" in stderr or "Traceback" in stderr:
            return f"a crash report on stderr:\n{stderr[-2000:]}"
        if result.returncode == 2:
            for arg in args:
                if arg.startswith(tmp + os.sep) and arg != model and os.path.exists(arg):
                    return f"exit 2 but {arg[len(tmp) + 1:]} was written"
    return None


cases = sorted(glob.glob(os.path.join(folder, "*.expect.json")))
if not cases:
    sys.exit(f"no cases in {folder}")
for expect_path in cases:
    name = os.path.basename(expect_path)[: -len(".expect.json")]
    problem = check(name, expect_path)
    if problem:
        failed += 1
        print(f"FAIL {name}: {problem}")
    else:
        passed += 1
        print(f"ok   {name}")
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
