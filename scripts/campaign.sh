#!/usr/bin/env bash
# campaign.sh - the nightly fuzz campaign (docs/CAMPAIGN.md): libFuzzer and
# AFL++ side by side on every core, corpora shared between them, then the
# corpus merged and minimised, every crash triaged into crashes/, and a report.
#
#   scripts/campaign.sh [--budget DURATION] [--jobs N] [--targets LIST]
#                       [--engines LIST] [--out DIR] [--crashes DIR]
#                       [--sync-dir DIR --role main|secondary]
#                       [--minimize-time SEC] [--sync-interval SEC]
#                       [--full-triage] [--no-suppress]
#   scripts/campaign.sh --resume DIR [--budget DURATION] [--jobs N]
#                       [--crashes DIR] [--minimize-time SEC]
#
# Before fuzzing (scripts/lib/chanfuzz/preflight.py): every seed and every
# fixed regression input of each target is replayed; one that faults is
# triaged and filed like any crash, listed first in the report, and left
# out of the start corpus with a warning. The known root causes (detect and
# open regression entries already filed in the crash store) are written to
# OUT/known/<t>.txt; the fuzzers refuse and count their reads instead of
# crashing, so that a known finding does not stop the search for the next
# one (the report says "hit N times, suppressed"). --no-suppress: nothing
# is known, every fault crashes. At the end every crash folder is replayed
# on the current builds (fixed verification); the crash store itself is
# never rewritten.
#
# DURATION: 90s, 5m, 1h, 1h30m, or plain seconds (default 5m). --jobs: the
# cores to use (default nproc). --targets: comma list (default all six).
# --engines: comma list of afl and libfuzzer (default both; one alone gets
# every job, as for measuring one engine or comparing them).
# --out: default campaigns/<UTC time>/. --crashes: where triage files unique
# crashes (default crashes/). --minimize-time: triage's per-crash minimisation
# bound (default 30). --sync-interval: seconds between corpus exchanges and
# libFuzzer restarts (default 60).
#
# The split of jobs (docs/CAMPAIGN.md, "Core split", with the measured
# figures): C = min(targets, max(1, jobs/2)) targets run at a time, each with
# jobs/C jobs (the remainder to the first ones); a target with k jobs runs
# ceil(k/2) AFL++ instances and floor(k/2) libFuzzer processes (all k of the
# one engine under --engines afl or --engines libfuzzer). With more
# targets than C they are time-sliced: groups of C targets in turn, slices
# of at most 10 minutes, rotating until the budget is spent. The slice in
# force is a function of the fuzzing time elapsed, so a resumed campaign
# carries on where it was.
#
#   libFuzzer: one process per job, restarted every --sync-interval seconds
#     (alternating the _smart and plain builds when a target has one job),
#     all of a target's jobs sharing OUT/lf/<t>/corpus (-reload=1);
#     artifacts in OUT/lf/<t>/artifacts/. A job whose runs keep crashing at
#     once (3 runs ending in a crash within 30 s in one slice: a shallow
#     known bug such as CF-291 in fuzz_interp_711) hands its core to one
#     more AFL++ secondary, which keeps fuzzing past crashes (not under
#     --engines libfuzzer: there it goes on restarting).
#   AFL++: -o OUT/afl/<t> (or SYNC-DIR/<t>); instances main (-M, custom
#     mutator, dictionary), cmplog (-c build/cmplog/<t> -l 2AT), smart
#     (custom mutator only), asan (build/afl-asan/<t>), then power schedules
#     explore, fast, coe, rare, ... The custom mutator library is loaded by
#     every instance: its post_process repairs the CRC after AFL++'s own
#     mutations. afl-fuzz binds itself to a free core (AFL_TRY_AFFINITY=1:
#     bind when a core is free, run unbound otherwise).
#   Corpus sharing, every --sync-interval seconds: new AFL++ queue entries
#   (not those AFL++ itself synced in) are copied into the libFuzzer corpus,
#   which libFuzzer reloads; new libFuzzer corpus files go into a
#   pseudo-instance OUT/afl/<t>/libfuzzer/queue/id:NNNNNN,... from which
#   every AFL++ instance syncs (AFL_SYNC_TIME=1).
#
# Ends at the budget or on SIGINT/SIGTERM: stops the fuzzers (SIGTERM, 10 s,
# SIGKILL), triages every crash file with scripts/triage.sh, merges the
# corpus (libFuzzer -merge=1 -merge_control_file=OUT/merge.ctl into
# OUT/corpus/<t>; afl-cmin into OUT/corpus-afl/<t>), measures source
# coverage (build/coverage/<t>, llvm-cov) and writes report.md, report.json,
# report.sarif, report.html, coverage/index.html, coverage.png and execs.png.
#
# --resume DIR continues a campaign that was stopped or killed (even with
# SIGKILL): the options, the start time and the fuzzing time elapsed are in
# DIR/state.json (rewritten atomically every 5 s); leftover fuzzers of the
# killed run are stopped; AFL++ resumes its instances (AFL_AUTORESUME=1),
# libFuzzer its corpus; crash files stay where the fuzzers wrote them and
# are triaged at the end. A campaign killed while finishing resumes its
# finishing steps.
#
# Exit status: 0 when the campaign ended and its report is written (crashes
# found are not an error), 1 when a step failed, 2 on bad arguments, 130 /
# 143 when interrupted while finishing (resume it).
#
# (The whole script is one { } block: bash reads it completely before it
# runs, so an edit of this file does not disturb a campaign that runs.)
{
set -Eeuo pipefail
# (141: SIGPIPE, a reader that stopped reading, e.g. `--help | head`)
trap 'rc=$?; [ "$rc" = 141 ] || printf "%s: line %s: %s failed (exit %s)\n" "${0##*/}" "$LINENO" "$BASH_COMMAND" "$rc" >&2' ERR
export LC_ALL=C TZ=UTC
PROG=campaign.sh
# ROOT, TARGETS (all of them) and T_MUT (harness/targets.tsv), die, warn,
# contains, now_iso
# shellcheck source=scripts/crash-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/crash-lib.sh"
ALL_TARGETS=("${TARGETS[@]}")
MAX_SLICE=600        # longest time slice of a target group, seconds
LF_QUICK_SECS=30     # a libFuzzer run that crashes sooner is "quick"
LF_QUICK_MAX=3       # quick crashes in a slice before libFuzzer hands over
GRACE=10             # seconds between SIGTERM and SIGKILL
STATUS_EVERY=5       # seconds between status lines, samples (stats.tsv) and state.json
NICE=5               # the fuzzers run niced: the supervisor stays on time
AFL_WARM=0
AFL_ROLES=(main cmplog smart asan explore fast coe rare lin quad exploit mmopt)

fail() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}

usage() {
	awk 'NR == 1 { next } /^# \(The whole/ { exit } { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
}


# parse_duration VALUE: seconds on stdout; fails on a bad value.
parse_duration() {
	local v=$1 total=0 n u
	[[ $v =~ ^[0-9]{1,7}$ ]] && v=${v}s
	[[ $v =~ ^([0-9]{1,7}[smhd])+$ ]] || return 1
	while [[ $v =~ ^([0-9]+)([smhd])(.*)$ ]]; do
		n=$((10#${BASH_REMATCH[1]}))
		u=${BASH_REMATCH[2]}
		v=${BASH_REMATCH[3]}
		case $u in
		s) total=$((total + n)) ;;
		m) total=$((total + n * 60)) ;;
		h) total=$((total + n * 3600)) ;;
		d) total=$((total + n * 86400)) ;;
		esac
	done
	[ "$total" -gt 0 ] && [ "$total" -le $((30 * 86400)) ] || return 1
	echo "$total"
}

fmt_dur() { # seconds -> H:MM:SS
	local s=$1
	printf '%d:%02d:%02d' $((s / 3600)) $((s % 3600 / 60)) $((s % 60))
}


# atomic_run FILE CMD...: CMD's output to FILE through a temporary file,
# renamed over FILE only when CMD succeeds (a failed producer, a full disk,
# leaves FILE as it was and returns CMD's status).
atomic_run() {
	local f=$1 tmp rc=0
	shift
	tmp=$(mktemp "$(dirname -- "$f")/.$(basename -- "$f").tmp.XXXXXX")
	"$@" >"$tmp" || rc=$?
	if [ $rc != 0 ]; then
		rm -f -- "$tmp"
		return $rc
	fi
	chmod 644 "$tmp"
	mv -f -- "$tmp" "$f"
}
# jq_to FILE JQ-ARGS...: write jq's output to FILE atomically.
jq_to() {
	local f=$1
	shift
	atomic_run "$f" jq "$@"
}

# ---- options ---------------------------------------------------------------
o_budget="" o_jobs="" o_targets="" o_out="" o_resume="" o_sync="" o_role=""
o_crashes="" o_mtime="" o_syncint="" o_full=0 o_engines="" o_nosup=0
while [ $# -gt 0 ]; do
	arg=$1
	val=""
	case $arg in
	--*=*)
		val=${arg#*=}
		arg=${arg%%=*}
		set -- "$arg" "$val" "${@:2}"
		;;
	esac
	case $arg in
	--budget | --jobs | --targets | --out | --resume | --sync-dir | --role | \
		--crashes | --minimize-time | --sync-interval | --engines)
		[ $# -ge 2 ] || die "$arg needs a value (try --help)"
		[ -n "$2" ] || die "$arg: empty value"
		case $arg in
		--budget) o_budget=$2 ;;
		--jobs) o_jobs=$2 ;;
		--targets) o_targets=$2 ;;
		--out) o_out=$2 ;;
		--resume) o_resume=$2 ;;
		--sync-dir) o_sync=$2 ;;
		--role) o_role=$2 ;;
		--crashes) o_crashes=$2 ;;
		--minimize-time) o_mtime=$2 ;;
		--sync-interval) o_syncint=$2 ;;
		--engines) o_engines=$2 ;;
		esac
		shift 2
		;;
	--full-triage)
		o_full=1
		shift
		;;
	--no-suppress)
		o_nosup=1
		shift
		;;
	-h | --help)
		usage
		exit 0
		;;
	*) die "unknown option or argument '$arg' (try --help)" ;;
	esac
