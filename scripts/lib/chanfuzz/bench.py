"""chanfuzz's benchmarks, behind `make bench` and `make bench-quick`
(docs/BENCH.md: method, defects, how to read the tables).

  scripts/bench.sh [--quick] [--trials N] [--cap SEC] [--tput SEC]
      [--afl-tput SEC] [--bugs LIST] [--configs LIST] [--crc on|off|both]
      [--crc-off-configs LIST] [--parallel N] [--only LIST] [--out DIR]
      [--checkpoint DIR] [--keep] [--no-build]
  scripts/bench.sh --resume DIR [--parallel N] [--keep] [--no-build]
  (scripts/bench.sh is `scripts/chanfuzz bench`.)

Sections (--only picks some, comma-separated):
  check    each planted defect's benchmark build faults on its proof-of-
           concept input with the expected report, and runs its seeds
           clean (a broken bug zoo stops the run);
  tput     exec/s of every libFuzzer target (and its _smart twin) on its
           seeds, and of the AFL++ persistent guard builds, each as a
           share of a do-nothing target built the same way (the ceiling),
           in the same run, for the same time, pinned to one core;
  mutator  share of 10,000 structure-aware mutations that parse with the
           CRC check on; _smart exec/s against the plain twin (from tput);
  ttb      time-to-bug: each planted defect x engine configuration x CRC
           mode (--crc-off-configs: which configurations also run the
           CRC-skipping baseline; default all), N trials capped at CAP
           seconds, --parallel trials at a time (default 2, one core
           each, pinned with taskset); time to the "reached" canary and to
           the fault; medians, found-rate, Kaplan-Meier restricted mean,
           and against libFuzzer on bytes the ratio of medians,
           Mann-Whitney U p and Vargha-Delaney A12
           (scripts/lib/chanfuzz/benchstats.py);
  regress  inputs/s of `make regress`'s replay (scripts/regress.sh);
  scaling  a campaign (scripts/campaign.sh) with 2 jobs against 1: each
           engine's exec/s in the 2-job campaign as a share of the same
           engine alone in a 1-job campaign, summed (2.0 = perfect).
  engines  the default campaign (scripts/campaign.sh, every target,
           BENCH_ENGINES_BUDGET, default 5m, also in --quick) against a
           copy of the committed crash store: libFuzzer's executions as a
           share of AFL++'s, and libFuzzer's plain and _smart builds'
           executions and exec/s;
  filed    what the user reads: the defects of bench/bugs/zoo.tsv that
           the crash identity work added (supply, valgap, lexhex), each in
           BENCH_FILED_TRIALS (10) default campaigns of BENCH_FILED_BUDGET
           (5m) on a patched copy of the checkout against the committed
           crash store: found-rate and time to be filed as a signature of
           its own, and CF-291 filed whenever it is not known
           (scripts/chanfuzz bench-campaign; hours: not in --quick).
A section whose script is missing is reported "not available".

Defaults (environment BENCH_TRIALS, BENCH_CAP, BENCH_TPUT; options win):
  full:    20 trials, cap 120 s, all defects but those of depth 0, all
           configurations, CRC on and off, 30 s throughput windows
           (hours: the nightly machine);
  --quick: 2 trials, cap 20 s, defects cf291 and typeconf, configurations
           lf-bytes lf-smart afl-smart, CRC on, 2 s libFuzzer and 8 s
           AFL++ windows (--afl-tput); the engines section's 5-minute
           campaign: about 10 minutes in all.
Configurations: lf-bytes lf-dict lf-smart afl afl-cmplog afl-smart.
Defects: those of bench/bugs/zoo.tsv; targets: harness/targets.tsv.

Writes bench/results/<UTC date>[-quick].md and .json atomically (a
temporary file in the same folder, then renamed; benchreport.py) and
prints their paths. The work folder (logs, fuzzer output) is
build/bench/runs/<stamp>.XXXXXXXX/, removed once the report is written
unless --keep.

--resume DIR carries on a run that was interrupted or killed (a full run
takes hours): its settings and stamp are DIR's own (only --parallel,
--keep and --no-build may be given); the sections it finished and every
trial with a result are kept, an unfinished trial is run again; the tree
must hold the same parsers/ harness/ bench/ tools/ scripts/ Makefile
(committed and uncommitted) as when the run started, since the builds
would differ otherwise. An interrupted run keeps its work folder and
prints the command that resumes it; the report's duration is the sum of
the parts.

--checkpoint DIR keeps a copy of the run's state in DIR as it goes (the
settings, the parts, the finished sections and every trial's result: a
few hundred KB of text; each file written beside and renamed in), for a
run longer than one machine's window: commit or upload DIR, and
`--resume DIR` on another day or machine, from a clone of the same code,
copies the state into a new work folder and carries on, checkpointing
into DIR again. Relative paths (--out, --checkpoint, --resume) are taken
from the repository's root. bench/results/ and bench/runs/ (where
checkpoints go) are not part of the measured code.

--report DIR writes the report of a finished run again (from the
DIR/report.json a work folder kept with --keep holds) into --out DIR or
the run's own results folder: scripts/bench-report.sh DIR.

Exit status: 0, 1 on a failure (a bug-zoo check, a build, a resume of
another tree), 2 on bad usage, 130 when interrupted.
"""
import contextlib
import glob
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from chanfuzz import (benchreport, benchrun, benchttb, benchzoo, cli, paths,
                      store, targets)
