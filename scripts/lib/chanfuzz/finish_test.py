"""Tests of the finishing steps (finish.py, plots.py): triage records
into triage.tsv and triaged.list, crash files whose contents were triaged
before, the step markers, the gnuplot series from stats.tsv."""
import json
import os
import shutil
import tempfile
import unittest

from chanfuzz import finish, plots, report, state, store
from chanfuzz.layout import EventLog, Layout


class Camp:
    """A campaign as finish.py sees it."""

    def __init__(self, out):
        self.layout = Layout(out)
        self.log = EventLog(os.path.join(out, "campaign.log"), tty=False)
        self.st = state.State(targets=["fuzz_parse"], crashes=out + "/c")


def _write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)


class Triage(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.out)
        self.c = Camp(self.out)

    def test_record_line(self):
        rec = {"path": "/o/lf/t/artifacts/crash-1", "target": "fuzz_parse",
               "verdict": "new", "folder": "08d0d55015bc", "id":
               "08d0d55015bc", "type": "invariant", "size": 40,
               "minsize": 12, "sha1": "ab" * 20}
        tsv, listed, line = finish.record_line(rec)
        self.assertEqual(line, "new 08d0d55015bc invariant fuzz_parse 40->12")
        self.assertEqual(tsv.split("\t"), [
            "/o/lf/t/artifacts/crash-1", "fuzz_parse", "new",
            "08d0d55015bc", line])
        self.assertEqual(listed, "/o/lf/t/artifacts/crash-1\t" + "ab" * 20)
        tsv, _, line = finish.record_line({"verdict": "error", "path": "p"})
        self.assertEqual(tsv.split("\t")[3], "")
        self.assertTrue(line.startswith("error null null"))

    def test_take_records(self):
        rec = os.path.join(self.out, ".triage", "fuzz_parse.jsonl")
        _write(rec, json.dumps({"path": "a", "verdict": "new", "sha1": "1"})
               + "\n" + json.dumps({"path": "b", "verdict": "known",
                                    "sha1": "2"}) + "\nnot json\n")
        self.assertEqual(finish.take_records(self.c, rec), 2)
        self.assertFalse(os.path.exists(rec))
        with open(os.path.join(self.out, "triaged.list")) as f:
            self.assertEqual(f.read(), "a\t1\nb\t2\n")
        with open(os.path.join(self.out, "campaign.log")) as f:
            log = f.read()
        self.assertIn("]   new null null null null->null", log)
        self.assertNotIn("known", log)
        self.assertEqual(finish.take_records(self.c, rec), 0)

    def test_untriaged_skips_contents_triaged_before(self):
        arts = os.path.join(self.out, "lf", "fuzz_parse", "artifacts")
        a, b, d = (os.path.join(arts, n) for n in ("crash-a", "crash-b",
                                                    "crash-d"))
        _write(a, "same")
        _write(b, "same")
        _write(d, "other")
        _write(os.path.join(arts, ".target"), "fuzz_parse\n")
        _write(os.path.join(self.out, "triaged.list"),
               "%s\t%s\n" % ("/old/place", store.sha1_file(d)))
        files, skipped, twins = finish.untriaged(self.c, "fuzz_parse")
        # d: triaged before, listed now; b: a's contents, not triaged
        # twice, and not listed before a is filed (a run killed while
        # triaging a would otherwise skip both on --resume)
        self.assertEqual((files, skipped), ([a], 1))
        self.assertEqual(twins, ["%s\t%s" % (b, store.sha1_file(a))])
        with open(os.path.join(self.out, "triaged.list")) as f:
            self.assertEqual(sorted(r.split("\t")[0] for r in f),
                             ["/old/place", d])
        # killed before a was filed: the same again on resume
        self.assertEqual(finish.untriaged(self.c, "fuzz_parse"),
                         ([a], 0, twins))

    def test_steps(self):
        s = finish.Steps(self.out)
        self.assertFalse(s.done("merge-fuzz_parse"))
        s.mark("merge-fuzz_parse")
        self.assertTrue(s.done("merge-fuzz_parse"))
        s.reset()
        self.assertFalse(s.done("merge-fuzz_parse"))


