#!/usr/bin/env bash
# repro.sh - reproduce one crash for a developer (docs/CRASHES.md).
#
#   scripts/repro.sh CRASH [--target T] [--gdb]
#
# CRASH is a crash file or a crashes/<id>/ folder (its minimised input and
# its recorded target). The target of a file is --target, else where it is
# recorded: AFL++'s fuzzer_stats, a .target file beside it, a folder named
# after the target (corpus/regression/<t>/<id>, corpus/<t>/, a campaign's
# lf/<t>/, afl/<t>/, seeds/<t>/), a crash folder's meta.json that names the
# file, else its name prefix (scripts/chanfuzz target-of). Prints:
#   1. the symbolised sanitizer report (build/replay/<t>, ASan+UBSan) and
#      its signature;
#   2. the channel file - the first total_length bytes of the input - as
#      `cftool dump` decodes it, with the offending instance and criterion
#      marked "<-- here" (from the guard build's structured line:
#      build/replay-guard/<t>, or the sensor builds' guard replays for the
#      other channel targets);
#   3. the finding in one line: type, template type, instance, criterion,
#      field index, inputs supplied, sensor build;
#   4. a matrix of which sensor builds (7.11, 7.16) and which variants
#      (asan = build/replay, guard = build/replay-guard, plain =
#      build/replay-plain: no checks, what a release build does) fault.
# --gdb then runs the same input on the ASan build under gdb, stopped at the
# fault (ASAN_OPTIONS=abort_on_error=1); without a terminal, or under CI, it
# prints the gdb command instead. Builds what it needs with make.
# Exit status: 0 when some build faults on the input, 1 when none does,
# 2 on bad arguments.
set -euo pipefail
export LC_ALL=C
PROG=repro.sh
# shellcheck source=scripts/crash-lib.sh
. "$(dirname "$0")/crash-lib.sh"

usage() {
	echo "usage: repro.sh CRASH [--target T] [--gdb]" >&2
	exit 2
}
crash="" target="" gdb=0 rtime=10
while [ $# -gt 0 ]; do
	case $1 in
	--target)
		[ $# -ge 2 ] || die "--target needs a value"
		target=$2
		shift 2
		;;
	--gdb)
		gdb=1
		shift
		;;
	-h | --help) usage ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*)
		[ -z "$crash" ] || die "one CRASH at a time ('$crash', '$1')"
		crash=$1
		shift
		;;
	esac
done
[ -n "$crash" ] || usage
[ -e "$crash" ] || die "$crash: no such file or directory"
crash=$(realpath -- "$crash")
if [ -d "$crash" ]; then
	[ -f "$crash/meta.json" ] || die "$crash: not a crashes/<id>/ folder (no meta.json)"
	input=$crash/minimized
	[ -s "$input" ] || input=$crash/input
	[ -f "$input" ] || die "$crash: no input"
	[ -n "$target" ] || target=$(jq -r '.target // empty' "$crash/meta.json")
else
	input=$crash
	[ -r "$input" ] || die "$input: not readable"
	# where the target is recorded: AFL++'s fuzzer_stats, a .target file,
	# a folder named after it (corpus/regression/<t>/<id>, a campaign's
	# lf/<t>/...), a crash folder's meta.json naming the file, its name
	[ -n "$target" ] || target=$("$ROOT/scripts/chanfuzz" target-of "$input" 2>/dev/null || true)
fi
[ -n "$target" ] || die "$input: unknown target: pass --target T"
check_target "$target"

is_chan=0
contains "$target" "${CHAN_TARGETS[@]}" && is_chan=1
# Matrix rows: the sensor builds for channel content; the target itself
# when it is not one of them.
rows=()
if [ $is_chan = 1 ]; then
	for s in "${SENSORS[@]}"; do
		rows+=("$(sensor_target "$s")")
	done
fi
contains "$target" "${rows[@]+"${rows[@]}"}" || rows=("$target" "${rows[@]+"${rows[@]}"}")
files=(build/cftool)
for t in "${rows[@]}"; do
	files+=("build/replay/$t" "build/replay-guard/$t" "build/replay-plain/$t")
done
[ -n "${CF_REPLAY_DIR:-}${CF_GUARD_DIR:-}${CF_PLAIN_DIR:-}" ] || build "${files[@]}" || die "cannot build the replay builds (make ${files[*]})"
sanitizer_env
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cf-repro.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
size=$(stat -c %s -- "$input")
say() { printf '\n== %s\n' "$*"; }

echo "repro: $(basename -- "$input") ($size bytes), target $target"
echo "input: $input"

# 1. the sanitizer report
say "sanitizer report: build/replay/$target (ASan+UBSan)"
replay_one "$REPLAY_DIR" "$target" "$input" "$WORK/asan.txt" "$rtime"
[ "$MISSING" = 0 ] || die "$REPLAY_DIR/$target is not built (make replay)"
if [ "$RC" = 0 ]; then
	echo "(no fault: exit 0)"
else
	# the shadow-byte map says nothing a developer needs here
	sed '/^Shadow bytes around the buggy address:/,/^  Right alloca redzone:/d' "$WORK/asan.txt"
fi
sig_of "$WORK/asan.txt" "$target"
TYPE=$SIG_TYPE
if [ -n "$SIG_ID" ]; then
	printf 'signature: %s [%s] frames: %s\n' "$SIG_TYPE" "$SIG_ID" "$SIG_FRAMES"
