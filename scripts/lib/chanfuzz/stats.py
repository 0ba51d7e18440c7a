"""A campaign's live figures (docs/CAMPAIGN.md, "Status and statistics"):

- libFuzzer: each run's log, its periodic `#N ... cov: C ... exec/s: E`
  lines and the final `stat::number_of_executed_units:` line; the runs
  that ended are accounted in OUT/lf/<t>/runs.tsv (log, start, end, exit,
  execs, cov, artifact), one row each, so that a resumed campaign counts
  what was done before;
- AFL++: each running instance's StatsD gauges (statsd.py: AFL_STATSD,
  about once a second from its first second), and each instance's
  fuzzer_stats and, when newer, the last line of its plot_data (without a
  terminal afl-fuzz 4.04c writes both only after its first minute);
- every 5 s one stats.tsv row per target and a status line (campaign.log,
  stdout; a progress bar on a terminal).
"""
import os
import re
import time

from chanfuzz import store

STATS_HEADER = "\t".join((
    "time", "elapsed", "target", "active", "lf_execs", "lf_execs_per_sec",
    "afl_execs", "afl_execs_per_sec", "lf_cov", "lf_cov_smart",
    "afl_bitmap_cvg", "afl_edges", "corpus_lf", "corpus_afl", "crashes",
    "hangs"))
AFL_WARMUP = 65   # afl-fuzz writes its statistics after its first minute
AFL_LIVE_MAX = 10  # a StatsD sample older than this is not "now"
_NUM = re.compile(r"[0-9]+(\.[0-9]*)?\Z")
_PULSE = re.compile(r"#([0-9]+)")
_ARTIFACT = "Test unit written to "


def _int(s):
    """The leading integer of s, as awk reads a number (0 if none)."""
    m = re.match(r"\s*([0-9]+)", s or "")
    return int(m.group(1)) if m else 0


def _float(s):
    m = re.match(r"\s*([0-9]+(\.[0-9]*)?)", s or "")
    return float(m.group(1)) if m else 0.0


