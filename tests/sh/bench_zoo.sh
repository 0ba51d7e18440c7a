# bench_zoo.sh - the CF-291 benchmark build reports its defect as CF-291
# wherever the out-of-bounds read lands, and scripts/bench.sh counts it.
#
# The full benchmark of 2026-11-30 counted 17 trials as "other fault": the
# 7.11 read at a field index far past the inputs, which ASan reported as a
# use after free or a SEGV (or not at all). Now the canary aborts there.
# Each proof-of-concept input (bench/bugs/cf291.cft: field index 20, the
# 7.11 read; cf291-far.cft: index 200) faults in the libFuzzer (ASan) build and
# in the AFL++ guard build, with a report that matches the pattern bench.sh
# matches for cf291 (the report column of bench/bugs/zoo.tsv); the seeds run
# clean. The canaries live in the patched copy of parsers/ only, and every
# proof of concept zoo.tsv names can be made. Builds what it needs through
# make: the copy with bench/bugs/cf291.patch applied.
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
V=build/bench/cf291
T=fuzz_interp_711
if ! make --no-print-directory -s -j"$(nproc)" build/cftool build/bench/bench_tool \
	$V/fuzz/$T $V/afl/$T corpus >"$TMP/build.log" 2>&1; then
	tail -n 20 "$TMP/build.log"
	echo "bench_zoo: make failed"
	exit 1
fi

# The report pattern scripts/bench.sh matches: the report column of the
# bug zoo's list (the one place it is written).
SIG=$(awk -F'\t' '$1 == "cf291" { print $5 }' bench/bugs/zoo.tsv)
if [ -n "$SIG" ]; then ok; else bad "cf291's report pattern not found in bench/bugs/zoo.tsv"; fi

# The canaries are in the patched copy the builds compile, never in the model.
if grep -q 'cf_bench_trigger("cf291"' $V/tree/parsers/src/interp.c; then ok; else
	bad "$V/tree/parsers/src/interp.c has no cf291 canary (bench/bugs/cf291.patch not applied?)"
fi
if grep -rq 'cf_bench' parsers/; then bad "parsers/ calls the canaries"; else ok; fi

export ASAN_OPTIONS=detect_leaks=0:symbolize=0
for p in cf291:20 cf291-far:200; do
	name=${p%:*} field=${p#*:}
	run build/cftool asm "bench/bugs/$name.cft" -o "$TMP/$name.cf"
	expect_rc 0 "poc $name"

	run $V/fuzz/$T -runs=1 -artifact_prefix="$TMP/" "$TMP/$name.cf"
	if [ "$RC" != 0 ]; then ok; else bad "$name: libFuzzer build exit 0"; fi
	expect_err "$SIG" "$name: libFuzzer build report is bench.sh's cf291"
	expect_err 'CF_BENCH_TRIGGERED cf291' "$name: libFuzzer build triggered canary"
	# Which report: ASan's, from the redzone, for index 20; the canary's
	# own abort further out.
	case $name in
	cf291)
		expect_err 'heap-buffer-overflow' "cf291: ASan heap-buffer-overflow"
		expect_no_err 'chanfuzz-bench: triggered' "cf291: ASan's report, not the canary's"
		;;
	cf291-far)
		expect_err 'chanfuzz-bench: triggered cf291 \(detail 200\)' "cf291-far: the canary's abort"
		;;
	esac

	run $V/afl/$T "$TMP/$name.cf"
	if [ "$RC" != 0 ]; then ok; else bad "$name: AFL++ guard build exit 0"; fi
	expect_err "$SIG" "$name: AFL++ guard build report is bench.sh's cf291"
	expect_err "chanfuzz-guard: out-of-bounds input read: .*field=$field supplied=20" \
		"$name: the guard's line names field $field"
done

# Every defect's proofs of concept can be made, as bench.sh's make_poc makes
# them: a .cft compiles, a .poc is there, any other comes from bench_tool.
while IFS=$'\t' read -r name _ _ pocs _; do
	case $name in '' | '#'*) continue ;; esac
	for p in ${pocs//,/ }; do
		if [ -f "bench/bugs/$p.cft" ]; then
			run build/cftool asm "bench/bugs/$p.cft" -o "$TMP/p.cf"
		elif [ -f "bench/bugs/$p.poc" ]; then
			run test -s "bench/bugs/$p.poc"
		else
			run build/bench/bench_tool poc "$p" "$TMP/p.cf"
		fi
		expect_rc 0 "$name: proof of concept $p can be made"
	done
done <bench/bugs/zoo.tsv

# The seeds never trigger it: the canary adds no false positives.
mkdir -p "$TMP/seeds"
cp corpus/$T/*.cf "$TMP/seeds/"
run $V/fuzz/$T -runs=0 -artifact_prefix="$TMP/" "$TMP/seeds"
expect_rc 0 "cf291 build runs its seeds clean"
expect_no_err 'CF_BENCH_TRIGGERED' "seeds do not trigger the canary"

finish bench_zoo
