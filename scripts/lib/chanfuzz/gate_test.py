"""Tests of the release gate's orchestration (gate.py), on fixtures: a real
`cftool gate --json` output and a real ASan report (testdata/gate/), and a
stand-in cftool that replays them, so that the whole run - the gate, the
sanitizer replay per build, the reports and the exit status - is tested
without a build."""
import contextlib
import copy
import io
import json
import os
import stat
import sys
import tempfile
import textwrap
import unittest

from chanfuzz import cli, gate

HERE = os.path.dirname(os.path.realpath(__file__))
DATA = os.path.join(HERE, "testdata", "gate")


def fixture(name):
    with open(os.path.join(DATA, name)) as f:
        return f.read()


GATE_JSON = json.loads(fixture("cftool-gate.json"))
ASAN = fixture("asan-cf291.txt")


class ParseSanitizerTest(unittest.TestCase):
    def test_asan_report_gives_type_and_project_frames(self):
        f = gate.parse_sanitizer(ASAN)
        self.assertEqual(f["type"], "heap-buffer-overflow READ 4")
        # the allocation stack's cf_mem_calloc is not a frame of the fault
        self.assertEqual(f["frames"], ["eval_criterion", "cf_interp_eval",
                                       "cf_interp_run_event"])

    def test_guard_line(self):
        f = gate.parse_sanitizer(
            "chanfuzz-guard: out-of-bounds input read: build=7.11 "
            "template=IPC instance=1 criterion=0 field=20 supplied=20\n")
        self.assertEqual(f["type"], "guard")
        self.assertIn("field=20", f["summary"])

    def test_ubsan_line(self):
        f = gate.parse_sanitizer(
            "parsers/src/interp.c:12:3: runtime error: load of misaligned "
            "address\n")
        self.assertEqual(f["type"], "ubsan: load of misaligned address")

    def test_clean_output_is_no_fault(self):
        self.assertIsNone(gate.parse_sanitizer("x.cf: PASS\n"))
        self.assertIsNone(gate.parse_sanitizer(""))


def fdata(faults=(), builds=("7.11", "7.16")):
    return {"faults": [{"build": b} for b in faults],
            "faults_total": len(faults),
            "builds": [{"name": b, "fault_sites": int(b in faults)}
                       for b in builds]}


def replay(build, result):
    return {"build": build, "result": result, "exit": 0, "fault": None}


class EvidenceTest(unittest.TestCase):
    def test_verdicts(self):
        rows = [
            (("7.11",), "fault", "confirmed"),
            ((), "fault", "missed"),
            (("7.11",), "clean", "unconfirmed"),
            ((), "clean", "agree"),
            ((), "error", "error"),
        ]
        for faults, result, want in rows:
            e = gate.evidence(fdata(faults), [replay("7.11", result)])
            self.assertEqual(e[0]["verdict"], want, (faults, result))

    def test_fault_sites_past_those_kept_count(self):
        # 300 sites, 256 kept, none of them on 7.16: the build's count says
        d = fdata(("7.11",))
        d["faults_total"] = 300
        d["builds"][1]["fault_sites"] = 44
        e = gate.evidence(d, [replay("7.16", "fault")])
        self.assertEqual(e[0]["verdict"], "confirmed")


def args(**kw):
    a = cli.parse_args(["gate"] + kw.pop("argv", ["x.cf"]))
    for k, v in kw.items():
        setattr(a, k, v)
    return a


