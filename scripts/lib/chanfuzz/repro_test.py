"""Tests of repro's parts that need no build (repro.py): where a crash's
input and target come from, whatever path names it; the channel part of an
input; the culprit marked in the decoded file; the finding's line; the
report without its shadow map; the matrix's rows."""
import json
import os
import shutil
import struct
import tempfile
import unittest

from chanfuzz import cli, repro, signature
from chanfuzz.replay_test import ASAN_CF291, REPORTS, write

T711, T716 = "fuzz_interp_711", "fuzz_interp_716"

# `cftool dump` of the CF-291 reproducer, its last two instances
DUMP = """format 1
channel 291
content-version 20240719
template IPC
instance 291004 detect
  field pipe_name prefix "\\\\\\\\.\\\\pipe\\\\" icase
  field rpc_binding wildcard
instance 291005 detect
  field pipe_name prefix "\\\\\\\\.\\\\pipe\\\\" icase
  field protocol equals "ncacn_np"
  field rpc_binding regex "^ncacn_np:.*$" icase
instance 291005 log
  field protocol equals "x"
  field pipe_name wildcard
  field rpc_binding regex "y"
"""
GUARD_LINE = ("chanfuzz-guard: out-of-bounds input read: build=7.11 "
              "template=IPC instance=291005 criterion=2 field=20 supplied=20 "
              "declared=21 op=regex")
GUARD = signature.line_fields(GUARD_LINE)
TYPES = {"templates": [
    {"id": 1, "name": "IPC", "channel": 291,
     "fields": [{"index": 0, "name": "pipe_name", "type": "str"},
                {"index": 20, "name": "rpc_binding", "type": "str"}]},
    {"id": 2, "name": "ProcessCreate", "channel": 262,
     "fields": [{"index": 9, "name": "cmdline", "type": "str"}]}]}


class ResolveTest(unittest.TestCase):
    def setUp(self):
        self.tmp = os.path.realpath(tempfile.mkdtemp(prefix="cf-repro-test."))
        self.crashes = os.path.join(self.tmp, "crashes")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def folder(self, name, meta, files=("input", "minimized")):
        d = os.path.join(self.crashes, name)
        for f in files:
            write(os.path.join(d, f), f)
        write(os.path.join(d, "meta.json"), json.dumps(meta))
        return d

    def refused(self, *args, **kw):
        with self.assertRaises(cli.UsageError) as cm:
            repro.resolve(*args, **kw)
        return str(cm.exception)

    def test_a_crash_folder_gives_its_minimised_input_and_target(self):
        d = self.folder("abc", {"target": T716})
        self.assertEqual(repro.resolve(d),
                         (os.path.join(d, "minimized"), T716))
        self.assertEqual(repro.resolve(d, T711)[1], T711)
        d = self.folder("def", {"target": T716}, files=("input",))
        self.assertEqual(repro.resolve(d)[0], os.path.join(d, "input"))

    def test_a_crash_folder_by_a_relative_path(self):
        d = self.folder("abc", {"target": T716})
        cwd = os.getcwd()
        os.chdir(self.crashes)
        try:
            self.assertEqual(repro.resolve("abc")[0],
                             os.path.join(d, "minimized"))
        finally:
            os.chdir(cwd)

    def test_folders_that_are_no_crash_folder(self):
        d = os.path.join(self.tmp, "plain")
        os.makedirs(d)
        self.assertEqual(self.refused(d), "%s: not a crashes/<id>/ folder "
                         "(no meta.json)" % d)
        d = self.folder("empty", {"target": T711}, files=())
        self.assertEqual(self.refused(d), "%s: no input" % d)
        d = self.folder("untargeted", {"signature": "x"})
        self.assertIn("unknown target: pass --target T", self.refused(d))

    def test_a_regression_entry_by_its_folder(self):
        f = write(os.path.join(self.tmp, "corpus", "regression", T716,
                               "063f1f697266"), "x")
        self.assertEqual(repro.resolve(f), (f, T716))

    def test_a_file_a_meta_json_names(self):
        f = write(os.path.join(self.tmp, "elsewhere", "input.bin"), "x")
        self.folder("abc", {"target": T716, "source": f})
        self.assertEqual(repro.resolve(f, crashes=self.crashes), (f, T716))
        self.assertIn("unknown target", self.refused(
            f, crashes=os.path.join(self.tmp, "none")))

    def test_a_file_named_after_its_target_or_with_a_target_file(self):
        f = write(os.path.join(self.tmp, "x", "fuzz_regex-crash-1"), "x")
        self.assertEqual(repro.resolve(f)[1], "fuzz_regex")
        write(os.path.join(self.tmp, "x", ".target"), "fuzz_parse\n")
        self.assertEqual(repro.resolve(f)[1], "fuzz_parse")
        # a recorded name that is no target is no target
        write(os.path.join(self.tmp, "x", ".target"), "nope\n")
        self.assertIn("unknown target: pass --target T", self.refused(f))

    def test_bad_crashes_and_targets(self):
        missing = os.path.join(self.tmp, "missing")
        self.assertEqual(self.refused(missing),
                         "%s: no such file or directory" % missing)
        f = write(os.path.join(self.tmp, "f"), "x")
        self.assertTrue(self.refused(f, "nope").startswith(
            "unknown target 'nope' (one of: "))


