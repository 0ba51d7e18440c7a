"""Tests of corpus.py (`make corpus`): run in a temporary checkout-like
folder with a stand-in cftool (testdata/standin/cftool) that logs its
calls, so that the up-to-date check can be seen to skip them."""
import contextlib
import io
import os
import shutil
import subprocess
import tempfile
import unittest

from chanfuzz import cli, corpus

STANDIN = os.path.join(os.path.dirname(os.path.realpath(__file__)),
                       "testdata", "standin", "cftool")
TARGETS = """# name	source	input	sensor	mutator	defines
t_parse	fuzz_parse.c	chan	-	channel	-
t_711	fuzz_interp.c	chan	7.11	channel	-
t_regex	fuzz_regex.c	regex	-	regex	-
t_asm	fuzz_asm.c	text	-	none	-
t_events	fuzz_events.c	events	-	none	-
"""
SOURCES = {
    "plain.cft": "channel 291\n",
    "cf291-nonwildcard.cft": "channel 291\n",
    "marked.cft": "# expect: rejected-by-current\nREJECT\n",
    "only-parse.cft": "#  targets: t_parse\nchannel 1\n",
}


class Tree(unittest.TestCase):
    """A temporary root with corpus/src, harness/targets.tsv and
    build/cftool (the stand-in); run() runs the verb there."""

    def setUp(self):
        self.root = tempfile.mkdtemp(prefix="corpus_test.")
        self.addCleanup(shutil.rmtree, self.root)
        old = os.getcwd()
        os.chdir(self.root)
        self.addCleanup(os.chdir, old)
        os.makedirs("corpus/src")
        os.makedirs("corpus/t_events")
        os.makedirs("harness")
        os.makedirs("build")
        shutil.copy(STANDIN, "build/cftool")
        self.write("harness/targets.tsv", TARGETS)
        self.write("corpus/t_events/ipc.events", "x")
        for name, text in SOURCES.items():
            self.write("corpus/src/" + name, text)
        self.write("corpus/src/regex.seeds",
                   "# flags\tpattern\tsubject\n1\ta\\x62+\tab\\tb\r\n\n"
                   "0\t\\\\d\t\n")
        self.log = os.path.join(self.root, "cftool.log")
        os.environ["CF_STANDIN_LOG"] = self.log
        self.addCleanup(os.environ.pop, "CF_STANDIN_LOG", None)

    def write(self, path, text):
        with open(path, "w") as f:
            f.write(text)

    def read(self, path):
        with open(path, "rb") as f:
            return f.read()

    def run_verb(self):
        """(status, stdout, stderr) of a run; the stand-in's log is
        emptied first."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.log)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = corpus.run("build/cftool", "harness/targets.tsv")
        return status, out.getvalue(), err.getvalue()

    def calls(self):
        if not os.path.exists(self.log):
            return 0
        with open(self.log) as f:
            return len(f.read().splitlines())

    def listing(self, folder):
        return sorted(os.listdir(folder))


class SeedRules(Tree):

    def test_first_run_lines_and_files(self):
        status, out, err = self.run_verb()
        self.assertEqual(status, 0)
        self.assertEqual(out.splitlines(), [
            "build/corpus: 4 channel files (4 new, 0 updated)",
            "corpus/t_parse: 4 seeds (4 new, 0 updated, 0 removed)",
            "corpus/t_711: 1 seeds (1 new, 0 updated, 0 removed)",
            "corpus/t_regex: 2 seeds (2 new, 0 updated, 0 removed)",
            "corpus/t_asm: 4 seeds (4 new, 0 updated, 0 removed)",
            "corpus/t_events: 1 seeds (committed as they are)"])
        self.assertEqual(err, "")
        self.assertEqual(self.calls(), 8)   # asm and validate per source

    def test_which_targets_get_which_seed(self):
        self.run_verb()
        self.assertEqual(self.listing("corpus/t_parse"), [
            "cf291-nonwildcard.cf", "marked.cf", "only-parse.cf",
            "plain.cf"])
        # the sensor target: neither cf291-nonwildcard, nor a seed marked
        # rejected-by-current, nor one limited to other targets
        self.assertEqual(self.listing("corpus/t_711"), ["plain.cf"])
        self.assertEqual(self.listing("corpus/t_asm"), sorted(SOURCES))
        self.assertEqual(self.read("corpus/t_asm/marked.cft"),
                         SOURCES["marked.cft"].encode())
        self.assertEqual(self.read("corpus/t_parse/plain.cf"),
                         b"CF\nchannel 291\n")
        self.assertEqual(self.read("build/corpus/plain.cf"),
                         b"CF\nchannel 291\n")
        self.assertEqual(self.listing("corpus/t_events"), ["ipc.events"])

    def test_regex_seed_layout(self):
        self.run_verb()
        self.assertEqual(self.listing("corpus/t_regex"),
                         ["regex-001.bin", "regex-002.bin"])
        # [flags][pattern length][pattern][subject], printf %b escapes
        self.assertEqual(self.read("corpus/t_regex/regex-001.bin"),
                         b"\x01\x03ab+ab\tb")
        self.assertEqual(self.read("corpus/t_regex/regex-002.bin"),
                         b"\x00\x02\\d")

    def test_warnings_on_markers(self):
        self.write("corpus/src/marked.cft",
                   "# expect: rejected-by-current\nfine\n")
        self.write("corpus/src/plain.cft", "REJECT\n")
        status, _, err = self.run_verb()
        self.assertEqual(status, 0)
        self.assertEqual(err.splitlines(), [
            "corpus.sh: warning: corpus/src/marked.cft is marked "
            "rejected-by-current but is accepted",
            "corpus.sh: warning: corpus/src/plain.cft is rejected by the "
            "current validator but not marked"])
        # a rejected seed without the marker still reaches the sensor
        # target: the marker is the rule, the warning says it is missing
        self.assertEqual(self.listing("corpus/t_711"), ["plain.cf"])


class UpToDate(Tree):

    def setUp(self):
        super().setUp()
        self.assertEqual(self.run_verb()[0], 0)

    def assert_rebuilds(self):
        status, out, _ = self.run_verb()
        self.assertEqual(status, 0)
        self.assertTrue(out.startswith("build/corpus: 4 channel files"), out)
        self.assertEqual(self.calls(), 8)

    def test_nothing_changed_runs_no_cftool(self):
        status, out, _ = self.run_verb()
        self.assertEqual((status, self.calls()), (0, 0))
        # 4 in build/corpus, then 4 + 1 + 2 + 4 in corpus/<target>/
        self.assertEqual(out, "corpus: up to date (15 files; build/corpus "
                         "and corpus/<target>/)\n")

    def test_changed_source_rebuilds(self):
        self.write("corpus/src/plain.cft", "channel 292\n")
        self.assert_rebuilds()
        self.assertEqual(self.read("corpus/t_711/plain.cf"),
                         b"CF\nchannel 292\n")

    def test_changed_cftool_rebuilds(self):
        with open("build/cftool", "a") as f:
            f.write("# another build\n")
        self.assert_rebuilds()

    def test_changed_rule_rebuilds(self):
        # the target list is a rule: t_711 loses its sensor build
        self.write("harness/targets.tsv",
                   TARGETS.replace("7.11", "-"))
        self.assert_rebuilds()
        self.assertIn("cf291-nonwildcard.cf", self.listing("corpus/t_711"))

    def test_changed_output_rebuilds(self):
        self.write("corpus/t_parse/plain.cf", "edited")
        status, out, _ = self.run_verb()
        self.assertIn("corpus/t_parse: 4 seeds (0 new, 1 updated, 0 removed)",
                      out.splitlines())
        self.assertEqual(self.read("corpus/t_parse/plain.cf"),
                         b"CF\nchannel 291\n")

    def test_other_files_do_not_matter(self):
        self.write("corpus/t_parse/crash-1", "saved by a fuzzer")
        self.assertEqual(self.run_verb()[1][:19], "corpus: up to date ")


class Removal(Tree):

    def test_files_without_source_are_removed_others_kept(self):
        self.run_verb()
        os.unlink("corpus/src/plain.cft")
        self.write("corpus/src/regex.seeds", "2\tx\ty\n")
        self.write("corpus/t_parse/crash-1", "saved by a fuzzer")
        self.write("corpus/t_parse/.plain.cf.tmp.abc", "interrupted")
        status, out, _ = self.run_verb()
        self.assertEqual(status, 0)
        self.assertEqual(out.splitlines()[:5], [
            "build/corpus: 3 channel files (0 new, 0 updated)",
            "corpus/t_parse: 3 seeds (0 new, 0 updated, 1 removed, 1 other "
            "files kept)",
            "corpus/t_711: 0 seeds (0 new, 0 updated, 1 removed)",
            "corpus/t_regex: 1 seeds (0 new, 1 updated, 1 removed)",
            "corpus/t_asm: 3 seeds (0 new, 0 updated, 1 removed)"])
        self.assertEqual(self.listing("corpus/t_parse"), [
            "cf291-nonwildcard.cf", "crash-1", "marked.cf", "only-parse.cf"])
        self.assertEqual(self.listing("corpus/t_regex"), ["regex-001.bin"])


class Errors(Tree):

    def assert_fails(self, message):
        status, _, err = self.run_verb()
        self.assertEqual(status, 1)
        self.assertIn("corpus.sh: " + message + "\n", err)
        self.assertFalse(os.path.exists(corpus.STAMP))

    def test_unknown_target_in_targets_line(self):
        self.write("corpus/src/x.cft", "# targets: t_parse t_regex\n")
        self.assert_fails("corpus/src/x.cft: targets: 't_regex' is not a "
                          "channel fuzz target")

    def test_empty_targets_line(self):
        self.write("corpus/src/x.cft", "# targets: \t\n")
        self.assert_fails("corpus/src/x.cft: empty targets line")

    def test_asm_failure(self):
        self.write("corpus/src/x.cft", "garbage\n")
        self.assert_fails("corpus/src/x.cft: cftool asm failed")
        self.assertEqual([n for n in os.listdir("build/corpus")
                          if ".tmp." in n], [])

    def test_bad_file_name(self):
        self.write("corpus/src/a b.cft", "x\n")
        self.assert_fails("corpus/src/a b.cft: file name must be "
                          "[A-Za-z0-9._-]")

    def test_no_cftool(self):
        os.unlink("build/cftool")
        self.assert_fails("build/cftool not found (run: make build/cftool)")

    def test_no_sources(self):
        for name in SOURCES:
            os.unlink("corpus/src/" + name)
        self.assert_fails("no corpus/src/*.cft")

    def test_bad_regex_seed_lines(self):
        for line, message in [
                ("4\ta\tb", "FLAGS must be 0-3, got '4'"),
                ("0\tab", "want FLAGS<TAB>PATTERN<TAB>SUBJECT"),
                ("0\ta\\cb\tc", "\\c would end printf %b output"),
                ("0\t" + "a" * 256 + "\tb", "pattern is 256 bytes (max 255)")]:
            with self.subTest(line=line):
                self.write("corpus/src/regex.seeds", "# x\n" + line + "\n")
                self.assert_fails("corpus/src/regex.seeds:2: " + message)

    def test_missing_regex_seeds_is_a_warning(self):
        os.unlink("corpus/src/regex.seeds")
        status, out, err = self.run_verb()
        self.assertEqual(status, 0)
        self.assertEqual(err, "corpus.sh: warning: corpus/src/regex.seeds "
                         "missing: t_regex get no seeds\n")
        self.assertIn("corpus/t_regex: 0 seeds (0 new, 0 updated, 0 removed)",
                      out.splitlines())

    def test_arguments_are_refused(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            self.assertEqual(cli.main(["corpus", "--force"]), 2)
        self.assertIn("unknown argument '--force'", err.getvalue())


class PrintfB(unittest.TestCase):
    """printf_b against bash's own `printf %b` (the format regex.seeds was
    written for): the edge cases of each escape."""
    CASES = [b"", b"plain", b"\\", b"a\\", b"\\\\", b"\\\\d", b"\\n\\t\\r",
             b"\\a\\b\\e\\E\\f\\v", b"\\0", b"\\0101", b"\\01012", b"\\101",
             b"\\1012", b"\\8", b"\\x", b"\\x4", b"\\x41", b"\\x414",
             b"\\xg", b"\\u", b"\\u41", b"\\u00e9", b"\\U0001F600", b"\\'",
             b"\\\"", b"\\?", b"\\d\\w\\s", b"\\377\\400", b"a\\cb"]

    def test_same_as_bash(self):
        for case in self.CASES:
            with self.subTest(case=case):
                want = subprocess.run(
                    ["bash", "-c", 'printf %b "$1"', "printf", case],
                    env=dict(os.environ, LC_ALL="C"),
                    capture_output=True, check=True).stdout
                self.assertEqual(corpus.printf_b(case), want)


if __name__ == "__main__":
    unittest.main()
