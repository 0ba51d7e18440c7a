"""The campaign report as one self-contained web page: report.html.

The same content as report.md (report.markdown), from the same data model
(report.build): the summary, the findings (crashing seeds, the crash table
with new and known signatures, the known root causes suppressed with their
hit counts, unreproducible groups), fixed verification, what ran per
target with the plots, source coverage, and what changed since the
previous campaign.

One file that can be mailed, attached to a CI run or opened from an
archive: the CSS is inline, the plots (coverage.png, execs.png) are
embedded as data: URIs, or a visible "no plot" note stands in their place;
there is no script, and a Content-Security-Policy tells the browser to
fetch nothing. The only link is the relative one to the llvm-cov pages,
coverage/index.html, which sit beside it in the campaign folder. Every
string from the data is escaped (html.escape) where it is written.
"""
import base64
import html
import os

from chanfuzz import report

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# gnuplot's plots are 1100x700, tens of kB; a bigger file is not one of
# ours, and base64 would make the page a third larger again.
MAX_PLOT_BYTES = 8 << 20
PLOTS = (("coverage.png", "coverage over time"),
         ("execs.png", "executions over time"))
CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
CSS = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5em auto;
       max-width: 1400px; padding: 0 1em; color: #1b1f24; }
h1 { font-size: 1.6em; }
h2 { margin-top: 1.6em; border-bottom: 1px solid #ccd; }
table { border-collapse: collapse; margin: .6em 0 1em; }
th, td { border: 1px solid #c8ccd4; padding: .25em .55em; text-align: left;
         vertical-align: top; }
th { background: #eef0f4; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
.wide { overflow-x: auto; }
code, pre { font: 12.5px ui-monospace, monospace; }
pre { background: #f5f6f8; padding: .6em; overflow-x: auto; }
tr.new { background: #fff1f0; }
strong.new { color: #b3261e; }
.noplot { border: 2px dashed #b0b4bc; padding: 1.5em; color: #555;
          max-width: 40em; }
figure { margin: 1em 0; } figure img { max-width: 100%; height: auto; }
"""


def esc(s):
    """Text from the data, escaped for an element or an attribute."""
    return html.escape("" if s is None else str(s))


def code(s):
    return "<code>%s</code>" % esc(s)


def table(head, rows, num=(), attrs=""):
    """head: the header texts; rows: lists of cells, already HTML; num:
    the indexes of right-aligned (numeric) columns."""
    def cls(i):
        return ' class="n"' if i in num else ""
    L = ['<div class="wide"><table%s>' % attrs, "<thead><tr>" + "".join(
        "<th%s>%s</th>" % (cls(i), esc(h)) for i, h in enumerate(head)) +
        "</tr></thead>", "<tbody>"]
    for r in rows:
        tr = "<tr>"
        if isinstance(r, tuple):  # (tr attributes, cells)
            tr, r = "<tr%s>" % r[0], r[1]
        L.append(tr + "".join("<td%s>%s</td>" % (cls(i), c)
                              for i, c in enumerate(r)) + "</tr>")
    L.append("</tbody></table></div>")
    return "\n".join(L)


def ul(items):
    return "<ul>\n%s\n</ul>" % "\n".join("<li>%s</li>" % i for i in items)


def plot(out, name, alt):
    """name embedded as a data: URI, or the note saying why there is none."""
    why = None
    try:
        with open(os.path.join(out, name), "rb") as f:
            data = f.read(MAX_PLOT_BYTES + 1)
    except FileNotFoundError:
        why = ("was not written (no stats.tsv samples, or gnuplot missing "
               "or failed: campaign.log, logs/gnuplot.log)")
    except OSError as e:
        why = "cannot be read (%s)" % e.strerror
    else:
        if len(data) > MAX_PLOT_BYTES:
            why = "is larger than %d MiB" % (MAX_PLOT_BYTES >> 20)
        elif not data.startswith(PNG_MAGIC):
            why = "is not a PNG file"
    if why:
        return '<p class="noplot">no plot: %s %s</p>' % (esc(name), esc(why))
    return ('<figure><img src="data:image/png;base64,%s" alt="%s">'
            "<figcaption>%s</figcaption></figure>" % (
                base64.b64encode(data).decode("ascii"), esc(alt),
                esc(name)))


def _summary(rep):
    c, cov, tot = rep["campaign"], rep["coverage"], rep["totals"]
    engines = ", ".join("AFL++" if e == "afl" else "libFuzzer"
                        for e in c["engines"])
    crashes = "%d crash files, %d signature(s), %d new" % (
        tot["crash_files"], tot["signatures"], tot["new_signatures"])
    if tot["unreproducible_groups"]:
        crashes += ", %d unreproducible group(s)" % tot[
            "unreproducible_groups"]
    if tot["crashing_seeds"]:
        crashes += ", %d crashing seed(s)" % tot["crashing_seeds"]
    if tot["suppressed_hits"]:
        crashes += "; known root causes hit {:,} times, suppressed".format(
            tot["suppressed_hits"])
    p = cov["parsers"] or {}
    rows = [
        ("folder", code(c["dir"])),
        ("host", esc("%s (%s cores, %s jobs)" % (c["host"], c["cores"],
                                                 c["jobs"]))),
        ("started / finished", esc("%s / %s" % (c["started"],
                                                c["finished"]))),
        ("fuzzing time", esc("%s of a %s budget%s" % (
            report.dur(c["fuzz_seconds"]), report.dur(c["budget_s"]),
            " (in %d runs: resumed)" % c["runs"] if c["runs"] > 1 else ""))),
        ("targets", esc(", ".join(c["targets"]))),
        ("engines", esc(engines)),
        ("executions", esc("libFuzzer %s, AFL++ %s" % (
            report.human(tot["libfuzzer_execs"]),
            report.human(tot["aflpp_execs"])))),
        ("source coverage of parsers/", esc("lines %s, regions %s" % (
            report._pc(p.get("lines")), report._pc(p.get("regions"))))),
        ("crashes", esc(crashes)),
        ("known root causes",
         "suppressed (their hits are counted below; <code>--no-suppress"
         "</code> turns it off)" if c["suppress_known"] else
         "not suppressed (<code>--no-suppress</code>)")]
    if c["sync"]:
        rows.append(("AFL++ sync", "%s, role %s, instances %s" % (
            code(c["sync"]["dir"]), esc(c["sync"]["role"]),
            code(c["sync"]["instance_prefix"] + "-*"))))
    return ('<table class="summary" id="summary">\n%s\n</table>' % "\n".join(
        '<tr><th scope="row">%s</th><td>%s</td></tr>' % (esc(k), v)
        for k, v in rows))


def _findings(rep):
    c, cr = rep["campaign"], rep["crashes"]
    H = ['<h2 id="findings">Findings</h2>']
    if cr["crashing_seeds"]:
        H.append("<p><strong>Crashing seeds and regression inputs</strong> "
                 "(replayed before fuzzing; each is filed, and left out of "
                 "the start corpus):</p>")
        rows = []
        for g in report.seed_groups(cr["crashing_seeds"]):
            ex = ["%s %s %s" % (esc(t), esc(k), code(n[:12]))
                  for t, k, n in g["examples"]]
            if g["count"] > len(ex):
                ex.append(esc("and %d more" % (g["count"] - len(ex))))
            rows.append([code(g["folder"]) + (" (new)" if g["new"] else ""),
                         esc(g["type"]), esc(g["count"]),
                         esc(", ".join(g["targets"])), "; ".join(ex)])
        H.append(table(report.SEED_HEAD, rows, num=(2,),
                       attrs=' id="crashing-seeds"'))
    real, groups = report.crash_rows(cr)
    if not real:
        H.append('<p id="no-crash">No crash.</p>')
    else:
        rows = []
        for s in real:
            what = '<strong class="new">new</strong>' if s["new"] else esc(
                "flaky" if s["flaky"] else "seen again")
            if s["from_seed"]:
                what += " (seed)"
            rows.append((' class="new"' if s["new"] else "", [
                what, code(s["folder"]), esc(s["crash_type"]),
                code(s["root_cause"]) if s["root_cause"]
                else esc("stack: " + " < ".join(s["frames"])),
                esc(s["target"]), esc(", ".join(s["sensor_builds"])),
                code("%s:%d" % (s["location"]["file"],
                                s["location"]["line"])) +
                esc(report.where_note(s)),
                esc(s["files_this_campaign"]), code(s["repro"])]))
        H.append(table(["", "signature", "crash type", "root cause",
                        "target", "sensor builds", "where", "files",
                        "reproduce"], rows, num=(7,),
                       attrs=' id="crash-table"'))
    if cr["suppressed"]:
        H.append("<p><strong>Known root causes, suppressed</strong> (the "
                 "regression corpus's detect/open entries already filed in "
                 "the crash store: the fuzzing builds refuse their reads and "
                 "count them, so that the fuzzers look past them):</p>")
        H.append(ul("%s %s (%s): hit %s times, suppressed in %s" % (
            code(s["folder"]), esc(s["crash_type"]), esc(s["root_cause"]),
            esc("{:,}".format(s["hits"])), esc(s["target"]))
            for s in cr["suppressed"]))
    if cr["known_listed"]:
        H.append("<p>Known entries not suppressed:</p>")
        H.append(ul("%s %s (%s): %s" % (
            esc(k["target"]), code(k["entry"]), esc(k["expect"]),
            esc(k["reason"])) for k in cr["known_listed"]))
    if groups:
        H.append("<p><strong>Unreproducible crashes</strong> (they did not "
                 "fault when replayed alone; grouped by target and by the "
                 "fault as the engine saw it):</p>")
        items = []
        for g in groups:
            extra = ""
            h = g.get("history_replay")
            if h:
                extra = esc("; after %d preceding queue entries in one "
                            "process: %s" % (h["entries"], h["fault"] or
                                             "still no fault"))
            items.append("%s, %s: %d file(s) this campaign, %s%s" % (
                esc(g["target"]), esc(g.get("engine_fault") or
                                      g["crash_type"]),
                g["files_this_campaign"], code(g["folder"]), extra))
        H.append(ul(items))
    if not cr["triage_complete"]:
        H.append("<p><strong>Triage did not finish</strong>: run %s to "
                 "triage the rest.</p>" % code(
                     "scripts/campaign.sh --resume " + c["dir"]))
    ver = cr.get("verification")
    if ver is not None:
        H.append('<h2 id="verification">Fixed verification</h2>')
        H.append("<p>Every folder of the crash store %s, replayed on "
                 "tonight's builds:</p>" % code(c["crashes_dir"]))
        if not ver:
            H.append("<p>The crash store is empty.</p>")
        else:
            H.append(table(["signature", "target", "crash type", "verdict"],
                           [[code(v["folder"]), esc(v.get("target")),
                             esc(v.get("type")), esc(v["verdict"])]
                            for v in ver], attrs=' id="verification-table"'))
    return "\n".join(H)


def _what_ran(rep, out):
    t0 = rep["schedule"]
    H = ['<h2 id="what-ran">What ran</h2>',
         "<p>Split (docs/CAMPAIGN.md): %s. Here: %d target(s) at a time, "
         "%d group(s)%s.</p>" % (
             esc(t0["rule"]), t0["concurrent_targets"], t0["groups"],
             ", slices of %ds" % t0["slice_s"] if t0["groups"] > 1 else "")]
    rows = []
    for t in rep["targets"]:
        lf, a = t["libfuzzer"], t["aflpp"]
        rows.append([esc(x) for x in (
            t["target"], report.dur(t["fuzz_seconds"]),
            report.human(lf["execs"]), report.human(lf["execs_per_sec"]),
            "%d (%d)" % (lf["runs"], lf["runs_ending_in_crash"]),
            "%d / %d" % (lf["cov_plain"], lf["cov_smart"]),
            report.human(a["execs"]), report.human(a["execs_per_sec"]),
            "%s%%" % a["bitmap_cvg"], a["edges_found"],
            ", ".join(i["name"] for i in a["instances"]),
            t["merged_corpus"], t["afl_cmin_corpus"], t["crash_files"])])
    H.append(table(["target", "fuzzed", "libFuzzer execs", "exec/s",
                    "runs (crashed)", "cov plain / smart", "AFL++ execs",
                    "exec/s", "bitmap", "edges", "instances",
                    "merged corpus", "afl-cmin", "crash files"], rows,
                   num=(1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13),
                   attrs=' id="targets-table"'))
    H.append("<p>%s</p>" % esc(report.COV_NOTE))
    for (cap, head, rows), num in (
            (report.lf_build_rows(rep["targets"]), range(1, 7)),
            (report.whatsup_rows(rep.get("aflpp_summary") or {},
                                 [t["target"] for t in rep["targets"]]),
             ())):
        if rows:
            H += ["<p>%s</p>" % esc(cap),
                  table(head, [[esc(c) for c in r] for r in rows], num=num)]
    H += [plot(out, name, alt) for name, alt in PLOTS]
    return "\n".join(H)


def _coverage(rep):
    cov = rep["coverage"]
    p, a = cov["parsers"] or {}, cov["all"] or {}
    H = ['<h2 id="coverage">Source coverage</h2>']
    if cov.get("html"):
        H.append('<p>Merged corpora replayed on build/coverage/&lt;target&gt;'
                 ' (clang source-based coverage): <a id="coverage-link" '
                 'href="%s">%s</a>.</p>' % (esc(cov["html"]),
                                           esc(cov["html"])))
    else:
        H.append('<p class="noplot">no coverage report: the coverage step '
                 'wrote no summary (campaign.log)</p>')
    H.append(ul([
        esc("parsers/: lines %s, regions %s, functions %s" % (
            report._pc(p.get("lines")), report._pc(p.get("regions")),
            report._pc(p.get("functions")))),
        esc("everything built (parsers/ and harness/): lines %s, regions "
            "%s" % (report._pc(a.get("lines")),
                    report._pc(a.get("regions"))))]))
    if cov.get("summary_parsers"):
        H.append("<pre>%s</pre>" % esc(cov["summary_parsers"]))
    return "\n".join(H)


def _previous(rep):
    H = ['<h2 id="previous">Since the previous campaign</h2>']
    pv = rep["previous"]
    if pv is None:
        H.append("<p>No previous campaign with a report in the same "
                 "folder.</p>")
        return "\n".join(H)
    H.append("<p>Previous: %s (finished %s).</p>" % (
        code(pv["id"]), esc(pv["finished"])))
    H.append(ul([
        "new signatures: %s" % (", ".join(
            code(f) for f in pv["new_signatures"]) or "none"),
        "not seen again (fixed, or not reached tonight): %s" % (", ".join(
            code(f) for f in pv["fixed_signatures"]) or "none"),
        esc("coverage of parsers/: lines %s points, regions %s points" % (
            report._sg(pv["coverage_delta"]["parsers_lines_percent"]),
            report._sg(pv["coverage_delta"]["parsers_regions_percent"]))),
        esc("executions: libFuzzer %s, AFL++ %s" % (
            report._sg(pv["execs_delta"]["libfuzzer"]),
            report._sg(pv["execs_delta"]["aflpp"])))]))
    return "\n".join(H)


def render(rep, out=None):
    """report.html of the data model rep; the plots are read from out, the
    campaign folder (rep's own by default)."""
    out = out or rep["campaign"]["dir"]
    title = "Fuzz campaign %s" % rep["campaign"]["id"]
    body = [
        "<h1>%s</h1>" % esc(title), _summary(rep), _findings(rep),
        _what_ran(rep, out), _coverage(rep), _previous(rep),
        '<h2 id="files">Files</h2>',
        table(["file", "what"], [[esc(f), esc(w)] for f, w in report.FILES],
              attrs=' id="files-table"')]
    return "\n".join([
        "<!DOCTYPE html>", '<html lang="en">', "<head>",
        '<meta charset="utf-8">',
        '<meta http-equiv="Content-Security-Policy" content="%s">' % esc(CSP),
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>%s</title>" % esc(title),
        "<style>%s</style>" % CSS, "</head>", "<body>"] + body +
        ["</body>", "</html>"]) + "\n"
