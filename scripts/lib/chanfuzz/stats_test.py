"""Tests of the live figures (stats.py) from fixture AFL++ fuzzer_stats
and plot_data and libFuzzer logs (testdata/live/)."""
import os
import socket
import shutil
import tempfile
import unittest

from chanfuzz import stats, statsd
from chanfuzz.layout import Layout

LIVE = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "testdata", "live")


def _read(name):
    with open(os.path.join(LIVE, name)) as f:
        return f.read()


class Slot:
    def __init__(self, target, engine, log="", name="", start=0.0):
        self.target, self.engine, self.log = target, engine, log
        self.name, self.start = name, start
        self.statsd = None

    def running(self):
        return True


class LibFuzzerLogs(unittest.TestCase):
    def test_final_stat_wins_over_the_last_pulse(self):
        self.assertEqual(stats.lf_text_stats(_read("lf-plain.log")),
                         (31999, 1587, 421))

    def test_crash_log_without_final_stats(self):
        self.assertEqual(stats.lf_text_stats(_read("lf-crash.log")),
                         (512, 0, 95))

    def test_artifact(self):
        self.assertEqual(
            stats.lf_artifact(os.path.join(LIVE, "lf-crash.log")),
            "/tmp/c/lf/fuzz_interp_711/artifacts/"
            "crash-0a1b2c3d4e5f60718293a4b5c6d7e8f901234567")
        self.assertIsNone(stats.lf_artifact(os.path.join(LIVE,
                                                         "lf-plain.log")))

    def test_missing_log_is_zeros(self):
        self.assertEqual(stats.lf_log_stats("/nonexistent/x.log"), (0, 0, 0))


class AflStats(unittest.TestCase):
    def test_plot_data_ahead_of_fuzzer_stats(self):
        self.assertEqual(stats.afl_stats(_read("fuzzer_stats"),
                                         _read("plot_data")),
                         (53000, 421, "0.48", 310, 91))

    def test_fuzzer_stats_alone(self):
        self.assertEqual(stats.afl_stats(_read("fuzzer_stats")),
                         (51234, 412, "0.46", 301, 87))

    def test_plot_data_behind_is_ignored(self):
        pd = _read("plot_data").replace("53000", "50000")
        self.assertEqual(stats.afl_stats(_read("fuzzer_stats"), pd)[0], 51234)

    def test_inf_and_nan_before_the_first_executions(self):
        fs = "execs_done : 0\nexecs_per_sec : inf\nbitmap_cvg : nan%\n"
        self.assertEqual(stats.afl_stats(fs), (0, 0, "0.00", 0, 0))

    def test_instance_folder(self):
        self.assertEqual(stats.afl_inst_stats(LIVE)[0], 53000)
        self.assertEqual(stats.afl_inst_stats("/nonexistent"),
                         (0, 0, "0.00", 0, 0))


class Formats(unittest.TestCase):
    def test_human(self):
        self.assertEqual([stats.human(n) for n in
                          (0, 999, 1234, 12345, 5600000, 7.8e9)],
                         ["0", "999", "1.2k", "12k", "5.6M", "7.8G"])

    def test_fmt_dur(self):
        self.assertEqual(stats.fmt_dur(3725), "1:02:05")
        self.assertEqual(stats.fmt_dur(59), "0:00:59")

    def test_progress_bar(self):
        bar = stats.progress_bar("x" * 200, 30, 60, 80)
        self.assertTrue(bar.startswith("[##########..........]  50% xx"))
        self.assertEqual(len(bar), 79)


