"""Tests of the campaign benchmark's bookkeeping (benchcampaign.py): what
counts as a defect's own signature, the summary, the Markdown of a run that
stopped early, and the time of the first input of an identity, on a
campaign folder built here."""
import json
import os
import shutil
import tempfile
import unittest

from chanfuzz import benchcampaign as bc


def sig(folder, new, root_cause=None, frames=(), crash_type=""):
    return {"folder": folder, "new": new, "root_cause": root_cause,
            "frames": list(frames), "crash_type": crash_type}


class MatchTest(unittest.TestCase):
    def test_root_cause_must_be_the_same(self):
        exp = bc.EXPECT["supply"]
        self.assertTrue(bc.matches(sig("a", True, exp["root_cause"]), exp))
        # CF-291 is not the supply defect, though its frames are the same
        self.assertFalse(bc.matches(
            sig("b", True, "interpreter/7.11/IPC/unsupplied/20"), exp))
        # the same read found by the differential target is another oracle
        self.assertFalse(bc.matches(
            sig("c", True, "validator-current/7.11/ProcessCreate/"
                "unsupplied/9"), exp))

    def test_stack_identity_needs_frame_and_type(self):
        exp = bc.EXPECT["lexhex"]
        good = sig("d", True, None, ["scan_string", "lex_string"],
                   "heap-buffer-overflow READ 1")
        self.assertTrue(bc.matches(good, exp))
        self.assertFalse(bc.matches(sig("e", True, None, ["scan_string"],
                                        "SEGV READ"), exp))
        self.assertFalse(bc.matches(sig("f", True, None, ["lex_word"],
                                        "heap-buffer-overflow READ 1"),
                                    exp))


class SummaryTest(unittest.TestCase):
    def test_found_and_median(self):
        rows = [{"found": True, "time_s": 4.0}, {"found": False,
                                                  "time_s": None},
                {"found": True, "time_s": 1.0}, {"found": True,
                                                 "time_s": None}]
        self.assertEqual(bc.summary(rows), {"trials": 4, "found": 3,
                                            "median_time_s": 2.5})
        self.assertEqual(bc.summary([]), {"trials": 0, "found": 0,
                                          "median_time_s": None})

    def test_markdown_of_a_run_stopped_early(self):
        # a defect whose first trial has not run yet is 0/0, not an error
        res = {"budget": "5m", "trials": 10, "cf291": {},
               "defects": {"supply": {"trials": [
                   {"found": True, "time_s": 0.5, "folders": ["x"]}]},
                   "valgap": {"trials": []}}}
        md = bc.markdown(res)
        self.assertIn("| supply | `interpreter/7.11/ProcessCreate/"
                      "unsupplied/9` | 1/1 | 0.5 | 1: `x` | found 0.5 s |",
                      md)
        self.assertIn("| valgap | `validator-current/7.11/IPC/unsupplied/"
                      "20` | 0/0 | - | 0 |  |", md)

    def test_signatures_over_trials(self):
        trials = [{"folders": ["a1"], "other_new": []},
                  {"folders": ["a1"], "other_new": ["b2"]},
                  {"folders": [], "other_new": ["b2", "c3"]}]
        self.assertEqual(bc.signatures(trials),
                         "1: `a1`; other new: `b2`, `c3`")
        self.assertEqual(bc.signatures([]), "0")


class FirstTimeTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()

    def tearDown(self):
        shutil.rmtree(self.dir)

    def test_first_crash_file_of_the_folder(self):
        files = []
        for i, (folder, mtime) in enumerate((("aaa", 1050.0),
                                             ("bbb", 1010.0),
                                             ("aaa", 1030.0))):
            f = os.path.join(self.dir, "crash-%d" % i)
            open(f, "w").close()
            os.utime(f, (mtime, mtime))
            files.append("%s\tfuzz_x\tnew\t%s\n" % (f, folder))
        with open(os.path.join(self.dir, "triage.tsv"), "w") as f:
            f.writelines(files)
        with open(os.path.join(self.dir, "preflight.json"), "w") as f:
            json.dump({"targets": {}}, f)
        self.assertEqual(bc.first_time(self.dir, "aaa", 1000.0), 30.0)
        self.assertEqual(bc.first_time(self.dir, "bbb", 1000.0), 10.0)
        self.assertIsNone(bc.first_time(self.dir, "ccc", 1000.0))


class RenderTest(unittest.TestCase):
    def test_render_writes_the_markdown_from_the_json(self):
        import argparse
        d = tempfile.mkdtemp()
        try:
            res = {"budget": "5m", "trials": 10, "cf291": {},
                   "defects": {"lexhex": {"trials": [
                       {"found": False, "time_s": None, "folders": [],
                        "other_new": ["flaky-1"]}]}}}
            with open(os.path.join(d, "r.json"), "w") as f:
                json.dump(res, f)
            sub = argparse.ArgumentParser().add_subparsers()
            bc.register(sub)
            args = sub.choices["bench-campaign"].parse_args(
                ["--render", "--out", d, "--name", "r"])
            self.assertEqual(args.func(args), 0)
            with open(os.path.join(d, "r.md")) as f:
                md = f.read()
            self.assertIn("| lexhex | `stack with scan_string` | 0/1 | - | "
                          "0; other new: `flaky-1` | missed |", md)
            args = sub.choices["bench-campaign"].parse_args(
                ["--render", "--out", d, "--name", "none"])
            self.assertEqual(args.func(args), 1)
        finally:
            shutil.rmtree(d)


if __name__ == "__main__":
    unittest.main()
