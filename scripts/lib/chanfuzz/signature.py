"""Crash identity: parse a fault report into a structured fault and name it.

A report is what a replay build, a libFuzzer or an AFL++ build printed on
stderr: an AddressSanitizer, UndefinedBehaviorSanitizer or LeakSanitizer
report, libFuzzer's timeout / out-of-memory / deadly-signal report, the
guard's structured line, a harness invariant. docs/CRASHES.md, "Crash
identity", is the contract; the rules, in the order they are tried:

1. A content fault - a read past the inputs a sensor build supplies, as the
   guard (``chanfuzz-guard: ... build= template= field= supplied=
   declared=``) or a harness oracle (the same fields on a
   ``chanfuzz-harness`` line) reports it - is named by its root cause, not
   its stack: ORACLE/BUILD/TEMPLATE/CLASS[/FIELDS] (harness/harness.h).
   Every content-triggered fault of an interpreter has the same few frames,
   so a stack would merge the next CF-291 into the last one.
2. Every other fault keeps a stack signature: the crash type and the top
   three frames in the project's own code, function names only.

The signature text is hashed (SHA-1, first 12 hex digits) into the id.
"""
import hashlib
import json
import os
import re
import sys

N_FRAMES = 3

# Frames that never name the cause: the replay and AFL++ drivers (their
# source path is under harness/ but they only call the target), the
# harness's reporting helper and the allocation wrappers.
DRIVER_FILES = re.compile(r"(^|/)harness/(replay|afl_driver)\.c")
PROJECT_PATH = re.compile(r"(^|/)(parsers|harness|tools)/")
SKIP_FUNCTIONS = re.compile(r"^(cf_h_fail|cf_mem_\w+)$")

# Access sizes an instruction makes; any other size (and any access made
# inside a runtime interceptor such as memcpy) depends on the input and is
# written {*}, as ClusterFuzz does, so that it does not split a signature.
FIXED_SIZES = {"1", "2", "4", "8", "16"}

# Oracles: what promised the content safe (harness/harness.h). Targets not
# named here are the interpreter's own view.
TARGET_ORACLE = {
    "fuzz_differential": "validator-current",
    "fuzz_gate": "gate",
}
ORACLE_PREFIX = {
    "interpreter": "",
    "validator-current": "validator gap (current): ",
    "validator-2024": "validator gap (2024): ",
    "gate": "gate gap: ",
}

# UBSan's checks by the message of their report, for a SUMMARY that does
# not name the check (UBSAN_OPTIONS without report_error_type=1, as in the
# libFuzzer builds): the names its SUMMARY gives with report_error_type=1
# (compiler-rt ubsan_checks.inc, messages of ubsan_handlers.cpp), so that a
# check is named the same in every build. First match wins.
UBSAN_MESSAGES = [
    (r"^signed integer overflow:", "signed-integer-overflow"),
    (r"^unsigned integer overflow:", "unsigned-integer-overflow"),
    (r"^negation of .*; cast to an unsigned type", "signed-integer-overflow"),
    (r"^negation of ", "unsigned-integer-overflow"),
    (r"^division of .* by -1 cannot be represented",
     "signed-integer-overflow"),
    (r"^division by zero", "integer-divide-by-zero"),
    (r"^shift exponent ", "invalid-shift-exponent"),
    (r"^left shift of ", "invalid-shift-base"),
    (r"^index .* out of bounds for type ", "out-of-bounds-index"),
    (r"^applying non-zero offset .* to null pointer",
     "nullptr-with-nonzero-offset"),
    (r"^applying non-zero offset to non-null pointer .* produced null",
     "nullptr-after-nonzero-offset"),
    (r"^applying zero offset to null pointer", "nullptr-with-offset"),
    (r"^(addition of|subtraction of) unsigned offset |"
     r"^pointer index expression with base ", "pointer-overflow"),
    (r" null pointer of type ", "null-pointer-use"),
    (r" misaligned address ", "misaligned-pointer-use"),
    (r" with insufficient space for an object of type ",
     "insufficient-object-size"),
    (r"^load of value .*, which is not a valid value for type '(bool|_Bool)'",
     "invalid-bool-load"),
    (r"^load of value .*, which is not a valid value for type ",
     "invalid-enum-load"),
    (r"^execution reached an unreachable program point", "unreachable-call"),
    (r"^execution reached the end of a value-returning function",
     "missing-return"),
    (r"^variable length array bound evaluates to non-positive",
     "non-positive-vla-index"),
    (r" is outside the range of representable values of type ",
     "float-cast-overflow"),
    (r"^passing zero to .*, which is not a valid argument",
     "invalid-builtin-use"),
    (r"^null pointer returned from function declared to never return null",
     "invalid-null-return"),
    (r"^null pointer passed as argument .*, which is declared to never be "
     r"null", "invalid-null-argument"),
    (r"^call to function .* through pointer to incorrect function type",
     "function-type-mismatch"),
]
UBSAN_MESSAGES = [(re.compile(r), name) for r, name in UBSAN_MESSAGES]

