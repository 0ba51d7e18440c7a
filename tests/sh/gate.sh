# gate.sh - the content release gate (docs/GATE.md): `cftool gate` on the
# plain, ASan and guard builds, its exit codes and messages for bad input,
# the release of several files, --json, --events, --sensors, --as-built;
# scripts/gate.sh end to end (sanitizer evidence, Markdown and SARIF);
# every seed of fuzz_gate replayed on its ASan build, and a few libFuzzer
# runs of it.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
P=build/asan/tests/cfpatch
W=build/corpus/cf291-wildcard.cf
N=build/corpus/cf291-nonwildcard.cf
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
pat() { if $P "$@"; then ok; else bad "cfpatch $* failed"; fi; }

# The seeds the current validator accepts: every one but those marked
# rejected and the CF-291 file.
mapfile -t GOOD < <(for s in corpus/src/*.cft; do
	n=$(basename "$s" .cft)
	[ "$n" = cf291-nonwildcard ] && continue
	grep -q 'expect: rejected-by-current' "$s" && continue
	echo "build/corpus/$n.cf"
done)
[ "${#GOOD[@]}" -ge 30 ] && ok || bad "only ${#GOOD[@]} accepted seeds"

head -c 30 $W >"$TMP/trunc.cf"
pat $W "$TMP/magic.cf" 0 4 0x414141AA
: >"$TMP/empty.cf"
printf 'event IPC "user-1"\n  pipe_name "\\\\\\\\.\\\\pipe\\\\msrpc"\nevent ProcessCreate "other"\n' >"$TMP/good.ev"
printf 'event Nope\n' >"$TMP/bad.ev"

FAULT='FAULT: sensor 7\.11, template IPC, instance 291005 \(#4\), criterion 2, field 21 \(index 20, rpc_binding\), 20 inputs supplied: CF_E_INPUT_BOUNDS: event "instance 291005: [^"]*" \{.*rpc_binding="[^"]+".*\}'

for t in build/cftool build/asan/cftool build/guard/cftool; do
	run $t gate $N
	expect_rc 1 "$t gate non-wildcard"
	expect_out "$FAULT" "$t names the CF-291 fault"
	expect_out 'REJECTED: validator: instance 291005 \(#4\) criterion 2 field 20 CF_E_FIELD_UNSUPPLIED' \
		"$t reports the validator"
	expect_out 'REJECTED: the validator rejects \(1 problem\); 1 fault site on 1 build;' "$t verdict"
	expect_no_err 'Sanitizer|runtime error|chanfuzz-guard' "$t checked gate performs no read past the inputs"
	run $t gate $W
	expect_rc 0 "$t gate wildcard"
	expect_out 'coverage: 12 of 12 live criteria evaluated \(100\.0%\)' "$t wildcard coverage"
	expect_out 'PASS: accepted by the validator, no build faults' "$t wildcard pass"
	# A release: every accepted seed passes with every criterion reached.
	run $t gate "${GOOD[@]}"
	expect_rc 0 "$t release of the accepted seeds"
	n=$(grep -c 'coverage: .* (100\.0%)' "$OUT")
	[ "$n" = "${#GOOD[@]}" ] && ok || bad "$t: $n of ${#GOOD[@]} seeds at 100% coverage"
	expect_out "^release: ${#GOOD[@]} files: ${#GOOD[@]} pass, 0 rejected, 0 errors; .* \(100\.0%\); 0 fault sites, .*: PASS$" \
		"$t release total"
	run $t gate $W $N
	expect_rc 1 "$t release with the non-wildcard file"
	expect_out '^release: 2 files: 1 pass, 1 rejected, 0 errors; .*: REJECTED$' "$t release total rejected"
	# Bad input: one message each, the documented exit code.
	run $t gate "$TMP/nonexistent.cf"
	expect_rc 3 "$t gate missing file"
	expect_err 'nonexistent.cf: No such file or directory' "$t missing file message"
	run $t gate "$TMP/trunc.cf"
	expect_rc 4 "$t gate truncated file"
	expect_err 'CF_E_TRUNCATED' "$t truncated file message"
	run $t gate "$TMP/magic.cf"
	expect_rc 4 "$t gate wrong magic"
	expect_err 'CF_E_MAGIC' "$t wrong magic message"
	run $t gate "$TMP/empty.cf"
	expect_rc 4 "$t gate empty file"
	run $t gate "$TMP/nonexistent.cf" $W
	expect_rc 3 "$t gate: the worst file decides"
	expect_out "$W: PASS" "$t gate: the other file is still checked"
	run $t gate --sensors 7.11,9.99 $W
	expect_rc 2 "$t gate bad sensor"
	expect_err "unknown sensor build '9.99'; known: all 7\.11 7\.16" "$t bad sensor message"
	run $t gate --sensors 7.11, $W
	expect_rc 2 "$t gate empty sensor name"
	run $t gate --frobnicate $W
	expect_rc 2 "$t gate unknown option"
	run $t gate
	expect_rc 2 "$t gate without a file"
	run $t gate --events "$TMP/bad.ev" $W
	expect_rc 4 "$t gate bad events file"
	expect_err 'CF_E_TEXT_VALUE' "$t bad events message"
	expect_no_err 'Sanitizer|runtime error' "$t bad input clean"
	# Only 7.16: no fault (it supplies 21 inputs); the validator, which
	# checks every build in the table, still rejects.
	run $t gate --sensors 7.16 $N
	expect_rc 1 "$t gate --sensors 7.16"
	if grep -q 'FAULT' "$OUT"; then bad "$t 7.16 only: a fault"; else ok; fi
	expect_out 'sensor 7\.16: IPC with 21 of 21 inputs' "$t 7.16 only ran 7.16"
	if grep -q 'sensor 7\.11' "$OUT"; then bad "$t 7.16 only ran 7.11"; else ok; fi
	run $t gate --events "$TMP/good.ev" $W
	expect_rc 0 "$t gate --events"
	expect_out 'supplied \(1 of another template\)' "$t events counted"
	expect_out ' 1 supplied ' "$t one IPC event supplied"
done

# --json: the same as data.
run build/cftool gate --json $W $N "$TMP/magic.cf"
expect_rc 4 "gate --json exit is the worst file's"
if python3 - "$OUT" <<'EOF'; then ok; else bad "gate --json content"; fi
import json, sys
d = json.load(open(sys.argv[1]))
w, n, m = d["files"]
assert d["schema"] == "chanfuzz-gate/1" and d["exit"] == 4
assert w["verdict"] == "pass" and w["coverage"]["percent"] == 100.0
x = n["faults"][0]
assert (x["build"], x["template"], x["instance_id"], x["criterion"],
        x["field"], x["field_name"], x["supplied"]) == \
    ("7.11", "IPC", 291005, 2, 20, "rpc_binding", 20), x
assert x["event"]["values"]["protocol"]["str"] == "ncacn_np"
assert n["validator"]["problems"][0]["code"] == "CF_E_FIELD_UNSUPPLIED"
crit = n["coverage"]["instances"][4]["criteria"][2]
assert crit["by_build"]["7.11"]["faults"] > 0, crit
assert crit["by_build"]["7.16"]["faults"] == 0, crit
assert m["verdict"] == "error" and m["code"] == "CF_E_MAGIC", m
t = d["total"]
assert (t["files"], t["passed"], t["rejected"], t["errors"]) == (3, 1, 1, 1)
EOF

# --as-built: refused by a build without a sanitizer or guard; on the ASan
# build the read past the inputs is performed and reported; on the guard
# build it is the structured finding.
run build/cftool gate --as-built $W
expect_rc 2 "plain gate --as-built refused"
expect_err 'as-built performs the reads past the inputs' "as-built refusal message"
run build/asan/cftool gate --as-built $W
expect_rc 0 "asan gate --as-built wildcard"
ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 run build/asan/cftool gate --as-built --sensors 7.11 $N
expect_rc 134 "asan gate --as-built non-wildcard aborts"
expect_err 'ERROR: AddressSanitizer: heap-buffer-overflow' "as-built ASan report"
expect_err 'in eval_criterion .*interp\.c' "as-built ASan names the interpreter"
run build/guard/cftool gate --as-built $N
expect_rc 134 "guard gate --as-built non-wildcard aborts"
expect_err '^chanfuzz-guard: out-of-bounds input read: build=7\.11 template=IPC instance=291005 criterion=2 field=20 supplied=20 declared=21 op=regex$' \
	"as-built guard finding"

# scripts/gate.sh: the same plus the sanitizer evidence and the reports.
run scripts/gate.sh --out "$TMP/r1" $W $N
expect_rc 1 "gate.sh rejects the release"
expect_out 'sanitizer replay: 0 missed: REJECTED' "gate.sh summary"
for f in gate.md gate.sarif gate.json; do
	[ -s "$TMP/r1/$f" ] && ok || bad "gate.sh wrote no $f"
done
if python3 - "$TMP/r1" <<'EOF'; then ok; else bad "gate.sh reports"; fi
import json, os, sys
d = sys.argv[1]
rep = json.load(open(os.path.join(d, "gate.json")))
ev = {e["build"]: (e["verdict"], e["fault"] and e["fault"]["type"])
      for e in rep["files"][1]["asan"]}
assert ev == {"7.11": ("confirmed", "heap-buffer-overflow READ 4"),
              "7.16": ("agree", None)}, ev
assert all(e["verdict"] == "agree" for e in rep["files"][0]["asan"])
s = json.load(open(os.path.join(d, "gate.sarif")))
res = s["runs"][0]["results"]
f = [r for r in res if r["ruleId"] == "CF_E_INPUT_BOUNDS"]
assert len(f) == 1 and f[0]["properties"]["build"] == "7.11"
md = open(os.path.join(d, "gate.md")).read()
assert "# Content release gate: REJECTED" in md
assert "field 21 (index 20, rpc_binding) | 20 |" in md
EOF
run scripts/gate.sh --out "$TMP/r2" $W
expect_rc 0 "gate.sh passes the wildcard file"
expect_out ': PASS$' "gate.sh pass line"
run scripts/gate.sh --sensors 9.99 --out "$TMP/r3" $W
expect_rc 2 "gate.sh bad sensor"

# fuzz_gate: every seed, one process, on the ASan replay build.
run build/replay/fuzz_gate corpus/fuzz_gate/*
expect_rc 0 "fuzz_gate seeds replay clean"
# and a few libFuzzer runs from them, plain and with the structure-aware
# mutator (bounded by runs: the target runs the gate twice per input).
for v in "" _smart; do
	w=$(mktemp -d "$TMP/w.XXXX")
	run build/fuzz/fuzz_gate$v -seed=1 -runs=150 -artifact_prefix="$w/" \
		-dict=harness/fuzz_gate.dict "$w" corpus/fuzz_gate
	expect_rc 0 "fuzz_gate$v -runs=150"
	expect_err 'Done 150 runs' "fuzz_gate$v completed its runs"
done

finish gate
