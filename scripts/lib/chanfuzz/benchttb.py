"""The benchmark's time-to-bug section (docs/BENCH.md, "Time to bug"):
each planted defect x engine configuration x CRC mode, N trials capped at
CAP seconds, --parallel at a time (one core each, pinned with taskset);
each trial's result line (the input of benchstats.py) is written to
WORK/ttb/<defect>-<crc>-<config>-<n>/result with a rename, so that a
resumed run keeps it and runs a trial cut short again."""
import glob
import os
import subprocess
import threading
import time

from chanfuzz import benchzoo
from chanfuzz.benchrun import (afl_env, afl_stats, idle_core, last_stat,
                               matches, read_text, run_to)


def trial_seed(n):
    return n * 7919 + 104729


def ttb_jobs(st, zoo, mut):
    """The time-to-bug trials, in the order they run: (bug, crc, config,
    n). The CRC-skipping baseline only for --crc-off-configs; no _smart
    cell for a target without a structure-aware mutator."""
    jobs = []
    for n in range(1, st["trials"] + 1):
        for b in st["bugs"]:
            for c in st["crcs"]:
                for cfg in st["configs"]:
                    if c == "off" and cfg not in st["offcfg"]:
                        continue
                    if cfg.endswith("-smart") and \
                            mut[zoo[b].target] == "none":
                        continue
                    jobs.append((b, c, cfg, n))
    return jobs


def sort_trials(rows):
    """Trials by bug, CRC (on before off), config, trial number."""
    rows = sorted(rows, key=lambda r: "\t".join(r))
    rows.sort(key=lambda r: int(r[3]) if r[3].isdigit() else 0)
    rows.sort(key=lambda r: r[2])
    rows.sort(key=lambda r: r[1], reverse=True)
    rows.sort(key=lambda r: r[0])
    return rows


def trial(run, job, cpu, d):
    """One trial; its result line (the input of benchstats) to d/result,
    unless the run is stopping."""
    b, c, cfg, n = job
    bug, cap = run.zoo[b], run.st["cap"]
    v, t = benchzoo.variant(b, c), bug.target
    seed = trial_seed(n)
    os.makedirs(os.path.join(d, "canary"))
    os.makedirs(os.path.join(d, "corpus"))
    log = os.path.join(d, "log")
    seeds = os.path.join(run.seeds, t)
    canary = dict(os.environ, CF_BENCH_CANARY=os.path.join(d, "canary"))
    crash, sig, execs = None, "-", 0
    t0 = time.time()
    if cfg.startswith("lf-"):
        binary = "build/bench/%s/fuzz/%s" % (v, t)
        extra = []
        if cfg == "lf-smart":
            binary += "_smart"
        if cfg == "lf-dict":
            extra = ["-dict=harness/%s.dict" % t]
        run_to(["timeout", "-k", "5", str(cap + 60), "taskset", "-c",
                str(cpu), binary, "-max_total_time=%d" % cap,
                "-print_final_stats=1", "-timeout=10", "-max_len=8192",
                "-seed=%d" % seed, "-artifact_prefix=%s/" % d] + extra +
               [os.path.join(d, "corpus"), seeds], log, env=canary)
        t1 = time.time()
        found = sorted(glob.glob(os.path.join(d, "crash-*")))
        crash = found[0] if found else None
        execs = last_stat(read_text(log))
        if crash:
            sig = "ok" if matches(bug.report, log) else "other"
    else:
        binary = "build/bench/%s/afl/%s" % (v, t)
        extra, envx = [], {"AFL_BENCH_UNTIL_CRASH": "1",
                           "CF_BENCH_CANARY": os.path.join(d, "canary")}
        if cfg == "afl-cmplog":
            extra = ["-c", "build/bench/%s/cmplog/%s" % (v, t), "-l", "2AT"]
        if cfg == "afl-smart":
            envx["AFL_CUSTOM_MUTATOR_LIBRARY"] = os.path.join(
                run.root, "build", "afl", "cf_mutator.so")
        out = os.path.join(d, "out")
        run_to(["timeout", "-k", "5", str(cap + 120), "taskset", "-c",
                str(cpu), "afl-fuzz", "-i", seeds, "-o", out, "-V", str(cap),
                "-s", str(seed)] + extra + ["--", binary], log,
               env=afl_env(envx))
        t1 = time.time()
        found = sorted(glob.glob(os.path.join(out, "default", "crashes",
                                              "id:*")))
        crash = found[0] if found else None
        try:
            execs = int(float(afl_stats(read_text(os.path.join(
                out, "default", "fuzzer_stats"))).get("execs_done", 0)))
        except ValueError:
            execs = 0
        if crash:
            rep = os.path.join(d, "replay")
            x = run_to(["timeout", "30", binary, crash], rep,
                       env=dict(os.environ, CF_BENCH_CANARY=""))
            with open(rep, "a") as f:
                f.write("exit=%d\n" % x)
            sig = "ok" if matches(bug.report, rep) else "other"
    found, trig, reached, reach = 0, "-", 0, "-"
    if sig == "ok":
        found = 1
        trig = "%.3f" % (os.stat(crash).st_mtime_ns / 1e9 - t0)
    lines = read_text(os.path.join(d, "canary", "reached")).split("\n")
    if lines[0].strip():
        reached = 1
        f = lines[0].split()
        reach = "%.3f" % ((float(f[1]) if len(f) > 1 else 0) - t0)
    # A found defect was reached, whatever the canary file says.
    if found and not reached:
        reached, reach = 1, trig
    row = [b, c, cfg, str(n), str(found), trig, str(reached), reach,
           "%.3f" % (t1 - t0), str(execs), sig, str(seed)]
    if run.stopping.is_set():
        return
    with open(os.path.join(d, "result.tmp"), "w") as f:
        f.write("\t".join(row) + "\n")
    os.replace(os.path.join(d, "result.tmp"), os.path.join(d, "result"))


