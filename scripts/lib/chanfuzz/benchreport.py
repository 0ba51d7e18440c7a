"""The report of `scripts/chanfuzz bench` (scripts/bench.sh): the Markdown
and the JSON of bench/results/<UTC date>[-quick].md and .json, from what
the sections measured (docs/BENCH.md explains every table).

A run is a dict:
    meta      day, stamp, mode, commit, duration, parts, build_s, nproc,
              cpu, clang, afl, load_start, load_end, uptime_start,
              uptime_end
    settings  trials, cap, tput, afl_tput, parallel (ints); bugs, configs,
              crcs, offcfg (lists); base (the baseline configuration),
              deepest (the deepest defect of the zoo), scale_budget
    results   the sections' values, each absent when the section did not
              run: check, tput, smart (lists of rows, each a list of the
              fields as text), mutstat ("key=value ..."), trials (the
              time-to-bug trials, rows of 12 fields), regress, scaling,
              filed ("ok\\t..." or "na\\t<why>"), filed_json, filed_md

The cells of the time-to-bug table come from the trials through
benchstats (the statistics are there). Numbers are read and printed as
the shell version read and printed them (awk's printf: %d truncates,
%.Nf rounds), so that a report re-rendered here reads as the old one.
"""
import json
import os
import re

from chanfuzz import benchcampaign, benchstats, store

TPUT_FIELDS = ("engine", "target", "execs", "seconds", "exec_s",
               "ceiling_exec_s", "share", "note")
SMART_FIELDS = ("target", "plain_exec_s", "smart_exec_s", "share",
                "plain_replay_of_smart_corpus_exec_s", "share_vs_replay")
CELL_FIELDS = ("bug", "crc", "config", "trials", "found", "reached",
               "median_reach_s", "median_reach_censored", "median_trigger_s",
               "median_trigger_censored", "rmst_s", "ratio_vs_base", "mwu_p",
               "a12")
TRIAL_FIELDS = ("bug", "crc", "config", "trial", "found", "trigger_s",
                "reached", "reach_s", "end_s", "execs", "signature", "seed")
CHECK_FIELDS = ("bug", "crc", "libfuzzer_fault", "afl_fault", "seeds_clean")
STATISTICS = ("medians with un-found trials at the cap; RMST from "
              "Kaplan-Meier up to the cap; Mann-Whitney U two-sided, normal "
              "approximation with tie and continuity corrections; A12 = "
              "P(config faster than baseline) + P(tie)/2")

_NUMBER = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?\Z")


def num(s):
    """A field as awk reads it in a number context: its leading number,
    0 for none."""
    if isinstance(s, (int, float)):
        return s
    m = re.match(r"\s*[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?",
                 s or "")
    return float(m.group(0)) if m else 0.0


def json_value(s):
    """A field as the JSON report holds it: a number when it is one (an
    integral value as an integer), else the text."""
    if not isinstance(s, str) or not _NUMBER.match(s):
        return s
    v = float(s)
    return int(v) if v.is_integer() and abs(v) < 1e17 else v


def rows_json(rows, fields):
    """Rows of fields as a list of objects (numbers where numeric; a
    missing field is null)."""
    return [{k: json_value(r[i]) if i < len(r) else None
             for i, k in enumerate(fields)} for r in rows]


def tsv_split(s):
    """'ok\\tA\\tB' -> ['ok', 'A', 'B'] ('' -> [])."""
    return s.split("\t") if s else []


def cells(trials, cap, base):
    """The time-to-bug cells (rows of text fields) of the trials."""
    lines = ["\t".join(t) for t in trials]
    return [benchstats.format_cell(c).split("\t") for c in
            benchstats.cells(benchstats.parse_trials(lines), cap, base)]


def mutkey(mutstat, key):
    for w in (mutstat or "").split():
        k, _, v = w.partition("=")
        if k == key:
            return v
    return ""


def _pct(x):
    return "%.0f%%" % (100 * x)


