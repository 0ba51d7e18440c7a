"""The campaign report: one data model, written as report.json,
report.sarif (SARIF 2.1.0), report.md and report.html (reporthtml.py)
(docs/CAMPAIGN.md, "Reading the report").

Everything is read from the campaign folder: state.json, the libFuzzer run
accounting (lf/<t>/runs.tsv), the AFL++ instances' fuzzer_stats and
plot_data, triage.tsv and the crash store's meta.json files, preflight.json
(crashing seeds, known root causes), known/<t>.hits (suppressed hits),
verify.json (fixed verification), the coverage summaries, and the previous
campaign's report.json.

What a user reads first is what is new: seeds and regression inputs that
fault, then new signatures, then the known ones seen again; known root
causes that were suppressed are counted, never hidden.
"""
import datetime
import glob
import json
import math
import os
import re
import subprocess
import sys

from chanfuzz import paths, stats, store

SCHEMA = "chanfuzz-campaign-report/1"
MAX_SLICE = 600
RULE = ("C = min(targets, max(1, jobs/2)) targets at a time; a target with "
        "k jobs: ceil(k/2) AFL++ + floor(k/2) libFuzzer (all k of the one "
        "engine when only one is chosen); groups time-sliced")


# Under the table of what ran (report.md and report.html).
COV_NOTE = ("exec/s are averages over the time each target was fuzzed. "
            "libFuzzer cov counts the edges of its own build: the code under "
            "test (the _smart build's mutator is not instrumented, so both "
            "builds count the same code); AFL++ bitmap and edges are over "
            "its map.")

# The campaign folder's files, as the report's "Files" table lists them.
FILES = [
    ("report.md, report.json", "this report, as text and as data"),
    ("report.html", "this report as one self-contained web page, the plots "
     "embedded"),
    ("report.sarif", "SARIF 2.1.0, one result per crash signature, for "
     "code-scanning UIs"),
    ("coverage/index.html", "llvm-cov source coverage of the merged corpora"),
    ("coverage.png, execs.png", "coverage and executions over time (from "
     "stats.tsv)"),
    ("afl-plot/<target>/", "afl-plot of each target's first AFL++ instance"),
    ("afl-whatsup.txt", "AFL++'s own summary of each target's instances "
     "(afl-whatsup -s -d)"),
    ("stats.tsv", "the time series, one row per target every 5 s"),
    ("campaign.log", "status lines and events"),
    ("corpus/<target>/", "the merged, minimised corpus (libFuzzer -merge=1 "
     "of both engines)"),
    ("corpus-afl/<target>/", "afl-cmin of the AFL++ queues"),
    ("triage.tsv", "each crash file, its target and triage verdict"),
    ("preflight.json", "crashing seeds and regression inputs, known root "
     "causes"),
    ("known/<target>.txt, .hits", "the known root causes the fuzzers were "
     "told, and their counted hits"),
    ("verify.json", "fixed verification of the crash store"),
    ("lf/, afl/", "the engines' own folders: corpora, logs, artifacts, "
     "AFL++ instances"),
    ("state.json", "the state that --resume reads"),
]


def _read_json(path):
    return store.read_json(path)


def _count_files(d, maxdepth=None):
    n = 0
    if not os.path.isdir(d):
        return 0
    if maxdepth == 1:
        return sum(1 for f in os.listdir(d)
                   if os.path.isfile(os.path.join(d, f)))
    for _, _, files in os.walk(d):
        n += len(files)
    return n


