"""Tests of the regression suite (regress.py) without a build: the
manifest built from a seed folder and a regression corpus in a temporary
folder, the verdicts from replay outcomes, and a whole target replayed on
stand-in builds (replay_test.StandIns)."""
import contextlib
import io
import os
import shutil
import tempfile
import unittest

from chanfuzz import cli, regress, replay, signature
from chanfuzz.promote_test import CF291, CF291_INPUT, CF291_TYPE
from chanfuzz.replay_test import ASAN_CF291, GUARD_CF291, REPORTS, \
    TIMEOUT, StandIns, write

T711, T716 = "fuzz_interp_711", "fuzz_interp_716"


def fault(name, target=T711):
    return signature.parse_file(os.path.join(REPORTS, name), target)


def index_line(*fields):
    return "\t".join(fields) + "\n"


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-regress-test.")
        self.seeds = os.path.join(self.tmp, "corpus")
        self.reg = os.path.join(self.tmp, "regression")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_seeds_first_then_the_index_in_its_order(self):
        for name in ("b", "a", ".hidden"):
            write(os.path.join(self.seeds, T711, name), "x")
        os.makedirs(os.path.join(self.seeds, T711, "folder"))
        r = os.path.join(self.reg, T711)
        for name in ("open1", "fixed1", "canary"):
            write(os.path.join(r, name), "x")
        write(os.path.join(r, "index.tsv"), "# header\n" +
              index_line("open1", "open", "abc", "t", "s", "d") +
              index_line("fixed1", "fixed", "def") +
              index_line("canary", "detect", CF291))
        items, failures = regress.build_manifest(T711, self.seeds, self.reg)
        self.assertEqual(failures, [])
        self.assertEqual([(i.kind, os.path.basename(i.path), i.signature,
                           i.type) for i in items],
                         [("seed", "a", "", ""), ("seed", "b", "", ""),
                          ("open", "open1", "abc", "t"),
                          ("fixed", "fixed1", "def", ""),
                          ("detect", "canary", CF291, "")])
        self.assertEqual(items[0].path, os.path.join(self.seeds, T711, "a"))
        self.assertEqual([regress.REPLAY_AS[i.kind] for i in items],
                         ["clean", "clean", "fault", "clean", "fault"])

    def test_what_the_corpus_gets_wrong_is_a_failure(self):
        r = os.path.join(self.reg, T716)
        for name in ("ok", "canary", "weird", "stray"):
            write(os.path.join(r, name), "x")
        index = os.path.join(r, "index.tsv")
        write(index, index_line("ok", "fixed", "abc") +
              index_line("sub/ok", "fixed", "abc") +
              index_line("nosig", "fixed") +
              "\n# comment\n" +
              index_line("gone", "fixed", "abc") +
              index_line("weird", "sometimes", "abc") +
              index_line("canary", "detect", CF291))
        items, failures = regress.build_manifest(T716, self.seeds, self.reg)
        self.assertEqual([os.path.basename(i.path) for i in items], ["ok"])
        self.assertEqual(failures, [
            (index + ":2", "malformed index line"),
            (index + ":3", "malformed index line"),
            (os.path.join(r, "gone"), "listed in the index but missing"),
            (index + ":7", "expectation 'sometimes' is not fixed, open or "
             "detect"),
            (index + ":8", "detect entries belong to fuzz_interp_711"),
            (os.path.join(r, "stray"), "not in %s: no expectation "
             "recorded" % index)])

    def test_files_without_an_index(self):
        write(os.path.join(self.reg, T711, "lost"), "x")
        items, failures = regress.build_manifest(T711, self.seeds, self.reg)
        self.assertEqual((items, [why for _, why in failures]),
                         ([], ["not in %s: no expectation recorded" %
                               os.path.join(self.reg, T711, "index.tsv")]))

    def test_folders_that_are_no_target(self):
        for name in (T711, "fuzz_nothing", ".git"):
            os.makedirs(os.path.join(self.reg, name))
        write(os.path.join(self.reg, "README"), "x")
        self.assertEqual(regress.foreign_folders(self.reg),
                         [os.path.join(self.reg, "fuzz_nothing")])


def outcome(verdict, reason="", report=""):
    return replay.Outcome(verdict, reason, report)


