"""Before a campaign fuzzes (docs/CAMPAIGN.md, "Before fuzzing"):

1. Known root causes. The `detect` and `open` entries of a target's
   regression corpus are known for that target once the crash store holds
   their folder (the finding was filed: the report can point at it). Each is
   replayed on the identity build; the root cause of a content fault goes
   into OUT/known/<target>.txt, which the fuzzing builds read
   (CF_KNOWN_FAULTS): its reads are refused and counted in
   OUT/known/<target>.hits instead of crashing, so the fuzzers keep looking
   past it. A known fault that is not a content read (a stack signature)
   cannot be refused inside the target: it is listed, not suppressed.
2. Crashing seeds and regression inputs are findings. Every seed of the
   target (OUT/seeds/<target>: the seed corpus and the previous campaign's
   merged corpus) and every `fixed` regression entry is replayed on the
   identity build, with the known root causes suppressed as the fuzzers
   will run. One that faults is triaged and filed like any crash, and left
   out of both engines' start corpora (moved to OUT/seeds-excluded/
   <target>/) with a warning, never silently skipped. Fixed entries that do
   not fault join the start corpus.

Writes OUT/preflight.json, which the report reads.
"""
import json
import os
import shutil
import sys

from chanfuzz import regression, replay, store, targets, triage


def known_root_causes(target, crashes, regression_dir=None, timeout=10):
    """(known, listed): known = [{key, id, folder, entry}] content root
    causes to suppress; listed = known entries that are not content faults,
    or whose folder the store lacks, or that no longer fault, each with a
    reason."""
    cs = store.CrashStore(crashes)
    known, listed = [], []
    ents = [e for e in regression.entries(target, regression_dir)
            if e.expect in ("detect", "open")]
    results = replay.run_many("guard", target, [e.path for e in ents],
                              timeout)
    for e, r in zip(ents, results):
        row = {"entry": e.file, "expect": e.expect}
        if not r.faulted:
            row["reason"] = "no longer faults on this build"
            listed.append(row)
            continue
        f = r.fault
        row.update({"id": f.id, "type": f.type, "root_cause": f.root_cause})
        if f.root_cause is None:
            row["reason"] = ("not a content read: cannot be refused inside "
                             "the target")
            listed.append(row)
        elif not cs.exists(f.id):
            row["reason"] = ("not in the crash store %s: it will be filed "
                             "when found" % crashes)
            listed.append(row)
        elif all(k["key"] != f.root_cause for k in known):
            row.update({"key": f.root_cause, "folder": f.id})
            known.append(row)
    return known, listed


_sha1 = store.sha1_file


