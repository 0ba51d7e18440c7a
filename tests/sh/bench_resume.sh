# bench_resume.sh - scripts/bench.sh keeps what an interrupted run measured
# and carries on with --resume: a tiny run (one defect, one configuration,
# 2 trials of 3 s) is stopped with SIGTERM during its first trial, resumed
# to the end, resumed again (everything kept), and refused when the
# settings name other code or when settings are given on the command line;
# then a run with --checkpoint, stopped, its work folder deleted, resumed
# from the checkpoint alone; last, runs stopped while a trial's fuzzer
# runs and during a throughput window end at once and leave no fuzzer.
# shellcheck shell=bash
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
B=scripts/bench.sh
export BENCH_TRIALS='' BENCH_CAP='' BENCH_TPUT=''

# Usage errors first: they need no build.
run $B --resume "$TMP/nowhere" --trials 3
expect_rc 2 "--resume with --trials"
expect_err 'takes the run.s own settings' "--resume with --trials: message"
run $B --resume "$TMP/nowhere"
expect_rc 1 "--resume of a folder that is not a run"
expect_err 'not a bench.sh work folder' "--resume of a folder that is not a run: message"

# stop_run UNTIL ARGS...: start a run, SIGTERM it as soon as the function
# UNTIL (which sees W) succeeds; W is its work folder, SEEN 1 if UNTIL
# succeeded, RC its exit status, STOP_S the seconds from the signal to its
# end, ERR its stderr.
stop_run() {
	local until=$1
	shift
	$B "$@" >"$TMP/run1.out" 2>"$TMP/run1.err" &
	local pid=$!
	W='' SEEN=0
	for _ in $(seq 1 3000); do # up to 300 s (the first run builds)
		W=$(sed -n 's/.*work folder \([^;]*\);.*/\1/p' "$TMP/run1.err")
		if [ -n "$W" ] && $until; then
			SEEN=1
			break
		fi
		kill -0 $pid 2>/dev/null || break
		sleep 0.1
	done
	local k0
	k0=$(date +%s.%N)
	kill -TERM $pid 2>/dev/null
	RC=0
	wait $pid || RC=$?
	STOP_S=$(awk -v a="$k0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	cp "$TMP/run1.err" "$ERR"
	: >"$OUT"
}
# gone PATTERN: no process's command line has PATTERN, within 2 s (and
# never for an empty work folder: the pattern would be "/" or "/ttb/").
gone() {
	[ -n "$W" ] || return 1
	for _ in $(seq 1 20); do
		pgrep -f -- "$1" >/dev/null || return 0
		sleep 0.1
	done
	return 1
}
# reap PATTERN: stop what a failed check left behind, only under a known
# work folder (an empty W would make the pattern match every process).
reap() {
	[ -n "$W" ] || return 0
	pkill -TERM -f -- "$1" 2>/dev/null || true
}
in_first_trial() { [ -d "$W/ttb" ]; }
fuzzer_runs() { pgrep -f -- "-artifact_prefix=$W/ttb/" >/dev/null; }
tput_runs() { pgrep -f -- "-artifact_prefix=$W/tput" >/dev/null; }
# shellcheck disable=SC2054 # the commas are in option values (--only a,b)
TINY=(--only mutator,ttb --trials 2 --cap 3 --bugs cf291 --configs lf-smart --crc on --parallel 1)

# The run, stopped during its first trial; its load averages come from a
# file that changes once the trials run.
echo "1.11 2.22 3.33 1/100 4242" >"$TMP/loadavg"
export CF_BENCH_LOADAVG=$TMP/loadavg
load_moves() { in_first_trial && echo "7.77 8.88 9.99 1/100 4242" >"$TMP/loadavg"; }
stop_run load_moves "${TINY[@]}" --keep --out "$TMP/res"
unset CF_BENCH_LOADAVG
expect_rc 130 "bench.sh stopped with SIGTERM"
expect_err 'unfinished: resume with scripts/bench.sh --resume build/bench/runs/' "stopped run: resume hint"
if [ -n "$W" ] && [ -f "$W/settings" ] && [ -f "$W/section.mutator" ]; then ok; else bad "stopped run: work folder $W with settings and section.mutator"; fi
if [ -z "$(ls "$TMP/res" 2>/dev/null)" ]; then ok; else bad "stopped run: no report yet"; fi
# The part file keeps the load at the part's start (the report's "load at
# the start"), not the load of its last heartbeat (here, on the stop).
expect_err 'benchmarks start; load 1.11 2.22 3.33$' "stopped run: load at the start noted"
L1=$(cut -d' ' -f3- "$W"/part.* 2>/dev/null)
if [ "$L1" = "1.11 2.22 3.33" ]; then ok; else bad "part file load '$L1', want the start's '1.11 2.22 3.33'"; fi

# Resumed: the mutator section is kept, the cut trial runs again.
run $B --resume "$W" --keep
expect_rc 0 "resumed run"
expect_err 'mutator: kept from before the resume' "resumed run keeps the mutator section"
expect_err 'time-to-bug: 2 trials' "resumed run: the same trials"
J=$(find "$TMP/res" -maxdepth 1 -name '*.json' 2>/dev/null | sort | head -n 1)
if [ -n "$J" ] && [ "$(jq '.parts' "$J")" = 2 ] &&
	[ "$(jq '.time_to_bug.trials | length' "$J")" = 2 ] &&
	[ "$(jq -r '.settings.configs | join(",")' "$J")" = lf-smart ] &&
	[ "$(jq '.settings.cap_s' "$J")" = 3 ]; then
	ok
else
	bad "resumed report: parts 2, 2 trials, the run's settings ($J)"
fi

# Resumed once more: nothing left to measure, every part counted.
run $B --resume "$W" --keep
expect_rc 0 "second resume"
expect_err 'time-to-bug: 2 trials kept from before the resume|ttb: kept from before the resume' "second resume keeps the trials"
if [ "$(jq '.parts' "$J")" = 3 ]; then ok; else bad "second resume: 3 parts"; fi

# Settings that name other code: refused, nothing measured.
sed -i 's/^COMMIT_START=.*/COMMIT_START="1 2"/' "$W/settings"
run $B --resume "$W"
expect_rc 1 "resume of a run that measured other code"
expect_err 'measured other code' "resume of other code: message"
rm -rf "$W"

# A checkpointed run, stopped, its work folder gone (another machine):
# resumed from the checkpoint alone.
stop_run in_first_trial "${TINY[@]}" --out "$TMP/res2" --checkpoint "$TMP/ckpt"
expect_rc 130 "checkpointed run stopped with SIGTERM"
expect_err "or elsewhere, from a clone of the same code: scripts/bench.sh --resume $TMP/ckpt" "stopped run: checkpoint hint"
for f in .checkpoint settings section.mutator; do
	if [ -f "$TMP/ckpt/$f" ]; then ok; else bad "checkpoint: $f missing"; fi
done
if [ -n "$(ls "$TMP/ckpt"/part.* 2>/dev/null)" ]; then ok; else bad "checkpoint: no part file"; fi
rm -rf "$W"
run $B --resume "$TMP/ckpt"
expect_rc 0 "resumed from the checkpoint"
expect_err "resuming checkpoint $TMP/ckpt in .*build/bench/runs/" "resume from a checkpoint: a new work folder"
expect_err 'mutator: kept from before the resume' "resume from a checkpoint keeps the mutator section"
J=$(find "$TMP/res2" -maxdepth 1 -name '*.json' 2>/dev/null | sort | head -n 1)
if [ -n "$J" ] && [ "$(jq '.parts' "$J")" = 2 ] && [ "$(jq '.time_to_bug.trials | length' "$J")" = 2 ]; then
	ok
else
	bad "report of the run resumed from a checkpoint: parts 2, 2 trials ($J)"
fi
n=$(find "$TMP/ckpt/ttb" -name result 2>/dev/null | wc -l)
if [ "$n" = 2 ]; then ok; else bad "checkpoint after the end: $n trial results, want 2"; fi
if [ -z "$(find "$TMP/ckpt" -name '*.tmp*')" ]; then ok; else bad "checkpoint: temporary files left"; fi
rm -rf "$W"

# Stopped while a trial's fuzzer runs (timeout gives it a process group of
# its own): the fuzzer goes with bench.sh, not at its cap, and the cut trial
# leaves no result.
stop_run fuzzer_runs --only ttb --trials 1 --cap 60 --bugs count \
	--configs lf-bytes --crc on --parallel 1 --out "$TMP/res3"
if [ "$SEEN" = 1 ] && [ "$RC" = 130 ]; then ok; else bad "run stopped during a trial: fuzzer seen $SEEN, exit $RC (want 1, 130)"; fi
if gone "$W/ttb/"; then ok; else bad "fuzzers of $W/ttb still run 2 s after bench.sh stopped: $(pgrep -af -- "$W/ttb/" | head -n 3)"; fi
n=$(find "$W/ttb" -name result 2>/dev/null | wc -l)
if [ "$n" = 0 ]; then ok; else bad "the cut trial wrote a result"; fi
reap "$W/ttb/"
rm -rf "$W"

# Stopped during a 60 s throughput window (a foreground fuzzer before the
# sections ran in a child: bash held the signal until the window ended):
# bench.sh ends within seconds and leaves no fuzzer.
stop_run tput_runs --only tput --tput 60 --out "$TMP/res4"
if [ "$SEEN" = 1 ] && [ "$RC" = 130 ]; then ok; else bad "run stopped in a throughput window: fuzzer seen $SEEN, exit $RC (want 1, 130)"; fi
if awk -v s="$STOP_S" 'BEGIN { exit !(s < 15) }'; then ok; else bad "stopped in a 60 s throughput window: ended $STOP_S s after the signal (want < 15)"; fi
if gone "$W/"; then ok; else bad "processes of $W still run 2 s after bench.sh stopped: $(pgrep -af -- "$W/" | head -n 3)"; fi
reap "$W/"
rm -rf "$W"
finish bench_resume
