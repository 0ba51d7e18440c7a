# campaign.sh - the nightly campaign (scripts/campaign.sh) end to end. Every
# run is bounded by its own --budget (fuzzing time) and ends by itself; the
# only waits are bounded polls. About 5 minutes on 2 cores:
#   - bad options and values: a message and exit 2;
#   (a) one minute on fuzz_interp_711 and fuzz_parse: every report file is
#       there and well-formed (report.json parses, report.sarif is SARIF
#       2.1.0 with one result per crash folder and locations in our
#       sources, the plots are PNGs, the coverage HTML names
#       parsers/src/interp.c), CF-291 is found and filed, status lines at
#       most 10 s apart, the merged corpora exist;
#   (b) a campaign killed with SIGKILL and resumed: every crash file that
#       existed before the kill is still there and triaged, the fuzzing time
#       adds up to the budget, the killed run's fuzzers are stopped;
#   (c) two campaigns on one machine sharing an AFL++ sync dir, one
#       --role main and one --role secondary: each instance syncs from the
#       other (AFL++'s .synced/ entries). The secondary syncs from the main
#       instance when it starts; the main instance syncs every 30 s
#       (AFL_SYNC_TIME=1 halved for -M), hence its 60 s budget;
#   (d) --engines afl and --engines libfuzzer: the one engine gets both jobs,
#       the other none, and the report and state say which ran.
# shellcheck shell=bash disable=SC2015 # cond && ok || bad: ok always succeeds
# shellcheck source=tests/lib.sh
. "$(dirname "$0")/../lib.sh"
cd "$(dirname "$0")/../.." || exit 1
C=scripts/campaign.sh
command -v afl-fuzz >/dev/null || { echo "campaign: afl-fuzz missing"; exit 1; }

# ---- bad arguments --------------------------------------------------------
bad_arg() { # WHAT REGEX ARGS...
	local what=$1 re=$2
	shift 2
	run $C "$@"
	expect_rc 2 "$what"
	expect_err "$re" "$what: message"
}
bad_arg "unknown option" "unknown option" --bogus
bad_arg "budget 0" "--budget '0'" --budget 0
bad_arg "budget abc" "want a duration" --budget 5x
bad_arg "budget too long" "want a duration" --budget 99d
bad_arg "jobs 0" "--jobs '0'" --jobs 0
bad_arg "jobs word" "want a positive integer" --jobs two
bad_arg "unknown target" "unknown target 'fuzz_nope'" --targets fuzz_parse,fuzz_nope
bad_arg "target twice" "given twice" --targets fuzz_parse,fuzz_parse
bad_arg "empty target" "empty name" --targets fuzz_parse,,fuzz_regex
bad_arg "role without sync dir" "--role needs --sync-dir" --role main
bad_arg "sync dir without role" "needs --role" --sync-dir "$TMP/sync0"
bad_arg "bad role" "want main or secondary" --sync-dir "$TMP/sync0" --role boss
bad_arg "missing value" "needs a value" --budget
bad_arg "resume nothing" "no such directory" --resume "$TMP/none"
mkdir -p "$TMP/notcampaign"
bad_arg "resume a non-campaign" "no state.json" --resume "$TMP/notcampaign"
bad_arg "resume with --targets" "cannot change on --resume" --resume "$TMP/notcampaign" --targets fuzz_parse
echo x >"$TMP/notcampaign/file"
bad_arg "out not empty" "not empty" --out "$TMP/notcampaign"
bad_arg "bad minimize time" "minimize-time" --minimize-time 0
bad_arg "unknown engine" "--engines 'afl,honggfuzz'" --engines afl,honggfuzz
bad_arg "engine twice" "each at most once" --engines libfuzzer,libfuzzer
bad_arg "empty engine" "want a comma list" --engines ,afl
bad_arg "resume with --engines" "cannot change on --resume" --resume "$TMP/notcampaign" --engines afl
run $C --help
expect_rc 0 "--help"
expect_out 'usage|scripts/campaign.sh \[--budget' "--help prints the usage"

