"""The measurements of the benchmark's sections (bench.py runs them, in
this order, each once): check, tput, mutator, ttb, regress, scaling,
engines, filed (docs/BENCH.md; `scripts/chanfuzz bench --help` says what each
measures). Each section function takes the run (bench.Run: settings, work
folder, seeds, zoo, targets) and returns its results as a dict, which
bench.py saves as the section's state (benchreport.py reads them); the
time-to-bug section is benchttb.py.

The fuzzers, the benchmark builds, taskset (pinning), timeout,
scripts/regress.sh and scripts/campaign.sh are run as they are; numbers
are kept as the text the shell version printed (rate: exec/s rounded,
ratio: three decimals), which the report reads."""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

from chanfuzz import benchzoo, options, paths, preflight, store
from chanfuzz.stats import parse_fuzzer_stats as afl_stats

# The AFL++ builds are guard builds (no sanitizer): afl-fuzz refuses an
# ASAN_OPTIONS without abort_on_error=1, so it gets none.
AFL_UNSET = ("ASAN_OPTIONS", "UBSAN_OPTIONS")
AFL_SET = {"AFL_SKIP_CPUFREQ": "1", "AFL_NO_UI": "1", "AFL_NO_AFFINITY": "1",
           "AFL_FAST_CAL": "1", "AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES": "1",
           "AFL_QUIET": "1"}
SCALE_BUDGET = 60
TAB = "\t"


# ---- pure helpers --------------------------------------------------------
def rate(execs, secs):
    """execs / secs rounded to an integer, as text (0 for no time)."""
    e, s = float(execs), float(secs)
    return "%.0f" % (e / s if s > 0 else 0)


def ratio(a, b):
    """a / b to three decimals, as text (0 when b is not positive)."""
    a, b = float(a), float(b)
    return "%.3f" % (a / b if b > 0 else 0)


def awk_num(x):
    """A number as awk's print writes it (an integer as one, else %.6g)."""
    if float(x).is_integer() and abs(x) < 1e16:
        return "%d" % x
    return "%.6g" % x


def last_stat(text, key="stat::number_of_executed_units"):
    """The last value libFuzzer printed for KEY (0 when none)."""
    v = 0
    for line in text.splitlines():
        if key in line:
            f = line.split()
            try:
                v = int(float(f[1])) if len(f) > 1 else 0
            except ValueError:
                v = 0
    return v


def idle_of(stat_text):
    """{core: idle + iowait ticks} of a /proc/stat text."""
    out = {}
    for line in stat_text.splitlines():
        f = line.split()
        if f and re.fullmatch(r"cpu[0-9]+", f[0]) and len(f) > 5:
            out[f[0][3:]] = int(f[4]) + int(f[5])
    return out


def idlest(before, after):
    """The core whose idle ticks grew most (the first such; 0 if none)."""
    best, core = 0, "0"
    for c, a in before.items():
        if after.get(c, a) - a > best:
            best, core = after[c] - a, c
    return core


def idle_core():
    """The least busy core now (idle time over 0.5 s)."""
    def read():
        with open("/proc/stat") as f:
            return idle_of(f.read())
    a = read()
    time.sleep(0.5)
    return idlest(a, read())


read_text = store.read_text  # benchttb.py imports it from here


def matches(pattern, path):
    """grep -E PATTERN PATH: does a line of the file match?"""
    return re.search(pattern, read_text(path), re.M) is not None


def status(rc):
    """A child's exit status as the shell gives it (128 + signal)."""
    return 128 - rc if rc < 0 else rc


def run_to(cmd, log, env=None):
    """Run cmd, its output to the file log (or nothing: None), in a
    process group of its own (a Ctrl-C reaches the benchmark, which stops
    it: a trial cut short must not look finished); its exit status as the
    shell gives it."""
    with open(log or os.devnull, "wb") as out:
        rc = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=out,
                            stderr=subprocess.STDOUT, env=env,
                            process_group=0).returncode
    return status(rc)


