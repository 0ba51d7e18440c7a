"""Tests of the replay runner (replay.py) without a build: stand-in replay
builds (testdata/standin/replay.py, the driver's command line and manifest
protocol, faulting as each input says) and a stand-in llvm-symbolizer.
StandIns is shared with the tests of promote, regress and repro."""
import os
import shutil
import stat
import sys
import tempfile
import unittest
from unittest import mock

from chanfuzz import replay

HERE = os.path.dirname(os.path.realpath(__file__))
STANDIN = os.path.join(HERE, "testdata", "standin", "replay.py")
REPORTS = os.path.join(HERE, "testdata", "reports")
# testdata/reports/*.txt an input can name (their identity is in
# testdata/reports/expected.json)
ASAN_CF291 = "cf291-replay-asan.txt"        # heap-buffer-overflow READ 4
GUARD_CF291 = "cf291-replay-guard.txt"      # e56d63868907, a content read
TIMEOUT = "timeout-interp716-replay.txt"    # timeout


def executable(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)


class StandIns:
    """Stand-in replay builds of TARGETS under DIRECTORY (one folder per
    variant) and the environment that points replay.py at them."""

    def __init__(self, directory, targets, variants=("asan", "guard",
                                                      "plain")):
        self.env = {"CF_NO_MAKE": "1"}
        for variant in replay.VARIANT_DIRS:
            d = os.path.join(directory, "build-" + variant)
            os.makedirs(d, exist_ok=True)
            self.env[replay.VARIANT_DIRS[variant][0]] = d
            if variant not in variants:
                continue
            for t in targets:
                executable(os.path.join(d, t),
                           "#!/bin/sh\nCF_STANDIN_VARIANT=%s "
                           "CF_STANDIN_TARGET=%s exec %s %s \"$@\"\n" %
                           (variant, t, sys.executable, STANDIN))

    def patch(self):
        return mock.patch.dict(os.environ, self.env)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


class RunTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-replay-test.")
        self.standins = StandIns(self.tmp, ["fuzz_interp_711"])
        self.clean = write(os.path.join(self.tmp, "clean"), "x\n")
        self.crash = write(os.path.join(self.tmp, "crash"),
                           "guard report %s\nreport %s\n" %
                           (GUARD_CF291, ASAN_CF291))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_one_input_per_variant(self):
        with self.standins.patch():
            asan = replay.run("asan", "fuzz_interp_711", self.crash)
            guard = replay.run("guard", "fuzz_interp_711", self.crash)
            clean = replay.run("asan", "fuzz_interp_711", self.clean)
        self.assertEqual(asan.fault.type, "heap-buffer-overflow READ 4")
        self.assertEqual(guard.fault.id, "e56d63868907")
        self.assertEqual((clean.rc, clean.faulted), (0, False))

    def test_a_missing_build_is_no_fault(self):
        with self.standins.patch():
            r = replay.run("asan", "fuzz_parse", self.crash)
        self.assertTrue(r.missing)
        self.assertFalse(r.faulted)

    def test_run_many_restarts_after_a_fault(self):
        with self.standins.patch():
            results = replay.run_many("asan", "fuzz_interp_711",
                                      [self.clean, self.crash, self.clean,
                                       self.crash])
        self.assertEqual([r.faulted for r in results],
                         [False, True, False, True])
        self.assertEqual(results[3].fault.id, "751acf9260d2")


class ManifestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-replay-test.")
        self.standins = StandIns(self.tmp, ["fuzz_interp_711"])
        self.work = os.path.join(self.tmp, "work")
        os.makedirs(self.work)
        self.inputs = {name: write(os.path.join(self.tmp, name), text)
                       for name, text in (("clean", "x\n"),
                                          ("crash", "report %s\n" %
                                           ASAN_CF291),
                                          ("die", "die\n"))}

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_manifest(self, manifest):
        with self.standins.patch():
            return replay.run_manifest(
                "fuzz_interp_711",
                [(e, self.inputs[n]) for e, n in manifest], self.work)

    def test_expected_faults_pass_in_one_process(self):
        outcomes, error = self.run_manifest([("clean", "clean"),
                                             ("fault", "crash"),
                                             ("fault", "clean")])
        self.assertIsNone(error)
        self.assertEqual([(o.verdict, o.reason) for o in outcomes],
                         [("PASS", "clean"), ("PASS", "fault: exit 1"),
                          ("FAIL", "no fault")])
        with open(outcomes[1].report) as f:
            self.assertIn("heap-buffer-overflow", f.read())
        self.assertFalse(os.path.exists(os.path.join(self.work,
                                                     "stderr.2")))

    def test_a_clean_input_that_faults_restarts_the_driver(self):
        outcomes, error = self.run_manifest([("clean", "clean"),
                                             ("clean", "crash"),
                                             ("clean", "clean"),
                                             ("clean", "crash"),
                                             ("clean", "clean")])
        self.assertIsNone(error)
        self.assertEqual([o.verdict for o in outcomes],
                         ["PASS", "FAIL", "PASS", "FAIL", "PASS"])
        self.assertEqual((outcomes[1].reason, outcomes[1].rc),
                         ("unexpected fault (exit 1)", 1))
        # the process's stderr is the input's report
        self.assertEqual(outcomes[3].report,
                         os.path.join(self.work, "reports", "3.txt"))
        with open(outcomes[3].report) as f, \
                open(os.path.join(REPORTS, ASAN_CF291)) as g:
            self.assertEqual(f.read(), g.read())
        # three processes: after each breach one more
        self.assertTrue(os.path.exists(os.path.join(self.work, "stderr.3")))
        self.assertFalse(os.path.exists(os.path.join(self.work,
                                                     "stderr.4")))

    def test_a_driver_that_dies_between_inputs_runs_nothing_more(self):
        outcomes, error = self.run_manifest([("clean", "clean"),
                                             ("clean", "die"),
                                             ("clean", "clean")])
        self.assertEqual(error[0], 3)
        self.assertEqual([(o.verdict, o.reason) for o in outcomes],
                         [("PASS", "clean"), ("FAIL", "not run"),
                          ("FAIL", "not run")])

    def test_an_empty_manifest_runs_nothing(self):
        self.assertEqual(self.run_manifest([]), ([], None))
        self.assertFalse(os.path.exists(os.path.join(self.work,
                                                     "stderr.1")))


