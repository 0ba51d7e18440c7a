"""The bug zoo: bench/bugs/zoo.tsv, one line per planted defect (its fuzz
target, depth, proof-of-concept inputs and the report its fault gives;
docs/BENCH.md, "The bug zoo"), which the Makefile, the benchmark (bench.py)
and the tests read."""
import collections
import os
import re
import shutil
import subprocess

from chanfuzz import paths

Bug = collections.namedtuple("Bug", "name target depth pocs report")
Bug.__doc__ = """One planted defect: pocs is a tuple of input names,
report an extended regular expression its fault report matches."""

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_POCS = re.compile(r"[a-z0-9_-]+(,[a-z0-9_-]+)*\Z")


class ZooError(ValueError):
    """A malformed zoo line; the message names it."""


def parse(text, targets, where="bench/bugs/zoo.tsv", patch_dir=None):
    """The defects of a zoo list's text, in its order. targets: the fuzz
    target names; patch_dir: where each NAME.patch must be (None: not
    checked)."""
    bugs = collections.OrderedDict()
    for n, line in enumerate(text.splitlines(), 1):
        f = (line.split("\t") + [""] * 5)[:5]
        name, tgt, depth, pocs, report = f
        if name == "" or name.startswith("#"):
            continue
        at = "%s:%d" % (where, n)
        if not _NAME.match(name) or name in bugs:
            raise ZooError("%s: defect name '%s' is not [a-z][a-z0-9_]* or "
                           "is given twice" % (at, name))
        if tgt not in targets:
            raise ZooError("%s: %s: '%s' is not a fuzz target "
                           "(harness/targets.tsv)" % (at, name, tgt))
        if not re.fullmatch(r"[0-9]", depth):
            raise ZooError("%s: %s: depth '%s' is not 0 to 9" % (at, name,
                                                                 depth))
        if not _POCS.match(pocs):
            raise ZooError("%s: %s: pocs '%s' is not a list of names" %
                           (at, name, pocs))
        if not report:
            raise ZooError("%s: %s: no report pattern" % (at, name))
        if patch_dir and not os.path.isfile(
                os.path.join(patch_dir, name + ".patch")):
            raise ZooError("%s: %s: no bench/bugs/%s.patch" % (at, name,
                                                               name))
        bugs[name] = Bug(name, tgt, int(depth), tuple(pocs.split(",")),
                         report)
    if not bugs:
        raise ZooError("%s: no defects" % where)
    return bugs


def load(targets):
    path = paths.root_path("bench", "bugs", "zoo.tsv")
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        raise ZooError("bench/bugs/zoo.tsv: cannot read the bug zoo")
    return parse(text, targets, patch_dir=os.path.dirname(path))


def default_bugs(bugs):
    """The defects time-to-bug measures by default: not those of depth 0,
    which a seed reaches (the campaign's seed replay finds them before any
    fuzzing: a time-to-bug of 0 says nothing)."""
    return [b.name for b in bugs.values() if b.depth != 0]


def deepest(bugs):
    """The deepest defect (the first of the deepest in the list)."""
    best = None
    for b in bugs.values():
        if best is None or b.depth > best.depth:
            best = b
    return best.name


def variant(bug, crc):
    """The build/bench/ folder of a defect in a CRC mode."""
    return bug + "-nocrc" if crc == "off" else bug


def make_poc(poc, dst):
    """Write the proof-of-concept input POC (zoo.tsv's pocs column) to
    dst: bench/bugs/POC.cft compiled by cftool, bench/bugs/POC.poc as it
    is, or else what bench_tool makes. True when it was made."""
    src = os.path.join("bench", "bugs", poc)
    if os.path.isfile(src + ".cft"):
        cmd = ["build/cftool", "asm", src + ".cft", "-o", dst]
    elif os.path.isfile(src + ".poc"):
        shutil.copyfile(src + ".poc", dst)
        return True
    else:
        cmd = ["build/bench/bench_tool", "poc", poc, dst]
    return subprocess.run(cmd, stdin=subprocess.DEVNULL).returncode == 0
