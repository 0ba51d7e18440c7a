"""Tests of the time-to-bug statistics (stats.py): each statistic against
values published with their data (sources cited at each test), the
cell rules of bench.sh's TSV on small hand-made trials, the command line,
and every cell of the committed benchmark results (bench/results/), which
scripts/bench-stats.awk computed, recomputed from their trials to the
printed precision."""
import contextlib
import glob
import io
import json
import math
import os
import statistics
import tempfile
import unittest

from chanfuzz import benchstats as stats, cli, paths

# Freireich et al. (1963), "The effect of 6-mercaptopurine on the duration
# of steroid-induced remissions in acute leukemia", Blood 21:699-716:
# remission times in weeks of 21 children on 6-MP (False: censored, still
# in remission) and 21 on placebo (all relapsed). The textbook data set of
# Kaplan-Meier: e.g. Kleinbaum & Klein, "Survival Analysis: A Self-Learning
# Text" (3rd ed., 2012), ch. 2; Le, "Introductory Biostatistics" (2003),
# Example 11.1 and Table 11.1; Cox & Oakes (1984), Table 1.1.
MP6 = [(6, True), (6, True), (6, True), (6, False), (7, True), (9, False),
       (10, True), (10, False), (11, False), (13, True), (16, True),
       (17, False), (19, False), (20, False), (22, True), (23, True),
       (25, False), (32, False), (32, False), (34, False), (35, False)]
PLACEBO = [1, 1, 2, 2, 3, 4, 4, 5, 5, 8, 8, 8, 8, 11, 11, 12, 12, 15, 17,
           22, 23]
# The published product-limit table of the 6-MP group (same sources):
# event time, number at risk, S(t) to 3 decimals.
MP6_KM = [(6, 21, 0.857), (7, 17, 0.807), (10, 15, 0.753), (13, 12, 0.690),
          (16, 11, 0.627), (22, 7, 0.538), (23, 6, 0.448)]

# scipy.stats.mannwhitneyu documentation, Examples (scipy 1.7 to current):
# age at diagnosis of type II diabetes, 5 males and 4 females.
MALES = [19, 22, 16, 29, 24]
FEMALES = [20, 11, 17, 12]

# R's wilcox.test(x, y) ("Wilcoxon rank sum test with continuity
# correction", normal approximation: "cannot compute exact p-value with
# ties"), output as printed at https://endmemo.com/r/wilcoxon.php.
R_X = [1, 5, 9, 24, 56, 21, 3, 7, 21, 4]
R_Y1 = [12, 15, 5, 9, 9, 14, 56, 22, 3, 7, 32, 5]    # W = 51.5, p = 0.5966
R_Y2 = [1233, 4356, 987, 39999, 1111, 200000]        # W = 0, p = 0.001364


