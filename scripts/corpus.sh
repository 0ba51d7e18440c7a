#!/usr/bin/env bash
# corpus.sh - build the seed corpora from corpus/src (`make corpus`).
#
#   1. every corpus/src/NAME.cft is compiled with `cftool asm` into
#      build/corpus/NAME.cf (the tests use these);
#   2. corpus/<target>/ is filled for each fuzz target:
#        channel targets (fuzz_parse fuzz_validate fuzz_interp_711
#        fuzz_interp_716 fuzz_differential fuzz_gate) get NAME.cf, except
#        that
#          - a `# targets: t1 t2 ...` line in the .cft limits the seed to
#            those targets;
#          - the interpreter targets never get cf291-nonwildcard (it reads
#            past 7.11's input array at once) nor any seed marked
#            `# expect: rejected-by-current`;
#        fuzz_regex gets regex-NNN.bin for the N-th seed line of
#        corpus/src/regex.seeds (FLAGS<TAB>PATTERN<TAB>SUBJECT, printf %b
#        escapes): [flags][pattern length][pattern][subject].
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
CHAN_TARGETS=(fuzz_parse fuzz_validate fuzz_interp_711 fuzz_interp_716
    fuzz_differential fuzz_gate)
INTERP_TARGETS=(fuzz_interp_711 fuzz_interp_716)
NO_INTERP=(cf291-nonwildcard)
ALL_TARGETS=(fuzz_parse fuzz_validate fuzz_interp_711 fuzz_interp_716
    fuzz_regex fuzz_differential fuzz_gate)

die() {
	printf 'corpus.sh: %s\n' "$*" >&2
	exit 1
}
warn() {
	printf 'corpus.sh: warning: %s\n' "$*" >&2
}

[ -x "$CFTOOL" ] || die "$CFTOOL not found (run: make build/cftool)"
[ -d "$SRC" ] || die "$SRC: no such directory"

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
if [ -f "$SEEDS" ]; then
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
		mktemp_in corpus/fuzz_regex "$name.pat"
		patf=$TMP
		printf '%b' "$pat" >"$patf"
		plen=$(wc -c <"$patf")
		plen=$((plen + 0))
		[ "$plen" -le 255 ] || die "$where: pattern is $plen bytes (max 255)"
		mktemp_in corpus/fuzz_regex "$name"
		{
			printf '%b' "\\x$(printf %02x "$flags")\\x$(printf %02x "$plen")"
			cat -- "$patf"
			printf '%b' "$subj"
		} >"$TMP"
		rm -f -- "$patf"
		commit "$TMP" "corpus/fuzz_regex/$name"
		note fuzz_regex "$STATE" "$name"
	done <"$SEEDS"
else
	warn "$SEEDS missing: fuzz_regex gets no seeds"
fi

# --- stale files and summary -----------------------------------------------
printf 'build/corpus: %d channel files (%d new, %d updated)\n' \
    ${#cfts[@]} "$asm_new" "$asm_upd"
for tg in "${ALL_TARGETS[@]}"; do
	dir=corpus/$tg
	removed=0 others=0 count=0
	shopt -s nullglob dotglob
	for f in "$dir"/*; do
		b=$(basename "$f")
		case $b in
		.*.tmp.*)
			# left by an interrupted run of this script
			rm -f -- "$f"
			;;
		*.cf | regex-*.bin)
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