# ---- the figures issue 7 names ---------------------------------------------
def figures(run, cell_rows):
    """(figure, target, measured, met) rows."""
    st, res = run["settings"], run["results"]
    out = []
    fig = ("fuzz_interp_716 exec/s under libFuzzer + ASan, share of the "
           "do-nothing target")
    r = [row[6] for row in res.get("tput") or []
         if row[0] == "libfuzzer" and row[1] == "fuzz_interp_716"]
    if r and r[-1] != "":
        v = num(r[-1])
        out.append((fig, ">= 25%", "%.1f%%" % (100 * v),
                    "yes" if v >= 0.25 else "no"))
    else:
        out.append((fig, ">= 25%", "not measured", "n/a"))
    fig = ("structure-aware configs find every planted defect n/n, median "
           "time-to-trigger <= 60 s (CRC on)")
    smart = [c for c in cell_rows
             if c[1] == "on" and c[2] in ("lf-smart", "afl-smart")]
    if not smart:
        out.append((fig, "all n/n, <= 60 s", "not measured", "n/a"))
    else:
        miss = ["%s %s %d/%d %.1fs" % (c[0], c[2], num(c[4]), num(c[3]),
                                       num(c[8])) for c in smart
                if num(c[4]) < num(c[3]) or num(c[8]) > 60]
        out.append((fig, "all n/n, <= 60 s",
                    "missed: " + "; ".join(miss) if miss else
                    "%d of %d cells met" % (len(smart), len(smart)),
                    "no" if miss else "yes"))
    for cfg, lim, eng in (("lf-smart", 1, "libFuzzer"),
                          ("afl-smart", 15, "AFL++")):
        fig = ("CF-291 median time-to-trigger, %s with the structure-aware "
               "mutator, CRC on" % eng)
        c = [c for c in cell_rows
             if c[0] == "cf291" and c[1] == "on" and c[2] == cfg]
        if not c:
            out.append((fig, "<= %d s" % lim, "not measured", "n/a"))
            continue
        c = c[-1]
        med, cen = num(c[8]), num(c[9])
        out.append((fig, "<= %d s" % lim, "%s%.2f s (found %d/%d)" % (
            ">= " if cen else "", med, num(c[4]), num(c[3])),
            "yes" if med <= lim and not cen else "no"))
    fig = "structure-aware mutations that parse with the CRC check on (10,000)"
    mut = res.get("mutstat") or ""
    if mut:
        f, c = num(mutkey(mut, "fresh_pct")), num(mutkey(mut, "chain_pct"))
        out.append((fig, ">= 99%", "from seeds %.2f%%, chained %.2f%%" %
                    (f, c), "yes" if f >= 99 and c >= 99 else "no"))
    else:
        out.append((fig, ">= 99%", "not measured", "n/a"))
    rows = res.get("smart") or []
    if rows:
        low = min(rows, key=lambda r: num(r[3]))  # the first of the lowest
        replays = [num(r[5]) for r in rows if num(r[4]) > 0]
        out.append((
            "_smart exec/s as a share of the plain twin, both from the seeds "
            "for the same time (every target)", ">= 80%",
            "%s (lowest %s); against the plain twin replaying the _smart "
            "corpus: lowest %s" % (
                ", ".join("%s %s" % (r[0], _pct(num(r[3]))) for r in rows),
                low[0], _pct(min(replays)) if replays else "n/a"),
            "yes" if num(low[3]) >= 0.8 else "no"))
    else:
        out.append(("_smart exec/s as a share of the plain twin (every "
                    "target)", ">= 80%", "not measured", "n/a"))
    out.append(_deepest(st, cell_rows))
    out.append(_scaling_figure(res.get("scaling") or ""))
    out.append(_filed_figure(res))
    return out


def _deepest(st, cell_rows):
    d, base = st["deepest"], st["base"]
    fig = ("deepest defect (%s), best configuration against libFuzzer on "
           "bytes, medians with the cap counted, CRC on" % d)
    bm = bc = best = None
    for c in cell_rows:
        if c[0] != d or c[1] != "on":
            continue
        if c[2] == base:
            bm, bc = num(c[8]), num(c[9])
        elif best is None or num(c[8]) < best[0]:
            best = (num(c[8]), c[2], num(c[9]))
    if bm is None or best is None:
        return (fig, ">= 10x", "not measured", "n/a")
    r = bm / (best[0] if best[0] > 0.01 else 0.01)
    return (fig, ">= 10x", "%s%.1fx (%s %s%.2f s vs %s %s%.2f s)" % (
        ">= " if bc else "", r, best[1], ">= " if best[2] else "", best[0],
        base, ">= " if bc else "", bm),
        "yes" if r >= 10 and not best[2] else "no")


