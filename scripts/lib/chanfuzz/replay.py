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
import subprocess

from chanfuzz import paths, signature

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
    failure."""
    if os.environ.get("CF_NO_MAKE") == "1" or not files:
        return True
    p = subprocess.run(["make", "-s", "-C", paths.ROOT] + list(files),
                       stdout=subprocess.DEVNULL if quiet else None,
                       stderr=subprocess.PIPE, check=False)
    return p.returncode == 0


def ensure_built(variant, targets):
    """make VARIANT's builds of targets unless its folder is overridden;
    the list of those still missing afterwards."""
    d = variant_dir(variant)
    if not overridden(variant):
        rel = VARIANT_DIRS[variant][1]
        make([rel + "/" + t for t in targets])
    return [t for t in targets if not os.access(os.path.join(d, t), os.X_OK)]


def run_many(variant, target, inputs, timeout=10, env=None, symbolize=True,
             work=None):
    """Replay many inputs on one build, in as few processes as possible
    (the driver's manifest mode, every input expected clean): a process
    runs the inputs one after another until one faults; that input's
    report is what the process printed, and a new process starts after it.
    Returns a list of Result, one per input (rc 0 for a clean one)."""
    import tempfile
    d = variant_dir(variant)
    exe = os.path.join(d, target)
    inputs = list(inputs)
    if not os.access(exe, os.X_OK):
        return [Result(127, "chanfuzz-triage: %s is not built\n" % exe,
                       missing=True) for _ in inputs]
    results = [None] * len(inputs)
    if not inputs:
        return results
    tmp = tempfile.mkdtemp(prefix="cf-many.", dir=work)
    man = os.path.join(tmp, "manifest")
    with open(man, "w") as f:
        for p in inputs:
            f.write("clean\t%s\n" % os.path.abspath(p))
    status = os.path.join(tmp, "status")
    skip = 0
    env = env or sanitizer_env(symbolize)
    try:
        while skip < len(inputs):
            open(status, "w").close()
            cmd = ["timeout", "-k", "5",
                   str((len(inputs) - skip) * timeout + 60), exe, "-t",
                   str(timeout), "-m", man, "-o", status, "-d", tmp, "-s",
                   str(skip)]
            p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, env=env, check=False)
            begun = None
            done = set()
            finished = False
            with open(status) as f:
                for line in f:
                    parts = line.rstrip("\n").split("\t")
                    if parts[0] == "BEGIN":
                        begun = int(parts[1])
                    elif parts[0] in ("PASS", "FAIL"):
                        i = int(parts[1])
                        done.add(i)
                        results[i] = Result(0, "", target=target) \
                            if parts[0] == "PASS" else None
                        if parts[0] == "FAIL":
                            # a leak: reported in its own file
                            rep = parts[4] if len(parts) > 4 else ""
                            text = ""
                            if rep and os.path.isfile(rep):
                                with open(rep, errors="replace") as r:
                                    text = r.read()
                            results[i] = Result(23, text or parts[3],
                                                target=target)
                    elif parts[0] == "DONE":
                        finished = True
            if finished:
                break
            if begun is None or begun in done:
                # died outside an input: nothing more can be replayed
                rc = p.returncode if p.returncode > 0 else 128 - p.returncode
                for i in range(skip, len(inputs)):
                    if results[i] is None:
                        results[i] = Result(
                            rc, "chanfuzz-triage: the replay driver failed "
                            "(exit %d): %s\n" % (rc, p.stderr[:300].decode(
                                "utf-8", "replace")), target=target)
                break
            rc = p.returncode if p.returncode > 0 else 128 - p.returncode
            report = p.stderr.decode("utf-8", "replace")
            if rc in (124, 137):
                report += "chanfuzz-triage: timeout (outer bound)\n"
            results[begun] = Result(rc or 1, report, target=target)
            skip = begun + 1
    finally:
        import shutil
        shutil.rmtree(tmp, ignore_errors=True)
    for i, r in enumerate(results):
        if r is None:
            results[i] = Result(0, "", target=target)
    return results
