# opcov.sh - bench/opcov, the count of what each mutator operation finds
# (docs/HARNESS.md, "What each operation finds"), on a small run: one row
# per operation of the table in harness/mut_ops.c plus the frame edit and
# the mutator as shipped; the same table twice from the same seed (nothing
# depends on time); a different seed gives other counts; no row finds more
# inputs than it made; bad usage and missing seeds are said and exit
# non-zero. Builds build/bench/opcov through make.
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
if ! make --no-print-directory -s -j"$(nproc)" build/bench/opcov >"$TMP/build.log" 2>&1; then
	tail -n 20 "$TMP/build.log"
	echo "opcov: make failed"
	exit 1
fi
T=build/bench/opcov
small=(--reps 2 --runs 400 --target fuzz_parse --target fuzz_interp_716)

run $T "${small[@]}" corpus
expect_rc 0 "a small run"
cp "$OUT" "$TMP/first"
# The operation names, as the table in harness/mut_ops.c spells them.
mapfile -t ops < <(sed -n '/^} mut_ops\[\] = {/,/^};/p' harness/mut_ops.c |
	sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [0-9]*, [a-z_]* },$/\1/p')
if [ "${#ops[@]}" -ge 19 ]; then ok; else bad "found ${#ops[@]} operations in harness/mut_ops.c"; fi
for op in "${ops[@]}" "frame (cf_mut_frame)" "as shipped (cf_mut_mutate)"; do
	n=$(grep -c "^| $op |" "$TMP/first")
	if [ "$n" = 2 ]; then ok; else bad "row '$op' appears $n times (want: the sums and the per-target table)"; fi
done
expect_out 'Targets: fuzz_parse, fuzz_interp_716\.' "the targets it ran"
expect_out '^\| operation \| fuzz_parse \| fuzz_interp_716 \|$' "per-target columns"
# In the sums: inputs >= new-feature inputs, uses >= finds, every row.
if awk -F' *\\| *' 'NR > 4 && /^\| / && NF == 11 && $4 ~ /^[0-9]+$/ {
		rows++
		if ($5 + 0 > $4 + 0 || $9 + 0 > $8 + 0) bad = 1
	} END { exit !(rows >= 21 && !bad) }' "$TMP/first"; then ok; else
	bad "a row of the sums finds more than it tried, or rows are missing"
fi
if grep -q '^| as shipped (cf_mut_mutate) | - | [1-9][0-9]* | [1-9]' "$TMP/first"; then ok; else
	bad "the mutator as shipped found nothing from the seeds"
fi

run $T "${small[@]}" corpus
expect_same "$TMP/first" "$OUT" "the same seed gives the same table"
run $T "${small[@]}" --seed 7 corpus
if cmp -s "$TMP/first" "$OUT"; then bad "--seed 7 gives the table of seed 1"; else ok; fi

run $T --target fuzz_nothing corpus
expect_rc 2 "an unknown target"
expect_err 'fuzz_nothing: not linked in' "names the target"
run $T --reps 0 corpus
expect_rc 2 "--reps 0"
run $T --bogus corpus
expect_rc 2 "an unknown option"
run $T "${small[@]}" "$TMP/nowhere"
expect_rc 1 "a corpus folder without the targets' seeds"
expect_err 'nowhere/fuzz_parse: no seeds' "names the folder"
finish opcov
