"""Time-to-bug statistics of the benchmarks (scripts/bench.sh's ttb
section; docs/BENCH.md, "How to read the tables").

    scripts/chanfuzz bench-stats --cap SEC --base CONFIG [TRIALS.tsv]

Input (a file, or standard input when none or '-' is given): one trial per
line, tab-separated, as scripts/bench.sh writes them:

    bug crc config trial found trigger_s reached reach_s end_s [more...]

found and reached are 1 or 0; trigger_s and reach_s are seconds since the
fuzzer was launched ('-' when not found / not reached); end_s is when the
trial ended (the crash, the cap, or an early stop: a censoring time).
Columns after end_s (execs, signature, seed) are not read.

Output: one line per cell (bug, crc, config), in the order the cells first
appear, tab-separated:

    bug crc config n found reached med_reach reach_cens med_trig trig_cens
    rmst ratio mwu_p a12

- med_*: median over the n trials with every un-found trial counted at the
  cap; *_cens is 1 when that median is the cap itself (shown ">= cap");
- rmst: Kaplan-Meier restricted mean time-to-trigger up to the cap,
  censored where a trial ended without the defect;
- against the baseline configuration (same bug and crc; '-' for the
  baseline itself or when it is missing): ratio = baseline median / this
  median (> 1: faster), mwu_p = two-sided Mann-Whitney U p-value of the
  trigger times (cap counted), a12 = Vargha-Delaney A12 of this cell being
  faster than the baseline (0.5: no difference, 1: always faster).

Standard library only: every statistic here is a sort, ranks and sums,
and math.erfc gives the normal tail. (The awk this replaces,
scripts/bench-stats.awk, used Numerical Recipes' erfcc, relative error
< 1.2e-7; both print the same on every committed cell.)

References: Mann & Whitney (1947), Ann. Math. Stat. 18:50-60; Kaplan &
Meier (1958), JASA 53:457-481; Vargha & Delaney (2000), J. Educ. Behav.
Stat. 25(2):101-132; Royston & Parmar (2013), BMC Med. Res. Methodol.
13:152 (restricted mean survival time); Klees et al. (2018), "Evaluating
Fuzz Testing", CCS (the Mann-Whitney U and A12 for fuzzer trials).
"""
import argparse
import math
import sys

# Output columns (bench-report.sh names them in the JSON report).
COLUMNS = ("bug", "crc", "config", "n", "found", "reached", "med_reach",
           "reach_cens", "med_trig", "trig_cens", "rmst", "ratio", "mwu_p",
           "a12")

# A median below this counts as this in the ratio of medians: a defect a
# fuzzer finds at launch must not divide by zero.
RATIO_FLOOR = 0.01


