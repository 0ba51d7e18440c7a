#!/usr/bin/env bash
# corpus.sh - build the seed corpora from corpus/src (`make corpus`).
#
#   1. every corpus/src/NAME.cft is compiled with `cftool asm` into
#      build/corpus/NAME.cf (the tests use these);
#   2. corpus/<target>/ is filled for each fuzz target of
#      harness/targets.tsv, by its input column:
#        chan targets (fuzz_parse fuzz_validate fuzz_interp_711
#        fuzz_interp_716 fuzz_differential) get NAME.cf, except that
#          - a `# targets: t1 t2 ...` line in the .cft limits the seed to
#            those targets;
#          - the targets that run one sensor build (the sensor column)
#            never get cf291-nonwildcard (it reads past 7.11's input array
#            at once) nor any seed marked `# expect: rejected-by-current`;
#        regex targets (fuzz_regex) get regex-NNN.bin for the N-th seed
#        line of corpus/src/regex.seeds (FLAGS<TAB>PATTERN<TAB>SUBJECT,
#        printf %b escapes): [flags][pattern length][pattern][subject];
#        text targets (fuzz_asm) get every corpus/src/NAME.cft as it is;
#        a target of any other input kind keeps the seeds committed in
#        corpus/<target>/ as they are (counted, never touched).
#
# Idempotent: a file is rewritten only when its bytes change, always through
# a temporary file in the same directory and mv. Files this script owns
# (*.cf, regex-*.bin) that no longer have a source are removed; anything
# else in corpus/<target>/ (e.g. inputs a fuzzer saved) is left alone.
# Prints one summary line per target.
#
# Environment: CFTOOL (default build/cftool).
set -euo pipefail
export LC_ALL=C

cd "$(dirname "$0")/.."

CFTOOL=${CFTOOL:-build/cftool}
SRC=corpus/src
OUT=build/corpus
SEEDS=$SRC/regex.seeds
# printf %b stops at \c: an unescaped one (an even run of backslashes before).
ENDS_B='(^|[^\\])(\\\\)*\\c'
NO_INTERP=(cf291-nonwildcard)
# The targets (harness/targets.tsv): TARGETS, CHAN_TARGETS, T_INPUT,
# T_SENSOR.
# shellcheck source=scripts/targets.sh
. scripts/targets.sh || exit 1
INTERP_TARGETS=() REGEX_TARGETS=() TEXT_TARGETS=()
for t in "${TARGETS[@]}"; do
	[ -z "${T_SENSOR[$t]}" ] || INTERP_TARGETS+=("$t")
	[ "${T_INPUT[$t]}" != regex ] || REGEX_TARGETS+=("$t")
	[ "${T_INPUT[$t]}" != text ] || TEXT_TARGETS+=("$t")
done
ALL_TARGETS=("${TARGETS[@]}")

die() {
	printf 'corpus.sh: %s\n' "$*" >&2
	exit 1
}
warn() {
	printf 'corpus.sh: warning: %s\n' "$*" >&2
}

[ -x "$CFTOOL" ] || die "$CFTOOL not found (run: make build/cftool)"
[ -d "$SRC" ] || die "$SRC: no such directory"

# Up to date: nothing this script reads changed since its last run (the
# sources, regex.seeds, the target list, cftool, this script) and every
# file it wrote is still there with the bytes it wrote. Then there is
# nothing to do; a run takes some 20 s of cftool calls otherwise.
STAMP=$OUT/.corpus-state
fingerprint() {
	{
		printf '%s\n' "$CFTOOL"
		find "$SRC" -maxdepth 1 -type f \( -name '*.cft' -o -name 'regex.seeds' \) -print0 |
			sort -z | xargs -0 sha1sum
		sha1sum -- "$CFTOOL" "$TARGETS_FILE" "$0"
	} | sha1sum | cut -c1-40
}
FP=$(fingerprint)
if [ -f "$STAMP" ] && [ "$(head -n 1 "$STAMP")" = "$FP" ] &&
	tail -n +2 "$STAMP" | sha1sum -c --quiet --status 2>/dev/null; then
	echo "corpus: up to date ($(($(wc -l <"$STAMP") - 1)) files; build/corpus and corpus/<target>/)"
	exit 0
fi
rm -f -- "$STAMP"

# Temporary files still to be removed if we stop half-way.
TMPS=()
cleanup() {
	local t
	for t in "${TMPS[@]+"${TMPS[@]}"}"; do
		rm -f -- "$t"
	done
}
trap cleanup EXIT

