# bench-report.sh - the report of scripts/bench.sh, sourced by it at the end
# (not a command of its own): bench/results/<date>[-quick].md and .json,
# each written to a temporary file in the results folder and renamed.
# shellcheck shell=bash
# shellcheck disable=SC2154 # the variables come from scripts/bench.sh

printf '%s\n' "${TPUT_ROWS[@]+"${TPUT_ROWS[@]}"}" | sed '/^$/d' >"$WORK/tput.tsv"
printf '%s\n' "${SMART_ROWS[@]+"${SMART_ROWS[@]}"}" | sed '/^$/d' >"$WORK/smart.tsv"
printf '%s\n' "${CHECK_ROWS[@]+"${CHECK_ROWS[@]}"}" | sed '/^$/d' >"$WORK/check.tsv"
[ -f "$WORK/cells.tsv" ] || : >"$WORK/cells.tsv"
[ -f "$TTB_TSV" ] || : >"$TTB_TSV"
TAB=$(printf '\t')

# The commit the run started at (bench.sh: a resume measures the same code).
COMMIT=$COMMIT_DESC
CPU_MODEL=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
CLANG_V=$(clang --version 2>/dev/null | head -n 1)
AFL_V=$({ afl-fuzz -h 2>&1 || true; } | sed -n 's/\x1b\[[0-9;]*m//g; s/^afl-fuzz\(++[0-9.a-z]*\).*/AFL\1/p' | head -n 1)

