"""The campaign folder's places (docs/CAMPAIGN.md, "The campaign folder"):
where each engine of a target keeps its corpus, instances and crash
files, the known root causes a fuzzing build is told of, and the event
log (campaign.log and stdout, each line prefixed with [HH:MM:SS])."""
import glob
import os
import re
import socket
import sys
import time

PROG = "campaign.sh"


def warn(message):
    """A warning on stderr, named like the bash script was."""
    sys.stdout.flush()
    print("%s: %s" % (PROG, message), file=sys.stderr, flush=True)


class Failure(Exception):
    """A step failed: the campaign says so and exits 1."""


def host_prefix(pid):
    """The AFL++ instance prefix of this machine in a shared sync dir:
    the short host name (at most 20 of [A-Za-z0-9_-]) and the pid."""
    host = socket.gethostname().split(".")[0]
    host = re.sub(r"[^A-Za-z0-9_-]", "_", host)[:20]
    return "%s-%d" % (host or "host", pid)


class Layout:
    """The places of one campaign folder OUT. sync_dir, role, prefix: the
    shared AFL++ sync dir, this machine's role there and its instance
    prefix (all None without --sync-dir)."""

    def __init__(self, out, sync_dir=None, role=None, prefix=None,
                 suppress=True):
        self.out = out
        self.sync_dir = sync_dir or None
        self.role = role or None
        self.prefix = prefix or None
        self.suppress = suppress

    def path(self, *parts):
        return os.path.join(self.out, *parts)

    def afl_out(self, t):
        """The AFL++ -o folder of target t."""
        if self.sync_dir:
            return os.path.join(self.sync_dir, t)
        return self.path("afl", t)

    def iname(self, role):
        """The AFL++ instance name of a role on this machine."""
        if not self.prefix:
            return role
        if role == "main" and self.role == "secondary":
            role = "lead"
        return "%s-%s" % (self.prefix, role)

    def local_instances(self, t):
        """This machine's AFL++ instance folders of t, sorted."""
        ao = self.afl_out(t)
        pseudo = self.iname("libfuzzer")
        found = []
        for d in sorted(glob.glob(os.path.join(glob.escape(ao), "*/"))):
            d = d.rstrip("/")
            n = os.path.basename(d)
            if n == pseudo:
                continue
            if self.prefix and not n.startswith(self.prefix + "-"):
                continue
            found.append(d)
        return found

    def crash_files(self, t, kind="crash"):
        """The crash (kind crash), hang (hang) or both (all) files of t:
        libFuzzer's artifacts (and the merge's), AFL++'s crashes*/ and
        hangs*/ (an AFL++ resume moves crashes/ to crashes.<date>/)."""
        files = []
        prefixes = []
        if kind != "hang":
            prefixes += ["crash-", "leak-", "oom-"]
        if kind != "crash":
            prefixes += ["timeout-"]
        for d in (self.path("lf", t, "artifacts"),
                  self.path("merge-artifacts", t)):
            files += [p for p in _files(d)
                      if os.path.basename(p).startswith(tuple(prefixes))]
        subs = []
        if kind != "hang":
            subs.append("crashes")
        if kind != "crash":
            subs.append("hangs")
        for inst in self.local_instances(t):
            for sub in subs:
                for d in glob.glob(os.path.join(glob.escape(inst), sub + "*")):
                    files += [p for p in _files(d)
                              if os.path.basename(p).startswith("id:")]
        return files

    def known_env(self, t):
        """The environment that tells t's fuzzing builds its known root
        causes (harness/harness.h): none with --no-suppress."""
        known = self.path("known", t + ".txt")
        env = {"CF_KNOWN_HITS": self.path("known", t + ".hits")}
        if self.suppress and os.path.isfile(known):
            env["CF_KNOWN_FAULTS"] = known
        return env


def _files(d):
    """The regular files directly in d (none when d is missing)."""
    try:
        names = os.listdir(d)
    except OSError:
        return []
    return [os.path.join(d, n) for n in names
            if os.path.isfile(os.path.join(d, n))]


def clock():
    """The time of day for event lines, UTC."""
    return time.strftime("%H:%M:%S", time.gmtime())


class EventLog:
    """Events: a timestamped line on stdout and in campaign.log. On a
    terminal the status line is a bar that the next event clears."""

    def __init__(self, path, tty=None):
        self.path = path
        self.tty = sys.stdout.isatty() if tty is None else tty
        self.bar_shown = False

    def _clear_bar(self):
        if self.tty and self.bar_shown:
            sys.stdout.write("\r\033[K")
            self.bar_shown = False

    def append(self, line):
        with open(self.path, "a", encoding="utf-8") as f:
            f.write(line + "\n")

    def event(self, message):
        line = "[%s] %s" % (clock(), message)
        self._clear_bar()
        print(line, flush=True)
        self.append(line)

    def status(self, line, bar=None):
        """A status line: in campaign.log; on stdout as it is, or as BAR
        (the same with a progress bar, rewritten in place) on a tty."""
        line = "[%s] %s" % (clock(), line)
        self.append(line)
        if self.tty:
            sys.stdout.write("\r\033[K" + (bar or line))
            sys.stdout.flush()
            self.bar_shown = True
        else:
            print(line, flush=True)

    def close(self):
        if self.tty and self.bar_shown:
            sys.stdout.write("\n")
            sys.stdout.flush()
            self.bar_shown = False
