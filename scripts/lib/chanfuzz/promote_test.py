"""Tests of promote (promote.py) on a crash folder built in a temporary
folder, checked against stand-in replay builds (replay_test.StandIns): the
request's checks, the expectation's check, and what is written."""
import contextlib
import io
import json
import os
import shutil
import tempfile
import unittest

from chanfuzz import cli, promote, regression
from chanfuzz.replay_test import ASAN_CF291, GUARD_CF291, TIMEOUT, \
    StandIns, write

CF291 = "e56d63868907"
CF291_TYPE = ("out-of-bounds input read: IPC field 20 declared but not "
              "supplied by 7.11")
# CF-291 as the replay builds see it: a content read on the identity build
# of 7.11, an ASan report on its ASan build, nothing on 7.16
CF291_INPUT = ("fuzz_interp_711 guard report %s\nfuzz_interp_711 report %s\n"
               % (GUARD_CF291, ASAN_CF291))


def crash_folder(store, meta, minimized=CF291_INPUT, input_=CF291_INPUT):
    d = os.path.join(store, meta.get("signature") or "folder")
    if minimized is not None:
        write(os.path.join(d, "minimized"), minimized)
    if input_ is not None:
        write(os.path.join(d, "input"), input_)
    write(os.path.join(d, "meta.json"), json.dumps(meta))
    return d


def cf291_meta(**more):
    meta = {"signature": CF291, "target": "fuzz_interp_711",
            "crash_type": CF291_TYPE, "flaky": False}
    meta.update(more)
    return meta


class RequestTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-promote-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def refused(self, meta, expect, target=None):
        d = crash_folder(self.tmp, meta)
        with self.assertRaises(cli.UsageError) as cm:
            promote.check_request(d, meta, expect, target)
        return str(cm.exception)

    def test_what_a_request_gets(self):
        d = crash_folder(self.tmp, cf291_meta())
        self.assertEqual(promote.check_request(d, cf291_meta(), "detect"),
                         (CF291, CF291_TYPE, "fuzz_interp_711"))
        self.assertEqual(promote.check_request(
            d, cf291_meta(), "fixed", "fuzz_interp_716")[2],
            "fuzz_interp_716")

    def test_bad_requests(self):
        self.assertIn("bad signature 'xyz'",
                      self.refused(cf291_meta(signature="xyz"), "fixed"))
        self.assertIn("bad signature ''",
                      self.refused(cf291_meta(signature=None), "fixed"))
        self.assertIn("no target; pass --target T",
                      self.refused(cf291_meta(target=None), "fixed"))
        self.assertIn("unknown target 'nope'",
                      self.refused(cf291_meta(target="nope"), "fixed"))
        self.assertEqual(
            self.refused(cf291_meta(), "detect", "fuzz_interp_716"),
            "detect entries are canaries for fuzz_interp_711 (sensor build "
            "7.11), not fuzz_interp_716")
        self.assertIn("is flaky: it cannot be an open entry",
                      self.refused(cf291_meta(flaky=True), "open"))

    def test_a_flaky_crash_can_be_fixed(self):
        d = crash_folder(self.tmp, cf291_meta(flaky=True))
        self.assertEqual(promote.check_request(
            d, cf291_meta(flaky=True), "fixed")[0], CF291)

    def test_the_input_is_the_minimised_one_else_the_input(self):
        d = crash_folder(self.tmp, cf291_meta())
        self.assertEqual(promote.crash_input(d)[1],
                         os.path.join(d, "minimized"))
        d = crash_folder(os.path.join(self.tmp, "b"), cf291_meta(),
                         minimized="")
        self.assertEqual(promote.crash_input(d)[1], os.path.join(d, "input"))
        d = crash_folder(os.path.join(self.tmp, "c"), cf291_meta(),
                         minimized=None, input_=None)
        with self.assertRaises(cli.UsageError):
            promote.crash_input(d)

    def test_a_folder_without_a_valid_meta_json(self):
        d = os.path.join(self.tmp, "nometa")
        write(os.path.join(d, "input"), "x")
        with self.assertRaises(cli.UsageError) as cm:
            promote.crash_input(d)
        self.assertIn("no meta.json", str(cm.exception))
        write(os.path.join(d, "meta.json"), "{not json")
        with self.assertRaises(cli.UsageError) as cm:
            promote.crash_input(d)
        self.assertIn("not valid JSON", str(cm.exception))


class PromoteTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-promote-test.")
        self.reg = os.path.join(self.tmp, "regression")
        self.standins = StandIns(self.tmp, ["fuzz_interp_711",
                                            "fuzz_interp_716"])

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def promote(self, meta, expect, target=None, **folder):
        d = crash_folder(os.path.join(self.tmp, "crashes"), meta, **folder)
        out = io.StringIO()
        with self.standins.patch(), contextlib.redirect_stdout(out):
            promote.promote(d, expect, target, self.reg)
        return out.getvalue()

    def index(self, target):
        return [e.__dict__ for e in regression.read_index(
            os.path.join(self.reg, target))]

    def test_a_canary_is_promoted_under_its_identity(self):
        out = self.promote(cf291_meta(), "detect")
        self.assertEqual(out, "promote: %s/fuzz_interp_711/%s: detect (%s) "
                         "[new entry]\n" % (self.reg, CF291, CF291_TYPE))
        d = os.path.join(self.reg, "fuzz_interp_711")
        with open(os.path.join(d, CF291)) as f:
            self.assertEqual(f.read(), CF291_INPUT)
        (e,) = self.index("fuzz_interp_711")
        self.assertEqual((e["file"], e["expect"], e["signature"], e["type"],
                          e["source"]),
                         (CF291, "detect", CF291, CF291_TYPE,
                          os.path.realpath(os.path.join(self.tmp, "crashes",
                                                        CF291))))
        self.assertRegex(e["date"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
        self.assertEqual(sorted(os.listdir(d)), [CF291, "index.tsv"])

    def test_promoting_again_replaces_the_line(self):
        self.promote(cf291_meta(), "detect")
        out = self.promote(cf291_meta(), "open")
        self.assertTrue(out.endswith("open (%s) [was detect]\n" % CF291_TYPE))
        self.assertEqual([e["expect"] for e in self.index(
            "fuzz_interp_711")], ["open"])

    def test_fixed_where_it_does_not_fault(self):
        out = self.promote(cf291_meta(), "fixed", "fuzz_interp_716")
        self.assertIn("/fuzz_interp_716/%s: fixed" % CF291, out)

    def test_fixed_is_refused_where_it_still_faults(self):
        with self.assertRaises(promote.Refused) as cm:
            self.promote(cf291_meta(), "fixed")
        self.assertRegex(str(cm.exception), r"^fuzz_interp_711 still faults "
                         r"on .*/minimized: heap-buffer-overflow READ 4 "
                         r"\[751acf9260d2\]; not fixed$")
        self.assertFalse(os.path.exists(self.reg))

    def test_open_is_refused_where_it_does_not_fault(self):
        with self.assertRaises(promote.Refused) as cm:
            self.promote(cf291_meta(), "open", "fuzz_interp_716")
        self.assertIn("does not fault on", str(cm.exception))
        self.assertIn("promote it with --expect fixed", str(cm.exception))

    def test_open_keeps_the_identity_of_the_identity_build(self):
        # the ASan build sees another stack: the identity build decides
        with self.assertRaises(promote.Refused) as cm:
            self.promote(cf291_meta(signature="0123456789ab"), "open")
        self.assertTrue(str(cm.exception).endswith(
            "with another signature: %s [%s], not [0123456789ab]" %
            (CF291_TYPE, CF291)))

    def test_a_canary_must_be_a_detector_finding(self):
        with self.assertRaises(promote.Refused) as cm:
            self.promote(cf291_meta(), "detect", minimized="report %s\n" %
                         TIMEOUT)
        self.assertIn("only as timeout, not as a detector finding",
                      str(cm.exception))

    def test_a_missing_build_is_a_usage_error(self):
        shutil.rmtree(self.standins.env["CF_GUARD_DIR"])
        err = io.StringIO()
        with self.assertRaises(cli.UsageError) as cm, \
                contextlib.redirect_stderr(err):
            self.promote(cf291_meta(), "open")
        self.assertIn("cannot build", str(cm.exception))
        self.assertIn("fuzz_interp_711 is not built", err.getvalue())


class CommandLineTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-promote-test.")
        self.crash = crash_folder(self.tmp, cf291_meta())

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def main(self, *argv):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = promote.main(cli.parse_args(["promote"] + list(argv)))
        return rc, err.getvalue()

    def test_bad_arguments_exit_2_and_say_why(self):
        for argv, says in (
                ((), "usage: promote.sh CRASH-DIR --expect"),
                ((self.crash,), "--expect fixed|open|detect is required"),
                ((self.crash, "--expect", "sometimes"),
                 "--expect wants fixed, open or detect, not 'sometimes'"),
                ((self.crash, "--expect", "fixed", "--replay-timeout", "0"),
                 "--replay-timeout wants a positive integer, not '0'"),
                ((self.crash, self.crash, "--expect", "fixed"),
                 "one CRASH-DIR at a time"),
                ((self.crash, "--expect", "fixed", "--frob"),
                 "unknown option '--frob' (try --help)"),
                ((os.path.join(self.tmp, "missing"), "--expect", "fixed"),
                 "missing: not a crash folder")):
            rc, err = self.main(*argv)
            self.assertEqual(rc, 2, argv)
            self.assertIn(says, err, argv)


if __name__ == "__main__":
    unittest.main()
