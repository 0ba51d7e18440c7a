# fuzz_smoke.sh - the fuzz targets on their seeds, bounded by run counts
# (never by time, except the AFL++ run, which afl-fuzz bounds itself).
#   - every target, plain and _smart, runs -runs=N on its seeds without a
#     fault (fuzz_interp_711 is the exception: its seeds alone are clean,
#     checked with -runs=0, and fuzzing it must find CF-291);
#   - fuzz_interp_711_smart -seed=1 finds the out-of-bounds READ past the
#     input array from seeds holding only the wildcard state; the same run
#     on fuzz_interp_716_smart finds nothing;
#   - AFL++: the persistent guard build of fuzz_interp_711, with the custom
#     mutator, finds a crash whose replay prints the structured finding.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
make -s harness >/dev/null || { echo "fuzz_smoke: make harness failed"; exit 1; }
RUNS=${FUZZ_SMOKE_RUNS:-3000}
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=halt_on_error=1
lf() { # lf BINARY CORPUS ARGS...: a libFuzzer run writing only under $TMP
	local bin=$1 corpus=$2 w
	shift 2
	w=$(mktemp -d "$TMP/w.XXXX")
	run "$bin" -seed=1 -artifact_prefix="$w/" -print_final_stats=1 "$@" "$w" "$corpus"
}
# Every target of harness/targets.tsv but the 7.11 one (below: fuzzing it
# finds CF-291, as it should).
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || exit 1
for t in "${TARGETS[@]}"; do
	[ "$t" != fuzz_interp_711 ] || continue
	vs=("" _smart)
	[ "${T_MUT[$t]}" != none ] || vs=("")
	for v in "${vs[@]}"; do
		lf "build/fuzz/$t$v" "corpus/$t" -runs="$RUNS" -dict="harness/$t.dict"
		expect_rc 0 "$t$v -runs=$RUNS"
		expect_err "Done $RUNS runs" "$t$v completed its runs"
	done
done
lf build/fuzz/fuzz_interp_711 corpus/fuzz_interp_711 -runs=0
expect_rc 0 "fuzz_interp_711 seeds alone are clean (wildcard state only)"
if [ -s build/corpus/cf291-nonwildcard.cf ]; then
	held=0
	for f in corpus/fuzz_interp_711/*; do
		cmp -s "$f" build/corpus/cf291-nonwildcard.cf && held=1
	done
	if [ "$held" = 0 ]; then ok; else bad "711 seeds hold the non-wildcard file"; fi
else
	bad "build/corpus/cf291-nonwildcard.cf missing (make corpus)"
fi

lf build/fuzz/fuzz_interp_711_smart corpus/fuzz_interp_711 -runs=200000
[ "$RC" != 0 ] && ok || bad "fuzz_interp_711_smart -seed=1 must find CF-291"
expect_err 'ERROR: AddressSanitizer: heap-buffer-overflow' "711_smart: ASan heap-buffer-overflow"
expect_err 'READ of size [0-9]+ ' "711_smart: a READ"
expect_err 'in eval_criterion .*parsers/src/interp\.c' "711_smart: in the interpreter"
expect_err 'is located [0-9]+ bytes (after|to the right of) [0-9]+-byte region' \
	"711_smart: past the end of the input array"
expect_err 'allocated by thread T0 here:' "711_smart: allocation shown"
expect_err 'in cf_interp_run_event .*parsers/src/interp\.c' "711_smart: the array is the integration's input array"
ls "$TMP"/w.*/crash-* >/dev/null 2>&1 && ok || bad "711_smart left a crash artifact"
lf build/fuzz/fuzz_interp_716_smart corpus/fuzz_interp_716 -runs=20000
expect_rc 0 "fuzz_interp_716_smart -seed=1 finds nothing"
expect_err 'Done 20000 runs' "716_smart completed"

# The AFL++ driver run by hand (how triage and repro replay AFL++ builds):
# every input read whole, an unreadable one is an error, not an empty run.
run build/afl/fuzz_parse build/corpus/cf291-wildcard.cf
expect_rc 0 "AFL++ build replays a file"
run build/afl/fuzz_parse corpus
expect_rc 1 "AFL++ build: a folder is an error"
expect_err 'corpus: read error' "AFL++ build: says so"
run build/afl/fuzz_parse "$TMP/missing"
expect_rc 1 "AFL++ build: a missing file is an error"

# AFL++, bounded by -V; the crash is replayed on the guard build.
if ! command -v afl-fuzz >/dev/null; then
	bad "afl-fuzz missing (scripts/deps.sh installs afl++)"
else
	o=$TMP/afl
	ASAN_OPTIONS=abort_on_error=1:symbolize=0 AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_BENCH_UNTIL_CRASH=1 \
		AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_SKIP_CRASHES=1 \
		AFL_NO_AFFINITY=1 AFL_QUIET=1 AFL_CUSTOM_MUTATOR_LIBRARY=build/afl/cf_mutator.so \
		timeout 200 afl-fuzz -V 150 -i corpus/fuzz_interp_711 -o "$o" \
		-x harness/fuzz_interp_711.dict -- build/afl/fuzz_interp_711 >"$TMP/afl.log" 2>&1
	c=$(find "$o/default/crashes" -maxdepth 1 -name 'id:*' 2>/dev/null | sort | head -n 1)
	if [ -n "$c" ]; then ok; else
		bad "afl-fuzz found no crash in 150 s"
		tail -n 20 "$TMP/afl.log"
	fi
	if [ -n "$c" ]; then
		run build/afl/fuzz_interp_711 "$c"
		expect_rc 134 "AFL++ crash replays as an abort on the guard build"
		expect_err '^chanfuzz-guard: out-of-bounds input read: build=7\.11 template=[A-Za-z]+ instance=[0-9]+ criterion=[0-9]+ field=[0-9]+ supplied=[0-9]+ declared=[0-9]+ op=[a-z-]+$' \
			"AFL++ crash: structured finding"
	fi
fi
finish fuzz_smoke
