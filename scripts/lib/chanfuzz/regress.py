"""Regress: the regression suite behind `make regress` (docs/CRASHES.md,
"make regress").

Replays every seed (SEEDS/<target>/*, default corpus/) and every
regression input (DIR/<target>/, default corpus/regression/, as listed in
its index.tsv) against the ASan replay build build/replay/<target>: one
process per target - each interpreter target is one sensor build - not one
per file (harness/replay.c, manifest mode; replay.run_manifest).
Expectations:

  seed, fixed   must not fault;
  open          must still fault with the recorded signature (a strict
                expected failure: if it no longer faults, that is a failure
                saying "fixed? promote it as fixed"); a content fault is
                named by its root cause, so an open entry whose ASan stack
                differs is replayed on the identity build (ASan + guard);
  detect        must fault (fuzz_interp_711 only), with a detector's
                finding: the detectors still see.

A regression file missing from the index, an index line naming a missing
file, and a malformed line are failures too. Prints the failures, a table
(target, inputs, passed, failed) and the closing line "regress: N passed,
N failed"; exits 1 on any failure, 2 on bad arguments. The reports of a
failing run are kept under build/regress/.
"""
import argparse
import glob
import os
import shutil
import sys
import tempfile

from chanfuzz import cli, paths, regression, replay, signature, targets

PROG = "regress.sh"
USAGE = ("regress.sh [--regression DIR] [--seeds DIR] [--target T]... "
         "[--timeout SEC] [--keep]")
# How each kind of entry is replayed: clean in-process, fault in a child.
REPLAY_AS = {"seed": "clean", "fixed": "clean", "open": "fault",
             "detect": "fault"}


class Item:
    """One manifest entry: kind (seed, fixed, open, detect), path (as the
    manifest holds and messages print it), and for a regression entry the
    signature and type its index records."""

    def __init__(self, kind, path, signature="", type_=""):
        self.kind = kind
        self.path = path
        self.signature = signature
        self.type = type_


def _names(directory):
    # a folder's entries that are not hidden, sorted; [] when it is none
    try:
        return sorted(n for n in os.listdir(directory)
                      if not n.startswith("."))
    except (FileNotFoundError, NotADirectoryError):
        return []


def foreign_folders(regression_dir):
    """Folders in the regression corpus that are not a fuzz target's."""
    return [os.path.join(regression_dir, n) for n in _names(regression_dir)
            if os.path.isdir(os.path.join(regression_dir, n)) and
            n not in targets.TARGETS]


def build_manifest(target, seeds_dir, regression_dir):
    """(items, failures) of one target: its seeds, then its regression
    entries in index order; failures are (where, why) for what the corpus
    gets wrong (a malformed line, a listed file missing, a file without an
    index line). Paths are printed relative to the checkout when inside
    it."""
    items, failures = [], []
    d = os.path.join(seeds_dir, target)
    for name in _names(d):
        if os.path.isfile(os.path.join(d, name)):
            items.append(Item("seed", paths.shown(os.path.join(d, name))))
    rdir = os.path.join(regression_dir, target)
    if not os.path.isdir(rdir):
        return items, failures
    index = os.path.join(rdir, regression.INDEX)
    listed = set()
    for e in regression.read_index(rdir):
        where = "%s:%d" % (paths.shown(index), e.lineno)
        if not e.file or "/" in e.file or not e.signature:
            failures.append((where, "malformed index line"))
            continue
        listed.add(e.file)
        if not os.path.isfile(e.path):
            failures.append((paths.shown(e.path),
                             "listed in the index but missing"))
        elif e.expect not in regression.EXPECTATIONS:
            failures.append((where, "expectation '%s' is not fixed, open or "
                             "detect" % e.expect))
        elif e.expect == "detect" and target != regression.CANARY_TARGET:
            failures.append((where, "detect entries belong to %s" %
                             regression.CANARY_TARGET))
        else:
            items.append(Item(e.expect, paths.shown(e.path), e.signature,
                              e.type))
    for name in _names(rdir):
        if name != regression.INDEX and name not in listed:
            failures.append((paths.shown(os.path.join(rdir, name)),
                             "not in %s: no expectation recorded" %
                             paths.shown(index)))
    return items, failures


