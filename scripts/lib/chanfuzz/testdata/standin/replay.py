#!/usr/bin/env python3
"""A stand-in for a replay build (harness/replay.c) in the unit tests: the
same command line and manifest protocol, but what an input does is written
in it, one line each, the first that applies winning:

  [WHERE...] report NAME  faults: prints testdata/reports/NAME on stderr
                          and exits 1
  [WHERE...] die          ends the driver before the input begins (exit 3)

A line applies to every build, or, with WHERE words, to the builds they
all name: a variant (asan, guard, plain) or a target. An input that no line
applies to is clean. replay_test.StandIns runs it under a target's name,
with CF_STANDIN_VARIANT and CF_STANDIN_TARGET saying which build it is.

  replay [-t SEC] FILE...
  replay [-t SEC] -m MANIFEST [-o STATUS] [-d REPORTS] [-s SKIP]
"""
import getopt
import os
import sys

REPORTS = os.path.join(os.path.dirname(os.path.dirname(
    os.path.realpath(__file__))), "reports")


def behaviour(path):
    here = {os.environ.get("CF_STANDIN_VARIANT"),
            os.environ.get("CF_STANDIN_TARGET")}
    with open(path, "rb") as f:
        lines = f.read().decode("utf-8", "replace").splitlines()
    for line in lines:
        words = line.split()
        while words and words[0] not in ("report", "die"):
            if words.pop(0) not in here:
                words = []
        if words[:1] == ["report"] and len(words) > 1:
            with open(os.path.join(REPORTS, words[1])) as f:
                return "fault", f.read()
        if words[:1] == ["die"]:
            return "die", ""
    return "clean", ""


def main(argv):
    opts, files = getopt.getopt(argv, "t:m:o:d:s:M:")
    o = dict(opts)
    if "-m" not in o:
        for path in files:
            kind, report = behaviour(path)
            if kind != "clean":
                sys.stderr.write(report)
                return 1
        return 0
    with open(o["-m"]) as f:
        manifest = [line.rstrip("\n").split("\t", 1) for line in f
                    if line.strip() and not line.startswith("#")]
    out = open(o["-o"], "a") if "-o" in o else sys.stdout
    passed = failed = 0

    def status(*fields):
        out.write("\t".join(str(x) for x in fields) + "\n")
        out.flush()

    for i in range(int(o.get("-s", "0")), len(manifest)):
        expect, path = manifest[i]
        kind, report = behaviour(path)
        if kind == "die":
            return 3
        status("BEGIN", i, path, expect)
        if expect == "clean":
            if kind == "fault":
                sys.stderr.write(report)
                return 1
            status("PASS", i, path, "clean")
            passed += 1
            continue
        rep = os.path.join(o["-d"], "%d.txt" % i)
        with open(rep, "w") as f:
            f.write(report)
        if kind == "fault":
            status("PASS", i, path, "fault: exit 1", rep)
            passed += 1
        else:
            status("FAIL", i, path, "no fault", rep)
            failed += 1
    status("DONE", passed, failed)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
