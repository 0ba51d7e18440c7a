"""Corpus: build the seed corpora from corpus/src (`make corpus`,
scripts/corpus.sh).

  1. every corpus/src/NAME.cft is compiled with `cftool asm` into
     build/corpus/NAME.cf (the tests use these);
  2. corpus/<target>/ is filled for each fuzz target of harness/targets.tsv,
     by its input column:
       chan targets get NAME.cf, except that
         - a `# targets: t1 t2 ...` line in the .cft limits the seed to
           those targets;
         - the targets that run one sensor build (the sensor column) never
           get cf291-nonwildcard (it reads past 7.11's input array at once)
           nor any seed marked `# expect: rejected-by-current`;
       regex targets get regex-NNN.bin for the N-th seed line of
       corpus/src/regex.seeds (FLAGS<TAB>PATTERN<TAB>SUBJECT, printf %b
       escapes): [flags][pattern length][pattern][subject];
       text targets get every corpus/src/NAME.cft as it is;
       a target of any other input kind keeps the seeds committed in
       corpus/<target>/ as they are (counted, never touched).

Idempotent: a file is rewritten only when its bytes change, always through
a temporary file in the same folder and a rename. Files this verb owns
(*.cf, *.cft, regex-*.bin) that no longer have a source are removed;
anything else in corpus/<target>/ (e.g. inputs a fuzzer saved) is left
alone. Prints one summary line per target.

Up to date: when nothing it reads changed since its last run (the sources,
regex.seeds, the target list, cftool, this module) and every file it wrote
still has the bytes it wrote (build/corpus/.corpus-state), it does nothing.

Environment: CFTOOL (default build/cftool), CF_TARGETS_FILE (another
target list, as scripts/targets.sh). Exit status: 0 done, 1 a source or
the tool is wrong (the message says which), 2 bad arguments.
"""
import argparse
import contextlib
import hashlib
import os
import re
import subprocess
import sys
import tempfile

from chanfuzz import cli, paths, store, targets

PROG = "corpus.sh"
SRC = "corpus/src"
OUT = "build/corpus"
SEEDS = SRC + "/regex.seeds"
STAMP = OUT + "/.corpus-state"
# Never given to the sensor targets: it faults 7.11 on its first run.
NO_INTERP = ("cf291-nonwildcard",)
MAX_REGEX_SEEDS = 999
MAX_PATTERN = 255

_NAME = re.compile(r"[A-Za-z0-9._-]*\Z")
_REJECTED = re.compile(
    rb"^#[ \t\v\f\r]*expect:[ \t\v\f\r]*rejected-by-current([ \t\v\f\r]|$)",
    re.M)
_TARGETS_LINE = re.compile(rb"^#[ \t\v\f\r]*targets:(.*)$", re.M)
# printf %b stops at \c: an unescaped one (an even run of backslashes
# before).
_ENDS_B = re.compile(rb"(^|[^\\])(\\\\)*\\c")
_FLAGS = re.compile(rb"[0-3]\Z")


class Failed(Exception):
    """A source or the tool is wrong: the verb says so and exits 1."""


# --- printf %b --------------------------------------------------------------

_SIMPLE = {ord("a"): 7, ord("b"): 8, ord("e"): 27, ord("E"): 27,
           ord("f"): 12, ord("n"): 10, ord("r"): 13, ord("t"): 9,
           ord("v"): 11, ord("\\"): 92}
_OCT = b"01234567"
_HEX = b"0123456789abcdefABCDEF"


def _digits(s, i, allowed, most):
    """The end of the run of at most MOST characters of ALLOWED at S[i:]."""
    j = i
    while j < len(s) and j - i < most and s[j] in allowed:
        j += 1
    return j


