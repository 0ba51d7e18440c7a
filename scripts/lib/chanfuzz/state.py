"""A campaign's state.json (docs/CAMPAIGN.md, "Resume"): its options, its
start time, the fuzzing time elapsed (in all and per target), its phase
(fuzzing, finishing, done) and the number of runs. Rewritten atomically
every 5 s while fuzzing, so a campaign killed even with SIGKILL resumes
where it was; `--resume` reads it back."""
import json
import os
import socket

from chanfuzz import store

VERSION = 1
ENGINES = ("afl", "libfuzzer")


class StateError(ValueError):
    """state.json is not a campaign state file (or damaged)."""


now_iso = store.now_iso


class State:
    """The fields of state.json, as attributes of the same names."""

    def __init__(self, **kw):
        self.created = kw.get("created") or now_iso()
        self.budget_s = kw.get("budget_s", 300)
        self.elapsed_s = kw.get("elapsed_s", 0)
        self.phase = kw.get("phase", "fuzzing")
        self.runs = kw.get("runs", 1)
        self.jobs = kw.get("jobs", 1)
        self.targets = list(kw.get("targets") or [])
        self.engines = list(kw.get("engines") or ENGINES)
        self.crashes = kw.get("crashes")
        self.minimize_time = kw.get("minimize_time", 30)
        self.sync_interval = kw.get("sync_interval", 60)
        self.sync_dir = kw.get("sync_dir") or None
        self.role = kw.get("role") or None
        self.prefix = kw.get("prefix") or None
        self.previous = kw.get("previous") or None
        self.suppress = kw.get("suppress") is not False
        self.full_triage = kw.get("full_triage") is True
        self.target_seconds = dict(kw.get("target_seconds") or {})

    def to_json(self, pid=None, host=None):
        return {
            "version": VERSION, "created": self.created,
            "updated": now_iso(), "host": host or socket.gethostname(),
            "suppress": self.suppress, "full_triage": self.full_triage,
            "pid": pid or os.getpid(),
            "budget_s": self.budget_s, "elapsed_s": self.elapsed_s,
            "phase": self.phase, "runs": self.runs, "jobs": self.jobs,
            "targets": self.targets, "engines": self.engines,
            "crashes": self.crashes, "minimize_time": self.minimize_time,
            "sync_interval": self.sync_interval, "sync_dir": self.sync_dir,
            "role": self.role, "prefix": self.prefix,
            "previous": self.previous,
            "target_seconds": {t: self.target_seconds.get(t, 0)
                               for t in self.targets},
        }

    def save(self, path):
        store.atomic_write(path, json.dumps(self.to_json(), indent=2) + "\n")


def load(path):
    """The State of state.json at PATH; StateError if it is none."""
    try:
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        raise StateError("%s: not a campaign state file (or damaged)" %
                         path) from e
    if not isinstance(d, dict) or d.get("version") != VERSION:
        raise StateError("%s: not a campaign state file (or damaged)" % path)
    try:
        st = State(**d)
        st.budget_s, st.elapsed_s = int(st.budget_s), int(st.elapsed_s)
        st.jobs, st.runs = int(st.jobs), int(st.runs)
        st.minimize_time = int(st.minimize_time)
        st.sync_interval = int(st.sync_interval)
    except (TypeError, ValueError) as e:
        raise StateError("%s: not a campaign state file (or damaged)" %
                         path) from e
    if not st.targets or any(e not in ENGINES for e in st.engines):
        raise StateError("%s: bad targets or engines list" % path)
    st.engines = [e for e in ENGINES if e in st.engines]
    return st


def resume_phase(st, budget):
    """The phase a resumed campaign with budget BUDGET goes on with, or
    None when it has finished and BUDGET gives it nothing more to fuzz.
    A finished or finishing campaign given more budget fuzzes on."""
    if st.phase == "done":
        return None if budget <= st.elapsed_s else "fuzzing"
    if st.phase == "finishing" and budget > st.elapsed_s:
        return "fuzzing"
    return st.phase