_FRAME = re.compile(r"^\s*#(\d+) ")
_FRAME_FN = re.compile(r" in (\S+)(.*)$")
_KV = re.compile(r"\b([a-z_]+)=(\S+)")
_GUARD = re.compile(r"chanfuzz-guard: out-of-bounds input read:")
_HARNESS = re.compile(r"chanfuzz-harness: (\S+): invariant broken: (.*)$")
_TIMEOUT = re.compile(
    r"chanfuzz-(replay|triage): timeout|ERROR: libFuzzer: timeout")
_OOM = re.compile(
    r"chanfuzz-replay: out-of-memory|ERROR: libFuzzer: out-of-memory"
    r"|AddressSanitizer: (allocation-size-too-big|out of memory"
    r"|requested allocation size)|AddressSanitizer: (hard|soft) rss limit"
    r"|rss[_ ]limit exhausted")
_OOM_STACK = re.compile(
    r"malloc\(|allocation-size-too-big|requested allocation size"
    r"|allocator is trying")
_LEAK = re.compile(r"ERROR: LeakSanitizer: detected memory leaks")
_ASAN = re.compile(r"ERROR: AddressSanitizer: (\S+)")
_UBSAN = re.compile(r"runtime error: (.*)$")
_DEADLY = re.compile(r"ERROR: libFuzzer: (deadly signal|fuzz target exited)")
_NOREPORT = re.compile(r"chanfuzz-triage: exit status (\d+) without a report")
_ACCESS = re.compile(r"^(READ|WRITE) of size (\d+)")
_SEGV_ACCESS = re.compile(r"caused by a (READ|WRITE) memory access")
_ASSERT = re.compile(r"Assertion .* failed")


class Fault:
    """One fault, as a report shows it.

    type       the crash type ("heap-buffer-overflow READ 4", "leak", or for
               a content fault what the content did)
    frames     the signature's frames (function names; for a timeout or an
               out-of-memory without a stack, "target=T")
    extra      further signature lines (an invariant's message)
    root_cause the content fault's key (ORACLE/BUILD/TEMPLATE/CLASS[/F]),
               or None for a fault named by its stack
    content    the content fault's fields (build, template, instance,
               criterion, field, supplied, declared, op, oracle) or None
    detector   what reported it: guard, harness, asan, ubsan, lsan,
               libfuzzer, replay, triage
    """

    def __init__(self, type_, frames=(), extra=(), root_cause=None,
                 content=None, detector=""):
        self.type = type_
        self.frames = list(frames)
        self.extra = list(extra)
        self.root_cause = root_cause
        self.content = content
        self.detector = detector

    @property
    def text(self):
        """The signature text: what the id is the hash of."""
        if self.root_cause is not None:
            return "content-read\n%s\n" % self.root_cause
        return "".join(line + "\n"
                       for line in [self.type] + self.frames + self.extra)

    @property
    def id(self):
        return hashlib.sha1(self.text.encode()).hexdigest()[:12]

    def as_dict(self):
        return {
            "id": self.id,
            "type": self.type,
            "frames": self.frames,
            "root_cause": self.root_cause,
            "content": self.content,
            "detector": self.detector,
        }


def line_fields(line):
    """The key=value fields of a guard or harness line (the last of a key
    wins)."""
    return dict(_KV.findall(line))


def root_cause_key(oracle, build, template, field, supplied, declared):
    """ORACLE/BUILD/TEMPLATE/CLASS[/FIELDS] (harness/harness.h's rule)."""
    if field >= declared:
        return "%s/%s/%s/undeclared" % (oracle, build, template)
    if declared - supplied == 1:
        return "%s/%s/%s/unsupplied/%d" % (oracle, build, template, supplied)
    return "%s/%s/%s/unsupplied/%d-%d" % (oracle, build, template, supplied,
                                          declared - 1)


def describe_root_cause(key):
    """A root-cause key in words, for the crash type."""
    parts = key.split("/")
    oracle, build, template, cls = parts[:4]
    prefix = ORACLE_PREFIX.get(oracle, oracle + ": ")
    if cls == "undeclared":
        what = "%s field index past the declared fields, read by %s" % (
            template, build)
    else:
        fields = parts[4] if len(parts) > 4 else "?"
        what = "%s field%s %s declared but not supplied by %s" % (
            template, "s" if "-" in fields else "", fields, build)
    return prefix + "out-of-bounds input read: " + what


