"""Tests of the benchmark's driver (bench.py, benchstate.py, benchrun.py,
benchzoo.py) without running a fuzzer: the command line and its errors,
the defaults of each mode, the sections a run picks and the builds they
need, the settings file and the state a resume or a checkpoint carries,
the section state kept across a resume, the trials' order, and the pure
helpers (rates, ratios, the tree id's checksum, the least busy core)."""
import os
import tempfile
import unittest
from unittest import mock

from chanfuzz import bench, benchrun, benchstate, benchttb, benchzoo, cli

ZOO = """# name\ttarget\tdepth\tpocs\treport
deep\tfuzz_interp_716\t7\tdeep\ttriggered deep
seed\tfuzz_interp_711\t0\tseed,seed2\ttriggered seed
asm\tfuzz_asm\t1\tasm\theap-buffer-overflow
cf291\tfuzz_interp_711\t6\tcf291\tcf291
typeconf\tfuzz_interp_716\t7\ttypeconf\ttypeconf
"""
TARGETS = ["fuzz_interp_711", "fuzz_interp_716", "fuzz_asm", "fuzz_regex"]
MUT = {"fuzz_interp_711": "channel", "fuzz_interp_716": "channel",
       "fuzz_asm": "none", "fuzz_regex": "regex"}


def zoo():
    return benchzoo.parse(ZOO, TARGETS)


def resolve(argv, env=None, **kw):
    return bench.resolve(bench.parse_args(argv), env or {}, zoo(),
                         nproc=kw.pop("nproc", 2), **kw)


class OptionTest(unittest.TestCase):
    def test_full_defaults(self):
        st = resolve([])
        self.assertEqual(st["mode"], "full")
        self.assertEqual((st["trials"], st["cap"], st["tput"],
                          st["afl_tput"], st["parallel"]),
                         (20, 120, 30, 30, 2))
        # depth 0 is left out by default
        self.assertEqual(st["bugs"], ["deep", "asm", "cf291", "typeconf"])
        self.assertEqual(st["configs"], list(bench.ALL_CONFIGS))
        self.assertEqual(st["offcfg"], st["configs"])
        self.assertEqual(st["crcs"], ["on", "off"])
        self.assertEqual(st["only"], list(bench.ALL_SECTIONS))
        self.assertEqual(st["out"], "bench/results")

    def test_quick_defaults_and_environment(self):
        st = resolve(["--quick"])
        self.assertEqual((st["mode"], st["trials"], st["cap"], st["tput"],
                          st["afl_tput"]), ("quick", 2, 20, 2, 8))
        self.assertEqual(st["bugs"], ["cf291", "typeconf"])
        self.assertEqual(st["configs"], ["lf-bytes", "lf-smart",
                                         "afl-smart"])
        self.assertEqual(st["crcs"], ["on"])
        st = resolve(["--quick", "--cap", "7"], {"BENCH_TRIALS": "3",
                                                 "BENCH_CAP": "9",
                                                 "BENCH_TPUT": "4"})
        self.assertEqual((st["mode"], st["trials"], st["cap"], st["tput"]),
                         ("quick", 3, 7, 4))

    def test_custom_mode(self):
        self.assertEqual(resolve(["--bugs", "deep"])["mode"], "custom")
        self.assertEqual(resolve([], {"BENCH_CAP": "60"})["mode"], "custom")
        # the full run's figures given as they are: still custom (given)
        self.assertEqual(resolve(["--trials", "20"])["mode"], "custom")
        self.assertEqual(resolve(["--tput", "5"])["mode"], "full")

    def test_lists_take_commas(self):
        st = resolve(["--only", "check,tput", "--crc", "off",
                      "--crc-off-configs", "lf-bytes"])
        self.assertEqual(st["only"], ["check", "tput"])
        self.assertTrue(bench.want(st, "tput"))
        self.assertFalse(bench.want(st, "ttb"))
        self.assertEqual((st["crcs"], st["offcfg"]), (["off"], ["lf-bytes"]))

    def test_usage_errors(self):
        for argv, msg in (
                (["--bogus"], "unknown argument '--bogus'"),
                (["--cap"], "--cap needs a value"),
                (["--trials", "0"], "--trials wants a positive integer, "
                 "not '0'"),
                (["--tput", "1.5"], "--tput wants a positive integer"),
                (["--bugs", "nope"], "--bugs: unknown 'nope' (known: deep "
                 "seed asm cf291 typeconf)"),
                (["--configs", ","], "--configs wants a list"),
                (["--only", "check,bogus"], "--only: unknown 'bogus'"),
                (["--crc", "sometimes"], "--crc is on, off or both, not "
                 "'sometimes'"),
                (["--parallel", "3"], "--parallel 3: this machine has 2 "
                 "cores")):
            with self.assertRaises(cli.UsageError, msg=argv) as e:
                resolve(argv)
            self.assertIn(msg, str(e.exception))

    def test_resume_refuses_settings(self):
        o = bench.parse_args(["--resume", "x", "--parallel", "1", "--keep",
                              "--quick", "--cap", "5"])
        self.assertEqual(o["set_opts"], ["--quick", "--cap"])
        self.assertEqual((o["resume"], o["parallel"], o["keep"]),
                         ("x", "1", True))
        with self.assertRaises(cli.UsageError) as e:
            bench.prepare(o)
        self.assertIn("takes the run's own settings; not with --quick --cap",
                      str(e.exception))

    def test_help(self):
        self.assertTrue(bench.parse_args(["-h"])["help"])
        self.assertIn("--resume DIR", bench.__doc__)