from chanfuzz.benchstate import (MEASURED_PATHS, PROG, Fatal, Interrupted,
                                 Run, copy_state, load_avg, note,
                                 parts_summary, tree_id)
ALL_CONFIGS = ("lf-bytes", "lf-dict", "lf-smart", "afl", "afl-cmplog",
               "afl-smart")
# The sections, in the order they run.
SECTIONS = (("check", benchrun.check), ("tput", benchrun.throughput),
            ("mutator", benchrun.mutator), ("ttb", benchttb.time_to_bug),
            ("regress", benchrun.regress), ("scaling", benchrun.scaling),
            ("engines", benchrun.engines), ("filed", benchrun.filed))
ALL_SECTIONS = tuple(name for name, _ in SECTIONS)
BASE_CONFIG = "lf-bytes"
VALUE_OPTIONS = ("--trials", "--cap", "--tput", "--afl-tput", "--bugs",
                 "--configs", "--crc", "--crc-off-configs", "--parallel",
                 "--only", "--out", "--resume", "--checkpoint", "--report")
# The settings file of a work folder or checkpoint, in this order.
SETTINGS = ("trials", "cap", "tput", "afl_tput", "bugs", "configs", "crc",
            "offcfg", "only", "quick", "mode", "out", "checkpoint", "STAMP",
            "COMMIT_START", "COMMIT_DESC")
# ---- options -------------------------------------------------------------
def parse_args(argv):
    """The command line as a dict of the options given (values as text),
    plus set_opts: the settings options given (those --resume refuses)."""
    o = {"quick": False, "keep": False, "build": True, "set_opts": []}
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--quick":
            o["quick"] = True
            o["set_opts"].append(a)
        elif a == "--keep":
            o["keep"] = True
        elif a == "--no-build":
            o["build"] = False
        elif a in ("-h", "--help"):
            o["help"] = True
        elif a in VALUE_OPTIONS:
            if i + 1 >= len(argv):
                raise cli.UsageError("%s needs a value (try --help)" % a)
            if a not in ("--parallel", "--resume", "--report"):
                o["set_opts"].append(a)
            o[a[2:].replace("-", "_")] = argv[i + 1]
            i += 1
        else:
            raise cli.UsageError("unknown argument '%s' (try --help)" % a)
        i += 1
    return o


def posint(option, value):
    if not re.fullmatch(r"[1-9][0-9]{0,6}", str(value)):
        raise cli.UsageError("%s wants a positive integer, not '%s' (try "
                             "--help)" % (option, value))
    return int(value)


def check_list(option, value, allowed):
    """The words of a comma- (or space-) separated list, each one of
    allowed; UsageError otherwise."""
    words = value.replace(",", " ").split()
    if not value or not words:
        raise cli.UsageError("%s wants a list (try --help)" % option)
    for w in words:
        if w not in allowed:
            raise cli.UsageError("%s: unknown '%s' (known: %s) (try --help)"
                                 % (option, w, " ".join(allowed)))
    return words