class ReportTest(unittest.TestCase):
    def report(self, replays=None, gate_exit=3):
        a = args(argv=["build/corpus/cf291-wildcard.cf",
                       "build/corpus/cf291-nonwildcard.cf", "/nonexist"])
        if replays is None:
            replays = {1: [{"build": "7.11", "result": "fault", "exit": 134,
                            "fault": gate.parse_sanitizer(ASAN)},
                           replay("7.16", "clean")],
                       0: [replay("7.11", "clean"), replay("7.16", "clean")]}
        return gate.build_report(copy.deepcopy(GATE_JSON), replays, a,
                                 "2026-01-01T00:00:00Z",
                                 "2026-01-01T00:00:01Z", gate_exit)

    def test_fixture_is_what_cftool_says_of_cf291(self):
        f = GATE_JSON["files"][1]
        self.assertEqual(f["verdict"], "reject")
        x = f["faults"][0]
        self.assertEqual((x["build"], x["template"], x["field"],
                          x["field_name"], x["supplied"]),
                         ("7.11", "IPC", 20, "rpc_binding", 20))

    def test_markdown_names_the_fault_and_the_evidence(self):
        md = gate.markdown(self.report())
        self.assertTrue(md.startswith("# Content release gate: REJECTED"))
        self.assertIn("| 7.11 | IPC | 291005 (#4) | 2 | field 21 (index 20, "
                      "rpc_binding) | 20 |", md)
        self.assertIn("confirmed | heap-buffer-overflow READ 4 in "
                      "eval_criterion", md)
        self.assertIn("`/nonexist`: /nonexist: No such file", md)

    def test_a_missed_fault_fails_a_passing_run(self):
        rep = self.report(replays={0: [{"build": "7.16", "result": "fault",
                                        "exit": 134, "fault": {
                                            "type": "x", "frames": []}}]},
                          gate_exit=0)
        self.assertEqual(rep["total"]["asan_missed"], 1)
        self.assertEqual(rep["exit"], 1)
        s = gate.sarif(rep)
        self.assertIn("SANITIZER", [r["ruleId"] for r in s["runs"][0][
            "results"]])

    def test_sarif(self):
        rep = self.report()
        s = gate.sarif(rep)
        self.assertEqual(s["version"], "2.1.0")
        run = s["runs"][0]
        results = run["results"]
        faults = [r for r in results if r["ruleId"] == "CF_E_INPUT_BOUNDS"]
        self.assertEqual(len(faults), 1)
        self.assertEqual(faults[0]["level"], "error")
        p = faults[0]["properties"]
        self.assertEqual((p["build"], p["field"], p["supplied"]),
                         ("7.11", 20, 20))
        self.assertEqual(faults[0]["locations"][0]["physicalLocation"][
            "artifactLocation"]["uri"], "build/corpus/cf291-nonwildcard.cf")
        # every rule used is declared; fingerprints do not change
        self.assertEqual({r["id"] for r in run["tool"]["driver"]["rules"]},
                         {r["ruleId"] for r in results})
        self.assertEqual(gate.sarif(self.report()), s)
        self.assertIn("CF_E_FIELD_UNSUPPLIED", {r["ruleId"] for r in results})

    def test_md_cell_escapes_table_syntax(self):
        self.assertEqual(gate.md_cell("a|b`c\\d\ne"), "a\\|b\\`c\\\\d e")

    def test_event_text_shows_set_values_only(self):
        ev = {"label": "L", "values": {
            "a": {"str": "", "len": 0, "truncated": False},
            "b": {"int": 0}, "c": {"int": 16},
            "d": {"str": "x" * 60, "len": 70000, "truncated": True}}}
        t = gate.event_text(ev)
        self.assertTrue(t.startswith('"L" {c=0x10, d="xxx'))
        self.assertIn("...(70000 bytes)", t)
        self.assertNotIn("a=", t)


STUB = textwrap.dedent("""\
    #!%s
    # A stand-in cftool: `gate --json` prints the fixture, `gate --as-built`
    # on 7.11 and the non-wildcard file prints the ASan fixture and aborts.
    import os, sys
    data = %r
    if "--json" in sys.argv:
        print(open(os.path.join(data, "cftool-gate.json")).read())
        sys.exit(3)
    if "--as-built" in sys.argv:
        build = sys.argv[sys.argv.index("--sensors") + 1]
        if build == "7.11" and "nonwildcard" in sys.argv[-1]:
            sys.stderr.write(open(os.path.join(data, "asan-cf291.txt")).read())
            os.abort()
        sys.exit(1 if "nonwildcard" in sys.argv[-1] else 0)
    sys.exit(2)
    """)


class RunTest(unittest.TestCase):
    def test_whole_run_with_a_stand_in_cftool(self):
        with tempfile.TemporaryDirectory() as d:
            tool = os.path.join(d, "cftool")
            with open(tool, "w") as f:
                f.write(STUB % (sys.executable, DATA))
            os.chmod(tool, stat.S_IRWXU)
            out = os.path.join(d, "report")
            a = args(argv=["build/corpus/cf291-wildcard.cf",
                           "build/corpus/cf291-nonwildcard.cf", "/nonexist",
                           "--cftool", tool, "--asan-cftool", tool,
                           "--out", out, "--no-make"])
            so, se = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(so), \
                    contextlib.redirect_stderr(se):
                rc = gate.run(a)
            # the worst file decides: /nonexist cannot be read
            self.assertEqual(rc, 3)
            self.assertIn("1 fault sites", so.getvalue())
            rep = json.load(open(os.path.join(out, "gate.json")))
            ev = {e["build"]: e["verdict"] for e in rep["files"][1]["asan"]}
            self.assertEqual(ev, {"7.11": "confirmed", "7.16": "agree"})
            self.assertEqual(rep["files"][1]["asan"][0]["exit"], 134)
            self.assertEqual(rep["files"][2]["asan"], [])
            sar = json.load(open(os.path.join(out, "gate.sarif")))
            self.assertEqual(sar["version"], "2.1.0")
            with open(os.path.join(out, "gate.md")) as f:
                self.assertIn("confirmed", f.read())

    def test_missing_tool_without_make(self):
        a = args(argv=["x.cf", "--cftool", "/nonexistent/cftool",
                       "--no-make"])
        se = io.StringIO()
        with contextlib.redirect_stderr(se):
            self.assertEqual(gate.run(a), 5)
        self.assertIn("missing: /nonexistent/cftool", se.getvalue())


class ArgsTest(unittest.TestCase):
    def test_needs_a_file(self):
        with contextlib.redirect_stderr(io.StringIO()), \
                self.assertRaises(SystemExit) as cm:
            cli.parse_args(["gate"])
        self.assertEqual(cm.exception.code, 2)

    def test_options(self):
        a = cli.parse_args(["gate", "a.cf", "b.cf", "--sensors", "7.11",
                            "--events", "e.ev", "--no-asan"])
        self.assertEqual((a.files, a.sensors, a.events, a.no_asan),
                         (["a.cf", "b.cf"], "7.11", "e.ev", True))
        self.assertIs(a.func, gate.run)


if __name__ == "__main__":
    unittest.main()
