"""Tests of report.html (reporthtml.py) from the fixture campaign folder of
report_test.py: the golden page (testdata/campaign/report.html,
CHANFUZZ_UPDATE_GOLDEN=1 rewrites it), the same tables and lists as
report.md, every string escaped, nothing fetched, the plots embedded or a
note in their place. tests/sh/browser.sh opens the page in a browser."""
import base64
import html.parser
import os
import shutil
import tempfile
import unittest

from chanfuzz import cli, report, reporthtml
from chanfuzz.report_test import GOLDEN, NOW, make_campaign, normalise, png

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"}


class Page(html.parser.HTMLParser):
    """What a test looks at in a page: every tag with its attributes, the
    tables (id and rows of cell texts), the list items' and the notes'
    texts, and whether every element was closed where it was opened."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags, self.tables, self.items, self.notes = [], [], [], []
        self.stack, self.errors, self.cell = [], [], None
        self.feed(text)
        self.close()
        if self.stack:
            self.errors.append("not closed: %s" % self.stack)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag not in VOID:
            self.stack.append(tag)
        if tag == "table":
            self.tables.append({"id": a.get("id"), "rows": []})
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th", "li") or "noplot" in (a.get("class") or ""):
            self.cell = [tag, ""]

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("</%s> closes %s" % (tag, self.stack[-1:]))
            return
        self.stack.pop()
        if self.cell and tag == self.cell[0]:
            if tag in ("td", "th"):
                self.tables[-1]["rows"][-1].append(self.cell[1].strip())
            elif tag == "li":
                self.items.append(self.cell[1].strip())
            else:
                self.notes.append(self.cell[1].strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell:
            self.cell[1] += data

    def table(self, id_):
        return [t for t in self.tables if t["id"] == id_][0]["rows"]


def md_text(s):
    return s.replace("`", "").replace("**", "").strip()


def md_tables(md):
    """The Markdown tables: rows of cell texts, markup dropped."""
    tables, cur = [], None
    for line in md.splitlines():
        if line.startswith("|"):
            if cur is None:
                cur = []
                tables.append(cur)
            if not line.startswith("| ---"):
                cur.append([md_text(c) for c in line[1:-1].split(" | ")])
        else:
            cur = None
    return tables


def hostile(x):
    """x with every string given markup that must come out as text."""
    if isinstance(x, dict):
        return {k: hostile(v) for k, v in x.items()}
    if isinstance(x, list):
        return [hostile(v) for v in x]
    if isinstance(x, str):
        return x + '<i x="1">&amp;\'"'
    return x


class ReportHtmlTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-reporthtml-test.")
        self.out, self.crashes = make_campaign(self.tmp)
        self.rep = report.build(self.out, now=NOW, cores=2)
        self.html = reporthtml.render(self.rep)
        self.page = Page(self.html)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_golden_html(self):
        path = os.path.join(GOLDEN, "report.html")
        text = normalise(self.html, self.tmp)
        if os.environ.get("CHANFUZZ_UPDATE_GOLDEN") == "1":
            with open(path, "w") as f:
                f.write(text)
        with open(path) as f:
            self.assertEqual(text, f.read(), "report.html differs from the "
                             "golden file (CHANFUZZ_UPDATE_GOLDEN=1 "
                             "rewrites it)")

    def test_well_formed(self):
        self.assertEqual(self.page.errors, [])
        self.assertEqual(self.html.count("<html"), 1)

    def test_same_tables_and_lists_as_markdown(self):
        md = report.markdown(self.rep)
        want = md_tables(md)
        # report.md's summary table has an empty header row
        self.assertEqual(want[0][0], ["", ""])
        want[0] = want[0][1:]
        got = [t["rows"] for t in self.page.tables]
        self.assertEqual(got, want)
        items = [md_text(l[2:]) for l in md.splitlines()
                 if l.startswith("- ")]
        self.assertEqual(self.page.items, items)

    def test_crash_table(self):
        rows = self.page.table("crash-table")
        self.assertEqual(rows[0][:3], ["", "signature", "crash type"])
        self.assertEqual([r[1] for r in rows[1:]],
                         ["6a0f0d1c2b3a", "5c1e2b7f0a11"])
        self.assertEqual(rows[1][0], "new (seed)")
        self.assertEqual(rows[1][8], "scripts/repro.sh %s/crashes/"
                         "6a0f0d1c2b3a" % self.tmp)
        self.assertEqual(self.html.count('<tr class="new">'), 2)
        # the stack's "<" is text
        self.assertIn("stack: cf_chan_add_string &lt; parse_strings",
                      self.html)

    def test_nothing_is_fetched(self):
        names = {t for t, _ in self.page.tags}
        self.assertFalse(names & {"script", "link", "iframe", "object",
                                  "embed", "base", "form"}, names)
        srcs = [a["src"] for t, a in self.page.tags if "src" in a]
        self.assertEqual(len(srcs), 1)
        self.assertTrue(srcs[0].startswith("data:image/png;base64,"))
        hrefs = [a["href"] for t, a in self.page.tags if "href" in a]
        self.assertEqual(hrefs, ["coverage/index.html"])
        csp = [a["content"] for t, a in self.page.tags if t == "meta" and
               a.get("http-equiv") == "Content-Security-Policy"]
        self.assertEqual(csp, [reporthtml.CSP])
        self.assertNotIn("url(", self.html)

    def test_plot_embedded_or_noted(self):
        img = [a for t, a in self.page.tags if t == "img"][0]
        data = base64.b64decode(img["src"].split(",", 1)[1])
        with open(os.path.join(self.out, "coverage.png"), "rb") as f:
            self.assertEqual(data, f.read())
        self.assertEqual(img["alt"], "coverage over time")
        self.assertEqual(self.page.notes, [
            "no plot: execs.png was not written (no stats.tsv samples, or "
            "gnuplot missing or failed: campaign.log, logs/gnuplot.log)"])

    def test_a_plot_that_is_not_a_png_is_noted(self):
        with open(os.path.join(self.out, "execs.png"), "wb") as f:
            f.write(b"GIF89a")
        with open(os.path.join(self.out, "coverage.png"), "wb") as f:
            f.write(png(3, 3)[:8])   # the signature alone: still a "PNG"
        page = Page(reporthtml.render(self.rep))
        self.assertEqual(page.notes,
                         ["no plot: execs.png is not a PNG file"])

    def test_every_string_from_the_data_is_escaped(self):
        rep = hostile(self.rep)
        text = reporthtml.render(rep, self.out)
        self.assertNotIn("<i ", text)
        page = Page(text)
        self.assertEqual(page.errors, [])
        self.assertFalse({t for t, _ in page.tags} & {"i"})
        self.assertIn('&lt;i x=&quot;1&quot;&gt;&amp;amp;&#x27;&quot;', text)
        # the text a reader sees is the data's, unchanged
        self.assertIn('6a0f0d1c2b3a<i x="1">&amp;\'"',
                      [c for r in page.table("crash-table") for c in r])

    def test_no_crash_no_table(self):
        rep = dict(self.rep, crashes=dict(self.rep["crashes"],
                                          signatures=[]))
        page = Page(reporthtml.render(rep, self.out))
        self.assertFalse([t for t in page.tables if t["id"] ==
                          "crash-table"])
        self.assertIn("No crash.", reporthtml.render(rep, self.out))

    def test_the_report_command_writes_it(self):
        self.assertEqual(cli.main(["report", self.out]), 0)
        with open(os.path.join(self.out, "report.html")) as f:
            page = Page(f.read())
        self.assertEqual(page.errors, [])
        self.assertEqual(len(page.table("crash-table")), 3)
        self.assertEqual([f for f in os.listdir(self.out)
                          if f.startswith(".")], [])
        rep = report.build(self.out)
        self.assertEqual(rep["files"]["report_html"], "report.html")


if __name__ == "__main__":
    unittest.main()