def resolve(o, env, bugs, resumed=False, nproc=None):
    """The run's settings from the options (or a resumed run's settings
    file: resumed), the environment and the bug zoo, validated: a dict
    with ints, lists and the mode (full, quick or custom)."""
    g = lambda k: o.get(k) or ""  # noqa: E731
    mode = g("mode") or "full"
    if not resumed and (g("trials") + g("cap") + g("bugs") + g("configs") +
                        g("crc") or env.get("BENCH_TRIALS") or
                        env.get("BENCH_CAP")):
        mode = "custom"
    quick = o.get("quick") in (True, "1")
    if quick:
        d = {"trials": env.get("BENCH_TRIALS") or "2",
             "cap": env.get("BENCH_CAP") or "20",
             "tput": env.get("BENCH_TPUT") or "2", "afl_tput": "8",
             "bugs": "cf291,typeconf",
             "configs": "lf-bytes,lf-smart,afl-smart", "crc": "on"}
        mode = "quick"
    else:
        d = {"trials": env.get("BENCH_TRIALS") or "20",
             "cap": env.get("BENCH_CAP") or "120",
             "tput": env.get("BENCH_TPUT") or "30", "afl_tput": "30",
             "bugs": ",".join(benchzoo.default_bugs(bugs)),
             "configs": ",".join(ALL_CONFIGS), "crc": "both"}
    v = {k: g(k) or d[k] for k in d}
    if not quick and (v["trials"] != "20" or v["cap"] != "120"):
        mode = "custom"
    v["only"] = g("only") or ",".join(ALL_SECTIONS)
    v["offcfg"] = g("crc_off_configs") or g("offcfg") or v["configs"]
    st = {"quick": quick, "mode": mode, "crc": v["crc"],
          "out": g("out") or "bench/results", "checkpoint": g("checkpoint")}
    for k, opt in (("trials", "--trials"), ("cap", "--cap"),
                   ("tput", "--tput"), ("afl_tput", "--afl-tput")):
        st[k] = posint(opt, v[k])
    st["parallel"] = posint("--parallel", g("parallel") or "2")
    st["bugs"] = check_list("--bugs", v["bugs"], list(bugs))
    st["configs"] = check_list("--configs", v["configs"], ALL_CONFIGS)
    st["only"] = check_list("--only", v["only"], ALL_SECTIONS)
    st["offcfg"] = check_list("--crc-off-configs", v["offcfg"], ALL_CONFIGS)
    if v["crc"] not in ("on", "off", "both"):
        raise cli.UsageError("--crc is on, off or both, not '%s' (try "
                             "--help)" % v["crc"])
    st["crcs"] = ["on", "off"] if v["crc"] == "both" else [v["crc"]]
    nproc = nproc or len(os.sched_getaffinity(0))
    if st["parallel"] > nproc:
        raise cli.UsageError("--parallel %d: this machine has %d cores (try "
                             "--help)" % (st["parallel"], nproc))
    return st


def want(st, section):
    return section in st["only"]


# ---- the settings file ---------------------------------------------------
def settings_text(values):
    """KEY="value" lines (shell syntax, as the shell version wrote them)."""
    def q(v):
        v = str(v)
        for c in '\\"$`':
            v = v.replace(c, "\\" + c)
        return '"%s"' % v
    return "".join("%s=%s\n" % (k, q(values.get(k, ""))) for k in SETTINGS)


def parse_settings(text):
    """The values of a settings file (KEY=value lines, shell quoting)."""
    out = {}
    for line in text.splitlines():
        m = re.fullmatch(r'([A-Za-z_][A-Za-z0-9_]*)="((?:[^"\\]|\\.)*)"',
                         line)
        if m:  # the usual form: double quotes, backslash " $ ` escaped
            out[m.group(1)] = re.sub(r'\\([\\"$`])', r"\1", m.group(2))
            continue
        try:
            words = shlex.split(line, comments=True)
        except ValueError:
            continue
        for w in words:
            k, sep, v = w.partition("=")
            if sep and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", k):
                out[k] = v
    return out


