"""Tests of signature.py: the crash identity of real fault reports and the
rules of docs/CRASHES.md, "Crash identity".

testdata/reports/*.txt are whole standard errors that real builds of this
project printed when they faulted (tests/fixtures/make_reports.py rebuilds
them from the defect patches and inputs of tests/fixtures/). Their
expected identity, testdata/reports/expected.json, is written by hand from
the contract, not from this parser's output: per report its target, crash
type, frames, root cause and id (the id is also checked against the SHA-1
of the signature text the expectation implies, so an expectation cannot
contradict itself). The relations ("same_id", "different_ids") say which
reports name one bug and which name different ones.

One test method per fixture (generated below), so that each counts.
"""
import hashlib
import json
import os
import unittest

from chanfuzz import signature

DATA = os.path.join(os.path.dirname(os.path.realpath(__file__)), "testdata",
                    "reports")
with open(os.path.join(DATA, "expected.json"), encoding="utf-8") as _f:
    EXPECTED = json.load(_f)
REPORTS = EXPECTED["reports"]


def sig_id(text):
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def expected_text(exp):
    """The signature text an expectation implies (docs/CRASHES.md)."""
    if exp["root_cause"] is not None:
        return "content-read\n%s\n" % exp["root_cause"]
    lines = [exp["type"]] + exp["frames"] + exp.get("extra", [])
    return "".join(line + "\n" for line in lines)


def parse_fixture(name):
    return signature.parse_file(os.path.join(DATA, name + ".txt"),
                                REPORTS[name]["target"])


class Fixtures(unittest.TestCase):
    """Each report against its expectation (methods added below)."""

    def check(self, name):
        exp = REPORTS[name]
        self.assertEqual(exp["id"], sig_id(expected_text(exp)),
                         "expected.json: %s: id is not the hash of its "
                         "signature text" % name)
        fault = parse_fixture(name)
        self.assertIsNotNone(fault, "%s: no fault recognised" % name)
        got = {"type": fault.type, "frames": fault.frames,
               "root_cause": fault.root_cause, "id": fault.id}
        want = {k: exp[k] for k in got}
        if "extra" in exp:
            got["extra"] = fault.extra
            want["extra"] = exp["extra"]
        self.assertEqual(got, want, name)


def _add_fixture_tests():
    for name in sorted(REPORTS):
        def test(self, name=name):
            self.check(name)
        test.__doc__ = "fixture %s" % name
        setattr(Fixtures, "test_report_" + name.replace("-", "_"), test)


_add_fixture_tests()


class Corpus(unittest.TestCase):
    """The fixture corpus itself and the relations between its reports."""

    def test_every_report_has_an_expectation(self):
        files = {f[:-4] for f in os.listdir(DATA) if f.endswith(".txt")}
        self.assertEqual(sorted(files - set(REPORTS)), [])
        self.assertEqual(sorted(set(REPORTS) - files), [])

    def test_at_least_100_reports(self):
        self.assertGreaterEqual(len(REPORTS), 100)

    def test_same_id(self):
        for group in EXPECTED["same_id"]:
            ids = {parse_fixture(n).id for n in group["reports"]}
            self.assertEqual(len(ids), 1, group["why"])
            self.assertEqual(
                {REPORTS[n]["id"] for n in group["reports"]}, ids,
                group["why"])

    def test_different_ids(self):
        for group in EXPECTED["different_ids"]:
            ids = [parse_fixture(n).id for n in group["reports"]]
            self.assertEqual(len(set(ids)), len(ids), group["why"])

    def test_same_type(self):
        for group in EXPECTED["same_type"]:
            for a, b in group["pairs"]:
                self.assertEqual(parse_fixture(a).type, parse_fixture(b).type,
                                 "%s / %s: %s" % (a, b, group["why"]))

    def test_root_causes_never_share_an_id(self):
        # different root causes, different ids; one root cause, one id
        by_cause = {}
        for name in REPORTS:
            fault = parse_fixture(name)
            if fault.root_cause is not None:
                by_cause.setdefault(fault.root_cause, set()).add(fault.id)
        for cause, ids in by_cause.items():
            self.assertEqual(len(ids), 1, cause)
        all_ids = [next(iter(ids)) for ids in by_cause.values()]
        self.assertEqual(len(set(all_ids)), len(all_ids))

    def test_content_faults_never_share_a_stack_id(self):
        stack_ids = {parse_fixture(n).id for n in REPORTS
                     if parse_fixture(n).root_cause is None}
        for name in REPORTS:
            fault = parse_fixture(name)
            if fault.root_cause is not None:
                self.assertNotIn(fault.id, stack_ids, name)