class MannWhitneyTest(unittest.TestCase):
    def test_scipy_documented_example(self):
        # scipy's docs: U1 = 17.0 (and U_M = 17 in their source [4]);
        # method="asymptotic" (normal approximation, continuity
        # correction): p = 0.11134688653314041.
        u, p = stats.mann_whitney_u(MALES, FEMALES)
        self.assertEqual(u, 17.0)
        self.assertAlmostEqual(p, 0.11134688653314041, places=12)
        # the two-sided p does not depend on the order of the samples
        u2, p2 = stats.mann_whitney_u(FEMALES, MALES)
        self.assertEqual(u2, 3.0)
        self.assertAlmostEqual(p2, p, places=15)

    def test_r_wilcox_test_with_ties(self):
        # R: W = 51.5, p-value = 0.5966 (ties within and across samples:
        # 3, 5, 7, 9, 21 and 56 occur more than once).
        u, p = stats.mann_whitney_u(R_X, R_Y1)
        self.assertEqual(u, 51.5)
        self.assertEqual(round(p, 4), 0.5966)
        # R: W = 0, p-value = 0.001364 (x's tie at 21; complete separation)
        u, p = stats.mann_whitney_u(R_X, R_Y2)
        self.assertEqual(u, 0.0)
        self.assertEqual(round(p, 6), 0.001364)

    def test_smallest_p_of_five_trials_stated_in_bench_md(self):
        # docs/BENCH.md: with 5 trials per side the smallest p is about
        # 0.012, and 0.0075 when every baseline trial is capped (tied).
        _, p = stats.mann_whitney_u([1, 2, 3, 4, 5], [6, 7, 8, 9, 10])
        self.assertEqual(round(p, 3), 0.012)
        _, p = stats.mann_whitney_u([1, 2, 3, 4, 5], [120] * 5)
        self.assertEqual(round(p, 4), 0.0075)

    def test_no_difference_gives_p_one(self):
        # every value tied: zero variance, p = 1 (not a division by zero)
        self.assertEqual(stats.mann_whitney_u([120] * 4, [120] * 6)[1], 1.0)
        # |U1 - mean| below the continuity correction: z floored at 0
        self.assertEqual(stats.mann_whitney_u([1, 4], [2, 3])[1], 1.0)

    def test_empty_sample_is_an_error(self):
        with self.assertRaises(ValueError):
            stats.mann_whitney_u([], [1, 2])


class A12Test(unittest.TestCase):
    def test_equals_u_over_mn_on_scipy_example(self):
        # Vargha & Delaney (2000) eq. 14: A = (R1/m - (m+1)/2)/n = U/(mn).
        # With scipy's published U_M = 17 (5 x 4 pairs), P(male > female)
        # = 17/20; in our orientation (the first sample smaller) that is
        # a12(females, males).
        self.assertAlmostEqual(stats.a12(FEMALES, MALES), 0.85, places=15)
        self.assertAlmostEqual(stats.a12(MALES, FEMALES), 0.15, places=15)

    def test_ties_count_half_on_r_example(self):
        # R's W = 51.5 counts pairs with x > y, ties 1/2, over 10 x 12
        # pairs: A(x > y) = 51.5 / 120, so x smaller: 1 - 51.5 / 120.
        self.assertAlmostEqual(stats.a12(R_X, R_Y1), 1 - 51.5 / 120,
                               places=15)
        # the direct definition, pair by pair
        pairs = [(x < y) + 0.5 * (x == y) for x in R_X for y in R_Y1]
        self.assertAlmostEqual(stats.a12(R_X, R_Y1),
                               sum(pairs) / len(pairs), places=15)

    def test_vargha_delaney_effect_size_guidelines(self):
        # Vargha & Delaney (2000): for normal populations of equal variance
        # A = Phi(d / sqrt 2), so Cohen's small, medium and large effects
        # (d = 0.2, 0.5, 0.8) are A = .56, .64 and .71. Samples: 1,000
        # quantiles of N(d, 1) (slower) and of N(0, 1) (faster).
        n = 1000
        z = [statistics.NormalDist().inv_cdf((i + 0.5) / n)
             for i in range(n)]
        for d, published in ((0.2, 0.56), (0.5, 0.64), (0.8, 0.71)):
            fast, slow = z, [x + d for x in z]
            self.assertEqual(round(stats.a12(fast, slow), 2), published, d)
            self.assertEqual(round(stats.a12(slow, fast), 2),
                             round(1 - published, 2), d)

    def test_no_difference_is_one_half(self):
        self.assertEqual(stats.a12([120] * 3, [120] * 5), 0.5)
        self.assertEqual(stats.a12([1, 2, 3], [1, 2, 3]), 0.5)


