"""Corpus sharing between the engines (docs/CAMPAIGN.md, "Corpus
sharing"), every --sync-interval seconds, in a background thread:

- AFL++ -> libFuzzer: new queue entries of every instance (not those
  AFL++ synced in from another: ",sync:" in the name) are copied into
  OUT/lf/<t>/corpus/afl-<instance>/ (libFuzzer reads its corpus folder
  recursively and reloads it); each file is written beside and renamed in;
- libFuzzer -> AFL++: the -M instance reads the libFuzzer corpus itself
  (afl-fuzz -F, engines.py); without one here (--role secondary) new
  top-level corpus files go into a pseudo-instance's queue
  (OUT/afl/<t>/<prefix-libfuzzer>/queue/id:NNNNNN,src:libfuzzer,name:<sha1>)
  from which every AFL++ instance syncs.
Files written in the last 2 s may still be being written: the next
exchange takes them. sync/<t>/imported and exported list what was done.
"""
import glob
import os
import shutil
import threading
import time

from chanfuzz import store
from chanfuzz.layout import clock, warn

SETTLE = 2


def _listing(path):
    try:
        with open(path) as f:
            return set(f.read().split("\n")) - {""}
    except OSError:
        return set()


def _save_listing(path, names):
    store.atomic_write(path, "".join(n + "\n" for n in sorted(names)))


def _settled(path, now):
    try:
        return os.path.getmtime(path) <= now - SETTLE
    except OSError:
        return False


def afl_to_lf(layout, t, now):
    """Copy new AFL++ queue entries of t into the libFuzzer corpus; how
    many."""
    ao, lfc = layout.afl_out(t), layout.path("lf", t, "corpus")
    sd = layout.path("sync", t)
    pseudo = os.path.join(ao, layout.iname("libfuzzer"))
    done = _listing(os.path.join(sd, "imported"))
    new = sorted(p for p in glob.glob(os.path.join(glob.escape(ao), "*",
                                                   "queue", "id:*"))
                 if ",sync:" not in os.path.basename(p)
                 and not p.startswith(pseudo + "/") and p not in done
                 and os.path.isfile(p) and _settled(p, now))
    for p in new:
        inst = os.path.basename(os.path.dirname(os.path.dirname(p)))
        dst = os.path.join(lfc, "afl-" + inst)
        os.makedirs(dst, exist_ok=True)
        tmp = os.path.join(sd, ".in")
        shutil.copyfile(p, tmp)
        os.replace(tmp, os.path.join(dst, os.path.basename(p)))
    if new:
        _save_listing(os.path.join(sd, "imported"), done | set(new))
    return len(new)


def lf_to_afl(layout, t, now):
    """Copy new libFuzzer corpus files of t into the pseudo-instance's
    queue; how many."""
    lfc, sd = layout.path("lf", t, "corpus"), layout.path("sync", t)
    q = os.path.join(layout.afl_out(t), layout.iname("libfuzzer"), "queue")
    os.makedirs(q, exist_ok=True)
    done = _listing(os.path.join(sd, "exported"))
    new = sorted(n for n in os.listdir(lfc) if not n.startswith(".")
                 and n not in done and os.path.isfile(os.path.join(lfc, n))
                 and _settled(os.path.join(lfc, n), now))
    k = len([n for n in os.listdir(q) if n.startswith("id:")])
    for n in new:
        tmp = os.path.join(sd, ".out")
        shutil.copyfile(os.path.join(lfc, n), tmp)
        os.replace(tmp, os.path.join(q, "id:%06d,src:libfuzzer,name:%s" %
                                     (k, n)))
        k += 1
    if new:
        _save_listing(os.path.join(sd, "exported"), done | set(new))
    return len(new)


def sync_target(c, t):
    """One exchange between the engines' corpora of t."""
    os.makedirs(c.layout.path("sync", t), exist_ok=True)
    now = time.time()
    imp = afl_to_lf(c.layout, t, now)
    exp = 0 if c.foreign(t) else lf_to_afl(c.layout, t, now)
    if imp or exp:
        c.log.append("[%s] sync %s: %d AFL++ entries -> libFuzzer, %d "
                     "libFuzzer files -> AFL++" % (clock(), t, imp, exp))


class Exchanger:
    """One exchange at a time, in the background."""

    def __init__(self, c):
        self.c = c
        self.thread = None

    def _run(self, targets):
        for t in targets:
            try:
                sync_target(self.c, t)
            except OSError as e:
                warn("a corpus exchange failed: %s" % e)

    def start(self, targets):
        if self.thread and self.thread.is_alive():
            return
        self.wait()
        if targets:
            self.thread = threading.Thread(target=self._run,
                                           args=(list(targets),), daemon=True)
            self.thread.start()

    def wait(self):
        if self.thread:
            self.thread.join()
            self.thread = None

    def now(self, targets):
        self.wait()
        self._run(targets)
