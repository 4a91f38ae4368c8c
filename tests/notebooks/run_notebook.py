#!/usr/bin/env python3
"""Executes a lab notebook headless with Debian's Jupyter (nbconvert --execute), as a student would,
and checks the executed copy: every code cell ran without an error and the plots came out.

With --student-runs VARIABLE MODEL SCENARIO..., it first makes a student's runs the way the lab's
README says (archlab run MODEL --scenario S --out my-runs/S, in a folder of the student's own), then
launches nbconvert from that folder with VARIABLE=my-runs, a path relative to where the student
launched it and not to notebooks/, and checks that the notebook says it found every scenario.

usage: run_notebook.py ARCHLAB NOTEBOOK MIN_PLOTS [--student-runs VARIABLE MODEL SCENARIO...]"""
import json, os, subprocess, sys, tempfile

ARCHLAB, NOTEBOOK, MIN_PLOTS = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), int(sys.argv[3])
student_runs = sys.argv[5:] if len(sys.argv) > 4 and sys.argv[4] == "--student-runs" else []
if len(sys.argv) > 4 and len(student_runs) < 3:
    sys.exit("usage: run_notebook.py ARCHLAB NOTEBOOK MIN_PLOTS [--student-runs VARIABLE MODEL SCENARIO...]")
failures = []

with tempfile.TemporaryDirectory() as tmp:
    env = dict({k: v for k, v in os.environ.items() if k != "MPLBACKEND"}, ARCHLAB=ARCHLAB, MPLCONFIGDIR=os.path.join(tmp, "mpl"),
               JUPYTER_RUNTIME_DIR=os.path.join(tmp, "runtime"), TMPDIR=tmp)
    launch_dir = os.path.dirname(NOTEBOOK)
    if student_runs:
        variable, model, scenarios = student_runs[0], os.path.abspath(student_runs[1]), student_runs[2:]
        launch_dir = os.path.join(tmp, "student")
        for scenario in scenarios:
            subprocess.run([ARCHLAB, "run", model, "--scenario", scenario, "--out", os.path.join(launch_dir, "my-runs", scenario),
                            "--quiet"], check=True, timeout=300)
        env.update({variable: "my-runs", "PWD": launch_dir})  # PWD as the student's shell sets it
    result = subprocess.run(["/usr/bin/python3", "-m", "nbconvert", "--to", "notebook", "--execute",
                             "--ExecutePreprocessor.timeout=600", "--output-dir", tmp, NOTEBOOK],
                            capture_output=True, text=True, timeout=900, env=env, cwd=launch_dir)
    if result.returncode != 0:
        failures.append(f"nbconvert exit status {result.returncode}:\n{result.stderr[-3000:]}")
    else:
        with open(os.path.join(tmp, os.path.basename(NOTEBOOK))) as f:
            executed = json.load(f)
        code_cells = [c for c in executed["cells"] if c["cell_type"] == "code"]
        outputs = [o for c in code_cells for o in c.get("outputs", [])]
        errors = [o for o in outputs if o.get("output_type") == "error"]
        plots = [o for o in outputs if "image/png" in o.get("data", {})]
        printed = "".join("".join(o.get("text", "")) for o in outputs if o.get("output_type") == "stream")
        if errors:
            failures.append(f"{len(errors)} cell(s) raised: {errors[0].get('ename')}: {errors[0].get('evalue')}")
        if any(c.get("execution_count") is None for c in code_cells):
            failures.append("a code cell did not run")
        if len(plots) < MIN_PLOTS:
            failures.append(f"{len(plots)} plot(s), wanted at least {MIN_PLOTS}")
        if student_runs:
            expected = f"your runs: {', '.join(scenarios)} from {os.path.realpath(os.path.join(launch_dir, 'my-runs'))}"
            if expected not in printed:
                failures.append(f"the notebook did not report the student's runs (wanted '{expected}'); it printed:\n{printed[:2000]}")
        print(f"{os.path.basename(NOTEBOOK)}: {len(code_cells)} code cells, {len(plots)} plots")

for failure in failures:
    print("FAIL " + failure)
sys.exit(1 if failures else 0)