class KaplanMeierTest(unittest.TestCase):
    def test_freireich_6mp_product_limit_table(self):
        times, events = zip(*MP6)
        rows = [r for r in stats.kaplan_meier(times, events) if r[2] > 0]
        self.assertEqual([(r[0], r[1]) for r in rows],
                         [(t, n) for t, n, _ in MP6_KM])
        for (t, _, _, _, s), (_, _, published) in zip(rows, MP6_KM):
            self.assertEqual(round(s, 3), published, "S(%s)" % t)
        # censored-only times do not step the curve: S(9) = S(7)
        by_t = {r[0]: r[4] for r in stats.kaplan_meier(times, events)}
        self.assertEqual(by_t[9], by_t[7])
        # a subject censored at 6 was at risk at 6: 3 events of 21
        self.assertEqual(stats.kaplan_meier(times, events)[0][:4],
                         (6, 21, 3, 1))

    def test_freireich_placebo_without_censoring(self):
        # No censoring: the empirical survival function; Cox & Oakes
        # (1984) Table 1.1: S(10) = 8/21 = 0.381.
        rows = stats.kaplan_meier(PLACEBO, [True] * len(PLACEBO))
        s10 = [r[4] for r in rows if r[0] <= 10][-1]
        self.assertAlmostEqual(s10, 8 / 21, places=12)
        self.assertEqual(rows[-1][4], 0.0)

    def test_rmst_is_the_area_under_the_published_curve(self):
        # The 6-MP curve up to 35 weeks (the last follow-up): the area
        # under the published steps (3 decimals: 23.28) and the exact one.
        times, events = zip(*MP6)
        area, prev, s = 0.0, 0, 1.0
        for t, _, published in MP6_KM:
            area += s * (t - prev)
            prev, s = t, published
        area += s * (35 - prev)
        self.assertAlmostEqual(area, 23.283, places=3)
        got = stats.rmst(times, events, 35)
        self.assertLess(abs(got - area), 0.01)
        self.assertAlmostEqual(got, 23.287, places=3)
        # up to 10 weeks: 6 + 1 x S(6) + 3 x S(7)
        self.assertAlmostEqual(stats.rmst(times, events, 10),
                               6 + 18 / 21 + 3 * (18 / 21) * (16 / 17),
                               places=12)

    def test_rmst_without_censoring_is_the_mean(self):
        # placebo: every relapse by week 23, so up to 35 weeks the RMST is
        # the mean remission, 182 / 21 = 8.667 weeks
        self.assertAlmostEqual(
            stats.rmst(PLACEBO, [True] * len(PLACEBO), 35), 182 / 21,
            places=12)
        # and up to tau, the mean of min(t, tau)
        self.assertAlmostEqual(
            stats.rmst(PLACEBO, [True] * len(PLACEBO), 10),
            sum(min(t, 10) for t in PLACEBO) / 21, places=12)

    def test_nothing_found_is_the_cap(self):
        self.assertEqual(stats.rmst([120.0] * 5, [False] * 5, 120), 120)
        self.assertEqual(stats.rmst([60.0, 120.0], [False, False], 120),
                         120)


class MedianTest(unittest.TestCase):
    def test_odd_and_even(self):
        self.assertEqual(stats.median([3, 1, 2]), 2)
        self.assertEqual(stats.median([4, 1, 3, 2]), 2.5)
        self.assertEqual(stats.median([7]), 7)
        with self.assertRaises(ValueError):
            stats.median([])


def tsv(*rows):
    return ["\t".join(str(x) for x in r) + "\n" for r in rows]


# bug crc config trial found trigger_s reached reach_s end_s execs sig seed
TRIALS = tsv(
    ("cf291", "on", "lf-bytes", 1, 0, "-", 1, 0.5, 20.1, 9, "-", 1),
    ("cf291", "on", "lf-bytes", 2, 1, 12.0, 1, 0.4, 12.0, 9, "ok", 2),
    ("cf291", "on", "lf-bytes", 3, 0, "-", 0, "-", 20.0, 9, "-", 3),
    ("cf291", "on", "lf-smart", 1, 1, 0.004, 1, 0.003, 0.004, 9, "ok", 1),
    ("cf291", "on", "lf-smart", 2, 1, 2.0, 1, 1.0, 2.0, 9, "ok", 2),
    # another fault after 5 s: not found, censored at 5 s
    ("cf291", "on", "lf-smart", 3, 0, "-", 1, 1.0, 5.0, 9, "other", 3),
    ("cf291", "off", "lf-smart", 1, 1, 1.0, 1, 0.5, 1.0, 9, "ok", 1))


