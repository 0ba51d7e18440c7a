"""The campaign benchmark (docs/BENCH.md, "Filed as its own signature"):
does the default campaign report a new root cause as new?

Time-to-trigger (bench.sh's ttb) asks whether a fuzzer reaches a planted
defect. This asks what the user reads: for each defect, TRIALS default
campaigns (scripts/campaign.sh, every target, the default split, BUDGET of
fuzzing) run on a copy of the checkout with the defect's patch applied
(bench/bugs/<name>.patch, its canaries compiled in), against a copy of the
committed crash store and regression corpus, so that CF-291 and the other
known root causes are known as on any night. A trial counts as found when
the report lists a signature of the defect's expected identity as new, its
own folder; the time is when the first input of that identity appeared
(the crash file, or the end of the seed replay for a crashing seed),
measured from the start of fuzzing. The canaries give the time the defect
was first reached and triggered.

CF-291 itself is checked the other way round: on the unpatched checkout,
with --no-suppress against the committed store (it must be filed, under its
known folder), and against an empty store (it must be filed as new).

Results: OUT/campaign.json and OUT/campaign.md; the work (tree copies,
campaign folders) under build/bench/campaign/.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

from chanfuzz import paths, store

# What identity a defect's finding must have to count as its own.
EXPECT = {
    "supply": {"root_cause": "interpreter/7.11/ProcessCreate/unsupplied/9"},
    "valgap": {"root_cause": "validator-current/7.11/IPC/unsupplied/20"},
    "lexhex": {"frame": "scan_string", "type_prefix": "heap-buffer-overflow"},
    "cf291": {"root_cause": "interpreter/7.11/IPC/unsupplied/20"},
}


def matches(sig, exp):
    if "root_cause" in exp:
        return sig.get("root_cause") == exp["root_cause"]
    return exp["frame"] in (sig.get("frames") or []) and \
        (sig.get("crash_type") or "").startswith(exp["type_prefix"])


def copy_tree(dst, patch=None):
    """The tracked files of the checkout into dst (once; reused when the
    same commit and patch made it), the patch applied, the canaries put
    beside the model's sources."""
    root = paths.ROOT
    rev = subprocess.run(["git", "-C", root, "rev-parse", "HEAD"],
                         capture_output=True, text=True).stdout.strip()
    stamp = "%s %s" % (rev, patch or "-")
    mark = os.path.join(dst, ".bench-tree")
    if os.path.isfile(mark) and open(mark).read() == stamp:
        return
    shutil.rmtree(dst, ignore_errors=True)
    os.makedirs(dst)
    files = subprocess.run(["git", "-C", root, "ls-files", "-z"],
                           capture_output=True, check=True).stdout
    for f in files.decode().split("\0"):
        if not f or not os.path.isfile(os.path.join(root, f)):
            continue
        os.makedirs(os.path.dirname(os.path.join(dst, f)), exist_ok=True)
        shutil.copy2(os.path.join(root, f), os.path.join(dst, f))
    if patch:
        subprocess.run(["patch", "-s", "-p1", "--fuzz=0", "-d", dst, "-i",
                        os.path.join(root, "bench", "bugs",
                                     patch + ".patch")], check=True)
        for f in ("cf_bench.c", "cf_bench.h"):
            shutil.copy2(os.path.join(root, "bench", f),
                         os.path.join(dst, "parsers", "src", f))
    with open(mark, "w") as f:
        f.write(stamp)


def first_time(out, folder, t0):
    """Seconds from the start of fuzzing to the first input that was
    filed under folder: its crash file's mtime, or the seed replay's end
    for a crashing seed."""
    times = []
    pre = store.read_json(os.path.join(out, "preflight.json")) or {}
    for tp in (pre.get("targets") or {}).values():
        for row in tp.get("faulting") or []:
            if row.get("folder") == folder:
                times.append(os.path.getmtime(os.path.join(
                    out, "preflight.json")))
    try:
        with open(os.path.join(out, "triage.tsv")) as f:
            for line in f:
                c = line.rstrip("\n").split("\t")
                if len(c) >= 4 and c[3] == folder and os.path.exists(c[0]):
                    times.append(os.path.getmtime(c[0]))
    except OSError:
        pass
    if not times:
        return None
    return max(0.0, min(times) - t0)


def fuzz_start(out):
    """When fuzzing started: the 'fuzzing:' event of campaign.log, as
    epoch seconds (the log's clock is UTC H:M:S of the same day)."""
    st = store.read_json(os.path.join(out, "state.json")) or {}
    created = st.get("created")
    day = time.strptime(created, "%Y-%m-%dT%H:%M:%SZ") if created else None
    try:
        with open(os.path.join(out, "campaign.log")) as f:
            for line in f:
                if "] fuzzing: " in line and day:
                    hms = line[1:9]
                    t = time.strptime(
                        time.strftime("%Y-%m-%d", day) + " " + hms,
                        "%Y-%m-%d %H:%M:%S")
                    return _utc(t)
    except OSError:
        pass
    return _utc(day) if day else os.path.getmtime(out)