class SymbolizeTest(unittest.TestCase):
    # what llvm-symbolizer prints for each "MODULE 0xOFFSET" line: inlined
    # frames innermost first, then an empty line
    SYMBOLIZER = """#!%s
import sys
answers = {"0x10": "inner\\n/src/a.c:1:2\\nouter\\n/src/a.c:9:1\\n",
           "0x20": "main\\n/src/m.c:3:4\\n"}
with open(sys.argv[0] + ".queries", "a") as log:
    for line in sys.stdin:
        log.write(line)
        off = line.split()[1]
        sys.stdout.write(answers.get(off, "??\\n??:0:0\\n") + "\\n")
"""
    REPORT = """==1==ERROR: AddressSanitizer: heap-buffer-overflow
    #0 0x55aa  (/b/fuzz_parse+0x10) (BuildId: 1)
    #1 0x55bb  (/b/fuzz_parse+0x30) (BuildId: 1)
    #2 0x55cc  (/b/fuzz_parse+0x20) (BuildId: 1)
allocated by thread T0 here:
    #0 0x55dd  (/b/fuzz_parse+0x20) (BuildId: 1)
SUMMARY: AddressSanitizer: heap-buffer-overflow (/b/fuzz_parse+0x10)
"""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-replay-test.")
        self.sym = os.path.join(self.tmp, "llvm-symbolizer")
        executable(self.sym, self.SYMBOLIZER % sys.executable)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def symbolize(self, *texts):
        paths = [write(os.path.join(self.tmp, "r%d.txt" % i), t)
                 for i, t in enumerate(texts)]
        with mock.patch.dict(os.environ, {"ASAN_SYMBOLIZER_PATH":
                                          self.sym}):
            replay.symbolize_reports(paths)
        out = []
        for p in paths:
            with open(p) as f:
                out.append(f.read())
        return out

    def test_frames_are_symbolised_and_renumbered(self):
        (text,) = self.symbolize(self.REPORT)
        self.assertEqual(text.splitlines()[1:7], [
            "    #0 0x55aa in inner /src/a.c:1:2",
            "    #1 0x55aa in outer /src/a.c:9:1",
            # the symboliser knows nothing: kept, renumbered
            "    #2 0x55bb  (/b/fuzz_parse+0x30) (BuildId: 1)",
            "    #3 0x55cc in main /src/m.c:3:4",
            "allocated by thread T0 here:",
            "    #0 0x55dd in main /src/m.c:3:4"])
        # the SUMMARY line is no frame
        self.assertTrue(text.endswith("(/b/fuzz_parse+0x10)\n"))

    def test_one_query_per_module_offset_for_all_reports(self):
        self.symbolize(self.REPORT, self.REPORT)
        with open(self.sym + ".queries") as f:
            self.assertEqual(f.read().splitlines(), [
                "/b/fuzz_parse 0x10", "/b/fuzz_parse 0x20",
                "/b/fuzz_parse 0x30"])

    def test_a_symbolised_report_is_left_as_it_is(self):
        # (its _start frame has a module offset the symboliser cannot name)
        with open(os.path.join(REPORTS, ASAN_CF291)) as f:
            text = f.read()
        self.assertEqual(self.symbolize(text), [text])

    def test_no_module_offsets_no_symboliser(self):
        text = "==1==ERROR: LeakSanitizer: detected memory leaks\n"
        self.assertEqual(self.symbolize(text), [text])
        self.assertFalse(os.path.exists(self.sym + ".queries"))


if __name__ == "__main__":
    unittest.main()
