"""Running inputs on the replay builds (harness/replay.c, docs/CRASHES.md).

  build/replay/<t>        ASan + UBSan: the sanitizer's report
  build/replay-guard/<t>  ASan + UBSan + the guard's checked input reads:
                          the first fault an input meets, whichever
                          detector sees it; the identity build
  build/replay-plain/<t>  no checks: what a release sensor runs

CF_REPLAY_DIR, CF_GUARD_DIR and CF_PLAIN_DIR point at other folders (the
tests use stand-ins); CF_NO_MAKE=1 never runs make.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

from chanfuzz import paths, signature, store

VARIANT_DIRS = {
    "asan": ("CF_REPLAY_DIR", "build/replay"),
    "guard": ("CF_GUARD_DIR", "build/replay-guard"),
    "plain": ("CF_PLAIN_DIR", "build/replay-plain"),
}


def variant_dir(variant):
    env, rel = VARIANT_DIRS[variant]
    return os.environ.get(env) or paths.root_path(rel)


def overridden(variant):
    return bool(os.environ.get(VARIANT_DIRS[variant][0]))


def symbolizer():
    if os.environ.get("ASAN_SYMBOLIZER_PATH"):
        return os.environ["ASAN_SYMBOLIZER_PATH"]
    for p in ("/usr/bin/llvm-symbolizer",
              "/usr/lib/llvm-14/bin/llvm-symbolizer"):
        if os.access(p, os.X_OK):
            return p
    return None


def sanitizer_env(symbolize=True, base=None):
    """The environment of a replay: symbolised reports (signatures need
    function names), an abort gets a stack, UBSan names its check; the
    caller's own options first so that these win. Known-fault suppression
    (CF_KNOWN_FAULTS) is never inherited: triage must see every fault."""
    env = dict(os.environ if base is None else base)
    env.pop("CF_KNOWN_FAULTS", None)
    env.pop("CF_KNOWN_HITS", None)
    sym = "symbolize=%d" % (1 if symbolize else 0)

    def add(name, opts):
        old = env.get(name, "")
        env[name] = (old + ":" if old else "") + opts

    add("ASAN_OPTIONS", sym + ":abort_on_error=0:handle_abort=1"
        ":detect_leaks=1:hard_rss_limit_mb=2560")
    add("UBSAN_OPTIONS", sym + ":print_stacktrace=1:report_error_type=1"
        ":halt_on_error=1")
    add("LSAN_OPTIONS", sym)
    s = symbolizer()
    if s:
        env["ASAN_SYMBOLIZER_PATH"] = s
    return env


class Result:
    """One replay: rc (0 clean), report (stderr text), missing (the build
    is not there: nothing ran), fault (signature.Fault or None)."""

    def __init__(self, rc, report, missing=False, target=None):
        self.rc = rc
        self.report = report
        self.missing = missing
        self.fault = None
        if rc != 0 and not missing:
            self.fault = signature.parse(report, target)
            if self.fault is None:
                # A fault with no report we recognise is still a fault.
                self.report += ("chanfuzz-triage: exit status %d without a "
                                "report\n" % rc)
                self.fault = signature.parse(self.report, target)

    @property
    def faulted(self):
        return self.fault is not None


def run(variant, target, inputs, timeout=10, symbolize=True, env=None,
        directory=None):
    """Replay inputs (a path or a list of paths, run in one process in
    order) on the VARIANT build of target."""
    d = directory or variant_dir(variant)
    exe = os.path.join(d, target)
    if isinstance(inputs, str):
        inputs = [inputs]
    if not os.access(exe, os.X_OK):
        return Result(127, "chanfuzz-triage: %s is not built\n" % exe,
                      missing=True)
    cmd = ["timeout", "-k", "5", str(timeout + 10), exe, "-t", str(timeout)]
    cmd += list(inputs)
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       env=env or sanitizer_env(symbolize), check=False)
    report = p.stderr.decode("utf-8", "replace")
    rc = p.returncode
    if rc < 0:
        rc = 128 - rc
    if rc in (124, 137):
        report += ("chanfuzz-triage: timeout after %d seconds (outer "
                   "bound)\n" % (timeout + 10))
    return Result(rc, report, target=target)


def make(files, quiet=True):
    """make the given build outputs unless CF_NO_MAKE=1; False on
    failure. quiet: make's output is dropped; else it goes to stderr."""
    if os.environ.get("CF_NO_MAKE") == "1" or not files:
        return True
    p = subprocess.run(["make", "-s", "-C", paths.ROOT] + list(files),
                       stdout=subprocess.DEVNULL if quiet else sys.stderr,
                       stderr=subprocess.PIPE if quiet else None,
                       check=False)
    return p.returncode == 0


