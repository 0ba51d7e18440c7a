# shellcheck shell=bash disable=SC2034
# crash-lib.sh - what the crash pipeline scripts share (triage.sh,
# promote.sh, regress.sh, repro.sh; docs/CRASHES.md). Sourced, not run.
#
# Callers set PROG (their name, for messages) before sourcing.
#
# Environment:
#   CF_REPLAY_DIR   the ASan replay builds (default build/replay); when set,
#                   the scripts do not run make for them (tests point it at
#                   stand-ins)
#   CF_NO_MAKE=1    never run make (use what is built)

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SIGNATURE=$ROOT/scripts/signature.sh
# The fuzz targets (harness/targets.tsv): TARGETS, CHAN_TARGETS (input
# starts with a channel file), SENSORS (the sensor builds that have an
# interpreter target) and sensor_target BUILD.
# shellcheck source=scripts/targets.sh
. "$ROOT/scripts/targets.sh" || exit 2

REPLAY_DIR=${CF_REPLAY_DIR:-$ROOT/build/replay}
GUARD_DIR=${CF_GUARD_DIR:-$ROOT/build/replay-guard}
PLAIN_DIR=${CF_PLAIN_DIR:-$ROOT/build/replay-plain}

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 2
}
warn() {
	printf '%s: %s\n' "$PROG" "$*" >&2
}

contains() {
	local x=$1 y
	shift
	for y in "$@"; do
		[ "$x" = "$y" ] && return 0
	done
	return 1
}

# check_target T: die unless T is a fuzz target.
check_target() {
	contains "$1" "${TARGETS[@]}" ||
	    die "unknown target '$1' (one of: ${TARGETS[*]})"
}

# yes_no NAME VALUE: die unless VALUE is yes or no.
yes_no() {
	case $2 in
	yes | no) ;;
	*) die "$1 wants yes or no, not '$2'" ;;
	esac
}

# posint NAME VALUE: die unless VALUE is a positive integer (< 10^6).
posint() {
	[[ $2 =~ ^[1-9][0-9]{0,5}$ ]] || die "$1 wants a positive integer, not '$2'"
}

# dot_target FILE: the target from FILE.target or a .target file in the
# folder of FILE or the two above it.
dot_target() {
	local d f
	for f in "$1.target" "$(dirname -- "$1")/.target"; do
		if [ -f "$f" ]; then
			head -n 1 -- "$f" | tr -d '[:space:]'
			return
		fi
	done
	d=$(dirname -- "$1")
	for _ in 1 2; do
		d=$(dirname -- "$d")
		if [ -f "$d/.target" ]; then
			head -n 1 -- "$d/.target" | tr -d '[:space:]'
			return
		fi
	done
}

# name_target FILE: a target named by the file name's prefix.
name_target() {
	local b t
	b=$(basename -- "$1")
	for t in "${TARGETS[@]}"; do
		case $b in
		"$t" | "$t"[-_.:]*)
			echo "$t"
			return
			;;
		esac
	done
}

now_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }

# build FILE...: make the given build outputs (quietly; output on stderr).
build() {
	[ "${CF_NO_MAKE:-0}" = 1 ] && return 0
	if ! make -s -C "$ROOT" "$@" >&2; then
		warn "make $* failed"
		return 1
	fi
}

# build_replay DIR T...: make DIR/T for each target unless DIR was
# overridden through the environment; 1 when make fails.
build_replay() {
	local dir=$1 rel t files=()
	shift
	case $dir in
	"$ROOT"/build/replay | "$ROOT"/build/replay-guard | "$ROOT"/build/replay-plain)
		rel=${dir#"$ROOT"/}
		for t in "$@"; do
			files+=("$rel/$t")
		done
		build "${files[@]}"
		;;
	esac
}

# require_built DIR T...: 1, naming it, unless every DIR/T is there (with
# CF_NO_MAKE or an overridden DIR nothing was built: a missing program must
# not turn into replays that "fault" with exit 127).
require_built() {
	local dir=$1 t
	shift
	for t in "$@"; do
		if [ ! -x "$dir/$t" ]; then
			warn "$dir/$t is not built"
			return 1
		fi
	done
}

# Sanitizer settings for every replay: symbolised reports (signatures need
# function names), an abort gets a stack, UBSan names its check. The
# caller's own options come first so that these win.
sanitizer_env() {
	local sym
	if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ]; then
		for sym in /usr/bin/llvm-symbolizer /usr/lib/llvm-14/bin/llvm-symbolizer; do
			if [ -x "$sym" ]; then
				export ASAN_SYMBOLIZER_PATH=$sym
				break
			fi
		done
	fi
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}symbolize=1:abort_on_error=0:handle_abort=1:detect_leaks=1:hard_rss_limit_mb=2560"
	export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}symbolize=1:print_stacktrace=1:report_error_type=1:halt_on_error=1"
	export LSAN_OPTIONS="${LSAN_OPTIONS:+$LSAN_OPTIONS:}symbolize=1"
}

