#!/usr/bin/env bash
# bench.sh - chanfuzz's benchmarks, behind `make bench` and `make bench-quick`
# (docs/BENCH.md: method, defects, how to read the tables).
#
#   scripts/bench.sh [--quick] [--trials N] [--cap SEC] [--tput SEC]
#       [--afl-tput SEC] [--bugs LIST] [--configs LIST] [--crc on|off|both]
#       [--crc-off-configs LIST] [--parallel N] [--only LIST] [--out DIR]
#       [--checkpoint DIR] [--keep] [--no-build]
#   scripts/bench.sh --resume DIR [--parallel N] [--keep] [--no-build]
#
# Sections (--only picks some, comma-separated):
#   check    each planted defect's benchmark build faults on its proof-of-
#            concept input with the expected report, and runs its seeds
#            clean (a broken bug zoo stops the run);
#   tput     exec/s of every libFuzzer target (and its _smart twin) on its
#            seeds, and of the AFL++ persistent guard builds, each as a
#            share of a do-nothing target built the same way (the ceiling),
#            in the same run, for the same time, pinned to one core;
#   mutator  share of 10,000 structure-aware mutations that parse with the
#            CRC check on; _smart exec/s against the plain twin (from tput);
#   ttb      time-to-bug: each planted defect x engine configuration x CRC
#            mode (--crc-off-configs: which configurations also run the
#            CRC-skipping baseline; default all), N trials capped at CAP
#            seconds, --parallel trials at a
#            time (default 2, one core each, pinned with taskset); time to
#            the "reached" canary and to the fault; medians, found-rate,
#            Kaplan-Meier restricted mean, and against libFuzzer on bytes
#            the ratio of medians, Mann-Whitney U p and Vargha-Delaney A12
#            (scripts/chanfuzz bench-stats: scripts/lib/chanfuzz/benchstats.py);
#   regress  inputs/s of `make regress`'s replay (scripts/regress.sh);
#   scaling  a campaign (scripts/campaign.sh) with 2 jobs against 1: each
#            engine's exec/s in the 2-job campaign as a share of the same
#            engine alone in a 1-job campaign, summed (2.0 = perfect).
#   filed    what the user reads: the defects of bench/bugs/zoo.tsv that
#            the crash identity work added (supply, valgap, lexhex), each in
#            BENCH_FILED_TRIALS (10) default campaigns of BENCH_FILED_BUDGET
#            (5m) on a patched copy of the checkout against the committed
#            crash store: found-rate and time to be filed as a signature of
#            its own, and CF-291 filed whenever it is not known
#            (scripts/chanfuzz bench-campaign; hours: not in --quick).
# A section whose script is missing is reported "not available".
#
# Defaults (environment BENCH_TRIALS, BENCH_CAP, BENCH_TPUT; options win):
#   full:    20 trials, cap 120 s, all defects, all configurations, CRC on
#            and off, 30 s throughput windows (hours: the nightly machine);
#   --quick: 2 trials, cap 20 s, defects cf291 and typeconf, configurations
#            lf-bytes lf-smart afl-smart, CRC on, 2 s libFuzzer and 8 s
#            AFL++ windows (--afl-tput): < 5 minutes.
# Configurations: lf-bytes lf-dict lf-smart afl afl-cmplog afl-smart.
# Defects: those of bench/bugs/zoo.tsv (strref count re_range typeconf
# stack uaf cf291 at the time of writing); targets: harness/targets.tsv.
#
# Writes bench/results/<UTC date>[-quick].md and .json atomically (a
# temporary file in the same folder, then mv) and prints their paths. The
# work folder (logs, fuzzer output) is build/bench/runs/<stamp>.XXXX/,
# removed once the report is written unless --keep.
#
# --resume DIR carries on a run that was interrupted or killed (a full run
# takes hours): its settings and stamp are DIR's own (only --parallel,
# --keep and --no-build may be given); the sections it finished and every
# trial with a result are kept, an unfinished trial is run again; the tree
# must hold the same parsers/ harness/ bench/ tools/ scripts/ Makefile
# (committed and uncommitted) as when the run started, since the builds
# would differ otherwise. An interrupted run keeps its work
# folder and prints the command that resumes it; the report's duration is
# the sum of the parts.
#
# --checkpoint DIR keeps a copy of the run's state in DIR as it goes (the
# settings, the parts, the finished sections and every trial's result: a
# few hundred KB of text; each file written beside and renamed in), for a
# run longer than one machine's window: commit or upload DIR, and
# `--resume DIR` on another day or machine, from a clone of the same code,
# copies the state into a new work folder and carries on, checkpointing
# into DIR again. Relative paths (--out, --checkpoint) are taken from the
# repository's root. bench/results/ and bench/runs/ (where checkpoints go)
# are not part of the measured code.
#
# Exit status: 0, 1 on a failure (a bug-zoo check, a build, a resume of
# another tree), 2 on bad usage, 130 when interrupted.
set -euo pipefail
export LC_ALL=C
set -m # background jobs in groups of their own: a Ctrl-C reaches bench.sh, whose cleanup stops them all
# (The rest is one { } block: bash reads it whole before running it, so a
# checkout that changes this file does not disturb a run in progress.)
{

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PROG=bench.sh

die() {
	printf '%s: %s\n' "$PROG" "$*" >&2
	exit 1
}
usage_die() {
	printf '%s: %s (try --help)\n' "$PROG" "$*" >&2
	exit 2
}
note() { printf '%s: %s\n' "$PROG" "$*" >&2; }
now() { date +%s.%N; }
usage() {
	sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
	exit 0
}

ALL_CONFIGS="lf-bytes lf-dict lf-smart afl afl-cmplog afl-smart"
ALL_SECTIONS="check tput mutator ttb regress scaling filed"
BASE_CONFIG=lf-bytes
# The fuzz targets (TARGETS, T_INPUT: harness/targets.tsv).
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || exit 1
# The bug zoo: bench/bugs/zoo.tsv, one line per planted defect (its target,
# depth, proof-of-concept inputs and the report its fault gives).
ZOO=bench/bugs/zoo.tsv
ALL_BUGS=''
declare -A BUG_TARGET=() BUG_DEPTH=() BUG_POCS=() BUG_SIG=()
zoo_load() {
	local n=0 name tgt depth pocs report
	[ -r "$ZOO" ] || die "$ZOO: cannot read the bug zoo"
	while IFS=$'\t' read -r name tgt depth pocs report || [ -n "$name" ]; do
		n=$((n + 1))
		case $name in '' | '#'*) continue ;; esac
		if ! [[ $name =~ ^[a-z][a-z0-9_]*$ ]] || [ -n "${BUG_TARGET[$name]:-}" ]; then
			die "$ZOO:$n: defect name '$name' is not [a-z][a-z0-9_]* or is given twice"
		fi
		[ -n "${T_SRC[$tgt]:-}" ] || die "$ZOO:$n: $name: '$tgt' is not a fuzz target (harness/targets.tsv)"
		[[ $depth =~ ^[0-9]$ ]] || die "$ZOO:$n: $name: depth '$depth' is not 0 to 9"
		[[ $pocs =~ ^[a-z0-9_-]+(,[a-z0-9_-]+)*$ ]] || die "$ZOO:$n: $name: pocs '$pocs' is not a list of names"
		[ -n "$report" ] || die "$ZOO:$n: $name: no report pattern"
		[ -f "bench/bugs/$name.patch" ] || die "$ZOO:$n: $name: no bench/bugs/$name.patch"
		ALL_BUGS+="${ALL_BUGS:+ }$name"
		BUG_TARGET[$name]=$tgt BUG_DEPTH[$name]=$depth BUG_POCS[$name]=${pocs//,/ } BUG_SIG[$name]=$report
	done <"$ZOO"
	[ -n "$ALL_BUGS" ] || die "$ZOO: no defects"
}
zoo_load
# The defects time-to-bug measures by default: not those of depth 0, which
# a seed reaches (the campaign's seed replay finds them before any fuzzing:
# docs/CAMPAIGN.md, "Before fuzzing"; a time-to-bug of 0 says nothing).
default_bugs() {
	local b out=''
	for b in $ALL_BUGS; do
		[ "${BUG_DEPTH[$b]}" = 0 ] || out+="${out:+,}$b"
	done
	echo "$out"
}

quick=0 keep=0 build=1
trials='' cap='' tput='' afl_tput='' bugs='' configs='' crc='' only='' offcfg=''
parallel=2 out=bench/results resume='' set_opts='' checkpoint=''

posint() { # name value
	[[ $2 =~ ^[1-9][0-9]{0,6}$ ]] || usage_die "$1 wants a positive integer, not '$2'"
}
in_list() { # word "list of words"
	local x words
	read -r -a words <<<"$2"
	for x in "${words[@]}"; do [ "$x" = "$1" ] && return 0; done
	return 1
}
check_list() { # option value allowed
	local x
	[ -n "$2" ] || usage_die "$1 wants a list"
	local words
	read -r -a words <<<"${2//,/ }"
	for x in "${words[@]}"; do
		in_list "$x" "$3" || usage_die "$1: unknown '$x' (known: $3)"
	done
}

while [ $# -gt 0 ]; do
	case $1 in
	--quick) quick=1 set_opts+=" $1" ;;
	--keep) keep=1 ;;
	--no-build) build=0 ;;
	-h | --help) usage ;;
	--trials | --cap | --tput | --afl-tput | --bugs | --configs | --crc | \
		--crc-off-configs | --parallel | --only | --out | --resume | --checkpoint)
		[ $# -ge 2 ] || usage_die "$1 needs a value"
		case $1 in --parallel | --resume) ;; *) set_opts+=" $1" ;; esac
		case $1 in
		--trials) trials=$2 ;;
		--cap) cap=$2 ;;
		--tput) tput=$2 ;;
		--afl-tput) afl_tput=$2 ;;
		--bugs) bugs=$2 ;;
		--configs) configs=$2 ;;
		--crc) crc=$2 ;;
		--crc-off-configs) offcfg=$2 ;;
		--parallel) parallel=$2 ;;
		--only) only=$2 ;;
		--out) out=$2 ;;
		--resume) resume=$2 ;;
		--checkpoint) checkpoint=$2 ;;
		esac
		shift
		;;
	*) usage_die "unknown argument '$1'" ;;
	esac
	shift