def fmt_dur(s):
    """Seconds as H:MM:SS."""
    s = int(s)
    return "%d:%02d:%02d" % (s // 3600, s % 3600 // 60, s % 60)


def human(n):
    """A count as the status line and the reports write it: 999, 1.2k,
    34k, 5.6M, 7.8G."""
    n = n or 0
    if n >= 1e9:
        return "%sG" % (round(n / 1e8) / 10)
    if n >= 1e6:
        return "%sM" % (round(n / 1e5) / 10)
    if n >= 1e4:
        return "%dk" % round(n / 1e3)
    if n >= 1e3:
        return "%sk" % (round(n / 1e2) / 10)
    return str(int(n))


# ---- libFuzzer -------------------------------------------------------------
def lf_text_stats(text):
    """(execs, execs_per_sec, cov) of a libFuzzer log's text: the last
    `#N` line's N, exec/s and cov (each the last one seen), N replaced by
    the final stat::number_of_executed_units when there is one."""
    n = e = c = 0
    final = None
    for line in text.splitlines():
        m = _PULSE.match(line)
        if m:
            n = int(m.group(1))
            w = line.split()
            for i in range(1, len(w) - 1):
                if w[i] == "cov:":
                    c = _int(w[i + 1])
                elif w[i] == "exec/s:":
                    e = _int(w[i + 1])
        elif line.startswith("stat::number_of_executed_units:"):
            final = _int(line.split(":", 3)[-1])
    return (final if final is not None else n), e, c


def lf_log_stats(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return lf_text_stats(f.read())
    except OSError:
        return 0, 0, 0


def lf_artifact(path):
    """The artifact a libFuzzer run wrote (its log's `Test unit written
    to` path), or None."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if _ARTIFACT in line:
                    return line.split(_ARTIFACT, 1)[1].strip()
    except OSError:
        pass
    return None


class RunBook:
    """The libFuzzer run accounting of a campaign: OUT/lf/<t>/runs.tsv
    and, per target, the executions of the runs that ended (done) and
    the best coverage of the plain and _smart builds."""

    def __init__(self, out, targets):
        self.out = out
        self.done = {t: 0 for t in targets}
        self.covp = {t: 0 for t in targets}
        self.covs = {t: 0 for t in targets}

    def _tsv(self, t):
        return os.path.join(self.out, "lf", t, "runs.tsv")

    def _rows(self, t):
        try:
            with open(self._tsv(t), encoding="utf-8") as f:
                return [ln.rstrip("\n").split("\t") for ln in f if ln.strip()]
        except OSError:
            return []

    def record(self, t, log, start, exit_, now=None):
        """Account the run of LOG (once: a run already in runs.tsv is
        not counted again)."""
        if not log or not os.path.isfile(log):
            return
        rel = os.path.relpath(log, self.out)
        if any(r[0] == rel for r in self._rows(t)):
            return
        ex, _, cv = lf_log_stats(log)
        row = [rel, str(start), str(int(now or time.time())), str(exit_),
               str(ex), str(cv), lf_artifact(log) or "-"]
        with open(self._tsv(t), "a", encoding="utf-8") as f:
            f.write("\t".join(row) + "\n")
        self.done[t] = self.done.get(t, 0) + ex
        self._cov(t, log, cv)

    def _cov(self, t, log, cv):
        if log.endswith("-plain.log"):
            self.covp[t] = max(self.covp.get(t, 0), cv)
        else:
            self.covs[t] = max(self.covs.get(t, 0), cv)

    def load(self, targets):
        """Read the accounting; a run killed with the campaign has a log
        but no row: it gets one (start 0, exit killed)."""
        for t in targets:
            logdir = os.path.join(self.out, "lf", t, "logs")
            for name in sorted(store.listdir(logdir)):
                if name.endswith(".log"):
                    self.record(t, os.path.join(logdir, name), 0, "killed")
            self.done[t] = self.covp[t] = self.covs[t] = 0
            for r in self._rows(t):
                self.done[t] += _int(r[4]) if len(r) > 4 else 0
                self._cov(t, r[0], _int(r[5]) if len(r) > 5 else 0)


# ---- AFL++ -----------------------------------------------------------------
def parse_fuzzer_stats(text):
    """fuzzer_stats' `key : value` lines as a dict of strings."""
    stats = {}
    for line in text.splitlines():
        k, sep, v = line.partition(":")
        if sep:
            stats[k.strip()] = v.strip()
    return stats


def last_plot_row(text):
    """The last data line of plot_data split into its fields, or None."""
    last = None
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            last = line
    return re.split(r",\s*", last.strip()) if last else None


def afl_stats(fuzzer_stats, plot_data=""):
    """(execs, execs_per_sec, bitmap_cvg, edges, corpus) of an instance
    from its fuzzer_stats text and, when its execs are ahead, the last
    plot_data row (relative_time, cycles_done, cur_item, corpus_count,
    pending_total, pending_favs, map_size, saved_crashes, saved_hangs,
    max_depth, execs_per_sec, total_execs, edges_found)."""
    s = parse_fuzzer_stats(fuzzer_stats)
    x, e = s.get("execs_done", "0"), s.get("execs_per_sec", "0")
    c = s.get("bitmap_cvg", "0").rstrip("%")
    ed, q = s.get("edges_found", "0"), s.get("corpus_count", "0")
    row = last_plot_row(plot_data)
    if row and len(row) >= 13 and _float(row[11]) > _float(x):
        x, e, c, ed, q = row[11], row[10], row[6].rstrip("%"), row[12], row[3]
    # fuzzer_stats says "inf" or "nan" before the first executions
    e = e if _NUM.match(e) else "0"
    c = c if _NUM.match(c) else "0"
    return (_int(x), int(round(float(e))), "%.2f" % float(c), _int(ed),
            _int(q))


def afl_inst_stats(d):
    """afl_stats of instance folder D (zeros before its first stats)."""
    try:
        with open(os.path.join(d, "fuzzer_stats"), errors="replace") as f:
            fs = f.read()
    except OSError:
        return 0, 0, "0.00", 0, 0
    try:
        with open(os.path.join(d, "plot_data"), errors="replace") as f:
            pd = f.read()
    except OSError:
        pd = ""
    return afl_stats(fs, pd)


# ---- samples ---------------------------------------------------------------
class Figures:
    """One target's figures at one sample."""

    def __init__(self):
        self.lfx = self.lfe = self.lfc = self.lfcs = 0
        self.ax = self.ae = self.aed = self.corpus_afl = 0
        self.ac = "0"
        self.corpus_lf = self.crashes = self.hangs = 0
        self.warm = False
        # the builds of the running libFuzzer runs ("plain", "smart"), and
        # whether one has printed no figure yet (just started)
        self.lf_builds = []
        self.lf_starting = False


def afl_live(s, fig, now, e):
    """(exec/s, warm) of the running AFL++ slot S: from FIG, its latest
    StatsD gauges (statsd.py, about every second), when they arrived in
    the last AFL_LIVE_MAX seconds; else E, from its stats files, once it
    has run AFL_WARMUP seconds; else not known yet (0, warm)."""
    if fig is not None and now - fig.at <= AFL_LIVE_MAX:
        return int(round(fig.execs_per_sec)), False
    if now - s.start >= AFL_WARMUP:
        return e, False
    return 0, True


def collect(layout, runs, slots, t, now=None):
    """The Figures of target t: the runs that ended (RUNS), the running
    libFuzzer slots' logs, the AFL++ instances' stats files and, for the
    running ones, their StatsD gauges (afl_live)."""
    now = now or time.time()
    f = Figures()
    f.lfx, f.lfc, f.lfcs = runs.done.get(t, 0), runs.covp.get(t, 0), \
        runs.covs.get(t, 0)
    mine = [s for s in slots if s.target == t and s.running()]
    for s in mine:
        if s.engine == "lf":
            ex, ep, cv = lf_log_stats(s.log)
            f.lfx += ex
            f.lfe += ep
            plain = s.log.endswith("-plain.log")
            f.lf_builds.append("plain" if plain else "smart")
            # exec/s 0: no figure yet, or libFuzzer's INITED lines while
            # it loads its corpus (it prints no 0 once it fuzzes)
            f.lf_starting = f.lf_starting or ep == 0
            if plain:
                f.lfc = max(f.lfc, cv)
            else:
                f.lfcs = max(f.lfcs, cv)
    live = {}
    for s in mine:
        if s.engine == "afl":
            if s.statsd is not None:
                s.statsd.poll(now)
            live[s.name] = s
    f.warm = False
    for d in layout.local_instances(t):
        x, e, c, ed, q = afl_inst_stats(d)
        s = live.get(os.path.basename(d))
        fig = s.statsd.figures if s is not None and s.statsd else None
        if fig is not None:
            x, ed, q = max(x, fig.execs), max(ed, fig.edges), \
                max(q, fig.corpus)
        if s is None:  # not running: its exec/s is not now's
            e = 0
        else:
            e, warm = afl_live(s, fig, now, e)
            f.warm = f.warm or warm
        f.ax += x
        f.ae += e
        if int(float(c)) >= int(float(f.ac)):
            f.ac = c
        f.aed, f.corpus_afl = max(f.aed, ed), max(f.corpus_afl, q)
    f.corpus_lf = sum(len(fs) for _, _, fs in
                      os.walk(layout.path("lf", t, "corpus")))
    f.crashes = len(layout.crash_files(t, "crash"))
    f.hangs = len(layout.crash_files(t, "hang"))
    return f


def stats_row(now, elapsed, t, active, f):
    """One stats.tsv row (STATS_HEADER's columns)."""
    return "\t".join(str(v) for v in (
        int(now), elapsed, t, int(active), f.lfx, f.lfe if active else 0,
        f.ax, f.ae if active else 0, f.lfc, f.lfcs, f.ac, f.aed,
        f.corpus_lf, f.corpus_afl, f.crashes, f.hangs))


def status_line(elapsed, budget, figs, active):
    """The status line of a sample: FIGS, a dict target -> Figures;
    ACTIVE, the targets fuzzed now."""
    act = [t for t in figs if t in active]
    left = max(budget - elapsed, 0)
    lfe = human(sum(figs[t].lfe for t in act))
    notes = sorted({b for t in act for b in figs[t].lf_builds})
    if any(figs[t].lf_starting for t in act):
        notes.append("starting")
    if notes:  # which build runs; "starting": no figure printed yet
        lfe += "(%s)" % ", ".join(notes)
    ae = human(sum(figs[t].ae for t in act))
    if any(figs[t].warm for t in act):
        ae += "(warming up)"
    cov = ", ".join("%s lf %d/%d afl %s%%" % (t, figs[t].lfc, figs[t].lfcs,
                                                figs[t].ac) for t in act)
    return ("%s/%s left %s | exec/s lf %s afl %s | execs lf %s afl %s | "
            "cov %s | corpus lf %d afl %d | crashes %d" % (
                fmt_dur(elapsed), fmt_dur(budget), fmt_dur(left), lfe,
                ae, human(sum(f.lfx for f in figs.values())),
                human(sum(f.ax for f in figs.values())), cov,
                sum(figs[t].corpus_lf for t in act),
                sum(figs[t].corpus_afl for t in act),
                sum(f.crashes for f in figs.values())))


def progress_bar(line, elapsed, budget, width):
    """The status line behind a 20-character bar, cut to the terminal."""
    pct = elapsed * 100 // budget if budget > 0 else 100
    bar = "#" * (pct // 5) + "." * (20 - pct // 5)
    return ("[%s] %3d%% %s" % (bar, pct, line))[:max(width - 1, 1)]


class Sampler:
    """Samples of a campaign: stats.tsv rows and status lines."""

    def __init__(self, layout, runs, targets, log):
        self.layout, self.runs, self.targets, self.log = \
            layout, runs, targets, log
        self.figs = {}
        self.path = layout.path("stats.tsv")

    def sample(self, elapsed, budget, slots, active):
        elapsed = min(elapsed, budget)
        now = time.time()
        for t in active:
            self.figs[t] = collect(self.layout, self.runs, slots, t, now)
        for t in self.targets:
            if t not in self.figs:
                self.figs[t] = collect(self.layout, self.runs, slots, t, now)
        rows = [stats_row(now, elapsed, t, t in active, self.figs[t])
                for t in self.targets]
        new = not os.path.isfile(self.path)
        with open(self.path, "a", encoding="utf-8") as f:
            if new:
                f.write(STATS_HEADER + "\n")
            f.write("\n".join(rows) + "\n")
        figs = {t: self.figs[t] for t in self.targets}
        line = status_line(elapsed, budget, figs, active)
        bar = None
        if self.log.tty:
            width = _columns()
            bar = progress_bar(line, elapsed, budget, width)
        self.log.status(line, bar)


def _columns():
    try:
        return int(os.environ.get("COLUMNS") or os.get_terminal_size().columns)
    except (OSError, ValueError):
        return 120