# mktemp_in DIR NAME: set TMP to a new temporary file next to DIR/NAME
# (matching .gitignore's *.tmp*), recorded for cleanup.
mktemp_in() {
	TMP=$(mktemp "$1/.$2.tmp.XXXXXX")
	TMPS+=("$TMP")
}

# commit TMP DST: move TMP over DST unless DST already has the same bytes.
# Sets STATE to "new", "updated" or "same".
commit() {
	if [ -e "$2" ] && cmp -s -- "$1" "$2"; then
		rm -f -- "$1"
		STATE=same
		return
	fi
	STATE=updated
	[ -e "$2" ] || STATE=new
	chmod 644 -- "$1"
	mv -f -- "$1" "$2"
}

# install_copy SRCFILE DIR NAME: copy to DIR/NAME through commit.
install_copy() {
	mktemp_in "$2" "$3"
	cp -- "$1" "$TMP"
	commit "$TMP" "$2/$3"
}

contains() {
	local x=$1
	shift
	local y
	for y in "$@"; do
		[ "$x" = "$y" ] && return 0
	done
	return 1
}

# Per-target bookkeeping: expected file names and change counts.
declare -A EXPECT NEW UPD
for t in "${ALL_TARGETS[@]}"; do
	mkdir -p "corpus/$t"
	EXPECT[$t]=""
	NEW[$t]=0
	UPD[$t]=0
done
mkdir -p "$OUT"

note() { # note TARGET STATE NAME
	EXPECT[$1]+="$3"$'\n'
	case $2 in
	new) NEW[$1]=$((NEW[$1] + 1)) ;;
	updated) UPD[$1]=$((UPD[$1] + 1)) ;;
	esac
}

