"""Repro: reproduce one crash for a developer (docs/CRASHES.md, "repro.sh").

CRASH is a crash file or a crashes/<id>/ folder (its minimised input and its
recorded target). The target of a file is --target, else where it is
recorded (triage.infer_target: AFL++'s fuzzer_stats, a .target file, a
folder named after the target such as corpus/regression/<t>/<id>, a crash
folder's meta.json that names the file, its name prefix). Prints:

  1. the symbolised sanitizer report (build/replay/<t>, ASan+UBSan) and its
     signature, and the input's identity (build/replay-guard/<t>);
  2. the channel file - the first total_length bytes of the input - as
     `cftool dump` decodes it, with the offending instance and criterion
     marked "<-- here" (from the guard's structured line: the target's
     identity build, else the sensor builds');
  3. the finding in one line: type, template type, instance, criterion,
     field index, inputs supplied, sensor build;
  4. a matrix of which sensor builds and which variants (asan =
     build/replay, guard = build/replay-guard, plain = build/replay-plain:
     no checks, what a release build does) fault.

--gdb then runs the same input on the ASan build under gdb, stopped at the
fault; without a terminal, or under CI, it prints the gdb command instead.
Builds what it needs with make. Exit status: 0 when some build faults on
the input, 1 when none does, 2 on bad arguments.
"""
import argparse
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

from chanfuzz import cli, paths, replay, signature, store, targets, triage

PROG = "repro.sh"
USAGE = "repro.sh CRASH [--target T] [--gdb]"
REPLAY_TIMEOUT = 10
# docs/FORMAT.md: the header is 40 bytes; total_length is the u32 at 20
HEADER_SIZE = 40
TOTAL_LENGTH_AT = 20
# The ASan report's shadow-byte map says nothing a developer needs here:
# from its first line to its legend's last, left out.
SHADOW_FIRST = "Shadow bytes around the buggy address:"
SHADOW_LAST = "  Right alloca redzone:"


def resolve(crash, target=None, crashes=None):
    """(input, target) of CRASH: a crashes/<id>/ folder's input and
    recorded target, or a file and the target recorded for it. --target
    wins. UsageError when there is no input or no known target."""
    if not os.path.exists(crash):
        raise cli.UsageError("%s: no such file or directory" % crash)
    crash = os.path.realpath(crash)
    if os.path.isdir(crash):
        if not os.path.isfile(os.path.join(crash, "meta.json")):
            raise cli.UsageError("%s: not a crashes/<id>/ folder (no "
                                 "meta.json)" % crash)
        path = store.crash_input(crash)
        if path is None:
            raise cli.UsageError("%s: no input" % crash)
        meta = store.read_json(os.path.join(crash, "meta.json"))
        if not target and isinstance(meta, dict):
            target = meta.get("target") or None
    else:
        path = crash
        if not os.access(path, os.R_OK):
            raise cli.UsageError("%s: not readable" % path)
        if not target:
            target = triage.infer_target(path, crashes)
            if target not in targets.TARGETS:
                target = None
    if not target:
        raise cli.UsageError("%s: unknown target: pass --target T" % path)
    cli.check_target(target)
    return path, target


def without_shadow_map(report):
    """The report without the shadow-byte map (to the end, when its legend
    is cut short)."""
    out, skipping = [], False
    for line in report.split("\n"):
        if skipping:
            skipping = not line.startswith(SHADOW_LAST)
        elif line.startswith(SHADOW_FIRST):
            skipping = True
        else:
            out.append(line)
    return "\n".join(out)


def channel_len(data):
    """The length of the channel-file part of an input (docs/HARNESS.md):
    total_length when the header holds one within the input, else all of
    it."""
    if len(data) < HEADER_SIZE:
        return len(data)
    total = int.from_bytes(data[TOTAL_LENGTH_AT:TOTAL_LENGTH_AT + 4],
                           "little")
    return total if HEADER_SIZE <= total <= len(data) else len(data)


