"""Tests of the campaign's options (options.py), schedule and preflight
events (campaign.py) and engine command lines (engines.py)."""
import os
import shutil
import tempfile
import unittest

from chanfuzz import campaign, engines, options
from chanfuzz.cli import UsageError
from chanfuzz.layout import Layout


class Options(unittest.TestCase):
    def bad(self, argv, message):
        with self.assertRaises(UsageError) as cm:
            options.parse(argv)
        self.assertIn(message, str(cm.exception))

    def test_defaults_are_unset(self):
        o = options.parse([])
        self.assertEqual((o.budget, o.jobs, o.targets, o.engines,
                          o.full_triage), (None, None, None, None, False))

    def test_values_and_equals_form(self):
        o = options.parse(["--budget=1h30m", "--jobs", "4", "--targets",
                           "fuzz_parse,fuzz_regex", "--engines",
                           "libfuzzer,afl", "--sync-interval", "20",
                           "--full-triage", "--no-suppress"])
        self.assertEqual((o.budget, o.jobs, o.targets, o.engines,
                          o.sync_interval, o.full_triage, o.no_suppress),
                         (5400, 4, ["fuzz_parse", "fuzz_regex"],
                          ["afl", "libfuzzer"], 20, True, True))

    def test_full_triage_holds_on_resume(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        out = os.path.join(d, "c")
        st, out = campaign.new_state(options.parse(
            ["--out", out, "--targets", "fuzz_parse", "--full-triage"]))
        self.assertTrue(st.full_triage)
        st.save(os.path.join(out, "state.json"))
        back, _ = campaign.resumed_state(options.parse(["--resume", out]))
        self.assertTrue(back.full_triage)
        st.full_triage = False
        st.save(os.path.join(out, "state.json"))
        back, _ = campaign.resumed_state(options.parse(
            ["--resume", out, "--full-triage"]))
        self.assertTrue(back.full_triage)

    def test_durations(self):
        self.assertEqual([options.parse_duration(v) for v in
                          ("90", "90s", "5m", "1h30m", "1d", "30d")],
                         [90, 90, 300, 5400, 86400, 30 * 86400])
        for v in ("0", "5x", "31d", "", "1h-5m", "m"):
            self.assertIsNone(options.parse_duration(v), v)

    def test_errors(self):
        self.bad(["--bogus"], "unknown option or argument '--bogus'")
        self.bad(["--budget"], "--budget needs a value")
        self.bad(["--budget", ""], "--budget: empty value")
        self.bad(["--budget", "0"], "--budget '0': want a duration")
        self.bad(["--jobs", "0"], "--jobs '0': want a positive integer")
        self.bad(["--minimize-time", "0"], "--minimize-time '0'")
        self.bad(["--sync-interval", "4"], "at least 5")
        self.bad(["--targets", "fuzz_parse,fuzz_parse"], "given twice")
        self.bad(["--targets", "fuzz_nope"], "unknown target 'fuzz_nope'")
        self.bad(["--targets", ",fuzz_parse"], "empty name")
        self.bad(["--engines", "afl,afl"], "each at most once")
        self.bad(["--role", "main"], "--role needs --sync-dir")
        self.bad(["--sync-dir", "/x"], "--sync-dir needs --role")
        self.bad(["--sync-dir", "/x", "--role", "boss"], "main or secondary")
        self.bad(["--resume", "/x", "--engines", "afl"],
                 "--engines cannot change on --resume")

    def test_help_stops_parsing(self):
        self.assertTrue(options.parse(["--help", "--bogus"]).help)


class Schedule(unittest.TestCase):
    def test_one_group_takes_the_budget(self):
        self.assertEqual(campaign.schedule(4, 2, 3600), (2, 1, 3600))
        self.assertEqual(campaign.schedule(1, 1, 60), (1, 1, 60))

    def test_groups_and_slices(self):
        # 2 jobs, 2 targets: one at a time, slices of half a minute
        self.assertEqual(campaign.schedule(2, 2, 60), (1, 2, 30))
        # 2 jobs, 9 targets, 1 h: 9 groups of 400 s
        self.assertEqual(campaign.schedule(2, 9, 3600), (1, 9, 400))
        # slices never longer than MAX_SLICE
        c, g, s = campaign.schedule(4, 6, 8 * 3600)
        self.assertEqual((c, g), (2, 3))
        self.assertLessEqual(s, campaign.MAX_SLICE)

    def test_group_targets(self):
        ts = ["a", "b", "c", "d", "e"]
        self.assertEqual([campaign.group_targets(ts, 2, g)
                          for g in range(3)], [["a", "b"], ["c", "d"], ["e"]])

    def test_slice_in_force_is_a_function_of_elapsed_time(self):
        self.assertEqual(campaign.slice_at(0, 30, 2, 60), (0, 0, 30))
        self.assertEqual(campaign.slice_at(31, 30, 2, 60), (1, 1, 60))
        # a remainder under 10 s joins the slice before it
        self.assertEqual(campaign.slice_at(40, 45, 2, 95), (0, 0, 45))
        self.assertEqual(campaign.slice_at(50, 45, 2, 95), (1, 1, 95))
        self.assertEqual(campaign.slice_at(100, 40, 3, 1000), (2, 2, 120))


class Preflight(unittest.TestCase):
    def test_lines(self):
        pre = {"targets": {"fuzz_interp_711": {
            "faulting": [
                {"kind": "seed", "name": "aaaaaaaaaaaaaaaa", "type": "guard",
                 "folder": "e56d63868907"},
                {"kind": "regression", "name": "bbb", "type": "guard",
                 "folder": "e56d63868907"},
                {"kind": "seed", "name": "ccc", "type": "asan",
                 "folder": None}],
            "known": [{"key": "interpreter/7.11/IPC/unsupplied/20",
                       "folder": "e56d63868907"}]}}}
        self.assertEqual(campaign.preflight_lines(pre), [
            "WARNING: fuzz_interp_711: seed ccc faults (asan): filed as ?, "
            "left out of the start corpus",
            "WARNING: fuzz_interp_711: 2 inputs fault (regression/seed "
            "aaaaaaaaaaaa, ...) (guard): filed as e56d63868907, left out of "
            "the start corpus",
            "fuzz_interp_711: known root cause interpreter/7.11/IPC/"
            "unsupplied/20 (crashes/e56d63868907): its reads are refused and "
            "counted, not reported"])


class Engines(unittest.TestCase):
    def test_split(self):
        both = ["afl", "libfuzzer"]
        self.assertEqual([engines.split_jobs(k, both) for k in (1, 2, 3)],
                         [(1, 0), (1, 1), (2, 1)])
        self.assertEqual(engines.split_jobs(2, ["afl"]), (2, 0))
        self.assertEqual(engines.split_jobs(2, ["libfuzzer"]), (0, 2))

    def test_roles(self):
        k, roles = 0, []
        for _ in range(4):
            r, k = engines.afl_role(k, "none")
            roles.append(r)
        self.assertEqual(roles, ["main", "cmplog", "asan", "explore"])
        self.assertEqual(engines.afl_role(2, "channel"), ("smart", 3))
        self.assertEqual(engines.afl_role(20, "channel"), ("s20", 21))

    def test_variants(self):
        self.assertEqual([engines.lf_variant(n, "channel") for n in (1, 2)],
                         ["smart", "plain"])
        self.assertEqual(engines.lf_variant(1, "none"), "plain")

    def test_afl_main_syncs_from_libfuzzer(self):
        L = Layout("/o")
        argv, env = engines.afl_command(L, "fuzz_parse", "main", 60,
                                        "channel", foreign="/o/lf/c")
        self.assertEqual(argv[5:9], ["-M", "main", "-F", "/o/lf/c"])
        self.assertEqual(env["CF_MUT_KIND"], "channel")
        argv, env = engines.afl_command(L, "fuzz_parse", "smart", 60,
                                        "channel", foreign="/o/lf/c")
        self.assertNotIn("-F", argv)
        self.assertEqual(env["AFL_CUSTOM_MUTATOR_ONLY"], "1")
        sec = Layout("/o", "/s", "secondary", "h-1")
        argv, _ = engines.afl_command(sec, "fuzz_parse", "main", 60, "none",
                                      foreign="/o/lf/c")
        self.assertEqual(argv[4:8], ["/s/fuzz_parse", "-S", "h-1-lead", "-x"])


if __name__ == "__main__":
    unittest.main()
