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