def judge(item, target, outcome, fault, identify=None):
    """Why ITEM failed, or None when its expectation holds. outcome is its
    replay.Outcome, fault the signature.Fault of its report (or None);
    identify() replays an open entry on the identity build, for one whose
    ASan fault is not the recorded identity."""
    passed = outcome.verdict == "PASS"
    why = outcome.reason or "no result"
    sig_id, sig_type = (fault.id, fault.type) if fault else ("", "")
    if item.kind in ("seed", "fixed"):
        if passed:
            return None
        return "%s input faults: %s%s" % (item.kind, sig_type or why,
                                          " [%s]" % sig_id if sig_id else "")
    if item.kind == "open":
        if passed and sig_id != item.signature and identify is not None:
            f = identify()
            sig_id, sig_type = (f.id, f.type) if f else ("", "")
        if not passed:
            return ("open entry no longer faults (%s): fixed? promote it as "
                    "fixed (scripts/promote.sh crashes/%s --expect fixed "
                    "--target %s)" % (why, item.signature, target))
        if sig_id == item.signature:
            return None
        return ("open entry faults with another signature: %s [%s], "
                "recorded %s [%s]" % (sig_type or "?", sig_id or "none",
                                      item.type, item.signature))
    if not passed:
        return ("detect canary no longer faults on %s (%s): the detectors "
                "are blind to it" % (target, why))
    if not sig_id:
        return "detect canary ended without a recognised fault report"
    if not regression.detector_finding(sig_type):
        return ("detect canary faults only as %s, not as a detector "
                "finding" % sig_type)
    return None


def _absolute(path):
    return path if os.path.isabs(path) else paths.root_path(path)


def run_target(target, seeds_dir, regression_dir, timeout, work):
    """Replay and judge one target's manifest in WORK/<target>; (passed,
    failed, failure lines)."""
    items, failures = build_manifest(target, seeds_dir, regression_dir)
    lines = ["FAIL %s %s: %s" % (target, where, why)
             for where, why in failures]
    w = os.path.join(work, target)
    os.makedirs(w, exist_ok=True)
    outcomes, error = replay.run_manifest(
        target, [(REPLAY_AS[i.kind], i.path) for i in items], w, timeout,
        replay.sanitizer_env(symbolize=False))
    if error is not None:
        lines.append("FAIL %s %s: replay driver failed (exit %d): %s" % (
            target, os.path.join(replay.variant_dir("asan"), target),
            error[0], error[1].rstrip("\n")))
    # symbolised here, all in one go: the replays ran with symbolize=0
    reports = [r for r in sorted(glob.glob(os.path.join(w, "reports",
                                                        "*.txt")))
               if os.path.getsize(r) > 0]
    replay.symbolize_reports(reports)
    guard = os.access(os.path.join(replay.variant_dir("guard"), target),
                      os.X_OK)
    passed = failed = 0
    for i, (item, outcome) in enumerate(zip(items, outcomes)):
        rep = outcome.report
        if rep and not (os.path.isfile(rep) and os.path.getsize(rep) > 0):
            rep = ""
        fault = signature.parse_file(rep, target) if rep else None

        def identify(i=i, item=item):
            r = replay.run("guard", target, _absolute(item.path), timeout)
            with open(os.path.join(w, "identity-%d.txt" % i), "w") as f:
                f.write(r.report)
            return r.fault or signature.parse(r.report, target)

        why = judge(item, target, outcome, fault,
                    identify if guard else None)
        if why is None:
            passed += 1
            continue
        failed += 1
        lines.append("FAIL %s %s: %s%s" % (
            target, item.path, why,
            " (report: %s)" % paths.shown(rep) if rep else ""))
    return passed, failed + len(failures), lines


