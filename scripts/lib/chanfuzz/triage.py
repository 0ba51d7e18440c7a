"""Triage: replay crashing inputs, name each by its identity, minimise it and
file it under crashes/ (docs/CRASHES.md, "Triage").

Per input:
  1. identity: up to 3 replays on the identity build (build/replay-guard/
     <t>: ASan + UBSan + the guard's checked input reads), so that the
     first fault the input meets names it. A content fault (a read past the
     inputs a sensor build supplies) is named by its root cause; any other
     fault by its stack (signature.py). The same identity at least twice
     in 3 runs: reproducible.
  2. a content fault is also replayed once on the ASan-only build
     (build/replay/<t>): the sanitizer's own view (sanitizer_type, e.g.
     heap-buffer-overflow READ 4, kept as report-asan.txt);
  3. channel targets: replayed once on each sensor build's interpreter
     target: the sensor builds that fault;
  4. minimised (libFuzzer's crash-minimisation steps on build/fuzz/<t>_smart,
     afl-tmin first for AFL++ crashes), keeping only candidates with the
     same identity;
  5. filed: a new identity gets a folder crashes/<id>/ (staged and renamed,
     under the store's lock); a known one is a "dup" and its folder is left
     as it was.
Inputs that do not reproduce alone are grouped by target and by the fault
as the engine saw it (an AFL++ crash's signal, the report a libFuzzer log
kept) into crashes/flaky-<group>/, with a few example inputs; triage tries
to reproduce them as the engine ran them (on the engine's own build, and
for AFL++ after the preceding queue entries in one process).
"""
import argparse
import concurrent.futures
import glob
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from chanfuzz import paths, replay, signature, store, targets

RUNS = 3
EXAMPLES_PER_GROUP = 5
HISTORY_ENTRIES = 64

_AFL_SIG = re.compile(r"(?:^|,)sig:(\d+)")
_AFL_TIME = re.compile(r"(?:^|,)time:(\d+)")
_AFL_ID = re.compile(r"^id:(\d+)")
SIGNAL_NAMES = {4: "SIGILL", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
                9: "SIGKILL", 11: "SIGSEGV"}


now_iso, sha1_file = store.now_iso, store.sha1_file


class UsageError(Exception):
    pass


# ---- collecting the inputs ---------------------------------------------------


class Item:
    """One crashing input: path, engine (libfuzzer, afl, file), target."""

    def __init__(self, path, engine, target):
        self.path = path
        self.engine = engine
        self.target = target


def afl_target(instance_dir):
    """The target named in an AFL++ instance's fuzzer_stats command_line
    (the program after --), or None."""
    try:
        with open(os.path.join(instance_dir, "fuzzer_stats")) as f:
            for line in f:
                if line.startswith("command_line"):
                    cmd = line.split(":", 1)[1].strip()
                    if " -- " in cmd:
                        return os.path.basename(cmd.split(" -- ", 1)[1]
                                                .split()[0])
    except OSError:
        pass
    return None


def dot_target(path):
    """The target recorded in PATH.target, or .target in its folder or the
    two above it."""
    d = os.path.dirname(path)
    for f in [path + ".target", os.path.join(d, ".target"),
              os.path.join(os.path.dirname(d), ".target"),
              os.path.join(os.path.dirname(os.path.dirname(d)), ".target")]:
        try:
            with open(f) as fh:
                t = fh.readline().strip()
                if t:
                    return t
        except OSError:
            continue
    return None


def ancestor_target(path):
    """The nearest folder above path named after a target:
    corpus/regression/<t>/ID, corpus/<t>/SEED, a campaign's lf/<t>/...,
    afl/<t>/..., seeds/<t>/..., merge-artifacts/<t>/...."""
    d = os.path.dirname(os.path.abspath(path))
    while d and d != os.path.dirname(d):
        if os.path.basename(d) in targets.TARGETS:
            return os.path.basename(d)
        d = os.path.dirname(d)
    return None


