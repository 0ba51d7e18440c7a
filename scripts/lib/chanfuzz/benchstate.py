"""A benchmark run's state (bench.py): the measured tree's id, the work
folder's state files (settings, part.*, section.*, ttb/*/result) and
their copy into a checkpoint, the heartbeat, and the stop on a signal
(every process the run started, however deep)."""
import contextlib
import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

from chanfuzz import paths, store, targets

PROG = "bench.sh"
# What the builds and the method come from (not docs/ or tests/): a
# resumed run must measure the same code. Results and checkpoints are not.
MEASURED_PATHS = ("parsers", "harness", "bench", "tools", "scripts",
                  "Makefile")
NOT_MEASURED = ("bench/results", "bench/runs")


class Fatal(Exception):
    """A failure: the message, exit status 1."""


class Interrupted(BaseException):
    """SIGINT or SIGTERM: exit status 130."""


# ---- the measured tree ---------------------------------------------------
_CRC_TABLE = []
for _i in range(256):
    _c = _i << 24
    for _ in range(8):
        _c = ((_c << 1) ^ 0x04C11DB7) if _c & 0x80000000 else _c << 1
    _CRC_TABLE.append(_c & 0xFFFFFFFF)


def cksum(data):
    """POSIX cksum's CRC of data (bytes), as `cksum | cut -d' ' -f1`."""
    c = 0
    for b in data:
        c = ((c << 8) & 0xFFFFFFFF) ^ _CRC_TABLE[(c >> 24) ^ b]
    n = len(data)
    while n:
        c = ((c << 8) & 0xFFFFFFFF) ^ _CRC_TABLE[(c >> 24) ^ (n & 0xFF)]
        n >>= 8
    return (~c) & 0xFFFFFFFF


def measured_listing(ls_tree):
    """git ls-tree -r output without the lines of what is not measured."""
    skip = tuple("\t%s/" % d for d in NOT_MEASURED)
    return b"".join(line for line in ls_tree.splitlines(keepends=True)
                    if not any(s.encode() in line for s in skip))


def tree_id():
    """'<cksum of the measured files' ids> <cksum of their uncommitted
    diff>': what a resumed run must find again."""
    def git(args):
        p = subprocess.run(["git"] + args, stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL)
        return p.stdout if p.returncode == 0 else b""
    ls = git(["ls-tree", "-r", "HEAD", "--"] + list(MEASURED_PATHS))
    diff = git(["diff", "HEAD", "--"] + list(MEASURED_PATHS) +
               [":(exclude)%s" % d for d in NOT_MEASURED])
    return "%d %d" % (cksum(measured_listing(ls)), cksum(diff))


# ---- a run's state -------------------------------------------------------
def state_files(src):
    """The state files of a work folder or checkpoint, relative to it."""
    out = []
    for pat in ("settings", "part.*", "section.*", "ttb/*/result"):
        for f in sorted(glob.glob(os.path.join(src, pat))):
            if os.path.isfile(f) and ".tmp" not in os.path.basename(f):
                out.append(os.path.relpath(f, src))
    return out


def copy_state(src, dst):
    """A run's state from one folder to another, each new or changed file
    copied beside and renamed in (a trial's result never changes once
    written: copied once). OSError when it cannot."""
    os.makedirs(dst, exist_ok=True)
    for rel in state_files(src):
        s, d = os.path.join(src, rel), os.path.join(dst, rel)
        if os.path.isfile(d):
            if rel.startswith("ttb/"):
                continue
            with open(s, "rb") as a, open(d, "rb") as b:
                if a.read() == b.read():
                    continue
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copyfile(s, d + ".tmp")
        os.replace(d + ".tmp", d)


def parts_summary(texts):
    """(duration rounded, number of parts, the first part's load) of the
    part files' texts ('start last-sign-of-life load1 load5 load15')."""
    rows = [t.split() for t in texts if t.split()]
    total = sum(float(r[1]) - float(r[0]) for r in rows)
    first = min(rows, key=lambda r: float(r[0])) if rows else []
    return int("%.0f" % total), len(rows), " ".join(first[2:])


def section_state_load(work, name):
    with open(os.path.join(work, "section." + name)) as f:
        return json.load(f)


# ---- the run ---------------------------------------------------------------
def note(msg):
    sys.stdout.flush()
    print("%s: %s" % (PROG, msg), file=sys.stderr, flush=True)