# ---- the figures issue 7 names ----------------------------------------------
# figure<TAB>target<TAB>measured<TAB>met (yes / no / n/a)
figures() {
	local r v
	r=$(awk -F'\t' '$1 == "libfuzzer" && $2 == "fuzz_interp_716" { print $7 }' "$WORK/tput.tsv")
	if [ -n "$r" ]; then
		awk -v r="$r" 'BEGIN { printf "fuzz_interp_716 exec/s under libFuzzer + ASan, share of the do-nothing target\t>= 25%%\t%.1f%%\t%s\n", 100 * r, (r >= 0.25 ? "yes" : "no") }'
	else
		printf 'fuzz_interp_716 exec/s under libFuzzer + ASan, share of the do-nothing target\t>= 25%%\tnot measured\tn/a\n'
	fi
	# Structure-aware configurations: every defect, found n/n, median <= 60 s.
	awk -F'\t' -v cap="$cap" '
		$2 == "on" && ($3 == "lf-smart" || $3 == "afl-smart") {
			any = 1
			bad = ($5 < $4 || $9 > 60)
			cells++
			if (bad) { miss++; m = m sprintf("%s%s %s %d/%d %.1fs", (m == "" ? "" : "; "), $1, $3, $5, $4, $9) }
		}
		END {
			if (!any) { print "structure-aware configs find every planted defect n/n, median time-to-trigger <= 60 s (CRC on)\tall n/n, <= 60 s\tnot measured\tn/a"; exit }
			printf "structure-aware configs find every planted defect n/n, median time-to-trigger <= 60 s (CRC on)\tall n/n, <= 60 s\t%s\t%s\n",
			    (miss ? "missed: " m : cells " of " cells " cells met"), (miss ? "no" : "yes")
		}' "$WORK/cells.tsv"
	for v in lf-smart:1:libFuzzer afl-smart:15:AFL++; do
		awk -F'\t' -v c="${v%%:*}" -v lim="$(cut -d: -f2 <<<"$v")" -v eng="${v##*:}" '
			$1 == "cf291" && $2 == "on" && $3 == c { found = 1; med = $9; cen = $10; f = $5; n = $4 }
			END {
				fig = sprintf("CF-291 median time-to-trigger, %s with the structure-aware mutator, CRC on", eng)
				if (!found) { printf "%s\t<= %d s\tnot measured\tn/a\n", fig, lim; exit }
				printf "%s\t<= %d s\t%s%.2f s (found %d/%d)\t%s\n", fig, lim, (cen ? ">= " : ""), med, f, n, (med <= lim && !cen ? "yes" : "no")
			}' "$WORK/cells.tsv"
	done
	if [ -n "$MUTSTAT" ]; then
		awk -v f="$(mutkey fresh_pct)" -v c="$(mutkey chain_pct)" 'BEGIN {
			printf "structure-aware mutations that parse with the CRC check on (10,000)\t>= 99%%\tfrom seeds %.2f%%, chained %.2f%%\t%s\n", f, c, (f >= 99 && c >= 99 ? "yes" : "no") }'
	else
		printf 'structure-aware mutations that parse with the CRC check on (10,000)\t>= 99%%\tnot measured\tn/a\n'
	fi
	if [ -s "$WORK/smart.tsv" ]; then
		awk -F'\t' '{ if (min == "" || $4 < min) { min = $4; t = $1 } s = s sprintf("%s%s %.0f%%", (s == "" ? "" : ", "), $1, 100 * $4)
			if ($5 > 0 && (rmin == "" || $6 < rmin)) rmin = $6 }
			END { printf "_smart exec/s as a share of the plain twin, both from the seeds for the same time (every target)\t>= 80%%\t%s (lowest %s); against the plain twin replaying the _smart corpus: lowest %s\t%s\n", s, t, (rmin == "" ? "n/a" : sprintf("%.0f%%", 100 * rmin)), (min >= 0.8 ? "yes" : "no") }' "$WORK/smart.tsv"
	else
		printf '_smart exec/s as a share of the plain twin (every target)\t>= 80%%\tnot measured\tn/a\n'
	fi
	awk -F'\t' -v d="$DEEPEST" -v base="$BASE_CONFIG" '
		$1 == d && $2 == "on" { if ($3 == base) { bm = $9; bc = $10; hb = 1 } else if (best == "" || $9 < best) { best = $9; bcfg = $3; bcen = $10 } }
		END {
			fig = sprintf("deepest defect (%s), best configuration against libFuzzer on bytes, medians with the cap counted, CRC on", d)
			if (!hb || best == "") { printf "%s\t>= 10x\tnot measured\tn/a\n", fig; exit }
			r = bm / (best > 0.01 ? best : 0.01)
			printf "%s\t>= 10x\t%s%.1fx (%s %s%.2f s vs %s %s%.2f s)\t%s\n", fig, (bc ? ">= " : ""), r, bcfg, (bcen ? ">= " : ""), best, base, (bc ? ">= " : ""), bm, (r >= 10 && !bcen ? "yes" : "no")
		}' "$WORK/cells.tsv"
	case $SCALING in
	ok*)
		awk -v s="$SCALING" 'BEGIN { split(s, a, "\t"); printf "campaign with 2 jobs against 1: each engine'"'"'s exec/s as a share of the same engine alone, summed\t>= 1.8x\t%.2fx (AFL++ %.0f of %.0f exec/s, libFuzzer %.0f of %.0f)\t%s\n", a[6], a[4], a[2], a[5], a[3], (a[6] >= 1.8 ? "yes" : "no") }'
		;;
	'') printf 'campaign with 2 jobs against 1\t>= 1.8x\tnot measured\tn/a\n' ;;
	*) printf 'campaign with 2 jobs against 1\t>= 1.8x\tnot available (%s)\tn/a\n' "${SCALING#*"$TAB"}" ;;
	esac
	case ${FILED:-} in
	ok*)
		jq -r '"each new defect filed as a signature of its own by a default campaign (" + .budget + ")\t>= 9/10 each\t"
			+ ([.defects | to_entries[] | "\(.key) \(.value.summary.found)/\(.value.summary.trials)"] | join(", "))
			+ "\t" + (if ([.defects[].summary | select(.found * 10 < .trials * 9)] | length) == 0 then "yes" else "no" end)' \
			"${FILED#*"$TAB"}"
		;;
	'') printf 'new defects filed as their own signature\t>= 9/10 each\tnot measured\tn/a\n' ;;
	*) printf 'new defects filed as their own signature\t>= 9/10 each\tnot available (%s)\tn/a\n' "${FILED#*"$TAB"}" ;;
	esac
}
figures >"$WORK/figures.tsv"

