"""Fixed verification (docs/CAMPAIGN.md, "Fixed verification"): every
folder of the crash store is replayed on the current builds, and the report
says, per signature, whether it still reproduces.

A folder's input (its minimised one) is replayed on the identity build of
its target (build/replay-guard/<t>), all of a target's folders in one
process where they do not fault. The verdicts:

  still reproduces               the same identity
  reproduces as ANOTHER          a fault of another identity (the bug
                                 changed, or another hides it)
  no longer reproduces           no fault on this build
  unreproducible group           a group of inputs that never reproduced
                                 alone: replayed too, and said so if one
                                 now does

The store is only read: nothing in crashes/ changes.
"""
import json
import sys

from chanfuzz import replay, store, targets


def verify(crashes, only_targets=None, timeout=10):
    """[{folder, target, type, verdict, now_id, now_type}] for every folder
    of the store (of only_targets when given)."""
    cs = store.CrashStore(crashes)
    by_target = {}
    rows = []
    for folder in cs.folders():
        meta = cs.meta(folder) or {}
        t = meta.get("target")
        row = {"folder": folder, "target": t,
               "signature": meta.get("signature"),
               "type": meta.get("crash_type"),
               "root_cause": meta.get("root_cause"),
               "group": bool(meta.get("group") or meta.get("flaky"))}
        rows.append(row)
        if t not in targets.TARGETS or (only_targets and
                                        t not in only_targets):
            row["verdict"] = "not verified (target not fuzzed here)"
            continue
        inp = store.crash_input(cs.path(folder))
        if inp is None:
            row["verdict"] = "not verified (no input)"
            continue
        by_target.setdefault(t, []).append((row, inp))
    for t, pairs in sorted(by_target.items()):
        results = replay.run_many("guard", t, [p for _, p in pairs],
                                  timeout)
        for (row, _), r in zip(pairs, results):
            if r.missing:
                row["verdict"] = "not verified (build missing)"
            elif not r.faulted:
                row["verdict"] = ("unreproducible group: still no fault"
                                  if row["group"] else
                                  "no longer reproduces on this build")
            elif row["group"]:
                row.update({"verdict": "unreproducible group: reproduces "
                            "now as %s" % r.fault.id,
                            "now_id": r.fault.id, "now_type": r.fault.type})
            elif r.fault.id == row["signature"]:
                row["verdict"] = "still reproduces"
            else:
                row.update({"verdict": "reproduces as %s" % r.fault.id,
                            "now_id": r.fault.id, "now_type": r.fault.type})
    return rows


def register(sub):
    p = sub.add_parser("verify", help="replay every crash folder on the "
                       "current builds: still reproduces or not",
                       description=__doc__.split("\n\n")[0])
    p.add_argument("--crashes", required=True, help="the crash store")
    p.add_argument("--targets", help="comma list: verify only these")
    p.add_argument("--out", help="write the verdicts there as JSON")
    p.set_defaults(func=main)


def main(args):
    only = [t for t in (args.targets or "").split(",") if t] or None
    if only:
        missing = replay.ensure_built("guard", only)
        if missing:
            print("verify: %s not built" % " ".join(missing),
                  file=sys.stderr)
    rows = verify(args.crashes, only)
    if args.out:
        store.atomic_write(args.out, json.dumps(rows, indent=2) + "\n")
    else:
        for r in rows:
            print("%s\t%s\t%s" % (r["folder"], r.get("target"),
                                  r["verdict"]))
    return 0
