#!/usr/bin/env bash
# regress.sh - the regression suite behind `make regress` (docs/CRASHES.md).
#
#   scripts/regress.sh [--regression DIR] [--seeds DIR] [--target T]...
#       [--timeout SEC] [--keep]
#
# Replays every seed (SEEDS/<target>/*, default corpus/) and every
# regression input (DIR/<target>/, default corpus/regression/, as listed in
# its index.tsv) against the ASan replay build build/replay/<target>: one
# process per target - each interpreter target is one sensor build - not
# one per file (harness/replay.c, manifest mode). Expectations:
#   seed, fixed   must not fault;
#   open          must still fault with the recorded signature (a strict
#                 expected failure: if it no longer faults, that is a
#                 failure saying "fixed? promote it as fixed");
#   detect        must fault (fuzz_interp_711 only): the detectors still see.
# A regression file missing from the index, an index line naming a missing
# file, and a malformed line are failures too.
#
# When a clean input faults, the sanitizer ends the replay process between
# that input's BEGIN and result lines; the input is recorded as failed (its
# report is what the process printed) and the driver restarts on the rest.
# Prints the failures, a table (target, inputs, passed, failed) and the
# closing line "regress: N passed, N failed"; exits 1 on any failure, 2 on
# bad arguments. Reports of failures are kept under build/regress/.
# --timeout is the per-input limit (default 10 s).
set -euo pipefail
export LC_ALL=C
PROG=regress.sh
# shellcheck source=scripts/crash-lib.sh
. "$(dirname "$0")/crash-lib.sh"

usage() {
	echo "usage: regress.sh [--regression DIR] [--seeds DIR] [--target T]... [--timeout SEC] [--keep]" >&2
	exit 2
}

reg=$ROOT/corpus/regression seeds=$ROOT/corpus tmo=10 keep=0
sel=()
while [ $# -gt 0 ]; do
	case $1 in
	--regression | --seeds | --target | --timeout)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		--regression) reg=$2 ;;
		--seeds) seeds=$2 ;;
		--target)
			check_target "$2"
			sel+=("$2")
			;;
		--timeout) tmo=$2 ;;
		esac
		shift 2
		;;
	--keep)
		keep=1
		shift
		;;
	-h | --help) usage ;;
	*) die "unknown argument '$1' (try --help)" ;;
	esac