def meta_target(path, crashes=None):
    """The target of the crash folder whose meta.json names path as its
    source (or one of its sources), or None."""
    real = os.path.realpath(path)
    cs = store.CrashStore(crashes or paths.root_path("crashes"))
    for folder in cs.folders():
        meta = cs.meta(folder) or {}
        srcs = [meta.get("source")] + list(meta.get("sources") or [])
        if real in [os.path.realpath(x) for x in srcs if x]:
            return meta.get("target")
    return None


def infer_target(path, crashes=None):
    """Where a file's target is recorded: AFL++'s fuzzer_stats, a
    .target file, a folder named after the target, a crash folder's
    meta.json that names the file, the file name's prefix."""
    if _is_afl_file(path):
        t = afl_target(os.path.dirname(os.path.dirname(path)))
        if t:
            return t
    return dot_target(path) or ancestor_target(path) or \
        meta_target(path, crashes) or \
        targets.target_of_name(os.path.basename(path))


def _is_afl_file(path):
    parent = os.path.basename(os.path.dirname(path))
    return (parent.startswith("crashes") or parent.startswith("hangs")) \
        and os.path.basename(path).startswith("id:")


def _is_lf_artifact(path):
    b = os.path.basename(path)
    return b.startswith(("crash-", "leak-", "timeout-", "oom-"))


def collect(args_inputs, opt_target=None):
    """Resolve every INPUT (file, libFuzzer artifact folder, AFL++ output
    or instance folder) into Items; UsageError on a missing input or an
    unknown target. Nothing runs before every input is resolved."""
    items = []

    def add(path, engine, recorded):
        t = opt_target or recorded or infer_target(path)
        if not t:
            raise UsageError(
                "%s: unknown target: pass --target T, or record it (AFL++ "
                "fuzzer_stats, a .target file beside the input, or a file "
                "name starting with the target)" % path)
        if t not in targets.TARGETS:
            raise UsageError("%s: recorded target '%s' is not a fuzz target "
                             "(one of: %s)" % (path, t,
                                               " ".join(targets.TARGETS)))
        items.append(Item(path, engine, t))

    def add_instance(inst):
        t = afl_target(inst)
        for sub in ("crashes", "hangs"):
            for f in sorted(glob.glob(os.path.join(inst, sub + "*", "id:*"))):
                if os.path.isfile(f):
                    add(f, "afl", t)

    for arg in args_inputs:
        if not os.path.exists(arg):
            raise UsageError("%s: no such file or directory" % arg)
        path = os.path.realpath(arg)
        if os.path.isfile(path):
            if not os.access(path, os.R_OK):
                raise UsageError("%s: not readable" % arg)
            if _is_afl_file(path):
                add(path, "afl",
                    afl_target(os.path.dirname(os.path.dirname(path))))
            elif _is_lf_artifact(path):
                add(path, "libfuzzer", None)
            else:
                add(path, "file", None)
        elif os.path.isdir(path):
            n0 = len(items)
            if os.path.isdir(os.path.join(path, "crashes")) or \
                    os.path.isdir(os.path.join(path, "hangs")):
                add_instance(path)
            else:
                insts = [d for d in sorted(glob.glob(os.path.join(path, "*")))
                         if os.path.isdir(os.path.join(d, "crashes")) or
                         os.path.isdir(os.path.join(d, "hangs"))]
                for inst in insts:
                    add_instance(inst)
                if not insts:
                    for f in sorted(os.listdir(path)):
                        p = os.path.join(path, f)
                        if os.path.isfile(p) and _is_lf_artifact(p):
                            add(p, "libfuzzer", None)
            if len(items) == n0:
                print("triage: %s: no crashing inputs in it" % arg,
                      file=sys.stderr)
        else:
            raise UsageError("%s: not a file or directory" % arg)
    return items


# ---- the fault as the engine saw it ------------------------------------------


def afl_signal(path):
    m = _AFL_SIG.search(os.path.basename(path))
    return int(m.group(1)) if m else None


