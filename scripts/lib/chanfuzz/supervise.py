"""Running the campaign's processes (docs/CAMPAIGN.md, "Supervision"):

- every fuzzer and every finishing tool runs in its own session, so its
  own process group: stopping it is SIGTERM to the group, a grace (10 s),
  then SIGKILL to the group; nothing it started survives it;
- OUT/pids.tsv lists the fuzzers running now (pid, start time in clock
  ticks, kind, target, role): a run killed with SIGKILL leaves them
  behind, and the next run stops those whose pid still has the same start
  time (a reused pid is someone else's process);
- OUT/.lock: one runner per campaign folder (flock); the descriptor is
  not inherited, so a leftover fuzzer does not hold it.
"""
import fcntl
import os
import signal
import subprocess
import time

from chanfuzz.layout import warn

GRACE = 10        # seconds between SIGTERM and SIGKILL


class Interrupted(Exception):
    """SIGINT or SIGTERM arrived (signal number in .signum)."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def start(cmd, log=None, env=None, cwd=None, nice=0, append=True,
          err=None):
    """Start CMD in a session of its own, stdin /dev/null, stdout and
    stderr to LOG (a path: appended to, or truncated without APPEND), or
    to /dev/null; stderr to ERR (appended) when given; the Popen."""
    mode = "ab" if append else "wb"
    out = open(log, mode) if log else subprocess.DEVNULL
    errf = open(err, "ab") if err else subprocess.STDOUT
    try:
        if nice:
            cmd = ["nice", "-n", str(nice)] + list(cmd)
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out,
                                stderr=errf, env=env, cwd=cwd,
                                start_new_session=True)
    finally:
        for f in (out, errf):
            if hasattr(f, "close"):
                f.close()


def _signal_group(pid, sig):
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass


def alive(pid):
    """True while PID runs (a zombie does not)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(") ", 1)[1][:1] != "Z"
    except (OSError, IndexError):
        return False


def stop(procs, grace=GRACE):
    """Stop PROCS (Popen objects, or pids of processes not ours): SIGTERM
    to each one's process group, SIGKILL to the groups still there after
    GRACE seconds; children of ours are reaped."""
    procs = [p for p in procs if p is not None]
    for p in procs:
        _signal_group(_pid(p), signal.SIGTERM)
    end = time.monotonic() + grace
    while time.monotonic() < end and any(_running(p) for p in procs):
        time.sleep(0.1)
    for p in procs:
        if _running(p):
            warn("pid %d did not stop within %ds: SIGKILL" % (_pid(p), grace))
            _signal_group(_pid(p), signal.SIGKILL)
    for p in procs:
        if isinstance(p, subprocess.Popen):
            p.wait()


def _pid(p):
    return p.pid if isinstance(p, subprocess.Popen) else p


def _running(p):
    if isinstance(p, subprocess.Popen):
        return p.poll() is None
    return alive(p)


def run(cmd, log=None, env=None, cwd=None, timeout=None, append=True,
        err=None):
    """Run CMD to its end like start; its exit status (124 when it ran
    past TIMEOUT seconds and was stopped). An exception (Interrupted)
    while it runs stops it first."""
    p = start(cmd, log, env, cwd, append=append, err=err)
    try:
        p.wait(timeout)
        return p.returncode
    except subprocess.TimeoutExpired:
        stop([p])
        return 124
    except BaseException:
        stop([p], grace=3)
        raise


def starttime(pid):
    """PID's start time in clock ticks (/proc/PID/stat field 22), or
    None when there is no such process."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(") ", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


class PidFile:
    """OUT/pids.tsv: pid, start time, kind, target, role of each fuzzer
    running now."""

    def __init__(self, path):
        self.path = path

    def register(self, pid, kind, target, role):
        with open(self.path, "a", encoding="utf-8") as f:
            f.write("%d\t%s\t%s\t%s\t%s\n" % (pid, starttime(pid) or "",
                                              kind, target, role))

    def clear(self):
        open(self.path, "w").close()

    def leftovers(self):
        """(pid, kind, target, role) of the listed processes that still
        run with their recorded start time."""
        try:
            with open(self.path, encoding="utf-8") as f:
                rows = [ln.rstrip("\n").split("\t") for ln in f]
        except OSError:
            return []
        live = []
        for r in rows:
            if len(r) < 5 or not r[0].isdigit():
                continue
            pid = int(r[0])
            if r[1] and starttime(pid) == r[1] and alive(pid):
                live.append((pid, r[2], r[3], r[4]))
        return live

    def kill_leftovers(self, event):
        """Stop the fuzzers a killed run left behind; EVENT says which."""
        live = self.leftovers()
        for pid, kind, t, role in live:
            event("stopping a leftover %s (%s %s, pid %d) of the killed run"
                  % (kind, t, role, pid))
        stop([pid for pid, _, _, _ in live])
        if os.path.exists(self.path):
            self.clear()


def lock(directory, timeout=15):
    """An exclusive flock on DIRECTORY/.lock (its descriptor, kept open
    for the process's life and not inherited), or None when another
    holds it for TIMEOUT seconds."""
    fd = os.open(os.path.join(directory, ".lock"),
                 os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_CLOEXEC, 0o644)
    end = time.monotonic() + timeout
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            if time.monotonic() >= end:
                os.close(fd)
                return None
            time.sleep(0.2)