class SettingsTest(unittest.TestCase):
    def test_round_trip_and_resume(self):
        st = resolve(["--quick", "--only", "mutator,ttb", "--checkpoint",
                      "bench/runs/x y"])
        text = bench.settings_text(bench.settings_values(
            st, "20261201T000000Z", "123 456", 'abc"$`\\'))
        self.assertIn('COMMIT_START="123 456"\n', text)
        back = bench.parse_settings(text)
        self.assertEqual(back["COMMIT_DESC"], 'abc"$`\\')
        self.assertEqual(back["checkpoint"], "bench/runs/x y")
        back["parallel"] = "1"
        again = bench.resolve(back, {"BENCH_TRIALS": "9"}, zoo(),
                              resumed=True, nproc=2)
        self.assertEqual(again["trials"], 2)  # the run's own, not the env's
        for k in ("mode", "cap", "tput", "afl_tput", "bugs", "configs",
                  "crcs", "offcfg", "only", "quick", "out", "checkpoint"):
            self.assertEqual(again[k], st[k], k)
        self.assertEqual(again["parallel"], 1)

    def test_a_line_edited_with_sed_reads(self):
        # tests/sh/bench_resume.sh rewrites COMMIT_START so
        self.assertEqual(bench.parse_settings(
            'trials="2"\nCOMMIT_START="1 2"\n# x\n')["COMMIT_START"], "1 2")


class StateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.d = self.tmp.name

    def tearDown(self):
        self.tmp.cleanup()

    def write(self, rel, text):
        p = os.path.join(self.d, rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "w") as f:
            f.write(text)

    def test_copy_state_copies_state_only(self):
        for rel in ("src/settings", "src/part.1", "src/section.check",
                    "src/ttb/a-on-lf-1/result", "src/ttb/a-on-lf-1/log",
                    "src/section.ttb.tmp", "src/seeds/x/1.cf",
                    "src/ttb/b-on-lf-1/result.tmp"):
            self.write(rel, rel)
        src, dst = os.path.join(self.d, "src"), os.path.join(self.d, "dst")
        benchstate.copy_state(src, dst)
        got = sorted(os.path.relpath(os.path.join(r, f), dst)
                     for r, _, fs in os.walk(dst) for f in fs)
        self.assertEqual(got, ["part.1", "section.check", "settings",
                               "ttb/a-on-lf-1/result"])
        # changed: copied again, but a trial's result only once
        self.write("src/part.1", "later")
        self.write("src/ttb/a-on-lf-1/result", "changed")
        benchstate.copy_state(src, dst)
        with open(os.path.join(dst, "part.1")) as f:
            self.assertEqual(f.read(), "later")
        with open(os.path.join(dst, "ttb/a-on-lf-1/result")) as f:
            self.assertEqual(f.read(), "src/ttb/a-on-lf-1/result")

    def test_parts_sum(self):
        self.assertEqual(benchstate.parts_summary([
            "200.5 260.0 7.77 8.88 9.99\n", "100.0 150.4 1.11 2.22 3.33\n"]),
            (110, 2, "1.11 2.22 3.33"))
        self.assertEqual(benchstate.parts_summary([]), (0, 0, ""))

    def test_section_kept_across_a_resume(self):
        st = resolve(["--only", "mutator"])
        st["checkpoint"] = os.path.join(self.d, "ckpt")
        run = benchstate.Run(st, self.d, zoo(), keep=True)
        calls = []
        quiet = mock.patch("chanfuzz.benchstate.note")
        quiet.start()
        self.addCleanup(quiet.stop)

        def fn(r):
            calls.append(1)
            return {"mutstat": "runs=1 fresh_pct=100.00"}
        self.assertEqual(run.section("mutator", fn),
                         {"mutstat": "runs=1 fresh_pct=100.00"})
        again = benchstate.Run(st, self.d, zoo(), keep=True)
        self.assertEqual(again.section("mutator", fn),
                         {"mutstat": "runs=1 fresh_pct=100.00"})
        self.assertEqual(len(calls), 1)
        # the heartbeat left a part file, and the checkpoint holds both
        ck = sorted(os.listdir(st["checkpoint"]))
        self.assertIn(".checkpoint", ck)
        self.assertIn("section.mutator", ck)
        self.assertTrue(any(f.startswith("part.") for f in ck))
        with open(run.part) as f:
            fields = f.read().split()
        self.assertEqual(len(fields), 5)