def lf_log_report(path):
    """The report a libFuzzer log kept for artifact PATH (campaign layout:
    artifacts/ beside logs/), or None."""
    base = os.path.dirname(os.path.dirname(path))
    needle = "Test unit written to " + path
    for log in sorted(glob.glob(os.path.join(base, "logs", "*.log")) +
                      glob.glob(os.path.join(base, "*.log"))):
        try:
            with open(log, "r", encoding="utf-8", errors="replace") as f:
                lines = f.read().splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines):
            if needle in line:
                start = max(0, i - 300)
                for j in range(i, start - 1, -1):
                    if re.search(r"ERROR: |chanfuzz-(guard|harness)|"
                                 r"runtime error: ", lines[j]):
                        start = j
                        # the report begins at its first marker line
                        while start > 0 and re.search(
                                r"ERROR: |chanfuzz-|runtime error: |"
                                r"DEADLYSIGNAL|^=+$", lines[start - 1]):
                            start -= 1
                        break
                return "\n".join(lines[start:i + 1])
    return None


def engine_fault(item):
    """(summary, fault or None): the fault as the engine saw it."""
    if item.engine == "afl":
        kind = "hang" if "/hangs" in item.path else "crash"
        sig = afl_signal(item.path)
        if kind == "hang":
            return "AFL++ hang", None
        if sig is None:
            return "AFL++ crash", None
        return "AFL++ signal %d (%s)" % (sig, SIGNAL_NAMES.get(sig, "?")), \
            None
    if item.engine == "libfuzzer":
        kind = os.path.basename(item.path).split("-", 1)[0]
        rep = lf_log_report(item.path)
        fault = signature.parse(rep, item.target) if rep else None
        if fault is not None:
            return "libFuzzer %s: %s" % (kind, fault.type), fault
        return "libFuzzer %s" % kind, None
    return "file", None


# ---- triage of one input -----------------------------------------------------


class Options:
    def __init__(self, out, minimize=True, minimize_time=30,
                 replay_timeout=10, oom_is_finding=True,
                 timeout_is_finding=False, jobs=1, full=False, known=None):
        self.out = out
        self.minimize = minimize
        self.minimize_time = minimize_time
        self.replay_timeout = replay_timeout
        self.oom_is_finding = oom_is_finding
        self.timeout_is_finding = timeout_is_finding
        self.jobs = jobs
        self.full = full
        # A file of known root causes (harness/harness.h): replays refuse
        # their reads, as the fuzzers did, so that an input is named by
        # the first fault that is not known.
        self.known = known

    def env(self, symbolize=True, known=True):
        env = replay.sanitizer_env(symbolize)
        if known and self.known:
            env["CF_KNOWN_FAULTS"] = self.known
        return env