def afl_env(extra=None):
    env = {k: v for k, v in os.environ.items() if k not in AFL_UNSET}
    env.update(AFL_SET)
    env.update(extra or {})
    return env


# ---- check: the bug zoo --------------------------------------------------
def check(run):
    """Every planted defect's builds fault on its proofs of concept with
    the expected report, and run their seeds clean; a failure stops the
    run (run.die)."""
    run.note("check: every planted defect faults on its inputs, seeds run "
             "clean")
    d = os.path.join(run.work, "check")
    os.makedirs(d, exist_ok=True)
    rows, seeds_ok = [], {}
    for b in run.zoo.values():
        for p in b.pocs:
            poc = os.path.join(d, p + ".cf")
            if not benchzoo.make_poc(p, poc):
                run.die("check: no input %s for %s" % (p, b.name))
            for c in ("on", "off"):
                v, t = benchzoo.variant(b.name, c), b.target
                log = os.path.join(d, "%s.%s.lf.log" % (v, p))
                rc = run_to(["timeout", "60", "build/bench/%s/fuzz/%s" % (
                    v, t), "-runs=1", "-artifact_prefix=%s/" % d, poc], log)
                ok_poc = "yes" if rc != 0 and matches(b.report, log) \
                    else "no"
                rc = run_to(["timeout", "60", "build/bench/%s/afl/%s" % (
                    v, t), poc], log + ".afl")
                with open(log + ".afl", "a") as f:
                    f.write("exit=%d\n" % rc)
                ok_afl = "yes" if rc != 0 and matches(b.report,
                                                      log + ".afl") else "no"
                slog = os.path.join(d, v + ".seeds.log")
                if v not in seeds_ok:
                    rc = run_to(["timeout", "120", "build/bench/%s/fuzz/%s" %
                                 (v, t), "-runs=0", "-artifact_prefix=%s/" %
                                 d, os.path.join(run.seeds, t)], slog)
                    if b.depth == 0:  # a seed reaches it, with its fault
                        ok = rc != 0 and matches(b.report, slog)
                    else:
                        ok = rc == 0
                    seeds_ok[v] = "yes" if ok else "no"
                rows.append([p, c, ok_poc, ok_afl, seeds_ok[v]])
                if (ok_poc, ok_afl, seeds_ok[v]) != ("yes",) * 3:
                    for f in (log, log + ".afl", slog):
                        run.note_tail(f, 5)
                    run.die("check: %s: fault on its input %s libFuzzer=%s "
                            "AFL++=%s, seeds clean=%s" % (
                                v, p, ok_poc, ok_afl, seeds_ok[v]))
    return {"check": rows}


# ---- throughput ----------------------------------------------------------
def known_env(run, t):
    """The environment of target t's libFuzzer runs: as a campaign's, with
    the committed crash store's known root causes of t refused and counted
    (CF_KNOWN_FAULTS, preflight.known_root_causes) instead of ending a run
    at once (fuzz_interp_711 meets CF-291 in its first second: its _smart
    run would time its start-up); None when t has none."""
    known, _ = preflight.known_root_causes(t, paths.root_path("crashes"))
    if not known:
        return None
    f = os.path.join(run.work, "known-%s.txt" % t)
    store.atomic_write(f, "".join(k["key"] + "\n" for k in known))
    return dict(os.environ, CF_KNOWN_FAULTS=f, CF_KNOWN_HITS=f + ".hits")