done

if [ -n "$o_budget" ]; then
	BUDGET=$(parse_duration "$o_budget") ||
		die "--budget '$o_budget': want a duration such as 90s, 5m, 1h or 1h30m (at most 30d)"
fi
if [ -n "$o_jobs" ]; then
	[[ $o_jobs =~ ^[1-9][0-9]{0,3}$ ]] || die "--jobs '$o_jobs': want a positive integer"
fi
if [ -n "$o_mtime" ]; then
	[[ $o_mtime =~ ^[1-9][0-9]{0,4}$ ]] || die "--minimize-time '$o_mtime': want a positive integer (seconds)"
fi
if [ -n "$o_syncint" ]; then
	if ! [[ $o_syncint =~ ^[1-9][0-9]{0,4}$ ]] || [ "$o_syncint" -lt 5 ]; then
		die "--sync-interval '$o_syncint': want an integer of seconds, at least 5"
	fi
fi
if [ -n "$o_role" ]; then
	case $o_role in
	main | secondary) ;;
	*) die "--role '$o_role': want main or secondary" ;;
	esac
fi
if [ -n "$o_resume" ]; then
	for pair in "--targets:$o_targets" "--out:$o_out" "--sync-dir:$o_sync" \
		"--role:$o_role" "--sync-interval:$o_syncint" "--engines:$o_engines"; do
		[ -z "${pair#*:}" ] || die "${pair%%:*} cannot change on --resume (the campaign keeps its own)"
	done
	[ -d "$o_resume" ] || die "--resume $o_resume: no such directory"
	[ -f "$o_resume/state.json" ] || die "--resume $o_resume: no state.json there (not a campaign folder)"
else
	if [ -n "$o_sync" ] && [ -z "$o_role" ]; then
		die "--sync-dir needs --role main|secondary"
	fi
	if [ -z "$o_sync" ] && [ -n "$o_role" ]; then
		die "--role needs --sync-dir DIR"
	fi