class Triage:
    def __init__(self, opts):
        self.opts = opts
        self.store = store.CrashStore(opts.out)
        self.work = tempfile.mkdtemp(prefix="cf-triage.")
        self.keep_work = os.environ.get("CF_TRIAGE_KEEP") == "1"
        self.lock = threading.Lock()
        self.n = 0

    def close(self):
        if self.keep_work:
            print("triage: keeping the work folder " + self.work,
                  file=sys.stderr)
        else:
            shutil.rmtree(self.work, ignore_errors=True)

    def _wdir(self):
        with self.lock:
            self.n += 1
            d = os.path.join(self.work, str(self.n))
        os.makedirs(d)
        return d

    # identity ----------------------------------------------------------------

    def identify(self, target, path, runs=RUNS, known=True):
        """(best fault, agreeing runs, first report, runs done, every
        fault seen) over up to RUNS replays on the identity build. With
        known root causes, an input that faults only on them (none of the
        runs faults) is identified again without them: a dup of the known
        one."""
        res = self._identify(target, path, runs, known and
                             bool(self.opts.known))
        if res[0] is None and known and self.opts.known:
            res = self._identify(target, path, runs, False)
        return res

    def _identify(self, target, path, runs, known):
        counts = {}
        first = {}
        faults = []
        done = 0
        for _ in range(runs):
            r = replay.run("guard", target, path, self.opts.replay_timeout,
                           env=self.opts.env(known=known))
            done += 1
            if r.faulted:
                faults.append(r.fault)
                fid = r.fault.id
                counts[fid] = counts.get(fid, 0) + 1
                first.setdefault(fid, (r.fault, r.report))
                if counts[fid] >= 2:
                    break
        if not counts:
            return None, 0, None, done, faults
        best = max(counts, key=lambda k: counts[k])
        fault, report = first[best]
        return fault, counts[best], report, done, faults

    def sensor_faults(self, target, path):
        out = {}
        if target not in targets.CHAN_TARGETS:
            return out
        for build in targets.SENSORS:
            r = replay.run("guard", targets.sensor_target(build), path,
                           self.opts.replay_timeout)
            if r.faulted:
                out[build] = r.fault.type
        return out

    # minimisation --------------------------------------------------------------

    def _verify(self, target, cand, fid, known):
        r = replay.run("guard", target, cand, self.opts.replay_timeout,
                       env=self.opts.env(known=known))
        return r.faulted and r.fault.id == fid

    def minimize(self, item, fault, guard_only, w, log):
        """The smallest verified input (a path in w) and the minimiser.
        guard_only: only the guard sees the fault (a content read that
        lands in memory ASan cannot tell from valid)."""
        cur = os.path.join(w, "min")
        shutil.copyfile(item.path, cur)
        minimizer = "none"
        end = time.monotonic() + self.opts.minimize_time
        rt = self.opts.replay_timeout
        t = item.target
        # verified as it was identified: past the known root causes,
        # unless it is one of them
        known = fault.root_cause is None or not self._is_known(
            fault.root_cause)

        def adopt(cand):
            if not os.path.isfile(cand) or os.path.getsize(cand) == 0:
                return False
            if os.path.getsize(cand) >= os.path.getsize(cur):
                return False
            if self._verify(t, cand, fault.id, known):
                shutil.copyfile(cand, cur)
                return True
            log.write("rejected a candidate: %d bytes\n" %
                      os.path.getsize(cand))
            return False

        if item.engine == "afl" or guard_only:
            rel = "build/afl/" + t if guard_only else "build/afl-asan/" + t
            exe = paths.root_path(rel)
            if shutil.which("afl-tmin") and replay.make([rel]) and \
                    os.access(exe, os.X_OK):
                cand = os.path.join(w, "cand.afl")
                env = dict(os.environ, AFL_SKIP_CPUFREQ="1", AFL_NO_UI="1",
                           AFL_QUIET="1",
                           ASAN_OPTIONS="abort_on_error=1:symbolize=0:"
                           "detect_leaks=0:handle_abort=1",
                           UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:"
                           "symbolize=0", LSAN_OPTIONS="symbolize=0")
                env.pop("CF_KNOWN_FAULTS", None)
                budget = max(1, int(end - time.monotonic()))
                subprocess.run(
                    ["timeout", "-k", "2", str(budget), "afl-tmin", "-i",
                     item.path, "-o", cand, "-t", str(rt * 1000), "-m",
                     "none", "--", exe], stdout=log, stderr=log,
                    stdin=subprocess.DEVNULL, env=env, check=False)
                if adopt(cand):
                    minimizer = "afl-tmin"
        if guard_only:
            # the libFuzzer builds have no guard: they cannot see it
            return cur, minimizer
        # libFuzzer's crash minimiser is a loop of steps: each runs the
        # target with -minimize_crash_internal_step=1 and writes a smaller
        # input that still crashes. Triage runs the loop itself so that each
        # step is verified: a step that drifts to another fault is dropped
        # and the next starts again from the last verified input.
        rel = "build/fuzz/%s_smart" % t
        if not (replay.make([rel]) and os.access(paths.root_path(rel),
                                                   os.X_OK)):
            rel = "build/fuzz/" + t
            if not replay.make([rel]):
                return cur, minimizer
        exe = paths.root_path(rel)
        if not os.access(exe, os.X_OK):
            return cur, minimizer
        env = replay.sanitizer_env(symbolize=False)
        env["ASAN_OPTIONS"] += ":dedup_token_length=3"
        stale = 0
        while stale < 5:
            left = int(end - time.monotonic())
            if left < 1:
                break
            step = min(left, 2)
            cand = os.path.join(w, "cand.lf")
            if os.path.exists(cand):
                os.unlink(cand)
            subprocess.run(
                ["timeout", "-k", "1", str(step + 3), exe,
                 "-minimize_crash_internal_step=1",
                 "-max_total_time=%d" % step, "-timeout=%d" % rt,
                 "-exact_artifact_path=" + cand, cur],
                cwd=w, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                env=env, check=False)
            if adopt(cand):
                stale = 0
                minimizer = {"none": "libfuzzer",
                             "afl-tmin": "afl-tmin+libfuzzer"}.get(
                                 minimizer, minimizer)
            else:
                stale += 1
        return cur, minimizer

    def _is_known(self, key):
        if not self.opts.known:
            return False
        try:
            with open(self.opts.known) as f:
                return any(line.strip() == key for line in f)
        except OSError:
            return False

    # unreproducible inputs -----------------------------------------------------

    def history_replay(self, item):
        """For an AFL++ crash: replay up to HISTORY_ENTRIES queue entries
        that the instance had before the crash, then the crash, in one
        process, as persistent mode ran them. (fault or None, entries)."""
        if item.engine != "afl":
            return None, 0
        inst = os.path.dirname(os.path.dirname(item.path))
        m = _AFL_TIME.search(os.path.basename(item.path))
        limit = int(m.group(1)) if m else None
        queue = []
        for q in glob.glob(os.path.join(inst, "queue", "id:*")):
            if not os.path.isfile(q):
                continue
            qt = _AFL_TIME.search(os.path.basename(q))
            if limit is not None and qt and int(qt.group(1)) > limit:
                continue
            qi = _AFL_ID.search(os.path.basename(q))
            queue.append((int(qi.group(1)) if qi else 0, q))
        queue = [q for _, q in sorted(queue)][-HISTORY_ENTRIES:]
        if not queue:
            return None, 0
        r = replay.run("guard", item.target, queue + [item.path],
                       self.opts.replay_timeout, env=self.opts.env())
        return (r.fault if r.faulted else None), len(queue)

    def engine_build_replay(self, item):
        """Replay on the build the engine ran (AFL++: build/afl or
        build/afl-asan; libFuzzer: build/fuzz/<t>_smart and <t>): the fault
        type, or None."""
        inst = os.path.basename(os.path.dirname(os.path.dirname(item.path)))
        if item.engine == "afl":
            rels = ["build/afl-asan/" + item.target] if "asan" in inst \
                else ["build/afl/" + item.target]
        elif item.engine == "libfuzzer":
            rels = ["build/fuzz/%s_smart" % item.target,
                    "build/fuzz/" + item.target]
        else:
            return None
        for rel in rels:
            exe = paths.root_path(rel)
            if not os.access(exe, os.X_OK):
                continue
            env = replay.sanitizer_env()
            p = subprocess.run(
                ["timeout", "-k", "2", str(self.opts.replay_timeout + 5),
                 exe, item.path], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env,
                check=False)
            if p.returncode != 0:
                rep = p.stderr.decode("utf-8", "replace")
                f = signature.parse(rep, item.target)
                return "%s: %s" % (rel, f.type if f else
                                   "exit %d" % p.returncode)
        return None

    # one input -----------------------------------------------------------------

    def triage(self, item):
        """Triage one input; a record (dict) of what happened."""
        w = self._wdir()
        size = os.path.getsize(item.path)
        rec = {"path": item.path, "target": item.target,
               "engine": item.engine, "sha1": sha1_file(item.path),
               "size": size}
        fault, agree, report, runs, seen = self.identify(item.target,
                                                          item.path)
        if fault is None or agree < 2:
            return self.file_unreproducible(item, rec, fault, report, seen,
                                            runs)
        rec.update(self.file_reproducible(item, rec, fault, agree, report,
                                          runs, w))
        return rec

    def counted(self, fault):
        if fault.type == "timeout":
            return self.opts.timeout_is_finding
        if fault.type == "out-of-memory":
            return self.opts.oom_is_finding
        return True

    def file_reproducible(self, item, rec, fault, agree, report, runs, w):
        fid = fault.id
        size = rec["size"]
        sensors = self.sensor_faults(item.target, item.path)
        guard_line = None
        m = re.search(r"chanfuzz-guard: .*", report)
        if m:
            guard_line = m.group(0)
        asan_report = None
        sanitizer_type = None
        if fault.root_cause is not None:
            r = replay.run("asan", item.target, item.path,
                           self.opts.replay_timeout)
            if r.faulted:
                asan_report = r.report
                sanitizer_type = r.fault.type
        verdict = "dup"
        minsize = size
        if not self.store.exists(fid):
            minimizer = "none"
            minimized = item.path
            if self.opts.minimize and fault.type != "timeout":
                with open(os.path.join(w, "minimize.log"), "w") as log:
                    minimized, minimizer = self.minimize(
                        item, fault,
                        fault.root_cause is not None and
                        sanitizer_type is None, w, log)
            minsize = os.path.getsize(minimized)
            now = now_iso()
            meta = {
                "signature": fid,
                "target": item.target,
                "targets": [item.target],
                "crash_type": fault.type,
                "frames": fault.frames,
                "root_cause": fault.root_cause,
                "content": fault.content,
                "sanitizer_type": sanitizer_type,
                "sensor_builds": sorted(sensors),
                "sensor_faults": sensors,
                "first_seen": now,
                "last_seen": now,
                "times_seen": 1,
                "input_size": size,
                "input_sizes": [size],
                "input_sha1": rec["sha1"],
                "minimized_size": minsize,
                "minimizer": minimizer,
                "source": item.path,
                "sources": [item.path],
                "engine": item.engine,
                "replay": {"variant": "asan+guard", "runs": runs,
                           "same_signature": agree},
                "guard_finding": guard_line,
                "flaky": False,
                "counted_as_finding": self.counted(fault),
            }
            files = {"input": item.path, "minimized": minimized,
                     "report.txt": report.encode()}
            if asan_report:
                files["report-asan.txt"] = asan_report.encode()
            if self.store.create(fid, files, meta):
                verdict = "new"
        if verdict == "dup":
            meta = self.store.meta(fid) or {}
            minsize = meta.get("minimized_size", size)
        return {"verdict": verdict, "folder": fid, "id": fid,
                "type": fault.type, "root_cause": fault.root_cause,
                "minsize": minsize, "counted": self.counted(fault)}

    def file_unreproducible(self, item, rec, fault, report, seen, runs):
        summary, efault = engine_fault(item)
        if summary == "file":
            summary = ("replay: " + fault.type) if fault is not None \
                else "no fault reproduced"
        key = "unreproducible\n%s\n%s\n" % (item.target, summary)
        gid = hashlib.sha1(key.encode()).hexdigest()[:12]
        folder = "flaky-" + gid
        history, nhist = self.history_replay(item)
        engine_build = self.engine_build_replay(item)
        verdict = "flaky-dup"
        if not self.store.exists(folder):
            now = now_iso()
            meta = {
                "signature": gid,
                "group": True,
                "target": item.target,
                "targets": [item.target],
                "crash_type": "unreproducible: " + summary,
                "frames": [],
                "engine_fault": summary,
                "engine_report_type": efault.type if efault else None,
                "replay": {"variant": "asan+guard", "runs": runs,
                           "same_signature": 1 if fault is not None else 0,
                           "seen": [f.type for f in seen]},
                "history_replay": None if nhist == 0 else {
                    "entries": nhist,
                    "fault": history.type if history else None,
                    "signature": history.id if history else None},
                "engine_build_replay": engine_build,
                "sensor_builds": [],
                "first_seen": now,
                "last_seen": now,
                "times_seen": 1,
                "input_size": rec["size"],
                "input_sha1": rec["sha1"],
                "minimized_size": rec["size"],
                "minimizer": "none",
                "source": item.path,
                "sources": [item.path],
                "engine": item.engine,
                "examples": [os.path.basename(item.path)],
                "guard_finding": None,
                "flaky": True,
                "counted_as_finding": False,
            }
            files = {"input": item.path, "minimized": item.path,
                     "examples/" + _safe_name(item.path): item.path}
            if report:
                files["report.txt"] = report.encode()
            if self.store.create(folder, files, meta):
                verdict = "flaky"
        rec.update({"verdict": verdict, "folder": folder, "id": gid,
                    "type": "unreproducible: " + summary,
                    "root_cause": None, "minsize": rec["size"],
                    "counted": False,
                    "history": history.type if history else None,
                    "engine_build": engine_build})
        return rec