def load_avg():
    """The load averages ($CF_BENCH_LOADAVG: another file in the tests)."""
    try:
        with open(os.environ.get("CF_BENCH_LOADAVG") or "/proc/loadavg") as f:
            return " ".join(f.read().split(" ")[:3]).strip()
    except OSError:
        return ""


def children_of(pids):
    """The processes whose parent is one of pids (from /proc)."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if ppid in pids:
            out.append(int(d))
    return out


def stop_children():
    """Stop every process this one started, however deep: each level is
    frozen before its children are listed (so none escapes by forking),
    then all get SIGTERM and run on to handle it."""
    frozen, level = [], children_of({os.getpid()})
    for _ in range(16):
        if not level:
            break
        got = set()
        for p in level:
            try:
                os.kill(p, signal.SIGSTOP)
            except OSError:
                continue
            frozen.append(p)
            got.add(p)
        level = children_of(got) if got else []
    for sig in (signal.SIGTERM, signal.SIGCONT):
        for p in frozen:
            with contextlib.suppress(OSError):
                os.kill(p, sig)


class Run:
    """One run (or resumed part): its settings, work folder and state."""

    def __init__(self, st, work, zoo, keep):
        self.root = paths.ROOT
        self.st, self.work, self.zoo, self.keep = st, work, zoo, keep
        self.seeds = os.path.join(work, "seeds")
        self.targets = list(targets.TARGETS)
        self.mut = {t.name: t.mutator for t in targets.load()}
        self.nproc = len(os.sched_getaffinity(0))
        self.checkpoint = st["checkpoint"]
        self.stopping = threading.Event()
        self.part = os.path.join(work, "part.%d" % time.time_ns())
        self.part_start = time.time()
        self.part_load = load_avg()
        self._critical, self._pending = 0, None
        self.finished = False

    note = staticmethod(note)

    @staticmethod
    def shown(path):
        return paths.shown(os.path.abspath(path))

    @staticmethod
    def die(msg):
        raise Fatal(msg)

    @staticmethod
    def note_tail(path, n):
        try:
            with open(path, "rb") as f:
                lines = f.read().decode("utf-8", "replace").splitlines()
        except OSError:
            return
        sys.stderr.write("==> %s <==\n%s\n" % (path, "\n".join(lines[-n:])))

    # Signals: a stop in a critical part (a state file being renamed in)
    # waits for its end.
    @contextlib.contextmanager
    def critical(self):
        self._critical += 1
        try:
            yield
        finally:
            self._critical -= 1
            if not self._critical and self._pending:
                self._stop()

    def on_signal(self, signum, frame):
        if self._critical:
            self._pending = signum
            return
        self._stop()

    def _stop(self):
        for s in (signal.SIGINT, signal.SIGTERM):
            signal.signal(s, signal.SIG_IGN)
        self.stopping.set()
        stop_children()
        raise Interrupted()

    def alive(self):
        """The part file (start, last sign of life, load at the start),
        and the state into the checkpoint."""
        with self.critical():
            store.atomic_write(self.part, "%.9f %.9f %s\n" % (
                self.part_start, time.time(), self.part_load))
            if self.checkpoint:
                try:
                    copy_state(self.work, self.checkpoint)
                    mark = os.path.join(self.checkpoint, ".checkpoint")
                    if not os.path.isfile(mark):
                        open(mark, "w").close()
                except OSError:
                    note("checkpoint %s: cannot write it" % self.checkpoint)

    def section(self, name, fn):
        """A section's results: kept from before a resume, or measured
        and saved (WORK/section.NAME, JSON)."""
        path = os.path.join(self.work, "section." + name)
        if os.path.isfile(path):
            note("%s: kept from before the resume" % name)
            return section_state_load(self.work, name)
        res = fn(self)
        with self.critical():
            store.atomic_write(path, json.dumps(res, indent=1) + "\n")
        self.alive()
        return res

    def cleanup(self):
        self.stopping.set()  # a trial stopped now writes no result
        stop_children()
        if self.finished:
            if not self.keep:
                shutil.rmtree(self.work, ignore_errors=True)
        elif os.path.isdir(os.path.join(self.work, "ttb")) or \
                glob.glob(os.path.join(self.work, "section.*")):
            self.alive()
            note("unfinished: resume with scripts/bench.sh --resume %s" %
                 self.shown(self.work))
            if self.checkpoint:
                note("(or elsewhere, from a clone of the same code: "
                     "scripts/bench.sh --resume %s)" %
                     self.shown(self.checkpoint))
        elif not self.keep:
            shutil.rmtree(self.work, ignore_errors=True)
