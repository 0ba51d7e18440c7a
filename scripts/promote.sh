#!/usr/bin/env bash
# promote.sh - put a triaged crash into the regression corpus
# (docs/CRASHES.md, "Regression corpus").
#
#   scripts/promote.sh CRASH-DIR --expect fixed|open|detect [--target T]
#       [--regression DIR] [--replay-timeout SEC]
#
# CRASH-DIR is a crashes/<id>/ folder written by triage.sh. Its minimised
# input (else its input) is copied to DIR/<target>/<id> (DIR defaults to
# corpus/regression; the target to the crash's own) and the line for it in
# DIR/<target>/index.tsv is added or replaced:
#
#   file  expect  signature  type  source  date      (tab-separated)
#
# Before anything is written the expectation is checked, so that the index
# never records what is not true:
#   fixed   must not fault on the ASan replay build (build/replay/<t>): the
#           bug is fixed, or this build never had it;
#   open    must fault with the crash's identity (a known, open bug) on the
#           identity build (build/replay-guard/<t>: ASan + guard), which
#           names a content fault by its root cause;
#   detect  must fault on the ASan build of fuzz_interp_711 with a detector
#           finding: a canary proving that the detectors still see the
#           CF-291 defect class.
# The entry is named by the crash's identity (its folder's id).
# Flaky crashes can only be promoted as fixed. Writes go through a
# temporary file in the same folder and mv, under an flock on DIR/.lock.
# Exit status: 0 promoted, 1 the expectation does not hold, 2 bad arguments.
set -euo pipefail
export LC_ALL=C
PROG=promote.sh
# shellcheck source=scripts/crash-lib.sh
. "$(dirname "$0")/crash-lib.sh"

usage() {
	echo "usage: promote.sh CRASH-DIR --expect fixed|open|detect [--target T] [--regression DIR] [--replay-timeout SEC]" >&2
	exit 2
}

crash="" expect="" target="" reg=$ROOT/corpus/regression rtime=10
while [ $# -gt 0 ]; do
	case $1 in
	--expect | --target | --regression | --replay-timeout)
		[ $# -ge 2 ] || die "$1 needs a value"
		case $1 in
		--expect) expect=$2 ;;
		--target) target=$2 ;;
		--regression) reg=$2 ;;
		--replay-timeout) rtime=$2 ;;
		esac
		shift 2
		;;
	-h | --help) usage ;;
	-*) die "unknown option '$1' (try --help)" ;;
	*)
		[ -z "$crash" ] || die "one CRASH-DIR at a time ('$crash', '$1')"
		crash=$1
		shift
		;;
	esac
done
[ -n "$crash" ] || usage
[ -n "$expect" ] || die "--expect fixed|open|detect is required"
case $expect in
fixed | open | detect) ;;
*) die "--expect wants fixed, open or detect, not '$expect'" ;;
esac
posint --replay-timeout "$rtime"
[ -d "$crash" ] || die "$crash: not a crash folder"
crash=$(realpath -- "$crash")
meta=$crash/meta.json
[ -f "$meta" ] || die "$crash: no meta.json (not written by triage.sh?)"
jq -e . "$meta" >/dev/null 2>&1 || die "$meta: not valid JSON"
input=$crash/minimized
[ -s "$input" ] || input=$crash/input
[ -f "$input" ] || die "$crash: no input or minimized file"

sig=$(jq -r '.signature // empty' "$meta")
type=$(jq -r '.crash_type // empty' "$meta")
flaky=$(jq -r '.flaky // false' "$meta")
[[ $sig =~ ^[0-9a-f]{12}$ ]] || die "$meta: bad signature '$sig'"
[ -n "$target" ] || target=$(jq -r '.target // empty' "$meta")
[ -n "$target" ] || die "$meta: no target; pass --target T"
check_target "$target"
if [ "$expect" = detect ] && [ "$target" != fuzz_interp_711 ]; then
	die "detect entries are canaries for fuzz_interp_711 (sensor build 7.11), not $target"
fi
if [ "$flaky" = true ] && [ "$expect" != fixed ]; then
	die "$crash is flaky: it cannot be an $expect entry until it reproduces"
fi

# Check the expectation now.
sanitizer_env
{ build_replay "$REPLAY_DIR" "$target" && require_built "$REPLAY_DIR" "$target"; } ||
	die "cannot build $REPLAY_DIR/$target"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/cf-promote.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT
if [ "$expect" = open ]; then
	# an open entry keeps its identity: replayed on the identity build
	# (ASan + guard), which names a content fault by its root cause
	{ build_replay "$GUARD_DIR" "$target" && require_built "$GUARD_DIR" "$target"; } ||
		die "cannot build $GUARD_DIR/$target"
	replay_one "$GUARD_DIR" "$target" "$input" "$WORK/report.txt" "$rtime"
else
	replay_one "$REPLAY_DIR" "$target" "$input" "$WORK/report.txt" "$rtime"
fi
sig_of "$WORK/report.txt" "$target"
case $expect in
fixed)
	if [ "$RC" != 0 ]; then
		warn "$target still faults on $input: ${SIG_TYPE:-exit $RC} [${SIG_ID:-?}]; not fixed"
		exit 1
	fi
	;;
open)
	if [ "$RC" = 0 ] || [ -z "$SIG_ID" ]; then
		warn "$target does not fault on $input: fixed? promote it with --expect fixed"
		exit 1
	fi
	if [ "$SIG_ID" != "$sig" ]; then
		warn "$target faults on $input with another signature: $SIG_TYPE [$SIG_ID], not [$sig]"
		exit 1
	fi
	;;
detect)
	if [ "$RC" = 0 ] || [ -z "$SIG_ID" ]; then
		warn "fuzz_interp_711 does not fault on $input: not a canary"
		exit 1
	fi
	case $SIG_TYPE in
	timeout | out-of-memory | exit*)
		warn "fuzz_interp_711 faults on $input only as $SIG_TYPE, not as a detector finding: not a canary"
		exit 1
		;;
	esac
	;;
esac

# Copy and index, atomically, under the lock.
dir=$reg/$target
mkdir -p -- "$dir" || die "$dir: cannot create"
exec 9>>"$reg/.lock"
flock -w 120 9 || die "$reg/.lock: cannot lock"
name=$sig
src=${crash#"$ROOT"/}
tmp=$(mktemp "$dir/.$name.tmp.XXXXXX")
cp -- "$input" "$tmp"
chmod 644 -- "$tmp"
mv -f -- "$tmp" "$dir/$name"

index=$dir/index.tsv
tmp=$(mktemp "$dir/.index.tsv.tmp.XXXXXX")
old=""
{
	echo "# chanfuzz regression corpus of $target (docs/CRASHES.md): one line per input"
	printf '# file\texpect\tsignature\ttype\tsource\tdate\n'
	if [ -f "$index" ]; then
		while IFS= read -r line || [ -n "$line" ]; do
			case $line in
			'#'* | '') continue ;;
			esac
			if [ "${line%%$'\t'*}" = "$name" ]; then
				old=$(cut -f2 <<<"$line")
				continue
			fi
			printf '%s\n' "$line"
		done <"$index"
	fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$expect" "$sig" "$type" "$src" "$(now_iso)"
} >"$tmp"
chmod 644 -- "$tmp"
mv -f -- "$tmp" "$index"
flock -u 9
exec 9>&-

rel=${dir#"$ROOT"/}
if [ -z "$old" ]; then
	echo "promote: $rel/$name: $expect ($type) [new entry]"
else
	echo "promote: $rel/$name: $expect ($type) [was $old]"
fi