done

TAB=$'\t'
if [ -n "$resume" ]; then
	[ -z "$set_opts" ] ||
		usage_die "--resume takes the run's own settings; not with$set_opts"
	[ -f "$resume/settings" ] ||
		die "$resume: not a bench.sh work folder or checkpoint (no settings file)"
	resume=$(cd "$resume" && pwd)
	# trials cap tput afl_tput bugs configs crc offcfg only quick mode out
	# checkpoint STAMP COMMIT_START COMMIT_DESC (written by the run that
	# started it; checkpoint only by newer runs)
	checkpoint=''
	# shellcheck source=/dev/null
	. "$resume/settings"
	# a checkpoint (not a work folder): it stays where it is, the run goes
	# on in a new work folder and keeps checkpointing there
	if [ -f "$resume/.checkpoint" ]; then
		checkpoint=$resume
	fi
fi
mode=${mode:-full}
if [ -z "$resume" ] && { [ -n "$trials$cap$bugs$configs$crc" ] ||
	[ -n "${BENCH_TRIALS:-}${BENCH_CAP:-}" ]; }; then
	mode=custom
fi
if [ "$quick" = 1 ]; then
	: "${trials:=${BENCH_TRIALS:-2}}" "${cap:=${BENCH_CAP:-20}}"
	: "${tput:=${BENCH_TPUT:-2}}" "${afl_tput:=8}"
	: "${bugs:=cf291,typeconf}" "${configs:=lf-bytes,lf-smart,afl-smart}"
	: "${crc:=on}"
	mode=quick
else
	: "${trials:=${BENCH_TRIALS:-20}}" "${cap:=${BENCH_CAP:-120}}"
	: "${tput:=${BENCH_TPUT:-30}}" "${afl_tput:=30}"
	: "${bugs:=$(default_bugs)}" "${configs:=${ALL_CONFIGS// /,}}"
	: "${crc:=both}"
	if [ "$trials" != 20 ] || [ "$cap" != 120 ]; then mode=custom; fi