done
posint --timeout "$tmo"
[ -d "$seeds" ] || die "$seeds: no such directory (run: make corpus)"
[ -e "$reg" ] && [ ! -d "$reg" ] && die "$reg: not a directory"
[ ${#sel[@]} -gt 0 ] || sel=("${TARGETS[@]}")

for t in "${sel[@]}"; do
	[ -x "$REPLAY_DIR/$t" ] || build_replay "$REPLAY_DIR" "${sel[@]}" ||
	    die "cannot build the replay builds"
done
for t in "${sel[@]}"; do
	[ -x "$REPLAY_DIR/$t" ] || die "$REPLAY_DIR/$t missing (run: make replay)"
done
# The identity builds name open entries whose fault is a content read.
for t in "${sel[@]}"; do
	[ -x "$GUARD_DIR/$t" ] || { build_replay "$GUARD_DIR" "${sel[@]}" || true; break; }
done
sanitizer_env
mkdir -p "$ROOT/build/regress"
WORK=$(mktemp -d "$ROOT/build/regress/run.XXXXXX")
cleanup() {
	if [ "$keep" = 0 ] && [ "${failed_total:-1}" = 0 ]; then
		rm -rf -- "$WORK"
	fi
}
trap cleanup EXIT

passed_total=0 failed_total=0
TABLE=()
FAILS=()

fail() { # target what why
	FAILS+=("FAIL $1 $2: $3")
}

# Folders in the regression corpus that are not targets.
if [ -d "$reg" ]; then
	for d in "$reg"/*; do
		[ -d "$d" ] || continue
		b=$(basename -- "$d")
		if ! contains "$b" "${TARGETS[@]}"; then
			fail regress "$d" "not a fuzz target's folder"
			failed_total=$((failed_total + 1))
		fi
	done
fi

rel() { # a path as printed: relative to the repository when inside it
	case $1 in
	"$ROOT"/*) echo "${1#"$ROOT"/}" ;;
	*) echo "$1" ;;
	esac
}
# manifest folders: seeds and regression paths relative to ROOT when inside
# it (the replay runs there); computed once, not per file
relseeds=$(rel "$seeds")
relreg=$(rel "$reg")

for t in "${sel[@]}"; do
	W=$WORK/$t
	mkdir -p "$W/reports"
	man=$W/manifest
	: >"$man"
	# kind[i], sig[i], type[i] for manifest entry i
	kind=() esig=() etype=()
	tpass=0 tfail=0
	shopt -s nullglob dotglob
	for f in "$seeds/$t"/*; do
		b=$(basename -- "$f")
		case $b in .*) continue ;; esac
		[ -f "$f" ] || continue
		printf 'clean\t%s\n' "$relseeds/$t/$b" >>"$man"
		kind+=(seed) esig+=("") etype+=("")
	done
	rdir=$reg/$t
	if [ -d "$rdir" ]; then
		index=$rdir/index.tsv
		declare -A listed=()
		if [ -f "$index" ]; then
			lineno=0
			# shellcheck disable=SC2094 # rel() only prints the name
			while IFS= read -r line || [ -n "$line" ]; do
				lineno=$((lineno + 1))
				case $line in '#'* | '') continue ;; esac
				IFS=$'\t' read -r file exp sig type _ <<<"$line"
				where="$(rel "$index"):$lineno"
				if [ -z "${file:-}" ] || [[ $file == */* ]] || [ -z "${sig:-}" ]; then
					fail "$t" "$where" "malformed index line"
					tfail=$((tfail + 1))
					continue
				fi
				listed[$file]=1
				f=$rdir/$file
				if [ ! -f "$f" ]; then
					fail "$t" "$(rel "$f")" "listed in the index but missing"
					tfail=$((tfail + 1))
					continue
				fi
				case $exp in
				fixed)
					printf 'clean\t%s\n' "$relreg/$t/$file" >>"$man"
					;;
				open)
					printf 'fault\t%s\n' "$relreg/$t/$file" >>"$man"
					;;
				detect)
					if [ "$t" != fuzz_interp_711 ]; then
						fail "$t" "$where" "detect entries belong to fuzz_interp_711"
						tfail=$((tfail + 1))
						continue
					fi
					printf 'fault\t%s\n' "$relreg/$t/$file" >>"$man"
					;;
				*)
					fail "$t" "$where" "expectation '$exp' is not fixed, open or detect"
					tfail=$((tfail + 1))
					continue
					;;
				esac
				kind+=("$exp") esig+=("$sig") etype+=("$type")
			done <"$index"
		fi
		for f in "$rdir"/*; do
			b=$(basename -- "$f")
			case $b in .* | index.tsv) continue ;; esac
			if [ -z "${listed[$b]:-}" ]; then
				fail "$t" "$(rel "$f")" "not in $(rel "$index"): no expectation recorded"
				tfail=$((tfail + 1))
			fi
		done
		unset listed
	fi
	shopt -u nullglob dotglob
	n=${#kind[@]}
	mapfile -t mpath < <(cut -f2 "$man")

	# One replay process for the whole manifest; restart after a breach.
	status=$W/status
	: >"$status"
	skip=0 runs=0
	while [ "$skip" -lt "$n" ]; do
		runs=$((runs + 1))
		err=$W/stderr.$runs
		rc=0
		# symbolize=0: reports are symbolised below, all in one go
		{ (cd "$ROOT" && ASAN_OPTIONS="$ASAN_OPTIONS:symbolize=0" \
		    UBSAN_OPTIONS="$UBSAN_OPTIONS:symbolize=0" \
		    LSAN_OPTIONS="$LSAN_OPTIONS:symbolize=0" \
		    timeout -k 5 $(((n - skip) * tmo + 60)) \
		    "$REPLAY_DIR/$t" -t "$tmo" -m "$man" -o "$status" \
		    -d "$W/reports" -s "$skip" >/dev/null 2>"$err" </dev/null); } \
		    2>/dev/null || rc=$?
		if [ "$(tail -n 1 "$status" | cut -f1)" = DONE ]; then
			break
		fi
		last=$(awk -F'\t' '$1 == "BEGIN" { b = $2 }
		    $1 == "PASS" || $1 == "FAIL" { r[$2] = 1 }
		    END { if (b != "" && !(b in r)) print b }' "$status")
		if [ -z "$last" ]; then
			# died before or between inputs: nothing can be replayed
			fail "$t" "$REPLAY_DIR/$t" "replay driver failed (exit $rc): $(head -c 300 "$err")"
			# only the inputs with no verdict yet: one that passed in
			# this run keeps its PASS
			awk -F'\t' -v from="$skip" -v n="$n" '
			    $1 == "PASS" || $1 == "FAIL" { r[$2] = 1 }
			    END { for (i = from; i < n; i++) if (!(i in r)) printf "FAIL\t%d\t-\tnot run\n", i }' \
			    "$status" >>"$status.notrun"
			cat "$status.notrun" >>"$status"
			rm -f "$status.notrun"
			break
		fi
		path=${mpath[$last]}
		mv -f -- "$err" "$W/reports/$last.txt"
		printf 'FAIL\t%d\t%s\tunexpected fault (exit %d)\t%s\n' "$last" "$path" \
		    "$rc" "$W/reports/$last.txt" >>"$status"
		skip=$((last + 1))
	done

	reports=()
	for r in "$W"/reports/*.txt; do
		[ -s "$r" ] && reports+=("$r")
	done
	symbolize_reports "${reports[@]+"${reports[@]}"}"
	declare -A rsig=() rtype=()
	if [ ${#reports[@]} -gt 0 ]; then
		while IFS=$'\t' read -r r id ty _; do
			rsig[$r]=$id rtype[$r]=$ty
		done < <("$SIGNATURE" --target "$t" "${reports[@]}")
	fi

	# Judge every entry.
	declare -A verdict=() reason=() report=()
	while IFS=$'\t' read -r v i _ why rep; do
		case $v in PASS | FAIL) ;; *) continue ;; esac
		verdict[$i]=$v reason[$i]=$why report[$i]=${rep:-}
	done <"$status"
	for ((i = 0; i < n; i++)); do
		path=${mpath[$i]}
		k=${kind[$i]}
		v=${verdict[$i]:-FAIL}
		why=${reason[$i]:-no result}
		rep=${report[$i]:-}
		[ -n "$rep" ] && [ ! -s "$rep" ] && rep=""
		SIG_ID="" SIG_TYPE=""
		if [ -n "$rep" ] && [ "${rsig[$rep]:--}" != - ]; then
			SIG_ID=${rsig[$rep]} SIG_TYPE=${rtype[$rep]}
		fi
		ok=0
		case $k in
		seed | fixed)
			if [ "$v" = PASS ]; then
				ok=1
			else
				why="$k input faults: ${SIG_TYPE:-$why}${SIG_ID:+ [$SIG_ID]}"
			fi
			;;
		open)
			if [ "$v" = PASS ] && [ "$SIG_ID" != "${esig[$i]}" ] && [ -x "$GUARD_DIR/$t" ]; then
				# A content fault is named by its root cause, which
				# the identity build (ASan + guard) reports: the ASan
				# build alone shows only the read's stack.
				replay_one "$GUARD_DIR" "$t" "$path" "$W/identity-$i.txt" "$tmo"
				sig_of "$W/identity-$i.txt" "$t"
			fi
			if [ "$v" != PASS ]; then
				why="open entry no longer faults ($why): fixed? promote it as fixed (scripts/promote.sh crashes/${esig[$i]} --expect fixed --target $t)"
			elif [ "$SIG_ID" = "${esig[$i]}" ]; then
				ok=1
			else
				why="open entry faults with another signature: ${SIG_TYPE:-?} [${SIG_ID:-none}], recorded ${etype[$i]} [${esig[$i]}]"
			fi
			;;
		detect)
			if [ "$v" != PASS ]; then
				why="detect canary no longer faults on $t ($why): the detectors are blind to it"
			elif [ -z "$SIG_ID" ]; then
				why="detect canary ended without a recognised fault report"
			else
				case $SIG_TYPE in
				timeout | out-of-memory | exit*)
					why="detect canary faults only as $SIG_TYPE, not as a detector finding"
					;;
				*) ok=1 ;;
				esac
			fi
			;;
		esac
		if [ $ok = 1 ]; then
			tpass=$((tpass + 1))
		else
			tfail=$((tfail + 1))
			fail "$t" "$path" "$why${rep:+ (report: $(rel "$rep"))}"
		fi
	done
	unset verdict reason report rsig rtype
	TABLE+=("$(printf '%-20s %7d %7d %7d' "$t" $((tpass + tfail)) "$tpass" "$tfail")")
	passed_total=$((passed_total + tpass))
	failed_total=$((failed_total + tfail))
done

for f in "${FAILS[@]+"${FAILS[@]}"}"; do
	echo "$f"
done
printf '%-20s %7s %7s %7s\n' target inputs passed failed
printf '%s\n' "${TABLE[@]}"
if [ "$failed_total" != 0 ]; then
	echo "reports: $(rel "$WORK")"
fi
echo "regress: $passed_total passed, $failed_total failed"
[ "$failed_total" = 0 ]
