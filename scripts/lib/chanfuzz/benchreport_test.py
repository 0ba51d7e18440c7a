"""Tests of the benchmark's report (benchreport.py): a fixture run
(testdata/bench/run.json: every section measured, a trial that ended on
another fault, a cell with a censored median, a missed campaign trial)
gives the Markdown and the JSON of testdata/bench/report.md and .json,
which the shell version of the report (scripts/bench-report.sh before the
port) wrote from the same values; and the figures' edge cases."""
import copy
import json
import os
import tempfile
import unittest

from chanfuzz import benchreport as br

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "testdata",
                    "bench")


def fixture():
    with open(os.path.join(HERE, "run.json")) as f:
        return json.load(f)


def golden(name):
    with open(os.path.join(HERE, name), encoding="utf-8") as f:
        return f.read()


class GoldenTest(unittest.TestCase):
    def test_markdown_is_the_golden_one(self):
        self.assertEqual(br.markdown(fixture()), golden("report.md"))

    def test_json_is_the_golden_one(self):
        self.assertEqual(br.report_json(fixture()),
                         json.loads(golden("report.json")))

    def test_write_names_the_files_by_day_and_mode(self):
        run = fixture()
        with tempfile.TemporaryDirectory() as d:
            md, js, figs = br.write(run, d)
            self.assertEqual(md, os.path.join(d, "2026-12-01.md"))
            run["meta"]["mode"] = "quick"
            md2, js2, _ = br.write(run, d)
            self.assertEqual(js2, os.path.join(d, "2026-12-01-quick.json"))
            self.assertEqual(sorted(os.listdir(d)), [
                "2026-12-01-quick.json", "2026-12-01-quick.md",
                "2026-12-01.json", "2026-12-01.md"])  # no temporary left
            with open(md) as f:
                self.assertEqual(f.read(), golden("report.md"))
        self.assertEqual(len(figs), 9)
        self.assertEqual(br.summary_lines(figs)[0],
                         "  no   fuzz_interp_716 exec/s under libFuzzer + "
                         "ASan, share of the do-nothing target: 6.6%")


class EmptyRunTest(unittest.TestCase):
    def setUp(self):
        self.run = fixture()
        self.run["results"] = {}

    def test_nothing_measured(self):
        md = br.markdown(self.run)
        self.assertNotIn("## Throughput", md)
        self.assertNotIn("## Time to bug", md)
        self.assertEqual(md.count("Not measured in this run."), 3)
        self.assertTrue(md.endswith("execs; 0 trials found their defect).\n"))
        for f in br.figures(self.run, []):
            self.assertEqual((f[2], f[3]), ("not measured", "n/a"), f[0])

    def test_json_of_nothing(self):
        js = br.report_json(self.run)
        self.assertIsNone(js["mutator"])
        for k in ("regress", "scaling", "filed"):
            self.assertEqual(js[k], {"available": False,
                                     "note": "not measured"})
        self.assertEqual(js["time_to_bug"], {"cells": [], "trials": []})

    def test_not_available_says_why(self):
        self.run["results"]["scaling"] = "na\tskipped in quick mode"
        self.run["results"]["regress"] = "na\tmake replay failed"
        md = br.markdown(self.run)
        self.assertIn("Not available: skipped in quick mode.", md)
        self.assertIn("Not available: make replay failed.", md)
        js = br.report_json(self.run)
        self.assertEqual(js["scaling"]["note"], "skipped in quick mode")
        fig = [f for f in br.figures(self.run, []) if "2 jobs" in f[0]][0]
        self.assertEqual(fig[2], "not available (skipped in quick mode)")


class FigureTest(unittest.TestCase):
    def cells(self, run):
        st = run["settings"]
        return br.cells(run["results"]["trials"], st["cap"], st["base"])

    def test_a_missed_smart_cell_is_named(self):
        run = fixture()
        figs = br.figures(run, self.cells(run))
        f = figs[1]
        self.assertEqual(f[3], "no")
        self.assertEqual(f[2], "missed: cf291 lf-smart 2/3 1.2s")

    def test_deepest_against_a_censored_baseline(self):
        run = fixture()
        f = br.figures(run, self.cells(run))[6]
        self.assertEqual(f[2], ">= 83.3x (afl-smart 0.12 s vs lf-bytes "
                         ">= 10.00 s)")
        self.assertEqual(f[3], "yes")
        # without the baseline's cells: not measured
        run["results"]["trials"] = [t for t in run["results"]["trials"]
                                    if t[2] != "lf-bytes"]
        self.assertEqual(br.figures(run, self.cells(run))[6][2],
                         "not measured")

    def test_filed_needs_nine_of_ten(self):
        run = copy.deepcopy(fixture())
        f = br.figures(run, [])[-1]
        self.assertEqual((f[2], f[3]), ("supply 2/2, lexhex 1/2", "no"))
        d = run["results"]["filed_json"]["defects"]["lexhex"]["summary"]
        d.update(found=9, trials=10)
        self.assertEqual(br.figures(run, [])[-1][3], "yes")


class HelperTest(unittest.TestCase):
    def test_num_reads_like_awk(self):
        self.assertEqual(br.num("12.5"), 12.5)
        self.assertEqual(br.num("-"), 0)
        self.assertEqual(br.num(""), 0)
        self.assertEqual(br.num("3x"), 3)

    def test_json_value_as_jq_tonumber(self):
        self.assertEqual(br.json_value("1.000"), 1)
        self.assertIsInstance(br.json_value("1.000"), int)
        self.assertEqual(br.json_value("0.025"), 0.025)
        self.assertEqual(br.json_value("-"), "-")
        self.assertEqual(br.json_value(""), "")
        self.assertEqual(br.json_value("cf291"), "cf291")

    def test_rows_json_pads_with_null(self):
        self.assertEqual(br.rows_json([["a", "2"], ["b"]], ("x", "y")),
                         [{"x": "a", "y": 2}, {"x": "b", "y": None}])

    def test_mutkey(self):
        self.assertEqual(br.mutkey("runs=10 fresh_pct=99.50", "fresh_pct"),
                         "99.50")
        self.assertEqual(br.mutkey("runs=10", "seeds"), "")


if __name__ == "__main__":
    unittest.main()
