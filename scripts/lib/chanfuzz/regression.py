"""The regression corpus: corpus/regression/<target>/ with its index.tsv
(docs/CRASHES.md, "Regression corpus"): '#' comment lines, then one
tab-separated line per input file:

  file  expect  signature  type  source  date

Readers take an index as it is (regress.py judges its malformed lines);
the one writer, upsert(), rewrites it whole through a temporary file and a
rename, and its callers hold the corpus's lock (store.locked).
"""
import os
import re

from chanfuzz import paths, store

EXPECTATIONS = ("fixed", "open", "detect")
COLUMNS = ("file", "expect", "signature", "type", "source", "date")
# detect entries are canaries: sensor build 7.11's interpreter target must
# still fault on them, which proves the detectors still see the CF-291
# defect class.
CANARY_TARGET = "fuzz_interp_711"
INDEX = "index.tsv"
# Crash types that are no detector's finding: a canary must be seen by one.
NOT_A_FINDING = re.compile(r"timeout\Z|out-of-memory\Z|exit")


class Entry:
    """One index line: file, expect, signature, type, source, date; path is
    the input's full path, lineno the line's number in the index."""

    def __init__(self, directory, fields, lineno=0):
        fields = fields + [""] * (len(COLUMNS) - len(fields))
        (self.file, self.expect, self.signature, self.type, self.source,
         self.date) = fields[:len(COLUMNS)]
        self.path = os.path.join(directory, self.file)
        self.lineno = lineno


def default_dir():
    return paths.root_path("corpus", "regression")


def index_lines(index):
    """(line number, line) of every line of an index file that is neither
    empty nor a comment, without its line break; [] when there is no
    index."""
    try:
        with open(index, encoding="utf-8", errors="replace",
                  newline="") as f:
            text = f.read()
    except FileNotFoundError:
        return []
    # a line ends at a line feed only
    return [(n, line) for n, line in enumerate(text.split("\n"), 1)
            if line and not line.startswith("#")]


def read_index(directory):
    """Every entry line of DIRECTORY/index.tsv as an Entry, in index order,
    whatever its fields hold."""
    return [Entry(directory, line.split("\t"), n)
            for n, line in index_lines(os.path.join(directory, INDEX))]


def entries(target, regression=None):
    """The entries of target's index (those whose file exists), in index
    order; [] when the target has none."""
    d = os.path.join(regression or default_dir(), target)
    return [e for e in read_index(d)
            if e.expect in EXPECTATIONS and os.path.isfile(e.path)]


def detector_finding(crash_type):
    """Whether a fault of CRASH_TYPE is a detector's finding, as a detect
    canary's must be: not a timeout, an out-of-memory or a bare exit."""
    return not NOT_A_FINDING.match(crash_type)


def header(target):
    return ("# chanfuzz regression corpus of %s (docs/CRASHES.md): one line "
            "per input\n# %s\n" % (target, "\t".join(COLUMNS)))


def upsert(directory, target, fields):
    """Add or replace (by file name, the first field) the line of fields in
    DIRECTORY/index.tsv; every other entry line is kept as it was, the
    comment lines become the standard header. Returns the expectation the
    line had, or None for a new entry. The caller holds the lock."""
    name = fields[0]
    kept, old = [], None
    for _, line in index_lines(os.path.join(directory, INDEX)):
        parts = line.split("\t")
        if parts[0] == name:
            old = parts[1] if len(parts) > 1 else ""
            continue
        kept.append(line + "\n")
    text = header(target) + "".join(kept) + "\t".join(fields) + "\n"
    store.atomic_write(os.path.join(directory, INDEX), text)
    return old