class Samples(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.out)
        t = "fuzz_parse"
        for d in ("lf/%s/logs" % t, "lf/%s/corpus/afl-main" % t,
                  "lf/%s/artifacts" % t, "afl/%s/main/crashes" % t,
                  "afl/%s/main/hangs" % t):
            os.makedirs(os.path.join(self.out, d))
        shutil.copy(os.path.join(LIVE, "fuzzer_stats"),
                    os.path.join(self.out, "afl", t, "main"))
        shutil.copy(os.path.join(LIVE, "plot_data"),
                    os.path.join(self.out, "afl", t, "main"))
        self.log = os.path.join(self.out, "lf", t, "logs", "00001-plain.log")
        shutil.copy(os.path.join(LIVE, "lf-plain.log"), self.log)
        for p in ("lf/%s/corpus/a" % t, "lf/%s/corpus/afl-main/b" % t,
                  "lf/%s/artifacts/crash-1" % t,
                  "afl/%s/main/crashes/id:000000,sig:06" % t,
                  "afl/%s/main/crashes/README.txt" % t,
                  "afl/%s/main/hangs/id:000000" % t):
            open(os.path.join(self.out, p), "w").close()
        self.layout = Layout(self.out)

    def test_runbook_counts_a_run_once_and_reloads(self):
        rb = stats.RunBook(self.out, ["fuzz_parse"])
        rb.record("fuzz_parse", self.log, 100, 0, now=130)
        rb.record("fuzz_parse", self.log, 100, 0, now=131)
        with open(os.path.join(self.out, "lf/fuzz_parse/runs.tsv")) as f:
            rows = f.read().splitlines()
        self.assertEqual(rows, ["lf/fuzz_parse/logs/00001-plain.log\t100\t130"
                                "\t0\t31999\t421\t-"])
        rb2 = stats.RunBook(self.out, ["fuzz_parse"])
        rb2.load(["fuzz_parse"])
        self.assertEqual((rb2.done["fuzz_parse"], rb2.covp["fuzz_parse"],
                          rb2.covs["fuzz_parse"]), (31999, 421, 0))

    def test_killed_run_gets_a_row_on_load(self):
        rb = stats.RunBook(self.out, ["fuzz_parse"])
        rb.load(["fuzz_parse"])
        with open(os.path.join(self.out, "lf/fuzz_parse/runs.tsv")) as f:
            self.assertEqual(f.read().split("\t")[3], "killed")

    def test_collect(self):
        rb = stats.RunBook(self.out, ["fuzz_parse"])
        slots = [Slot("fuzz_parse", "lf", self.log),
                 Slot("fuzz_parse", "afl", name="main", start=0.0)]
        f = stats.collect(self.layout, rb, slots, "fuzz_parse", now=1000.0)
        self.assertEqual((f.lfx, f.lfe, f.lfc, f.ax, f.ae, f.ac, f.aed,
                          f.corpus_afl, f.corpus_lf, f.crashes, f.hangs),
                         (31999, 1587, 421, 53000, 421, "0.48", 310, 91, 2,
                          2, 1))
        self.assertFalse(f.warm)
        self.assertEqual((f.lf_builds, f.lf_starting), (["plain"], False))
        f = stats.collect(self.layout, rb, slots, "fuzz_parse", now=30.0)
        self.assertTrue(f.warm)
        self.assertEqual(f.ae, 0)
        row = stats.stats_row(1000, 5, "fuzz_parse", False, f).split("\t")
        self.assertEqual(len(row), len(stats.STATS_HEADER.split("\t")))
        self.assertEqual((row[3], row[5], row[7]), ("0", "0", "0"))

    def test_collect_live_statsd_from_the_first_second(self):
        """A running AFL++ instance's StatsD gauges give its figures at
        once, where its stats files (written after a minute) have none."""
        rb = stats.RunBook(self.out, ["fuzz_parse"])
        afl = Slot("fuzz_parse", "afl", name="main", start=25.0)
        with statsd.Source() as src:
            afl.statsd = src
            f = stats.collect(self.layout, rb, [afl], "fuzz_parse", now=30.0)
            self.assertTrue(f.warm)  # nothing arrived yet
            self.assertEqual(f.ae, 0)
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
                c.sendto(b"fuzzing.execs_done:90000|g\n"
                         b"fuzzing.execs_per_sec:18000.4|g\n"
                         b"fuzzing.corpus_count:120|g\n"
                         b"fuzzing.edges_found:400|g\n",
                         ("127.0.0.1", src.port))
            for _ in range(100):
                f = stats.collect(self.layout, rb, [afl], "fuzz_parse",
                                  now=30.0)
                if not f.warm:
                    break
            self.assertFalse(f.warm)
            self.assertEqual((f.ae, f.ax, f.corpus_afl, f.aed),
                             (18000, 90000, 120, 400))
            # a sample older than AFL_LIVE_MAX is not now's exec/s; before
            # the first minute the files have none either
            f = stats.collect(self.layout, rb, [afl], "fuzz_parse",
                              now=30.0 + stats.AFL_LIVE_MAX + 1)
            self.assertEqual((f.ae, f.ax), (0, 90000))
            self.assertTrue(f.warm)

    def test_status_line(self):
        f = stats.Figures()
        f.lfx, f.lfe, f.lfc, f.lfcs, f.ax, f.ae, f.ac = \
            12345, 800, 400, 410, 2000000, 900, "1.25"
        f.corpus_lf, f.corpus_afl, f.crashes = 10, 20, 3
        line = stats.status_line(30, 60, {"fuzz_parse": f}, ["fuzz_parse"])
        self.assertEqual(line, "0:00:30/0:01:00 left 0:00:30 | exec/s lf 800 "
                         "afl 900 | execs lf 12k afl 2.0M | cov fuzz_parse "
                         "lf 400/410 afl 1.25% | corpus lf 10 afl 20 | "
                         "crashes 3")
        self.assertIn("left 0:00:00", stats.status_line(70, 60, {}, []))
        # the running libFuzzer build, and a run that printed nothing yet
        f.lf_builds, f.lf_starting, f.lfe = ["plain"], True, 0
        line = stats.status_line(30, 60, {"fuzz_parse": f}, ["fuzz_parse"])
        self.assertIn("| exec/s lf 0(plain, starting) afl 900 |", line)
        f.lf_builds, f.lf_starting, f.lfe = ["smart"], False, 2400
        line = stats.status_line(30, 60, {"fuzz_parse": f}, ["fuzz_parse"])
        self.assertIn("| exec/s lf 2.4k(smart) afl 900 |", line)


if __name__ == "__main__":
    unittest.main()