class CellsTest(unittest.TestCase):
    def setUp(self):
        self.rows = stats.cells(stats.parse_trials(TRIALS), 20.0,
                                "lf-bytes")

    def test_baseline_cell(self):
        self.assertEqual(stats.format_cell(self.rows[0]).split("\t"),
                         ["cf291", "on", "lf-bytes", "3", "1", "2",
                          # reach: 0.4, 0.5, (cap) 20; trigger: 12, 20, 20
                          "0.50", "0", "20.00", "1",
                          # KM: 12 and the cap: 12 + 2/3 * 8
                          "%.2f" % (12 + 8 * 2 / 3), "-", "-", "-"])

    def test_cell_against_the_baseline(self):
        f = stats.format_cell(self.rows[1]).split("\t")
        self.assertEqual(f[:6], ["cf291", "on", "lf-smart", "3", "2", "3"])
        # trigger times 0.004, 2, 20 (the other fault counted at the cap)
        self.assertEqual(f[8:10], ["2.00", "0"])
        # KM: the other fault censored at 5 s, not at the cap:
        # 0.004 + 2/3 * (2 - 0.004) + 1/3 * (20 - 2)
        self.assertEqual(f[10], "%.2f" % (0.004 + 2 / 3 * 1.996 + 18 / 3))
        # ratio of medians 20 / 2; the test and A12 on the capped times
        self.assertEqual(f[11], "10.00")
        _, p = stats.mann_whitney_u([0.004, 2, 20], [12, 20, 20])
        self.assertEqual(f[12], "%.4f" % p)
        self.assertEqual(f[13], "%.2f" % ((3 + 3 + 0.5 * 2) / 9))

    def test_no_baseline_for_the_crc_mode(self):
        self.assertEqual(stats.format_cell(self.rows[2]).split("\t")[-3:],
                         ["-", "-", "-"])
        self.assertEqual([r["config"] for r in self.rows],
                         ["lf-bytes", "lf-smart", "lf-smart"])

    def test_ratio_floor(self):
        # a median of 0.004 s is counted as 0.01 s: 20 / 0.01
        rows = stats.cells(stats.parse_trials(tsv(
            ("b", "on", "base", 1, 0, "-", 0, "-", 20, 0, "-", 1),
            ("b", "on", "fast", 1, 1, 0.004, 1, 0.004, 0.004, 0, "ok", 1))),
            20.0, "base")
        self.assertEqual(rows[1]["ratio"], 2000.0)

    def test_bad_trials_say_where(self):
        for line, what in (("a\tb\tc\n", "3 fields"),
                           ("b\ton\tc\t1\tyes\t-\t0\t-\t1\n", "found is"),
                           ("b\ton\tc\t1\t1\t-\t0\t-\t1\n", "trigger_s"),
                           ("b\ton\tc\t1\t0\t-\t1\tx\t1\n", "reach_s"),
                           ("b\ton\tc\t1\t0\t-\t0\t-\tnan\n", "end_s")):
            with self.assertRaises(ValueError) as cm:
                stats.parse_trials(["\n", line], "t.tsv")
            self.assertIn("t.tsv:2: ", str(cm.exception))
            self.assertIn(what, str(cm.exception))
        # a time a few ms before the launch (coarse file time stamps) is
        # still a time, counted as it is
        t = stats.parse_trials(["b\ton\tc\t1\t1\t-0.002\t1\t-0.002\t1\n"])
        self.assertEqual((t[0]["trigger"], t[0]["reach"]), (-0.002, -0.002))


