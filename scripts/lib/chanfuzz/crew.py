"""The slots of a time slice, one per job (docs/CAMPAIGN.md, "The
engines"): each runs a libFuzzer job or an AFL++ instance of a target,
restarted when it ends while the slice lasts. Restart policy: a libFuzzer
job whose runs keep crashing at once (3 runs ending in a crash within
30 s: a shallow known bug) hands its core to one more AFL++ secondary,
which keeps fuzzing past crashes (not under --engines libfuzzer); a job
that fails early 3 times is given up for the slice."""
import os
import re
import time

from chanfuzz import engines, statsd, supervise
from chanfuzz.state import now_iso
from chanfuzz.stats import lf_artifact

LF_QUICK_SECS = 30   # a libFuzzer run that crashes sooner is "quick"
LF_QUICK_MAX = 3     # quick crashes in a slice before libFuzzer hands over
NICE = 5             # the fuzzers run niced: the supervisor stays on time


class Slot:
    """One job: target, engine (lf, afl or none), role (lf: job index;
    afl: role), its process, start time, log, quick crashes, failures."""

    def __init__(self, target, engine, role):
        self.target, self.engine, self.role = target, engine, role
        self.proc, self.start, self.log, self.name = None, 0, "", ""
        self.quick = self.fails = 0
        self.statsd = None  # afl: the live figures of its run (statsd.py)

    def close(self):
        if self.statsd is not None:
            self.statsd.close()
            self.statsd = None

    def running(self):
        return self.proc is not None


def _env(extra):
    env = {k: v for k, v in os.environ.items() if k != "LSAN_OPTIONS"}
    env.update(extra)
    return env