class ChannelTest(unittest.TestCase):
    @staticmethod
    def input_(size, total):
        data = bytearray(size)
        if size >= 24:
            struct.pack_into("<I", data, 20, total)
        return bytes(data)

    def test_the_channel_part_of_an_input(self):
        for size, total, want in (
                (0, 0, 0), (39, 0, 39),          # shorter than a header
                (100, 60, 60),                    # trailing event bytes
                (100, 100, 100), (100, 40, 40),   # exactly: all, header
                (100, 39, 100),                   # shorter than a header
                (100, 101, 100),                  # past the end
                (100, 0xFFFFFFFF, 100)):
            self.assertEqual(repro.channel_len(self.input_(size, total)),
                             want, (size, total))


class MarkTest(unittest.TestCase):
    def test_the_instance_and_its_criterion_are_marked(self):
        lines = repro.mark_dump(DUMP, GUARD)
        marked = [line for line in lines if "<-- here" in line]
        self.assertEqual(marked, [
            "instance 291005 detect    <-- here: instance 291005",
            '  field rpc_binding regex "^ncacn_np:.*$" icase    <-- here: '
            "criterion 2 reads input 20, 20 supplied"])
        # only the first instance of that id; every other line as it was
        self.assertEqual([line.split("    <-- here")[0] for line in lines],
                         DUMP.splitlines())

    def test_nothing_is_marked_without_a_guard_finding(self):
        self.assertEqual(repro.mark_dump(DUMP, None), DUMP.splitlines())

    def test_a_criterion_past_the_instance_marks_the_instance_only(self):
        guard = dict(GUARD, criterion="7")
        marked = [line for line in repro.mark_dump(DUMP, guard)
                  if "<-- here" in line]
        self.assertEqual(marked, [
            "instance 291005 detect    <-- here: instance 291005"])


class FindingTest(unittest.TestCase):
    def setUp(self):
        self.asan = signature.parse_file(os.path.join(REPORTS, ASAN_CF291),
                                         T711)

    def test_a_guard_finding_names_the_field(self):
        self.assertEqual(
            repro.finding(self.asan, GUARD, TYPES),
            "finding: heap-buffer-overflow READ 4 | template IPC | instance "
            "291005 | criterion 2 | field 20 (rpc_binding, field 21 of the "
            "template) | inputs supplied 20 | sensor build 7.11")

    def test_a_field_beyond_the_template(self):
        guard = signature.line_fields(
            "chanfuzz-guard: out-of-bounds input read: build=7.11 "
            "template=ProcessCreate instance=7 criterion=0 field=11 "
            "supplied=10 declared=10 op=int-eq")
        self.assertEqual(
            repro.finding(None, guard, TYPES),
            "finding: guard fault | template ProcessCreate | instance 7 | "
            "criterion 0 | field 11 (beyond the template's fields) | inputs "
            "supplied 10 | sensor build 7.11")
        # no template table (cftool failed), or an index that is no number
        self.assertIn("field 20 (beyond the template's fields)",
                      repro.finding(None, GUARD, None))
        self.assertIn("field 020 (beyond",
                      repro.finding(None, dict(GUARD, field="020"), TYPES))

    def test_no_guard_finding(self):
        self.assertEqual(
            repro.finding(self.asan, None),
            "finding: heap-buffer-overflow READ 4 | frames: eval_criterion "
            "cf_interp_eval cf_interp_run_event (no guard finding: not an "
            "input-array read)")
        self.assertIsNone(repro.finding(None, None))


class ReportTest(unittest.TestCase):
    def test_the_shadow_map_is_left_out(self):
        with open(os.path.join(REPORTS, ASAN_CF291)) as f:
            report = f.read()
        lines = repro.without_shadow_map(report).splitlines()
        self.assertNotIn("Shadow bytes around the buggy address:", lines)
        self.assertFalse(any("alloca redzone" in line for line in lines))
        self.assertIn("SUMMARY: AddressSanitizer: heap-buffer-overflow",
                      "\n".join(lines))
        self.assertEqual(len(lines), len(report.splitlines()) - 31)

    def test_a_cut_short_map_is_left_out_to_the_end(self):
        self.assertEqual(repro.without_shadow_map(
            "a\nShadow bytes around the buggy address:\n  0x1: 00\n"), "a")

    def test_the_matrix_rows(self):
        self.assertEqual(repro.matrix_rows(T716), [T711, T716])
        self.assertEqual(repro.matrix_rows("fuzz_parse"),
                         ["fuzz_parse", T711, T716])
        self.assertEqual(repro.matrix_rows("fuzz_regex"), ["fuzz_regex"])
        self.assertEqual([repro.row_label(t, T716) for t in (T711, T716)],
                         ["sensor 7.11", "sensor 7.16 (target)"])
        self.assertEqual(repro.row_label("fuzz_regex", "fuzz_regex"),
                         "fuzz_regex (target)")


if __name__ == "__main__":
    unittest.main()
