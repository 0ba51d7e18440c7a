"""Tests of the target list reader (targets.py) on the real list and on
malformed ones."""
import os
import unittest

from chanfuzz import paths, targets

GOOD = ("# comment\n"
        "fuzz_a\tfuzz_a.c\tchan\t-\tchannel\t-\n"
        "fuzz_b_711\tfuzz_b.c\tchan\t7.11\tchannel\t-DX=1,-DY\n"
        "fuzz_c\tfuzz_c.c\tregex\t-\tregex\t-\n"
        "fuzz_d\tfuzz_d.c\ttext\t-\tnone\t-\n")


class ParseTest(unittest.TestCase):
    def test_columns(self):
        ts = targets.parse(GOOD)
        self.assertEqual([t.name for t in ts], ["fuzz_a", "fuzz_b_711",
                                                "fuzz_c", "fuzz_d"])
        self.assertEqual(ts[3].mutator, "none")
        self.assertIsNone(ts[0].sensor)
        self.assertEqual(ts[1].sensor, "7.11")
        self.assertEqual(ts[1].defines, ("-DX=1", "-DY"))
        self.assertEqual(ts[0].defines, ())
        self.assertEqual(targets.channel_targets(ts), ["fuzz_a", "fuzz_b_711"])
        self.assertEqual(targets.sensor_target("7.11", ts), "fuzz_b_711")
        self.assertIsNone(targets.sensor_target("9.9", ts))
        self.assertEqual(targets.sensor_of("fuzz_b_711", ts), "7.11")
        self.assertIsNone(targets.sensor_of("fuzz_a", ts))
        self.assertIsNone(targets.sensor_of("fuzz_z", ts))

    def test_malformed_lines_name_the_line(self):
        cases = {
            "spaces instead of tabs": "fuzz_a fuzz_a.c chan - channel -\n",
            "five columns": "fuzz_a\tfuzz_a.c\tchan\t-\tchannel\n",
            "seven columns": "fuzz_a\tfuzz_a.c\tchan\t-\tchannel\t-\tx\n",
            "empty column": "fuzz_a\t\tchan\t-\tchannel\t-\n",
            "bad name": "Fuzz-A\tfuzz_a.c\tchan\t-\tchannel\t-\n",
            "bad source": "fuzz_a\tfuzz_a.cc\tchan\t-\tchannel\t-\n",
            "bad mutator": "fuzz_a\tfuzz_a.c\tchan\t-\tbytes\t-\n",
            "name twice": GOOD + "fuzz_a\tfuzz_a.c\tchan\t-\tchannel\t-\n",
            "sensor twice": GOOD + "fuzz_d\tfuzz_b.c\tchan\t7.11\tchannel\t-\n",
        }
        for what, text in cases.items():
            with self.subTest(what), self.assertRaises(
                    targets.TargetListError) as cm:
                targets.parse(text, "t.tsv")
            self.assertRegex(str(cm.exception), r"^t\.tsv:\d+: ", what)

    def test_no_targets(self):
        with self.assertRaises(targets.TargetListError):
            targets.parse("# only a comment\n\n")


class RealListTest(unittest.TestCase):
    """harness/targets.tsv itself: every target's files are there."""

    def test_every_target_has_its_files(self):
        ts = targets.load()
        self.assertIn("fuzz_interp_711", targets.names(ts))
        for t in ts:
            for f in (t.source, t.name + ".dict", t.name + ".options"):
                self.assertTrue(
                    os.path.isfile(paths.root_path("harness", f)),
                    "%s: harness/%s missing" % (t.name, f))

    def test_cf291_targets(self):
        ts = targets.load()
        self.assertEqual(targets.sensor_target("7.11", ts), "fuzz_interp_711")
        self.assertEqual(targets.sensor_target("7.16", ts), "fuzz_interp_716")


if __name__ == "__main__":
    unittest.main()