def printf_b(s):
    """bytes S with its backslash escapes expanded as bash's `printf %b`
    does in the C locale (\\c, which ends the output, ends it here too)."""
    out = bytearray()
    i, n = 0, len(s)
    while i < n:
        c = s[i]
        if c != 0x5C or i + 1 == n:
            out.append(c)
            i += 1
            continue
        e = s[i + 1]
        i += 2
        if e in _SIMPLE:
            out.append(_SIMPLE[e])
        elif e in _OCT:
            # \0 takes three more octal digits, \1-\7 two more
            j = _digits(s, i, _OCT, 3 if e == 0x30 else 2)
            out.append(int(s[i - 1:j], 8) & 0xFF)
            i = j
        elif e in b"xuU":
            j = _digits(s, i, _HEX, {0x78: 2, 0x75: 4, 0x55: 8}[e])
            if j == i:
                out += b"\\" + bytes([e])
                continue
            v = int(s[i:j], 16)
            i = j
            if e == 0x78 or v < 0x80:
                out.append(v & 0xFF)
            else:
                # not representable in the C locale: bash writes it as an
                # escape again
                out += (b"\\u%04X" % v) if v <= 0xFFFF else (b"\\U%08X" % v)
        elif e == 0x63:
            break
        else:
            out += b"\\" + bytes([e])
    return bytes(out)


def regex_seeds(data, where=SEEDS):
    """The fuzz_regex seeds of regex.seeds' bytes DATA, in order: a list of
    (name, bytes). Failed names the first bad line."""
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    seeds = []
    for lineno, line in enumerate(lines, 1):
        if line.endswith(b"\r"):
            line = line[:-1]
        if not line or line.startswith(b"#"):
            continue
        at = "%s:%d" % (where, lineno)
        fields = line.split(b"\t", 2)
        if len(fields) < 3:
            raise Failed("%s: want FLAGS<TAB>PATTERN<TAB>SUBJECT" % at)
        flags, pat, subj = fields
        if not _FLAGS.match(flags):
            raise Failed("%s: FLAGS must be 0-3, got '%s'" %
                         (at, flags.decode("utf-8", "replace")))
        if _ENDS_B.search(pat + b"\t" + subj):
            raise Failed("%s: \\c would end printf %%b output" % at)
        if len(seeds) == MAX_REGEX_SEEDS:
            raise Failed("%s: more than %d regex seeds" %
                         (at, MAX_REGEX_SEEDS))
        pattern = printf_b(pat)
        if len(pattern) > MAX_PATTERN:
            raise Failed("%s: pattern is %d bytes (max %d)" %
                         (at, len(pattern), MAX_PATTERN))
        seeds.append(("regex-%03d.bin" % (len(seeds) + 1),
                      bytes([int(flags), len(pattern)]) + pattern +
                      printf_b(subj)))
    return seeds


# --- seed rules --------------------------------------------------------------

def channel_rules(name, text, all_targets):
    """(rejected, wanted) of the source NAME.cft with bytes TEXT: whether
    it is marked rejected-by-current, and the channel targets that get its
    seed before the sensor rule (seed_targets)."""
    chan = [t.name for t in all_targets if t.input == "chan"]
    rejected = bool(_REJECTED.search(text))
    m = _TARGETS_LINE.search(text)
    if not m:
        return rejected, chan
    # words as bash's `read -a` splits them
    wanted = m.group(1).replace(b"\t", b" ").decode("utf-8", "replace")
    wanted = [w for w in wanted.split(" ") if w]
    if not wanted:
        raise Failed("%s/%s.cft: empty targets line" % (SRC, name))
    for w in wanted:
        if w not in chan:
            raise Failed("%s/%s.cft: targets: '%s' is not a channel fuzz "
                         "target" % (SRC, name, w))
    return rejected, wanted


def seed_targets(name, rejected, wanted, all_targets):
    """The targets of WANTED that get NAME.cf: a sensor target never gets
    a seed the current validator rejects, nor one of NO_INTERP."""
    sensor = {t.name for t in all_targets if t.sensor}
    bad = rejected or name in NO_INTERP
    return [t for t in wanted if not (bad and t in sensor)]


# --- the up-to-date check ----------------------------------------------------

_sha1 = store.sha1_file


def fingerprint(cftool, targets_file):
    """A hash of everything a run reads: the sources, regex.seeds, the
    target list, cftool (its name and bytes) and this module."""
    h = hashlib.sha1()
    h.update(cftool.encode() + b"\n")
    for name in sorted(os.listdir(SRC)):
        path = os.path.join(SRC, name)
        if (name.endswith(".cft") or name == "regex.seeds") and \
                os.path.isfile(path):
            h.update(("%s  %s\n" % (_sha1(path), name)).encode())
    for path in (cftool, targets_file, os.path.abspath(__file__)):
        h.update(("%s  %s\n" % (_sha1(path), path)).encode())
    return h.hexdigest()


