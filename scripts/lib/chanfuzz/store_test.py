"""Tests of the crash store and atomic writes (store.py)."""
import json
import os
import shutil
import tempfile
import threading
import unittest

from chanfuzz import store


class StoreTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-store-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_atomic_write_leaves_no_temporary(self):
        p = os.path.join(self.tmp, "f.json")
        store.write_json(p, {"a": 1})
        store.write_json(p, {"a": 2})
        self.assertEqual(store.read_json(p), {"a": 2})
        self.assertEqual(os.listdir(self.tmp), ["f.json"])
        self.assertEqual(os.stat(p).st_mode & 0o777, 0o644)

    def test_read_json_default_on_damage(self):
        p = os.path.join(self.tmp, "bad.json")
        with open(p, "w") as f:
            f.write("{not json")
        self.assertIsNone(store.read_json(p))
        self.assertEqual(store.read_json(p + ".missing", []), [])

    def test_read_text(self):
        p = os.path.join(self.tmp, "log")
        with open(p, "wb") as f:
            f.write(b"ok \xff\n")  # a sanitizer log with a stray byte
        self.assertEqual(store.read_text(p), "ok \ufffd\n")
        self.assertEqual(store.read_text(p + ".missing"), "")

    def test_create_stages_and_never_overwrites(self):
        cs = store.CrashStore(os.path.join(self.tmp, "crashes"))
        src = os.path.join(self.tmp, "input")
        with open(src, "wb") as f:
            f.write(b"\xaa\xaa")
        self.assertTrue(cs.create("abc", {"input": src,
                                          "examples/one": src,
                                          "report.txt": b"report"},
                                  {"signature": "abc"}))
        self.assertTrue(cs.exists("abc"))
        self.assertEqual(cs.meta("abc"), {"signature": "abc"})
        with open(os.path.join(cs.path("abc"), "examples", "one"),
                  "rb") as f:
            self.assertEqual(f.read(), b"\xaa\xaa")
        # a second create of the same folder writes nothing
        self.assertFalse(cs.create("abc", {"input": b"other"},
                                   {"signature": "changed"}))
        self.assertEqual(cs.meta("abc"), {"signature": "abc"})
        self.assertEqual(cs.folders(), ["abc"])

    def test_stale_staging_folders_are_removed(self):
        root = os.path.join(self.tmp, "crashes")
        os.makedirs(os.path.join(root, ".abc.tmp.123456"))
        cs = store.CrashStore(root)
        cs.create("def", {}, {"signature": "def"})
        self.assertEqual(sorted(os.listdir(root)), [".lock", "def"])

    def test_folders_lists_only_filed_ones(self):
        root = os.path.join(self.tmp, "crashes")
        os.makedirs(os.path.join(root, "no-meta"))
        cs = store.CrashStore(root)
        cs.create("b", {}, {})
        cs.create("a", {}, {})
        self.assertEqual(cs.folders(), ["a", "b"])

    def test_concurrent_creates_file_one_folder(self):
        cs = store.CrashStore(os.path.join(self.tmp, "crashes"))
        results = []

        def one(n):
            results.append(cs.create("same", {"n": str(n).encode()},
                                     {"n": n}))

        threads = [threading.Thread(target=one, args=(n,))
                   for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(results.count(True), 1)
        self.assertEqual(len(cs.folders()), 1)
        meta = cs.meta("same")
        with open(os.path.join(cs.path("same"), "n")) as f:
            self.assertEqual(int(f.read()), meta["n"])

    def test_crash_input_is_the_minimised_one_else_the_input(self):
        d = os.path.join(self.tmp, "abc")
        os.makedirs(d)
        self.assertIsNone(store.crash_input(d))
        for name, data in (("input", b"in"), ("minimized", b"")):
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
        self.assertEqual(store.crash_input(d), os.path.join(d, "input"))
        with open(os.path.join(d, "minimized"), "wb") as f:
            f.write(b"m")
        self.assertEqual(store.crash_input(d), os.path.join(d, "minimized"))

    def test_lock_times_out(self):
        d = os.path.join(self.tmp, "locked")
        with store.locked(d):
            with self.assertRaises(store.LockTimeout):
                with store.locked(d, timeout=0.3):
                    pass


if __name__ == "__main__":
    unittest.main()