def _safe_name(path):
    b = os.path.basename(path)
    return re.sub(r"[^A-Za-z0-9._,:+-]", "_", b)[:120] or "input"


# ---- quick grouping of many inputs -------------------------------------------


def quick_key(target, path, timeout, env=None):
    """A cheap key of the first fault an input meets on the identity build,
    unsymbolised: for a content fault its root cause; otherwise the error
    lines (addresses and pids removed) and the module offsets of the first
    stack's top 8 frames. Two inputs with one key cannot differ in
    identity; None when the input does not fault."""
    r = replay.run("guard", target, path, timeout, symbolize=False, env=env)
    if not r.faulted:
        return None
    if r.fault.root_cause:
        return "content:" + r.fault.root_cause
    key = []
    heads = 0
    nframes = 0
    started = False
    for line in r.report.splitlines():
        if heads < 3 and re.search(r"ERROR: |runtime error|chanfuzz-"
                                   r"(harness|guard|replay)|"
                                   r"^(READ|WRITE) of size", line):
            line = re.sub(r"0x[0-9a-fA-F]+", "", line)
            line = re.sub(r"==[0-9]+==", "", line)
            key.append(line)
            heads += 1
        m = re.match(r"^\s*#(\d+) 0x", line)
        if m:
            if m.group(1) == "0" and started:
                break
            started = True
            off = re.search(r"\+0x[0-9a-f]+\)", line)
            if off and nframes < 8:
                key.append(off.group(0))
                nframes += 1
    if heads == 0 or nframes == 0:
        return None
    return "|".join(key)


