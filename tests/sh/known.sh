# known.sh - known root causes do not mask new ones (issue 17, docs/
# CRASHES.md "Known findings"): a fuzzing build told that a root cause is
# known (CF_KNOWN_FAULTS) refuses and counts its reads instead of faulting,
# in every build (ASan, guard, libFuzzer, AFL++); any other fault still
# crashes.
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:symbolize=0
check() {
	local what=$1
	shift
	if "$@"; then ok; else bad "$what"; fi
}
N=build/corpus/cf291-nonwildcard.cf W=build/corpus/cf291-wildcard.cf
T=fuzz_interp_711
run make -s build/replay/$T build/replay-guard/$T build/replay/fuzz_differential \
	build/fuzz/$T build/afl/$T build/afl-asan/$T
expect_rc 0 "make the builds"
K=$TMP/known H=$TMP/hits
printf '# known root causes\ninterpreter/7.11/IPC/unsupplied/20\n' >"$K"

for b in build/replay/$T build/replay-guard/$T build/afl/$T build/afl-asan/$T; do
	run "$b" $N
	check "$b faults on CF-291 when nothing is known" [ "$RC" != 0 ]
	rm -f "$H"
	CF_KNOWN_FAULTS=$K CF_KNOWN_HITS=$H run "$b" $N $N
	expect_rc 0 "$b: a known root cause is not a crash"
	expect_err '^chanfuzz-known: interpreter/7\.11/IPC/unsupplied/20 is a known root cause' \
		"$b says once what it suppresses"
	check "$b: hits counted ($(cat "$H" 2>/dev/null | tr '\n' ' '))" \
		[ "$(awk -F'\t' '$1 == "interpreter/7.11/IPC/unsupplied/20" { n += $2 } END { print n + 0 }' "$H" 2>/dev/null)" -ge 1 ]
done
# the replay driver ends with _exit: its count is exact
rm -f "$H"
CF_KNOWN_FAULTS=$K CF_KNOWN_HITS=$H run build/replay/$T $N $N $N
check "replay: three inputs, three hits ($(cat "$H" | tr '\n' ' '))" \
	[ "$(awk -F'\t' '{ n += $2 } END { print n + 0 }' "$H")" = 3 ]

# libFuzzer: the known CF-291 file runs clean, in-process
rm -f "$H"
CF_KNOWN_FAULTS=$K CF_KNOWN_HITS=$H run build/fuzz/$T -runs=3 $N
expect_rc 0 "libFuzzer: a known root cause does not stop the run"
check "libFuzzer: hits counted" [ -s "$H" ]

# Another root cause still crashes: the same read under the differential
# target's oracle is not the interpreter's known one.
printf 'validator-2024/7.11/IPC/unsupplied/20\ninterpreter/7.16/IPC/undeclared\n' >"$TMP/other"
CF_KNOWN_FAULTS=$TMP/other run build/replay-guard/$T $N
expect_rc 1 "an unknown root cause still crashes"
expect_err 'chanfuzz-guard: out-of-bounds input read: build=7\.11 template=IPC' "and is reported"
# A missing known file suppresses nothing, and says so.
CF_KNOWN_FAULTS=$TMP/none run build/replay-guard/$T $N
check "a missing known file: still crashes" [ "$RC" != 0 ]
expect_err 'chanfuzz-known: .*/none: cannot read: nothing is suppressed' "a missing known file is named"
# A clean input is untouched.
CF_KNOWN_FAULTS=$K run build/replay-guard/$T $W
expect_rc 0 "the wildcard file stays clean"
finish known
