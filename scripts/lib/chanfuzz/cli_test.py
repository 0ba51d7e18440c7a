"""Tests of the command line frame (cli.py)."""
import contextlib
import io
import unittest

from chanfuzz import cli


class CliTest(unittest.TestCase):
    def test_no_command_is_a_usage_error(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(
                SystemExit) as cm:
            cli.parse_args([])
        self.assertEqual(cm.exception.code, 2)
        self.assertIn("COMMAND", err.getvalue())

    def test_unknown_command_is_a_usage_error(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(
                SystemExit) as cm:
            cli.parse_args(["no-such-verb"])
        self.assertEqual(cm.exception.code, 2)

    def test_posint_takes_1_to_999999(self):
        for value, want in (("1", 1), ("999999", 999999), ("10", 10)):
            self.assertEqual(cli.posint("--timeout", value), want)
        for value in ("0", "01", "1000000", "-1", "1.5", "", "abc"):
            with self.assertRaises(cli.UsageError) as cm:
                cli.posint("--timeout", value)
            self.assertEqual(str(cm.exception), "--timeout wants a positive "
                             "integer, not '%s'" % value)

    def test_check_target(self):
        cli.check_target("fuzz_interp_711")
        with self.assertRaises(cli.UsageError) as cm:
            cli.check_target("fuzz_interp_7111")
        self.assertIn("unknown target 'fuzz_interp_7111' (one of: fuzz_",
                      str(cm.exception))

    def test_a_wrapped_script_names_what_it_does_not_know(self):
        # promote/repro take operands; an unknown option is theirs to name
        args = cli.parse_args(["promote", "a", "--expect", "fixed", "b"])
        self.assertEqual(cli.operands(args), ["a", "b"])
        args = cli.parse_args(["repro", "a", "--frob"])
        with self.assertRaises(cli.UsageError) as cm:
            cli.operands(args)
        self.assertEqual(str(cm.exception),
                         "unknown option '--frob' (try --help)")
        # the other verbs leave it to argparse
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(
                SystemExit) as cm:
            cli.parse_args(["signature", "--frob"])
        self.assertEqual(cm.exception.code, 2)

    def test_every_command_module_registers(self):
        for name in cli.COMMANDS:
            mod = __import__("chanfuzz." + name, fromlist=["register"])
            self.assertTrue(callable(getattr(mod, "register", None)), name)


if __name__ == "__main__":
    unittest.main()
