"""The fuzz targets: harness/targets.tsv, the one list of them
(docs/HARNESS.md, "Targets"), which the Makefile, the shell scripts
(scripts/targets.sh) and scripts/build.sh read too. One line per target,
six columns separated by one tab: name, source, input, sensor, mutator,
defines ("-" where a column is empty); "#" starts a comment line."""
import collections
import re

from chanfuzz import paths

COLUMNS = ("name", "source", "input", "sensor", "mutator", "defines")
MUTATORS = ("channel", "regex", "none")

Target = collections.namedtuple("Target", COLUMNS)
Target.__doc__ = """One fuzz target. sensor is None for none; defines is a
tuple of preprocessor flags (empty for none)."""

_NAME = re.compile(r"[a-z][a-z0-9_]*\Z")
_SOURCE = re.compile(r"[a-z][a-z0-9_]*\.c\Z")
_WORD = re.compile(r"[a-z]+\Z")


class TargetListError(ValueError):
    """A malformed line of the target list; the message names the line."""


def default_path():
    return paths.root_path("harness", "targets.tsv")


def parse(text, where="harness/targets.tsv"):
    """The targets of a target list's text, in its order."""
    targets, names, sensors = [], set(), {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        at = "%s:%d" % (where, n)
        if len(fields) != len(COLUMNS) or not all(fields):
            raise TargetListError(
                "%s: want %s, one tab apart" %
                (at, " ".join(c.upper() for c in COLUMNS)))
        name, source, input_, sensor, mutator, defines = fields
        if not _NAME.match(name) or name in names:
            raise TargetListError(
                "%s: target name %s is not [a-z][a-z0-9_]* or is given "
                "twice" % (at, name))
        if not _SOURCE.match(source) or not _WORD.match(input_):
            raise TargetListError(
                "%s: source %s or input %s is not a plain name" %
                (at, source, input_))
        if mutator not in MUTATORS:
            raise TargetListError(
                "%s: mutator %s is not channel, regex or none" % (at, mutator))
        if sensor != "-" and sensor in sensors:
            raise TargetListError(
                "%s: sensor build %s already has target %s" %
                (at, sensor, sensors[sensor]))
        names.add(name)
        if sensor != "-":
            sensors[sensor] = name
        targets.append(Target(
            name, source, input_, None if sensor == "-" else sensor,
            mutator, () if defines == "-" else tuple(defines.split(","))))
    if not targets:
        raise TargetListError("%s: no targets" % where)
    return targets


def load(path=None):
    """The targets of the list at path (default harness/targets.tsv)."""
    path = path or default_path()
    with open(path, encoding="utf-8") as f:
        return parse(f.read(), path)


def names(targets=None):
    return [t.name for t in (targets or load())]


def channel_targets(targets=None):
    """The targets whose input starts with a channel file."""
    return [t.name for t in (targets or load()) if t.input == "chan"]


def sensor_target(build, targets=None):
    """The target that runs sensor build `build`, or None."""
    for t in targets or load():
        if t.sensor == build:
            return t.name
    return None


# The lists the pipeline needs, read once from harness/targets.tsv.
_ALL = load()
TARGETS = [t.name for t in _ALL]
# Targets whose input starts with a channel file (docs/HARNESS.md).
CHAN_TARGETS = [t.name for t in _ALL if t.input == "chan"]
# Sensor builds, in the list's order of their interpreter targets.
SENSORS = [t.sensor for t in _ALL if t.sensor]


def sensor_of(name, targets=None):
    """The sensor build that target NAME runs, or None."""
    for t in targets or _ALL:
        if t.name == name:
            return t.sensor
    return None


def target_of_name(basename):
    """A target named by a file name's prefix (fuzz_interp_711-crash-...),
    or None."""
    for t in sorted(TARGETS, key=len, reverse=True):
        if basename == t or (basename.startswith(t) and
                             basename[len(t)] in "-_.:"):
            return t
    return None
