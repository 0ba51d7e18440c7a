# regress.sh - the crash pipeline (issue 5, docs/CRASHES.md): the one-process
# replay driver, signatures, triage (new / dup / flaky, minimisation, target
# detection), promote, the regression suite (`make regress`) and repro.
# Builds what it needs through make (the replay builds are not part of
# `make all tests corpus`). Everything is written under $TMP, except what
# `scripts/regress.sh` replays from corpus/.
# shellcheck shell=bash
# shellcheck disable=SC2086,SC2016 # constant names without spaces; jq code
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
T711=fuzz_interp_711 T716=fuzz_interp_716
# Every target of harness/targets.tsv (TARGETS).
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || exit 1
# check WHAT CMD...: one assertion, passed when CMD succeeds
check() {
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
jqe() { jq -e "$@" >/dev/null; }
no_tmp() { [ -z "$(find "$1" -maxdepth 1 -name '*tmp*')" ]; }
N=build/corpus/cf291-nonwildcard.cf W=build/corpus/cf291-wildcard.cf

builds=(build/cftool "build/replay-guard/$T711" "build/replay-guard/$T716"
	"build/replay-plain/$T711" "build/replay-plain/$T716")
for t in "${TARGETS[@]}"; do
	builds+=("build/replay/$t")
done
run make -s "${builds[@]}"
expect_rc 0 "make the replay builds"

# --- the replay driver ------------------------------------------------------
run build/replay/$T711
expect_rc 2 "replay: no arguments is a usage error"
expect_err 'usage:' "replay: usage"
run build/replay/$T711 -t abc $W
expect_rc 2 "replay: -t abc"
printf 'maybe\t%s\n' $W >"$TMP/bad.man"
run build/replay/$T711 -m "$TMP/bad.man"
expect_rc 2 "replay: bad expectation in a manifest"
expect_err "expectation 'maybe'" "replay: names the bad expectation"
run build/replay/$T711 "$TMP/missing"
expect_rc 3 "replay: missing input"
run build/replay/$T711 $W
expect_rc 0 "replay: the wildcard file is clean"
run build/replay/$T711 $N
expect_rc 1 "replay: 7.11 faults on the non-wildcard file"
expect_err 'heap-buffer-overflow' "replay: ASan report"
# One process: a fault input in a forked child, then a clean input faulting
# in-process - the status lines say which input it was.
mkdir -p "$TMP/rep"
printf 'clean\t%s\nfault\t%s\nfault\t%s\nclean\t%s\nclean\t%s\n' $W $N $W $N $W >"$TMP/m.man"
run build/replay/$T711 -m "$TMP/m.man" -o "$TMP/status" -d "$TMP/rep"
check "replay: a clean input that faults ends the process" [ "$RC" != 0 ]
check "replay: expected fault passes in a child" grep -q "^PASS	1	$N	fault: " "$TMP/status"
check "replay: a fault input that does not fault fails" grep -q "^FAIL	2	$W	no fault" "$TMP/status"
check "replay: the last status line names the input that killed the process" \
	[ "$(tail -n 1 "$TMP/status")" = "BEGIN	3	$N	clean" ]
check "replay: the child's report is captured" grep -q 'heap-buffer-overflow' "$TMP/rep/1.txt"
run build/replay/$T711 -m "$TMP/m.man" -o "$TMP/status2" -d "$TMP/rep" -s 4
expect_rc 0 "replay: -s resumes after the breach"
check "replay: DONE line after -s 4" [ "$(tail -n 1 "$TMP/status2")" = "DONE	1	0" ]
check "replay: reports are renamed into place (no .tmp left)" [ -z "$(find "$TMP/rep" -name '*.tmp')" ]
# A fault input whose report cannot be written never ran: a failure, not a
# pass (the child used to exit 126, read as "fault: exit 126").
printf 'fault\t%s\n' $N >"$TMP/m1.man"
run build/replay/$T711 -m "$TMP/m1.man" -d "$TMP/no/such/dir"
expect_rc 1 "replay: fault input with an unwritable report folder fails"
expect_out '^FAIL	0	.*	report: No such file or directory$' "replay: says the report could not be written"
# A subject over CF_RE_MAX_SUBJECT is refused by the matcher as documented,
# not a finding of fuzz_regex.
{ printf '\000\001a'; head -c 1100000 /dev/zero; } >"$TMP/bigsubj"
run build/replay/fuzz_regex "$TMP/bigsubj"
expect_rc 0 "fuzz_regex: a 1.1 MB subject is no finding"

# --- signatures -------------------------------------------------------------
build/replay/$T711 $N 2>"$TMP/r1.txt"
# the same crash after an edit moved lines and addresses
sed -E 's/interp\.c:[0-9]+:[0-9]+/interp.c:999:1/; s/0x[0-9a-f]{8,}/0xdeadbeef/g' "$TMP/r1.txt" >"$TMP/r2.txt"
run scripts/signature.sh --target $T711 <"$TMP/r1.txt"
expect_rc 0 "signature: ASan report"
expect_out '^type	heap-buffer-overflow READ 4$' "signature: type"
expect_out '^frames	eval_criterion cf_interp_eval cf_interp_run_event$' "signature: project frames only"
id1=$(sed -n 's/^id\t//p' "$OUT")
check "signature: a 12-hex-digit id" [ "$(printf '%s' "$id1" | grep -cE '^[0-9a-f]{12}$')" = 1 ]
run scripts/signature.sh --target $T711 <"$TMP/r2.txt"
check "signature: a moved line keeps the id" [ "$(sed -n 's/^id\t//p' "$OUT")" = "$id1" ]
# A content fault is named by its root cause, whatever instance, criterion
# or operator reached it (docs/CRASHES.md, "Crash identity").
build/replay-guard/$T711 $N 2>"$TMP/g1.txt"
run scripts/signature.sh --target $T711 <"$TMP/g1.txt"
expect_out '^type	out-of-bounds input read: IPC field 20 declared but not supplied by 7\.11$' \
	"signature: content fault type"
expect_out '^root_cause	interpreter/7\.11/IPC/unsupplied/20$' "signature: root cause"
cid=$(sed -n 's/^id\t//p' "$OUT")
check "signature: content id of 12 hex digits, not the stack's" \
	[ "$(printf '%s' "$cid" | grep -cE '^[0-9a-f]{12}$')" = 1 -a "$cid" != "$id1" ]
sed 's/instance=291005 criterion=2/instance=7 criterion=0/; s/op=regex/op=equals/' "$TMP/g1.txt" >"$TMP/g2.txt"
run scripts/signature.sh --target $T711 <"$TMP/g2.txt"
check "signature: content id ignores instance, criterion and operator" [ "$(sed -n 's/^id\t//p' "$OUT")" = "$cid" ]
sed 's/field=20/field=25/' "$TMP/g1.txt" >"$TMP/g3.txt"
run scripts/signature.sh --target $T711 <"$TMP/g3.txt"
expect_out '^root_cause	interpreter/7\.11/IPC/undeclared$' "signature: an undeclared index is its own class"
sed 's/template=IPC/template=ProcessCreate/; s/declared=21/declared=10/; s/field=20 supplied=20/field=9 supplied=9/' \
	"$TMP/g1.txt" >"$TMP/g4.txt"
run scripts/signature.sh --target $T711 <"$TMP/g4.txt"
expect_out '^root_cause	interpreter/7\.11/ProcessCreate/unsupplied/9$' "signature: another template under-supplied"
run scripts/signature.sh --target fuzz_differential <"$TMP/g1.txt"
expect_out '^root_cause	validator-current/7\.11/IPC/unsupplied/20$' \
	"signature: the differential target's oracle is the validator"
ids=$(for g in g1 g3 g4; do scripts/signature.sh --target $T711 <"$TMP/$g.txt" | sed -n 's/^id\t//p'; done
	scripts/signature.sh --target fuzz_differential <"$TMP/g1.txt" | sed -n 's/^id\t//p')
check "signature: four root causes, four ids" [ "$(sort -u <<<"$ids" | wc -l)" = 4 ]
printf 'chanfuzz-harness: fuzz_parse: invariant broken: asm(dump(f)) failed at line 12: CF_E_SYNTAX\n' >"$TMP/i.txt"
run scripts/signature.sh <"$TMP/i.txt"
expect_out '^type	invariant: fuzz_parse$' "signature: invariant"
printf 'x.c:1:2: runtime error: signed integer overflow: 1 + 2147483647\nSUMMARY: UndefinedBehaviorSanitizer: signed-integer-overflow x.c:1:2 in f\n' >"$TMP/u.txt"
run scripts/signature.sh <"$TMP/u.txt"
expect_out '^type	ubsan: signed-integer-overflow$' "signature: ubsan check"
echo '==1== ERROR: libFuzzer: timeout after 25 seconds' >"$TMP/t.txt"
run scripts/signature.sh --target $T711 <"$TMP/t.txt"
expect_out '^type	timeout$' "signature: timeout"
expect_out '^frames	target=fuzz_interp_711$' "signature: timeout frame is the target"
echo 'no crash here' >"$TMP/n.txt"
run scripts/signature.sh <"$TMP/n.txt"
expect_rc 1 "signature: no fault"
run scripts/signature.sh "$TMP/r1.txt" "$TMP/n.txt" "$TMP/g1.txt"
expect_out "^$TMP/r1.txt	$id1	heap-buffer-overflow READ 4	" "signature: batch mode"
expect_out "^$TMP/n.txt	-	none" "signature: batch mode, no fault"
run scripts/signature.sh --bogus
expect_rc 2 "signature: unknown option"

# --- triage -------------------------------------------------------------------
C=$TMP/crashes
ndirs() { find "$C" -mindepth 1 -maxdepth 1 -type d ! -name '.*' | wc -l; }
run scripts/triage.sh --target $T711 --out "$C" --no-minimize $N
expect_rc 0 "triage: a known crash file"
expect_out "^new $cid out-of-bounds input read: IPC field 20 declared but not supplied by 7.11 $T711 728->728$" \
	"triage: new line, named by the root cause"
check "triage: exactly one folder ($(ndirs))" [ "$(ndirs)" = 1 ]
D=$C/$cid
for f in input minimized report.txt report-asan.txt meta.json; do
	check "triage: $D/$f missing" [ -s "$D/$f" ]
done
if jqe --arg t $T711 '.target == $t
    and .root_cause == "interpreter/7.11/IPC/unsupplied/20"
    and .sanitizer_type == "heap-buffer-overflow READ 4"
    and .content.field == 20 and .content.supplied == 20 and .content.declared == 21
    and .sensor_builds == ["7.11"] and .times_seen == 1 and .flaky == false
    and .counted_as_finding == true and .input_size == 728
    and (.first_seen | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$"))
    and (.guard_finding | test("template=IPC instance=291005 criterion=2 field=20 supplied=20"))' \
    "$D/meta.json"; then ok; else bad "triage: meta.json: $(cat "$D/meta.json")"; fi
expect_same $N "$D/input" "triage: input kept"
cp "$D/meta.json" "$TMP/meta.before"
run scripts/triage.sh --target $T711 --out "$C" --no-minimize $N
expect_out "^dup $cid " "triage: second run is a dup"
check "triage twice: still one folder" [ "$(ndirs)" = 1 ]
expect_same "$TMP/meta.before" "$D/meta.json" "triage: a filed folder is never rewritten"
check "triage: temporary files left: $(ls -A "$C")" no_tmp "$C"

# an AFL++ output folder: target from fuzzer_stats; same signature -> dup
mkdir -p "$TMP/afl/main/crashes" "$TMP/afl/main/hangs"
printf 'command_line      : afl-fuzz -i in -o out -M main -- %s\n' "$PWD/build/afl/$T711" \
	>"$TMP/afl/main/fuzzer_stats"
cp $N "$TMP/afl/main/crashes/id:000000,sig:06,src:000001,op:havoc,rep:2"
run scripts/triage.sh --out "$C" --no-minimize "$TMP/afl"
expect_rc 0 "triage: AFL++ output folder"
expect_out "^dup $cid out-of-bounds input read: .* $T711 " "triage: AFL++ crash, target from fuzzer_stats"

# a libFuzzer artifact folder with a .target file, minimised in a short budget
mkdir -p "$TMP/lf"
echo $T711 >"$TMP/lf/.target"
cp $N "$TMP/lf/crash-0123"
cp $W "$TMP/lf/slow-unit-4567"
run scripts/triage.sh --out "$TMP/crashes2" --minimize-time 6 "$TMP/lf"
expect_rc 0 "triage: libFuzzer artifact folder"
check "triage: only crash-* files are inputs" [ "$(wc -l <"$OUT")" = 1 ]
expect_out "^new $cid .* $T711 728->[0-9]+$" "triage: target from .target"
M=$TMP/crashes2/$cid/minimized
msize=$(stat -c %s "$M" 2>/dev/null || echo 0)
check "triage: minimised size $msize" [ "$msize" -gt 0 -a "$msize" -le 728 ]
build/replay-guard/$T711 "$M" 2>"$TMP/mr.txt"
check "triage: the minimised input keeps the root cause" \
	[ "$(scripts/signature.sh --target $T711 <"$TMP/mr.txt" | sed -n 's/^id\t//p')" = "$cid" ]
check "triage: meta records the minimised size" \
	jqe --argjson m "$msize" '.minimized_size == $m' "$TMP/crashes2/$cid/meta.json"

# a flaky input: a stand-in replay build that faults on its first run only
mkdir -p "$TMP/fake"
cat >"$TMP/fake/$T711" <<EOF
#!/usr/bin/env bash
n=\$(cat "$TMP/fake/count" 2>/dev/null || echo 0)
echo \$((n + 1)) >"$TMP/fake/count"
[ "\$n" = 0 ] || exit 0
cat "$TMP/r1.txt" >&2
exit 1
EOF
chmod +x "$TMP/fake/$T711"
cp $W "$TMP/flaky.bin"
CF_GUARD_DIR=$TMP/fake run scripts/triage.sh --target $T711 --out "$C" "$TMP/flaky.bin"
expect_rc 0 "triage: flaky input"
expect_out "^flaky [0-9a-f]{12} unreproducible: replay: heap-buffer-overflow READ 4 $T711 " "triage: flaky line"
fdir=$(find "$C" -maxdepth 1 -name 'flaky-*' | head -n 1)
check "triage: flaky folder and meta" \
	jqe '.flaky == true and .group == true and .counted_as_finding == false
	    and .replay.same_signature == 1 and .engine_fault == "replay: heap-buffer-overflow READ 4"' \
	"$fdir/meta.json"
check "triage: the flaky input is kept" [ -s "$fdir/input" ]
# Unreproducible crashes are grouped by target and by the fault the engine
# saw: three AFL++ crash files with one signal make one folder.
mkdir -p "$TMP/aflf/main/crashes"
printf 'command_line      : afl-fuzz -i in -o out -M main -- %s\n' "$PWD/build/afl/$T711" \
	>"$TMP/aflf/main/fuzzer_stats"
for k in 1 2 3; do
	{ cat $W; echo "$k"; } >"$TMP/aflf/main/crashes/id:00000$k,sig:06,src:000001,time:$k,op:havoc,rep:2"
done
{ cat $W; echo 4; } >"$TMP/aflf/main/crashes/id:000004,sig:11,src:000001,time:4,op:havoc,rep:2"
echo 0 >"$TMP/fake/count"
before=$(ndirs)
CF_GUARD_DIR=$TMP/fake CF_NO_MAKE=1 run scripts/triage.sh --out "$C" --no-minimize "$TMP/aflf"
expect_rc 0 "triage: unreproducible AFL++ crashes"
check "triage: four unreproducible files, two groups ($(ndirs) folders, $before before)" \
	[ "$(ndirs)" = $((before + 2)) ]
check "triage: every file is reported" [ "$(grep -c '^flaky .*unreproducible: AFL++ signal' "$OUT")" = 4 ]
# A replay build that is not there files nothing (it used to "fault" with
# exit 127 and file every input under that one signature).
mkdir -p "$TMP/nobuild"
CF_GUARD_DIR=$TMP/nobuild CF_NO_MAKE=1 run scripts/triage.sh --target $T711 --out "$TMP/c-nobuild" $N
expect_rc 2 "triage: missing replay build is an error"
expect_err 'nobuild/fuzz_interp_711 is not built' "triage: names the missing build"
check "triage: nothing filed without the build" [ -z "$(ls -A "$TMP/c-nobuild" 2>/dev/null)" ]

# bad arguments
run scripts/triage.sh --out "$C" "$TMP/flaky.bin"
expect_rc 2 "triage: unknown target"
expect_err 'unknown target' "triage: says the target is unknown"
run scripts/triage.sh --target nope $N
expect_rc 2 "triage: --target nope"
run scripts/triage.sh --target $T711 "$TMP/missing"
expect_rc 2 "triage: missing input"
expect_err 'no such file' "triage: names the missing input"
run scripts/triage.sh --frobnicate $N
expect_rc 2 "triage: unknown option"
run scripts/triage.sh --oom-is-finding maybe --target $T711 $N
expect_rc 2 "triage: --oom-is-finding maybe"

# --- promote --------------------------------------------------------------------
R=$TMP/reg
run scripts/promote.sh "$D" --expect detect --regression "$R"
expect_rc 0 "promote: detect"
check "promote: index line added" \
	[ "$(grep -c "^$cid	detect	$cid	out-of-bounds input read: IPC field 20 declared but not supplied by 7.11	" "$R/$T711/index.tsv")" = 1 ]
expect_same "$D/minimized" "$R/$T711/$cid" "promote: input copied under its identity"
run scripts/promote.sh "$D" --expect detect --regression "$R"
check "promote twice: one line" [ "$(grep -vc '^#' "$R/$T711/index.tsv")" = 1 ]
run scripts/promote.sh "$D" --expect fixed --target $T716 --regression "$R"
expect_rc 0 "promote: fixed on 7.16"
run scripts/promote.sh "$D" --expect fixed --regression "$R"
expect_rc 1 "promote: refuses fixed where it still faults"
run scripts/promote.sh "$D" --expect open --target $T716 --regression "$R"
expect_rc 1 "promote: refuses open where it does not fault"
run scripts/promote.sh "$D" --expect detect --target $T716 --regression "$R"
expect_rc 2 "promote: detect only on fuzz_interp_711"
run scripts/promote.sh "$D" --expect sometimes
expect_rc 2 "promote: bad --expect"
run scripts/promote.sh "$TMP/missing" --expect fixed
expect_rc 2 "promote: missing folder"
check "promote: temporary files left" no_tmp "$R/$T711"

# --- regress ----------------------------------------------------------------------
run scripts/regress.sh
expect_rc 0 "regress: seeds and corpus/regression"
nseeds=$(for t in "${TARGETS[@]}"; do echo "corpus/$t"; done |
	xargs -I{} find {} -maxdepth 1 -type f ! -name '.*' | wc -l)
nreg=$(cat corpus/regression/*/index.tsv 2>/dev/null | grep -vc '^#' || true)
expect_out "^regress: $((nseeds + nreg)) passed, 0 failed$" "regress: every seed and entry counted"
check "regress: table of every target" [ "$(grep -cE '^fuzz_[a-z0-9_]+ +[0-9]+ +[0-9]+ +0$' "$OUT")" = ${#TARGETS[@]} ]
check "regress: the CF-291 canary is a detect entry" grep -q "	detect	" corpus/regression/$T711/index.tsv
check "regress: CF-291 is a fixed entry of 7.16" grep -q "	fixed	" corpus/regression/$T716/index.tsv

run scripts/regress.sh --regression "$R" --target $T711 --target $T716
expect_rc 0 "regress: promoted entries hold"
# an open entry that no longer faults; a fixed entry that faults, listed
# first so that the driver must restart for the entries after it
mkdir -p "$TMP/reg2/$T716" "$TMP/reg2/$T711"
cp "$R/$T711/$cid" "$TMP/reg2/$T716/$id1"
printf '%s\topen\t%s\theap-buffer-overflow READ 4\ttest\t2024-07-19T04:09:00Z\n' $id1 $id1 \
	>"$TMP/reg2/$T716/index.tsv"
cp "$R/$T711/$cid" "$TMP/reg2/$T711/aaaaaaaaaaaa"
cp "$R/$T711/$cid" "$TMP/reg2/$T711/$id1"
printf '%s\tfixed\t%s\theap-buffer-overflow READ 4\ttest\t2024\n%s\tdetect\t%s\theap-buffer-overflow READ 4\ttest\t2024\n' \
	aaaaaaaaaaaa $id1 $id1 $id1 >"$TMP/reg2/$T711/index.tsv"
cp $W "$TMP/reg2/$T711/stray"
run scripts/regress.sh --regression "$TMP/reg2" --target $T711 --target $T716
expect_rc 1 "regress: breaches fail"
expect_out "FAIL $T716 .*/$id1: open entry no longer faults.*fixed\? promote it as fixed" \
	"regress: open entry that no longer faults"
expect_out "FAIL $T711 .*/aaaaaaaaaaaa: fixed input faults: heap-buffer-overflow READ 4" \
	"regress: fixed entry that faults"
expect_out "FAIL $T711 .*/stray: not in " "regress: a file without an index line"
n711=$(find corpus/$T711 -maxdepth 1 -type f ! -name '.*' | wc -l)
expect_out "^$T711 +$((n711 + 3)) +$((n711 + 1)) +2$" "regress: restarted after the breach (detect ran)"
expect_out '^regress: [0-9]+ passed, 3 failed$' "regress: closing line"
expect_out '^reports: build/regress/run\.' "regress: says where the reports are"
kept=$(sed -n 's/^reports: //p' "$OUT")
check "regress: the reports are kept" [ -d "$kept/$T711/reports" ]
[ -z "$kept" ] || rm -rf -- "$kept"
# an open entry named by its root cause holds on the identity build
mkdir -p "$TMP/reg3/$T711"
cp "$R/$T711/$cid" "$TMP/reg3/$T711/$cid"
printf '%s\topen\t%s\tcontent\ttest\t2026\n' $cid $cid >"$TMP/reg3/$T711/index.tsv"
run scripts/regress.sh --regression "$TMP/reg3" --target $T711
expect_rc 0 "regress: an open content entry keeps its root cause"
run scripts/promote.sh "$D" --expect open --regression "$TMP/reg4"
expect_rc 0 "promote: open, checked on the identity build"
check "promote: open entry named by the root cause" grep -q "^$cid	open	$cid	" "$TMP/reg4/$T711/index.tsv"
run scripts/regress.sh --target nope
expect_rc 2 "regress: unknown target"
run scripts/regress.sh --timeout 0
expect_rc 2 "regress: bad timeout"

# --- repro ---------------------------------------------------------------------------
run scripts/repro.sh "$D" --gdb </dev/null
expect_rc 0 "repro: crash folder"
expect_out 'ERROR: AddressSanitizer: heap-buffer-overflow' "repro: sanitizer report"
expect_out '^instance 291005 detect +<-- here' "repro: instance marked"
expect_out 'field rpc_binding regex .*<-- here: criterion 2 reads input 20, 20 supplied' \
	"repro: criterion marked"
expect_out '^finding: heap-buffer-overflow READ 4 \| template IPC \| instance 291005 \| criterion 2 \| field 20 \(rpc_binding, field 21 of the template\) \| inputs supplied 20 \| sensor build 7.11$' \
	"repro: the finding in one line"
expect_out '^sensor 7.11 \(target\) +FAULT +FAULT +clean' "repro: matrix row 7.11"
expect_out '^sensor 7.16 +clean +clean +clean' "repro: matrix row 7.16"
expect_out 'gdb .*-ex run .*build/replay/fuzz_interp_711' "repro: --gdb without a terminal prints the command"
expect_out "^identity: out-of-bounds input read: IPC field 20 declared but not supplied by 7.11 \\[$cid\\] root cause interpreter/7.11/IPC/unsupplied/20$" \
	"repro: the identity, by root cause"
# Repro from any path: the folder names the target, or a meta.json does.
run scripts/repro.sh corpus/regression/$T711/e56d63868907
expect_rc 0 "repro: a regression entry without --target"
expect_out "^repro: e56d63868907 \\([0-9]+ bytes\\), target $T711$" "repro: target from the regression folder"
mkdir -p "$TMP/elsewhere"
cp $N "$TMP/elsewhere/input.bin"
mkdir -p "$TMP/store/abc"
printf '{"signature": "abc", "target": "%s", "source": "%s"}\n' $T716 "$TMP/elsewhere/input.bin" \
	>"$TMP/store/abc/meta.json"
run scripts/chanfuzz target-of --crashes "$TMP/store" "$TMP/elsewhere/input.bin"
expect_out "^$T716$" "target-of: a file a meta.json names as its source"
run scripts/chanfuzz target-of "$TMP/elsewhere/input.bin"
expect_rc 1 "target-of: nothing records it"
run scripts/chanfuzz target-of corpus/fuzz_regex/regex-001.bin
expect_out "^fuzz_regex$" "target-of: a seed, by its folder"
run scripts/repro.sh $W --target $T716
expect_rc 1 "repro: no build faults on the wildcard file"
run scripts/repro.sh "$TMP/missing"
expect_rc 2 "repro: missing crash"
run scripts/repro.sh "$TMP/flaky.bin"
expect_rc 2 "repro: unknown target"

finish regress