def mark_dump(dump, guard):
    """`cftool dump` text with the guard finding's instance line, and that
    instance's criterion-th field line, marked "<-- here"."""
    lines = dump.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not guard:
        return lines
    inst, crit = guard.get("instance", ""), guard.get("criterion", "")
    out, current, done, k = [], False, False, -1
    for line in lines:
        words = line.split()
        if words[:1] == ["instance"]:
            current = len(words) > 1 and words[1] == inst and not done
            done = done or current
            k = -1
            if current:
                out.append(line + "    <-- here: instance " + inst)
                continue
        elif current and words[:1] == ["field"]:
            k += 1
            if str(k) == crit:
                out.append("%s    <-- here: criterion %s reads input %s, "
                           "%s supplied" % (line, crit,
                                            guard.get("field", ""),
                                            guard.get("supplied", "")))
                continue
        out.append(line)
    return out


def field_name(types, template, index):
    """The name of a template's field from `cftool types --json`, or
    None."""
    for t in types.get("templates", []):
        if t.get("name") == template:
            for f in t.get("fields", []):
                if f.get("index") == index and f.get("name"):
                    return f["name"]
    return None


def finding(asan_fault, guard, types=None):
    """The finding in one line: from the guard line when there is one
    (types: `cftool types --json`, to name the field), else the ASan
    fault's type and frames."""
    if guard:
        g = guard.get
        field = g("field", "")
        name = None
        if types is not None and re.fullmatch(r"0|[1-9][0-9]{0,8}", field):
            name = field_name(types, g("template", ""), int(field))
        desc = "field %s (%s)" % (field, "%s, field %d of the template" % (
            name, int(field) + 1) if name else "beyond the template's fields")
        return ("finding: %s | template %s | instance %s | criterion %s | "
                "%s | inputs supplied %s | sensor build %s" % (
                    asan_fault.type if asan_fault else "guard fault",
                    g("template", ""), g("instance", ""), g("criterion", ""),
                    desc, g("supplied", ""), g("build", "")))
    if asan_fault:
        return ("finding: %s | frames: %s (no guard finding: not an "
                "input-array read)" % (asan_fault.type,
                                        " ".join(asan_fault.frames)))
    return None


def matrix_rows(target):
    """The matrix's rows: the sensor builds' targets for channel content,
    with the target itself first when it is not one of them."""
    rows = []
    if target in targets.CHAN_TARGETS:
        rows = [targets.sensor_target(s) for s in targets.SENSORS]
    return rows if target in rows else [target] + rows


def row_label(t, target):
    sensor = targets.sensor_of(t)
    label = "sensor " + sensor if sensor else t
    return label + " (target)" if t == target else label


def _cftool(*args):
    return subprocess.run([paths.root_path("build", "cftool")] + list(args),
                          stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, check=False)


def _types():
    p = _cftool("types", "--json")
    try:
        return json.loads(p.stdout) if p.returncode == 0 else None
    except ValueError:
        return None


def _say(out, title):
    out.write("\n== %s\n" % title)


