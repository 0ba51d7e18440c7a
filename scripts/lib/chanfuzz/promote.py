"""Promote: put a triaged crash into the regression corpus (docs/CRASHES.md,
"Regression corpus").

The crash folder's minimised input (else its input) is copied to
DIR/<target>/<id> (DIR defaults to corpus/regression, the target to the
crash's own) and its line in DIR/<target>/index.tsv is added or replaced.
Before anything is written the expectation is checked, so that the index
never records what is not true:

  fixed   must not fault on the ASan replay build (build/replay/<t>): the
          bug is fixed, or this build never had it;
  open    must fault with the crash's identity (a known, open bug) on the
          identity build (build/replay-guard/<t>: ASan + guard), which
          names a content fault by its root cause;
  detect  must fault on the ASan build of fuzz_interp_711 with a detector
          finding: a canary proving that the detectors still see the
          CF-291 defect class.

The entry is named by the crash's identity (its folder's id). Flaky
crashes can only be promoted as fixed. Writes go through a temporary file
in the same folder and a rename, under an flock on DIR/.lock.
Exit status: 0 promoted, 1 the expectation does not hold, 2 bad arguments.
"""
import argparse
import os
import re
import sys

from chanfuzz import cli, paths, regression, replay, store, targets, triage

PROG = "promote.sh"
USAGE = ("promote.sh CRASH-DIR --expect fixed|open|detect [--target T] "
         "[--regression DIR] [--replay-timeout SEC]")
LOCK_SECONDS = 120


class Refused(Exception):
    """The expectation does not hold (exit 1)."""


def crash_input(crash):
    """(meta, input) of a crash folder: its meta.json and its minimised
    input, else its input. UsageError when it is no crash folder."""
    meta_path = os.path.join(crash, "meta.json")
    if not os.path.isfile(meta_path):
        raise cli.UsageError("%s: no meta.json (not written by triage.sh?)"
                             % crash)
    meta = store.read_json(meta_path)
    if not isinstance(meta, dict):
        raise cli.UsageError("%s: not valid JSON" % meta_path)
    path = store.crash_input(crash)
    if path is None:
        raise cli.UsageError("%s: no input or minimized file" % crash)
    return meta, path


def _text(value):
    # a meta.json field as text: absent or null is empty
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def check_request(crash, meta, expect, target=None):
    """(signature, type, target) of a promotion, or UsageError when the
    folder or the request is wrong."""
    meta_path = os.path.join(crash, "meta.json")
    sig = _text(meta.get("signature"))
    if not re.fullmatch(r"[0-9a-f]{12}", sig):
        raise cli.UsageError("%s: bad signature '%s'" % (meta_path, sig))
    target = target or _text(meta.get("target"))
    if not target:
        raise cli.UsageError("%s: no target; pass --target T" % meta_path)
    cli.check_target(target)
    if expect == "detect" and target != regression.CANARY_TARGET:
        raise cli.UsageError(
            "detect entries are canaries for %s (sensor build %s), not %s" %
            (regression.CANARY_TARGET,
             targets.sensor_of(regression.CANARY_TARGET), target))
    if meta.get("flaky") is True and expect != "fixed":
        raise cli.UsageError("%s is flaky: it cannot be an %s entry until "
                             "it reproduces" % (crash, expect))
    return sig, _text(meta.get("crash_type")), target


def check_expectation(expect, target, path, sig, result):
    """Refused, naming why, unless the replay result bears out EXPECT."""
    fault = result.fault
    if expect == "fixed":
        if result.rc != 0:
            raise Refused("%s still faults on %s: %s [%s]; not fixed" % (
                target, path, fault.type if fault else "exit %d" % result.rc,
                fault.id if fault else "?"))
        return
    if result.rc == 0 or fault is None:
        if expect == "open":
            raise Refused("%s does not fault on %s: fixed? promote it with "
                          "--expect fixed" % (target, path))
        raise Refused("%s does not fault on %s: not a canary" %
                      (target, path))
    if expect == "open" and fault.id != sig:
        raise Refused("%s faults on %s with another signature: %s [%s], "
                      "not [%s]" % (target, path, fault.type, fault.id, sig))
    if expect == "detect" and not regression.detector_finding(fault.type):
        raise Refused("%s faults on %s only as %s, not as a detector "
                      "finding: not a canary" % (target, path, fault.type))