class JudgeTest(unittest.TestCase):
    def judge(self, kind, verdict, reason="", fault_=None, identify=None,
              target=T711, recorded=CF291):
        item = regress.Item(kind, "corpus/x", recorded, "recorded type")
        return regress.judge(item, target, outcome(verdict, reason), fault_,
                             identify)

    def never(self):
        self.fail("identify() called")

    def test_seeds_and_fixed_entries_must_not_fault(self):
        self.assertIsNone(self.judge("seed", "PASS", "clean"))
        self.assertEqual(
            self.judge("seed", "FAIL", "unexpected fault (exit 1)",
                       fault(ASAN_CF291)),
            "seed input faults: heap-buffer-overflow READ 4 [751acf9260d2]")
        self.assertEqual(self.judge("fixed", "FAIL", "not run"),
                         "fixed input faults: not run")
        self.assertEqual(self.judge("fixed", "FAIL"),
                         "fixed input faults: no result")

    def test_an_open_entry_must_fault_with_its_identity(self):
        self.assertIsNone(self.judge("open", "PASS", "fault: exit 1",
                                     fault(GUARD_CF291), self.never))
        self.assertEqual(
            self.judge("open", "FAIL", "no fault", None, self.never,
                       target=T716),
            "open entry no longer faults (no fault): fixed? promote it as "
            "fixed (scripts/promote.sh crashes/%s --expect fixed --target "
            "fuzz_interp_716)" % CF291)

    def test_an_open_content_fault_is_named_on_the_identity_build(self):
        asan = fault(ASAN_CF291)
        self.assertIsNone(self.judge("open", "PASS", "fault: exit 1", asan,
                                     lambda: fault(GUARD_CF291)))
        # without an identity build the ASan stack is all there is
        self.assertEqual(
            self.judge("open", "PASS", "fault: exit 1", asan, None),
            "open entry faults with another signature: heap-buffer-overflow"
            " READ 4 [751acf9260d2], recorded recorded type [%s]" % CF291)
        self.assertEqual(
            self.judge("open", "PASS", "fault: exit 1", asan, lambda: None),
            "open entry faults with another signature: ? [none], recorded "
            "recorded type [%s]" % CF291)

    def test_a_canary_must_be_seen_by_a_detector(self):
        self.assertIsNone(self.judge("detect", "PASS", "fault: exit 1",
                                     fault(ASAN_CF291)))
        self.assertEqual(
            self.judge("detect", "FAIL", "no fault"),
            "detect canary no longer faults on fuzz_interp_711 (no fault): "
            "the detectors are blind to it")
        self.assertEqual(
            self.judge("detect", "PASS", "fault: exit 1"),
            "detect canary ended without a recognised fault report")
        self.assertEqual(
            self.judge("detect", "PASS", "fault: timeout", fault(TIMEOUT)),
            "detect canary faults only as timeout, not as a detector "
            "finding")


class RunTargetTest(unittest.TestCase):
    """One target's whole run on stand-in builds: the driver restarts
    after a clean entry that faults, the verdicts and the lines."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-regress-test.")
        self.standins = StandIns(self.tmp, [T711])
        self.seeds = os.path.join(self.tmp, "corpus")
        self.reg = os.path.join(self.tmp, "regression")
        self.work = os.path.join(self.tmp, "work")
        write(os.path.join(self.seeds, T711, "seed-1"), "clean\n")
        write(os.path.join(self.seeds, T711, "seed-2"), "clean\n")
        r = os.path.join(self.reg, T711)
        write(os.path.join(r, "badfix"), CF291_INPUT)
        write(os.path.join(r, CF291), CF291_INPUT)
        write(os.path.join(r, "healed"), "clean\n")
        write(os.path.join(r, "index.tsv"),
              index_line("badfix", "fixed", "000000000000") +
              index_line(CF291, "detect", CF291, CF291_TYPE) +
              index_line("opencf", "open", CF291, CF291_TYPE) +
              index_line("healed", "open", "111111111111", "t"))
        write(os.path.join(r, "opencf"), CF291_INPUT)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_target_is_replayed_and_judged(self):
        with self.standins.patch():
            passed, failed, lines = regress.run_target(
                T711, self.seeds, self.reg, 10, self.work)
        self.assertEqual((passed, failed), (4, 2))
        r = os.path.join(self.reg, T711)
        self.assertEqual(lines, [
            "FAIL %s %s/badfix: fixed input faults: heap-buffer-overflow "
            "READ 4 [751acf9260d2] (report: %s/%s/reports/2.txt)" %
            (T711, r, self.work, T711),
            # (an empty report is none)
            "FAIL %s %s/healed: open entry no longer faults (no fault): "
            "fixed? promote it as fixed (scripts/promote.sh crashes/"
            "111111111111 --expect fixed --target %s)" % (T711, r, T711)])
        # the open CF-291 entry was named on the identity build
        self.assertTrue(os.path.isfile(os.path.join(self.work, T711,
                                                    "identity-4.txt")))

    def test_a_corpus_error_counts_as_a_failed_input(self):
        write(os.path.join(self.reg, T711, "stray"), "x")
        with self.standins.patch():
            passed, failed, lines = regress.run_target(
                T711, self.seeds, self.reg, 10, self.work)
        self.assertEqual((passed, failed), (4, 3))
        self.assertTrue(lines[0].endswith("/stray: not in %s: no "
                                          "expectation recorded" %
                                          os.path.join(self.reg, T711,
                                                       "index.tsv")))


class CommandLineTest(unittest.TestCase):
    def main(self, *argv):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = regress.main(cli.parse_args(["regress"] + list(argv)))
        return rc, err.getvalue()

    def test_bad_arguments_exit_2_and_say_why(self):
        with tempfile.NamedTemporaryFile() as f:
            for argv, says in (
                    (("--target", "nope"), "regress.sh: unknown target "
                     "'nope' (one of: "),
                    (("--timeout", "0"), "--timeout wants a positive "
                     "integer, not '0'"),
                    (("--seeds", f.name + ".none"), "no such directory "
                     "(run: make corpus)"),
                    (("--regression", f.name), f.name + ": not a "
                     "directory"),
                    (("foo",), "unknown argument 'foo' (try --help)")):
                rc, err = self.main(*argv)
                self.assertEqual(rc, 2, argv)
                self.assertIn(says, err, argv)


if __name__ == "__main__":
    unittest.main()