# ---- the rules, one by one ---------------------------------------------------


def frame(n, fn, path, line=10):
    return "    #%d 0x55d58bf0772d in %s %s:%d:3" % (n, fn, path, line)


def runtime(n, fn):
    return "    #%d 0x7f4cf56e1eec in %s (/usr/lib/libc.so.6+0x8aeec)" % (n, fn)


def asan_report(kind, access, frames, summary=None):
    lines = ["=" * 65,
             "==1==ERROR: AddressSanitizer: %s on address 0x6120 at pc 0x1 "
             "bp 0x2 sp 0x3" % kind]
    if access:
        lines.append("%s thread T0" % access)
    lines.extend(frames)
    lines.append("")
    lines.append("SUMMARY: AddressSanitizer: %s /w/x.c:1:1 in f" %
                 (summary or kind))
    return "\n".join(lines) + "\n"


P = "/work/main/parsers/src/"
H = "/work/main/harness/"


class RootCause(unittest.TestCase):
    def test_unsupplied_single_field(self):
        self.assertEqual(
            signature.root_cause_key("interpreter", "7.11", "IPC", 20, 20, 21),
            "interpreter/7.11/IPC/unsupplied/20")

    def test_unsupplied_is_the_fields_not_the_index_read(self):
        # FileWrite: 8 declared, 6 supplied: reading 6 or 7 is one cause
        for field in (6, 7):
            self.assertEqual(
                signature.root_cause_key("interpreter", "7.11", "FileWrite",
                                         field, 6, 8),
                "interpreter/7.11/FileWrite/unsupplied/6-7")

    def test_undeclared_whatever_the_index(self):
        for field in (21, 25, 32767, 65535):
            self.assertEqual(
                signature.root_cause_key("interpreter", "7.11", "IPC", field,
                                         20, 21),
                "interpreter/7.11/IPC/undeclared")

    def test_undeclared_at_the_declared_count(self):
        # field == declared is past the declared fields (0-based)
        self.assertEqual(
            signature.root_cause_key("validator-2024", "7.16", "IPC", 21, 21,
                                     21),
            "validator-2024/7.16/IPC/undeclared")

    def test_oracle_is_part_of_the_key(self):
        keys = {signature.root_cause_key(o, "7.11", "IPC", 20, 20, 21)
                for o in ("interpreter", "validator-current",
                          "validator-2024", "gate")}
        self.assertEqual(len(keys), 4)

    def test_describe_unsupplied(self):
        self.assertEqual(
            signature.describe_root_cause(
                "interpreter/7.11/IPC/unsupplied/20"),
            "out-of-bounds input read: IPC field 20 declared but not "
            "supplied by 7.11")

    def test_describe_undeclared_with_oracle(self):
        self.assertEqual(
            signature.describe_root_cause(
                "validator-current/7.11/IPC/undeclared"),
            "validator gap (current): out-of-bounds input read: IPC field "
            "index past the declared fields, read by 7.11")
        self.assertEqual(
            signature.describe_root_cause("gate/7.11/IPC/unsupplied/20"),
            "gate gap: out-of-bounds input read: IPC field 20 declared but "
            "not supplied by 7.11")

    def test_describe_range(self):
        self.assertEqual(
            signature.describe_root_cause(
                "interpreter/7.11/FileWrite/unsupplied/6-7"),
            "out-of-bounds input read: FileWrite fields 6-7 declared but "
            "not supplied by 7.11")

    def test_guard_line_without_declared_is_the_old_form(self):
        f = signature.parse(
            "chanfuzz-guard: out-of-bounds input read: build=7.11 "
            "template=IPC instance=291005 criterion=2 field=20 supplied=20\n",
            "fuzz_interp_711")
        self.assertIsNone(f.root_cause)
        self.assertEqual(f.type, "guard: input field 20 of 20")
        self.assertEqual(f.frames, ["build=7.11", "template=IPC", "field=20",
                                    "supplied=20"])

    def test_harness_oracle_wins_over_the_target(self):
        f = signature.parse(
            "chanfuzz-harness: fuzz_differential: invariant broken: x: "
            "build=7.16 template=IPC instance=5 criterion=0 field=25 "
            "supplied=21 declared=21 op=regex oracle=validator-2024\n",
            "fuzz_differential")
        self.assertEqual(f.root_cause, "validator-2024/7.16/IPC/undeclared")

    def test_guard_line_oracle_follows_the_target(self):
        line = ("chanfuzz-guard: out-of-bounds input read: build=7.11 "
                "template=IPC instance=1 criterion=0 field=20 supplied=20 "
                "declared=21 op=regex\n")
        self.assertEqual(signature.parse(line, "fuzz_differential").root_cause,
                         "validator-current/7.11/IPC/unsupplied/20")
        self.assertEqual(signature.parse(line, "fuzz_interp_711").root_cause,
                         "interpreter/7.11/IPC/unsupplied/20")
        self.assertEqual(signature.parse(line, None).root_cause,
                         "interpreter/7.11/IPC/unsupplied/20")