# ---- Markdown -------------------------------------------------------------------
md() {
	local name
	echo "# chanfuzz benchmarks, $DAY ($mode)"
	echo
	echo "Produced by \`scripts/bench.sh\` (docs/BENCH.md explains the method and how"
	echo "to read every table). Run $STAMP, commit $COMMIT; $DURATION s of"
	if [ "$PARTS" -gt 1 ]; then
		echo "benchmarks in $PARTS parts (interrupted and resumed with --resume;"
		echo "builds before the last part: $BUILD_S s)."
	else
		echo "benchmarks (builds before it: $BUILD_S s)."
	fi
	echo
	echo "- **Machine:** $(nproc) cores, $CPU_MODEL; $CLANG_V; $AFL_V."
	echo "- **Load** (1/5/15-minute averages) at the start: $LOAD_START; at the end: $LOAD_END."
	echo "  The load counts the benchmark's own trials ($parallel at a time); other jobs on"
	echo "  the machine would add noise to the throughput figures (the targets and the"
	echo "  do-nothing ceiling are measured in the same run to cancel most of it)."
	echo "- **Settings:** $trials trials per cell, cap $cap s, $parallel trials at a time"
	echo "  (one core each); throughput windows ${tput} s (libFuzzer) and ${afl_tput} s (AFL++);"
	echo "  defects: $bugs; configurations: $configs; CRC: $crcs"
	echo "  (CRC-skipping baseline for: $offcfg)."
	echo
	echo "## Figures (issue 7)"
	echo
	echo "| figure | target | measured | met |"
	echo "| --- | --- | --- | --- |"
	awk -F'\t' '{ printf "| %s | %s | %s | %s |\n", $1, $2, $3, $4 }' "$WORK/figures.tsv"
	echo
	if [ -s "$WORK/tput.tsv" ]; then
		echo "## Throughput"
		echo
		echo "exec/s over the whole window (libFuzzer: \`stat::number_of_executed_units\`"
		echo "over wall time; AFL++: \`execs_done\` and \`execs_per_sec\` from \`fuzzer_stats\`),"
		echo "and its share of the do-nothing target's (the ceiling: the mean of a run"
		echo "before and one after the targets)."
		echo
		echo "| engine | target | execs | seconds | exec/s | ceiling exec/s | share |"
		echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
		awk -F'\t' '{ printf "| %s | %s | %d | %.1f | %d | %d | %.1f%%%s |\n", $1, $2, $3, $4, $5, $6, 100 * $7, ($8 == "" ? "" : " (" $8 ")") }' "$WORK/tput.tsv"
		echo
	fi
	if [ -n "$MUTSTAT" ] || [ -s "$WORK/smart.tsv" ]; then
		echo "## Mutator"
		echo
		if [ -n "$MUTSTAT" ]; then
			echo "Of $(mutkey runs) structure-aware mutations (\`cf_mut_mutate\`, max 8192 bytes) of"
			echo "the $(mutkey seeds) seeds in build/corpus, with the CRC check on: $(mutkey fresh_ok)"
			echo "($(mutkey fresh_pct)%) parse when each is made from a seed, $(mutkey chain_ok)"
			echo "($(mutkey chain_pct)%) when chained as a fuzzer chains them; $(mutkey mutations_per_s)"
			echo "mutations per second (plain -O2 build)."
			echo
		fi
		if [ -s "$WORK/smart.tsv" ]; then
			echo "Each \`_smart\` target against its plain twin: both fuzzing from the same"
			echo "seeds for the same time (the plain twin's byte mutations mostly fail the"
			echo "CRC check, which is cheap), and the plain twin replaying, without"
			echo "mutation, the corpus the \`_smart\` run grew (the same inputs: what is"
			echo "left is the mutator's own cost)."
			echo
			echo "| target | plain exec/s | _smart exec/s | _smart / plain | plain replaying the _smart corpus, exec/s | _smart / that |"
			echo "| --- | ---: | ---: | ---: | ---: | ---: |"
			awk -F'\t' '{ printf "| %s | %d | %d | %.1f%% | %s | %s |\n", $1, $2, $3, 100 * $4,
			    ($5 > 0 ? sprintf("%d", $5) : "- (under 50 inputs)"), ($5 > 0 ? sprintf("%.0f%%", 100 * $6) : "-") }' "$WORK/smart.tsv"
			echo
		fi
	fi
	if [ -s "$WORK/cells.tsv" ]; then
		echo "## Time to bug"
		echo
		echo "Per cell: found / trials; medians over all trials with un-found ones counted"
		echo "at the cap (\`>=\` marks a median that is the cap); RMST = Kaplan-Meier"
		echo "restricted mean time-to-trigger up to the cap; against \`$BASE_CONFIG\` with the same"
		echo "CRC mode: × = ratio of medians (> 1: faster), p = two-sided Mann-Whitney U"
		echo "(normal approximation, tie- and continuity-corrected), A12 = Vargha-Delaney"
		echo "(probability that this configuration is faster; 0.5 = no difference)."
		echo "Seconds since the fuzzer was launched."
		echo
		echo "| defect | CRC | config | found | reached | median reach s | median trigger s | RMST s | × | p | A12 |"
		echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
		awk -F'\t' '{ printf "| %s | %s | %s | %d/%d | %d/%d | %s%.2f | %s%.2f | %.2f | %s | %s | %s |\n",
		    $1, $2, $3, $5, $4, $6, $4, ($8 ? ">= " : ""), $7, ($10 ? ">= " : ""), $9, $11, $12, $13, $14 }' "$WORK/cells.tsv"
		echo
		if awk -F'\t' '$11 == "other" { f = 1 } END { exit !f }' "$TTB_TSV"; then
			echo "Trials that ended with a fault other than the planted one (counted as"
			echo "not found, censored when they ended):"
			echo
			awk -F'\t' '$11 == "other" { printf "- %s %s %s trial %s, after %.1f s\n", $1, $2, $3, $4, $9 }' "$TTB_TSV"
			echo
		fi
	fi
	if [ -s "$WORK/check.tsv" ]; then
		echo "## Bug-zoo check"
		echo
		echo "Each benchmark build (its defect's patch, bench/bugs/) on each of its"
		echo "proof-of-concept inputs (the pocs of bench/bugs/zoo.tsv, one row each):"
		echo "faults with the expected report under libFuzzer + ASan and in the AFL++ guard"
		echo "build; and runs its seed corpus without a fault. \`cf291-far\`: the CF-291 read at"
		echo "field index 200, far past the inputs (the same build as \`cf291\`)."
		echo
		echo "| defect | CRC | libFuzzer fault | AFL++ fault | seeds clean |"
		echo "| --- | --- | --- | --- | --- |"
		awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$WORK/check.tsv"
		echo
	fi
	echo "## Regression replay"
	echo
	case $REGRESS in
	ok*)
		awk -v s="$REGRESS" 'BEGIN { split(s, a, "\t"); printf "`scripts/regress.sh` replayed %d inputs in %.1f s: **%.1f inputs/s** (%d failed, exit %d; replay builds made beforehand, not timed).\n", a[2], a[3], a[4], a[5], a[6] }'
		;;
	'') echo "Not measured in this run." ;;
	*) echo "Not available: ${REGRESS#*"$TAB"}." ;;
	esac
	echo
	echo "## Scaling"
	echo
	case $SCALING in
	ok*)
		echo "\`scripts/campaign.sh --budget ${SCALE_BUDGET}s --targets fuzz_interp_716\`, exec/s over"
		echo "the fuzzing time (report.json); each engine of the 2-job campaign against"
		echo "the same engine alone in a 1-job campaign (\`--engines\`):"
		echo
		echo "| campaign | AFL++ exec/s | libFuzzer exec/s |"
		echo "| --- | ---: | ---: |"
		awk -v s="$SCALING" 'BEGIN { split(s, a, "\t")
			printf "| --jobs 1 --engines afl | %.0f | - |\n", a[2]
			printf "| --jobs 1 --engines libfuzzer | - | %.0f |\n", a[3]
			printf "| --jobs 2 (default: 1 AFL++ + 1 libFuzzer) | %.0f (%.0f%%) | %.0f (%.0f%%) |\n", a[4], (a[2] > 0 ? 100 * a[4] / a[2] : 0), a[5], (a[3] > 0 ? 100 * a[5] / a[3] : 0)
			printf "\nSum of the shares: **%.2fx** (2.00 = each job as fast as alone). For\n", a[6]
			printf "information: AFL++ only, 2 instances (main + cmplog) against 1, raw execs: %.2fx;\n", a[7]
			printf "all execs of the 2-job campaign against the 1-job one (unlike engines): %.2fx.\n", a[8] }'
		;;
	'') echo "Not measured in this run." ;;
	*) echo "Not available: ${SCALING#*"$TAB"}." ;;
	esac
	echo
	echo "## Filed as its own signature"
	echo
	case ${FILED:-} in
	ok*)
		# bench-campaign's own Markdown, without its title
		f=${FILED#*"$TAB"}
		sed '1,2d' "${f%.json}.md"
		;;
	'') echo "Not measured in this run." ;;
	*) echo "Not available: ${FILED#*"$TAB"}." ;;
	esac
	name=$(awk -F'\t' '$11 == "ok" { n++ } END { print n + 0 }' "$TTB_TSV")
	echo
	echo "Raw data: the .json file next to this one (every trial: defect, CRC,"
	echo "configuration, seed, found, times, execs; $name trials found their defect)."
}

