"""Tests of triage's parts that need no build (triage.py): where an
input's target is recorded, the fault as the engine saw it, and the keys
that group unreproducible crashes. The replays themselves are tested end
to end by tests/sh/regress.sh."""
import json
import os
import shutil
import tempfile
import unittest

from chanfuzz import triage

ASAN_LOG = """INFO: Seed: 5
#38	INITED cov: 542 ft: 2163 corp: 37/30Kb exec/s: 0 rss: 38Mb
=================================================================
==10740==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x612000029880 at pc 0x55b27fab554e bp 0x7ffd sp 0x7ffd
WRITE of size 37 at 0x612000029880 thread T0
    #0 0x55b27fab554e  (/w/build/fuzz/fuzz_interp_711_smart+0x1845d7)
    #1 0x55b27fab582e  (/w/build/fuzz/fuzz_interp_711_smart+0x1848fe)
SUMMARY: AddressSanitizer: heap-buffer-overflow (/w/build/fuzz/fuzz_interp_711_smart+0x1845d7)
==10740==ABORTING
MS: 1 ChangeByte-; base unit: 0000
artifact_prefix='%(art)s/'; Test unit written to %(art)s/crash-69c0
"""


def write(path, data="x"):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)


class TargetTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-triage-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_afl_instance_names_its_target(self):
        inst = os.path.join(self.tmp, "out", "main")
        write(os.path.join(inst, "fuzzer_stats"),
              "command_line      : afl-fuzz -i in -o out -M main -- "
              "/w/build/afl/fuzz_interp_716\n")
        f = os.path.join(inst, "crashes", "id:000000,sig:06,src:1")
        write(f)
        items = triage.collect([os.path.join(self.tmp, "out")])
        self.assertEqual([(i.engine, i.target) for i in items],
                         [("afl", "fuzz_interp_716")])
        self.assertEqual(triage.infer_target(f), "fuzz_interp_716")

    def test_dot_target_beats_the_name(self):
        f = os.path.join(self.tmp, "art", "fuzz_parse-crash-1")
        write(f)
        write(os.path.join(self.tmp, "art", ".target"), "fuzz_regex\n")
        self.assertEqual(triage.infer_target(f), "fuzz_regex")

    def test_folder_named_after_the_target(self):
        f = os.path.join(self.tmp, "corpus", "regression",
                         "fuzz_differential", "0123456789ab")
        write(f)
        self.assertEqual(triage.infer_target(f), "fuzz_differential")
        g = os.path.join(self.tmp, "c", "lf", "fuzz_validate", "artifacts",
                         "crash-x")
        write(g)
        self.assertEqual(triage.infer_target(g), "fuzz_validate")

    def test_meta_json_naming_the_file(self):
        f = os.path.join(self.tmp, "somewhere", "input.bin")
        write(f)
        store_dir = os.path.join(self.tmp, "crashes", "abc")
        write(os.path.join(store_dir, "meta.json"), json.dumps(
            {"signature": "abc", "target": "fuzz_interp_711",
             "sources": [f]}))
        self.assertEqual(triage.infer_target(
            f, os.path.join(self.tmp, "crashes")), "fuzz_interp_711")
        self.assertIsNone(triage.infer_target(
            f, os.path.join(self.tmp, "nowhere")))

    def test_name_prefix_last(self):
        f = os.path.join(self.tmp, "fuzz_interp_711-crash-abc")
        write(f)
        self.assertEqual(triage.infer_target(f), "fuzz_interp_711")
        g = os.path.join(self.tmp, "fuzz_interp_7111")
        write(g)
        self.assertIsNone(triage.infer_target(g))

    def test_unknown_target_is_a_usage_error(self):
        f = os.path.join(self.tmp, "plain.bin")
        write(f)
        with self.assertRaises(triage.UsageError):
            triage.collect([f])
        with self.assertRaises(triage.UsageError):
            triage.collect([os.path.join(self.tmp, "missing")])
        self.assertEqual(triage.collect([f], "fuzz_parse")[0].target,
                         "fuzz_parse")

    def test_libfuzzer_folder_takes_only_crash_kinds(self):
        d = os.path.join(self.tmp, "lf")
        for n in ("crash-1", "leak-2", "oom-3", "timeout-4", "slow-unit-5"):
            write(os.path.join(d, n))
        items = triage.collect([d], "fuzz_parse")
        self.assertEqual(sorted(os.path.basename(i.path) for i in items),
                         ["crash-1", "leak-2", "oom-3", "timeout-4"])
        self.assertTrue(all(i.engine == "libfuzzer" for i in items))


class EngineFaultTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-triage-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_afl_signal_from_the_name(self):
        p = "/o/afl/t/main/crashes/id:000004,sig:11,src:000001,time:4"
        self.assertEqual(triage.afl_signal(p), 11)
        s, f = triage.engine_fault(triage.Item(p, "afl", "fuzz_parse"))
        self.assertEqual(s, "AFL++ signal 11 (SIGSEGV)")
        self.assertIsNone(f)
        h = "/o/afl/t/main/hangs/id:000000,src:000001,time:4"
        self.assertEqual(triage.engine_fault(
            triage.Item(h, "afl", "fuzz_parse"))[0], "AFL++ hang")

    def test_libfuzzer_log_keeps_the_report(self):
        base = os.path.join(self.tmp, "lf", "fuzz_interp_711")
        art = os.path.join(base, "artifacts")
        write(os.path.join(art, "crash-69c0"), "input")
        write(os.path.join(base, "logs", "00001-smart.log"),
              ASAN_LOG % {"art": art})
        item = triage.Item(os.path.join(art, "crash-69c0"), "libfuzzer",
                           "fuzz_interp_711")
        rep = triage.lf_log_report(item.path)
        self.assertTrue(rep.startswith("====="), rep[:80])
        self.assertIn("Test unit written to", rep)
        s, f = triage.engine_fault(item)
        self.assertEqual(s, "libFuzzer crash: heap-buffer-overflow WRITE "
                         "{*}")
        self.assertEqual(f.type, "heap-buffer-overflow WRITE {*}")

    def test_libfuzzer_without_a_log(self):
        p = os.path.join(self.tmp, "x", "artifacts", "leak-1")
        write(p)
        self.assertEqual(triage.engine_fault(
            triage.Item(p, "libfuzzer", "fuzz_parse"))[0], "libFuzzer leak")


if __name__ == "__main__":
    unittest.main()
