"""Live figures of running AFL++ instances from AFL++'s own StatsD
metrics (AFL_STATSD).

afl-fuzz writes fuzzer_stats about once a minute and, with AFL_NO_UI or
without a terminal (as in a campaign), its plot_data not at all before
then; a campaign's status line read from them shows AFL++ idle for the
first minute of every slice. With AFL_STATSD=1 the same figures are sent
as StatsD gauges over UDP about once a second (STATSD_UPDATE_SEC), from
the first second of the run. Each instance gets a port of its own
(AFL_STATSD_PORT), so no tag format is needed to tell instances apart.

    src = Source()                   # binds 127.0.0.1:<free port>
    env.update(src.env())            # for afl-fuzz
    ...
    src.poll()                       # drain what arrived; never blocks
    src.figures                      # Figures, or None before the first
    src.close()

A datagram holds newline-separated gauges, `fuzzing.<metric>:<value>|g`
(with AFL_STATSD_TAGS_FLAVOR, tags follow: `|#k:v,...`; ignored here)."""
import collections
import socket
import time

# The gauges kept, by their AFL++ StatsD name (afl-fuzz-statsd.c).
_METRICS = {
    "execs_done": "execs",
    "execs_per_sec": "execs_per_sec",
    "corpus_count": "corpus",
    "edges_found": "edges",
    "saved_crashes": "crashes",
    "saved_hangs": "hangs",
    # AFL++ before 4.0 named the last two unique_*
    "unique_crashes": "crashes",
    "unique_hangs": "hangs",
}

Figures = collections.namedtuple(
    "Figures", "execs execs_per_sec corpus edges crashes hangs at")


def parse(datagram):
    """The gauges of one StatsD DATAGRAM (bytes) as {name: float}, names
    without the `fuzzing.` prefix; lines that are not gauges are skipped."""
    out = {}
    for line in datagram.decode("utf-8", "replace").splitlines():
        fields = line.strip().split("|")
        if len(fields) < 2 or fields[1] != "g":
            continue
        name, sep, value = fields[0].rpartition(":")
        if not sep:
            continue
        try:
            v = float(value)
        except ValueError:
            continue
        if name.startswith("fuzzing."):
            name = name[len("fuzzing."):]
        out[name] = v
    return out


def figures_of(gauges, at):
    """Figures from GAUGES (parse's dict) received at AT (epoch seconds);
    None unless the datagram had execs_done (a partial one is not a
    sample)."""
    vals = {}
    for name, key in _METRICS.items():
        if name in gauges:
            vals[key] = gauges[name]
    if "execs" not in vals:
        return None
    return Figures(
        execs=int(vals["execs"]),
        execs_per_sec=vals.get("execs_per_sec", 0.0),
        corpus=int(vals.get("corpus", 0)),
        edges=int(vals.get("edges", 0)),
        crashes=int(vals.get("crashes", 0)),
        hangs=int(vals.get("hangs", 0)),
        at=at)


class Source:
    """One UDP socket on 127.0.0.1 for one afl-fuzz instance. figures: the
    latest Figures received, None before the first."""

    HOST = "127.0.0.1"

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind((self.HOST, 0))
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]
        self.figures = None

    def env(self):
        """The environment that makes afl-fuzz send here."""
        return {"AFL_STATSD": "1", "AFL_STATSD_HOST": self.HOST,
                "AFL_STATSD_PORT": str(self.port)}

    def poll(self, now=None):
        """Read every datagram waiting (never blocks); keep the latest
        complete sample. Returns the number of datagrams read."""
        n = 0
        while self.sock is not None:
            try:
                data = self.sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                break
            n += 1
            fig = figures_of(parse(data), time.time() if now is None else now)
            if fig is not None:
                self.figures = fig
        return n

    def close(self):
        if self.sock is not None:
            self.sock.close()
            self.sock = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