class ReportAgainTest(unittest.TestCase):
    def test_report_of_a_kept_work_folder(self):
        from chanfuzz import benchreport_test, store
        with tempfile.TemporaryDirectory() as d:
            work, out = os.path.join(d, "work"), os.path.join(d, "out")
            os.makedirs(work)
            with mock.patch("chanfuzz.bench.note") as note, \
                    mock.patch("sys.stderr"):
                self.assertEqual(bench.report_main({"report": work}), 1)
                self.assertIn("no report.json", note.call_args[0][0])
                store.write_json(os.path.join(work, "report.json"),
                                 benchreport_test.fixture())
                self.assertEqual(bench.report_main({"report": work,
                                                    "out": out}), 0)
            with open(os.path.join(out, "2026-12-01.md")) as f:
                self.assertEqual(f.read(),
                                 benchreport_test.golden("report.md"))


class TreeIdTest(unittest.TestCase):
    def test_cksum_is_posix_cksum(self):
        self.assertEqual(benchstate.cksum(b""), 4294967295)
        self.assertEqual(benchstate.cksum(b"a\n"), 2418082923)
        self.assertEqual(benchstate.cksum(b"hello world\n"), 3733384285)

    def test_results_and_checkpoints_are_not_measured(self):
        ls = (b"100644 blob 1\tbench/bench_tool.c\n"
              b"100644 blob 2\tbench/results/2026-12-01.md\n"
              b"100644 blob 3\tbench/runs/full/settings\n"
              b"100644 blob 4\tscripts/bench.sh\n")
        self.assertEqual(benchstate.measured_listing(ls),
                         b"100644 blob 1\tbench/bench_tool.c\n"
                         b"100644 blob 4\tscripts/bench.sh\n")

    def test_tree_id_is_two_numbers(self):
        a = benchstate.tree_id()
        self.assertRegex(a, r"^[0-9]+ [0-9]+$")
        self.assertEqual(a, benchstate.tree_id())


class BuildsTest(unittest.TestCase):
    def test_what_each_section_needs(self):
        st = resolve(["--only", "ttb", "--bugs", "asm,cf291", "--crc", "on"])
        need = bench.need_builds(st, zoo(), TARGETS, MUT, True)
        self.assertIn("build/afl/cf_mutator.so", need)
        self.assertIn("build/bench/cf291/fuzz/fuzz_interp_711_smart", need)
        self.assertIn("build/bench/asm/cmplog/fuzz_asm", need)
        self.assertNotIn("build/bench/asm/fuzz/fuzz_asm_smart", need)
        self.assertFalse([n for n in need if "nocrc" in n])
        st = resolve(["--only", "check"])
        need = bench.need_builds(st, zoo(), TARGETS, MUT, True)
        # every defect, CRC on and off, whatever --bugs says
        self.assertIn("build/bench/seed-nocrc/afl/fuzz_interp_711", need)
        self.assertIn("build/bench/bench_tool", need)
        st = resolve(["--only", "tput,regress"])
        need = bench.need_builds(st, zoo(), TARGETS, MUT, True)
        self.assertIn("build/fuzz/fuzz_regex_smart", need)
        self.assertNotIn("build/fuzz/fuzz_asm_smart", need)
        self.assertIn("build/replay/fuzz_asm", need)
        self.assertNotIn("build/replay/fuzz_asm",
                         bench.need_builds(st, zoo(), TARGETS, MUT, False))