def schedule(jobs, nt, budget):
    conc = max(1, jobs // 2)
    conc = min(conc, nt) if nt else 1
    ngroups = (nt + conc - 1) // conc if nt else 1
    if ngroups == 1:
        slc = budget
    else:
        r = (budget + ngroups * MAX_SLICE - 1) // (ngroups * MAX_SLICE)
        slc = max(1, budget // (ngroups * r))
    return conc, ngroups, slc


# ---- engine figures ------------------------------------------------------------


def lf_runs(out, t):
    """libFuzzer's run accounting of t (lf/<t>/runs.tsv: log, start, end,
    exit, execs, cov, artifact): runs, runs ending in a crash, execs, and
    per build ("plain", "smart"): runs, execs, seconds run, best cov."""
    f = {"runs": 0, "crash_runs": 0, "execs": 0,
         "plain": {"runs": 0, "execs": 0, "seconds": 0, "cov": 0},
         "smart": {"runs": 0, "execs": 0, "seconds": 0, "cov": 0}}
    try:
        with open(os.path.join(out, "lf", t, "runs.tsv")) as fh:
            for line in fh:
                c = line.rstrip("\n").split("\t")
                if len(c) < 7:
                    continue
                x = _num(c[4], int)
                k = f["plain" if c[0].endswith("-plain.log") else "smart"]
                f["runs"] += 1
                f["crash_runs"] += c[6] != "-"
                f["execs"] += x
                k["runs"] += 1
                k["execs"] += x
                k["seconds"] += max(0, _num(c[2], int) - _num(c[1], int))
                k["cov"] = max(k["cov"], _num(c[5], int))
    except OSError:
        pass
    return f


def whatsup_summaries(text):
    """afl-whatsup.txt (finish.afl_summary: one "== TARGET ==" header,
    then `afl-whatsup -s -d` of that target's AFL++ folder) as
    {target: {field: value}}: the summary's "name : value" lines, keyed
    by name in lower case with "_" for spaces."""
    out, cur = {}, None
    for line in text.splitlines():
        m = re.match(r"^== (\S+) ==$", line)
        if m:
            cur = out.setdefault(m.group(1), {})
            continue
        m = re.match(r"^\s*([A-Za-z][A-Za-z ]*?)\s+:\s+(.*?)\s*$", line)
        if m and cur is not None:
            cur[m.group(1).lower().replace(" ", "_")] = m.group(2)
    return out


def _num(s, kind=float):
    try:
        v = kind(str(s).strip().rstrip("%"))
        if isinstance(v, float) and (math.isnan(v) or math.isinf(v)):
            return 0
        return v
    except ValueError:
        return 0


def afl_instance_stats(d):
    """execs, execs_per_sec, bitmap_cvg, edges_found, corpus_count,
    run_time from fuzzer_stats, and from the last plot_data line when it
    is newer (AFL++ rewrites fuzzer_stats about once a minute)."""
    try:
        with open(os.path.join(d, "fuzzer_stats"), errors="replace") as f:
            st = stats.parse_fuzzer_stats(f.read())
    except OSError:
        return {"execs": 0, "execs_per_sec": 0, "bitmap_cvg": 0.0,
                "edges_found": 0, "corpus_count": 0, "run_time": 0}
    x = _num(st.get("execs_done", 0), int)
    e = _num(st.get("execs_per_sec", 0))
    c = _num(st.get("bitmap_cvg", 0))
    ed = _num(st.get("edges_found", 0), int)
    q = _num(st.get("corpus_count", 0), int)
    last = None
    try:
        with open(os.path.join(d, "plot_data")) as f:
            for line in f:
                if not line.startswith("#") and line.strip():
                    last = line
    except OSError:
        pass
    if last:
        p = re.split(r",\s*", last.strip())
        if len(p) >= 13 and _num(p[11], int) > x:
            x, e = _num(p[11], int), _num(p[10])
            c, ed, q = _num(p[6]), _num(p[12], int), _num(p[3], int)
    return {"execs": x, "execs_per_sec": int(round(e)),
            "bitmap_cvg": round(c, 2), "edges_found": ed, "corpus_count": q,
            "run_time": _num(st.get("run_time", 0), int)}


class Campaign:
    """The campaign folder and its state."""

    def __init__(self, out):
        self.out = os.path.abspath(out)
        self.state = _read_json(os.path.join(self.out, "state.json")) or {}
        self.targets = self.state.get("targets") or []
        self.crashes = self.state.get("crashes") or paths.root_path(
            "crashes")
        self.sync_dir = self.state.get("sync_dir") or ""
        self.prefix = self.state.get("prefix") or ""
        self.role = self.state.get("role") or ""

    def afl_out(self, t):
        if self.sync_dir:
            return os.path.join(self.sync_dir, t)
        return os.path.join(self.out, "afl", t)

    def iname(self, role):
        if self.prefix:
            if role == "main" and self.role == "secondary":
                role = "lead"
            return "%s-%s" % (self.prefix, role)
        return role

    def local_instances(self, t):
        ao = self.afl_out(t)
        pseudo = self.iname("libfuzzer")
        out = []
        for d in sorted(glob.glob(os.path.join(ao, "*"))):
            n = os.path.basename(d)
            if not os.path.isdir(d) or n == pseudo:
                continue
            if self.prefix and not n.startswith(self.prefix + "-"):
                continue
            out.append(d)
        return out

    def crash_files(self, t, kind):
        files = []
        for d in (os.path.join(self.out, "lf", t, "artifacts"),
                  os.path.join(self.out, "merge-artifacts", t)):
            if not os.path.isdir(d):
                continue
            for f in os.listdir(d):
                p = os.path.join(d, f)
                if not os.path.isfile(p):
                    continue
                if kind != "hang" and f.startswith(("crash-", "leak-",
                                                    "oom-")):
                    files.append(p)
                if kind != "crash" and f.startswith("timeout-"):
                    files.append(p)
        for inst in self.local_instances(t):
            if kind != "hang":
                files += [p for p in glob.glob(os.path.join(
                    inst, "crashes*", "id:*")) if os.path.isfile(p)]
            if kind != "crash":
                files += [p for p in glob.glob(os.path.join(
                    inst, "hangs*", "id:*")) if os.path.isfile(p)]
        return files

    def target_figures(self, t):
        secs = (self.state.get("target_seconds") or {}).get(t, 0)
        lf = lf_runs(self.out, t)
        insts = []
        for d in self.local_instances(t):
            s = afl_instance_stats(d)
            rt = s["run_time"]
            insts.append({
                "name": os.path.basename(d), "execs": s["execs"],
                "run_time_s": rt,
                "execs_per_sec": s["execs"] // rt if rt > 0 else 0,
                "bitmap_cvg": s["bitmap_cvg"],
                "edges_found": s["edges_found"],
                "corpus_count": s["corpus_count"],
                "crash_files": len([p for p in glob.glob(os.path.join(
                    d, "crashes*", "id:*")) if os.path.isfile(p)]),
                "hang_files": len([p for p in glob.glob(os.path.join(
                    d, "hangs*", "id:*")) if os.path.isfile(p)]),
            })
        ax = sum(i["execs"] for i in insts)
        return {
            "target": t, "fuzz_seconds": secs,
            "seeds": _count_files(os.path.join(self.out, "seeds", t), 1),
            "libfuzzer": {
                "execs": lf["execs"], "runs": lf["runs"],
                "runs_ending_in_crash": lf["crash_runs"],
                "execs_per_sec": lf["execs"] // secs if secs > 0 else 0,
                "cov_plain": lf["plain"]["cov"],
                "cov_smart": lf["smart"]["cov"],
                "by_build": {k: {
                    "runs": lf[k]["runs"], "execs": lf[k]["execs"],
                    "seconds": lf[k]["seconds"],
                    "execs_per_sec": lf[k]["execs"] // lf[k]["seconds"]
                    if lf[k]["seconds"] > 0 else 0}
                    for k in ("plain", "smart")},
                "corpus": _count_files(os.path.join(self.out, "lf", t,
                                                    "corpus"))},
            "aflpp": {
                "execs": ax,
                "execs_per_sec": ax // secs if secs > 0 else 0,
                "bitmap_cvg": max([i["bitmap_cvg"] for i in insts] or [0]),
                "edges_found": max([i["edges_found"] for i in insts] or [0]),
                "instances": insts},
            "merged_corpus": _count_files(os.path.join(self.out, "corpus",
                                                       t), 1),
            "afl_cmin_corpus": _count_files(os.path.join(
                self.out, "corpus-afl", t), 1),
            "crash_files": len(self.crash_files(t, "crash")),
            "hang_files": len(self.crash_files(t, "hang")),
        }


# ---- crashes -------------------------------------------------------------------

_FRAME = re.compile(r"^\s*#\d+ 0x[0-9a-f]+ in (\S+) (\S+)")


def location(report_path, root):
    """(file, line, caller_of) of the top frame in our sources, or None.
    Where the symboliser gave that frame no line (a SEGV's pc inside an
    inlined helper), the line is the next frame's of ours that has one,
    the call of that function, and caller_of names it; else caller_of is
    None."""
    top = None
    try:
        with open(report_path, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in lines:
        m = _FRAME.match(line)
        if not m:
            continue
        fn, loc = m.group(1), m.group(2)
        if not re.search(r"(parsers|harness|tools)/", loc):
            continue
        if re.search(r"harness/(replay|afl_driver)\.c", loc):
            continue
        if fn == "cf_h_fail" or fn.startswith("cf_mem_") or \
                fn in ("guard_fault",):
            continue
        parts = loc.split(":")
        f = parts[0]
        if f.startswith(root + "/"):
            f = f[len(root) + 1:]
        else:
            i = re.search(r"(parsers|harness|tools)/", f)
            if i:
                f = f[i.start():]
        try:
            ln = int(parts[1]) if len(parts) > 1 else None
        except ValueError:
            ln = None
        if top is None:
            top = (f, fn)
            if ln is not None:
                return f, ln, None
        elif ln is not None:
            return f, ln, top[1]
    return (top[0], 1, None) if top else None


def triage_rows(out):
    """triage.tsv: path, target, verdict, folder, line."""
    rows = []
    try:
        with open(os.path.join(out, "triage.tsv")) as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) >= 4:
                    rows.append({"path": c[0], "target": c[1],
                                 "verdict": c[2], "folder": c[3]})
    except OSError:
        pass
    return rows


def known_hits(out, t):
    """{root-cause key: refusals counted} of target t in this campaign."""
    hits = {}
    for name in (t + ".hits",):
        try:
            with open(os.path.join(out, "known", name)) as f:
                for line in f:
                    c = line.rstrip("\n").split("\t")
                    if len(c) == 2 and c[1].isdigit():
                        hits[c[0]] = hits.get(c[0], 0) + int(c[1])
        except OSError:
            pass
    return hits


def _signature_entry(cs, folder, created, files, seed_folders, rel_crashes,
                     root):
    meta = cs.meta(folder)
    if meta is None:
        return None
    loc = location(os.path.join(cs.path(folder), "report.txt"), root)
    if loc is None:
        t = meta.get("target") or ""
        f = "harness/%s.c" % ("fuzz_interp" if t.startswith("fuzz_interp_")
                              else t)
        ln = 1
        try:
            with open(os.path.join(root, f)) as fh:
                for i, line in enumerate(fh, 1):
                    if "LLVMFuzzerTestOneInput" in line:
                        ln = i
                        break
        except OSError:
            pass
        loc = (f, ln, None)
    return {
        "id": meta.get("signature"), "folder": folder,
        "crash_type": meta.get("crash_type"), "target": meta.get("target"),
        "targets": meta.get("targets") or [meta.get("target")],
        "sensor_builds": meta.get("sensor_builds") or [],
        "frames": meta.get("frames") or [],
        "root_cause": meta.get("root_cause"),
        "sanitizer_type": meta.get("sanitizer_type"),
        "guard_finding": meta.get("guard_finding"),
        "flaky": bool(meta.get("flaky")),
        "group": bool(meta.get("group")),
        "engine_fault": meta.get("engine_fault"),
        "history_replay": meta.get("history_replay"),
        "counted_as_finding": bool(meta.get("counted_as_finding", True)),
        "first_seen": meta.get("first_seen"),
        "last_seen": meta.get("last_seen"),
        "times_seen": meta.get("times_seen"),
        "minimized_size": meta.get("minimized_size"),
        "new": (meta.get("first_seen") or "") >= created,
        "from_seed": folder in seed_folders,
        "files_this_campaign": files,
        "location": {"file": loc[0], "line": loc[1]},
        "location_caller_of": loc[2],
        "repro": "scripts/repro.sh %s/%s" % (rel_crashes, folder),
    }


def build(out, triage_complete=True, now=None, cores=None):
    """The report's data model (report.json); now and cores for tests."""
    c = Campaign(out)
    root = paths.ROOT
    st = c.state
    created = st.get("created") or ""
    rel_crashes = c.crashes[len(root) + 1:] \
        if c.crashes.startswith(root + "/") else c.crashes
    cs = store.CrashStore(c.crashes)
    pre = _read_json(os.path.join(c.out, "preflight.json")) or {}
    seed_rows = []
    for t, tp in sorted((pre.get("targets") or {}).items()):
        for row in tp.get("faulting") or []:
            seed_rows.append(dict(row, target=t))
    seed_folders = {r.get("folder") for r in seed_rows}
    rows = triage_rows(c.out)
    counts = {}
    order = []
    for r in rows:
        if r["folder"] not in counts:
            order.append(r["folder"])
            counts[r["folder"]] = 0
        counts[r["folder"]] += 1
    for r in seed_rows:
        if r.get("folder") and r["folder"] not in counts:
            order.append(r["folder"])
            counts[r["folder"]] = 0
    sigs = []
    for folder in sorted(order):
        e = _signature_entry(cs, folder, created, counts[folder],
                             seed_folders, rel_crashes, root)
        if e is not None:
            sigs.append(e)
    targets = [c.target_figures(t) for t in c.targets]
    # known root causes: suppressed hits
    suppressed = []
    for t in c.targets:
        tp = (pre.get("targets") or {}).get(t) or {}
        hits = known_hits(c.out, t)
        for k in tp.get("known") or []:
            meta = cs.meta(k.get("folder") or "") or {}
            suppressed.append({
                "target": t, "root_cause": k["key"], "id": k.get("id"),
                "folder": k.get("folder"), "entry": k.get("entry"),
                "crash_type": meta.get("crash_type") or k.get("type"),
                "hits": hits.get(k["key"], 0)})
    known_listed = []
    for t in c.targets:
        tp = (pre.get("targets") or {}).get(t) or {}
        for k in tp.get("known_listed") or []:
            known_listed.append(dict(k, target=t))
    verification = _read_json(os.path.join(c.out, "verify.json"))
    cov_p = _read_json(os.path.join(c.out, "coverage", "parsers.json"))
    cov_a = _read_json(os.path.join(c.out, "coverage", "all.json"))
    try:
        with open(os.path.join(c.out, "coverage",
                               "summary-parsers.txt")) as f:
            covsum = f.read().rstrip("\n")
    except OSError:
        covsum = ""
    prev_dir = st.get("previous") or ""
    prev = _read_json(os.path.join(prev_dir, "report.json")) \
        if prev_dir else None
    jobs = st.get("jobs") or 1
    budget = st.get("budget_s") or 0
    conc, ngroups, slc = schedule(jobs, len(c.targets), budget)
    lfx = sum(t["libfuzzer"]["execs"] for t in targets)
    ax = sum(t["aflpp"]["execs"] for t in targets)

    def pct(a):
        if not a:
            return None
        return {"count": a.get("count"), "covered": a.get("covered"),
                "percent": round(a.get("percent") or 0, 2)}

    def covof(x):
        if not x:
            return None
        return {"lines": pct(x.get("lines")),
                "regions": pct(x.get("regions")),
                "functions": pct(x.get("functions"))}

    cur_folders = [s["folder"] for s in sigs]
    previous = None
    if prev:
        pf = [s.get("folder") for s in (prev.get("crashes") or {})
              .get("signatures") or []]
        pc = (prev.get("coverage") or {}).get("parsers")

        def delta(key):
            if not pc or not cov_p:
                return None
            return round(cov_p[key]["percent"] - pc[key]["percent"], 2)

        previous = {
            "dir": prev_dir, "id": prev["campaign"]["id"],
            "finished": prev["campaign"].get("finished"),
            "new_signatures": [f for f in cur_folders if f not in pf],
            "fixed_signatures": [
                s.get("folder") for s in (prev.get("crashes") or {})
                .get("signatures") or []
                if s.get("target") in c.targets and
                s.get("folder") not in cur_folders],
            "coverage_delta": {
                "parsers_lines_percent": delta("lines"),
                "parsers_regions_percent": delta("regions")},
            "execs_delta": {
                "libfuzzer": lfx - (prev.get("totals") or {}).get(
                    "libfuzzer_execs", 0),
                "aflpp": ax - (prev.get("totals") or {}).get(
                    "aflpp_execs", 0)}}
    finished = now or datetime.datetime.now(datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    sync = None
    if c.sync_dir:
        sync = {"dir": c.sync_dir, "role": c.role,
                "instance_prefix": c.prefix}
    return {
        "schema": SCHEMA,
        "campaign": {
            "id": os.path.basename(c.out), "dir": c.out,
            "host": st.get("host"), "started": created,
            "finished": finished, "budget_s": budget,
            "fuzz_seconds": st.get("elapsed_s", 0), "runs": st.get("runs", 1),
            "jobs": jobs, "cores": cores or os.cpu_count(),
            "targets": c.targets,
            "engines": st.get("engines") or ["afl", "libfuzzer"],
            "crashes_dir": c.crashes, "sync": sync,
            "suppress_known": bool(pre.get("suppress", False))},
        "schedule": {"concurrent_targets": conc, "groups": ngroups,
                     "slice_s": slc, "rule": RULE},
        "totals": {
            "libfuzzer_execs": lfx, "aflpp_execs": ax,
            "crash_files": sum(t["crash_files"] for t in targets),
            "signatures": len([s for s in sigs if not s["group"]]),
            "new_signatures": len([s for s in sigs
                                   if s["new"] and not s["group"]]),
            "unreproducible_groups": len([s for s in sigs if s["group"]]),
            "crashing_seeds": len(seed_rows),
            "suppressed_hits": sum(s["hits"] for s in suppressed)},
        "targets": targets,
        "coverage": {
            "parsers": covof(cov_p), "all": covof(cov_a),
            "html": "coverage/index.html" if cov_p else None,
            "summary_parsers": covsum},
        "crashes": {"signatures": sigs, "triage_complete": triage_complete,
                    "crashing_seeds": seed_rows,
                    "suppressed": suppressed, "known_listed": known_listed,
                    "verification": verification},
        "previous": previous,
        "aflpp_summary": {t: v for t, v in whatsup_summaries(
            store.read_text(os.path.join(c.out, "afl-whatsup.txt"))).items()
            if t in c.targets},
        "files": {
            "report_md": "report.md", "report_json": "report.json",
            "report_sarif": "report.sarif", "report_html": "report.html",
            "coverage_html": "coverage/index.html",
            "coverage_png": "coverage.png", "execs_png": "execs.png",
            "afl_plot": "afl-plot/<target>/index.html", "stats": "stats.tsv",
            "log": "campaign.log", "state": "state.json",
            "corpus": "corpus/<target>/", "corpus_afl": "corpus-afl/<target>/",
            "triage": "triage.tsv", "preflight": "preflight.json",
            "verification": "verify.json", "known": "known/<target>.txt",
            "afl_whatsup": "afl-whatsup.txt"},
    }


# ---- SARIF ---------------------------------------------------------------------


def sarif(rep, revision=None):
    root = paths.ROOT
    ver = revision
    try:
        ver = ver or subprocess.run(
            ["git", "-C", root, "rev-parse", "HEAD"], capture_output=True,
            text=True, check=False).stdout.strip() or "unknown"
    except OSError:
        ver = "unknown"
    sigs = rep["crashes"]["signatures"]
    rules = []
    for t in sorted({s["crash_type"] for s in sigs}):
        rules.append({
            "id": t, "name": re.sub(r"[^A-Za-z0-9]+", "-", t),
            "shortDescription": {"text": "Fuzzing finding: " + t},
            "help": {"text": "Reproduce with scripts/repro.sh on the crash "
                     "folder (docs/CRASHES.md)."}})
    results = []
    for s in sigs:
        msg = "%s in %s" % (s["crash_type"], s["target"])
        if s["frames"]:
            msg += " (" + " < ".join(s["frames"]) + ")"
        if s["root_cause"]:
            msg += "; root cause " + s["root_cause"]
        if s["sensor_builds"]:
            msg += "; faults sensor build(s) " + ", ".join(
                s["sensor_builds"])
        if s["guard_finding"]:
            msg += "; " + s["guard_finding"]
        msg += ". Reproduce: " + s["repro"]
        results.append({
            "ruleId": s["crash_type"],
            "level": "note" if s["flaky"] or not s["counted_as_finding"]
            else "error",
            "message": {"text": msg},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": s["location"]["file"],
                                     "uriBaseId": "SRCROOT"},
                "region": {"startLine": max(1, s["location"]["line"])}}}],
            "partialFingerprints": {"chanfuzzSignature/v1": s["id"]},
            "properties": {
                "signature": s["id"], "folder": s["folder"],
                "target": s["target"], "root_cause": s["root_cause"],
                "sensor_builds": s["sensor_builds"],
                "first_seen": s["first_seen"], "times_seen": s["times_seen"],
                "new": s["new"], "flaky": s["flaky"],
                "from_seed": s["from_seed"], "repro": s["repro"]}})
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "chanfuzz",
                "informationUri": "https://example.invalid/chanfuzz",
                "semanticVersion": "1.0.0", "rules": rules}},
            "originalUriBaseIds": {"SRCROOT": {"uri": "file://%s/" % root}},
            "versionControlProvenance": [{"repositoryUri": "file://%s/" %
                                          root, "revisionId": ver}],
            "automationDetails": {"id": "chanfuzz-campaign/" +
                                  rep["campaign"]["id"]},
            "results": results}]}