class Crew:
    """The slots of the slice in force for campaign C (campaign.Campaign)."""

    def __init__(self, c):
        self.c = c
        self.slots = []
        self.afl_next = {}
        self.lf_seq = {}

    def next_role(self, t):
        role, self.afl_next[t] = engines.afl_role(self.afl_next.get(t, 0),
                                                  self.c.mutator(t))
        return role

    def plan(self, group, jobs):
        """The slots of a slice running the targets of GROUP on JOBS
        jobs (the remainder to the first ones); their description."""
        for s in self.slots:
            s.close()
        self.slots, self.afl_next, desc = [], {}, []
        base, extra = divmod(jobs, len(group))
        for j, t in enumerate(group):
            a, l_ = engines.split_jobs(base + (1 if j < extra else 0),
                                       self.c.st.engines)
            self.slots += [Slot(t, "afl", self.next_role(t))
                           for _ in range(a)]
            self.slots += [Slot(t, "lf", i) for i in range(l_)]
            desc.append("%s: %d AFL++ + %d libFuzzer" % (t, a, l_))
        return "; ".join(desc)

    def start_all(self):
        for s in self.slots:
            self.start(s)

    def start(self, s):
        if s.engine == "lf":
            self._start_lf(s)
        else:
            self._start_afl(s)
        s.start = int(time.time())
        self.c.pids.register(s.proc.pid, "libfuzzer" if s.engine == "lf"
                             else "afl-fuzz", s.target,
                             s.variant if s.engine == "lf" else s.name)

    def _start_lf(self, s):
        c, t = self.c, s.target
        e = c.elapsed()
        secs = max(min(c.slice_end - e, c.st.sync_interval,
                       c.st.budget_s - e), 1)
        if c.mutator(t) != "none":
            # both builds in every slice: the _smart run and the plain
            # one take half of it each (runs alternate, lf_variant)
            secs = min(secs, max((c.slice_len + 1) // 2, 10))
        logs = c.layout.path("lf", t, "logs")
        if t not in self.lf_seq:
            self.lf_seq[t] = len([n for n in os.listdir(logs)
                                  if n.endswith(".log")])
        self.lf_seq[t] += 1
        n = self.lf_seq[t]
        s.variant = engines.lf_variant(n, c.mutator(t))
        s.log = os.path.join(logs, "%05d-%s.log" % (n, s.variant))
        argv, env = engines.lf_command(c.layout, t, s.variant, secs)
        s.proc = supervise.start(argv, s.log, _env(env),
                                 cwd=c.layout.path("lf", t), nice=NICE,
                                 append=False)

    def _start_afl(self, s):
        c, t = self.c, s.target
        vsecs = c.slice_end - c.elapsed() + 30
        s.name = c.layout.iname(s.role)
        argv, env = engines.afl_command(c.layout, t, s.role, vsecs,
                                        c.mutator(t), c.foreign(t))
        os.makedirs(c.layout.path("logs"), exist_ok=True)
        s.log = c.layout.path("logs", "afl-%s-%s.log" % (t, s.name))
        with open(s.log, "a") as f:
            f.write("\n== %s afl-fuzz %s\n" % (now_iso(), " ".join(argv[1:])))
        s.close()
        s.statsd = statsd.Source()
        env.update(s.statsd.env())
        s.proc = supervise.start(argv, s.log, _env(env), nice=NICE)

    def stop_all(self, grace=supervise.GRACE):
        supervise.stop([s.proc for s in self.slots if s.proc], grace)
        for s in self.slots:
            if s.proc and s.engine == "lf":
                self.c.runs.record(s.target, s.log, s.start, "stopped")
            s.proc = None
            s.close()
        self.c.pids.clear()

    def poll(self):
        """Restart the slots whose process ended (the restart policy)."""
        now = int(time.time())
        for s in self.slots:
            if s.proc is None or s.proc.poll() is None:
                continue
            rc = s.proc.returncode
            rc = 128 - rc if rc < 0 else rc
            s.proc = None
            s.close()
            dur = now - s.start
            if s.engine == "lf":
                self._lf_ended(s, rc, dur)
            elif dur < 20:
                s.fails += 1
                self.c.log.event("afl-fuzz %s %s stopped after %ds (exit %d)"
                                 ": %s" % (s.target, s.role, dur, rc,
                                           _abort_lines(s.log)))
            if s.fails >= 3:
                self.c.log.event(
                    "giving up this slice's %s job on %s (it keeps failing; "
                    "see %s)" % (s.engine, s.target,
                                 os.path.relpath(s.log, self.c.layout.out)))
                s.engine = "none"
                continue
            if self.c.slice_end - self.c.elapsed() >= 3:
                self.start(s)

    def _lf_ended(self, s, rc, dur):
        c, t = self.c, s.target
        c.runs.record(t, s.log, s.start, rc)
        art = _artifact(s.log)
        if art:
            c.log.event("libFuzzer %s: %s after %ds" % (t, art, dur))
            if dur < LF_QUICK_SECS:
                s.quick += 1
        elif rc != 0 and dur < 5:
            s.fails += 1
            c.log.event("libFuzzer %s exited %d after %ds (log %s)" % (
                t, rc, dur, os.path.relpath(s.log, c.layout.out)))
        if s.quick >= LF_QUICK_MAX and c.st.engines != ["libfuzzer"]:
            s.engine, s.role = "afl", self.next_role(t)
            c.log.event("libFuzzer %s crashed at once %d times: its job runs "
                        "AFL++ '%s' for the rest of the slice" % (
                            t, LF_QUICK_MAX, s.role))


def _artifact(log):
    a = lf_artifact(log)
    return os.path.basename(a) if a else None


def _abort_lines(log):
    """The last two PROGRAM ABORT / Location lines of an afl-fuzz log,
    without colours, on one line."""
    try:
        with open(log, errors="replace") as f:
            lines = [ln for ln in f if "PROGRAM ABORT" in ln
                     or "Location" in ln]
    except OSError:
        return ""
    text = "".join(lines[-2:]).replace("\033", "")
    return re.sub(r"\[[0-9;]*m", "", text).replace("\n", " ")