def run_items(items, opts, out=sys.stdout, record=None):
    """Triage items; print one line per input; returns the records."""
    tri = Triage(opts)
    records = [None] * len(items)
    order = sorted(range(len(items)),
                   key=lambda i: (os.path.getsize(items[i].path),
                                  items[i].path))
    reps = order
    same = {}
    try:
        if not opts.full and len(items) > 1:
            keyrep = {}
            reps = []
            for i in order:
                k = quick_key(items[i].target, items[i].path,
                              opts.replay_timeout, opts.env(False))
                if k is not None:
                    k = items[i].target + "\n" + k
                if k is not None and k in keyrep:
                    same[i] = keyrep[k]
                else:
                    if k is not None:
                        keyrep[k] = i
                    reps.append(i)
        # The smallest first, alone: it builds what the others need.
        if reps:
            records[reps[0]] = tri.triage(items[reps[0]])
            _emit(records[reps[0]], out, record)
        with concurrent.futures.ThreadPoolExecutor(
                max_workers=max(1, opts.jobs)) as ex:
            futs = {ex.submit(tri.triage, items[i]): i for i in reps[1:]}
            for fut in concurrent.futures.as_completed(futs):
                i = futs[fut]
                records[i] = fut.result()
                _emit(records[i], out, record)
        for i, rep in sorted(same.items()):
            r = records[rep]
            rec = {"path": items[i].path, "target": items[i].target,
                   "engine": items[i].engine,
                   "sha1": sha1_file(items[i].path),
                   "size": os.path.getsize(items[i].path),
                   "verdict": "dup" if r["verdict"] in ("new", "dup")
                   else "flaky-dup",
                   "folder": r["folder"], "id": r["id"], "type": r["type"],
                   "root_cause": r.get("root_cause"),
                   "minsize": r["minsize"], "counted": r["counted"],
                   "same_as": items[rep].path}
            records[i] = rec
            _emit(rec, out, record)
    finally:
        tri.close()
    return records


