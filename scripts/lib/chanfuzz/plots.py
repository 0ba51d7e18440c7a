"""A campaign's plots (docs/CAMPAIGN.md, "Report"): coverage.png and
execs.png drawn by gnuplot from stats.tsv, and afl-plot of each target's
first AFL++ instance (OUT/afl-plot/<t>/)."""
import os
import shutil
import subprocess

from chanfuzz.layout import warn
from chanfuzz.supervise import run


def read_stats(path):
    """stats.tsv's rows (lists of strings), without the header."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError:
        return []
    return [ln.split("\t") for ln in lines[1:] if ln]


def target_series(rows, t):
    """gnuplot data of target t: minutes, lf_cov, lf_cov_smart,
    afl_edges, afl_bitmap_cvg."""
    return ["%s %s %s %s %s" % (_g(int(r[1]) / 60), r[8], r[9], r[11], r[10])
            for r in rows if len(r) >= 16 and r[2] == t]


def total_series(rows, first):
    """gnuplot data of all targets: minutes, libFuzzer execs and exec/s,
    AFL++ execs and exec/s. Each sample is one block of rows, one per
    target, in --targets order: a block starts at FIRST's row."""
    blocks = []
    for r in rows:
        if len(r) < 16:
            continue
        if r[2] == first or not blocks:
            blocks.append([int(r[1]), 0, 0, 0, 0])
        b = blocks[-1]
        b[0] = int(r[1])
        for i, col in enumerate((4, 5, 6, 7), 1):
            b[i] += int(float(r[col]))
    return ["%s %d %d %d %d" % (_g(b[0] / 60), b[1], b[2], b[3], b[4])
            for b in blocks]


def _g(x):
    """A number as awk prints it (%.6g)."""
    return "%.6g" % x


def script(out, d, targets, term):
    """The gnuplot program of both plots (data in folder D)."""
    name = os.path.basename(out)
    cov = " ".join(
        "'%s/%s.dat' using 1:2 with lines lw 2 lt %d title '%s', "
        "'%s/%s.dat' using 1:3 with lines lw 1 lt %d dt 2 title '%s _smart',"
        % (d, t, i, t, d, t, i, t) for i, t in enumerate(targets, 1))
    edges = " ".join("'%s/%s.dat' using 1:4 with lines lw 2 title '%s'," %
                     (d, t, t) for t in targets)
    tot = "%s/total.dat" % d
    return "\n".join([
        "set terminal %s noenhanced" % term,
        "set output '%s/coverage.png'" % out,
        "set multiplot layout 2,1 title 'chanfuzz campaign %s: coverage "
        "over time'" % name,
        "set grid; set key outside right; set xlabel 'fuzzing time (min)'",
        "set ylabel 'libFuzzer cov'",
        "plot %s 1/0 notitle" % cov,
        "set ylabel 'AFL++ edges found'",
        "plot %s 1/0 notitle" % edges,
        "unset multiplot",
        "set output '%s/execs.png'" % out,
        "set multiplot layout 2,1 title 'chanfuzz campaign %s: executions "
        "over time'" % name,
        "set ylabel 'total executions'; set format y '%.1s%c'",
        "plot '%s' using 1:2 with lines lw 2 title 'libFuzzer', '%s' using "
        "1:4 with lines lw 2 title 'AFL++'" % (tot, tot),
        "set ylabel 'executions per second'",
        "plot '%s' using 1:3 with lines lw 2 title 'libFuzzer', '%s' using "
        "1:5 with lines lw 2 title 'AFL++'" % (tot, tot),
        "unset multiplot", ""])


def _terminal():
    term = "pngcairo size 1100,700 font 'sans,10'"
    r = subprocess.call(["gnuplot", "-e", "set terminal " + term, "-e",
                         "quit"], stdin=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return term if r == 0 else "png size 1100,700"


def gnuplot(c):
    out, targets = c.layout.out, c.st.targets
    rows = read_stats(c.layout.path("stats.tsv"))
    d = c.layout.path(".plot")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    for t in targets:
        with open(os.path.join(d, t + ".dat"), "w") as f:
            f.write("".join(x + "\n" for x in target_series(rows, t)))
    with open(os.path.join(d, "total.dat"), "w") as f:
        f.write("".join(x + "\n" for x in total_series(rows, targets[0])))
    with open(os.path.join(d, "plot.gp"), "w") as f:
        f.write(script(out, d, targets, _terminal()))
    if run(["gnuplot", os.path.join(d, "plot.gp")],
           log=c.layout.path("logs", "gnuplot.log"), append=False) != 0:
        warn("gnuplot failed (logs/gnuplot.log)")


def afl_plots(c):
    """afl-plot of each target's first instance, when it has a plot."""
    for t in c.st.targets:
        insts = c.layout.local_instances(t)
        if not insts:
            continue
        try:
            with open(os.path.join(insts[0], "plot_data")) as f:
                n = sum(1 for ln in f if not ln.startswith("#"))
        except OSError:
            n = 0
        if n < 2:
            continue
        dest = c.layout.path("afl-plot", t)
        os.makedirs(dest, exist_ok=True)
        if run(["afl-plot", insts[0], dest], timeout=120,
               log=c.layout.path("logs", "afl-plot.log")) != 0:
            warn("afl-plot %s failed (logs/afl-plot.log)" % t)


def plots(c):
    if not os.path.isfile(c.layout.path("stats.tsv")) or \
            os.path.getsize(c.layout.path("stats.tsv")) == 0:
        return
    if not shutil.which("gnuplot"):
        warn("gnuplot is not installed: no plots")
        return
    gnuplot(c)
    if shutil.which("afl-plot"):
        afl_plots(c)
    shutil.rmtree(c.layout.path(".plot"), ignore_errors=True)