class AccessSize(unittest.TestCase):
    def test_instruction_sizes_stay(self):
        for size in ("1", "2", "4", "8", "16"):
            f = signature.parse(asan_report(
                "heap-buffer-overflow", "READ of size %s at 0x6120" % size,
                [frame(0, "eval_criterion", P + "interp.c")]))
            self.assertEqual(f.type, "heap-buffer-overflow READ " + size)

    def test_other_sizes_are_star(self):
        for size in ("3", "127", "807", "4096"):
            f = signature.parse(asan_report(
                "heap-buffer-overflow", "READ of size %s at 0x6120" % size,
                [frame(0, "parse_strings", P + "chan.c")]))
            self.assertEqual(f.type, "heap-buffer-overflow READ {*}")

    def test_interceptor_size_is_star(self):
        # memcpy of 8 bytes: the size is the caller's, not an instruction's
        f = signature.parse(asan_report(
            "heap-buffer-overflow", "WRITE of size 8 at 0x6120",
            [runtime(0, "__asan_memcpy"),
             frame(1, "cf_buf_put", P + "buf.c")]))
        self.assertEqual(f.type, "heap-buffer-overflow WRITE {*}")
        self.assertEqual(f.frames, ["cf_buf_put"])

    def test_unsymbolised_size_stays(self):
        # frame #0 unknown: nothing says an interceptor made the access
        f = signature.parse(
            "==1==ERROR: AddressSanitizer: heap-buffer-overflow on address "
            "0x6 at pc 0x1 bp 0x2 sp 0x3\nREAD of size 4 at 0x6 thread T0\n"
            "    #0 0x55b5e5ff25c0  (/w/build/fuzz/fuzz_interp_711+0xd25c0)\n"
            "SUMMARY: AddressSanitizer: heap-buffer-overflow "
            "(/w/build/fuzz/fuzz_interp_711+0xd25c0)\n")
        self.assertEqual(f.type, "heap-buffer-overflow READ 4")
        self.assertEqual(f.frames, [])