def _emit(rec, out, record):
    verdict = rec["verdict"]
    word = "flaky" if verdict.startswith("flaky") else verdict
    out.write("%s %s %s %s %d->%d\n" % (word, rec["id"], rec["type"],
                                        rec["target"], rec["size"],
                                        rec["minsize"]))
    out.flush()
    if record is not None:
        record.write(json.dumps(rec) + "\n")
        record.flush()


# ---- command line --------------------------------------------------------------


def _posint(s):
    if not re.fullmatch(r"[1-9][0-9]{0,5}", s):
        raise argparse.ArgumentTypeError(
            "wants a positive integer, not '%s'" % s)
    return int(s)


def _yes_no(s):
    if s not in ("yes", "no"):
        raise argparse.ArgumentTypeError("wants yes or no, not '%s'" % s)
    return s == "yes"


def register(sub):
    q = sub.add_parser(
        "target-of", help="the fuzz target recorded for an input file",
        description="Print the target of FILE: from AFL++'s fuzzer_stats, "
        "a .target file, a folder named after the target (corpus/"
        "regression/<t>/, a campaign's lf/<t>/ ...), a crash folder's "
        "meta.json that names the file, or the file name's prefix. Exit 1 "
        "when none says.")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--crashes", help="the crash store to look in")
    q.set_defaults(func=main_target_of)
    p = sub.add_parser(
        "triage", help="replay, name, minimise and file crashing inputs",
        description=__doc__.split("\n\n")[0])
    p.add_argument("--target", help="the fuzz target of every input")
    p.add_argument("--out", default=paths.root_path("crashes"),
                   help="the crash store (default crashes/)")
    p.add_argument("--no-minimize", dest="minimize", action="store_false")
    p.add_argument("--minimize-time", type=_posint, default=30,
                   metavar="SEC")
    p.add_argument("--replay-timeout", type=_posint, default=10,
                   metavar="SEC")
    p.add_argument("--oom-is-finding", type=_yes_no, default=True,
                   metavar="yes|no")
    p.add_argument("--timeout-is-finding", type=_yes_no, default=False,
                   metavar="yes|no")
    p.add_argument("--jobs", type=_posint, default=1,
                   help="inputs triaged at once")
    p.add_argument("--full", action="store_true",
                   help="triage every input, even one whose raw fault "
                   "equals another's")
    p.add_argument("--known", metavar="FILE",
                   help="root causes known to the fuzzers (one key a "
                   "line): replays refuse their reads, so that an input "
                   "is named by its first fault that is not known")
    p.add_argument("--record", metavar="FILE",
                   help="append one JSON line per input to FILE")
    p.add_argument("inputs", nargs="+", metavar="INPUT")
    p.set_defaults(func=main)