class ZooTest(unittest.TestCase):
    def test_zoo(self):
        z = zoo()
        self.assertEqual(z["seed"].pocs, ("seed", "seed2"))
        self.assertEqual(benchzoo.deepest(z), "deep")
        self.assertEqual(benchzoo.default_bugs(z),
                         ["deep", "asm", "cf291", "typeconf"])
        self.assertEqual(benchzoo.variant("uaf", "off"), "uaf-nocrc")
        self.assertEqual(benchzoo.variant("uaf", "on"), "uaf")

    def test_bad_lines(self):
        for line, msg in (("Bad\tfuzz_asm\t1\tx\tr", "is not [a-z]"),
                          ("x\tfuzz_nope\t1\tx\tr", "is not a fuzz target"),
                          ("x\tfuzz_asm\t10\tx\tr", "depth '10'"),
                          ("x\tfuzz_asm\t1\tA B\tr", "is not a list"),
                          ("x\tfuzz_asm\t1\tx\t", "no report pattern")):
            with self.assertRaises(benchzoo.ZooError) as e:
                benchzoo.parse("# c\n" + line + "\n", TARGETS)
            self.assertIn("zoo.tsv:2: ", str(e.exception))
            self.assertIn(msg, str(e.exception))
        with self.assertRaises(benchzoo.ZooError):
            benchzoo.parse("# nothing\n", TARGETS)

    def test_the_committed_zoo_loads(self):
        from chanfuzz import targets
        z = benchzoo.load(targets.TARGETS)
        self.assertIn("cf291", z)


class HelperTest(unittest.TestCase):
    def test_rate_and_ratio(self):
        self.assertEqual(benchrun.rate(1000, "3.000"), "333")
        self.assertEqual(benchrun.rate(5, 0), "0")
        self.assertEqual(benchrun.ratio("72025", "1025335"), "0.070")
        self.assertEqual(benchrun.ratio(1, 0), "0.000")

    def test_awk_num(self):
        self.assertEqual(benchrun.awk_num(6.119), "6.119")
        self.assertEqual(benchrun.awk_num(16.0), "16")
        self.assertEqual(benchrun.awk_num(1 / 3), "0.333333")

    def test_stats(self):
        log = ("#2 INITED\nstat::number_of_executed_units: 10\n"
               "stat::number_of_executed_units: 4242\n")
        self.assertEqual(benchrun.last_stat(log), 4242)
        self.assertEqual(benchrun.last_stat(""), 0)
        st = benchrun.afl_stats("execs_done        : 12345\n"
                                "execs_per_sec     : 1543.21\n")
        self.assertEqual(st["execs_done"], "12345")
        self.assertEqual(st["execs_per_sec"], "1543.21")

    def test_idlest_core(self):
        a = benchrun.idle_of("cpu  1 2 3 4 5 6\ncpu0 1 1 1 100 5 0\n"
                             "cpu1 1 1 1 100 5 0\n")
        b = benchrun.idle_of("cpu0 9 1 1 130 5 0\ncpu1 1 1 1 150 6 0\n")
        self.assertEqual(a, {"0": 105, "1": 105})
        self.assertEqual(benchrun.idlest(a, b), "1")
        self.assertEqual(benchrun.idlest(a, a), "0")

    def test_status_of_a_signal(self):
        self.assertEqual(benchrun.status(-11), 139)
        self.assertEqual(benchrun.status(1), 1)

    def test_trials_order_and_cells(self):
        st = resolve(["--trials", "2", "--bugs", "asm,cf291", "--configs",
                      "lf-bytes,lf-smart", "--crc-off-configs", "lf-bytes"])
        jobs = benchttb.ttb_jobs(st, zoo(), MUT)
        self.assertEqual(jobs[:4], [("asm", "on", "lf-bytes", 1),
                                    ("asm", "off", "lf-bytes", 1),
                                    ("cf291", "on", "lf-bytes", 1),
                                    ("cf291", "on", "lf-smart", 1)])
        self.assertEqual(len(jobs), 10)  # no _smart for asm, no off smart
        self.assertEqual(benchttb.trial_seed(1), 112648)
        rows = [j[:3] + (str(j[3]),) for j in reversed(jobs)]
        rows.append(("asm", "on", "lf-bytes", "10"))
        got = benchttb.sort_trials([list(r) for r in rows])
        self.assertEqual([tuple(r) for r in got[:4]],
                         [("asm", "on", "lf-bytes", "1"),
                          ("asm", "on", "lf-bytes", "2"),
                          ("asm", "on", "lf-bytes", "10"),
                          ("asm", "off", "lf-bytes", "1")])

    def test_scaling_figures(self):
        s = benchrun.scaling_figures((20000 * 60, 0, 60), (0, 60000 * 60, 60),
                                     (18000 * 60, 50000 * 60, 60),
                                     (22000 * 60, 0, 60))
        self.assertEqual(s, "ok\t20000\t60000\t18000\t50000\t1.73\t1.10"
                         "\t3.40")


if __name__ == "__main__":
    unittest.main()
