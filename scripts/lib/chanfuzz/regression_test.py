"""Tests of the regression corpus's index (regression.py): reading it as
it is, and the one writer, upsert()."""
import os
import shutil
import tempfile
import unittest

from chanfuzz import regression

INDEX = ("# chanfuzz regression corpus of fuzz_interp_711 (docs/CRASHES.md): "
         "one line per input\n"
         "# file\texpect\tsignature\ttype\tsource\tdate\n"
         "e56d63868907\tdetect\te56d63868907\tcontent\tcrashes/e56d63868907"
         "\t2026-11-23T19:56:58Z\n"
         "\n"
         "gone00000000\tfixed\tgone00000000\tt\n"
         "odd\n"
         "# a note\n"
         "bad000000000\tsometimes\tbad000000000\n")


class IndexTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-regression-test.")
        self.dir = os.path.join(self.tmp, "fuzz_interp_711")
        os.makedirs(self.dir)
        self.index = os.path.join(self.dir, "index.tsv")
        for name in ("e56d63868907", "bad000000000", "odd"):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write("x")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_index(self, text=INDEX):
        with open(self.index, "w") as f:
            f.write(text)

    def test_read_index_keeps_every_entry_line_and_its_number(self):
        self.write_index()
        got = [(e.lineno, e.file, e.expect, e.signature, e.type)
               for e in regression.read_index(self.dir)]
        self.assertEqual(got, [
            (3, "e56d63868907", "detect", "e56d63868907", "content"),
            (5, "gone00000000", "fixed", "gone00000000", "t"),
            (6, "odd", "", "", ""),
            (8, "bad000000000", "sometimes", "bad000000000", "")])
        self.assertEqual(regression.read_index(self.dir)[0].path,
                         os.path.join(self.dir, "e56d63868907"))

    def test_no_index_no_entries(self):
        self.assertEqual(regression.read_index(self.dir), [])
        self.assertEqual(regression.entries("fuzz_interp_711", self.tmp), [])

    def test_entries_are_the_valid_ones_whose_file_exists(self):
        self.write_index()
        self.assertEqual([e.file for e in regression.entries(
            "fuzz_interp_711", self.tmp)], ["e56d63868907"])

    def test_a_line_ends_at_a_line_feed_only(self):
        self.write_index("a\tfixed\tsig\tt\x0bype\r\n")
        (e,) = regression.read_index(self.dir)
        self.assertEqual((e.type, e.source), ("t\x0bype\r", ""))

    def test_upsert_adds_a_new_entry_under_the_header(self):
        old = regression.upsert(self.dir, "fuzz_interp_711",
                                ["abc", "fixed", "abc", "type", "src",
                                 "date"])
        self.assertIsNone(old)
        with open(self.index) as f:
            self.assertEqual(f.read(), regression.header("fuzz_interp_711")
                             + "abc\tfixed\tabc\ttype\tsrc\tdate\n")
        self.assertEqual(os.stat(self.index).st_mode & 0o777, 0o644)

    def test_upsert_replaces_its_line_and_keeps_the_others_as_they_were(self):
        self.write_index()
        old = regression.upsert(self.dir, "fuzz_interp_711",
                                ["e56d63868907", "fixed", "e56d63868907",
                                 "content", "crashes/x", "now"])
        self.assertEqual(old, "detect")
        with open(self.index) as f:
            lines = f.read().splitlines()
        self.assertEqual(lines[2:], [
            "gone00000000\tfixed\tgone00000000\tt", "odd",
            "bad000000000\tsometimes\tbad000000000",
            "e56d63868907\tfixed\te56d63868907\tcontent\tcrashes/x\tnow"])
        # the comment lines become the standard header
        self.assertEqual(lines[:2],
                         regression.header("fuzz_interp_711").splitlines())
        self.assertEqual(sorted(os.listdir(self.dir)),
                         ["bad000000000", "e56d63868907", "index.tsv",
                          "odd"])

    def test_detector_findings(self):
        for crash_type, finding in (
                ("heap-buffer-overflow READ 4", True),
                ("out-of-bounds input read: IPC field 20 declared but not "
                 "supplied by 7.11", True),
                ("timeout", False), ("out-of-memory", False),
                ("exit 3", False), ("timeout-ish", True)):
            self.assertEqual(regression.detector_finding(crash_type),
                             finding, crash_type)


if __name__ == "__main__":
    unittest.main()
