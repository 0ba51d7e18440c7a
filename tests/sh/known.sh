# known.sh - known findings do not mask new ones (issue 17, docs/
# CAMPAIGN.md "Before fuzzing", "Known findings", "Fixed verification"):
# a fuzzing build told that a root cause is known (CF_KNOWN_FAULTS) refuses
# and counts its reads instead of faulting, in every build (ASan, guard,
# libFuzzer, AFL++); any other fault still crashes. Preflight names the
# known root causes and files crashing seeds; verify reads the store.
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
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
	check "$b: hits counted ($(tr '\n' ' ' 2>/dev/null <"$H"))" \
		[ "$(awk -F'\t' '$1 == "interpreter/7.11/IPC/unsupplied/20" { n += $2 } END { print n + 0 }' "$H" 2>/dev/null)" -ge 1 ]
done
# the replay driver ends with _exit: its count is exact
rm -f "$H"
CF_KNOWN_FAULTS=$K CF_KNOWN_HITS=$H run build/replay/$T $N $N $N
check "replay: three inputs, three hits ($(tr '\n' ' ' <"$H"))" \
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
# ---- preflight: known root causes, crashing seeds ---------------------------
# An empty crash store knows nothing: the CF-291 seed is a finding, filed and
# left out of the start corpus; the wildcard seed stays.
O=$TMP/camp
mkdir -p "$O/seeds/$T" "$O/lf/$T/corpus"
cp $N "$O/seeds/$T/nonwild" && cp $W "$O/seeds/$T/wild"
cp $N "$O/lf/$T/corpus/nonwild" && cp $W "$O/lf/$T/corpus/wild"
run scripts/chanfuzz preflight "$O" --targets $T --crashes "$TMP/empty" --minimize-time 1
expect_rc 0 "preflight against an empty store"
expect_out "^preflight: $T seed nonwild faults \\(out-of-bounds input read: IPC field 20" "preflight says which seed faults"
check "the crashing seed left the start corpora" \
	[ ! -e "$O/seeds/$T/nonwild" -a ! -e "$O/lf/$T/corpus/nonwild" -a -e "$O/seeds-excluded/$T/nonwild" ]
check "the clean seed stays" [ -e "$O/seeds/$T/wild" -a -e "$O/lf/$T/corpus/wild" ]
check "the crashing seed is filed" [ -f "$TMP/empty/e56d63868907/meta.json" ]
# shellcheck disable=SC2016 # $t is jq's variable
check "preflight.json: one faulting seed, filed new, nothing known" \
	jq -e --arg t "$T" '.targets[$t] | (.faulting | length) == 1 and .faulting[0].verdict == "new"
	    and .faulting[0].folder == "e56d63868907" and (.known | length) == 0' "$O/preflight.json" >/dev/null
check "an empty store: the known file is empty" [ -z "$(grep -v '^#' "$O/known/$T.txt")" ]
# With the committed store, CF-291 and 7.11's undeclared reads are known:
# the same seed is no finding, and the fixed regression inputs join the seeds.
cp -r crashes "$TMP/store"
O2=$TMP/camp2
mkdir -p "$O2/seeds/$T" "$O2/seeds/fuzz_interp_716" && cp $N "$O2/seeds/$T/nonwild"
run scripts/chanfuzz preflight "$O2" --targets $T,fuzz_interp_716 --crashes "$TMP/store"
expect_rc 0 "preflight against the committed store"
check "six known root causes of 7.11" [ "$(grep -vc '^#' "$O2/known/$T.txt")" = 6 ]
check "CF-291 is among them" grep -qx 'interpreter/7\.11/IPC/unsupplied/20' "$O2/known/$T.txt"
check "a known root cause is no crashing seed" [ -e "$O2/seeds/$T/nonwild" ]
check "nothing new filed" [ "$(find "$TMP/store" -mindepth 1 -maxdepth 1 -type d | wc -l)" = "$(find crashes -mindepth 1 -maxdepth 1 -type d | wc -l)" ]
check "7.16's fixed regression inputs join its seeds" \
	[ "$(find "$O2/seeds/fuzz_interp_716" -type f 2>/dev/null | wc -l)" = "$(grep -c '	fixed	' corpus/regression/fuzz_interp_716/index.tsv)" ]
run scripts/chanfuzz preflight "$O2" --targets nope --crashes "$TMP/store"
expect_rc 2 "preflight: unknown target"

# ---- fixed verification: the store is read, never written -------------------
before=$(find "$TMP/store" -type f -exec sha1sum {} + | sort)
run scripts/chanfuzz verify --crashes "$TMP/store" --targets $T,fuzz_parse
expect_rc 0 "verify"
expect_out '^e56d63868907	fuzz_interp_711	still reproduces$' "verify: CF-291 still reproduces on 7.11"
expect_out '^08d0d55015bc	fuzz_parse	no longer reproduces on this build$' "verify: the fixed fuzz_parse invariant"
check "verify leaves the store as it was" [ "$(find "$TMP/store" -type f -exec sha1sum {} + | sort)" = "$before" ]
finish known