# ---- JSON (assembled by jq from the tables) ---------------------------------------
tsv_json() { # file field-names... -> array of objects (numbers where numeric)
	local f=$1
	shift
	jq -R -s --arg names "$*" '
		($names | split(" ")) as $k
		| split("\n") | map(select(length > 0) | split("\t"))
		| map([$k, .] | transpose | map({ (.[0]): (.[1] as $v | ($v | tonumber? ) // $v) }) | add)' "$f"
}
json() {
	jq -n \
		--arg date "$DAY" --arg stamp "$STAMP" --arg mode "$mode" --arg commit "$COMMIT" \
		--argjson duration "$DURATION" --argjson build "$BUILD_S" --argjson parts "$PARTS" \
		--arg cpu "$CPU_MODEL" --argjson nproc "$(nproc)" --arg clang "$CLANG_V" --arg afl "$AFL_V" \
		--arg load_start "$LOAD_START" --arg load_end "$LOAD_END" \
		--arg uptime_start "$UPTIME_START" --arg uptime_end "$UPTIME_END" \
		--argjson trials "$trials" --argjson cap "$cap" --argjson tput "$tput" \
		--argjson afl_tput "$afl_tput" --argjson parallel "$parallel" \
		--arg bugs "$bugs" --arg configs "$configs" --arg crcs "$crcs" --arg base "$BASE_CONFIG" \
		--arg offcfg "$offcfg" \
		--arg mutstat "$MUTSTAT" --arg regress "$REGRESS" --arg scaling "$SCALING" \
		--argjson scale_budget "${SCALE_BUDGET:-60}" \
		--slurpfile figures <(tsv_json "$WORK/figures.tsv" figure target measured met) \
		--slurpfile tputrows <(tsv_json "$WORK/tput.tsv" engine target execs seconds exec_s ceiling_exec_s share note) \
		--slurpfile smart <(tsv_json "$WORK/smart.tsv" target plain_exec_s smart_exec_s share plain_replay_of_smart_corpus_exec_s share_vs_replay) \
		--slurpfile cells <(tsv_json "$WORK/cells.tsv" bug crc config trials found reached median_reach_s median_reach_censored median_trigger_s median_trigger_censored rmst_s ratio_vs_base mwu_p a12) \
		--slurpfile trials_raw <(tsv_json "$TTB_TSV" bug crc config trial found trigger_s reached reach_s end_s execs signature seed) \
		--slurpfile check <(tsv_json "$WORK/check.tsv" bug crc libfuzzer_fault afl_fault seeds_clean) \
		--slurpfile filed <(case ${FILED:-} in ok*) cat "${FILED#*"$TAB"}" ;; *) jq -n --arg n "${FILED#*"$TAB"}" '{available: false, note: (if $n == "" then "not measured" else $n end)}' ;; esac) \
		'{
			date: $date, stamp: $stamp, mode: $mode, commit: $commit,
			duration_s: $duration, parts: $parts, build_s: $build,
			machine: { nproc: $nproc, cpu: $cpu, clang: $clang, afl: $afl,
				load_start: $load_start, load_end: $load_end,
				uptime_start: $uptime_start, uptime_end: $uptime_end,
				shared: true },
			settings: { trials: $trials, cap_s: $cap, tput_window_s: $tput,
				afl_tput_window_s: $afl_tput, parallel: $parallel,
				bugs: ($bugs | split(" ")), configs: ($configs | split(" ")),
				crc: ($crcs | split(" ")), crc_off_configs: ($offcfg | split(" ")), baseline: $base,
				statistics: "medians with un-found trials at the cap; RMST from Kaplan-Meier up to the cap; Mann-Whitney U two-sided, normal approximation with tie and continuity corrections; A12 = P(config faster than baseline) + P(tie)/2" },
			figures: $figures[0],
			throughput: $tputrows[0],
			mutator: (if $mutstat == "" then null else
				($mutstat | split(" ") | map(select(contains("=")) | split("=")
				 | { (.[0]): (.[1] | tonumber? // .) }) | add) + { smart: $smart[0] } end),
			time_to_bug: { cells: $cells[0], trials: $trials_raw[0] },
			bug_zoo_check: $check[0],
			regress: (if ($regress | startswith("ok")) then
				($regress | split("\t") | { inputs: (.[1] | tonumber), seconds: (.[2] | tonumber),
				  inputs_per_s: (.[3] | tonumber), failed: (.[4] | tonumber), exit: (.[5] | tonumber) })
				else { available: false, note: ($regress | split("\t") | .[1] // "not measured") } end),
			scaling: (if ($scaling | startswith("ok")) then
				($scaling | split("\t") | map(tonumber? // .) | {
				  budget_s: $scale_budget, target: "fuzz_interp_716",
				  aflpp_alone_exec_s: .[1], libfuzzer_alone_exec_s: .[2],
				  aflpp_in_2_jobs_exec_s: .[3], libfuzzer_in_2_jobs_exec_s: .[4],
				  sum_of_shares: .[5], aflpp_2_instances_raw_ratio: .[6],
				  all_execs_2_jobs_vs_1_raw_ratio: .[7] })
				else { available: false, note: ($scaling | split("\t") | .[1] // "not measured") } end),
			filed: $filed[0]
		}'
}

suffix=''
[ "$mode" = quick ] && suffix=-quick
MD_OUT=$out/$DAY$suffix.md
JSON_OUT=$out/$DAY$suffix.json
tmp_md=$(mktemp "$out/.bench.md.tmp.XXXXXX")
tmp_json=$(mktemp "$out/.bench.json.tmp.XXXXXX")
md >"$tmp_md"
if ! json >"$tmp_json"; then
	rm -f "$tmp_md" "$tmp_json"
	die "could not assemble the JSON report"
fi
chmod 644 "$tmp_md" "$tmp_json"
mv -f "$tmp_json" "$JSON_OUT"
mv -f "$tmp_md" "$MD_OUT"
note "wrote $MD_OUT and $JSON_OUT ($DURATION s)"
awk -F'\t' '{ printf "  %-4s %s: %s\n", $4, $1, $3 }' "$WORK/figures.tsv" >&2