fi
: "${only:=${ALL_SECTIONS// /,}}"
: "${offcfg:=${configs}}"
posint --trials "$trials"
posint --cap "$cap"
posint --tput "$tput"
posint --afl-tput "$afl_tput"
posint --parallel "$parallel"
check_list --bugs "$bugs" "$ALL_BUGS"
check_list --configs "$configs" "$ALL_CONFIGS"
check_list --only "$only" "$ALL_SECTIONS"
check_list --crc-off-configs "$offcfg" "$ALL_CONFIGS"
case $crc in
on | off) crcs=$crc ;;
both) crcs="on off" ;;
*) usage_die "--crc is on, off or both, not '$crc'" ;;
esac
bugs=${bugs//,/ } configs=${configs//,/ } only=${only//,/ } offcfg=${offcfg//,/ }
want() { in_list "$1" "$only"; }
[ "$parallel" -le "$(nproc)" ] ||
	usage_die "--parallel $parallel: this machine has $(nproc) cores"
mkdir -p "$out" 2>/dev/null || die "$out: cannot create the results folder"
[ -w "$out" ] || die "$out: not writable"

for cmd in taskset awk timeout pgrep afl-fuzz make jq git python3; do
	command -v "$cmd" >/dev/null 2>&1 || die "$cmd not found (run: make deps)"
done

# What the builds and the method come from (not docs/ or tests/): a resumed
# run must measure the same code. Git tree ids plus the uncommitted diff.
# Results and checkpoints (bench/results, bench/runs) are not code.
MEASURED_PATHS=(parsers harness bench tools scripts Makefile)
NOT_MEASURED=(bench/results bench/runs)
tree_id() {
	local d skip=() excl=()
	for d in "${NOT_MEASURED[@]}"; do
		skip+=(-e $'\t'"$d/")
		excl+=(":(exclude)$d")
	done
	printf '%s %s\n' \
		"$(git ls-tree -r HEAD -- "${MEASURED_PATHS[@]}" 2>/dev/null |
			grep -v "${skip[@]}" | cksum | cut -d' ' -f1)" \
		"$(git diff HEAD -- "${MEASURED_PATHS[@]}" "${excl[@]}" 2>/dev/null | cksum | cut -d' ' -f1)"
}
# copy_state SRC DST: a run's state (settings, part files, finished
# sections, trial results) from one folder to another, each new or changed
# file copied beside and renamed in (a trial's result never changes once
# written: copied once).
copy_state() {
	local src=$1 dst=$2 f rel
	mkdir -p "$dst" || return 1
	for f in "$src"/settings "$src"/part.* "$src"/section.* "$src"/ttb/*/result; do
		[ -f "$f" ] || continue
		case $f in *.tmp*) continue ;; esac
		rel=${f#"$src"/}
		case $rel in
		ttb/*) [ ! -f "$dst/$rel" ] || continue ;;
		*) ! cmp -s -- "$f" "$dst/$rel" || continue ;;
		esac
		mkdir -p "$(dirname -- "$dst/$rel")" &&
			cp -- "$f" "$dst/$rel.tmp" && mv -f -- "$dst/$rel.tmp" "$dst/$rel" || return 1
	done
}
DAY=$(date -u +%Y-%m-%d)
if [ -n "$resume" ]; then
	[ "$(tree_id)" = "$COMMIT_START" ] ||
		die "the run in $resume measured other code ($COMMIT_START: checksums of ${MEASURED_PATHS[*]} and their uncommitted diff; now $(tree_id)): check out the commit it started at (its report names it, $COMMIT_DESC), or start a new run"
	if [ "$checkpoint" = "$resume" ]; then
		mkdir -p "$ROOT/build/bench/runs"
		WORK=$(mktemp -d "$ROOT/build/bench/runs/$STAMP.XXXX")
		copy_state "$resume" "$WORK" || die "$resume: cannot copy the checkpoint into $WORK"
		note "resuming checkpoint $resume in $WORK ($(find "$WORK/ttb" -name result 2>/dev/null | wc -l) trial results)"
	else
		WORK=$resume
	fi
else
	STAMP=$(date -u +%Y%m%dT%H%M%SZ)
	COMMIT_START=$(tree_id)
	COMMIT_DESC=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
	if [ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]; then
		COMMIT_DESC="$COMMIT_DESC+uncommitted"
	fi
	mkdir -p "$ROOT/build/bench/runs"
	WORK=$(mktemp -d "$ROOT/build/bench/runs/$STAMP.XXXX")
	declare -p trials cap tput afl_tput bugs configs crc offcfg only quick mode \
		out checkpoint STAMP COMMIT_START COMMIT_DESC | sed 's/^declare -[-a-zA-Z]* //' >"$WORK/settings.tmp"
	mv "$WORK/settings.tmp" "$WORK/settings"
fi
# One file per part (a run and each resume): start (after the builds),
# last sign of life, load at the start. The report's duration is the sum
# of the parts.
PART=$WORK/part.$(date +%s%N)
PART_START=$(date +%s.%N)
# The load averages ($CF_BENCH_LOADAVG: another file in the tests).
load() { cut -d' ' -f1-3 "${CF_BENCH_LOADAVG:-/proc/loadavg}"; }
PART_LOAD=$(load)
alive() {
	printf '%s %s %s\n' "$PART_START" "$(date +%s.%N)" "$PART_LOAD" >"$PART.tmp"
	mv -f "$PART.tmp" "$PART"
	save_checkpoint
}
# save_checkpoint: the state of WORK into the checkpoint folder.
save_checkpoint() {
	[ -n "$checkpoint" ] || return 0
	copy_state "$WORK" "$checkpoint" || note "checkpoint $checkpoint: cannot write it"
	[ -f "$checkpoint/.checkpoint" ] || : >"$checkpoint/.checkpoint"
}
alive
FINISHED=0
# stop_children: stop every process this script started, however deep.
# A section runs in a child, a trial in a child of that, its fuzzer under
# timeout in a process group of its own (signalling our groups would miss
# it). Each process is frozen before its children are listed (so none
# escapes by forking), then all get SIGTERM and run on to handle it; a trial
# stopped so writes no result.
stop_children() {
	local p depth all=() level=() next=()
	mapfile -t level < <(pgrep -P $$ 2>/dev/null || true)
	for ((depth = 0; depth < 16 && ${#level[@]} > 0; depth++)); do
		next=()
		for p in "${level[@]}"; do
			kill -STOP "$p" 2>/dev/null || continue
			all+=("$p")
			mapfile -t -O "${#next[@]}" next < <(pgrep -P "$p" 2>/dev/null || true)
		done
		level=("${next[@]+"${next[@]}"}")
	done
	[ ${#all[@]} -gt 0 ] || return 0
	kill -TERM "${all[@]}" 2>/dev/null || true
	kill -CONT "${all[@]}" 2>/dev/null || true
}
cleanup() {
	stop_children
	if [ "$FINISHED" = 1 ]; then
		if [ "$keep" = 0 ]; then rm -rf -- "$WORK"; fi
	elif [ -d "$WORK/ttb" ] || [ -n "$(find "$WORK" -maxdepth 1 -name 'section.*' -print -quit 2>/dev/null)" ]; then
		alive
		note "unfinished: resume with scripts/bench.sh --resume ${WORK#"$ROOT"/}"
		[ -z "$checkpoint" ] || note "(or elsewhere, from a clone of the same code: scripts/bench.sh --resume ${checkpoint#"$ROOT"/})"
	elif [ "$keep" = 0 ]; then
		rm -rf -- "$WORK"
	fi
}
trap cleanup EXIT
trap 'note interrupted; exit 130' INT TERM

bug_variant() { # bug crc -> build/bench/ folder name
	if [ "$2" = off ]; then echo "$1-nocrc"; else echo "$1"; fi
}
bug_target() { echo "${BUG_TARGET[$1]}"; }
# What the fault report of each planted defect says (ERE). An AFL++ crash
# is replayed with the guard build: a stack overflow shows as exit=139.
bug_sig() { echo "${BUG_SIG[$1]}"; }
# How deep the defect sits (docs/BENCH.md, "The bug zoo").
bug_depth() { echo "${BUG_DEPTH[$1]}"; }
# The deepest defect (the first of the deepest in the list).
DEEPEST=''
for b in $ALL_BUGS; do
	[ -n "$DEEPEST" ] && [ "${BUG_DEPTH[$b]}" -le "${BUG_DEPTH[$DEEPEST]}" ] || DEEPEST=$b
done
# make_poc POC FILE: write the proof-of-concept input POC (zoo.tsv's pocs
# column): bench/bugs/POC.cft compiled by cftool, bench/bugs/POC.poc as it
# is, or else what bench_tool makes.
make_poc() {
	if [ -f "bench/bugs/$1.cft" ]; then
		build/cftool asm "bench/bugs/$1.cft" -o "$2"
	elif [ -f "bench/bugs/$1.poc" ]; then
		cp -- "bench/bugs/$1.poc" "$2"
	else
		build/bench/bench_tool poc "$1" "$2"
	fi
}

export ASAN_OPTIONS=detect_leaks=0:symbolize=0:handle_abort=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=0
# The AFL++ builds are guard builds (no sanitizer): afl-fuzz refuses an
# ASAN_OPTIONS without abort_on_error=1, so it gets none.
AFL_ENV=(-u ASAN_OPTIONS -u UBSAN_OPTIONS AFL_SKIP_CPUFREQ=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_FAST_CAL=1
	AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_QUIET=1)

LOAD_START=$(load)
UPTIME_START=$(uptime)
note "mode $mode; work folder $WORK; load $LOAD_START"

# ---- builds ----------------------------------------------------------------
# Only what the chosen sections run (scaling's campaigns build their own).
need=()
if want tput; then
	need+=(build/bench/fuzz_noop build/bench/afl_noop)
	for t in "${TARGETS[@]}"; do
		need+=("build/fuzz/$t" "build/afl/$t")
		[ "${T_MUT[$t]}" = none ] || need+=("build/fuzz/${t}_smart")
	done
fi
if want mutator || want check; then need+=(build/bench/bench_tool); fi
# need_zoo BUGS CRCS KIND...: the zoo builds of each defect in each CRC
# mode; KIND is a build folder (fuzz, afl, cmplog) or fuzz_smart.
need_zoo() {
	local b c k v t zbugs=$1 zcrcs=$2
	shift 2
	for b in $zbugs; do
		for c in $zcrcs; do
			v=$(bug_variant "$b" "$c") t=$(bug_target "$b")
			for k; do
				case $k in
				fuzz_smart)
					[ "${T_MUT[$t]}" = none ] ||
						need+=("build/bench/$v/fuzz/${t}_smart")
					;;
				*) need+=("build/bench/$v/$k/$t") ;;
				esac
			done
		done
	done
}
if want ttb; then
	need+=(build/afl/cf_mutator.so)
	need_zoo "$bugs" "$crcs" fuzz fuzz_smart afl cmplog
fi
# The check covers every defect whatever the run measures.
if want check; then need_zoo "$ALL_BUGS" "on off" fuzz afl; fi
# The replay builds of `make regress` (crash pipeline), when the tree has
# them: built here, so that the regress section times the replay only.
if want regress && [ -x scripts/regress.sh ] && grep -q '^replay:' Makefile; then
	for t in "${TARGETS[@]}"; do need+=("build/replay/$t"); done
fi
if [ "$build" = 1 ]; then
	T_BUILD=$(now)
	note "building what is missing (make -j$(nproc))"
	make --no-print-directory -s -j"$(nproc)" build/cftool >/dev/null ||
		die "build failed: build/cftool"
	make --no-print-directory -s corpus >/dev/null || die "make corpus failed"
	if [ ${#need[@]} -gt 0 ]; then
		mapfile -t need < <(printf '%s\n' "${need[@]}" | sort -u)
		make --no-print-directory -s -j"$(nproc)" "${need[@]}" >"$WORK/build.log" 2>&1 ||
			{ tail -n 30 "$WORK/build.log" >&2; die "build failed (log above)"; }
	fi
	BUILD_S=$(awk -v a="$T_BUILD" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
else
	BUILD_S=0
fi
for f in "${need[@]+"${need[@]}"}"; do [ -e "$f" ] || die "$f missing (run: make bench-build)"; done
T_BENCH=$(now)
# The benchmark part starts now: builds are not counted.
PART_START=$T_BENCH
PART_LOAD=$(load)
note "benchmarks start; load $PART_LOAD"
alive

# Seeds: a snapshot of the compiled seeds only (corpus/<t>/ may also hold
# what someone's fuzzer saved there): the files `make corpus` writes for
# the target's input kind (harness/targets.tsv), or every file of a
# target whose seeds are committed as they are.
SEEDS=$WORK/seeds
for t in "${TARGETS[@]}"; do
	[ -z "$resume" ] || [ ! -d "$SEEDS/$t" ] || continue
	mkdir -p "$SEEDS/$t"
	case ${T_INPUT[$t]} in
	chan) cp "corpus/$t"/*.cf "$SEEDS/$t/" ;;
	regex) cp "corpus/$t"/regex-*.bin "$SEEDS/$t/" ;;
	*) find "corpus/$t" -maxdepth 1 -type f ! -name '.*' -exec cp -t "$SEEDS/$t/" -- {} + ;;
	esac
done

# Which core: the least busy one now (idle time over 0.5 s), unless only
# one is asked for anyway.
idle_core() {
	local a b
	a=$(grep '^cpu[0-9]' /proc/stat)
	sleep 0.5
	b=$(grep '^cpu[0-9]' /proc/stat)
	paste <(printf '%s\n' "$a") <(printf '%s\n' "$b") |
		awk '{ n = NF / 2; i = $5 + $6; j = $(n + 5) + $(n + 6);
		       sub("cpu", "", $1); if (j - i > best) { best = j - i; c = $1 } }
		     END { print (c == "" ? 0 : c) }'
}

# ---- check: the bug zoo ------------------------------------------------------
CHECK_ROWS=()
check_zoo() {
	local p b c v t poc log rc sig ok_poc ok_afl ok_seed
	local -A seeds_ok=() # build -> its seeds' verdict (run once per build)
	note "check: every planted defect faults on its inputs, seeds run clean"
	mkdir -p "$WORK/check"
	for b in $ALL_BUGS; do
		sig=$(bug_sig "$b")
		for p in ${BUG_POCS[$b]}; do
			poc=$WORK/check/$p.cf
			make_poc "$p" "$poc" || die "check: no input $p for $b"
			for c in on off; do
				v=$(bug_variant "$b" "$c") t=$(bug_target "$b")
				log=$WORK/check/$v.$p.lf.log
				rc=0
				timeout 60 "build/bench/$v/fuzz/$t" -runs=1 \
					-artifact_prefix="$WORK/check/" "$poc" >"$log" 2>&1 || rc=$?
				ok_poc=no
				[ "$rc" != 0 ] && grep -Eq "$sig" "$log" && ok_poc=yes
				rc=0
				{ timeout 60 "build/bench/$v/afl/$t" "$poc" >"$log.afl" 2>&1; } 2>/dev/null || rc=$?
				echo "exit=$rc" >>"$log.afl"
				ok_afl=no
				[ "$rc" != 0 ] && grep -Eq "$sig" "$log.afl" && ok_afl=yes
				if [ -z "${seeds_ok[$v]:-}" ]; then
					rc=0
					timeout 120 "build/bench/$v/fuzz/$t" -runs=0 \
						-artifact_prefix="$WORK/check/" "$SEEDS/$t" >"$WORK/check/$v.seeds.log" 2>&1 || rc=$?
					seeds_ok[$v]=no
					if [ "${BUG_DEPTH[$b]}" = 0 ]; then
						# depth 0: a seed reaches it, with its fault
						[ "$rc" != 0 ] && grep -Eq "$sig" "$WORK/check/$v.seeds.log" &&
							seeds_ok[$v]=yes
					elif [ "$rc" = 0 ]; then
						seeds_ok[$v]=yes
					fi
				fi
				ok_seed=${seeds_ok[$v]}
				CHECK_ROWS+=("$p${TAB}$c${TAB}$ok_poc${TAB}$ok_afl${TAB}$ok_seed")
				if [ "$ok_poc$ok_afl$ok_seed" != yesyesyes ]; then
					tail -n 5 "$log" "$log.afl" "$WORK/check/$v.seeds.log" >&2
					die "check: $v: fault on its input $p libFuzzer=$ok_poc AFL++=$ok_afl, seeds clean=$ok_seed"
				fi
			done
		done
	done
}

# ---- throughput ----------------------------------------------------------------
# libFuzzer: one run of SEC seconds, restarted after a crash (a target that
# finds a bug ends early) until SEC seconds are spent. Prints "execs secs
# folder", the folder holding the corpus the run grew.
lf_run() { # bin seeds sec cpu
	local bin=$1 seeds=$2 sec=$3 cpu=$4 w execs=0 spent=0 t0 t1 left e k
	w=$(mktemp -d "$WORK/tput.XXXXXX")
	mkdir -p "$w/corpus"
	for ((k = 0; k < 20; k++)); do
		left=$(awk -v s="$sec" -v p="$spent" 'BEGIN { l = s - p; printf "%d", (l < 1 ? 0 : l + 0.5) }')
		[ "$left" -gt 0 ] || break
		t0=$(now)
		taskset -c "$cpu" "$bin" -max_total_time="$left" -print_final_stats=1 \
			-timeout=10 -max_len=8192 -artifact_prefix="$w/" \
			"$w/corpus" "$seeds" >"$w/log.$k" 2>&1 || true
		t1=$(now)
		e=$(awk '/stat::number_of_executed_units/ { v = $2 } END { print v + 0 }' "$w/log.$k")
		execs=$((execs + e))
		spent=$(awk -v a="$t0" -v b="$t1" -v s="$spent" 'BEGIN { printf "%.3f", s + b - a }')
	done
	echo "$execs $spent $w"
}
# The plain twin on a _smart run's final corpus, each input once (no
# mutation): exec/s of the target alone on the inputs the mutator made.
# The start-up time (the same run on an empty folder) is taken off.
lf_replay() { # bin corpus cpu -> "inputs secs"
	local t0 t1 t2 n e
	e=$(mktemp -d "$WORK/empty.XXXXXX")
	t0=$(now)
	taskset -c "$3" "$1" -runs=0 -artifact_prefix="$e/" "$e" >/dev/null 2>&1 || true
	t1=$(now)
	taskset -c "$3" "$1" -runs=0 -max_len=8192 -timeout=10 \
		-artifact_prefix="$2/../" "$2" >"$2/../replay.log" 2>&1 || true
	t2=$(now)
	n=$(find "$2" -type f | wc -l)
	awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" \
		'BEGIN { t = (c - b) - (b - a); printf "%d %.3f\n", n, (t > 0.001 ? t : 0.001) }'
}
# AFL++: persistent guard build for SEC seconds, pinned to cpu. Prints
# "execs secs" from fuzzer_stats.
afl_run() { # bin seeds sec cpu
	local bin=$1 seeds=$2 sec=$3 cpu=$4 o
	o=$(mktemp -d "$WORK/afltput.XXXXXX")
	env "${AFL_ENV[@]}" timeout -k 5 $((sec + 120)) taskset -c "$cpu" \
		afl-fuzz -i "$seeds" -o "$o/out" -V "$sec" -- "$bin" >"$o/log" 2>&1 || true
	awk -F' *: *' '$1 == "execs_done" { e = $2 } $1 == "execs_per_sec" { r = $2 }
		END { if (r + 0 > 0) printf "%d %.3f\n", e, e / r; else print 0, 0 }' \
		"$o/out/default/fuzzer_stats" 2>/dev/null || echo "0 0"
}
rate() { awk -v e="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? e / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b > 0 ? a / b : 0) }'; }

TPUT_ROWS=()  # engine target execs secs exec_s ceiling ratio note
SMART_ROWS=() # target plain smart ratio replay-of-smart-corpus ratio
throughput() {
	local cpu t r1 r2 n1 n2 ceil e s er se sr x rp rr
	cpu=$(idle_core)
	note "throughput: libFuzzer, ${tput}s windows on core $cpu"
	r1=$(lf_run build/bench/fuzz_noop "$SEEDS/fuzz_interp_716" "$tput" "$cpu")
	declare -A PL
	for t in "${TARGETS[@]}"; do
		x=$(lf_run "build/fuzz/$t" "$SEEDS/$t" "$tput" "$cpu")
		PL[$t]=$x
		# a target without a structure-aware mutator has no _smart twin
		[ "${T_MUT[$t]}" != none ] || continue
		x=$(lf_run "build/fuzz/${t}_smart" "$SEEDS/$t" "$tput" "$cpu")
		PL[${t}_smart]=$x
		x=$(lf_replay "build/fuzz/$t" "${x##* }/corpus" "$cpu")
		PL[${t}_replay]=$x
	done
	r2=$(lf_run build/bench/fuzz_noop "$SEEDS/fuzz_interp_716" "$tput" "$cpu")
	# The ceiling: both do-nothing runs, before and after.
	r1=${r1% *} r2=${r2% *}
	n1=$(rate "${r1% *}" "${r1#* }") n2=$(rate "${r2% *}" "${r2#* }")
	ceil=$(awk -v a="$n1" -v b="$n2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
	TPUT_ROWS+=("libfuzzer${TAB}fuzz_noop${TAB}$(( ${r1% *} + ${r2% *} ))${TAB}$(awk -v a="${r1#* }" -v b="${r2#* }" 'BEGIN { print a + b }')${TAB}$ceil${TAB}$ceil${TAB}1.000${TAB}before $n1, after $n2")
	for t in "${TARGETS[@]}"; do
		for x in "$t" "${t}_smart"; do
			[ -n "${PL[$x]:-}" ] || continue
			PL[$x]=${PL[$x]% *}
			e=${PL[$x]% *} s=${PL[$x]#* }
			er=$(rate "$e" "$s")
			TPUT_ROWS+=("libfuzzer${TAB}$x${TAB}$e${TAB}$s${TAB}$er${TAB}$ceil${TAB}$(ratio "$er" "$ceil")${TAB}")
		done
		[ "${T_MUT[$t]}" != none ] || continue
		er=$(rate "${PL[$t]% *}" "${PL[$t]#* }")
		se=$(rate "${PL[${t}_smart]% *}" "${PL[${t}_smart]#* }")
		sr=$(ratio "$se" "$er")
		# Too few inputs (a run that crashed at once) time the start-up,
		# not the target: no figure.
		rp=0 rr=0
		if [ "${PL[${t}_replay]% *}" -ge 50 ]; then
			rp=$(rate "${PL[${t}_replay]% *}" "${PL[${t}_replay]#* }")
			rr=$(ratio "$se" "$rp")
		fi
		SMART_ROWS+=("$t${TAB}$er${TAB}$se${TAB}$sr${TAB}$rp${TAB}$rr")
	done
	local afl_targets="${TARGETS[*]}"
	[ "$quick" = 1 ] && afl_targets="fuzz_interp_716"
	cpu=$(idle_core)
	note "throughput: AFL++ persistent, ${afl_tput}s windows on core $cpu"
	r1=$(afl_run build/bench/afl_noop "$SEEDS/fuzz_interp_716" "$afl_tput" "$cpu")
	declare -A AR
	for t in $afl_targets; do
		AR[$t]=$(afl_run "build/afl/$t" "$SEEDS/$t" "$afl_tput" "$cpu")
	done
	r2=$(afl_run build/bench/afl_noop "$SEEDS/fuzz_interp_716" "$afl_tput" "$cpu")
	n1=$(rate "${r1% *}" "${r1#* }") n2=$(rate "${r2% *}" "${r2#* }")
	ceil=$(awk -v a="$n1" -v b="$n2" 'BEGIN { printf "%.0f", (a + b) / 2 }')
	TPUT_ROWS+=("afl${TAB}afl_noop${TAB}$(( ${r1% *} + ${r2% *} ))${TAB}$(awk -v a="${r1#* }" -v b="${r2#* }" 'BEGIN { print a + b }')${TAB}$ceil${TAB}$ceil${TAB}1.000${TAB}before $n1, after $n2")
	for t in $afl_targets; do
		e=${AR[$t]% *} s=${AR[$t]#* }
		er=$(rate "$e" "$s")
		TPUT_ROWS+=("afl${TAB}$t${TAB}$e${TAB}$s${TAB}$er${TAB}$ceil${TAB}$(ratio "$er" "$ceil")${TAB}")
	done
}

# ---- mutator -------------------------------------------------------------------
MUTSTAT=''
mutator() {
	note "mutator: 10,000 structure-aware mutations from the seeds"
	MUTSTAT=$(build/bench/bench_tool mutstat --runs 10000 --max 8192 build/corpus) ||
		die "bench_tool mutstat failed"
}
mutkey() { tr ' ' '\n' <<<"$MUTSTAT" | awk -F= -v k="$1" '$1 == k { print $2 }'; }

# ---- time-to-bug ---------------------------------------------------------------
# One trial; writes one line (the input of scripts/chanfuzz bench-stats) to
# DIR/result.
trial() { # bug crc config n cpu dir
	local b=$1 c=$2 cfg=$3 n=$4 cpu=$5 d=$6 v t bin seed t0 t1 found=0 trig=- \
		reached=0 reach=- endt crash='' sig=- execs=0 rc=0 x
	v=$(bug_variant "$b" "$c") t=$(bug_target "$b")
	seed=$((n * 7919 + 104729))
	mkdir -p "$d/canary" "$d/corpus"
	t0=$(now)
	case $cfg in
	lf-*)
		bin=build/bench/$v/fuzz/$t
		local extra=()
		[ "$cfg" = lf-smart ] && bin=${bin}_smart
		[ "$cfg" = lf-dict ] && extra=(-dict="harness/$t.dict")
		CF_BENCH_CANARY=$d/canary timeout -k 5 $((cap + 60)) taskset -c "$cpu" \
			"$bin" -max_total_time="$cap" -print_final_stats=1 -timeout=10 \
			-max_len=8192 -seed="$seed" -artifact_prefix="$d/" \
			"${extra[@]+"${extra[@]}"}" "$d/corpus" "$SEEDS/$t" >"$d/log" 2>&1 || rc=$?
		t1=$(now)
		crash=$(find "$d" -maxdepth 1 -name 'crash-*' -print -quit)
		execs=$(awk '/stat::number_of_executed_units/ { v = $2 } END { print v + 0 }' "$d/log")
		if [ -n "$crash" ]; then
			grep -Eq "$(bug_sig "$b")" "$d/log" && sig=ok || sig=other
		fi
		;;
	afl*)
		bin=build/bench/$v/afl/$t
		local extra=() envx=()
		[ "$cfg" = afl-cmplog ] && extra=(-c "build/bench/$v/cmplog/$t" -l 2AT)
		[ "$cfg" = afl-smart ] &&
			envx=(AFL_CUSTOM_MUTATOR_LIBRARY="$ROOT/build/afl/cf_mutator.so")
		env "${AFL_ENV[@]}" "${envx[@]+"${envx[@]}"}" AFL_BENCH_UNTIL_CRASH=1 \
			CF_BENCH_CANARY="$d/canary" timeout -k 5 $((cap + 120)) \
			taskset -c "$cpu" afl-fuzz -i "$SEEDS/$t" -o "$d/out" -V "$cap" \
			-s "$seed" "${extra[@]+"${extra[@]}"}" -- "$bin" >"$d/log" 2>&1 || rc=$?
		t1=$(now)
		crash=$(find "$d/out/default/crashes" -name 'id:*' -print -quit 2>/dev/null || true)
		execs=$(awk -F' *: *' '$1 == "execs_done" { print $2 + 0 }' \
			"$d/out/default/fuzzer_stats" 2>/dev/null || echo 0)
		if [ -n "$crash" ]; then
			x=0
			{ CF_BENCH_CANARY='' timeout 30 "$bin" "$crash" >"$d/replay" 2>&1; } 2>/dev/null || x=$?
			echo "exit=$x" >>"$d/replay"
			grep -Eq "$(bug_sig "$b")" "$d/replay" && sig=ok || sig=other
		fi
		;;
	esac
	endt=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
	if [ "$sig" = ok ]; then
		found=1
		trig=$(awk -v a="$t0" -v b="$(stat -c %.9Y "$crash")" 'BEGIN { printf "%.3f", b - a }')
	fi
	if [ -s "$d/canary/reached" ]; then
		reached=1
		reach=$(awk -v a="$t0" '{ printf "%.3f", $2 - a; exit }' "$d/canary/reached")
	fi
	# A found defect was reached, whatever the canary file says.
	if [ "$found" = 1 ] && [ "$reached" = 0 ]; then reached=1 reach=$trig; fi
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$c" "$cfg" \
		"$n" "$found" "$trig" "$reached" "$reach" "$endt" "$execs" "$sig" \
		"$seed" >"$d/result.tmp"
	mv "$d/result.tmp" "$d/result"
}

TTB_TSV=$WORK/trials.tsv
time_to_bug() {
	local jobs=() j b c cfg n cpu id i slot
	for n in $(seq 1 "$trials"); do
		for b in $bugs; do
			for c in $crcs; do
				for cfg in $configs; do
					if [ "$c" = off ] && ! in_list "$cfg" "$offcfg"; then
						continue
					fi
					# no structure-aware mutator for the target (its
					# mutator column says none): no _smart cell
					case $cfg in
					*-smart) [ "${T_MUT[$(bug_target "$b")]}" != none ] || continue ;;
					esac
					jobs+=("$b $c $cfg $n")
				done
			done
		done
	done
	note "time-to-bug: ${#jobs[@]} trials (cap ${cap}s, $parallel at a time)"
	declare -a slot_pid
	for ((i = 0; i < parallel; i++)); do slot_pid[i]=0; done
	local done_n=0 kept=0
	for j in "${jobs[@]}"; do
		read -r b c cfg n <<<"$j"
		id="$b-$c-$cfg-$n"
		# Resumed: a trial with a result stands; one cut short runs again.
		if [ -f "$WORK/ttb/$id/result" ]; then
			kept=$((kept + 1))
			continue
		fi
		rm -rf -- "$WORK/ttb/$id"
		# wait for a free slot
		while :; do
			slot=-1
			for ((i = 0; i < parallel; i++)); do
				if [ "${slot_pid[i]}" = 0 ] || ! kill -0 "${slot_pid[i]}" 2>/dev/null; then
					if [ "${slot_pid[i]}" != 0 ]; then
						wait "${slot_pid[i]}" 2>/dev/null || true
					fi
					slot_pid[i]=0
					slot=$i
					break
				fi
			done
			[ "$slot" -ge 0 ] && break
			wait -n 2>/dev/null || true
			done_n=$((done_n + 1))
		done
		alive
		cpu=$slot
		[ "$parallel" = 1 ] && cpu=$(idle_core)
		trial "$b" "$c" "$cfg" "$n" "$cpu" "$WORK/ttb/$id" >/dev/null 2>&1 &
		slot_pid[slot]=$!
	done
	wait || true
	[ "$kept" = 0 ] || note "time-to-bug: $kept trials kept from before the resume"
	cat "$WORK"/ttb/*/result >"$TTB_TSV" 2>/dev/null || : >"$TTB_TSV"
	[ "$(wc -l <"$TTB_TSV")" = "${#jobs[@]}" ] ||
		note "time-to-bug: $(wc -l <"$TTB_TSV") results for ${#jobs[@]} trials"
	sort -t"$(printf '\t')" -k1,1 -k2,2r -k3,3 -k4,4n -o "$TTB_TSV" "$TTB_TSV"
	TTB_N=$(wc -l <"$TTB_TSV")
	scripts/chanfuzz bench-stats --cap "$cap" --base "$BASE_CONFIG" \
		"$TTB_TSV" >"$WORK/cells.tsv"
}