def check_built(selected):
    """Make the replay builds the run needs; UsageError when the ASan ones
    are not there after it. The identity builds are made when they can
    be: without them an open entry is judged by its ASan stack alone."""
    for variant, needed in (("asan", True), ("guard", False)):
        d = replay.variant_dir(variant)
        if all(os.access(os.path.join(d, t), os.X_OK) for t in selected):
            continue
        if not replay.overridden(variant):
            rel = replay.VARIANT_DIRS[variant][1]
            if not replay.make([rel + "/" + t for t in selected],
                               quiet=False) and needed:
                raise cli.UsageError("cannot build the replay builds")
        for t in selected if needed else ():
            if not os.access(os.path.join(d, t), os.X_OK):
                raise cli.UsageError("%s/%s missing (run: make replay)" %
                                     (d, t))


def regress(selected, seeds_dir, regression_dir, timeout=10, keep=False,
            out=sys.stdout):
    """Replay and judge every target of SELECTED; prints the failures, the
    table and the closing line; the exit status."""
    check_built(selected)
    os.makedirs(paths.root_path("build", "regress"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="run.",
                            dir=paths.root_path("build", "regress"))
    failed_total = None
    try:
        lines = ["FAIL regress %s: not a fuzz target's folder" % d
                 for d in foreign_folders(regression_dir)]
        passed_total, failed_total = 0, len(lines)
        table = []
        for t in selected:
            p, f, fails = run_target(t, seeds_dir, regression_dir, timeout,
                                     work)
            lines += fails
            table.append("%-20s %7d %7d %7d" % (t, p + f, p, f))
            passed_total += p
            failed_total += f
        for line in lines + ["%-20s %7s %7s %7s" % ("target", "inputs",
                                                    "passed", "failed")] \
                + table:
            out.write(line + "\n")
        if failed_total:
            out.write("reports: %s\n" % paths.shown(work))
        out.write("regress: %d passed, %d failed\n" % (passed_total,
                                                       failed_total))
        return 1 if failed_total else 0
    finally:
        if not keep and failed_total == 0:
            shutil.rmtree(work, ignore_errors=True)


def register(sub):
    p = sub.add_parser(
        "regress", usage=USAGE.replace("regress.sh", "%(prog)s"),
        help="replay every seed and regression input and check its "
        "expectation (make regress)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--regression", metavar="DIR",
                   help="the regression corpus (default corpus/regression)")
    p.add_argument("--seeds", metavar="DIR",
                   help="the seeds, SEEDS/<target>/* (default corpus)")
    p.add_argument("--target", action="append", default=[], metavar="T",
                   help="replay only this target (again for more)")
    p.add_argument("--timeout", default="10", metavar="SEC",
                   help="the per-input limit (default 10)")
    p.add_argument("--keep", action="store_true",
                   help="keep the run's reports even when all passed")
    cli.takes_unknown(p)
    p.set_defaults(func=main)


def main(args):
    try:
        if args.unknown:
            raise cli.UsageError("unknown argument '%s' (try --help)" %
                                 args.unknown[0])
        for t in args.target:
            cli.check_target(t)
        timeout = cli.posint("--timeout", args.timeout)
        seeds = args.seeds or paths.root_path("corpus")
        reg = args.regression or regression.default_dir()
        if not os.path.isdir(seeds):
            raise cli.UsageError("%s: no such directory (run: make corpus)"
                                 % seeds)
        if os.path.exists(reg) and not os.path.isdir(reg):
            raise cli.UsageError("%s: not a directory" % reg)
        return regress(args.target or list(targets.TARGETS),
                       os.path.abspath(seeds), os.path.abspath(reg),
                       timeout, args.keep)
    except cli.UsageError as e:
        return cli.usage_error(PROG, e)
