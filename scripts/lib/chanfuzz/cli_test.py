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

    def test_every_command_module_registers(self):
        for name in cli.COMMANDS:
            mod = __import__("chanfuzz." + name, fromlist=["register"])
            self.assertTrue(callable(getattr(mod, "register", None)), name)


if __name__ == "__main__":
    unittest.main()
