"""A campaign's finishing steps (docs/CAMPAIGN.md, "Finishing"), once the
fuzzers are stopped, each resumable (OUT/.done/<step> once it is done):

1. merge-<t>: libFuzzer -merge=1 of every corpus of t (its own, the
   seeds, every AFL++ queue) into OUT/corpus/<t>, on the ASan build; what
   faults there lands in OUT/merge-artifacts/<t>/, which triage files;
2. cmin-<t>: afl-cmin of this machine's AFL++ queues into
   OUT/corpus-afl/<t>;
3. triage: every crash and hang file through `chanfuzz triage`, one run
   per target; each file's record goes to triage.tsv and triaged.list
   (path, SHA-1: contents triaged before are skipped); a run killed while
   triaging has its records in OUT/.triage/<t>.jsonl, taken first;
4. verify: every crash folder of the store replayed on the current builds;
5. coverage: build/coverage/<t> over the merged corpora, llvm-cov HTML
   and summaries;
6. plots (gnuplot: coverage.png, execs.png; afl-plot), AFL++'s own
   summary (afl-whatsup -s -d: afl-whatsup.txt), the report (`chanfuzz
   report`), and the closing `done:` and `report:` lines.
"""
import glob
import json
import os
import shutil
import subprocess
import sys

from chanfuzz import covreport, paths, plots, store
from chanfuzz.layout import Failure, PROG, warn
from chanfuzz.stats import fmt_dur, human
from chanfuzz.supervise import run

CHANFUZZ = paths.root_path("scripts", "chanfuzz")
SANITIZERS = "halt_on_error=1:print_stacktrace=1:report_error_type=1:" \
    "symbolize=0"


class Steps:
    """OUT/.done/<step>: the finishing steps done."""

    def __init__(self, out):
        self.dir = os.path.join(out, ".done")

    def done(self, step):
        return os.path.isfile(os.path.join(self.dir, step))

    def mark(self, step):
        os.makedirs(self.dir, exist_ok=True)
        open(os.path.join(self.dir, step), "w").close()

    def reset(self):
        shutil.rmtree(self.dir, ignore_errors=True)


def _env(extra):
    env = dict(os.environ)
    env.update(extra)
    return env


def _replace_dir(new, dst):
    """Put folder NEW in DST's place (the old one removed after)."""
    shutil.rmtree(dst + ".old", ignore_errors=True)
    if os.path.isdir(dst):
        os.rename(dst, dst + ".old")
    os.rename(new, dst)
    shutil.rmtree(dst + ".old", ignore_errors=True)


def plain_files(d):
    try:
        return sorted(os.path.join(d, n) for n in os.listdir(d)
                      if os.path.isfile(os.path.join(d, n)))
    except OSError:
        return []


# ---- corpus ----------------------------------------------------------------
def merge_target(c, t):
    """libFuzzer -merge=1 of every corpus of t into OUT/corpus/t; a merge
    interrupted with the same inputs resumes from merge.ctl."""
    out = c.layout.out
    new, dst = os.path.join(out, "corpus", "." + t + ".new"), \
        os.path.join(out, "corpus", t)
    arts = os.path.join(out, "merge-artifacts", t)
    os.makedirs(arts, exist_ok=True)
    ctl, mt = os.path.join(out, "merge.ctl"), os.path.join(out, "merge.target")
    if store.read_text(mt).strip() != t and os.path.exists(ctl):
        os.unlink(ctl)
    with open(mt, "w") as f:
        f.write(t + "\n")
    os.makedirs(new, exist_ok=True)
    dirs = [c.layout.path("lf", t, "corpus"), c.layout.path("seeds", t)]
    ao = c.layout.afl_out(t)
    dirs += [os.path.join(ao, n, "queue") for n in sorted(store.listdir(ao))
             if os.path.isdir(os.path.join(ao, n, "queue"))]
    env = _env(c.layout.known_env(t))
    env.update(ASAN_OPTIONS="detect_leaks=0:symbolize=0:abort_on_error=0",
               UBSAN_OPTIONS=SANITIZERS)
    rc = run([paths.root_path("build", "fuzz", t), "-merge=1",
              "-merge_control_file=" + ctl, "-artifact_prefix=" + arts + "/",
              "-timeout=10", "-rss_limit_mb=2560", new] + dirs,
             log=c.layout.path("logs", "merge-%s.log" % t), env=env,
             cwd=arts, timeout=1800, append=False)
    if rc != 0 or not os.listdir(new):
        warn("merge of %s failed (exit %s, see logs/merge-%s.log); "
             "OUT/corpus/%s is the unmerged libFuzzer corpus" % (t, rc, t, t))
        shutil.rmtree(new, ignore_errors=True)
        os.makedirs(new)
        for f in plain_files(c.layout.path("lf", t, "corpus")):
            shutil.copy(f, new)
    _replace_dir(new, dst)
    for p in (ctl, mt):
        if os.path.exists(p):
            os.unlink(p)