fi
TARGETS=()
if [ -n "$o_targets" ]; then
	IFS=, read -r -a tl <<<"$o_targets"
	[ ${#tl[@]} -gt 0 ] || die "--targets: empty list"
	for t in "${tl[@]}"; do
		[ -n "$t" ] || die "--targets '$o_targets': empty name in the list"
		contains "$t" "${ALL_TARGETS[@]}" ||
			die "--targets: unknown target '$t' (one of: ${ALL_TARGETS[*]})"
		if [ ${#TARGETS[@]} -gt 0 ] && contains "$t" "${TARGETS[@]}"; then
			die "--targets: '$t' given twice"
		fi
		TARGETS+=("$t")
	done
fi
# ENGINES: "afl,libfuzzer", "afl" or "libfuzzer" (always in that order)
parse_engines() { # LIST: the canonical form on stdout; fails on a bad list
	local e a=0 l=0 el
	IFS=, read -r -a el <<<"$1"
	[ ${#el[@]} -gt 0 ] || return 1
	for e in "${el[@]}"; do
		case $e in
		afl) [ $a = 0 ] || return 1; a=1 ;;
		libfuzzer) [ $l = 0 ] || return 1; l=1 ;;
		*) return 1 ;;
		esac
	done
	if [ $a = 1 ] && [ $l = 1 ]; then echo afl,libfuzzer
	elif [ $a = 1 ]; then echo afl
	else echo libfuzzer; fi
}
ENGINES=afl,libfuzzer
if [ -n "$o_engines" ]; then
	ENGINES=$(parse_engines "$o_engines") ||
		die "--engines '$o_engines': want a comma list of afl and libfuzzer, each at most once"
fi
for tool in jq flock setsid timeout sha1sum awk; do
	command -v "$tool" >/dev/null || fail "$tool is not installed (make deps)"
done

# ---- the campaign folder and its state --------------------------------------
abspath() { # the absolute form of a path that may not exist yet
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$PWD" "$1" ;;
	esac
}

if [ -n "$o_resume" ]; then
	OUT=$(cd "$o_resume" && pwd)
	STATE=$OUT/state.json
	jq -e '.version == 1' "$STATE" >/dev/null 2>&1 || die "$STATE: not a campaign state file (or damaged)"
	mapfile -t TARGETS < <(jq -r '.targets[]' "$STATE")
	[ -n "$o_budget" ] || BUDGET=$(jq -r '.budget_s' "$STATE")
	JOBS=${o_jobs:-$(jq -r '.jobs' "$STATE")}
	CRASHES=$(jq -r '.crashes' "$STATE")
	[ -z "$o_crashes" ] || CRASHES=$(abspath "$o_crashes")
	MTIME=${o_mtime:-$(jq -r '.minimize_time' "$STATE")}
	SYNC_INT=$(jq -r '.sync_interval' "$STATE")
	ENGINES=$(jq -r '(.engines // ["afl", "libfuzzer"]) | join(",")' "$STATE")
	ENGINES=$(parse_engines "$ENGINES") || die "$STATE: bad engines list"
	SYNC_DIR=$(jq -r '.sync_dir // ""' "$STATE")
	ROLE=$(jq -r '.role // ""' "$STATE")
	PREFIX=$(jq -r '.prefix // ""' "$STATE")
	CREATED=$(jq -r '.created' "$STATE")
	ELAPSED=$(jq -r '.elapsed_s' "$STATE")
	PHASE=$(jq -r '.phase' "$STATE")
	RUNS=$(jq -r '.runs' "$STATE")
	PREV=$(jq -r '.previous // ""' "$STATE")
	SUPPRESS=$(jq -r 'if .suppress == false then 0 else 1 end' "$STATE")
	[ "$o_nosup" = 0 ] || die "--no-suppress cannot change on --resume (the campaign keeps its own)"
	declare -A TSEC=()
	while IFS=$'\t' read -r t s; do
		TSEC[$t]=$s
	done < <(jq -r '.target_seconds | to_entries[] | "\(.key)\t\(.value)"' "$STATE")
	if [ "$PHASE" = "done" ]; then
		if [ "$BUDGET" -le "$ELAPSED" ]; then
			echo "$PROG: $OUT: this campaign has finished ($(fmt_dur "$ELAPSED") of fuzzing); its report: $OUT/report.md"
			echo "$PROG: give a larger --budget to fuzz on"
			exit 0
		fi
		PHASE=fuzzing
	fi
	[ "$PHASE" != finishing ] || [ "$BUDGET" -le "$ELAPSED" ] || PHASE=fuzzing
	RUNS=$((RUNS + 1))
else
	[ -n "$o_budget" ] || BUDGET=300
	JOBS=${o_jobs:-$(nproc)}
	[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")
	CRASHES=$(abspath "${o_crashes:-$ROOT/crashes}")
	MTIME=${o_mtime:-30}
	SYNC_INT=${o_syncint:-60}
	SYNC_DIR="" ROLE="" PREFIX=""
	if [ -n "$o_sync" ]; then
		mkdir -p -- "$o_sync" || die "--sync-dir $o_sync: cannot create it"
		SYNC_DIR=$(cd "$o_sync" && pwd)
		ROLE=$o_role
		host=$(hostname -s 2>/dev/null || hostname)
		host=$(printf '%s' "$host" | tr -c 'A-Za-z0-9_-' '_' | cut -c1-20)
		PREFIX=${host:-host}-$$
	fi
	if [ -n "$o_out" ]; then
		OUT=$(abspath "$o_out")
	else
		OUT=$ROOT/campaigns/$(date -u +%Y%m%dT%H%M%SZ)
	fi
	if [ -e "$OUT/state.json" ]; then
		die "--out $OUT already holds a campaign: continue it with --resume $OUT, or choose another --out"
	fi
	if [ -d "$OUT" ] && [ -n "$(ls -A -- "$OUT")" ]; then
		die "--out $OUT exists and is not empty"
	fi
	mkdir -p -- "$OUT" || die "--out $OUT: cannot create it"
	OUT=$(cd "$OUT" && pwd)
	CREATED=$(now_iso)
	ELAPSED=0 PHASE=fuzzing RUNS=1
	SUPPRESS=$((1 - o_nosup))
	declare -A TSEC=()
	# the previous campaign in the same parent folder: the latest finished one
	PREV=""
	best=""
	for r in "$(dirname -- "$OUT")"/*/report.json; do
		[ -f "$r" ] || continue
		[ "$(dirname -- "$r")" != "$OUT" ] || continue
		f=$(jq -r '.campaign.finished // ""' "$r" 2>/dev/null || true)
		[ -n "$f" ] || continue
		if [ -z "$best" ] || [[ $f > $best ]]; then
			best=$f
			PREV=$(dirname -- "$r")
		fi
	done
fi
[ "$JOBS" -ge 1 ] || die "--jobs must be at least 1"
NPROC=$(nproc)
FULL_TRIAGE=$o_full
STATE=$OUT/state.json
LOG=$OUT/campaign.log
STATS=$OUT/stats.tsv
cd "$ROOT"

# Only one runner per campaign folder. The lock's descriptor is closed in
# every process started from here, so a fuzzer left over by a killed run
# does not keep it.
exec 8>>"$OUT/.lock"
flock -w 15 8 || die "$OUT: another campaign.sh is running on this folder"

HOST=$(hostname 2>/dev/null || echo unknown)
# shellcheck disable=SC2016 # jq programs in single quotes
save_state() {
	local ts
	ts=$(for t in "${TARGETS[@]}"; do printf '%s\t%s\n' "$t" "${TSEC[$t]:-0}"; done)
	jq_to "$STATE" -n --arg created "$CREATED" --argjson budget "$BUDGET" \
		--argjson elapsed "$ELAPSED" --arg phase "$PHASE" --argjson jobs "$JOBS" \
		--arg targets "${TARGETS[*]}" --arg crashes "$CRASHES" \
		--argjson mtime "$MTIME" --argjson syncint "$SYNC_INT" \
		--arg sync "$SYNC_DIR" --arg role "$ROLE" --arg prefix "$PREFIX" \
		--argjson runs "$RUNS" --arg prev "$PREV" --arg ts "$ts" \
		--arg updated "$(now_iso)" --arg host "$HOST" --argjson pid $$ \
		--arg engines "$ENGINES" --argjson suppress "$SUPPRESS" \
		'{version: 1, created: $created, updated: $updated, host: $host,
		  suppress: ($suppress == 1),
		  pid: $pid, budget_s: $budget, elapsed_s: $elapsed, phase: $phase,
		  runs: $runs, jobs: $jobs, targets: ($targets | split(" ")),
		  engines: ($engines | split(",")),
		  crashes: $crashes, minimize_time: $mtime, sync_interval: $syncint,
		  sync_dir: (if $sync == "" then null else $sync end),
		  role: (if $role == "" then null else $role end),
		  prefix: (if $prefix == "" then null else $prefix end),
		  previous: (if $prev == "" then null else $prev end),
		  target_seconds: ([$ts | split("\n")[] | select(length > 0)
		      | split("\t") | {(.[0]): (.[1] | tonumber)}] | add // {})}'
}

TTY=0
[ -t 1 ] && TTY=1
BAR_SHOWN=0
# event MESSAGE: a timestamped line on stdout and in campaign.log.
event() {
	local line
	line="[$(date -u +%H:%M:%S)] $*"
	if [ $TTY = 1 ] && [ $BAR_SHOWN = 1 ]; then
		printf '\r\033[K'
		BAR_SHOWN=0
	fi
	printf '%s\n' "$line"
	printf '%s\n' "$line" >>"$LOG"
}

# ---- the schedule ----------------------------------------------------------
NT=${#TARGETS[@]}
compute_schedule() {
	local r
	CONC=$((JOBS / 2))
	[ "$CONC" -ge 1 ] || CONC=1
	[ "$CONC" -le "$NT" ] || CONC=$NT
	NGROUPS=$(((NT + CONC - 1) / CONC))
	if [ "$NGROUPS" = 1 ]; then
		SLICE=$BUDGET
	else
		r=$(((BUDGET + NGROUPS * MAX_SLICE - 1) / (NGROUPS * MAX_SLICE)))
		SLICE=$((BUDGET / (NGROUPS * r)))
		[ "$SLICE" -ge 1 ] || SLICE=1
	fi
}
group_targets() { # G: the targets of group G, one a line
	local g=$1 i
	for ((i = g * CONC; i < NT && i < (g + 1) * CONC; i++)); do
		echo "${TARGETS[$i]}"
	done
}
# split K: "AFL LF" instance counts for a target with K jobs
split_jobs() {
	local k=$1 a
	case $ENGINES in
	afl) a=$k ;;
	libfuzzer) a=0 ;;
	*) a=$(((k + 1) / 2)) ;;
	esac
	echo "$a $((k - a))"
}

# ---- per-target places -----------------------------------------------------
afl_out() { # T: the AFL++ -o folder of target T
	if [ -n "$SYNC_DIR" ]; then echo "$SYNC_DIR/$1"; else echo "$OUT/afl/$1"; fi
}
iname() { # ROLE: the AFL++ instance name of a role on this machine
	local r=$1
	if [ -n "$PREFIX" ]; then
		[ "$r" = main ] && [ "$ROLE" = secondary ] && r=lead
		echo "$PREFIX-$r"
	else
		echo "$r"
	fi
}
# local_instances T: this machine's AFL++ instance folders of T
local_instances() {
	local ao d n pseudo
	ao=$(afl_out "$1")
	pseudo=$(iname libfuzzer)
	for d in "$ao"/*/; do
		[ -d "$d" ] || continue
		d=${d%/}
		n=${d##*/}
		[ "$n" != "$pseudo" ] || continue
		if [ -n "$PREFIX" ]; then
			case $n in "$PREFIX"-*) ;; *) continue ;; esac
		fi
		echo "$d"
	done
}
opt_of() { # T KEY: a value from harness/T.options
	awk -v k="$2" '$1 == k && $2 == "=" { print $3; exit }' "$ROOT/harness/$1.options" 2>/dev/null || true
}

# ---- leftovers of a killed run ---------------------------------------------
PIDS=$OUT/pids.tsv
starttime() { # PID: its start time in clock ticks (empty if gone)
	[ -r "/proc/$1/stat" ] || return 0
	sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | awk '{ print $20 }' || true
}
kill_leftovers() {
	local pid st kind t role live=()
	[ -f "$PIDS" ] || return 0
	while IFS=$'\t' read -r pid st kind t role; do
		[ -n "$pid" ] || continue
		if [ "$(starttime "$pid")" = "$st" ]; then
			live+=("$pid")
			event "stopping a leftover $kind ($t $role, pid $pid) of the killed run"
		fi
	done <"$PIDS"
	stop_pids "${live[@]}"
	: >"$PIDS"
}

# ---- builds ------------------------------------------------------------------
build_all() {
	local cov=()
	for t in "${TARGETS[@]}"; do
		cov+=("build/coverage/$t")
	done
	event "building what is missing (make -s harness corpus, coverage builds)"
	make -s -C "$ROOT" harness corpus 8>&- >>"$OUT/build.log" 2>&1 ||
		fail "make harness corpus failed (see $OUT/build.log)"
	make -s -C "$ROOT" "${cov[@]}" 8>&- >>"$OUT/build.log" 2>&1 ||
		fail "make of the coverage builds failed (see $OUT/build.log)"
	command -v afl-fuzz >/dev/null || fail "afl-fuzz is not installed (make deps)"
}

# ---- seeds -------------------------------------------------------------------
# OUT/seeds/<t>: the target's seeds plus the previous campaign's merged
# corpus; the libFuzzer corpus starts as a copy (files named by SHA-1).
prepare_target() {
	local t=$1 sd=$OUT/seeds/$1 lfc=$OUT/lf/$1/corpus d
	mkdir -p "$OUT/lf/$t/artifacts" "$OUT/lf/$t/logs" "$OUT/sync/$t" "$(afl_out "$t")"
	echo "$t" >"$OUT/lf/$t/artifacts/.target"
	[ -f "$OUT/lf/$t/.seeded" ] && return 0
	rm -rf "$sd" "$lfc"
	mkdir -p "$sd" "$lfc"
	for d in "$ROOT/corpus/$t" ${PREV:+"$PREV/corpus/$t" "$PREV/corpus-afl/$t"}; do
		[ -d "$d" ] || continue
		find "$d" -maxdepth 1 -type f ! -name '.*' -print0 | xargs -0 -r sha1sum |
			while read -r h f; do
				[ -e "$sd/$h" ] || cp -- "$f" "$sd/$h"
			done
	done
	[ -n "$(ls -A "$sd")" ] || fail "$t: no seeds (run make corpus)"
	cp -- "$sd"/* "$lfc"/
	find "$sd" -maxdepth 1 -type f -printf '%f\n' | sort >"$OUT/sync/$t/exported"
	: >"$OUT/sync/$t/imported"
	touch "$OUT/lf/$t/.seeded"
}

# ---- before fuzzing: known root causes, crashing seeds -------------------------
# known_env T: KNOWN_ENV, the environment that tells T's fuzzing builds its
# known root causes (harness/harness.h): empty with --no-suppress.
KNOWN_ENV=()
known_env() {
	KNOWN_ENV=()
	if [ "$SUPPRESS" = 1 ] && [ -f "$OUT/known/$1.txt" ]; then
		KNOWN_ENV=(CF_KNOWN_FAULTS="$OUT/known/$1.txt")
	fi
}
# preflight: once per campaign, before the first fuzzer starts
preflight() {
	local args=() t n
	[ -f "$OUT/preflight.json" ] && return 0
	event "before fuzzing: replaying every seed and regression input; known root causes"
	args=("$OUT" --targets "$(IFS=,; echo "${TARGETS[*]}")" --crashes "$CRASHES"
		--minimize-time "$MTIME" --jobs "$JOBS")
	[ "$SUPPRESS" = 1 ] || args+=(--no-suppress)
	"$ROOT/scripts/chanfuzz" preflight "${args[@]}" 8>&- </dev/null >>"$LOG" 2>&1 ||
		fail "the replay of the seeds failed (see $LOG)"
	while IFS=$'\t' read -r t n; do
		event "WARNING: $t: $n"
	# one line per target and identity (a defect every seed reaches is
	# dozens of seeds: preflight.json and the report list each)
	done < <(jq -r '.targets | to_entries[] | .key as $t
		| .value.faulting | group_by(.folder)[]
		| "\($t)\t" + (if length == 1 then "\(.[0].kind) \(.[0].name) faults"
			else "\(length) inputs fault (\([.[].kind] | unique | join("/")) \(.[0].name[:12]), ...)" end)
		+ " (\(.[0].type)): filed as \(.[0].folder // "?"), left out of the start corpus"' \
		"$OUT/preflight.json")
	while IFS=$'\t' read -r t n; do
		event "$t: $n"
	done < <(jq -r '.targets | to_entries[] | .key as $t | .value.known[]
		| "\($t)\tknown root cause \(.key) (crashes/\(.folder)): its reads are refused and counted, not reported"' \
		"$OUT/preflight.json")
}

# ---- slots: one per job ------------------------------------------------------
# SL_T target, SL_E engine (lf|afl), SL_R role (lf: job index; afl: role),
# SL_PID, SL_START (epoch), SL_LOG, SL_Q quick crashes, SL_FAIL early exits.
SL_T=() SL_E=() SL_R=() SL_PID=() SL_START=() SL_LOG=() SL_Q=() SL_FAIL=() SL_NAME=()
declare -A AFL_NEXT=() # target -> index of the next AFL++ role
SLICE_END=0

register_pid() { # PID KIND T ROLE
	printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$(starttime "$1")" "$2" "$3" "$4" >>"$PIDS"
}

# Runs are numbered per target (their logs: OUT/lf/<t>/logs/NNNNN-VARIANT.log);
# odd runs use the _smart build, even ones the plain build (every run the
# plain one for a target without a structure-aware mutator: mutator none).
declare -A LF_SEQ=()

start_lf() { # SLOT
	local i=$1 t=${SL_T[$1]} e secs v bin n log maxlen
	known_env "$t"
	e=$((E0 + SECONDS - T0))
	secs=$((SLICE_END - e))
	[ "$secs" -le "$SYNC_INT" ] || secs=$SYNC_INT
	[ "$secs" -le $((BUDGET - e)) ] || secs=$((BUDGET - e))
	[ "$secs" -ge 1 ] || secs=1
	if [ -z "${LF_SEQ[$t]:-}" ]; then
		LF_SEQ[$t]=$(find "$OUT/lf/$t/logs" -maxdepth 1 -name '*.log' | wc -l)
	fi
	n=$((LF_SEQ[$t] + 1))
	LF_SEQ[$t]=$n
	v=plain
	[ $((n % 2)) = 0 ] || [ "${T_MUT[$t]}" = none ] || v=smart
	bin=$ROOT/build/fuzz/$t
	[ "$v" = plain ] || bin=${bin}_smart
	log=$OUT/lf/$t/logs/$(printf '%05d' "$n")-$v.log
	maxlen=$(opt_of "$t" max_len)
	(
		cd "$OUT/lf/$t"
		exec env "${KNOWN_ENV[@]}" CF_KNOWN_HITS="$OUT/known/$t.hits" \
			ASAN_OPTIONS=abort_on_error=0:symbolize=0:detect_leaks=1:handle_abort=1 \
			UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:report_error_type=1:symbolize=0 \
			setsid nice -n "$NICE" "$bin" -artifact_prefix="$OUT/lf/$t/artifacts/" \
			-dict="$ROOT/harness/$t.dict" ${maxlen:+-max_len="$maxlen"} \
			-timeout=10 -rss_limit_mb=2560 -max_total_time="$secs" \
			-print_final_stats=1 -reload=1 "$OUT/lf/$t/corpus"
	) >"$log" 2>&1 8>&- </dev/null &
	SL_PID[i]=$!
	printf -v 'SL_START[i]' '%(%s)T' -1
	SL_LOG[i]=$log
	register_pid "${SL_PID[$i]}" libfuzzer "$t" "$v"
}

start_afl() { # SLOT
	local i=$1 t=${SL_T[$1]} role=${SL_R[$1]} e vsecs ao name bin log args=() envs=()
	e=$((E0 + SECONDS - T0))
	vsecs=$((SLICE_END - e + 30))
	ao=$(afl_out "$t")
	name=$(iname "$role")
	SL_NAME[i]=$name
	bin=$ROOT/build/afl/$t
	args=(-i "$OUT/seeds/$t" -o "$ao")
	if [ "$role" = main ] && [ "$ROLE" != secondary ]; then
		args+=(-M "$name")
	else
		args+=(-S "$name")
	fi
	known_env "$t"
	envs=("${KNOWN_ENV[@]}" CF_KNOWN_HITS="$OUT/known/$t.hits"
		AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1
		AFL_TRY_AFFINITY=1 AFL_AUTORESUME=1 AFL_SYNC_TIME=1 AFL_IMPORT_FIRST=1
		AFL_SKIP_CRASHES=1 AFL_CMPLOG_ONLY_NEW=1 AFL_FAST_CAL=1
		ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0:handle_abort=1
		UBSAN_OPTIONS=halt_on_error=1:abort_on_error=1:print_stacktrace=1:report_error_type=1:symbolize=0)
	# The custom mutator and its input kind: harness/targets.tsv's mutator
	# column (none: AFL++'s own mutations only).
	if [ "${T_MUT[$t]}" != none ]; then
		envs+=(AFL_CUSTOM_MUTATOR_LIBRARY="$ROOT/build/afl/cf_mutator.so"
			CF_MUT_KIND="${T_MUT[$t]}")
	fi
	case $role in
	main) args+=(-x "$ROOT/harness/$t.dict") ;;
	cmplog) args+=(-x "$ROOT/harness/$t.dict" -c "$ROOT/build/cmplog/$t" -l 2AT) ;;
	smart) envs+=(AFL_CUSTOM_MUTATOR_ONLY=1) ;;
	asan)
		bin=$ROOT/build/afl-asan/$t
		args+=(-x "$ROOT/harness/$t.dict" -m none)
		;;
	*) args+=(-x "$ROOT/harness/$t.dict" -p "$role") ;;
	esac
	args+=(-V "$vsecs" -- "$bin")
	log=$OUT/logs/afl-$t-$name.log
	mkdir -p "$OUT/logs"
	printf '\n== %s afl-fuzz %s\n' "$(now_iso)" "${args[*]}" >>"$log"
	env -u LSAN_OPTIONS "${envs[@]}" \
		setsid nice -n "$NICE" afl-fuzz "${args[@]}" >>"$log" 2>&1 8>&- </dev/null &
	SL_PID[i]=$!
	printf -v 'SL_START[i]' '%(%s)T' -1
	SL_LOG[i]=$log
	register_pid "${SL_PID[$i]}" afl-fuzz "$t" "$name"
}

start_slot() {
	if [ "${SL_E[$1]}" = lf ]; then start_lf "$1"; else start_afl "$1"; fi
}

add_slot() { # T ENGINE ROLE
	local i=${#SL_T[@]}
	SL_T[i]=$1 SL_E[i]=$2 SL_R[i]=$3 SL_PID[i]="" SL_START[i]=0
	SL_LOG[i]="" SL_Q[i]=0 SL_FAIL[i]=0 SL_NAME[i]=
}
next_afl_role() { # T: sets NEXT_ROLE, the next AFL++ role of T in this slice
	local k=${AFL_NEXT[$1]:-0}
	AFL_NEXT[$1]=$((k + 1))
	if [ "$k" -lt ${#AFL_ROLES[@]} ]; then
		NEXT_ROLE=${AFL_ROLES[$k]}
	else
		NEXT_ROLE=s$k
	fi
	# no custom mutator (mutator none): no smart instance either
	if [ "$NEXT_ROLE" = smart ] && [ "${T_MUT[$1]}" = none ]; then
		next_afl_role "$1"
	fi
}

ACTIVE=()
start_group() { # G
	local g=$1 c base extra k a l i j t role
	mapfile -t ACTIVE < <(group_targets "$g")
	c=${#ACTIVE[@]}
	base=$((JOBS / c))
	extra=$((JOBS % c))
	SL_T=() SL_E=() SL_R=() SL_PID=() SL_START=() SL_LOG=() SL_Q=() SL_FAIL=() SL_NAME=()
	AFL_NEXT=()
	local desc=()
	for ((j = 0; j < c; j++)); do
		t=${ACTIVE[$j]}
		k=$base
		[ "$j" -ge "$extra" ] || k=$((k + 1))
		read -r a l < <(split_jobs "$k")
		for ((i = 0; i < a; i++)); do
			next_afl_role "$t"
			add_slot "$t" afl "$NEXT_ROLE"
		done
		for ((i = 0; i < l; i++)); do
			add_slot "$t" lf "$i"
		done
		desc+=("$t: $a AFL++ + $l libFuzzer")
	done
	event "slice $((CUR_SLICE + 1)) (until $(fmt_dur "$SLICE_END") of $(fmt_dur "$BUDGET")): $(printf '%s; ' "${desc[@]}" | sed 's/; $//')"
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		start_slot "$i"
	done
}

# stop_pids PID...: SIGTERM to each process group, SIGKILL after the grace.
stop_pids() {
	local pid end any
	[ $# -gt 0 ] || return 0
	for pid in "$@"; do
		kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
	done
	end=$((SECONDS + GRACE))
	while [ $SECONDS -lt $end ]; do
		any=0
		for pid in "$@"; do
			kill -0 "$pid" 2>/dev/null && any=1
		done
		[ $any = 1 ] || break
		sleep 0.2
	done
	for pid in "$@"; do
		if kill -0 "$pid" 2>/dev/null; then
			warn "pid $pid did not stop within ${GRACE}s: SIGKILL"
			kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
		fi
	done
	for pid in "$@"; do
		wait "$pid" 2>/dev/null || true
	done
}

stop_all() {
	local i pids=()
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		[ -z "${SL_PID[$i]}" ] || pids+=("${SL_PID[$i]}")
	done
	stop_pids "${pids[@]+"${pids[@]}"}"
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		if [ -n "${SL_PID[$i]}" ] && [ "${SL_E[$i]}" = lf ]; then
			lf_record "${SL_T[$i]}" "${SL_LOG[$i]}" "${SL_START[$i]}" stopped
		fi
		SL_PID[i]=""
	done
	: >"$PIDS"
}

# ---- libFuzzer run accounting -----------------------------------------------
# OUT/lf/<t>/runs.tsv: log, start, end, exit, execs, cov, artifact
lf_log_stats() { # LOG: "execs execs_per_sec cov"
	awk '/^#[0-9]+/ {
		n = substr($1, 2)
		for (i = 2; i < NF; i++) {
			if ($i == "cov:") c = $(i + 1)
			if ($i == "exec/s:") e = $(i + 1)
		}
	}
	/^stat::number_of_executed_units:/ { f = $2 }
	END { if (f != "") n = f; printf "%d %d %d\n", n, e, c }' "$1" 2>/dev/null || echo "0 0 0"
}
lf_record() { # T LOG START EXIT
	local t=$1 log=$2 ex ep cv art rel
	[ -n "$log" ] && [ -f "$log" ] || return 0
	rel=${log#"$OUT"/}
	if [ -f "$OUT/lf/$t/runs.tsv" ] &&
		awk -F'\t' -v r="$rel" '$1 == r { f = 1 } END { exit !f }' "$OUT/lf/$t/runs.tsv"; then
		return 0
	fi
	read -r ex ep cv < <(lf_log_stats "$log")
	art=$(sed -n '/Test unit written to /{s/.*Test unit written to //p;q;}' "$log")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$rel" "$3" "$(date +%s)" "$4" "$ex" "$cv" \
		"${art:--}" >>"$OUT/lf/$t/runs.tsv"
	LF_DONE[$t]=$((${LF_DONE[$t]:-0} + ex))
	case $log in
	*-plain.log) [ "$cv" -le "${LF_COVP[$t]:-0}" ] || LF_COVP[$t]=$cv ;;
	*) [ "$cv" -le "${LF_COVS[$t]:-0}" ] || LF_COVS[$t]=$cv ;;
	esac
}
declare -A LF_DONE=() LF_COVP=() LF_COVS=()
# load the accounting; a run killed with the campaign has a log but no row
load_runs() {
	local t log
	for t in "${TARGETS[@]}"; do
		for log in "$OUT/lf/$t"/logs/*.log; do
			[ -f "$log" ] || continue
			lf_record "$t" "$log" 0 killed
		done
		LF_DONE[$t]=0 LF_COVP[$t]=0 LF_COVS[$t]=0
		[ -f "$OUT/lf/$t/runs.tsv" ] || continue
		read -r "LF_DONE[$t]" "LF_COVP[$t]" "LF_COVS[$t]" < <(awk -F'\t' '
			{ n += $5; if ($1 ~ /-plain\.log$/) { if ($6 > p) p = $6 } else if ($6 > s) s = $6 }
			END { printf "%d %d %d\n", n, p, s }' "$OUT/lf/$t/runs.tsv")
	done
}

# ---- supervision -------------------------------------------------------------
supervise() {
	local i pid rc t dur now crashed
	printf -v now '%(%s)T' -1
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		pid=${SL_PID[$i]}
		[ -n "$pid" ] || continue
		kill -0 "$pid" 2>/dev/null && continue
		rc=0
		wait "$pid" 2>/dev/null || rc=$?
		SL_PID[i]=""
		t=${SL_T[$i]}
		dur=$((now - SL_START[i]))
		if [ "${SL_E[$i]}" = lf ]; then
			lf_record "$t" "${SL_LOG[$i]}" "${SL_START[$i]}" "$rc"
			crashed=0
			grep -q 'Test unit written to' "${SL_LOG[$i]}" 2>/dev/null && crashed=1
			if [ $crashed = 1 ]; then
				event "libFuzzer $t: $(sed -n '/Test unit written to /{s/.*\///p;q;}' "${SL_LOG[$i]}") after ${dur}s"
				[ "$dur" -ge $LF_QUICK_SECS ] || SL_Q[i]=$((SL_Q[i] + 1))
			elif [ "$rc" != 0 ] && [ "$dur" -lt 5 ]; then
				SL_FAIL[i]=$((SL_FAIL[i] + 1))
				event "libFuzzer $t exited $rc after ${dur}s (log ${SL_LOG[$i]#"$OUT"/})"
			fi
			if [ "${SL_Q[$i]}" -ge $LF_QUICK_MAX ] && [ "$ENGINES" != libfuzzer ]; then
				SL_E[i]=afl
				next_afl_role "$t"
				SL_R[i]=$NEXT_ROLE
				event "libFuzzer $t crashed at once $LF_QUICK_MAX times: its job runs AFL++ '${SL_R[$i]}' for the rest of the slice"
			fi
		else
			if [ "$dur" -lt 20 ]; then
				SL_FAIL[i]=$((SL_FAIL[i] + 1))
				event "afl-fuzz $t ${SL_R[$i]} stopped after ${dur}s (exit $rc): $(grep -E 'PROGRAM ABORT|Location' "${SL_LOG[$i]}" | tail -n 2 | tr -d '\033' | sed 's/\[[0-9;]*m//g' | tr '\n' ' ')"
			fi
		fi
		if [ "${SL_FAIL[$i]}" -ge 3 ]; then
			event "giving up this slice's ${SL_E[$i]} job on $t (it keeps failing; see ${SL_LOG[$i]#"$OUT"/})"
			SL_E[i]=none
			continue
		fi
		[ $((SLICE_END - (E0 + SECONDS - T0))) -ge 3 ] || continue
		start_slot "$i"
	done
}

# ---- corpus exchange -----------------------------------------------------------
# sync_target T: one exchange between the engines' corpora of T.
#   AFL++ -> libFuzzer: new queue entries of every instance (not the ones
#   AFL++ synced in from another: ",sync:" in the name) are copied, a few
#   cp/mv processes per instance, into OUT/lf/<t>/corpus/afl-<instance>/
#   (libFuzzer reads its corpus folder recursively; its own finds stay at
#   the top); each file is written beside and renamed in.
#   libFuzzer -> AFL++: new top-level files of the libFuzzer corpus go into
#   the pseudo-instance's queue as id:NNNNNN,src:libfuzzer,name:<sha1>.
sync_target() {
	local t=$1 lfc=$OUT/lf/$1/corpus sd=$OUT/sync/$1 ao pseudo n h inst imp=0 exp=0 st
	ao=$(afl_out "$t")
	pseudo=$ao/$(iname libfuzzer)
	st=$sd/stage
	mkdir -p "$pseudo/queue" "$sd"
	touch "$sd/exported" "$sd/imported"
	# Files written in the last 2 s may still be being written: the next
	# exchange takes them (one listed as done is never copied again).
	find "$ao" -mindepth 3 -maxdepth 3 -type f -path '*/queue/id:*' ! -name '*,sync:*' \
		! -path "$pseudo/*" ! -newermt '2 seconds ago' 2>/dev/null | sort >"$sd/q.now" || true
	comm -23 "$sd/q.now" "$sd/imported" >"$sd/q.new"
	if [ -s "$sd/q.new" ]; then
		while read -r inst; do
			[ -n "$inst" ] || continue
			rm -rf "$st"
			mkdir -p "$st" "$lfc/afl-$inst"
			awk -v p="$ao/$inst/queue/" 'index($0, p) == 1' "$sd/q.new" | tr '\n' '\0' |
				xargs -0 -r cp -t "$st" --
			find "$st" -type f -print0 | xargs -0 -r mv -f -t "$lfc/afl-$inst" --
		done < <(awk -v p="$ao/" '{ s = substr($0, length(p) + 1); sub(/\/.*/, "", s); print s }' \
			"$sd/q.new" | sort -u)
		rm -rf "$st"
		imp=$(wc -l <"$sd/q.new")
		atomic_run "$sd/imported" sort -mu "$sd/imported" "$sd/q.new"
	fi
	find "$lfc" -maxdepth 1 -type f ! -name '.*' ! -newermt '2 seconds ago' -printf '%f\n' |
		sort >"$sd/lf.now"
	comm -23 "$sd/lf.now" "$sd/exported" >"$sd/lf.new"
	if [ -s "$sd/lf.new" ]; then
		n=$(find "$pseudo/queue" -maxdepth 1 -name 'id:*' | wc -l)
		while read -r h; do
			[ -f "$lfc/$h" ] || continue
			cp -- "$lfc/$h" "$sd/.out" &&
				mv -f -- "$sd/.out" "$pseudo/queue/$(printf 'id:%06d,src:libfuzzer,name:%s' "$n" "$h")"
			n=$((n + 1))
			exp=$((exp + 1))
		done <"$sd/lf.new"
		atomic_run "$sd/exported" sort -mu "$sd/exported" "$sd/lf.new"
	fi
	if [ "$imp" -gt 0 ] || [ "$exp" -gt 0 ]; then
		printf '[%s] sync %s: %d AFL++ entries -> libFuzzer, %d libFuzzer files -> AFL++\n' \
			"$(date -u +%H:%M:%S)" "$t" "$imp" "$exp" >>"$LOG"
	fi
}
# The exchanges run in the background, one at a time, so that the status
# lines go on; sync_now runs one in the foreground.
SYNC_PID=""
sync_start() { # T...: start an exchange unless one runs
	if [ -n "$SYNC_PID" ] && kill -0 "$SYNC_PID" 2>/dev/null; then
		return 0
	fi
	sync_wait
	[ $# -gt 0 ] || return 0
	(
		trap - EXIT INT TERM
		for t in "$@"; do
			sync_target "$t"
		done
	) 8>&- </dev/null &
	SYNC_PID=$!
}
sync_wait() {
	if [ -n "$SYNC_PID" ]; then
		wait "$SYNC_PID" 2>/dev/null || warn "a corpus exchange failed (see $LOG)"
		SYNC_PID=""
	fi
}
sync_now() { # T...
	local t
	sync_wait
	for t in "$@"; do
		sync_target "$t"
	done
}

# ---- statistics ----------------------------------------------------------------
declare -A S_LFX=() S_LFE=() S_LFC=() S_LFCS=() S_AX=() S_AE=() S_AC=() S_AED=()
declare -A S_CL=() S_CA=() S_CR=() S_HG=()
# afl_inst_stats DIR: "execs execs_per_sec bitmap_cvg edges corpus" from
# fuzzer_stats and, when newer, the last line of plot_data
afl_inst_stats() {
	local d=$1
	local files=("$d/fuzzer_stats")
	[ -f "$d/fuzzer_stats" ] || { echo "0 0 0 0 0"; return 0; }
	[ ! -f "$d/plot_data" ] || files+=("$d/plot_data")
	awk -F'[[:space:]]*:[[:space:]]*' -v pd="$d/plot_data" '
		FILENAME != pd {
			if ($1 == "execs_done") x = $2
			if ($1 == "execs_per_sec") e = $2
			if ($1 == "bitmap_cvg") { c = $2; sub(/%/, "", c) }
			if ($1 == "edges_found") ed = $2
			if ($1 == "corpus_count") q = $2
			next
		}
		/^#/ { next }
		{ line = $0 }
		END {
			if (line != "") {
				n = split(line, f, /,[[:space:]]*/)
				if (n >= 13 && f[12] + 0 > x + 0) {
					x = f[12]; e = f[11]; c = f[7]; sub(/%/, "", c); ed = f[13]; q = f[4]
				}
			}
			# fuzzer_stats says "inf" or "nan" before the first executions
			if (e !~ /^[0-9]+(\.[0-9]*)?$/) e = 0
			if (c !~ /^[0-9]+(\.[0-9]*)?$/) c = 0
			printf "%d %.0f %.2f %d %d\n", x, e, c, ed, q
		}' "${files[@]}" 2>/dev/null || echo "0 0 0 0 0"
}
# running_afl T NAME: true when that instance runs in a slot now and has
# run long enough to have written its statistics (afl-fuzz writes
# fuzzer_stats and plot_data only after its first minute)
running_afl() {
	local i now
	printf -v now '%(%s)T' -1
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		[ "${SL_T[$i]}" = "$1" ] && [ "${SL_E[$i]}" = afl ] && [ -n "${SL_PID[$i]}" ] &&
			[ "${SL_NAME[$i]}" = "$2" ] && [ $((now - SL_START[i])) -ge 65 ] && return 0
	done
	return 1
}
collect() { # T: refresh the S_* figures of target T
	local t=$1 i ex ep cv x e c ed q d ax=0 ae=0 ac=0 aed=0 aq=0 lfx lfe=0 lfc lfcs now
	printf -v now '%(%s)T' -1
	lfx=${LF_DONE[$t]:-0} lfc=${LF_COVP[$t]:-0} lfcs=${LF_COVS[$t]:-0}
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		if [ "${SL_T[$i]}" != "$t" ] || [ "${SL_E[$i]}" != lf ] || [ -z "${SL_PID[$i]}" ]; then
			continue
		fi
		read -r ex ep cv < <(lf_log_stats "${SL_LOG[$i]}")
		lfx=$((lfx + ex))
		lfe=$((lfe + ep))
		case ${SL_LOG[$i]} in
		*-plain.log) [ "$cv" -le "$lfc" ] || lfc=$cv ;;
		*) [ "$cv" -le "$lfcs" ] || lfcs=$cv ;;
		esac
	done
	while read -r d; do
		[ -n "$d" ] || continue
		read -r x e c ed q < <(afl_inst_stats "$d")
		ax=$((ax + x))
		running_afl "$t" "${d##*/}" && ae=$((ae + e))
		[ "${c%.*}" -lt "${ac%.*}" ] || ac=$c
		[ "$ed" -le "$aed" ] || aed=$ed
		[ "$q" -le "$aq" ] || aq=$q
	done < <(local_instances "$t")
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		[ "${SL_T[$i]}" = "$t" ] && [ "${SL_E[$i]}" = afl ] && [ -n "${SL_PID[$i]}" ] &&
			[ $((now - SL_START[i])) -lt 65 ] && AFL_WARM=1
	done
	S_LFX[$t]=$lfx S_LFE[$t]=$lfe S_LFC[$t]=$lfc S_LFCS[$t]=$lfcs
	S_AX[$t]=$ax S_AE[$t]=$ae S_AC[$t]=$ac S_AED[$t]=$aed S_CA[$t]=$aq
	S_CL[$t]=$(find "$OUT/lf/$t/corpus" -type f | wc -l)
	# crash files: libFuzzer artifacts; AFL++ crashes/ (and crashes.<date>/,
	# where an AFL++ resume moves the earlier ones)
	S_CR[$t]=$(crash_files "$t" crash | wc -l)
	S_HG[$t]=$(crash_files "$t" hang | wc -l)
}
# crash_files T crash|hang|all: the crash (or hang) files of T, one a line
crash_files() {
	local t=$1 kind=$2 d
	# (and the merge's: it runs every AFL++ queue entry on the ASan build)
	if [ "$kind" != hang ]; then
		find "$OUT/lf/$t/artifacts" "$OUT/merge-artifacts/$t" -maxdepth 1 -type f \
			\( -name 'crash-*' -o -name 'leak-*' -o -name 'oom-*' \) 2>/dev/null || true
	fi
	if [ "$kind" != crash ]; then
		find "$OUT/lf/$t/artifacts" "$OUT/merge-artifacts/$t" -maxdepth 1 -type f \
			-name 'timeout-*' 2>/dev/null || true
	fi
	while read -r d; do
		[ -n "$d" ] || continue
		if [ "$kind" != hang ]; then
			find "$d" -mindepth 2 -maxdepth 2 -type f -path "$d/crashes*/id:*" 2>/dev/null || true
		fi
		if [ "$kind" != crash ]; then
			find "$d" -mindepth 2 -maxdepth 2 -type f -path "$d/hangs*/id:*" 2>/dev/null || true
		fi
	done < <(local_instances "$t")
}

human() { # N... -> 1.2k 3.4M ...
	awk 'BEGIN {
		for (i = 1; i < ARGC; i++) {
			n = ARGV[i] + 0
			if (n >= 1e9) s = sprintf("%.1fG", n / 1e9)
			else if (n >= 1e6) s = sprintf("%.1fM", n / 1e6)
			else if (n >= 1e4) s = sprintf("%.0fk", n / 1e3)
			else if (n >= 1e3) s = sprintf("%.1fk", n / 1e3)
			else s = sprintf("%d", n)
			printf "%s%s", (i > 1 ? " " : ""), s
		}
		print "" }' "$@"
}

