#!/usr/bin/env python3
"""Executes a lab notebook headless with Debian's Jupyter (nbconvert --execute), as a student would,
and checks the executed copy: every code cell ran without an error and the plots came out.

usage: run_notebook.py ARCHLAB NOTEBOOK MIN_PLOTS"""
import json, os, subprocess, sys, tempfile

ARCHLAB, NOTEBOOK, MIN_PLOTS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), int(sys.argv[3])
failures = []

with tempfile.TemporaryDirectory() as tmp:
    env = dict({k: v for k, v in os.environ.items() if k != "MPLBACKEND"}, ARCHLAB=ARCHLAB, MPLCONFIGDIR=os.path.join(tmp, "mpl"),
               JUPYTER_RUNTIME_DIR=os.path.join(tmp, "runtime"), TMPDIR=tmp)
    result = subprocess.run(["/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute",
                             "--ExecutePreprocessor.timeout=600", "--output-dir", tmp, NOTEBOOK],
                            capture_output=True, text=True, timeout=900, env=env, cwd=os.path.dirname(NOTEBOOK))
    if result.returncode != 0:
        failures.append(f"nbconvert exit status {result.returncode}:\n{result.stderr[-3000:]}")
    else:
        with open(os.path.join(tmp, os.path.basename(NOTEBOOK))) as f:
            executed = json.load(f)
        code_cells = [c for c in executed["cells"] if c["cell_type"] == "code"]
        outputs = [o for c in code_cells for o in c.get("outputs", [])]
        errors = [o for o in outputs if o.get("output_type") == "error"]
        plots = [o for o in outputs if "image/png" in o.get("data", {})]
        if errors:
            failures.append(f"{len(errors)} cell(s) raised: {errors[0].get('ename')}: {errors[0].get('evalue')}")
        if any(c.get("execution_count") is None for c in code_cells):
            failures.append("a code cell did not run")
        if len(plots) < MIN_PLOTS:
            failures.append(f"{len(plots)} plot(s), wanted at least {MIN_PLOTS}")
        print(f"{os.path.basename(NOTEBOOK)}: {len(code_cells)} code cells, {len(plots)} plots")

for failure in failures:
    print("FAIL " + failure)
sys.exit(1 if failures else 0)