# ---- Markdown ------------------------------------------------------------------


human = stats.human


def dur(s):
    s = int(s or 0)
    return "%dh%02dm%02ds" % (s // 3600, s % 3600 // 60, s % 60)


def _sg(v):
    if v is None:
        return "n/a"
    return "+%s" % v if v > 0 else str(v)


def _pc(a):
    if not a:
        return "n/a"
    return "%s%% (%s/%s)" % (a["percent"], a["covered"], a["count"])


def seed_groups(seeds):
    """The crashing seeds grouped by identity, in order of first
    appearance: a defect that every seed reaches would otherwise be a page
    of rows (report.json keeps every input). Each group: folder, new (one
    of its inputs filed it), type, count, targets, examples (the first
    three inputs as (target, kind, name))."""
    by = {}
    for s in seeds:
        by.setdefault(s.get("folder"), []).append(s)
    out = []
    for folder, rows in by.items():
        tg = []
        for r in rows:
            if r["target"] not in tg:
                tg.append(r["target"])
        out.append({"folder": folder,
                    "new": any(r.get("verdict") == "new" for r in rows),
                    "type": rows[0].get("type"), "count": len(rows),
                    "targets": tg,
                    "examples": [(r["target"], r["kind"], r["name"])
                                 for r in rows[:3]]})
    return out


def crash_rows(cr):
    """The crash table's order (seeds first, then new, then flaky) split
    into the signatures of their own and the unreproducible groups."""
    sigs = sorted(cr["signatures"],
                  key=lambda s: (not s["from_seed"], not s["new"],
                                 s["flaky"], s["folder"]))
    return ([s for s in sigs if not s["group"]],
            [s for s in sigs if s["group"]])


def where_note(s):
    """After a signature's file:line, which call it is when the top frame
    had no line."""
    c = s.get("location_caller_of")
    return " (the call of %s)" % c if c else ""


SEED_HEAD = ["filed as", "crash type", "inputs", "targets", "for example"]


def seed_table(seeds):
    """The Markdown table of crashing seeds (seed_groups)."""
    L = ["| " + " | ".join(SEED_HEAD) + " |",
         "| --- | --- | ---: | --- | --- |"]
    for g in seed_groups(seeds):
        ex = ["%s %s `%s`" % (t, k, n[:12]) for t, k, n in g["examples"]]
        if g["count"] > len(ex):
            ex.append("and %d more" % (g["count"] - len(ex)))
        L.append("| `%s`%s | %s | %d | %s | %s |" % (
            g["folder"], " (new)" if g["new"] else "", g["type"],
            g["count"], ", ".join(g["targets"]), "; ".join(ex)))
    return L


def lf_build_rows(targets):
    """The libFuzzer figures per build, plain and _smart, as (caption,
    head, rows of text), for report.md and report.html."""
    rows = []
    for t in targets:
        bb = t["libfuzzer"].get("by_build")
        if not bb or not t["libfuzzer"]["runs"]:
            continue
        p, s = bb["plain"], bb["smart"]
        rows.append([t["target"], str(p["runs"]), human(p["execs"]),
                     human(p["execs_per_sec"]), str(s["runs"]),
                     human(s["execs"]), human(s["execs_per_sec"])])
    return ("libFuzzer by build (exec/s over each build's own run time):",
            ["target", "plain runs", "plain execs", "exec/s", "_smart runs",
             "_smart execs", "exec/s"], rows)


WHATSUP = (("fuzzers_alive", "alive"), ("dead_or_remote", "dead or remote"),
           ("total_run_time", "run time"), ("total_execs", "execs"),
           ("cumulative_speed", "speed"), ("pending_items", "pending"),
           ("crashes_saved", "crashes saved"))


def whatsup_rows(summ, order=()):
    """AFL++'s own summaries (afl-whatsup.txt) as (caption, head, rows),
    the targets in ORDER (the campaign's), then any other."""
    ts = [t for t in order if t in summ] + sorted(set(summ) - set(order))
    return ("AFL++'s own summary of each target's instances (afl-whatsup -s "
            "-d, afl-whatsup.txt):", ["target"] + [h for _, h in WHATSUP],
            [[t] + [summ[t].get(k, "-") for k, _ in WHATSUP] for t in ts])


def md_table(caption, head, rows, num=()):
    """A Markdown table of text cells, after its caption; nothing when
    there are no rows. num: the indexes of right-aligned columns."""
    if not rows:
        return []
    return [caption + "\n", "| %s |" % " | ".join(head),
            "|%s" % "".join(" ---: |" if i in num else " --- |"
                            for i in range(len(head)))] + \
        ["| %s |" % " | ".join(c.replace("|", "/") for c in r)
         for r in rows] + [""]


def markdown(rep):
    c = rep["campaign"]
    cov = rep["coverage"]
    cr = rep["crashes"]
    engines = ", ".join("AFL++" if e == "afl" else "libFuzzer"
                        for e in c["engines"])
    L = ["# Fuzz campaign %s\n" % c["id"], "| | |", "| --- | --- |",
         "| folder | `%s` |" % c["dir"],
         "| host | %s (%s cores, %s jobs) |" % (c["host"], c["cores"],
                                               c["jobs"]),
         "| started / finished | %s / %s |" % (c["started"], c["finished"]),
         "| fuzzing time | %s of a %s budget%s |" % (
             dur(c["fuzz_seconds"]), dur(c["budget_s"]),
             " (in %d runs: resumed)" % c["runs"] if c["runs"] > 1 else ""),
         "| targets | %s |" % ", ".join(c["targets"]),
         "| engines | %s |" % engines,
         "| executions | libFuzzer %s, AFL++ %s |" % (
             human(rep["totals"]["libfuzzer_execs"]),
             human(rep["totals"]["aflpp_execs"])),
         "| source coverage of parsers/ | lines %s, regions %s |" % (
             _pc((cov["parsers"] or {}).get("lines")),
             _pc((cov["parsers"] or {}).get("regions"))),
         "| crashes | %d crash files, %d signature(s), %d new%s%s%s |" % (
             rep["totals"]["crash_files"], rep["totals"]["signatures"],
             rep["totals"]["new_signatures"],
             ", %d unreproducible group(s)" %
             rep["totals"]["unreproducible_groups"]
             if rep["totals"]["unreproducible_groups"] else "",
             ", %d crashing seed(s)" % rep["totals"]["crashing_seeds"]
             if rep["totals"]["crashing_seeds"] else "",
             "; known root causes hit {:,} times, suppressed".format(
                 rep["totals"]["suppressed_hits"])
             if rep["totals"]["suppressed_hits"] else ""),
         "| known root causes | %s |" % (
             "suppressed (their hits are counted below; `--no-suppress` "
             "turns it off)" if c["suppress_known"] else
             "not suppressed (--no-suppress)")]
    if c["sync"]:
        L.append("| AFL++ sync | `%s`, role %s, instances `%s-*` |" % (
            c["sync"]["dir"], c["sync"]["role"],
            c["sync"]["instance_prefix"]))
    L.append("")
    # What is new comes first.
    L.append("## Findings\n")
    seeds = cr["crashing_seeds"]
    if seeds:
        L.append("**Crashing seeds and regression inputs** (replayed before "
                 "fuzzing; each is filed, and left out of the start "
                 "corpus):\n")
        L.extend(seed_table(seeds))
        L.append("")
    real, groups = crash_rows(cr)
    if not real:
        L.append("No crash.\n")
    else:
        L.append("| | signature | crash type | root cause | target | "
                 "sensor builds | where | files | reproduce |")
        L.append("| --- | --- | --- | --- | --- | --- | --- | ---: | --- |")
        for s in real:
            what = "**new**" if s["new"] else (
                "flaky" if s["flaky"] else "seen again")
            if s["from_seed"]:
                what += " (seed)"
            L.append("| %s | `%s` | %s | %s | %s | %s | `%s:%d`%s | %d | "
                     "`%s` |" % (
                         what, s["folder"], s["crash_type"],
                         "`%s`" % s["root_cause"] if s["root_cause"]
                         else "stack: " + " < ".join(s["frames"]),
                         s["target"], ", ".join(s["sensor_builds"]),
                         s["location"]["file"], s["location"]["line"],
                         where_note(s),
                         s["files_this_campaign"], s["repro"]))
        L.append("")
    if cr["suppressed"]:
        L.append("**Known root causes, suppressed** (the regression "
                 "corpus's detect/open entries already filed in the crash "
                 "store: the fuzzing builds refuse their reads and count "
                 "them, so that the fuzzers look past them):\n")
        for s in cr["suppressed"]:
            L.append("- `%s` %s (%s): hit %s times, suppressed in %s" % (
                s["folder"], s["crash_type"], s["root_cause"],
                "{:,}".format(s["hits"]), s["target"]))
        L.append("")
    if cr["known_listed"]:
        L.append("Known entries not suppressed:\n")
        for k in cr["known_listed"]:
            L.append("- %s `%s` (%s): %s" % (k["target"], k["entry"],
                                             k["expect"], k["reason"]))
        L.append("")
    if groups:
        L.append("**Unreproducible crashes** (they did not fault when "
                 "replayed alone; grouped by target and by the fault as "
                 "the engine saw it):\n")
        for g in groups:
            extra = ""
            h = g.get("history_replay")
            if h:
                extra = "; after %d preceding queue entries in one " \
                    "process: %s" % (h["entries"], h["fault"] or
                                     "still no fault")
            L.append("- %s, %s: %d file(s) this campaign, `%s`%s" % (
                g["target"], g.get("engine_fault") or g["crash_type"],
                g["files_this_campaign"], g["folder"], extra))
        L.append("")
    if not cr["triage_complete"]:
        L.append("**Triage did not finish**: run `scripts/campaign.sh "
                 "--resume %s` to triage the rest.\n" % c["dir"])
    ver = cr.get("verification")
    if ver is not None:
        L.append("## Fixed verification\n")
        L.append("Every folder of the crash store `%s`, replayed on "
                 "tonight's builds:\n" % c["crashes_dir"])
        if not ver:
            L.append("The crash store is empty.\n")
        else:
            L.append("| signature | target | crash type | verdict |")
            L.append("| --- | --- | --- | --- |")
            for v in ver:
                L.append("| `%s` | %s | %s | %s |" % (
                    v["folder"], v.get("target"), v.get("type"),
                    v["verdict"]))
            L.append("")
    t0 = rep["schedule"]
    L += ["## What ran\n",
          "Split (docs/CAMPAIGN.md): %s. Here: %d target(s) at a time, %d "
          "group(s)%s.\n" % (t0["rule"], t0["concurrent_targets"],
                             t0["groups"], ", slices of %ds" % t0["slice_s"]
                             if t0["groups"] > 1 else ""),
          "| target | fuzzed | libFuzzer execs | exec/s | runs (crashed) | "
          "cov plain / smart | AFL++ execs | exec/s | bitmap | edges | "
          "instances | merged corpus | afl-cmin | crash files |",
          "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
          "---: | --- | ---: | ---: | ---: |"]
    for t in rep["targets"]:
        lf, a = t["libfuzzer"], t["aflpp"]
        L.append("| %s | %s | %s | %s | %d (%d) | %d / %d | %s | %s | %s%% "
                 "| %d | %s | %d | %d | %d |" % (
                     t["target"], dur(t["fuzz_seconds"]), human(lf["execs"]),
                     human(lf["execs_per_sec"]), lf["runs"],
                     lf["runs_ending_in_crash"], lf["cov_plain"],
                     lf["cov_smart"], human(a["execs"]),
                     human(a["execs_per_sec"]), a["bitmap_cvg"],
                     a["edges_found"],
                     ", ".join(i["name"] for i in a["instances"]),
                     t["merged_corpus"], t["afl_cmin_corpus"],
                     t["crash_files"]))
    p = cov["parsers"] or {}
    a = cov["all"] or {}
    L += ["",
          COV_NOTE + "\n"]
    L += md_table(*lf_build_rows(rep["targets"]), num=range(1, 7))
    L += md_table(*whatsup_rows(rep.get("aflpp_summary") or {},
                                [t["target"] for t in rep["targets"]]))
    L += ["![coverage over time](coverage.png)\n",
          "![executions over time](execs.png)\n",
          "## Source coverage\n",
          "Merged corpora replayed on build/coverage/<target> (clang "
          "source-based coverage): [coverage/index.html]"
          "(coverage/index.html).\n",
          "- parsers/: lines %s, regions %s, functions %s" % (
              _pc(p.get("lines")), _pc(p.get("regions")),
              _pc(p.get("functions"))),
          "- everything built (parsers/ and harness/): lines %s, regions "
          "%s\n" % (_pc(a.get("lines")), _pc(a.get("regions")))]
    if cov.get("summary_parsers"):
        L.append("```\n%s\n```\n" % cov["summary_parsers"])
    L.append("## Since the previous campaign\n")
    pv = rep["previous"]
    if pv is None:
        L.append("No previous campaign with a report in the same folder.\n")
    else:
        L += ["Previous: `%s` (finished %s).\n" % (pv["id"], pv["finished"]),
              "- new signatures: %s" % (", ".join(
                  "`%s`" % f for f in pv["new_signatures"]) or "none"),
              "- not seen again (fixed, or not reached tonight): %s" % (
                  ", ".join("`%s`" % f for f in pv["fixed_signatures"]) or
                  "none"),
              "- coverage of parsers/: lines %s points, regions %s points" % (
                  _sg(pv["coverage_delta"]["parsers_lines_percent"]),
                  _sg(pv["coverage_delta"]["parsers_regions_percent"])),
              "- executions: libFuzzer %s, AFL++ %s\n" % (
                  _sg(pv["execs_delta"]["libfuzzer"]),
                  _sg(pv["execs_delta"]["aflpp"]))]
    L += ["## Files\n", "| file | what |", "| --- | --- |"]
    L += ["| %s | %s |" % fw for fw in FILES]
    return "\n".join(L) + "\n"


def write(out, triage_complete=True):
    rep = build(out, triage_complete)
    store.atomic_write(os.path.join(out, "report.json"),
                       json.dumps(rep, indent=2) + "\n")
    store.atomic_write(os.path.join(out, "report.sarif"),
                       json.dumps(sarif(rep), indent=2) + "\n")
    store.atomic_write(os.path.join(out, "report.md"), markdown(rep))
    # imported here: reporthtml uses this module's helpers
    from chanfuzz import reporthtml
    store.atomic_write(os.path.join(out, "report.html"),
                       reporthtml.render(rep, out))
    return rep


def register(sub):
    p = sub.add_parser("report", help="write a campaign's report.json, "
                       "report.sarif, report.md and report.html",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("campaign", metavar="OUT")
    p.add_argument("--triage-incomplete", action="store_true")
    p.set_defaults(func=main)


def main(args):
    if not os.path.isfile(os.path.join(args.campaign, "state.json")):
        print("report: %s: no state.json (not a campaign folder)" %
              args.campaign, file=sys.stderr)
        return 2
    write(args.campaign, not args.triage_incomplete)
    return 0
