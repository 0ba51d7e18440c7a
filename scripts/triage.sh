#!/usr/bin/env bash
# triage.sh - replay, deduplicate, minimise and file crashing inputs under
# crashes/<signature-id>/ (docs/CRASHES.md).
#
#   scripts/triage.sh [--target T] [--out DIR] [--no-minimize]
#       [--minimize-time SEC] [--replay-timeout SEC]
#       [--oom-is-finding yes|no] [--timeout-is-finding yes|no] INPUT...
#
# INPUT: a crash file; a libFuzzer artifact folder (crash-*, leak-*,
# timeout-*, oom-* files); an AFL++ output folder (instance folders holding
# crashes/ and hangs/) or one instance folder. The target is --target, else
# the AFL++ instance's fuzzer_stats command_line, else a .target file (the
# input's own INPUT.target, or .target in its folder or the two above it),
# else the file name prefix (fuzz_interp_711-crash-...). All inputs are
# resolved before anything is run: an unknown target stops the run.
#
# Per input:
#   1. replay it 3 times on the ASan replay build build/replay/<t> (bounded
#      by --replay-timeout, default 10 s, and timeout(1)) and compute the
#      signature (scripts/signature.sh). The same signature at least twice
#      files it under crashes/<id>/; otherwise it is flaky and goes to
#      crashes/flaky-<id>/ ("flaky": true) - never dropped. An input the
#      ASan build does not fault on at all is also tried 3 times on the
#      guard build (build/replay-guard/<t>): a read far past the input array
#      can land in another live heap block where ASan cannot see it.
#   2. replay it once on the ASan builds of both sensor builds
#      (build/replay/fuzz_interp_711 and _716) for channel targets: the
#      "sensor_builds" that fault.
#   3. minimise it (unless --no-minimize, or a timeout or flaky input):
#      libFuzzer's -minimize_crash=1 on build/fuzz/<t>_smart (the
#      structure-aware mutator keeps lengths, counts and the CRC right; plain
#      build/fuzz/<t> when the _smart build is missing) in rounds bounded by
#      --minimize-time (default 30 s in all); for AFL++ crashes first
#      afl-tmin on build/afl-asan/<t> (or build/afl/<t> for a guard-only
#      fault), bounded by timeout(1). A candidate is kept only if the ASan
#      replay gives the same signature id - and, when the input has a guard
#      finding, the guard replay the same guard signature (so a minimised
#      CF-291 reproducer still reads field 21 of IPC, not some other index).
#   4. file it, under an flock on DIR/.lock: a new signature gets a folder
#      (written as DIR/.<id>.tmp.XXXXXX, then renamed) with input, minimized,
#      report.txt, meta.json; a known one updates last_seen and times_seen,
#      and keeps the smaller input (re-minimised only if the new input is
#      smaller). Every file is written to a temporary file in its folder
#      and renamed over the old one.
# Prints one line per input: new|dup|flaky SIGID TYPE TARGET SIZE->MINSIZE.
# Timeouts and out-of-memory inputs are filed as types "timeout" and
# "out-of-memory"; "counted_as_finding" follows --timeout-is-finding
# (default no) and --oom-is-finding (default yes), as OSS-Fuzz does; flaky
# inputs are not counted until they reproduce.
# Exit status: 0 when every input was filed, 1 when one could not be, 2 on
# bad arguments (unknown option or target, missing input).
set -euo pipefail
export LC_ALL=C
PROG=triage.sh
# shellcheck source=scripts/crash-lib.sh
. "$(dirname "$0")/crash-lib.sh"

RUNS=3
usage() {
	cat >&2 <<'EOF'
usage: triage.sh [--target T] [--out DIR] [--no-minimize] [--minimize-time SEC]
                 [--replay-timeout SEC] [--oom-is-finding yes|no]
                 [--timeout-is-finding yes|no] INPUT...
EOF
	exit 2
}

