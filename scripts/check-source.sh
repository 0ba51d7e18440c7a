#!/usr/bin/env bash
# check-source.sh - the project's source checks, run by `make check`. For
# every C file we own (parsers/ tools/ harness/ bench/ tests/):
#   1. clang-format conformance (.clang-format; messages are never split:
#      BreakStringLiterals is false, so that grep finds them);
#   2. no banned unbounded string/number functions (as curl's checksrc):
#      sprintf strcpy strcat strncpy strtok atoi sscanf;
#   3. no raw allocation (malloc calloc realloc reallocarray free strdup
#      strndup aligned_alloc posix_memalign) outside parsers/src/mem.c:
#      cf_mem.h is the single allocation point, for the model and for
#      everything that links it (memory crosses between them, and the cap
#      holds everywhere). Memory that libc allocated for us (scandir(3))
#      is freed with free() on a line that says "allocated by libc";
#   4. no line longer than 100 columns (tabs count as 8), except a line
#      that holds a string literal (a message kept whole);
#   5. no .c file in harness/ longer than 700 lines: a harness file holds
#      one module (the mutator is cf_mutator.c plus harness/mut_*.c);
# and the bug zoo:
#   6. no CF_BENCH_ switch in parsers/ (the defects live in bench/bugs/);
#   7. every bench/bugs/<name>.patch applies to the tree as it is now
#      (patch --dry-run --fuzz=0), and the patches and the defects of
#      bench/bugs/zoo.tsv are the same set;
#   8. every tests/fixtures/defects/<name>.patch (crash identity fixtures,
#      tests/fixtures/make_reports.py) applies the same way;
#   9. shellcheck -x -S style on every shell file (*.sh, #! sh/bash) of
#      scripts/ .ci/ tests/ .clusterfuzzlite/ bench/ harness/ tools/, and
#      scripts/*.sh at most 150 lines (more belongs in scripts/lib/chanfuzz/).
# Prints one line per problem and "check: N passed, N failed" at the end
# (one item per C file, per patch and per zoo check).
set -u
cd "$(dirname "$0")/.." || exit 1
mapfile -t files < <(git ls-files -co --exclude-standard -- \
	'parsers/*.[ch]' 'tools/*.[ch]' 'harness/*.[ch]' 'bench/*.[ch]' 'tests/*.[ch]' 2>/dev/null | sort -u)
# Not a git checkout (a tarball): the same folders, found on disk.
[ "${#files[@]}" -gt 0 ] ||
	mapfile -t files < <(find parsers tools harness bench tests -name '*.[ch]' 2>/dev/null | sort)
if [ "${#files[@]}" = 0 ]; then
	echo "check: no C sources found under parsers/ tools/ harness/ bench/ tests/" >&2
	echo "check: 0 passed, 1 failed"
	exit 1
