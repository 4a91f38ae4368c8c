#!/usr/bin/env python3
"""archlab sweep --slurm and grade --slurm for real, on a one-node Slurm this test starts on this machine: munged,
slurmctld and slurmd with a configuration written in a temporary folder, bound to 127.0.0.1, all
stopped again by their pids. The job array and its merge step must give the CSV a local sweep of
the same grid gives (the same seeds). Exit 77 (skipped) when Debian's slurm-wlm or munge is absent.
Last line 'N passed, M failed'."""
import json, os, shutil, signal, socket, subprocess, sys, tempfile, time

ARCHLAB = os.path.abspath(sys.argv[1])
NEEDED = ["munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue", "sinfo"]
missing = [name for name in NEEDED if not shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")]
if missing:
    print(f"skipped: {', '.join(missing)} not installed (apt-get install slurm-wlm munge, or scripts/install-deps.sh)")
    sys.exit(77)
if os.geteuid() != 0:
    print("skipped: slurmd runs jobs as their user only when started as root; run this test as root")
    sys.exit(77)

passed = failed = 0
TMP = tempfile.mkdtemp(prefix="archlab-slurm-test-")
os.chmod(TMP, 0o700)
started = []  # (name, Popen) in start order; stopped in reverse, by pid


def check(name, condition, detail=""):
    global passed, failed
    passed, failed = (passed + 1, failed) if condition else (passed, failed + 1)
    print(("ok   " if condition else "FAIL ") + name + ("" if condition else " " + str(detail)))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def tool(name):
    return shutil.which(name, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")


def start(name, argv):
    log = open(os.path.join(TMP, name + ".stdout"), "w")
    started.append((name, subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=ENV, start_new_session=True)))


def stop_all():
    for name, process in reversed(started):
        if process.poll() is None:
            os.kill(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.kill(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(what, condition, timeout_s):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.5)
    print(f"gave up waiting for {what} after {timeout_s} s")
    return False


def logs():
    for name in os.listdir(TMP):
        if name.endswith((".log", ".stdout", ".out")):
            print(f"--- {name}\n" + open(os.path.join(TMP, name), errors="replace").read()[-2000:])


socket_path = os.path.join(TMP, "munge.socket")
conf = os.path.join(TMP, "slurm.conf")
ENV = dict(os.environ, SLURM_CONF=conf)
try:
    key = os.path.join(TMP, "munge.key")
    subprocess.run([tool("mungekey"), "--create", "--keyfile", key], check=True, capture_output=True)
    os.chmod(key, 0o600)
    start("munged", [tool("munged"), "--foreground", "--force", f"--key-file={key}", f"--socket={socket_path}",
                     f"--pid-file={TMP}/munged.pid", f"--log-file={TMP}/munged.log", f"--seed-file={TMP}/munged.seed"])
    if not wait_for("munged's socket", lambda: os.path.exists(socket_path), 20):
        raise RuntimeError("munged did not start")
    for folder in ["state", "spool"]:
        os.makedirs(os.path.join(TMP, folder))
    with open(conf, "w") as f:
        f.write(f"""ClusterName=archlabtest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket={socket_path}
StateSaveLocation={TMP}/state
SlurmdSpoolDir={TMP}/spool
SlurmctldPidFile={TMP}/slurmctld.pid
SlurmdPidFile={TMP}/slurmd.pid
SlurmctldLogFile={TMP}/slurmctld.log
SlurmdLogFile={TMP}/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=archlab Nodes=localhost Default=YES MaxTime=10 State=UP
""")
    start("slurmctld", [tool("slurmctld"), "-D", "-i", "-f", conf])
    start("slurmd", [tool("slurmd"), "-D", "-f", conf, "-N", "localhost"])
    idle = wait_for("the node to be idle", lambda: "idle" in subprocess.run([tool("sinfo"), "-h", "-o", "%T"], env=ENV,
                                                                              capture_output=True, text=True).stdout, 60)
    check("a one-node Slurm is up (munged, slurmctld, slurmd on 127.0.0.1)", idle)
    if not idle:
        raise RuntimeError("Slurm did not come up")

    model = os.path.join(TMP, "mm1.json")
    with open(model, "w") as f:
        json.dump({"components": {
            "users": {"type": "client", "target": "server", "arrivals": {"process": "poisson", "rate_per_s": 5.0}},
            "server": {"type": "service", "instances": 1, "concurrency": 1, "service_time_ms": {"dist": "exponential", "mean": 100}}},
            "run": {"requests": 2000, "warmup_requests": 100, "seed": 5}}, f)
    grid = ["--vary", "server.concurrency=1,2", "--vary", "users.arrivals.rate_per_s=4,8", "--replications", "2"]
    cluster, local = os.path.join(TMP, "on-slurm"), os.path.join(TMP, "local")
    written = subprocess.run([ARCHLAB, "sweep", model, *grid, "-o", cluster, "--slurm"], capture_output=True, text=True, timeout=60)
    check("sweep --slurm writes the job array and the merge step", written.returncode == 0, written.stderr)
    submitted = subprocess.run(["sh", os.path.join(cluster, "slurm", "submit.sh")], env=ENV, capture_output=True, text=True, timeout=60)
    check("submit.sh submits both", submitted.returncode == 0 and len(submitted.stdout.split()) == 2, (submitted.stdout, submitted.stderr))
    csv_file = os.path.join(cluster, "sweep.csv")
    done = wait_for("the array and the merge", lambda: subprocess.run([tool("squeue"), "-h"], env=ENV, capture_output=True,
                                                                          text=True).stdout.strip() == "" and os.path.exists(csv_file), 180)
    check("the jobs ran and the merge wrote sweep.csv", done and os.path.exists(csv_file))
    check("one point file per array task", sorted(os.listdir(os.path.join(cluster, "points"))) == [f"point-0000{i}.json" for i in range(4)])
    local_run = subprocess.run([ARCHLAB, "sweep", model, *grid, "-o", local, "-j", "2"], capture_output=True, text=True, timeout=300)
    same = local_run.returncode == 0 and os.path.exists(csv_file) and open(csv_file).read() == open(os.path.join(local, "sweep.csv")).read()
    check("the cluster's CSV is the local sweep's, byte for byte", same, local_run.stderr)
    check("the merge step plotted too", os.path.exists(os.path.join(cluster, "clients_users_latency_ms_mean.svg")))

    # A class graded on the cluster: one task per student, then the merge, against grading it here.
    repo = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    klass = os.path.join(TMP, "class")
    lab00 = os.path.join(repo, "labs", "00-queueing")
    for name, source in (("ann", os.path.join(lab00, "solution")), ("ben", os.path.join(lab00, "known_bad", "too-few-workers"))):
        os.makedirs(os.path.join(klass, name))
        shutil.copy(os.path.join(source, "submission.json"), os.path.join(klass, name))
    os.makedirs(os.path.join(klass, "cat"))  # nothing handed in
    graded, here = os.path.join(TMP, "graded-on-slurm"), os.path.join(TMP, "graded-here")
    written = subprocess.run([ARCHLAB, "grade", "00", klass, "--slurm", "-o", graded], capture_output=True, text=True, timeout=60)
    check("grade --slurm writes a task per student and the merge step", written.returncode == 0 and "3 tasks" in written.stdout, written.stderr)
    submitted = subprocess.run(["sh", os.path.join(graded, "slurm", "submit.sh")], env=ENV, capture_output=True, text=True, timeout=60)
    gradebook = os.path.join(graded, "gradebook.csv")
    done = submitted.returncode == 0 and wait_for("the class's array and merge", lambda: subprocess.run(
        [tool("squeue"), "-h"], env=ENV, capture_output=True, text=True).stdout.strip() == "" and os.path.exists(gradebook), 240)
    local_grade = subprocess.run([ARCHLAB, "grade", "00", klass, "-o", here], capture_output=True, text=True, timeout=300)
    same = (done and local_grade.returncode == 0 and open(gradebook).read() == open(os.path.join(here, "gradebook.csv")).read()
            and all(open(os.path.join(graded, "feedback", name)).read() == open(os.path.join(here, "feedback", name)).read()
                    for name in os.listdir(os.path.join(here, "feedback"))))
    check("the class graded on the cluster has the gradebook and feedback of grading it here, byte for byte", same,
          (submitted.stderr, local_grade.stderr))
    if failed:
        logs()
except Exception as error:  # a Slurm that would not start is a failure here, not a skip: the packages are present
    check("the Slurm test ran to its end", False, error)
    logs()
finally:
    stop_all()
    still = [name for name, process in started if process.poll() is None]
    check("every daemon it started is stopped", not still, still)
    shutil.rmtree(TMP, ignore_errors=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