class Frames(unittest.TestCase):
    def test_top_three_project_frames(self):
        f = signature.parse(asan_report(
            "heap-use-after-free", "READ of size 8 at 0x6",
            [frame(0, "a", P + "a.c"), frame(1, "b", P + "b.c"),
             frame(2, "c", H + "harness.c"), frame(3, "d", P + "d.c")]))
        self.assertEqual(f.frames, ["a", "b", "c"])

    def test_runtime_and_driver_frames_are_skipped(self):
        f = signature.parse(asan_report(
            "heap-buffer-overflow", "READ of size 1 at 0x6",
            [runtime(0, "__interceptor_strlen"),
             frame(1, "x", P + "x.c"),
             frame(2, "run_one", H + "replay.c"),
             frame(3, "main", H + "afl_driver.c"),
             frame(4, "fuzzer::Fuzzer::ExecuteCallback", "/src/FuzzerLoop.cpp"),
             frame(5, "y", "/work/main/tools/cftool.c")]))
        self.assertEqual(f.frames, ["x", "y"])

    def test_helpers_are_skipped(self):
        f = signature.parse(asan_report(
            "double-free", None,
            [runtime(0, "free"), frame(1, "cf_mem_free", P + "mem.c"),
             frame(2, "cf_interp_free", P + "interp.c"),
             frame(3, "cf_h_fail", H + "harness.c"),
             frame(4, "LLVMFuzzerTestOneInput", H + "fuzz_interp.c")]))
        self.assertEqual(f.frames, ["cf_interp_free", "LLVMFuzzerTestOneInput"])

    def test_suffixes_are_dropped(self):
        f = signature.parse(asan_report(
            "SEGV", None,
            [frame(0, "re_emit.cold", P + "re.c"),
             frame(1, "cf_re_compile.part.0", P + "re.c")]))
        self.assertEqual(f.frames, ["re_emit", "cf_re_compile"])

    def test_recursion_counts_once(self):
        f = signature.parse(asan_report(
            "stack-overflow", None,
            [frame(i, "walk", P + "re.c") for i in range(40)] +
            [frame(40, "cf_re_compile", P + "re.c"),
             frame(41, "LLVMFuzzerTestOneInput", H + "fuzz_regex.c")]))
        self.assertEqual(f.frames,
                         ["walk", "cf_re_compile", "LLVMFuzzerTestOneInput"])

    def test_lines_and_addresses_do_not_matter(self):
        a = signature.parse(asan_report(
            "heap-buffer-overflow", "READ of size 4 at 0x6",
            [frame(0, "eval_criterion", P + "interp.c", 249)]))
        b = signature.parse(asan_report(
            "heap-buffer-overflow", "READ of size 4 at 0x6",
            [frame(0, "eval_criterion", "/elsewhere/parsers/src/interp.c",
                   282)]))
        self.assertEqual(a.id, b.id)

    def test_only_the_first_stack(self):
        f = signature.parse(asan_report(
            "heap-use-after-free", "READ of size 8 at 0x6",
            [frame(0, "use", P + "a.c"), "",
             "freed by thread T0 here:", runtime(0, "free"),
             frame(1, "freer", P + "b.c")]))
        self.assertEqual(f.frames, ["use"])


