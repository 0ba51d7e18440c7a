#!/usr/bin/env bash
# run.sh - the test runner behind `make test`.
#
# Runs every suite, each of which ends with "SUITE: N passed, N failed";
# prints each suite's count and seconds (make test should stay under 10
# minutes: the seconds show where they go), adds them up and ends with the
# closing line "N passed, N failed" on a line of its own (CI reads it).
# Exits non-zero if any suite fails or prints no count.
set -u
cd "$(dirname "$0")/.." || exit 1
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
total_pass=0 total_fail=0 broken=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

suite() { # name command...
	local name=$1
	shift
	local out="$log/$name.out" rc line p f secs=$SECONDS
	"$@" >"$out" 2>&1
	rc=$?
	secs=$((SECONDS - secs))
	line=$(grep -E '^[A-Za-z0-9_-]+: [0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	if [ -z "$line" ]; then
		echo "== $name: no count printed (exit $rc)"
		tail -n 30 "$out"
		broken=$((broken + 1))
		total_fail=$((total_fail + 1))
		return
	fi
	p=$(sed -E 's/.*: ([0-9]+) passed.*/\1/' <<<"$line")
	f=$(sed -E 's/.*passed, ([0-9]+) failed.*/\1/' <<<"$line")
	if [ "$f" != 0 ] || [ "$rc" != 0 ]; then
		echo "== $name: FAILED (exit $rc)"
		grep -E 'FAIL|ERROR|error' "$out" | head -n 40
		[ "$f" = 0 ] && f=1
	fi
	printf '%-22s %6s passed %4s failed %5ss\n' "$name" "$p" "$f" "$secs"
	total_pass=$((total_pass + p))
	total_fail=$((total_fail + f))
}

suite check scripts/check-source.sh
# One suite per tests/test_*.c: a binary that was not built is a failure
# (suite() finds no count), not a suite that silently disappears.
for src in tests/test_*.c; do
	name=$(basename "$src" .c)
	t=build/asan/tests/$name
	case $name in
	test_re_conformance) suite "$name" "$t" tests/data/regex-conformance ;;
	test_synth | test_mutator) suite "$name" "$t" build/corpus ;;
	test_arena) suite "$name" "$t" corpus/fuzz_interp_711 corpus/fuzz_interp_716 corpus/fuzz_differential ;;
	*) suite "$name" "$t" ;;
	esac
done
for s in tests/sh/*.sh; do
	suite "$(basename "$s" .sh)" bash "$s"
done

echo "tests took $((SECONDS / 60)) min $((SECONDS % 60)) s"
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" = 0 ] && [ "$broken" = 0 ]