# ---- regression replay and scaling ----------------------------------------------
REGRESS='' SCALING='' FILED=''
regress() {
	local t0 t1 log rc=0 p f
	if [ ! -x scripts/regress.sh ]; then
		REGRESS="na	scripts/regress.sh is not in this tree"
		return
	fi
	note "regress: building the replay builds, then timing scripts/regress.sh"
	if ! make --no-print-directory -s -j"$(nproc)" replay corpus >"$WORK/regress-build.log" 2>&1; then
		REGRESS="na	make replay failed (see the work folder)"
		return
	fi
	log=$WORK/regress.log
	t0=$(now)
	scripts/regress.sh >"$log" 2>&1 || rc=$?
	t1=$(now)
	read -r p f < <(awk '/^regress: [0-9]+ passed, [0-9]+ failed/ { p = $2; f = $4 }
		END { print p + 0, f + 0 }' "$log")
	if [ $((p + f)) = 0 ]; then
		REGRESS="na	scripts/regress.sh printed no count (exit $rc)"
		return
	fi
	REGRESS=$(awk -v n=$((p + f)) -v a="$t0" -v b="$t1" -v f="$f" -v rc="$rc" \
		'BEGIN { printf "ok\t%d\t%.2f\t%.1f\t%d\t%d", n, b - a, n / (b - a), f, rc }')
}
# Scaling: does a second job give a second job's worth of fuzzing? The
# campaign gives its jobs unlike work (1 job: one AFL++ instance; 2 jobs:
# that instance plus a libFuzzer job), so raw execs of 1 and 2 jobs compare
# unlike engines. Each engine of the 2-job campaign is measured against
# the same engine running alone in a 1-job campaign (--engines), and the
# figure is the sum of those shares: 2.0 when each job runs as fast as it
# would alone. Also run: AFL++ only with 2 instances (raw execs, main +
# cmplog: unlike roles again, reported for information).
SCALE_BUDGET=60
scale_run() { # NAME JOBS [campaign options] -> "afl_execs lf_execs secs"
	local name=$1 j=$2 o e
	shift 2
	o=$WORK/campaign-$name
	note "scaling: campaign $name (--jobs $j $*), ${SCALE_BUDGET}s"
	if ! timeout $((SCALE_BUDGET * 6 + 300)) scripts/campaign.sh --budget "${SCALE_BUDGET}s" \
		--jobs "$j" "$@" --targets fuzz_interp_716 --out "$o" \
		--crashes "$WORK/campaign-crashes" >"$o.log" 2>&1; then
		echo "fail scripts/campaign.sh --jobs $j $* failed (see ${o#"$ROOT"/}.log)"
		return
	fi
	# report.json, schema chanfuzz-campaign-report/1
	e=$(jq -r '"\(.totals.aflpp_execs // 0) \(.totals.libfuzzer_execs // 0) \(.campaign.fuzz_seconds // 0)"' \
		"$o/report.json" 2>/dev/null || echo "0 0 0")
	if ! awk -v x="$e" 'BEGIN { split(x, a, " "); exit !(a[1] + a[2] > 0 && a[3] > 0) }'; then
		echo "fail no execs or fuzzing time in ${o#"$ROOT"/}/report.json"
		return
	fi
	echo "$e"
}
scaling() {
	local a1 l1 m2 a2 x
	if [ ! -x scripts/campaign.sh ]; then
		SCALING="na	scripts/campaign.sh is not in this tree yet"
		return
	fi
	[ "$quick" = 1 ] && { SCALING="na	skipped in quick mode"; return; }
	if ! scripts/campaign.sh --help 2>/dev/null | grep -q -- '--engines'; then
		SCALING="na	scripts/campaign.sh has no --engines option"
		return
	fi
	a1=$(scale_run afl-1 1 --engines afl)
	l1=$(scale_run libfuzzer-1 1 --engines libfuzzer)
	m2=$(scale_run both-2 2)
	a2=$(scale_run afl-2 2 --engines afl)
	for x in "$a1" "$l1" "$m2" "$a2"; do
		case $x in fail*)
			SCALING="na${TAB}${x#fail }"
			return
			;;
		esac
	done
	# ok, per-engine exec/s alone (AFL++, libFuzzer), in the 2-job campaign
	# (AFL++, libFuzzer), the figure (sum of shares), AFL++ 2 instances
	# against 1 (raw), all engines 2 jobs against 1 (raw, the old figure)
	SCALING=$(awk -v a1="$a1" -v l1="$l1" -v m2="$m2" -v a2="$a2" 'BEGIN {
		split(a1, A, " "); split(l1, L, " "); split(m2, M, " "); split(a2, B, " ")
		ra = A[1] / A[3]; rl = L[2] / L[3]
		ma = M[1] / M[3]; ml = M[2] / M[3]
		f = (ra > 0 ? ma / ra : 0) + (rl > 0 ? ml / rl : 0)
		b = B[1] / B[3]
		printf "ok\t%.0f\t%.0f\t%.0f\t%.0f\t%.2f\t%.2f\t%.2f", ra, rl, ma, ml, f,
			(ra > 0 ? b / ra : 0), (ra > 0 ? (ma + ml) / ra : 0) }')
}

