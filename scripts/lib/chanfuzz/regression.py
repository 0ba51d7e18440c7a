"""The regression corpus: corpus/regression/<target>/ with its index.tsv
(docs/CRASHES.md, "Regression corpus")."""
import os

from chanfuzz import paths

EXPECTATIONS = ("fixed", "open", "detect")


class Entry:
    """One index line: file, expect, signature, type, source, date; path is
    the input's full path."""

    def __init__(self, directory, fields):
        fields = fields + [""] * (6 - len(fields))
        (self.file, self.expect, self.signature, self.type, self.source,
         self.date) = fields[:6]
        self.path = os.path.join(directory, self.file)


def default_dir():
    return paths.root_path("corpus", "regression")


def entries(target, regression=None):
    """The entries of target's index (those whose file exists), in index
    order; [] when the target has none."""
    d = os.path.join(regression or default_dir(), target)
    index = os.path.join(d, "index.tsv")
    out = []
    try:
        with open(index, encoding="utf-8") as f:
            for line in f:
                line = line.rstrip("\n")
                if not line or line.startswith("#"):
                    continue
                e = Entry(d, line.split("\t"))
                if e.expect in EXPECTATIONS and os.path.isfile(e.path):
                    out.append(e)
    except FileNotFoundError:
        pass
    return out