STATS_HEADER='time	elapsed	target	active	lf_execs	lf_execs_per_sec	afl_execs	afl_execs_per_sec	lf_cov	lf_cov_smart	afl_bitmap_cvg	afl_edges	corpus_lf	corpus_afl	crashes	hangs'
sample() { # record stats.tsv rows and show the status
	local e now t lfx=0 lfe=0 ax=0 ae=0 cr=0 cl=0 ca=0 act line bar w pct covs=() left
	e=$((E0 + SECONDS - T0))
	[ "$e" -le "$BUDGET" ] || e=$BUDGET
	printf -v now '%(%s)T' -1
	AFL_WARM=0
	for t in "${ACTIVE[@]+"${ACTIVE[@]}"}"; do
		collect "$t"
	done
	[ -f "$STATS" ] || echo "$STATS_HEADER" >"$STATS"
	for t in "${TARGETS[@]}"; do
		[ -n "${S_LFX[$t]:-}" ] || collect "$t"
		act=0
		contains "$t" "${ACTIVE[@]+"${ACTIVE[@]}"}" && act=1
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' \
			"$now" "$e" "$t" "$act" "${S_LFX[$t]}" "$([ $act = 1 ] && echo "${S_LFE[$t]}" || echo 0)" \
			"${S_AX[$t]}" "$([ $act = 1 ] && echo "${S_AE[$t]}" || echo 0)" \
			"${S_LFC[$t]}" "${S_LFCS[$t]}" "${S_AC[$t]}" "${S_AED[$t]}" \
			"${S_CL[$t]}" "${S_CA[$t]}" "${S_CR[$t]}" "${S_HG[$t]}" >>"$STATS"
		lfx=$((lfx + S_LFX[$t]))
		ax=$((ax + S_AX[$t]))
		cr=$((cr + S_CR[$t]))
		if [ $act = 1 ]; then
			lfe=$((lfe + S_LFE[$t]))
			ae=$((ae + S_AE[$t]))
			cl=$((cl + S_CL[$t]))
			ca=$((ca + S_CA[$t]))
			covs+=("$t lf ${S_LFC[$t]}/${S_LFCS[$t]} afl ${S_AC[$t]}%")
		fi
	done
	left=$((BUDGET - e))
	[ $left -ge 0 ] || left=0
	local d1 d2 d3 hs cv=""
	printf -v d1 '%d:%02d:%02d' $((e / 3600)) $((e % 3600 / 60)) $((e % 60))
	printf -v d2 '%d:%02d:%02d' $((BUDGET / 3600)) $((BUDGET % 3600 / 60)) $((BUDGET % 60))
	printf -v d3 '%d:%02d:%02d' $((left / 3600)) $((left % 3600 / 60)) $((left % 60))
	hs=$(human "$lfe" "$ae" "$lfx" "$ax")
	read -r lfe ae lfx ax <<<"$hs"
	for t in "${covs[@]+"${covs[@]}"}"; do
		cv=${cv:+$cv, }$t
	done
	[ "$AFL_WARM" = 0 ] || ae="$ae(warming up)"
	line="$d1/$d2 left $d3 | exec/s lf $lfe afl $ae | execs lf $lfx afl $ax | cov $cv | corpus lf $cl afl $ca | crashes $cr"
	if [ $TTY = 1 ]; then
		w=${COLUMNS:-$(tput cols 2>/dev/null || echo 120)}
		pct=$((BUDGET > 0 ? e * 100 / BUDGET : 100))
		bar=$(printf '%*s' $((pct / 5)) '' | tr ' ' '#')$(printf '%*s' $((20 - pct / 5)) '' | tr ' ' '.')
		printf '\r\033[K%s' "$(printf '[%s] %3d%% %s' "$bar" "$pct" "$line" | cut -c1-$((w - 1)))"
		BAR_SHOWN=1
	fi
	printf -v line '[%(%H:%M:%S)T] %s' -1 "$line"
	printf '%s\n' "$line" >>"$LOG"
	[ $TTY = 1 ] || printf '%s\n' "$line"
}