def _scaling_figure(s):
    a = tsv_split(s)
    if s.startswith("ok"):
        return ("campaign with 2 jobs against 1: each engine's exec/s as a "
                "share of the same engine alone, summed", ">= 1.8x",
                "%.2fx (AFL++ %.0f of %.0f exec/s, libFuzzer %.0f of %.0f)" %
                (num(a[5]), num(a[3]), num(a[1]), num(a[4]), num(a[2])),
                "yes" if num(a[5]) >= 1.8 else "no")
    if not s:
        return ("campaign with 2 jobs against 1", ">= 1.8x", "not measured",
                "n/a")
    return ("campaign with 2 jobs against 1", ">= 1.8x",
            "not available (%s)" % _why(s), "n/a")


def _why(s):
    """What follows the first tab of 'na\\t<why>' (all of it when none)."""
    return s.split("\t", 1)[1] if "\t" in s else s


def _filed_figure(res):
    s = res.get("filed") or ""
    if s.startswith("ok"):
        f = res.get("filed_json") or {}
        defects = f.get("defects") or {}

        def jq(v):
            return "null" if v is None else str(v)
        found = ", ".join("%s %s/%s" % (
            k, jq((v.get("summary") or {}).get("found")),
            jq((v.get("summary") or {}).get("trials")))
            for k, v in defects.items())
        short = [k for k, v in defects.items()
                 if (v.get("summary") or {}).get("found", 0) * 10 <
                 (v.get("summary") or {}).get("trials", 0) * 9]
        return ("each new defect filed as a signature of its own by a "
                "default campaign (%s)" % f.get("budget"), ">= 9/10 each",
                found, "no" if short else "yes")
    if not s:
        return ("new defects filed as their own signature", ">= 9/10 each",
                "not measured", "n/a")
    return ("new defects filed as their own signature", ">= 9/10 each",
            "not available (%s)" % _why(s), "n/a")


# ---- Markdown ------------------------------------------------------------
def markdown(run, cell_rows=None, figs=None):
    """The report's Markdown text."""
    m, st, res = run["meta"], run["settings"], run["results"]
    if cell_rows is None:
        cell_rows = cells(res.get("trials") or [], st["cap"], st["base"])
    figs = figs if figs is not None else figures(run, cell_rows)
    L = ["# chanfuzz benchmarks, %s (%s)" % (m["day"], m["mode"]), "",
         "Produced by `scripts/bench.sh` (docs/BENCH.md explains the method "
         "and how",
         "to read every table). Run %s, commit %s; %s s of" % (
             m["stamp"], m["commit"], m["duration"])]
    if m["parts"] > 1:
        L += ["benchmarks in %d parts (interrupted and resumed with --resume;"
              % m["parts"],
              "builds before the last part: %s s)." % m["build_s"]]
    else:
        L.append("benchmarks (builds before it: %s s)." % m["build_s"])
    L += ["",
          "- **Machine:** %s cores, %s; %s; %s." % (
              m["nproc"], m["cpu"], m["clang"], m["afl"]),
          "- **Load** (1/5/15-minute averages) at the start: %s; at the end: "
          "%s." % (m["load_start"], m["load_end"]),
          "  The load counts the benchmark's own trials (%d at a time); other "
          "jobs on" % st["parallel"],
          "  the machine would add noise to the throughput figures (the "
          "targets and the",
          "  do-nothing ceiling are measured in the same run to cancel most "
          "of it).",
          "- **Settings:** %d trials per cell, cap %d s, %d trials at a time"
          % (st["trials"], st["cap"], st["parallel"]),
          "  (one core each); throughput windows %d s (libFuzzer) and %d s "
          "(AFL++);" % (st["tput"], st["afl_tput"]),
          "  defects: %s; configurations: %s; CRC: %s" % (
              " ".join(st["bugs"]), " ".join(st["configs"]),
              " ".join(st["crcs"])),
          "  (CRC-skipping baseline for: %s)." % " ".join(st["offcfg"]), "",
          "## Figures (issue 7)", "",
          "| figure | target | measured | met |",
          "| --- | --- | --- | --- |"]
    L += ["| %s | %s | %s | %s |" % f for f in figs]
    L.append("")
    L += _md_throughput(res)
    L += _md_mutator(res)
    L += _md_ttb(res, cell_rows, st["base"])
    L += _md_check(res)
    L += _md_regress(res.get("regress") or "")
    L += _md_scaling(res.get("scaling") or "", st.get("scale_budget", 60))
    L += ["## Filed as its own signature", ""]
    filed = res.get("filed") or ""
    if filed.startswith("ok"):
        # bench-campaign's own Markdown, without its title
        md = res.get("filed_md")
        if md is None:
            md = benchcampaign.markdown(res.get("filed_json") or {})
        L += md.split("\n")[2:-1] if md.endswith("\n") else \
            md.split("\n")[2:]
    elif not filed:
        L.append("Not measured in this run.")
    else:
        L.append("Not available: %s." % _why(filed))
    found = sum(1 for t in res.get("trials") or [] if t[10] == "ok")
    L += ["",
          "Raw data: the .json file next to this one (every trial: defect, "
          "CRC,",
          "configuration, seed, found, times, execs; %d trials found their "
          "defect)." % found]
    return "\n".join(L) + "\n"