def lf_run(run, binary, seeds, sec, cpu, env=None):
    """libFuzzer for SEC seconds pinned to cpu, restarted after a crash (a
    target that finds a bug ends early) until SEC seconds are spent:
    (execs, seconds as text, the folder holding the corpus it grew)."""
    w = tempfile.mkdtemp(prefix="tput.", dir=run.work)
    os.makedirs(os.path.join(w, "corpus"))
    execs, spent = 0, 0.0
    for k in range(20):
        left = sec - spent
        left = 0 if left < 1 else int(left + 0.5)
        if left <= 0:
            break
        t0 = time.time()
        log = os.path.join(w, "log.%d" % k)
        run_to(["taskset", "-c", str(cpu), binary,
                "-max_total_time=%d" % left, "-print_final_stats=1",
                "-timeout=10", "-max_len=8192", "-artifact_prefix=%s/" % w,
                os.path.join(w, "corpus"), seeds], log, env)
        execs += last_stat(read_text(log))
        spent = float("%.3f" % (spent + time.time() - t0))
    return execs, "%.3f" % spent, w


def lf_replay(binary, corpus, cpu, work, env=None):
    """The plain twin on a _smart run's final corpus, each input once (no
    mutation), the start-up time (the same run on an empty folder) taken
    off: (inputs, seconds as text)."""
    e = tempfile.mkdtemp(prefix="empty.", dir=work)
    up = os.path.dirname(corpus)
    t0 = time.time()
    run_to(["taskset", "-c", str(cpu), binary, "-runs=0",
            "-artifact_prefix=%s/" % e, e], None, env)
    t1 = time.time()
    run_to(["taskset", "-c", str(cpu), binary, "-runs=0", "-max_len=8192",
            "-timeout=10", "-artifact_prefix=%s/../" % corpus, corpus],
           os.path.join(up, "replay.log"), env)
    t2 = time.time()
    n = sum(len(fs) for _, _, fs in os.walk(corpus))
    t = (t2 - t1) - (t1 - t0)
    return n, "%.3f" % (t if t > 0.001 else 0.001)


def afl_run(run, binary, seeds, sec, cpu):
    """AFL++ on a persistent guard build for SEC seconds pinned to cpu:
    (execs, seconds as text) from fuzzer_stats."""
    o = tempfile.mkdtemp(prefix="afltput.", dir=run.work)
    run_to(["timeout", "-k", "5", str(sec + 120), "taskset", "-c", str(cpu),
            "afl-fuzz", "-i", seeds, "-o", os.path.join(o, "out"), "-V",
            str(sec), "--", binary], os.path.join(o, "log"), env=afl_env())
    st = afl_stats(read_text(os.path.join(o, "out", "default",
                                          "fuzzer_stats")))
    try:
        e, r = int(float(st.get("execs_done", 0))), \
            float(st.get("execs_per_sec", 0))
    except ValueError:
        e, r = 0, 0.0
    return (e, "%.3f" % (e / r)) if r > 0 else (0, "0")


def _ceiling(engine, target, r1, r2):
    """The do-nothing row of two runs (before, after): (ceiling, row)."""
    n1, n2 = rate(*r1[:2]), rate(*r2[:2])
    ceil = "%.0f" % ((int(n1) + int(n2)) / 2)
    return ceil, [engine, target, str(r1[0] + r2[0]),
                  awk_num(float(r1[1]) + float(r2[1])), ceil, ceil, "1.000",
                  "before %s, after %s" % (n1, n2)]