class Types(unittest.TestCase):
    def test_invariant_numbers_are_data(self):
        f = signature.parse(
            "chanfuzz-harness: fuzz_parse: invariant broken: write(parse(f)) "
            "!= f (72 vs 0x48 bytes)\n", "fuzz_parse")
        self.assertEqual(f.type, "invariant: fuzz_parse")
        self.assertEqual(f.extra,
                         ["message: write(parse(f)) != f (N vs N bytes)"])

    def test_ubsan_check_from_summary(self):
        f = signature.parse(
            "x.c:1:2: runtime error: left shift of 153 by 24 places cannot "
            "be represented in type 'int'\n" + frame(0, "f", P + "x.c") +
            "\nSUMMARY: UndefinedBehaviorSanitizer: invalid-shift-base "
            "x.c:1:2 in \n")
        self.assertEqual((f.type, f.frames), ("ubsan: invalid-shift-base",
                                              ["f"]))

    def test_ubsan_check_from_message(self):
        # report_error_type=0: SUMMARY says undefined-behavior; the check
        # is the one report_error_type=1 would name
        cases = {
            "signed integer overflow: -9223372036854775808 - 1 cannot be "
            "represented in type 'long'": "signed-integer-overflow",
            "negation of -2147483648 cannot be represented in type 'int'; "
            "cast to an unsigned type to negate this value to itself":
            "signed-integer-overflow",
            "division of -2147483648 by -1 cannot be represented in type "
            "'int'": "signed-integer-overflow",
            "division by zero": "integer-divide-by-zero",
            "shift exponent 40 is too large for 32-bit type 'unsigned int'":
            "invalid-shift-exponent",
            "shift exponent -1 is negative": "invalid-shift-exponent",
            "left shift of 153 by 24 places cannot be represented in type "
            "'int'": "invalid-shift-base",
            "left shift of negative value -1": "invalid-shift-base",
            "index 32 out of bounds for type 'uint8_t[32]' (aka 'unsigned "
            "char[32]')": "out-of-bounds-index",
            "member access within null pointer of type 'const cf_tmpl'":
            "null-pointer-use",
            "load of null pointer of type 'int'": "null-pointer-use",
            "load of misaligned address 0x602000000011 for type 'const "
            "uint32_t' (aka 'const unsigned int'), which requires 4 byte "
            "alignment": "misaligned-pointer-use",
            "applying non-zero offset 8 to null pointer":
            "nullptr-with-nonzero-offset",
            "pointer index expression with base 0x000000000001 overflowed "
            "to 0xffffffffffffffff": "pointer-overflow",
            "load of value 2, which is not a valid value for type 'bool'":
            "invalid-bool-load",
            "execution reached an unreachable program point":
            "unreachable-call",
            "null pointer passed as argument 2, which is declared to never "
            "be null": "invalid-null-argument",
        }
        for msg, check in cases.items():
            f = signature.parse(
                "x.c:1:2: runtime error: %s\nSUMMARY: UndefinedBehavior"
                "Sanitizer: undefined-behavior x.c:1:2 in \n" % msg)
            self.assertEqual(f.type, "ubsan: " + check, msg)

    def test_ubsan_unknown_message(self):
        f = signature.parse("x.c:1:2: runtime error: something new: 12 "
                            "happened\n")
        self.assertEqual(f.type, "ubsan: something-new")

    def test_timeout_is_named_by_target(self):
        for line in ("chanfuzz-replay: timeout after 1 seconds",
                     "==7== ERROR: libFuzzer: timeout after 1 seconds"):
            f = signature.parse(line + "\n" + frame(0, "re_run", P + "re.c"),
                                "fuzz_regex")
            self.assertEqual((f.type, f.frames), ("timeout",
                                                  ["target=fuzz_regex"]))

    def test_no_report_is_exit_status(self):
        f = signature.parse("chanfuzz-triage: exit status 139 without a "
                            "report\n", "fuzz_parse")
        self.assertEqual((f.type, f.frames), ("exit 139",
                                              ["target=fuzz_parse"]))

    def test_nothing_recognised(self):
        self.assertIsNone(signature.parse("INFO: Seed: 1\nDone 10 runs\n"))

    def test_signature_text_format(self):
        f = signature.Fault("leak", ["a", "b"])
        self.assertEqual(f.text, "leak\na\nb\n")
        self.assertEqual(f.id, sig_id("leak\na\nb\n"))
        c = signature.Fault("x", root_cause="interpreter/7.11/IPC/undeclared")
        self.assertEqual(c.text,
                         "content-read\ninterpreter/7.11/IPC/undeclared\n")


if __name__ == "__main__":
    unittest.main()