def median(values):
    """Sample median: the middle of the sorted values, or the mean of the
    two middle ones when their number is even."""
    v = sorted(values)
    m = len(v)
    if m == 0:
        raise ValueError("median of no values")
    if m % 2:
        return v[m // 2]
    return (v[m // 2 - 1] + v[m // 2]) / 2


def kaplan_meier(times, events):
    """Kaplan-Meier product-limit estimate (Kaplan & Meier 1958) of the
    survival function S(t) = P(T > t) from right-censored data: times[i] is
    when subject i had the event (events[i] true) or was censored.

    S(t) = product over event times t_j <= t of (1 - d_j / n_j), where d_j
    subjects have the event at t_j and n_j are at risk just before it. At a
    time with both, the events come first: a subject censored at t is at
    risk at t. Returns one row (t, n_at_risk, n_events, n_censored, S) per
    distinct time, ascending, S being the value just after t."""
    if len(times) != len(events):
        raise ValueError("times and events differ in length")
    pairs = sorted(zip(times, events), key=lambda p: (p[0], not p[1]))
    rows = []
    s = 1.0
    at_risk = len(pairs)
    i = 0
    while i < len(pairs):
        t = pairs[i][0]
        d = c = 0
        while i < len(pairs) and pairs[i][0] == t:
            if pairs[i][1]:
                d += 1
            else:
                c += 1
            i += 1
        s *= 1 - d / at_risk
        rows.append((t, at_risk, d, c, s))
        at_risk -= d + c
    return rows


def rmst(times, events, tau):
    """Restricted mean survival time up to tau: the area under the
    Kaplan-Meier curve from 0 to tau (Royston & Parmar 2013), an estimate
    of E[min(T, tau)] that uses the censored subjects. The curve is a step
    function, so the area is a sum of rectangles; a time at or past tau
    does not step it. Without censoring before tau it is the plain mean of
    min(t_i, tau)."""
    area = 0.0
    prev = 0.0
    s = 1.0
    for t, _, _, _, s_after in kaplan_meier(times, events):
        if t >= tau:
            break
        area += s * (t - prev)
        prev = t
        s = s_after
    return area + s * (tau - prev)


def _rank_sum_u(a, b):
    """U1 of a against b and the tie term: the pooled sample ranked (tied
    values share their mean rank), R1 the sum of a's ranks,
    U1 = R1 - n1 (n1 + 1) / 2 (the number of pairs with a's value above
    b's, ties counted 1/2), tie term = sum of t^3 - t over the groups of t
    tied values."""
    if not a or not b:
        raise ValueError("both samples need at least one value")
    pooled = sorted([(x, 0) for x in a] + [(y, 1) for y in b],
                    key=lambda p: p[0])
    n = len(pooled)
    r1 = 0.0
    tie = 0
    i = 0
    while i < n:
        j = i
        while j < n and pooled[j][0] == pooled[i][0]:
            j += 1
        # positions i .. j-1 hold ranks i+1 .. j: each gets their mean
        for k in range(i, j):
            if pooled[k][1] == 0:
                r1 += (i + 1 + j) / 2
        tie += (j - i) ** 3 - (j - i)
        i = j
    return r1 - len(a) * (len(a) + 1) / 2, tie


def mann_whitney_u(a, b):
    """Two-sided Mann-Whitney U test (Mann & Whitney 1947) of sample a
    against sample b by the normal approximation, with the tie correction
    of the variance and a continuity correction of 1/2: what
    scipy.stats.mannwhitneyu(a, b, method="asymptotic") and R's
    wilcox.test(a, b, exact=FALSE, correct=TRUE) compute.

    U1 = R1 - n1 (n1 + 1) / 2 from a's mid-rank sum R1; under the null
    hypothesis U1 has mean n1 n2 / 2 and variance
    n1 n2 / 12 * ((N + 1) - sum(t^3 - t) / (N (N - 1))), N = n1 + n2, the
    sum over groups of t tied values. z = (|U1 - mean| - 1/2) / sd, floored
    at 0, and p = P(|Z| >= z) = erfc(z / sqrt 2), at most 1; p = 1 when
    the variance is 0 (every value tied). Returns (U1, p)."""
    u1, tie = _rank_sum_u(a, b)
    na, nb = len(a), len(b)
    n = na + nb
    mu = na * nb / 2
    var = na * nb / 12 * ((n + 1) - tie / (n * (n - 1)))
    if var <= 0:
        return u1, 1.0
    sd = math.sqrt(var)
    z = max(abs(u1 - mu) - 0.5, 0.0)
    return u1, min(math.erfc(z / sd / math.sqrt(2)), 1.0)


def a12(a, b):
    """Vargha-Delaney A measure of stochastic superiority (Vargha & Delaney
    2000), oriented for times (smaller is better): the probability that a
    value drawn from a is smaller than one drawn from b, ties counted 1/2,
    estimated over all pairs: (#(x < y) + #(x = y) / 2) / (n1 n2). 0.5: no
    difference; 1: a always smaller. Computed from the rank sum as
    1 - U1 / (n1 n2) (their eq. 14 with the roles of a and b swapped)."""
    u1, _ = _rank_sum_u(a, b)
    return 1 - u1 / (len(a) * len(b))


def parse_trials(lines, name="trials"):
    """The trials of bench.sh's TSV as dicts (bug, crc, config, found,
    trigger, reached, reach, end). Raises ValueError naming the line for a
    line that is not a trial; blank lines are skipped."""
    trials = []
    for no, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        f = line.split("\t")
        if len(f) < 9:
            raise ValueError("%s:%d: %d fields, a trial has at least 9 "
                             "(bug crc config trial found trigger_s reached "
                             "reach_s end_s)" % (name, no, len(f)))
        try:
            found = _flag(f[4], "found")
            reached = _flag(f[6], "reached")
            t = {"bug": f[0], "crc": f[1], "config": f[2], "found": found,
                 "trigger": _seconds(f[5], "trigger_s") if found else None,
                 "reached": reached,
                 "reach": _seconds(f[7], "reach_s") if reached else None,
                 "end": _seconds(f[8], "end_s")}
        except ValueError as e:
            raise ValueError("%s:%d: %s" % (name, no, e)) from None
        trials.append(t)
    return trials


def _flag(s, what):
    if s not in ("0", "1"):
        raise ValueError("%s is '%s', not 0 or 1" % (what, s))
    return s == "1"


def _seconds(s, what):
    # Any finite number: a crash file's time stamp (a coarse clock) can
    # come a few ms before the launch time bench.sh took, and a benchmark
    # of hours must not lose its report over it.
    try:
        v = float(s)
    except ValueError:
        v = float("nan")
    if not math.isfinite(v):
        raise ValueError("%s is '%s', not a number of seconds" % (what, s))
    return v


def trigger_times(trials, cap):
    """Time-to-trigger of each trial with every un-found trial at the cap
    (and none past it): what the medians, the test and A12 compare."""
    return [min(t["trigger"], cap) if t["found"] else cap for t in trials]


def cell_stats(trials, cap):
    """The baseline-free figures of one cell's trials (n, found, reached,
    medians and whether each is the cap, RMST), as a dict."""
    reach = [min(t["reach"], cap) if t["reached"] else cap for t in trials]
    trig = trigger_times(trials, cap)
    # Kaplan-Meier: an un-found trial is censored when it ended (at most
    # the cap); a found one has its event at its trigger time.
    km_t = [t["trigger"] if t["found"] else min(t["end"], cap)
            for t in trials]
    km_e = [t["found"] for t in trials]
    med_r, med_t = median(reach), median(trig)
    return {"n": len(trials), "found": sum(km_e),
            "reached": sum(1 for t in trials if t["reached"]),
            "med_reach": med_r, "reach_cens": int(med_r >= cap),
            "med_trig": med_t, "trig_cens": int(med_t >= cap),
            "rmst": rmst(km_t, km_e, cap)}


def compare(trials, base_trials, cap):
    """This cell against the baseline's (same bug and crc): the ratio of
    the median times-to-trigger (baseline / this, this floored at
    RATIO_FLOOR), the two-sided Mann-Whitney U p-value and A12 (this
    faster), un-found trials at the cap. Returns (ratio, p, a12)."""
    a = trigger_times(trials, cap)
    b = trigger_times(base_trials, cap)
    ratio = median(b) / max(median(a), RATIO_FLOOR)
    _, p = mann_whitney_u(a, b)
    return ratio, p, a12(a, b)


def cells(trials, cap, base):
    """One row per (bug, crc, config), in the order of first appearance:
    cell_stats plus ratio, mwu_p and a12 against the config named base
    (None for the baseline itself or when the cell has no baseline)."""
    groups = {}
    for t in trials:
        groups.setdefault((t["bug"], t["crc"], t["config"]), []).append(t)
    rows = []
    for key, ts in groups.items():
        row = dict(zip(("bug", "crc", "config"), key))
        row.update(cell_stats(ts, cap))
        row.update(ratio=None, mwu_p=None, a12=None)
        bkey = (key[0], key[1], base)
        if key[2] != base and bkey in groups:
            row["ratio"], row["mwu_p"], row["a12"] = compare(
                ts, groups[bkey], cap)
        rows.append(row)
    return rows


def format_cell(row):
    """A cell as bench.sh's TSV line (no newline): seconds and ratio to 2
    decimals, p to 4, A12 to 2, '-' for a missing comparison."""
    def opt(v, fmt):
        return "-" if v is None else fmt % v
    return "\t".join([
        row["bug"], row["crc"], row["config"], str(row["n"]),
        str(row["found"]), str(row["reached"]), "%.2f" % row["med_reach"],
        str(row["reach_cens"]), "%.2f" % row["med_trig"],
        str(row["trig_cens"]), "%.2f" % row["rmst"],
        opt(row["ratio"], "%.2f"), opt(row["mwu_p"], "%.4f"),
        opt(row["a12"], "%.2f")])


def register(sub):
    p = sub.add_parser(
        "bench-stats", help="time-to-bug statistics of benchmark trials "
        "(medians, Kaplan-Meier RMST, Mann-Whitney U, A12)",
        description="Read scripts/bench.sh's trials (TSV) and print one "
        "line of statistics per cell (defect x CRC mode x configuration): "
        "n, found, reached, medians with un-found trials at the cap, the "
        "Kaplan-Meier restricted mean up to the cap, and against the "
        "baseline configuration the ratio of medians, the two-sided "
        "Mann-Whitney U p-value and the Vargha-Delaney A12. "
        "docs/BENCH.md.")
    p.add_argument("--cap", required=True, type=_positive, metavar="SEC",
                   help="the trials' cap in seconds")
    p.add_argument("--base", required=True, metavar="CONFIG",
                   help="the baseline configuration (bench.sh: lf-bytes)")
    p.add_argument("trials", nargs="?", default="-", metavar="TRIALS.tsv",
                   help="the trials (default: standard input)")
    p.set_defaults(func=main)


def _positive(s):
    try:
        v = float(s)
    except ValueError:
        v = float("nan")
    if not math.isfinite(v) or v <= 0:
        raise argparse.ArgumentTypeError("'%s' is not a positive number of "
                                         "seconds" % s)
    return v


def main(args):
    try:
        if args.trials == "-":
            trials = parse_trials(sys.stdin, "<stdin>")
        else:
            with open(args.trials) as f:
                trials = parse_trials(f, args.trials)
    except OSError as e:
        print("bench-stats: %s: %s" % (args.trials, e.strerror),
              file=sys.stderr)
        return 1
    except ValueError as e:
        print("bench-stats: %s" % e, file=sys.stderr)
        return 1
    for row in cells(trials, args.cap, args.base):
        print(format_cell(row))
    return 0