def cmin_target(c, t):
    """afl-cmin of this machine's AFL++ queues of t into
    OUT/corpus-afl/t (nothing when AFL++ did not fuzz t)."""
    base = c.layout.path("corpus-afl")
    tmp, new = os.path.join(base, "." + t + ".in"), \
        os.path.join(base, "." + t + ".new")
    os.makedirs(base, exist_ok=True)
    for d in (tmp, new):
        shutil.rmtree(d, ignore_errors=True)
    os.makedirs(tmp)
    for inst in c.layout.local_instances(t):
        for f in plain_files(os.path.join(inst, "queue")):
            n = os.path.basename(f)
            if not n.startswith("id:"):
                continue
            to = os.path.join(tmp, "%s_%s" % (os.path.basename(inst), n[3:]))
            try:
                os.link(f, to)
            except OSError:
                shutil.copy(f, to)
    if not os.listdir(tmp):
        shutil.rmtree(tmp)
        return
    env = _env({"AFL_SKIP_CPUFREQ": "1", "AFL_NO_UI": "1",
                "AFL_ALLOW_TMP": "1", "ASAN_OPTIONS":
                "abort_on_error=1:symbolize=0:detect_leaks=0"})
    rc = run(["afl-cmin", "-i", tmp, "-o", new, "-m", "none", "-t", "5000",
              "--", paths.root_path("build", "afl", t)],
             log=c.layout.path("logs", "afl-cmin-%s.log" % t), env=env,
             timeout=1800, append=False)
    if rc != 0 or not os.path.isdir(new):
        warn("afl-cmin of %s failed (exit %s, see logs/afl-cmin-%s.log)" %
             (t, rc, t))
        shutil.rmtree(new, ignore_errors=True)
    else:
        _replace_dir(new, os.path.join(base, t))
    shutil.rmtree(tmp, ignore_errors=True)


# ---- triage ----------------------------------------------------------------
def record_line(rec):
    """A triage record's (triage.tsv row, triaged.list row, verdict line)."""
    def s(v):
        return "null" if v is None else str(v)
    line = "%s %s %s %s %s->%s" % (s(rec.get("verdict")), s(rec.get("id")),
                                   s(rec.get("type")), s(rec.get("target")),
                                   s(rec.get("size")), s(rec.get("minsize")))

    def cell(v):
        return "" if v is None else str(v)
    tsv = "\t".join((cell(rec.get("path")), cell(rec.get("target")),
                     cell(rec.get("verdict")), cell(rec.get("folder")), line))
    return tsv, "%s\t%s" % (cell(rec.get("path")), cell(rec.get("sha1"))), \
        line


def take_records(c, rec):
    """Move the records of REC (a triage --record file) into triage.tsv
    and triaged.list; new and flaky verdicts are events. The count."""
    text = store.read_text(rec)
    if not os.path.exists(rec):
        return 0
    n = 0
    with open(c.layout.path("triage.tsv"), "a") as tsv, \
            open(c.layout.path("triaged.list"), "a") as lst:
        for raw in text.splitlines():
            try:
                r = json.loads(raw)
            except ValueError:
                continue
            row, listed, line = record_line(r)
            tsv.write(row + "\n")
            lst.write(listed + "\n")
            n += 1
            if r.get("verdict") in ("new", "flaky"):
                c.log.event("  " + line)
    os.unlink(rec)
    return n


