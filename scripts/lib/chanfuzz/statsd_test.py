"""Tests of the AFL++ StatsD source (statsd.py). testdata/statsd/
afl-4.04c.txt is one datagram as afl-fuzz 4.04c sent it (AFL_STATSD=1)."""
import os
import socket
import unittest

from chanfuzz import statsd

HERE = os.path.dirname(os.path.abspath(__file__))


def fixture():
    with open(os.path.join(HERE, "testdata", "statsd", "afl-4.04c.txt"),
              "rb") as f:
        return f.read()


class ParseTest(unittest.TestCase):
    def test_real_datagram(self):
        g = statsd.parse(fixture())
        self.assertEqual(g["execs_done"], 7174)
        self.assertEqual(g["execs_per_sec"], 6931.40)
        self.assertEqual(len(g), 20)
        f = statsd.figures_of(g, 12.5)
        self.assertEqual(f, statsd.Figures(execs=7174, execs_per_sec=6931.40,
                                           corpus=3, edges=6, crashes=0,
                                           hangs=0, at=12.5))

    def test_tags_and_junk(self):
        g = statsd.parse(b"fuzzing.execs_done:42|g|#banner:./t,afl_version:"
                         b"++4.04c\nfuzzing.saved_crashes:3|g\n"
                         b"fuzzing.x:notanumber|g\nnocolon|g\n"
                         b"fuzzing.count:5|c\n\xff\xfe")
        self.assertEqual(g, {"execs_done": 42, "saved_crashes": 3})
        f = statsd.figures_of(g, 1)
        self.assertEqual((f.execs, f.crashes, f.execs_per_sec), (42, 3, 0.0))

    def test_old_names(self):
        g = statsd.parse(b"fuzzing.execs_done:1|g\n"
                         b"fuzzing.unique_crashes:2|g\n")
        self.assertEqual(statsd.figures_of(g, 0).crashes, 2)

    def test_no_execs_is_no_sample(self):
        self.assertIsNone(statsd.figures_of(
            statsd.parse(b"fuzzing.corpus_count:3|g\n"), 0))


class SourceTest(unittest.TestCase):
    def send(self, port, data):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            c.sendto(data, ("127.0.0.1", port))

    def test_latest_sample_wins_and_poll_never_blocks(self):
        with statsd.Source() as src:
            self.assertIsNone(src.figures)
            self.assertEqual(src.poll(), 0)
            env = src.env()
            self.assertEqual(env["AFL_STATSD"], "1")
            port = int(env["AFL_STATSD_PORT"])
            self.assertEqual(port, src.port)
            self.send(port, fixture())
            self.send(port, b"fuzzing.corpus_count:9|g\n")  # partial
            self.send(port, fixture().replace(b"execs_done:7174",
                                              b"execs_done:9000"))
            n = 0
            for _ in range(100):  # loopback UDP: arrives at once
                n += src.poll(now=7)
                if n == 3:
                    break
            self.assertEqual(n, 3)
            self.assertEqual(src.figures.execs, 9000)
            self.assertEqual(src.figures.at, 7)
        self.assertIsNone(src.sock)
        self.assertEqual(src.poll(), 0)

    def test_each_source_its_own_port(self):
        a, b = statsd.Source(), statsd.Source()
        try:
            self.assertNotEqual(a.port, b.port)
            self.send(a.port, fixture())
            for _ in range(100):
                if a.poll():
                    break
            b.poll()
            self.assertIsNotNone(a.figures)
            self.assertIsNone(b.figures)
        finally:
            a.close()
            b.close()


if __name__ == "__main__":
    unittest.main()
