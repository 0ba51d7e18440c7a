"""campaign.sh - the nightly fuzz campaign (docs/CAMPAIGN.md): libFuzzer and
AFL++ side by side on every core, corpora shared between them, then the
corpus merged and minimised, every crash triaged into crashes/, and a report.

  scripts/campaign.sh [--budget DURATION] [--jobs N] [--targets LIST]
                      [--engines LIST] [--out DIR] [--crashes DIR]
                      [--sync-dir DIR --role main|secondary]
                      [--minimize-time SEC] [--sync-interval SEC]
                      [--full-triage] [--no-suppress]
  scripts/campaign.sh --resume DIR [--budget DURATION] [--jobs N]
                      [--crashes DIR] [--minimize-time SEC]

Before fuzzing (scripts/lib/chanfuzz/preflight.py): every seed and every
fixed regression input of each target is replayed; one that faults is
triaged and filed like any crash, listed first in the report, and left
out of the start corpus with a warning. The known root causes (detect and
open regression entries already filed in the crash store) are written to
OUT/known/<t>.txt; the fuzzers refuse and count their reads instead of
crashing, so that a known finding does not stop the search for the next
one (the report says "hit N times, suppressed"). --no-suppress: nothing
is known, every fault crashes. At the end every crash folder is replayed
on the current builds (fixed verification); the crash store itself is
never rewritten.

DURATION: 90s, 5m, 1h, 1h30m, or plain seconds (default 5m). --jobs: the
cores to use (default nproc). --targets: comma list (default all six).
--engines: comma list of afl and libfuzzer (default both; one alone gets
every job, as for measuring one engine or comparing them).
--out: default campaigns/<UTC time>/. --crashes: where triage files unique
crashes (default crashes/). --minimize-time: triage's per-crash minimisation
bound (default 30). --sync-interval: seconds between corpus exchanges and
libFuzzer restarts (default 60).

The split of jobs (docs/CAMPAIGN.md, "Core split", with the measured
figures): C = min(targets, max(1, jobs/2)) targets run at a time, each with
jobs/C jobs (the remainder to the first ones); a target with k jobs runs
ceil(k/2) AFL++ instances and floor(k/2) libFuzzer processes (all k of the
one engine under --engines afl or --engines libfuzzer). With more
targets than C they are time-sliced: groups of C targets in turn, slices
of at most 10 minutes, rotating until the budget is spent. The slice in
force is a function of the fuzzing time elapsed, so a resumed campaign
carries on where it was.

  libFuzzer: one process per job, restarted every --sync-interval seconds
    and after half of its slice (alternating the _smart and plain builds
    when a target has one job, so that both run in every slice),
    all of a target's jobs sharing OUT/lf/<t>/corpus (-reload=1);
    artifacts in OUT/lf/<t>/artifacts/. A job whose runs keep crashing at
    once (3 runs ending in a crash within 30 s in one slice: a shallow
    known bug such as CF-291 in fuzz_interp_711) hands its core to one
    more AFL++ secondary, which keeps fuzzing past crashes (not under
    --engines libfuzzer: there it goes on restarting).
  AFL++: -o OUT/afl/<t> (or SYNC-DIR/<t>); instances main (-M, custom
    mutator, dictionary), cmplog (-c build/cmplog/<t> -l 2AT), smart
    (custom mutator only), asan (build/afl-asan/<t>), then power schedules
    explore, fast, coe, rare, ... The custom mutator library is loaded by
    every instance: its post_process repairs the CRC after AFL++'s own
    mutations. afl-fuzz binds itself to a free core (AFL_TRY_AFFINITY=1:
    bind when a core is free, run unbound otherwise).
  Corpus sharing, every --sync-interval seconds: new AFL++ queue entries
  (not those AFL++ itself synced in) are copied into the libFuzzer corpus,
  which libFuzzer reloads; the main AFL++ instance reads the libFuzzer
  corpus itself (afl-fuzz -F); without one on this machine (--role
  secondary) new libFuzzer corpus files go into a pseudo-instance
  SYNC-DIR/<t>/<prefix>-libfuzzer/queue/ from which every AFL++ instance
  syncs (AFL_SYNC_TIME=1).

Ends at the budget or on SIGINT/SIGTERM: stops the fuzzers (SIGTERM, 10 s,
SIGKILL), triages every crash file with scripts/triage.sh, merges the
corpus (libFuzzer -merge=1 -merge_control_file=OUT/merge.ctl into
OUT/corpus/<t>; afl-cmin into OUT/corpus-afl/<t>), measures source
coverage (build/coverage/<t>, llvm-cov) and writes report.md, report.json,
report.sarif, report.html, coverage/index.html, coverage.png and execs.png.

--resume DIR continues a campaign that was stopped or killed (even with
SIGKILL): the options, the start time and the fuzzing time elapsed are in
DIR/state.json (rewritten atomically every 5 s); leftover fuzzers of the
killed run are stopped; AFL++ resumes its instances (AFL_AUTORESUME=1),
libFuzzer its corpus; crash files stay where the fuzzers wrote them and
are triaged at the end. A campaign killed while finishing resumes its
finishing steps.

Exit status: 0 when the campaign ended and its report is written (crashes
found are not an error), 1 when a step failed, 2 on bad arguments, 130 /
143 when interrupted while finishing (resume it).
"""
import glob
import json
import os
import shutil
import signal
import sys
import time