def untriaged(c, t):
    """(files, skipped, twins): t's crash files whose contents were not
    triaged before, one per contents; skipped, how many others have
    contents triaged before (now listed in triaged.list); twins, the
    triaged.list rows of the files whose contents equal one of FILES,
    which triage_target lists only once that file is filed (listed now, a
    run killed before the filing would skip both on --resume)."""
    listed = c.layout.path("triaged.list")
    rows = set(store.read_text(listed).splitlines())
    done = {r.split("\t", 1)[1] for r in rows if "\t" in r}
    batch = set()
    files, extra, twins = [], [], []
    for f in sorted(c.layout.crash_files(t, "all")):
        try:
            h = store.sha1_file(f)
        except OSError:
            continue
        row = "%s\t%s" % (f, h)
        if h in done:
            if row not in rows:
                extra.append(row)
                rows.add(row)
        elif h in batch:
            twins.append(row)
        else:
            batch.add(h)
            files.append(f)
    if extra:
        with open(listed, "a") as f:
            f.write("\n".join(extra) + "\n")
    return files, len(extra), twins


def triage_target(c, t):
    """Triage t's untriaged crash files; False when some were not filed."""
    rec = c.layout.path(".triage", t + ".jsonl")
    take_records(c, rec)
    files, skipped, twins = untriaged(c, t)
    if not files:
        return True
    c.log.event("triage %s: %d crash file(s)%s%s" % (
        t, len(files), "; %d more with contents triaged before" % skipped
        if skipped else "", "; %d duplicate(s) of these" % len(twins)
        if twins else ""))
    args = [CHANFUZZ, "triage", "--target", t, "--out", c.st.crashes,
            "--minimize-time", str(c.st.minimize_time), "--jobs",
            str(c.st.jobs), "--record", rec]
    if c.st.full_triage:
        args.append("--full")
    known = c.layout.path("known", t + ".txt")
    if c.st.suppress and os.path.isfile(known):
        args += ["--known", known]
    rc = run(args + ["--"] + files, log=c.layout.path("triage.out"),
             err=c.layout.path("triage.log"))
    left = len(files) - take_records(c, rec)
    if rc != 0 or left != 0:
        warn("triage exited %d on %s, %d file(s) not filed (see %s); "
             "%s --resume %s retries them" % (
                 rc, t, left, c.layout.path("triage.log"), PROG,
                 c.layout.out))
        return False
    if twins:
        with open(c.layout.path("triaged.list"), "a") as f:
            f.write("\n".join(twins) + "\n")
    known_rows = [r for r in store.read_text(c.layout.path("triage.tsv")).splitlines()
                  if r.split("\t")[1:3] and r.split("\t")[1] == t
                  and r.split("\t")[2] not in ("new", "flaky")]
    c.log.event("triage %s: done (%d file(s) of known signatures in all)" %
                (t, len(known_rows)))
    return True


def triage_all(c):
    """Triage every target; False when some file was not filed."""
    for name in ("triaged.list", "triage.tsv"):
        open(c.layout.path(name), "a").close()
    os.makedirs(c.st.crashes, exist_ok=True)
    os.makedirs(c.layout.path(".triage"), exist_ok=True)
    ok = True
    for t in c.st.targets:
        ok = triage_target(c, t) and ok
    return ok