def _trial_thread(run, job, cpu, d):
    try:
        trial(run, job, cpu, d)
    except Exception as e:  # the trial has no result: noted, run again
        if not run.stopping.is_set():
            run.note("time-to-bug: trial %s: %s" % (os.path.basename(d), e))


def time_to_bug(run):
    """Every trial, --parallel at a time (one core each); a trial with a
    result (a resumed run) stands, one cut short runs again."""
    st = run.st
    jobs = ttb_jobs(st, run.zoo, run.mut)
    par = st["parallel"]
    run.note("time-to-bug: %d trials (cap %ds, %d at a time)" % (
        len(jobs), st["cap"], par))
    slots, kept = [None] * par, 0
    for job in jobs:
        d = os.path.join(run.work, "ttb", "%s-%s-%s-%d" % job)
        if os.path.isfile(os.path.join(d, "result")):
            kept += 1
            continue
        subprocess.run(["rm", "-rf", "--", d])
        while True:  # wait for a free slot
            free = [i for i, s in enumerate(slots)
                    if s is None or not s.is_alive()]
            if free:
                break
            time.sleep(0.1)
        slot = free[0]
        run.alive()
        cpu = idle_core() if par == 1 else slot
        th = threading.Thread(target=_trial_thread, args=(run, job, cpu, d),
                              daemon=True)
        th.start()
        slots[slot] = th
    while any(s is not None and s.is_alive() for s in slots):
        time.sleep(0.1)
    if kept:
        run.note("time-to-bug: %d trials kept from before the resume" % kept)
    rows = []
    for f in sorted(glob.glob(os.path.join(run.work, "ttb", "*", "result"))):
        rows += [line.split("\t") for line in read_text(f).splitlines()
                 if line]
    if len(rows) != len(jobs):
        run.note("time-to-bug: %d results for %d trials" % (len(rows),
                                                             len(jobs)))
    return {"trials": sort_trials(rows)}