def settings_values(st, stamp, commit_start, commit_desc):
    """What a new run writes to its settings file."""
    return {"trials": st["trials"], "cap": st["cap"], "tput": st["tput"],
            "afl_tput": st["afl_tput"], "bugs": " ".join(st["bugs"]),
            "configs": " ".join(st["configs"]), "crc": st["crc"],
            "offcfg": " ".join(st["offcfg"]), "only": " ".join(st["only"]),
            "quick": int(st["quick"]), "mode": st["mode"], "out": st["out"],
            "checkpoint": st["checkpoint"], "STAMP": stamp,
            "COMMIT_START": commit_start, "COMMIT_DESC": commit_desc}


def need_builds(st, zoo, tlist, mut, regress_ok):
    """What the chosen sections run (the campaigns of scaling and engines
    build their own)."""
    need = []
    if want(st, "tput"):
        need += ["build/bench/fuzz_noop", "build/bench/afl_noop"]
        for t in tlist:
            # replay-guard: the known root causes (benchrun.known_env)
            need += ["build/fuzz/" + t, "build/afl/" + t,
                     "build/replay-guard/" + t]
            if mut[t] != "none":
                need.append("build/fuzz/%s_smart" % t)
    if want(st, "mutator") or want(st, "check"):
        need.append("build/bench/bench_tool")

    def need_zoo(bugs, crcs, kinds):
        for b in bugs:
            for c in crcs:
                v, t = benchzoo.variant(b, c), zoo[b].target
                for k in kinds:
                    if k == "fuzz_smart":
                        if mut[t] != "none":
                            need.append("build/bench/%s/fuzz/%s_smart" %
                                        (v, t))
                    else:
                        need.append("build/bench/%s/%s/%s" % (v, k, t))
    if want(st, "ttb"):
        need.append("build/afl/cf_mutator.so")
        need_zoo(st["bugs"], st["crcs"], ("fuzz", "fuzz_smart", "afl",
                                          "cmplog"))
    if want(st, "check"):  # every defect whatever the run measures
        need_zoo(list(zoo), ("on", "off"), ("fuzz", "afl"))
    if want(st, "regress") and regress_ok:
        need += ["build/replay/" + t for t in tlist]
    return need


def make(args, log=None, what=None):
    with open(log or os.devnull, "wb") as out:
        return subprocess.run(["make", "--no-print-directory", "-s"] + args,
                              stdin=subprocess.DEVNULL, stdout=out,
                              stderr=subprocess.STDOUT if log else None
                              ).returncode == 0


def build(run, need):
    """Build what is missing; the seconds it took."""
    t0 = time.time()
    note("building what is missing (make -j%d)" % run.nproc)
    if not make(["-j%d" % run.nproc, "build/cftool"]):
        run.die("build failed: build/cftool")
    if not make(["corpus"]):
        run.die("make corpus failed")
    if need:
        log = os.path.join(run.work, "build.log")
        if not make(["-j%d" % run.nproc] + sorted(set(need)), log):
            run.note_tail(log, 30)
            run.die("build failed (log above)")
    return int("%.0f" % (time.time() - t0))


def snapshot_seeds(run, resumed):
    """The compiled seeds only (corpus/<t>/ may also hold what someone's
    fuzzer saved there): the files `make corpus` writes for the target's
    input kind, or every file of a target whose seeds are committed as
    they are."""
    kinds = {t.name: t.input for t in targets.load()}
    for t in run.targets:
        d = os.path.join(run.seeds, t)
        if resumed and os.path.isdir(d):
            continue
        os.makedirs(d, exist_ok=True)
        src = os.path.join("corpus", t)
        pat = {"chan": "*.cf", "regex": "regex-*.bin"}.get(kinds[t])
        files = glob.glob(os.path.join(src, pat)) if pat else [
            os.path.join(src, f) for f in os.listdir(src)
            if not f.startswith(".")]
        for f in files:
            if os.path.isfile(f):
                shutil.copy(f, d)


def machine():
    """CPU model, clang's and AFL++'s versions."""
    cpu = ""
    with contextlib.suppress(OSError):
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(": ", 1)[1].strip("\n")
                break

    def first(cmd, pat=None):
        try:
            p = subprocess.run(cmd, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL)
        except OSError:
            return ""
        text = re.sub(r"\x1b\[[0-9;]*m", "", p.stdout.decode("utf-8",
                                                             "replace"))
        for line in text.splitlines():
            if pat is None:
                return line
            m = re.match(pat, line)
            if m:
                return "AFL" + m.group(1)
        return ""
    return cpu, first(["clang", "--version"]), \
        first(["afl-fuzz", "-h"], r"afl-fuzz(\+\+[0-9.a-z]*)")