def repro(path, target, gdb=False, out=sys.stdout):
    """Print what repro prints for input PATH of TARGET; the exit
    status."""
    rows = matrix_rows(target)
    if not any(os.environ.get(v) for v, _ in replay.VARIANT_DIRS.values()):
        files = ["build/cftool"] + ["%s/%s" % (rel, t) for t in rows
                                    for _, rel in
                                    replay.VARIANT_DIRS.values()]
        if not replay.make(files, quiet=False):
            raise cli.UsageError("cannot build the replay builds (make %s)"
                                 % " ".join(files))
    runs = {}

    def run(variant, t):
        # each build replays the input once, whichever part asks
        if (variant, t) not in runs:
            runs[variant, t] = replay.run(variant, t, path, REPLAY_TIMEOUT)
        return runs[variant, t]

    def fault_of(r, t):
        return r.fault or signature.parse(r.report, t)

    with open(path, "rb") as f:
        data = f.read()
    out.write("repro: %s (%d bytes), target %s\n" % (
        os.path.basename(path), len(data), target))
    out.write("input: %s\n" % path)

    _say(out, "sanitizer report: build/replay/%s (ASan+UBSan)" % target)
    r = run("asan", target)
    if r.missing:
        out.flush()
        raise cli.UsageError("%s/%s is not built (make replay)" % (
            replay.variant_dir("asan"), target))
    if r.rc == 0:
        out.write("(no fault: exit 0)\n")
    else:
        report = without_shadow_map(r.report)
        out.write(report if report.endswith("\n") or not report
                  else report + "\n")
    asan = fault_of(r, target)
    if asan:
        out.write("signature: %s [%s] frames: %s\n" % (
            asan.type, asan.id, " ".join(asan.frames)))

    guard_line = None
    for t in [target] + rows:
        if os.access(os.path.join(replay.variant_dir("guard"), t), os.X_OK):
            m = re.search(r"chanfuzz-guard: .*", run("guard", t).report)
            if m:
                guard_line = m.group(0)
                break
    guard = signature.line_fields(guard_line) if guard_line else None
    if os.access(os.path.join(replay.variant_dir("guard"), target),
                 os.X_OK):
        ident = fault_of(run("guard", target), target)
        if ident:
            out.write("identity: %s [%s]%s\n" % (
                ident.type, ident.id, " root cause " + ident.root_cause
                if ident.root_cause else ""))

    if target in targets.CHAN_TARGETS:
        clen = channel_len(data)
        _say(out, "channel file: bytes 0..%d of %d (cftool dump)" %
             (clen, len(data)))
        with tempfile.TemporaryDirectory(prefix="cf-repro.") as work:
            channel = os.path.join(work, "channel.cf")
            with open(channel, "wb") as f:
                f.write(data[:clen])
            p = _cftool("dump", channel)
        if p.returncode == 0:
            for line in mark_dump(p.stdout.decode("utf-8", "replace"),
                                  guard):
                out.write(line + "\n")
            if not guard:
                out.write("(no guard finding: nothing to mark)\n")
        else:
            out.write(p.stderr.decode("utf-8", "replace"))
        if clen < len(data):
            out.write("trailing event bytes: %d\n" % (len(data) - clen))
    else:
        _say(out, "input (not a channel file: %s), first 256 bytes" %
             target)
        p = subprocess.run(["od", "-A", "d", "-c", "-N", "256", "--", path],
                           stdout=subprocess.PIPE, check=False)
        out.write(p.stdout.decode("utf-8", "replace"))

    _say(out, "finding")
    line = finding(asan, guard, _types() if guard else None)
    out.write((line or "finding: none on build/replay/%s" % target) + "\n")

    _say(out, "fault matrix (fault = the build faults on this input)")
    out.write("%-24s %-7s %-7s %s\n" % ("build", "asan", "guard", "plain"))
    faulted = False
    for t in rows:
        cells = []
        for variant in ("asan", "guard", "plain"):
            r = run(variant, t)
            cells.append("missing" if r.missing else
                         "clean" if r.rc == 0 else "FAULT")
            faulted = faulted or cells[-1] == "FAULT"
        out.write("%-24s %-7s %-7s %s\n" % (row_label(t, target), *cells))

    if gdb:
        _say(out, "gdb")
        cmd = ["env", "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:"
               "symbolize=1", "gdb", "-q", "-ex", "run", "-ex", "bt",
               "--args", os.path.join(replay.variant_dir("asan"), target),
               "-t", "0", path]
        out.flush()
        if sys.stdin.isatty() and out.isatty() and not os.environ.get("CI"):
            subprocess.run(cmd, check=False)
        else:
            out.write("no terminal (or CI): run it yourself:\n")
            out.write("  %s\n" % " ".join(shlex.quote(c) for c in cmd))
    return 0 if faulted else 1


def register(sub):
    p = sub.add_parser(
        "repro", usage=USAGE.replace("repro.sh", "%(prog)s"),
        help="reproduce one crash: report, identity, decoded file with the "
        "culprit marked, fault matrix",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("operands", nargs="*", metavar="CRASH",
                   help="a crash file or a crashes/<id>/ folder")
    p.add_argument("--target", metavar="T",
                   help="the fuzz target of a crash file")
    p.add_argument("--gdb", action="store_true",
                   help="then run it under gdb, stopped at the fault")
    cli.takes_unknown(p)
    p.set_defaults(func=main)


def main(args):
    try:
        path, target = resolve(cli.one_operand(args, "CRASH", USAGE),
                               args.target)
        return repro(path, target, args.gdb)
    except cli.UsageError as e:
        return cli.usage_error(PROG, e)