opt_target="" out=$ROOT/crashes minimize=1 mtime=30 rtime=10
oom_finding=yes timeout_finding=no
inputs=()
while [ $# -gt 0 ]; do
	case $1 in
	--target | --out | --minimize-time | --replay-timeout | --oom-is-finding | --timeout-is-finding)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		--target) opt_target=$2 ;;
		--out) out=$2 ;;
		--minimize-time) mtime=$2 ;;
		--replay-timeout) rtime=$2 ;;
		--oom-is-finding) oom_finding=$2 ;;
		--timeout-is-finding) timeout_finding=$2 ;;
		esac
		shift 2
		;;
	--no-minimize)
		minimize=0
		shift
		;;
	-h | --help) usage ;;
	--)
		shift
		inputs+=("$@")
		break
		;;
	-*) die "unknown option '$1' (try --help)" ;;
	*)
		inputs+=("$1")
		shift
		;;
	esac
done
[ ${#inputs[@]} -gt 0 ] || usage
[ -z "$opt_target" ] || check_target "$opt_target"
posint --minimize-time "$mtime"
posint --replay-timeout "$rtime"
yes_no --oom-is-finding "$oom_finding"
yes_no --timeout-is-finding "$timeout_finding"
for tool in jq flock sha1sum timeout; do
	command -v "$tool" >/dev/null || die "$tool is not installed (make deps)"
done

# --- collect the inputs --------------------------------------------------
# ITEMS: path<TAB>engine<TAB>target, one per crashing input.
ITEMS=()

# afl_target INSTANCE-DIR: the target named in fuzzer_stats' command_line.
afl_target() {
	local stats=$1/fuzzer_stats line bin
	[ -f "$stats" ] || return 0
	line=$(sed -n 's/^command_line *: //p' "$stats" | head -n 1)
	[[ $line == *" -- "* ]] || return 0
	bin=${line#* -- }
	bin=${bin%% *}
	basename -- "$bin"
}

# add_item PATH ENGINE AFL-TARGET
add_item() {
	local t=$opt_target
	[ -n "$t" ] || t=$3
	[ -n "$t" ] || t=$(dot_target "$1")
	[ -n "$t" ] || t=$(name_target "$1")
	if [ -z "$t" ]; then
		die "$1: unknown target: pass --target T, or record it (AFL++ fuzzer_stats, a .target file beside the input, or a file name starting with the target)"
	fi
	contains "$t" "${TARGETS[@]}" ||
	    die "$1: recorded target '$t' is not a fuzz target (one of: ${TARGETS[*]})"
	ITEMS+=("$1"$'\t'"$2"$'\t'"$t")
}

# add_afl_instance DIR
add_afl_instance() {
	local inst=$1 t f
	t=$(afl_target "$inst")
	for f in "$inst"/crashes/id:* "$inst"/hangs/id:*; do
		[ -f "$f" ] || continue
		add_item "$f" afl "$t"
	done
}

shopt -s nullglob
for arg in "${inputs[@]}"; do
	[ -e "$arg" ] || die "$arg: no such file or directory"
	path=$(realpath -- "$arg")
	if [ -f "$path" ]; then
		[ -r "$path" ] || die "$arg: not readable"
		case $path in
		*/crashes/id:* | */hangs/id:*)
			add_item "$path" afl "$(afl_target "$(dirname -- "$(dirname -- "$path")")")"
			;;
		*/crash-* | */leak-* | */timeout-* | */oom-*)
			add_item "$path" libfuzzer ""
			;;
		*) add_item "$path" file "" ;;
		esac
	elif [ -d "$path" ]; then
		n0=${#ITEMS[@]}
		if [ -d "$path/crashes" ] || [ -d "$path/hangs" ]; then
			add_afl_instance "$path"
		else
			found_afl=0
			for inst in "$path"/*/; do
				inst=${inst%/}
				if [ -d "$inst/crashes" ] || [ -d "$inst/hangs" ]; then
					found_afl=1
					add_afl_instance "$inst"
				fi
			done
			if [ $found_afl = 0 ]; then
				for f in "$path"/crash-* "$path"/leak-* "$path"/timeout-* "$path"/oom-*; do
					[ -f "$f" ] && add_item "$f" libfuzzer ""
				done
			fi
		fi
		[ ${#ITEMS[@]} -gt "$n0" ] || warn "$arg: no crashing inputs in it"
	else
		die "$arg: not a file or directory"
	fi
done
shopt -u nullglob
[ ${#ITEMS[@]} -gt 0 ] || exit 0

mkdir -p -- "$out" || die "$out: cannot create"
out=$(realpath -- "$out")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cf-triage.XXXXXX")
if [ "${CF_TRIAGE_KEEP:-0}" = 1 ]; then
	warn "keeping the work folder $WORK"
else
	trap 'rm -rf -- "$WORK"' EXIT
fi
sanitizer_env

# Build what every input needs once. The inputs' own targets must be
# there on the ASan build; the sensor builds (and the guard builds) are
# used where present.
need=()
for it in "${ITEMS[@]}"; do
	t=${it##*$'\t'}
	contains "$t" "${need[@]+"${need[@]}"}" || need+=("$t")
done
targets=("${need[@]}")
for s in "${SENSORS[@]}"; do
	st=$(sensor_target "$s")
	contains "$st" "${need[@]}" || need+=("$st")
done
build_replay "$REPLAY_DIR" "${need[@]}" || die "cannot build the ASan replay builds"
require_built "$REPLAY_DIR" "${targets[@]}" || die "cannot replay on $REPLAY_DIR"
build_replay "$GUARD_DIR" "${need[@]}" || warn "no guard replay builds"

# --- per input ------------------------------------------------------------
# A command that fails from here on stops the run with status 1 (an input
# could not be filed), not with the failing command's own status; the
# inputs already filed stay filed (each filing is atomic, under the lock).
set -E
trap 'warn "line $LINENO: a command failed (status $?) while filing ${SRC:-an input}; the inputs after it are not filed"; exit 1' ERR
size_of() { stat -c %s -- "$1"; }

# verify CAND: the candidate keeps the signature (and the guard signature).
verify() {
	replay_one "$VDIR" "$T" "$1" "$W/verify.txt" "$rtime"
	sig_of "$W/verify.txt" "$T"
	[ "$SIG_ID" = "$ID" ] || return 1
	if [ -n "$GUARD_ID" ]; then
		replay_one "$GUARD_DIR" "$T" "$1" "$W/verify-guard.txt" "$rtime"
		sig_of "$W/verify-guard.txt" "$T"
		[ "$SIG_ID" = "$GUARD_ID" ] || return 1
	fi
	return 0
}

# adopt CAND: keep CAND as the current minimum if smaller and verified.
adopt() {
	[ -s "$1" ] || return 1
	[ "$(size_of "$1")" -lt "$(size_of "$W/min")" ] || return 1
	if verify "$1"; then
		cp -- "$1" "$W/min"
		return 0
	fi
	echo "rejected a candidate: $(size_of "$1") bytes, signature ${SIG_ID:-none}" >>"$W/minimize.log"
	return 1
}

# minimize INPUT: leaves the smallest verified input in $W/min; sets MINIMIZER.
minimize() {
	local end bin left step stale=0 rel
	cp -- "$1" "$W/min"
	MINIMIZER=none
	end=$((SECONDS + mtime))
	if [ "$ENGINE" = afl ] || [ "$VARIANT" = guard ]; then
		rel=build/afl-asan/$T
		[ "$VARIANT" = guard ] && rel=build/afl/$T
		if command -v afl-tmin >/dev/null && build "$rel" && [ -x "$ROOT/$rel" ]; then
			rm -f -- "$W/cand.afl"
			AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_QUIET=1 \
			    ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:handle_abort=1 \
			    UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:symbolize=0 \
			    LSAN_OPTIONS=symbolize=0 \
			    timeout -k 2 "$mtime" afl-tmin -i "$1" -o "$W/cand.afl" \
			    -t $((rtime * 1000)) -m none -- "$ROOT/$rel" \
			    >>"$W/minimize.log" 2>&1 || true
			adopt "$W/cand.afl" && MINIMIZER=afl-tmin
		else
			warn "$1: afl-tmin or $rel unavailable"
		fi
	fi
	[ "$VARIANT" = asan ] || return 0
	# libFuzzer's crash minimiser is a loop of steps: each step runs the
	# target with -minimize_crash_internal_step=1 and writes a smaller input
	# that still crashes (what -minimize_crash=1 runs). Triage runs the loop
	# itself so that every step's candidate is checked against the signature
	# and the guard finding: a step that drifts to another crash is dropped
	# and retried from the last verified input, instead of ending the chain.
	bin=build/fuzz/${T}_smart
	if ! build "$bin" 2>/dev/null || [ ! -x "$ROOT/$bin" ]; then
		bin=build/fuzz/$T
		build "$bin" || return 0
	fi
	while [ $stale -lt 5 ]; do
		left=$((end - SECONDS))
		[ $left -ge 1 ] || break
		step=$((left < 2 ? left : 2))
		rm -f -- "$W/cand.lf"
		{ (cd "$W" && ASAN_OPTIONS="$ASAN_OPTIONS:dedup_token_length=3" \
		    timeout -k 1 $((step + 3)) "$ROOT/$bin" \
		    -minimize_crash_internal_step=1 -max_total_time="$step" \
		    -timeout="$rtime" -exact_artifact_path="$W/cand.lf" "$W/min" \
		    >>"$W/minimize.log" 2>&1); } 2>/dev/null || true
		if adopt "$W/cand.lf"; then
			stale=0
			case $MINIMIZER in
			none) MINIMIZER=libfuzzer ;;
			afl-tmin) MINIMIZER=afl-tmin+libfuzzer ;;
			esac
		else
			stale=$((stale + 1))
		fi
	done
	return 0
}

# atomic_cp SRC DST: copy through a temporary file beside DST.
atomic_cp() {
	local tmp
	tmp=$(mktemp "$(dirname -- "$2")/.$(basename -- "$2").tmp.XXXXXX")
	cp -- "$1" "$tmp"
	chmod 644 -- "$tmp"
	mv -f -- "$tmp" "$2"
}

# atomic_jq DST FILTER ARGS...: rewrite the JSON file DST through jq.
atomic_jq() {
	local dst=$1 tmp
	shift
	tmp=$(mktemp "$(dirname -- "$dst")/.$(basename -- "$dst").tmp.XXXXXX")
	if ! jq "$@" "$dst" >"$tmp"; then
		rm -f -- "$tmp"
		return 1
	fi
	chmod 644 -- "$tmp"
	mv -f -- "$tmp" "$dst"
}

json_list() { # words -> JSON array of strings
	if [ $# -eq 0 ]; then
		echo '[]'
	else
		printf '%s\n' "$@" | jq -R . | jq -s -c .
	fi
}

n=0
for it in "${ITEMS[@]}"; do
	n=$((n + 1))
	IFS=$'\t' read -r SRC ENGINE T <<<"$it"
	W=$WORK/$n
	mkdir -p "$W"
	SIZE=$(size_of "$SRC")
	INPUT_SHA1=$(sha1sum -- "$SRC" | cut -c1-40)

	# 1. three replays; majority signature
	VARIANT=asan VDIR=$REPLAY_DIR
	declare -A count=()
	first_report="" ID="" TYPE="" FRAMES="" REPRO=0
	for variant in asan guard; do
		[ "$variant" = guard ] && [ ! -x "$GUARD_DIR/$T" ] && break
		dir=$REPLAY_DIR
		[ "$variant" = guard ] && dir=$GUARD_DIR
		count=()
		for r in $(seq 1 $RUNS); do
			replay_one "$dir" "$T" "$SRC" "$W/run-$variant-$r.txt" "$rtime"
			[ "$RC" = 0 ] && continue
			sig_of "$W/run-$variant-$r.txt" "$T"
			[ -n "$SIG_ID" ] || continue
			count[$SIG_ID]=$((${count[$SIG_ID]:-0} + 1))
			if [ "${count[$SIG_ID]}" = 1 ]; then
				echo "$W/run-$variant-$r.txt" >"$W/report-$SIG_ID"
				printf '%s\n%s\n' "$SIG_TYPE" "$SIG_FRAMES" >"$W/sig-$SIG_ID"
			fi
		done
		best="" bestn=0
		for k in "${!count[@]}"; do
			if [ "${count[$k]}" -gt "$bestn" ]; then
				best=$k bestn=${count[$k]}
			fi
		done
		VARIANT=$variant VDIR=$dir
		if [ -n "$best" ]; then
			ID=$best REPRO=$bestn
			first_report=$(cat "$W/report-$best")
			TYPE=$(sed -n 1p "$W/sig-$best")
			FRAMES=$(sed -n 2p "$W/sig-$best")
			break
		fi
	done
	FLAKY=false
	if [ -z "$ID" ] || [ "$REPRO" -lt 2 ]; then
		FLAKY=true
		if [ -z "$ID" ]; then
			# never faulted: keyed by the input itself
			ID=${INPUT_SHA1:0:12} TYPE="no fault reproduced" FRAMES="" REPRO=0
			VARIANT=asan VDIR=$REPLAY_DIR
			first_report=$W/run-asan-1.txt
		fi
		FID=flaky-$ID
	else
		FID=$ID
	fi

	# guard finding of the original (a minimisation constraint, and where
	# repro.sh marks the channel file)
	GUARD_ID="" GUARD_LINE=""
	if [ "$VARIANT" = asan ] && [ -x "$GUARD_DIR/$T" ] && [ "$FLAKY" = false ]; then
		replay_one "$GUARD_DIR" "$T" "$SRC" "$W/guard.txt" "$rtime"
		GUARD_LINE=$(grep -m1 -o 'chanfuzz-guard: .*' "$W/guard.txt" || true)
		if [ -n "$GUARD_LINE" ]; then
			sig_of "$W/guard.txt" "$T"
			GUARD_ID=$SIG_ID
		fi
	elif [ "$VARIANT" = guard ]; then
		GUARD_LINE=$(grep -m1 -o 'chanfuzz-guard: .*' "$first_report" || true)
	fi

	# 2. sensor builds that fault
	SENSOR_LIST=()
	if contains "$T" "${CHAN_TARGETS[@]}"; then
		for s in "${SENSORS[@]}"; do
			st=$(sensor_target "$s")
			sdir=$REPLAY_DIR
			[ "$VARIANT" = guard ] && sdir=$GUARD_DIR
			[ -x "$sdir/$st" ] || continue
			replay_one "$sdir" "$st" "$SRC" "$W/sensor-$s.txt" "$rtime"
			[ "$RC" = 0 ] || SENSOR_LIST+=("$s")
		done
	fi

	# counted as a finding?
	COUNTED=true
	case $TYPE in
	timeout) [ "$timeout_finding" = yes ] || COUNTED=false ;;
	out-of-memory) [ "$oom_finding" = yes ] || COUNTED=false ;;
	esac
	[ "$FLAKY" = false ] || COUNTED=false

	# 3. minimise, unless the folder already keeps an input at least as small
	dest=$out/$FID
	old_size=""
	if [ -f "$dest/meta.json" ]; then
		old_size=$(jq -r '.input_size' "$dest/meta.json" 2>/dev/null || echo "")
	fi
	cp -- "$SRC" "$W/min"
	MINIMIZER=none
	if [ $minimize = 1 ] && [ "$FLAKY" = false ] && [ "$TYPE" != timeout ] &&
	    { [ -z "$old_size" ] || [ "$SIZE" -lt "$old_size" ]; }; then
		minimize "$SRC"
	fi
	MINSIZE=$(size_of "$W/min")
	cp -- "$first_report" "$W/report.txt" 2>/dev/null || : >"$W/report.txt"

	# 4. file it
	NOW=$(now_iso)
	exec 9>>"$out/.lock"
	if ! flock -w 600 9; then
		warn "$out/.lock: cannot lock within 600 s; $SRC and the inputs after it are not filed"
		exit 1
	fi
	# temporary entries left by an interrupted run (none can be live: every
	# writer holds the lock)
	rm -rf -- "$out"/.*.tmp.* 2>/dev/null || true
	verdict=new
	if [ ! -d "$dest" ]; then
		stage=$(mktemp -d "$out/.$FID.tmp.XXXXXX")
		cp -- "$SRC" "$stage/input"
		cp -- "$W/min" "$stage/minimized"
		cp -- "$W/report.txt" "$stage/report.txt"
		# shellcheck disable=SC2086,SC2016 # frames are words; jq code
		jq -n \
		    --arg sig "$ID" --arg target "$T" --arg type "$TYPE" \
		    --argjson frames "$(json_list $FRAMES)" \
 \
		    --argjson sensors "$(json_list "${SENSOR_LIST[@]+"${SENSOR_LIST[@]}"}")" \
		    --arg now "$NOW" --argjson size "$SIZE" --argjson minsize "$MINSIZE" \
		    --arg source "$SRC" --arg engine "$ENGINE" --arg sha1 "$INPUT_SHA1" \
		    --argjson flaky "$FLAKY" --argjson counted "$COUNTED" \
		    --arg variant "$VARIANT" --arg minimizer "$MINIMIZER" \
		    --argjson repro "${REPRO:-0}" --argjson runs "$RUNS" \
		    --arg guard "$GUARD_LINE" \
		    '{signature: $sig, target: $target, targets: [$target],
		      crash_type: $type, frames: $frames, sensor_builds: $sensors,
		      first_seen: $now, last_seen: $now, times_seen: 1,
		      input_size: $size, input_sizes: [$size], input_sha1: $sha1,
		      minimized_size: $minsize, minimizer: $minimizer,
		      source: $source, sources: [$source], engine: $engine,
		      replay: {variant: $variant, runs: $runs, same_signature: $repro},
		      guard_finding: (if $guard == "" then null else $guard end),
		      flaky: $flaky, counted_as_finding: $counted}' \
		    >"$stage/meta.json"
		chmod 644 "$stage"/*
		chmod 755 "$stage"
		mv -T -- "$stage" "$dest"
		[ "$FLAKY" = true ] && verdict=flaky
	else
		verdict=dup
		[ "$FLAKY" = true ] && verdict=flaky
		old_size=$(jq -r '.input_size' "$dest/meta.json")
		old_min=$(jq -r '.minimized_size' "$dest/meta.json")
		smaller=false
		if [ "$SIZE" -lt "$old_size" ]; then
			smaller=true
			atomic_cp "$SRC" "$dest/input"
			atomic_cp "$W/report.txt" "$dest/report.txt"
		fi
		if [ "$MINSIZE" -lt "$old_min" ]; then
			atomic_cp "$W/min" "$dest/minimized"
		else
			MINSIZE=$old_min
		fi
		# shellcheck disable=SC2016 # jq code
		atomic_jq "$dest/meta.json" \
		    --arg now "$NOW" --argjson size "$SIZE" --argjson minsize "$MINSIZE" \
		    --arg source "$SRC" --arg target "$T" --argjson smaller "$smaller" \
		    --arg sha1 "$INPUT_SHA1" --arg minimizer "$MINIMIZER" \
		    --argjson counted "$COUNTED" \
		    '.last_seen = $now | .times_seen += 1 | .counted_as_finding = $counted
		     | .input_sizes += [$size]
		     | .sources = ((.sources + [$source]) | unique)
		     | .targets = ((.targets + [$target]) | unique)
		     | if $smaller then .input_size = $size | .input_sha1 = $sha1
		         | .source = $source else . end
		     | if $minsize < .minimized_size then .minimized_size = $minsize
		         | .minimizer = $minimizer else . end'
	fi
	flock -u 9
	exec 9>&-
	printf '%s %s %s %s %s->%s\n' "$verdict" "$ID" "$TYPE" "$T" "$SIZE" "$MINSIZE"
done