# pngs FILE...: each starts with the PNG signature
is_png() { [ "$(head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
# folders DIR: the crash folders in DIR, one a line
folders() { find "$1" -mindepth 1 -maxdepth 1 -type d ! -name '.*' -printf '%f\n' | sort; }

# ---- (a) one minute, two targets ------------------------------------------
A=$TMP/a/c
run $C --budget 60s --targets fuzz_interp_711,fuzz_parse --jobs 2 --out "$A" \
	--crashes "$TMP/a/crashes" --minimize-time 2 --sync-interval 20
expect_rc 0 "(a) campaign ends with 0"
expect_out "report: $A/report.md" "(a) prints where its report is"
for f in report.md report.json report.sarif report.html coverage/index.html coverage.png execs.png \
	stats.tsv campaign.log state.json; do
	[ -s "$A/$f" ] && ok || bad "(a) $f missing or empty"
done
jq -e . "$A/report.json" >/dev/null 2>&1 && ok || bad "(a) report.json does not parse"
jq -e '.schema == "chanfuzz-campaign-report/1" and .campaign.fuzz_seconds == 60
	and (.targets | length) == 2 and .totals.libfuzzer_execs > 0 and .totals.aflpp_execs > 0
	and .coverage.parsers.lines.percent > 0
	and .campaign.engines == ["afl", "libfuzzer"]' "$A/report.json" >/dev/null 2>&1 && ok ||
	bad "(a) report.json content: $(jq -c '{c: .campaign.fuzz_seconds, t: .totals, cov: .coverage.parsers.lines}' "$A/report.json" 2>&1 | head -c 400)"
# live figures from the first seconds (AFL++ from its StatsD gauges, not
# fuzzer_stats, which it writes after a minute): fuzz_parse (fuzz_interp_711's
# libFuzzer stops at CF-291 at once, nothing being known here) has a
# sample of its first slice (30 s) in which both engines show exec/s above 0
awk -F'\t' '$3 == "fuzz_parse" && $4 == 1 { if (t0 == "") t0 = $2
	if ($2 - t0 < 30 && $6 > 0 && $8 > 0) f = 1 } END { exit !f }' "$A/stats.tsv" &&
	ok || bad "(a) no sample of fuzz_parse's first slice with both engines' exec/s above 0: $(awk -F'\t' '$3 == "fuzz_parse" && $4 == 1 { print $2, $6, $8 }' "$A/stats.tsv" | tr '\n' ';')"
jq -e '.version == "2.1.0" and (.runs | length) == 1' "$A/report.sarif" >/dev/null 2>&1 && ok ||
	bad "(a) report.sarif is not SARIF 2.1.0"
# both gnuplot plots embedded in report.html (tests/sh/report_html.sh opens one in a browser)
[ "$(grep -o 'src="data:image/png;base64,iVBORw0KGgo' "$A/report.html" | wc -l)" = 2 ] && ok ||
	bad "(a) report.html does not embed coverage.png and execs.png"
nf=$(folders "$TMP/a/crashes" | wc -l)
[ "$nf" -ge 1 ] && ok || bad "(a) no crash folder: fuzz_interp_711 should have found CF-291"
nr=$(jq '.runs[0].results | length' "$A/report.sarif" 2>/dev/null)
[ "$nr" = "$nf" ] && ok || bad "(a) $nr SARIF results for $nf crash folders"
[ "$(jq -r '.runs[0].results[].properties.folder' "$A/report.sarif" | sort)" = "$(folders "$TMP/a/crashes")" ] &&
	ok || bad "(a) SARIF results are not the crash folders"
# every location is a file of ours, relative to SRCROOT, with a line
while IFS=$'\t' read -r base uri line; do
	if [ "$base" = SRCROOT ] && [ -f "$uri" ] && [[ $uri != /* ]] && [ "$line" -ge 1 ]; then ok; else
		bad "(a) SARIF location $base $uri:$line"
	fi
done < <(jq -r '.runs[0].results[].locations[0].physicalLocation
	| [.artifactLocation.uriBaseId, .artifactLocation.uri, .region.startLine] | @tsv' "$A/report.sarif")
jq -e '.runs[0].originalUriBaseIds.SRCROOT.uri | startswith("file://")' "$A/report.sarif" >/dev/null &&
	ok || bad "(a) SARIF SRCROOT"
# CF-291: an empty crash store knows nothing, so CF-291 is filed, named by
# its root cause (IPC field 21 that 7.11 does not supply), in interp.c
jq -e '[.crashes.signatures[] | select(.target == "fuzz_interp_711"
	and .root_cause == "interpreter/7.11/IPC/unsupplied/20" and (.sensor_builds | index("7.11"))
	and .location.file == "parsers/src/interp.c")] | length == 1' "$A/report.json" >/dev/null &&
	ok || bad "(a) CF-291 is not among the signatures: $(jq -c '[.crashes.signatures[] | [.folder, .root_cause]]' "$A/report.json")"
jq -e '.campaign.suppress_known == true and (.crashes.suppressed | length) == 0' "$A/report.json" >/dev/null &&
	ok || bad "(a) an empty crash store: nothing known, nothing suppressed"
grep -q 'scripts/repro.sh ' "$A/report.md" && ok || bad "(a) report.md has no repro command"
for p in coverage.png execs.png; do
	is_png "$A/$p" && ok || bad "(a) $p is not a PNG"
done
grep -q 'parsers/src/interp.c' "$A/coverage/index.html" && ok ||
	bad "(a) coverage/index.html does not name parsers/src/interp.c"
[ -n "$(ls -A "$A/corpus/fuzz_parse" 2>/dev/null)" ] && [ -n "$(ls -A "$A/corpus/fuzz_interp_711" 2>/dev/null)" ] &&
	ok || bad "(a) merged corpora missing"
jq -e '.phase == "done" and .elapsed_s == 60' "$A/state.json" >/dev/null && ok ||
	bad "(a) state.json: $(jq -c '{phase, elapsed_s}' "$A/state.json")"
[ "$(head -n 1 "$A/stats.tsv" | cut -f1-3)" = "$(printf 'time\telapsed\ttarget')" ] &&
	[ "$(wc -l <"$A/stats.tsv")" -ge 10 ] && ok || bad "(a) stats.tsv: $(head -n 2 "$A/stats.tsv")"
# status lines: at most 10 s apart while fuzzing (clock seconds of the log)
gap=$(grep ' left [0-9]' "$A/campaign.log" | sed -E 's/^\[([0-9]+):([0-9]+):([0-9]+)\].*/\1 \2 \3/' |
	awk '{ t = $1 * 3600 + $2 * 60 + $3; if (NR > 1 && t - p > m) m = t - p; p = t } END { print m + 0 }')
[ "$gap" -le 11 ] && ok || bad "(a) status lines up to $gap s apart"
[ "$(grep -c ' left [0-9]' "$A/campaign.log")" -ge 5 ] && ok || bad "(a) too few status lines"
grep -q 'sync fuzz_' "$A/campaign.log" && ok || bad "(a) no corpus exchange logged"

# ---- (b) SIGKILL and --resume ----------------------------------------------
K=$TMP/b/c
$C --budget 45s --targets fuzz_interp_711 --jobs 2 --out "$K" --crashes "$TMP/b/crashes" \
	--minimize-time 2 --sync-interval 10 >"$TMP/b.log" 2>&1 &
cpid=$!
# wait (bounded) until it has fuzzed 20 s and holds crash files
crash_list() {
	find "$K/lf" "$K/afl" -type f \( -name 'crash-*' -o -path '*/crashes*/id:*' \) 2>/dev/null |
		sort | tr '\n' '\0' | xargs -0 -r sha1sum
}
for _ in $(seq 1 240); do
	e=$(jq -r '.elapsed_s // 0' "$K/state.json" 2>/dev/null || echo 0)
	[ "${e:-0}" -ge 20 ] && [ -n "$(crash_list)" ] && break
	kill -0 $cpid 2>/dev/null || break
	sleep 0.5
done
crash_list >"$TMP/b.before"
{
	kill -KILL $cpid
	wait $cpid
} 2>/dev/null
e1=$(jq -r '.elapsed_s' "$K/state.json")
nb=$(wc -l <"$TMP/b.before")
[ "$nb" -ge 1 ] && ok || bad "(b) no crash file before the kill (elapsed $e1)"
jq -e '.phase == "fuzzing"' "$K/state.json" >/dev/null && ok || bad "(b) killed while $(jq -r .phase "$K/state.json")"
run $C --resume "$K"
expect_rc 0 "(b) --resume ends with 0"
expect_out "resuming $K" "(b) says it resumes"
jq -e '.phase == "done" and .elapsed_s == 45 and .runs == 2' "$K/state.json" >/dev/null && ok ||
	bad "(b) state after resume: $(jq -c '{phase, elapsed_s, runs}' "$K/state.json")"
jq -e '.campaign.fuzz_seconds == 45 and .campaign.runs == 2' "$K/report.json" >/dev/null && ok ||
	bad "(b) report: fuzzing time not accumulated"
[ "$e1" -ge 15 ] && [ "$e1" -lt 45 ] && ok || bad "(b) elapsed before the kill: $e1"
# every crash file from before the kill: its contents still in the folder
# (AFL++ moves crashes/ to crashes.<date>/ on resume) and triaged
find "$K" -type f -print0 | xargs -0 sha1sum | cut -c1-40 | sort -u >"$TMP/b.after"
lost=0 untriaged=0
while read -r h f; do
	grep -qx "$h" "$TMP/b.after" || { lost=$((lost + 1)); echo "lost: $f"; }
	cut -f2 "$K/triaged.list" | grep -qx "$h" || { untriaged=$((untriaged + 1)); echo "not triaged: $f"; }
done <"$TMP/b.before"
[ $lost = 0 ] && ok || bad "(b) $lost of $nb crash files lost"
[ $untriaged = 0 ] && ok || bad "(b) $untriaged of $nb crash files not triaged"
[ "$(folders "$TMP/b/crashes" | wc -l)" -ge 1 ] && ok || bad "(b) nothing filed"
grep -q 'stopping a leftover' "$OUT" && ok || bad "(b) the killed run's fuzzers were not stopped"
if pgrep -f "$K/" >/dev/null; then bad "(b) fuzzers of $K still run"; else ok; fi
# a finished campaign: --resume says so
run $C --resume "$K"
expect_rc 0 "(b) resuming a finished campaign"
expect_out "has finished" "(b) finished campaign message"

# ---- (c) two instances, one AFL++ sync dir ----------------------------------
S=$TMP/c/sync
$C --budget 60s --targets fuzz_parse --jobs 1 --out "$TMP/c/main" --crashes "$TMP/c/crashes" \
	--sync-dir "$S" --role main --minimize-time 3 >"$TMP/c.main.log" 2>&1 &
mpid=$!
for _ in $(seq 1 120); do
	ls "$S"/fuzz_parse/*-main/fuzzer_stats >/dev/null 2>&1 && break
	sleep 0.5
done
run $C --budget 25s --targets fuzz_parse --jobs 1 --out "$TMP/c/sec" --crashes "$TMP/c/crashes" \
	--sync-dir "$S" --role secondary --minimize-time 3
expect_rc 0 "(c) secondary ends with 0"
wait $mpid
mrc=$?
[ $mrc = 0 ] && ok || { bad "(c) main exited $mrc"; tail -n 20 "$TMP/c.main.log"; }
main=$(find "$S/fuzz_parse" -mindepth 1 -maxdepth 1 -name '*-main' -printf '%f\n' | head -n 1)
sec=$(find "$S/fuzz_parse" -mindepth 1 -maxdepth 1 -name '*-lead' -printf '%f\n' | head -n 1)
[ -n "$main" ] && [ -n "$sec" ] && ok || bad "(c) instances in the sync dir: $(ls "$S/fuzz_parse")"
[ -n "$sec" ] && [ -f "$S/fuzz_parse/$main/.synced/$sec" ] && ok ||
	bad "(c) main did not sync from the secondary: $(ls -A "$S/fuzz_parse/$main/.synced" 2>&1)"
[ -n "$main" ] && [ -f "$S/fuzz_parse/$sec/.synced/$main" ] && ok ||
	bad "(c) the secondary did not sync from main: $(ls -A "$S/fuzz_parse/$sec/.synced" 2>&1)"
grep -q -- "-M $main" "$TMP/c/main/logs/afl-fuzz_parse-$main.log" && ok || bad "(c) main is not -M"
grep -q -- "-S $sec" "$TMP/c/sec/logs/afl-fuzz_parse-$sec.log" && ok || bad "(c) secondary is not -S"
jq -e '.campaign.sync.role == "secondary"' "$TMP/c/sec/report.json" >/dev/null && ok ||
	bad "(c) the secondary's report does not record its role"

# ---- (d) one engine alone: --engines gives it every job ---------------------
# (the two run side by side: 4 fuzzers on 2 cores, enough to see the split)
declare -A dpid=()
for e in afl libfuzzer; do
	$C --budget 15s --targets fuzz_parse --jobs 2 --engines $e --out "$TMP/d/$e" \
		--crashes "$TMP/d/crashes-$e" --minimize-time 2 >"$TMP/d.$e.log" 2>&1 &
	dpid[$e]=$!
done
for e in afl libfuzzer; do
	rc=0
	wait "${dpid[$e]}" || rc=$?
	[ $rc = 0 ] && ok || { bad "(d) --engines $e exited $rc"; tail -n 20 "$TMP/d.$e.log"; }
done
R=$TMP/d/afl/report.json
jq -e '.campaign.engines == ["afl"] and .totals.libfuzzer_execs == 0 and .totals.aflpp_execs > 0
	and (.targets[0].aflpp.instances | length) == 2 and .targets[0].libfuzzer.runs == 0' "$R" >/dev/null 2>&1 &&
	ok || bad "(d) --engines afl: $(jq -c '{e: .campaign.engines, t: .totals, i: [.targets[0].aflpp.instances[]?.name]}' "$R" 2>&1 | head -c 300)"
R=$TMP/d/libfuzzer/report.json
jq -e '.campaign.engines == ["libfuzzer"] and .totals.aflpp_execs == 0 and .totals.libfuzzer_execs > 0
	and (.targets[0].aflpp.instances | length) == 0 and .targets[0].libfuzzer.runs >= 2' "$R" >/dev/null 2>&1 &&
	ok || bad "(d) --engines libfuzzer: $(jq -c '{e: .campaign.engines, t: .totals, r: .targets[0].libfuzzer.runs}' "$R" 2>&1 | head -c 300)"
jq -e '.engines == ["libfuzzer"]' "$TMP/d/libfuzzer/state.json" >/dev/null && ok ||
	bad "(d) state.json does not keep the engines"
grep -q 'fuzz_parse: 0 AFL++ + 2 libFuzzer' "$TMP/d/libfuzzer/campaign.log" && ok ||
	bad "(d) libfuzzer alone: slice line $(grep -m1 'slice 1' "$TMP/d/libfuzzer/campaign.log")"
grep -q '| engines | libFuzzer |' "$TMP/d/libfuzzer/report.md" && ok || bad "(d) report.md has no engines row"
finish campaign