def _utc(t):
    import calendar
    return calendar.timegm(t)


def canary_times(cdir, t0):
    out = {}
    for kind in ("reached", "triggered"):
        try:
            with open(os.path.join(cdir, kind)) as f:
                parts = f.read().split()
            out[kind] = max(0.0, float(parts[1]) - t0)
        except (OSError, ValueError, IndexError):
            out[kind] = None
    return out


def run_trial(tree, work, budget, crashes_src, extra_args, env_extra=None):
    """One campaign in tree; the trial's folder."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    crashes = os.path.join(work, "crashes")
    if crashes_src:
        shutil.copytree(crashes_src, crashes)
    else:
        os.makedirs(crashes)
    canary = os.path.join(work, "canary")
    os.makedirs(canary)
    env = dict(os.environ, CF_BENCH_CANARY=canary)
    env.update(env_extra or {})
    out = os.path.join(work, "campaign")
    with open(os.path.join(work, "campaign.out"), "w") as log:
        rc = subprocess.run(
            [os.path.join(tree, "scripts", "campaign.sh"), "--budget",
             budget, "--out", out, "--crashes", crashes] + extra_args,
            cwd=tree, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, env=env).returncode
    return out, crashes, canary, rc


def evaluate(out, crashes, canary, exp, want_new=True):
    rep = store.read_json(os.path.join(out, "report.json")) or {}
    t0 = fuzz_start(out)
    sigs = [s for s in (rep.get("crashes") or {}).get("signatures") or []
            if matches(s, exp)]
    own = [s for s in sigs if s.get("new") or not want_new]
    res = {"found": bool(own), "folders": [s["folder"] for s in sigs],
           "new": [s["folder"] for s in sigs if s.get("new")],
           "time_s": None, "report": bool(rep)}
    if own:
        ts = [first_time(out, s["folder"], t0) for s in own]
        ts = [t for t in ts if t is not None]
        res["time_s"] = round(min(ts), 2) if ts else None
    res.update(canary_times(canary, t0))
    # other root causes the report called new: what the defect was not
    res["other_new"] = [s["folder"] for s in (rep.get("crashes") or {})
                        .get("signatures") or []
                        if s.get("new") and not matches(s, exp)]
    return res


def summary(rows):
    found = [r for r in rows if r["found"]]
    times = [r["time_s"] for r in found if r["time_s"] is not None]
    return {"trials": len(rows), "found": len(found),
            "median_time_s": round(statistics.median(times), 2)
            if times else None}


def signatures(trials):
    """The distinct crash store folders the defect was filed under over
    all trials (one root cause: one folder, every trial), and how many
    other new ones the trials reported."""
    own = sorted({f for r in trials for f in r.get("folders") or []})
    other = sorted({f for r in trials for f in r.get("other_new") or []})
    txt = "%d: %s" % (len(own), ", ".join("`%s`" % f for f in own)) \
        if own else "0"
    if other:
        txt += "; other new: %s" % ", ".join("`%s`" % f for f in other)
    return txt


def markdown(res):
    L = ["# Campaign benchmark: a new root cause filed as new\n",
         "Default campaigns (`scripts/campaign.sh --budget %s`, every "
         "target) on a copy of the checkout with one planted defect, "
         "against a copy of the committed crash store (CF-291 and 7.11's "
         "undeclared reads known, suppressed). Found: the report lists the "
         "defect's identity as a new signature of its own. Time: from the "
         "start of fuzzing to the first input of that identity (0 for a "
         "crashing seed: the seed replay files it before fuzzing).\n"
         % res["budget"],
         "| defect | expected identity | found | median s | signatures "
         "(all trials) | trials |",
         "| --- | --- | ---: | ---: | --- | --- |"]
    for name, d in res["defects"].items():
        s = summary(d["trials"])  # (a defect with no trial yet: 0/0)
        exp = EXPECT.get(name, {})
        ident = exp.get("root_cause") or "stack with %s" % exp.get("frame")
        L.append("| %s | `%s` | %d/%d | %s | %s | %s |" % (
            name, ident, s["found"], s["trials"],
            "-" if s["median_time_s"] is None else s["median_time_s"],
            signatures(d["trials"]),
            ", ".join("%s%s" % ("found" if r["found"] else "missed",
                                "" if r["time_s"] is None else
                                " %.1f s" % r["time_s"])
                      for r in d["trials"])))
    if res.get("cf291"):
        L.append("\nCF-291 when it is not known:\n")
        L.append("| setting | filed | trials |")
        L.append("| --- | ---: | --- |")
        for k, d in res["cf291"].items():
            s = summary(d["trials"])
            L.append("| %s | %d/%d | %s |" % (k, s["found"], s["trials"],
                                              ", ".join(
                                                  ",".join(r["folders"]) or
                                                  "-" for r in d["trials"])))
    return "\n".join(L) + "\n"


def register(sub):
    p = sub.add_parser("bench-campaign", help="the campaign benchmark: "
                       "planted defects filed as their own signatures",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("--bugs", default="supply,valgap,lexhex")
    p.add_argument("--trials", type=int, default=10)
    p.add_argument("--budget", default="5m")
    p.add_argument("--cf291-trials", type=int, default=3,
                   help="trials of each CF-291 setting (0: none)")
    p.add_argument("--cf291-budget", default="2m",
                   help="their budget (fuzz_interp_711 alone)")
    p.add_argument("--out", default=paths.root_path("bench", "results"))
    p.add_argument("--name", default=time.strftime("%Y-%m-%d-campaign",
                                                   time.gmtime()))
    p.add_argument("--work", default=paths.root_path("build", "bench",
                                                     "campaign"))
    p.add_argument("--render", action="store_true",
                   help="only write OUT/NAME.md again from OUT/NAME.json "
                   "(no trial runs)")
    p.set_defaults(func=main)


def main(args):
    bugs = [b for b in args.bugs.split(",") if b]
    for b in bugs:
        if b not in EXPECT or not os.path.isfile(
                paths.root_path("bench", "bugs", b + ".patch")):
            print("bench-campaign: no expected identity or patch for '%s'"
                  % b, file=sys.stderr)
            return 2
    if args.render:
        jpath = os.path.join(args.out, args.name + ".json")
        res = store.read_json(jpath)
        if not res:
            print("bench-campaign: no results in %s" % jpath,
                  file=sys.stderr)
            return 1
        store.atomic_write(os.path.join(args.out, args.name + ".md"),
                           markdown(res))
        return 0
    os.makedirs(args.work, exist_ok=True)
    os.makedirs(args.out, exist_ok=True)
    res = {"budget": args.budget, "trials": args.trials, "defects": {},
           "cf291": {}}
    jpath = os.path.join(args.out, args.name + ".json")
    mpath = os.path.join(args.out, args.name + ".md")
    prev = store.read_json(jpath)
    if prev and prev.get("budget") == args.budget:
        res = prev  # resume: trials done are kept
        res.setdefault("cf291", {})

    def save():
        store.atomic_write(jpath, json.dumps(res, indent=2) + "\n")
        store.atomic_write(mpath, markdown(res))

    committed = paths.root_path("crashes")
    trees = {}
    for b in bugs:
        trees[b] = os.path.join(args.work, b, "tree")
        print("bench-campaign: %s: preparing %s" % (b, trees[b]), flush=True)
        copy_tree(trees[b], b)
        res["defects"].setdefault(b, {"trials": []})
    clean = os.path.join(args.work, "clean", "tree")
    if args.cf291_trials > 0:
        copy_tree(clean, None)
    settings = (("--no-suppress, committed store", committed,
                 ["--no-suppress"], False),
                ("empty crash store", None, [], True))
    # Round robin, trial 1 of every defect (and of each CF-291 setting)
    # before trial 2 of any: a run that is stopped early has figures for
    # each, and the resume carries on where it stopped.
    for n in range(max(args.trials, args.cf291_trials)):
        for b in bugs:
            d = res["defects"][b]
            if n >= args.trials or len(d["trials"]) > n:
                continue
            work = os.path.join(args.work, b, "trial-%02d" % (n + 1))
            out, crashes, canary, rc = run_trial(
                trees[b], work, args.budget, committed, [])
            r = evaluate(out, crashes, canary, EXPECT[b])
            r["exit"] = rc
            if rc != 0 or not r["report"]:
                print("bench-campaign: %s trial %d: the campaign failed "
                      "(exit %d, %s): stopping" % (b, n + 1, rc, work),
                      file=sys.stderr)
                return 1
            d["trials"].append(r)
            d["summary"] = summary(d["trials"])
            print("bench-campaign: %s trial %d: %s" % (
                b, n + 1, "found in %s s" % r["time_s"] if r["found"]
                else "missed (new: %s)" % ",".join(r["other_new"])),
                flush=True)
            save()
        for key, src, extra, new in settings:
            d = res["cf291"].setdefault(key, {"trials": []})
            if n >= args.cf291_trials or len(d["trials"]) > n:
                continue
            work = os.path.join(args.work, "clean", "%s-%02d" % (
                "nosup" if src else "empty", n + 1))
            out, crashes, canary, rc = run_trial(
                clean, work, args.cf291_budget, src,
                extra + ["--targets", "fuzz_interp_711"])
            r = evaluate(out, crashes, canary, EXPECT["cf291"], new)
            r["exit"] = rc
            if rc != 0 or not r["report"]:
                print("bench-campaign: CF-291, %s, trial %d: the campaign "
                      "failed (exit %d, %s): stopping" % (key, n + 1, rc,
                                                          work),
                      file=sys.stderr)
                return 1
            d["trials"].append(r)
            d["summary"] = summary(d["trials"])
            print("bench-campaign: CF-291, %s, trial %d: %s" % (
                key, n + 1, "filed" if r["found"] else "not filed"),
                flush=True)
            save()
    save()
    print("bench-campaign: wrote %s and %s" % (mpath, jpath))
    return 0