def up_to_date(fp):
    """The number of files the last run wrote when its stamp says FP and
    every file still has its bytes; else None."""
    try:
        with open(STAMP, encoding="utf-8") as f:
            lines = f.read().splitlines()
        if not lines or lines[0] != fp:
            return None
        for line in lines[1:]:
            digest, path = line.split("  ", 1)
            if _sha1(path) != digest:
                return None
    except (OSError, ValueError):
        return None
    return len(lines) - 1


def write_stamp(fp, written):
    store.atomic_write(STAMP, "".join(
        ["%s\n" % fp] + ["%s  %s\n" % (_sha1(p), p) for p in written]))


# --- the run -----------------------------------------------------------------

def warn(message):
    print("%s: warning: %s" % (PROG, message), file=sys.stderr)


def install(path, data):
    """Write DATA to PATH unless it has those bytes: 'new', 'updated' or
    'same'."""
    if os.path.isfile(path):
        with open(path, "rb") as f:
            if f.read() == data:
                return "same"
        state = "updated"
    else:
        state = "new"
    store.atomic_write(path, data)
    return state


class Tally:
    """What a run wrote into each target's folder."""

    def __init__(self, names):
        self.expect = {t: [] for t in names}
        self.new = dict.fromkeys(names, 0)
        self.updated = dict.fromkeys(names, 0)

    def put(self, target, name, data):
        state = install(os.path.join("corpus", target, name), data)
        self.expect[target].append(name)
        if state == "new":
            self.new[target] += 1
        elif state == "updated":
            self.updated[target] += 1