class CommandTest(unittest.TestCase):
    def run_cli(self, argv):
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), \
                contextlib.redirect_stderr(err):
            try:
                rc = cli.main(argv)
            except SystemExit as e:
                rc = e.code
        return rc, out.getvalue(), err.getvalue()

    def test_cells_of_a_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "trials.tsv")
            with open(path, "w") as f:
                f.writelines(TRIALS)
            rc, out, err = self.run_cli(["bench-stats", "--cap", "20",
                                         "--base", "lf-bytes", path])
        self.assertEqual((rc, err), (0, ""))
        want = [stats.format_cell(r) + "\n" for r in stats.cells(
            stats.parse_trials(TRIALS), 20.0, "lf-bytes")]
        self.assertEqual(out, "".join(want))

    def test_usage_and_input_errors(self):
        rc, _, err = self.run_cli(["bench-stats", "--base", "x"])
        self.assertEqual(rc, 2)
        self.assertIn("--cap", err)
        rc, _, err = self.run_cli(["bench-stats", "--cap", "0", "--base",
                                   "x"])
        self.assertEqual(rc, 2)
        self.assertIn("not a positive number", err)
        rc, _, err = self.run_cli(["bench-stats", "--cap", "20", "--base",
                                   "x", "/nonexistent/trials.tsv"])
        self.assertEqual(rc, 1)
        self.assertIn("/nonexistent/trials.tsv", err)
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad.tsv")
            with open(path, "w") as f:
                f.write("b\ton\tc\t1\t2\t-\t0\t-\t1\n")
            rc, out, err = self.run_cli(["bench-stats", "--cap", "20",
                                         "--base", "x", path])
        self.assertEqual((rc, out), (1, ""))
        self.assertIn("bad.tsv:1: found is '2'", err)


# The JSON report's cell fields, in bench-stats' column order.
JSON_CELL = ("bug", "crc", "config", "trials", "found", "reached",
             "median_reach_s", "median_reach_censored", "median_trigger_s",
             "median_trigger_censored", "rmst_s", "ratio_vs_base", "mwu_p",
             "a12")
JSON_TRIAL = ("bug", "crc", "config", "trial", "found", "trigger_s",
              "reached", "reach_s", "end_s")


class CommittedResultsTest(unittest.TestCase):
    """bench/results/*.json (e.g. 2026-11-30.json: 1,680 trials, 84
    cells) hold every trial and the cells scripts/bench-stats.awk computed
    from them, numbers as printed (jq's tonumber of the TSV). Recomputed
    here from the trials, every field must be equal."""

    def test_every_committed_cell(self):
        files = sorted(glob.glob(paths.root_path("bench", "results", "**",
                                                 "*.json"), recursive=True))
        compared = 0
        for path in files:
            with open(path) as f:
                rep = json.load(f)
            ttb = rep.get("time_to_bug") or {}
            if not ttb.get("trials"):
                continue
            lines = ["\t".join(str(t[k]) for k in JSON_TRIAL) + "\n"
                     for t in ttb["trials"]]
            rows = stats.cells(stats.parse_trials(lines, path),
                               float(rep["settings"]["cap_s"]),
                               rep["settings"]["baseline"])
            name = os.path.relpath(path, paths.ROOT)
            self.assertEqual(len(rows), len(ttb["cells"]), name)
            for row, want in zip(rows, ttb["cells"]):
                got = stats.format_cell(row).split("\t")
                for k, g in zip(JSON_CELL, got):
                    w = want[k]
                    same = g == w if isinstance(w, str) else \
                        math.isfinite(w) and float(g) == w
                    self.assertTrue(same, "%s %s/%s/%s %s: %s, the report "
                                    "has %s" % (name, want["bug"],
                                                want["crc"], want["config"],
                                                k, g, w))
                compared += 1
        # Not vacuous: the results of 2026-11-23 and 2026-11-30 hold 156.
        self.assertGreaterEqual(compared, 84)


if __name__ == "__main__":
    unittest.main()