fi
passed=0 failed=0
fmt=${CLANG_FORMAT:-clang-format}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
verdict() { if [ "$1" = 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi; }

# strip FILE: the file with comments blanked (their line breaks kept, so
# line numbers hold) and string and character literals emptied to "" and
# '', so that a comment or a message naming a function is not a call.
strip() {
	perl -0777 -pe 's{("(?:[^"\\\n]|\\.)*")|(\x27(?:[^\x27\\\n]|\\.)*\x27)|(/\*.*?\*/)|(//[^\n]*)}{
		defined $1 ? q("") : defined $2 ? q(\x27\x27) : defined $3 ? ($3 =~ tr/\n//dcr) : q()}gse' "$1"
}
BANNED='sprintf|strcpy|strcat|strncpy|strtok|atoi|sscanf'
ALLOC='malloc|calloc|realloc|reallocarray|free|strdup|strndup|aligned_alloc|posix_memalign'
call_re() { echo "(^|[^A-Za-z0-9_.>])($1)[[:space:]]*\\("; }

for f in "${files[@]}"; do
	[ -f "$f" ] || continue
	ok=1
	if ! "$fmt" --dry-run -Werror "$f" >/dev/null 2>&1; then
		echo "check: $f: not clang-formatted (run: $fmt -i $f)"
		ok=0
	fi
	strip "$f" >"$tmp/s"
	if grep -nE "$(call_re "$BANNED")" "$tmp/s" >"$tmp/hits"; then
		sed "s|^|check: $f:|; s|\$|  <- banned function|" "$tmp/hits"
		ok=0
	fi
	if [ "$f" != parsers/src/mem.c ] && grep -nE "$(call_re "$ALLOC")" "$tmp/s" >"$tmp/hits"; then
		while IFS=: read -r n _; do
			# The exception names itself on the line (in a comment).
			sed -n "${n}p" "$f" | grep -q 'allocated by libc' && continue
			echo "check: $f:$n: raw allocation: use cf_mem_* (parsers/include/cf_mem.h)"
			ok=0
		done <"$tmp/hits"
	fi
	if ! expand -t 8 "$f" | paste -d '\n' - <(expand -t 8 "$tmp/s") |
		awk -v f="$f" 'NR % 2 == 1 { line = $0; next }
			length(line) > 100 && index($0, "\"\"") == 0 {
				printf "check: %s:%d: line longer than 100 columns\n", f, NR / 2; bad = 1 }
			END { exit bad }'; then
		ok=0
	fi
	case $f in
	harness/*.c)
		n=$(wc -l <"$f")
		if [ "$n" -gt 700 ]; then
			echo "check: $f: $n lines, over 700: split it into modules"
			ok=0
		fi
		;;
	esac
	verdict $ok
done

# ---- the bug zoo -------------------------------------------------------------
ok=1
if grep -rn 'CF_BENCH_' parsers/ >"$tmp/hits"; then
	sed 's|^|check: |; s|$|  <- a bench switch in the model (bench/bugs/*.patch)|' "$tmp/hits"
	ok=0
fi
verdict $ok
shopt -s nullglob
patches=(bench/bugs/*.patch)
shopt -u nullglob
# dry_run PATCH WHAT: one verdict, PATCH still applies (WHAT: where to
# read how to make it again)
dry_run() {
	if patch -p1 --dry-run --fuzz=0 --force <"$1" >"$tmp/out" 2>&1; then
		verdict 1
	else
		echo "check: $1 no longer applies to the tree: $2:"
		sed 's/^/check:   /' "$tmp/out"
		verdict 0
	fi
}
for p in "${patches[@]}"; do
	dry_run "$p" 'docs/BENCH.md, "Adding a defect"'
done
shopt -s nullglob
fixtures=(tests/fixtures/defects/*.patch)
shopt -u nullglob
for p in "${fixtures[@]}"; do
	dry_run "$p" "make it again on the code as it is (tests/fixtures/make_reports.py, docs/CRASHES.md)"
done
ok=1
listed=$(awk -F'\t' '/^[a-z]/ { print $1 }' bench/bugs/zoo.tsv 2>/dev/null | sort)
have=$(for p in "${patches[@]}"; do basename "$p" .patch; done | sort)
if [ -z "$listed" ] || [ "$listed" != "$have" ]; then
	echo "check: bench/bugs/zoo.tsv lists [$(echo "$listed" | xargs)], bench/bugs/ has patches [$(echo "$have" | xargs)]"
	ok=0
fi
verdict $ok

sc=${SHELLCHECK:-shellcheck}
git ls-files -co --exclude-standard -- scripts .ci tests .clusterfuzzlite bench harness tools 2>/dev/null |
	while read -r f; do case $f in *.sh) echo "$f" ;; *) head -n1 "$f" 2>/dev/null |
		grep -qaE '^#!.*[/ ](ba)?sh( |$)' && echo "$f" ;; esac; done | sort -u >"$tmp/shells"
[ -s "$tmp/shells" ] || find scripts .ci tests -name '*.sh' | sort >"$tmp/shells"
while read -r f; do
	ok=1
	"$sc" -x -S style "$f" >"$tmp/out" 2>&1 || { echo "check: $f: shellcheck:" && sed 's/^/check:   /' "$tmp/out" && ok=0; }
	n=$(wc -l <"$f")
	case $f in scripts/*.sh) [ "$n" -le 150 ] || { echo "check: $f: $n lines, over 150: move it to scripts/lib/chanfuzz/" && ok=0; } ;; esac
	verdict $ok
done <"$tmp/shells"
echo "check: $passed passed, $failed failed"
[ "$failed" = 0 ]