def main_target_of(args):
    if not os.path.exists(args.file):
        print("target-of: %s: no such file" % args.file, file=sys.stderr)
        return 2
    t = infer_target(os.path.realpath(args.file), args.crashes)
    if not t or t not in targets.TARGETS:
        return 1
    print(t)
    return 0


def main(args):
    if args.target and args.target not in targets.TARGETS:
        print("triage: unknown target '%s' (one of: %s)" %
              (args.target, " ".join(targets.TARGETS)), file=sys.stderr)
        return 2
    for tool in ("flock", "timeout"):
        if shutil.which(tool) is None:
            print("triage: %s is not installed (make deps)" % tool,
                  file=sys.stderr)
            return 2
    try:
        items = collect(args.inputs, args.target)
    except UsageError as e:
        print("triage: %s" % e, file=sys.stderr)
        return 2
    if not items:
        return 0
    need = sorted({i.target for i in items})
    sensors = [targets.sensor_target(b) for b in targets.SENSORS]
    missing = replay.ensure_built("guard", sorted(set(need + sensors)))
    if any(t in missing for t in need):
        for t in need:
            if t in missing:
                print("triage: %s/%s is not built" %
                      (replay.variant_dir("guard"), t), file=sys.stderr)
        return 2
    replay.ensure_built("asan", need)
    os.makedirs(args.out, exist_ok=True)
    opts = Options(os.path.realpath(args.out), args.minimize,
                   args.minimize_time, args.replay_timeout,
                   args.oom_is_finding, args.timeout_is_finding, args.jobs,
                   args.full, args.known)
    rec = open(args.record, "a") if args.record else None
    try:
        run_items(items, opts, record=rec)
    except (OSError, store.LockTimeout) as e:
        print("triage: %s; the inputs after it are not filed" % e,
              file=sys.stderr)
        return 1
    finally:
        if rec:
            rec.close()
    return 0
