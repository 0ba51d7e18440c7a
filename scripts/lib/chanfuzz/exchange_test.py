"""Tests of the corpus exchange (exchange.py) on a fixture folder."""
import os
import shutil
import tempfile
import time
import unittest

from chanfuzz import exchange
from chanfuzz.layout import Layout


def _put(path, data, age=10):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(data)
    t = time.time() - age
    os.utime(path, (t, t))


class Exchange(unittest.TestCase):
    def setUp(self):
        self.out = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.out)
        self.L = Layout(self.out)
        q = os.path.join(self.out, "afl", "t", "main", "queue")
        _put(os.path.join(q, "id:000000,orig:a"), "a")
        _put(os.path.join(q, "id:000001,sync:cmplog,src:000002"), "s")
        _put(os.path.join(q, "id:000002,src:000000,+cov"), "b", age=0)
        _put(os.path.join(self.out, "lf", "t", "corpus", "h1"), "x")
        _put(os.path.join(self.out, "lf", "t", "corpus", ".tmp"), "y")
        os.makedirs(os.path.join(self.out, "sync", "t"))

    def test_afl_to_libfuzzer_once_settled_not_synced_ones(self):
        lf = os.path.join(self.out, "lf", "t", "corpus", "afl-main")
        self.assertEqual(exchange.afl_to_lf(self.L, "t", time.time()), 1)
        self.assertEqual(os.listdir(lf), ["id:000000,orig:a"])
        self.assertEqual(exchange.afl_to_lf(self.L, "t", time.time()), 0)
        self.assertEqual(exchange.afl_to_lf(self.L, "t", time.time() + 5), 1)
        self.assertEqual(sorted(os.listdir(lf)), [
            "id:000000,orig:a", "id:000002,src:000000,+cov"])

    def test_libfuzzer_to_pseudo_instance(self):
        self.assertEqual(exchange.lf_to_afl(self.L, "t", time.time()), 1)
        q = os.path.join(self.out, "afl", "t", "libfuzzer", "queue")
        self.assertEqual(os.listdir(q), ["id:000000,src:libfuzzer,name:h1"])
        _put(os.path.join(self.out, "lf", "t", "corpus", "h2"), "z")
        self.assertEqual(exchange.lf_to_afl(self.L, "t", time.time()), 1)
        self.assertIn("id:000001,src:libfuzzer,name:h2", os.listdir(q))
        # the pseudo-instance's own files never come back
        self.assertEqual(exchange.afl_to_lf(self.L, "t", time.time()), 1)


if __name__ == "__main__":
    unittest.main()