# --- channel seeds ---------------------------------------------------------
shopt -s nullglob
cfts=("$SRC"/*.cft)
shopt -u nullglob
[ ${#cfts[@]} -gt 0 ] || die "no $SRC/*.cft"

asm_new=0 asm_upd=0
for src in "${cfts[@]}"; do
	name=$(basename "$src" .cft)
	case $name in
	*[!A-Za-z0-9._-]*) die "$src: file name must be [A-Za-z0-9._-]" ;;
	esac

	# 1. assemble
	mktemp_in "$OUT" "$name.cf"
	if ! "$CFTOOL" asm "$src" -o "$TMP"; then
		die "$src: cftool asm failed"
	fi
	commit "$TMP" "$OUT/$name.cf"
	case $STATE in
	new) asm_new=$((asm_new + 1)) ;;
	updated) asm_upd=$((asm_upd + 1)) ;;
	esac

	# 2. which targets
	rejected=0
	if grep -qE '^#[[:space:]]*expect:[[:space:]]*rejected-by-current([[:space:]]|$)' "$src"; then
		rejected=1
	fi
	line=$(grep -m1 -E '^#[[:space:]]*targets:' "$src" || true)
	if [ -n "$line" ]; then
		read -r -a wanted <<<"${line#*targets:}"
		[ ${#wanted[@]} -gt 0 ] || die "$src: empty targets line"
		for w in "${wanted[@]}"; do
			contains "$w" "${CHAN_TARGETS[@]}" ||
			    die "$src: targets: '$w' is not a channel fuzz target"
		done
	else
		wanted=("${CHAN_TARGETS[@]}")
	fi

	# Cross-check the marker against the current validator (a warning: the
	# validator is not this script's business, but an unmarked rejected seed
	# may crash fuzz_interp_711 on its first run).
	if "$CFTOOL" validate --validator current "$OUT/$name.cf" >/dev/null 2>&1; then
		[ $rejected -eq 0 ] ||
		    warn "$src is marked rejected-by-current but is accepted"
	else
		[ $rejected -eq 1 ] || contains "$name" "${NO_INTERP[@]}" ||
		    warn "$src is rejected by the current validator but not marked"
	fi

	# text targets (fuzz_asm) get the source itself, whatever it holds
	for tg in "${TEXT_TARGETS[@]+"${TEXT_TARGETS[@]}"}"; do
		install_copy "$src" "corpus/$tg" "$name.cft"
		note "$tg" "$STATE" "$name.cft"
	done
	for tg in "${wanted[@]}"; do
		if contains "$tg" "${INTERP_TARGETS[@]}" &&
		    { [ $rejected -eq 1 ] || contains "$name" "${NO_INTERP[@]}"; }; then
			continue
		fi
		install_copy "$OUT/$name.cf" "corpus/$tg" "$name.cf"
		note "$tg" "$STATE" "$name.cf"
	done
done

# --- regex seeds -----------------------------------------------------------
if [ ${#REGEX_TARGETS[@]} = 0 ]; then
	: # no target takes them
elif [ -f "$SEEDS" ]; then
	n=0 lineno=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		line=${line%$'\r'}
		case $line in
		'' | '#'*) continue ;;
		esac
		where="$SEEDS:$lineno"
		[[ $line == *$'\t'*$'\t'* ]] || die "$where: want FLAGS<TAB>PATTERN<TAB>SUBJECT"
		flags=${line%%$'\t'*}
		rest=${line#*$'\t'}
		pat=${rest%%$'\t'*}
		subj=${rest#*$'\t'}
		[[ $flags =~ ^[0-3]$ ]] || die "$where: FLAGS must be 0-3, got '$flags'"
		[[ $pat$'\t'$subj =~ $ENDS_B ]] &&
		    die "$where: \\c would end printf %b output"
		n=$((n + 1))
		[ $n -le 999 ] || die "$where: more than 999 regex seeds"
		name=$(printf 'regex-%03d.bin' "$n")
		mktemp_in "$OUT" "$name.pat"
		patf=$TMP
		printf '%b' "$pat" >"$patf"
		plen=$(wc -c <"$patf")
		plen=$((plen + 0))
		[ "$plen" -le 255 ] || die "$where: pattern is $plen bytes (max 255)"
		mktemp_in "$OUT" "$name"
		{
			printf '%b' "\\x$(printf %02x "$flags")\\x$(printf %02x "$plen")"
			cat -- "$patf"
			printf '%b' "$subj"
		} >"$TMP"
		rm -f -- "$patf"
		seed=$TMP
		for tg in "${REGEX_TARGETS[@]}"; do
			install_copy "$seed" "corpus/$tg" "$name"
			note "$tg" "$STATE" "$name"
		done
		rm -f -- "$seed"
	done <"$SEEDS"
else
	warn "$SEEDS missing: ${REGEX_TARGETS[*]} get no seeds"
fi

# --- stale files and summary -----------------------------------------------
printf 'build/corpus: %d channel files (%d new, %d updated)\n' \
    ${#cfts[@]} "$asm_new" "$asm_upd"
for tg in "${ALL_TARGETS[@]}"; do
	dir=corpus/$tg
	removed=0 others=0 count=0
	case ${T_INPUT[$tg]} in
	chan | regex | text) ;;
	*)
		count=$(find "$dir" -maxdepth 1 -type f ! -name '.*' | wc -l)
		printf 'corpus/%s: %d seeds (committed as they are)\n' "$tg" "$count"
		continue
		;;
	esac
	shopt -s nullglob dotglob
	for f in "$dir"/*; do
		b=$(basename "$f")
		case $b in
		.*.tmp.*)
			# left by an interrupted run of this script
			rm -f -- "$f"
			;;
		*.cf | *.cft | regex-*.bin)
			if grep -qxF -- "$b" <<<"${EXPECT[$tg]}"; then
				count=$((count + 1))
			else
				rm -f -- "$f"
				removed=$((removed + 1))
			fi
			;;
		*) others=$((others + 1)) ;;
		esac
	done
	shopt -u nullglob dotglob
	printf 'corpus/%s: %d seeds (%d new, %d updated, %d removed' "$tg" \
	    "$count" "${NEW[$tg]}" "${UPD[$tg]}" "$removed"
	[ $others -eq 0 ] || printf ', %d other files kept' "$others"
	printf ')\n'
done

# What this run wrote, for the next run's up-to-date check.
{
	echo "$FP"
	find "$OUT" -maxdepth 1 -type f -name '*.cf' -print0 | sort -z | xargs -0 -r sha1sum
	for tg in "${ALL_TARGETS[@]}"; do
		case ${T_INPUT[$tg]} in
		chan | regex | text)
			printf '%s' "${EXPECT[$tg]}" | sed '/^$/d' | while IFS= read -r b; do
				sha1sum -- "corpus/$tg/$b"
			done
			;;
		esac
	done
} >"$STAMP.tmp" && mv -f -- "$STAMP.tmp" "$STAMP"