def ensure_built(variant, targets, quiet=True):
    """make VARIANT's builds of targets unless its folder is overridden;
    the list of those still missing afterwards."""
    d = variant_dir(variant)
    if not overridden(variant):
        rel = VARIANT_DIRS[variant][1]
        make([rel + "/" + t for t in targets], quiet)
    return [t for t in targets if not os.access(os.path.join(d, t), os.X_OK)]


class Outcome:
    """One manifest entry's result: verdict PASS or FAIL, reason (the
    driver's, "unexpected fault (exit N)" for a clean input that ended its
    process, "not run" after a driver failure), report (its report file,
    or ""), rc (the exit status of the process it ended, else None)."""

    def __init__(self, verdict, reason, report="", rc=None):
        self.verdict = verdict
        self.reason = reason
        self.report = report
        self.rc = rc


def _exit_status(returncode):
    # a death by signal N reads 128 + N, as a shell reports it
    return returncode if returncode >= 0 else 128 - returncode


def _status_lines(status):
    with open(status, encoding="utf-8", errors="replace") as f:
        return [line.rstrip("\n").split("\t") for line in f]


def run_manifest(target, manifest, work, timeout=10, env=None,
                 variant="asan"):
    """Replay a manifest - a list of (expect, path), expect clean or fault,
    a relative path taken from the checkout - on the VARIANT build of
    target in as few processes as possible (harness/replay.c, manifest
    mode). A clean input runs in-process, a fault input in a forked child
    whose report is REPORTS/<index>.txt. When a clean input faults, the
    sanitizer ends the process between that input's BEGIN and result lines:
    the input fails with "unexpected fault (exit N)", its report is what
    the process printed, and a new process starts after it.

    work is the run's folder, kept for the caller: manifest, status (the
    driver's lines, and one FAIL line for each input that ended a process
    or was not run), reports/, stderr.<run>. Returns (outcomes, error):
    one Outcome per entry, and None or, when a process died outside an
    input (nothing after it can run), (its exit status, the first 300
    bytes of its stderr); the entries left then fail as "not run"."""
    exe = os.path.join(variant_dir(variant), target)
    n = len(manifest)
    reports = os.path.join(work, "reports")
    os.makedirs(reports, exist_ok=True)
    man = os.path.join(work, "manifest")
    with open(man, "w", encoding="utf-8") as f:
        f.writelines("%s\t%s\n" % (expect, p) for expect, p in manifest)
    status = os.path.join(work, "status")
    open(status, "w").close()
    env = env or sanitizer_env()
    breaches, error = {}, None
    skip = runs = 0
    while skip < n:
        runs += 1
        err = os.path.join(work, "stderr.%d" % runs)
        cmd = ["timeout", "-k", "5", str((n - skip) * timeout + 60), exe,
               "-t", str(timeout), "-m", man, "-o", status, "-d", reports,
               "-s", str(skip)]
        with open(err, "wb") as e:
            p = subprocess.run(cmd, cwd=paths.ROOT, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=e, env=env,
                               check=False)
        rc = _exit_status(p.returncode)
        lines = _status_lines(status)
        if lines and lines[-1][0] == "DONE":
            break
        begun = None
        done = set()
        for parts in lines:
            if parts[0] == "BEGIN":
                begun = int(parts[1])
            elif parts[0] in ("PASS", "FAIL"):
                done.add(int(parts[1]))
        with open(status, "a", encoding="utf-8") as f:
            if begun is None or begun in done:
                # died before or between inputs: nothing more can run; an
                # input that passed in this run keeps its PASS
                with open(err, "rb") as e:
                    error = (rc, e.read(300).decode("utf-8", "replace"))
                f.writelines("FAIL\t%d\t-\tnot run\n" % i
                             for i in range(skip, n) if i not in done)
                break
            rep = os.path.join(reports, "%d.txt" % begun)
            os.replace(err, rep)
            breaches[begun] = rc
            f.write("FAIL\t%d\t%s\tunexpected fault (exit %d)\t%s\n" %
                    (begun, manifest[begun][1], rc, rep))
        skip = begun + 1
    outcomes = [None] * n
    for parts in _status_lines(status):
        if parts[0] in ("PASS", "FAIL") and len(parts) > 3:
            i = int(parts[1])
            outcomes[i] = Outcome(parts[0], parts[3],
                                  parts[4] if len(parts) > 4 else "",
                                  breaches.get(i))
    return [o or Outcome("FAIL", "no result") for o in outcomes], error


