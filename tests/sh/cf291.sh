# cf291.sh - the Channel File 291 case as content (issue: model).
#   validators: 2024 accepts both files; current accepts the wildcard one
#   and rejects the non-wildcard one naming field 21 and 7.11's 20 inputs.
#   interpreter: 7.11 + non-wildcard faults (ASan report of an OOB READ in
#   the interpreter; guard prints the structured finding and aborts); 7.16
#   runs cleanly on all three builds; the wildcard file runs cleanly on all.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
W=build/corpus/cf291-wildcard.cf
N=build/corpus/cf291-nonwildcard.cf
export ASAN_OPTIONS=detect_leaks=0:abort_on_error=0:symbolize=1
for t in build/cftool build/asan/cftool build/guard/cftool; do
	for f in $W $N; do
		run "$t" validate --validator 2024 "$f"
		expect_rc 0 "$t validate 2024 $f"
	done
	run $t validate --validator current $W
	expect_rc 0 "$t validate current wildcard"
	run $t validate --validator current $N
	expect_rc 1 "$t validate current non-wildcard"
	expect_out 'instance 291005 .*field 20 .*field 21.*sensor build 7\.11 supplies only 20 inputs' \
		"$t current names field 21 and 7.11's 20 inputs"
	run $t validate $N
	expect_rc 1 "$t validate (default current) non-wildcard"
	for s in 7.11 7.16; do
		run $t run --sensor $s $W
		expect_rc 0 "$t run $s wildcard"
		expect_out '^match: event=ipc-rpc-named-pipe instance=291002 action=detect$' \
			"$t run $s wildcard matches 291002"
	done
	run $t run --sensor 7.16 $N
	expect_rc 0 "$t run 7.16 non-wildcard"
	expect_out 'instance=291005 action=detect' "$t run 7.16 non-wildcard matches 291005"
done

run build/asan/cftool run --sensor 7.11 $N
[ "$RC" != 0 ] && ok || bad "asan 7.11 non-wildcard must fail"
expect_err 'ERROR: AddressSanitizer: heap-buffer-overflow' "asan report"
expect_err 'READ of size [0-9]+' "asan READ"
expect_err 'in (input_at|eval_criterion|cf_interp_eval) .*interp\.c' "asan names the interpreter"

run build/guard/cftool run --sensor 7.11 $N
expect_rc 134 "guard 7.11 aborts"
expect_err '^chanfuzz-guard: out-of-bounds input read: build=7\.11 template=IPC instance=291005 criterion=2 field=20 supplied=20 declared=21 op=regex$' \
	"guard structured finding"
expect_out '^match: event=ipc-rpc-named-pipe instance=291004 action=detect$' \
	"guard printed the match before the fault"

finish cf291