def throughput(run):
    """exec/s of every libFuzzer target (and its _smart twin) and of the
    AFL++ persistent builds, each against a do-nothing target measured
    before and after them, pinned to one core."""
    st, seeds = run.st, run.seeds
    tput, cpu = st["tput"], idle_core()
    run.note("throughput: libFuzzer, %ds windows on core %s" % (tput, cpu))
    noop = os.path.join(seeds, "fuzz_interp_716")
    r1 = lf_run(run, "build/bench/fuzz_noop", noop, tput, cpu)
    pl = {}
    for t in run.targets:
        env = known_env(run, t)
        pl[t] = lf_run(run, "build/fuzz/" + t, os.path.join(seeds, t), tput,
                       cpu, env)
        if run.mut[t] == "none":  # no structure-aware mutator: no twin
            continue
        pl[t + "_smart"] = lf_run(run, "build/fuzz/%s_smart" % t,
                                  os.path.join(seeds, t), tput, cpu, env)
        pl[t + "_replay"] = lf_replay(
            "build/fuzz/" + t, os.path.join(pl[t + "_smart"][2], "corpus"),
            cpu, run.work, env)
    r2 = lf_run(run, "build/bench/fuzz_noop", noop, tput, cpu)
    ceil, row = _ceiling("libfuzzer", "fuzz_noop", r1, r2)
    rows, smart = [row], []
    for t in run.targets:
        for x in (t, t + "_smart"):
            if x in pl:
                er = rate(*pl[x][:2])
                rows.append(["libfuzzer", x, str(pl[x][0]), pl[x][1], er,
                             ceil, ratio(er, ceil), ""])
        if run.mut[t] == "none":
            continue
        er, se = rate(*pl[t][:2]), rate(*pl[t + "_smart"][:2])
        # Too few inputs (a run that crashed at once) time the start-up,
        # not the target: no figure.
        rp, rr = "0", "0"
        if pl[t + "_replay"][0] >= 50:
            rp = rate(*pl[t + "_replay"])
            rr = ratio(se, rp)
        smart.append([t, er, se, ratio(se, er), rp, rr])
    afl_targets = ["fuzz_interp_716"] if st["quick"] else run.targets
    cpu = idle_core()
    run.note("throughput: AFL++ persistent, %ds windows on core %s" %
             (st["afl_tput"], cpu))
    r1 = afl_run(run, "build/bench/afl_noop", noop, st["afl_tput"], cpu)
    ar = {t: afl_run(run, "build/afl/" + t, os.path.join(seeds, t),
                     st["afl_tput"], cpu) for t in afl_targets}
    r2 = afl_run(run, "build/bench/afl_noop", noop, st["afl_tput"], cpu)
    ceil, row = _ceiling("afl", "afl_noop", r1, r2)
    rows.append(row)
    for t in afl_targets:
        er = rate(*ar[t])
        rows.append(["afl", t, str(ar[t][0]), ar[t][1], er, ceil,
                     ratio(er, ceil), ""])
    return {"tput": rows, "smart": smart}