# replay_one DIR T FILE REPORT TIMEOUT: run DIR/T on FILE once, stderr into
# REPORT; sets RC. A run that outlives the driver's own alarm is killed by
# timeout(1) and marked in the report as a timeout. MISSING=1 (RC 127) when
# DIR/T is not built: nothing ran, which is neither clean nor a fault.
replay_one() {
	local dir=$1 t=$2 file=$3 report=$4 secs=$5
	RC=0 MISSING=0
	if [ ! -x "$dir/$t" ]; then
		# not a fault of the input: callers check MISSING
		RC=127 MISSING=1
		echo "chanfuzz-triage: $dir/$t is not built" >"$report"
		return 0
	fi
	# (the group keeps bash from announcing a death by signal)
	{ timeout -k 5 $((secs + 10)) "$dir/$t" -t "$secs" "$file" \
	    >/dev/null 2>"$report" </dev/null; } 2>/dev/null || RC=$?
	case $RC in
	124 | 137)
		echo "chanfuzz-triage: timeout after $((secs + 10)) seconds (outer bound)" >>"$report"
		;;
	0) ;;
	*)
		# A fault with no report we recognise still counts as a fault.
		if ! "$SIGNATURE" <"$report" >/dev/null 2>&1; then
			echo "chanfuzz-triage: exit status $RC without a report" >>"$report"
		fi
		;;
	esac
}

# sig_of REPORT T: set SIG_TYPE, SIG_FRAMES, SIG_ID from a report
# (SIG_ID empty when the report holds no fault).
sig_of() {
	local out
	SIG_TYPE="" SIG_FRAMES="" SIG_ID=""
	out=$("$SIGNATURE" --target "$2" <"$1" 2>/dev/null) || return 0
	SIG_TYPE=$(sed -n 's/^type\t//p' <<<"$out")
	SIG_FRAMES=$(sed -n 's/^frames\t//p' <<<"$out")
	SIG_ID=$(sed -n 's/^id\t//p' <<<"$out")
}

# channel_len FILE: the length of the channel-file part of an input
# (docs/HARNESS.md): total_length at offset 20 when 40 <= it <= the size.
channel_len() {
	local size total
	size=$(stat -c %s -- "$1")
	if [ "$size" -lt 40 ]; then
		echo "$size"
		return
	fi
	# little-endian u32, whatever the host
	total=$(od -A n -t u1 -j 20 -N 4 -v -- "$1" |
	    awk '{ print $1 + 256 * ($2 + 256 * ($3 + 256 * $4)) }')
	if [ "$total" -ge 40 ] && [ "$total" -le "$size" ]; then
		echo "$total"
	else
		echo "$size"
	fi
}

# symbolize_reports REPORT...: symbolise, in place, reports written with
# symbolize=0 - one llvm-symbolizer process for all of them instead of one
# per faulting process (regress.sh replays many expected faults). Frames
# "#N 0xPC  (MODULE+0xOFF)" become "#N 0xPC in FUNCTION FILE:LINE:COL", one
# per inlined frame, as the in-process symboliser prints them.
symbolize_reports() {
	local sym=${ASAN_SYMBOLIZER_PATH:-llvm-symbolizer} d r
	[ $# -gt 0 ] || return 0
	command -v "$sym" >/dev/null || return 0
	d=$(mktemp -d "${TMPDIR:-/tmp}/cf-sym.XXXXXX")
	grep -ho '(/[^)+ ]*+0x[0-9a-f]*)' -- "$@" | sort -u |
	    sed 's/^(//; s/)$//' >"$d/keys" || true
	if [ -s "$d/keys" ]; then
		sed 's/+0x/ 0x/' "$d/keys" | "$sym" --inlining=true >"$d/out" 2>/dev/null || true
		awk -v keys="$d/keys" -v out="$d/out" '
		BEGIN {
			while ((getline k < keys) > 0) K[++nk] = k
			i = 1; n = 0
			while ((getline l < out) > 0) {
				if (l == "") { NF_[i] = n; i++; n = 0; continue }
				fn = l
				if ((getline loc < out) <= 0) break
				n++; FN[i, n] = fn; LOC[i, n] = loc
			}
			for (j = 1; j <= nk; j++) IDX[K[j]] = j
		}
		FNR == 1 { f = 0 }
		/^ *#[0-9]+ 0x[0-9a-f]+ / {
			if ($1 == "#0") f = 0
			ind = $0; sub(/#.*/, "", ind)
			key = $3; gsub(/[()]/, "", key)
			j = (key in IDX) ? IDX[key] : 0
			if (j && NF_[j] > 0 && FN[j, 1] != "??") {
				for (m = 1; m <= NF_[j]; m++)
					print ind "#" f++ " " $2 " in " FN[j, m] " " LOC[j, m] > (FILENAME ".sym")
				next
			}
			sub(/#[0-9]+/, "#" f++)
		}
		{ print > (FILENAME ".sym") }' "$@"
		for r in "$@"; do
			[ -f "$r.sym" ] && mv -f -- "$r.sym" "$r"
		done
	fi
	rm -rf -- "$d"
}