# ---- AFL++'s own summary ----------------------------------------------------
def afl_summary(c):
    """OUT/afl-whatsup.txt: for each target with AFL++ instances, a
    "== TARGET ==" line and what `afl-whatsup -s -d` prints of its AFL++
    folder (every instance of the sync folder, this machine's and others';
    -d: the stopped ones too, which after a campaign is all of them)."""
    if not shutil.which("afl-whatsup"):
        return
    parts = []
    for t in c.st.targets:
        ao = c.layout.afl_out(t)
        if not glob.glob(os.path.join(glob.escape(ao), "*", "fuzzer_stats")):
            continue
        try:
            p = subprocess.run(["afl-whatsup", "-s", "-d", ao],
                               stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, timeout=60,
                               env=_env({"TERM": "dumb"}))
        except subprocess.TimeoutExpired:
            warn("afl-whatsup %s took over 60 s" % t)
            continue
        if p.returncode != 0:
            warn("afl-whatsup %s exited %d" % (t, p.returncode))
            continue
        parts.append("== %s ==\n%s" % (
            t, p.stdout.decode(errors="replace").rstrip("\n") + "\n"))
    if parts:
        store.atomic_write(c.layout.path("afl-whatsup.txt"), "\n".join(parts))


# ---- verification, coverage, report ---------------------------------------
def verify(c):
    rc = run([CHANFUZZ, "verify", "--crashes", c.st.crashes, "--targets",
              ",".join(c.st.targets), "--out", c.layout.path("verify.json")],
             log=c.layout.path("campaign.log"))
    if rc != 0:
        warn("fixed verification failed (see %s)" %
             c.layout.path("campaign.log"))


def report(c, triage_ok):
    args = [CHANFUZZ, "report", c.layout.out]
    if not triage_ok:
        args.append("--triage-incomplete")
    sys.stdout.flush()
    if subprocess.call(args, stdin=subprocess.DEVNULL) != 0:
        raise Failure("the report could not be written")


def closing_lines(c):
    """The `done:` event and the report: lines."""
    try:
        with open(c.layout.path("report.json")) as f:
            tot = json.load(f).get("totals") or {}
    except (OSError, ValueError):
        tot = {}
    c.log.event("done: %s of fuzzing; libFuzzer %s execs, AFL++ %s execs; "
                "%s crash signature(s), %s new" % (
                    fmt_dur(c.st.elapsed_s),
                    human(tot.get("libfuzzer_execs") or 0),
                    human(tot.get("aflpp_execs") or 0),
                    tot.get("signatures"), tot.get("new_signatures")))
    o = c.layout.out
    print("report: %s/report.md" % o)
    print("        %s/report.html, %s/report.json, %s/report.sarif, "
          "%s/coverage/index.html, %s/coverage.png, %s/execs.png" %
          (o, o, o, o, o, o))
    print("crashes: %s" % c.st.crashes, flush=True)


def finish(c):
    """The finishing phase of campaign C (a campaign.Campaign: layout,
    log, st, runs, save_state); raises Failure when triage
    did not finish."""
    c.st.phase = "finishing"
    c.save_state()
    os.makedirs(c.layout.path("logs"), exist_ok=True)
    c.runs.load(c.st.targets)
    c.log.event("finishing: corpus merge, triage, coverage, report")
    steps = Steps(c.layout.out)
    for t in c.st.targets:
        if not steps.done("merge-" + t):
            c.log.event("merge %s (libFuzzer -merge=1)" % t)
            merge_target(c, t)
            steps.mark("merge-" + t)
        if not steps.done("cmin-" + t):
            c.log.event("afl-cmin %s" % t)
            cmin_target(c, t)
            steps.mark("cmin-" + t)
    triage_ok = triage_all(c)
    if not steps.done("verify"):
        c.log.event("fixed verification: every folder of %s on the current "
                    "builds" % c.st.crashes)
        verify(c)
        steps.mark("verify")
    if not steps.done("coverage"):
        c.log.event("coverage (llvm-cov)")
        covreport.coverage(c)
        steps.mark("coverage")
    plots.plots(c)
    afl_summary(c)
    report(c, triage_ok)
    if triage_ok:
        c.st.phase = "done"
    c.save_state()
    closing_lines(c)
    if not triage_ok:
        raise Failure("triage did not finish (see %s): %s --resume %s" % (
            c.layout.path("triage.log"), PROG, c.layout.out))