# The campaign benchmark (docs/BENCH.md, "Filed as its own signature"): its
# own results file (bench-campaign resumes from it: the trials done are kept
# when a resumed bench run runs the section again).
filed() {
	local n=${BENCH_FILED_TRIALS:-10} b=${BENCH_FILED_BUDGET:-5m}
	[ "$quick" = 1 ] && { FILED="na${TAB}skipped in quick mode (scripts/chanfuzz bench-campaign: 30 default campaigns)"; return; }
	note "filed: $n default campaigns of $b per defect (scripts/chanfuzz bench-campaign)"
	if scripts/chanfuzz bench-campaign --trials "$n" --budget "$b" --out "$WORK" --name filed \
		--work "$WORK/filed-work" >"$WORK/filed.log" 2>&1; then
		FILED="ok${TAB}$WORK/filed.json"
	else
		FILED="na${TAB}scripts/chanfuzz bench-campaign failed (see ${WORK#"$ROOT"/}/filed.log)"
	fi
}

# ---- run -------------------------------------------------------------------
# A finished section leaves WORK/section.NAME (its results as shell
# assignments, sourced here at the top level): a resumed run skips it.
section() { # NAME FUNCTION VARIABLE...
	local name=$1 fn=$2
	shift 2
	if [ -f "$WORK/section.$name" ]; then
		note "$name: kept from before the resume"
		return 0
	fi
	# In a child that bench.sh waits for: bash runs a trap only once a
	# foreground command has ended but interrupts `wait`, so a signal stops
	# a run at once, not at the end of a 60 s campaign. The section's
	# variables come back through its file.
	(
		"$fn"
		declare -p "$@" | sed 's/^declare -\([-a-zA-Z]*\) /declare -g\1 /; s/^declare -g- /declare -g /' >"$WORK/section.$name.tmp"
	) </dev/null &
	wait $! || exit $?
	mv "$WORK/section.$name.tmp" "$WORK/section.$name"
	alive
}
for sec in check:check_zoo:CHECK_ROWS tput:throughput:TPUT_ROWS:SMART_ROWS \
	mutator:mutator:MUTSTAT ttb:time_to_bug:TTB_N regress:regress:REGRESS \
	scaling:scaling:SCALING filed:filed:FILED; do
	IFS=: read -r -a f <<<"$sec"
	want "${f[0]}" || continue
	section "${f[@]}"
	# shellcheck source=/dev/null
	. "$WORK/section.${f[0]}"
done
LOAD_END=$(load)
UPTIME_END=$(uptime)
alive
# The sum of the parts (one unless resumed), from their part files; the
# first part's load and uptime stand for the start.
read -r DURATION PARTS < <(cat "$WORK"/part.* | awk '{ d += $2 - $1; n++ } END { printf "%.0f %d\n", d, n }')
LOAD_START=$(sort -n "$WORK"/part.* | head -n 1 | cut -d' ' -f3-)

# ---- report ----------------------------------------------------------------------
. "$ROOT/scripts/bench-report.sh"
FINISHED=1
exit
}