fi

# The guard line: the target's guard build, else the sensor builds'.
guard=""
for t in "$target" "${rows[@]}"; do
	[ -x "$GUARD_DIR/$t" ] || continue
	replay_one "$GUARD_DIR" "$t" "$input" "$WORK/guard.txt" "$rtime"
	guard=$(grep -m1 -o 'chanfuzz-guard: .*' "$WORK/guard.txt" || true)
	[ -z "$guard" ] || break
done
# the input's identity: the first fault it meets on the identity build
if [ -x "$GUARD_DIR/$target" ]; then
	replay_one "$GUARD_DIR" "$target" "$input" "$WORK/identity.txt" "$rtime"
	"$SIGNATURE" --target "$target" <"$WORK/identity.txt" >"$WORK/identity.sig" 2>/dev/null || true
	id_type=$(sed -n 's/^type\t//p' "$WORK/identity.sig")
	id_id=$(sed -n 's/^id\t//p' "$WORK/identity.sig")
	id_rc=$(sed -n 's/^root_cause\t//p' "$WORK/identity.sig")
	if [ -n "$id_id" ]; then
		printf 'identity: %s [%s]%s\n' "$id_type" "$id_id" "${id_rc:+ root cause $id_rc}"
	fi
fi
gfield() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$guard"; }
g_build=$(gfield build) g_tmpl=$(gfield template) g_inst=$(gfield instance)
g_crit=$(gfield criterion) g_field=$(gfield field) g_supplied=$(gfield supplied)

# 2. the channel file
if [ $is_chan = 1 ]; then
	clen=$(channel_len "$input")
	say "channel file: bytes 0..$clen of $size (cftool dump)"
	head -c "$clen" -- "$input" >"$WORK/channel.cf"
	if "$ROOT/build/cftool" dump "$WORK/channel.cf" >"$WORK/dump.txt" 2>"$WORK/dump.err"; then
		awk -v inst="$g_inst" -v crit="$g_crit" -v field="$g_field" \
		    -v supplied="$g_supplied" '
		$1 == "instance" { cur = ($2 == inst && !done); if (cur) done = 1; k = -1
			if (cur) { print $0 "    <-- here: instance " inst; next } }
		cur && $1 == "field" { k++
			if (k == crit) { print $0 "    <-- here: criterion " crit \
			    " reads input " field ", " supplied " supplied"; next } }
		{ print }' "$WORK/dump.txt"
		[ -n "$guard" ] || echo "(no guard finding: nothing to mark)"
	else
		cat "$WORK/dump.err"
	fi
	if [ "$clen" -lt "$size" ]; then
		echo "trailing event bytes: $((size - clen))"
	fi
else
	say "input (not a channel file: $target), first 256 bytes"
	od -A d -c -N 256 -- "$input"
fi

# 3. the finding in one line
say "finding"
if [ -n "$guard" ]; then
	# the field's name from the template table (cftool types --json)
	fname=''
	if [[ $g_field =~ ^(0|[1-9][0-9]{0,8})$ ]]; then
		fname=$("$ROOT/build/cftool" types --json | jq -r --arg t "$g_tmpl" --argjson f "$g_field" \
		    'first(.templates[] | select(.name == $t) | .fields[] | select(.index == $f) | .name) // empty')
	fi
	fdesc="field $g_field"
	if [ -n "$fname" ]; then
		fdesc="$fdesc ($fname, field $((g_field + 1)) of the template)"
	else
		fdesc="$fdesc (beyond the template's fields)"
	fi
	echo "finding: ${TYPE:-guard fault} | template $g_tmpl | instance $g_inst | criterion $g_crit | $fdesc | inputs supplied $g_supplied | sensor build $g_build"
elif [ -n "$TYPE" ]; then
	echo "finding: $TYPE | frames: $SIG_FRAMES (no guard finding: not an input-array read)"
else
	echo "finding: none on build/replay/$target"
fi

# 4. the matrix
say "fault matrix (fault = the build faults on this input)"
any=0
printf '%-24s %-7s %-7s %s\n' build asan guard plain
for t in "${rows[@]}"; do
	label=$t
	case $t in fuzz_interp_7*) label="sensor 7.${t#fuzz_interp_7}" ;; esac
	[ "$t" = "$target" ] && label="$label (target)"
	cells=()
	for v in "$REPLAY_DIR" "$GUARD_DIR" "$PLAIN_DIR"; do
		replay_one "$v" "$t" "$input" "$WORK/m.txt" "$rtime"
		if [ "$MISSING" = 1 ]; then
			cells+=(missing)
		elif [ "$RC" = 0 ]; then
			cells+=(clean)
		else
			cells+=(FAULT)
			any=1
		fi
	done
	printf '%-24s %-7s %-7s %s\n' "$label" "${cells[@]}"
done

if [ $gdb = 1 ]; then
	say "gdb"
	cmd=(env "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:symbolize=1"
	    gdb -q -ex run -ex bt --args "$REPLAY_DIR/$target" -t 0 "$input")
	if [ -t 0 ] && [ -t 1 ] && [ -z "${CI:-}" ]; then
		"${cmd[@]}"
	else
		echo "no terminal (or CI): run it yourself:"
		printf ' '
		printf ' %q' "${cmd[@]}"
		echo
	fi
fi
[ $any = 1 ]