def _content_fault(line, target, detector):
    """A content fault from a guard or harness line, or None when the line
    lacks the fields (an older guard line without declared=)."""
    kv = line_fields(line)
    try:
        field = int(kv["field"])
        supplied = int(kv["supplied"])
        declared = int(kv["declared"])
        build, template = kv["build"], kv["template"]
    except (KeyError, ValueError):
        return None
    oracle = kv.get("oracle") or TARGET_ORACLE.get(target or "",
                                                    "interpreter")
    key = root_cause_key(oracle, build, template, field, supplied, declared)
    content = {
        "build": build,
        "template": template,
        "instance": kv.get("instance"),
        "criterion": kv.get("criterion"),
        "field": field,
        "supplied": supplied,
        "declared": declared,
        "op": kv.get("op"),
        "oracle": oracle,
    }
    return Fault(describe_root_cause(key), root_cause=key, content=content,
                 detector=detector)


def _frame_parts(line):
    """(function, location) of a symbolised frame line, or None."""
    m = _FRAME_FN.search(line)
    if not m:
        return None
    return m.group(1), m.group(2).strip()


def frames_from(lines, start, n=N_FRAMES):
    """The top n project frames of the first stack at or after line
    index start (function names; repeats by recursion count once)."""
    out = []
    last = None
    started = False
    for line in lines[start:]:
        if _FRAME.match(line):
            started = True
            parts = _frame_parts(line)
            if parts is None:
                continue
            fn, loc = parts
            fn = fn.split(".")[0]  # foo.cold, foo.part.0
            if not PROJECT_PATH.search(loc) or DRIVER_FILES.search(loc):
                continue
            if SKIP_FUNCTIONS.match(fn) or fn == last:
                continue
            last = fn
            if len(out) < n:
                out.append(fn)
        elif started:
            break
    return out


def _first_frame_in_runtime(lines, start):
    """True when the first frame of the stack at or after start is a
    symbolised frame outside the project (an interceptor: memcpy, memcmp,
    strlen ...). An unsymbolised frame #0 could be anything: False, so that
    the access size stays what ASan says."""
    for line in lines[start:]:
        if _FRAME.match(line):
            parts = _frame_parts(line)
            return parts is not None and not PROJECT_PATH.search(parts[1])
    return False


def _find(lines, pattern, start=0):
    for i in range(start, len(lines)):
        if pattern.search(lines[i]):
            return i
    return None


def _asan_fault(lines, at):
    kind = _ASAN.search(lines[at]).group(1)
    for line in lines[at:]:
        if line.startswith("SUMMARY: AddressSanitizer: "):
            kind = line.split()[2]
            break
    access = ""
    for i in range(at, min(at + 4, len(lines))):
        m = _ACCESS.match(lines[i])
        if m:
            size = m.group(2)
            if size not in FIXED_SIZES or _first_frame_in_runtime(lines, i):
                size = "{*}"
            access = " %s %s" % (m.group(1), size)
            break
    if kind == "SEGV":
        access = " UNKNOWN"
        for line in lines[at:]:
            m = _SEGV_ACCESS.search(line)
            if m:
                access = " " + m.group(1)
                break
    if kind == "ABRT":
        kind = "abort"
        if any(_ASSERT.search(line) for line in lines[:at]):
            kind = "assertion failure"
    return Fault(kind + access, frames_from(lines, at), detector="asan")


def _ubsan_fault(lines, at):
    check = ""
    for line in lines[at:]:
        if line.startswith("SUMMARY: UndefinedBehaviorSanitizer: "):
            check = line.split()[2]
            break
    if check in ("", "undefined-behavior"):
        msg = _UBSAN.search(lines[at]).group(1)
        check = next((name for pat, name in UBSAN_MESSAGES
                      if pat.search(msg)), None)
        if check is None:
            # an unknown message: its words before the first value
            msg = re.sub(r"[-0-9\"'(:].*$", "", msg).strip()
            check = re.sub(r" +", "-", msg) or "undefined-behavior"
    return Fault("ubsan: " + check, frames_from(lines, at), detector="ubsan")