def _md_throughput(res):
    rows = res.get("tput") or []
    if not rows:
        return []
    L = ["## Throughput", "",
         "exec/s over the whole window (libFuzzer: "
         "`stat::number_of_executed_units`",
         "over wall time; AFL++: `execs_done` and `execs_per_sec` from "
         "`fuzzer_stats`),",
         "and its share of the do-nothing target's (the ceiling: the mean of "
         "a run",
         "before and one after the targets).", "",
         "| engine | target | execs | seconds | exec/s | ceiling exec/s | "
         "share |",
         "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        note = r[7] if len(r) > 7 else ""
        L.append("| %s | %s | %d | %.1f | %d | %d | %.1f%%%s |" % (
            r[0], r[1], num(r[2]), num(r[3]), num(r[4]), num(r[5]),
            100 * num(r[6]), " (%s)" % note if note else ""))
    return L + [""]


def _md_mutator(res):
    mut, rows = res.get("mutstat") or "", res.get("smart") or []
    if not mut and not rows:
        return []
    L = ["## Mutator", ""]
    if mut:
        k = lambda key: mutkey(mut, key)  # noqa: E731
        L += ["Of %s structure-aware mutations (`cf_mut_mutate`, max 8192 "
              "bytes) of" % k("runs"),
              "the %s seeds in build/corpus, with the CRC check on: %s" % (
                  k("seeds"), k("fresh_ok")),
              "(%s%%) parse when each is made from a seed, %s" % (
                  k("fresh_pct"), k("chain_ok")),
              "(%s%%) when chained as a fuzzer chains them; %s" % (
                  k("chain_pct"), k("mutations_per_s")),
              "mutations per second (plain -O2 build).", ""]
    if rows:
        L += ["Each `_smart` target against its plain twin: both fuzzing "
              "from the same",
              "seeds for the same time (the plain twin's byte mutations "
              "mostly fail the",
              "CRC check, which is cheap), and the plain twin replaying, "
              "without",
              "mutation, the corpus the `_smart` run grew (the same inputs: "
              "what is",
              "left is the mutator's own cost).", "",
              "| target | plain exec/s | _smart exec/s | _smart / plain | "
              "plain replaying the _smart corpus, exec/s | _smart / that |",
              "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for r in rows:
            rep = num(r[4]) > 0
            L.append("| %s | %d | %d | %.1f%% | %s | %s |" % (
                r[0], num(r[1]), num(r[2]), 100 * num(r[3]),
                "%d" % num(r[4]) if rep else "- (under 50 inputs)",
                _pct(num(r[5])) if rep else "-"))
        L.append("")
    return L


def _md_ttb(res, cell_rows, base):
    if not cell_rows:
        return []
    L = ["## Time to bug", "",
         "Per cell: found / trials; medians over all trials with un-found "
         "ones counted",
         "at the cap (`>=` marks a median that is the cap); RMST = "
         "Kaplan-Meier",
         "restricted mean time-to-trigger up to the cap; against `%s` with "
         "the same" % base,
         "CRC mode: × = ratio of medians (> 1: faster), p = two-sided "
         "Mann-Whitney U",
         "(normal approximation, tie- and continuity-corrected), A12 = "
         "Vargha-Delaney",
         "(probability that this configuration is faster; 0.5 = no "
         "difference).",
         "Seconds since the fuzzer was launched.", "",
         "| defect | CRC | config | found | reached | median reach s | "
         "median trigger s | RMST s | × | p | A12 |",
         "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
         "| ---: |"]
    for c in cell_rows:
        L.append("| %s | %s | %s | %d/%d | %d/%d | %s%.2f | %s%.2f | %.2f | "
                 "%s | %s | %s |" % (
                     c[0], c[1], c[2], num(c[4]), num(c[3]), num(c[5]),
                     num(c[3]), ">= " if num(c[7]) else "", num(c[6]),
                     ">= " if num(c[9]) else "", num(c[8]), num(c[10]),
                     c[11], c[12], c[13]))
    L.append("")
    other = [t for t in res.get("trials") or [] if t[10] == "other"]
    if other:
        L += ["Trials that ended with a fault other than the planted one "
              "(counted as",
              "not found, censored when they ended):", ""]
        L += ["- %s %s %s trial %s, after %.1f s" % (
            t[0], t[1], t[2], t[3], num(t[8])) for t in other]
        L.append("")
    return L


def _md_check(res):
    rows = res.get("check") or []
    if not rows:
        return []
    return ["## Bug-zoo check", "",
            "Each benchmark build (its defect's patch, bench/bugs/) on each "
            "of its",
            "proof-of-concept inputs (the pocs of bench/bugs/zoo.tsv, one "
            "row each):",
            "faults with the expected report under libFuzzer + ASan and in "
            "the AFL++ guard",
            "build; and runs its seed corpus without a fault. `cf291-far`: "
            "the CF-291 read at",
            "field index 200, far past the inputs (the same build as "
            "`cf291`).", "",
            "| defect | CRC | libFuzzer fault | AFL++ fault | seeds clean |",
            "| --- | --- | --- | --- | --- |"] + \
        ["| %s | %s | %s | %s | %s |" % tuple(r[:5]) for r in rows] + [""]


def _md_regress(s):
    L = ["## Regression replay", ""]
    if s.startswith("ok"):
        a = [num(x) for x in tsv_split(s)[1:]]
        L.append("`scripts/regress.sh` replayed %d inputs in %.1f s: "
                 "**%.1f inputs/s** (%d failed, exit %d; replay builds made "
                 "beforehand, not timed)." % tuple(a[:5]))
    elif not s:
        L.append("Not measured in this run.")
    else:
        L.append("Not available: %s." % _why(s))
    return L + [""]


def _md_scaling(s, budget):
    L = ["## Scaling", ""]
    if s.startswith("ok"):
        a = [0.0] + [num(x) for x in tsv_split(s)[1:]]

        def share(x, y):
            return 100 * x / y if y > 0 else 0
        L += ["`scripts/campaign.sh --budget %ss --targets fuzz_interp_716`,"
              " exec/s over" % budget,
              "the fuzzing time (report.json); each engine of the 2-job "
              "campaign against",
              "the same engine alone in a 1-job campaign (`--engines`):", "",
              "| campaign | AFL++ exec/s | libFuzzer exec/s |",
              "| --- | ---: | ---: |",
              "| --jobs 1 --engines afl | %.0f | - |" % a[1],
              "| --jobs 1 --engines libfuzzer | - | %.0f |" % a[2],
              "| --jobs 2 (default: 1 AFL++ + 1 libFuzzer) | %.0f (%.0f%%) | "
              "%.0f (%.0f%%) |" % (a[3], share(a[3], a[1]), a[4],
                                   share(a[4], a[2])),
              "",
              "Sum of the shares: **%.2fx** (2.00 = each job as fast as "
              "alone). For" % a[5],
              "information: AFL++ only, 2 instances (main + cmplog) against "
              "1, raw execs: %.2fx;" % a[6],
              "all execs of the 2-job campaign against the 1-job one (unlike "
              "engines): %.2fx." % a[7]]
    elif not s:
        L.append("Not measured in this run.")
    else:
        L.append("Not available: %s." % _why(s))
    return L + [""]


# ---- JSON ------------------------------------------------------------------
def _na(s):
    """{available: false, note} of a section's 'na\\t<why>' ('' = not
    measured)."""
    a = tsv_split(s)
    return {"available": False,
            "note": a[1] if len(a) > 1 else "not measured"}


def report_json(run, cell_rows=None, figs=None):
    """The report's JSON object."""
    m, st, res = run["meta"], run["settings"], run["results"]
    if cell_rows is None:
        cell_rows = cells(res.get("trials") or [], st["cap"], st["base"])
    figs = figs if figs is not None else figures(run, cell_rows)
    mut = res.get("mutstat") or ""
    mutator = None
    if mut:
        mutator = {}
        for w in mut.split(" "):
            if "=" in w:
                p = w.split("=")
                mutator[p[0]] = json_value(p[1])
        mutator["smart"] = rows_json(res.get("smart") or [], SMART_FIELDS)
    regress = res.get("regress") or ""
    if regress.startswith("ok"):
        a = [json_value(x) for x in tsv_split(regress)]
        regress = dict(zip(("inputs", "seconds", "inputs_per_s", "failed",
                            "exit"), a[1:6]))
    else:
        regress = _na(regress)
    scaling = res.get("scaling") or ""
    if scaling.startswith("ok"):
        a = [json_value(x) for x in tsv_split(scaling)]
        scaling = dict(zip(
            ("aflpp_alone_exec_s", "libfuzzer_alone_exec_s",
             "aflpp_in_2_jobs_exec_s", "libfuzzer_in_2_jobs_exec_s",
             "sum_of_shares", "aflpp_2_instances_raw_ratio",
             "all_execs_2_jobs_vs_1_raw_ratio"), a[1:8]))
        scaling = dict({"budget_s": st.get("scale_budget", 60),
                        "target": "fuzz_interp_716"}, **scaling)
    else:
        scaling = _na(scaling)
    filed = res.get("filed") or ""
    filed = res.get("filed_json") if filed.startswith("ok") else _na(filed)
    return {
        "date": m["day"], "stamp": m["stamp"], "mode": m["mode"],
        "commit": m["commit"], "duration_s": m["duration"],
        "parts": m["parts"], "build_s": m["build_s"],
        "machine": {"nproc": m["nproc"], "cpu": m["cpu"],
                    "clang": m["clang"], "afl": m["afl"],
                    "load_start": m["load_start"], "load_end": m["load_end"],
                    "uptime_start": m["uptime_start"],
                    "uptime_end": m["uptime_end"], "shared": True},
        "settings": {"trials": st["trials"], "cap_s": st["cap"],
                     "tput_window_s": st["tput"],
                     "afl_tput_window_s": st["afl_tput"],
                     "parallel": st["parallel"], "bugs": list(st["bugs"]),
                     "configs": list(st["configs"]),
                     "crc": list(st["crcs"]),
                     "crc_off_configs": list(st["offcfg"]),
                     "baseline": st["base"], "statistics": STATISTICS},
        "figures": rows_json(figs, ("figure", "target", "measured", "met")),
        "throughput": rows_json(res.get("tput") or [], TPUT_FIELDS),
        "mutator": mutator,
        "time_to_bug": {
            "cells": rows_json(cell_rows, CELL_FIELDS),
            "trials": rows_json(res.get("trials") or [], TRIAL_FIELDS)},
        "bug_zoo_check": rows_json(res.get("check") or [], CHECK_FIELDS),
        "regress": regress,
        "scaling": scaling,
        "filed": filed,
    }


def write(run, out):
    """Write OUT/<day>[-quick].md and .json (each through a temporary file
    in OUT, then renamed); (md path, json path, figures)."""
    st, res = run["settings"], run["results"]
    cell_rows = cells(res.get("trials") or [], st["cap"], st["base"])
    figs = figures(run, cell_rows)
    md = markdown(run, cell_rows, figs)
    js = json.dumps(report_json(run, cell_rows, figs), indent=2,
                    ensure_ascii=False) + "\n"
    suffix = "-quick" if run["meta"]["mode"] == "quick" else ""
    base = os.path.join(out, run["meta"]["day"] + suffix)
    store.atomic_write(base + ".json", js)
    store.atomic_write(base + ".md", md)
    return base + ".md", base + ".json", figs


def summary_lines(figs):
    """The lines printed under 'wrote ...': met and figure of each."""
    return ["  %-4s %s: %s" % (f[3], f[0], f[2]) for f in figs]