def uptime():
    p = subprocess.run(["uptime"], stdout=subprocess.PIPE,
                       stdin=subprocess.DEVNULL)
    return p.stdout.decode().rstrip("\n")


# ---- main ----------------------------------------------------------------
def prepare(o):
    """Settings, work folder and the Run of the command line o (resumed
    or new): Fatal or UsageError when it cannot start."""
    try:
        zoo = benchzoo.load(targets.TARGETS)
    except benchzoo.ZooError as e:
        raise Fatal(str(e))
    resume = o.get("resume")
    if resume:
        if o["set_opts"]:
            raise cli.UsageError("--resume takes the run's own settings; not "
                                 "with %s (try --help)" %
                                 " ".join(o["set_opts"]))
        if not os.path.isfile(os.path.join(resume, "settings")):
            raise Fatal("%s: not a bench.sh work folder or checkpoint (no "
                        "settings file)" % resume)
        resume = os.path.abspath(resume)
        with open(os.path.join(resume, "settings")) as f:
            saved = parse_settings(f.read())
        saved["parallel"] = o.get("parallel")
        st = resolve(saved, os.environ, zoo, resumed=True)
        if os.path.isfile(os.path.join(resume, ".checkpoint")):
            st["checkpoint"] = resume
    else:
        st = resolve(o, os.environ, zoo)
    out = st["out"]
    try:
        os.makedirs(out, exist_ok=True)
    except OSError:
        raise Fatal("%s: cannot create the results folder" % out)
    if not os.access(out, os.W_OK):
        raise Fatal("%s: not writable" % out)
    for cmd in ("taskset", "timeout", "afl-fuzz", "make", "git"):
        if not shutil.which(cmd):
            raise Fatal("%s not found (run: make deps)" % cmd)
    runs = os.path.join(paths.ROOT, "build", "bench", "runs")
    if resume:
        now_id = tree_id()
        if now_id != saved.get("COMMIT_START"):
            raise Fatal(
                "the run in %s measured other code (%s: checksums of %s and "
                "their uncommitted diff; now %s): check out the commit it "
                "started at (its report names it, %s), or start a new run" %
                (resume, saved.get("COMMIT_START"), " ".join(MEASURED_PATHS),
                 now_id, saved.get("COMMIT_DESC")))
        stamp, desc = saved.get("STAMP", ""), saved.get("COMMIT_DESC", "")
        if st["checkpoint"] == resume:
            os.makedirs(runs, exist_ok=True)
            work = tempfile.mkdtemp(prefix=stamp + ".", dir=runs)
            try:
                copy_state(resume, work)
            except OSError:
                raise Fatal("%s: cannot copy the checkpoint into %s" %
                            (resume, work))
            note("resuming checkpoint %s in %s (%d trial results)" % (
                resume, work, len(glob.glob(os.path.join(work, "ttb", "*",
                                                         "result")))))
        else:
            work = resume
    else:
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        start_id = tree_id()
        p = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        desc = p.stdout.decode().strip() if p.returncode == 0 else "unknown"
        p = subprocess.run(["git", "status", "--porcelain",
                            "--untracked-files=no"], stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        if p.stdout.strip():
            desc += "+uncommitted"
        os.makedirs(runs, exist_ok=True)
        work = tempfile.mkdtemp(prefix=stamp + ".", dir=runs)
        store.atomic_write(os.path.join(work, "settings"), settings_text(
            settings_values(st, stamp, start_id, desc)))
    run = Run(st, work, zoo, o["keep"])
    run.stamp, run.commit_desc, run.resumed = stamp, desc, bool(resume)
    return run


def measure(run, build_on):
    """The builds, the sections and the report."""
    st = run.st
    os.environ.update(ASAN_OPTIONS="detect_leaks=0:symbolize=0:handle_abort=1",
                      UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=0")
    day = time.strftime("%Y-%m-%d", time.gmtime())
    load_start, uptime_start = load_avg(), uptime()
    note("mode %s; work folder %s; load %s" % (st["mode"], run.work,
                                               load_start))
    regress_ok = os.access("scripts/regress.sh", os.X_OK) and re.search(
        r"^replay:", open("Makefile").read(), re.M) is not None
    need = need_builds(st, run.zoo, run.targets, run.mut, regress_ok)
    build_s = build(run, need) if build_on else 0
    for f in need:
        if not os.path.exists(f):
            run.die("%s missing (run: make bench-build)" % f)
    # The benchmark part starts now: builds are not counted.
    run.part_start, run.part_load = time.time(), load_avg()
    note("benchmarks start; load %s" % run.part_load)
    run.alive()
    snapshot_seeds(run, run.resumed)
    results = {}
    for name, fn in SECTIONS:
        if want(st, name):
            results.update(run.section(name, fn))
    load_end, uptime_end = load_avg(), uptime()
    run.alive()
    texts = [open(f).read() for f in glob.glob(os.path.join(run.work,
                                                            "part.*"))
             if ".tmp" not in f]
    duration, parts, first_load = parts_summary(texts)
    cpu, clang, afl = machine()
    report = {
        "meta": {"day": day, "stamp": run.stamp, "mode": st["mode"],
                 "commit": run.commit_desc, "duration": duration,
                 "parts": parts, "build_s": build_s, "nproc": run.nproc,
                 "cpu": cpu, "clang": clang, "afl": afl,
                 "load_start": first_load, "load_end": load_end,
                 "uptime_start": uptime_start, "uptime_end": uptime_end},
        "settings": dict(st, base=BASE_CONFIG,
                         deepest=benchzoo.deepest(run.zoo),
                         scale_budget=benchrun.SCALE_BUDGET),
        "results": results}
    # what the report is made of: `scripts/bench-report.sh WORK` makes it
    # again from a work folder kept with --keep
    store.write_json(os.path.join(run.work, "report.json"), report)
    try:
        md, js, figs = benchreport.write(report, st["out"])
    except (OSError, ValueError) as e:
        run.die("could not write the report: %s" % e)
    note("wrote %s and %s (%d s)" % (md, js, duration))
    for line in benchreport.summary_lines(figs):
        print(line, file=sys.stderr)


def report_main(o):
    """--report DIR: the report of a finished run again, from the
    DIR/report.json it left (a work folder kept with --keep), into --out
    or the run's own results folder."""
    path = os.path.join(o["report"], "report.json")
    report = store.read_json(path)
    if not isinstance(report, dict) or "results" not in report:
        note("%s: no report.json (a work folder kept with --keep has one "
             "once its run is done)" % o["report"])
        return 1
    out = o.get("out") or report["settings"]["out"]
    try:
        os.makedirs(out, exist_ok=True)
        md, js, figs = benchreport.write(report, out)
    except (OSError, ValueError, KeyError) as e:
        note("%s: cannot write the report: %s" % (out, e))
        return 1
    note("wrote %s and %s" % (md, js))
    for line in benchreport.summary_lines(figs):
        print(line, file=sys.stderr)
    return 0


def bench_main(argv):
    os.chdir(paths.ROOT)
    os.environ["LC_ALL"] = "C"
    try:
        o = parse_args(argv)
        if o.get("help"):
            print(__doc__.rstrip("\n"))
            return 0
        if o.get("report"):
            return report_main(o)
        run = prepare(o)
    except cli.UsageError as e:
        return cli.usage_error(PROG, e)
    except Fatal as e:
        note(str(e))
        return 1
    rc = 0
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, run.on_signal)
    try:
        run.alive()
        measure(run, o["build"])
        run.finished = True
    except Fatal as e:
        note(str(e))
        rc = 1
    except Interrupted:
        note("interrupted")
        rc = 130
    finally:
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
        run.cleanup()
    return rc


def register(sub):
    p = sub.add_parser(
        "bench", add_help=False,
        help="the benchmarks (scripts/bench.sh, make bench): bug zoo check, "
        "throughput, mutator, time-to-bug, regress, scaling, engines, filed")
    cli.takes_unknown(p)
    p.set_defaults(func=lambda args: bench_main(args.unknown))