# ---- mutator -------------------------------------------------------------
def mutator(run):
    run.note("mutator: 10,000 structure-aware mutations from the seeds")
    p = subprocess.run(["build/bench/bench_tool", "mutstat", "--runs",
                        "10000", "--max", "8192", "build/corpus"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    if p.returncode != 0:
        run.die("bench_tool mutstat failed")
    return {"mutstat": p.stdout.decode("utf-8", "replace").rstrip("\n")}


# ---- regression replay, scaling, filed -------------------------------------
def regress(run):
    if not os.access("scripts/regress.sh", os.X_OK):
        return {"regress": "na\tscripts/regress.sh is not in this tree"}
    run.note("regress: building the replay builds, then timing "
             "scripts/regress.sh")
    if run_to(["make", "--no-print-directory", "-s", "-j%d" % run.nproc,
               "replay", "corpus"],
              os.path.join(run.work, "regress-build.log")) != 0:
        return {"regress": "na\tmake replay failed (see the work folder)"}
    log = os.path.join(run.work, "regress.log")
    t0 = time.time()
    rc = run_to(["scripts/regress.sh"], log)
    secs = time.time() - t0
    p = f = 0
    for m in re.finditer(r"^regress: ([0-9]+) passed, ([0-9]+) failed",
                         read_text(log), re.M):
        p, f = int(m.group(1)), int(m.group(2))
    if p + f == 0:
        return {"regress": "na\tscripts/regress.sh printed no count "
                "(exit %d)" % rc}
    return {"regress": "ok\t%d\t%.2f\t%.1f\t%d\t%d" % (
        p + f, secs, (p + f) / secs, f, rc)}


def scale_run(run, name, jobs, *opts):
    """A campaign of SCALE_BUDGET seconds: (AFL++ execs, libFuzzer execs,
    fuzzing seconds), or the text 'fail <why>'."""
    o = os.path.join(run.work, "campaign-" + name)
    shown = run.shown(o)
    run.note("scaling: campaign %s (--jobs %d%s), %ds" % (
        name, jobs, "".join(" " + x for x in opts), SCALE_BUDGET))
    cmd = ["timeout", str(SCALE_BUDGET * 6 + 300), "scripts/campaign.sh",
           "--budget", "%ds" % SCALE_BUDGET, "--jobs", str(jobs)] + \
        list(opts) + ["--targets", "fuzz_interp_716", "--out", o,
                      "--crashes", os.path.join(run.work, "campaign-crashes")]
    if run_to(cmd, o + ".log") != 0:
        return "fail scripts/campaign.sh --jobs %d%s failed (see %s.log)" % (
            jobs, "".join(" " + x for x in opts), shown)
    try:
        with open(os.path.join(o, "report.json")) as f:
            rep = json.load(f)
        tot, camp = rep.get("totals") or {}, rep.get("campaign") or {}
        e = (float(tot.get("aflpp_execs") or 0),
             float(tot.get("libfuzzer_execs") or 0),
             float(camp.get("fuzz_seconds") or 0))
    except (OSError, ValueError, AttributeError, TypeError):
        e = (0.0, 0.0, 0.0)
    if not (e[0] + e[1] > 0 and e[2] > 0):
        return "fail no execs or fuzzing time in %s/report.json" % shown
    return e


def scaling_figures(a1, l1, m2, a2):
    """The scaling section's text: ok, per-engine exec/s alone (AFL++,
    libFuzzer), in the 2-job campaign (AFL++, libFuzzer), the figure (sum
    of shares), AFL++ 2 instances against 1 (raw), all engines 2 jobs
    against 1 (raw)."""
    ra, rl = a1[0] / a1[2], l1[1] / l1[2]
    ma, ml = m2[0] / m2[2], m2[1] / m2[2]
    f = (ma / ra if ra > 0 else 0) + (ml / rl if rl > 0 else 0)
    b = a2[0] / a2[2]
    return "ok\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f" % (
        ra, rl, ma, ml, f, b / ra if ra > 0 else 0,
        (ma + ml) / ra if ra > 0 else 0)


def scaling(run):
    """A campaign with 2 jobs against 1: each engine of the 2-job campaign
    against the same engine alone in a 1-job campaign (--engines)."""
    if not os.access("scripts/campaign.sh", os.X_OK):
        return {"scaling": "na\tscripts/campaign.sh is not in this tree yet"}
    if run.st["quick"]:
        return {"scaling": "na\tskipped in quick mode"}
    h = subprocess.run(["scripts/campaign.sh", "--help"],
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL)
    if b"--engines" not in h.stdout:
        return {"scaling": "na\tscripts/campaign.sh has no --engines option"}
    runs = [scale_run(run, "afl-1", 1, "--engines", "afl"),
            scale_run(run, "libfuzzer-1", 1, "--engines", "libfuzzer"),
            scale_run(run, "both-2", 2),
            scale_run(run, "afl-2", 2, "--engines", "afl")]
    for x in runs:
        if isinstance(x, str):
            return {"scaling": "na\t" + x[len("fail "):]}
    return {"scaling": scaling_figures(*runs)}


# The fields of the engines section's text (after "ok"), in order.
ENGINES_FIELDS = ("budget_s", "fuzz_seconds", "libfuzzer_execs",
                  "aflpp_execs", "plain_execs", "plain_seconds",
                  "smart_execs", "smart_seconds")


def engines_figures(rep, budget_s):
    """The engines section's text from a campaign's report.json (REP):
    ok, then ENGINES_FIELDS; 'fail <why>' when it has no executions."""
    try:
        tot, camp = rep.get("totals") or {}, rep.get("campaign") or {}
        lfx = int(tot.get("libfuzzer_execs") or 0)
        ax = int(tot.get("aflpp_execs") or 0)
        by = {k: [0, 0] for k in ("plain", "smart")}
        for t in rep.get("targets") or []:
            bb = (t.get("libfuzzer") or {}).get("by_build") or {}
            for k in by:
                by[k][0] += int((bb.get(k) or {}).get("execs") or 0)
                by[k][1] += int((bb.get(k) or {}).get("seconds") or 0)
        secs = int(camp.get("fuzz_seconds") or 0)
    except (AttributeError, TypeError, ValueError):
        return "fail report.json is not a campaign report"
    if lfx + ax == 0 or secs == 0:
        return "fail no executions or fuzzing time in report.json"
    return "ok\t" + "\t".join(str(x) for x in (
        budget_s, secs, lfx, ax, by["plain"][0], by["plain"][1],
        by["smart"][0], by["smart"][1]))


def engines(run):
    """The default campaign as `make fuzz` runs it (every target, --jobs
    the cores, BENCH_ENGINES_BUDGET, default 5m), against a copy of the
    committed crash store (its known root causes suppressed, as for a
    user; nothing written to crashes/): libFuzzer's executions against
    AFL++'s, and libFuzzer's per build. In --quick too: the figure is
    about the default campaign, so it runs the default budget."""
    b = os.environ.get("BENCH_ENGINES_BUDGET") or "5m"
    secs = options.parse_duration(b)
    if secs is None:
        return {"engines": "na\tBENCH_ENGINES_BUDGET=%s is not a duration"
                % b}
    o = os.path.join(run.work, "campaign-default")
    crashes = os.path.join(run.work, "engines-crashes")
    for d in (o, crashes):  # a resumed run's half-done campaign
        shutil.rmtree(d, ignore_errors=True)
    shutil.copytree(paths.root_path("crashes"), crashes)
    run.note("engines: the default campaign, --budget %s (every target)" % b)
    cmd = ["timeout", str(secs * 3 + 900), "scripts/campaign.sh",
           "--budget", b, "--out", o, "--crashes", crashes]
    if run_to(cmd, o + ".log") != 0:
        return {"engines": "na\tscripts/campaign.sh --budget %s failed "
                "(see %s.log)" % (b, run.shown(o))}
    try:
        with open(os.path.join(o, "report.json")) as f:
            rep = json.load(f)
    except (OSError, ValueError):
        rep = {}
    r = engines_figures(rep, secs)
    if r.startswith("fail "):
        return {"engines": "na\t%s (%s)" % (r[len("fail "):], run.shown(o))}
    return {"engines": r}


def filed(run):
    """The campaign benchmark (docs/BENCH.md, "Filed as its own
    signature"): scripts/chanfuzz bench-campaign, its results file in the
    work folder (it resumes from it: a resumed run keeps the trials
    done)."""
    n = os.environ.get("BENCH_FILED_TRIALS") or "10"
    b = os.environ.get("BENCH_FILED_BUDGET") or "5m"
    if run.st["quick"]:
        return {"filed": "na\tskipped in quick mode (scripts/chanfuzz "
                "bench-campaign: 30 default campaigns)"}
    run.note("filed: %s default campaigns of %s per defect (scripts/chanfuzz "
             "bench-campaign)" % (n, b))
    rc = run_to(["scripts/chanfuzz", "bench-campaign", "--trials", n,
                 "--budget", b, "--out", run.work, "--name", "filed",
                 "--work", os.path.join(run.work, "filed-work")],
                os.path.join(run.work, "filed.log"))
    path = os.path.join(run.work, "filed.json")
    if rc != 0:
        return {"filed": "na\tscripts/chanfuzz bench-campaign failed (see "
                "%s/filed.log)" % run.shown(run.work)}
    try:
        with open(path) as f:
            js = json.load(f)
    except (OSError, ValueError):
        return {"filed": "na\tscripts/chanfuzz bench-campaign wrote no "
                "results (see %s/filed.log)" % run.shown(run.work)}
    return {"filed": "ok\t" + path, "filed_json": js,
            "filed_md": read_text(path[:-len(".json")] + ".md")}