# ---- the fuzzing loop ----------------------------------------------------------
E0=0 T0=0
STOP=""
# shellcheck disable=SC2317 # run by the INT and TERM traps
on_signal() { STOP=$1; }
# shellcheck disable=SC2317 # run by the EXIT trap
cleanup() {
	local i pid pids=() others=()
	for ((i = 0; i < ${#SL_T[@]}; i++)); do
		[ -z "${SL_PID[$i]:-}" ] || pids+=("${SL_PID[$i]}")
	done
	if [ ${#pids[@]} -gt 0 ]; then
		GRACE=3
		stop_pids "${pids[@]}"
		: >"$PIDS"
	fi
	# Triage workers and a corpus exchange still running (stopped in the
	# finishing phase): a --resume must not find them writing beside it.
	for pid in ${TRIAGE_PIDS[@]+"${TRIAGE_PIDS[@]}"} ${SYNC_PID:-}; do
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && others+=("$pid")
	done
	if [ ${#others[@]} -gt 0 ]; then
		GRACE=10
		stop_pids "${others[@]}"
	fi
	[ "$TTY" = 0 ] || [ "$BAR_SHOWN" = 0 ] || printf '\n'
}
trap cleanup EXIT

fuzz_loop() {
	local e last_sample=-100 last_sync last_tick g
	E0=$ELAPSED
	T0=$SECONDS
	CUR_SLICE=-1
	compute_schedule
	last_sync=$SECONDS
	last_tick=$SECONDS
	trap 'on_signal INT' INT
	trap 'on_signal TERM' TERM
	event "fuzzing: $NT target(s), $JOBS job(s) ($NPROC cores), budget $(fmt_dur "$BUDGET"), $(fmt_dur "$ELAPSED") done before; $CONC target(s) at a time, $NGROUPS group(s), slices of $(fmt_dur "$SLICE")"
	while :; do
		e=$((E0 + SECONDS - T0))
		for t in "${ACTIVE[@]+"${ACTIVE[@]}"}"; do
			TSEC[$t]=$((${TSEC[$t]:-0} + SECONDS - last_tick))
		done
		last_tick=$SECONDS
		[ -z "$STOP" ] || break
		[ "$e" -lt "$BUDGET" ] || break
		if [ "$CUR_SLICE" -lt 0 ] || [ "$e" -ge "$SLICE_END" ]; then
			[ "$CUR_SLICE" -lt 0 ] || sample
			stop_all
			sync_wait
			sync_start "${ACTIVE[@]+"${ACTIVE[@]}"}"
			CUR_SLICE=$((e / SLICE))
			g=$((CUR_SLICE % NGROUPS))
			SLICE_END=$(((CUR_SLICE + 1) * SLICE))
			[ "$SLICE_END" -le "$BUDGET" ] || SLICE_END=$BUDGET
			# a short remainder joins the slice before it
			[ $((BUDGET - SLICE_END)) -ge 10 ] || SLICE_END=$BUDGET
			start_group "$g"
			last_sync=$SECONDS
			last_sample=-100
					fi
		supervise
		if [ $((SECONDS - last_sync)) -ge "$SYNC_INT" ]; then
			sync_start "${ACTIVE[@]+"${ACTIVE[@]}"}"
			last_sync=$SECONDS
		fi
		if [ $((SECONDS - last_sample)) -ge $STATUS_EVERY ]; then
			last_sample=$SECONDS
			ELAPSED=$e
			sample
			save_state
		fi
		sleep 1 8>&- &
		wait $! 2>/dev/null || true
	done
	ELAPSED=$((E0 + SECONDS - T0))
	[ "$ELAPSED" -le "$BUDGET" ] || ELAPSED=$BUDGET
	E0=$ELAPSED T0=$SECONDS # the stop does not count
	if [ -n "$STOP" ]; then
		event "SIG$STOP: stopping the fuzzers"
	else
		event "budget spent: stopping the fuzzers"
	fi
	stop_all
	sync_now "${ACTIVE[@]+"${ACTIVE[@]}"}"
	sample
	ACTIVE=()
	save_state
	trap - INT TERM
}

# ---- finishing -----------------------------------------------------------------
DONE=$OUT/.done
step_done() { [ -f "$DONE/$1" ]; }
mark_done() { mkdir -p "$DONE" && touch "$DONE/$1"; }

# Triage: every crash (and hang) file of the campaign goes through
# scripts/chanfuzz triage (scripts/lib/chanfuzz/triage.py), one run per
# target with --jobs workers; it replays each file once, unsymbolised, and
# sends one file per raw fault (its smallest) through the full triage, the
# others filed with it. Files whose contents were triaged before
# (triaged.list: path, SHA-1) are skipped. Triage appends one JSON record
# per input to OUT/.triage/<t>.jsonl as it goes; a campaign killed while
# triaging records those first and triages only the rest.
TRIAGE_DIR=$OUT/.triage
# triage_record REC: move the records of REC into triage.tsv and triaged.list
triage_record() {
	local rec=$1
	[ -f "$rec" ] || return 0
	jq -r '[.path, .target, .verdict, .folder,
		"\(.verdict) \(.id) \(.type) \(.target) \(.size)->\(.minsize)", .sha1] | @tsv' \
		"$rec" 2>/dev/null | while IFS=$'\t' read -r path t v folder line h; do
		printf '%s\t%s\t%s\t%s\t%s\n' "$path" "$t" "$v" "$folder" "$line" >>"$OUT/triage.tsv"
		printf '%s\t%s\n' "$path" "$h" >>"$OUT/triaged.list"
		case $v in new | flaky) event "  $line" ;; esac
	done
	rm -f -- "$rec"
}
triage_all() {
	local t f h list=$OUT/triaged.list rec rc n left skipped
	local -a files=() args=()
	touch "$list" "$OUT/triage.tsv"
	mkdir -p "$CRASHES" "$TRIAGE_DIR"
	for t in "${TARGETS[@]}"; do
		rec=$TRIAGE_DIR/$t.jsonl
		triage_record "$rec"
		declare -A seen=()
		files=()
		skipped=0
		while IFS=$'\t' read -r f h; do
			seen[$h]=1
		done <"$list"
		while read -r h f; do
			[ -n "$f" ] || continue
			if [ -n "${seen[$h]:-}" ]; then
				if ! grep -qxF -- "$f"$'\t'"$h" "$list"; then
					printf '%s\t%s\n' "$f" "$h" >>"$list"
					skipped=$((skipped + 1))
				fi
				continue
			fi
			seen[$h]=1
			files+=("$f")
		done < <(crash_files "$t" all | sort | tr '\n' '\0' | xargs -0 -r sha1sum)
		unset seen
		[ ${#files[@]} -gt 0 ] || continue
		event "triage $t: ${#files[@]} crash file(s)$([ $skipped = 0 ] || echo "; $skipped more with contents triaged before")"
		args=(--target "$t" --out "$CRASHES" --minimize-time "$MTIME" --jobs "$JOBS" --record "$rec")
		[ "$FULL_TRIAGE" = 0 ] || args+=(--full)
		[ "$SUPPRESS" = 0 ] || [ ! -f "$OUT/known/$t.txt" ] || args+=(--known "$OUT/known/$t.txt")
		rc=0
		"$ROOT/scripts/chanfuzz" triage "${args[@]}" -- "${files[@]}" \
			>>"$OUT/triage.out" 2>>"$OUT/triage.log" 8>&- </dev/null || rc=$?
		n=$(wc -l <"$rec" 2>/dev/null || echo 0)
		triage_record "$rec"
		left=$((${#files[@]} - n))
		if [ $rc != 0 ] || [ $left != 0 ]; then
			TRIAGE_FAILED=1
			warn "triage exited $rc on $t, $left file(s) not filed (see $OUT/triage.log); $PROG --resume $OUT retries them"
			continue
		fi
		event "triage $t: done ($(awk -F'\t' -v t="$t" '$2 == t && $3 != "new" && $3 != "flaky"' "$OUT/triage.tsv" | wc -l) file(s) of known signatures in all)"
	done
}

merge_target() { # T: libFuzzer -merge=1 of every corpus of T into OUT/corpus/T
	local t=$1 new=$OUT/corpus/.$1.new dst=$OUT/corpus/$1 dirs=() d rc=0
	mkdir -p "$OUT/corpus" "$OUT/merge-artifacts/$t"
	# a merge interrupted with the same inputs resumes from merge.ctl
	if [ ! -f "$OUT/merge.target" ] || [ "$(cat "$OUT/merge.target")" != "$t" ]; then
		rm -f "$OUT/merge.ctl"
	fi
	echo "$t" >"$OUT/merge.target"
	mkdir -p "$new"
	dirs=("$OUT/lf/$t/corpus" "$OUT/seeds/$t")
	for d in "$(afl_out "$t")"/*/queue; do
		[ -d "$d" ] && dirs+=("$d")
	done
	known_env "$t"
	(cd "$OUT/merge-artifacts/$t" && env "${KNOWN_ENV[@]}" CF_KNOWN_HITS="$OUT/known/$t.hits" \
		ASAN_OPTIONS=detect_leaks=0:symbolize=0:abort_on_error=0 \
		UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:report_error_type=1:symbolize=0 timeout -k 10 1800 \
		"$ROOT/build/fuzz/$t" -merge=1 -merge_control_file="$OUT/merge.ctl" \
		-artifact_prefix="$OUT/merge-artifacts/$t/" -timeout=10 -rss_limit_mb=2560 \
		"$new" "${dirs[@]}") >"$OUT/logs/merge-$t.log" 2>&1 8>&- </dev/null || rc=$?
	if [ $rc != 0 ] || [ -z "$(ls -A "$new")" ]; then
		warn "merge of $t failed (exit $rc, see logs/merge-$t.log); OUT/corpus/$t is the unmerged libFuzzer corpus"
		rm -rf "$new"
		mkdir -p "$new"
		cp -- "$OUT/lf/$t/corpus"/* "$new"/ 2>/dev/null || true
	fi
	rm -rf "$dst.old"
	[ ! -d "$dst" ] || mv -- "$dst" "$dst.old"
	mv -- "$new" "$dst"
	rm -rf "$dst.old" "$OUT/merge.ctl" "$OUT/merge.target"
}

cmin_target() { # T: afl-cmin of this machine's AFL++ queues into OUT/corpus-afl/T
	local t=$1 tmp=$OUT/corpus-afl/.$1.in new=$OUT/corpus-afl/.$1.new dst=$OUT/corpus-afl/$1 d f rc=0
	mkdir -p "$OUT/corpus-afl"
	rm -rf "$tmp" "$new"
	mkdir -p "$tmp"
	while read -r d; do
		[ -n "$d" ] || continue
		for f in "$d"/queue/id:*; do
			[ -f "$f" ] || continue
			ln -- "$f" "$tmp/${d##*/}_${f##*/id:}" 2>/dev/null || cp -- "$f" "$tmp/${d##*/}_${f##*/id:}"
		done
	done < <(local_instances "$t")
	if [ -z "$(ls -A "$tmp")" ]; then
		rm -rf "$tmp"
		return 0
	fi
	AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_ALLOW_TMP=1 \
		ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0 \
		timeout -k 10 1800 afl-cmin -i "$tmp" -o "$new" -m none -t 5000 -- "$ROOT/build/afl/$t" \
		>"$OUT/logs/afl-cmin-$t.log" 2>&1 8>&- </dev/null || rc=$?
	if [ $rc != 0 ] || [ ! -d "$new" ]; then
		warn "afl-cmin of $t failed (exit $rc, see logs/afl-cmin-$t.log)"
		rm -rf "$new" "$tmp"
		return 0
	fi
	rm -rf "$dst.old"
	[ ! -d "$dst" ] || mv -- "$dst" "$dst.old"
	mv -- "$new" "$dst"
	rm -rf "$dst.old" "$tmp"
}

# coverage: build/coverage/<t> over the merged corpora, llvm-cov HTML
coverage() {
	local covdir=$OUT/coverage raw t bin files=() i rc bins=() objs=() f
	rm -rf "$covdir.new"
	mkdir -p "$covdir.new/raw"
	raw=$covdir.new/raw
	for t in "${TARGETS[@]}"; do
		bin=$ROOT/build/coverage/$t
		[ -x "$bin" ] || { warn "no $bin: no coverage of $t"; continue; }
		# (a target AFL++ did not fuzz has no corpus-afl folder: not an error)
		mapfile -t files < <(find "$OUT/corpus/$t" "$OUT/corpus-afl/$t" -maxdepth 1 -type f 2>/dev/null | sort || true)
		[ ${#files[@]} -gt 0 ] || continue
		bins+=("$bin")
		known_env "$t"
		for ((i = 0; i < ${#files[@]}; i += 200)); do
			rc=0
			# (in a subshell, whose stderr is /dev/null: bash's own
			# "Aborted" line for a faulting input does not reach the user)
			(env "${KNOWN_ENV[@]}" LLVM_PROFILE_FILE="$raw/$t-%p.profraw" timeout -k 5 300 "$bin" "${files[@]:i:200}"
				exit $?) >/dev/null 2>&1 8>&- </dev/null || rc=$?
			[ $rc -ge 124 ] || continue
			# a fault ends the process before it writes its profile: one by one
			for f in "${files[@]:i:200}"; do
				(env "${KNOWN_ENV[@]}" LLVM_PROFILE_FILE="$raw/$t-%p.profraw" timeout -k 5 30 "$bin" "$f"
					exit $?) >/dev/null 2>&1 8>&- </dev/null || true
			done
		done
	done
	if [ ${#bins[@]} = 0 ] || ! ls "$raw"/*.profraw >/dev/null 2>&1; then
		warn "no coverage profile"
		rm -rf "$covdir.new"
		return 0
	fi
	llvm-profdata merge -sparse "$raw"/*.profraw -o "$covdir.new/all.profdata" 2>>"$OUT/logs/coverage.log" ||
		{ warn "llvm-profdata failed"; rm -rf "$covdir.new"; return 0; }
	rm -rf "$raw"
	objs=("${bins[0]}")
	for bin in "${bins[@]:1}"; do
		objs+=(-object "$bin")
	done
	llvm-cov show -format=html -output-dir="$covdir.new" -instr-profile="$covdir.new/all.profdata" \
		-show-line-counts-or-regions -project-title="chanfuzz campaign $(basename "$OUT")" \
		-ignore-filename-regex='^/usr/' "${objs[@]}" 2>>"$OUT/logs/coverage.log" ||
		warn "llvm-cov show failed (logs/coverage.log)"
	(cd "$ROOT" && llvm-cov report -instr-profile="$covdir.new/all.profdata" "${objs[@]}" \
		parsers/src/*.c) >"$covdir.new/summary-parsers.txt" 2>>"$OUT/logs/coverage.log" || true
	(cd "$ROOT" && llvm-cov export -summary-only -instr-profile="$covdir.new/all.profdata" \
		"${objs[@]}" parsers/src/*.c) 2>>"$OUT/logs/coverage.log" |
		jq '.data[0].totals' >"$covdir.new/parsers.json" 2>/dev/null || echo null >"$covdir.new/parsers.json"
	(cd "$ROOT" && llvm-cov export -summary-only -instr-profile="$covdir.new/all.profdata" \
		-ignore-filename-regex='^/usr/' "${objs[@]}") 2>>"$OUT/logs/coverage.log" |
		jq '.data[0].totals' >"$covdir.new/all.json" 2>/dev/null || echo null >"$covdir.new/all.json"
	rm -rf "$covdir.old"
	[ ! -d "$covdir" ] || mv -- "$covdir" "$covdir.old"
	mv -- "$covdir.new" "$covdir"
	rm -rf "$covdir.old"
}

# plots: coverage.png and execs.png from stats.tsv (gnuplot), afl-plot
plots() {
	local d=$OUT/.plot term t
	rm -rf "$d"
	mkdir -p "$d"
	[ -s "$STATS" ] || return 0
	command -v gnuplot >/dev/null || { warn "gnuplot is not installed: no plots"; return 0; }
	for t in "${TARGETS[@]}"; do
		awk -F'\t' -v t="$t" 'NR > 1 && $3 == t { print $2 / 60, $9, $10, $12, $11 }' "$STATS" >"$d/$t.dat"
	done
	# each sample is one block of rows, one per target, in --targets order
	awk -F'\t' -v first="${TARGETS[0]}" 'NR > 1 {
		if ($3 == first) k = ++n
		el[k] = $2; lx[k] += $5; le[k] += $6; ax[k] += $7; ae[k] += $8 }
		END { for (k = 1; k <= n; k++) print el[k] / 60, lx[k], le[k], ax[k], ae[k] }' \
		"$STATS" >"$d/total.dat"
	term="pngcairo size 1100,700 font 'sans,10'"
	gnuplot -e "set terminal $term" -e 'quit' >/dev/null 2>&1 || term="png size 1100,700"
	{
		echo "set terminal $term noenhanced"
		echo "set output '$OUT/coverage.png'"
		echo "set multiplot layout 2,1 title 'chanfuzz campaign $(basename "$OUT"): coverage over time'"
		echo "set grid; set key outside right; set xlabel 'fuzzing time (min)'"
		echo "set ylabel 'libFuzzer cov'"
		printf 'plot '
		local lt=1
		for t in "${TARGETS[@]}"; do
			printf "'%s' using 1:2 with lines lw 2 lt %d title '%s', " "$d/$t.dat" "$lt" "$t"
			printf "'%s' using 1:3 with lines lw 1 lt %d dt 2 title '%s _smart', " "$d/$t.dat" "$lt" "$t"
			lt=$((lt + 1))
		done
		echo "1/0 notitle"
		echo "set ylabel 'AFL++ edges found'"
		printf 'plot '
		for t in "${TARGETS[@]}"; do
			printf "'%s' using 1:4 with lines lw 2 title '%s', " "$d/$t.dat" "$t"
		done
		echo "1/0 notitle"
		echo "unset multiplot"
		echo "set output '$OUT/execs.png'"
		echo "set multiplot layout 2,1 title 'chanfuzz campaign $(basename "$OUT"): executions over time'"
		echo "set ylabel 'total executions'; set format y '%.1s%c'"
		echo "plot '$d/total.dat' using 1:2 with lines lw 2 title 'libFuzzer', '$d/total.dat' using 1:4 with lines lw 2 title 'AFL++'"
		echo "set ylabel 'executions per second'"
		echo "plot '$d/total.dat' using 1:3 with lines lw 2 title 'libFuzzer', '$d/total.dat' using 1:5 with lines lw 2 title 'AFL++'"
		echo "unset multiplot"
	} >"$d/plot.gp"
	gnuplot "$d/plot.gp" >"$OUT/logs/gnuplot.log" 2>&1 || warn "gnuplot failed (logs/gnuplot.log)"
	# afl-plot of each target's first instance, when it has a plot
	if command -v afl-plot >/dev/null; then
		for t in "${TARGETS[@]}"; do
			local inst np firsts
			mapfile -t firsts < <(local_instances "$t")
			inst=${firsts[0]:-}
			[ -n "$inst" ] || continue
			np=$(grep -vc '^#' "$inst/plot_data" 2>/dev/null || true)
			[ "${np:-0}" -ge 2 ] || continue
			mkdir -p "$OUT/afl-plot/$t"
			timeout 120 afl-plot "$inst" "$OUT/afl-plot/$t" >>"$OUT/logs/afl-plot.log" 2>&1 8>&- ||
				warn "afl-plot $t failed (logs/afl-plot.log)"
		done
	fi
	rm -rf "$d"
}

# ---- report --------------------------------------------------------------------
# report.json, report.sarif, report.md and report.html (scripts/lib/
# chanfuzz/report.py, reporthtml.py): everything they say is read from this
# folder and the crash store.
report() {
	local args=("$OUT")
	[ "${TRIAGE_FAILED:-0}" = 0 ] || args+=(--triage-incomplete)
	"$ROOT/scripts/chanfuzz" report "${args[@]}" 8>&- </dev/null ||
		fail "the report could not be written"
}

finish() {
	local args=("$OUT")
	[ "$FULL_TRIAGE" = 0 ] || args+=(--full-triage)
	"$ROOT/scripts/chanfuzz" campaign-finish "${args[@]}" 8>&- </dev/null || exit $?
}

# ---- main ----------------------------------------------------------------------
touch "$LOG"
if [ "$RUNS" -gt 1 ]; then
	event "resuming $OUT (run $RUNS; $(fmt_dur "$ELAPSED") of $(fmt_dur "$BUDGET") done; phase $PHASE)"
else
	event "campaign $OUT"
	[ -z "$PREV" ] || event "previous campaign: $PREV (its merged corpus joins the seeds)"
	[ "$JOBS" -le "$NPROC" ] || warn "--jobs $JOBS is more than the $NPROC cores"
fi
if [ -n "$SYNC_DIR" ]; then
	event "AFL++ sync dir $SYNC_DIR/<target>, role $ROLE, instances $PREFIX-*"
fi
kill_leftovers
save_state
build_all
for t in "${TARGETS[@]}"; do
	prepare_target "$t"
done
load_runs
if [ "$PHASE" = fuzzing ]; then
	rm -rf "$DONE"
	preflight
	fuzz_loop
	if [ -n "$STOP" ]; then
		event "stopped by SIG$STOP after $(fmt_dur "$ELAPSED"): finishing now (resume later with --resume to fuzz the rest)"
	fi
fi
finish
exit
}