STATS = """time	elapsed	target	active	lf_execs	lf_execs_per_sec	afl_execs	afl_execs_per_sec	lf_cov	lf_cov_smart	afl_bitmap_cvg	afl_edges	corpus_lf	corpus_afl	crashes	hangs
100	0	fuzz_a	1	0	0	0	0	0	0	0	0	5	0	0	0
100	0	fuzz_b	0	0	0	0	0	0	0	0	0	5	0	0	0
105	30	fuzz_a	1	1000	200	3000	600	40	42	0.50	70	9	12	1	0
105	30	fuzz_b	0	500	0	10	0	20	0	0.10	9	6	3	0	0
"""


class Plots(unittest.TestCase):
    def test_series(self):
        rows = [r.split("\t") for r in STATS.splitlines()[1:]]
        self.assertEqual(plots.target_series(rows, "fuzz_a"),
                         ["0 0 0 0 0", "0.5 40 42 70 0.50"])
        self.assertEqual(plots.total_series(rows, "fuzz_a"),
                         ["0 0 0 0 0", "0.5 1500 200 3010 600"])

    def test_script_names_both_pngs(self):
        gp = plots.script("/o/c1", "/o/c1/.plot", ["fuzz_a", "fuzz_b"], "png")
        self.assertIn("set output '/o/c1/coverage.png'", gp)
        self.assertIn("set output '/o/c1/execs.png'", gp)
        self.assertIn("'/o/c1/.plot/fuzz_b.dat' using 1:3 with lines lw 1 "
                      "lt 2 dt 2 title 'fuzz_b _smart'", gp)


if __name__ == "__main__":
    unittest.main()


class AflSummary(unittest.TestCase):
    """afl-whatsup.txt is AFL++'s own afl-whatsup -s -d over each target's
    AFL++ folder, and the report reads it back."""

    def setUp(self):
        self.out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.out)
        self.c = Camp(self.out)
        self.c.st.targets = ["fuzz_parse", "fuzz_regex"]
        live = os.path.join(os.path.dirname(__file__), "testdata", "live",
                            "fuzzer_stats")
        with open(live) as f:
            text = f.read()
        for inst in ("main", "s1"):
            _write(os.path.join(self.out, "afl", "fuzz_parse", inst,
                                "fuzzer_stats"), text)
        # the libFuzzer pseudo-instance has no fuzzer_stats; fuzz_regex
        # had no AFL++ instance at all
        os.makedirs(os.path.join(self.out, "afl", "fuzz_parse", "libfuzzer"))
        os.makedirs(os.path.join(self.out, "afl", "fuzz_regex"))

    def test_afl_whatsup_of_each_target_with_instances(self):
        finish.afl_summary(self.c)
        with open(os.path.join(self.out, "afl-whatsup.txt")) as f:
            text = f.read()
        self.assertTrue(text.startswith("== fuzz_parse ==\n"), text)
        self.assertNotIn("== fuzz_regex ==", text)
        self.assertNotIn("tput", text)
        s = report.whatsup_summaries(text)
        self.assertEqual(list(s), ["fuzz_parse"])
        # two instances of 51,234 execs and 2 saved crashes each
        self.assertEqual(s["fuzz_parse"]["total_execs"], "102 thousands")
        self.assertEqual(s["fuzz_parse"]["crashes_saved"], "4")
        n = sum(int(s["fuzz_parse"][k].split()[0])
                for k in ("fuzzers_alive", "dead_or_remote"))
        self.assertEqual(n, 2)

    def test_whatsup_summaries_several_targets(self):
        s = report.whatsup_summaries(
            "== a ==\nSummary stats\n=============\n\n"
            "       Fuzzers alive : 1\n   Total execs : 5 millions\n"
            "== b ==\nCycles without finds : 0/0\n")
        self.assertEqual(s, {"a": {"fuzzers_alive": "1",
                                   "total_execs": "5 millions"},
                             "b": {"cycles_without_finds": "0/0"}})
        # the report's rows: the campaign's target order, then the others
        rows = report.whatsup_rows(s, ["b", "z"])[2]
        self.assertEqual([r[0] for r in rows], ["b", "a"])