def record(regression_dir, target, sig, path, fields):
    """Copy the input in as DIR/<target>/<sig> and add or replace its index
    line, under the corpus's lock; the expectation the line had, or
    None."""
    d = os.path.join(regression_dir, target)
    try:
        os.makedirs(d, exist_ok=True)
    except OSError:
        raise cli.UsageError("%s: cannot create" % d)
    try:
        with store.locked(regression_dir, LOCK_SECONDS):
            store.atomic_copy(path, os.path.join(d, sig))
            return regression.upsert(d, target, fields)
    except store.LockTimeout:
        raise cli.UsageError("%s/.lock: cannot lock" % regression_dir)


def check_expect(expect):
    if expect not in regression.EXPECTATIONS:
        raise cli.UsageError("--expect wants fixed, open or detect, not "
                             "'%s'" % expect)


def promote(crash, expect, target=None, regression_dir=None, timeout=10):
    """Check and record one promotion; prints its line. UsageError on bad
    arguments, Refused when the expectation does not hold."""
    check_expect(expect)
    if not os.path.isdir(crash):
        raise cli.UsageError("%s: not a crash folder" % crash)
    crash = os.path.realpath(crash)
    meta, path = crash_input(crash)
    sig, type_, target = check_request(crash, meta, expect, target)
    # open entries keep their identity: replayed on the identity build
    # (ASan + guard), which names a content fault by its root cause
    variant = "guard" if expect == "open" else "asan"
    for v in sorted({"asan", variant}):
        if replay.ensure_built(v, [target], quiet=False):
            where = os.path.join(replay.variant_dir(v), target)
            print("%s: %s is not built" % (PROG, where), file=sys.stderr)
            raise cli.UsageError("cannot build %s" % where)
    result = replay.run(variant, target, path, timeout)
    check_expectation(expect, target, path, sig, result)
    regression_dir = regression_dir or regression.default_dir()
    old = record(regression_dir, target, sig, path,
                 [sig, expect, sig, type_, paths.shown(crash),
                  triage.now_iso()])
    print("promote: %s/%s: %s (%s) [%s]" % (
        paths.shown(os.path.join(regression_dir, target)), sig, expect,
        type_, "new entry" if old is None else "was " + old))
    return 0


def register(sub):
    p = sub.add_parser(
        "promote", usage=USAGE.replace("promote.sh", "%(prog)s"),
        help="put a triaged crash into the regression corpus",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("operands", nargs="*", metavar="CRASH-DIR",
                   help="a crashes/<id>/ folder written by triage")
    p.add_argument("--expect", metavar="fixed|open|detect")
    p.add_argument("--target", metavar="T",
                   help="the target to check it on (default the crash's)")
    p.add_argument("--regression", metavar="DIR",
                   help="the regression corpus (default corpus/regression)")
    p.add_argument("--replay-timeout", default="10", metavar="SEC",
                   help="the check's replay bound (default 10)")
    cli.takes_unknown(p)
    p.set_defaults(func=main)


def main(args):
    try:
        crash = cli.one_operand(args, "CRASH-DIR", USAGE)
        if not args.expect:
            raise cli.UsageError("--expect fixed|open|detect is required")
        check_expect(args.expect)
        timeout = cli.posint("--replay-timeout", args.replay_timeout)
        return promote(crash, args.expect, args.target,
                       args.regression, timeout)
    except cli.UsageError as e:
        return cli.usage_error(PROG, e)
    except Refused as e:
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