from chanfuzz import exchange, finish, options, paths, state, stats, store, \
    supervise, targets
from chanfuzz.cli import UsageError, takes_unknown, usage_error
from chanfuzz.crew import Crew
from chanfuzz.layout import EventLog, Failure, Layout, PROG, host_prefix, \
    warn

MAX_SLICE = 600      # longest time slice of a target group, seconds
STATUS_EVERY = 5     # seconds between status lines, samples and state.json
SIGNAMES = {signal.SIGINT: "INT", signal.SIGTERM: "TERM"}


# ---- the schedule (pure) ----------------------------------------------------
def schedule(jobs, nt, budget):
    """(targets at a time, groups, slice length): C = min(targets,
    max(1, jobs/2)); with more than one group, slices of at most
    MAX_SLICE seconds that divide the budget evenly."""
    conc = min(max(jobs // 2, 1), nt)
    groups = (nt + conc - 1) // conc
    if groups == 1:
        return conc, 1, budget
    r = (budget + groups * MAX_SLICE - 1) // (groups * MAX_SLICE)
    return conc, groups, max(budget // (groups * r), 1)


def group_targets(tlist, conc, g):
    return tlist[g * conc:(g + 1) * conc]


def slice_at(e, slice_len, groups, budget):
    """(slice index, group, end) of the slice in force at fuzzing time
    E; a remainder shorter than 10 s joins the slice before it."""
    cur = e // slice_len
    end = min((cur + 1) * slice_len, budget)
    if budget - end < 10:
        end = budget
    return cur, cur % groups, end


# ---- the campaign -----------------------------------------------------------
class Campaign:
    """One campaign: its state, folder, event log and clock."""

    def __init__(self, out, st):
        self.st = st
        self.state_path = os.path.join(out, "state.json")
        self.layout = Layout(out, st.sync_dir, st.role, st.prefix,
                             st.suppress)
        self.log = EventLog(self.layout.path("campaign.log"))
        self.runs = stats.RunBook(out, st.targets)
        self.pids = supervise.PidFile(self.layout.path("pids.tsv"))
        self.mutators = {t.name: t.mutator for t in targets.load()}
        self.t_base = time.monotonic()
        self.e0 = self.t0 = 0
        self.slice_end = 0
        self.slice_len = 0
        self.stop = None

    def mutator(self, t):
        return self.mutators.get(t, "none")

    def foreign(self, t):
        """The folder the -M instance of t syncs from (afl-fuzz -F): the
        libFuzzer corpus, when both engines run and -M runs here."""
        if self.st.engines == ["afl", "libfuzzer"] and \
                self.layout.role != "secondary":
            return self.layout.path("lf", t, "corpus")
        return None

    def seconds(self):
        return int(time.monotonic() - self.t_base)

    def elapsed(self):
        return self.e0 + self.seconds() - self.t0

    def save_state(self):
        self.st.save(self.state_path)


def _previous(out):
    """The latest finished campaign beside OUT, or None."""
    best, prev = "", None
    for r in glob.glob(os.path.join(glob.escape(os.path.dirname(out)), "*",
                                    "report.json")):
        if os.path.dirname(r) == out:
            continue
        try:
            with open(r) as f:
                fin = (json.load(f).get("campaign") or {}).get("finished")
        except (OSError, ValueError, AttributeError):
            continue
        if fin and fin > best:
            best, prev = fin, os.path.dirname(r)
    return prev


def new_state(o):
    """The State and folder of a new campaign of options O."""
    st = state.State(budget_s=o.budget or 300, jobs=o.jobs or os.cpu_count(),
                     targets=o.targets or list(targets.TARGETS),
                     engines=o.engines or list(state.ENGINES),
                     minimize_time=o.minimize_time or 30,
                     sync_interval=o.sync_interval or 60,
                     suppress=not o.no_suppress,
                     full_triage=bool(o.full_triage))
    st.crashes = os.path.abspath(o.crashes or paths.root_path("crashes"))
    if o.sync_dir:
        try:
            os.makedirs(o.sync_dir, exist_ok=True)
        except OSError:
            raise UsageError("--sync-dir %s: cannot create it" % o.sync_dir)
        st.sync_dir, st.role = os.path.realpath(o.sync_dir), o.role
        st.prefix = host_prefix(os.getpid())
    out = os.path.abspath(o.out) if o.out else paths.root_path(
        "campaigns", time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()))
    if os.path.exists(os.path.join(out, "state.json")):
        raise UsageError("--out %s already holds a campaign: continue it "
                         "with --resume %s, or choose another --out" %
                         (out, out))
    if os.path.isdir(out) and os.listdir(out):
        raise UsageError("--out %s exists and is not empty" % out)
    try:
        os.makedirs(out, exist_ok=True)
    except OSError:
        raise UsageError("--out %s: cannot create it" % out)
    out = os.path.realpath(out)
    st.previous = _previous(out)
    return st, out


def resumed_state(o):
    """The State and folder of a resumed campaign, or (None, out) when
    it has finished and the budget gives nothing more."""
    if not os.path.isdir(o.resume):
        raise UsageError("--resume %s: no such directory" % o.resume)
    path = os.path.join(o.resume, "state.json")
    if not os.path.isfile(path):
        raise UsageError("--resume %s: no state.json there (not a campaign "
                         "folder)" % o.resume)
    out = os.path.realpath(o.resume)
    try:
        st = state.load(os.path.join(out, "state.json"))
    except state.StateError as e:
        raise UsageError(str(e))
    if o.no_suppress:
        raise UsageError("--no-suppress cannot change on --resume (the "
                         "campaign keeps its own)")
    st.budget_s = o.budget or st.budget_s
    st.jobs = o.jobs or st.jobs
    if o.crashes:
        st.crashes = os.path.abspath(o.crashes)
    st.minimize_time = o.minimize_time or st.minimize_time
    # --full-triage given once holds for the rest of the campaign
    st.full_triage = st.full_triage or bool(o.full_triage)
    phase = state.resume_phase(st, st.budget_s)
    if phase is None:
        print("%s: %s: this campaign has finished (%s of fuzzing); its "
              "report: %s/report.md" % (PROG, out, stats.fmt_dur(
                  st.elapsed_s), out))
        print("%s: give a larger --budget to fuzz on" % PROG)
        return None, out
    st.phase, st.runs = phase, st.runs + 1
    return st, out


# ---- before fuzzing ---------------------------------------------------------
def build_all(c):
    c.log.event("building what is missing (make -s harness corpus, coverage "
                "builds)")
    log = c.layout.path("build.log")
    if supervise.run(["make", "-s", "-C", paths.ROOT, "harness", "corpus"],
                     log=log) != 0:
        raise Failure("make harness corpus failed (see %s)" % log)
    cov = ["build/coverage/" + t for t in c.st.targets]
    if supervise.run(["make", "-s", "-C", paths.ROOT] + cov, log=log) != 0:
        raise Failure("make of the coverage builds failed (see %s)" % log)
    if not shutil.which("afl-fuzz"):
        raise Failure("afl-fuzz is not installed (make deps)")


def prepare_target(c, t):
    """OUT/seeds/<t>: the target's seeds plus the previous campaign's
    merged corpora, named by SHA-1; the libFuzzer corpus starts as a
    copy (once: OUT/lf/<t>/.seeded)."""
    L = c.layout
    for d in (L.path("lf", t, "artifacts"), L.path("lf", t, "logs"),
              L.path("sync", t), L.afl_out(t)):
        os.makedirs(d, exist_ok=True)
    with open(L.path("lf", t, "artifacts", ".target"), "w") as f:
        f.write(t + "\n")
    if os.path.exists(L.path("lf", t, ".seeded")):
        return
    sd, lfc = L.path("seeds", t), L.path("lf", t, "corpus")
    for d in (sd, lfc):
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
    srcs = [paths.root_path("corpus", t)]
    if c.st.previous:
        srcs += [os.path.join(c.st.previous, "corpus", t),
                 os.path.join(c.st.previous, "corpus-afl", t)]
    for d in srcs:
        for f in finish.plain_files(d):
            if os.path.basename(f).startswith("."):
                continue
            h = store.sha1_file(f)
            if not os.path.exists(os.path.join(sd, h)):
                shutil.copyfile(f, os.path.join(sd, h))
    names = sorted(os.listdir(sd))
    if not names:
        raise Failure("%s: no seeds (run make corpus)" % t)
    for n in names:
        shutil.copyfile(os.path.join(sd, n), os.path.join(lfc, n))
    with open(L.path("sync", t, "exported"), "w") as f:
        f.write("".join(n + "\n" for n in names))
    open(L.path("sync", t, "imported"), "w").close()
    open(L.path("lf", t, ".seeded"), "w").close()


def preflight(c):
    """Replay every seed and regression input, once per campaign."""
    if os.path.exists(c.layout.path("preflight.json")):
        return
    c.log.event("before fuzzing: replaying every seed and regression input; "
                "known root causes")
    args = [finish.CHANFUZZ, "preflight", c.layout.out, "--targets",
            ",".join(c.st.targets), "--crashes", c.st.crashes,
            "--minimize-time", str(c.st.minimize_time), "--jobs",
            str(c.st.jobs)]
    if not c.st.suppress:
        args.append("--no-suppress")
    if supervise.run(args, log=c.log.path) != 0:
        raise Failure("the replay of the seeds failed (see %s)" % c.log.path)
    with open(c.layout.path("preflight.json")) as f:
        pre = json.load(f)
    for line in preflight_lines(pre):
        c.log.event(line)


def preflight_lines(pre):
    """The events of preflight.json: one warning per target and crash
    folder of the faulting seeds, one line per known root cause."""
    warns, known = [], []
    for t, v in (pre.get("targets") or {}).items():
        groups = {}
        for f in v.get("faulting") or []:
            groups.setdefault(f.get("folder") or "", []).append(f)
        for folder in sorted(groups):
            g = groups[folder]
            if len(g) == 1:
                what = "%s %s faults" % (g[0].get("kind"), g[0].get("name"))
            else:
                what = "%d inputs fault (%s %s, ...)" % (
                    len(g), "/".join(sorted({x.get("kind") for x in g})),
                    (g[0].get("name") or "")[:12])
            warns.append("WARNING: %s: %s (%s): filed as %s, left out of the "
                         "start corpus" % (t, what, g[0].get("type"),
                                           folder or "?"))
        for k in v.get("known") or []:
            known.append("%s: known root cause %s (crashes/%s): its reads are "
                         "refused and counted, not reported" % (
                             t, k.get("key"), k.get("folder")))
    return warns + known


# ---- the fuzzing loop -------------------------------------------------------
class Fuzzing:
    """The fuzzing phase of campaign C: slices, supervision, exchanges,
    samples and state.json every STATUS_EVERY seconds."""

    def __init__(self, c):
        self.c = c
        self.crew = Crew(c)
        self.exch = exchange.Exchanger(c)
        self.sampler = stats.Sampler(c.layout, c.runs, c.st.targets, c.log)
        self.active = []

    def sample(self):
        self.sampler.sample(self.c.elapsed(), self.c.st.budget_s,
                            self.crew.slots, self.active)

    def next_slice(self, e, sched):
        conc, groups, slice_len = sched
        c = self.c
        cur, g, c.slice_end = slice_at(e, slice_len, groups, c.st.budget_s)
        c.slice_len = c.slice_end - e
        self.active = group_targets(c.st.targets, conc, g)
        desc = self.crew.plan(self.active, c.st.jobs)
        c.log.event("slice %d (until %s of %s): %s" % (
            cur + 1, stats.fmt_dur(c.slice_end),
            stats.fmt_dur(c.st.budget_s), desc))
        self.crew.start_all()

    def tick(self, last):
        """Count the fuzzing time of the active targets."""
        now = self.c.seconds()
        for t in self.active:
            ts = self.c.st.target_seconds
            ts[t] = ts.get(t, 0) + now - last
        return now

    def run(self):
        c, st = self.c, self.c.st
        c.e0, c.t0 = st.elapsed_s, c.seconds()
        sched = schedule(st.jobs, len(st.targets), st.budget_s)
        c.log.event(
            "fuzzing: %d target(s), %d job(s) (%d cores), budget %s, %s done "
            "before; %d target(s) at a time, %d group(s), slices of %s" % (
                len(st.targets), st.jobs, os.cpu_count(),
                stats.fmt_dur(st.budget_s), stats.fmt_dur(st.elapsed_s),
                sched[0], sched[1], stats.fmt_dur(sched[2])))
        started = False
        last_tick = last_sync = c.seconds()
        last_sample = -100
        while True:
            e = c.elapsed()
            last_tick = self.tick(last_tick)
            if c.stop or e >= st.budget_s:
                break
            if not started or e >= c.slice_end:
                if started:
                    self.sample()
                self.crew.stop_all()
                self.exch.wait()
                self.exch.start(self.active)
                self.next_slice(e, sched)
                started, last_sync, last_sample = True, c.seconds(), -100
            self.crew.poll()
            if c.seconds() - last_sync >= st.sync_interval:
                self.exch.start(self.active)
                last_sync = c.seconds()
            if c.seconds() - last_sample >= STATUS_EVERY:
                last_sample = c.seconds()
                st.elapsed_s = e
                self.sample()
                c.save_state()
            time.sleep(1)
        self.end()

    def end(self):
        c = self.c
        c.st.elapsed_s = min(c.elapsed(), c.st.budget_s)
        c.e0, c.t0 = c.st.elapsed_s, c.seconds()   # the stop does not count
        if c.stop:
            c.log.event("SIG%s: stopping the fuzzers" % c.stop)
        else:
            c.log.event("budget spent: stopping the fuzzers")
        self.crew.stop_all()
        self.exch.now(self.active)
        self.sample()
        self.active = []
        c.save_state()

    def cleanup(self):
        if any(s.proc for s in self.crew.slots):
            self.crew.stop_all(grace=3)
        self.exch.wait()


# ---- main -------------------------------------------------------------------
def _raise(signum, _frame):
    raise supervise.Interrupted(signum)


def _flag(c):
    def handler(signum, _frame):
        c.stop = SIGNAMES.get(signum, str(signum))
    return handler


def _signals(handler):
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, handler)


def start(c):
    """The events of a run's start; leftovers stopped; the builds."""
    st = c.st
    if st.runs > 1:
        c.log.event("resuming %s (run %d; %s of %s done; phase %s)" % (
            c.layout.out, st.runs, stats.fmt_dur(st.elapsed_s),
            stats.fmt_dur(st.budget_s), st.phase))
    else:
        c.log.event("campaign %s" % c.layout.out)
        if st.previous:
            c.log.event("previous campaign: %s (its merged corpus joins the "
                        "seeds)" % st.previous)
        if st.jobs > os.cpu_count():
            warn("--jobs %d is more than the %d cores" % (st.jobs,
                                                           os.cpu_count()))
    if st.sync_dir:
        c.log.event("AFL++ sync dir %s/<target>, role %s, instances %s-*" %
                    (st.sync_dir, st.role, st.prefix))
    c.pids.kill_leftovers(c.log.event)
    c.save_state()
    build_all(c)
    for t in st.targets:
        prepare_target(c, t)
    c.runs.load(st.targets)


def campaign(c):
    """Run campaign C to its end; the exit status."""
    fz = Fuzzing(c)
    try:
        _signals(_raise)
        start(c)
        if c.st.phase == "fuzzing":
            finish.Steps(c.layout.out).reset()
            preflight(c)
            _signals(_flag(c))
            fz.run()
            _signals(_raise)
            if c.stop:
                c.log.event("stopped by SIG%s after %s: finishing now (resume "
                            "later with --resume to fuzz the rest)" % (
                                c.stop, stats.fmt_dur(c.st.elapsed_s)))
        try:
            finish.finish(c)
        except supervise.Interrupted as e:
            c.log.event("%s while finishing: continue with %s --resume %s" % (
                "terminated" if e.signum == signal.SIGTERM else
                "interrupted", PROG, c.layout.out))
            raise
        return 0
    except Failure as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    except supervise.Interrupted as e:
        return 128 + e.signum
    finally:
        _signals(signal.SIG_IGN)
        fz.cleanup()
        c.log.close()


def main(args):
    os.environ.update(LC_ALL="C", TZ="UTC")
    try:
        o = options.parse(args.unknown)
        if o.help:
            print(__doc__, end="")
            return 0
        if o.resume:
            st, out = resumed_state(o)
            if st is None:
                return 0
        else:
            st, out = new_state(o)
    except UsageError as e:
        return usage_error(PROG, e)
    os.chdir(paths.ROOT)
    lock = supervise.lock(out, timeout=15)
    if lock is None:
        return usage_error(PROG, UsageError(
            "%s: another campaign.sh is running on this folder" % out))
    c = Campaign(out, st)
    open(c.log.path, "a").close()
    return campaign(c)


def register(sub):
    p = sub.add_parser("campaign", add_help=False,
                       help="the nightly fuzz campaign (scripts/campaign.sh"
                       ", docs/CAMPAIGN.md)")
    takes_unknown(p)
    p.set_defaults(func=main)