def preflight_target(out, target, crashes, suppress, minimize_time, jobs,
                     regression_dir=None, log=sys.stdout):
    """One target's steps; the target's part of preflight.json."""
    res = {"target": target, "known": [], "known_listed": [],
           "seeds": 0, "regression_fixed": 0, "faulting": []}
    known_dir = os.path.join(out, "known")
    os.makedirs(known_dir, exist_ok=True)
    kfile = os.path.join(known_dir, target + ".txt")
    if suppress:
        known, listed = known_root_causes(target, crashes, regression_dir)
        res["known"], res["known_listed"] = known, listed
    store.atomic_write(kfile, "# known root causes of %s (preflight.py)\n"
                       % target + "".join(k["key"] + "\n"
                                          for k in res["known"]))
    seeds_dir = os.path.join(out, "seeds", target)
    seeds = sorted(os.path.join(seeds_dir, f) for f in os.listdir(seeds_dir)
                   if not f.startswith(".")) if os.path.isdir(seeds_dir) \
        else []
    fixed = [e for e in regression.entries(target, regression_dir)
             if e.expect == "fixed"]
    res["seeds"], res["regression_fixed"] = len(seeds), len(fixed)
    inputs = [("seed", p, os.path.basename(p)) for p in seeds] + \
        [("regression", e.path, e.file) for e in fixed]
    env = replay.sanitizer_env()
    if suppress:
        env["CF_KNOWN_FAULTS"] = kfile
        env["CF_KNOWN_HITS"] = os.path.join(known_dir,
                                            target + ".preflight-hits")
    results = replay.run_many("guard", target, [p for _, p, _ in inputs],
                              env=env)
    faulting = [(kind, p, name, r) for (kind, p, name), r in
                zip(inputs, results) if r.faulted]
    lfc = os.path.join(out, "lf", target, "corpus")
    excluded = os.path.join(out, "seeds-excluded", target)
    for kind, p, name, r in faulting:
        row = {"kind": kind, "name": name, "type": r.fault.type,
               "id": r.fault.id}
        if kind == "seed":
            os.makedirs(excluded, exist_ok=True)
            keep = os.path.join(excluded, name)
            shutil.copyfile(p, keep)
            os.unlink(p)
            # the libFuzzer corpus started as a copy of the seeds
            lp = os.path.join(lfc, name)
            if os.path.isfile(lp):
                os.unlink(lp)
            row["input"] = keep
        else:
            row["input"] = p
        res["faulting"].append(row)
        print("preflight: %s %s %s faults (%s): filed, and left out of the "
              "start corpus" % (target, kind, name, r.fault.type), file=log)
    # Fixed entries that hold join the start corpus (named by SHA-1, as
    # the seeds are).
    bad = {p for _, p, _, _ in faulting}
    for e in fixed:
        if e.path not in bad and os.path.isdir(seeds_dir):
            dst = os.path.join(seeds_dir, _sha1(e.path))
            if not os.path.exists(dst):
                shutil.copyfile(e.path, dst)
                if os.path.isdir(lfc):
                    shutil.copyfile(e.path, os.path.join(lfc,
                                                         os.path.basename(
                                                             dst)))
    if faulting:
        items = [triage.Item(row["input"], "file", target)
                 for row in res["faulting"]]
        opts = triage.Options(crashes, minimize=True,
                              minimize_time=minimize_time, jobs=jobs)
        with open(os.path.join(out, "preflight-triage.log"), "a") as tl:
            recs = triage.run_items(items, opts, out=tl)
        for row, rec in zip(res["faulting"], recs):
            row.update({"verdict": rec["verdict"], "folder": rec["folder"],
                        "id": rec["id"], "type": rec["type"]})
    return res


def register(sub):
    p = sub.add_parser(
        "preflight", help="before a campaign: known root causes, crashing "
        "seeds and regression inputs",
        description=__doc__.split("\n\n")[0])
    p.add_argument("campaign", metavar="OUT", help="the campaign folder")
    p.add_argument("--targets", required=True,
                   help="comma list of targets")
    p.add_argument("--crashes", required=True, help="the crash store")
    p.add_argument("--regression", help="the regression corpus "
                   "(default corpus/regression)")
    p.add_argument("--no-suppress", dest="suppress", action="store_false",
                   help="know nothing: every fault crashes")
    p.add_argument("--minimize-time", type=int, default=30)
    p.add_argument("--jobs", type=int, default=1)
    p.set_defaults(func=main)


def main(args):
    tl = [t for t in args.targets.split(",") if t]
    for t in tl:
        if t not in targets.TARGETS:
            print("preflight: unknown target '%s'" % t, file=sys.stderr)
            return 2
    missing = replay.ensure_built("guard", tl)
    if missing:
        print("preflight: %s not built in %s" %
              (" ".join(missing), replay.variant_dir("guard")),
              file=sys.stderr)
        return 1
    os.makedirs(args.crashes, exist_ok=True)
    res = {"suppress": args.suppress, "targets": {}}
    for t in tl:
        res["targets"][t] = preflight_target(
            args.campaign, t, os.path.abspath(args.crashes), args.suppress,
            args.minimize_time, args.jobs, args.regression)
    store.atomic_write(os.path.join(args.campaign, "preflight.json"),
                       json.dumps(res, indent=2) + "\n")
    return 0
