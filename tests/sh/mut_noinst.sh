# mut_noinst.sh - the structure-aware mutator inside the libFuzzer _smart
# builds carries no instrumentation (issue 18; the Makefile's
# build/fuzz/mut-KIND.o):
#   - each mutator object references no coverage, comparison-tracing,
#     ASan or UBSan hook and has no coverage counter or PC-table section;
#   - it exports only LLVMFuzzerCustomMutator and LLVMFuzzerCustomCrossOver
#     and leaves no model symbol undefined (an undefined one would resolve
#     to the instrumented model of the code under test);
#   - every _smart binary loads exactly as many inline 8-bit counters as
#     its plain twin: the mutator adds no coverage feature, and the code
#     under test is still instrumented (a non-zero count).
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || exit 1
bins=()
for t in "${TARGETS[@]}"; do
	[ "${T_MUT[$t]}" != none ] && bins+=("build/fuzz/$t" "build/fuzz/${t}_smart")
done
make -s build/fuzz/mut-channel.o build/fuzz/mut-regex.o build/fuzz/libcfmodel.a "${bins[@]}" >/dev/null ||
	{ echo "mut_noinst: make failed"; exit 1; }
nm build/fuzz/libcfmodel.a 2>/dev/null | awk '$2 ~ /^[TDBR]$/ { print $3 }' | sort -u >"$TMP/model"
[ -s "$TMP/model" ] && ok || bad "no symbols in build/fuzz/libcfmodel.a"
for k in channel regex; do
	o=build/fuzz/mut-$k.o
	run nm -u "$o"
	expect_rc 0 "nm -u $o"
	expect_no_out() { if grep -Eq -- "$1" "$OUT"; then bad "$2: has /$1/"; else ok; fi; }
	expect_no_out '__sanitizer_cov|__sancov|__asan|__ubsan' "$o references no instrumentation hook"
	awk '{ print $2 }' "$OUT" | sort -u >"$TMP/undef"
	both=$(comm -12 "$TMP/undef" "$TMP/model" | tr '\n' ' ')
	[ -z "$both" ] && ok || bad "$o leaves model symbols to the instrumented model: $both"
	run nm -g --defined-only "$o"
	got=$(awk '{ print $3 }' "$OUT" | sort | tr '\n' ' ')
	[ "$got" = "LLVMFuzzerCustomCrossOver LLVMFuzzerCustomMutator " ] && ok ||
		bad "$o exports $got"
	run objdump -h "$o"
	expect_rc 0 "objdump -h $o"
	expect_no_out '__sancov|asan_globals' "$o has no coverage counter, PC table or ASan section"
done
counters() { # counters BINARY: its inline 8-bit counters, as libFuzzer loads them
	local e
	e=$(mktemp -d "$TMP/e.XXXX")
	"$1" -runs=0 "$e" 2>&1 | sed -n 's/.*Loaded 1 modules *(\([0-9]*\) inline 8-bit counters).*/\1/p' | head -n 1
}
for t in "${TARGETS[@]}"; do
	[ "${T_MUT[$t]}" != none ] || continue
	p=$(counters "build/fuzz/$t")
	s=$(counters "build/fuzz/${t}_smart")
	[ -n "$p" ] && [ "$p" -gt 0 ] && ok || bad "$t: no coverage counters loaded ($p)"
	[ "$s" = "$p" ] && ok || bad "${t}_smart loads $s counters, its plain twin $p: the mutator is instrumented"
done
finish mut_noinst