def assemble(cftool, src, name):
    """The bytes `cftool asm` makes of SRC (its messages reach stderr)."""
    fd, tmp = tempfile.mkstemp(prefix=".%s.cf.tmp." % name, dir=OUT)
    os.close(fd)
    try:
        if subprocess.run([cftool, "asm", src, "-o", tmp]).returncode != 0:
            raise Failed("%s: cftool asm failed" % src)
        with open(tmp, "rb") as f:
            return f.read()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def accepted(cftool, path):
    """Whether the current validator accepts the channel file at PATH."""
    return subprocess.run(
        [cftool, "validate", "--validator", "current", path],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode == 0


def channel_seeds(cftool, all_targets, tally):
    """Assemble every source and hand out its seeds; the summary line's
    (count, new, updated)."""
    cfts = sorted(n for n in os.listdir(SRC) if n.endswith(".cft"))
    if not cfts:
        raise Failed("no %s/*.cft" % SRC)
    text_targets = [t.name for t in all_targets if t.input == "text"]
    new = updated = 0
    for cft in cfts:
        src = "%s/%s" % (SRC, cft)
        name = cft[:-len(".cft")]
        if not _NAME.match(name):
            raise Failed("%s: file name must be [A-Za-z0-9._-]" % src)
        out = "%s/%s.cf" % (OUT, name)
        state = install(out, assemble(cftool, src, name))
        new += state == "new"
        updated += state == "updated"
        with open(src, "rb") as f:
            text = f.read()
        rejected, wanted = channel_rules(name, text, all_targets)
        # The marker, cross-checked against the current validator (a
        # warning: an unmarked rejected seed may crash fuzz_interp_711 on
        # its first run).
        if accepted(cftool, out):
            if rejected:
                warn("%s is marked rejected-by-current but is accepted" % src)
        elif not rejected and name not in NO_INTERP:
            warn("%s is rejected by the current validator but not marked"
                 % src)
        for t in text_targets:
            tally.put(t, cft, text)
        with open(out, "rb") as f:
            seed = f.read()
        for t in seed_targets(name, rejected, wanted, all_targets):
            tally.put(t, name + ".cf", seed)
    return len(cfts), new, updated


def _owned(name):
    return name.endswith((".cf", ".cft")) or (
        name.startswith("regex-") and name.endswith(".bin"))


def sweep(target, expect):
    """Remove what target's folder holds of ours that no source made (and
    temporaries of an interrupted run); (count, removed, others)."""
    folder = os.path.join("corpus", target)
    keep = set(expect)
    count = removed = others = 0
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.startswith(".") and ".tmp." in name[1:]:
            with contextlib.suppress(OSError):
                os.unlink(path)
        elif _owned(name) and not os.path.isdir(path):
            if name in keep:
                count += 1
            else:
                os.unlink(path)
                removed += 1
        else:
            others += 1
    return count, removed, others


def build(cftool, targets_file, fp):
    """The full run: every seed, the summary, the stamp."""
    all_targets = targets.load(targets_file)
    names = [t.name for t in all_targets]
    tally = Tally(names)
    for t in names:
        os.makedirs(os.path.join("corpus", t), exist_ok=True)
    os.makedirs(OUT, exist_ok=True)
    count, new, updated = channel_seeds(cftool, all_targets, tally)

    regex_targets = [t.name for t in all_targets if t.input == "regex"]
    if regex_targets:
        if os.path.isfile(SEEDS):
            with open(SEEDS, "rb") as f:
                data = f.read()
            for name, seed in regex_seeds(data):
                for t in regex_targets:
                    tally.put(t, name, seed)
        else:
            warn("%s missing: %s get no seeds" % (SEEDS,
                                                   " ".join(regex_targets)))

    print("build/corpus: %d channel files (%d new, %d updated)" %
          (count, new, updated))
    written = ["%s/%s" % (OUT, n) for n in sorted(os.listdir(OUT))
               if n.endswith(".cf") and os.path.isfile(os.path.join(OUT, n))]
    for t in all_targets:
        folder = "corpus/" + t.name
        if t.input not in ("chan", "regex", "text"):
            seeds = [n for n in os.listdir(folder) if not n.startswith(".")
                     and os.path.isfile(os.path.join(folder, n))]
            print("%s: %d seeds (committed as they are)" %
                  (folder, len(seeds)))
            continue
        n, removed, others = sweep(t.name, tally.expect[t.name])
        print("%s: %d seeds (%d new, %d updated, %d removed%s)" % (
            folder, n, tally.new[t.name], tally.updated[t.name], removed,
            ", %d other files kept" % others if others else ""))
        written += ["%s/%s" % (folder, e) for e in tally.expect[t.name]]
    write_stamp(fp, written)


def run(cftool=None, targets_file=None):
    """`make corpus` in the current folder (a checkout root); the exit
    status."""
    cftool = cftool or os.environ.get("CFTOOL") or "build/cftool"
    targets_file = (targets_file or os.environ.get("CF_TARGETS_FILE") or
                    targets.default_path())
    try:
        if not (os.path.isfile(cftool) and os.access(cftool, os.X_OK)):
            raise Failed("%s not found (run: make build/cftool)" % cftool)
        if not os.path.isdir(SRC):
            raise Failed("%s: no such directory" % SRC)
        fp = fingerprint(cftool, targets_file)
        files = up_to_date(fp)
        if files is not None:
            print("corpus: up to date (%d files; build/corpus and "
                  "corpus/<target>/)" % files)
            return 0
        with contextlib.suppress(FileNotFoundError):
            os.unlink(STAMP)
        build(cftool, targets_file, fp)
    except (Failed, targets.TargetListError) as e:
        sys.stdout.flush()
        print("%s: %s" % (PROG, e), file=sys.stderr)
        return 1
    except OSError as e:
        sys.stdout.flush()
        print("%s: %s: %s" % (PROG, e.filename, e.strerror), file=sys.stderr)
        return 1
    return 0


def register(sub):
    p = sub.add_parser(
        "corpus", usage="corpus.sh",
        help="build the seed corpora from corpus/src (make corpus)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    cli.takes_unknown(p)
    p.set_defaults(func=main)


def main(args):
    if args.unknown:
        return cli.usage_error(PROG, cli.UsageError(
            "unknown argument '%s' (corpus.sh takes none)" % args.unknown[0]))
    os.chdir(paths.ROOT)
    return run()
