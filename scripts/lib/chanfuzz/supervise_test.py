"""Tests of process supervision (supervise.py) with dummy processes: a
process group stopped with SIGTERM, one that ignores SIGTERM killed after
the grace, a grandchild that goes with its group, leftovers of a killed
run found by their start time, the folder lock."""
import os
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from chanfuzz import supervise

# a shell that starts a grandchild (sleep) and waits for it
TREE = "sleep 60 & echo $! > %s; wait"
# a shell that ignores SIGTERM, as does its grandchild
STUBBORN = "trap '' TERM; sleep 60 & echo $! > %s; wait; wait"


def _wait_file(path):
    for _ in range(100):
        if os.path.exists(path) and open(path).read().strip():
            return int(open(path).read())
        time.sleep(0.05)
    raise AssertionError("%s never written" % path)


class Stop(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.pidf = os.path.join(self.dir, "child")

    def test_sigterm_stops_the_whole_group(self):
        p = supervise.start(["sh", "-c", TREE % self.pidf])
        grandchild = _wait_file(self.pidf)
        t0 = time.monotonic()
        supervise.stop([p], grace=5)
        self.assertLess(time.monotonic() - t0, 4)
        self.assertEqual(p.returncode, -signal.SIGTERM)
        time.sleep(0.2)
        self.assertFalse(supervise.alive(grandchild))

    def test_sigkill_after_the_grace(self):
        p = supervise.start(["sh", "-c", STUBBORN % self.pidf])
        grandchild = _wait_file(self.pidf)
        t0 = time.monotonic()
        supervise.stop([p], grace=1)
        took = time.monotonic() - t0
        self.assertGreaterEqual(took, 1)
        self.assertLess(took, 4)
        self.assertEqual(p.returncode, -signal.SIGKILL)
        time.sleep(0.2)
        self.assertFalse(supervise.alive(grandchild))

    def test_run_with_timeout_stops_and_says_124(self):
        t0 = time.monotonic()
        self.assertEqual(supervise.run(["sleep", "30"], timeout=0.5), 124)
        self.assertLess(time.monotonic() - t0, 5)
        self.assertEqual(supervise.run(["sh", "-c", "exit 3"]), 3)

    def test_run_writes_its_log(self):
        log = os.path.join(self.dir, "log")
        supervise.run(["sh", "-c", "echo out; echo err >&2"], log=log)
        supervise.run(["echo", "again"], log=log)
        with open(log) as f:
            self.assertEqual(f.read().split(), ["out", "err", "again"])


class Leftovers(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.dir)
        self.pids = supervise.PidFile(os.path.join(self.dir, "pids.tsv"))

    def test_starttime(self):
        self.assertTrue(supervise.starttime(os.getpid()).isdigit())
        self.assertIsNone(supervise.starttime(2 ** 22 + 12345))

    def test_a_leftover_is_stopped_a_reused_pid_is_not(self):
        # a process of a "killed run": not our child once its parent is gone
        p = subprocess.Popen(
            ["sh", "-c", "setsid sleep 60 >/dev/null & echo $!"],
            stdout=subprocess.PIPE, text=True)
        orphan = int(p.stdout.read())
        p.wait()
        other = supervise.start(["sleep", "60"])
        self.addCleanup(supervise.stop, [other], 1)
        self.pids.register(orphan, "libfuzzer", "fuzz_parse", "plain")
        with open(self.pids.path, "a") as f:   # the pid, another start time
            f.write("%d\t1\tafl-fuzz\tfuzz_parse\tmain\n" % other.pid)
        self.assertEqual(self.pids.leftovers(),
                         [(orphan, "libfuzzer", "fuzz_parse", "plain")])
        said = []
        self.pids.kill_leftovers(said.append)
        self.assertEqual(said, ["stopping a leftover libfuzzer (fuzz_parse "
                                "plain, pid %d) of the killed run" % orphan])
        time.sleep(0.3)
        self.assertFalse(supervise.alive(orphan))
        self.assertIsNone(other.poll())
        self.assertEqual(os.path.getsize(self.pids.path), 0)


class Lock(unittest.TestCase):
    def test_one_runner_per_folder(self):
        d = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, d)
        fd = supervise.lock(d, timeout=1)
        self.assertIsNotNone(fd)
        r = subprocess.run(["flock", "-n", os.path.join(d, ".lock"), "true"])
        self.assertNotEqual(r.returncode, 0)
        os.close(fd)
        r = subprocess.run(["flock", "-n", os.path.join(d, ".lock"), "true"])
        self.assertEqual(r.returncode, 0)


if __name__ == "__main__":
    unittest.main()
