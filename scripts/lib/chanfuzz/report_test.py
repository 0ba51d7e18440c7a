"""Tests of the campaign report (report.py): a fixture campaign folder,
built here file by file in the formats the campaign writes, gives golden
report.json, report.sarif and report.md (testdata/campaign/; report.html
in reporthtml_test.py). Set CHANFUZZ_UPDATE_GOLDEN=1 to rewrite the golden
files after a deliberate change, and read the diff."""
import json
import os
import shutil
import struct
import tempfile
import unittest
import zlib

from chanfuzz import paths, report

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, "testdata", "campaign")
NOW = "2026-12-06T04:00:00Z"
REV = "0123456789abcdef0123456789abcdef01234567"

CF291_GUARD = ("chanfuzz-guard: out-of-bounds input read: build=7.11 "
               "template=IPC instance=291303 criterion=0 field=20 "
               "supplied=20 declared=21 op=flags-any")
REPORT_711 = """chanfuzz-guard: out-of-bounds input read: build=7.11 template=ProcessCreate instance=1 criterion=0 field=9 supplied=9 declared=10 op=equals
AddressSanitizer:DEADLYSIGNAL
==1==ERROR: AddressSanitizer: ABRT on unknown address 0x000000000001 (pc 0x1 bp 0x2 sp 0x3 T0)
    #0 0x7f00 in __pthread_kill_implementation nptl/pthread_kill.c:44:76
    #1 0x7f01 in abort stdlib/abort.c:79:7
    #2 0x5500 in guard_fault ROOT/parsers/src/interp.c:252:2
    #3 0x5500 in input_at ROOT/parsers/src/interp.c:308:3
    #4 0x5500 in eval_criterion ROOT/parsers/src/interp.c:359:11
    #5 0x5501 in cf_interp_eval ROOT/parsers/src/interp.c:457:8
"""


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def png(width, height, rgb=(40, 90, 200)):
    """A width x height PNG of one colour, its zlib stream stored
    uncompressed (level 0) so that its bytes are the same with any zlib."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data)))
    raw = (b"\0" + bytes(rgb) * width) * height
    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0,
                                       0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 0)) + chunk(b"IEND", b""))


def meta(sig, target, type_, first_seen, root_cause=None, frames=(),
         **extra):
    m = {"signature": sig, "target": target, "targets": [target],
         "crash_type": type_, "frames": list(frames),
         "root_cause": root_cause, "sanitizer_type": None,
         "sensor_builds": ["7.11"] if "711" in target else [],
         "first_seen": first_seen, "last_seen": first_seen,
         "times_seen": 1, "minimized_size": 108, "guard_finding": None,
         "flaky": False, "counted_as_finding": True}
    m.update(extra)
    return json.dumps(m, indent=2)


def make_campaign(tmp):
    """A finished campaign of fuzz_interp_711 and fuzz_parse: CF-291
    known and suppressed; a new root cause (ProcessCreate under-supplied);
    a crashing seed; a group of unreproducible AFL++ crashes; the
    invariant of fuzz_parse verified as fixed; coverage.png plotted,
    execs.png not."""
    out = os.path.join(tmp, "campaigns", "20261206T035500Z")
    crashes = os.path.join(tmp, "crashes")
    write(os.path.join(out, "state.json"), json.dumps({
        "version": 1, "created": "2026-12-06T03:55:00Z", "host": "vm",
        "budget_s": 300, "elapsed_s": 300, "phase": "finishing", "runs": 1,
        "jobs": 2, "targets": ["fuzz_interp_711", "fuzz_parse"],
        "engines": ["afl", "libfuzzer"], "crashes": crashes,
        "suppress": True, "sync_dir": None, "role": None, "prefix": None,
        "previous": None,
        "target_seconds": {"fuzz_interp_711": 150, "fuzz_parse": 150}}))
    write(os.path.join(out, "lf", "fuzz_interp_711", "runs.tsv"),
          "lf/fuzz_interp_711/logs/00001-smart.log\t1\t61\t0\t120000\t580\t-\n"
          "lf/fuzz_interp_711/logs/00002-plain.log\t61\t121\t0\t900000\t560\t-\n"
          "lf/fuzz_interp_711/logs/00003-smart.log\t121\t150\t1\t30000\t590\t"
          + out + "/lf/fuzz_interp_711/artifacts/crash-aa\n")
    write(os.path.join(out, "lf", "fuzz_interp_711", "corpus", "c1"), "x")
    write(os.path.join(out, "lf", "fuzz_interp_711", "artifacts",
                       "crash-aa"), "crash")
    inst = os.path.join(out, "afl", "fuzz_interp_711", "main")
    write(os.path.join(inst, "fuzzer_stats"),
          "start_time        : 1\nrun_time          : 150\n"
          "execs_done        : 1000000\nexecs_per_sec     : 6666.00\n"
          "corpus_count      : 80\nbitmap_cvg        : 40.00%\n"
          "edges_found       : 600\n")
    # plot_data is newer than fuzzer_stats: its last line wins
    write(os.path.join(inst, "plot_data"),
          "# relative_time, cycles_done, cur_item, corpus_count, "
          "pending_total, pending_favs, map_size, saved_crashes, "
          "saved_hangs, max_depth, execs_per_sec, total_execs, "
          "edges_found\n"
          "150, 1, 3, 90, 10, 1, 41.50%, 4, 0, 3, 7000.00, 1050000, 620\n")
    for n in range(4):
        write(os.path.join(inst, "crashes",
                           "id:%06d,sig:06,src:000001,time:%d" % (n, n)),
              "c%d" % n)
    # afl-whatsup -s -d of fuzz_interp_711 (finish.afl_summary); the
    # section of a target not in this campaign is not reported
    write(os.path.join(out, "afl-whatsup.txt"),
          "== fuzz_interp_711 ==\n"
          "/usr/bin/afl-whatsup status check tool for afl-fuzz by Michal "
          "Zalewski\n\nSummary stats\n=============\n\n"
          "       Fuzzers alive : 0\n"
          "      Dead or remote : 1 (included in stats)\n"
          "      Total run time : 2 minutes, 30 seconds\n"
          "         Total execs : 1 millions\n"
          "    Cumulative speed : 7000 execs/sec\n"
          "       Pending items : 1 faves, 10 total\n"
          "       Crashes saved : 4\n"
          "Cycles without finds : 0\n  Time without finds : 0\n\n"
          "== fuzz_other ==\n       Fuzzers alive : 3\n")
    write(os.path.join(out, "seeds", "fuzz_interp_711", "s1"), "seed")
    write(os.path.join(out, "corpus", "fuzz_interp_711", "m1"), "m")
    a = os.path.join(out, "afl", "fuzz_interp_711", "main", "crashes")
    rows = [
        (out + "/lf/fuzz_interp_711/artifacts/crash-aa", "fuzz_interp_711",
         "new", "5c1e2b7f0a11"),
        (a + "/id:000000,sig:06,src:000001,time:0", "fuzz_interp_711",
         "dup", "5c1e2b7f0a11"),
        (a + "/id:000001,sig:06,src:000001,time:1", "fuzz_interp_711",
         "flaky", "flaky-0badc0ffee00"),
        (a + "/id:000002,sig:06,src:000001,time:2", "fuzz_interp_711",
         "flaky-dup", "flaky-0badc0ffee00"),
        (a + "/id:000003,sig:06,src:000001,time:3", "fuzz_interp_711",
         "flaky-dup", "flaky-0badc0ffee00"),
    ]
    write(os.path.join(out, "triage.tsv"), "".join(
        "%s\t%s\t%s\t%s\t-\n" % r for r in rows))
    write(os.path.join(crashes, "e56d63868907", "meta.json"), meta(
        "e56d63868907", "fuzz_interp_711", "out-of-bounds input read: IPC "
        "field 20 declared but not supplied by 7.11", "2026-11-23T19:56:51Z",
        "interpreter/7.11/IPC/unsupplied/20", guard_finding=CF291_GUARD))
    write(os.path.join(crashes, "e56d63868907", "report.txt"),
          REPORT_711.replace("ROOT", paths.ROOT))
    write(os.path.join(crashes, "5c1e2b7f0a11", "meta.json"), meta(
        "5c1e2b7f0a11", "fuzz_interp_711", "out-of-bounds input read: "
        "ProcessCreate field 9 declared but not supplied by 7.11",
        "2026-12-06T03:58:00Z",
        "interpreter/7.11/ProcessCreate/unsupplied/9",
        sanitizer_type="heap-buffer-overflow READ 4"))
    write(os.path.join(crashes, "5c1e2b7f0a11", "report.txt"),
          REPORT_711.replace("ROOT", paths.ROOT))
    write(os.path.join(crashes, "flaky-0badc0ffee00", "meta.json"), meta(
        "0badc0ffee00", "fuzz_interp_711", "unreproducible: AFL++ signal 6 "
        "(SIGABRT)", "2026-12-06T03:59:00Z", group=True, flaky=True,
        counted_as_finding=False, engine_fault="AFL++ signal 6 (SIGABRT)",
        history_replay={"entries": 12, "fault": None, "signature": None}))
    write(os.path.join(crashes, "6a0f0d1c2b3a", "meta.json"), meta(
        "6a0f0d1c2b3a", "fuzz_parse", "heap-buffer-overflow READ {*}",
        "2026-12-06T03:56:00Z", frames=["cf_chan_add_string",
                                        "parse_strings", "cf_chan_parse"]))
    write(os.path.join(out, "preflight.json"), json.dumps({
        "suppress": True, "targets": {
            "fuzz_interp_711": {
                "target": "fuzz_interp_711",
                "known": [{"entry": "e56d63868907", "expect": "detect",
                           "id": "e56d63868907",
                           "key": "interpreter/7.11/IPC/unsupplied/20",
                           "folder": "e56d63868907"}],
                "known_listed": [], "seeds": 40, "regression_fixed": 0,
                "faulting": []},
            "fuzz_parse": {
                "target": "fuzz_parse", "known": [],
                "known_listed": [{"entry": "08d0d55015bc", "expect": "open",
                                  "reason": "not a content read: cannot be "
                                  "refused inside the target"}],
                "seeds": 41, "regression_fixed": 1,
                "faulting": [{"kind": "seed", "name": "deadbeef",
                              "type": "heap-buffer-overflow READ {*}",
                              "id": "6a0f0d1c2b3a", "verdict": "new",
                              "folder": "6a0f0d1c2b3a",
                              "input": out + "/seeds-excluded/fuzz_parse/"
                              "deadbeef"}]}}}))
    write(os.path.join(out, "known", "fuzz_interp_711.hits"),
          "interpreter/7.11/IPC/unsupplied/20\t1\n"
          "interpreter/7.11/IPC/unsupplied/20\t1200\n"
          "interpreter/7.11/IPC/unsupplied/20\tnot-a-number\n")
    write(os.path.join(out, "verify.json"), json.dumps([
        {"folder": "08d0d55015bc", "target": "fuzz_parse",
         "type": "invariant: fuzz_parse",
         "verdict": "no longer reproduces on this build"},
        {"folder": "e56d63868907", "target": "fuzz_interp_711",
         "type": "out-of-bounds input read: IPC field 20 declared but not "
         "supplied by 7.11", "verdict": "still reproduces"}]))
    write(os.path.join(out, "coverage", "parsers.json"), json.dumps({
        "lines": {"count": 3122, "covered": 2555, "percent": 81.8385},
        "regions": {"count": 2961, "covered": 2507, "percent": 84.667},
        "functions": {"count": 200, "covered": 190, "percent": 95.0}}))
    with open(os.path.join(out, "coverage.png"), "wb") as f:
        f.write(png(4, 2))
    return out, crashes


def normalise(text, tmp):
    return text.replace(tmp, "<TMP>").replace(paths.ROOT, "<ROOT>")


class ReportTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cf-report-test.")
        self.out, self.crashes = make_campaign(self.tmp)
        self.rep = report.build(self.out, now=NOW, cores=2)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def golden(self, name, text):
        path = os.path.join(GOLDEN, name)
        text = normalise(text, self.tmp)
        if os.environ.get("CHANFUZZ_UPDATE_GOLDEN") == "1":
            os.makedirs(GOLDEN, exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        with open(path) as f:
            self.assertEqual(text, f.read(), "%s differs from the golden "
                             "file (CHANFUZZ_UPDATE_GOLDEN=1 rewrites it)"
                             % name)

    def test_golden_json(self):
        self.golden("report.json", json.dumps(self.rep, indent=2) + "\n")

    def test_golden_markdown(self):
        self.golden("report.md", report.markdown(self.rep))

    def test_golden_sarif(self):
        self.golden("report.sarif",
                    json.dumps(report.sarif(self.rep, REV), indent=2) + "\n")

    def test_suppressed_hits_are_summed_and_named(self):
        s = self.rep["crashes"]["suppressed"]
        self.assertEqual(len(s), 1)
        self.assertEqual(s[0]["root_cause"],
                         "interpreter/7.11/IPC/unsupplied/20")
        self.assertEqual(s[0]["hits"], 1201)
        self.assertEqual(self.rep["totals"]["suppressed_hits"], 1201)
        self.assertIn("hit 1,201 times, suppressed", report.markdown(
            self.rep))

    def test_new_root_cause_is_new_and_listed_before_known(self):
        md = report.markdown(self.rep)
        sigs = {s["folder"]: s for s in self.rep["crashes"]["signatures"]}
        self.assertTrue(sigs["5c1e2b7f0a11"]["new"])
        self.assertEqual(sigs["5c1e2b7f0a11"]["files_this_campaign"], 2)
        # the crashing seed comes first of all
        self.assertLess(md.index("Crashing seeds"), md.index("5c1e2b7f0a11"))
        self.assertTrue(sigs["6a0f0d1c2b3a"]["from_seed"])
        self.assertLess(md.index("| **new** (seed) | `6a0f0d1c2b3a`"),
                        md.index("| **new** | `5c1e2b7f0a11`"))

    def test_unreproducible_group_is_one_line_with_its_count(self):
        md = report.markdown(self.rep)
        lines = [l for l in md.splitlines() if "flaky-0badc0ffee00" in l]
        self.assertEqual(len(lines), 1)
        self.assertIn("3 file(s) this campaign", lines[0])
        self.assertIn("AFL++ signal 6 (SIGABRT)", lines[0])

    def test_verification_rows(self):
        v = {r["folder"]: r["verdict"]
             for r in self.rep["crashes"]["verification"]}
        self.assertEqual(v["08d0d55015bc"],
                         "no longer reproduces on this build")
        self.assertEqual(v["e56d63868907"], "still reproduces")

    def test_engine_figures(self):
        t = {x["target"]: x for x in self.rep["targets"]}["fuzz_interp_711"]
        self.assertEqual(t["libfuzzer"]["execs"], 1050000)
        self.assertEqual(t["libfuzzer"]["runs_ending_in_crash"], 1)
        self.assertEqual(t["libfuzzer"]["cov_plain"], 560)
        self.assertEqual(t["libfuzzer"]["cov_smart"], 590)
        # per build, exec/s over the build's own run time
        self.assertEqual(t["libfuzzer"]["by_build"]["plain"], {
            "runs": 1, "execs": 900000, "seconds": 60,
            "execs_per_sec": 15000})
        self.assertEqual(t["libfuzzer"]["by_build"]["smart"], {
            "runs": 2, "execs": 150000, "seconds": 89,
            "execs_per_sec": 1685})
        # plot_data's last line is newer than fuzzer_stats
        self.assertEqual(t["aflpp"]["execs"], 1050000)
        self.assertEqual(t["aflpp"]["edges_found"], 620)
        self.assertEqual(t["aflpp"]["instances"][0]["crash_files"], 4)
        self.assertEqual(t["crash_files"], 5)

    def test_afl_whatsup_summary(self):
        s = self.rep["aflpp_summary"]
        self.assertEqual(list(s), ["fuzz_interp_711"])
        self.assertEqual(s["fuzz_interp_711"]["total_execs"], "1 millions")
        md = report.markdown(self.rep)
        self.assertIn("| fuzz_interp_711 | 0 | 1 (included in stats) | "
                      "2 minutes, 30 seconds | 1 millions | 7000 execs/sec "
                      "| 1 faves, 10 total | 4 |", md)
        self.assertIn("| fuzz_interp_711 | 1 | 900k | 15k | 2 | "
                      "150k | 1.7k |", md)

    def test_sarif_one_result_per_folder_with_fingerprint(self):
        sar = report.sarif(self.rep, REV)
        res = sar["runs"][0]["results"]
        self.assertEqual(sorted(r["properties"]["folder"] for r in res),
                         sorted(s["folder"] for s in
                                self.rep["crashes"]["signatures"]))
        for r in res:
            self.assertEqual(r["partialFingerprints"]
                             ["chanfuzzSignature/v1"],
                             r["properties"]["signature"])
            loc = r["locations"][0]["physicalLocation"]
            self.assertFalse(loc["artifactLocation"]["uri"].startswith("/"))
        group = [r for r in res if r["properties"]["flaky"]][0]
        self.assertEqual(group["level"], "note")

    def test_schedule(self):
        self.assertEqual(report.schedule(2, 2, 300), (1, 2, 150))
        self.assertEqual(report.schedule(2, 6, 300), (1, 6, 50))
        self.assertEqual(report.schedule(8, 6, 3600), (4, 2, 600))
        self.assertEqual(report.schedule(1, 1, 90), (1, 1, 90))


class SeedTableTest(unittest.TestCase):
    def test_one_row_per_identity(self):
        # a defect every seed reaches: 5 inputs, 3 targets, one row
        seeds = [{"target": t, "kind": "seed", "name": n * 40,
                  "type": "SEGV READ", "folder": "397caa376fdd",
                  "verdict": "new" if i == 2 else "dup"}
                 for i, (t, n) in enumerate((("fuzz_gate", "a"),
                                             ("fuzz_gate", "b"),
                                             ("fuzz_interp_711", "c"),
                                             ("fuzz_interp_716", "d"),
                                             ("fuzz_interp_716", "e")))]
        seeds.append({"target": "fuzz_parse", "kind": "regression",
                      "name": "08d0d55015bc", "type": "invariant: fuzz_parse",
                      "folder": "08d0d55015bc", "verdict": "dup"})
        rows = report.seed_table(seeds)
        self.assertEqual(len(rows), 4)
        self.assertEqual(rows[2], (
            "| `397caa376fdd` (new) | SEGV READ | 5 | fuzz_gate, "
            "fuzz_interp_711, fuzz_interp_716 | fuzz_gate seed "
            "`aaaaaaaaaaaa`; fuzz_gate seed `bbbbbbbbbbbb`; fuzz_interp_711 "
            "seed `cccccccccccc`; and 2 more |"))
        self.assertEqual(rows[3], (
            "| `08d0d55015bc` | invariant: fuzz_parse | 1 | fuzz_parse | "
            "fuzz_parse regression `08d0d55015bc` |"))


class LocationTest(unittest.TestCase):
    """The report's 'where': the top frame of ours, or, where the
    symboliser gave it no line, the call of it in the next frame."""

    def loc(self, text):
        d = tempfile.mkdtemp()
        try:
            write(os.path.join(d, "r.txt"), text)
            return report.location(os.path.join(d, "r.txt"), "/src")
        finally:
            shutil.rmtree(d)

    def test_top_frame_with_a_line(self):
        self.assertEqual(self.loc(
            "    #0 0x1 in memcmp (/x/fuzz+0x5)\n"
            "    #1 0x2 in bytes_eq /src/parsers/src/interp.c:278:10\n"
            "    #2 0x3 in op_prefix /src/parsers/src/interp.c:319:9\n"),
            ("parsers/src/interp.c", 278, None))

    def test_top_frame_without_a_line(self):
        # a real SEGV (tests/fixtures/defects/interp-suffix-length.patch):
        # the pc inside bytes_eq has no line; its call in op_suffix has
        self.assertEqual(self.loc(
            "==1==ERROR: AddressSanitizer: SEGV on unknown address 0x62d1\n"
            "    #0 0x5646 in bytes_eq /tmp/u/parsers/src/interp.c\n"
            "    #1 0x5647 in op_suffix /tmp/u/parsers/src/interp.c:325:9\n"
            "    #2 0x5648 in eval_criterion /tmp/u/parsers/src/interp.c:389"
            ":8\n"), ("parsers/src/interp.c", 325, "bytes_eq"))

    def test_no_frame_of_ours(self):
        self.assertIsNone(self.loc("    #0 0x1 in main /usr/lib/x.c:1:1\n"))


if __name__ == "__main__":
    unittest.main()