def parse(report, target=None):
    """The fault a report holds, or None. report: str or list of lines."""
    if isinstance(report, str):
        lines = report.splitlines()
    else:
        lines = [line.rstrip("\r\n") for line in report]
    lines = [line.rstrip("\r") for line in lines]
    tgt = target or "?"

    at = _find(lines, _GUARD)
    if at is not None:
        fault = _content_fault(lines[at], target, "guard")
        if fault is not None:
            return fault
        # An older guard line (no declared=): named by its own fields.
        kv = line_fields(lines[at])
        return Fault(
            "guard: input field %s of %s" % (kv.get("field", "?"),
                                             kv.get("supplied", "?")),
            ["%s=%s" % (k, kv.get(k, "?"))
             for k in ("build", "template", "field", "supplied")],
            detector="guard")
    at = _find(lines, _HARNESS)
    if at is not None:
        m = _HARNESS.search(lines[at])
        if "declared=" in m.group(2):
            fault = _content_fault(m.group(2), target, "harness")
            if fault is not None:
                return fault
        msg = re.sub(r"0[xX][0-9a-fA-F]+", "N", m.group(2))
        msg = re.sub(r"[0-9]+", "N", msg)
        return Fault("invariant: " + m.group(1), frames_from(lines, at),
                     ["message: " + msg[:80]], detector="harness")
    at = _find(lines, _TIMEOUT)
    if at is not None:
        return Fault("timeout", ["target=" + tgt],
                     detector="libfuzzer" if "libFuzzer" in lines[at]
                     else "replay")
    at = _find(lines, _OOM)
    if at is not None:
        frames = []
        if _OOM_STACK.search(lines[at]):
            frames = frames_from(lines, at)
        return Fault("out-of-memory", frames or ["target=" + tgt],
                     detector="asan" if "Sanitizer" in lines[at]
                     else "libfuzzer" if "libFuzzer" in lines[at]
                     else "replay")
    at = _find(lines, _LEAK)
    if at is not None:
        start = _find(lines, re.compile(r"^Direct leak"), at)
        if start is None:
            start = _find(lines, re.compile(r"^Indirect leak"), at)
        return Fault("leak", frames_from(lines, at if start is None
                                          else start), detector="lsan")
    at = _find(lines, _ASAN)
    if at is not None:
        return _asan_fault(lines, at)
    at = _find(lines, _UBSAN)
    if at is not None:
        return _ubsan_fault(lines, at)
    at = _find(lines, _DEADLY)
    if at is not None:
        kind = "exit" if "exited" in lines[at] else "deadly signal"
        if any(_ASSERT.search(line) for line in lines[:at]):
            kind = "assertion failure"
        return Fault(kind, frames_from(lines, at), detector="libfuzzer")
    at = _find(lines, _NOREPORT)
    if at is not None:
        status = _NOREPORT.search(lines[at]).group(1)
        return Fault("exit " + status, ["target=" + tgt], detector="triage")
    return None


def parse_file(path, target=None):
    with open(path, "r", encoding="utf-8", errors="replace") as f:
        return parse(f.read(), target)


# ---- command line -----------------------------------------------------------


def register(sub):
    p = sub.add_parser(
        "signature",
        help="crash type, frames, root cause and id of fault reports",
        description="Print the crash identity of a fault report read on "
        "standard input (type, frames, root cause, id; --text adds the "
        "signature text), or of each REPORT file, one line each: "
        "FILE<TAB>ID<TAB>TYPE<TAB>FRAMES (ID '-' and TYPE 'none' when the "
        "file holds no fault). docs/CRASHES.md.")
    p.add_argument("--target", help="the fuzz target that printed it")
    p.add_argument("--text", action="store_true",
                   help="also print the signature text")
    p.add_argument("--json", action="store_true",
                   help="one JSON object (per report) instead")
    p.add_argument("reports", nargs="*", metavar="REPORT")
    p.set_defaults(func=main)


def main(args):
    if args.reports:
        if args.text:
            print("signature: --text reads one report on standard input",
                  file=sys.stderr)
            return 2
        for path in args.reports:
            if not os.path.isfile(path):
                print("signature: %s: no such file" % path, file=sys.stderr)
                return 2
        for path in args.reports:
            fault = parse_file(path, args.target)
            if args.json:
                d = fault.as_dict() if fault else None
                print(json.dumps({"file": path, "fault": d}))
            elif fault is None:
                print("%s\t-\tnone\t" % path)
            else:
                print("%s\t%s\t%s\t%s" % (path, fault.id, fault.type,
                                          " ".join(fault.frames)))
        return 0
    if sys.stdin.isatty():
        print("signature: reads a report on standard input (or give "
              "REPORT files)", file=sys.stderr)
        return 2
    fault = parse(sys.stdin.read(), args.target)
    if fault is None:
        print("signature: no fault report recognised on standard input",
              file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(fault.as_dict()))
        return 0
    print("type\t%s" % fault.type)
    print("frames\t%s" % " ".join(fault.frames))
    if fault.root_cause:
        print("root_cause\t%s" % fault.root_cause)
    print("id\t%s" % fault.id)
    if args.text:
        sys.stdout.write("text\n" + fault.text)
    return 0