def run_many(variant, target, inputs, timeout=10, env=None, symbolize=True,
             work=None):
    """Replay many inputs on one build, in as few processes as possible
    (run_manifest, every input expected clean). Returns a list of Result,
    one per input (rc 0 for a clean one)."""
    exe = os.path.join(variant_dir(variant), target)
    inputs = list(inputs)
    if not os.access(exe, os.X_OK):
        return [Result(127, "chanfuzz-triage: %s is not built\n" % exe,
                       missing=True) for _ in inputs]
    if not inputs:
        return []
    tmp = tempfile.mkdtemp(prefix="cf-many.", dir=work)
    try:
        outcomes, error = run_manifest(
            target, [("clean", os.path.abspath(p)) for p in inputs], tmp,
            timeout, env or sanitizer_env(symbolize), variant)
        results = []
        for o in outcomes:
            if o.verdict == "PASS":
                results.append(Result(0, "", target=target))
            elif o.rc is not None:
                report = store.read_text(o.report)
                if o.rc in (124, 137):
                    report += "chanfuzz-triage: timeout (outer bound)\n"
                results.append(Result(o.rc or 1, report, target=target))
            elif error is not None and o.reason == "not run":
                results.append(Result(
                    error[0], "chanfuzz-triage: the replay driver failed "
                    "(exit %d): %s\n" % error, target=target))
            else:
                # a leak: reported in its own file
                results.append(Result(23, store.read_text(o.report) or o.reason,
                                      target=target))
        return results
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# A frame of a report written with symbolize=0: "#N 0xPC  (MODULE+0xOFF)".
_RAW_FRAME = re.compile(r" *#[0-9]+ 0x[0-9a-f]+ ")
_MODULE_OFFSET = re.compile(r"\((/[^)+ ]*\+0x[0-9a-f]*)\)")


def symbolize_reports(reports):
    """Symbolise, in place, reports written with symbolize=0, in one
    llvm-symbolizer process for all of them instead of one per faulting
    process: a frame "#N 0xPC  (MODULE+0xOFF)" becomes "#N 0xPC in FUNCTION
    FILE:LINE:COL", one per inlined frame, as the in-process symboliser
    prints them, and the frames after it are renumbered."""
    sym = symbolizer() or "llvm-symbolizer"
    if not reports or shutil.which(sym) is None:
        return
    texts = {}
    for r in reports:
        # bytes that are not UTF-8 pass through unchanged
        with open(r, encoding="utf-8", errors="surrogateescape") as f:
            texts[r] = f.read()
    keys = sorted({k for t in texts.values()
                   for k in _MODULE_OFFSET.findall(t)})
    if not keys:
        return
    p = subprocess.run([sym, "--inlining=true"],
                       input="".join(k.replace("+0x", " 0x", 1) + "\n"
                                     for k in keys).encode(
                                         "utf-8", "surrogateescape"),
                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                       check=False)
    # one block per key, in order: FUNCTION and FILE:LINE:COL lines, one
    # pair per inlined frame, then an empty line
    blocks, block = [], []
    out = p.stdout.decode("utf-8", "replace").split("\n")
    i = 0
    while i < len(out):
        if out[i] == "":
            blocks.append(block)
            block = []
            i += 1
        elif i + 1 < len(out):
            block.append((out[i], out[i + 1]))
            i += 2
        else:
            break
    frames = dict(zip(keys, blocks))
    for path, text in texts.items():
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        new, n = [], 0
        for line in lines:
            if _RAW_FRAME.match(line):
                fields = line.split()
                if fields[0] == "#0":
                    n = 0
                key = fields[2].replace("(", "").replace(")", "") \
                    if len(fields) > 2 else ""
                block = frames.get(key)
                if block and block[0][0] != "??":
                    indent = line[:line.index("#")]
                    for fn, loc in block:
                        new.append("%s#%d %s in %s %s" % (indent, n,
                                                           fields[1], fn,
                                                           loc))
                        n += 1
                    continue
                line = re.sub(r"#[0-9]+", "#%d" % n, line, count=1)
                n += 1
            new.append(line)
        store.atomic_write(path, ("\n".join(new) + "\n").encode(
            "utf-8", "surrogateescape"))
