#!/usr/bin/env python3
"""pyunit.py - run the Python package's unit tests (scripts/lib/**/
*_test.py, beside the code they test) and end with the suite line
"python: N passed, N failed" that tests/run.sh reads. One test method is
one check; an error counts as a failure."""
import os
import sys
import unittest

here = os.path.dirname(os.path.realpath(__file__))
lib = os.path.join(os.path.dirname(here), "scripts", "lib")
sys.path.insert(0, lib)
suite = unittest.defaultTestLoader.discover(lib, pattern="*_test.py",
                                            top_level_dir=lib)
result = unittest.TextTestRunner(stream=sys.stdout, verbosity=1).run(suite)
failed = len(result.failures) + len(result.errors) + len(
    result.unexpectedSuccesses)
passed = result.testsRun - failed - len(result.skipped)
# A skipped test is not a pass: it is reported as a failure.
failed += len(result.skipped)
print("python: %d passed, %d failed" % (passed, failed))
sys.exit(0 if failed == 0 and result.testsRun > 0 else 1)
