# targets.sh - the one list of fuzz targets (harness/targets.tsv) is what
# every reader sees, and a malformed list is refused:
#   - the Makefile's TARGETS, scripts/targets.sh's and the Python
#     package's (scripts/lib/chanfuzz/targets.py) are the same list;
#   - each target has its source, .dict, .options and seeds; each sensor
#     build the list names is one of the build table's (cftool types
#     --json) and each build of the table has its target;
#   - scripts/targets.sh refuses a malformed list (CF_TARGETS_FILE), naming
#     the line, and reads a good one's columns.
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || { echo "targets: harness/targets.tsv does not load"; exit 1; }
make -s build/cftool corpus >/dev/null 2>&1 || { echo "targets: make build/cftool corpus failed"; exit 1; }

sh_list="${TARGETS[*]}"
# shellcheck disable=SC2016 # make's $(TARGETS), not the shell's
mk_list=$(make -s --no-print-directory --eval 'print-targets: ; @echo $(TARGETS)' print-targets)
py_list=$(PYTHONPATH=scripts/lib python3 -c 'from chanfuzz import targets; print(" ".join(targets.names()))')
if [ -n "$sh_list" ] && [ "$mk_list" = "$sh_list" ]; then ok; else bad "Makefile [$mk_list], targets.sh [$sh_list]"; fi
if [ "$py_list" = "$sh_list" ]; then ok; else bad "targets.py [$py_list], targets.sh [$sh_list]"; fi

for t in "${TARGETS[@]}"; do
	for f in "harness/${T_SRC[$t]}" "harness/$t.dict" "harness/$t.options"; do
		if [ -f "$f" ]; then ok; else bad "$t: $f missing"; fi
	done
	if [ -n "$(find "corpus/$t" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | head -n 1)" ]; then ok; else
		bad "$t: no seeds in corpus/$t"
	fi
done

# The build table is the C one: names are not re-derived here.
build/cftool types --json >"$TMP/types.json"
mapfile -t builds < <(jq -r '.builds[].name' "$TMP/types.json")
if [ ${#builds[@]} -gt 0 ]; then ok; else bad "cftool types --json lists no builds"; fi
for s in "${SENSORS[@]}"; do
	if printf '%s\n' "${builds[@]}" | grep -qxF -- "$s"; then ok; else
		bad "targets.tsv names sensor build $s, which cftool types does not know"
	fi
done
for b in "${builds[@]}"; do
	if [ -n "$(sensor_target "$b")" ]; then ok; else bad "sensor build $b has no target in harness/targets.tsv"; fi
done
if [ "$(sensor_target 7.11)" = fuzz_interp_711 ]; then ok; else bad "sensor_target 7.11 is '$(sensor_target 7.11)'"; fi
for t in "${CHAN_TARGETS[@]}"; do
	if [ "${T_INPUT[$t]}" = chan ]; then ok; else bad "$t in CHAN_TARGETS with input ${T_INPUT[$t]}"; fi
done

# A malformed list is refused with its line; a good one is read column by column.
T=$'\t'
load() { # FILE: source targets.sh on FILE in a fresh shell; prints what it read
	CF_TARGETS_FILE=$1 bash -c '. scripts/targets.sh || exit 1
		for t in "${TARGETS[@]}"; do
			printf "%s|%s|%s|%s|%s|%s\n" "$t" "${T_SRC[$t]}" "${T_INPUT[$t]}" "${T_SENSOR[$t]}" "${T_MUT[$t]}" "${T_DEFS[$t]}"
		done
		echo "chan: ${CHAN_TARGETS[*]}; sensors: ${SENSORS[*]}; 7.11: $(sensor_target 7.11)"'
}
bad_list() { # WHAT LINE-TEXT ERROR-REGEX
	printf '# a comment\nfuzz_a%sfuzz_a.c%schan%s-%schannel%s-\n%s\n' "$T" "$T" "$T" "$T" "$T" "$2" >"$TMP/bad.tsv"
	run load "$TMP/bad.tsv"
	expect_rc 1 "malformed list ($1) refused"
	expect_err "bad\\.tsv:3: .*$3" "malformed list ($1): names line 3"
}
bad_list "five columns" "fuzz_b${T}fuzz_b.c${T}chan${T}-${T}channel" "want NAME SOURCE"
bad_list "seven columns" "fuzz_b${T}fuzz_b.c${T}chan${T}-${T}channel${T}-${T}x" "want NAME SOURCE"
bad_list "name twice" "fuzz_a${T}fuzz_b.c${T}chan${T}-${T}channel${T}-" "given twice"
bad_list "bad name" "Fuzz-B${T}fuzz_b.c${T}chan${T}-${T}channel${T}-" "not \\[a-z\\]"
bad_list "bad source" "fuzz_b${T}../x.c${T}chan${T}-${T}channel${T}-" "not a plain name"
bad_list "bad mutator" "fuzz_b${T}fuzz_b.c${T}chan${T}-${T}bytes${T}-" "mutator bytes"
run load "$TMP/missing.tsv"
expect_rc 1 "a missing list is refused"
printf 'fuzz_a%sa.c%schan%s7.11%schannel%s-DX=1,-DY\nfuzz_b%sb.c%sregex%s-%sregex%s-\nfuzz_c%sc.c%stext%s-%snone%s-\n' \
	"$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" "$T" >"$TMP/good.tsv"
run load "$TMP/good.tsv"
expect_rc 0 "a good list loads"
expect_out '^fuzz_a\|a\.c\|chan\|7\.11\|channel\|-DX=1 -DY$' "columns of a sensor target with defines"
expect_out '^fuzz_b\|b\.c\|regex\|\|regex\|$' "columns of a target without sensor or defines"
expect_out '^fuzz_c\|c\.c\|text\|\|none\|$' "columns of a target of another input kind, no mutator"
expect_out '^chan: fuzz_a; sensors: 7\.11; 7\.11: fuzz_a$' "CHAN_TARGETS, SENSORS, sensor_target"
finish targets
