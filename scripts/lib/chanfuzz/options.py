"""The campaign's options (scripts/campaign.sh --help, campaign.py's
docstring): parsed by hand so that the messages and the `--opt=value`
form stay those of the bash script; every error is a UsageError (exit 2).
"""
import re

from chanfuzz import targets
from chanfuzz.cli import UsageError

VALUED = ("--budget", "--jobs", "--targets", "--out", "--resume",
          "--sync-dir", "--role", "--crashes", "--minimize-time",
          "--sync-interval", "--engines")
FLAGS = ("--full-triage", "--no-suppress")
KEEP_ON_RESUME = ("--targets", "--out", "--sync-dir", "--role",
                  "--sync-interval", "--engines")
MAX_BUDGET = 30 * 86400


class Options:
    """The words of the command line: VALUED options by name without
    the dashes (budget, sync_dir, ...), None when not given; the flags
    as booleans; help."""

    def __init__(self):
        for o in VALUED:
            setattr(self, _attr(o), None)
        self.full_triage = self.no_suppress = self.help = False


def _attr(option):
    return option[2:].replace("-", "_")


def parse_duration(v):
    """Seconds of a DURATION (90s, 5m, 1h30m, 2d, or plain seconds);
    None when it is not one or is not in 1 s .. 30 d."""
    if re.fullmatch(r"[0-9]{1,7}", v):
        v += "s"
    if not re.fullmatch(r"([0-9]{1,7}[smhd])+", v):
        return None
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    total = sum(int(n) * unit[u] for n, u in re.findall(r"([0-9]+)([smhd])",
                                                          v))
    return total if 0 < total <= MAX_BUDGET else None


def parse_engines(v):
    """The engines of a comma list, in canonical order; None if bad."""
    names = v.split(",")
    if any(n not in ("afl", "libfuzzer") for n in names) or \
            len(set(names)) != len(names):
        return None
    return [e for e in ("afl", "libfuzzer") if e in names]


def parse_targets(v):
    names = v.split(",")
    seen = []
    for t in names:
        if not t:
            raise UsageError("--targets '%s': empty name in the list" % v)
        if t not in targets.TARGETS:
            raise UsageError("--targets: unknown target '%s' (one of: %s)" %
                             (t, " ".join(targets.TARGETS)))
        if t in seen:
            raise UsageError("--targets: '%s' given twice" % t)
        seen.append(t)
    return seen


def words(argv):
    """Options of ARGV (no validation of values but emptiness)."""
    o = Options()
    argv = list(argv)
    while argv:
        arg = argv.pop(0)
        if arg.startswith("--") and "=" in arg:
            arg, val = arg.split("=", 1)
            argv.insert(0, val)
        if arg in VALUED:
            if not argv:
                raise UsageError("%s needs a value (try --help)" % arg)
            val = argv.pop(0)
            if not val:
                raise UsageError("%s: empty value" % arg)
            setattr(o, _attr(arg), val)
        elif arg in FLAGS:
            setattr(o, _attr(arg), True)
        elif arg in ("-h", "--help"):
            o.help = True
            return o
        else:
            raise UsageError("unknown option or argument '%s' (try --help)"
                             % arg)
    return o


def _posint(option, v, digits, what):
    if v is not None and not re.fullmatch(r"[1-9][0-9]{0,%d}" % digits, v):
        raise UsageError("%s '%s': want a positive integer%s" % (option, v,
                                                                  what))
    return None if v is None else int(v)


def parse(argv):
    """The validated Options of ARGV: budget (seconds), jobs,
    minimize_time, sync_interval as ints, targets and engines as lists."""
    o = words(argv)
    if o.help:
        return o
    if o.budget is not None:
        b = parse_duration(o.budget)
        if b is None:
            raise UsageError("--budget '%s': want a duration such as 90s, "
                             "5m, 1h or 1h30m (at most 30d)" % o.budget)
        o.budget = b
    o.jobs = _posint("--jobs", o.jobs, 3, "")
    o.minimize_time = _posint("--minimize-time", o.minimize_time, 4,
                              " (seconds)")
    if o.sync_interval is not None:
        if not re.fullmatch(r"[1-9][0-9]{0,4}", o.sync_interval) or \
                int(o.sync_interval) < 5:
            raise UsageError("--sync-interval '%s': want an integer of "
                             "seconds, at least 5" % o.sync_interval)
        o.sync_interval = int(o.sync_interval)
    if o.role is not None and o.role not in ("main", "secondary"):
        raise UsageError("--role '%s': want main or secondary" % o.role)
    _pairs(o)
    if o.targets is not None:
        o.targets = parse_targets(o.targets)
    if o.engines is not None:
        e = parse_engines(o.engines)
        if e is None:
            raise UsageError("--engines '%s': want a comma list of afl and "
                             "libfuzzer, each at most once" % o.engines)
        o.engines = e
    return o


def _pairs(o):
    """The options that go together, or not with --resume."""
    if o.resume is not None:
        for opt in KEEP_ON_RESUME:
            if getattr(o, _attr(opt)) is not None:
                raise UsageError("%s cannot change on --resume (the campaign "
                                 "keeps its own)" % opt)
        return
    if o.sync_dir and not o.role:
        raise UsageError("--sync-dir needs --role main|secondary")
    if o.role and not o.sync_dir:
        raise UsageError("--role needs --sync-dir DIR")
